//! Parsing throughput of each code language of a course, per syntax set: Syllabus' own lean
//! grammars (src/markdown/syntaxes/), syntect's bundled ones and two-face's newer ones.
//! `Highlighter` (src/markdown/highlight/mod.rs) takes the first set that has the language, in
//! that order, because they measured faster in that order here; this shows it.
//!
//! ```sh
//! cargo bench --bench grammars -- /path/to/course/content [LANGUAGE ...]
//! ```
//!
//! Fenced blocks are collected from every `.md` file (a plain line scan: a ``` line opens or
//! closes a block) and each set's grammar for the fence's language parses all of them, line
//! by line, on one thread.

// A benchmark reports on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::time::Instant;
use syntect::parsing::{ParseState, SyntaxSet};
use syntect::util::LinesWithEndings;

fn main() {
    let Some(dir) = std::env::args().nth(1).filter(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench grammars -- CONTENT_DIR");
        std::process::exit(2);
    };
    // `cargo bench` adds `--bench`.
    let only: Vec<String> = std::env::args()
        .skip(2)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let mut open: Option<String> = None;
        let mut code = String::new();
        for line in text.lines() {
            match (line.trim_start().strip_prefix("```"), open.take()) {
                (Some(_), Some(lang)) => blocks
                    .entry(lang)
                    .or_default()
                    .push(std::mem::take(&mut code)),
                (Some(info), None) => {
                    open = Some(
                        info.split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_lowercase(),
                    )
                }
                (None, lang) => {
                    if lang.is_some() {
                        code.push_str(line);
                        code.push('\n');
                    }
                    open = lang;
                }
            }
        }
    }
    let sets = [
        ("syllabus", syllabus::own_syntaxes()),
        ("syntect", SyntaxSet::load_defaults_newlines()),
        ("two-face", two_face::syntax::extra_newlines()),
    ];
    println!(
        "{:>12} {:>9} {:>28} {:>8} {:>8} {:>7}",
        "language", "set", "grammar", "MB", "s", "MB/s"
    );
    for (lang, codes) in blocks
        .iter()
        .filter(|(l, _)| only.is_empty() || only.contains(l))
    {
        let mb = codes.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        for (name, set) in &sets {
            let Some(syntax) = set.find_syntax_by_token(lang) else {
                continue;
            };
            let started = Instant::now();
            for code in codes {
                let mut state = ParseState::new(syntax);
                for line in LinesWithEndings::from(code) {
                    let _ = state.parse_line(line, set);
                }
            }
            let s = started.elapsed().as_secs_f64();
            println!(
                "{lang:>12} {name:>9} {:>28} {mb:>8.2} {s:>8.3} {:>7.2}",
                syntax.name,
                mb / s
            );
        }
    }
}
