//! Front matter: the YAML block at the top of a Markdown file, typed for the course fields
//! we know and keeping the rest in `extra`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The known front-matter fields. Unknown keys go to `extra`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub sidebar_position: Option<f64>,
    pub sidebar_label: Option<String>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub draft: bool,
    pub duration_minutes: Option<u32>,
    pub learning_objectives: Vec<Objective>,
    pub skills: Vec<String>,
    pub prerequisites: Vec<String>,
    pub keywords: Vec<String>,
    pub tags: Vec<String>,
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The file line of each top-level key, for diagnostics about it.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

/// A learning objective: a string, or a map with an `objective` key (other keys are kept).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub(crate) enum Objective {
    Text(String),
    Detailed {
        objective: String,
        #[serde(flatten)]
        details: BTreeMap<String, serde_json::Value>,
    },
}

impl Objective {
    pub(crate) fn text(&self) -> &str {
        match self {
            Objective::Text(t) => t,
            Objective::Detailed { objective, .. } => objective,
        }
    }
}

/// The keys typed above; everything else is `extra`.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "sidebar_position",
    "sidebar_label",
    "slug",
    "id",
    "draft",
    "duration_minutes",
    "learning_objectives",
    "skills",
    "prerequisites",
    "keywords",
    "tags",
];

/// A front-matter problem at a line of the file (1-based; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split<'a> {
    /// The YAML text between the `---` lines, if any.
    pub yaml: Option<&'a str>,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// The file line (1-based) on which `yaml` starts.
    pub yaml_line: usize,
    /// The file line (1-based) on which `body` starts.
    pub body_line: usize,
}

/// Splits `---`-fenced front matter off the top of `text` (already BOM- and CRLF-free).
pub(crate) fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let no_front = Split {
        yaml: None,
        body: text,
        yaml_line: 0,
        body_line: 1,
    };
    let Some(first_end) = text.find('\n') else {
        return Ok(no_front);
    };
    if text[..first_end].trim_end() != "---" {
        return Ok(no_front);
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let trimmed = raw.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + raw.len();
            return Ok(Split {
                yaml: Some(&text[yaml_start..offset]),
                body: &text[body_start..],
                yaml_line: 2,
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(FrontMatterError {
        line: 1,
        column: 1,
        message: "front matter opened with `---` is never closed".into(),
    })
}

/// Parses the YAML of a front-matter block. `yaml_line` is the file line the YAML starts on,
/// so that errors point into the file rather than into the block.
pub(crate) fn parse(yaml: &str, yaml_line: usize) -> Result<FrontMatter, FrontMatterError> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let at = |e: &serde_yaml::Error| {
        let (l, c) = e
            .location()
            .map_or((0, 0), |loc| (loc.line(), loc.column()));
        let line = if l == 0 { yaml_line } else { yaml_line + l - 1 };
        FrontMatterError {
            line,
            column: c.max(1),
            message: clean_message(&e.to_string()),
        }
    };
    check_flow_depth(yaml, yaml_line)?;
    let raw: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| at(&e))?;
    let serde_yaml::Value::Mapping(map) = raw else {
        return Err(FrontMatterError {
            line: yaml_line,
            column: 1,
            message: "front matter must be a mapping of `key: value` lines".into(),
        });
    };
    let mut front: FrontMatter = serde_yaml::from_str(yaml).map_err(|e| at(&e))?;
    let lines = key_lines(yaml, yaml_line);
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        if let Some(&line) = lines.get(key) {
            front.key_lines.insert(key.to_string(), line);
        }
        if !KNOWN_KEYS.contains(&key) {
            let json = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
            front.extra.insert(key.to_string(), json);
        }
    }
    Ok(front)
}

/// How deep `[` and `{` may nest in front matter. serde_yaml stops at 128 levels, but the
/// YAML scanner beneath it takes time quadratic in the depth of flow collections (100,000
/// `[` took 87 s): deeper than this is refused before it reaches the scanner.
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// Refuses flow collections nested deeper than [`MAX_FLOW_DEPTH`], at the bracket that goes
/// too deep. One pass; quoted strings and comments are skipped.
fn check_flow_depth(yaml: &str, yaml_line: usize) -> Result<(), FrontMatterError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let (mut line, mut column) = (yaml_line, 0);
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
        } else if comment {
        } else if let Some(q) = quote {
            // A doubled quote inside '…', or an escape inside "…": skip the next character.
            let escaped =
                (c == q && q == '\'' && chars.peek() == Some(&'\'')) || (c == '\\' && q == '"');
            if escaped {
                chars.next();
                column += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if !previous.is_alphanumeric() => quote = Some(c),
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(FrontMatterError {
                            line,
                            column,
                            message: format!("lists and maps nest more than {MAX_FLOW_DEPTH} deep"),
                        });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    Ok(())
}

/// Unknown keys that look like typos of known ones: (line, key, the known key).
pub(crate) fn likely_typos(front: &FrontMatter) -> Vec<(usize, &str, &'static str)> {
    front
        .extra
        .keys()
        .filter(|k| k.len() > 3)
        .filter_map(|k| {
            let (distance, known) = KNOWN_KEYS
                .iter()
                .map(|known| (strsim::levenshtein(k, known), *known))
                .min()?;
            let line = front.key_lines.get(k.as_str()).copied().unwrap_or(0);
            (distance <= 2).then_some((line, k.as_str(), known))
        })
        .collect()
}

/// Turns serde_yaml's message into ours: no trailing "at line X column Y" (we print the
/// position ourselves) and "expected X, found Y" rather than "invalid type: Y, expected X".
fn clean_message(message: &str) -> String {
    let message = message.find(" at line ").map_or(message, |i| &message[..i]);
    let (field, rest) = match message.split_once(": invalid type: ") {
        Some((field, rest)) => (Some(field), rest),
        None => (
            None,
            message.strip_prefix("invalid type: ").unwrap_or(message),
        ),
    };
    let text = match rest.split_once(", expected ") {
        Some((found, expected)) => format!("expected {expected}, found {found}"),
        None => rest.to_string(),
    };
    match field {
        Some(field) => format!("`{field}`: {text}"),
        None => text,
    }
}

/// The file line of every key that starts a line (`key: …`), the first one of each: one pass
/// over the block, whatever the number of keys.
fn key_lines(yaml: &str, yaml_line: usize) -> std::collections::HashMap<&str, usize> {
    let mut lines = std::collections::HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if let Some((key, _)) = line.split_once(':') {
            lines.entry(key.trim_end()).or_insert(yaml_line + i);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
        let none = split("# Just markdown\n").unwrap();
        assert_eq!(none.yaml, None);
        assert_eq!(none.body_line, 1);
        assert!(split("---\ntitle: A\n").is_err());
        let only = split("---\ntitle: A\n---").unwrap();
        assert_eq!(only.body, "");
    }

    #[test]
    fn typed_fields_and_extra() {
        let yaml = "title: Hello\nduration_minutes: 25\nlearning_objectives:\n  - Build it\n  - objective: Ship it\n    bloom: apply\nskills: [docker]\ncustom: 3\n";
        let f = parse(yaml, 2).unwrap();
        assert_eq!(f.title.as_deref(), Some("Hello"));
        assert_eq!(f.duration_minutes, Some(25));
        assert_eq!(
            f.learning_objectives
                .iter()
                .map(Objective::text)
                .collect::<Vec<_>>(),
            ["Build it", "Ship it"]
        );
        assert_eq!(f.extra["custom"], serde_json::json!(3));
    }

    #[test]
    fn type_error_points_at_the_file_line() {
        let e = parse("title: ok\nduration_minutes: ten\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(
            e.message.contains("duration_minutes") || e.message.contains("u32"),
            "{}",
            e.message
        );
    }

    #[test]
    fn syntax_error_points_at_the_file_line() {
        let e = parse("title: ok\ndescription: [unclosed\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn spots_likely_typos() {
        let f = parse("title: t\nsidebar_postion: 3\ndifficulty: easy\n", 2).unwrap();
        assert_eq!(
            likely_typos(&f),
            [(3, "sidebar_postion", "sidebar_position")]
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_the_bracket() {
        let yaml = format!("title: x\ntags: {}", "[".repeat(100_000));
        let e = parse(&yaml, 2).unwrap_err();
        assert_eq!((e.line, e.column), (3, 6 + MAX_FLOW_DEPTH + 1), "{e:?}");
        assert!(e.message.contains("nest more than"), "{e:?}");
        // Brackets in strings and comments do not count; shallow nesting parses.
        let fine = format!(
            "title: \"{0}\"\ndescription: '{0}'\n# {0}\nextra: [[a], {{b: [c]}}]\n",
            "[".repeat(200)
        );
        assert!(parse(&fine, 2).is_ok());
    }

    #[test]
    fn finds_key_lines() {
        assert_eq!(
            key_lines("title: a\nsidebar_postion: 3\n  title: x\n", 2),
            [("title", 2), ("sidebar_postion", 3), ("  title", 4)].into()
        );
    }
}
