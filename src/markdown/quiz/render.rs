//! A quiz as accessible HTML: a fieldset per question, radio answers, a check button,
//! feedback with the explanation and a score; without JavaScript each answer sits in a
//! `<details>`.

use super::Quiz;
use crate::html::escape;

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
pub(crate) fn render(quiz: &Quiz, n: usize) -> String {
    let id = format!("quiz-{n}");
    let mut h = format!(
        "<section class=\"quiz\" data-quiz aria-labelledby=\"{id}-title\"><p class=\"quiz-title\" id=\"{id}-title\">{}</p><form class=\"quiz-form\" novalidate>",
        inline(&quiz.title)
    );
    for (qi, q) in quiz.questions.iter().enumerate() {
        let qid = format!("{id}-q{}", qi + 1);
        h.push_str(&format!(
            "<fieldset class=\"quiz-question\" data-correct=\"{}\"><legend><span class=\"quiz-number\">{}.</span> {}</legend><div class=\"quiz-options\">",
            q.correct,
            qi + 1,
            inline(&q.question)
        ));
        for (oi, o) in q.options.iter().enumerate() {
            h.push_str(&format!(
                "<label class=\"quiz-option\"><input type=\"radio\" name=\"{qid}\" value=\"{oi}\"> <span>{}</span></label>",
                inline(o)
            ));
        }
        h.push_str("</div><p class=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></p>");
        h.push_str(&format!(
            "<details class=\"quiz-answer\"><summary>Show answer</summary><p><strong>Answer:</strong> {}</p>",
            inline(&q.options[q.correct])
        ));
        if let Some(e) = &q.explanation {
            h.push_str(&format!("<p class=\"quiz-explanation\">{}</p>", inline(e)));
        }
        if let Some(s) = &q.source {
            h.push_str(&format!(
                "<p class=\"quiz-source\">Source: {}</p>",
                escape(s)
            ));
        }
        h.push_str("</details></fieldset>");
    }
    h.push_str("<div class=\"quiz-actions\"><button type=\"submit\" class=\"quiz-check\">Check answers</button><button type=\"reset\" class=\"quiz-reset\">Try again</button></div><p class=\"quiz-score\" role=\"status\" aria-live=\"polite\"></p></form></section>");
    h
}
