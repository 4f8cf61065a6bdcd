//! Formulas through the real binary: `[markdown] math` on and off, remark-math's reading of
//! the dollars, prices and code left alone, a bad formula shown as written with a warning at
//! its place, and the math font written and linked only where it is needed.

use crate::support;

use support::*;

/// The fixture built by the binary into a temporary folder: (exit code, stderr, output dir).
fn build_math(math: bool) -> (i32, String, tempfile::TempDir, tempfile::TempDir) {
    let project = copy_fixture("math");
    if !math {
        std::fs::write(
            project.path().join("book.toml"),
            "[book]\ntitle = \"Math Fixture\"\n",
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = build(project.path(), &out.path().join("site"), &[]);
    (code, stderr, project, out)
}

fn page(out: &tempfile::TempDir, url: &str) -> String {
    read(&out.path().join("site"), &format!("{url}index.html"))
}

/// The math stylesheet's name, before its hash (issue 18: `assets/math/math.HASH.css`).
const MATH_CSS: &str = "assets/math/math.";

#[test]
fn formulas_render_as_mathml_and_only_their_pages_load_the_font() {
    let (code, stderr, _project, out) = build_math(true);
    assert_eq!(code, 0, "{stderr}");
    let p = page(&out, "formulas/");
    assert!(
        p.contains(MATH_CSS) && p.contains("latinmodern-math."),
        "{p}"
    );
    // Inline, and `$ x $` with spaces (remark-math takes it; pulldown-cmark does not).
    assert!(p.contains("<math><mi>π</mi>"), "{p}");
    assert!(p.contains("<mi>f</mi>") && p.contains("→"), "{p}");
    assert!(!p.contains("$ f:") && !p.contains("\\pi"), "{p}");
    // `$$…$$` inside a line is inline; on lines of its own it is a scrolling block.
    assert_eq!(p.matches("<math display=\"block\">").count(), 3, "{p}");
    assert_eq!(p.matches("class=\"math-display\"").count(), 3, "{p}");
    assert!(p.contains("<munderover><mo lspace=\"0\">∑</mo>"), "{p}");
    // Environments and a formula in a heading (its id from the TeX).
    assert!(p.contains("<mtable"), "{p}");
    assert!(p.contains("<h2 id=\"the-bound-on-log-n\""), "{p}");
    assert!(!p.contains("math-error"), "{p}");

    for url in ["dollars/", "plain/"] {
        let p = page(&out, url);
        assert!(!p.contains(MATH_CSS) && !p.contains("<math"), "{url}: {p}");
    }
    let site = out.path().join("site");
    let font = hashed(&site.join("assets/math"), "latinmodern-math", "woff2");
    assert!(font.is_file());
    assert!(read(&site, "assets/math/GUST-FONT-LICENSE.txt").contains("GUST Font License"));
    let css = std::fs::read_to_string(hashed(&site.join("assets/math"), "math", "css")).unwrap();
    assert!(css.contains("Latin Modern Math"), "{css}");
    // The stylesheet points at the font's hashed name.
    let font_name = font.file_name().unwrap().to_string_lossy().into_owned();
    assert!(css.contains(&font_name), "{css}");
}

#[test]
fn prices_escapes_and_code_keep_their_dollars_with_math_on() {
    let (code, stderr, _project, out) = build_math(true);
    assert_eq!(code, 0, "{stderr}");
    let p = page(&out, "dollars/");
    for text in [
        "It costs $5, or $10 with shipping; $20,000 and $30,000; about ~$1,800 - $3,000.",
        "In America it is US$5 and US$10.",
        "Escaped: $x$ and $ y $ stay as written.",
        "In code: <code>$x$</code> and <code>$ y $</code>.",
    ] {
        assert!(p.contains(text), "missing {text:?} in {p}");
    }
    assert!(p.contains("$HOME"), "{p}");
    assert!(
        page(&out, "plain/").contains("Just text, and $5 is a price."),
        "a lone dollar is text"
    );
}

#[test]
fn a_bad_formula_is_a_warning_at_its_place_and_shown_as_written() {
    let (code, stderr, _project, out) = build_math(true);
    assert_eq!(code, 0, "warnings only: {stderr}");
    // `Good $a + b$ then bad $\sqrt{x} + \nope{y}$ here.` is line 5; `\nope` is column 35.
    assert!(
        stderr.contains("content/03-bad.md:5:35: warning: formula does not parse"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/03-bad.md:9:1: warning: formula does not parse")
            && stderr.matches("formula does not parse").count() == 2,
        "{stderr}"
    );
    let p = page(&out, "bad/");
    assert!(p.contains("<math><mi>a</mi>"), "the good one renders: {p}");
    assert!(
        p.contains("<code class=\"math-error\">$\\sqrt{x} + \\nope{y}$</code>"),
        "{p}"
    );
    assert!(
        p.contains("<code class=\"math-error\">$$\n\\begin{matrix} a &amp; b\n$$</code>"),
        "{p}"
    );
    assert!(p.contains(MATH_CSS), "the page shows a formula: {p}");
}

#[test]
fn with_math_off_dollars_are_text_and_no_font_is_written() {
    let (code, stderr, _project, out) = build_math(false);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("formula"), "{stderr}");
    let p = page(&out, "formulas/");
    assert!(!p.contains("<math") && !p.contains(MATH_CSS), "{p}");
    assert!(p.contains("the area is $\\pi r^2$"), "{p}");
    assert!(page(&out, "dollars/").contains("US$5 and US$10"));
    assert!(page(&out, "bad/").contains("bad $\\sqrt{x} + \\nope{y}$ here"));
    assert!(!out.path().join("site/assets/math").exists());
}
