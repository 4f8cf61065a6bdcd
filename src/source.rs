//! SourceSet: an in-memory snapshot of a project. The only place the build reads the disk.

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One file of the content tree: its path relative to the content directory (with `/`)
/// and its raw bytes (decoded later, so that invalid UTF-8 becomes a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything a build needs, read from disk once.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    pub config: Config,
    /// The content directory's name relative to the project root, for diagnostics.
    pub content_dir: String,
    /// Content files, sorted by path.
    pub content: Vec<SourceFile>,
    /// Project templates overriding the embedded ones, by relative name (`partials/head.html`).
    pub templates: BTreeMap<String, String>,
    /// Project static files, copied to the site as they are.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Problems met while reading (unreadable files, symlink loops).
    pub diagnostics: Vec<Diagnostic>,
}

impl SourceSet {
    /// An in-memory project, for tests and tools: content paths relative to `content/`.
    pub fn from_memory(config: Config, files: &[(&str, &str)]) -> SourceSet {
        let content = files
            .iter()
            .map(|(p, t)| SourceFile {
                path: p.to_string(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect();
        SourceSet {
            content_dir: config.book.src.clone(),
            config,
            content,
            ..Default::default()
        }
    }
}

/// Reads `book.toml` (optional), the content tree, `templates/` and `static/` under `root`.
///
/// Fails only where nothing useful can be built: a bad `book.toml` or a missing content dir.
pub fn read(root: &Path) -> Result<SourceSet, Diagnostic> {
    let config = read_config(root)?;
    let content_root = root.join(&config.book.src);
    if !content_root.is_dir() {
        return Err(Diagnostic::error(
            config.book.src.clone(),
            0,
            0,
            format!("content directory `{}` not found", content_root.display()),
        )
        .with_help("create it, or set `[book] src` in book.toml"));
    }
    let mut diagnostics = Vec::new();
    let content_dir = config.book.src.trim_end_matches('/').to_string();
    let content = walk(&content_root, &content_dir, &mut diagnostics)
        .into_iter()
        .map(|(path, bytes)| SourceFile { path, bytes })
        .collect();
    let mut templates = BTreeMap::new();
    for (path, bytes) in walk(&root.join("templates"), "templates", &mut diagnostics) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                templates.insert(path, text);
            }
            Err(_) => diagnostics.push(Diagnostic::error(
                format!("templates/{path}"),
                0,
                0,
                "template is not valid UTF-8",
            )),
        }
    }
    let static_files = walk(&root.join("static"), "static", &mut diagnostics)
        .into_iter()
        .collect();
    Ok(SourceSet {
        config,
        content_dir,
        content,
        templates,
        static_files,
        diagnostics,
    })
}

/// Reads and parses `book.toml`; a missing file means the defaults.
pub fn read_config(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join("book.toml");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error("book.toml", 0, 0, "book.toml is not valid UTF-8")
            })?;
            config::parse(&text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Diagnostic::error(
            "book.toml",
            0,
            0,
            format!("cannot read book.toml: {e}"),
        )),
    }
}

/// Files under `dir` as (relative path, bytes), sorted; a missing dir is empty.
/// Symlinks are followed; loops and unreadable entries become diagnostics.
fn walk(dir: &Path, label: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(walk_error(dir, label, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(dir, entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((rel, bytes)),
            Err(e) => diagnostics.push(Diagnostic::error(
                format!("{label}/{rel}"),
                0,
                0,
                format!("cannot read file: {e}"),
            )),
        }
    }
    files
}

fn walk_error(dir: &Path, label: &str, e: &walkdir::Error) -> Diagnostic {
    let at = e
        .path()
        .map(|p| format!("{label}/{}", relative(dir, p)))
        .unwrap_or_else(|| label.to_string());
    match e.loop_ancestor() {
        Some(ancestor) => Diagnostic::error(
            at,
            0,
            0,
            format!(
                "symlink loop: this link points back to its ancestor `{}`",
                ancestor.display()
            ),
        )
        .with_help("remove the link or point it outside the content tree"),
        None => Diagnostic::error(at, 0, 0, format!("cannot read: {e}")),
    }
}

fn relative(dir: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
