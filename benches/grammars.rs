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
//! by line, on one thread; each time is the best of `ROUNDS` runs, taken in turns. A last table shows each of
//! Syllabus' own grammars against its bash grammar, measured in the same run.

// A benchmark reports on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::time::Instant;
use syntect::parsing::{ParseState, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Runs per language and set; the fastest counts (the others met a busy machine).
const ROUNDS: usize = 7;

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
    // Every (language, set) pair, each run once per round: a busy moment of the machine
    // then slows one round of every grammar, not all the rounds of one.
    let mut runs = Vec::new();
    for (lang, codes) in blocks
        .iter()
        .filter(|(l, _)| only.is_empty() || only.contains(l))
    {
        for (name, set) in &sets {
            if let Some(syntax) = set.find_syntax_by_token(lang) {
                runs.push((lang.as_str(), *name, set, syntax, codes, f64::INFINITY));
            }
        }
    }
    for _ in 0..ROUNDS {
        for (_, _, set, syntax, codes, best) in &mut runs {
            *best = best.min(parse_all(syntax, set, codes));
        }
    }
    let mut own = Vec::new();
    for (lang, name, _, syntax, codes, s) in &runs {
        let mb = codes.iter().map(String::len).sum::<usize>() as f64 / 1e6;
        println!(
            "{lang:>12} {name:>9} {:>28} {mb:>8.2} {s:>8.3} {:>7.2}",
            syntax.name,
            mb / s
        );
        if *name == "syllabus" {
            own.push((*lang, syntax.name.as_str(), mb / s));
        }
    }
    let Some(&(_, _, bash)) = own
        .iter()
        .find(|(_, grammar, _)| *grammar == "Bourne Again Shell (bash)")
    else {
        return;
    };
    println!("\nSyllabus' own grammars against its bash grammar:");
    println!(
        "{:>12} {:>28} {:>7} {:>8}",
        "language", "grammar", "MB/s", "vs bash"
    );
    for (lang, grammar, speed) in &own {
        println!(
            "{lang:>12} {grammar:>28} {speed:>7.2} {:>7.2}x",
            speed / bash
        );
    }
}

/// Seconds `syntax` of `set` takes to parse every block of `codes`, line by line.
fn parse_all(syntax: &SyntaxReference, set: &SyntaxSet, codes: &[String]) -> f64 {
    let started = Instant::now();
    for code in codes {
        let mut state = ParseState::new(syntax);
        for line in LinesWithEndings::from(code) {
            let _ = state.parse_line(line, set);
        }
    }
    started.elapsed().as_secs_f64()
}
