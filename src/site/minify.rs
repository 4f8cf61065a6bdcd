//! Minified theme files (issue 18), at build time; the sources stay readable in the
//! repository. Stylesheets go through lightningcss (parsed, minified as a CSS tool does:
//! shorter colours and values, merged rules, no comments or space; no browser targets are
//! set, so nothing modern such as `light-dark()` or `clamp()` is rewritten or prefixed),
//! scripts through the `minifier` crate. A file a minifier cannot read whole is published as
//! it is (a project's own file may be anything): never with a part left out. A browser test
//! checks that pages style every element the same with the sources and with the published
//! sheets (`tests/assets.rs`).

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

/// A stylesheet, minified; `None` when lightningcss cannot read all of it.
pub(crate) fn css(text: &str) -> Option<String> {
    let options = ParserOptions {
        error_recovery: false,
        ..ParserOptions::default()
    };
    let mut sheet = StyleSheet::parse(text, options).ok()?;
    sheet.minify(MinifyOptions::default()).ok()?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .ok()?;
    Some(printed.code)
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
    fn css_keeps_light_dark_clamp_and_custom_properties() {
        let src = ":root {\n  /* colours */\n  --fg: light-dark(#111111, #eeeeee);\n  color-scheme: light dark;\n}\n[data-theme=\"dark\"] { color-scheme: dark; }\nbody { color: var(--fg); }\nh1 { font-size: clamp(1rem, 1.45rem + 1.6vw, 2rem); width: min(36rem, calc(100vw - 2rem)); }\n";
        let out = css(src).unwrap();
        assert!(out.len() < src.len() * 3 / 4, "{out}");
        for kept in [
            "--fg:light-dark(#111,#eee)",
            "color-scheme:light dark",
            "color:var(--fg)",
            "clamp(1rem,1.45rem + 1.6vw,2rem)",
            "min(36rem,100vw - 2rem)",
        ] {
            assert!(out.contains(kept), "{kept} in {out}");
        }
        assert!(!out.contains("colours") && !out.contains('\n'), "{out}");
    }

    #[test]
    fn css_strings_and_urls_are_kept() {
        let src = "a::after { content: \"  /* no */ ;} \"; }\nb { background: url(img/a.png); }\n";
        let out = css(src).unwrap();
        assert!(out.contains("\"  /* no */ ;} \""), "{out}");
        assert!(out.contains("url(img/a.png)"), "{out}");
    }

    #[test]
    fn css_that_cannot_be_read_whole_is_not_minified() {
        // An unclosed string or block at the end is closed, as CSS says and browsers do.
        assert_eq!(css("a { content: \"x").as_deref(), Some("a{content:\"x\"}"));
        for broken in [
            "a[ { b: c }",
            ":::x { b: c }",
            "a { b: c } @media (min-width: ) { d { e: f } }",
        ] {
            assert_eq!(css(broken), None, "{broken}");
        }
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
