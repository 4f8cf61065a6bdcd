//! The build loop: one thread that owns the project snapshot, the watcher and the memo. It
//! waits for changes, takes everything that arrived meanwhile as one batch (so that changes
//! made during a build lead to exactly one follow-up build), patches the snapshot, runs the
//! ordinary `build` into memory and publishes the result.

use super::interrupt::{self, Interrupt};
use super::state::{Outcome, State};
use super::watch::{self, Changes, Message, Scope, Watcher};
use super::{Report, Reporter};
use crate::build::{build, BuildOptions, Resources, Retained};
use crate::diagnostic::Diagnostic;
use crate::output::Output;
use crate::source::{self, SourceSet};
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long saves must pause before the search index is rebuilt in the background: a
/// burst of saves makes one index, and a save right after one reloads without waiting.
const SEARCH_PAUSE: Duration = Duration::from_millis(200);

/// What a build did; the first one's makes the "Serving …" line.
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    /// The site's title.
    pub title: String,
    /// The path the site lives under.
    pub base: String,
    /// Pages in the site.
    pub pages: usize,
    /// Errors of the build.
    pub errors: usize,
    /// How long it took.
    pub elapsed: std::time::Duration,
    /// Pages whose HTML was made anew (the rest came from the memo).
    pub rendered: usize,
    /// Whether browsers were told to reload.
    pub reloaded: bool,
}

pub(super) struct Builder {
    root: PathBuf,
    state: Arc<State>,
    reporter: Reporter,
    resources: Resources,
    /// `None` when the next build must read the whole project.
    sources: Option<SourceSet>,
    scope: Scope,
    watcher: Option<Watcher>,
    /// Diagnostics of the previous build, so that each is printed once.
    printed: BTreeSet<Diagnostic>,
    builds: usize,
    /// Raised when a save arrives, so that background work stops for it.
    interrupt: Arc<Interrupt>,
    /// What the last good build prepared, to redo one page after a save of its body only
    /// (`build::Retained`); `None` when the next build must be the ordinary one.
    retained: Option<Retained>,
}

impl Builder {
    pub(super) fn new(
        root: &Path,
        state: Arc<State>,
        reporter: Reporter,
        tx: Sender<Message>,
    ) -> Builder {
        let config = source::read_config(root).unwrap_or_default();
        let watcher = match Watcher::new(tx) {
            Ok(w) => Some(w),
            Err(e) => {
                reporter(Report::WatchError(format!(
                    "cannot watch the project, so saves will not rebuild: {e}"
                )));
                None
            }
        };
        let scope = Scope::new(root, &config);
        Builder {
            root: root.to_path_buf(),
            interrupt: Interrupt::new(scope.clone()),
            scope,
            state,
            reporter,
            resources: Resources::with_memo(),
            sources: None,
            watcher,
            printed: BTreeSet::new(),
            builds: 0,
            retained: None,
        }
    }

    /// Builds, then rebuilds on every batch of changes until told to stop.
    pub(super) fn run(
        mut self,
        rx: Receiver<Message>,
        first: tokio::sync::oneshot::Sender<BuildSummary>,
    ) {
        let rx = interrupt::relay(rx, self.interrupt.clone());
        self.rewatch();
        let first_build = self.rebuild(&Changes {
            everything: true,
            ..Changes::default()
        });
        let _ = first.send(first_build);
        loop {
            // While the search index lags behind the pages, a pause in the saves brings it
            // up to date in the background, so that the next search finds it ready.
            let idle = self.state.search_is_stale().then_some(SEARCH_PAUSE);
            // From here on, a save interrupts the background search build below.
            self.interrupt.lower();
            let Some(changes) = next_changes(&rx, idle, &self.scope, &self.reporter) else {
                return;
            };
            if changes.sources_changed() {
                self.rebuild(&changes);
            }
            if changes.search {
                self.index_search();
            }
        }
    }

    fn rewatch(&mut self) {
        if let Some(w) = &mut self.watcher {
            for e in w.watch(&self.scope) {
                (self.reporter)(Report::WatchError(format!("cannot watch: {e}")));
            }
        }
    }

    /// Brings the snapshot up to date, builds and publishes.
    fn rebuild(&mut self, changes: &Changes) -> BuildSummary {
        let started = Instant::now();
        let paths: Vec<PathBuf> = changes.paths.iter().cloned().collect();
        let read = match self.sources.as_mut() {
            Some(sources) if !changes.everything => sources.refresh(&self.root, &paths),
            // The Markdown stays on disk, read when a step needs it (issue 15: 136 MB at
            // 10,000 lessons need not stay resident).
            _ => source::read_deferred(&self.root).map(|s| {
                self.sources = Some(s);
            }),
        };
        if let Some(sources) = self.sources.as_mut() {
            sources.start_build();
        }
        let result = match read {
            Ok(()) => {
                let sources = self.sources.as_ref().expect("sources were read");
                let scope = Scope::new(&self.root, &sources.config);
                let moved = scope != self.scope;
                self.interrupt.set_scope(&scope);
                self.scope = scope;
                let top_level = paths.iter().any(|p| p.components().count() == 1);
                if moved || (self.builds > 0 && (changes.everything || top_level)) {
                    self.rewatch();
                }
                let one_doc = (!changes.everything && !moved)
                    .then(|| self.patch(&paths))
                    .flatten();
                one_doc.unwrap_or_else(|| self.build())
            }
            Err(d) => {
                self.retained = None;
                self.sources = None;
                self.publish_unreadable(d)
            }
        };
        let done = BuildSummary {
            elapsed: started.elapsed(),
            ..result
        };
        if self.builds > 0 {
            (self.reporter)(Report::Rebuilt {
                elapsed: done.elapsed,
                pages: done.pages,
                rendered: done.rendered,
                errors: done.errors,
                reloaded: done.reloaded,
            });
        }
        self.builds += 1;
        done
    }

    fn build(&mut self) -> BuildSummary {
        let sources = self.sources.as_ref().expect("sources were read");
        let sink = Output::packed();
        // After the first build, the search index (a pass over every page's text) is left
        // out of rebuilds, so that a save reaches the browser at once; it is brought up to
        // date when a browser asks for it (`index_search`).
        let skip_search = self.builds > 0;
        let options = BuildOptions {
            skip_search,
            ..BuildOptions::default()
        };
        self.retained = None;
        let built = catch_unwind(AssertUnwindSafe(|| {
            Retained::build(sources, &options, &self.resources, &copies(sources, &sink))
        }));
        let stats = self.resources.memo.stats();
        self.resources.memo.sweep();
        let built = built.map(|(report, retained)| {
            self.retained = retained;
            report
        });
        let report = built.unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            crate::build::BuildReport {
                diagnostics: vec![Diagnostic::error(
                    "(syllabus)",
                    0,
                    0,
                    format!("internal error while building: {message}"),
                )
                .with_help("this is a bug in syllabus; the last good site is still served")],
                ..Default::default()
            }
        });
        let files = sink.into_shared();
        self.publish_built(files, report, skip_search, stats.page.misses)
    }

    /// After a save of one doc's body only: redoes that page (and the other pages of its
    /// chapter, for its print view, from the memo) and publishes the site with them, with no
    /// work that grows with the course; `None` when the ordinary build must run instead.
    fn patch(&mut self, paths: &[PathBuf]) -> Option<BuildSummary> {
        let ([path], Some(sources), Some(retained)) =
            (paths, self.sources.as_ref(), self.retained.as_mut())
        else {
            return None;
        };
        let rel = match sources.content_dir.as_str() {
            "" | "." => path.as_path(),
            dir => path.strip_prefix(dir).ok()?,
        };
        let rel = crate::output::slash_path(rel);
        if !(rel.ends_with(".md") || rel.ends_with(".mdx")) {
            return None;
        }
        let sink = Output::packed();
        let before = self.resources.memo.stats().page.misses;
        let patched = catch_unwind(AssertUnwindSafe(|| {
            retained.patch(sources, &self.resources, &copies(sources, &sink), &rel)
        }));
        let Ok(Some(patched)) = patched else {
            self.retained = None;
            return None;
        };
        let rendered = self.resources.memo.stats().page.misses - before;
        if patched.report.has_errors() {
            // Published with its errors; the next save builds in full.
            self.retained = None;
        }
        let mut files = (*self.state.site().files).clone();
        files.extend(sink.into_shared());
        Some(self.publish_built(files, patched.report, true, rendered))
    }

    /// Publishes a build's files and reports it.
    fn publish_built(
        &mut self,
        files: super::state::Files,
        report: crate::build::BuildReport,
        skip_search: bool,
        rendered: usize,
    ) -> BuildSummary {
        let sources = self.sources.as_ref().expect("sources were read");
        let base = super::state::base_path(&sources.config);
        let errors: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        self.print_new(&report.diagnostics);
        let error_count = errors.len();
        let event = self.state.publish(Outcome::Built {
            files,
            base: base.clone(),
            title: report.title.clone(),
            errors,
        });
        if skip_search && error_count == 0 && event.is_some() {
            self.state.set_search_stale(true);
        }
        BuildSummary {
            title: report.title,
            base,
            pages: report.pages,
            errors: error_count,
            elapsed: Default::default(),
            rendered,
            reloaded: event.is_some(),
        }
    }

    /// Rebuilds the search index for the pages now served (most of the build comes from
    /// the memo) and swaps it in, without telling browsers to reload. A save that arrives
    /// meanwhile stops it: the index stays stale and is made after the next pause.
    fn index_search(&mut self) {
        if !self.state.search_is_stale() {
            return;
        }
        if let Some(sources) = self.sources.as_mut() {
            sources.start_build();
        }
        if let (Some(sources), Some(retained)) = (&self.sources, self.retained.as_mut()) {
            // From what the last build kept: nothing to read, hash or prepare again, so a
            // save that arrives meanwhile waits at most for one page.
            let sink = Output::packed();
            let interrupt = &*self.interrupt;
            let cancel = || interrupt.raised();
            let done = catch_unwind(AssertUnwindSafe(|| {
                retained.index_search(sources, &self.resources, &copies(sources, &sink), &cancel)
            }));
            match done {
                Ok(Some(true)) => {
                    self.state.set_search_stale(false);
                    self.state.publish_search(sink.into_shared());
                    return;
                }
                Ok(Some(false)) => return,
                // Nothing kept (or a panic, which left nothing kept): the build below.
                Ok(None) | Err(_) => self.retained = None,
            }
        }
        if let Some(sources) = &self.sources {
            let sink = Output::packed();
            let interrupt = &*self.interrupt;
            let cancel = || interrupt.raised();
            let options = BuildOptions {
                cancel: Some(&cancel),
                search_only: true,
                ..BuildOptions::default()
            };
            let built = catch_unwind(AssertUnwindSafe(|| {
                let sink = copies(sources, &sink);
                build(sources, &options, &self.resources, &sink)
            }));
            if interrupt.raised() {
                // Not swept: the memo keeps what the pages this build skipped use.
                return;
            }
            self.resources.memo.sweep();
            // No longer stale once published: said first, so that whoever sees the new
            // index also sees it fresh.
            self.state.set_search_stale(false);
            if built.is_ok_and(|report| !report.has_errors()) {
                self.state.publish_search(sink.into_shared());
            }
        }
        self.state.set_search_stale(false);
    }

    fn publish_unreadable(&mut self, error: Diagnostic) -> BuildSummary {
        self.print_new(std::slice::from_ref(&error));
        let event = self.state.publish(Outcome::Unreadable {
            errors: vec![error],
        });
        let site = self.state.site();
        BuildSummary {
            title: site.title.clone(),
            base: site.base.clone(),
            errors: 1,
            reloaded: event.is_some(),
            ..BuildSummary::default()
        }
    }

    /// Reports the diagnostics the previous build did not have.
    fn print_new(&mut self, diagnostics: &[Diagnostic]) {
        let now: BTreeSet<Diagnostic> = diagnostics.iter().cloned().collect();
        let new: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| !self.printed.contains(*d))
            .cloned()
            .collect();
        if !new.is_empty() {
            (self.reporter)(Report::Diagnostics(new));
        }
        self.printed = now;
    }
}

/// Blocks until the watcher reports a change a build must see, then takes every message
/// already queued too: all of it makes one build. With `idle` set, a wait that long with
/// nothing to build asks for the search index instead (messages that change nothing do not
/// extend it). `None` once told to stop.
pub(super) fn next_changes(
    rx: &Receiver<Message>,
    idle: Option<Duration>,
    scope: &Scope,
    reporter: &Reporter,
) -> Option<Changes> {
    let deadline = idle.map(|pause| Instant::now() + pause);
    let mut changes = Changes::default();
    loop {
        let message = if !changes.is_empty() {
            match rx.try_recv() {
                Ok(m) => m,
                Err(TryRecvError::Empty) => return Some(changes),
                Err(TryRecvError::Disconnected) => return None,
            }
        } else if let Some(deadline) = deadline {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    changes.search = true;
                    return Some(changes);
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        } else {
            rx.recv().ok()?
        };
        match message {
            Message::Events(events) => changes.merge(watch::changes(scope, &events)),
            Message::Error(e) => reporter(Report::WatchError(e)),
            Message::IndexSearch => changes.search = true,
            Message::Stop => return None,
        }
    }
}

/// `sink` with the `[build] precompress` copies of every text file but the pages (issue 18):
/// the router sends a file as its copy when the browser accepts it.
fn copies<'a>(sources: &SourceSet, sink: &'a Output) -> crate::output::Precompress<'a> {
    let wanted = &sources.config.build.precompress;
    crate::output::Precompress::new(
        sink,
        wanted.contains(&crate::config::Encoding::Brotli),
        wanted.contains(&crate::config::Encoding::Gzip),
    )
    .except_pages()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use notify::event::{DataChange, EventKind, ModifyKind};
    use notify::Event;
    use std::sync::mpsc::channel;

    /// A watcher's report of a save to `path` (also for the relay's tests).
    pub(in crate::serve) fn save(path: &str) -> Message {
        Message::Events(vec![Event::new(EventKind::Modify(ModifyKind::Data(
            DataChange::Content,
        )))
        .add_path(PathBuf::from(path))])
    }

    #[test]
    fn changes_queued_during_a_build_make_one_batch() {
        let scope = Scope::new(Path::new("/p"), &crate::config::Config::default());
        let reporter: Reporter = Arc::new(|_| {});
        let (tx, rx) = channel();
        for i in 0..100 {
            tx.send(save(&format!("/p/content/{}.md", i % 3))).unwrap();
            tx.send(save("/p/content/.x.md.swp")).unwrap();
        }
        let batch = next_changes(&rx, None, &scope, &reporter).unwrap();
        assert_eq!(batch.paths.len(), 3);
        // Nothing left: the next call waits for the next save.
        tx.send(save("/p/public/index.html")).unwrap();
        tx.send(save("/p/content/late.md")).unwrap();
        let batch = next_changes(&rx, None, &scope, &reporter).unwrap();
        assert_eq!(
            batch.paths.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("content/late.md")]
        );
        tx.send(Message::Stop).unwrap();
        assert!(next_changes(&rx, None, &scope, &reporter).is_none());
    }

    #[test]
    fn a_pause_with_nothing_to_build_asks_for_the_search_index() {
        let scope = Scope::new(Path::new("/p"), &crate::config::Config::default());
        let reporter: Reporter = Arc::new(|_| {});
        let (tx, rx) = channel();
        // An event outside the project changes nothing, and does not keep the pause going.
        tx.send(save("/elsewhere/x.md")).unwrap();
        let pause = Some(Duration::from_millis(30));
        let idle = next_changes(&rx, pause, &scope, &reporter).unwrap();
        assert!(idle.search && !idle.sources_changed());
        // Without a pause to wait for, a save is what ends the wait.
        tx.send(save("/p/content/a.md")).unwrap();
        let saved = next_changes(&rx, None, &scope, &reporter).unwrap();
        assert!(saved.sources_changed() && !saved.search);
    }

    #[test]
    fn the_search_index_catches_up_after_a_save_without_being_asked() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/README.md"), "# Home\n\nFirst words.\n").unwrap();
        let state = Arc::new(State::new());
        let (tx, rx) = channel();
        state.set_requests(tx.clone());
        let builder = Builder::new(&root, state.clone(), Arc::new(|_| {}), tx.clone());
        let (first_tx, first_rx) = tokio::sync::oneshot::channel();
        let handle = std::thread::spawn(move || builder.run(rx, first_tx));
        first_rx.blocking_recv().unwrap();
        let before = state.site().build;

        std::fs::write(
            root.join("content/README.md"),
            "# Home\n\nZanzibar quokka.\n",
        )
        .unwrap();
        tx.send(save(root.join("content/README.md").to_str().unwrap()))
            .unwrap();
        let deadline = Instant::now() + std::time::Duration::from_secs(60);
        let indexed = |site: &super::super::state::Site| {
            site.search
                .values()
                .any(|bytes| String::from_utf8_lossy(bytes).contains("quokka"))
        };
        // No search request: the index must be rebuilt on its own once the save is served.
        while site_build(&state) == before || !indexed(&state.site()) {
            assert!(
                Instant::now() < deadline,
                "the search index was not rebuilt"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(!state.search_is_stale());
        tx.send(Message::Stop).unwrap();
        handle.join().unwrap();
    }

    fn site_build(state: &State) -> u64 {
        state.site().build
    }
}
