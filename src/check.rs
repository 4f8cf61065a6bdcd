//! `syllabus check`: every check of the build, without its output.

use crate::build::{build, BuildOptions, BuildReport, Resources};
use crate::output::Output;
use crate::source::SourceSet;

/// Runs the build's checks on `sources` and returns every problem. Writes nothing, and skips
/// the costly steps whose output checking does not need (code highlighting, templates, the
/// search index).
pub fn check(sources: &SourceSet) -> BuildReport {
    let options = BuildOptions {
        check_only: true,
        ..BuildOptions::default()
    };
    build(sources, &options, &Resources::default(), &Output::default())
}
