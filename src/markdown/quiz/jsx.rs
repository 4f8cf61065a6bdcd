//! The MDX form of a quiz: `<Quiz title="…" questions={[ … ]} />`, its props JavaScript
//! literals, with errors at the exact line and column inside the quiz.

use super::{Question, Quiz};
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

/// Parses `<Quiz …/>` in `src` from byte `at` (where `<Quiz` starts); returns the quiz and
/// the offset just after its `/>`.
fn parse_jsx(src: &str, at: usize) -> Result<(Quiz, usize), JsError> {
    let mut p = Parser {
        src,
        pos: at + "<Quiz".len(),
        depth: 0,
    };
    let attrs = p.attributes()?;
    let end = p.pos;
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let title = get("title")
        .and_then(Val::str)
        .unwrap_or("Quiz")
        .to_string();
    let Some(questions) = get("questions") else {
        return err(at, "quiz has no `questions` prop");
    };
    let Js::Arr(items) = &questions.js else {
        return err(questions.at, "`questions` must be a list of questions");
    };
    if items.is_empty() {
        return err(questions.at, "quiz has no questions");
    }
    let questions = items
        .iter()
        .enumerate()
        .map(|(i, item)| question(i + 1, item))
        .collect::<Result<_, _>>()?;
    Ok((Quiz { title, questions }, end))
}

fn question(n: usize, item: &Val) -> Result<Question, JsError> {
    if !matches!(item.js, Js::Obj(_)) {
        return err(
            item.at,
            format!("question {n} must be an object `{{ question, options, correctOption }}`"),
        );
    }
    let text = item
        .get("question")
        .and_then(Val::str)
        .map(str::trim)
        .unwrap_or("");
    if text.is_empty() {
        return err(item.at, format!("question {n} has no `question` text"));
    }
    let options: Vec<String> = match item.get("options").map(|v| (&v.js, v.at)) {
        Some((Js::Arr(opts), at)) => {
            let texts: Vec<String> = opts
                .iter()
                .filter_map(|o| o.str().map(str::to_string))
                .collect();
            if texts.len() != opts.len() {
                return err(at, format!("question {n}: every option must be a string"));
            }
            if texts.len() < 2 {
                return err(at, format!("question {n} needs at least two options"));
            }
            texts
        }
        Some((_, at)) => {
            return err(
                at,
                format!("question {n}: `options` must be a list of strings"),
            )
        }
        None => return err(item.at, format!("question {n} has no `options`")),
    };
    let correct = match item.get("correctOption") {
        Some(Val { js: Js::Num(x), at }) => {
            if x.fract() != 0.0 || *x < 0.0 || *x as usize >= options.len() {
                return err(*at, format!("question {n}: `correctOption` is {x}, but the options are numbered 0 to {}", options.len() - 1));
            }
            *x as usize
        }
        Some(v) => {
            return err(
                v.at,
                format!("question {n}: `correctOption` must be a number"),
            )
        }
        None => return err(item.at, format!("question {n} has no `correctOption`")),
    };
    let text_of = |k: &str| {
        item.get(k)
            .and_then(Val::str)
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    };
    Ok(Question {
        question: text.to_string(),
        options,
        correct,
        explanation: text_of("explanation"),
        source: text_of("source"),
    })
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
pub(super) fn block(lines: &[Line], joined: &mut Joined, i: usize) -> (Result<Quiz, Note>, usize) {
    let line_start = joined.starts[i];
    let indent = lines[i].text.len() - lines[i].text.trim_start().len();
    let at = line_start + indent;
    match parse_jsx(&joined.text, at) {
        Ok((quiz, end)) => (Ok(quiz), joined.locate(end.saturating_sub(1)).0 + 1 - i),
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
