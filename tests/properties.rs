//! Property tests: generated front matter, directives, quiz props, Markdown with raw HTML
//! and MDX, and book.toml, each built in memory. For every input: no panic and no abort,
//! every diagnostic inside the file it names, every output path a safe site path, and
//! `check`'s errors the same as `build`'s.
//!
//! The default run tries a few thousand inputs; `PROPTEST_CASES=N cargo test --test
//! properties -- --ignored` tries N per generator, stopping a generator early once
//! `PROPTEST_BUDGET_SECS` have passed (`.ci/run` runs it so).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::OnceLock;
use syllabus::diagnostic::Diagnostic;
use syllabus::site_path::SitePath;
use syllabus::source::{SourceFile, SourceSet};

/// One set of resources for every case: the highlighter loads once.
fn resources() -> &'static syllabus::Resources {
    static RESOURCES: OnceLock<syllabus::Resources> = OnceLock::new();
    RESOURCES.get_or_init(syllabus::Resources::default)
}

/// A project in memory: `book.toml` (if any) and content files.
fn sources(book_toml: Option<&str>, files: &[(String, String)]) -> Option<SourceSet> {
    let config = match book_toml {
        Some(text) => syllabus::config::parse(text).ok()?,
        None => Default::default(),
    };
    let mut content: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: path.clone(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    content.sort_by(|a, b| syllabus::source::path_order(&a.path, &b.path));
    content.dedup_by(|a, b| a.path == b.path);
    Some(SourceSet {
        content_dir: config.book.src.clone(),
        config,
        content,
        ..Default::default()
    })
}

/// Builds and checks `sources`, and asserts every property.
fn holds(sources: &SourceSet, files: &[(String, String)]) -> Result<(), TestCaseError> {
    let out = syllabus::output::Output::default();
    let report = syllabus::build(sources, &Default::default(), resources(), &out);
    let check_options = syllabus::BuildOptions {
        check_only: true,
        ..Default::default()
    };
    let checked = syllabus::build(
        sources,
        &check_options,
        resources(),
        &syllabus::output::Output::default(),
    );
    for path in out.into_files().keys() {
        prop_assert!(SitePath::new(path).is_ok(), "unsafe output path {path:?}");
    }
    for d in &report.diagnostics {
        inside_its_file(d, sources, files)?;
    }
    let errors = |r: &syllabus::BuildReport| -> Vec<String> {
        r.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect()
    };
    prop_assert_eq!(
        errors(&checked),
        errors(&report),
        "check and build disagree"
    );
    Ok(())
}

/// A diagnostic about a content file points at one of its lines, and at most one column
/// past that line's end.
fn inside_its_file(
    d: &Diagnostic,
    sources: &SourceSet,
    files: &[(String, String)],
) -> Result<(), TestCaseError> {
    let prefix = format!("{}/", sources.content_dir);
    let Some(rel) = d.path.strip_prefix(&prefix) else {
        return Ok(());
    };
    let Some((_, text)) = files.iter().find(|(p, _)| p == rel) else {
        return Ok(());
    };
    if d.line == 0 {
        return Ok(());
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!(
        d.line <= lines.len(),
        "{d}: the file has {} lines",
        lines.len()
    );
    let width = lines[d.line - 1].chars().count();
    prop_assert!(
        d.column <= width + 1,
        "{d}: line {} has {width} characters",
        d.line
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// Scalars as authors and attackers write them.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _-]{0,12}",
        Just("../../../X".to_string()),
        Just("/../x".to_string()),
        Just("C:".to_string()),
        Just("NUL".to_string()),
        Just("a\\\\b".to_string()),
        Just("\"quoted: yes\"".to_string()),
        Just("[a, [b, {c: d}]]".to_string()),
        Just("&anchor x".to_string()),
        Just("*anchor".to_string()),
        Just("|".to_string()),
        Just("'it''s'".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("-1e999".to_string()),
        Just("~".to_string()),
        "[\\[\\]{}:,#'\"&*!|>%@` -]{1,8}",
        "\\PC{0,6}",
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("slug"),
        Just("id"),
        Just("sidebar_position"),
        Just("sidebar_label"),
        Just("draft"),
        Just("duration_minutes"),
        Just("learning_objectives"),
        Just("tags"),
        Just("description"),
        Just("custom"),
        Just("sidebar_postion"),
    ];
    let line = prop_oneof![
        (key.clone(), scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
        (key, scalar()).prop_map(|(k, v)| format!("{k}:\n  - {v}\n  - objective: {v}")),
        scalar(),
        (1..200usize).prop_map(|n| format!("tags: {}", "[".repeat(n))),
    ];
    prop::collection::vec(line, 0..6).prop_map(|lines| {
        let closing = if lines.len() % 5 == 4 { "" } else { "---\n" };
        format!("---\n{}\n{closing}# Title\n\nBody\n", lines.join("\n"))
    })
}

fn directives() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (3..6usize, "[a-z]{0,8}", "[A-Za-z \\[\\]{}]{0,10}")
            .prop_map(|(n, name, title)| format!("{}{name}{title}", ":".repeat(n))),
        (3..6usize).prop_map(|n| ":".repeat(n)),
        ("[a-z]{1,6}", "[A-Za-z \\[\\]]{0,8}").prop_map(|(name, label)| format!("::{name}{label}")),
        Just("```".to_string()),
        Just("text with [a link](./missing.md)".to_string()),
        Just(String::new()),
        (1..80usize).prop_map(|n| ":::note\n".repeat(n)),
    ];
    prop::collection::vec(line, 0..16).prop_map(|l| format!("# D\n\n{}\n", l.join("\n")))
}

/// JavaScript-literal fragments, stitched into `<Quiz questions={…} />`.
fn quiz() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("{question: 'Q?', options: ['a', \"b\", `c`], correctOption: 1}".to_string()),
        Just("{question: 'Q', options: ['a'], correctOption: 3}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just("'unclosed".to_string()),
        Just("`${x}`".to_string()),
        Just("/* c */".to_string()),
        Just("// c\n".to_string()),
        Just("\\u12".to_string()),
        Just("-1e5".to_string()),
        Just("/>".to_string()),
        Just("\n".to_string()),
        (1..300usize).prop_map(|n| "[".repeat(n)),
        "\\PC{0,4}",
    ];
    (
        prop::collection::vec(fragment, 0..12),
        any::<bool>(),
        "[a-z ]{0,8}",
    )
        .prop_map(|(parts, close, title)| {
            let end = if close { "]} />" } else { "" };
            format!(
                "# Quiz\n\n<Quiz title=\"{title}\" questions={{[{}{end}\n\nafter\n",
                parts.join("")
            )
        })
}

/// Markdown with raw HTML, MDX syntax, links, headings and code.
fn markdown() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[a-zA-Z0-9 ]{0,20}",
        "#{1,7} [a-z0-9 {}#-]{0,12}",
        Just("<div id=\"x\">".to_string()),
        Just("</div>".to_string()),
        Just("<details><summary>S</summary>".to_string()),
        Just("import X from './x'".to_string()),
        Just("export const y = 1;".to_string()),
        Just("{/* comment".to_string()),
        Just("*/}".to_string()),
        Just("<Tabs>".to_string()),
        Just("</Tabs>".to_string()),
        Just("<Widget prop={1} />".to_string()),
        Just("[x](./a.md#nope) [y](../../etc/passwd) [z](#top)".to_string()),
        Just("![](img.png)".to_string()),
        Just("```python".to_string()),
        Just("```".to_string()),
        Just("> [!NOTE]".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |".to_string()),
        Just("- [x] done".to_string()),
        Just("\u{0}\u{1b}\t\r".to_string()),
        (1..200usize).prop_map(|n| "> ".repeat(n)),
        (1..200usize).prop_map(|n| "- ".repeat(n)),
        "\\PC{0,10}",
    ];
    prop::collection::vec(line, 0..20).prop_map(|l| l.join("\n"))
}

fn book_toml() -> impl Strategy<Value = String> {
    let entry = prop_oneof![
        scalar().prop_map(|v| format!("[site]\nroute-base = {v:?}\n")),
        scalar().prop_map(|v| format!("[site]\nbase-url = {v:?}\n")),
        scalar().prop_map(|v| format!("[book]\ntitle = {v:?}\n")),
        Just("[book]\nexclude = [\"[\"]\n".to_string()),
        Just("[build]\non-broken-links = \"warn\"\n".to_string()),
        Just("[nope]\nx = 1\n".to_string()),
        "\\PC{0,12}",
    ];
    prop::collection::vec(entry, 0..3).prop_map(|e| e.join(""))
}

// ---------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------

/// Tries `cases` inputs of `strategy` (or `PROPTEST_CASES`), in batches, stopping early
/// once `PROPTEST_BUDGET_SECS` have passed.
fn run(
    name: &str,
    cases: u32,
    strategy: impl Strategy<Value = (Option<String>, Vec<(String, String)>)>,
) {
    let env = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = env("PROPTEST_CASES").map_or(cases, |n| n as u32);
    let budget = env("PROPTEST_BUDGET_SECS").map(std::time::Duration::from_secs);
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < cases {
        let batch = (cases - done).min(250);
        let mut runner = TestRunner::new(Config {
            cases: batch,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy, |(book_toml, files)| {
            match sources(book_toml.as_deref(), &files) {
                Some(sources) => holds(&sources, &files),
                None => Ok(()),
            }
        });
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
        done += batch;
        if budget.is_some_and(|b| started.elapsed() > b) {
            break;
        }
    }
}

/// One generated file beside a README, as `content/<name>`.
fn one_file(
    name: &'static str,
    text: impl Strategy<Value = String>,
) -> impl Strategy<Value = (Option<String>, Vec<(String, String)>)> {
    text.prop_map(move |t| {
        (
            None,
            vec![
                (
                    "README.md".to_string(),
                    "# Course\n\n[a](./a.md)\n".to_string(),
                ),
                (name.to_string(), t),
            ],
        )
    })
}

const DEFAULT_CASES: u32 = 500;

#[test]
fn front_matter_never_breaks_the_build() {
    run(
        "front matter",
        DEFAULT_CASES,
        one_file("a.md", front_matter()),
    );
}

#[test]
fn directives_never_break_the_build() {
    run("directives", DEFAULT_CASES, one_file("a.md", directives()));
}

#[test]
fn quiz_props_never_break_the_build() {
    run("quiz props", DEFAULT_CASES, one_file("a.mdx", quiz()));
}

#[test]
fn markdown_html_and_mdx_never_break_the_build() {
    run("markdown", DEFAULT_CASES, one_file("a.mdx", markdown()));
}

#[test]
fn book_toml_never_breaks_the_build() {
    let strategy = (book_toml(), markdown(), front_matter()).prop_map(|(toml, md, fm)| {
        (
            Some(toml),
            vec![
                ("README.md".to_string(), fm),
                ("part/a.md".to_string(), md),
                ("part/img.png".to_string(), "png".to_string()),
            ],
        )
    });
    run("book.toml", DEFAULT_CASES, strategy);
}

/// Many more cases of every generator, for `.ci/run` (`PROPTEST_CASES` sets how many).
#[test]
#[ignore = "long: run by .ci/run with PROPTEST_CASES"]
fn every_generator_at_length() {
    front_matter_never_breaks_the_build();
    directives_never_break_the_build();
    quiz_props_never_break_the_build();
    markdown_html_and_mdx_never_break_the_build();
    book_toml_never_breaks_the_build();
}
