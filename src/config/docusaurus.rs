//! Zero config in a Docusaurus site: the static part of `docusaurus.config.{js,mjs,ts}`
//! read into the same [`Config`] a `book.toml` fills, without running JavaScript. A value
//! that is not a literal (a function call, `process.env`, a variable bound to something that
//! is not one) is a warning naming the key, never a failure.

use super::{BrokenLinks, Config};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::js::{self, Js, Module, Val};

/// The names tried, in order, in the project root.
pub(crate) const FILES: [&str; 4] = [
    "docusaurus.config.ts",
    "docusaurus.config.js",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
];

/// What a Docusaurus config gave.
#[derive(Debug)]
pub(crate) struct Read {
    pub config: Config,
    /// The keys taken, for the one line that says so.
    pub taken: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a Docusaurus config file's text (`path` names it in messages).
pub(crate) fn read(path: &str, text: &str) -> Read {
    let module = js::read_module(text);
    let mut r = Reader {
        path,
        text,
        lines: LineIndex::new(text),
        module: &module,
        taken: Vec::new(),
        warnings: Vec::new(),
    };
    let mut config = Config::default();
    config.book.src = "docs".into();
    config.site.route_base = "docs".into();
    // Docusaurus shows Mermaid fences as code unless `markdown.mermaid` is set.
    config.markdown.mermaid = false;
    let Some(site) = module.exported().map(|v| module.resolve(v)) else {
        r.warnings.push(Diagnostic::warning(
            path,
            1,
            1,
            "no `module.exports` or `export default` found: the defaults apply",
        ));
        return r.finish(config);
    };
    if !matches!(site.js, Js::Obj(_)) {
        r.cannot("the config", site);
        return r.finish(config);
    }
    if let Some(title) = r.string(site, "title") {
        config.book.title = Some(title);
    }
    let url = r.string(site, "url");
    let base = r.string(site, "baseUrl");
    if url.is_some() || base.is_some() {
        let url = url.unwrap_or_default();
        let base = base.unwrap_or_else(|| "/".into());
        config.site.base_url = Some(format!("{}{base}", url.trim_end_matches('/')));
    }
    let throw = |v: Option<String>| v.map(|s| s == "throw");
    let links = throw(r.string(site, "onBrokenLinks")).unwrap_or(true);
    let markdown = r.get(site, "markdown");
    let md_links = throw(r.string(site, "onBrokenMarkdownLinks"))
        .or_else(|| {
            let hooks = markdown.and_then(|m| r.get(m, "hooks"))?;
            throw(r.string(hooks, "onBrokenMarkdownLinks"))
        })
        .unwrap_or(false);
    // One severity for both: an error only where Docusaurus fails on both kinds.
    config.build.on_broken_links = if links && md_links {
        BrokenLinks::Error
    } else {
        BrokenLinks::Warn
    };
    if let Some(m) = markdown {
        if let Some(mermaid) = r.bool(m, "mermaid") {
            config.markdown.mermaid = mermaid;
        }
    }
    if let Some(slash) = r.bool(site, "trailingSlash") {
        config.site.trailing_slash = Some(slash);
    }
    if let Some(i18n) = r.get(site, "i18n") {
        if let Some(default) = r.string(i18n, "defaultLocale") {
            config.site.default_locale = Some(default);
        }
        if let Some(list) = r.get(i18n, "locales") {
            config.site.locales = r.strings(list, "i18n.locales");
        }
        // `localeConfigs: { fa: { direction: 'rtl', label: 'فارسی' } }`.
        if let Some(Js::Obj(entries)) = r.get(i18n, "localeConfigs").map(|v| &v.js) {
            for (locale, settings) in entries {
                let c = crate::config::LocaleConfig {
                    label: r.string(settings, "label"),
                    direction: match r.string(settings, "direction").as_deref() {
                        Some("rtl") => Some(crate::config::Direction::Rtl),
                        Some("ltr") => Some(crate::config::Direction::Ltr),
                        _ => None,
                    },
                };
                config.site.locale_config.insert(locale.clone(), c);
            }
        }
    }
    match r.docs_options(site) {
        Some(Some(docs)) => r.docs(docs, &mut config),
        Some(None) => {}
        None => r
            .taken
            .push("no docs plugin options: docs/ at /docs/".into()),
    }
    r.finish(config)
}

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
    module: &'a Module,
    taken: Vec<String>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn finish(self, config: Config) -> Read {
        Read {
            config,
            taken: self.taken,
            warnings: self.warnings,
        }
    }

    fn cannot(&mut self, key: &str, val: &Val) {
        let (line, column) = self.lines.position(self.text, val.at);
        let text = match &val.js {
            Js::Expr(e) => format!(" `{}`", e.chars().take(50).collect::<String>()),
            _ => String::new(),
        };
        self.warnings.push(
            Diagnostic::warning(
                self.path,
                line,
                column,
                format!("`{key}`: cannot read{text} without running JavaScript; left out"),
            )
            .with_help("write the value as a literal, or use a book.toml (`syllabus init --from-docusaurus` writes one)"),
        );
    }

    fn get(&self, obj: &'a Val, key: &str) -> Option<&'a Val> {
        obj.get(key).map(|v| self.module.resolve(v))
    }

    fn string(&mut self, obj: &'a Val, key: &str) -> Option<String> {
        let val = self.get(obj, key)?;
        match &val.js {
            Js::Str(s) => {
                self.taken.push(key.to_string());
                Some(s.clone())
            }
            _ => {
                self.cannot(key, val);
                None
            }
        }
    }

    fn bool(&mut self, obj: &'a Val, key: &str) -> Option<bool> {
        let val = self.get(obj, key)?;
        match &val.js {
            Js::Bool(b) => {
                self.taken.push(key.to_string());
                Some(*b)
            }
            _ => {
                self.cannot(key, val);
                None
            }
        }
    }

    fn strings(&mut self, list: &'a Val, key: &str) -> Vec<String> {
        match &list.js {
            Js::Arr(items) => {
                self.taken.push(key.to_string());
                items
                    .iter()
                    .filter_map(|v| match &self.module.resolve(v).js {
                        Js::Str(s) => Some(s.clone()),
                        _ => {
                            self.cannot(key, v);
                            None
                        }
                    })
                    .collect()
            }
            _ => {
                self.cannot(key, list);
                Vec::new()
            }
        }
    }

    /// The docs plugin's options: the classic preset's `docs`, else the first
    /// `@docusaurus/plugin-content-docs` plugin's. `Some(None)`: docs turned off.
    fn docs_options(&mut self, site: &'a Val) -> Option<Option<&'a Val>> {
        let named = |v: &'a Val| -> Option<(String, Option<&'a Val>)> {
            match &self.module.resolve(v).js {
                Js::Str(name) => Some((name.clone(), None)),
                Js::Arr(pair) => {
                    let name = self.module.resolve(pair.first()?).str()?.to_string();
                    Some((name, pair.get(1).map(|o| self.module.resolve(o))))
                }
                _ => None,
            }
        };
        let list = |key: &str| -> Vec<(String, Option<&'a Val>)> {
            match site.get(key).map(|v| &self.module.resolve(v).js) {
                Some(Js::Arr(items)) => items.iter().filter_map(&named).collect(),
                _ => Vec::new(),
            }
        };
        for (name, options) in list("presets") {
            if name == "classic" || name.ends_with("preset-classic") {
                let docs = options
                    .and_then(|o| o.get("docs"))
                    .map(|d| self.module.resolve(d));
                match docs.map(|d| &d.js) {
                    // The preset's docs are off: a docs plugin may be configured instead.
                    Some(Js::Bool(false)) => break,
                    Some(Js::Obj(_)) => return Some(docs),
                    _ => return None,
                }
            }
        }
        let plugins = list("plugins");
        let mut docs = plugins
            .iter()
            .filter(|(name, _)| name == "content-docs" || name.ends_with("plugin-content-docs"));
        let first = docs.next()?.1;
        if docs.next().is_some() {
            self.taken
                .push("the first plugin-content-docs instance (others are not built)".into());
        }
        first.map(Some)
    }

    fn docs(&mut self, docs: &'a Val, config: &mut Config) {
        if let Some(path) = self.string(docs, "path") {
            config.book.src = path
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string();
        }
        if let Some(route) = self.string(docs, "routeBasePath") {
            config.site.route_base = route.trim_matches('/').to_string();
        }
        if let Some(list) = self.get(docs, "exclude") {
            config.book.exclude = self.strings(list, "exclude");
        }
        if let Some(sidebar) = self.get(docs, "sidebarPath") {
            match &sidebar.js {
                Js::Str(s) => {
                    self.taken.push("sidebarPath".into());
                    config.book.sidebars = Some(s.trim_start_matches("./").to_string());
                }
                Js::Bool(false) => config.book.sidebars = Some(String::new()),
                // `require.resolve('./sidebars.js')`: the file it names.
                Js::Expr(e) if e.starts_with("require.resolve(") => {
                    let inner = e.trim_start_matches("require.resolve(");
                    let name = inner
                        .trim_end_matches(')')
                        .trim()
                        .trim_matches(['"', '\'', '`']);
                    self.taken.push("sidebarPath".into());
                    config.book.sidebars = Some(name.trim_start_matches("./").to_string());
                }
                _ => self.cannot("sidebarPath", sidebar),
            }
        }
        if let Some(edit) = docs.get("editUrl") {
            match &self.module.resolve(edit).js {
                Js::Str(s) => {
                    self.taken.push("editUrl".into());
                    config.site.edit_url = Some(s.clone());
                }
                _ => self.cannot("editUrl", edit),
            }
        }
        if let Some(show) = docs.get("showLastUpdateTime") {
            match &self.module.resolve(show).js {
                Js::Bool(b) => {
                    self.taken.push("showLastUpdateTime".into());
                    config.site.last_updated = *b;
                }
                _ => self.cannot("showLastUpdateTime", show),
            }
        }
        if let Some(Js::Arr(plugins)) = docs.get("remarkPlugins").map(|v| &v.js) {
            let is_math = |v: &Val| {
                match &v.js {
                Js::Expr(name) => self
                    .module
                    .imports
                    .get(name.trim())
                    .is_some_and(|m| m == "remark-math"),
                Js::Arr(pair) => pair.first().is_some_and(|f| {
                    matches!(&f.js, Js::Expr(n) if self.module.imports.get(n.trim()).is_some_and(|m| m == "remark-math"))
                }),
                _ => false,
            }
            };
            if plugins.iter().any(is_math) {
                self.taken.push("remark-math".into());
                config.markdown.math = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typescript_config_becomes_a_config() {
        let text = r#"
import type {Config} from '@docusaurus/types';
import remarkMath from 'remark-math';

const config: Config = {
  title: 'Robotics',
  url: 'https://example.org',
  baseUrl: '/book/',
  onBrokenLinks: 'throw',
  trailingSlash: false,
  markdown: { mermaid: true, hooks: { onBrokenMarkdownLinks: 'throw' } },
  i18n: { defaultLocale: 'en', locales: ['en', 'ur'], localeConfigs: { ur: { direction: 'rtl', label: 'اردو' } } },
  customFields: { key: process.env.KEY },
  presets: [
    [
      'classic',
      {
        docs: {
          path: 'book',
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          exclude: ['**/drafts/**'],
          editUrl: 'https://github.com/x/y/tree/main/',
          remarkPlugins: [remarkMath],
        },
        blog: false,
      } satisfies Preset.Options,
    ],
  ],
};

export default config;
"#;
        let r = read("docusaurus.config.ts", text);
        let c = &r.config;
        assert_eq!(c.book.title.as_deref(), Some("Robotics"));
        assert_eq!(
            c.site.base_url.as_deref(),
            Some("https://example.org/book/")
        );
        assert_eq!(c.book.src, "book");
        assert_eq!(c.site.route_base, "");
        assert_eq!(c.book.sidebars.as_deref(), Some("sidebars.ts"));
        assert_eq!(c.book.exclude, ["**/drafts/**"]);
        assert_eq!(
            c.site.edit_url.as_deref(),
            Some("https://github.com/x/y/tree/main/")
        );
        assert_eq!(c.build.on_broken_links, BrokenLinks::Error);
        assert!(c.markdown.mermaid && c.markdown.math);
        assert_eq!(c.site.locales, ["en", "ur"]);
        let ur = &c.site.locale_config["ur"];
        assert_eq!(ur.direction, Some(crate::config::Direction::Rtl));
        assert_eq!(ur.label.as_deref(), Some("اردو"));
        assert_eq!(c.site.default_locale.as_deref(), Some("en"));
        assert_eq!(c.site.trailing_slash, Some(false));
        assert!(
            r.warnings.is_empty(),
            "customFields is not read: {:?}",
            r.warnings
        );
    }

    #[test]
    fn what_cannot_be_evaluated_is_a_warning_naming_the_key() {
        let text = "module.exports = {\n  title: getTitle(),\n  url: process.env.URL,\n  baseUrl: '/',\n  presets: [['classic', ({docs: false})]],\n  plugins: [['@docusaurus/plugin-content-docs', {id: 'a', path: 'notes', routeBasePath: 'notes', editUrl: ({docPath}) => docPath}]],\n};\n";
        let r = read("docusaurus.config.js", text);
        assert_eq!(r.config.book.title, None);
        assert_eq!(r.config.site.base_url.as_deref(), Some("/"));
        assert_eq!(r.config.book.src, "notes");
        assert_eq!(r.config.site.route_base, "notes");
        assert_eq!(r.config.build.on_broken_links, BrokenLinks::Warn);
        assert!(!r.config.markdown.mermaid);
        let messages: Vec<String> = r
            .warnings
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("2:10 `title`: cannot read `getTitle()`"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("`url`") && messages[2].contains("`editUrl`"),
            "{messages:?}"
        );
    }
}
