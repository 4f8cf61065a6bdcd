//! Live reload: the server-sent events stream at `/__syllabus/events`, and what is injected
//! into every served page (the script that follows the stream, and the error overlay).

use super::state::{LiveEvent, Site, State};
use crate::diagnostic::Diagnostic;
use crate::html::escape;
use axum::extract::State as AxumState;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Where browsers listen for rebuilds.
pub(super) const EVENTS_PATH: &str = "/__syllabus/events";

/// How soon a browser reconnects after losing the stream (a restarted server).
const RETRY: Duration = Duration::from_millis(500);

const SCRIPT: &str = include_str!("live.js");

/// The event stream: a `hello` naming the server and its build, then one event per
/// published rebuild, until the client leaves or the server shuts down.
pub(super) async fn events(
    AxumState(state): AxumState<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.subscribe();
    let hello = Event::default().event("hello").retry(RETRY).data(
        serde_json::json!({"server": state.server_id, "build": state.site().build}).to_string(),
    );
    let shutdown = state.shutdown_signal();
    let updates = stream::unfold(
        (rx, shutdown, state),
        |(mut rx, mut shutdown, state)| async move {
            let event = tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => return None,
                received = rx.recv() => match received {
                    Ok(event) => to_sse(&event),
                    // Too far behind to know what changed: reload whatever the page is.
                    Err(RecvError::Lagged(_)) => to_sse(&LiveEvent::Reload {
                        build: state.site().build,
                        pages: None,
                    }),
                    Err(RecvError::Closed) => return None,
                },
            };
            Some((Ok(event), (rx, shutdown, state)))
        },
    );
    Sse::new(stream::once(async { Ok(hello) }).chain(updates))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// A live event as SSE: `reload` or `css`, with JSON data.
pub(super) fn to_sse(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { build, pages } => Event::default()
            .event("reload")
            .data(serde_json::json!({"build": build, "pages": pages}).to_string()),
        LiveEvent::Css { build, files, to } => Event::default()
            .event("css")
            .data(serde_json::json!({"build": build, "files": files, "to": to}).to_string()),
    }
}

/// What goes before `</body>` of a served page: the overlay when the latest build failed,
/// and the live-reload script.
pub(super) fn snippet(site: &Site, server_id: &str, status: u16) -> String {
    let config = serde_json::json!({"server": server_id, "build": site.build, "status": status});
    let mut out = overlay(&site.errors, site.good);
    out.push_str("<script id=\"syllabus-live\">");
    out.push_str(SCRIPT.trim_end());
    out.push('(');
    out.push_str(&config.to_string().replace("</", "<\\/"));
    out.push_str(");</script>\n");
    out
}

/// A fixed, dismissible panel listing the errors; empty when there are none.
pub(super) fn overlay(errors: &[Diagnostic], has_good_build: bool) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let count = errors.len();
    let heading = format!(
        "Build failed with {count} error{}",
        if count == 1 { "" } else { "s" }
    );
    let note = if has_good_build {
        "This page is from the last good build; it updates when the errors are fixed."
    } else {
        "The site appears as soon as the errors are fixed."
    };
    let mut items = String::new();
    for d in errors {
        items.push_str("<li style=\"margin:.4em 0\"><code style=\"color:#ffb4b4;font:inherit;font-weight:600\">");
        items.push_str(&escape(&d.location()));
        items.push_str("</code>: ");
        items.push_str(&escape(&d.message));
        if let Some(help) = &d.help {
            items.push_str("<br><span style=\"opacity:.8\">help: ");
            items.push_str(&escape(help));
            items.push_str("</span>");
        }
        items.push_str("</li>");
    }
    format!(
        "<div id=\"syllabus-overlay\" role=\"alert\" style=\"position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;background:#2b0d0d;color:#fff;border:2px solid #e5484d;border-radius:8px;padding:1rem 1.25rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)\">\
<button type=\"button\" aria-label=\"Dismiss\" style=\"float:right;background:none;border:1px solid #fff;color:#fff;border-radius:4px;cursor:pointer;font:inherit;padding:0 .5em\">Dismiss</button>\
<strong style=\"font-size:1.1em\">{heading}</strong><p style=\"margin:.3em 0 .6em;opacity:.85\">{note}</p><ul style=\"margin:0;padding-left:1.2em\">{items}</ul></div>\n"
    )
}

/// Inserts `snippet` before the last `</body>` of an HTML page (or at its end).
pub(super) fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if haystack.len() < needle.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A whole page for when there is no site to show: the first build is running, or failed.
pub(super) fn standalone_page(title: &str, message: &str, snippet: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title></head>\n<body style=\"font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem\"><h1>{t}</h1><p>{m}</p>\n{snippet}</body></html>\n",
        t = escape(title),
        m = escape(message),
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end_tag() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
        assert_eq!(inject(b"plain", "X"), b"plainX");
    }

    #[test]
    fn overlay_lists_each_error_escaped() {
        let errors = [
            Diagnostic::error("content/a.md", 3, 5, "broken link `<x>`").with_help("try b.md"),
            Diagnostic::error("book.toml", 0, 0, "bad key"),
        ];
        let html = overlay(&errors, true);
        assert!(html.contains("Build failed with 2 errors"));
        assert!(html.contains("content/a.md:3:5</code>: broken link `&lt;x&gt;`"));
        assert!(html.contains("help: try b.md"));
        assert!(html.contains("book.toml</code>: bad key"));
        assert!(html.contains("position:fixed") && html.contains("Dismiss"));
        assert_eq!(overlay(&[], true), "");
    }

    #[test]
    fn snippet_carries_the_build_and_server() {
        let site = Site {
            build: 7,
            ..Site::default()
        };
        let s = snippet(&site, "abc", 404);
        for part in [r#""build":7"#, r#""server":"abc""#, r#""status":404"#] {
            assert!(s.contains(part), "{part} in {s}");
        }
        assert!(s.contains("/__syllabus/events"));
        assert!(!s.contains("id=\"syllabus-overlay\""));
    }
}
