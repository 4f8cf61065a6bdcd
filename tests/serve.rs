//! `syllabus serve`: the router without a port (tower `oneshot`), the memo's byte-identical
//! rebuilds, the real binary on port 0 (live reload end to end, port in use), a bounded
//! loopback load test, and a real browser following a save.

use crate::support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use syllabus::diagnostic::Diagnostic;
use syllabus::output::Output;
use syllabus::serve::router::router;
use syllabus::serve::state::{base_path, Outcome, State};
use syllabus::source::{self, SourceSet};
use syllabus::{build, BuildOptions, Resources};
use tower::ServiceExt;

// ---------------------------------------------------------------------------------------
// Router, without a port
// ---------------------------------------------------------------------------------------

/// The fixture course built in memory and published, as the build loop does.
fn published(root: &Path) -> Arc<State> {
    let state = Arc::new(State::new());
    publish(&state, root);
    state
}

fn publish(state: &State, root: &Path) {
    let sources = source::read(root).expect("fixture reads");
    let sink = Output::default();
    let report = build(
        &sources,
        &BuildOptions::default(),
        &Resources::default(),
        &sink,
    );
    state.publish(Outcome::Built {
        files: sink.into_shared(),
        base: base_path(&sources.config),
        title: report.title,
        errors: report
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect(),
    });
}

/// The fixture's install lesson (`content/01-getting-started/01-install.md`).
fn install_lesson(project: &Path) -> std::path::PathBuf {
    project.join("content/01-getting-started/01-install.md")
}

/// Appends a line to the install lesson; returns what the lesson held before.
fn append_to_lesson(project: &Path, line: &str) -> String {
    let lesson = install_lesson(project);
    let before = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{before}\n{line}\n")).unwrap();
    before
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

async fn get(state: &Arc<State>, uri: &str) -> Answer {
    request(state, "GET", uri).await
}

async fn request(state: &Arc<State>, method: &str, uri: &str) -> Answer {
    request_with(state, method, uri, &[]).await
}

async fn request_with(
    state: &Arc<State>,
    method: &str,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

fn header_of(a: &Answer, name: header::HeaderName) -> &str {
    a.headers.get(name).map_or("", |v| v.to_str().unwrap())
}

fn content_type(a: &Answer) -> &str {
    a.headers
        .get(header::CONTENT_TYPE)
        .map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn pages_are_served_from_memory_with_the_live_reload_script() {
    let state = published(&support::fixture("basic"));
    let page = get(&state, "/course/getting-started/install/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(content_type(&page), "text/html; charset=utf-8");
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let script = page.body.find("<script id=\"syllabus-live\">").unwrap();
    let body_end = page.body.rfind("</body>").unwrap();
    assert!(script < body_end, "the script goes before </body>");
    assert!(page
        .body
        .contains("new EventSource(\"/__syllabus/events\")"));
    assert!(
        !page.body.contains("id=\"syllabus-overlay\""),
        "no errors, no overlay"
    );
    // `index.html` itself, and the home page.
    let same = get(&state, "/course/getting-started/install/index.html").await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(get(&state, "/course/").await.status, StatusCode::OK);
}

/// Issue 18: text of 1 KB or more goes out gzipped to a browser that accepts gzip, marked so
/// (`Content-Encoding`, `Vary`), and decodes to the bytes sent to a browser that does not; a
/// range request gets the file as it is.
#[tokio::test]
async fn pages_go_out_gzipped_to_a_browser_that_accepts_it() {
    use std::io::Read;
    let state = published(&support::fixture("basic"));
    let uri = "/course/getting-started/install/";
    let plain = get(&state, uri).await;
    assert_eq!(header_of(&plain, header::CONTENT_ENCODING), "");
    assert!(
        plain.bytes.len() >= 1024,
        "a page of {} bytes",
        plain.bytes.len()
    );
    let zipped = request_with(&state, "GET", uri, &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert_eq!(zipped.status, StatusCode::OK);
    assert_eq!(header_of(&zipped, header::CONTENT_ENCODING), "gzip");
    assert!(header_of(&zipped, header::VARY).contains("Accept-Encoding"));
    assert!(zipped.bytes.len() < plain.bytes.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped.bytes[..])
        .read_to_end(&mut unzipped)
        .expect("a gzip stream");
    assert_eq!(unzipped, plain.bytes);
    let ranged = request_with(
        &state,
        "GET",
        uri,
        &[
            (header::ACCEPT_ENCODING, "gzip"),
            (header::RANGE, "bytes=0-99"),
        ],
    )
    .await;
    assert_eq!(header_of(&ranged, header::CONTENT_ENCODING), "");
    assert_eq!(ranged.bytes, plain.bytes[..100]);
}

/// The fixture's own 404 page, as `build` makes it.
fn built_404() -> String {
    support::build_in_memory(&support::fixture("basic"), None).text("404.html")
}

#[tokio::test]
async fn folders_without_a_slash_redirect_and_misses_get_the_404_page() {
    let state = published(&support::fixture("basic"));
    let folder = get(&state, "/course/getting-started/install?x=1").await;
    assert_eq!(folder.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        folder.headers[header::LOCATION],
        "/course/getting-started/install/?x=1"
    );
    for uri in ["/", "/course"] {
        let root = get(&state, uri).await;
        assert_eq!(root.status, StatusCode::TEMPORARY_REDIRECT, "{uri}");
        assert_eq!(root.headers[header::LOCATION], "/course/");
    }
    let site_404 = built_404();
    for uri in [
        "/course/no/such/page/",
        "/elsewhere",
        "/course/getting-started/nope.png",
    ] {
        let missing = get(&state, uri).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(content_type(&missing), "text/html; charset=utf-8");
        assert!(
            missing
                .body
                .starts_with(&site_404[..site_404.find("</body>").unwrap()]),
            "{uri}: the site's own 404.html"
        );
        assert!(missing.body.contains("syllabus-live"));
    }
}

#[tokio::test]
async fn path_traversal_is_refused_in_every_spelling() {
    let state = published(&support::fixture("basic"));
    for uri in [
        "/course/../book.toml",
        "/course/../../etc/passwd",
        "/course/%2e%2e/book.toml",
        "/course/%2E%2E/%2e%2e/etc/passwd",
        "/course/.%2e/book.toml",
        "/course/getting-started%2f..%2f..%2fbook.toml",
        "/course/getting-started%2Finstall/",
        "/course/..%5c..%5cbook.toml",
        "/course/%5C..%5Cbook.toml",
        "/course/./index.html",
        "//example.org/course/",
        "/course/%00/index.html",
        "/course/..\\book.toml",
        "/course\\..\\book.toml",
    ] {
        let answer = get(&state, uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
    }
}

#[tokio::test]
async fn files_have_their_content_types() {
    let state = published(&support::fixture("basic"));
    // Theme files have hashed names (issue 18): take them from a build of the same project.
    let built = support::build_in_memory(&support::fixture("basic"), Some("/course/"));
    let hashed = |stem: &str, ext: &str| {
        let name = built
            .files
            .keys()
            .find(|k| k.starts_with(stem) && k.ends_with(ext))
            .expect("a hashed theme file");
        format!("/course/{name}")
    };
    let (syllabus_css, highlight_css) = (
        hashed("assets/syllabus.", ".css"),
        hashed("assets/highlight.", ".css"),
    );
    let (syllabus_js, favicon) = (
        hashed("assets/syllabus.", ".js"),
        hashed("favicon.", ".svg"),
    );
    for (uri, expected) in [
        (syllabus_css.as_str(), "text/css; charset=utf-8"),
        (highlight_css.as_str(), "text/css; charset=utf-8"),
        (syllabus_js.as_str(), "text/javascript; charset=utf-8"),
        (favicon.as_str(), "image/svg+xml; charset=utf-8"),
        (
            "/course/deploying/img/diagram.svg",
            "image/svg+xml; charset=utf-8",
        ),
        ("/course/notes.txt", "text/plain; charset=utf-8"),
        ("/course/sitemap.xml", "application/xml; charset=utf-8"),
        ("/course/robots.txt", "text/plain; charset=utf-8"),
        ("/course/404.html", "text/html; charset=utf-8"),
    ] {
        let answer = get(&state, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(content_type(&answer), expected, "{uri}");
        assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    let css = get(&state, &syllabus_css).await;
    assert!(!css.body.contains("syllabus-live"), "only HTML is injected");
}

#[tokio::test]
async fn only_get_and_head_are_allowed() {
    let state = published(&support::fixture("basic"));
    let post = request(&state, "POST", "/course/").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.headers[header::ALLOW], "GET, HEAD");
    assert_eq!(
        request(&state, "HEAD", "/course/").await.status,
        StatusCode::OK
    );
}

/// A course's video in `static/`: a player asks for ranges as it seeks.
#[tokio::test]
async fn a_video_seeks_with_range_requests() {
    let project = support::copy_fixture("basic");
    let video: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let path = project.path().join("static/media/intro.mp4");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &video).unwrap();
    let state = published(project.path());
    let uri = "/course/media/intro.mp4";

    let whole = get(&state, uri).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, video);
    assert_eq!(content_type(&whole), "video/mp4");
    assert_eq!(header_of(&whole, header::ACCEPT_RANGES), "bytes");
    let etag = header_of(&whole, header::ETAG).to_string();
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");

    let range = |value: &'static str| [(header::RANGE, value)];
    let part = request_with(&state, "GET", uri, &range("bytes=1000-1999")).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header_of(&part, header::CONTENT_RANGE),
        "bytes 1000-1999/100000"
    );
    assert_eq!(header_of(&part, header::CONTENT_LENGTH), "1000");
    assert_eq!(part.bytes, video[1000..2000]);
    let tail = request_with(&state, "GET", uri, &range("bytes=-100")).await;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes, video[99_900..]);
    let from = request_with(&state, "GET", uri, &range("bytes=99990-")).await;
    assert_eq!(
        header_of(&from, header::CONTENT_RANGE),
        "bytes 99990-99999/100000"
    );

    let past = request_with(&state, "GET", uri, &range("bytes=100000-")).await;
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header_of(&past, header::CONTENT_RANGE), "bytes */100000");
    assert!(past.bytes.is_empty());
    for ignored in ["bytes=0-1,10-11", "bytes=abc", "pages=1-2"] {
        let answer = request_with(&state, "GET", uri, &range(ignored)).await;
        assert_eq!(answer.status, StatusCode::OK, "{ignored}");
        assert_eq!(answer.bytes.len(), video.len(), "{ignored}");
    }
    let stale = [(header::RANGE, "bytes=0-9"), (header::IF_RANGE, "\"old\"")];
    let answer = request_with(&state, "GET", uri, &stale).await;
    assert_eq!(
        (answer.status, answer.bytes.len()),
        (StatusCode::OK, video.len()),
        "a range of another version gets the whole file"
    );

    let head = request(&state, "HEAD", uri).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.bytes.is_empty());
    assert_eq!(header_of(&head, header::CONTENT_LENGTH), "100000");
    assert_eq!(header_of(&head, header::ETAG), etag);
    let cached = request_with(&state, "GET", uri, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.bytes.is_empty());
}

#[tokio::test]
async fn a_page_revalidates_by_its_etag_until_it_changes() {
    let project = support::copy_fixture("basic");
    let state = published(project.path());
    let uri = "/course/getting-started/install/";
    let page = get(&state, uri).await;
    let etag = header_of(&page, header::ETAG).to_string();
    assert!(!etag.is_empty());
    let head = request(&state, "HEAD", uri).await;
    assert_eq!(
        header_of(&head, header::CONTENT_LENGTH),
        page.bytes.len().to_string(),
        "HEAD says what GET sends"
    );
    let same = request_with(&state, "GET", uri, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);

    append_to_lesson(project.path(), "One more line.");
    publish(&state, project.path());
    let changed = request_with(&state, "GET", uri, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains("One more line."));
    assert_ne!(header_of(&changed, header::ETAG), etag);
}

#[tokio::test]
async fn a_failed_build_keeps_the_last_good_site_with_an_overlay_until_fixed() {
    let project = support::copy_fixture("basic");
    let state = published(project.path());
    let good = append_to_lesson(project.path(), "See [gone](./gone.md).");
    publish(&state, project.path());

    for uri in [
        "/course/",
        "/course/getting-started/install/",
        "/course/nope/",
    ] {
        let page = get(&state, uri).await;
        assert!(
            page.body.contains("id=\"syllabus-overlay\""),
            "{uri} has the overlay"
        );
        assert!(
            page.body
                .contains("content/01-getting-started/01-install.md:"),
            "{uri} names the file"
        );
        assert!(page.body.contains("broken link `./gone.md`"));
    }
    let install = get(&state, "/course/getting-started/install/").await;
    assert!(!install.body.contains("gone.md\">"), "the last good page");

    std::fs::write(install_lesson(project.path()), &good).unwrap();
    publish(&state, project.path());
    let fixed = get(&state, "/course/getting-started/install/").await;
    assert!(!fixed.body.contains("id=\"syllabus-overlay\""));
}

#[tokio::test]
async fn a_first_build_that_fails_serves_an_error_page() {
    let project = support::project(&[
        ("content/README.md", b"# Home\n\n[x](./missing.md)\n"),
        ("book.toml", b"[book]\ntitle = \"Broken\"\n"),
    ]);
    let state = published(project.path());
    let page = get(&state, "/").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("<h1>Build failed</h1>"));
    assert!(page
        .body
        .contains("content/README.md:3:1</code>: broken link"));
    assert!(page.body.contains("syllabus-live"));
}

#[tokio::test]
async fn the_live_stream_says_hello_then_announces_rebuilds() {
    let project = support::copy_fixture("basic");
    let state = published(project.path());
    let response = router(state.clone())
        .oneshot(
            Request::builder()
                .uri("/__syllabus/events")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut stream = response.into_body().into_data_stream();
    let hello = next_chunk(&mut stream).await;
    assert!(
        hello.contains("event: hello") && hello.contains("\"build\":1"),
        "{hello}"
    );
    assert_eq!(state.clients(), 1);

    append_to_lesson(project.path(), "One more line.");
    publish(&state, project.path());
    let reload = next_chunk(&mut stream).await;
    assert!(reload.contains("event: reload"), "{reload}");
    // The edited page, and its chapter's print view, which holds it too.
    assert!(
        reload.contains(
            r#""pages":["/course/getting-started/install/","/course/getting-started/print/"]"#
        ),
        "only the edited page and its chapter's print view: {reload}"
    );

    let css = project.path().join("static/assets/extra.css");
    std::fs::create_dir_all(css.parent().unwrap()).unwrap();
    std::fs::write(&css, "body { color: teal }").unwrap();
    publish(&state, project.path());
    let swap = next_chunk(&mut stream).await;
    assert!(
        swap.contains("event: css") && swap.contains("/course/assets/extra.css"),
        "{swap}"
    );

    state.shut_down();
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the stream ends on shutdown");
    assert!(end.is_none());
    drop(stream);
    assert_eq!(state.clients(), 0);
}

async fn next_chunk(stream: &mut axum::body::BodyDataStream) -> String {
    let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("an event within 5 s")
        .expect("stream open")
        .unwrap();
    String::from_utf8(chunk.to_vec()).unwrap()
}

// ---------------------------------------------------------------------------------------
// The memo: warm rebuilds are byte-identical to cold builds
// ---------------------------------------------------------------------------------------

fn files_of(
    sources: &SourceSet,
    resources: &Resources,
) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let out = Output::default();
    let report = build(sources, &BuildOptions::default(), resources, &out);
    resources.memo.sweep();
    let diagnostics = report.diagnostics.iter().map(|d| d.to_string()).collect();
    (out.into_files(), diagnostics)
}

fn assert_same_as_cold(sources: &SourceSet, warm: &Resources, what: &str) {
    let cold = files_of(sources, &Resources::default());
    let hot = files_of(sources, warm);
    assert_eq!(cold.1, hot.1, "{what}: diagnostics differ");
    assert_eq!(
        cold.0.keys().collect::<Vec<_>>(),
        hot.0.keys().collect::<Vec<_>>(),
        "{what}: file lists differ"
    );
    for (path, bytes) in &cold.0 {
        assert!(hot.0[path] == *bytes, "{what}: {path} differs");
    }
}

/// Writes `path` whole: the text goes to a file at the project's top (outside what serve
/// publishes), then is moved into place, so that no build sees the file truncated or half
/// written (a plain `fs::write` under load could be built empty, then again full).
fn save_whole(project: &Path, path: &Path, text: &str) {
    let staged = project.join("staged.md");
    std::fs::write(&staged, text).unwrap();
    std::fs::rename(&staged, path).unwrap();
}

/// Translations (issue 13): each locale's pages come from the memo like the default's.
#[test]
fn warm_memo_builds_of_a_translated_book_are_byte_identical_to_cold_builds() {
    let mut sources = source::read(&support::fixture("i18n")).unwrap();
    let warm = Resources::with_memo();
    assert_same_as_cold(&sources, &warm, "first build");
    let out = Output::default();
    build(&sources, &BuildOptions::default(), &warm, &out);
    let stats = warm.memo.stats();
    warm.memo.sweep();
    assert_eq!(stats.page.misses, 0, "an unchanged rebuild renders nothing");
    let translation = sources.translations.get_mut("ur").unwrap();
    let doc = translation
        .docs
        .iter_mut()
        .find(|f| f.path == "intro.md")
        .unwrap();
    doc.bytes.extend_from_slice("\nنیا۔\n".as_bytes());
    assert_same_as_cold(&sources, &warm, "edited translation");
    edit(&mut sources, "getting-started/first-steps.md", |t| {
        format!("{t}\nMore.\n")
    });
    assert_same_as_cold(&sources, &warm, "edited original");
    // A translated doc's new `slug` changes the other language's links to it too.
    let doc = sources
        .translations
        .get_mut("ur")
        .unwrap()
        .docs
        .iter_mut()
        .find(|f| f.path == "getting-started/practice.md")
        .unwrap();
    let text = String::from_utf8(doc.bytes.clone()).unwrap();
    doc.bytes = text.replace("slug: mashq", "slug: mashq-2").into_bytes();
    assert_same_as_cold(&sources, &warm, "a translated slug");
}

/// Issue 15: a save costs work in proportion to the change. A body edit renders that one doc
/// again and makes two files anew: its page and its chapter's print view (each counted as a
/// page by the memo's stats, which the "Rebuilt … N of M pages re-rendered" line prints);
/// every other page comes from the memo. A build stopped by `cancel` (a save arriving during
/// the background search build) writes no page and leaves the memo whole.
#[test]
fn a_save_rebuilds_only_what_it_must() {
    let mut sources = source::read(&support::fixture("basic")).unwrap();
    let warm = Resources::with_memo();
    let rebuild = |sources: &SourceSet, options: &BuildOptions<'_>| {
        let out = Output::default();
        let report = build(sources, options, &warm, &out);
        let stats = warm.memo.stats();
        warm.memo.sweep();
        (stats, report.pages, out.into_files())
    };
    let serve_options = BuildOptions {
        skip_search: true,
        ..BuildOptions::default()
    };
    let (first, pages, _) = rebuild(&sources, &BuildOptions::default());
    assert!(pages > 5 && first.page.misses > pages, "{first:?}");

    edit(&mut sources, "01-getting-started/02-dockerfile.md", |t| {
        format!("{t}\nOne more paragraph.\n")
    });
    let (stats, _, files) = rebuild(&sources, &serve_options);
    assert_eq!(
        stats.render.misses, 1,
        "only the saved doc is rendered: {stats:?}"
    );
    assert_eq!(stats.front_matter.misses, 1, "{stats:?}");
    assert_eq!(
        stats.page.misses, 2,
        "its page and its print view: {stats:?}"
    );
    let page = String::from_utf8_lossy(&files["getting-started/dockerfile/index.html"]);
    assert!(page.contains("One more paragraph."));

    // Stopped at once: nothing written, nothing forgotten.
    let stop = || true;
    let stopped = BuildOptions {
        cancel: Some(&stop),
        ..BuildOptions::default()
    };
    let out = Output::default();
    build(&sources, &stopped, &warm, &out);
    assert!(!out.into_files().keys().any(|p| p.ends_with(".html")));
    let (stats, _, _) = rebuild(&sources, &serve_options);
    assert_eq!(
        (stats.render.misses, stats.page.misses),
        (0, 0),
        "{stats:?}"
    );
}

fn edit(sources: &mut SourceSet, path: &str, f: impl FnOnce(&str) -> String) {
    let file = sources
        .content
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path}"));
    file.bytes = f(std::str::from_utf8(&file.bytes).unwrap()).into_bytes();
}

#[test]
fn warm_memo_builds_are_byte_identical_to_cold_builds() {
    for root in [
        support::fixture("basic"),
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
    ] {
        let mut sources = source::read(&root).unwrap();
        let warm = Resources::with_memo();
        assert_same_as_cold(&sources, &warm, "first build");
        assert_same_as_cold(&sources, &warm, "unchanged rebuild");
        let stats = {
            let out = Output::default();
            build(&sources, &BuildOptions::default(), &warm, &out);
            let s = warm.memo.stats();
            warm.memo.sweep();
            s
        };
        assert_eq!(stats.page.misses, 0, "an unchanged rebuild renders nothing");
        assert_eq!(stats.render.misses, 0);

        let docs: Vec<String> = sources
            .content
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| p.ends_with(".md") && !p.ends_with("README.md"))
            .collect();
        let (first, last) = (docs[0].clone(), docs[docs.len() - 1].clone());
        edit(&mut sources, &first, |t| {
            format!("{t}\n\nA new paragraph.\n")
        });
        assert_same_as_cold(&sources, &warm, "edited body");
        edit(&mut sources, &first, |t| {
            format!("---\ntitle: Renamed in the sidebar\n---\n{t}")
        });
        assert_same_as_cold(&sources, &warm, "edited title (every sidebar changes)");
        edit(&mut sources, &last, |t| {
            format!("{t}\n\n[broken](./no-such-page.md)\n")
        });
        assert_same_as_cold(&sources, &warm, "broken link");
        let folder = first.rsplit_once('/').map_or("", |(d, _)| d);
        let added = if folder.is_empty() {
            "00-added.md".to_string()
        } else {
            format!("{folder}/00-added.md")
        };
        sources.content.push(syllabus::source::SourceFile {
            path: added.clone(),
            bytes: b"# Added first\n\nLinks change for everyone after this one.\n".to_vec(),
        });
        sources
            .content
            .sort_by(|a, b| source::path_order(&a.path, &b.path));
        assert_same_as_cold(&sources, &warm, "added page");
        sources.content.retain(|f| f.path != added);
        assert_same_as_cold(&sources, &warm, "removed page");
        sources.templates.insert(
            "partials/footer.html".into(),
            "<footer>New footer</footer>".into(),
        );
        assert_same_as_cold(&sources, &warm, "template override");
        sources.config.site.base_url = Some("/elsewhere/".into());
        assert_same_as_cold(&sources, &warm, "base url");
        edit(&mut sources, &first, |t| {
            format!("{t}\n\n```\n$ docker ps\n```\n")
        });
        assert_same_as_cold(&sources, &warm, "unlabelled block");
        sources.config.build.detect_code_language = true;
        assert_same_as_cold(&sources, &warm, "detect-code-language");
    }
}

// ---------------------------------------------------------------------------------------
// The real binary on port 0
// ---------------------------------------------------------------------------------------

/// `syllabus serve ROOT --port 0`, killed on drop.
struct Served {
    child: Child,
    url: String,
    addr: SocketAddr,
    /// The server's later output (diagnostics, "Rebuilt …" lines).
    log: mpsc::Receiver<String>,
}

impl Served {
    fn start(root: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_syllabus"))
            .args(["serve", "--port", "0"])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start syllabus serve");
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        let url = loop {
            let line = log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| {
                    panic!("no `Serving` line; stderr so far:\n{}", seen.join("\n"))
                });
            if let Some(at) = line.find(" at http://") {
                assert!(line.starts_with("Serving "), "{line}");
                break line[at + 4..].to_string();
            }
            seen.push(line);
        };
        let authority = url["http://".len()..].split('/').next().unwrap();
        let addr = authority.parse().expect("a socket address");
        Served {
            child,
            url,
            addr,
            log,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request over a fresh socket: (status, headers, body).
fn http(addr: SocketAddr, method: &str, target: &str) -> (u16, String, String) {
    http_with(addr, method, target, "")
}

/// One HTTP/1.1 request over a fresh socket, with more header lines (each ending in
/// `\r\n`): the response's bytes.
fn exchange(addr: SocketAddr, method: &str, target: &str, headers: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    raw
}

/// `http`, with more header lines (each ending in `\r\n`).
fn http_with(addr: SocketAddr, method: &str, target: &str, headers: &str) -> (u16, String, String) {
    let raw = exchange(addr, method, target, headers);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Live-reload events (`event` name, `data`) read from a socket in a thread.
fn listen(addr: SocketAddr) -> mpsc::Receiver<(String, String)> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET /__syllabus/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((name.clone(), data.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

fn next_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (n, data) = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no `{name}` event within 20 s"));
        if n == name {
            return data;
        }
    }
}

#[test]
fn serve_rebuilds_on_save_and_announces_it() {
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    assert!(served.url.ends_with("/course/"), "{}", served.url);
    let page = "/course/getting-started/install/";
    let (status, _, body) = http(served.addr, "GET", page);
    assert_eq!(status, 200);
    assert!(!body.contains("Saved while serving"));

    let events = listen(served.addr);
    let hello = next_event(&events, "hello");
    assert!(hello.contains("\"build\":1"), "{hello}");

    let lesson = install_lesson(project.path());
    append_to_lesson(project.path(), "Saved while serving.");
    let reload = next_event(&events, "reload");
    assert!(reload.contains(page), "{reload}");
    let (status, _, body) = http(served.addr, "GET", page);
    assert_eq!(status, 200);
    assert!(body.contains("Saved while serving."));

    // Editor litter never triggers a build.
    std::fs::write(lesson.with_file_name(".01-install.md.swp"), "swap").unwrap();
    std::fs::write(lesson.with_file_name("4913"), "").unwrap();
    // A template change takes effect without a restart.
    std::fs::write(
        project.path().join("templates/partials/footer.html"),
        "<footer class=\"site-footer\">Footer from a live edit</footer>",
    )
    .unwrap();
    let reload = next_event(&events, "reload");
    assert!(reload.contains("\"pages\":null"), "every page: {reload}");
    let (_, _, body) = http(served.addr, "GET", page);
    assert!(body.contains("Footer from a live edit"));
    // So does a book.toml change.
    let toml = project.path().join("book.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, config.replace("Fixture Course", "Renamed Course")).unwrap();
    next_event(&events, "reload");
    let (_, _, body) = http(served.addr, "GET", page);
    assert!(body.contains("Renamed Course"));

    // Nothing was written into the project.
    for dir in ["public", "book"] {
        assert!(!project.path().join(dir).exists(), "{dir}/ was written");
    }
    drop(served);
}

#[test]
fn head_and_ranges_over_a_real_socket() {
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    let (status, head, body) = http(served.addr, "HEAD", "/course/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .expect("a Content-Length");
    assert!(length.parse::<usize>().unwrap() > 1000, "{head}");
    assert!(body.is_empty(), "HEAD has no body: {body}");
    let (status, head, body) = http_with(
        served.addr,
        "GET",
        "/course/notes.txt",
        "Range: bytes=0-4\r\n",
    );
    assert_eq!(status, 206, "{head}");
    assert!(head.contains("bytes 0-4/"), "{head}");
    let notes = std::fs::read_to_string(project.path().join("static/notes.txt")).unwrap();
    assert_eq!(body, notes[..5]);
}

/// One HTTP/1.1 GET over a fresh socket, the body as bytes: (status line and headers, body).
fn http_bytes(addr: SocketAddr, target: &str, headers: &str) -> (String, Vec<u8>) {
    let raw = exchange(addr, "GET", target, headers);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    (head, raw[split + 4..].to_vec())
}

/// Issue 18: with `[build] precompress`, serve sends a theme file as the build's Brotli or
/// gzip copy (the bytes `build` writes beside it) when the browser accepts that encoding,
/// Brotli first, and as it is otherwise; pages, which get the live-reload script, are
/// gzipped as they go out.
#[test]
fn serve_sends_the_precompressed_copies_to_a_browser_that_accepts_them() {
    let project = support::copy_fixture("basic");
    let toml = project.path().join("book.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    let config = config.replace("[build]", "[build]\nprecompress = [\"br\", \"gzip\"]");
    assert!(config.contains("precompress"), "{config}");
    std::fs::write(&toml, config).unwrap();
    let served = Served::start(project.path());
    let (_, home) = http_bytes(served.addr, "/course/", "");
    let home = String::from_utf8(home).unwrap();
    let sheet = home
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains("/syllabus.") && href.ends_with(".css"))
        .unwrap_or_else(|| panic!("no theme stylesheet on the home page"))
        .to_string();
    let (head, plain) = http_bytes(served.addr, &sheet, "");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
    assert!(plain.len() > 1024, "{} bytes", plain.len());
    let (head, br) = http_bytes(
        served.addr,
        &sheet,
        "Accept-Encoding: gzip, deflate, br\r\n",
    );
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");
    assert_eq!(
        br,
        syllabus::output::brotli(&plain),
        "the build's Brotli copy"
    );
    let (head, gz) = http_bytes(served.addr, &sheet, "Accept-Encoding: gzip, br;q=0\r\n");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(gz, syllabus::output::gzip(&plain), "the build's gzip copy");
    let (head, ranged) = http_bytes(
        served.addr,
        &sheet,
        "Accept-Encoding: br\r\nRange: bytes=0-9\r\n",
    );
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(ranged, plain[..10]);
    let (head, page) = http_bytes(served.addr, "/course/", "Accept-Encoding: br, gzip\r\n");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&page[..])
        .read_to_string(&mut unzipped)
        .expect("a gzip stream");
    assert!(
        unzipped.contains("syllabus-live"),
        "the page has the live-reload script"
    );
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus"))
        .args(["serve", "--port", &port])
        .arg(support::fixture("basic"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    drop(taken);
}

// ---------------------------------------------------------------------------------------
// Load: bounded, loopback only
// ---------------------------------------------------------------------------------------

async fn tokio_get(addr: SocketAddr, target: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Not in the default `cargo test` (it takes a while and loads the machine); `.ci/run` runs
/// it: `cargo test --test suite -- --ignored serve::load_`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run by .ci/run with --ignored"]
#[allow(clippy::print_stderr)] // how long the saves took, for whoever runs it
async fn load_pages_live_clients_and_a_thousand_saves() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let project = support::copy_fixture("basic");
    let lesson = install_lesson(project.path());
    let original = std::fs::read_to_string(&lesson).unwrap();
    let options = syllabus::serve::Options {
        root: project.path().to_path_buf(),
        host: "127.0.0.1".into(),
        port: 0,
    };
    let mut server = syllabus::serve::Server::start(&options, Arc::new(|_| {}))
        .await
        .expect("server starts");
    let first = server.ready().await;
    assert_eq!(first.errors, 0);
    let addr = server.addr();
    let metrics = tokio::runtime::Handle::current().metrics();
    let baseline = metrics.num_alive_tasks();

    // 50 live-reload clients, each counting the reloads it is told about.
    let mut clients = Vec::new();
    for _ in 0..50 {
        clients.push(tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(
                format!("GET /__syllabus/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
            )
            .await
            .unwrap();
            let mut seen = String::new();
            let mut buf = [0u8; 4096];
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            while !seen.contains("event: reload") {
                match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                    _ => break,
                }
            }
            seen.contains("event: reload")
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.state().clients() < 50 {
        assert!(Instant::now() < deadline, "50 clients connect");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // 200 concurrent page requests, while an editor saves one file 1,000 times in a second.
    let pages: Vec<_> = (0..200)
        .map(|i| {
            let target = if i % 2 == 0 {
                "/course/getting-started/install/"
            } else {
                "/course/deploying/"
            };
            tokio::spawn(tokio_get(addr, target))
        })
        .collect();
    let editor_path = lesson.clone();
    let text = original.clone();
    let editor = tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        for i in 0..1000 {
            std::fs::write(&editor_path, format!("{text}\nSave number {i}.\n")).unwrap();
            let due = Duration::from_micros(1000 * (i + 1));
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        start.elapsed()
    });
    for page in pages {
        let (status, text) = page.await.unwrap();
        assert_eq!(status, 200, "{}", &text[..text.len().min(300)]);
    }
    // Paced at one save a millisecond; a loaded machine (parallel tests) may take longer,
    // which only makes the test gentler, so the time is reported rather than asserted.
    let saving = editor.await.unwrap();
    eprintln!("1,000 saves took {saving:?}");

    // The last save is what is served, soon.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = tokio_get(addr, "/course/getting-started/install/").await;
        assert_eq!(status, 200);
        if body.contains("Save number 999.") {
            assert!(!body.contains("Save number 998."));
            break;
        }
        assert!(Instant::now() < deadline, "the last save is never served");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for client in clients {
        assert!(
            client.await.unwrap(),
            "every live client was told to reload"
        );
    }

    // Every connection closed: no live-reload stream and no task left behind.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.state().clients() > 0 || metrics.num_alive_tasks() > baseline {
        assert!(
            Instant::now() < deadline,
            "leaked: {} live clients, {} tasks (baseline {baseline})",
            server.state().clients(),
            metrics.num_alive_tasks()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// A real browser
// ---------------------------------------------------------------------------------------

/// `serve` holds the search index's files packed and sends them gzip-encoded as held
/// (issue 15): a search in a real browser finds a word of the first build's index, and, after
/// a save, the saved word in the index made again in the background.
#[test]
fn a_search_in_the_browser_reads_the_index_serve_holds_packed() {
    let Some(browser) = support::browser::Browser::launch() else {
        return;
    };
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    let page = browser.open(
        &format!("{}getting-started/install/", served.url),
        support::browser::Viewport::DESKTOP,
    );
    let search = |query: &str| {
        page.eval::<serde_json::Value>(
            "(() => { const i = document.getElementById('search-input'); i.value = ''; \
               i.dispatchEvent(new Event('input')); return null; })()",
        );
        page.press_key("/");
        page.wait_for("document.activeElement && document.activeElement.id === 'search-input'");
        page.tab().type_str(query).expect("type the query");
        page.wait_for_search_results(query);
        page.eval::<Vec<String>>(
            "Array.from(document.querySelectorAll('#search-results [role=option] a')).map(a => a.href)",
        )
    };
    let found = search("install");
    assert!(
        found
            .iter()
            .any(|href| href.contains("getting-started/install/")),
        "{found:?}"
    );
    page.expect_navigation(|| {
        append_to_lesson(project.path(), "Quokkaberry appears after a save.");
    });
    // The index catches up in the background (a search asks for it at once).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = search("quokkaberry");
        if found
            .iter()
            .any(|href| href.contains("getting-started/install/"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the saved word was never found: {found:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    let dir = support::browser::screenshot_dir();
    page.screenshot(&dir.join("serve-search-after-save.png"), false);
    page.assert_no_problems();
}

#[test]
fn a_browser_reloads_by_itself_on_save_and_keeps_its_scroll_position() {
    let Some(browser) = support::browser::Browser::launch() else {
        return;
    };
    let project = support::copy_fixture("basic");
    let lesson = install_lesson(project.path());
    let long: String = (1..=120)
        .map(|i| format!("Paragraph {i} makes the page long enough to scroll.\n\n"))
        .collect();
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\n{long}")).unwrap();
    let served = Served::start(project.path());
    let page = browser.open(
        &format!("{}getting-started/install/", served.url),
        support::browser::Viewport::DESKTOP,
    );
    page.wait_for("document.getElementById('syllabus-live') !== null");
    page.eval::<serde_json::Value>("window.scrollTo(0, 1500), null");
    page.wait_for("Math.abs(window.scrollY - 1500) < 2");
    page.eval::<serde_json::Value>("window.__notReloaded = true, null");

    // Nobody touches the page: the save alone makes it reload (the harness waits for the
    // load event the reload fires; evaluating while it navigates would race with it).
    page.expect_navigation(|| {
        std::fs::write(
            &lesson,
            format!("{text}\n{long}\nThis sentence arrived by live reload.\n"),
        )
        .unwrap()
    });
    assert!(
        page.eval::<bool>("window.__notReloaded === undefined"),
        "the page reloaded"
    );
    page.wait_for("document.body.innerText.includes('This sentence arrived by live reload.')");
    page.wait_for("Math.abs(window.scrollY - 1500) < 2");

    // A broken save shows the overlay on the open page; fixing it removes it.
    page.expect_navigation(|| {
        std::fs::write(&lesson, format!("{text}\n{long}\n[gone](./gone.md)\n")).unwrap()
    });
    page.wait_for("document.getElementById('syllabus-overlay') !== null");
    assert!(page.eval::<bool>(
        "document.getElementById('syllabus-overlay').innerText.includes('01-install.md')"
    ));
    page.expect_navigation(|| {
        std::fs::write(&lesson, format!("{text}\n{long}\nFixed.\n")).unwrap()
    });
    page.wait_for(
        "document.getElementById('syllabus-overlay') === null \
         && document.body.innerText.includes('Fixed.')",
    );
    let problems: Vec<String> = page
        .take_problems()
        .into_iter()
        .filter(|p| !p.contains("/__syllabus/events"))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    drop(served);
}

/// A request with the `Host` header `host`: (status, body).
fn http_for_host(addr: SocketAddr, host: &str, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

#[test]
fn only_hosts_naming_the_server_are_answered() {
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    let port = served.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("127.0.0.2:{port}"),
    ] {
        let (status, _) = http_for_host(served.addr, &host, "/course/");
        assert_eq!(status, 200, "{host}");
    }
    // DNS rebinding: a page from attacker.example reaching this port under its own name.
    for host in [
        format!("attacker.example:{port}"),
        "localhost.attacker.example".to_string(),
        format!("10.0.0.1:{port}"),
        String::new(),
    ] {
        let (status, body) = http_for_host(served.addr, &host, "/course/");
        assert_eq!(status, 421, "{host:?}: {body}");
        assert!(
            body.contains("answers only requests for 127.0.0.1 or localhost"),
            "{body}"
        );
    }
}

#[test]
fn listening_on_every_interface_is_announced_with_a_warning() {
    let project = support::copy_fixture("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_syllabus"))
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .arg(project.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start syllabus serve");
    let stderr = child.stderr.take().unwrap();
    let first = BufReader::new(stderr).lines().next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with(
            "warning: `--host 0.0.0.0` serves the preview, drafts included, to every machine"
        ),
        "{first}"
    );
}

#[test]
fn serve_survives_content_and_templates_that_would_overflow_the_stack() {
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    let page = "/course/getting-started/install/";
    let events = listen(served.addr);
    next_event(&events, "hello");

    // A quiz thousands of lists deep: an error on the overlay, the server alive.
    append_to_lesson(
        project.path(),
        &format!("<Quiz questions={{{}\n", "[".repeat(8_000)),
    );
    next_event(&events, "reload");
    let (status, _, body) = http(served.addr, "GET", page);
    assert_eq!(status, 200);
    assert!(
        body.contains("nest more than 64 deep"),
        "the overlay shows the error"
    );

    // A footer that includes itself.
    let footer = project.path().join("templates/partials/footer.html");
    std::fs::write(&footer, "{% include \"partials/footer.html\" %}").unwrap();
    next_event(&events, "reload");
    let (status, _, body) = http(served.addr, "GET", page);
    assert_eq!(status, 200);
    assert!(body.contains("recurses without end"), "overlay");

    // Fixed: the site comes back.
    std::fs::write(&footer, "<footer>Fixed footer</footer>").unwrap();
    let lesson = install_lesson(project.path());
    let text = std::fs::read_to_string(&lesson).unwrap();
    let cut = text.find("<Quiz questions={[[[").unwrap();
    std::fs::write(&lesson, &text[..cut]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, body) = http(served.addr, "GET", page);
        if body.contains("Fixed footer") && !body.contains("recurses without end") {
            break;
        }
        assert!(Instant::now() < deadline, "the fixed site is served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Translations (issue 13): a save in `i18n/` or in the content rebuilds and reloads every
/// locale's pages it changes.
#[test]
fn serve_rebuilds_and_reloads_every_locale() {
    let project = support::copy_fixture("i18n");
    let served = Served::start(project.path());
    let events = listen(served.addr);
    next_event(&events, "hello");
    let ur_dir = project
        .path()
        .join("i18n/ur/docusaurus-plugin-content-docs/current");

    // A translated doc edited: its Urdu page reloads.
    let intro = ur_dir.join("intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    save_whole(project.path(), &intro, &(text + "\nنیا جملہ۔\n"));
    let reload = next_event(&events, "reload");
    assert!(reload.contains("/course/ur/docs/intro/"), "{reload}");
    let (status, _, body) = http(served.addr, "GET", "/course/ur/docs/intro/");
    assert_eq!(status, 200);
    assert!(body.contains("نیا جملہ۔"), "{body}");

    // An untranslated doc edited: the original and its Urdu fallback both reload.
    let first = project
        .path()
        .join("content/getting-started/first-steps.md");
    let text = std::fs::read_to_string(&first).unwrap();
    save_whole(
        project.path(),
        &first,
        &(text + "\nEdited while serving.\n"),
    );
    let reload = next_event(&events, "reload");
    for page in [
        "/course/docs/getting-started/first-steps/",
        "/course/ur/docs/getting-started/first-steps/",
    ] {
        assert!(reload.contains(page), "{page}: {reload}");
        let (_, _, body) = http(served.addr, "GET", page);
        assert!(body.contains("Edited while serving."), "{page}");
    }

    // Its translation added: the Urdu page loses its note.
    save_whole(
        project.path(),
        &ur_dir.join("getting-started/first-steps.md"),
        "---\ntitle: پہلے قدم\n---\n\n# پہلے قدم\n\nترجمہ ہو گیا۔\n",
    );
    // (Its new title is in the Urdu sidebar and course files too: a reload of every page.)
    let reload = next_event(&events, "reload");
    assert!(reload.contains("\"pages\":null"), "{reload}");
    let (_, _, body) = http(
        served.addr,
        "GET",
        "/course/ur/docs/getting-started/first-steps/",
    );
    assert!(
        body.contains("ترجمہ ہو گیا۔") && !body.contains("untranslated-note"),
        "{body}"
    );
    drop(served);
}

/// The served site after saves, as a browser gets it, is the clean build of the same
/// project (issue 15: serve holds pages packed and takes the course map, print views and
/// tag pages from its memo): a body edit, then a title edit that changes every page's
/// sidebar and the neighbours' pagers. Every file but the search index (rebuilt lazily) is
/// compared, HTML without the live-reload script.
#[test]
fn pages_served_after_saves_are_the_clean_builds_pages() {
    let project = support::copy_fixture("basic");
    let served = Served::start(project.path());
    let lesson = install_lesson(project.path());
    let text = std::fs::read_to_string(&lesson).unwrap();
    let save = |text: String| save_whole(project.path(), &lesson, &text);
    save(format!("{text}\nSaved while serving.\n"));
    let page = "/course/getting-started/install/";
    served_with(&served, page, "Saved while serving.");
    // A body-only save redoes its page and its chapter's print view, nothing else.
    let rebuilt = rebuilt_line(&served);
    assert!(rebuilt.contains(": 2 of "), "{rebuilt}");
    let text = std::fs::read_to_string(&lesson).unwrap();
    save(text.replace("title: Install the tools", "title: Tools, installed"));
    // A title change reaches its neighbour's pager and sidebar, and the course map.
    let next = served_with(
        &served,
        "/course/getting-started/dockerfile/",
        "Tools, installed",
    );
    assert!(
        next.contains("<span class=\"pager-title\">Tools, installed</span>"),
        "the next page's link back"
    );
    let sidebar = &next[next.find("id=\"sidebar\"").expect("a sidebar")..];
    assert!(
        sidebar.contains("Tools, installed"),
        "the neighbour's sidebar"
    );
    let map = served_with(&served, "/course/course-map/", "Tools, installed");
    assert!(map.contains("Tools, installed"));

    let clean = support::build_in_memory(project.path(), None);
    assert!(!clean.report.has_errors(), "{}", clean.diagnostics());
    assert!(clean
        .text("getting-started/dockerfile/index.html")
        .contains("Tools, installed"));
    let mut compared = 0;
    for (path, bytes) in &clean.files {
        if path.starts_with("assets/search/") {
            continue;
        }
        let (status, _, body) = http(served.addr, "GET", &format!("/course/{path}"));
        assert_eq!(status, 200, "{path}");
        let want = String::from_utf8_lossy(bytes);
        let got = if path.ends_with(".html") {
            let start = body
                .find("<script id=\"syllabus-live\">")
                .unwrap_or_else(|| panic!("{path}: no live-reload script"));
            let end = start + body[start..].find("</script>\n").unwrap() + "</script>\n".len();
            format!("{}{}", &body[..start], &body[end..])
        } else {
            body
        };
        assert!(got == want, "{path} differs from the clean build's");
        compared += 1;
    }
    assert!(compared > 20, "{compared} files compared");
    drop(served);
}

/// Page `path` once it holds `needle` (a save is served within 20 s).
fn served_with(served: &Served, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = http(served.addr, "GET", path);
        if body.contains(needle) {
            return body;
        }
        assert!(Instant::now() < deadline, "{path} never showed `{needle}`");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The server's next "Rebuilt …" line.
fn rebuilt_line(served: &Served) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = served
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a `Rebuilt` line within 20 s");
        if line.starts_with("Rebuilt") {
            return line;
        }
    }
}

/// The `v` of a search manifest script.
fn manifest_version(body: &str) -> String {
    let start = body.find("\"v\":\"").expect("a version") + 5;
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

#[test]
fn a_search_reads_one_version_of_its_locales_index_after_a_save() {
    // Issue 13: each locale's search files answer for the manifest a page read (`?v=`):
    // after a save, a query that read the Urdu manifest before it still gets that index's
    // shards, and a version no index has any more gets none (search.js then starts again
    // on the new manifest), never the files of another version or another locale.
    let project = support::copy_fixture("i18n");
    let served = Served::start(project.path());
    let events = listen(served.addr);
    next_event(&events, "hello");
    let get = |path: &str| http(served.addr, "GET", path);
    let manifest = "/course/ur/assets/search/manifest.js";
    let (status, _, before) = get(manifest);
    assert_eq!(status, 200, "{before}");
    let old = manifest_version(&before);
    let en_old = manifest_version(&get("/course/assets/search/manifest.js").2);
    let shard = |v: &str| get(&format!("/course/ur/assets/search/t/0.js?v={v}"));
    let (_, _, old_shard) = shard(&old);

    let intro = project
        .path()
        .join("i18n/ur/docusaurus-plugin-content-docs/current/intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, text + "\nزیبرا\n").unwrap();
    next_event(&events, "reload");
    // A search request brings the index up to date (in the background).
    let mut new = old.clone();
    for _ in 0..600 {
        new = manifest_version(&get(manifest).2);
        if new != old {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_ne!(new, old, "the Urdu index was rebuilt");
    let (status, _, new_shard) = shard(&new);
    assert_eq!(status, 200);
    let (status, _, again) = shard(&old);
    assert_eq!((status, again), (200, old_shard.clone()));
    assert_ne!(old_shard, new_shard, "the edit changed the Urdu shard");
    // The English index's version is not the Urdu one's: asked in Urdu, it gets nothing.
    assert_ne!(en_old, old);
    let (status, _, body) = shard(&en_old);
    assert_eq!((status, body.as_str()), (404, "search index replaced\n"));
    drop(served);
}

/// Records the paths a build writes, in order.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl Recorder {
    fn count(&self, f: impl Fn(&str) -> bool) -> usize {
        self.0.lock().unwrap().iter().filter(|p| f(p)).count()
    }
}

impl syllabus::output::Sink for Recorder {
    fn put(&self, path: &syllabus::site_path::SitePath, _: Vec<u8>) {
        self.0.lock().unwrap().push(path.as_str().to_string());
    }
}

/// Issue 15: a save that arrives while the search index is rebuilt in the background must
/// not wait for that build to end. The build asks `cancel` at every step, down to each file
/// of the index: raised as soon as the first search file comes out, the build writes no
/// more than a few, and never the manifest that would publish the index. Nor does it make
/// the course and site files, which `serve` would throw away.
#[test]
fn a_build_stops_soon_after_it_is_asked_to() {
    let sources = source::read(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let warm = Resources::with_memo();
    let search = |p: &str| p.starts_with("assets/search/");
    let full = Recorder::default();
    build(&sources, &BuildOptions::default(), &warm, &full);
    warm.memo.sweep();
    let all = full.count(search);
    assert!(all > 4, "{all} search files");
    assert_eq!(full.count(|p| p.ends_with("search/manifest.js")), 1);

    // The background search build of `serve`: every page from the memo.
    let stopped = Recorder::default();
    let cancel = || stopped.count(search) > 0;
    let options = BuildOptions {
        cancel: Some(&cancel),
        ..BuildOptions::default()
    };
    build(&sources, &options, &warm, &stopped);
    let written = stopped.count(search);
    assert!(written >= 1 && written < all, "{written} of {all}");
    assert_eq!(stopped.count(|p| p.ends_with("search/manifest.js")), 0);
    // Not stopped, the background build makes the whole index and nothing it would not
    // publish: no course files, no sitemap.
    let index = Recorder::default();
    let options = BuildOptions {
        search_only: true,
        ..BuildOptions::default()
    };
    build(&sources, &options, &warm, &index);
    assert_eq!(index.count(search), all);
    assert_eq!(index.count(|p| p.ends_with("course.json")), 0);
    assert_eq!(full.count(|p| p.ends_with("course.json")), 1);
}
