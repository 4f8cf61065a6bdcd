//! The template set: the built-in templates with the project's files of the same name in their
//! place, parsed by Tera once and kept until the project's templates change.

use super::default_templates;
use super::guard;
use super::nav::SidebarView;
use super::view::{NavItem, PageView, SiteView, TagsView};
use crate::diagnostic::Diagnostic;
use crate::html::escape;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tera::{Context, Tera};

/// The template set: defaults, with the project's files of the same name in their place.
pub(crate) struct Templates {
    tera: Tera,
}

impl Templates {
    pub(crate) fn load(overrides: &BTreeMap<String, String>) -> Result<Templates, Diagnostic> {
        let mut all = default_templates();
        all.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        guard::register(&mut tera);
        super::i18n::register(&mut tera);
        let source_of = |name: &str| {
            if overrides.contains_key(name) {
                format!("templates/{name}")
            } else {
                format!("(built-in) templates/{name}")
            }
        };
        let instrumented = all
            .iter()
            .map(|(k, v)| (k.as_str(), guard::instrument(k, v)));
        tera.add_raw_templates(instrumented)
            .map_err(|e| {
                // Report the author's text: the same error without the guards, where it has one.
                let plain = Tera::default()
                    .add_raw_templates(all.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                plain.err().unwrap_or(e)
            })
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

    /// True when the set has a component template (`components/NAME.html`).
    pub(crate) fn has_components(&self) -> bool {
        self.tera
            .get_template_names()
            .any(|n| n.starts_with("components/"))
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

    /// Renders a content page; `content` is its rendered body, `page.content` to templates.
    pub(crate) fn page(
        &self,
        site: &SiteView,
        page: &PageView<'_>,
        nav: &[NavItem],
        sidebar: &SidebarView,
        content: &str,
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Page<'a> {
            #[serde(flatten)]
            view: &'a PageView<'a>,
            content: &'a str,
        }
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: Page<'a>,
            nav: &'a [NavItem],
            sidebar: &'a SidebarView,
        }
        let page = Page {
            view: page,
            content,
        };
        self.render(
            "page.html",
            &Ctx {
                site,
                page,
                nav,
                sidebar,
            },
        )
    }

    /// Renders `tags.html`: the tags index or one tag's page.
    pub(crate) fn tags(
        &self,
        site: &SiteView,
        page: &TagsView<'_>,
        nav: &[NavItem],
        sidebar: &SidebarView,
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: &'a TagsView<'a>,
            nav: &'a [NavItem],
            sidebar: &'a SidebarView,
        }
        self.render(
            "tags.html",
            &Ctx {
                site,
                page,
                nav,
                sidebar,
            },
        )
    }

    /// One sidebar entry at `depth`, `<li>` to `</li>` (`partials/nav_item.html`).
    pub(crate) fn nav_item(&self, item: &NavItem, depth: usize) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            item: &'a NavItem,
            depth: usize,
        }
        self.render("partials/nav_item.html", &Ctx { item, depth })
    }

    /// The `<ul>` of a sidebar's whole top level, for its navigation file.
    pub(crate) fn nav_list(&self, nav: &[NavItem]) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            nav: &'a [NavItem],
        }
        self.render("partials/nav_list.html", &Ctx { nav })
    }

    /// Renders `contents.html`: every page of the course (`contents`), or of one part of it
    /// (`page.up_href` then links the whole contents).
    pub(crate) fn contents(
        &self,
        site: &SiteView,
        page: ContentsPage<'_>,
        nav: &[NavItem],
        sidebar: &SidebarView,
        contents: &[NavItem],
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: ContentsPage<'a>,
            nav: &'a [NavItem],
            sidebar: &'a SidebarView,
            contents: &'a [NavItem],
        }
        self.render(
            "contents.html",
            &Ctx {
                site,
                page,
                nav,
                sidebar,
                contents,
            },
        )
    }

    /// Renders `course-map.html`: the course map page.
    pub(crate) fn course_map(
        &self,
        site: &SiteView,
        page: &super::course::CourseMapView<'_>,
        nav: &[NavItem],
        sidebar: &SidebarView,
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: &'a super::course::CourseMapView<'a>,
            nav: &'a [NavItem],
            sidebar: &'a SidebarView,
        }
        self.render(
            "course-map.html",
            &Ctx {
                site,
                page,
                nav,
                sidebar,
            },
        )
    }

    /// Renders `print.html`: a chapter's print view.
    pub(crate) fn print(
        &self,
        site: &SiteView,
        page: &super::print::PrintView,
        nav: &[NavItem],
        sidebar: &SidebarView,
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteView,
            page: &'a super::print::PrintView,
            nav: &'a [NavItem],
            sidebar: &'a SidebarView,
        }
        self.render(
            "print.html",
            &Ctx {
                site,
                page,
                nav,
                sidebar,
            },
        )
    }

    /// Renders `404.html`.
    pub(crate) fn not_found(
        &self,
        site: &SiteView,
        nav: &[NavItem],
        sidebar: &SidebarView,
    ) -> Result<String, Diagnostic> {
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
            sidebar: &'a SidebarView,
        }
        self.render(
            "404.html",
            &Ctx {
                site,
                page: NotFound {
                    title: site.t.get("not_found_title"),
                    href: format!("{}404.html", site.base),
                },
                nav,
                sidebar,
            },
        )
    }
}

/// Escapes what HTML needs escaped (Tera's default also escapes `/`, which bloats URLs), and
/// drops control characters (a title written `"\u0000"` in YAML), which have no place in HTML.
fn escape_html(text: &str) -> String {
    let cleaned: String;
    let text = if text
        .chars()
        .any(|c| c.is_ascii_control() && !c.is_ascii_whitespace())
    {
        cleaned = text
            .chars()
            .filter(|c| !c.is_ascii_control() || c.is_ascii_whitespace())
            .collect();
        &cleaned
    } else {
        text
    };
    let mut out = escape(text);
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

/// The templates of the last build, kept for the next one: a project's templates are parsed
/// once, and again only when one of them changes (`serve`).
#[derive(Default)]
pub(crate) struct TemplateCache {
    last: Mutex<Option<Kept>>,
}

/// Templates kept, and the project templates they were made from.
struct Kept {
    overrides: BTreeMap<String, String>,
    templates: Arc<Templates>,
}

impl TemplateCache {
    /// The templates for a project's `overrides`: those of the last call if the overrides are
    /// the same, else freshly parsed (and kept when they parse).
    pub(crate) fn load(
        &self,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Arc<Templates>, Diagnostic> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = last.as_ref().filter(|k| k.overrides == *overrides) {
            return Ok(Arc::clone(&kept.templates));
        }
        let templates = Arc::new(Templates::load(overrides)?);
        *last = Some(Kept {
            overrides: overrides.clone(),
            templates: Arc::clone(&templates),
        });
        Ok(templates)
    }
}

/// `templates/components/NAME.html` renders `<NAME … />` in docs, with its props as `props`
/// and its name as `component`.
impl crate::markdown::Components for Templates {
    fn render(&self, name: &str, props: &serde_json::Value) -> Option<Result<String, String>> {
        let template = format!("components/{name}.html");
        self.tera.get_template(&template).ok()?;
        let mut ctx = Context::new();
        ctx.insert("props", props);
        ctx.insert("component", name);
        Some(
            self.tera
                .render(&template, &ctx)
                .map_err(|e| error_chain(&e)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_parsed_again_only_when_they_change() {
        let cache = TemplateCache::default();
        let mut overrides = BTreeMap::new();
        let first = cache.load(&overrides).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.load(&overrides).unwrap()));
        overrides.insert("partials/footer.html".into(), "<footer>x</footer>".into());
        let second = cache.load(&overrides).unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        overrides.insert("page.html".into(), "{% if %}".into());
        assert!(cache.load(&overrides).is_err());
        overrides.remove("page.html");
        assert!(
            Arc::ptr_eq(&second, &cache.load(&overrides).unwrap()),
            "a template error keeps the last good set"
        );
    }
}

/// The contents page as `contents.html` sees it (`page.kind` is "contents").
#[derive(Debug, Serialize)]
pub(crate) struct ContentsPage<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub href: &'a str,
    /// On a part's page of a contents split by part: the whole contents' href.
    pub up_href: Option<&'a str>,
    /// A contents of more than [`super::view::LIST_PAGE_SIZE`] top-level entries: which of
    /// the pages that list them this is (issue 15).
    pub pages: Option<super::view::TagPagination>,
}
