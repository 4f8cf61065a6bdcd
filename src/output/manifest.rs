//! The `.syllabus-output` marker: a manifest naming the folder it was written for and every
//! file Syllabus wrote there, so a build replaces exactly its own files and nothing else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io;
use std::path::Path;

/// The marker's file name, at the top of the output folder.
pub const MARKER: &str = ".syllabus-output";

/// How the marker of earlier versions began; they replaced the whole folder on every build.
const LEGACY: &[u8] = b"Written by syllabus.";

const ABOUT: &str = "Written by syllabus. `files` lists what syllabus wrote into this folder: the \
next build replaces those and keeps everything else. `folder` is this folder relative to the \
project, so a copy of this file elsewhere is not taken for syllabus output.";

const ABOUT_STAGING: &str = "Written by syllabus: a build in progress. Everything in this \
folder was written by that build.";

/// The marker's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Manifest {
    pub(super) about: String,
    /// The output folder this marker belongs to: its real path relative to the project's real
    /// root, with `/` (`public`, or `../site` for a folder beside the project).
    pub(super) folder: String,
    /// Every file Syllabus wrote, site-relative with `/`, sorted. Absent while a build is still
    /// staging: then everything in the folder is the build's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) files: Option<BTreeSet<String>>,
}

impl Manifest {
    /// The marker of a staging folder whose build is still writing.
    pub(super) fn staging(folder: &str) -> Manifest {
        Manifest {
            about: ABOUT_STAGING.into(),
            folder: folder.into(),
            files: None,
        }
    }

    /// The marker of a finished site.
    pub(super) fn complete(folder: &str, files: BTreeSet<String>) -> Manifest {
        Manifest {
            about: ABOUT.into(),
            folder: folder.into(),
            files: Some(files),
        }
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// What a folder's marker says about who wrote the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Marker {
    /// No marker.
    Absent,
    /// An earlier version's marker: that version wrote the whole folder.
    Legacy,
    Manifest(Manifest),
    /// A marker file that Syllabus did not write (not a regular file, or not its format).
    Unreadable,
}

/// Reads the marker at the top of `dir`.
pub(super) fn read(dir: &Path) -> io::Result<Marker> {
    let path = dir.join(MARKER);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Marker::Absent),
        Err(e) => return Err(e),
        Ok(m) if !m.file_type().is_file() => return Ok(Marker::Unreadable),
        Ok(_) => {}
    }
    Ok(parse(&std::fs::read(&path)?))
}

fn parse(bytes: &[u8]) -> Marker {
    if bytes.starts_with(LEGACY) {
        return Marker::Legacy;
    }
    serde_json::from_slice(bytes).map_or(Marker::Unreadable, Marker::Manifest)
}

/// Which files of a folder Syllabus wrote, by its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owned {
    /// Everything but what is kept by name or `[build] keep` (an earlier version's output, or a
    /// staging folder mid-build).
    All,
    Files(BTreeSet<String>),
}

impl Owned {
    /// Whether a manifest lists the file: then it is Syllabus's even if its name is kept
    /// (a `CNAME` published from `static/`).
    pub(super) fn lists(&self, rel: &str) -> bool {
        match self {
            Owned::All => false,
            Owned::Files(files) => files.contains(rel),
        }
    }

    /// Whether Syllabus wrote the file (kept names aside, for `All`).
    pub(super) fn file(&self, rel: &str) -> bool {
        match self {
            Owned::All => true,
            Owned::Files(files) => files.contains(rel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_is_one_file_a_line() {
        let files: BTreeSet<String> = ["index.html", "a/index.html"].map(String::from).into();
        let m = Manifest::complete("public", files);
        let bytes = m.to_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\n    \"a/index.html\",\n"), "{text}");
        assert_eq!(parse(&bytes), Marker::Manifest(m));
    }

    #[test]
    fn the_old_marker_and_foreign_text_are_told_apart() {
        assert_eq!(
            parse(b"Written by syllabus. The whole directory is replaced on every build.\n"),
            Marker::Legacy
        );
        assert_eq!(parse(b"{\"folder\": 1}"), Marker::Unreadable);
        assert_eq!(parse(b"hello"), Marker::Unreadable);
    }

    #[test]
    fn owned_files() {
        let owned = Owned::Files(["a/b/index.html", "CNAME"].map(String::from).into());
        assert!(owned.file("CNAME") && owned.lists("CNAME") && !owned.file("a"));
        assert!(Owned::All.file("y") && !Owned::All.lists("CNAME"));
    }
}
