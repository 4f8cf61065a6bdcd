//! SourceSet: an in-memory snapshot of a project. The only place the build reads the disk.

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::output::slash_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

mod deferred;
mod translations;
pub use deferred::read_deferred;
pub use deferred::OnDisk;
pub use translations::Translation;

/// One file of the content tree: its path relative to the content directory (with `/`)
/// and its raw bytes (decoded later, so that invalid UTF-8 becomes a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the content directory, with `/`.
    pub path: String,
    /// As read.
    pub bytes: Vec<u8>,
}

/// A project file read as text, by its project-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Relative to the project root, with `/`.
    pub path: String,
    /// As read.
    pub text: String,
}

/// The names tried for Docusaurus' sidebars file when `[book] sidebars` is not set.
const SIDEBARS_FILES: [&str; 5] = [
    "sidebars.js",
    "sidebars.ts",
    "sidebars.json",
    "sidebars.mjs",
    "sidebars.cjs",
];

/// Everything a build needs, read from disk once.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    /// `book.toml`, parsed (the defaults without one).
    pub config: Config,
    /// The content directory's name relative to the project root, for diagnostics.
    pub content_dir: String,
    /// Content files, sorted by path.
    pub content: Vec<SourceFile>,
    /// Project templates overriding the embedded ones, by relative name (`partials/head.html`).
    pub templates: BTreeMap<String, String>,
    /// Project static files, copied to the site as they are.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Docusaurus' hand-written sidebars file, if the project has one.
    pub sidebars: Option<TextFile>,
    /// With no book.toml, what was read from a Docusaurus config (one line for the user).
    pub note: Option<String>,
    /// Problems met while reading (unreadable files, symlink loops).
    pub diagnostics: Vec<Diagnostic>,
    /// With `[site] last-updated`: each content file's last commit time (Unix seconds), by
    /// path relative to the content directory; empty outside a git checkout.
    pub last_commits: BTreeMap<String, i64>,
    /// Each non-default locale's files under `i18n/<locale>/` (`[site] locales`).
    pub translations: BTreeMap<String, Translation>,
    /// The default locale's own `code.json`, `current.json` and `navbar.json` under
    /// `i18n/<default>/`, which Docusaurus applies to the default language too.
    pub default_translation: Translation,
    /// Routes of a Docusaurus site's own pages (`src/pages/signup.tsx` → `signup`,
    /// `src/pages/index.js` → ``), which Syllabus does not build: a link to one is a
    /// warning, not a broken link. Only names are read.
    pub site_pages: BTreeSet<String>,
    /// Set by [`read_deferred`]: the content's Markdown files were listed, not read; their
    /// `bytes` are empty and [`SourceSet::bytes`] reads them when a step needs them.
    pub on_disk: Option<std::sync::Arc<OnDisk>>,
}

impl SourceSet {
    /// An in-memory project, for tests: content paths relative to `content/`.
    #[cfg(test)]
    pub(crate) fn from_memory(config: Config, files: &[(&str, &str)]) -> SourceSet {
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

impl SourceSet {
    /// Brings the snapshot up to date after the given files or folders changed (paths
    /// relative to `root`, as a watcher reports them): a content file is re-read alone, in
    /// place, keeping the order of `read`; a change under `templates/` or `static/` re-reads
    /// that folder; a change to `book.toml` re-reads the whole project. Anything else is
    /// ignored. The result is what `read` would return now.
    pub(crate) fn refresh(&mut self, root: &Path, changed: &[PathBuf]) -> Result<(), Diagnostic> {
        let sidebars = self.sidebars.as_ref().map(|f| PathBuf::from(&f.path));
        let config_changed = changed.iter().any(|p| {
            p == Path::new("book.toml")
                || config::docusaurus::FILES.iter().any(|f| p == Path::new(f))
                || Some(p) == sidebars.as_ref()
                || SIDEBARS_FILES.iter().any(|s| p == Path::new(s))
        });
        if config_changed {
            *self = self.read_again(root)?;
            return Ok(());
        }
        let under = |dir: &str| changed.iter().any(|p| p.starts_with(dir));
        if under("templates") {
            self.retain_diagnostics("templates");
            self.templates = read_templates(root, &mut self.diagnostics);
        }
        if under(translations::DIR) {
            self.retain_diagnostics(translations::DIR);
            self.translations = translations::read(root, &self.config, &mut self.diagnostics);
            self.default_translation =
                translations::read_default(root, &self.config, &mut self.diagnostics);
        }
        if under("static") {
            self.retain_diagnostics("static");
            self.static_files = walk(root, &root.join("static"), "static", &mut self.diagnostics)
                .into_iter()
                .collect();
        }
        let content_dir = Path::new(&self.content_dir);
        let content: Vec<String> = changed
            .iter()
            .filter_map(|p| match self.content_dir.as_str() {
                "" | "." => Some(p.as_path()),
                _ => p.strip_prefix(content_dir).ok(),
            })
            .map(slash_path)
            .collect();
        if content.iter().any(|p| p.is_empty()) {
            // The content folder itself: read it all again.
            *self = self.read_again(root)?;
        } else if !content.is_empty() {
            self.refresh_content(root, &content);
        }
        Ok(())
    }

    /// Re-reads content paths (relative to the content dir): each is a file, a folder or gone.
    fn refresh_content(&mut self, root: &Path, changed: &[String]) {
        let dir = root.join(&self.content_dir);
        let label = self.content_dir.clone();
        let inside = |path: &str| {
            changed.iter().any(|c| {
                path == c
                    || path
                        .strip_prefix(c.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        };
        self.content.retain(|f| !inside(&f.path));
        self.diagnostics.retain(|d| {
            d.path
                .strip_prefix(&label)
                .and_then(|p| p.strip_prefix('/'))
                .is_none_or(|p| !inside(p))
        });
        let bounds = Bounds::new(root, &dir);
        let mut fresh = Vec::new();
        for rel in changed {
            let path = dir.join(rel);
            match bounds.admit(&path, is_symlink(&path)) {
                Admit::Read => {}
                Admit::Skip => continue,
                Admit::Refuse(why) => {
                    self.diagnostics
                        .push(refused(format!("{label}/{rel}"), why));
                    continue;
                }
            }
            if path.is_dir() {
                let folder_label = format!("{label}/{rel}");
                for (sub, bytes) in walk(root, &path, &folder_label, &mut self.diagnostics) {
                    fresh.push(SourceFile {
                        path: format!("{rel}/{sub}"),
                        bytes,
                    });
                }
            } else if path.is_file() {
                match std::fs::read(&path) {
                    Ok(bytes) => fresh.push(SourceFile {
                        path: rel.clone(),
                        bytes,
                    }),
                    Err(e) => self.diagnostics.push(Diagnostic::error(
                        format!("{label}/{rel}"),
                        0,
                        0,
                        format!("cannot read file: {e}"),
                    )),
                }
            }
        }
        if self.is_deferred() {
            // Left on disk, as `read_deferred` leaves them.
            for file in fresh.iter_mut().filter(|f| deferred::is_markdown(&f.path)) {
                file.bytes = Vec::new();
            }
        }
        fresh.sort_by(|a, b| path_order(&a.path, &b.path));
        fresh.dedup_by(|a, b| a.path == b.path);
        self.content.extend(fresh);
        self.content.sort_by(|a, b| path_order(&a.path, &b.path));
    }

    fn retain_diagnostics(&mut self, folder: &str) {
        self.diagnostics.retain(|d| {
            d.path
                .strip_prefix(folder)
                .is_none_or(|rest| !rest.is_empty() && !rest.starts_with('/'))
        });
    }
}

/// The order of `read`: a folder's entries sorted by name, depth first (so `a/b` comes
/// before `a-b`, unlike a plain string sort).
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Reads `book.toml` (optional), the content tree, `templates/` and `static/` under `root`.
///
/// Fails only where nothing useful can be built: a bad `book.toml` or a missing content dir.
pub fn read(root: &Path) -> Result<SourceSet, Diagnostic> {
    read_with(root, |_| false)
}

/// [`read`], with the content files for which `defer` is true listed but not read.
fn read_with(root: &Path, defer: fn(&str) -> bool) -> Result<SourceSet, Diagnostic> {
    let Settings {
        config,
        note,
        warnings,
    } = read_settings(root)?;
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
    let mut diagnostics = warnings;
    let content_dir = config.book.src.trim_end_matches('/').to_string();
    let content = walk_with(root, &content_root, &content_dir, &mut diagnostics, defer)
        .into_iter()
        .map(|(path, bytes)| SourceFile { path, bytes })
        .collect();
    let templates = read_templates(root, &mut diagnostics);
    let static_files = walk(root, &root.join("static"), "static", &mut diagnostics)
        .into_iter()
        .collect();
    let sidebars = read_sidebars(root, &config, &mut diagnostics);
    let last_commits = if config.site.last_updated {
        git_last_commits(&content_root)
    } else {
        BTreeMap::new()
    };
    let translations = translations::read(root, &config, &mut diagnostics);
    let default_translation = translations::read_default(root, &config, &mut diagnostics);
    let site_pages = docusaurus_pages(root);
    Ok(SourceSet {
        translations,
        default_translation,
        site_pages,
        last_commits,
        config,
        content_dir,
        content,
        templates,
        static_files,
        sidebars,
        note,
        diagnostics,
        on_disk: None,
    })
}

/// The routes of `src/pages/` as Docusaurus' pages plugin makes them: a file's path
/// without its extension (`.js`, `.jsx`, `.ts`, `.tsx`, `.md`, `.mdx`), `index` naming its
/// folder; names starting with `_` and test files are not pages.
fn docusaurus_pages(root: &Path) -> BTreeSet<String> {
    let dir = root.join("src").join("pages");
    if !dir.is_dir() {
        return BTreeSet::new();
    }
    walkdir::WalkDir::new(&dir)
        .max_depth(8)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            if rel.split('/').any(|part| part.starts_with('_')) {
                return None;
            }
            let (stem, ext) = rel.rsplit_once('.')?;
            let page = ["js", "jsx", "ts", "tsx", "md", "mdx"].contains(&ext)
                && !stem.ends_with(".test")
                && !stem.ends_with(".spec")
                && !stem.ends_with(".module");
            page.then(|| match stem.rsplit_once('/') {
                Some((dir, "index")) => dir.to_string(),
                None if stem == "index" => String::new(),
                _ => stem.to_string(),
            })
        })
        .collect()
}

/// Each file's last commit time under `dir`, from one `git log` run (newest commit first,
/// so a path's first mention is its last change); empty when git or the repository is
/// missing. Paths are relative to `dir`.
fn git_last_commits(dir: &Path) -> BTreeMap<String, i64> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "core.quotePath=off",
            "log",
            "--format=%x00%ct",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            ".",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => parse_git_log(&String::from_utf8_lossy(&out.stdout)),
        _ => BTreeMap::new(),
    }
}

/// Reads `git log --format=%x00%ct --name-only`: a NUL and the commit time, then the paths
/// the commit touched, one a line.
fn parse_git_log(text: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let mut time = None;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix('\0') {
            time = t.trim().parse::<i64>().ok();
        } else if let (Some(t), false) = (time, line.is_empty()) {
            out.entry(line.to_string()).or_insert(t);
        }
    }
    out
}

/// The sidebars file `[book] sidebars` names (`""`: none), else the first of
/// `sidebars.{js,ts,json,mjs,cjs}` in the project root.
fn read_sidebars(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TextFile> {
    let path = match config.book.sidebars.as_deref() {
        Some("") => return None,
        Some(path) => path.trim_start_matches("./").to_string(),
        None => SIDEBARS_FILES
            .iter()
            .find(|f| root.join(f).is_file())?
            .to_string(),
    };
    match std::fs::read(root.join(&path)) {
        Ok(bytes) => Some(TextFile {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            path,
        }),
        Err(e) => {
            diagnostics.push(Diagnostic::warning(
                "book.toml",
                0,
                0,
                format!(
                    "cannot read the sidebars file `{path}`: {e}; the folders decide the sidebar"
                ),
            ));
            None
        }
    }
}

/// The project's template overrides, by name.
fn read_templates(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let mut templates = BTreeMap::new();
    for (path, bytes) in walk(root, &root.join("templates"), "templates", diagnostics) {
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
    templates
}

/// The project's settings: `book.toml`; without one, the static part of a
/// `docusaurus.config.*` in the root; else the defaults.
pub(crate) fn read_config(root: &Path) -> Result<Config, Diagnostic> {
    read_settings(root).map(|s| s.config)
}

/// Settings, with the line that says what a Docusaurus config gave and its warnings.
struct Settings {
    config: Config,
    note: Option<String>,
    warnings: Vec<Diagnostic>,
}

fn read_settings(root: &Path) -> Result<Settings, Diagnostic> {
    let path = root.join("book.toml");
    let config = match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error("book.toml", 0, 0, "book.toml is not valid UTF-8")
            })?;
            config::parse(&text)?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(read_docusaurus_config(root).unwrap_or(Settings {
                config: Config::default(),
                note: None,
                warnings: Vec::new(),
            }))
        }
        Err(e) => {
            return Err(Diagnostic::error(
                "book.toml",
                0,
                0,
                format!("cannot read book.toml: {e}"),
            ))
        }
    };
    Ok(Settings {
        config,
        note: None,
        warnings: Vec::new(),
    })
}

/// Zero config: the first `docusaurus.config.{ts,js,mjs,cjs}` in the root, if any.
fn read_docusaurus_config(root: &Path) -> Option<Settings> {
    let (name, bytes) = config::docusaurus::FILES
        .iter()
        .find_map(|name| Some((*name, std::fs::read(root.join(name)).ok()?)))?;
    let text = String::from_utf8_lossy(&bytes);
    let read = config::docusaurus::read(name, &text);
    let c = &read.config;
    let note = format!(
        "no book.toml: read {name} (docs `{}` at /{}, {} taken)",
        c.book.src,
        c.site.route_base,
        if read.taken.is_empty() {
            "nothing else".to_string()
        } else {
            read.taken.join(", ")
        }
    );
    Some(Settings {
        config: read.config,
        note: Some(note),
        warnings: read.warnings,
    })
}

/// Files that editors write beside the real one while saving: Vim's swap files and its
/// `4913` probe, backups (`foo~`), Emacs lock and autosave files (`.#foo`, `#foo#`),
/// `*.tmp` and a few IDEs' atomic-save temporaries. Never read, never published, and no
/// reason for `serve` to rebuild.
pub(crate) fn is_editor_temp(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let vim_swap = lower.starts_with('.')
        && [".swp", ".swo", ".swn", ".swx"]
            .iter()
            .any(|ext| lower.ends_with(ext));
    vim_swap
        || name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || lower.ends_with(".tmp")
        || lower.ends_with(".crswap")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".goutputstream-")
        || name == ".DS_Store"
}

/// Where the files a project publishes may live: inside the project, or inside the folder
/// being read (a content folder may itself be a link to elsewhere).
struct Bounds {
    project: PathBuf,
    dir: PathBuf,
}

/// What to do with one entry of a source folder.
enum Admit {
    Read,
    /// Left out without a word: an editor's file.
    Skip,
    /// Left out, with a warning that says why.
    Refuse(String),
}

/// The warning for an entry left out.
fn refused(at: String, why: String) -> Diagnostic {
    Diagnostic::warning(at, 0, 0, why)
        .with_help("copy the file into the project if it should be published, or remove the link")
}

impl Bounds {
    fn new(root: &Path, dir: &Path) -> Bounds {
        let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        Bounds {
            project: real(root),
            dir: real(dir),
        }
    }

    /// The one rule for every entry, in `read` and `refresh` alike: editor files are
    /// skipped; a symlink (`is_link`) is followed only when it resolves inside the project.
    fn admit(&self, path: &Path, is_link: bool) -> Admit {
        let name = path.file_name().map(|n| n.to_string_lossy());
        if name.as_deref().is_some_and(is_editor_temp) {
            return Admit::Skip;
        }
        if !is_link {
            return Admit::Read;
        }
        match std::fs::canonicalize(path) {
            Ok(target) if target.starts_with(&self.project) || target.starts_with(&self.dir) => {
                Admit::Read
            }
            Ok(target) => Admit::Refuse(format!(
                "symlink to `{}`, outside the project: not followed, not published",
                target.display()
            )),
            Err(_) => Admit::Refuse(format!(
                "dangling symlink (to `{}`): left out",
                std::fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default()
            )),
        }
    }
}

/// Files under `dir` as (relative path, bytes), sorted; a missing dir is empty. Editor files
/// are skipped; symlinks are followed only inside the project (`root`); links out of it,
/// dangling links and loops are left out with a warning.
fn walk(
    root: &Path,
    dir: &Path,
    label: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    walk_with(root, dir, label, diagnostics, |_| false)
}

/// [`walk`], with the files for which `defer` is true listed with no bytes, unread.
fn walk_with(
    root: &Path,
    dir: &Path,
    label: &str,
    diagnostics: &mut Vec<Diagnostic>,
    defer: fn(&str) -> bool,
) -> Vec<(String, Vec<u8>)> {
    if !dir.exists() {
        return Vec::new();
    }
    let bounds = Bounds::new(root, dir);
    let mut refused_links = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            match bounds.admit(entry.path(), entry.path_is_symlink()) {
                Admit::Read => true,
                Admit::Skip => false,
                Admit::Refuse(why) => {
                    refused_links.push((relative(dir, entry.path()), why));
                    false
                }
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if let Some(d) = walk_error(dir, label, &bounds, &e) {
                    diagnostics.push(d);
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(dir, entry.path());
        if defer(&rel) {
            files.push((rel, Vec::new()));
            continue;
        }
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
    diagnostics.extend(
        refused_links
            .into_iter()
            .map(|(rel, why)| refused(format!("{label}/{rel}"), why)),
    );
    files
}

/// A walk error as a diagnostic: a symlink loop or a dangling link is a warning (the link is
/// left out), an editor's dangling lock file nothing, anything else an error.
fn walk_error(dir: &Path, label: &str, bounds: &Bounds, e: &walkdir::Error) -> Option<Diagnostic> {
    let at = e
        .path()
        .map(|p| format!("{label}/{}", relative(dir, p)))
        .unwrap_or_else(|| label.to_string());
    if let Some(ancestor) = e.loop_ancestor() {
        return Some(
            Diagnostic::warning(
                at,
                0,
                0,
                format!(
                    "symlink loop: this link points back to its ancestor `{}`; not followed",
                    ancestor.display()
                ),
            )
            .with_help("remove the link"),
        );
    }
    if let Some(path) = e.path() {
        match bounds.admit(path, is_symlink(path)) {
            Admit::Skip => return None,
            Admit::Refuse(why) => return Some(refused(at, why)),
            Admit::Read => {}
        }
    }
    Some(Diagnostic::error(at, 0, 0, format!("cannot read: {e}")))
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn relative(dir: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(dir).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn paths(s: &SourceSet) -> Vec<&str> {
        s.content.iter().map(|f| f.path.as_str()).collect()
    }

    fn assert_same(a: &SourceSet, b: &SourceSet) {
        assert_eq!(a.content, b.content);
        assert_eq!(a.templates, b.templates);
        assert_eq!(a.static_files, b.static_files);
        assert_eq!(a.diagnostics, b.diagnostics);
        assert_eq!(a.content_dir, b.content_dir);
    }

    #[test]
    fn order_is_by_folder_then_name() {
        let mut v = vec!["a-b.md", "a/b.md", "a/a/z.md", "a.md", "b.md"];
        v.sort_by(|a, b| path_order(a, b));
        assert_eq!(v, ["a/a/z.md", "a/b.md", "a-b.md", "a.md", "b.md"]);
    }

    #[test]
    fn refresh_patches_files_and_folders_like_a_fresh_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/README.md", "# Home");
        write(root, "content/a/b.md", "# B");
        write(root, "content/a-b.md", "# AB");
        write(root, "templates/partials/footer.html", "f1");
        write(root, "static/x.txt", "x1");
        let mut sources = read(root).unwrap();
        assert_eq!(paths(&sources), ["README.md", "a/b.md", "a-b.md"]);

        write(root, "content/a/b.md", "# B2");
        write(root, "content/a/c.md", "# C");
        write(root, "content/new/deep/d.md", "# D");
        std::fs::remove_file(root.join("content/a-b.md")).unwrap();
        write(root, "templates/partials/footer.html", "f2");
        write(root, "static/y.txt", "y");
        let changed: Vec<PathBuf> = [
            "content/a/b.md",
            "content/a/c.md",
            "content/new",
            "content/a-b.md",
            "templates/partials/footer.html",
            "static/y.txt",
            "elsewhere/ignored.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        sources.refresh(root, &changed).unwrap();
        assert_same(&sources, &read(root).unwrap());
        assert_eq!(
            paths(&sources),
            ["README.md", "a/b.md", "a/c.md", "new/deep/d.md"]
        );

        std::fs::remove_dir_all(root.join("content/a")).unwrap();
        sources
            .refresh(root, &[PathBuf::from("content/a")])
            .unwrap();
        assert_same(&sources, &read(root).unwrap());
    }

    #[test]
    fn refresh_rereads_everything_when_book_toml_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/README.md", "# Home");
        write(root, "docs/README.md", "# Docs");
        let mut sources = read(root).unwrap();
        write(root, "book.toml", "[book]\nsrc = \"docs\"\n");
        sources
            .refresh(root, &[PathBuf::from("book.toml")])
            .unwrap();
        assert_eq!(sources.content_dir, "docs");
        assert_eq!(sources.content[0].bytes, b"# Docs");
        write(root, "book.toml", "[book]\nnope = 1\n");
        assert!(sources
            .refresh(root, &[PathBuf::from("book.toml")])
            .is_err());
    }
}
