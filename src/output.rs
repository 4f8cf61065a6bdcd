//! Output: where built files go. In memory for tests and `serve`; on disk through a staging
//! directory that is swapped in whole, so a failed build leaves the previous site as it was.

use crate::site_path::SitePath;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The file that marks a directory as written by Syllabus (and so safe to replace).
pub const MARKER: &str = ".syllabus-output";

/// Receives built files as they are made, each at a validated [`SitePath`]: a sink never
/// sees a path that could leave the output directory.
pub trait Sink: Sync {
    /// Receives the file at site path `path`.
    fn put(&self, path: &SitePath, bytes: Vec<u8>);

    /// Receives a file that may also be held elsewhere (a page kept by the build's memo);
    /// sinks that can keep it shared override this to avoid a copy.
    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.put(path, Arc::unwrap_or_clone(bytes));
    }
}

/// Every built file, held in memory: for tests, `check` and `serve`. A file the build's memo
/// also holds (a page) is kept shared, not copied.
#[derive(Debug, Default)]
pub struct Output {
    files: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Output {
    /// The files by site path, in path order.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.into_shared()
            .into_iter()
            .map(|(path, bytes)| (path, Arc::unwrap_or_clone(bytes)))
            .collect()
    }

    /// The files by site path, as held (shared with the memo where it keeps them).
    pub fn into_shared(self) -> HashMap<String, Arc<Vec<u8>>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Output {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        self.put_shared(path, Arc::new(bytes));
    }

    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.as_str().to_string(), bytes);
    }
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target holds files Syllabus did not write.
    #[error("refusing to write into `{0}`: it is not empty and was not made by syllabus (no {MARKER} file)")]
    Foreign(PathBuf),
    /// The target is a file.
    #[error("`{0}` exists and is not a directory")]
    NotADirectory(PathBuf),
    /// A file or folder could not be written.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging directory beside the target that files are written into as they come.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    error: Mutex<Option<WriteError>>,
}

impl Staging {
    /// Checks that `target` may be replaced and creates a fresh staging directory beside it.
    pub fn begin(target: &Path) -> Result<Staging, WriteError> {
        check_target(target)?;
        let name = target
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let dir = parent.join(format!(".{name}.syllabus-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        std::fs::write(
            dir.join(MARKER),
            "Written by syllabus. The whole directory is replaced on every build.\n",
        )
        .map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            error: Mutex::new(None),
        })
    }

    /// Swaps the staged site in place of the target, or removes it if a write failed.
    pub fn commit(self) -> Result<(), WriteError> {
        if let Some(e) = self.error.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = std::fs::remove_dir_all(&self.dir);
            return Err(e);
        }
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_target = self.target.exists();
        if had_target {
            std::fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
        }
        if let Err(source) = std::fs::rename(&self.dir, &self.target) {
            if had_target {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(WriteError::Io {
                path: self.target.clone(),
                source,
            });
        }
        if had_target {
            std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(())
    }

    /// Drops the staged files; the target is untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        let dest = self.dir.join(path.as_str());
        let result = dest
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&dest, bytes))
            .map_err(|source| WriteError::Io {
                path: dest.clone(),
                source,
            });
        if let Err(e) = result {
            let mut slot = self.error.lock().unwrap_or_else(|e| e.into_inner());
            slot.get_or_insert(e);
        }
    }
}

/// A target may be replaced if it does not exist, is empty, or carries our marker.
fn check_target(target: &Path) -> Result<(), WriteError> {
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(WriteError::NotADirectory(target.to_path_buf()));
    }
    if target.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = std::fs::read_dir(target)
        .map_err(io_err(target))?
        .next()
        .is_none();
    if empty {
        Ok(())
    } else {
        Err(WriteError::Foreign(target.to_path_buf()))
    }
}
