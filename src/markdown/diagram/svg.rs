//! Makes a renderer's SVG safe to inline in a page: only drawing elements and attributes
//! pass (no script, no `<style>`, no `<foreignObject>`, no event attribute, no link that is
//! not a plain URL), and every id is prefixed with [`ID_MARK`], which the page replaces with
//! the diagram's own prefix, so that two diagrams on a page never share an `#id`.

/// Stands for the diagram's id prefix in a sanitised SVG until the page gives it one.
pub(crate) const ID_MARK: char = '\u{1}';

/// Elements that draw (kept with their attributes that pass); any other element is dropped
/// with everything inside it.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "marker",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "a",
    "use",
    "symbol",
    "clipPath",
    "mask",
    "pattern",
    "linearGradient",
    "radialGradient",
    "stop",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
    "feColorMatrix",
];

/// Attributes that pass (where their value is safe, see [`value`]).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "width",
    "height",
    "viewBox",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "letter-spacing",
    "text-decoration",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "xmlns",
    "style",
    "stdDeviation",
    "flood-color",
    "flood-opacity",
    "filter",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "patternUnits",
    "preserveAspectRatio",
    "clip-path",
    "clipPathUnits",
    "mask",
    "href",
    "xlink:href",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "values",
    "type",
    "visibility",
    "display",
    "aria-label",
    "role",
];

/// Picks a text's colour over a solid shape: given the text's `fill` and the shape's, the
/// colour to draw the text in instead, or None to keep it.
pub(crate) type TextOver<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// The sanitised SVG, or why the input is not SVG that can be read. `label` becomes the
/// root's `aria-label`; the root gets `role="img"` and `aria-describedby` pointing at the
/// id `{ID_MARK}src` (the diagram's source). A `<text>` whose anchor lies in the last solid
/// shape drawn before it takes the colour `text_over` picks for it.
pub(crate) fn sanitise(svg: &str, label: &str, text_over: TextOver<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(svg.len() + 64);
    let mut behind: Option<Shape<'_>> = None;
    let mut rest = svg.trim_start();
    // Depth inside a dropped element, and whether the root was seen.
    let mut dropping = 0usize;
    let mut root = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if dropping == 0 {
                out.push_str(rest);
            }
            break;
        };
        if dropping == 0 {
            out.push_str(&rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            rest = r.find("]]>").map_or("", |e| &r[e + 3..]);
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        if let Some(r) = rest.strip_prefix("</") {
            let end = r.find('>').ok_or("an end tag is not closed")?;
            let name = r[..end].trim();
            rest = &r[end + 1..];
            if dropping > 0 {
                dropping -= 1;
            } else if ELEMENTS.contains(&name) {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            continue;
        }
        let tag = Tag::read(&rest[1..])?;
        rest = &rest[1 + tag.len..];
        if dropping > 0 || !ELEMENTS.contains(&tag.name) {
            if !tag.empty {
                dropping += 1;
            }
            continue;
        }
        let is_root = !root;
        if is_root && tag.name != "svg" {
            return Err(format!("the drawing starts with <{}>, not <svg>", tag.name));
        }
        root = true;
        let recolour = match tag.name {
            "text" => behind
                .as_ref()
                .and_then(|shape| shape.text_colour(&tag, text_over)),
            "rect" | "circle" | "ellipse" | "polygon" => {
                behind = Shape::solid(&tag).or(behind);
                None
            }
            _ => None,
        };
        out.push('<');
        out.push_str(tag.name);
        for (name, raw) in &tag.attributes {
            if is_root && matches!(*name, "role" | "aria-label" | "style" | "width" | "height") {
                continue;
            }
            let value = match (&recolour, *name) {
                (Some(colour), "fill") => Some(colour.clone()),
                _ => value(tag.name, name, raw),
            };
            if let Some(v) = value {
                out.push(' ');
                out.push_str(name);
                out.push_str("=\"");
                out.push_str(&v);
                out.push('"');
            }
        }
        if is_root {
            root_attributes(&mut out, &tag, label);
        }
        out.push_str(if tag.empty { "/>" } else { ">" });
    }
    if !root {
        return Err("the renderer drew nothing".into());
    }
    Ok(out)
}

/// A solid shape's box and fill, for the text drawn over it.
struct Shape<'a> {
    bounds: [f64; 4],
    fill: &'a str,
}

impl<'a> Shape<'a> {
    /// The shape of a rect, circle, ellipse or polygon with an opaque fill of its own.
    fn solid(tag: &Tag<'a>) -> Option<Shape<'a>> {
        let fill = tag.get("fill").filter(|f| f.starts_with('#'))?;
        let opaque = |name| {
            tag.get(name)
                .and_then(|o| o.parse::<f64>().ok())
                .unwrap_or(1.0)
                >= 0.5
        };
        if !opaque("fill-opacity") || !opaque("opacity") || tag.get("transform").is_some() {
            return None;
        }
        let n = |name| tag.get(name).and_then(|v| v.parse::<f64>().ok());
        let bounds = match tag.name {
            "rect" => {
                let (x, y) = (n("x").unwrap_or(0.0), n("y").unwrap_or(0.0));
                [x, y, x + n("width")?, y + n("height")?]
            }
            "circle" => {
                let (cx, cy, r) = (n("cx")?, n("cy")?, n("r")?);
                [cx - r, cy - r, cx + r, cy + r]
            }
            "ellipse" => {
                let (cx, cy, rx, ry) = (n("cx")?, n("cy")?, n("rx")?, n("ry")?);
                [cx - rx, cy - ry, cx + rx, cy + ry]
            }
            _ => {
                let nums: Vec<f64> = tag
                    .get("points")?
                    .split([',', ' '])
                    .filter_map(|v| v.parse().ok())
                    .collect();
                let xs = nums.iter().step_by(2);
                let ys = nums.iter().skip(1).step_by(2);
                [
                    xs.clone().copied().fold(f64::MAX, f64::min),
                    ys.clone().copied().fold(f64::MAX, f64::min),
                    xs.copied().fold(f64::MIN, f64::max),
                    ys.copied().fold(f64::MIN, f64::max),
                ]
            }
        };
        Some(Shape { bounds, fill })
    }

    /// The colour for a `<text>` over this shape, when its anchor (a little above its
    /// baseline) lies inside it and `text_over` wants a change.
    fn text_colour(&self, text: &Tag<'_>, text_over: TextOver<'_>) -> Option<String> {
        let fill = text.get("fill")?;
        let x: f64 = text.get("x")?.parse().ok()?;
        let y: f64 = text.get("y")?.parse::<f64>().ok()? - 4.0;
        let [x0, y0, x1, y1] = self.bounds;
        (x >= x0 && x <= x1 && y >= y0 && y <= y1)
            .then(|| text_over(fill, self.fill))
            .flatten()
    }
}

/// The root's size and accessible name: as wide as its drawing, never wider than its box,
/// and never below three quarters of its drawn size (so its 14px text stays above 10px): a
/// diagram wider than that scrolls inside its figure rather than shrinking to unreadable
/// text.
fn root_attributes(out: &mut String, tag: &Tag<'_>, label: &str) {
    let width = tag
        .attributes
        .iter()
        .find(|(n, _)| *n == "style")
        .and_then(|(_, s)| s.split("max-width:").nth(1))
        .and_then(|w| w.trim().split("px").next())
        .and_then(|w| w.trim().parse::<f64>().ok())
        .or_else(|| {
            let view_box = tag.attributes.iter().find(|(n, _)| *n == "viewBox")?.1;
            view_box.split_whitespace().nth(2)?.parse::<f64>().ok()
        })
        .filter(|w| w.is_finite() && *w > 0.0);
    out.push_str(" width=\"100%\"");
    if let Some(w) = width {
        let min = (w * 0.75).round();
        out.push_str(&format!(" style=\"max-width:{w}px;min-width:{min}px\""));
    }
    out.push_str(" role=\"img\" aria-label=\"");
    crate::html::push_escaped(out, label);
    out.push_str("\" aria-describedby=\"");
    out.push(ID_MARK);
    out.push_str("src\"");
}

/// The value to write for an attribute, escaped for a double-quoted HTML attribute, or None
/// to drop the attribute.
fn value(element: &str, name: &str, raw: &str) -> Option<String> {
    if !ATTRIBUTES.contains(&name) {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    match name {
        "id" => return Some(format!("{ID_MARK}{}", attr(raw))),
        "href" | "xlink:href" => {
            if let Some(id) = raw.strip_prefix('#') {
                return (element == "use" || element == "a")
                    .then(|| format!("#{ID_MARK}{}", attr(id)));
            }
            return (element == "a" && plain_url(&lower)).then(|| attr(raw));
        }
        "style" => {
            let unsafe_css = [
                "javascript",
                "expression",
                "@",
                "\\",
                "&#",
                "behavior",
                "binding",
            ];
            if unsafe_css.iter().any(|s| lower.contains(s)) {
                return None;
            }
        }
        _ => {}
    }
    // A reference to another element must be to one of this drawing's ids.
    if lower.contains("url(") {
        let local = lower.matches("url(").count() == lower.matches("url(#").count();
        if !local {
            return None;
        }
        return Some(attr(raw).replace("url(#", &format!("url(#{ID_MARK}")));
    }
    Some(attr(raw))
}

/// A link target without a scheme, or with http(s) or mailto.
fn plain_url(lower: &str) -> bool {
    let before_colon = lower.split(['/', '?', '#']).next().unwrap_or("");
    !before_colon.contains(':')
        || ["http:", "https:", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s))
}

/// A raw attribute value (entities as written) made safe between double quotes.
fn attr(raw: &str) -> String {
    raw.replace('"', "&quot;").replace('<', "&lt;")
}

/// A start tag: its name, attributes (raw values) and whether it closes itself.
struct Tag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
    empty: bool,
    /// Bytes read after the `<`, through the `>`.
    len: usize,
}

impl<'a> Tag<'a> {
    /// The raw value of an attribute.
    fn get(&self, name: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// Reads a start tag from just after its `<`.
    fn read(s: &'a str) -> Result<Tag<'a>, String> {
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or("a tag is not closed")?;
        let name = &s[..name_end];
        if name.is_empty() {
            return Err("a `<` that starts no tag".into());
        }
        let mut at = name_end;
        let mut attributes = Vec::new();
        loop {
            let rest = &s[at..];
            let trimmed = rest.trim_start();
            at += rest.len() - trimmed.len();
            if let Some(r) = trimmed.strip_prefix("/>") {
                let _ = r;
                return Ok(Tag {
                    name,
                    attributes,
                    empty: true,
                    len: at + 2,
                });
            }
            if trimmed.starts_with('>') {
                return Ok(Tag {
                    name,
                    attributes,
                    empty: false,
                    len: at + 1,
                });
            }
            let eq = trimmed.find('=').ok_or("an attribute has no value")?;
            let attr_name = trimmed[..eq].trim();
            if attr_name.is_empty() || attr_name.contains(|c: char| c.is_whitespace() || c == '>') {
                return Err(format!("a malformed attribute in <{name}>"));
            }
            let after = trimmed[eq + 1..].trim_start();
            let quote = after
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .ok_or("an attribute value is not quoted")?;
            let close = after[1..]
                .find(quote)
                .ok_or("an attribute value is not closed")?;
            attributes.push((attr_name, &after[1..1 + close]));
            let consumed = trimmed.len() - after.len() + close + 2;
            at += consumed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> String {
        sanitise(svg, "Flowchart", &|_, _| None)
            .unwrap()
            .replace(ID_MARK, "d1-")
    }

    #[test]
    fn keeps_drawing_and_prefixes_ids() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 10 10" style="max-width: 10px;" role="graphics-document document"><defs><marker id="arrow"><path d="M0,0" fill="#333"/></marker></defs><path d="M1 1" marker-end="url(#arrow)"/><text x="1" fill="#333">A &amp; B &lt;x&gt;</text></svg>"##;
        let out = clean(svg);
        assert_eq!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100%" style="max-width:10px;min-width:8px" role="img" aria-label="Flowchart" aria-describedby="d1-src"><defs><marker id="d1-arrow"><path d="M0,0" fill="#333"/></marker></defs><path d="M1 1" marker-end="url(#d1-arrow)"/><text x="1" fill="#333">A &amp; B &lt;x&gt;</text></svg>"##
        );
    }

    #[test]
    fn drops_scripts_events_foreign_html_and_unsafe_links() {
        let svg = r#"<svg viewBox="0 0 1 1"><script>alert(1)</script><g onclick="alert(1)" class="c"><a href="javascript:alert(1)"><rect onmouseover='x()' width="1"/></a><a href="https://example.com/?a=1" target="_blank"><text>ok</text></a></g><foreignObject><div><img src="x" onerror="alert(1)"/></div></foreignObject><style>body{display:none}</style><image href="http://x/y.png"/><rect style="fill:url(http://x)" fill="url(http://evil)"/><rect style="fill:red"/></svg>"#;
        let out = clean(svg);
        for bad in [
            "script",
            "alert",
            "onclick",
            "onmouseover",
            "foreignObject",
            "<img",
            "onerror",
            "<style",
            "display:none",
            "<image",
            "http://x",
            "evil",
            "target",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains(r#"<g class="c"><a><rect width="1"/></a><a href="https://example.com/?a=1"><text>ok</text></a></g>"#), "{out}");
        assert!(out.contains(r#"<rect style="fill:red"/>"#), "{out}");
    }

    #[test]
    fn rejects_what_is_not_svg() {
        assert!(sanitise("<div>x</div>", "x", &|_, _| None).is_err());
        assert!(sanitise("", "x", &|_, _| None).is_err());
        assert!(sanitise("<svg a=\"1\"", "x", &|_, _| None).is_err());
        assert!(sanitise("<svg a=1>", "x", &|_, _| None).is_err());
    }

    #[test]
    fn text_over_a_solid_shape_takes_the_colour_picked_for_it() {
        let svg = r##"<svg viewBox="0 0 100 100"><rect x="0" y="0" width="50" height="50" fill="#ffe0b2"/><text x="25" y="30" fill="#333">in</text><text x="75" y="80" fill="#333">out</text><rect x="0" y="60" width="50" height="40" fill="#000" fill-opacity="0.1"/><text x="25" y="80" fill="#333">faint</text></svg>"##;
        let pick = |text: &str, shape: &str| Some(format!("{text}-on-{shape}"));
        let out = sanitise(svg, "x", &pick).unwrap();
        assert!(out.contains(r##"fill="#333-on-#ffe0b2">in<"##), "{out}");
        assert!(out.contains(r##"fill="#333">out<"##), "{out}");
        assert!(
            out.contains(r##"fill="#333">faint<"##),
            "a translucent shape is not behind: {out}"
        );
    }

    #[test]
    fn quotes_in_single_quoted_values_are_escaped() {
        let out = clean(r#"<svg viewBox="0 0 1 1"><text font-family='a"b'>t</text></svg>"#);
        assert!(out.contains(r#"font-family="a&quot;b""#), "{out}");
    }
}
