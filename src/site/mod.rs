//! The site: embedded templates with per-file project overrides, page rendering through
//! Tera, and the files beside the pages (404, sitemap, robots, stylesheets, static assets).

pub mod search;
pub mod view;

use crate::diagnostic::Diagnostic;
use include_dir::{include_dir, Dir};
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};
use view::{NavItem, PageView, SiteView};

static DEFAULT_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The default templates, by relative name (`partials/head.html`).
pub fn default_templates() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    collect(&DEFAULT_TEMPLATES, &mut |path, bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            out.insert(path.to_string(), text.to_string());
        }
    });
    out
}

/// The default static files, by site path.
pub fn default_static() -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(&DEFAULT_STATIC, &mut |path, bytes| {
        out.insert(path.to_string(), bytes.to_vec());
    });
    out
}

fn collect(dir: &Dir<'_>, f: &mut dyn FnMut(&str, &[u8])) {
    for file in dir.files() {
        f(
            &file.path().to_string_lossy().replace('\\', "/"),
            file.contents(),
        );
    }
    for sub in dir.dirs() {
        collect(sub, f);
    }
}

/// The template set: defaults, with the project's files of the same name in their place.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    pub fn load(overrides: &BTreeMap<String, String>) -> Result<Templates, Diagnostic> {
        let mut all = default_templates();
        all.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let source_of = |name: &str| {
            if overrides.contains_key(name) {
                format!("templates/{name}")
            } else {
                format!("(built-in) templates/{name}")
            }
        };
        tera.add_raw_templates(all.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| {
                let name = tera_template_name(&e).unwrap_or_default();
                Diagnostic::error(
                    source_of(&name),
                    0,
                    0,
                    format!("template error: {}", error_chain(&e)),
                )
            })?;
        for required in ["page.html", "404.html"] {
            if !all.contains_key(required) {
                return Err(Diagnostic::error(
                    format!("templates/{required}"),
                    0,
                    0,
                    "required template is missing",
                ));
            }
        }
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Diagnostic> {
        let ctx = Context::from_serialize(context)
            .map_err(|e| Diagnostic::error(format!("templates/{name}"), 0, 0, error_chain(&e)))?;
        self.tera.render(name, &ctx).map_err(|e| {
            Diagnostic::error(
                format!("templates/{name}"),
                0,
                0,
                format!("template error: {}", error_chain(&e)),
            )
        })
    }

    /// Renders a content page.
    pub fn page(
        &self,
        site: &SiteView,
        page: &PageView<'_>,
        nav: &[NavItem],
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: &'a PageView<'a>,
            nav: &'a [NavItem],
        }
        self.render("page.html", &Ctx { site, page, nav })
    }

    /// Renders `404.html`.
    pub fn not_found(&self, site: &SiteView, nav: &[NavItem]) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct NotFound<'a> {
            title: &'a str,
            href: String,
        }
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: NotFound<'a>,
            nav: &'a [NavItem],
        }
        self.render(
            "404.html",
            &Ctx {
                site,
                page: NotFound {
                    title: "Page not found",
                    href: format!("{}404.html", site.base),
                },
                nav,
            },
        )
    }
}

/// Escapes what HTML needs escaped (Tera's default also escapes `/`, which bloats URLs).
fn escape_html(text: &str) -> String {
    let mut out = crate::html::escape(text);
    if out.contains('\'') {
        out = out.replace('\'', "&#39;");
    }
    out
}

fn tera_template_name(e: &tera::Error) -> Option<String> {
    let text = e.to_string();
    let start = text.find('\'')? + 1;
    let end = text[start..].find('\'')? + start;
    Some(text[start..end].to_string())
}

/// A Tera error with its causes, which carry the useful part.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// `sitemap.xml` for absolute page URLs.
pub fn sitemap(urls: &[String]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::html::escape(url));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// A page that sends the reader on to `href` (the site root when the content is mounted
/// under a route base).
pub fn redirect(href: &str) -> String {
    let href = crate::html::escape(href);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{href}\">\n</head>\n<body>\n<p><a href=\"{href}\">Continue to the course</a></p>\n</body>\n</html>\n"
    )
}

/// `robots.txt`, pointing at the sitemap when there is one.
pub fn robots(sitemap_url: Option<&str>) -> String {
    let mut txt = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap_url {
        txt.push_str(&format!("\nSitemap: {url}\n"));
    }
    txt
}
