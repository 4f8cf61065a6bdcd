//! Minified theme files (issue 18): stylesheets through lightningcss, scripts through the
//! `minifier` crate, at build time; the sources stay readable in the repository. A file a
//! minifier cannot read is published as it is (a project's own file may be anything).

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};

/// The oldest browsers the theme is written for: the first with `light-dark()` (the README
/// says so). Lightning CSS lowers nothing these browsers support, so `light-dark()`, custom
/// properties and nesting stay as written and the theme toggle (`color-scheme` on `<html>`)
/// keeps working; it only drops what they do not need.
fn targets() -> Targets {
    let version = |major: u32, minor: u32| Some((major << 16) | (minor << 8));
    Targets::from(Browsers {
        chrome: version(123, 0),
        edge: version(123, 0),
        firefox: version(120, 0),
        safari: version(17, 5),
        ios_saf: version(17, 5),
        ..Browsers::default()
    })
}

/// A stylesheet, minified; the text as it is when it does not parse.
pub(crate) fn css(text: &str) -> String {
    let minified = (|| {
        let mut sheet = StyleSheet::parse(text, ParserOptions::default()).ok()?;
        sheet
            .minify(MinifyOptions {
                targets: targets(),
                ..MinifyOptions::default()
            })
            .ok()?;
        let out = sheet
            .to_css(PrinterOptions {
                minify: true,
                targets: targets(),
                ..PrinterOptions::default()
            })
            .ok()?;
        Some(out.code)
    })();
    minified.unwrap_or_else(|| text.to_string())
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
        let out = css(src);
        assert!(out.len() < src.len(), "{out}");
        assert!(out.contains("light-dark(#111,#eee)"), "{out}");
        assert!(out.contains("--fg:") && out.contains("var(--fg)"), "{out}");
        assert!(!out.contains("lightningcss"), "{out}");
        assert!(!out.contains("colours"));
    }

    #[test]
    fn css_that_does_not_parse_is_kept() {
        assert_eq!(css("a { color: red"), css("a { color: red"));
        assert_eq!(css("}}} {"), "}}} {");
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
