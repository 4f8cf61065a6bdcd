//! Bytes a search downloads, measured in headless Chromium on a site built elsewhere (a
//! benchmark course, see README.md):
//!
//! ```sh
//! syllabus build /tmp/course-1000 --out /tmp/out-1000
//! SYLLABUS_SEARCH_SITE=/tmp/out-1000 cargo bench --bench search_bytes
//! ```
//!
//! Each query is entered in a fresh browser context (nothing cached) three ways: pasted (one
//! search), typed at full speed, and typed a key every 250 ms, so that every prefix is searched
//! as a slow typist's would be. `SYLLABUS_SEARCH_QUERIES` (comma-separated) replaces the
//! default queries.

// A benchmark reports on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[allow(dead_code, unreachable_pub)]
#[path = "../tests/support/browser.rs"]
mod browser;

use browser::{Browser, SiteServer, Viewport};
use std::path::Path;

fn main() {
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
            page.wait_for_search_results(query);
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
