//! The `syllabus` binary: parses the command line, runs the library, prints diagnostics
//! once and sets the exit code (0 ok, 1 content errors, 2 usage errors).

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;
use syllabus::build::{build, BuildOptions, Resources};
use syllabus::diagnostic::Diagnostic;
use syllabus::output::Staging;
use syllabus::{content, source};

mod cli;
use cli::{BuildArgs, CheckArgs, Cli, Command, InitArgs, ServeArgs};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Serve(args) => run_serve(&args),
        Command::Check(args) => run_check(&args),
        Command::Init(args) => run_init(&args),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn run_build(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let sources = match source::read(&args.root) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::from(1);
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.root.join(&sources.config.build.build_dir));
    let staging = match Staging::begin(&out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("  = help: choose another --out directory, or empty this one yourself");
            return ExitCode::from(1);
        }
    };
    let pages = sources
        .content
        .iter()
        .filter(|f| content::paths::is_markdown(&f.path))
        .count();
    let bar = progress_bar(pages);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let options = BuildOptions {
        base_url: args.base_url.clone(),
        on_page: Some(&tick),
    };
    let report = build(&sources, &options, &Resources::default(), &staging);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    print_diagnostics(&report.diagnostics);
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        staging.abandon();
        eprintln!(
            "error: build failed with {errors} error{}; `{}` was left as it was",
            if errors == 1 { "" } else { "s" },
            out.display()
        );
        return ExitCode::from(1);
    }
    if let Err(e) = staging.commit() {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "Built {} ({} pages) into {} in {:.2?}",
        report.title,
        report.pages,
        out.display(),
        started.elapsed()
    );
    ExitCode::SUCCESS
}

/// A progress bar on a terminal for builds long enough to need one; nothing in CI.
fn progress_bar(pages: usize) -> Option<indicatif::ProgressBar> {
    if pages < 200 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}").ok()?,
    );
    Some(bar)
}

fn run_serve(_args: &ServeArgs) -> ExitCode {
    eprintln!("error: `syllabus serve` is not available in this build yet");
    ExitCode::from(2)
}

fn run_check(_args: &CheckArgs) -> ExitCode {
    eprintln!("error: `syllabus check` is not available in this build yet");
    ExitCode::from(2)
}

fn run_init(_args: &InitArgs) -> ExitCode {
    eprintln!("error: `syllabus init` is not available in this build yet");
    ExitCode::from(2)
}
