//! A small parser for JavaScript literals, as quiz props and Docusaurus' config and sidebars
//! files write them: objects (bare or quoted keys), arrays, strings in any quote style,
//! numbers, booleans, null; comments and trailing commas allowed. Nothing here runs code.
//!
//! [`read_module`] reads a whole config or sidebars file leniently: its imports, top-level
//! bindings and exported value, with every part that is not a literal (a call, a variable,
//! a function) kept as [`Js::Expr`], its source text, for the caller to name in a warning.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Val>),
    Obj(Vec<(String, Val)>),
    /// An expression that is not a literal, as written (read by [`read_module`] only).
    Expr(String),
}

/// A value and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Val {
    pub(crate) js: Js,
    pub(crate) at: usize,
}

impl Val {
    pub(crate) fn get(&self, key: &str) -> Option<&Val> {
        match &self.js {
            Js::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn str(&self) -> Option<&str> {
        match &self.js {
            Js::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A parse or validation error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsError {
    pub(crate) at: usize,
    pub(crate) message: String,
}

pub(crate) fn err<T>(at: usize, message: impl Into<String>) -> Result<T, JsError> {
    Err(JsError {
        at,
        message: message.into(),
    })
}

/// How deep lists and objects may nest in quiz props. A quiz needs three levels (the
/// questions, a question, its options); the limit keeps a pathological prop (thousands of
/// `[`) an error at its position instead of a stack overflow.
pub(crate) const MAX_DEPTH: usize = 64;

pub(crate) struct Parser<'a> {
    pub(crate) src: &'a str,
    pub(crate) pos: usize,
    /// Lists and objects open around the value being parsed.
    pub(crate) depth: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn skip_ws(&mut self) {
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

    pub(crate) fn expect(&mut self, c: char) -> Result<(), JsError> {
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

    pub(crate) fn value(&mut self) -> Result<Val, JsError> {
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

    pub(crate) fn ident(&mut self) -> String {
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

    pub(crate) fn string(&mut self, quote: char) -> Result<String, JsError> {
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
        if self.depth >= MAX_DEPTH {
            return err(
                at,
                format!("lists and objects nest more than {MAX_DEPTH} deep"),
            );
        }
        self.depth += 1;
        Ok(())
    }

    fn array(&mut self) -> Result<Js, JsError> {
        self.nested(Self::array_items)
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
        self.nested(Self::object_fields)
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

/// What [`read_module`] found in a JavaScript or TypeScript file.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// `module.exports = …` or `export default …`.
    pub(crate) export: Option<Val>,
    /// Top-level `const` / `let` / `var` bindings.
    pub(crate) bindings: HashMap<String, Val>,
    /// Local name → module, from `import x from 'm'`, `import {a as x} from 'm'` and
    /// `const x = require('m')`.
    pub(crate) imports: HashMap<String, String>,
}

impl Module {
    /// The exported value, through one variable (`export default config`).
    pub(crate) fn exported(&self) -> Option<&Val> {
        let export = self.export.as_ref()?;
        match &export.js {
            Js::Expr(name) => self.bindings.get(name.trim()).or(Some(export)),
            _ => Some(export),
        }
    }

    /// A value with a variable resolved to its binding (`presets: [preset]`).
    pub(crate) fn resolve<'v>(&'v self, val: &'v Val) -> &'v Val {
        match &val.js {
            Js::Expr(name) => self.bindings.get(name.trim()).unwrap_or(val),
            _ => val,
        }
    }
}

/// Reads a config or sidebars file without running it; never fails (what it cannot read
/// stays an expression).
pub(crate) fn read_module(src: &str) -> Module {
    let mut p = Parser {
        src,
        pos: 0,
        depth: 0,
    };
    let mut module = Module::default();
    loop {
        p.skip_ws();
        if p.peek().is_none() {
            return module;
        }
        let start = p.pos;
        let word = p.ident();
        match word.as_str() {
            "import" => p.import(&mut module),
            "export" => {
                p.skip_ws();
                let save = p.pos;
                if p.ident() == "default" {
                    module.export = Some(p.loose_value(true));
                } else {
                    p.pos = save;
                }
            }
            "module" if p.src[p.pos..].starts_with(".exports") => {
                p.pos += ".exports".len();
                p.skip_ws();
                if p.peek() == Some('=') {
                    p.bump();
                    module.export = Some(p.loose_value(true));
                }
            }
            "const" | "let" | "var" => {
                p.skip_ws();
                let name = p.ident();
                p.skip_ws();
                if p.peek() == Some(':') {
                    p.skip_type();
                }
                p.skip_ws();
                if !name.is_empty() && p.peek() == Some('=') {
                    p.bump();
                    let value = p.loose_value(true);
                    if let Some(m) = required_module(&value) {
                        module.imports.insert(name.clone(), m);
                    }
                    module.bindings.insert(name, value);
                }
            }
            _ => {}
        }
        if p.pos == start {
            p.skip_expr(true);
            if p.pos == start {
                p.bump();
            }
        }
    }
}

/// Reads one value (a JSON file, say) leniently.
pub(crate) fn read_value(src: &str) -> Val {
    Parser {
        src,
        pos: 0,
        depth: 0,
    }
    .loose_value(true)
}

/// `require('m')` (or `require("m").default`) → `m`.
fn required_module(val: &Val) -> Option<String> {
    let Js::Expr(text) = &val.js else { return None };
    let rest = text.trim().strip_prefix("require")?.trim_start();
    let rest = rest.strip_prefix('(')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\'' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..=end].to_string())
}

impl Parser<'_> {
    /// After `import`: the names it binds and the module they come from.
    fn import(&mut self, module: &mut Module) {
        let mut names = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(q @ ('"' | '\'')) => {
                    if let Ok(from) = self.string(q) {
                        for n in names {
                            module.imports.insert(n, from.clone());
                        }
                    }
                    return;
                }
                Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => {
                    let word = self.ident();
                    match word.as_str() {
                        "as" => {
                            names.pop();
                        }
                        "from" | "type" => {}
                        _ => names.push(word),
                    }
                }
                Some(';') | None => return,
                Some(_) => {
                    self.bump();
                }
            }
        }
    }

    /// Skips a TypeScript annotation (`: Config`) up to the `=` that follows it.
    fn skip_type(&mut self) {
        let mut depth = 0i32;
        while let Some(c) = self.peek() {
            match c {
                '<' | '(' | '[' | '{' => depth += 1,
                '>' if self.src[..self.pos].ends_with('=') => {}
                '>' | ')' | ']' | '}' => depth -= 1,
                '=' if depth <= 0 && !self.src[self.pos..].starts_with("=>") => return,
                ';' | '\n' if depth <= 0 => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// A value, or the source text of an expression that is not a literal. `top`: a
    /// statement's value, which may also end at a line break.
    pub(crate) fn loose_value(&mut self, top: bool) -> Val {
        self.skip_ws();
        let at = self.pos;
        let literal = match self.peek() {
            // `({ … })`, as JavaScript configs wrap an object after a type comment.
            Some('(') => self.nested(Self::loose_paren).ok(),
            Some('{') => self.nested(Self::loose_object).ok(),
            Some('[') => self.nested(Self::loose_array).ok(),
            Some(q @ ('"' | '\'' | '`')) => self.string(q).ok().map(Js::Str),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number().ok(),
            Some(c) if c.is_alphabetic() => match self.ident().as_str() {
                "true" => Some(Js::Bool(true)),
                "false" => Some(Js::Bool(false)),
                "null" | "undefined" => Some(Js::Null),
                _ => None,
            },
            _ => None,
        };
        if let Some(js) = literal {
            let end = self.pos;
            self.skip_ws();
            let ends = match self.peek() {
                None | Some(',' | '}' | ']' | ')' | ';') => true,
                _ => top && self.src[end..self.pos].contains('\n'),
            };
            if ends {
                self.pos = end;
                return Val { js, at };
            }
            let save = self.pos;
            if matches!(self.ident().as_str(), "as" | "satisfies") {
                self.skip_expr(top);
                return Val { js, at };
            }
            self.pos = save;
        }
        self.pos = at;
        self.skip_expr(top);
        Val {
            js: Js::Expr(self.src[at..self.pos].trim().to_string()),
            at,
        }
    }

    /// Moves past an expression: up to a `,` `;` or closing bracket outside brackets and
    /// strings (and a line break outside them, for a statement).
    fn skip_expr(&mut self, top: bool) {
        let mut depth = 0usize;
        loop {
            self.skip_ws_in_line();
            let Some(c) = self.peek() else { return };
            match c {
                '"' | '\'' | '`' => {
                    if self.string_raw(c).is_err() {
                        return;
                    }
                    continue;
                }
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return,
                ')' | ']' | '}' => depth -= 1,
                ',' | ';' if depth == 0 => return,
                '\n' if depth == 0 && top => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Like `skip_ws`, but stops at a line break (which may end a statement).
    fn skip_ws_in_line(&mut self) {
        loop {
            let rest = &self.src[self.pos..];
            if rest.starts_with([' ', '\t', '\r']) {
                self.pos += 1;
            } else if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                self.pos += rest.find("*/").map_or(rest.len(), |i| i + 2);
            } else {
                return;
            }
        }
    }

    /// Moves past a string or template literal (with `${…}` parts) without decoding it.
    fn string_raw(&mut self, quote: char) -> Result<(), JsError> {
        let start = self.pos;
        self.bump();
        let mut depth = 0usize;
        loop {
            match self.bump() {
                None => return err(start, "string is never closed"),
                Some('\\') => {
                    self.bump();
                }
                Some('$') if quote == '`' && self.peek() == Some('{') => {
                    self.bump();
                    depth += 1;
                }
                Some('}') if depth > 0 => depth -= 1,
                Some(c) if c == quote && depth == 0 => return Ok(()),
                Some(_) => {}
            }
        }
    }

    /// A list or object parsed by `parse`, no deeper than [`MAX_DEPTH`] (in a config or
    /// sidebars file, a deeper one is kept as text like any expression that is not a literal).
    fn nested(&mut self, parse: fn(&mut Self) -> Result<Js, JsError>) -> Result<Js, JsError> {
        self.descend(self.pos)?;
        let value = parse(self);
        self.depth -= 1;
        value
    }

    /// A literal in parentheses; anything else there (an arrow function's parameters, a
    /// call) is not a literal.
    fn loose_paren(&mut self) -> Result<Js, JsError> {
        self.expect('(')?;
        let inner = self.loose_value(false);
        self.skip_ws();
        if self.peek() != Some(')') || matches!(inner.js, Js::Expr(_)) {
            return err(self.pos, "not a literal in parentheses");
        }
        self.bump();
        Ok(inner.js)
    }

    fn loose_array(&mut self) -> Result<Js, JsError> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(']') => {
                    self.bump();
                    return Ok(Js::Arr(items));
                }
                None => return err(self.pos, "list is never closed"),
                _ => {}
            }
            items.push(self.loose_value(false));
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

    fn loose_object(&mut self) -> Result<Js, JsError> {
        self.expect('{')?;
        let mut fields = Vec::new();
        loop {
            self.skip_ws();
            let key_at = self.pos;
            let key = match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Js::Obj(fields));
                }
                None => return err(self.pos, "object is never closed"),
                Some(q @ ('"' | '\'')) => Some(self.string(q)?),
                Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => Some(self.ident()),
                // `...spread`, `[computed]: value`: not read.
                Some(_) => None,
            };
            self.skip_ws();
            match (key, self.peek()) {
                (Some(key), Some(':')) => {
                    self.bump();
                    let value = self.loose_value(false);
                    fields.push((key, value));
                }
                // `{ title }`: the variable of that name.
                (Some(key), Some(',' | '}')) => {
                    let js = Js::Expr(key.clone());
                    fields.push((key, Val { js, at: key_at }));
                }
                // A method, a getter, a spread: skipped.
                _ => {
                    self.pos = key_at;
                    self.skip_expr(false);
                }
            }
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

#[cfg(test)]
mod module_tests {
    use super::*;

    fn get<'a>(v: &'a Val, path: &[&str]) -> &'a Val {
        path.iter()
            .fold(v, |v, k| v.get(k).unwrap_or_else(|| panic!("no {k}")))
    }

    #[test]
    fn reads_a_typescript_config_leniently() {
        let src = r#"
import {themes as prismThemes} from 'prism-react-renderer';
import type {Config} from '@docusaurus/types';
import math from 'remark-math';
const katex = require("rehype-katex");

// A comment with module.exports = nothing
const config: Config = {
  title: 'My Course',
  url: process.env.URL ?? 'https://x.org',
  baseUrl: `/course/`,
  future: { v4: true },
  presets: [
    [
      'classic',
      {
        docs: {
          sidebarPath: './sidebars.ts',
          remarkPlugins: [math, [katex, {strict: false}]],
          editUrl: ({docPath}) => `https://github.com/x/${docPath}`,
        },
      } satisfies Preset.Options,
    ],
  ],
  themeConfig: { ...base, navbar: { title } },
  async plugins() { return []; },
};

export default config;
"#;
        let m = read_module(src);
        let c = m.exported().expect("export");
        assert_eq!(get(c, &["title"]).str(), Some("My Course"));
        assert!(matches!(&get(c, &["url"]).js, Js::Expr(e) if e.starts_with("process.env")));
        assert_eq!(get(c, &["baseUrl"]).str(), Some("/course/"));
        let Js::Arr(presets) = &get(c, &["presets"]).js else {
            panic!()
        };
        let Js::Arr(preset) = &presets[0].js else {
            panic!()
        };
        assert_eq!(preset[0].str(), Some("classic"));
        let docs = get(&preset[1], &["docs"]);
        assert_eq!(get(docs, &["sidebarPath"]).str(), Some("./sidebars.ts"));
        assert!(matches!(&get(docs, &["editUrl"]).js, Js::Expr(_)));
        assert_eq!(m.imports["math"], "remark-math");
        assert_eq!(m.imports["katex"], "rehype-katex");
        assert!(m.imports.contains_key("prismThemes"));
        assert!(
            matches!(&get(c, &["themeConfig", "navbar", "title"]).js, Js::Expr(t) if t == "title")
        );
    }

    #[test]
    fn reads_commonjs_without_semicolons() {
        let m = read_module(
            "/** @type {import('x').Config} */\nconst sidebars = {\n  a: ['x', {type: 'doc', id: 'y'}],\n}\nmodule.exports = sidebars\n",
        );
        let s = m.exported().unwrap();
        let Js::Arr(items) = &s.get("a").unwrap().js else {
            panic!()
        };
        assert_eq!(items[0].str(), Some("x"));
        assert_eq!(items[1].get("id").unwrap().str(), Some("y"));
        let m = read_module(
            "module.exports = { p: [['classic', /** @type {X} */ ({docs: {a: 1}})]], f: ({x}) => x };",
        );
        let e = m.exported().unwrap();
        let Js::Arr(p) = &e.get("p").unwrap().js else {
            panic!()
        };
        let Js::Arr(pair) = &p[0].js else { panic!() };
        assert_eq!(
            pair[1].get("docs").unwrap().get("a").unwrap().js,
            Js::Num(1.0)
        );
        assert!(matches!(&e.get("f").unwrap().js, Js::Expr(t) if t == "({x}) => x"));
        // Parentheses count towards the depth limit like brackets.
        let deep = format!(
            "module.exports = {{ a: {}1{} }};",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let m = read_module(&deep);
        assert!(matches!(
            &m.exported().unwrap().get("a").unwrap().js,
            Js::Expr(_)
        ));
        let m = read_module("module.exports = { title: 'T', x: a.b(c, [d]), y: 2 };");
        let e = m.exported().unwrap();
        assert_eq!(e.get("title").unwrap().str(), Some("T"));
        assert_eq!(e.get("y").unwrap().js, Js::Num(2.0));
        assert_eq!(
            read_module("export default async function f() { return {} }")
                .exported()
                .map(|v| matches!(v.js, Js::Expr(_))),
            Some(true)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_nested_past_the_limit_is_read_without_overflowing_the_stack() {
        let deep = format!(
            "module.exports = {{ a: {}1{} }};",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let module = read_module(&deep);
        drop(module);
        let shallow = format!(
            "module.exports = {{ a: {}1{} }};",
            "[".repeat(10),
            "]".repeat(10)
        );
        let _ = read_module(&shallow);
    }
}
