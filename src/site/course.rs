//! The course as a whole: its chapters and lessons with their durations, objectives, skills
//! and quiz questions, made once per build from the book and what rendering counted. It
//! feeds the course map page, `course.json`, the print views and schema.org JSON-LD.

use crate::content::course_fields::{Detail, Objective, Skill};
use crate::content::{Book, NodeId, Page, PageId};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The machine-readable course, at the site root.
pub(crate) const COURSE_JSON: &str = "course.json";

/// The version of `course.json`'s format.
pub(crate) const COURSE_JSON_FORMAT: u32 = 1;

/// A chapter: a category with lessons (docs) directly in it, in reading order; an
/// `unlisted` doc is not one of its lessons (it is reachable by its URL only).
#[derive(Debug, Clone)]
pub(crate) struct Chapter {
    pub node: NodeId,
    /// The titles of the categories above it, below the course's root (its part).
    pub parts: Vec<String>,
    pub lessons: Vec<PageId>,
}

/// Every chapter of the book, in reading order.
pub(crate) fn chapters(book: &Book) -> Vec<Chapter> {
    let mut out = Vec::new();
    for (id, page) in book.pages.iter().enumerate() {
        let node = &book.nodes[page.node];
        if !node.is_category || node.page != id {
            continue;
        }
        let lessons: Vec<PageId> = node
            .children
            .iter()
            .filter(|&&c| {
                let child = &book.nodes[c];
                !child.is_category && child.page != id && !book.page_of(c).front.unlisted
            })
            .map(|&c| book.nodes[c].page)
            .collect();
        if lessons.is_empty() {
            continue;
        }
        let parts = book
            .ancestors(page.node)
            .into_iter()
            .filter(|&a| a != book.root())
            .map(|a| book.page_of(a).title.clone())
            .collect();
        out.push(Chapter {
            node: page.node,
            parts,
            lessons,
        });
    }
    out
}

/// A lesson's time: its `duration_minutes` (a range counts by its upper bound), else its
/// reading time.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub(crate) struct LessonTime {
    pub minutes: u32,
    /// A range's lower bound.
    pub minutes_from: Option<u32>,
    /// True when `minutes` is the reading time (no `duration_minutes`).
    pub estimated: bool,
}

pub(crate) fn lesson_time(page: &Page) -> LessonTime {
    match page.front.duration_minutes {
        Some(m) => LessonTime {
            minutes: m.high,
            minutes_from: (m.low < m.high).then_some(m.low),
            estimated: false,
        },
        None => LessonTime {
            minutes: page.reading_minutes,
            minutes_from: None,
            estimated: true,
        },
    }
}

/// The value of a detail with `label` ("Level", "Bloom"), if present.
fn detail<'d>(details: &'d [Detail], label: &str) -> Option<&'d str> {
    details
        .iter()
        .find(|d| d.label == label)
        .map(|d| d.value.as_str())
}

/// The course map page, as `course-map.html` sees it.
#[derive(Debug, Serialize)]
pub(crate) struct CourseMapView<'a> {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    pub home_href: String,
    pub lessons: usize,
    /// Minutes of the lessons that give `duration_minutes`.
    pub minutes: u32,
    /// Lessons without `duration_minutes`, and their reading time.
    pub estimated_lessons: usize,
    pub estimated_minutes: u32,
    pub quiz_questions: usize,
    pub chapters: Vec<MapChapter<'a>>,
    pub skills: Vec<MapSkill<'a>>,
    /// Distinct skills (the skills index's length on a whole map; on a map split by part,
    /// the course's, while each part page lists its own).
    pub skill_count: usize,
    /// A course map split by part (issue 15): the parts, each with its own page; then
    /// `chapters` and `skills` are empty.
    pub parts: Vec<MapPart<'a>>,
    /// On a part's page: the whole course map's href.
    pub up_href: Option<String>,
    /// A map of more than [`super::view::LIST_PAGE_SIZE`] parts: which of the pages that
    /// list them this is (issue 15).
    pub parts_pages: Option<super::view::TagPagination>,
}

/// A part (a section at the top of the book) on a course map split by part.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MapPart<'a> {
    pub title: &'a str,
    /// Its page of the course map.
    pub href: String,
    pub chapters: usize,
    pub lessons: usize,
    pub minutes: u32,
    pub quiz_questions: usize,
}

/// A chapter on the course map.
#[derive(Debug, Serialize)]
pub(crate) struct MapChapter<'a> {
    pub title: &'a str,
    pub href: String,
    pub parts: &'a [String],
    pub minutes: u32,
    pub quiz_questions: usize,
    pub print_href: Option<String>,
    pub lessons: Vec<MapLesson<'a>>,
}

/// A lesson on the course map.
#[derive(Debug, Serialize)]
pub(crate) struct MapLesson<'a> {
    pub title: &'a str,
    pub href: String,
    pub time: LessonTime,
    pub objectives: &'a [Objective],
    pub skills: &'a [Skill],
    pub quiz_questions: usize,
}

/// A skill and the lessons that teach it, with the levels each reaches.
#[derive(Debug, Serialize)]
pub(crate) struct MapSkill<'a> {
    pub name: &'a str,
    pub lessons: Vec<SkillLesson<'a>>,
}

/// A lesson under a skill of the skills index.
#[derive(Debug, Serialize)]
pub(crate) struct SkillLesson<'a> {
    pub title: &'a str,
    pub href: String,
    pub details: &'a [Detail],
}

/// What the course views need besides the book: hrefs and quiz question counts.
pub(crate) struct CourseFacts<'a> {
    pub book: &'a Book,
    pub chapters: &'a [Chapter],
    /// Quiz questions per page.
    pub quiz_questions: &'a [usize],
    /// Href of a page.
    pub href: &'a dyn Fn(&Page) -> String,
    /// The print view's href of a chapter, if it has one.
    pub print_href: &'a dyn Fn(NodeId) -> Option<String>,
}

impl<'a> CourseFacts<'a> {
    /// The course map's view.
    pub(crate) fn map(&self, href: String, home_href: String) -> CourseMapView<'a> {
        self.map_of(self.chapters, href, home_href)
    }

    /// The course map's view of some of the chapters (a part's, on a map split by part).
    pub(crate) fn map_of(
        &self,
        chapters: &'a [Chapter],
        href: String,
        home_href: String,
    ) -> CourseMapView<'a> {
        let book = self.book;
        let mut view = CourseMapView {
            kind: "course-map",
            title: "Course map".into(),
            href,
            home_href,
            lessons: 0,
            minutes: 0,
            estimated_lessons: 0,
            estimated_minutes: 0,
            quiz_questions: 0,
            chapters: Vec::new(),
            skills: Vec::new(),
            skill_count: 0,
            parts: Vec::new(),
            up_href: None,
            parts_pages: None,
        };
        // Skill name (case-folded) → the skill's first spelling and its lessons.
        let mut skills: BTreeMap<String, MapSkill<'a>> = BTreeMap::new();
        for chapter in chapters {
            let page = book.page_of(chapter.node);
            let mut map_chapter = MapChapter {
                title: &page.title,
                href: (self.href)(page),
                parts: &chapter.parts,
                minutes: 0,
                quiz_questions: 0,
                print_href: (self.print_href)(chapter.node),
                lessons: Vec::new(),
            };
            for &id in &chapter.lessons {
                let lesson = &book.pages[id];
                let time = lesson_time(lesson);
                let href = (self.href)(lesson);
                let questions = self.quiz_questions.get(id).copied().unwrap_or(0);
                view.lessons += 1;
                if time.estimated {
                    view.estimated_lessons += 1;
                    view.estimated_minutes += time.minutes;
                } else {
                    view.minutes += time.minutes;
                }
                map_chapter.minutes += time.minutes;
                map_chapter.quiz_questions += questions;
                for skill in &lesson.front.skills {
                    let entry =
                        skills
                            .entry(skill.name.to_lowercase())
                            .or_insert_with(|| MapSkill {
                                name: &skill.name,
                                lessons: Vec::new(),
                            });
                    entry.lessons.push(SkillLesson {
                        title: &lesson.title,
                        href: href.clone(),
                        details: &skill.details,
                    });
                }
                map_chapter.lessons.push(MapLesson {
                    title: &lesson.title,
                    href,
                    time,
                    objectives: &lesson.front.learning_objectives,
                    skills: &lesson.front.skills,
                    quiz_questions: questions,
                });
            }
            view.quiz_questions += map_chapter.quiz_questions;
            view.chapters.push(map_chapter);
        }
        view.skills = skills.into_values().collect();
        view.skill_count = view.skills.len();
        view
    }

    /// `course.json`: the course for machines (its format is `docs/course.schema.json`),
    /// written lesson by lesson as it is serialised: no tree of the whole course is made
    /// (issue 15; at 10,000 lessons that tree was the build's largest allocation at its end).
    /// Keys are in sorted order, as a `serde_json::Value` would print them.
    pub(crate) fn json(&self, site: &SiteFacts<'_>) -> String {
        let book = self.book;
        let mut totals = JsonTotals::default();
        for chapter in self.chapters {
            for &id in &chapter.lessons {
                totals.lessons += 1;
                totals.minutes += lesson_time(&book.pages[id]).minutes;
                totals.quiz_questions += self.quiz_questions.get(id).copied().unwrap_or(0);
            }
        }
        let course = JsonCourse {
            chapters: JsonChapters(self),
            description: site.description,
            format: COURSE_JSON_FORMAT,
            generator: JsonGenerator {
                name: "Syllabus",
                version: env!("CARGO_PKG_VERSION"),
            },
            language: site.language,
            title: &book.title,
            totals,
            url: site.home_href,
        };
        let mut text = serde_json::to_string_pretty(&course).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `course.json`'s top level (fields in key order).
#[derive(Serialize)]
struct JsonCourse<'a> {
    chapters: JsonChapters<'a>,
    description: Option<&'a str>,
    format: u32,
    generator: JsonGenerator,
    language: &'a str,
    title: &'a str,
    totals: JsonTotals,
    url: &'a str,
}

#[derive(Serialize)]
struct JsonGenerator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, Default)]
struct JsonTotals {
    lessons: usize,
    minutes: u32,
    quiz_questions: usize,
}

/// The chapters, each made as it is written.
struct JsonChapters<'a>(&'a CourseFacts<'a>);

impl Serialize for JsonChapters<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let facts = self.0;
        let book = facts.book;
        serializer.collect_seq(facts.chapters.iter().map(|chapter| {
            let page = book.page_of(chapter.node);
            JsonChapter {
                description: page.front.description.as_deref(),
                lessons: JsonLessons(facts, &chapter.lessons),
                parts: &chapter.parts,
                print_url: (facts.print_href)(chapter.node),
                title: &page.title,
                url: (facts.href)(page),
            }
        }))
    }
}

#[derive(Serialize)]
struct JsonChapter<'a> {
    description: Option<&'a str>,
    lessons: JsonLessons<'a>,
    parts: &'a [String],
    print_url: Option<String>,
    title: &'a str,
    url: String,
}

/// A chapter's lessons, each made as it is written.
struct JsonLessons<'a>(&'a CourseFacts<'a>, &'a [PageId]);

impl Serialize for JsonLessons<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let facts = self.0;
        serializer.collect_seq(self.1.iter().map(|&id| {
            let lesson = &facts.book.pages[id];
            let front = &lesson.front;
            JsonLesson {
                description: front.description.as_deref(),
                duration_minutes: front.duration_minutes.map(|m| m.high),
                duration_minutes_from: front
                    .duration_minutes
                    .filter(|m| m.low < m.high)
                    .map(|m| m.low),
                objectives: front
                    .learning_objectives
                    .iter()
                    .map(|o| JsonObjective {
                        bloom_level: detail(&o.details, "Bloom"),
                        text: &o.text,
                    })
                    .collect(),
                quiz_questions: facts.quiz_questions.get(id).copied().unwrap_or(0),
                reading_minutes: lesson.reading_minutes,
                skills: front
                    .skills
                    .iter()
                    .map(|s| JsonSkill {
                        bloom_level: detail(&s.details, "Bloom"),
                        name: &s.name,
                        proficiency_level: detail(&s.details, "Level"),
                    })
                    .collect(),
                title: &lesson.title,
                url: (facts.href)(lesson),
            }
        }))
    }
}

#[derive(Serialize)]
struct JsonLesson<'a> {
    description: Option<&'a str>,
    duration_minutes: Option<u32>,
    duration_minutes_from: Option<u32>,
    objectives: Vec<JsonObjective<'a>>,
    quiz_questions: usize,
    reading_minutes: u32,
    skills: Vec<JsonSkill<'a>>,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct JsonObjective<'a> {
    bloom_level: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonSkill<'a> {
    bloom_level: Option<&'a str>,
    name: &'a str,
    proficiency_level: Option<&'a str>,
}

/// Site-wide facts `course.json` and the JSON-LD carry.
pub(crate) struct SiteFacts<'a> {
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub home_href: &'a str,
}

/// An ISO 8601 duration of whole minutes (`PT1H5M`).
pub(crate) fn iso_duration(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` written as `\u` escapes
/// (they occur only inside strings), so no text can close the script or open a comment.
pub(crate) fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A page's schema.org node: `url`, and the description when there is one.
fn resource(kind: &str, page: &Page, url: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!(kind));
    m.insert("name".into(), json!(page.title));
    m.insert("url".into(), json!(url));
    if let Some(d) = &page.front.description {
        m.insert("description".into(), json!(d));
    }
    m
}

/// A lesson's JSON-LD: a `LearningResource` (a `Quiz` when it has quiz questions) with the
/// time it takes, what it teaches and the level its skills reach, part of the course.
pub(crate) fn lesson_json_ld(
    page: &Page,
    url: &str,
    quiz_questions: usize,
    course: (&str, &str),
    language: &str,
) -> String {
    let kind = if quiz_questions > 0 {
        "Quiz"
    } else {
        "LearningResource"
    };
    let mut m = resource(kind, page, url);
    m.insert("inLanguage".into(), json!(language));
    m.insert("learningResourceType".into(), json!(kind));
    let time = lesson_time(page);
    if time.minutes > 0 {
        m.insert("timeRequired".into(), json!(iso_duration(time.minutes)));
    }
    let mut teaches: Vec<&str> = page
        .front
        .learning_objectives
        .iter()
        .map(|o| o.text.as_str())
        .collect();
    teaches.extend(page.front.skills.iter().map(|s| s.name.as_str()));
    if !teaches.is_empty() {
        m.insert("teaches".into(), json!(teaches));
    }
    let mut levels: Vec<&str> = Vec::new();
    for s in &page.front.skills {
        if let Some(level) = detail(&s.details, "Level") {
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
    }
    if !levels.is_empty() {
        m.insert("educationalLevel".into(), json!(levels.join(", ")));
    }
    if !page.front.keywords.is_empty() {
        m.insert("keywords".into(), json!(page.front.keywords.join(", ")));
    }
    m.insert(
        "isPartOf".into(),
        json!({ "@type": "Course", "name": course.0, "url": course.1 }),
    );
    script_json(&Value::Object(m))
}

/// The home page's JSON-LD: a `Course` whose parts are its chapters' lessons (each chapter
/// below the home page a `LearningResource` holding its lessons). On a course listed by
/// part ([`by_part`]) it lists what the home page shows instead, its children: each part by
/// its name and URL, each lesson at the top as itself (issue 15: at 10,000 lessons the full
/// list was 1.9 MB of every page's first download, the home page's), its first page of them
/// on a home page with more than [`super::view::LIST_PAGE_SIZE`].
pub(crate) fn course_json_ld(
    book: &Book,
    chapters: &[Chapter],
    href: &dyn Fn(&Page) -> String,
    language: &str,
) -> String {
    let root = book.page_of(book.root());
    let mut m = resource("Course", root, &href(root));
    m["name"] = json!(book.title);
    m.insert("inLanguage".into(), json!(language));
    let lesson = |id: PageId| {
        let p = &book.pages[id];
        json!({ "@type": "LearningResource", "name": p.title, "url": href(p) })
    };
    let mut parts = Vec::new();
    let mut minutes = 0;
    let by_part = by_part(book, chapters);
    for chapter in chapters {
        minutes += chapter
            .lessons
            .iter()
            .map(|&id| lesson_time(&book.pages[id]).minutes)
            .sum::<u32>();
        if by_part {
            continue;
        }
        if chapter.node == book.root() {
            parts.extend(chapter.lessons.iter().map(|&id| lesson(id)));
        } else {
            let p = book.page_of(chapter.node);
            parts.push(json!({
                "@type": "LearningResource",
                "name": p.title,
                "url": href(p),
                "hasPart": chapter.lessons.iter().map(|&id| lesson(id)).collect::<Vec<_>>(),
            }));
        }
    }
    if by_part {
        // The entries of the home page's first page of children (issue 15: the later
        // pages list the rest).
        let shown = book.nodes[book.root()].children.iter().filter(|&&child| {
            let page = book.page_of(child);
            !(child == book.root() || page.front.unlisted || page.front.draft)
        });
        for &child in shown.take(super::view::LIST_PAGE_SIZE) {
            parts.push(lesson(book.nodes[child].page));
        }
    }
    if minutes > 0 {
        m.insert("timeRequired".into(), json!(iso_duration(minutes)));
    }
    m.insert("hasPart".into(), json!(parts));
    script_json(&Value::Object(m))
}

/// The most lessons one page lists (the course map, the home page's JSON-LD: about 750 KB
/// of map HTML); a course with more, in several parts, is listed by part.
pub(crate) const SPLIT_LESSONS: usize = 500;

/// True when the course is listed by part: more than [`SPLIT_LESSONS`] lessons in more than
/// one part.
pub(crate) fn by_part(book: &Book, chapters: &[Chapter]) -> bool {
    let lessons: usize = chapters.iter().map(|c| c.lessons.len()).sum();
    lessons > SPLIT_LESSONS && parts(book, chapters).len() >= 2
}

/// The site URL of part `n` (from 0) of a page split by part at `url`: `course-map/1/`,
/// `contents/1/`, … in reading order.
pub(crate) fn part_url(url: &str, n: usize) -> String {
    format!("{url}{}/", n + 1)
}

/// The chapters grouped by part: the section at the top of the book each is in (a chapter
/// at the top is its own part), in reading order.
pub(crate) fn parts(book: &Book, chapters: &[Chapter]) -> Vec<(NodeId, std::ops::Range<usize>)> {
    let mut out: Vec<(NodeId, std::ops::Range<usize>)> = Vec::new();
    for (i, chapter) in chapters.iter().enumerate() {
        let part = book
            .ancestors(chapter.node)
            .get(1)
            .copied()
            .unwrap_or(chapter.node);
        match out.last_mut() {
            Some((last, range)) if *last == part => range.end = i + 1,
            _ => out.push((part, i..i + 1)),
        }
    }
    out
}

/// A date as `(YYYY-MM-DD, "November 30, 2026")` from Unix seconds (UTC).
pub(crate) fn date(unix: i64) -> (String, String) {
    // Howard Hinnant's days-to-civil algorithm.
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)];
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{name} {day}, {year}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        assert_eq!(date(0).0, "1970-01-01");
        assert_eq!(
            date(1_764_547_200),
            ("2025-12-01".into(), "December 1, 2025".into())
        );
        assert_eq!(date(951_782_400).0, "2000-02-29");
        assert_eq!(iso_duration(45), "PT45M");
        assert_eq!(iso_duration(120), "PT2H");
        assert_eq!(iso_duration(65), "PT1H5M");
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let text = script_json(&json!({"name": "a </script><!-- & b"}));
        assert!(!text.contains('<') && !text.contains('>'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "a </script><!-- & b");
    }
}
