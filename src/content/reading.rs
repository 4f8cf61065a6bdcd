//! Reading time: an estimate of a lesson's minutes from its words, for pages without
//! `duration_minutes`. Prose counts in full at 200 words a minute; code is skimmed, so a
//! word of code counts a quarter; markup (tags, link targets, front matter) does not count.

/// Words a minute of prose.
const WORDS_PER_MINUTE: usize = 200;
/// A word inside a code fence counts this fraction of a prose word.
const CODE_WORDS_PER_WORD: usize = 4;

/// Minutes to read `body` (Markdown without front matter), rounded up; 0 for an empty body.
pub(crate) fn minutes(body: &str) -> u32 {
    let (mut prose, mut code) = (0usize, 0usize);
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(open) = fence {
            if t.starts_with(open) {
                fence = None;
            } else {
                code += words(t);
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if !t.starts_with("import ") && !t.starts_with("export ") {
            prose += words(&strip_markup(t));
        }
    }
    let weighted = prose * CODE_WORDS_PER_WORD + code;
    let per_minute = WORDS_PER_MINUTE * CODE_WORDS_PER_WORD;
    u32::try_from(weighted.div_ceil(per_minute)).unwrap_or(u32::MAX)
}

/// The words of a line: runs of characters with a letter or digit in them.
fn words(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| {
            // ASCII first: most words are, and a byte test is cheaper than decoding chars.
            w.bytes().any(|b| b.is_ascii_alphanumeric())
                || (!w.is_ascii() && w.chars().any(char::is_alphanumeric))
        })
        .count()
}

/// A line without HTML tags and link targets (`[text](target)` keeps `text`).
fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            ']' if depth == 0 && chars.peek() == Some(&'(') => {
                // Skip the link target up to its closing parenthesis.
                for t in chars.by_ref() {
                    if t == ')' {
                        break;
                    }
                }
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_at_200_words_a_minute_rounded_up() {
        assert_eq!(minutes(""), 0);
        assert_eq!(minutes("one two three"), 1);
        assert_eq!(minutes(&"word ".repeat(200)), 1);
        assert_eq!(minutes(&"word ".repeat(201)), 2);
        assert_eq!(minutes(&"word ".repeat(1000)), 5);
    }

    #[test]
    fn code_counts_a_quarter_and_markup_not_at_all() {
        let code = format!("```python\n{}\n```\n", "x = call(y) + z\n".repeat(400));
        // 1,200 words of code weigh 300 words of prose: two minutes.
        assert_eq!(minutes(&code), 2);
        let links = "[a](https://example.org/a/very/long/path/with/many/words) ".repeat(200);
        assert_eq!(minutes(&links), 1);
        assert_eq!(minutes("<div class=\"a b c d e\">word</div>"), 1);
    }
}
