//! Template recursion becomes an error naming the template, not a stack overflow that kills
//! the build (or `serve`). Tera has no depth limit of its own: a template that includes
//! itself, or a macro that calls itself without end, recurses until the stack runs out. So
//! every macro body and every `{% include %}` first calls a guard function, which fails while
//! there is still stack left to unwind. A recursion that ends (the theme's `nav_tree` macro,
//! one level per nesting of the course) passes the guard at every level.

use std::collections::HashMap;
use tera::{Tera, Value};

/// The guard's name in templates.
const GUARD: &str = "__syllabus_guard";

/// Stack that must remain free for a template to go one level deeper: far more than one
/// level of Tera's renderer uses, far less than a thread's stack.
const RED_ZONE: usize = 256 * 1024;

/// Makes the guard callable from the instrumented templates.
pub(super) fn register(tera: &mut Tera) {
    tera.register_function(GUARD, guard);
}

fn guard(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let exhausted = stacker::remaining_stack().is_some_and(|left| left < RED_ZONE);
    if exhausted {
        let at = args
            .get("at")
            .and_then(Value::as_str)
            .unwrap_or("a template");
        return Err(tera::Error::msg(format!(
            "{at} recurses without end: a template that includes itself (directly or through \
             other templates), or a macro that calls itself for ever"
        )));
    }
    Ok(Value::String(String::new()))
}

/// `source` (the template `name`) with a guard call at the top of every macro body and
/// before every `{% include %}`. Whitespace control moves onto the guard, so the output is
/// the same byte for byte. Text in `{{ }}`, `{# #}` and `{% raw %}` is left alone.
pub(super) fn instrument(name: &str, source: &str) -> String {
    let name: String = name.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
    let mut out = String::with_capacity(source.len() + 256);
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let end = match from.as_bytes().get(1) {
            Some(b'{') => close(from, "}}"),
            Some(b'#') => from.find("#}").map_or(from.len(), |i| i + 2),
            Some(b'%') => {
                let end = close(from, "%}");
                let tag = Tag::read(&from[..end]);
                match tag.keyword {
                    "raw" => raw_end(from, end),
                    "include" => {
                        let trim = if tag.trim_left { "-" } else { "" };
                        let at = format!("template `{name}`");
                        out.push_str(&format!("{{{{{trim} {GUARD}(at=\"{at}\") }}}}"));
                        end
                    }
                    "macro" => {
                        out.push_str(&from[..end]);
                        let trim = if tag.trim_right { "-" } else { "" };
                        let at = format!("macro `{}` of `{name}`", tag.argument);
                        out.push_str(&format!("{{{{ {GUARD}(at=\"{at}\") {trim}}}}}"));
                        rest = &from[end..];
                        continue;
                    }
                    _ => end,
                }
            }
            _ => 1,
        };
        out.push_str(&from[..end]);
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// A `{% … %}` tag's keyword, its first argument's name and its whitespace control.
struct Tag<'a> {
    keyword: &'a str,
    argument: String,
    trim_left: bool,
    trim_right: bool,
}

impl<'a> Tag<'a> {
    fn read(tag: &'a str) -> Tag<'a> {
        let inner = tag.strip_prefix("{%").unwrap_or(tag);
        let inner = inner.strip_suffix("%}").unwrap_or(inner);
        let trim_left = inner.starts_with('-');
        let trim_right = inner.ends_with('-');
        let mut words = inner.trim_matches('-').split_whitespace();
        let keyword = words.next().unwrap_or("");
        let argument = words
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        Tag {
            keyword,
            argument,
            trim_left,
            trim_right,
        }
    }
}

/// The length of the tag or expression at the start of `from`, up to and including
/// `closing`, skipping quoted strings; all of `from` if it never closes.
fn close(from: &str, closing: &str) -> usize {
    let bytes = from.as_bytes();
    let mut quote = None;
    let mut i = 2;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            None if from[i..].starts_with(closing) => return i + closing.len(),
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The end of a `{% raw %}` block whose opening tag is `from[..tag_end]`: just after its
/// `{% endraw %}` (or the end of the text).
fn raw_end(from: &str, tag_end: usize) -> usize {
    let mut at = tag_end;
    while let Some(i) = from[at..].find("{%") {
        let start = at + i;
        let end = start + close(&from[start..], "%}");
        if Tag::read(&from[start..end]).keyword == "endraw" {
            return end;
        }
        at = start + 2;
    }
    from.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(templates: &[(&str, &str)], name: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        register(&mut tera);
        let instrumented: Vec<(String, String)> = templates
            .iter()
            .map(|(n, s)| (n.to_string(), instrument(n, s)))
            .collect();
        tera.add_raw_templates(instrumented)
            .map_err(|e| format!("{e:?}"))?;
        let mut ctx = tera::Context::new();
        ctx.insert("items", &serde_json::json!([{"c": [{"c": []}]}, {"c": []}]));
        // On a thread with a stack like rayon's, as in a build.
        let tera = std::sync::Arc::new(tera);
        let name = name.to_string();
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                tera.render(&name, &ctx).map_err(|e| {
                    let mut chain = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        chain.push_str(": ");
                        chain.push_str(&s.to_string());
                        source = s.source();
                    }
                    chain
                })
            })
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn output_is_unchanged_byte_for_byte() {
        let macros = "{% macro tree(items) -%}\n  <ul>{% for i in items %}<li>{{ self::tree(items=i.c) }}</li>{% endfor %}</ul>\n{%- endmacro tree %}\n{% macro plain(x) %}  {{ x }}  {% endmacro %}";
        let page = "{% import \"m.html\" as m %}a\n  {%- include \"p.html\" -%}\n  b {% include \"p.html\" %} {{ m::tree(items=items) }}|{{ m::plain(x=1) }}|{% raw %}{% include \"x\" %}{% endraw %}{{ \"{% include\" }}";
        let templates = [("m.html", macros), ("p.html", "[p]"), ("page.html", page)];
        let mut tera = Tera::default();
        tera.add_raw_templates(templates).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("items", &serde_json::json!([{"c": [{"c": []}]}, {"c": []}]));
        let plain = tera.render("page.html", &ctx).unwrap();
        assert_eq!(render(&templates, "page.html").unwrap(), plain);
        assert!(instrument("page.html", page).contains("{% raw %}{% include \"x\" %}{% endraw %}"));
    }

    #[test]
    fn a_template_including_itself_is_an_error_naming_it() {
        let e = render(
            &[
                ("page.html", "x{% include \"partials/a.html\" %}"),
                ("partials/a.html", "a{% include \"partials/b.html\" %}"),
                ("partials/b.html", "b{% include \"partials/a.html\" %}"),
            ],
            "page.html",
        )
        .unwrap_err();
        assert!(e.contains("recurses without end"), "{e}");
        assert!(e.contains("template `partials/"), "{e}");
    }

    #[test]
    fn a_macro_calling_itself_for_ever_is_an_error_naming_it() {
        let e = render(
            &[
                (
                    "m.html",
                    "{% macro loop(n) %}{{ self::loop(n=n) }}{% endmacro %}",
                ),
                (
                    "page.html",
                    "{% import \"m.html\" as m %}{{ m::loop(n=1) }}",
                ),
            ],
            "page.html",
        )
        .unwrap_err();
        assert!(
            e.contains("macro `loop` of `m.html` recurses without end"),
            "{e}"
        );
    }
}
