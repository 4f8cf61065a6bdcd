//! Issue 18: theme files under content-hashed names, every asset a page references exists,
//! a project's override of a built-in file is hashed too, and `[build] precompress` writes
//! copies that decompress to the originals, the same bytes on every build.

use crate::support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Every `href="…"` and `src="…"` of an HTML page (the raw attribute values).
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The site path a reference points at, for references to this site's files (`None` for
/// other sites, anchors, `mailto:` and the like).
fn site_path(reference: &str, base: &str, page_dir: &str) -> Option<String> {
    let reference = reference.split(['#', '?']).next()?;
    if reference.is_empty() || reference.contains(':') || reference.starts_with("//") {
        return None;
    }
    let path = match reference.strip_prefix(base) {
        Some(rest) => rest.to_string(),
        None if reference.starts_with('/') => {
            return Some(format!("<outside the base> {reference}"))
        }
        None => format!("{page_dir}{reference}"),
    };
    let path = path.replace("&amp;", "&");
    let decoded = percent_decode(&path);
    Some(if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn bundled() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn is_hashed(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() == 16
        && parts[parts.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
}

#[test]
fn theme_files_have_hashed_names_and_every_referenced_file_exists() {
    for base in [None, Some("/course/")] {
        let built = support::build_in_memory(bundled(), base);
        assert!(!built.report.has_errors(), "{}", built.diagnostics());
        let files = &built.files;
        // The built-in files are there under hashed names only.
        for plain in [
            "assets/syllabus.css",
            "assets/syllabus.js",
            "assets/highlight.css",
            "assets/components.css",
            "assets/components.js",
            "assets/search.css",
            "assets/search.js",
            "assets/progress.css",
            "assets/progress.js",
            "assets/progress-data.js",
            "assets/course.css",
            "favicon.svg",
        ] {
            assert!(!files.contains_key(plain), "{plain} is written unhashed");
            let (dir, name) = plain.rsplit_once('/').unwrap_or(("", plain));
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let hashed: Vec<&String> = files
                .keys()
                .filter(|k| {
                    k.strip_prefix(&prefix).is_some_and(|n| {
                        !n.contains('/')
                            && n.starts_with(&format!("{stem}."))
                            && n.ends_with(&format!(".{ext}"))
                            && is_hashed(n)
                    })
                })
                .collect();
            assert_eq!(hashed.len(), 1, "{plain}: {hashed:?}");
            // The hash is of the published bytes.
            let bytes = &files[hashed[0]];
            let hash = format!("{:016x}", xxhash_of(bytes));
            assert!(
                hashed[0].contains(&hash),
                "{} is not named by its bytes",
                hashed[0]
            );
        }
        let checked = every_reference_resolves(files, base.unwrap_or("/"));
        assert!(checked > 100, "only {checked} references checked");
    }
}

/// Checks that every page's references to this site (under `base`) resolve to a written
/// file; returns how many it checked.
fn every_reference_resolves(files: &BTreeMap<String, Vec<u8>>, base: &str) -> usize {
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = path
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        for r in references(&html) {
            let Some(target) = site_path(&r, base, &dir) else {
                continue;
            };
            assert!(
                files.contains_key(&target),
                "{path} references {r} ({target}), which is not written"
            );
            checked += 1;
        }
    }
    checked
}

/// The stylesheets main added with translations, diagrams and formulas go through the same
/// hashed names, and every file their pages reference exists.
#[test]
fn every_referenced_file_exists_on_the_i18n_mermaid_and_math_fixtures() {
    for (fixture, sheet) in [
        ("i18n", "assets/i18n."),
        ("mermaid", "assets/diagram."),
        ("math", "assets/math/math."),
    ] {
        let built = support::build_in_memory(&support::fixture(fixture), Some("/course/"));
        assert!(!built.report.has_errors(), "{}", built.diagnostics());
        let files = &built.files;
        let checked = every_reference_resolves(files, "/course/");
        assert!(checked > 20, "{fixture}: only {checked} references checked");
        let hashed: Vec<&String> = files
            .keys()
            .filter(|k| k.starts_with(sheet) && k.ends_with(".css"))
            .collect();
        assert!(
            hashed.len() == 1 && is_hashed(hashed[0]),
            "{fixture}: {hashed:?}"
        );
        let linked = files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .any(|(_, b)| String::from_utf8_lossy(b).contains(&format!("/course/{}", hashed[0])));
        assert!(linked, "{fixture}: no page links {}", hashed[0]);
        for unhashed in [
            "assets/i18n.css",
            "assets/diagram.css",
            "assets/math/math.css",
        ] {
            assert!(
                !files.contains_key(unhashed),
                "{fixture}: {unhashed} written"
            );
        }
    }
}

/// xxh3-64, as the build names files; checked against a name rather than recomputed by
/// another crate: a stylesheet's bytes and its name must agree.
fn xxhash_of(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[test]
fn a_project_file_that_replaces_a_built_in_one_is_hashed_and_minified() {
    let css = b"/* mine */\nbody {\n  color: red;\n}\n";
    let built = support::build_project(&[
        ("content/index.md", b"# Home\n\nHello.\n"),
        ("static/assets/syllabus.css", css),
        (
            "static/downloads/notes.js",
            b"/* kept as it is */\nvar  x = 1;\n",
        ),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    let files = &built.files;
    let mine: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(k, _)| k.starts_with("assets/syllabus.") && k.ends_with(".css"))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(String::from_utf8_lossy(mine[0].1), "body{color:red}");
    // It is tiny, so the page carries it inline rather than asking for it (see below).
    let home = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(home.contains("<style>body{color:red}</style>"), "{home}");
    assert_eq!(
        files["downloads/notes.js"],
        b"/* kept as it is */\nvar  x = 1;\n".to_vec()
    );
}

#[test]
fn precompressed_copies_decompress_to_the_originals_and_are_deterministic() {
    let project = support::copy_fixture("basic");
    let toml = project.path().join("book.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap_or_default();
    text = if text.contains("[build]") {
        text.replace("[build]", "[build]\nprecompress = [\"br\", \"gzip\"]")
    } else {
        format!("{text}\n[build]\nprecompress = [\"br\", \"gzip\"]\n")
    };
    std::fs::write(&toml, text).unwrap();
    let read_all = |out: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(out).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .filter(|(p, _)| !p.starts_with(".syllabus"))
            .collect()
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut outs = Vec::new();
    for dir in [&a, &b] {
        let out = dir.path().join("site");
        let (code, stderr) = support::build(project.path(), &out, &[]);
        assert_eq!(code, 0, "{stderr}");
        outs.push(read_all(&out));
    }
    assert_eq!(outs[0], outs[1], "two builds differ");
    let files = &outs[0];
    let mut copies = 0;
    for (path, bytes) in files {
        let Some(original) = path.strip_suffix(".gz").or(path.strip_suffix(".br")) else {
            continue;
        };
        let plain = files
            .get(original)
            .unwrap_or_else(|| panic!("{path} has no original"));
        let mut back = Vec::new();
        if path.ends_with(".gz") {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut back)
                .unwrap();
        } else {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
        }
        assert_eq!(&back, plain, "{path} does not decompress to {original}");
        copies += 1;
    }
    assert!(copies > 10, "only {copies} compressed copies");
    // Every text file of 1 KB or more has both copies; nothing else has one.
    for (path, bytes) in files {
        let text = [".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"]
            .iter()
            .any(|e| path.ends_with(e));
        let want = text && bytes.len() >= 1024;
        for ext in [".br", ".gz"] {
            let has = files.contains_key(&format!("{path}{ext}"));
            assert_eq!(has, want, "{path}{ext}: expected {want}");
        }
    }
}

/// The minified stylesheets mean what their sources mean (issue 18: lightningcss may merge
/// rules and shorten values, so the test compares what the browser makes of them, not their
/// text): on the home page and a long lesson at desktop size in light, and on that lesson,
/// the quiz and the course map at phone size in dark, every element and its
/// `::before`/`::after` get the same computed style from the published sheets as from the
/// sources in `static/` put in their place.
#[test]
fn minified_stylesheets_style_every_element_as_their_sources_do() {
    use support::browser::{Browser, ColorScheme, SiteServer, Viewport};
    let Some(browser) = Browser::launch() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (code, stderr) = support::build(bundled(), &out, &["--base-url", "/site/"]);
    assert_eq!(code, 0, "{stderr}");
    let static_dir = bundled().join("static");
    let server = SiteServer::start_sites(&[(&out, "/site/"), (&static_dir, "/src/")]);
    let looks = [
        (
            Viewport::DESKTOP,
            ColorScheme::Light,
            &["", "capstone-production-ready-agent/"][..],
        ),
        (
            Viewport::PHONE,
            ColorScheme::Dark,
            &[
                "capstone-production-ready-agent/",
                "chapter-quiz/",
                "course-map/",
            ][..],
        ),
    ];
    std::thread::scope(|scope| {
        for (viewport, scheme, pages) in looks {
            let (browser, server) = (&browser, &server);
            scope.spawn(move || {
                let page = browser.blank_page(viewport);
                page.set_color_scheme(scheme);
                for path in pages {
                    page.goto(&server.url(path));
                    let (elements, swapped, differences): (usize, usize, Vec<String>) =
                        page.eval(SAME_STYLE_FROM_SOURCES);
                    let at = format!("{path} at {} in {}", viewport.name, scheme.name());
                    assert!(elements > 300, "{at}: only {elements} elements");
                    assert!(swapped >= 4, "{at}: only {swapped} sheets swapped");
                    assert!(differences.is_empty(), "{at}: {differences:#?}");
                }
            });
        }
    });
}

/// `[elements compared, sheets swapped, differences]`: the computed style (every standard
/// property) of every element and of its `::before`/`::after` when they have content, with
/// the published sheets, then with each `<link rel="stylesheet">` replaced by its source
/// under `/src/` (the hash out of the name), compared property by property.
const SAME_STYLE_FROM_SOURCES: &str = r#"(async () => {
  // Custom properties are left out: their computed value is their text as written (`#fff`
  // or `#ffffff`), and what they mean shows in the properties that use them.
  const props = [...getComputedStyle(document.documentElement)].filter((p) => !p.startsWith('--'));
  const style = (e, pseudo) => {
    const cs = getComputedStyle(e, pseudo);
    if (pseudo && cs.content === 'none') return '';
    let text = '';
    for (const p of props) text += p + ': ' + cs.getPropertyValue(p) + '\n';
    // `background: none` may come out as `background: 0 0`: a position of 0px 0px, the
    // same place as the initial 0% 0%.
    return text.replace(/^(background-position(?:-[xy])?): 0%( 0%)?$/gm, (_, p, two) => p + ': 0px' + (two ? ' 0px' : ''));
  };
  // The stylesheet links themselves are swapped out below.
  const elements = [...document.querySelectorAll('*')].filter((e) => !e.matches('link[rel="stylesheet"]'));
  const snap = () => elements.map((e) => style(e) + '::before ' + style(e, '::before') + '::after ' + style(e, '::after'));
  const before = snap();
  const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
  await Promise.all(links.map((old) => new Promise((done, fail) => {
    const source = old.getAttribute('href').replace(/^\/site\//, '/src/').replace(/\.[0-9a-f]{16}\.css$/, '.css');
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = source;
    link.onload = () => { old.remove(); done(); };
    link.onerror = () => fail(new Error('no source ' + source));
    old.after(link);
  })));
  const after = snap();
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const out = [];
  for (let i = 0; i < elements.length && out.length < 12; i++) {
    if (before[i] === after[i]) continue;
    const a = before[i].split('\n'), b = after[i].split('\n');
    out.push(name(elements[i]) + ': ' + a.map((v, j) => v === b[j] ? null : v + ' | ' + b[j]).filter(Boolean).slice(0, 4).join('; '));
  }
  const swapped = [...document.styleSheets].filter((s) => s.href && s.href.includes('/src/')).length;
  return [elements.length, swapped, out];
})()"#;

/// Issue 18 (SEO): every page has a meta description, also generated category pages and
/// pages without a paragraph in projects without a site description.
#[test]
fn every_page_has_a_meta_description() {
    for fixture in ["course-shapes", "docusaurus", "mermaid", "math"] {
        let built = support::build_in_memory(&support::fixture(fixture), None);
        let mut pages = 0;
        for (path, bytes) in built.files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8_lossy(bytes);
            // The not-found page is never indexed.
            if path == "404.html"
                || html.contains("http-equiv=\"refresh\"")
                || !html.contains("<main")
            {
                continue;
            }
            pages += 1;
            let description = html
                .split("<meta name=\"description\" content=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("");
            assert!(
                !description.trim().is_empty(),
                "{fixture}: {path} has no meta description"
            );
        }
        assert!(pages >= 3, "{fixture}: only {pages} pages");
    }
}

/// Issue 18, "inlined when tiny": a theme stylesheet of at most 1 KB (the generated code
/// colours) goes into each page that uses it as a `<style>` element holding exactly the
/// published file's text, and is not requested; the larger ones stay linked.
#[test]
fn a_tiny_stylesheet_is_inlined_and_the_others_are_linked() {
    let built = support::build_in_memory(bundled(), None);
    let files = &built.files;
    let sheet = |stem: &str| -> (String, String) {
        let (path, bytes) = files
            .iter()
            .find(|(k, _)| {
                k.strip_prefix("assets/")
                    .is_some_and(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".css"))
            })
            .unwrap_or_else(|| panic!("no {stem} stylesheet"));
        (path.clone(), String::from_utf8(bytes.clone()).unwrap())
    };
    let (highlight, colours) = sheet("highlight");
    assert!(colours.len() <= 1024, "{} bytes", colours.len());
    let (syllabus, main_sheet) = sheet("syllabus");
    assert!(main_sheet.len() > 1024);
    let lesson = built.page("capstone-production-ready-agent/");
    assert!(lesson.contains("<pre"), "the lesson has code");
    assert!(
        lesson.contains(&format!("<style>{}</style>", colours.trim_end())),
        "the code colours are inlined"
    );
    assert!(!lesson.contains(&highlight), "{highlight} is not requested");
    assert!(lesson.contains(&format!("<link rel=\"stylesheet\" href=\"/{syllabus}\">")));
    // A page without code has neither.
    let home = built.page("");
    assert!(!home.contains("<pre"));
    assert!(!home.contains(colours.trim_end()) && !home.contains(&highlight));
}
