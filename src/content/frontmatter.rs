//! Front matter: the YAML block at the top of a Markdown file. Docusaurus' own keys are
//! read as Docusaurus' validation reads them (it turns `sidebar_position: "3"` into 3 and
//! `draft: "true"` into true, and rejects what it rejects); our course keys accept every
//! shape course books write (see `course_fields`) and only warn on what they cannot read.
//! Other keys are kept in `extra`.

use super::course_fields::{self, Minutes, Objective, Skill};
use crate::diagnostic::Severity;
use serde::{Deserialize, Serialize};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The known front-matter fields. Unknown keys go to `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub sidebar_position: Option<f64>,
    pub sidebar_label: Option<String>,
    /// `pagination_label`: the doc's title in the pager (Docusaurus').
    pub pagination_label: Option<String>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub draft: bool,
    pub unlisted: bool,
    pub hide_title: bool,
    pub hide_table_of_contents: bool,
    pub toc_min_heading_level: Option<u8>,
    pub toc_max_heading_level: Option<u8>,
    /// `pagination_prev`: absent (`None`), `null` (`Some(None)`: no link) or a doc id.
    pub pagination_prev: Option<Option<String>>,
    pub pagination_next: Option<Option<String>>,
    pub duration_minutes: Option<Minutes>,
    pub learning_objectives: Vec<Objective>,
    pub skills: Vec<Skill>,
    pub prerequisites: Vec<String>,
    pub keywords: Vec<String>,
    pub tags: Vec<Tag>,
    /// Kept by the build cache as JSON text (its format cannot hold a value of any shape).
    #[serde(with = "json_text")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The file line of each top-level key, for diagnostics about it.
    pub key_lines: BTreeMap<String, usize>,
}

/// A tag: a label, and the permalink Docusaurus' `{label, permalink}` form gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Tag {
    pub label: String,
    pub permalink: Option<String>,
}

/// `extra` as JSON text, for formats that need to know a value's shape to read it.
mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub(super) fn serialize<S: Serializer>(
        extra: &BTreeMap<String, serde_json::Value>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(extra).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// The keys typed above; everything else is `extra`.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "sidebar_position",
    "sidebar_label",
    "pagination_label",
    "slug",
    "id",
    "draft",
    "unlisted",
    "hide_title",
    "hide_table_of_contents",
    "toc_min_heading_level",
    "toc_max_heading_level",
    "pagination_prev",
    "pagination_next",
    "duration_minutes",
    "learning_objectives",
    "skills",
    "prerequisites",
    "keywords",
    "tags",
];

/// A front-matter problem at a line of the file (1-based; 0 for the file as a whole): an
/// error where Docusaurus' build fails too, a warning where we leave a field out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub severity: Severity,
    pub help: Option<String>,
}

impl FrontMatterError {
    fn error(line: usize, column: usize, message: impl Into<String>) -> Self {
        FrontMatterError {
            line,
            column,
            message: message.into(),
            severity: Severity::Error,
            help: None,
        }
    }
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
    Err(FrontMatterError::error(
        1,
        1,
        "front matter opened with `---` is never closed",
    ))
}

/// Front matter and the problems found in it (errors and warnings).
pub(crate) type Parsed = (FrontMatter, Vec<FrontMatterError>);

/// Parses the YAML of a front-matter block. `yaml_line` is the file line the YAML starts on,
/// so that problems point into the file rather than into the block. `Err` is YAML that
/// cannot be read at all; a key with a wrong value is a problem beside the rest.
pub(crate) fn parse(yaml: &str, yaml_line: usize) -> Result<Parsed, FrontMatterError> {
    check_flow_depth(yaml, yaml_line)?;
    let raw: Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (l, c) = e
            .location()
            .map_or((0, 0), |loc| (loc.line(), loc.column()));
        let line = if l == 0 { yaml_line } else { yaml_line + l - 1 };
        FrontMatterError::error(line, c.max(1), clean_message(&e.to_string()))
    })?;
    let map = match raw {
        Value::Mapping(map) => map,
        Value::Null => return Ok(Default::default()),
        _ => {
            return Err(FrontMatterError::error(
                yaml_line,
                1,
                "front matter must be a mapping of `key: value` lines",
            ))
        }
    };
    let mut front = FrontMatter::default();
    let mut problems = Vec::new();
    let positions = key_positions(yaml, yaml_line);
    for (key, value) in &map {
        let Some(key) = key.as_str() else { continue };
        let (line, column) = positions.get(key).copied().unwrap_or((yaml_line, 1));
        front.key_lines.insert(key.to_string(), line);
        let mut r = Reader {
            key,
            line,
            column,
            problems: &mut problems,
        };
        match key {
            "title" => front.title = r.string(value),
            "description" => front.description = r.string(value),
            "sidebar_label" => front.sidebar_label = r.string(value),
            "pagination_label" => front.pagination_label = r.string(value),
            "slug" => front.slug = r.string(value),
            "id" => front.id = r.string(value),
            "sidebar_position" => front.sidebar_position = r.number(value),
            "draft" => front.draft = r.boolean(value),
            "unlisted" => front.unlisted = r.boolean(value),
            "hide_title" => front.hide_title = r.boolean(value),
            "hide_table_of_contents" => front.hide_table_of_contents = r.boolean(value),
            "toc_min_heading_level" => front.toc_min_heading_level = r.heading_level(value),
            "toc_max_heading_level" => front.toc_max_heading_level = r.heading_level(value),
            "pagination_prev" => front.pagination_prev = r.doc_or_null(value),
            "pagination_next" => front.pagination_next = r.doc_or_null(value),
            "keywords" => front.keywords = r.strings(value),
            "tags" => front.tags = r.tags(value),
            "duration_minutes" => match course_fields::minutes(value) {
                Ok(minutes) => front.duration_minutes = minutes,
                Err(why) => r.warn(why),
            },
            "learning_objectives" => {
                let (objectives, why) = course_fields::objectives(value);
                front.learning_objectives = objectives;
                why.into_iter().for_each(|w| r.warn(w));
            }
            "skills" => {
                let (skills, why) = course_fields::skills(value);
                front.skills = skills;
                why.into_iter().for_each(|w| r.warn(w));
            }
            "prerequisites" => {
                let (texts, why) = course_fields::texts(value);
                front.prerequisites = texts;
                why.into_iter().for_each(|w| r.warn(w));
            }
            _ => {
                let json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
                front.extra.insert(key.to_string(), json);
            }
        }
    }
    if let (Some(min), Some(max)) = (front.toc_min_heading_level, front.toc_max_heading_level) {
        if min > max {
            let line = front.key_lines["toc_min_heading_level"];
            problems.push(FrontMatterError::error(
                line,
                1,
                format!("`toc_min_heading_level` is {min}, more than `toc_max_heading_level` ({max}); Docusaurus rejects it too"),
            ));
        }
    }
    Ok((front, problems))
}

/// Reads one key's value as Docusaurus' validation (Joi, with `convert`) does, recording
/// what it rejects as errors; course keys only warn.
struct Reader<'a> {
    key: &'a str,
    line: usize,
    column: usize,
    problems: &'a mut Vec<FrontMatterError>,
}

impl Reader<'_> {
    fn reject(&mut self, expected: &str, found: &Value) {
        self.problems.push(FrontMatterError {
            line: self.line,
            column: self.column,
            message: format!(
                "`{}` must be {expected}, found {}; Docusaurus rejects it too",
                self.key,
                describe(found)
            ),
            severity: Severity::Error,
            help: Some(format!("write `{}:` as {expected}", self.key)),
        });
    }

    fn warn(&mut self, why: String) {
        self.problems.push(FrontMatterError {
            line: self.line,
            column: self.column,
            message: format!("`{}` {why}; it is left out", self.key),
            severity: Severity::Warning,
            help: Some(course_help(self.key).to_string()),
        });
    }

    /// Joi's front-matter string: a string, or a number or date written as one.
    fn string(&mut self, v: &Value) -> Option<String> {
        let text = joi_string(v);
        if text.is_none() {
            self.reject("a string", v);
        }
        text
    }

    /// Joi's number with `convert`: a number, or a string holding one (`"3"`).
    fn number(&mut self, v: &Value) -> Option<f64> {
        let x = match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
            _ => None,
        };
        if x.is_none() {
            self.reject("a number", v);
        }
        x
    }

    /// Joi's boolean with `convert`: true/false, or the strings "true"/"false" in any case.
    fn boolean(&mut self, v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => true,
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => false,
            _ => {
                self.reject("true or false", v);
                false
            }
        }
    }

    /// `toc_min_heading_level` / `toc_max_heading_level`: a number from 2 to 6.
    fn heading_level(&mut self, v: &Value) -> Option<u8> {
        let x = self.number(v)?;
        if (2.0..=6.0).contains(&x) {
            return Some(x as u8);
        }
        self.reject("a number from 2 to 6", v);
        None
    }

    /// `pagination_prev` / `pagination_next`: a doc id, or null for no link.
    fn doc_or_null(&mut self, v: &Value) -> Option<Option<String>> {
        if v.is_null() {
            return Some(None);
        }
        self.string(v).map(Some)
    }

    /// A list of strings (`keywords`).
    fn strings(&mut self, v: &Value) -> Vec<String> {
        let texts: Option<Vec<String>> = match v {
            Value::Sequence(items) => items.iter().map(joi_string).collect(),
            _ => None,
        };
        texts.unwrap_or_else(|| {
            self.reject("a list of strings", v);
            Vec::new()
        })
    }

    /// `tags`: a list of strings or of `{label, permalink}` maps.
    fn tags(&mut self, v: &Value) -> Vec<Tag> {
        let tag = |item: &Value| match item {
            Value::Mapping(map) => Some(Tag {
                label: map.get("label").and_then(joi_string)?,
                permalink: Some(map.get("permalink").and_then(joi_string)?),
            }),
            other => joi_string(other).map(|label| Tag {
                label,
                permalink: None,
            }),
        };
        let tags: Option<Vec<Tag>> = match v {
            Value::Sequence(items) => items.iter().map(tag).collect(),
            _ => None,
        };
        tags.unwrap_or_else(|| {
            self.reject("a list of tags (strings or `{label, permalink}` maps)", v);
            Vec::new()
        })
    }
}

/// A string, or a number written where a string is meant (Docusaurus' front-matter strings
/// take `2021`; YAML dates are strings to serde_yaml already).
fn joi_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (an empty value)".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("\"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a map".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

fn course_help(key: &str) -> &'static str {
    match key {
        "duration_minutes" => "write minutes as a number (`duration_minutes: 45`) or a range (`\"40-45\"`)",
        "skills" => "write each skill as text, or as a map with `name` (and `proficiency_level`, `bloom_level`)",
        _ => "write each item as text, or as a map with `description` (or `objective`, `name`, `title`)",
    }
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
                        return Err(FrontMatterError::error(
                            line,
                            column,
                            format!("lists and maps nest more than {MAX_FLOW_DEPTH} deep"),
                        ));
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

/// The file line of every top-level key (`key: …` at the start of a line, the first one of
/// each) and the column (1-based) where its value starts on that line (the key's own column
/// when the value is on the next lines): one pass over the block, whatever the number of
/// keys.
fn key_positions(yaml: &str, yaml_line: usize) -> std::collections::HashMap<&str, (usize, usize)> {
    let mut positions = std::collections::HashMap::new();
    for (i, l) in yaml.lines().enumerate() {
        let Some((key, after)) = l.split_once(':') else {
            continue;
        };
        let key = key.trim_end();
        if key.is_empty() || key.starts_with(char::is_whitespace) {
            continue;
        }
        let value = after.trim_start();
        let column = if value.is_empty() || value.starts_with('#') {
            1
        } else {
            l.len() - value.len() + 1
        };
        positions.entry(key).or_insert((yaml_line + i, column));
    }
    positions
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

    fn ok(yaml: &str) -> FrontMatter {
        let (front, problems) = parse(yaml, 2).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        front
    }

    #[test]
    fn typed_fields_and_extra() {
        let yaml = "title: Hello\nduration_minutes: 25\nlearning_objectives:\n  - Build it\n  - objective: Ship it\n    bloom: apply\nskills: [docker]\ncustom: 3\n";
        let f = ok(yaml);
        assert_eq!(f.title.as_deref(), Some("Hello"));
        assert_eq!(f.duration_minutes, Some(Minutes::exact(25)));
        let texts: Vec<_> = f.learning_objectives.iter().map(|o| &o.text).collect();
        assert_eq!(texts, ["Build it", "Ship it"]);
        assert_eq!(f.learning_objectives[1].details[0].value, "apply");
        assert_eq!(f.skills[0].name, "docker");
        assert_eq!(f.extra["custom"], serde_json::json!(3));
    }

    #[test]
    fn docusaurus_keys_convert_as_its_validation_does() {
        let f = ok("title: 2024\nsidebar_position: \"3\"\ndraft: \"false\"\nunlisted: TRUE\nhide_title: true\ntoc_max_heading_level: \"4\"\npagination_prev: null\npagination_next: intro\nkeywords: [a, 7]\ntags: [one, {label: Two, permalink: /two}]\n");
        assert_eq!(f.title.as_deref(), Some("2024"));
        assert_eq!(f.sidebar_position, Some(3.0));
        assert!(!f.draft && f.unlisted && f.hide_title);
        assert_eq!(f.toc_max_heading_level, Some(4));
        assert_eq!(f.pagination_prev, Some(None));
        assert_eq!(f.pagination_next, Some(Some("intro".into())));
        assert_eq!(f.keywords, ["a", "7"]);
        assert_eq!(f.tags[1].permalink.as_deref(), Some("/two"));
        assert!(f.extra.is_empty());
    }

    #[test]
    fn what_docusaurus_rejects_is_an_error_at_the_value() {
        let (f, problems) = parse("title: ok\nsidebar_position: first\ndraft: yes please\ntags: web\ntoc_min_heading_level: 1\n", 2).unwrap();
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.column, p.severity))
            .collect();
        assert_eq!(
            got,
            [
                (3, 19, Severity::Error),
                (4, 8, Severity::Error),
                (5, 7, Severity::Error),
                (6, 24, Severity::Error)
            ]
        );
        assert!(
            problems[0]
                .message
                .starts_with("`sidebar_position` must be a number, found \"first\""),
            "{problems:?}"
        );
        assert_eq!(f.title.as_deref(), Some("ok"), "the rest is kept");
        let (_, problems) =
            parse("toc_min_heading_level: 4\ntoc_max_heading_level: 3\n", 2).unwrap();
        assert!(problems[0].message.contains("more than"), "{problems:?}");
    }

    #[test]
    fn course_shapes_we_cannot_read_warn_and_are_left_out() {
        let (f, problems) = parse("title: ok\nduration_minutes: ten\nskills: true\nlearning_objectives:\n  - fine\n  - [a, b]\n", 2).unwrap();
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.column, p.severity))
            .collect();
        assert_eq!(
            got,
            [
                (3, 19, Severity::Warning),
                (4, 9, Severity::Warning),
                (5, 1, Severity::Warning)
            ]
        );
        assert!(
            problems[0]
                .message
                .contains("`duration_minutes` is \"ten\""),
            "{problems:?}"
        );
        assert_eq!((f.duration_minutes, f.skills.len()), (None, 0));
        assert_eq!(f.learning_objectives.len(), 1);
        assert_eq!(f.title.as_deref(), Some("ok"));
    }

    #[test]
    fn syntax_error_points_at_the_file_line() {
        let e = parse("title: ok\ndescription: [unclosed\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn spots_likely_typos() {
        let f = ok("title: t\nsidebar_postion: 3\ndifficulty: easy\n");
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
            key_positions("title: a\nsidebar_postion: 3\n  title: x\n", 2),
            [("title", (2, 8)), ("sidebar_postion", (3, 18))].into()
        );
        assert_eq!(key_positions("skills:\n  - a\n", 2)["skills"], (2, 1));
    }
}
