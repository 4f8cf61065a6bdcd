//! Terms: the words of a text as the index knows them (lowercased, plurals folded, stop words
//! dropped, compounds kept whole too). `static/assets/search.js` applies the same rules to a
//! query.

use std::borrow::Cow;

/// Longest term indexed, in characters.
pub(super) const MAX_TERM: usize = 32;

/// Words too common to help; the reader drops them from queries too.
pub(crate) const STOP_WORDS: [&str; 18] = [
    "a", "an", "and", "are", "at", "be", "by", "it", "its", "of", "on", "or", "that", "the",
    "this", "to", "was", "were",
];

/// Calls `f` with every term of `text`: each word (a run of letters and digits, lowercased,
/// stemmed), and each compound of words joined by `-`, `_` or `.` (`docker-compose`,
/// `requirements.txt`) as written, lowercased. The reader (`search.js`) does the same.
pub(crate) fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    // The word being read, and the compound it may be part of (byte offsets, word count).
    let mut word: Option<usize> = None;
    let mut compound: Option<(usize, usize)> = None;
    // Whether the character at byte `i` is a letter or digit, and its length.
    let bytes = text.as_bytes();
    let class = |i: usize| match bytes.get(i) {
        None => (false, 1),
        Some(b) if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
        Some(_) => text[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
    };
    let mut i = 0;
    while i < bytes.len() {
        let (alphanumeric, width) = class(i);
        if alphanumeric {
            word.get_or_insert(i);
            i += width;
            continue;
        }
        if let Some(start) = word.take() {
            emit_word(&text[start..i], &mut buf, &mut f);
            compound = Some(compound.map_or((start, 1), |(s, n)| (s, n + 1)));
        }
        let joins = matches!(bytes[i], b'-' | b'_' | b'.') && class(i + 1).0;
        i += width;
        if !joins {
            if let Some((start, parts)) = compound.take() {
                emit_compound(&text[start..i - width], parts, &mut buf, &mut f);
            }
        }
    }
    if let Some(start) = word {
        emit_word(&text[start..], &mut buf, &mut f);
        compound = Some(compound.map_or((start, 1), |(s, n)| (s, n + 1)));
    }
    if let Some((start, parts)) = compound {
        emit_compound(&text[start..], parts, &mut buf, &mut f);
    }
}

fn is_stop_word(word: &str) -> bool {
    word.len() <= 4 && STOP_WORDS.contains(&word)
}

/// `word` lowercased (copied into `buf` if it has to change).
fn lower<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if !word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return word;
    }
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
    buf
}

fn emit_word(word: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    let len = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    let digits = word.bytes().all(|b| b.is_ascii_digit());
    if !(2..=MAX_TERM).contains(&len) || (digits && len > 4) {
        return;
    }
    let word = lower(word, buf);
    if !is_stop_word(word) {
        f(&stem(word));
    }
}

fn emit_compound(compound: &str, parts: usize, buf: &mut String, f: &mut impl FnMut(&str)) {
    if parts >= 2 && compound.chars().count() <= MAX_TERM {
        f(lower(compound, buf));
    }
}

/// A light English stemmer, plurals to singular: Harman's "S" stemmer, plus `sses` → `ss`
/// and words in `is` kept. `search.js` has the same rules.
pub(crate) fn stem(word: &str) -> Cow<'_, str> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let ends = |s: &str| word.ends_with(s);
    let n = word.len();
    if ends("sses") {
        Cow::Borrowed(&word[..n - 2])
    } else if ends("ies") && !ends("eies") && !ends("aies") {
        Cow::Owned(format!("{}y", &word[..n - 3]))
    } else if (ends("es") && !ends("aes") && !ends("ees") && !ends("oes"))
        || (ends("s") && !ends("us") && !ends("ss") && !ends("is"))
    {
        Cow::Borrowed(&word[..n - 1])
    } else {
        Cow::Borrowed(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn terms_are_lowercased_stemmed_and_compounds_kept() {
        assert_eq!(
            terms("Docker-Compose builds the images; uv runs requirements.txt."),
            [
                "docker",
                "compose",
                "docker-compose",
                "build",
                "image",
                "uv",
                "run",
                "requirement",
                "txt",
                "requirements.txt"
            ]
        );
        assert_eq!(
            terms("a I 8080 1234567 x86_64"),
            ["8080", "x86", "64", "x86_64"]
        );
        assert_eq!(stem("classes"), "class");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("analysis"), "analysis");
    }
}
