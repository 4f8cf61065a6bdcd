//! A chapter's print view: its pages' bodies on one page. Each body's ids get the lesson's
//! prefix (two lessons may both have `#summary`), links to pages of the chapter become
//! in-page anchors, and quiz answers move to an answer key at the end.

use super::course::{lesson_time, Chapter};
use super::view::Views;
use crate::content::Book;
use serde::Serialize;
use std::collections::HashMap;

/// The print view of `chapter` at `href`: its own page's body, then each lesson's; `bodies`
/// gives the rendered body of a page by id.
pub(crate) fn chapter(
    book: &Book,
    chapter: &Chapter,
    views: &Views<'_>,
    bodies: &dyn Fn(usize) -> PrintBody,
    href: String,
) -> PrintView {
    let own = book.nodes[chapter.node].page;
    let ids: Vec<usize> = std::iter::once(own)
        .chain(chapter.lessons.iter().copied())
        .collect();
    let anchors: HashMap<String, usize> = ids
        .iter()
        .enumerate()
        .map(|(n, &id)| (views.href(&book.pages[id]), n))
        .collect();
    let mut lessons = Vec::new();
    let mut answers = Vec::new();
    let (mut math, mut diagrams) = (false, false);
    for (n, &id) in ids.iter().enumerate() {
        let page = &book.pages[id];
        let printed = bodies(id);
        math |= printed.math;
        diagrams |= printed.diagrams;
        let (body, quiz) = lesson_body(&printed.html, n, &anchors);
        let time = lesson_time(page);
        if !quiz.is_empty() {
            answers.push(PrintAnswers {
                anchor: anchor(n),
                title: page.title.clone(),
                answers: quiz,
            });
        }
        lessons.push(PrintLesson {
            anchor: anchor(n),
            title: page.title.clone(),
            description: page.front.description.clone(),
            minutes: (n > 0 && time.minutes > 0).then_some(time.minutes),
            body,
            untranslated: printed.untranslated,
        });
    }
    let title = book.pages[own].title.clone();
    PrintView {
        kind: "print",
        title,
        href,
        chapter_href: views.href(&book.pages[own]),
        lessons,
        answers,
        math,
        diagrams,
    }
}

/// A page's rendered body kept for its chapter's print view, with what it needs linked.
#[derive(Debug, Default)]
pub(crate) struct PrintBody {
    pub html: String,
    /// It shows a formula (the print view links the math stylesheet).
    pub math: bool,
    /// It shows a diagram (the print view links the diagram stylesheet).
    pub diagrams: bool,
    /// It is the original, shown in a locale that has no translation of it.
    pub untranslated: bool,
}

/// One page of the chapter in the print view.
#[derive(Debug, Serialize)]
pub(crate) struct PrintLesson {
    /// Its anchor (`lesson-3`).
    pub anchor: String,
    pub title: String,
    pub description: Option<String>,
    pub minutes: Option<u32>,
    /// The body, rewritten for the print view.
    pub body: String,
    /// The body is the untranslated original (marked with the original's language).
    pub untranslated: bool,
}

/// A lesson's quiz answers, for the key at the end.
#[derive(Debug, Serialize)]
pub(crate) struct PrintAnswers {
    pub anchor: String,
    pub title: String,
    /// Each question's number and its answer (HTML: answer, explanation, source).
    pub answers: Vec<(String, String)>,
}

/// The print view, as `print.html` sees it.
#[derive(Debug, Serialize)]
pub(crate) struct PrintView {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    /// The chapter page.
    pub chapter_href: String,
    pub lessons: Vec<PrintLesson>,
    pub answers: Vec<PrintAnswers>,
    /// A printed page shows a formula: link the math stylesheet and font.
    pub math: bool,
    /// A printed page shows a diagram: link the diagram stylesheet.
    pub diagrams: bool,
}

/// Rewrites one page's body (the `n`th of the chapter) for the print view. `anchors` maps
/// the href of each page of the chapter to its number; returns the body and the quiz answers
/// taken out of it.
pub(crate) fn lesson_body(
    html: &str,
    n: usize,
    anchors: &HashMap<String, usize>,
) -> (String, Vec<(String, String)>) {
    let (html, answers) = take_answers(html);
    (rewrite_attributes(&html, n, anchors), answers)
}

/// The anchor of page `n` of a chapter.
pub(crate) fn anchor(n: usize) -> String {
    format!("lesson-{n}")
}

const ANSWER_OPEN: &str = "<details class=\"quiz-answer\">";
const QUESTION_NUMBER: &str = "<span class=\"quiz-number\">";

/// Takes each quiz answer (`<details class="quiz-answer">`, one per question) out of the
/// body; returns the body and (question number, answer HTML) pairs.
fn take_answers(html: &str) -> (String, Vec<(String, String)>) {
    if !html.contains(ANSWER_OPEN) {
        return (html.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(html.len());
    let mut answers = Vec::new();
    let mut rest = html;
    let mut quiz = 0;
    let mut last_number = String::new();
    while let Some(at) = rest.find(ANSWER_OPEN) {
        let before = &rest[..at];
        if before.contains("<section class=\"quiz\"") {
            quiz += 1;
        }
        if let Some(n) = before.rfind(QUESTION_NUMBER) {
            let tail = &before[n + QUESTION_NUMBER.len()..];
            last_number = tail[..tail.find('<').unwrap_or(0)]
                .trim_end_matches('.')
                .to_string();
        }
        out.push_str(before);
        let body = &rest[at + ANSWER_OPEN.len()..];
        let Some(end) = body.find("</details>") else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let inner = &body[..end];
        let inner = match inner.find("</summary>") {
            Some(s) => &inner[s + "</summary>".len()..],
            None => inner,
        };
        let label = if quiz > 1 {
            format!("Quiz {quiz}, {last_number}")
        } else {
            last_number.clone()
        };
        answers.push((label, inner.to_string()));
        rest = &body[end + "</details>".len()..];
    }
    out.push_str(rest);
    (out, answers)
}

/// Attributes that name ids of the page.
const ID_ATTRIBUTES: &[&str] = &[
    " id",
    " for",
    " aria-labelledby",
    " aria-describedby",
    " aria-controls",
];

/// Prefixes the body's ids with its anchor, and turns `href`s to pages of the chapter (with or
/// without a fragment) and to the page's own ids into in-page anchors. One pass over the
/// attribute values (`="…"`), so a long page costs its length.
fn rewrite_attributes(html: &str, n: usize, anchors: &HashMap<String, usize>) -> String {
    let prefix = anchor(n);
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut at = 0;
    while let Some(found) = html[at..].find("=\"") {
        let start = at + found + 2;
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let name_end = start - 2;
        let before = &html[at..name_end];
        let value = &html[start..start + len];
        out.push_str(&html[at..start]);
        if before.ends_with(" href") {
            out.push_str(&href(value, &prefix, anchors));
        } else if before.ends_with(" name") && value.starts_with("quiz-") {
            out.push_str(value);
            out.push('-');
            out.push_str(&prefix);
        } else if before.ends_with(" aria-label") && value.starts_with("Table ") {
            // A wide table's region is named by its number in the lesson: add the lesson's.
            out.push_str(value);
            match n {
                0 => out.push_str(", introduction"),
                n => out.push_str(&format!(", lesson {n}")),
            }
        } else if ID_ATTRIBUTES.iter().any(|a| before.ends_with(a)) {
            let ids: Vec<String> = value
                .split(' ')
                .map(|id| format!("{prefix}-{id}"))
                .collect();
            out.push_str(&ids.join(" "));
        } else {
            out.push_str(value);
        }
        at = start + len;
    }
    out.push_str(&html[at..]);
    out
}

/// A link's new target: `#lesson-N-id` for the page's own ids, `#lesson-M[-id]` for a page
/// of the chapter, else as it was.
fn href(value: &str, prefix: &str, anchors: &HashMap<String, usize>) -> String {
    if let Some(id) = value.strip_prefix('#') {
        return format!("#{prefix}-{id}");
    }
    let (page, fragment) = value.split_once('#').unwrap_or((value, ""));
    match anchors.get(page) {
        Some(&m) if fragment.is_empty() => format!("#{}", anchor(m)),
        Some(&m) => format!("#{}-{fragment}", anchor(m)),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_and_chapter_links_become_anchors() {
        let anchors = HashMap::from([("/a/".to_string(), 1), ("/b/".to_string(), 2)]);
        let table = "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1\"></div>";
        let (body, _) = lesson_body(table, 2, &anchors);
        assert!(body.contains("aria-label=\"Table 1, lesson 2\""), "{body}");
        let html = "<h2 id=\"setup\"><a class=\"anchor\" href=\"#setup\">Setup</a></h2><p>See <a href=\"/b/#run\">run</a>, <a href=\"/a/\">a</a> and <a href=\"https://x.org/\">x</a>.</p>";
        let (body, answers) = lesson_body(html, 1, &anchors);
        assert!(answers.is_empty());
        assert_eq!(
            body,
            "<h2 id=\"lesson-1-setup\"><a class=\"anchor\" href=\"#lesson-1-setup\">Setup</a></h2><p>See <a href=\"#lesson-2-run\">run</a>, <a href=\"#lesson-1\">a</a> and <a href=\"https://x.org/\">x</a>.</p>"
        );
    }

    #[test]
    fn quiz_answers_move_to_the_key() {
        let html = "<section class=\"quiz\" data-quiz aria-labelledby=\"quiz-1-title\"><fieldset><legend><span class=\"quiz-number\">1.</span> Q?</legend><label class=\"quiz-option\"><input type=\"radio\" name=\"quiz-1-q1\" value=\"0\"></label><details class=\"quiz-answer\"><summary>Show answer</summary><p><strong>Answer:</strong> B</p></details></fieldset></section>";
        let (body, answers) = lesson_body(html, 3, &HashMap::new());
        assert!(
            !body.contains("quiz-answer") && !body.contains("Answer:"),
            "{body}"
        );
        assert!(body.contains("aria-labelledby=\"lesson-3-quiz-1-title\""));
        assert!(body.contains("name=\"quiz-1-q1-lesson-3\""), "{body}");
        assert_eq!(
            answers,
            vec![(
                "1".to_string(),
                "<p><strong>Answer:</strong> B</p>".to_string()
            )]
        );
    }
}
