//! Offline search in a real browser (headless Chromium; skipped without it unless
//! SYLLABUS_BROWSER_TESTS=1, see tests/support/browser.rs): the bundled course is built by the
//! real binary, served as a static host would, and searched by typing into the header's box.

mod support;

use headless_chrome::browser::tab::ModifierKey;
use std::path::{Path, PathBuf};
use support::browser::{Browser, ColorScheme, Page, SiteServer, Viewport};

/// A word that occurs once in the bundled course, in a code block of one lesson's
/// `### Checking what Docker sees` subsection (`{{.MemTotal}}`).
const WORD: &str = "memtotal";
const LESSON: &str = "docker-installation-and-setup/";
const SECTION: &str = "checking-what-docker-sees";

/// A word of body text in one lesson's `## containerd: the container supervisor` section.
const WORD2: &str = "donated";
const LESSON2: &str = "docker-engine-architecture/";
const SECTION2: &str = "containerd-the-container-supervisor";

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled course built into a fresh directory, with extra `syllabus build` arguments.
fn build(extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::Builder::new()
        .prefix("syllabus-search-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let site = out.path().join("site");
    let (code, stderr) = support::build(project(), &site, extra);
    assert_eq!(code, 0, "building the bundled course failed:\n{stderr}");
    out
}

fn site(out: &tempfile::TempDir) -> PathBuf {
    out.path().join("site")
}

/// The test words really are in one lesson only, so a content change fails loudly here.
fn assert_unique(word: &str, file_part: &str) {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(project().join("content")) {
        let entry = entry.expect("walk content");
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if text.to_lowercase().contains(word) {
            files.push(entry.path().display().to_string());
        }
    }
    assert!(
        files.len() == 1 && files[0].contains(file_part),
        "`{word}` should be in one lesson ({file_part}), found in {files:?}; pick another word"
    );
}

/// Focuses the box with `/` (opening it first on a phone) and types `text`.
fn type_query(page: &Page, text: &str) {
    if page.viewport.mobile {
        page.click(".search-toggle");
    } else {
        page.press_key("/");
    }
    page.wait_for("document.activeElement && document.activeElement.id === 'search-input'");
    page.tab().type_str(text).expect("type the query");
}

/// Waits until the results shown are all those of the whole `query` (not of a prefix typed
/// on the way, nor the first few shown while typing).
fn wait_for_results(page: &Page, query: &str) {
    page.wait_for(&format!(
        "(() => {{ const s = document.getElementById('search').dataset;\
           return document.getElementById('search-input').getAttribute('aria-expanded') === 'true'\
             && s.shown === {query:?} && s.complete === 'true'; }})()"
    ));
}

/// Title, heading and snippet HTML of every result shown.
fn results(page: &Page) -> Vec<(String, String, String, String)> {
    page.eval(
        "Array.from(document.querySelectorAll('#search-results [role=option]')).map(o => [\
           o.querySelector('.search-result-title').textContent,\
           (o.querySelector('.search-result-heading') || {textContent: ''}).textContent,\
           (o.querySelector('.search-result-snippet') || {innerHTML: ''}).innerHTML,\
           o.querySelector('a').href])",
    )
}

#[test]
fn typing_a_word_from_one_lesson_finds_it_and_enter_opens_its_section() {
    assert_unique(WORD, "docker-installation-and-setup");
    let Some(browser) = Browser::launch() else {
        return;
    };
    let out = build(&[]);
    let server = SiteServer::start(&site(&out), "/");
    let page = browser.open(&server.url("container-fundamentals/"), Viewport::DESKTOP);
    assert_eq!(
        page.eval::<String>("document.querySelector('[role=search] input[type=search]').id"),
        "search-input"
    );
    type_query(&page, WORD);
    wait_for_results(&page, WORD);
    let shown = results(&page);
    assert_eq!(shown.len(), 1, "one lesson has the word: {shown:?}");
    let (title, heading, snippet, href) = &shown[0];
    assert!(title.contains("Docker Installation"), "{title}");
    assert_eq!(heading, "Checking what Docker sees");
    assert!(
        snippet.contains("<mark>MemTotal</mark>"),
        "the match is highlighted: {snippet}"
    );
    assert_eq!(href, &server.url(&format!("{LESSON}#{SECTION}")));
    let status: String = page.eval("document.querySelector('.search-status').textContent");
    assert!(
        status.starts_with("1 result"),
        "the count is announced: {status}"
    );

    page.expect_navigation(|| page.press_key("Enter"));
    assert_eq!(page.url(), server.url(&format!("{LESSON}#{SECTION}")));
    let target: bool = page.eval(&format!("!!document.getElementById('{SECTION}')"));
    assert!(target, "the section exists on the page it landed on");
    page.assert_no_problems();
}

#[test]
fn under_a_sub_path_on_a_phone_a_click_opens_the_result() {
    assert_unique(WORD2, "docker-engine-architecture");
    let Some(browser) = Browser::launch() else {
        return;
    };
    let out = build(&["--base-url", "/course/"]);
    let server = SiteServer::start(&site(&out), "/course/");
    let page = browser.open(&server.url(""), Viewport::PHONE);
    let hidden: bool =
        page.eval("getComputedStyle(document.querySelector('.search-box')).display === 'none'");
    assert!(hidden, "on a phone the box waits behind its button");
    type_query(&page, WORD2);
    wait_for_results(&page, WORD2);
    let shown = results(&page);
    assert_eq!(
        shown[0].3,
        server.url(&format!("{LESSON2}#{SECTION2}")),
        "{shown:?}"
    );
    let fits: bool = page.eval(
        "(() => { const r = document.querySelector('.search-panel').getBoundingClientRect();\
           return r.left >= 0 && r.right <= innerWidth + 0.5 && r.width > innerWidth * 0.9; })()",
    );
    assert!(fits, "the results span the phone's width");
    page.expect_navigation(|| page.click("#search-results [role=option] a"));
    assert_eq!(page.url(), server.url(&format!("{LESSON2}#{SECTION2}")));
    page.assert_no_problems();
}

#[test]
fn keyboard_moves_through_results_and_escape_closes_them() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let out = build(&[]);
    let server = SiteServer::start(&site(&out), "/");
    let page = browser.open(&server.url(""), Viewport::DESKTOP);
    page.tab()
        .press_key_with_modifiers("k", Some(&[ModifierKey::Ctrl]))
        .expect("Ctrl-K");
    page.wait_for("document.activeElement.id === 'search-input'");
    // The last word is a prefix while it is being typed.
    page.tab().type_str("dockerf").expect("type");
    wait_for_results(&page, "dockerf");
    let n: usize = page.eval("document.querySelectorAll('#search-results [role=option]').length");
    assert!(n > 1, "a common prefix finds several sections: {n}");
    let marked: String = page.eval("document.querySelector('#search-results mark').textContent");
    assert!(marked.to_lowercase().starts_with("dockerf"), "{marked}");
    page.press_key("ArrowDown");
    page.press_key("ArrowDown");
    let active: String =
        page.eval("document.getElementById('search-input').getAttribute('aria-activedescendant')");
    assert_eq!(active, "search-result-1");
    let selected: String =
        page.eval("document.querySelector('[role=option][aria-selected=true]').id");
    assert_eq!(selected, active);
    page.press_key("Escape");
    let expanded: String =
        page.eval("document.getElementById('search-input').getAttribute('aria-expanded')");
    assert_eq!(expanded, "false");
    assert!(page.eval::<bool>("document.querySelector('.search-panel').hidden"));
    page.assert_no_problems();
}

#[test]
fn results_are_readable_in_light_and_dark() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let out = build(&[]);
    let server = SiteServer::start(&site(&out), "/");
    for scheme in [ColorScheme::Light, ColorScheme::Dark] {
        for viewport in Viewport::ALL {
            let page = browser.blank_page(viewport);
            page.set_color_scheme(scheme);
            page.goto(&server.url("container-fundamentals/"));
            type_query(&page, "layer cach");
            wait_for_results(&page, "layer cach");
            // The panel is opaque and its text differs from its background.
            let (bg, fg, mark_bg): (String, String, String) = page.eval(
                "(() => { const p = getComputedStyle(document.querySelector('.search-panel'));\
                   const t = getComputedStyle(document.querySelector('.search-result-title'));\
                   const m = getComputedStyle(document.querySelector('#search-results mark'));\
                   return [p.backgroundColor, t.color, m.backgroundColor]; })()",
            );
            assert!(
                !bg.contains("rgba(0, 0, 0, 0)") && bg != fg && mark_bg != bg,
                "{bg} {fg} {mark_bg}"
            );
            let dir = support::browser::screenshot_dir();
            page.screenshot(
                &dir.join(format!("search-{}-{}.png", scheme.name(), viewport.name)),
                false,
            );
            page.assert_no_problems();
        }
    }
}

/// From `file://` (built with the output directory as its base, so its own links resolve),
/// the index still loads: it is made of scripts, which browsers run from files, not fetched.
#[test]
fn search_works_from_file_urls() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let out = tempfile::Builder::new()
        .prefix("syllabus-search-file-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let dir = out.path().join("site");
    let base = format!("{}/", dir.display());
    let (code, stderr) = support::build(project(), &dir, &["--base-url", &base]);
    assert_eq!(code, 0, "{stderr}");
    let page = browser.open(
        &format!("file://{}container-fundamentals/index.html", base),
        Viewport::DESKTOP,
    );
    type_query(&page, WORD);
    wait_for_results(&page, WORD);
    let shown = results(&page);
    assert_eq!(
        shown[0].3,
        format!("file://{base}{LESSON}index.html#{SECTION}"),
        "links open the page's file"
    );
    page.expect_navigation(|| page.press_key("Enter"));
    assert_eq!(
        page.url(),
        format!("file://{base}{LESSON}index.html#{SECTION}")
    );
    page.assert_no_problems();
}

/// Bytes a search downloads, on a site built elsewhere (a benchmark course):
/// `SYLLABUS_SEARCH_SITE=/tmp/out-1000 cargo test --test search -- --ignored --nocapture
/// bytes_per_search`. Each query is entered in a fresh browser context (nothing cached)
/// three ways: pasted (one search), typed at full speed, and typed a key every 250 ms, so
/// that every prefix is searched as a slow typist's would be. `SYLLABUS_SEARCH_QUERIES`
/// (comma-separated) replaces the default queries.
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn bytes_per_search() {
    let Ok(dir) = std::env::var("SYLLABUS_SEARCH_SITE") else {
        eprintln!("set SYLLABUS_SEARCH_SITE to a built site");
        return;
    };
    let Some(browser) = Browser::launch() else {
        return;
    };
    let queries = std::env::var("SYLLABUS_SEARCH_QUERIES").unwrap_or_else(|_| {
        "retry,database migration,pytest fixture mock,kubernetes deployment rollout,fastapi"
            .to_string()
    });
    let server = SiteServer::start(Path::new(&dir), "/");
    let index_bytes: u64 = walkdir::WalkDir::new(Path::new(&dir).join("assets/search"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok().filter(|m| m.is_file()).map(|m| m.len()))
        .sum();
    eprintln!("index on disk: {:.1} MB", index_bytes as f64 / 1e6);
    for query in queries.split(',') {
        for how in ["pasted", "typed", "slowly"] {
            let page = browser.open(&server.url("404.html"), Viewport::DESKTOP);
            page.press_key("/");
            page.wait_for("document.activeElement.id === 'search-input'");
            match how {
                "pasted" => page.eval::<bool>(&format!(
                    "(() => {{ const i = document.activeElement; i.value = {query:?};\
                       return i.dispatchEvent(new Event('input')); }})()"
                )),
                "typed" => page.tab().type_str(query).map(|_| true).expect("type"),
                _ => query.chars().all(|c| {
                    page.tab().type_str(&c.to_string()).expect("type");
                    std::thread::sleep(std::time::Duration::from_millis(250));
                    true
                }),
            };
            wait_for_results(&page, query);
            let (files, bytes, shown): (u64, u64, u64) = page.eval(
                "(() => { const r = performance.getEntriesByType('resource')\
                   .filter(e => e.name.includes('/assets/search/'));\
                   return [r.length, r.reduce((n, e) => n + e.decodedBodySize, 0),\
                   document.querySelectorAll('#search-results [role=option]').length]; })()",
            );
            eprintln!(
                "{query:>30} {how:>6}: {shown:>2} results, {files:>2} files, {:>7.1} KB",
                bytes as f64 / 1e3
            );
            page.assert_no_problems();
        }
    }
}
