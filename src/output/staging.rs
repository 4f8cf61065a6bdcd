//! Writing the site to disk, the build's only write. Files go into a staging folder beside the
//! output as they are built. On success, what the old output holds that Syllabus did not write
//! is carried across (`.git` moved, everything else hard-linked) and the staging folder is
//! exchanged with the output in one atomic step, so `out` always holds one whole site: the old
//! one or the new one. On failure the output is not touched.

use super::keep::{self, slash, Foreign, Keep, Survey};
use super::leftovers::{dispose, recover_stale};
use super::manifest::{self, Manifest, Marker, Owned, MARKER};
use super::spare;
use super::tree::{
    children, clash, exchange, link_tree, move_entry, move_into, same_file, unsupported,
};
use super::Sink;
use crate::site_path::SitePath;
use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// How to treat the output folder.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The project root: the marker names the output folder relative to it.
    pub root: &'a Path,
    /// The content directory, relative to the root (the output may not be inside it).
    pub content_dir: &'a str,
    /// `[build] keep`: globs of entries to keep, relative to the output folder.
    pub keep: &'a [String],
    /// Leave behind what Syllabus did not write (except what is kept).
    pub clean: bool,
    /// Where to keep the site this build replaces, to be the next build's staging folder
    /// (see `spare.rs`); None: it is removed.
    pub spare: Option<&'a Path>,
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write into `{out}`: it is not empty and was not made by syllabus (no {MARKER} file; it holds `{first}`)")]
    /// The output holds files Syllabus did not write, and no marker.
    Foreign {
        /// The output folder.
        out: PathBuf,
        /// The first entry found in it.
        first: String,
    },
    #[error("refusing to write into `{out}`: its {MARKER} names the folder `{folder}`, so it was copied from there and does not make `{out}` syllabus output")]
    /// The output's marker was copied from another folder.
    CopiedMarker {
        /// The output folder.
        out: PathBuf,
        /// The folder the marker names.
        folder: String,
    },
    #[error("refusing to write into `{0}`: its {MARKER} was not written by syllabus")]
    /// The output's marker is not one Syllabus writes.
    UnreadableMarker(PathBuf),
    #[error("`{0}` exists and is not a directory")]
    /// The output is a file.
    NotADirectory(PathBuf),
    #[error("refusing to write the site into `{out}`: it is inside {inside}, so the next build would read the site as part of the project")]
    /// The output is inside the content directory, `static/` or `templates/`.
    InsideProjectFiles {
        /// The output folder.
        out: PathBuf,
        /// Which of the project's folders holds it.
        inside: String,
    },
    #[error("refusing to write the site into `{0}`: it holds the project itself")]
    /// The output holds the project.
    HoldsProject(PathBuf),
    #[error("{}", collision_message(.out, .paths, *.kept))]
    /// The new site has files where the output holds entries Syllabus did not write.
    Collision {
        /// The output folder.
        out: PathBuf,
        /// The colliding paths, relative to the output.
        paths: Vec<String>,
        /// Whether those entries are kept (by name or `[build] keep`) rather than foreign.
        kept: bool,
    },
    #[error("`[build] keep`: {0}")]
    /// A `[build] keep` glob is invalid.
    Keep(String),
    #[error("cannot put the new site in place of `{out}`: {source}; `{out}` was left as it was")]
    /// The swap failed and the output was left as it was.
    Swap {
        /// The output folder.
        out: PathBuf,
        /// Why.
        source: io::Error,
    },
    #[error("cannot put the new site in place of `{out}` ({source}), nor the previous one back: the previous site is now at `{old}`")]
    /// The swap failed halfway and the previous site could not be put back.
    Stranded {
        /// The output folder.
        out: PathBuf,
        /// Where the previous site is now.
        old: PathBuf,
        /// Why.
        source: io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    /// A file or folder could not be written.
    Io {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl WriteError {
    /// A hint for the author, if one helps.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            WriteError::Foreign { .. } | WriteError::CopiedMarker { .. } | WriteError::UnreadableMarker(_) => {
                "choose another --out directory, or empty this one yourself (syllabus keeps `.git`, `CNAME`, `.nojekyll`, `.gitkeep` and `[build] keep` entries in it)".into()
            }
            WriteError::InsideProjectFiles { .. } | WriteError::HoldsProject(_) => {
                "write the site outside the content directory, `static/` and `templates/`, e.g. `--out public`".into()
            }
            WriteError::Collision { kept: false, .. } => {
                "move it into `static/` to publish it with the site, or build with `--clean` to let the site replace it".into()
            }
            WriteError::Collision { kept: true, .. } => {
                "remove it from the output folder, or from `[build] keep` (a file in `static/` is published with the site)".into()
            }
            WriteError::Stranded { out, old, .. } => format!(
                "move it back yourself: `mv {} {}`",
                old.display(),
                out.display()
            ),
            _ => return None,
        })
    }
}

fn collision_message(out: &Path, paths: &[String], kept: bool) -> String {
    let what = if kept {
        "is kept (not written by syllabus)"
    } else {
        "was not written by syllabus"
    };
    let first = &paths[0];
    let more = match paths.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    format!(
        "`{}` {what}, and the new site has a file there{more}; `{}` was left as it was",
        out.join(first).display(),
        out.display()
    )
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The output folder.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// As the author named it, for messages.
    pub shown: PathBuf,
    /// The real folder: absolute, symlinks resolved (a symlinked `--out` is followed).
    pub real: PathBuf,
    /// `real` relative to the project's real root, with `/`: what the marker records.
    pub id: String,
}

impl Target {
    pub(super) fn parent(&self) -> &Path {
        self.real.parent().unwrap_or(Path::new("/"))
    }

    pub(super) fn name(&self) -> String {
        self.real
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
    }

    /// `.NAME.syllabus-KIND-PID` beside the output.
    pub(super) fn sibling(&self, kind: &str, pid: u32) -> PathBuf {
        self.parent()
            .join(format!(".{}.syllabus-{kind}-{pid}", self.name()))
    }
}

/// What the output folder held when it was looked at.
#[derive(Debug)]
enum Previous {
    /// Nothing: the staging folder is renamed into place.
    Missing,
    /// A folder that holds only kept entries and empty folders, made by the author: the site is
    /// moved into it, and the folder itself stays.
    Adopt,
    /// A site Syllabus wrote: exchanged with the new one.
    Site(Owned),
}

/// A staging folder beside the output that files are written into as they come.
pub struct Staging {
    dir: PathBuf,
    target: Target,
    keep: Keep,
    clean: bool,
    written: Mutex<BTreeSet<String>>,
    error: Mutex<Option<WriteError>>,
    notes: Vec<String>,
    /// Set once a link to the build cache's files failed: the rest are written.
    no_links: AtomicBool,
    /// Where the replaced site is kept for the next build.
    spare: Option<PathBuf>,
    /// The files the staging folder held when it began, when it is a claimed spare.
    held: Option<BTreeSet<String>>,
}

/// What a commit did besides putting the site in place.
#[derive(Debug, Default)]
pub struct Committed {
    /// Entries of the old output that Syllabus did not write and that are not kept by name or
    /// `[build] keep` (a folder whose content is all such is one entry, ending in `/`).
    pub foreign: Vec<String>,
    /// Whether those were left out of the new site (`--clean`) rather than carried across.
    pub cleaned: bool,
    /// Problems that did not stop the build (a leftover that could not be removed).
    pub warnings: Vec<String>,
}

impl Staging {
    /// Checks that the output may be written, clears what interrupted builds left beside it, and
    /// creates a fresh staging folder.
    pub fn begin(out: &Path, options: &Options<'_>) -> Result<Staging, WriteError> {
        let keep = Keep::new(options.keep).map_err(WriteError::Keep)?;
        let target = locate(out, options)?;
        let mut notes = Vec::new();
        std::fs::create_dir_all(target.parent()).map_err(io_err(target.parent()))?;
        recover_stale(&target, &mut notes);
        previous(&target, &keep)?;
        let dir = target.sibling("staging", std::process::id());
        let held = options
            .spare
            .and_then(|spare| spare::claim(spare, &dir, &target));
        if held.is_none() {
            std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        }
        let staging = Staging {
            dir,
            target,
            keep,
            clean: options.clean,
            written: Mutex::default(),
            error: Mutex::default(),
            notes,
            no_links: AtomicBool::new(false),
            spare: options.spare.map(Path::to_path_buf),
            held,
        };
        let marker = Manifest::staging(&staging.target.id).to_bytes();
        if let Err(e) = std::fs::write(staging.dir.join(MARKER), marker) {
            staging.abandon();
            return Err(WriteError::Io {
                path: out.to_path_buf(),
                source: e,
            });
        }
        Ok(staging)
    }

    /// What `begin` did that the author should hear about (leftovers of interrupted builds).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Puts the staged site in place of the output, carrying across what Syllabus did not write.
    /// On any error the output is as it was (or, if even restoring it failed, the error says
    /// where the previous site is).
    pub fn commit(self) -> Result<Committed, WriteError> {
        let failed = self.error.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(e) = failed {
            self.abandon();
            return Err(e);
        }
        let result = self.put_in_place();
        if result.is_err() && std::fs::symlink_metadata(&self.dir).is_ok() {
            // Removes only the staged site and copies of what the output still has; anything
            // carried across that could not be moved back stays, for the next build to return.
            let _ = dispose(&self.dir, &self.target);
        }
        result
    }

    /// Drops the staged files; the output is untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    fn put_in_place(&self) -> Result<Committed, WriteError> {
        let files = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(held) = &self.held {
            spare::prune(&self.dir, held, &files);
        }
        let manifest = Manifest::complete(&self.target.id, files).to_bytes();
        std::fs::write(self.dir.join(MARKER), &manifest).map_err(io_err(&self.dir))?;
        match previous(&self.target, &self.keep)? {
            Previous::Missing => {
                std::fs::rename(&self.dir, &self.target.real)
                    .map_err(io_err(&self.target.shown))?;
                Ok(Committed::default())
            }
            Previous::Adopt => self.adopt(&manifest),
            Previous::Site(owned) => self.replace(&owned),
        }
    }

    /// Moves the site into a folder the author made (holding only kept entries): the marker
    /// first, so that an interrupted move leaves a folder the next build replaces.
    fn adopt(&self, manifest: &[u8]) -> Result<Committed, WriteError> {
        let real = &self.target.real;
        let mut clashes = Vec::new();
        for name in children(&self.dir).map_err(io_err(&self.dir))? {
            if name != MARKER {
                clash(real, &self.dir, Path::new(&name), &mut clashes)
                    .map_err(io_err(&self.dir))?;
            }
        }
        if !clashes.is_empty() {
            return Err(self.collision(clashes, true));
        }
        std::fs::write(real.join(MARKER), manifest).map_err(io_err(&self.target.shown))?;
        move_into(&self.dir, real, Path::new("")).map_err(io_err(&self.target.shown))?;
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(Committed::default())
    }

    /// Carries the old site's kept and foreign entries into the staging folder and exchanges it
    /// with the old site.
    fn replace(&self, owned: &Owned) -> Result<Committed, WriteError> {
        let real = &self.target.real;
        let survey = keep::survey(real, owned, &self.keep).map_err(io_err(&self.target.shown))?;
        self.check_clashes(&survey)?;
        let foreign: Vec<&Foreign> = if self.clean {
            Vec::new()
        } else {
            survey.foreign.iter().collect()
        };
        let linked = survey.kept.iter().chain(foreign.iter().map(|f| &f.path));
        for rel in linked {
            link_tree(&real.join(rel), &self.dir.join(rel)).map_err(io_err(&real.join(rel)))?;
        }
        let mut moved = Vec::new();
        for rel in &survey.git {
            if let Err(e) = move_entry(real, &self.dir, rel) {
                self.move_back(&moved, real);
                return Err(WriteError::Io {
                    path: real.join(rel),
                    source: e,
                });
            }
            moved.push(rel.clone());
        }
        crash_point("abort-before-swap");
        let warnings = self.swap(&moved)?;
        Ok(Committed {
            foreign: survey.foreign.iter().map(Foreign::display).collect(),
            cleaned: self.clean,
            warnings,
        })
    }

    /// Refuses the build when a kept or foreign entry of the old output stands where the new
    /// site has a file (unless both are the same bytes).
    fn check_clashes(&self, survey: &Survey) -> Result<(), WriteError> {
        let real = &self.target.real;
        let mut kept = Vec::new();
        for rel in survey.git.iter().chain(&survey.kept) {
            clash(&self.dir, real, rel, &mut kept).map_err(io_err(&self.dir))?;
        }
        if !kept.is_empty() {
            return Err(self.collision(kept, true));
        }
        if self.clean {
            return Ok(());
        }
        let mut foreign = Vec::new();
        for f in &survey.foreign {
            clash(&self.dir, real, &f.path, &mut foreign).map_err(io_err(&self.dir))?;
        }
        if !foreign.is_empty() {
            return Err(self.collision(foreign, false));
        }
        Ok(())
    }

    fn collision(&self, paths: Vec<PathBuf>, kept: bool) -> WriteError {
        WriteError::Collision {
            out: self.target.shown.clone(),
            paths: paths.iter().map(|p| slash(p)).collect(),
            kept,
        }
    }

    /// Exchanges the staging folder with the output; where the file system cannot, falls back
    /// to two renames. On success the old site (now at the staging path) is removed.
    fn swap(&self, moved: &[PathBuf]) -> Result<Vec<String>, WriteError> {
        let real = &self.target.real;
        let exchanged = if fault("no-exchange") {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        } else {
            exchange(&self.dir, real)
        };
        let old = match exchanged {
            Ok(()) => self.dir.clone(),
            Err(e) if unsupported(&e) => self.two_renames(moved)?,
            Err(e) => {
                self.move_back(moved, real);
                return Err(self.swap_error(e));
            }
        };
        crash_point("abort-after-swap");
        if self
            .spare
            .as_deref()
            .is_some_and(|spare| spare::park(&old, spare))
        {
            return Ok(Vec::new());
        }
        Ok(match std::fs::remove_dir_all(&old) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!(
                "cannot remove the previous site at `{}` ({e}); the next build removes it",
                old.display()
            )],
        })
    }

    /// `out → old`, `staging → out`; if the second fails, `old → out` again. Returns where the
    /// old site is.
    fn two_renames(&self, moved: &[PathBuf]) -> Result<PathBuf, WriteError> {
        let real = &self.target.real;
        let old = self.target.sibling("old", std::process::id());
        if let Err(e) = std::fs::rename(real, &old) {
            self.move_back(moved, real);
            return Err(self.swap_error(e));
        }
        crash_point("abort-between-renames");
        let second = if fault("fail-second-rename") {
            Err(io::Error::other("injected failure"))
        } else {
            std::fs::rename(&self.dir, real)
        };
        let Err(source) = second else {
            return Ok(old);
        };
        let back = if fault("fail-rename-back") {
            Err(io::Error::other("injected failure"))
        } else {
            std::fs::rename(&old, real)
        };
        match back {
            Ok(()) => {
                self.move_back(moved, real);
                Err(self.swap_error(source))
            }
            Err(_) => {
                self.move_back(moved, &old);
                Err(WriteError::Stranded {
                    out: self.target.shown.clone(),
                    old,
                    source,
                })
            }
        }
    }

    fn swap_error(&self, source: io::Error) -> WriteError {
        WriteError::Swap {
            out: self.target.shown.clone(),
            source,
        }
    }

    /// Returns moved `.git` entries from the staging folder to `to`.
    fn move_back(&self, moved: &[PathBuf], to: &Path) {
        for rel in moved.iter().rev() {
            let _ = std::fs::rename(self.dir.join(rel), to.join(rel));
        }
    }
}

impl Staging {
    /// Puts the file at site path `path` into the staging folder by `make` (which writes or
    /// links it at the path it is given), its folder made first; a file this build already
    /// put there is removed first, as it may be linked to a file of the build cache, which
    /// writing into it in place would change.
    fn place(&self, path: &SitePath, make: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
        let dest = self.dir.join(path.as_str());
        let again = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(path.as_str());
        if again {
            std::fs::remove_file(&dest)?;
        } else if self.held.is_some() {
            self.make_way(path, &dest)?;
        } else if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        make(&dest)
    }

    /// In a claimed spare (which holds only folders and files Syllabus wrote): removes what
    /// the spare has at `dest` and makes its folder, removing spare files that stand where a
    /// folder is needed. What this build wrote is never removed: that clash fails as it would
    /// in a new folder.
    fn make_way(&self, path: &SitePath, dest: &Path) -> io::Result<()> {
        match std::fs::symlink_metadata(dest) {
            Ok(m) if m.is_dir() => {
                if !self.wrote_below(path.as_str()) {
                    std::fs::remove_dir_all(dest)?;
                }
                return Ok(());
            }
            Ok(_) => return std::fs::remove_file(dest),
            Err(_) => {}
        }
        let Some(parent) = dest.parent() else {
            return Ok(());
        };
        if std::fs::create_dir_all(parent).is_ok() {
            return Ok(());
        }
        let mut folder = String::new();
        for part in path
            .as_str()
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(part);
            let at = self.dir.join(&folder);
            let written = || {
                let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
                written.contains(&folder)
            };
            if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) && !written() {
                std::fs::remove_file(&at)?;
            }
        }
        std::fs::create_dir_all(parent)
    }

    /// Whether this build wrote a file inside the folder at site path `folder`.
    fn wrote_below(&self, folder: &str) -> bool {
        let prefix = format!("{folder}/");
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix))
    }

    /// Whether the claimed spare already has the kept file at `path` (the same file: it was
    /// linked to it by the build that made the spare, and the file's bytes are checked).
    fn holds(&self, path: &SitePath, kept: &super::KeptFile) -> bool {
        if self.held.is_none() {
            return false;
        }
        let dest = self.dir.join(path.as_str());
        match (
            std::fs::symlink_metadata(&dest),
            std::fs::symlink_metadata(&kept.path),
        ) {
            (Ok(a), Ok(b)) => a.is_file() && same_file(&a, &b),
            _ => false,
        }
    }

    /// Records what putting `path` came to.
    fn record(&self, path: &SitePath, result: io::Result<()>) {
        match result {
            Ok(()) => {
                self.written
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.as_str().to_string());
            }
            Err(source) => {
                let mut slot = self.error.lock().unwrap_or_else(|e| e.into_inner());
                slot.get_or_insert(WriteError::Io {
                    path: self.dir.join(path.as_str()),
                    source,
                });
            }
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        let written = self.place(path, |dest| std::fs::write(dest, bytes));
        self.record(path, written);
    }

    /// Links the file to the build cache's copy (no bytes written: most of a rebuild's
    /// output is pages the cache holds); where links cannot be made (another file system,
    /// too many links), writes the bytes, and stops trying links for this build.
    fn put_kept(&self, path: &SitePath, kept: &super::KeptFile) {
        let first = !self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(path.as_str());
        if first && self.holds(path, kept) {
            return self.record(path, Ok(()));
        }
        if !self.no_links.load(Ordering::Relaxed) {
            let linked = self.place(path, |dest| std::fs::hard_link(&kept.path, dest));
            match linked {
                Ok(()) => return self.record(path, Ok(())),
                // Gone since it was read (another build swept it): this file is written.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(_) => self.no_links.store(true, Ordering::Relaxed),
            }
        }
        let written = kept
            .read()
            .and_then(|bytes| self.place(path, |dest| std::fs::write(dest, bytes.as_slice())));
        self.record(path, written);
    }

    /// Pages are linked to the cache's files, or read from them where links fail.
    fn wants_kept_bytes(&self) -> bool {
        false
    }
}

/// Checks that `out` may hold the site: not the project, nor inside its content directory,
/// `static/` or `templates/` (where the next build would read it). `syllabus check` runs this on
/// `[build] build-dir` too.
pub fn check_location(out: &Path, options: &Options<'_>) -> Result<(), WriteError> {
    locate(out, options).map(|_| ())
}

fn locate(out: &Path, options: &Options<'_>) -> Result<Target, WriteError> {
    let root = resolve(options.root).map_err(io_err(options.root))?;
    let real = resolve(out).map_err(io_err(out))?;
    if root.starts_with(&real) || real.file_name().is_none() {
        return Err(WriteError::HoldsProject(out.to_path_buf()));
    }
    let content = options.content_dir.trim_end_matches('/');
    let sources = [
        (content, format!("the content directory `{content}`")),
        ("static", "`static/`".to_string()),
        ("templates", "`templates/`".to_string()),
    ];
    for (dir, inside) in sources {
        let path = options.root.join(dir);
        let dir_real = resolve(&path).map_err(io_err(&path))?;
        if real.starts_with(&dir_real) {
            return Err(WriteError::InsideProjectFiles {
                out: out.to_path_buf(),
                inside,
            });
        }
    }
    let id = pathdiff::diff_paths(&real, &root).map_or_else(|| slash(&real), |p| slash(&p));
    Ok(Target {
        shown: out.to_path_buf(),
        real,
        id,
    })
}

/// The real path of `path`: absolute, with symlinks resolved, also when it does not exist yet
/// (its nearest existing ancestor resolved, the rest appended) or is a dangling symlink.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    resolve_at(&std::path::absolute(path)?, 0)
}

fn resolve_at(path: &Path, depth: usize) -> io::Result<PathBuf> {
    if depth > 40 {
        return Err(io::Error::other("too many levels of symbolic links"));
    }
    match std::fs::canonicalize(path) {
        Ok(p) => return Ok(p),
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let parent = path.parent().unwrap_or(Path::new("/"));
    if let Ok(link) = std::fs::read_link(path) {
        return resolve_at(&parent.join(link), depth + 1);
    }
    match path.components().next_back() {
        Some(Component::Normal(name)) => Ok(resolve_at(parent, depth)?.join(name)),
        Some(Component::ParentDir) => {
            let p = resolve_at(parent, depth)?;
            Ok(p.parent().map_or(p.clone(), Path::to_path_buf))
        }
        Some(Component::CurDir) => resolve_at(parent, depth),
        _ => Ok(path.to_path_buf()),
    }
}

/// What the output holds now, or why it may not be replaced.
fn previous(target: &Target, keep: &Keep) -> Result<Previous, WriteError> {
    let shown = &target.shown;
    match std::fs::symlink_metadata(&target.real) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Previous::Missing),
        Err(e) => return Err(io_err(shown)(e)),
        Ok(m) if !m.is_dir() => return Err(WriteError::NotADirectory(shown.clone())),
        Ok(_) => {}
    }
    match manifest::read(&target.real).map_err(io_err(shown))? {
        Marker::Legacy => Ok(Previous::Site(Owned::All)),
        Marker::Manifest(Manifest {
            folder,
            files: Some(files),
            ..
        }) if folder == target.id => Ok(Previous::Site(Owned::Files(files))),
        Marker::Manifest(m) if m.folder != target.id => Err(WriteError::CopiedMarker {
            out: shown.clone(),
            folder: m.folder,
        }),
        Marker::Manifest(_) | Marker::Unreadable => {
            Err(WriteError::UnreadableMarker(shown.clone()))
        }
        Marker::Absent => {
            let survey = keep::survey(&target.real, &Owned::Files(BTreeSet::new()), keep)
                .map_err(io_err(shown))?;
            match survey.foreign.iter().find(|f| !f.empty) {
                None => Ok(Previous::Adopt),
                Some(f) => Err(WriteError::Foreign {
                    out: shown.clone(),
                    first: f.display(),
                }),
            }
        }
    }
}
/// Faults injected into the swap, for tests only: `SYLLABUS_DEBUG_FAULTS=name,…` in a debug
/// build (`tests/output.rs` uses them to interrupt a build between its steps). Release builds
/// compile this to nothing.
#[cfg(debug_assertions)]
fn fault(name: &str) -> bool {
    std::env::var("SYLLABUS_DEBUG_FAULTS").is_ok_and(|v| v.split(',').any(|f| f == name))
}

#[cfg(not(debug_assertions))]
fn fault(_: &str) -> bool {
    false
}

/// Dies here, as a killed build would, when the fault is injected.
fn crash_point(name: &str) {
    if fault(name) {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_missing_tails() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("real")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("real"), root.join("link")).unwrap();
            std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling")).unwrap();
            assert_eq!(resolve(&root.join("link")).unwrap(), root.join("real"));
            assert_eq!(
                resolve(&root.join("dangling")).unwrap(),
                root.join("nowhere")
            );
            assert_eq!(
                resolve(&root.join("link/new/site")).unwrap(),
                root.join("real/new/site")
            );
        }
        assert_eq!(
            resolve(&root.join("a/b/../c")).unwrap(),
            root.join("a/c"),
            "a missing tail is normalised"
        );
    }
}
