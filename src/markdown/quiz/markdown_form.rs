//! The plain-Markdown form of a quiz: `:::quiz Title` … `:::`, numbered questions with
//! `- [ ]` / `- [x]` options (several `[x]` make a "select all that apply" question), `>`
//! explanations and `Source:` lines.

use super::{Problem, Question, Quiz};
use crate::markdown::lines::{Line, Note};

/// Parses a `:::quiz Title` … `:::` block starting at `lines[0]`; returns the quiz (or an
/// error at its line) and the number of lines the block spans.
pub(super) fn block(lines: &[Line]) -> (Result<(Quiz, Vec<Note>), Note>, usize) {
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.text.trim() == ":::")
        .map(|p| p + 1);
    let Some(end) = end else {
        let unclosed = "invalid quiz: `:::quiz` is never closed with `:::`";
        return (Err(Note::error(lines[0].src, 1, unclosed)), lines.len());
    };
    (parse(&lines[..end]), end + 1)
}

/// The quiz of a block's lines, its opening line first and without the closing `:::`.
fn parse(lines: &[Line]) -> Result<(Quiz, Vec<Note>), Note> {
    // Each question and the line it starts on.
    let mut questions: Vec<(Question, usize)> = Vec::new();
    for line in &lines[1..] {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(text) = numbered(t) {
            let question = Question {
                question: text.to_string(),
                ..Question::default()
            };
            questions.push((question, line.src));
            continue;
        }
        let Some((question, _)) = questions.last_mut() else {
            let expected =
                "invalid quiz: expected a numbered question such as `1. What does FROM do?`";
            return Err(Note::error(line.src, 1, expected));
        };
        add_line(question, t).map_err(|message| Note::error(line.src, 1, message))?;
    }
    if questions.is_empty() {
        return Err(Note::error(
            lines[0].src,
            1,
            "invalid quiz: it has no questions",
        ));
    }
    let mut notes = Vec::new();
    for (question, src) in &mut questions {
        if let Some(problem) = question.check() {
            // The author's words (English, with the build's other messages).
            let problem = match problem {
                Problem::NoOptions => "has no options",
                Problem::OneOption => "has only one option",
                _ => "does not say which option is right",
            };
            notes.push(
                Note::warning(*src, format!("quiz: the question {problem}; it is shown with a note and cannot be answered"))
                    .with_help("give it two `- [ ]` options or more and mark the right ones `- [x]`"),
            );
        }
    }
    let quiz = Quiz {
        title: title(&lines[0].text),
        questions: questions.into_iter().map(|(q, _)| q).collect(),
    };
    Ok((quiz, notes))
}

/// The title after `:::quiz` (`Title` or `[Title]`), or empty (the theme's "Quiz").
fn title(opening: &str) -> String {
    let title = opening
        .trim_start()
        .trim_start_matches(':')
        .trim_start_matches("quiz")
        .trim();
    let title = title.trim_start_matches('[').trim_end_matches(']').trim();
    title.to_string()
}

/// The text of a numbered question line (`1. …` or `1) …`).
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then(|| rest[2..].trim())
}

/// Adds an option (`- [ ]`, `- [x]`), an explanation line (`>`) or the source to a question.
fn add_line(question: &mut Question, line: &str) -> Result<(), &'static str> {
    if let Some(rest) = line
        .strip_prefix("- [")
        .or_else(|| line.strip_prefix("* ["))
    {
        let (mark, text) = rest.split_at(rest.find(']').unwrap_or(0));
        if mark.eq_ignore_ascii_case("x") {
            question.correct.push(question.options.len());
        }
        let text = text.trim_start_matches(']').trim();
        question.options.push(text.to_string());
    } else if let Some(rest) = line.strip_prefix('>') {
        let e = question.explanation.get_or_insert_with(String::new);
        if !e.is_empty() {
            e.push(' ');
        }
        e.push_str(rest.trim());
    } else if let Some(rest) = line.strip_prefix("Source:") {
        question.source = Some(rest.trim().to_string());
    } else {
        return Err("invalid quiz: expected an option `- [ ] …`, `- [x] …`, an explanation `> …` or `Source: …`");
    }
    Ok(())
}
