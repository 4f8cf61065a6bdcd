//! A quiz as accessible HTML: a fieldset per question, radio answers (checkboxes for "select
//! all that apply"), a check button, feedback with the explanation and a score; without
//! JavaScript each answer sits in a `<details>` (inside `<noscript>`: with JavaScript the
//! script makes it once the answers are checked). A question that cannot be answered shows
//! its options disabled and a note saying why.

use super::{Question, Quiz};
use crate::html::escape;
use crate::markdown::Words;

/// Inline Markdown (code, emphasis, links) without the paragraph around it.
fn inline(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    let html = html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .replace('\n', " ")
}

/// The quiz as one line of HTML (so it stays a single raw HTML block).
/// Its fixed words are the theme's `strings` (the page's language).
pub(crate) fn render(quiz: &Quiz, n: usize, strings: &dyn Words) -> String {
    let id = format!("quiz-{n}");
    let title = if quiz.title.is_empty() {
        escape(strings.word("quiz"))
    } else {
        inline(&quiz.title)
    };
    let mut h = format!(
        "<section class=\"quiz\" data-quiz aria-labelledby=\"{id}-title\"><p class=\"quiz-title\" id=\"{id}-title\">{title}</p><form class=\"quiz-form\" novalidate>"
    );
    if quiz.questions.is_empty() {
        h.push_str(&format!(
            "<p class=\"quiz-note\" role=\"note\">{}</p>",
            escape(strings.word("quiz_no_questions"))
        ));
    }
    for (qi, q) in quiz.questions.iter().enumerate() {
        question(&mut h, q, qi + 1, &format!("{id}-q{}", qi + 1), strings);
    }
    if quiz.questions.iter().any(|q| q.problem.is_none()) {
        h.push_str(&format!(
            "<div class=\"quiz-actions\"><button type=\"submit\" class=\"quiz-check\">{}</button><button type=\"reset\" class=\"quiz-reset\">{}</button></div><p class=\"quiz-score\" role=\"status\" aria-live=\"polite\"></p>",
            escape(strings.word("quiz_check")),
            escape(strings.word("quiz_reset"))
        ));
    }
    h.push_str("</form></section>");
    h
}

/// One question's fieldset.
fn question(h: &mut String, q: &Question, number: usize, qid: &str, strings: &dyn Words) {
    let answerable = q.problem.is_none();
    let (input, hint) = if q.multiple() {
        (
            "checkbox",
            format!(
                " <span class=\"quiz-hint\">{}</span>",
                escape(strings.word("quiz_select_all"))
            ),
        )
    } else {
        ("radio", String::new())
    };
    let correct: Vec<String> = q.correct.iter().map(usize::to_string).collect();
    let data = if answerable {
        format!(
            " data-correct=\"{}\"{}",
            correct.join(","),
            if q.multiple() { " data-multiple" } else { "" }
        )
    } else {
        String::new()
    };
    let class = if answerable {
        "quiz-question"
    } else {
        "quiz-question is-unanswerable"
    };
    h.push_str(&format!(
        "<fieldset class=\"{class}\"{data}><legend><span class=\"quiz-number\">{number}.</span> {}{hint}</legend>",
        inline(&q.question)
    ));
    let disabled = if answerable { "" } else { " disabled" };
    for (oi, o) in q.options.iter().enumerate() {
        h.push_str(&format!(
            "<label class=\"quiz-option\"><input type=\"{input}\" name=\"{qid}\" value=\"{oi}\"{disabled}> {}</label>",
            inline(o)
        ));
    }
    if let Some(problem) = &q.problem {
        h.push_str(&format!(
            "<p class=\"quiz-note\" role=\"note\">{}</p></fieldset>",
            escape(
                &strings
                    .word("quiz_cannot_answer")
                    .replace("{problem}", &problem.text(strings))
            )
        ));
        return;
    }
    // The feedback paragraph is made by components.js when the answers are checked (issue 18:
    // a 40-question page keeps its DOM small).
    let answers: Vec<String> = q.correct.iter().map(|&i| inline(&q.options[i])).collect();
    let label = escape(strings.word(if q.multiple() {
        "quiz_answers_label"
    } else {
        "quiz_answer"
    }));
    // Issue 18: the answer is in the page only for readers without JavaScript; with it,
    // components.js makes it from this markup when the answers are checked, so a long quiz
    // keeps its DOM small.
    h.push_str(&format!(
        "<noscript><details class=\"quiz-answer\"><summary>{}</summary><p><strong>{label}</strong> {}</p>",
        escape(strings.word("quiz_show_answer")),
        answers.join("; ")
    ));
    if let Some(e) = &q.explanation {
        h.push_str(&format!("<p class=\"quiz-explanation\">{}</p>", inline(e)));
    }
    if let Some(s) = &q.source {
        h.push_str(&format!(
            "<p class=\"quiz-source\">{} {}</p>",
            escape(strings.word("quiz_source")),
            escape(s)
        ));
    }
    h.push_str("</details></noscript></fieldset>");
}
