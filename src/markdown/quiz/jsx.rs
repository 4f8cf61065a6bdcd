//! The MDX form of a quiz: `<Quiz title="…" questions={[ … ]} />`, its props JavaScript
//! literals, with errors at the exact line and column inside the quiz.

use super::{Problem, Question, Quiz};
use crate::js::{err, Js, JsError, Parser, Val};
use crate::markdown::lines::{Line, Note};

impl Parser<'_> {
    /// JSX attributes up to `/>`: `name="x"`, `name={literal}` or a bare `name`.
    fn attributes(&mut self) -> Result<Vec<(String, Val)>, JsError> {
        let mut attrs = Vec::new();
        loop {
            self.skip_ws();
            let at = self.pos;
            match self.peek() {
                Some('/') => {
                    self.bump();
                    self.expect('>')?;
                    return Ok(attrs);
                }
                Some('>') => return err(at, "a quiz must close with `/>`"),
                Some(c) if c.is_alphabetic() => {
                    let name = self.ident();
                    self.skip_ws();
                    let value = if self.peek() == Some('=') {
                        self.bump();
                        self.skip_ws();
                        match self.peek() {
                            Some('{') => {
                                self.bump();
                                let v = self.value()?;
                                self.expect('}')?;
                                v
                            }
                            Some(q @ ('"' | '\'')) => Val {
                                at: self.pos,
                                js: Js::Str(self.string(q)?),
                            },
                            _ => {
                                return err(
                                    self.pos,
                                    format!("attribute `{name}` needs a value in quotes or braces"),
                                )
                            }
                        }
                    } else {
                        Val {
                            at,
                            js: Js::Bool(true),
                        }
                    };
                    attrs.push((name, value));
                }
                Some(c) => return err(at, format!("unexpected `{c}` in the quiz tag")),
                None => return err(at, "the quiz tag is never closed with `/>`"),
            }
        }
    }
}

/// A problem that does not stop the quiz: a warning at a byte offset of the parsed text.
type Warnings = Vec<JsError>;

/// Parses `<Quiz …/>` in `src` from byte `at` (where `<Quiz` starts); returns the quiz, the
/// offset just after its `/>` and the warnings about questions that cannot be answered.
fn parse_jsx(src: &str, at: usize) -> Result<(Quiz, usize, Warnings), JsError> {
    let mut p = Parser {
        src,
        pos: at + "<Quiz".len(),
        depth: 0,
    };
    let attrs = p.attributes()?;
    let end = p.pos;
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let title = get("title").and_then(Val::str).unwrap_or("").to_string();
    let mut warnings = Vec::new();
    let questions = match (get("questions"), get("question")) {
        (Some(questions), _) => match &questions.js {
            Js::Arr(items) => {
                if items.is_empty() {
                    warn(&mut warnings, questions.at, "quiz has no questions");
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| question(i + 1, item, &mut warnings))
                    .collect()
            }
            _ => {
                warn(
                    &mut warnings,
                    questions.at,
                    "`questions` must be a list of questions",
                );
                Vec::new()
            }
        },
        // The single-question form: the question's keys are the component's props.
        (None, Some(_)) => {
            let single = Val {
                js: Js::Obj(attrs.clone()),
                at,
            };
            vec![question(1, &single, &mut warnings)]
        }
        (None, None) => {
            warn(
                &mut warnings,
                at,
                "quiz has no `questions` prop (or `question` and `options` props)",
            );
            Vec::new()
        }
    };
    Ok((Quiz { title, questions }, end, warnings))
}

fn warn(warnings: &mut Warnings, at: usize, message: impl Into<String>) {
    warnings.push(JsError {
        at,
        message: message.into(),
    });
}

/// Keys that name a question's right answer, by preference.
const ANSWER_KEYS: &[&str] = &[
    "correctOption",
    "correctOptions",
    "correct",
    "correctAnswer",
    "correctAnswers",
    "answer",
    "answers",
];

/// Keys that give an option object its text.
const OPTION_TEXT_KEYS: &[&str] = &["text", "label", "option", "value", "title", "content"];

/// One question; what makes it unanswerable is a warning and a note on the question.
fn question(n: usize, item: &Val, warnings: &mut Warnings) -> Question {
    let mut q = Question::default();
    if !matches!(item.js, Js::Obj(_)) {
        q.problem = Some(Problem::NotAQuestion);
        warn(
            warnings,
            item.at,
            format!("question {n} must be an object `{{ question, options, correctOption }}`"),
        );
        return q;
    }
    let text_of = |k: &str| {
        item.get(k)
            .and_then(scalar_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    q.question = text_of("question").unwrap_or_default();
    if q.question.is_empty() {
        q.problem = Some(Problem::NoText);
        warn(
            warnings,
            item.at,
            format!("question {n} has no `question` text"),
        );
    }
    let mut marked = Vec::new();
    match item.get("options").map(|v| (&v.js, v.at)) {
        Some((Js::Arr(opts), at)) => {
            for (i, o) in opts.iter().enumerate() {
                match option(o) {
                    Some((text, right)) => {
                        if right {
                            marked.push(i);
                        }
                        q.options.push(text);
                    }
                    None => {
                        q.problem = Some(Problem::OptionNotText(i + 1));
                        warn(
                            warnings,
                            o.at,
                            format!("question {n}: option {} is not a string", i + 1),
                        );
                        q.options.push(String::new());
                    }
                }
            }
            if opts.is_empty() {
                warn(warnings, at, format!("question {n} has no options"));
            } else if opts.len() == 1 {
                warn(warnings, at, format!("question {n} has only one option"));
            }
        }
        Some((_, at)) => {
            q.problem = Some(Problem::OptionsNotAList);
            warn(
                warnings,
                at,
                format!("question {n}: `options` must be a list of strings"),
            );
        }
        None => warn(warnings, item.at, format!("question {n} has no `options`")),
    }
    // With fewer than two options the question is unanswerable already (warned above).
    let answer = ANSWER_KEYS
        .iter()
        .find_map(|k| item.get(k).map(|v| (*k, v)));
    match answer.filter(|_| q.options.len() >= 2) {
        Some((key, value)) => match answers(value, &q.options) {
            Ok(correct) => q.correct = correct,
            Err((at, why)) => {
                q.problem = Some(Problem::AnswerNotAnOption);
                warn(warnings, at, format!("question {n}: `{key}` {why}"));
            }
        },
        None if !marked.is_empty() => q.correct = marked,
        None if q.options.len() >= 2 => warn(
            warnings,
            item.at,
            format!("question {n} has no `correctOption` (or `correct`, `correctAnswer`)"),
        ),
        None => {}
    }
    q.check();
    q.explanation = text_of("explanation");
    q.source = text_of("source");
    q
}

/// A string, or a number written as a value, as text.
fn scalar_text(v: &Val) -> Option<String> {
    match &v.js {
        Js::Str(s) => Some(s.clone()),
        Js::Num(x) => Some(x.to_string()),
        _ => None,
    }
}

/// An option: a string (or number), or an object with its text and whether it is right
/// (`{ text: "…", correct: true }`).
fn option(v: &Val) -> Option<(String, bool)> {
    if let Some(text) = scalar_text(v) {
        return Some((text, false));
    }
    let text = OPTION_TEXT_KEYS
        .iter()
        .find_map(|k| v.get(k).and_then(scalar_text))?;
    let right = ["correct", "isCorrect", "is_correct"]
        .iter()
        .any(|k| matches!(v.get(k).map(|v| &v.js), Some(Js::Bool(true))));
    Some((text, right))
}

/// The right options named by an answer prop: an index, an option's text, or a list of
/// either. An error is (offset, why) with `why` completing "`correct` …".
fn answers(value: &Val, options: &[String]) -> Result<Vec<usize>, (usize, String)> {
    let items: Vec<&Val> = match &value.js {
        Js::Arr(items) => items.iter().collect(),
        _ => vec![value],
    };
    if items.is_empty() {
        return Err((value.at, "names no option".into()));
    }
    let mut correct = Vec::new();
    for v in items {
        let index = match &v.js {
            Js::Num(x) if x.fract() == 0.0 && *x >= 0.0 && (*x as usize) < options.len() => {
                *x as usize
            }
            Js::Num(x) => {
                let range = match options.len() {
                    0 => "but there are no options".to_string(),
                    len => format!("but the options are numbered 0 to {}", len - 1),
                };
                return Err((v.at, format!("is {x}, {range}")));
            }
            Js::Str(s) => match options.iter().position(|o| o.trim() == s.trim()) {
                Some(i) => i,
                None => match s.trim().parse::<usize>() {
                    Ok(i) if i < options.len() => i,
                    _ => {
                        return Err((v.at, format!("is \"{s}\", which is not one of the options")))
                    }
                },
            },
            _ => {
                return Err((
                    v.at,
                    "must be an option's number (from 0) or its text".into(),
                ))
            }
        };
        if !correct.contains(&index) {
            correct.push(index);
        }
    }
    correct.sort_unstable();
    Ok(correct)
}

/// The body's lines joined once, so that each `<Quiz` is parsed in place rather than on a
/// copy of the rest of the body (which made many quizzes quadratic).
pub(super) struct Joined {
    text: String,
    /// Byte offset of each line in `text`.
    starts: Vec<usize>,
    /// The first `/>` at or after some offset, kept for the next search (quizzes come in
    /// order, so the searches together read the text once).
    next_close: Option<(usize, Option<usize>)>,
}

impl Joined {
    pub(super) fn new(lines: &[Line]) -> Joined {
        let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(lines.len());
        for line in lines {
            starts.push(text.len());
            text.push_str(&line.text);
            text.push('\n');
        }
        Joined {
            text,
            starts,
            next_close: None,
        }
    }

    /// The line of byte `at`, and its 1-based column in characters.
    fn locate(&self, at: usize) -> (usize, usize) {
        // Past the end: at the end of the last line (before the newline `new` added).
        let at = at.min(self.text.len().saturating_sub(1));
        let idx = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let col = self.text[self.starts[idx]..at].chars().count() + 1;
        (idx, col)
    }

    /// The offset of the first `/>` at or after `from`.
    fn close_after(&mut self, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.next_close {
            if searched <= from && found.is_none_or(|f| f >= from) {
                return found;
            }
        }
        let found = memchr::memmem::find(&self.text.as_bytes()[from..], b"/>").map(|i| from + i);
        self.next_close = Some((from, found));
        found
    }
}

/// Parses the `<Quiz` on line `i` of `lines` (joined in `joined`); returns the quiz (or an
/// error at its exact line and column) and the number of lines it spans.
pub(super) fn block(
    lines: &[Line],
    joined: &mut Joined,
    i: usize,
) -> (Result<(Quiz, Vec<Note>), Note>, usize) {
    let line_start = joined.starts[i];
    let indent = lines[i].text.len() - lines[i].text.trim_start().len();
    let at = line_start + indent;
    match parse_jsx(&joined.text, at) {
        Ok((quiz, end, warnings)) => {
            let notes = warnings
                .into_iter()
                .map(|w| {
                    let (idx, col) = joined.locate(w.at);
                    Note::warning(lines[idx].src, format!("quiz: {}; it is shown with a note and cannot be answered", w.message))
                        .at_column(col)
                        .with_help("give the question two options or more and name the right one (`correctOption: 1`, `correct: [0, 2]` or the option's text)")
                })
                .collect();
            (
                Ok((quiz, notes)),
                joined.locate(end.saturating_sub(1)).0 + 1 - i,
            )
        }
        Err(e) => {
            let (idx, col) = joined.locate(e.at);
            let consumed = joined
                .close_after(at)
                .map_or(lines.len() - i, |end| joined.locate(end).0 + 1 - i);
            (
                Err(Note::error(
                    lines[idx].src,
                    col,
                    format!("invalid quiz: {}", e.message),
                )),
                consumed,
            )
        }
    }
}
