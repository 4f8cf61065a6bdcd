//! Quizzes: `<Quiz title="…" questions={[ … ]} />` and the single-question
//! `<Quiz question="…" options={[…]} correctAnswer={1} />` as MDX course books write them
//! (props are JavaScript object literals), and a plain-Markdown form (`:::quiz`). All become
//! one accessible HTML quiz: a fieldset per question, radio answers (checkboxes when several
//! are right), a check button, feedback with the explanation and a score; without JavaScript
//! each answer sits in a `<details>`. A question that cannot be answered (no options, one
//! option, no right answer) is shown with a note and reported as a warning.

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

/// One question: its options, the right ones (0-based), and what the answer shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Question {
    pub question: String,
    pub options: Vec<String>,
    /// The right options, in order; several make a "select all that apply" question.
    pub correct: Vec<usize>,
    pub explanation: Option<String>,
    pub source: Option<String>,
    /// Why the question cannot be answered, shown to the reader in place of the answer.
    pub problem: Option<Problem>,
}

/// Why a question cannot be answered, as the reader is told it: each kind is a theme string
/// (`quiz_problem_*`), so the note is in the page's language; the author's warning, with
/// the details, is written where the problem is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The question is not an object literal.
    NotAQuestion,
    NoText,
    /// Option `n` (from 1) is not text.
    OptionNotText(usize),
    OptionsNotAList,
    NoOptions,
    OneOption,
    NoAnswer,
    /// The answer it names is not one of its options.
    AnswerNotAnOption,
}

impl Problem {
    /// One of each kind (for the catalogue's test).
    #[cfg(test)]
    pub(crate) const EVERY: [Problem; 8] = [
        Problem::NotAQuestion,
        Problem::NoText,
        Problem::OptionNotText(2),
        Problem::OptionsNotAList,
        Problem::NoOptions,
        Problem::OneOption,
        Problem::NoAnswer,
        Problem::AnswerNotAnOption,
    ];

    /// The theme string that tells the reader.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Problem::NotAQuestion => "quiz_problem_not_a_question",
            Problem::NoText => "quiz_problem_no_text",
            Problem::OptionNotText(_) => "quiz_problem_option_not_text",
            Problem::OptionsNotAList => "quiz_problem_options_not_a_list",
            Problem::NoOptions => "quiz_problem_no_options",
            Problem::OneOption => "quiz_problem_one_option",
            Problem::NoAnswer => "quiz_problem_no_answer",
            Problem::AnswerNotAnOption => "quiz_problem_answer_not_an_option",
        }
    }

    /// The reader's text in the page's language.
    pub(crate) fn text(self, strings: &dyn crate::markdown::Words) -> String {
        let text = strings.word(self.key());
        match self {
            Problem::OptionNotText(n) => text.replace("{n}", &n.to_string()),
            _ => text.to_string(),
        }
    }
}

impl Question {
    /// True when more than one option is right: checkboxes, all-or-nothing scoring.
    pub(crate) fn multiple(&self) -> bool {
        self.correct.len() > 1
    }

    /// Sets `problem` when the question cannot be answered; returns it.
    pub(crate) fn check(&mut self) -> Option<Problem> {
        let problem = if self.options.is_empty() {
            Some(Problem::NoOptions)
        } else if self.options.len() == 1 {
            Some(Problem::OneOption)
        } else if self.correct.is_empty() {
            Some(Problem::NoAnswer)
        } else {
            None
        };
        if self.problem.is_none() {
            self.problem = problem;
        }
        self.problem
    }
}

/// Replaces `<Quiz …/>` components and `:::quiz` blocks with quiz HTML.
/// Quizzes are numbered on the page, for unique ids; `questions` grows by the number of
/// questions of each quiz.
pub(crate) fn expand(
    lines: Vec<Line>,
    notes: &mut Vec<Note>,
    questions: &mut usize,
    strings: &dyn crate::markdown::Words,
) -> Vec<Line> {
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
            Ok((quiz, warnings)) => {
                count += 1;
                *questions += quiz.questions.len();
                notes.extend(warnings);
                out.push(Line::new("", src));
                out.push(Line::new(render(&quiz, count, strings), src));
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
        let (text, _) = join(&expand(
            split(src),
            &mut notes,
            &mut 0,
            &crate::markdown::English,
        ));
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
    fn unanswerable_questions_warn_at_their_place_and_show_a_note() {
        let (text, notes) = run(&QUIZ.replace("correctOption: 1", "correctOption: 5"));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].severity, crate::diagnostic::Severity::Warning);
        assert_eq!((notes[0].src, notes[0].column), (8, 22), "{notes:?}");
        assert!(
            notes[0].message.contains("`correctOption` is 5"),
            "{notes:?}"
        );
        assert!(
            text.contains("is-unanswerable") && text.contains("This question cannot be answered")
        );
        assert!(
            !text.contains("quiz-check"),
            "no check button without an answerable question"
        );
        let (text, notes) = run(&QUIZ.replace(
            "options: [\"Runs a command\", `Sets the base image`, 'Copies files',],",
            "options: ['Only one'],",
        ));
        assert!(notes[0].message.contains("only one option"), "{notes:?}");
        assert_eq!(notes[0].src, 7);
        assert!(text.contains("it has only one option."), "{text}");
        let (_, notes) = run(&QUIZ.replace(
            "options: [\"Runs a command\", `Sets the base image`, 'Copies files',],",
            "",
        ));
        assert!(notes[0].message.contains("has no `options`"), "{notes:?}");
        assert_eq!(notes[0].src, 5);
        let (_, notes) = run(&QUIZ.replace("question: 'What does `FROM` do?',", ""));
        assert!(notes[0].message.contains("no `question` text"));
    }

    #[test]
    fn syntax_errors_stay_errors() {
        let (_, notes) = run("<Quiz questions={[ {question: 'a' options: []} ]} />");
        assert_eq!(notes[0].severity, crate::diagnostic::Severity::Error);
        assert!(
            notes[0].message.contains("expected `,` or `}`"),
            "{notes:?}"
        );
    }

    #[test]
    fn multi_answer_questions_use_checkboxes() {
        let (text, notes) = run(&QUIZ.replace("correctOption: 1", "correctOption: [0, 2]"));
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            text.contains("data-correct=\"0,2\" data-multiple"),
            "{text}"
        );
        assert_eq!(text.matches("type=\"checkbox\"").count(), 3);
        assert!(
            text.contains("Select all that apply.") && text.contains("<strong>Answers:</strong>")
        );
    }

    #[test]
    fn answers_by_text_by_other_keys_and_the_single_question_form() {
        let (text, notes) =
            run(&QUIZ.replace("correctOption: 1", "correct: 'Sets the base image'"));
        assert!(notes.is_empty(), "{notes:?}");
        assert!(text.contains("data-correct=\"1\""));
        let single = "<Quiz\n  question=\"Which one?\"\n  options={[\"a\", \"b\", \"c\"]}\n  correctAnswer={2}\n  explanation=\"Because.\"\n  difficulty=\"easy\"\n/>\nafter";
        let (text, notes) = run(single);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(
            text.contains("data-correct=\"2\"")
                && text.contains("Which one?")
                && text.contains("Because.")
        );
        assert!(text.ends_with("after"));
        let (text, _) = run(&single.replace("correctAnswer={2}", "correctAnswer=\"b\""));
        assert!(text.contains("data-correct=\"1\""), "{text}");
        let objects = "<Quiz questions={[{question: 'Q', options: [{text: 'x'}, {text: 'y', correct: true}]}]} />";
        assert!(run(objects).0.contains("data-correct=\"1\""));
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
        let (text, notes) = run(":::quiz\n1. Q?\n   - [ ] a\n   - [ ] b\n:::\n");
        assert_eq!(notes[0].src, 1);
        assert!(
            notes[0]
                .message
                .contains("does not say which option is right"),
            "{notes:?}"
        );
        assert!(text.contains("is-unanswerable"));
        let (text, notes) = run(":::quiz\n1. Q?\n   - [x] a\n   - [x] b\n   - [ ] c\n:::\n");
        assert!(notes.is_empty(), "{notes:?}");
        assert!(text.contains("data-correct=\"0,1\" data-multiple"));
    }
}
