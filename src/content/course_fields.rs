//! The course keys of front matter (`duration_minutes`, `learning_objectives`, `skills`,
//! `prerequisites`) in every shape real course books write them. They are ours, not
//! Docusaurus': a shape we cannot read is a warning and the field (or the item) is left
//! out, never a failed build.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

/// A lesson's duration in minutes: one number, or a range (`"40-45"`) summed by its upper
/// bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Minutes {
    pub low: u32,
    pub high: u32,
}

impl Minutes {
    pub(crate) fn exact(minutes: u32) -> Self {
        Minutes {
            low: minutes,
            high: minutes,
        }
    }
}

/// A detail shown beside an objective or a skill: a label ("Bloom") and its value ("apply").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Detail {
    pub label: &'static str,
    pub value: String,
}

/// The labels a [`Detail`] has.
const LABELS: [&str; 2] = ["Level", "Bloom"];

/// A detail read back (from the build cache): its label is one of [`LABELS`].
impl<'de> Deserialize<'de> for Detail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Detail, D::Error> {
        #[derive(Deserialize)]
        struct Read {
            label: String,
            value: String,
        }
        let read = Read::deserialize(d)?;
        let label = LABELS
            .into_iter()
            .find(|l| *l == read.label)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("unknown detail label `{}`", read.label))
            })?;
        Ok(Detail {
            label,
            value: read.value,
        })
    }
}

/// A learning objective: its text and the details that help a reader (its Bloom level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Objective {
    pub text: String,
    pub details: Vec<Detail>,
}

/// A skill: its name and the details that help a reader (proficiency and Bloom levels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Skill {
    pub name: String,
    pub details: Vec<Detail>,
}

/// Keys whose value is the text of an objective, a prerequisite or a skill, by preference.
const TEXT_KEYS: &[&str] = &[
    "objective",
    "description",
    "text",
    "title",
    "name",
    "skill",
    "statement",
    "goal",
    "label",
    "lesson",
];

/// Keys of details worth showing, with the label they get.
const DETAIL_KEYS: &[(&str, &str)] = &[
    ("proficiency_level", "Level"),
    ("proficiency", "Level"),
    ("level", "Level"),
    ("bloom_level", "Bloom"),
    ("bloom", "Bloom"),
    ("bloom_taxonomy", "Bloom"),
    ("blooms_level", "Bloom"),
    ("cognitive_level", "Bloom"),
];

/// Reads `duration_minutes`: a number, a numeric string, a range `"40-45"` (also `–`, `to`),
/// optionally followed by `min`/`minutes`. Err is why it cannot be read.
pub(crate) fn minutes(value: &Value) -> Result<Option<Minutes>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x >= 0.0 && x <= f64::from(u32::MAX) => {
                Ok(Some(Minutes::exact(x.ceil() as u32)))
            }
            _ => Err(format!("is {n}, not a number of minutes")),
        },
        Value::String(s) => parse_minutes(s).map(Some).ok_or_else(|| {
            format!("is \"{s}\", not a number of minutes or a range like \"40-45\"")
        }),
        _ => Err("must be a number of minutes or a range like \"40-45\"".into()),
    }
}

fn parse_minutes(text: &str) -> Option<Minutes> {
    let t = text.trim().to_lowercase();
    let t = ["minutes", "minute", "mins", "min", "m"]
        .iter()
        .find_map(|unit| t.strip_suffix(unit))
        .unwrap_or(&t)
        .trim();
    let number = |s: &str| -> Option<u32> {
        let x: f64 = s.trim().parse().ok()?;
        (x >= 0.0 && x <= f64::from(u32::MAX)).then_some(x.ceil() as u32)
    };
    if let Some(x) = number(t) {
        return Some(Minutes::exact(x));
    }
    let (a, b) = ['-', '–', '—']
        .iter()
        .find_map(|sep| t.split_once(*sep))
        .or_else(|| t.split_once(" to "))?;
    let (low, high) = (number(a)?, number(b)?);
    (low <= high).then_some(Minutes { low, high })
}

/// Reads `learning_objectives` (or `prerequisites`, with `details` false): a list whose
/// items are strings or maps, a map from ids or texts to details, or one string. Returns
/// what could be read and a warning for each item that could not.
pub(crate) fn objectives(value: &Value) -> (Vec<Objective>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (n, item) in items(value).into_iter().enumerate() {
        match objective(item) {
            Some(o) => out.push(o),
            None => problems.push(item_problem(n, value, item)),
        }
    }
    (out, problems)
}

/// Reads `skills`: a list of strings or of maps (`name`, `proficiency_level`, `category`,
/// `bloom_level`, …), or a map from skill name to details (a map, or a level as text).
pub(crate) fn skills(value: &Value) -> (Vec<Skill>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (n, item) in items(value).into_iter().enumerate() {
        match skill(item) {
            Some(s) => out.push(s),
            None => problems.push(item_problem(n, value, item)),
        }
    }
    (out, problems)
}

/// Reads `prerequisites` as texts (the same shapes as objectives; details are not shown).
pub(crate) fn texts(value: &Value) -> (Vec<String>, Vec<String>) {
    let (objectives, problems) = objectives(value);
    (objectives.into_iter().map(|o| o.text).collect(), problems)
}

/// An item of a course list; `Entry` is one `key: value` of a map written for the list.
#[derive(Clone, Copy)]
enum Item<'a> {
    Value(&'a Value),
    Entry(&'a Value, &'a Value),
}

/// The items of a list-like value: a sequence's items, a map's entries, or the value itself.
fn items(value: &Value) -> Vec<Item<'_>> {
    match value {
        Value::Null => Vec::new(),
        Value::Sequence(items) => items.iter().map(Item::Value).collect(),
        Value::Mapping(map) if text_of_map(map).is_none() => {
            map.iter().map(|(k, v)| Item::Entry(k, v)).collect()
        }
        other => vec![Item::Value(other)],
    }
}

fn item_problem(n: usize, whole: &Value, item: Item<'_>) -> String {
    let shape = match item {
        Item::Value(v) | Item::Entry(_, v) => kind(v),
    };
    if matches!(whole, Value::Sequence(_) | Value::Mapping(_)) {
        format!("item {} is {shape} with no text we can show (no `name`, `description` or `objective` key)", n + 1)
    } else {
        format!("is {shape}, not a list")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(_) => "a tagged value",
    }
}

/// A scalar as text (strings, numbers; not booleans or null), trimmed and not empty.
fn scalar(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The text of a map: its first text key that holds a scalar.
fn text_of_map(map: &serde_yaml::Mapping) -> Option<String> {
    TEXT_KEYS.iter().find_map(|k| map.get(*k).and_then(scalar))
}

/// The details worth showing of a map, once per label.
fn details_of_map(map: &serde_yaml::Mapping) -> Vec<Detail> {
    let mut details: Vec<Detail> = Vec::new();
    for (key, label) in DETAIL_KEYS {
        if details.iter().any(|d| d.label == *label) {
            continue;
        }
        if let Some(value) = map.get(*key).and_then(scalar) {
            details.push(Detail {
                label,
                value: value.replace('_', " "),
            });
        }
    }
    details
}

fn objective(item: Item<'_>) -> Option<Objective> {
    match item {
        Item::Value(Value::Mapping(map)) => match text_of_map(map) {
            Some(text) => Some(Objective {
                text,
                details: details_of_map(map),
            }),
            // `- LO1: Explain X` or `- Explain X: {bloom_level: apply}`.
            None if map.len() == 1 => {
                let (k, v) = map.iter().next()?;
                objective(Item::Entry(k, v))
            }
            None => None,
        },
        Item::Value(v) => scalar(v).map(|text| Objective {
            text,
            details: Vec::new(),
        }),
        // An id mapped to the text, or the text mapped to its details.
        Item::Entry(key, value) => match value {
            Value::Mapping(map) => Some(Objective {
                text: text_of_map(map).or_else(|| scalar(key))?,
                details: details_of_map(map),
            }),
            v => scalar(v).or_else(|| scalar(key)).map(|text| Objective {
                text,
                details: Vec::new(),
            }),
        },
    }
}

fn skill(item: Item<'_>) -> Option<Skill> {
    match item {
        Item::Value(Value::Mapping(map)) => match text_of_map(map) {
            Some(name) => Some(Skill {
                name,
                details: details_of_map(map),
            }),
            // `- Docker: intermediate` or `- Docker: {proficiency_level: …}`.
            None if map.len() == 1 => {
                let (k, v) = map.iter().next()?;
                skill(Item::Entry(k, v))
            }
            None => None,
        },
        Item::Value(v) => scalar(v).map(|name| Skill {
            name,
            details: Vec::new(),
        }),
        // The skill's name mapped to its details or to its level.
        Item::Entry(key, value) => {
            let name = scalar(key)?;
            let details = match value {
                Value::Mapping(map) => details_of_map(map),
                v => scalar(v)
                    .map(|level| {
                        vec![Detail {
                            label: LABELS[0],
                            value: level.replace('_', " "),
                        }]
                    })
                    .unwrap_or_default(),
            };
            Some(Skill { name, details })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn durations_as_numbers_strings_and_ranges() {
        let m = |t: &str| minutes(&yaml(t));
        assert_eq!(m("25"), Ok(Some(Minutes::exact(25))));
        assert_eq!(m("\"30\""), Ok(Some(Minutes::exact(30))));
        assert_eq!(m("\"40-45\""), Ok(Some(Minutes { low: 40, high: 45 })));
        assert_eq!(
            m("40 – 45 minutes"),
            Ok(Some(Minutes { low: 40, high: 45 }))
        );
        assert_eq!(m("45 min"), Ok(Some(Minutes::exact(45))));
        assert_eq!(m("~"), Ok(None));
        assert!(m("ten").unwrap_err().contains("\"ten\""));
        assert!(m("\"50-40\"").is_err());
        assert!(m("[1, 2]").is_err());
    }

    #[test]
    fn objectives_in_every_shape() {
        let texts = |t: &str| {
            let (o, p) = objectives(&yaml(t));
            (o.into_iter().map(|o| o.text).collect::<Vec<_>>(), p)
        };
        assert_eq!(texts("[a, b]").0, ["a", "b"]);
        assert_eq!(texts("one objective").0, ["one objective"]);
        let (o, p) = objectives(&yaml(
            "- id: LO1\n  description: Explain X\n  bloom_level: understand\n- objective: Do Y\n- LO3: Build Z\n- Apply W: {bloom_level: apply}\n",
        ));
        assert!(p.is_empty(), "{p:?}");
        let got: Vec<_> = o.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(got, ["Explain X", "Do Y", "Build Z", "Apply W"]);
        assert_eq!(
            o[0].details,
            [Detail {
                label: LABELS[1],
                value: "understand".into()
            }]
        );
        assert_eq!(o[3].details[0].value, "apply");
        assert_eq!(
            texts("LO1: Explain X\nLO2: Do Y\n").0,
            ["Explain X", "Do Y"]
        );
        let (got, p) = texts("- fine\n- [nested, list]\n- {id: 3, bloom_level: x}\n");
        assert_eq!(got, ["fine"]);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("item 2 is a list"), "{p:?}");
        assert!(texts("true").1[0].contains("not a list"));
    }

    #[test]
    fn skills_as_lists_of_maps_and_maps_of_names() {
        let (s, p) = skills(&yaml(
            "- name: ROS 2\n  proficiency_level: intermediate\n  category: robotics\n  bloom_level: apply\n- Python\n",
        ));
        assert!(p.is_empty());
        assert_eq!(s[0].name, "ROS 2");
        let details: Vec<_> = s[0]
            .details
            .iter()
            .map(|d| (d.label, d.value.as_str()))
            .collect();
        assert_eq!(details, [("Level", "intermediate"), ("Bloom", "apply")]);
        assert_eq!((s[1].name.as_str(), s[1].details.len()), ("Python", 0));
        let (s, _) = skills(&yaml(
            "Docker:\n  proficiency_level: beginner\nKubernetes: advanced\nGit: ~\n",
        ));
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.name.as_str(), s.details.first().map(|d| d.value.as_str())))
            .collect();
        assert_eq!(
            got,
            [
                ("Docker", Some("beginner")),
                ("Kubernetes", Some("advanced")),
                ("Git", None)
            ]
        );
        let (s, _) = skills(&yaml("- Linux: {proficiency_level: basic_user}\n"));
        assert_eq!(s[0].details[0].value, "basic user");
    }
}
