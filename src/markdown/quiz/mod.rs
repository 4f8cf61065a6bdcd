//! Quizzes: `<Quiz title="…" questions={[ … ]} />` as MDX course books write it (props are
//! JavaScript object literals), and a plain-Markdown form (`:::quiz`). Both become one
//! accessible HTML quiz: a fieldset per question, radio answers, a check button, feedback
//! with the explanation and a score; without JavaScript each answer sits in a `<details>`.

mod jsx;
mod markdown_form;
mod render;

use super::lines::{Fences, Line, Note};
pub(crate) use render::render;

/// A validated quiz.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quiz {
    pub title: String,
    pub questions: Vec<Question>,
}

/// One question: its options, the right one (0-based), and what the answer shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Question {
    pub question: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: Option<String>,
    pub source: Option<String>,
}

/// Replaces `<Quiz …/>` components and `:::quiz` blocks with quiz HTML.
/// `counter` numbers quizzes on the page, for unique ids.
pub(crate) fn expand(lines: Vec<Line>, notes: &mut Vec<Note>) -> Vec<Line> {
    if !lines
        .iter()
        .any(|l| l.text.contains("<Quiz") || l.text.trim_start().starts_with(":::quiz"))
    {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut fences = Fences::default();
    let mut count = 0;
    let mut joined = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if fences.in_code(&line.text) {
            out.push(line.clone());
            i += 1;
            continue;
        }
        let trimmed = line.text.trim_start();
        let (result, consumed) = if trimmed.starts_with("<Quiz")
            && !trimmed[5..].starts_with(|c: char| c.is_alphanumeric())
        {
            let joined = joined.get_or_insert_with(|| jsx::Joined::new(&lines));
            jsx::block(&lines, joined, i)
        } else if trimmed.starts_with(":::quiz") {
            markdown_form::block(&lines[i..])
        } else {
            out.push(line.clone());
            i += 1;
            continue;
        };
        let src = line.src;
        match result {
            Ok(quiz) => {
                count += 1;
                out.push(Line::new("", src));
                out.push(Line::new(render(&quiz, count), src));
                out.push(Line::new("", src));
            }
            Err(note) => notes.push(note),
        }
        i += consumed.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lines::{join, split};
    use super::*;

    fn run(src: &str) -> (String, Vec<Note>) {
        let mut notes = Vec::new();
        let (text, _) = join(&expand(split(src), &mut notes));
        (text, notes)
    }

    const QUIZ: &str = "Intro\n\n<Quiz\n  title=\"Chapter quiz\"\n  questions={[\n    {\n      question: 'What does `FROM` do?',\n      options: [\"Runs a command\", `Sets the base image`, 'Copies files',],\n      correctOption: 1, // the base image\n      explanation: \"Every image starts from one.\",\n      source: \"Lesson 3\",\n    },\n  ]}\n/>\n\nAfter";

    #[test]
    fn parses_jsx_quizzes_with_js_literals() {
        let (text, notes) = run(QUIZ);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(text.contains("<fieldset class=\"quiz-question\" data-correct=\"1\">"));
        assert!(text.contains("What does <code>FROM</code> do?"));
        assert_eq!(text.matches("type=\"radio\"").count(), 3);
        assert!(text.contains("Every image starts from one.") && text.contains("Source: Lesson 3"));
        assert!(text.starts_with("Intro") && text.ends_with("After"));
    }

    #[test]
    fn errors_point_inside_the_quiz() {
        let (_, notes) = run(&QUIZ.replace("correctOption: 1", "correctOption: 5"));
        assert_eq!(notes.len(), 1);
        assert_eq!((notes[0].src, notes[0].column), (8, 22), "{notes:?}");
        assert!(notes[0].message.contains("`correctOption` is 5"));
        let (_, notes) = run(&QUIZ.replace(
            "options: [\"Runs a command\", `Sets the base image`, 'Copies files',],",
            "",
        ));
        assert!(notes[0].message.contains("has no `options`"), "{notes:?}");
        assert_eq!(notes[0].src, 5);
        let (_, notes) = run(&QUIZ.replace("question: 'What does `FROM` do?',", ""));
        assert!(notes[0].message.contains("no `question` text"));
        let (_, notes) = run("<Quiz questions={[ {question: 'a' options: []} ]} />");
        assert!(
            notes[0].message.contains("expected `,` or `}`"),
            "{notes:?}"
        );
    }

    #[test]
    fn markdown_quiz_syntax() {
        let src = ":::quiz Check yourself\n1. Which instruction sets the base image?\n   - [ ] `RUN`\n   - [x] `FROM`\n   > `FROM` picks the starting image.\n2. Second?\n   - [x] yes\n   - [ ] no\n:::\nafter";
        let (text, notes) = run(src);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            text.contains(">Check yourself</p>")
                && text.contains("data-correct=\"1\"")
                && text.contains("data-correct=\"0\"")
        );
        let (_, notes) = run(":::quiz\n1. Q?\n   - [ ] a\n   - [ ] b\n:::\n");
        assert_eq!((notes[0].src, notes[0].message.contains("[x]")), (1, true));
    }
}
