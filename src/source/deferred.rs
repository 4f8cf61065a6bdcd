//! A project whose Markdown is read when a step needs it, not all at once (issue 15: a
//! 100,000-lesson course is 1.2 GB of Markdown, which a build need not hold). Still the
//! only place that reads the project: the core asks [`SourceSet::bytes`].

use super::{read_with, SourceSet};
use crate::diagnostic::Diagnostic;
use crate::memo::KeyHasher;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where the unread files are, and the hash of each as first read, so that a file changed
/// while the build runs is an error rather than a page made of two versions.
#[derive(Debug)]
pub struct OnDisk {
    dir: PathBuf,
    first: Vec<OnceLock<u64>>,
}

/// [`super::read`], with the content's Markdown files (`.md`, `.mdx`) listed but not read:
/// each is read when the build parses its front matter and again when its page renders, and
/// let go in between. For `syllabus build` and `check`; `serve` keeps its snapshot in memory.
pub fn read_deferred(root: &Path) -> Result<SourceSet, Diagnostic> {
    let mut sources = read_with(root, is_markdown)?;
    let dir = root.join(&sources.config.book.src);
    let first = sources.content.iter().map(|_| OnceLock::new()).collect();
    sources.on_disk = Some(Arc::new(OnDisk { dir, first }));
    Ok(sources)
}

/// The files [`read_deferred`] leaves on disk (as `content::paths::is_markdown`).
pub(super) fn is_markdown(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".mdx")
}

impl SourceSet {
    /// Content file `index`'s bytes: held, or read now when the set was read with
    /// [`read_deferred`]. A file that cannot be read any more, or no longer has the bytes it
    /// had when first read in this build, is an error at its path.
    pub(crate) fn bytes(&self, index: usize) -> Result<Cow<'_, [u8]>, Diagnostic> {
        let file = &self.content[index];
        let Some(disk) = self.on_disk.as_ref().filter(|_| is_markdown(&file.path)) else {
            return Ok(Cow::Borrowed(&file.bytes));
        };
        let display = format!("{}/{}", self.content_dir, file.path);
        let bytes = std::fs::read(disk.dir.join(&file.path))
            .map_err(|e| Diagnostic::error(&display, 0, 0, format!("cannot read file: {e}")))?;
        let hash = KeyHasher::key(|h| {
            h.bytes(&bytes);
        });
        match disk.first.get(index) {
            Some(first) if *first.get_or_init(|| hash) != hash => Err(Diagnostic::error(
                display,
                0,
                0,
                "the file changed while the build was running",
            )
            .with_help("build again once it is saved")),
            _ => Ok(Cow::Owned(bytes)),
        }
    }

    /// Starts a new build of this set (`serve` keeps one set for many builds): a file may
    /// have changed since the last build read it.
    pub fn start_build(&mut self) {
        if let Some(disk) = &self.on_disk {
            let first = self.content.iter().map(|_| OnceLock::new()).collect();
            let dir = disk.dir.clone();
            self.on_disk = Some(Arc::new(OnDisk { dir, first }));
        }
    }

    /// Reads the project again as this set was read (Markdown left on disk or not).
    pub(super) fn read_again(&self, root: &Path) -> Result<SourceSet, Diagnostic> {
        if self.is_deferred() {
            read_deferred(root)
        } else {
            super::read(root)
        }
    }

    /// True when the content's Markdown is read as the build needs it.
    pub(crate) fn is_deferred(&self) -> bool {
        self.on_disk.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_read_when_asked_and_a_change_meanwhile_is_an_error() {
        let dir = std::env::temp_dir().join(format!("syllabus-deferred-{}", std::process::id()));
        let content = dir.join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("a.md"), "# A\n").unwrap();
        std::fs::write(content.join("b.png"), "png").unwrap();
        let sources = read_deferred(&dir).unwrap();
        let index = |p: &str| sources.content.iter().position(|f| f.path == p).unwrap();
        let (a, png) = (index("a.md"), index("b.png"));
        assert!(sources.content[a].bytes.is_empty(), "not read by the walk");
        assert_eq!(sources.content[png].bytes, b"png", "not Markdown: held");
        assert_eq!(&*sources.bytes(a).unwrap(), b"# A\n");
        assert_eq!(&*sources.bytes(a).unwrap(), b"# A\n", "same bytes: fine");
        std::fs::write(content.join("a.md"), "# B\n").unwrap();
        let changed = sources.bytes(a).unwrap_err();
        assert_eq!(changed.path, "content/a.md");
        assert!(changed.message.contains("changed"), "{}", changed.message);
        std::fs::remove_file(content.join("a.md")).unwrap();
        let gone = sources.bytes(a).unwrap_err();
        assert!(gone.message.contains("cannot read"), "{}", gone.message);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_set_kept_between_builds_reads_what_changed_since_the_last_one() {
        let dir = std::env::temp_dir().join(format!("syllabus-kept-{}", std::process::id()));
        let content = dir.join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("a.md"), "# A\n").unwrap();
        let mut sources = read_deferred(&dir).unwrap();
        assert_eq!(&*sources.bytes(0).unwrap(), b"# A\n");
        std::fs::write(content.join("a.md"), "# B\n").unwrap();
        std::fs::write(content.join("c.md"), "# C\n").unwrap();
        let changed = [PathBuf::from("content/a.md"), PathBuf::from("content/c.md")];
        sources.refresh(&dir, &changed).unwrap();
        sources.start_build();
        assert!(
            sources.content.iter().all(|f| f.bytes.is_empty()),
            "left on disk"
        );
        assert_eq!(
            &*sources.bytes(0).unwrap(),
            b"# B\n",
            "a new build: no error"
        );
        assert_eq!(&*sources.bytes(1).unwrap(), b"# C\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
