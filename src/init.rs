//! `syllabus init`: a new course that builds and serves at once, and `--templates`, which
//! copies the built-in theme into a project for customising. Never overwrites a file.

use std::path::{Path, PathBuf};

/// The starter course: (path relative to the project, contents).
const STARTER: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "My Course"
description = "A course built with Syllabus."
language = "en"

[build]
build-dir = "public"
"#,
    ),
    (
        "content/README.md",
        r#"---
title: "Chapter 1: Containers in Practice"
description: "Package a small web service into a container image and run it anywhere."
---

Welcome to your new course. Each Markdown file in `content/` is a lesson; this
`README.md` is the chapter's own page, and the lessons below are listed in order.

## What you'll learn

- Check that your container tools work
- Write a Dockerfile for a small Python service and run it

:::tip Edit me
Run `syllabus serve` and change this text: the page in your browser reloads by itself.
:::
"#,
    ),
    (
        "content/01-getting-started.md",
        r#"---
title: Getting Started
description: "Check that Docker is installed and can run a container."
sidebar_position: 1
duration_minutes: 10
learning_objectives:
  - Verify the Docker installation
  - Run your first container
skills:
  - Docker CLI
---

## Check your installation

```console
$ docker --version
Docker version 27.3.1, build ce12230
```

## Run a container

```bash
docker run --rm hello-world
```

Next, [write your first Dockerfile](./02-your-first-dockerfile.md).
"#,
    ),
    (
        "content/02-your-first-dockerfile.md",
        r#"---
title: Your First Dockerfile
description: "Package a tiny Python web service as an image."
sidebar_position: 2
duration_minutes: 20
learning_objectives:
  - Write a Dockerfile for a Python service
  - Build and run the image
skills:
  - Dockerfile authoring
---

## The service

```python title="app.py"
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from a container\n")


HTTPServer(("0.0.0.0", 8000), Hello).serve_forever()
```

## The Dockerfile

```dockerfile title="Dockerfile" {4}
FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER 10001
EXPOSE 8000
CMD ["python", "app.py"]
```

## Build and run

```console
$ docker build -t hello-service .
$ docker run --rm -p 8000:8000 hello-service
```

Open <http://localhost:8000> to see the greeting.
"#,
    ),
];

/// What `init` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Files written, relative to the project directory.
    pub created: Vec<PathBuf>,
    /// Files that already existed and were left alone (only with `--templates`).
    pub kept: Vec<PathBuf>,
}

/// Why a project could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The directory already holds a project.
    #[error("`{0}` already holds a Syllabus project (book.toml or content/ exists)")]
    Exists(PathBuf),
    /// `--from-docusaurus` in a folder without a Docusaurus config.
    #[error("`{0}` has no docusaurus.config.ts, .js, .mjs or .cjs")]
    NoDocusaurusConfig(PathBuf),
    /// `--from-docusaurus` where a book.toml exists already.
    #[error("`{0}` already has a book.toml")]
    HasBookToml(PathBuf),
    /// A file or folder could not be written.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Creates the starter course in `dir`, which must not hold a project yet.
pub fn scaffold(dir: &Path) -> Result<InitReport, InitError> {
    if dir.join("book.toml").exists() || dir.join("content").exists() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    let mut report = InitReport::default();
    for (path, text) in STARTER {
        write_new(dir, path, text.as_bytes(), &mut report)?;
    }
    ignore_in_git(dir, &["/public", CACHE_IGNORE], &mut report)?;
    Ok(report)
}

/// Writes the `book.toml` equivalent to the static part of the Docusaurus config in `dir`
/// (what a build there reads with no book.toml), and returns the config's warnings.
pub fn from_docusaurus(
    dir: &Path,
) -> Result<(InitReport, Vec<crate::diagnostic::Diagnostic>), InitError> {
    if dir.join("book.toml").exists() {
        return Err(InitError::HasBookToml(dir.to_path_buf()));
    }
    let (name, bytes) = crate::config::docusaurus::FILES
        .iter()
        .find_map(|name| Some((*name, std::fs::read(dir.join(name)).ok()?)))
        .ok_or_else(|| InitError::NoDocusaurusConfig(dir.to_path_buf()))?;
    let read = crate::config::docusaurus::read(name, &String::from_utf8_lossy(&bytes));
    let toml = format!(
        "# Written by `syllabus init --from-docusaurus` from {name}.\n\n{}",
        crate::config::to_toml(&read.config)
    );
    let mut report = InitReport::default();
    write_new(dir, "book.toml", toml.as_bytes(), &mut report)?;
    ignore_in_git(dir, &[CACHE_IGNORE], &mut report)?;
    Ok((report, read.warnings))
}

/// Copies the built-in templates and static files into `dir/templates` and `dir/static`,
/// leaving any file that already exists as it is.
pub fn copy_theme(dir: &Path) -> Result<InitReport, InitError> {
    let mut report = InitReport::default();
    for (path, text) in crate::site::default_templates() {
        write_new(
            dir,
            &format!("templates/{path}"),
            text.as_bytes(),
            &mut report,
        )?;
    }
    for (path, bytes) in crate::site::default_static() {
        write_new(dir, &format!("static/{path}"), &bytes, &mut report)?;
    }
    Ok(report)
}

/// The `.gitignore` line of the build cache (`crate::disk_cache::DIR`).
const CACHE_IGNORE: &str = "/.syllabus-cache/";

/// Adds each line that `dir/.gitignore` does not have yet (writing the file if missing).
fn ignore_in_git(dir: &Path, lines: &[&str], report: &mut InitReport) -> Result<(), InitError> {
    let path = dir.join(".gitignore");
    let io = |source| InitError::Io {
        path: path.clone(),
        source,
    };
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let text = old.as_deref().unwrap_or("");
    let has = |line: &str| {
        let bare = line.trim_matches('/');
        text.lines().any(|l| l.trim().trim_matches('/') == bare)
    };
    let missing: Vec<&str> = lines.iter().copied().filter(|l| !has(l)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut new = text.to_string();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    for line in missing {
        new.push_str(line);
        new.push('\n');
    }
    std::fs::write(&path, new).map_err(io)?;
    if old.is_none() {
        report.created.push(PathBuf::from(".gitignore"));
    }
    Ok(())
}

fn write_new(
    dir: &Path,
    rel: &str,
    bytes: &[u8],
    report: &mut InitReport,
) -> Result<(), InitError> {
    let path = dir.join(rel);
    let io = |source| InitError::Io {
        path: path.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, bytes).map_err(io)?;
            report.created.push(PathBuf::from(rel));
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            report.kept.push(PathBuf::from(rel))
        }
        Err(e) => return Err(io(e)),
    }
    Ok(())
}
