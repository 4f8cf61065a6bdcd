//! The HTTP side: the built site served from memory (never from disk), with the live-reload
//! snippet injected into every page. URLs are decoded strictly: dot segments, encoded
//! slashes and backslashes are refused before any lookup.

use super::compress;
use super::conditional::{self, Answer};
use super::live;
#[cfg(test)]
use super::state::{Files, Outcome};
use super::state::{Pinned, Site, State};
use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::IpAddr;
use std::sync::Arc;

/// The server's routes: the live-reload stream, and the site for everything else.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(live::EVENTS_PATH, get(live::events))
        .fallback(serve)
        .with_state(state)
}

/// The `Host` values a server answers: the address it listens on, and `localhost`. Any
/// other name is refused, so that a web page the author visits cannot read the preview by
/// pointing a name of its own at this machine (DNS rebinding).
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    /// `--host` as given, lower case, without brackets.
    name: String,
    /// The address bound.
    ip: IpAddr,
}

impl AllowedHosts {
    /// The hosts of a server started with `--host name` and bound to `ip`.
    pub fn new(name: &str, ip: IpAddr) -> AllowedHosts {
        AllowedHosts {
            name: name
                .trim_matches(|c| c == '[' || c == ']')
                .to_ascii_lowercase(),
            ip,
        }
    }

    /// Whether a request's `Host` header names this server. An IP address is allowed when it
    /// is the bound one (any, when bound to all interfaces; a loopback one, when bound to
    /// loopback): a rebinding attack always comes with a name.
    pub fn allows(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        if name == "localhost" || name == self.name {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                ip == self.ip
                    || self.ip.is_unspecified()
                    || (ip.is_loopback() && self.ip.is_loopback())
            }
            Err(_) => false,
        }
    }
}

/// The host of a `Host` header value, without its port and brackets.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// `router` behind the `Host` check: a request for any other host gets 421 with a message.
pub fn guarded(state: Arc<State>, allowed: AllowedHosts) -> Router {
    router(state).layer(axum::middleware::from_fn_with_state(
        Arc::new(allowed),
        check_host,
    ))
}

async fn check_host(
    AxumState(allowed): AxumState<Arc<AllowedHosts>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    match host {
        Some(host) if allowed.allows(host) => next.run(request).await,
        _ => {
            let asked = host.unwrap_or("(none)");
            let message = format!(
                "421 Misdirected Request: this syllabus preview answers only requests for {} or localhost, not for `{asked}`.\n\
                 If you reached it through another name on purpose, start it with `syllabus serve --host NAME`.\n",
                allowed.name
            );
            text(StatusCode::MISDIRECTED_REQUEST, &message)
        }
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A site file, by its site path.
    File(String),
    /// Elsewhere: a folder without its slash, or the site root outside the base path.
    Redirect(String),
    NotFound,
    /// A path that could escape the site or that no link produces.
    BadRequest,
    /// The first build is still running.
    Building,
    /// No build succeeded yet.
    Failed,
}

/// Resolves a raw (still percent-encoded) request path against the site.
pub(crate) fn resolve(site: &Site, raw: &str) -> Resolved {
    let Some(path) = decode_path(raw) else {
        return Resolved::BadRequest;
    };
    if !site.ready {
        return Resolved::Building;
    }
    if !site.good {
        return Resolved::Failed;
    }
    let base = site.base.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        return if path == "/" || path == base.trim_end_matches('/') {
            Resolved::Redirect(base.to_string())
        } else {
            Resolved::NotFound
        };
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if site.contains(&key) {
        return Resolved::File(key);
    }
    if !rel.is_empty() && !rel.ends_with('/') && site.contains(&format!("{rel}/index.html")) {
        return Resolved::Redirect(format!("{raw}/"));
    }
    Resolved::NotFound
}

/// Percent-decodes a request path, or refuses it: it must start with `/`, and may not hold
/// `.` or `..` segments (encoded or not), empty segments, backslashes, NUL, or encoded
/// slashes and backslashes.
pub(crate) fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if ["\\", "%5c", "%2f", "%00"]
        .iter()
        .any(|bad| lower.contains(bad))
    {
        return None;
    }
    let well_formed = raw.match_indices('%').all(|(i, _)| {
        raw.as_bytes()
            .get(i + 1..i + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    let refused = path.contains(['\0', '\\'])
        || path.contains("//")
        || path
            .split('/')
            .any(|segment| segment == "." || segment == "..");
    (!refused).then_some(path)
}

/// The Content-Type of a site file, by its extension.
pub(crate) fn content_type(path: &str) -> String {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let mime = match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html".to_string(),
        "css" => "text/css".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        "json" | "map" => "application/json".to_string(),
        "xml" => "application/xml".to_string(),
        "txt" => "text/plain".to_string(),
        "svg" => "image/svg+xml".to_string(),
        "webmanifest" => "application/manifest+json".to_string(),
        _ => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let textual = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json" | "application/xml" | "application/manifest+json" | "image/svg+xml"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

async fn serve(
    AxumState(state): AxumState<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let mut site = state.site();
    let search_path = uri
        .path()
        .strip_prefix(site.base.as_str())
        .filter(|p| super::state::is_search_file(p))
        .map(str::to_string);
    if let Some(search_path) = search_path {
        // Searches never wait for the index: a stale one answers (the build loop rebuilds
        // it in the background right after saves), and the shards a query asks for come
        // from the index whose manifest it read.
        state.ask_for_search();
        let version = uri
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")));
        match version.map(|v| site.for_search_version(v, &search_path)) {
            None | Some(Pinned::Current) => {}
            Some(Pinned::Older(older)) => site = Arc::new(older),
            // The browser read a manifest that is gone: it must not get another index's
            // files; search.js reads the manifest again and asks anew.
            Some(Pinned::Gone) => {
                return no_cache(text(StatusCode::NOT_FOUND, "search index replaced\n"))
            }
        }
    }
    match resolve(&site, uri.path()) {
        Resolved::File(path) => file(&state, &site, &path, StatusCode::OK, (&method, &headers)),
        Resolved::Redirect(to) => {
            let to = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            no_cache(response)
        }
        Resolved::NotFound if site.contains("404.html") => {
            let request = (&method, &headers);
            file(&state, &site, "404.html", StatusCode::NOT_FOUND, request)
        }
        Resolved::NotFound => text(StatusCode::NOT_FOUND, "not found\n"),
        Resolved::BadRequest => text(StatusCode::BAD_REQUEST, "bad request\n"),
        Resolved::Building => page(
            StatusCode::SERVICE_UNAVAILABLE,
            live::standalone_page(
                "Building…",
                "The first build is running; this page reloads when it is done.",
                &live::snippet(&site, &state.server_id, 503),
            ),
        ),
        Resolved::Failed => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            live::standalone_page(
                "Build failed",
                "Syllabus could not build the site. Fix the errors below and save: this page reloads by itself.",
                &live::snippet(&site, &state.server_id, 500),
            ),
        ),
    }
}

/// A site file; HTML pages get the live-reload snippet (and the overlay, if any). A file found
/// (`status` 200) answers conditional and range requests; a HEAD request gets the headers of
/// the GET.
fn file(
    state: &State,
    site: &Site,
    path: &str,
    status: StatusCode,
    (method, headers): (&Method, &HeaderMap),
) -> Response {
    let Some(bytes) = site.get(path).cloned() else {
        return text(StatusCode::NOT_FOUND, "not found\n");
    };
    let content_type = content_type(path);
    let html = content_type.starts_with("text/html");
    let compressible = compress::compressible(path, &content_type);
    // Issue 18: a `[build] precompress` copy when the site has one the browser accepts.
    let copy = if compressible && !html {
        compress::precompressed(site, path, headers)
    } else {
        None
    };
    // A file held packed but for the script (the search index, `output::is_packed_path`) is
    // already what `compress::gzip_fast` would make of it: sent as it is held.
    let held_gzip = !html
        && crate::output::is_packed_path(path)
        && crate::output::is_packed(&bytes)
        && compress::accepts_gzip(headers);
    let (body, etag, encoding) = if let Some((coding, copy_path, copy)) = copy {
        let etag = site.etag(&copy_path, &copy);
        (Bytes::from_owner(Shared(copy)), etag, Some(coding))
    } else if held_gzip {
        let etag = site.etag(path, &bytes);
        let tagged = format!("{}-gz\"", etag.trim_end_matches('"'));
        (Bytes::from_owner(Shared(bytes)), tagged, Some("gzip"))
    } else {
        let (body, etag) = if html {
            let snippet = live::snippet(site, &state.server_id, status.as_u16());
            // Held packed (`output::pack`); unpacked for each request, as the script goes in.
            let body = Bytes::from(live::inject(&crate::output::unpack(&bytes), &snippet));
            let etag = conditional::etag(&body);
            (body, etag)
        } else {
            let etag = site.etag(path, &bytes);
            // The search index is held packed too: unpacked for a browser without gzip.
            let bytes = match crate::output::is_packed_path(path) {
                true => match crate::output::unpack(&bytes) {
                    std::borrow::Cow::Owned(plain) => Arc::new(plain),
                    std::borrow::Cow::Borrowed(_) => bytes,
                },
                false => bytes,
            };
            (Bytes::from_owner(Shared(bytes)), etag)
        };
        // Else text goes out gzipped to a browser that accepts it (serve/compress.rs).
        if compressible && body.len() >= 1024 && compress::accepts_gzip(headers) {
            let tagged = format!("{}-gz\"", etag.trim_end_matches('"'));
            (
                Bytes::from(compress::gzip_fast(&body)),
                tagged,
                Some("gzip"),
            )
        } else {
            (body, etag, None)
        }
    };
    let len = body.len();
    let found = status == StatusCode::OK;
    let answer = if found {
        conditional::answer(method, headers, &etag, len as u64)
    } else {
        Answer::Whole
    };
    let (status, body, content_range) = match answer {
        Answer::Whole => (status, body, None),
        Answer::NotModified => (StatusCode::NOT_MODIFIED, Bytes::new(), None),
        Answer::Part(range) => {
            let (start, end) = (*range.start(), *range.end());
            let part = body.slice(start as usize..=end as usize);
            let content_range = format!("bytes {start}-{end}/{len}");
            (StatusCode::PARTIAL_CONTENT, part, Some(content_range))
        }
        Answer::PreconditionFailed => (StatusCode::PRECONDITION_FAILED, Bytes::new(), None),
        Answer::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Bytes::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let length = body.len().to_string();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = (status, body).into_response();
    if status != StatusCode::NOT_MODIFIED {
        set_header(&mut response, header::CONTENT_TYPE, &content_type);
        set_header(&mut response, header::CONTENT_LENGTH, &length);
    }
    set_header(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if found {
        set_header(&mut response, header::ETAG, &etag);
        set_header(&mut response, header::ACCEPT_RANGES, "bytes");
    }
    if let Some(content_range) = content_range {
        set_header(&mut response, header::CONTENT_RANGE, &content_range);
    }
    if compressible {
        set_header(&mut response, header::VARY, "Accept-Encoding");
    }
    if let Some(coding) = encoding.filter(|_| status != StatusCode::NOT_MODIFIED) {
        set_header(&mut response, header::CONTENT_ENCODING, coding);
    }
    no_cache(response)
}

/// A site file's bytes, handed to the response without a copy.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

fn page(status: StatusCode, html: Vec<u8>) -> Response {
    let mut response = (status, html).into_response();
    set_header(
        &mut response,
        header::CONTENT_TYPE,
        "text/html; charset=utf-8",
    );
    no_cache(response)
}

fn text(status: StatusCode, message: &str) -> Response {
    let mut response = (status, message.to_string()).into_response();
    set_header(
        &mut response,
        header::CONTENT_TYPE,
        "text/plain; charset=utf-8",
    );
    no_cache(response)
}

fn set_header(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

/// Every answer may change with the next save: browsers must ask again each time.
fn no_cache(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(base: &str, paths: &[&str]) -> Site {
        Site {
            files: Arc::new(
                paths
                    .iter()
                    .map(|p| (p.to_string(), Arc::new(Vec::new())))
                    .collect(),
            ),
            good: true,
            ready: true,
            base: base.into(),
            ..Site::default()
        }
    }

    #[test]
    fn decodes_paths_and_refuses_traversal() {
        assert_eq!(decode_path("/a%20b/c.html").as_deref(), Some("/a b/c.html"));
        assert_eq!(decode_path("/caf%C3%A9/").as_deref(), Some("/café/"));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/a/./b",
            "/a%2f..%2fb",
            "/a%2Fb",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%5Cb",
            "//evil.example/x",
            "/a%00b",
            "/a%zz",
            "/a%",
            "/a%+f",
            "/%ff",
            "relative",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn resolves_files_folders_redirects_and_misses() {
        let s = site("/", &["index.html", "a/b/index.html", "assets/x.css"]);
        assert_eq!(resolve(&s, "/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&s, "/a/b/"),
            Resolved::File("a/b/index.html".into())
        );
        assert_eq!(
            resolve(&s, "/a/b/index.html"),
            Resolved::File("a/b/index.html".into())
        );
        assert_eq!(resolve(&s, "/a/b"), Resolved::Redirect("/a/b/".into()));
        assert_eq!(
            resolve(&s, "/assets/x.css"),
            Resolved::File("assets/x.css".into())
        );
        assert_eq!(resolve(&s, "/a/"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/nope"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/%2e%2e/x"), Resolved::BadRequest);
    }

    #[test]
    fn a_site_under_a_base_path_is_served_there() {
        let s = site("/course/", &["index.html", "a/index.html"]);
        assert_eq!(resolve(&s, "/"), Resolved::Redirect("/course/".into()));
        assert_eq!(
            resolve(&s, "/course"),
            Resolved::Redirect("/course/".into())
        );
        assert_eq!(
            resolve(&s, "/course/a/"),
            Resolved::File("a/index.html".into())
        );
        assert_eq!(resolve(&s, "/a/"), Resolved::NotFound);
    }

    #[test]
    fn before_and_without_a_good_build() {
        let mut s = site("/", &[]);
        s.ready = false;
        assert_eq!(resolve(&s, "/"), Resolved::Building);
        s.ready = true;
        s.good = false;
        assert_eq!(resolve(&s, "/x/"), Resolved::Failed);
    }

    #[test]
    fn content_types() {
        for (path, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("assets/a.css", "text/css; charset=utf-8"),
            ("assets/a.js", "text/javascript; charset=utf-8"),
            ("favicon.svg", "image/svg+xml; charset=utf-8"),
            ("img/a.png", "image/png"),
            ("img/a.JPG", "image/jpeg"),
            ("search.json", "application/json; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("font.woff2", "font/woff2"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    /// The files of a search index of version `v` whose one term shard holds `shard`.
    fn index(v: &str, shard: &str) -> Files {
        index_in("", v, shard)
    }

    /// A locale's search index (`locale`: `` or `ur/`), packed as `serve` holds it
    /// (`output::is_packed_path`): what a browser gets is the text as written.
    fn index_in(locale: &str, v: &str, shard: &str) -> Files {
        let dir = crate::site::search::DIR;
        [
            (
                format!("{locale}{dir}/manifest.js"),
                format!("__syllabusSearch(\"manifest\",{{\"v\":\"{v}\",\"shards\":[\"\"]}});\n"),
            ),
            (format!("{locale}{dir}/t/0.js"), shard.to_string()),
        ]
        .into_iter()
        .map(|(p, t)| {
            assert!(crate::output::is_packed_path(&p), "{p}");
            (p, Arc::new(crate::output::pack(t.as_bytes())))
        })
        .collect()
    }

    async fn body(state: &Arc<State>, uri: &str) -> String {
        let (status, body) = answer(state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        body
    }

    /// The status and body of a GET of `uri`; a replaced index's file is a 404 (`gone`).
    async fn answer(state: &Arc<State>, uri: &str) -> (StatusCode, String) {
        use tower::ServiceExt;
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router(state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    async fn gone(state: &Arc<State>, uri: &str) -> bool {
        answer(state, uri).await == (StatusCode::NOT_FOUND, "search index replaced\n".into())
    }

    #[tokio::test]
    async fn a_stale_search_index_answers_at_once_and_a_query_reads_one_index() {
        let state = Arc::new(State::new());
        let mut first = index("aaaa", "old shard");
        first.insert("index.html".into(), Arc::new(b"home".to_vec()));
        state.publish(Outcome::Built {
            files: first,
            base: "/".into(),
            title: "T".into(),
            errors: vec![],
        });
        state.publish_search(index("aaaa", "old shard"));
        state.publish_search(index("bbbb", "new shard"));
        // A save made the index stale: the build loop has not caught up yet.
        let (tx, rx) = std::sync::mpsc::channel();
        state.set_requests(tx);
        state.set_search_stale(true);

        // The manifest answers from the index there is, without waiting for a new one...
        let manifest = body(&state, "/assets/search/manifest.js").await;
        assert!(manifest.contains("\"v\":\"bbbb\""), "{manifest}");
        // ...and the build loop is asked to rebuild it now.
        assert!(matches!(
            rx.try_recv(),
            Ok(super::super::watch::Message::IndexSearch)
        ));
        // A query that read the newer manifest gets its shards, one that read the older one
        // (before the swap) gets the older shards; an unknown version gets none (search.js
        // reads the manifest again), never another index's files.
        assert_eq!(
            body(&state, "/assets/search/t/0.js?v=bbbb").await,
            "new shard"
        );
        assert_eq!(
            body(&state, "/assets/search/t/0.js?v=aaaa").await,
            "old shard"
        );
        assert!(gone(&state, "/assets/search/t/0.js?v=cccc").await);
        assert_eq!(body(&state, "/assets/search/t/0.js").await, "new shard");
        // Only the index before the newest is kept.
        state.publish_search(index("cccc", "newest shard"));
        assert!(gone(&state, "/assets/search/t/0.js?v=aaaa").await);
        assert_eq!(
            body(&state, "/assets/search/t/0.js?v=bbbb").await,
            "new shard"
        );
    }

    #[tokio::test]
    async fn a_packed_search_file_goes_out_as_held_to_a_browser_that_takes_gzip() {
        use tower::ServiceExt;
        let state = Arc::new(State::new());
        state.publish(Outcome::Built {
            files: index("aaaa", "the shard's text"),
            base: "/".into(),
            title: "T".into(),
            errors: vec![],
        });
        let get = |gzip: bool| {
            let mut request = axum::http::Request::get("/assets/search/t/0.js?v=aaaa");
            if gzip {
                request = request.header(header::ACCEPT_ENCODING, "gzip, br");
            }
            router(state.clone()).oneshot(request.body(Body::empty()).unwrap())
        };
        let response = get(true).await.unwrap();
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let etag = response.headers()[header::ETAG]
            .to_str()
            .unwrap()
            .to_string();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let held = state.site().get("assets/search/t/0.js").unwrap().clone();
        assert_eq!(&body[..], &held[..], "the held bytes, not packed again");
        assert_eq!(&*crate::output::unpack(&body), b"the shard's text");
        // Without gzip: the text, under another tag.
        let response = get(false).await.unwrap();
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
        assert_ne!(response.headers()[header::ETAG].to_str().unwrap(), etag);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(&body[..], b"the shard's text");
    }

    #[tokio::test]
    async fn each_locale_pins_its_own_index_version() {
        // Issue 13: each locale's index has its own manifest and version; a query in Urdu
        // that read the older Urdu manifest gets the older Urdu shards, not the newer ones.
        let state = Arc::new(State::new());
        let both = |en: &str, ur: &str, shard: &str| {
            let mut files = index_in("", en, &format!("en {shard}"));
            files.extend(index_in("ur/", ur, &format!("ur {shard}")));
            files
        };
        let mut first = both("e1", "u1", "old");
        first.insert("index.html".into(), Arc::new(b"home".to_vec()));
        state.publish(Outcome::Built {
            files: first,
            base: "/".into(),
            title: "T".into(),
            errors: vec![],
        });
        state.publish_search(both("e2", "u2", "new"));
        assert_eq!(
            body(&state, "/ur/assets/search/t/0.js?v=u1").await,
            "ur old"
        );
        assert_eq!(
            body(&state, "/ur/assets/search/t/0.js?v=u2").await,
            "ur new"
        );
        assert_eq!(body(&state, "/assets/search/t/0.js?v=e1").await, "en old");
        // Another locale's version, or one no longer kept, gets no files at all.
        assert!(gone(&state, "/ur/assets/search/t/0.js?v=e1").await);
    }
}
