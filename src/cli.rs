//! Command-line arguments, one struct per subcommand.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Syllabus: build online courses and technical books into static sites.
#[derive(Debug, Parser)]
#[command(name = "syllabus", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the course into a static site.
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
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
}
