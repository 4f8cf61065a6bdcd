//! Conditional and range requests (RFC 9110 §13 and §14) over a file held in memory: an
//! `ETag` for every file, `If-None-Match` answered with 304, a single `Range` with 206 (416
//! when it lies past the end), and `If-Range`. Enough for a browser to revalidate a page and
//! to seek in a course's video.

use axum::http::{header, HeaderMap, Method};
use std::ops::RangeInclusive;
use xxhash_rust::xxh3::xxh3_64;

/// A strong entity tag for these bytes.
pub(crate) fn etag(bytes: &[u8]) -> String {
    format!("\"{:016x}\"", xxh3_64(bytes))
}

/// How to answer a request for a file of `len` bytes tagged `etag`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// 200 with the whole file.
    Whole,
    /// 304: the client's copy is current.
    NotModified,
    /// 206 with these bytes.
    Part(RangeInclusive<u64>),
    /// 416: the range starts past the end.
    Unsatisfiable,
    /// 412: `If-Match` names another version.
    PreconditionFailed,
}

/// Reads the request's conditional and range headers.
pub(crate) fn answer(method: &Method, headers: &HeaderMap, etag: &str, len: u64) -> Answer {
    // Preconditions in the order of §13.2.2: If-Match (strong comparison, §13.1.1), then
    // If-None-Match. If-Unmodified-Since and If-Modified-Since are ignored, as §13.1.3-4
    // ask of a file without Last-Modified.
    if let Some(tags) = header_str(headers, header::IF_MATCH) {
        let matches = tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == etag);
        if !matches {
            return Answer::PreconditionFailed;
        }
    }
    if let Some(tags) = header_str(headers, header::IF_NONE_MATCH) {
        // Weak comparison, as RFC 9110 §13.1.2 asks.
        let matches = tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
        if matches {
            return Answer::NotModified;
        }
    }
    // Range is defined for GET only (§14.2).
    if method != Method::GET {
        return Answer::Whole;
    }
    let Some(range) = header_str(headers, header::RANGE) else {
        return Answer::Whole;
    };
    // A range of another version of the file (strong comparison; a date never matches, as
    // no Last-Modified is sent).
    if header_str(headers, header::IF_RANGE).is_some_and(|tag| tag != etag) {
        return Answer::Whole;
    }
    let Ok(parsed) = http_range_header::parse_range_header(range) else {
        // A malformed range is ignored (§14.2).
        return Answer::Whole;
    };
    match parsed.validate(len) {
        // One range: that part. Several: the whole file, which §14.2 allows (a server MAY
        // ignore Range), rather than a multipart body no browser needs.
        Ok(ranges) if ranges.len() == 1 => Answer::Part(ranges[0].clone()),
        Ok(_) => Answer::Whole,
        Err(http_range_header::RangeUnsatisfiableError::Unsatisfiable) => Answer::Unsatisfiable,
        // Ranges the parser rejects (too many, overlapping) are ignored too.
        Err(_) => Answer::Whole,
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ask(method: Method, pairs: &[(header::HeaderName, &str)]) -> Answer {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(name, HeaderValue::from_str(value).unwrap());
        }
        answer(&method, &headers, "\"abc\"", 100)
    }

    #[test]
    fn ranges_of_one_part_are_served_others_are_whole_or_refused() {
        let get = Method::GET;
        assert_eq!(ask(get.clone(), &[]), Answer::Whole);
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=0-9")]),
            Answer::Part(0..=9)
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=90-")]),
            Answer::Part(90..=99)
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=-5")]),
            Answer::Part(95..=99)
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=50-500")]),
            Answer::Part(50..=99),
            "an end past the file is the file's end"
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=100-")]),
            Answer::Unsatisfiable
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "bytes=0-1,5-6")]),
            Answer::Whole
        );
        assert_eq!(
            ask(get.clone(), &[(header::RANGE, "lines=1-2")]),
            Answer::Whole
        );
        assert_eq!(
            ask(Method::HEAD, &[(header::RANGE, "bytes=0-9")]),
            Answer::Whole
        );
    }

    #[test]
    fn entity_tags_answer_if_none_match_and_if_range() {
        let get = Method::GET;
        for tags in ["\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", "*"] {
            assert_eq!(
                ask(get.clone(), &[(header::IF_NONE_MATCH, tags)]),
                Answer::NotModified,
                "{tags}"
            );
        }
        assert_eq!(
            ask(get.clone(), &[(header::IF_NONE_MATCH, "\"old\"")]),
            Answer::Whole
        );
        let range = (header::RANGE, "bytes=0-9");
        assert_eq!(
            ask(get.clone(), &[range.clone(), (header::IF_RANGE, "\"abc\"")]),
            Answer::Part(0..=9)
        );
        assert_eq!(
            ask(get, &[range, (header::IF_RANGE, "\"old\"")]),
            Answer::Whole,
            "a range of another version gets the whole file"
        );
        assert_eq!(
            ask(Method::GET, &[(header::IF_MATCH, "\"abc\"")]),
            Answer::Whole
        );
        for other in ["\"old\"", "W/\"abc\""] {
            assert_eq!(
                ask(Method::GET, &[(header::IF_MATCH, other)]),
                Answer::PreconditionFailed,
                "{other}: If-Match compares strongly"
            );
        }
        assert_eq!(etag(b"x"), etag(b"x"));
        assert_ne!(etag(b"x"), etag(b"y"));
    }
}
