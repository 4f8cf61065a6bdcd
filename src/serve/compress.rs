//! Compression on the fly (issue 18): a text file of 1 KB or more goes out gzipped
//! (`Content-Encoding: gzip`, a fast level) to a browser whose `Accept-Encoding` allows it,
//! as static hosts do; `Vary: Accept-Encoding` on every such file. A range request gets the
//! file as it is, so ranges keep meaning bytes of the file.
//!
//! With `[build] precompress` on, serve's builds keep the `.br`/`.gz` copies of every text
//! file but the pages (which get the live-reload script as they go out), and a file that
//! has one goes out as that copy, Brotli first, as nginx's `brotli_static`/`gzip_static` and
//! Caddy's `precompressed` do.

use axum::http::{header, HeaderMap};
use std::sync::Arc;

/// True when the response for `path` (of `content_type`) may be compressed.
pub(super) fn compressible(path: &str, content_type: &str) -> bool {
    crate::output::is_text(path)
        || content_type.starts_with("text/")
        || content_type.starts_with("image/svg")
}

/// True when the request allows gzip (and is not a range request).
pub(super) fn accepts_gzip(headers: &HeaderMap) -> bool {
    accepts(headers, "gzip")
}

/// The precompressed copy of `path` this request may get: `(encoding, copy)`, Brotli
/// before gzip; `None` when the site has no copy the request accepts.
pub(super) fn precompressed(
    site: &super::state::Site,
    path: &str,
    headers: &HeaderMap,
) -> Option<(&'static str, String, Arc<Vec<u8>>)> {
    [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(coding, _)| accepts(headers, coding))
        .find_map(|(coding, ext)| {
            let copy = format!("{path}.{ext}");
            let bytes = site.get(&copy)?.clone();
            Some((coding, copy, bytes))
        })
}

/// True when the request allows `coding` (and is not a range request).
fn accepts(headers: &HeaderMap, wanted: &str) -> bool {
    if headers.contains_key(header::RANGE) {
        return false;
    }
    let Some(accept) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    accept.split(',').any(|part| {
        let mut bits = part.split(';').map(str::trim);
        let coding = bits.next().unwrap_or("");
        let q = bits
            .find_map(|b| b.strip_prefix("q="))
            .map_or(1.0, |q| q.parse::<f32>().unwrap_or(0.0));
        (coding.eq_ignore_ascii_case(wanted) || coding == "*") && q > 0.0
    })
}

/// `bytes` gzipped at a fast level (a preview answers at once; `[build] precompress`
/// takes the best level).
pub(super) fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    crate::output::pack(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_gzip(&with("gzip, deflate, br")));
        assert!(accepts_gzip(&with("br;q=1.0, gzip;q=0.5")));
        assert!(!accepts_gzip(&with("gzip;q=0")));
        assert!(!accepts_gzip(&with("br")));
        assert!(accepts(&with("gzip, deflate, br"), "br"));
        assert!(!accepts(&with("gzip, br;q=0"), "br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
        let mut ranged = with("gzip");
        ranged.insert(header::RANGE, HeaderValue::from_static("bytes=0-9"));
        assert!(!accepts_gzip(&ranged));
        assert!(compressible("a/index.html", "text/html; charset=utf-8"));
        assert!(!compressible("v.mp4", "video/mp4"));
    }
}
