//! Offline search in a real browser (headless Chromium; skipped without it unless
//! SYLLABUS_BROWSER_TESTS=1, see tests/support/browser.rs): the bundled course is built by the
//! real binary, served as a static host would, and searched by typing into the header's box.

use crate::support;

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
    page.wait_for_search_results(WORD);
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
    page.wait_for_search_results(WORD2);
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
    page.wait_for_search_results("dockerf");
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
            page.wait_for_search_results("layer cach");
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
    page.wait_for_search_results(WORD);
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

/// The reader splits a query into terms by the rules the index was made with: on a fixed text,
/// `search.js`'s tokenizer (run in Chromium) finds exactly the terms the build indexed.
#[test]
fn rust_and_javascript_tokenizers_agree() {
    const TEXT: &str = "Docker-Compose builds the images; uv runs requirements.txt and \
        x86_64 wheels. Policies, classes, statuses, analysis, buses, boxes, the heroes' CPUs. \
        Ça marche: naïve ÉCOLE, Straße über-cool, 東京 ２０２４, v1.2.3 node.js a I to of \
        8080 1234567 C++ e-mail_address.example.com \
        averyveryveryverylongwordthatgoesonandon_and-a-very-very-long-compound-word-indeed.";
    let built = support::build_project(&[(
        "content/README.md",
        format!("---\ntitle: Docker\n---\n{TEXT}\n").as_bytes(),
    )]);
    let mut rust: Vec<String> = indexed_terms(&built);
    rust.sort();
    assert!(rust.len() > 30, "{rust:?}");

    let Some(browser) = Browser::launch() else {
        return;
    };
    let script = std::fs::read_to_string(project().join("static/assets/search.js")).unwrap();
    let page = browser.blank_page(Viewport::DESKTOP);
    let text = serde_json::to_string(TEXT).unwrap();
    let mut js: Vec<String> = page.eval(&format!(
        "(() => {{ {}\n const q = parse({text});\n\
           return [...new Set(q.words.map(w => w.exact).concat(q.compounds))]; }})()",
        tokenizer(&script)
    ));
    js.sort();
    assert_eq!(js, rust, "search.js and the index disagree on terms");
}

/// Every term of a built site's index.
fn indexed_terms(built: &support::Built) -> Vec<String> {
    let mut terms = Vec::new();
    for (path, bytes) in &built.files {
        if path.starts_with("assets/search/t/") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let json = &text[text.find(',').unwrap() + 1..text.rfind(')').unwrap()];
            let lines: String = serde_json::from_str(json).unwrap();
            terms.extend(
                lines
                    .lines()
                    .map(|l| l.split(' ').next().unwrap().to_string()),
            );
        }
    }
    terms
}

/// `search.js`'s term rules alone: its constants and the functions of its "Terms" section.
fn tokenizer(script: &str) -> String {
    let constants = ["STOP", "MAX_TERM", "WORD", "COMPOUND", "MIN_PREFIX"];
    let mut code: String = script
        .lines()
        .filter(|l| {
            constants
                .iter()
                .any(|c| l.trim_start().starts_with(&format!("var {c} = ")))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(code.lines().count(), constants.len(), "{code}");
    let start = script.find("/* Terms:").expect("a Terms section");
    let end = script[start..]
        .find("/* Searching")
        .expect("the section after it")
        + start;
    code.push_str(&script[start..end]);
    code
}
