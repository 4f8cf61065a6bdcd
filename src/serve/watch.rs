//! Watching the project: notify events, debounced, filtered down to the files a build reads
//! (book.toml, the content dir, `templates/`, `static/`). The filter is a pure function of
//! the events, so it is tested without a file system.

use crate::config::Config;
use crate::source::is_editor_temp;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{Event, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the debouncer waits for a path to settle before reporting it. Editors write a
/// file in a burst of events within a few milliseconds; every millisecond here is a
/// millisecond of reload latency.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(10);

/// What a build reads, as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scope {
    pub root: PathBuf,
    /// The content dir, relative to the root (`content`).
    pub content: PathBuf,
    /// The build dir, relative to the root; never a source, even inside the content dir.
    pub build_dir: PathBuf,
}

impl Scope {
    pub(super) fn new(root: &Path, config: &Config) -> Scope {
        let content = config.book.src.trim_end_matches('/');
        Scope {
            root: root.to_path_buf(),
            content: PathBuf::from(if content.is_empty() { "." } else { content }),
            build_dir: PathBuf::from(&config.build.build_dir),
        }
    }

    /// The folders to watch and how: the root alone (for book.toml and for source folders
    /// appearing), and each source folder with everything below it.
    pub(super) fn watches(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for dir in [
            self.content.as_path(),
            Path::new("templates"),
            Path::new("static"),
            Path::new("i18n"),
        ] {
            let abs = self.root.join(dir);
            if dir != Path::new(".") && abs.is_dir() {
                out.push((abs, RecursiveMode::Recursive));
            }
        }
        if self.content == Path::new(".") {
            out[0].1 = RecursiveMode::Recursive;
        }
        out
    }

    /// The project-relative path of a changed file if a build reads it, else `None`.
    pub(super) fn source_path(&self, path: &Path) -> Option<PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let name = rel.file_name()?.to_string_lossy();
        if is_editor_temp(&name) || rel.starts_with(&self.build_dir) {
            return None;
        }
        if rel
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some(".git" | "node_modules")))
        {
            return None;
        }
        let read = rel == Path::new("book.toml")
            || rel.starts_with("templates")
            || rel.starts_with("static")
            || rel.starts_with("i18n")
            || self.content == Path::new(".")
            || rel.starts_with(&self.content);
        read.then(|| rel.to_path_buf())
    }
}

/// Whether an event can mean that a file's bytes changed: reads, and metadata-only changes
/// such as `touch` or `chmod`, cannot.
pub(super) fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

/// What a batch of events asks of the next build.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Changes {
    /// Re-read the whole project (the watcher lost events).
    pub everything: bool,
    /// Project-relative paths of changed sources.
    pub paths: BTreeSet<PathBuf>,
    /// A browser asked for the search index while it lagged behind the pages.
    pub search: bool,
}

impl Changes {
    pub(super) fn is_empty(&self) -> bool {
        !self.everything && self.paths.is_empty() && !self.search
    }

    /// Whether the sources changed (as opposed to only the search index being asked for).
    pub(super) fn sources_changed(&self) -> bool {
        self.everything || !self.paths.is_empty()
    }

    pub(super) fn merge(&mut self, other: Changes) {
        self.everything |= other.everything;
        self.paths.extend(other.paths);
        self.search |= other.search;
    }
}

/// The changes in a batch of events that a build must see; the rest is dropped.
pub(super) fn changes(scope: &Scope, events: &[Event]) -> Changes {
    let mut out = Changes::default();
    for event in events {
        if event.need_rescan() {
            out.everything = true;
            continue;
        }
        if !changes_content(&event.kind) {
            continue;
        }
        out.paths
            .extend(event.paths.iter().filter_map(|p| scope.source_path(p)));
    }
    out
}

/// The messages the watcher sends to the build loop.
#[derive(Debug)]
pub(crate) enum Message {
    Events(Vec<Event>),
    Error(String),
    /// Bring the search index up to date with the pages.
    IndexSearch,
    Stop,
}

/// A debounced notify watcher that sends its events to a channel.
pub(super) struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    pub(super) fn new(tx: std::sync::mpsc::Sender<Message>) -> notify::Result<Watcher> {
        let debouncer = new_debouncer(
            DEBOUNCE,
            Some(Duration::from_millis(2)),
            move |result: DebounceEventResult| {
                let message = match result {
                    Ok(events) => Message::Events(events.into_iter().map(|e| e.event).collect()),
                    Err(errors) => Message::Error(
                        errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                };
                let _ = tx.send(message);
            },
        )
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
        Ok(Watcher {
            debouncer,
            watched: Vec::new(),
        })
    }

    /// Watches what `scope` needs, and stops watching what it no longer needs. Every folder
    /// is watched anew, since a folder that was deleted and made again needs a new watch.
    pub(super) fn watch(&mut self, scope: &Scope) -> Vec<notify::Error> {
        for path in std::mem::take(&mut self.watched) {
            let _ = self.debouncer.unwatch(&path);
        }
        let mut errors = Vec::new();
        for (path, mode) in scope.watches() {
            match self.debouncer.watch(&path, mode) {
                Ok(()) => self.watched.push(path),
                Err(e) => errors.push(e),
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind, RenameMode};

    fn scope() -> Scope {
        Scope::new(Path::new("/p"), &Config::default())
    }

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    fn paths(c: &Changes) -> Vec<&str> {
        c.paths.iter().map(|p| p.to_str().unwrap()).collect()
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Content));

    #[test]
    fn editor_temp_files_are_recognised() {
        for name in [
            ".lesson.md.swp",
            ".lesson.md.swx",
            ".x.SWO",
            "4913",
            "lesson.md~",
            ".#lesson.md",
            "#lesson.md#",
            "lesson.md.tmp",
            "x.TMP",
            "lesson.md.crswap",
            "lesson.md___jb_tmp___",
            ".goutputstream-ABC123",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in [
            "lesson.md",
            "swp.md",
            "4913.md",
            "README.md",
            ".well-known",
            "_partial.md",
        ] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn keeps_sources_and_drops_everything_else() {
        let events = [
            event(WRITE, &["/p/content/01-a/lesson.md"]),
            event(WRITE, &["/p/content/01-a/.lesson.md.swp"]),
            event(WRITE, &["/p/content/01-a/4913"]),
            event(WRITE, &["/p/content/01-a/lesson.md~"]),
            event(WRITE, &["/p/content/.#lesson.md"]),
            event(WRITE, &["/p/content/x.tmp"]),
            event(WRITE, &["/p/book.toml"]),
            event(WRITE, &["/p/book.toml.tmp"]),
            event(
                EventKind::Create(CreateKind::File),
                &["/p/templates/partials/footer.html"],
            ),
            event(EventKind::Remove(RemoveKind::File), &["/p/static/a.css"]),
            event(WRITE, &["/p/public/index.html"]),
            event(WRITE, &["/p/notes.md"]),
            event(WRITE, &["/p/.git/index"]),
            event(WRITE, &["/elsewhere/content/a.md"]),
        ];
        let c = changes(&scope(), &events);
        assert!(!c.everything);
        assert_eq!(
            paths(&c),
            [
                "book.toml",
                "content/01-a/lesson.md",
                "static/a.css",
                "templates/partials/footer.html"
            ]
        );
    }

    #[test]
    fn reads_and_metadata_changes_are_not_changes() {
        let events = [
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &["/p/content/a.md"],
            ),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                &["/p/content/b.md"],
            ),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
                &["/p/content/c.md"],
            ),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &["/p/content/d.md"],
            ),
        ];
        assert_eq!(paths(&changes(&scope(), &events)), ["content/d.md"]);
    }

    #[test]
    fn an_atomic_save_counts_its_target_and_a_rescan_counts_everything() {
        let rename = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/p/content/.lesson.md.tmp", "/p/content/lesson.md"],
        );
        assert_eq!(paths(&changes(&scope(), &[rename])), ["content/lesson.md"]);
        let rescan = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        assert!(changes(&scope(), &[rescan]).everything);
    }

    #[test]
    fn the_build_dir_is_ignored_even_inside_the_content_dir() {
        let mut config = Config::default();
        config.book.src = "docs".into();
        config.build.build_dir = "docs/_site".into();
        let s = Scope::new(Path::new("/p"), &config);
        let events = [
            event(WRITE, &["/p/docs/_site/index.html"]),
            event(WRITE, &["/p/docs/a.md"]),
            event(WRITE, &["/p/content/a.md"]),
        ];
        assert_eq!(paths(&changes(&s, &events)), ["docs/a.md"]);
    }
}
