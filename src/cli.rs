//! Command-line arguments, one struct per subcommand.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Syllabus: build online courses and technical books into static sites.
#[derive(Debug, Parser)]
#[command(name = "syllabus", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the course into a static site.
    Build(BuildArgs),
    /// Serve the course locally, rebuilding and reloading the browser on every save.
    Serve(ServeArgs),
    /// Check the course for broken links, bad front matter and other problems; writes nothing.
    Check(CheckArgs),
    /// Create a new course project.
    Init(InitArgs),
    /// Remove the build cache (`.syllabus-cache/`), and nothing else.
    Clean(CleanArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The project directory (holding book.toml and the content directory).
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: `[build] build-dir` of book.toml, else `public`].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Where the site will be hosted: a path (`/course/`) or a full URL
    /// (`https://example.org/course/`); overrides `[site] base-url`.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Remove what the output directory holds that syllabus did not write (except `.git`,
    /// `CNAME`, `.nojekyll`, `.gitkeep` and `[build] keep` entries, which are always kept).
    #[arg(long)]
    pub clean: bool,
    /// Build without the build cache (`.syllabus-cache/`): read nothing from it, write
    /// nothing to it.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 takes a free one.
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on (`0.0.0.0`: every interface, with a warning). Requests for
    /// other host names than this address and `localhost` get 421.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Open the site in the default browser once it is ready.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Diagnostic output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// `path:line:col: error: message`, one per line.
    Human,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`).
    Github,
    /// One JSON array of diagnostics.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Where to create the project.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Copy the default templates and static files into the project for customising
    /// (existing files are never overwritten).
    #[arg(long)]
    pub templates: bool,
    /// Write the book.toml equivalent to the Docusaurus config in the directory (what a
    /// build there reads when there is no book.toml), to edit it from there.
    #[arg(long, conflicts_with = "templates")]
    pub from_docusaurus: bool,
}
