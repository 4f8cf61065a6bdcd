//! The `syllabus` binary: parses the command line, runs the library, prints diagnostics
//! once and sets the exit code (0 ok, 1 content errors, 2 usage errors).

// The library never prints; the binary is where output goes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;
use syllabus::diagnostic::{self, Diagnostic};
use syllabus::output::{self, Staging};
use syllabus::{build, disk_cache, serve, source, BuildOptions, Resources};

mod cli;

/// mimalloc: rebuilds in `serve` make and drop many small values, and glibc's malloc spent
/// about half of a 10,000-lesson rebuild on them. Its purge delay is set in `main` (see
/// `tune_allocator`). The `system-alloc` feature leaves the system's malloc in place, for heap
/// profilers that trace `malloc` (heaptrack, massif).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cli::{BuildArgs, CheckArgs, CleanArgs, Cli, Command, Format, InitArgs, ServeArgs};

/// mimalloc v3 keeps memory a thread freed committed for a second (its `purge_delay`, 1,000
/// ms) before giving it back to the OS. A build frees each page's buffers as it writes the
/// page, so the freed pages piled up: at 1,000 lessons the peak was 60-70 MiB with that
/// delay and 51 MiB with 10 ms, at 10,000 lessons 204 and 152 MiB, for about a second more
/// system time at 10,000 (0 ms, purging at once, cost ten times that). Shorter delays were
/// measured again (session 16, eight alternating clean 1,000-lesson builds each): 3 ms and
/// 1 ms saved 1.0 and 2.4 MiB of a 45.6 MiB peak for 4% and 9% more wall time, so 10 ms
/// stays. An explicit `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn tune_allocator() {
    #[cfg(not(feature = "system-alloc"))]
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (include/mimalloc.h), which
        // libmimalloc-sys leaves unnamed: hence its pinned version, and the check that the
        // option holds v3's default before it is changed.
        const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        // SAFETY: reading and setting a mimalloc option is thread-safe and has no
        // preconditions; an index mimalloc does not know is ignored.
        unsafe {
            if libmimalloc_sys::mi_option_get(PURGE_DELAY) == 1000 {
                libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
            }
        }
    }
}

/// Asks mimalloc, on every thread of the build's pool and on this one, to take back the
/// blocks freed meanwhile and to give free memory to the OS now. A block freed by a thread
/// other than the one that allocated it waits on the allocating thread's list until that
/// thread allocates again: after a build in `serve`, the pool's threads sit idle, and what
/// the server drops (the site published before, a memo entry left unused) stayed resident.
fn collect_freed_memory() {
    #[cfg(not(feature = "system-alloc"))]
    {
        // SAFETY: `mi_collect` has no preconditions; it works on the calling thread's heap.
        rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
}

/// [`collect_freed_memory`] after a rebuild, off the calling thread (the build loop, which
/// must be free for the next save: waiting for the pool's threads on a loaded machine
/// delayed the next reload), unless the last one is still running.
fn collect_freed_memory_soon() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static RUNNING: AtomicBool = AtomicBool::new(false);
    if RUNNING.swap(true, Ordering::AcqRel) {
        return;
    }
    let spawned = std::thread::Builder::new().spawn(|| {
        collect_freed_memory();
        RUNNING.store(false, Ordering::Release);
    });
    if spawned.is_err() {
        RUNNING.store(false, Ordering::Release);
    }
}

fn main() -> ExitCode {
    tune_allocator();
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
        Command::Clean(args) => run_clean(&args),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn run_build(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let sources = match source::read_deferred(&args.root) {
        Ok(s) => {
            if let Some(note) = &s.note {
                eprintln!("{note}");
            }
            s
        }
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::from(1);
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.root.join(&sources.config.build.build_dir));
    let spare = (!args.no_cache)
        .then(|| disk_cache::spare_dir(&args.root))
        .flatten();
    let output_options = output::Options {
        root: &args.root,
        content_dir: &sources.content_dir,
        keep: &sources.config.build.keep,
        clean: args.clean,
        spare: spare.as_deref(),
    };
    let staging = match Staging::begin(&out, &output_options) {
        Ok(s) => s,
        Err(e) => {
            print_write_error(&e);
            return ExitCode::from(1);
        }
    };
    for note in staging.notes() {
        eprintln!("note: {note}");
    }
    let pages = sources
        .content
        .iter()
        .filter(|f| syllabus::is_markdown(&f.path))
        .count();
    // Each locale besides the default is built too (a site in several languages).
    let bar = progress_bar(pages * (1 + sources.translations.len()));
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let options = BuildOptions {
        base_url: args.base_url.clone(),
        on_page: Some(&tick),
        check_only: false,
        // Benchmarks only (benches/bench.py): measure the build without the search index.
        skip_search: std::env::var_os("SYLLABUS_NO_SEARCH").is_some_and(|v| v == "1"),
        ..BuildOptions::default()
    };
    // `[build] precompress`: compressed copies beside the text files (issue 18).
    let wanted = &sources.config.build.precompress;
    let precompress = output::Precompress::new(
        &staging,
        wanted.contains(&syllabus::config::Encoding::Brotli),
        wanted.contains(&syllabus::config::Encoding::Gzip),
    );
    let sink: &dyn output::Sink = if wanted.is_empty() {
        &staging
    } else {
        &precompress
    };
    // The build cache (`.syllabus-cache/`): read as the build asks, written as it goes.
    let mut resources = match (!args.no_cache)
        .then(|| open_cache(&args.root, &sources, &options))
        .flatten()
    {
        Some(cache) => Resources::with_disk_cache(cache),
        None => Resources::default(),
    };
    let report = build(&sources, &options, &resources, sink);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    print_diagnostics(&report.diagnostics);
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    if let Some(note) = resources.memo.finish_disk_cache(errors == 0) {
        eprintln!("note: {note}");
    }
    if errors > 0 {
        staging.abandon();
        eprintln!(
            "error: build failed with {errors} error{}; `{}` was left as it was",
            if errors == 1 { "" } else { "s" },
            out.display()
        );
        return ExitCode::from(1);
    }
    match staging.commit() {
        Ok(committed) => print_committed(&committed, &out),
        Err(e) => {
            print_write_error(&e);
            return ExitCode::from(1);
        }
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

/// The project's build cache, read (with a note on what was ignored), or None with a note on
/// why not.
fn open_cache(
    root: &std::path::Path,
    sources: &source::SourceSet,
    options: &BuildOptions<'_>,
) -> Option<disk_cache::Store> {
    let binary = match disk_cache::binary_identity() {
        Ok(id) => id,
        Err(e) => {
            eprintln!("note: building without the build cache: cannot read this program's own file to tell caches of other versions apart ({e})");
            return None;
        }
    };
    let identity = syllabus::cache_identity(binary, sources, options);
    let shards = disk_cache::shards_for(sources.content.len());
    let (store, note) = disk_cache::open(root, identity, shards);
    if let Some(note) = note {
        eprintln!("note: {note}");
    }
    store
}

fn run_clean(args: &CleanArgs) -> ExitCode {
    match disk_cache::clean(&args.root) {
        Ok(disk_cache::Cleaned::Removed) => {
            eprintln!(
                "Removed the build cache `{}`",
                args.root.join(disk_cache::DIR).display()
            );
            ExitCode::SUCCESS
        }
        Ok(disk_cache::Cleaned::Absent) => {
            eprintln!("No build cache in `{}`", args.root.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn print_write_error(e: &output::WriteError) {
    eprintln!("error: {e}");
    if let Some(help) = e.help() {
        eprintln!("  = help: {help}");
    }
}

/// One line for what the output held that syllabus did not write, and any leftover problem.
fn print_committed(committed: &output::Committed, out: &std::path::Path) {
    let n = committed.foreign.len();
    if n > 0 {
        let mut shown: Vec<String> = committed
            .foreign
            .iter()
            .take(3)
            .map(|p| format!("`{p}`"))
            .collect();
        if n > 3 {
            shown.push("…".into());
        }
        let shown = shown.join(", ");
        let entries = if n == 1 { "entry" } else { "entries" };
        let out = out.display();
        if committed.cleaned {
            eprintln!("note: removed {n} {entries} that syllabus did not write from `{out}` (--clean): {shown}");
        } else {
            eprintln!("warning: `{out}` holds {n} {entries} that syllabus did not write, kept: {shown}; list them in `[build] keep` to keep them quietly, or build with --clean to remove them");
        }
    }
    for w in &committed.warnings {
        eprintln!("warning: {w}");
    }
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

fn run_serve(args: &ServeArgs) -> ExitCode {
    let options = serve::Options {
        root: args.root.clone(),
        host: args.host.clone(),
        port: args.port,
    };
    if serve::is_every_interface(&args.host) {
        eprintln!(
            "warning: `--host {}` serves the preview, drafts included, to every machine that can reach this one; use it only on a network you trust",
            args.host
        );
    }
    let open = args.open;
    let reporter: serve::Reporter = std::sync::Arc::new(move |report| match report {
        serve::Report::Diagnostics(list) => print_diagnostics(&list),
        serve::Report::Ready { url, first } => {
            collect_freed_memory();
            eprintln!("Serving {} at {url}", first.title);
            let errors = match first.errors {
                0 => String::new(),
                n => format!(", with {n} error{} shown on every page", plural(n)),
            };
            eprintln!(
                "  built {} pages in {:.0?}{errors}; rebuilding on every save (Ctrl-C to stop)",
                first.pages, first.elapsed
            );
            if open {
                if let Err(e) = opener::open_browser(&url) {
                    eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
                }
            }
        }
        serve::Report::Rebuilt {
            elapsed,
            pages,
            rendered,
            errors,
            reloaded,
        } => {
            let outcome = match (errors, reloaded) {
                (0, true) => String::new(),
                (0, false) => "; no page changed".into(),
                (n, _) => format!("; {n} error{}, serving the last good build", plural(n)),
            };
            eprintln!("Rebuilt in {elapsed:.0?}: {rendered} of {pages} pages re-rendered{outcome}");
            collect_freed_memory_soon();
        }
        serve::Report::WatchError(e) => eprintln!("warning: {e}"),
    });
    match serve::run(&options, reporter) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(help) = e.help() {
                eprintln!("  = help: {help}");
            }
            ExitCode::from(1)
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn run_check(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    let (diagnostics, pages) = match source::read_deferred(&args.root) {
        Ok(sources) => {
            if let Some(note) = &sources.note {
                eprintln!("{note}");
            }
            let report = syllabus::check(&sources);
            let mut diagnostics = report.diagnostics;
            diagnostics.extend(check_build_dir(&args.root, &sources));
            (diagnostics, report.pages)
        }
        Err(d) => (vec![d], 0),
    };
    match args.format {
        Format::Human => diagnostics.iter().for_each(|d| println!("{d}")),
        Format::Github => diagnostics
            .iter()
            .for_each(|d| println!("{}", diagnostic::to_github(d))),
        Format::Json => println!("{}", diagnostic::to_json(&diagnostics)),
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "Checked {pages} pages in {:.2?}: {errors} error{}, {warnings} warning{}",
        started.elapsed(),
        plural(errors),
        plural(warnings)
    );
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `[build] build-dir` where `build` would refuse to write (inside the content directory,
/// `static/` or `templates/`, or holding the project).
fn check_build_dir(root: &std::path::Path, sources: &source::SourceSet) -> Option<Diagnostic> {
    let build = &sources.config.build;
    let options = output::Options {
        root,
        content_dir: &sources.content_dir,
        keep: &build.keep,
        clean: false,
        spare: None,
    };
    let e = output::check_location(&root.join(&build.build_dir), &options).err()?;
    let d = Diagnostic::error("book.toml", 0, 0, format!("`[build] build-dir`: {e}"));
    Some(match e.help() {
        Some(help) => d.with_help(help),
        None => d,
    })
}

fn run_init(args: &InitArgs) -> ExitCode {
    if args.from_docusaurus {
        return match syllabus::init::from_docusaurus(&args.dir) {
            Ok((report, warnings)) => {
                print_diagnostics(&warnings);
                for path in &report.created {
                    eprintln!("  created {}", args.dir.join(path).display());
                }
                eprintln!("Wrote the book.toml a build reads from the Docusaurus config; edit it from here.");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    let result = if args.templates {
        syllabus::init::copy_theme(&args.dir)
    } else {
        syllabus::init::scaffold(&args.dir)
    };
    match result {
        Ok(report) => {
            for path in &report.created {
                eprintln!("  created {}", args.dir.join(path).display());
            }
            for path in &report.kept {
                eprintln!(
                    "  kept    {} (already there)",
                    args.dir.join(path).display()
                );
            }
            if args.templates {
                eprintln!("Copied the default theme: edit templates/ and static/; delete a file to go back to the built-in one.");
            } else {
                let dir = args.dir.display();
                eprintln!("Created a course in {dir}. Next:\n  syllabus serve {dir}    # preview with live reload\n  syllabus build {dir}    # write the site to {dir}/public");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("  = help: choose an empty directory, or use `syllabus init --templates` to add the theme to an existing project");
            ExitCode::from(1)
        }
    }
}
