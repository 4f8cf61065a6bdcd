//! A small parser for JavaScript literals, as quiz props are written: objects (bare or quoted
//! keys), arrays, strings in any quote style, numbers, booleans, null; comments and trailing
//! commas allowed.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

/// A value and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Val {
    pub(super) js: Js,
    pub(super) at: usize,
}

impl Val {
    pub(super) fn get(&self, key: &str) -> Option<&Val> {
        match &self.js {
            Js::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn str(&self) -> Option<&str> {
        match &self.js {
            Js::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A parse or validation error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct JsError {
    pub(super) at: usize,
    pub(super) message: String,
}

pub(super) fn err<T>(at: usize, message: impl Into<String>) -> Result<T, JsError> {
    Err(JsError {
        at,
        message: message.into(),
    })
}

/// How deep lists and objects may nest in quiz props. A quiz needs three levels (the
/// questions, a question, its options); the limit keeps a pathological prop (thousands of
/// `[`) an error at its position instead of a stack overflow.
pub(super) const MAX_DEPTH: usize = 64;

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    /// Lists and objects open around the value being parsed.
    pub(super) depth: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(super) fn skip_ws(&mut self) {
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

    pub(super) fn expect(&mut self, c: char) -> Result<(), JsError> {
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

    pub(super) fn value(&mut self) -> Result<Val, JsError> {
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

    pub(super) fn ident(&mut self) -> String {
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

    pub(super) fn string(&mut self, quote: char) -> Result<String, JsError> {
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

    /// Enters a list or object at `at`; fails past [`MAX_DEPTH`].
    fn descend(&mut self, at: usize) -> Result<(), JsError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(
                at,
                format!("lists and objects nest more than {MAX_DEPTH} deep"),
            );
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Js, JsError> {
        self.descend(self.pos)?;
        let items = self.array_items();
        self.depth -= 1;
        items
    }

    fn array_items(&mut self) -> Result<Js, JsError> {
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
        self.descend(self.pos)?;
        let fields = self.object_fields();
        self.depth -= 1;
        fields
    }

    fn object_fields(&mut self) -> Result<Js, JsError> {
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
}
