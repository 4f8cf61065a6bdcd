//! Minified theme files (issue 18): stylesheets by [`css`] below, scripts through the
//! `minifier` crate, at build time; the sources stay readable in the repository. A file a
//! minifier cannot read is published as it is (a project's own file may be anything).
//!
//! Why not a CSS crate: lightningcss costs more than 3.5 CPU-minutes to compile at the test
//! profile, and `minifier::css` drops the spaces around `+` and `-` inside `clamp()`, `min()`
//! and `max()` (only `calc()` keeps them), which makes such a declaration invalid. What a
//! stylesheet loses here is only what never changes its meaning: comments, indentation, the
//! space beside `{ } ; , : >` and the last `;` of a block. Strings and `url(…)` are copied
//! as they are. A browser test checks that every theme stylesheet parses to the same rules
//! before and after (`tests/browser.rs`).

/// A stylesheet, minified (see the module's note).
pub(crate) fn css(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut space = false;
    // No space is needed after these, nor before the ones in `before`.
    let after = |c: char| matches!(c, '{' | '}' | ';' | ',' | ':' | '>' | '(');
    let before = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>' | ')' | '!');
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for d in chars.by_ref() {
                if last == '*' && d == '/' {
                    break;
                }
                last = d;
            }
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with(after) && !before(c) {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
        match c {
            '"' | '\'' => copy_string(&mut chars, c, &mut out),
            '(' if out.ends_with("url(") => copy_url(&mut chars, &mut out),
            '\\' => out.extend(chars.next()),
            _ => {}
        }
    }
    out
}

/// Copies a string's text and its closing `quote` (or the rest of the sheet when unclosed).
fn copy_string(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    quote: char,
    out: &mut String,
) {
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            out.extend(chars.next());
        } else if c == quote || c == '\n' {
            return;
        }
    }
}

/// Copies an unquoted `url(…)`'s text up to its `)` (a quoted one is left to the caller).
fn copy_url(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
    if matches!(chars.peek(), Some('"' | '\'')) {
        return;
    }
    for c in chars.by_ref() {
        if c == ')' {
            out.truncate(out.trim_end().len());
            out.push(c);
            return;
        }
        out.push(c);
    }
}

/// A script, minified (comments and white space out, nothing renamed); the bytes as they
/// are when they are not UTF-8 or do not tokenize.
pub(crate) fn js(bytes: &[u8]) -> Vec<u8> {
    let minified = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| minifier::js::minify(text).ok())
        .map(|m| m.to_string());
    match minified {
        Some(mut out) => {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.into_bytes()
        }
        None => bytes.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_keeps_light_dark_and_custom_properties() {
        let src = ":root {\n  /* colours */\n  --fg: light-dark(#111111, #eeeeee);\n  color-scheme: light dark;\n}\n[data-theme=\"dark\"] { color-scheme: dark; }\nbody { color: var(--fg); }\n";
        assert_eq!(
            css(src),
            ":root{--fg:light-dark(#111111,#eeeeee);color-scheme:light dark}[data-theme=\"dark\"]{color-scheme:dark}body{color:var(--fg)}"
        );
    }

    #[test]
    fn css_keeps_the_spaces_that_mean_something() {
        let src = "h1 { font-size: clamp(1rem, 1.45rem + 1.6vw, 2rem); width: min(36rem, calc(100vw - 2rem)); }\n@media (max-width: 800px) and (prefers-reduced-motion: reduce) {\n  .a .b > .c, .d :hover + p { margin: 0 auto !important; }\n}\n";
        assert_eq!(
            css(src),
            "h1{font-size:clamp(1rem,1.45rem + 1.6vw,2rem);width:min(36rem,calc(100vw - 2rem))}@media (max-width:800px) and (prefers-reduced-motion:reduce){.a .b>.c,.d :hover + p{margin:0 auto!important}}"
        );
    }

    #[test]
    fn css_strings_urls_and_escapes_are_copied() {
        let src = "a::after { content: \"  /* no */ ;} \"; }\nb { background: url( img/a b.png ); src: url(\"x  y.woff2\") }\n.x\\:y { c: '\\'' }\n";
        assert_eq!(
            css(src),
            "a::after{content:\"  /* no */ ;} \"}b{background:url(img/a b.png);src:url(\"x  y.woff2\")}.x\\:y{c:'\\''}"
        );
    }

    #[test]
    fn css_that_does_not_close_does_not_panic() {
        assert_eq!(css("a { content: \"x"), "a{content:\"x");
        assert_eq!(css("a { b: c } /* open"), "a{b:c}");
        assert_eq!(css("a{background:url(x"), "a{background:url(x");
    }

    #[test]
    fn js_loses_comments_and_space_but_not_strings() {
        let src = b"/* about */\n(function () {\n  // note\n  var s = \"a  b // c\";\n  return s + 1;\n})();\n";
        let out = String::from_utf8(js(src)).unwrap();
        assert!(out.len() < src.len());
        assert!(out.contains("\"a  b // c\""), "{out}");
        assert!(!out.contains("about") && !out.contains("note"), "{out}");
        assert_eq!(js(&[0xff, 0xfe]), vec![0xff, 0xfe]);
    }
}
