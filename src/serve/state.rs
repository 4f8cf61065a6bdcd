//! The served site: the files of the last good build held in memory, swapped whole after
//! each rebuild, with the errors of the latest build for the overlay, and the live-reload
//! channel that tells browsers what changed.

use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{broadcast, watch};

/// Site files by site-relative path (`a/b/index.html`), shared between builds where unchanged.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// One published state of the site.
#[derive(Debug, Default)]
pub(crate) struct Site {
    /// The files of the last build without errors (empty until there is one), but for the
    /// search index.
    pub files: Arc<Files>,
    /// The search index's files, kept apart: rebuilds leave them out (see `builder`).
    pub search: Arc<Files>,
    /// The index published before `search`, still answered for a browser that loaded its
    /// manifest (see [`Site::for_search_version`]).
    pub older_search: Option<Arc<Files>>,
    /// Whether `files` is a good build; false until the first build without errors.
    pub good: bool,
    /// Whether any build finished yet (false while the first build runs).
    pub ready: bool,
    /// The path the site lives under (`/` or `/course/`).
    pub base: String,
    pub title: String,
    /// Errors of the latest build, shown in the overlay.
    pub errors: Vec<Diagnostic>,
    /// Counts published changes; browsers compare it to know they missed one.
    pub build: u64,
    /// Entity tags of the files served so far, made when first asked for.
    pub(super) etags: Mutex<HashMap<String, String>>,
}

impl Site {
    /// A site file, search index included.
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.files.get(path).or_else(|| self.search.get(path))
    }

    pub(crate) fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// This site as a browser sees it that loaded the search manifest of `version` (the `v`
    /// a search asks the other files of the index at `path` with, `ur/assets/search/t/0.js`):
    /// the published index if its manifest for that locale has the version, else the older
    /// one if it has; neither ([`Pinned::Gone`]): the browser must read the manifest again,
    /// never mix one index's manifest with another's files.
    pub(crate) fn for_search_version(&self, version: &str, path: &str) -> Pinned {
        let locale = locale_prefix(path);
        if index_version(&self.search, locale).as_deref() == Some(version) {
            return Pinned::Current;
        }
        match &self.older_search {
            Some(older) if index_version(older, locale).as_deref() == Some(version) => {
                Pinned::Older(Site {
                    search: older.clone(),
                    ..self.successor()
                })
            }
            _ => Pinned::Gone,
        }
    }

    /// The entity tag of file `path`, whose bytes are `bytes` (hashed once per published
    /// site: a course's video is not read again for every range a player asks for).
    pub(crate) fn etag(&self, path: &str, bytes: &[u8]) -> String {
        let mut etags = self.etags.lock().unwrap_or_else(|e| e.into_inner());
        etags
            .entry(path.to_string())
            .or_insert_with(|| super::conditional::etag(bytes))
            .clone()
    }

    /// The next published state, as this one until changed.
    fn successor(&self) -> Site {
        Site {
            files: self.files.clone(),
            search: self.search.clone(),
            older_search: self.older_search.clone(),
            good: self.good,
            ready: self.ready,
            base: self.base.clone(),
            title: self.title.clone(),
            errors: self.errors.clone(),
            build: self.build,
            etags: Mutex::default(),
        }
    }
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Reload if showing one of `pages` (site paths, such as `/course/a/`), or any page
    /// when `pages` is `None`.
    Reload {
        /// The published build this event announces.
        build: u64,
        /// The pages to reload, if only some.
        pages: Option<Vec<String>>,
    },
    /// Only stylesheets changed: swap these (site paths) without a reload.
    Css {
        /// The published build this event announces.
        build: u64,
        /// The stylesheets to swap.
        files: Vec<String>,
        /// What each of `files` becomes: itself, or its new hashed name (issue 18).
        to: Vec<String>,
    },
}

impl LiveEvent {
    /// The published build this event announces.
    pub fn build(&self) -> u64 {
        match self {
            LiveEvent::Reload { build, .. } | LiveEvent::Css { build, .. } => *build,
        }
    }
}

/// The path a project's site lives under: the path of `[site] base-url` (`/` by default).
pub fn base_path(config: &crate::config::Config) -> String {
    config
        .site
        .base_url
        .as_deref()
        .and_then(|raw| crate::config::BaseUrl::parse(raw).ok())
        .map_or_else(|| "/".to_string(), |b| b.path)
}

/// At most this many pages are named in a reload event; more reload every page.
const MAX_NAMED_PAGES: usize = 64;

/// The server's shared state: the current site, the live-reload channel, and the signal
/// that ends live-reload streams on shutdown.
pub struct State {
    site: RwLock<Arc<Site>>,
    events: broadcast::Sender<LiveEvent>,
    /// Differs between server runs, so that a browser notices a restart.
    pub server_id: String,
    shutdown: watch::Sender<bool>,
    /// True while the served search index lags behind the pages.
    search_stale: watch::Sender<bool>,
    /// Where to ask for a fresh search index (the build loop).
    requests: Mutex<Option<std::sync::mpsc::Sender<super::watch::Message>>>,
}

/// What a build produced, for [`State::publish`].
pub enum Outcome {
    /// The build ran: its files, and its errors (none for a good build).
    Built {
        /// Every site file, by site path.
        files: Files,
        /// The path the site lives under (`/` or `/course/`).
        base: String,
        /// The site's title.
        title: String,
        /// The build's errors.
        errors: Vec<Diagnostic>,
    },
    /// The project could not be read (say, a broken book.toml).
    Unreadable {
        /// Why.
        errors: Vec<Diagnostic>,
    },
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl State {
    /// A state with nothing built yet.
    pub fn new() -> State {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        State {
            site: RwLock::new(Arc::new(Site {
                base: "/".into(),
                ..Site::default()
            })),
            events: broadcast::channel(64).0,
            server_id: format!("{:x}-{nanos:x}", std::process::id()),
            shutdown: watch::channel(false).0,
            search_stale: watch::channel(false).0,
            requests: Mutex::new(None),
        }
    }

    /// Connects the state to the build loop that answers search-index requests.
    pub(crate) fn set_requests(&self, tx: std::sync::mpsc::Sender<super::watch::Message>) {
        *self.requests.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
    }

    pub(crate) fn search_is_stale(&self) -> bool {
        *self.search_stale.borrow()
    }

    pub(crate) fn set_search_stale(&self, stale: bool) {
        self.search_stale.send_replace(stale);
    }

    /// Asks the build loop to bring a stale search index up to date now rather than after
    /// the saves pause; does not wait: until then, searches read the index published last.
    pub(crate) fn ask_for_search(&self) {
        if !self.search_is_stale() {
            return;
        }
        let tx = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = tx.as_ref() {
            let _ = tx.send(super::watch::Message::IndexSearch);
        }
    }

    /// Swaps in a new search index (the files under its folder) without telling browsers.
    pub(crate) fn publish_search(&self, mut files: Files) {
        let search = take_search(&mut files);
        let mut slot = self.site.write().unwrap_or_else(|e| e.into_inner());
        let old = slot.clone();
        *slot = Arc::new(Site {
            search: Arc::new(search),
            older_search: (!old.search.is_empty()).then(|| old.search.clone()),
            ..old.successor()
        });
    }

    /// The site as now published.
    pub(crate) fn site(&self) -> Arc<Site> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A receiver of live-reload events.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    /// Live-reload clients connected now.
    pub fn clients(&self) -> usize {
        self.events.receiver_count()
    }

    /// Resolves when the server shuts down.
    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Ends live-reload streams so that connections can close.
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Publishes a build: a good build replaces the files; a build with errors keeps the
    /// last good files and shows its errors. Tells browsers what changed, if anything.
    pub fn publish(&self, outcome: Outcome) -> Option<LiveEvent> {
        let mut slot = self.site.write().unwrap_or_else(|e| e.into_inner());
        let old = slot.clone();
        let mut next = Site {
            ready: true,
            errors: Vec::new(),
            ..old.successor()
        };
        match outcome {
            Outcome::Built {
                mut files,
                base,
                title,
                errors,
            } => {
                if errors.is_empty() {
                    let search = take_search(&mut files);
                    if !search.is_empty() {
                        next.search = Arc::new(search);
                    }
                    next.files = Arc::new(files);
                    next.good = true;
                    next.base = base;
                }
                if !next.good || errors.is_empty() {
                    next.title = title;
                }
                next.errors = errors;
            }
            Outcome::Unreadable { errors } => next.errors = errors,
        }
        let event = live_event(&old, &next);
        if let Some(e) = &event {
            next.build = e.build();
        }
        *slot = Arc::new(next);
        drop(slot);
        if let Some(e) = &event {
            let _ = self.events.send(e.clone());
        }
        event
    }
}

/// Which published search index answers a request that names its version.
#[derive(Debug)]
pub(crate) enum Pinned {
    /// The published one.
    Current,
    /// The one before it, in this site.
    Older(Site),
    /// Neither has that version any more.
    Gone,
}

/// The locale folder of a search file's site path (`ur/` for `ur/assets/search/t/0.js`,
/// empty for the default locale's `assets/search/…`).
fn locale_prefix(path: &str) -> &str {
    let dir = crate::site::search::DIR;
    match path.find(&format!("{dir}/")) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// The version of a locale's search index (`locale`: `` or `ur/`): the `v` of its manifest
/// (`"v":"…"`). Each locale's index has its own manifest and version.
fn index_version(files: &Files, locale: &str) -> Option<String> {
    let dir = crate::site::search::DIR;
    let manifest = files.get(&format!("{locale}{dir}/manifest.js"))?;
    // Held packed, as the index's other files (`output::is_packed_path`).
    let manifest = crate::output::unpack(manifest);
    let text = std::str::from_utf8(&manifest).ok()?;
    let start = text.find("\"v\":\"")? + 5;
    let len = text[start..].find('"')?;
    Some(text[start..start + len].to_string())
}

pub(crate) use crate::output::is_search_file;

/// Moves the search index's files (every locale's) out of `files`.
fn take_search(files: &mut Files) -> Files {
    let paths: Vec<String> = files
        .keys()
        .filter(|p| is_search_file(p))
        .cloned()
        .collect();
    paths
        .into_iter()
        .filter_map(|p| files.remove_entry(&p))
        .collect()
}

/// The event that takes a browser from `old` to `new`, if it needs one.
fn live_event(old: &Site, new: &Site) -> Option<LiveEvent> {
    let build = old.build + 1;
    if old.ready != new.ready || old.good != new.good || old.errors != new.errors {
        return Some(LiveEvent::Reload { build, pages: None });
    }
    if old.base != new.base {
        return Some(LiveEvent::Reload { build, pages: None });
    }
    let changed = changed_files(&old.files, &new.files);
    if changed.is_empty() {
        return None;
    }
    let href = |path: &str| format!("{}{path}", new.base);
    if let Some(swaps) = css_swaps(&old.files, &new.files, &changed) {
        let (files, to) = swaps.iter().map(|(a, b)| (href(a), href(b))).unzip();
        return Some(LiveEvent::Css { build, files, to });
    }
    let pages = (changed.len() <= MAX_NAMED_PAGES
        && changed.iter().all(|p| p.ends_with("index.html")))
    .then(|| {
        changed
            .iter()
            .map(|p| href(p.trim_end_matches("index.html")))
            .collect()
    });
    Some(LiveEvent::Reload { build, pages })
}

/// When only stylesheets changed, each old stylesheet path and its new one. A stylesheet
/// has a hashed name (issue 18), so an edit renames it and every page's link to it: that is
/// still a stylesheet-only change when every changed page differs only by those names.
fn css_swaps(old: &Files, new: &Files, changed: &[String]) -> Option<Vec<(String, String)>> {
    let (css, others): (Vec<&String>, Vec<&String>) =
        changed.iter().partition(|p| p.ends_with(".css"));
    if css.is_empty() {
        return None;
    }
    let stem = |p: &str| crate::site::assets::unhashed_path(p);
    let mut swaps = Vec::new();
    let (removed, added): (Vec<&String>, Vec<&String>) = css
        .iter()
        .filter(|p| !(old.contains_key(**p) && new.contains_key(**p)))
        .partition(|p| old.contains_key(**p));
    for p in css
        .iter()
        .filter(|p| old.contains_key(**p) && new.contains_key(**p))
    {
        swaps.push(((*p).clone(), (*p).clone()));
    }
    for gone in &removed {
        let mut same = added.iter().filter(|a| stem(a) == stem(gone));
        let (Some(to), None) = (same.next(), same.next()) else {
            return None;
        };
        swaps.push(((*gone).clone(), (*to).clone()));
    }
    // A stylesheet that is new (no old one of its name went): no page links it yet unless a
    // page changed too (then `others` asks for a reload below); announced as itself.
    for new_sheet in added
        .iter()
        .filter(|a| !removed.iter().any(|gone| stem(gone) == stem(a)))
    {
        swaps.push(((*new_sheet).clone(), (*new_sheet).clone()));
    }
    let renames: Vec<(&str, &str)> = swaps
        .iter()
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let only_renamed = |path: &String| {
        let (Some(was), Some(now)) = (old.get(path), new.get(path)) else {
            return false;
        };
        // Pages are held packed (`output::pack`): compared as the HTML they are.
        let (was, now) = (crate::output::unpack(was), crate::output::unpack(now));
        let (Ok(was), Ok(now)) = (std::str::from_utf8(&was), std::str::from_utf8(&now)) else {
            return false;
        };
        let mut back = now.to_string();
        for (from, to) in &renames {
            let (from_name, to_name) = (file_name(from), file_name(to));
            back = back.replace(to_name, from_name);
        }
        back == was
    };
    (others
        .iter()
        .all(|p| p.ends_with(".html") && only_renamed(p)))
    .then_some(swaps)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Paths added, removed or changed between two builds, sorted.
pub(crate) fn changed_files(old: &Files, new: &Files) -> Vec<String> {
    if std::ptr::eq(old, new) {
        return Vec::new();
    }
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| {
            old.get(*path)
                .is_none_or(|was| !Arc::ptr_eq(was, bytes) && was != *bytes)
        })
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files, HTML packed as serve's output holds it (`output::Output::packed`).
    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(p, t)| {
                let bytes = t.as_bytes().to_vec();
                let held = if crate::output::is_packed_path(p) {
                    crate::output::pack(&bytes)
                } else {
                    bytes
                };
                (p.to_string(), Arc::new(held))
            })
            .collect()
    }

    fn built(list: &[(&str, &str)], errors: Vec<Diagnostic>) -> Outcome {
        Outcome::Built {
            files: files(list),
            base: "/c/".into(),
            title: "T".into(),
            errors,
        }
    }

    #[test]
    fn first_build_then_page_css_and_no_op_rebuilds() {
        let state = State::new();
        let mut rx = state.subscribe();
        let site = [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("s.css", "x"),
        ];
        assert_eq!(
            state.publish(built(&site, vec![])),
            Some(LiveEvent::Reload {
                build: 1,
                pages: None
            })
        );
        assert_eq!(rx.try_recv().unwrap().build(), 1);
        assert_eq!(state.publish(built(&site, vec![])), None);
        let edited = [
            ("index.html", "home"),
            ("a/index.html", "A"),
            ("s.css", "x"),
        ];
        assert_eq!(
            state.publish(built(&edited, vec![])),
            Some(LiveEvent::Reload {
                build: 2,
                pages: Some(vec!["/c/a/".into()])
            })
        );
        let styled = [
            ("index.html", "home"),
            ("a/index.html", "A"),
            ("s.css", "y"),
        ];
        assert_eq!(
            state.publish(built(&styled, vec![])),
            Some(LiveEvent::Css {
                build: 3,
                files: vec!["/c/s.css".into()],
                to: vec!["/c/s.css".into()]
            })
        );
        let site = state.site();
        assert_eq!((site.build, site.base.as_str()), (3, "/c/"));
        // Issue 18: a stylesheet with a hashed name is renamed by an edit, and so is every
        // page's link to it; that is still a swap, not a reload.
        let old_css = "assets/x.0123456789abcdef.css";
        let new_css = "assets/x.fedcba9876543210.css";
        let linked = |css: &str| format!("<link href=\"/c/{css}\">");
        let (home, a) = (linked(old_css), linked(old_css) + "A");
        let hashed = [
            ("index.html", home.as_str()),
            ("a/index.html", a.as_str()),
            (old_css, "x"),
        ];
        state.publish(built(&hashed, vec![]));
        let (home, a) = (linked(new_css), linked(new_css) + "A");
        let renamed = [
            ("index.html", home.as_str()),
            ("a/index.html", a.as_str()),
            (new_css, "y"),
        ];
        assert_eq!(
            state.publish(built(&renamed, vec![])),
            Some(LiveEvent::Css {
                build: 5,
                files: vec![format!("/c/{old_css}")],
                to: vec![format!("/c/{new_css}")]
            })
        );
        // A page that changed otherwise too reloads.
        let (home, a) = (linked(old_css), linked(old_css) + "B");
        let both = [
            ("index.html", home.as_str()),
            ("a/index.html", a.as_str()),
            (old_css, "x"),
        ];
        assert!(matches!(
            state.publish(built(&both, vec![])),
            Some(LiveEvent::Reload { .. })
        ));
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files_and_shows_its_errors() {
        let state = State::new();
        state.publish(built(&[("index.html", "good")], vec![]));
        let error = Diagnostic::error("content/a.md", 3, 1, "broken link");
        let event = state.publish(built(&[("index.html", "bad")], vec![error.clone()]));
        assert_eq!(
            event,
            Some(LiveEvent::Reload {
                build: 2,
                pages: None
            })
        );
        let site = state.site();
        assert!(site.good);
        assert_eq!(&*crate::output::unpack(&site.files["index.html"]), b"good");
        assert_eq!(site.errors, [error]);
        state.publish(built(&[("index.html", "fixed")], vec![]));
        let site = state.site();
        assert!(site.errors.is_empty());
        assert_eq!(&*crate::output::unpack(&site.files["index.html"]), b"fixed");
    }

    #[test]
    fn a_first_build_that_fails_has_no_good_files() {
        let state = State::new();
        let error = Diagnostic::error("book.toml", 1, 1, "unknown key");
        state.publish(Outcome::Unreadable {
            errors: vec![error],
        });
        let site = state.site();
        assert!(site.ready && !site.good && site.files.is_empty());
    }

    #[test]
    fn changed_files_sees_additions_removals_and_edits() {
        let a = files(&[("x", "1"), ("y", "2")]);
        let b = files(&[("x", "1"), ("y", "3"), ("z", "4")]);
        assert_eq!(changed_files(&a, &b), ["y", "z"]);
        assert_eq!(changed_files(&b, &a), ["y", "z"]);
    }
}
