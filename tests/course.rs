//! The course as a whole (issue 17): the course map, `course.json` against its schema,
//! schema.org JSON-LD, a chapter's print view, edit links, reading time and "Last updated".

use crate::support;

use serde_json::Value;
use std::path::Path;
use support::{build_in_memory, build_project, Built};

fn bundled() -> Built {
    let built = build_in_memory(Path::new(env!("CARGO_MANIFEST_DIR")), None);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    built
}

/// The lesson pages of the bundled course (every page but the home page and generated ones).
fn lesson_urls(built: &Built) -> Vec<String> {
    built
        .pages()
        .into_iter()
        .filter(|u| !u.is_empty() && u != "course-map/" && u != "print/")
        .collect()
}

/// The text between `<title>` and ` · ` of a page.
fn page_title(html: &str) -> String {
    let start = html.find("<title>").unwrap() + "<title>".len();
    let end = html[start..].find(" · ").unwrap() + start;
    html[start..end].to_string()
}

/// Counts quiz questions in a page's HTML, independently of the build's own count.
fn questions_in(html: &str) -> usize {
    html.matches("<fieldset class=\"quiz-question").count()
}

// ---------- a hand-written JSON Schema check for the keywords docs/course.schema.json uses

/// Checks `value` against `schema` (type, const, required, properties,
/// additionalProperties: false, items, minimum, $ref to $defs); returns every problem.
fn validate(value: &Value, schema: &Value, root: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        return validate(value, &root["$defs"][name], root, at, problems);
    }
    if let Some(c) = schema.get("const") {
        if value != c {
            problems.push(format!("{at}: {value} is not {c}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type in schema"),
        };
        let ok = types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "null" => value.is_null(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            "boolean" => value.is_boolean(),
            other => panic!("type {other} not handled"),
        });
        if !ok {
            problems.push(format!("{at}: {value} is not of type {t}"));
            return;
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            problems.push(format!("{at}: {n} < {min}"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap();
            if !object.contains_key(key) {
                problems.push(format!("{at}: `{key}` is missing"));
            }
        }
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => validate(v, s, root, &format!("{at}.{key}"), problems),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    problems.push(format!("{at}: `{key}` is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            validate(v, items, root, &format!("{at}[{i}]"), problems);
        }
    }
}

fn schema_problems(value: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/course.schema.json"),
    )
    .expect("docs/course.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let mut problems = Vec::new();
    validate(value, &schema, &schema, "course", &mut problems);
    problems
}

#[test]
fn course_json_of_the_bundled_course_matches_its_schema() {
    let built = bundled();
    let course: Value = serde_json::from_str(&built.text("course.json")).expect("valid JSON");
    let problems = schema_problems(&course);
    assert!(problems.is_empty(), "{problems:#?}");

    // The check can fail: a missing field, an unknown one, a wrong type.
    let mut broken = course.clone();
    broken["chapters"][0]["lessons"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    broken["totals"]["extra"] = Value::Bool(true);
    broken["chapters"][0]["lessons"][1]["quiz_questions"] = Value::String("3".into());
    assert_eq!(
        schema_problems(&broken).len(),
        3,
        "{:#?}",
        schema_problems(&broken)
    );

    // Its content is the course's: every lesson in order, with what its page shows.
    assert_eq!(course["generator"]["version"], env!("CARGO_PKG_VERSION"));
    let lessons: Vec<&Value> = course["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["lessons"].as_array().unwrap())
        .collect();
    let urls = lesson_urls(&built);
    assert_eq!(lessons.len(), urls.len());
    let mut questions = 0;
    for lesson in &lessons {
        let url = lesson["url"].as_str().unwrap().trim_start_matches('/');
        let html = built.page(url);
        assert_eq!(
            lesson["title"].as_str().unwrap(),
            page_title(&html).replace("&amp;", "&")
        );
        assert_eq!(lesson["quiz_questions"], questions_in(&html), "{url}");
        questions += questions_in(&html);
        if let Some(m) = lesson["duration_minutes"].as_u64() {
            let shown = match (m / 60, m % 60) {
                (0, m) => format!("{m} min"),
                (h, 0) => format!("{h} h"),
                (h, m) => format!("{h} h {m} min"),
            };
            assert!(html.contains(&shown), "{url} shows its duration, {shown}");
        }
    }
    assert!(questions > 0, "the bundled course has a quiz");
    assert_eq!(course["totals"]["quiz_questions"], questions);
    assert_eq!(course["totals"]["lessons"], lessons.len());
    let first_skills = &lessons[0]["skills"];
    assert!(first_skills.as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn course_json_is_the_same_bytes_on_every_build() {
    assert_eq!(bundled().text("course.json"), bundled().text("course.json"));
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    html.match_indices(OPEN)
        .map(|(at, _)| {
            let start = at + OPEN.len();
            let end = html[start..].find("</script>").unwrap() + start;
            serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
        })
        .collect()
}

#[test]
fn json_ld_describes_the_course_its_lessons_and_quizzes() {
    let built = bundled();
    let home = &json_ld(&built.page(""))[0];
    assert_eq!(home["@type"], "Course");
    let parts = home["hasPart"].as_array().unwrap();
    assert_eq!(parts.len(), lesson_urls(&built).len());
    let mut quizzes = 0;
    for url in lesson_urls(&built) {
        let html = built.page(&url);
        let ld = json_ld(&html);
        assert_eq!(ld.len(), 1, "{url}");
        let ld = &ld[0];
        let kind = if questions_in(&html) > 0 {
            quizzes += 1;
            "Quiz"
        } else {
            "LearningResource"
        };
        assert_eq!(ld["@type"], kind, "{url}");
        let time = ld["timeRequired"].as_str().unwrap();
        assert!(
            time.starts_with("PT") && time.ends_with(['M', 'H']),
            "{time}"
        );
        let teaches = ld["teaches"].as_array().map_or(0, Vec::len);
        assert!(
            teaches > 0 || !html.contains("lesson-card"),
            "{url} teaches what its card says"
        );
        assert_eq!(ld["isPartOf"]["@type"], "Course");
    }
    assert!(quizzes > 0);
}

#[test]
fn json_ld_text_cannot_end_its_script() {
    let built = build_project(&[(
        "content/a.md",
        b"---\ntitle: \"A </script><script>alert(1)</script>\"\nduration_minutes: 20\nskills:\n  - name: Docker\n    proficiency_level: Beginner\n---\nText\n",
    )]);
    let html = built.page("a/");
    let ld = json_ld(&html);
    assert_eq!(ld[0]["name"], "A </script><script>alert(1)</script>");
    assert_eq!(ld[0]["url"], "/a/");
    assert_eq!(ld[0]["educationalLevel"], "Beginner");
    assert_eq!(ld[0]["timeRequired"], "PT20M");
    assert!(!html.contains("<script>alert"));
}

#[test]
fn json_ld_urls_are_absolute_with_a_full_base_url() {
    let built = build_in_memory(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        Some("https://example.org/docker/"),
    );
    let home = &json_ld(&built.page(""))[0];
    assert_eq!(home["url"], "https://example.org/docker/");
    assert!(home["hasPart"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://example.org/docker/"));
    let lesson = &json_ld(&built.page("chapter-quiz/"))[0];
    assert_eq!(lesson["url"], "https://example.org/docker/chapter-quiz/");
    assert_eq!(lesson["isPartOf"]["url"], "https://example.org/docker/");
}

#[test]
fn course_map_lists_every_lesson_with_totals_and_a_skills_index() {
    let built = bundled();
    let home = built.main("");
    assert!(
        home.contains("href=\"/course-map/\""),
        "the home page links the map"
    );
    let map = built.main("course-map/");
    for url in lesson_urls(&built) {
        assert!(
            map.contains(&format!("href=\"/{url}\"")),
            "{url} on the map"
        );
    }
    let course: Value = serde_json::from_str(&built.text("course.json")).unwrap();
    let questions = course["totals"]["quiz_questions"].as_u64().unwrap();
    assert!(
        map.contains(&format!("<dt>Quiz questions</dt><dd>{questions}</dd>")),
        "{map}"
    );
    assert!(map.contains("Skills index") && map.contains("Dockerfile authoring"));
    assert!(
        map.contains("<dt>Time</dt><dd>12 h 30 min"),
        "750 minutes in all"
    );
}

#[test]
fn skills_index_groups_lessons_by_skill_with_their_levels() {
    let built = build_project(&[
        ("content/README.md", b"# Course\n"),
        (
            "content/01-a.md",
            b"---\ntitle: A\nduration_minutes: \"40-45\"\nskills:\n  - name: Docker\n    proficiency_level: Beginner\n    bloom_level: Understand\n---\nText\n",
        ),
        (
            "content/02-b.md",
            b"---\ntitle: B\nskills:\n  - name: docker\n    proficiency_level: Intermediate\n  - Compose\n---\nSome words here.\n",
        ),
    ]);
    let map = built.main("course-map/");
    let index = &map[map.find("Skills index").unwrap()..];
    let docker = &index[index
        .find("<dt>Docker</dt>")
        .expect("one entry for both spellings")..];
    let docker = &docker[..docker.find("</div>").unwrap()];
    assert!(
        docker.contains(">A</a>") && docker.contains(">B</a>"),
        "{docker}"
    );
    assert!(docker.contains("Level: Beginner") && docker.contains("Bloom: Understand"));
    assert!(docker.contains("Level: Intermediate"));
    assert!(index.contains("<dt>Compose</dt>"));
    // A range counts by its upper bound; B has no duration: its reading time, marked.
    assert!(map.contains("40–45 min"), "{map}");
    assert!(map.contains("1 min read"), "{map}");
    let course: Value = serde_json::from_str(&built.text("course.json")).unwrap();
    assert_eq!(course["totals"]["minutes"], 46);
    let a = &course["chapters"][0]["lessons"][0];
    assert_eq!(
        (&a["duration_minutes"], &a["duration_minutes_from"]),
        (&45.into(), &40.into())
    );
}

#[test]
fn print_view_holds_the_chapter_with_in_page_links_and_answers_at_the_end() {
    let built = bundled();
    assert!(built
        .main("")
        .contains("href=\"/print/\">Print this chapter</a>"));
    let print = built.main("print/");
    let course: Value = serde_json::from_str(&built.text("course.json")).unwrap();
    let in_order: Vec<String> = course["chapters"][0]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["url"]
                .as_str()
                .unwrap()
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    assert_eq!(in_order.len(), lesson_urls(&built).len());
    let mut at = 0;
    for url in in_order {
        let title = page_title(&built.page(&url));
        let found = print[at..]
            .find(&format!("</span> {title}</h2>"))
            .unwrap_or_else(|| panic!("{title} in order"));
        at += found;
        // Links to lessons of the chapter are in-page anchors now.
        assert!(
            !print.contains(&format!("href=\"/{url}\"")),
            "{url} still linked"
        );
        assert!(
            !print.contains(&format!("href=\"/{url}#")),
            "{url}# still linked"
        );
    }
    let answers = &print[print.find("id=\"answers\"").expect("an answer key")..];
    let questions = course["totals"]["quiz_questions"].as_u64().unwrap() as usize;
    assert_eq!(answers.matches("<strong>Answer").count(), questions);
    assert_eq!(
        print.matches("<strong>Answer").count(),
        questions,
        "only in the key"
    );
    // Ids are unique on the page.
    let mut ids: Vec<&str> = print
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids in the print view");
    // Every in-page link has its target.
    for href in print.split("href=\"#").skip(1) {
        let id = &href[..href.find('"').unwrap()];
        assert!(ids.binary_search(&id).is_ok(), "#{id} has no target");
    }
}

#[test]
fn a_page_where_a_generated_one_would_go_wins_with_a_warning() {
    let built = build_project(&[
        ("content/README.md", b"# Course\n"),
        ("content/course-map.md", b"# My map\n\nMine.\n"),
        ("content/print.md", b"# Printing\n\nMine.\n"),
    ]);
    assert!(!built.report.has_errors(), "{}", built.diagnostics());
    assert!(built.main("course-map/").contains("Mine."));
    assert!(built.main("print/").contains("Mine."));
    let d = built.diagnostics();
    assert!(d.contains("the course map is not written"), "{d}");
    assert!(d.contains("the chapter's print view is not written"), "{d}");
    assert!(
        !built.main("").contains("Course map</a>"),
        "no link to a map that is not there"
    );
}

#[test]
fn edit_links_follow_edit_url_and_reading_time_stands_in_for_duration() {
    let built = build_project(&[
        (
            "book.toml",
            b"[site]\nedit-url = \"https://github.com/x/y/edit/main\"\n",
        ),
        ("content/README.md", b"# Course\n"),
        ("content/01-a b.md", b"# A\n\nText.\n"),
        (
            "content/02-timed.md",
            b"---\nduration_minutes: 30\n---\n# Timed\n\nText.\n",
        ),
    ]);
    let a = built.main("a b/");
    assert!(
        a.contains(
            "href=\"https://github.com/x/y/edit/main/content/01-a%20b.md\">Edit this page</a>"
        ),
        "{a}"
    );
    assert!(a.contains("1 min read"), "{a}");
    let timed = built.main("timed/");
    assert!(
        timed.contains("30 min") && !timed.contains("min read"),
        "{timed}"
    );
    assert!(!a.contains("Last updated"), "off by default");
}

#[test]
fn docusaurus_edit_url_and_show_last_update_time_are_read() {
    let built = build_project(&[
        (
            "docusaurus.config.js",
            b"module.exports = { title: 'T', url: 'https://x.org', baseUrl: '/', presets: [['classic', { docs: { editUrl: 'https://github.com/x/y/tree/main/', showLastUpdateTime: true } }]] };\n",
        ),
        ("docs/intro.md", b"# Intro\n\nText.\n"),
    ]);
    let html = built.page("docs/intro/");
    assert!(
        html.contains("href=\"https://github.com/x/y/tree/main/docs/intro.md\""),
        "{}",
        built.diagnostics()
    );
}

/// Runs git in `dir` as a fixed author, at `date` (author and committer) when given.
fn git(dir: &Path, args: &[&str], date: Option<&str>) -> bool {
    let mut cmd = std::process::Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org");
    if let Some(date) = date {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    cmd.output().is_ok_and(|o| o.status.success())
}

#[test]
#[allow(clippy::print_stderr)] // why it is skipped
fn last_updated_comes_from_each_files_last_commit() {
    let project = support::project(&[
        ("book.toml", b"[site]\nlast-updated = true\n"),
        ("content/README.md", b"# Course\n"),
        ("content/01-a.md", b"# A\n\nText.\n"),
        ("content/02-b.md", b"# B\n\nText.\n"),
    ]);
    let dir = project.path();
    let without_git = build_in_memory(dir, None);
    assert!(
        !without_git.main("a/").contains("Last updated"),
        "no git, no date"
    );
    if !git(dir, &["init", "-q"], None) {
        if std::env::var_os("CI").is_some() {
            panic!("git is missing (.ci/run installs it)");
        }
        eprintln!("git is missing: skipped");
        return;
    }
    let commit = |date: &str, path: &str| {
        assert!(git(dir, &["add", path], None));
        assert!(git(dir, &["commit", "-q", "-m", "x"], Some(date)));
    };
    commit("2024-03-01T12:00:00Z", ".");
    std::fs::write(dir.join("content/02-b.md"), "# B\n\nMore text.\n").unwrap();
    commit("2025-07-15T08:30:00Z", "content/02-b.md");
    let built = build_in_memory(dir, None);
    let a = built.main("a/");
    assert!(
        a.contains("Last updated on <time datetime=\"2024-03-01\">March 1, 2024</time>"),
        "{a}"
    );
    let b = built.main("b/");
    assert!(
        b.contains("<time datetime=\"2025-07-15\">July 15, 2025</time>"),
        "{b}"
    );
    assert_eq!(
        built.files,
        build_in_memory(dir, None).files,
        "deterministic"
    );
}

#[test]
fn an_unlisted_doc_is_left_out_of_the_course_outline() {
    let built = build_project(&[
        ("content/README.md", b"# Course\n"),
        ("content/01-a.md", b"# A\n\nText.\n"),
        (
            "content/02-hidden.md",
            b"---\nunlisted: true\n---\n# Hidden\n\nText.\n",
        ),
    ]);
    let course: Value = serde_json::from_str(&built.text("course.json")).unwrap();
    let lessons = course["chapters"][0]["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 1, "{lessons:?}");
    assert!(!built.main("course-map/").contains("Hidden"));
    assert!(!built.main("print/").contains("Hidden"));
    assert!(
        !built.page("").contains("/hidden/"),
        "not in the home page's JSON-LD"
    );
}
