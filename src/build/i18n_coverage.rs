//! Every theme string a reader sees goes through the catalogue: the two-locale fixture
//! (`tests/fixtures/i18n`, with a page of every construct whose markup has words of ours:
//! quiz, admonition, alert, table, task list, diagram, code block) built in memory, and no
//! Urdu page shows an English string that has an Urdu translation.

use crate::site::i18n::english_and;

/// The text a reader sees or hears: text nodes and the values of the attributes that are
/// read out or shown, outside code, scripts, styles and elements marked `lang="en"`.
fn visible(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut skip: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip.is_none() {
            let text = rest[..lt].trim();
            if !text.is_empty() {
                out.push(unescape(text));
            }
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(end) = skip {
            if tag.strip_prefix('/').is_some_and(|t| t.starts_with(end)) {
                skip = None;
            }
            continue;
        }
        let name = tag.split([' ', '\n']).next().unwrap_or("");
        if ["script", "style", "pre", "code"].contains(&name) {
            skip = Some(
                ["script", "style", "pre", "code"]
                    .into_iter()
                    .find(|n| *n == name)
                    .unwrap(),
            );
            continue;
        }
        for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            for (i, _) in tag.match_indices(attr) {
                let before = tag[..i].chars().last();
                if before.is_some_and(|c| c != ' ' && c != '\n') {
                    continue;
                }
                let value = &tag[i + attr.len()..];
                out.push(unescape(&value[..value.find('"').unwrap_or(0)]));
            }
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// True when `text` shows `english`'s fixed words: a fragment between placeholders, as a
/// substring when it is long, else as a whole word.
fn shows(text: &str, english: &str) -> bool {
    english
        .split(['{', '}'])
        .step_by(2)
        .map(str::trim)
        .filter(|f| f.chars().any(char::is_alphabetic))
        .any(|f| {
            if f.len() >= 4 {
                text.contains(f)
            } else {
                text.split(|c: char| !c.is_alphanumeric()).any(|w| w == f)
            }
        })
}

#[test]
fn no_urdu_page_shows_an_english_theme_string() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/i18n");
    let sources = crate::source::read(&root).expect("the fixture reads");
    let out = crate::output::Output::default();
    let report = crate::build(&sources, &Default::default(), &Default::default(), &out);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let files = out.into_files();
    let strings: Vec<_> = english_and("ur")
        .into_iter()
        .filter(|(_, en, ur)| en != ur)
        .collect();
    let mut checked = Vec::new();
    for (path, bytes) in &files {
        let Some(rest) = path.strip_prefix("ur/") else {
            continue;
        };
        if !rest.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        // The untranslated lesson (and the print view holding it) shows the original.
        if html.contains("lang=\"en\" dir=\"auto\"") {
            continue;
        }
        let text = visible(&html).join("\n");
        for (key, english, _) in &strings {
            assert!(
                !shows(&text, english),
                "{path} shows `{key}` in English ({english}):\n{text}"
            );
        }
        checked.push(rest.to_string());
    }
    // The pages that hold every construct, the root redirect and the 404 page were read.
    for page in [
        "index.html",
        "404.html",
        "docs/getting-started/mashq/index.html",
    ] {
        assert!(
            checked.iter().any(|p| p == page),
            "{page} not checked: {checked:?}"
        );
    }
    // And the check sees what it must: the English page shows the English strings.
    let en = visible(&String::from_utf8_lossy(
        &files["docs/getting-started/practice/index.html"],
    ))
    .join("\n");
    for english in [
        "Check answers",
        "Show answer",
        "Copy",
        "Tip",
        "Diagram 1",
        "Select all that apply.",
    ] {
        assert!(
            shows(&en, english),
            "{english} not in the English page:\n{en}"
        );
    }
}
