//! `_category_.json` / `_category_.yml`: a folder's label, position, collapsed state and
//! link (its own doc, or a generated index page), as Docusaurus reads them.

use serde::Deserialize;

/// The metadata of one category folder.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct CategoryMeta {
    pub label: Option<String>,
    pub position: Option<f64>,
    pub collapsed: Option<bool>,
    pub collapsible: Option<bool>,
    pub class_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<CategoryLink>,
    pub custom_props: Option<serde_json::Value>,
    pub key: Option<String>,
}

/// `link`: `{ type: doc, id }` or `{ type: generated-index, slug, title, description }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub(crate) enum CategoryLink {
    Doc {
        id: String,
    },
    #[serde(rename_all = "camelCase")]
    GeneratedIndex {
        #[serde(default)]
        slug: Option<String>,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        keywords: Option<serde_json::Value>,
        #[serde(default)]
        image: Option<String>,
    },
}

impl CategoryMeta {
    pub(crate) fn link_doc_id(&self) -> Option<&str> {
        match &self.link {
            Some(CategoryLink::Doc { id }) => Some(id),
            _ => None,
        }
    }

    fn generated(&self) -> Option<(&Option<String>, &Option<String>, &Option<String>)> {
        match &self.link {
            Some(CategoryLink::GeneratedIndex {
                slug,
                title,
                description,
                ..
            }) => Some((slug, title, description)),
            _ => None,
        }
    }

    pub(crate) fn is_generated_index(&self) -> bool {
        self.generated().is_some()
    }

    pub(crate) fn generated_slug(&self) -> Option<&str> {
        self.generated().and_then(|g| g.0.as_deref())
    }

    pub(crate) fn generated_title(&self) -> Option<&str> {
        self.generated().and_then(|g| g.1.as_deref())
    }

    pub(crate) fn generated_description(&self) -> Option<&str> {
        self.generated()
            .and_then(|g| g.2.as_deref())
            .or(self.description.as_deref())
    }
}

/// A parse error at a line of the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetaError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The folder a `_category_` file describes, if `path` is one.
pub(crate) fn meta_folder(path: &str) -> Option<&str> {
    let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
    matches!(
        file,
        "_category_.json" | "_category_.yml" | "_category_.yaml"
    )
    .then_some(folder)
}

/// Parses a `_category_.json` or `_category_.yml`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<CategoryMeta, MetaError> {
    let text = super::decode(bytes).map_err(|(line, column)| MetaError {
        line,
        column,
        message: "file is not valid UTF-8".into(),
    })?;
    if text.trim().is_empty() {
        return Ok(CategoryMeta::default());
    }
    if path.ends_with(".json") {
        serde_json::from_str(&text).map_err(|e| MetaError {
            line: e.line(),
            column: e.column(),
            message: format!("category metadata: {e}"),
        })
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            MetaError {
                line,
                column,
                message: format!("category metadata: {e}"),
            }
        })
    }
}

/// True when a doc at `path` (relative to the content dir) is the one `id` names: its
/// front-matter `id`, its file name without number prefix, or its path in Docusaurus' form.
pub(crate) fn doc_matches(path: &str, front_id: Option<&str>, id: &str) -> bool {
    let stem = super::paths::stem(path);
    let docusaurus_id: Vec<&str> = stem
        .split('/')
        .map(|s| super::paths::strip_number_prefix(s).0)
        .collect();
    let docusaurus_id = docusaurus_id.join("/");
    let last = docusaurus_id.rsplit('/').next().unwrap_or(&docusaurus_id);
    front_id == Some(id)
        || id == docusaurus_id
        || id == last
        || id.ends_with(&format!("/{last}")) && docusaurus_id.ends_with(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_yaml() {
        let j = parse("a/_category_.json", br#"{"label": "Basics", "position": 2, "collapsed": false, "link": {"type": "generated-index", "slug": "/basics-overview", "description": "All basics"}}"#).unwrap();
        assert_eq!(j.label.as_deref(), Some("Basics"));
        assert_eq!(j.generated_slug(), Some("/basics-overview"));
        let y = parse(
            "b/_category_.yml",
            b"label: Deploy\nlink:\n  type: doc\n  id: overview\n",
        )
        .unwrap();
        assert_eq!(y.link_doc_id(), Some("overview"));
        let e = parse("c/_category_.json", b"{\n  \"label\": 3\n}").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(meta_folder("x/y/_category_.yml"), Some("x/y"));
        assert!(doc_matches("02-deploy/01-overview.md", None, "overview"));
        assert!(doc_matches(
            "02-deploy/01-overview.md",
            None,
            "deploy/overview"
        ));
    }
}
