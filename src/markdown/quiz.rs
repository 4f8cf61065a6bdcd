//! Quizzes: `<Quiz title="…" questions={[ … ]} />` as MDX course books write it (props are
//! JavaScript object literals), and a plain-Markdown form (`:::quiz`). Both become one
//! accessible HTML quiz: a fieldset per question, radio answers, a check button, feedback
//! with the explanation and a score; without JavaScript each answer sits in a `<details>`.

use super::lines::{Fences, Line, Note};
use crate::html::escape;

/// A validated quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub title: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub question: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: Option<String>,
    pub source: Option<String>,
}

// ---------------------------------------------------------------------------------------
// A small parser for JavaScript literals: objects (bare or quoted keys), arrays, strings in
// any quote style, numbers, booleans, null; comments and trailing commas allowed.

#[derive(Debug, Clone, PartialEq)]
enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

/// A value and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
struct Val {
    js: Js,
    at: usize,
}

impl Val {
    fn get(&self, key: &str) -> Option<&Val> {
        match &self.js {
            Js::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match &self.js {
            Js::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A parse or validation error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
struct JsError {
    at: usize,
    message: String,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, JsError> {
    Err(JsError {
        at,
        message: message.into(),
    })
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        loop {
            let rest = &self.src[self.pos..];
            if let Some(c) = rest.chars().next().filter(|c| c.is_whitespace()) {
                self.pos += c.len_utf8();
            } else if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                self.pos += rest.find("*/").map_or(rest.len(), |i| i + 2);
            } else {
                return;
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), JsError> {
        self.skip_ws();
        match self.peek() {
            Some(x) if x == c => {
                self.pos += c.len_utf8();
                Ok(())
            }
            Some(x) => err(self.pos, format!("expected `{c}`, found `{x}`")),
            None => err(
                self.pos,
                format!("expected `{c}`, found the end of the quiz"),
            ),
        }
    }

    fn value(&mut self) -> Result<Val, JsError> {
        self.skip_ws();
        let at = self.pos;
        let js = match self.peek() {
            Some('{') => self.object()?,
            Some('[') => self.array()?,
            Some(q @ ('"' | '\'' | '`')) => Js::Str(self.string(q)?),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number()?,
            Some(c) if c.is_alphabetic() => match self.ident().as_str() {
                "true" => Js::Bool(true),
                "false" => Js::Bool(false),
                "null" | "undefined" => Js::Null,
                other => {
                    return err(
                        at,
                        format!(
                            "unexpected `{other}`: only literal values are supported in quiz props"
                        ),
                    )
                }
            },
            Some(c) => return err(at, format!("unexpected `{c}`")),
            None => return err(at, "unexpected end of the quiz"),
        };
        Ok(Val { js, at })
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.bump();
        }
        self.src[start..self.pos].to_string()
    }

    fn number(&mut self) -> Result<Js, JsError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.bump();
        }
        match self.src[start..self.pos].parse() {
            Ok(n) => Ok(Js::Num(n)),
            Err(_) => err(
                start,
                format!("`{}` is not a number", &self.src[start..self.pos]),
            ),
        }
    }

    fn string(&mut self, quote: char) -> Result<String, JsError> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return err(start, "string is never closed"),
                Some(c) if c == quote => return Ok(out),
                Some('$') if quote == '`' && self.peek() == Some('{') => {
                    return err(
                        self.pos - 1,
                        "`${…}` expressions are not supported in quiz props",
                    )
                }
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hex: String = (0..4).filter_map(|_| self.bump()).collect();
                        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some(c) => out.push(c),
                    None => return err(start, "string is never closed"),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn array(&mut self) -> Result<Js, JsError> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(']') {
                self.bump();
                return Ok(Js::Arr(items));
            }
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some(']') => {}
                _ => return err(self.pos, "expected `,` or `]` in a list"),
            }
        }
    }

    fn object(&mut self) -> Result<Js, JsError> {
        self.expect('{')?;
        let mut fields = Vec::new();
        loop {
            self.skip_ws();
            let key = match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Js::Obj(fields));
                }
                Some(q @ ('"' | '\'')) => self.string(q)?,
                Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => self.ident(),
                Some(c) => return err(self.pos, format!("expected a key, found `{c}`")),
                None => return err(self.pos, "object is never closed"),
            };
            self.expect(':')?;
            let value = self.value()?;
            fields.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some('}') => {}
                _ => return err(self.pos, "expected `,` or `}` in an object"),
            }
        }
    }

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

/// Parses `<Quiz …/>` source (starting at `<Quiz`); returns the quiz and the bytes consumed.
fn parse_jsx(src: &str) -> Result<(Quiz, usize), JsError> {
    let mut p = Parser {
        src,
        pos: "<Quiz".len(),
    };
    let attrs = p.attributes()?;
    let end = p.pos;
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let title = get("title")
        .and_then(Val::str)
        .unwrap_or("Quiz")
        .to_string();
    let Some(questions) = get("questions") else {
        return err(0, "quiz has no `questions` prop");
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

// ---------------------------------------------------------------------------------------
// The source pass.

/// Replaces `<Quiz …/>` components and `:::quiz` blocks with quiz HTML.
/// `counter` numbers quizzes on the page, for unique ids.
pub fn expand(lines: Vec<Line>, notes: &mut Vec<Note>) -> Vec<Line> {
    if !lines
        .iter()
        .any(|l| l.text.contains("<Quiz") || l.text.trim_start().starts_with(":::quiz"))
    {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut fences = Fences::default();
    let mut count = 0;
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
            jsx_block(&lines[i..])
        } else if trimmed.starts_with(":::quiz") {
            markdown_block(&lines[i..])
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

/// Parses a `<Quiz` starting at `lines[0]`; returns the quiz (or an error at its exact line)
/// and the number of lines it spans.
fn jsx_block(lines: &[Line]) -> (Result<Quiz, Note>, usize) {
    let indent = lines[0].text.len() - lines[0].text.trim_start().len();
    let mut text = String::new();
    let mut starts = Vec::new();
    for line in lines {
        starts.push(text.len());
        text.push_str(if starts.len() == 1 {
            &line.text[indent..]
        } else {
            &line.text
        });
        text.push('\n');
    }
    let locate = |at: usize| {
        let idx = starts.partition_point(|&s| s <= at).saturating_sub(1);
        let col = text[starts[idx]..at].chars().count() + 1 + if idx == 0 { indent } else { 0 };
        (idx, col)
    };
    match parse_jsx(&text) {
        Ok((quiz, end)) => (Ok(quiz), locate(end.saturating_sub(1)).0 + 1),
        Err(e) => {
            let (idx, col) = locate(e.at.min(text.len()));
            let consumed = text.find("/>").map_or(lines.len(), |end| locate(end).0 + 1);
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

/// Parses a `:::quiz Title` … `:::` block of numbered questions with `- [ ]` / `- [x]`
/// options and `>` explanations.
fn markdown_block(lines: &[Line]) -> (Result<Quiz, Note>, usize) {
    let title = lines[0]
        .text
        .trim_start()
        .trim_start_matches(':')
        .trim_start_matches("quiz")
        .trim();
    let title = title.trim_start_matches('[').trim_end_matches(']').trim();
    let mut quiz = Quiz {
        title: if title.is_empty() {
            "Quiz".into()
        } else {
            title.to_string()
        },
        questions: Vec::new(),
    };
    let mut starts: Vec<usize> = Vec::new();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.text.trim() == ":::")
        .map(|p| p + 1);
    let Some(end) = end else {
        return (
            Err(Note::error(
                lines[0].src,
                1,
                "invalid quiz: `:::quiz` is never closed with `:::`",
            )),
            lines.len(),
        );
    };
    for line in &lines[1..end] {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
            quiz.questions.push(Question {
                question: t[digits + 2..].trim().to_string(),
                options: Vec::new(),
                correct: usize::MAX,
                explanation: None,
                source: None,
            });
            starts.push(line.src);
            continue;
        }
        let Some(q) = quiz.questions.last_mut() else {
            return (
                Err(Note::error(
                    line.src,
                    1,
                    "invalid quiz: expected a numbered question such as `1. What does FROM do?`",
                )),
                end + 1,
            );
        };
        if let Some(rest) = t.strip_prefix("- [").or_else(|| t.strip_prefix("* [")) {
            let (mark, text) = rest.split_at(rest.find(']').unwrap_or(0));
            if mark.eq_ignore_ascii_case("x") {
                if q.correct != usize::MAX {
                    return (
                        Err(Note::error(
                            line.src,
                            1,
                            "invalid quiz: a question has more than one `[x]` answer",
                        )),
                        end + 1,
                    );
                }
                q.correct = q.options.len();
            }
            q.options
                .push(text.trim_start_matches(']').trim().to_string());
        } else if let Some(rest) = t.strip_prefix('>') {
            let e = q.explanation.get_or_insert_with(String::new);
            if !e.is_empty() {
                e.push(' ');
            }
            e.push_str(rest.trim());
        } else if let Some(rest) = t.strip_prefix("Source:") {
            q.source = Some(rest.trim().to_string());
        } else {
            return (Err(Note::error(line.src, 1, "invalid quiz: expected an option `- [ ] …`, `- [x] …`, an explanation `> …` or `Source: …`")), end + 1);
        }
    }
    if quiz.questions.is_empty() {
        return (
            Err(Note::error(
                lines[0].src,
                1,
                "invalid quiz: it has no questions",
            )),
            end + 1,
        );
    }
    for (q, &src) in quiz.questions.iter().zip(&starts) {
        if q.options.len() < 2 {
            return (
                Err(Note::error(
                    src,
                    1,
                    "invalid quiz: a question needs at least two `- [ ]` options",
                )),
                end + 1,
            );
        }
        if q.correct == usize::MAX {
            return (
                Err(Note::error(
                    src,
                    1,
                    "invalid quiz: mark the right answer with `- [x]`",
                )),
                end + 1,
            );
        }
    }
    (Ok(quiz), end + 1)
}

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
pub fn render(quiz: &Quiz, n: usize) -> String {
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
