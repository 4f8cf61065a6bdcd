//! Syllabus: a static site generator for online courses and technical books.
//!
//! A one-way pipeline (see `docs/architecture.md`): [`source::read`] is the only disk read
//! and [`output::Staging`] the only disk write; everything between is pure. [`build()`] takes
//! a [`SourceSet`](source::SourceSet) and hands every site file to a [`Sink`](output::Sink)
//! (an in-memory [`Output`](output::Output), or the staging directory), returning the
//! diagnostics. [`check()`] is the build without output; [`serve`] serves builds from memory.
//!
//! ```no_run
//! let sources = syllabus::source::read(std::path::Path::new("my-course"))?;
//! let out = syllabus::output::Output::default();
//! let report = syllabus::build(&sources, &Default::default(), &Default::default(), &out);
//! for d in &report.diagnostics {
//!     eprintln!("{d}");
//! }
//! let files = out.into_files(); // site path -> bytes
//! # Ok::<(), syllabus::diagnostic::Diagnostic>(())
//! ```

mod build;
mod check;
pub mod config;
mod content;
pub mod diagnostic;
pub mod disk_cache;
#[cfg(test)]
mod generated;
mod html;
pub mod init;
mod js;
mod markdown;
mod memo;
pub mod output;
mod process;
pub mod serve;
mod site;
pub mod site_path;
pub mod source;

pub use build::{build, cache_identity, BuildOptions, BuildReport, Memo, MemoStats, Resources};
pub use check::check;
pub use content::paths::is_markdown;
pub use markdown::highlight::own_syntaxes;
pub use memo::CacheStats;
