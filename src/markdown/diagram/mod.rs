//! The diagram pass's renderer: a ```` ```mermaid ```` fence becomes an inline SVG at build
//! time (mermaid-svg), in a `<figure>` with the diagram's source as its text alternative
//! and a "Show source" toggle. One SVG serves both colour schemes (`theme.rs`), and it is
//! sanitised before it is inlined (`svg.rs`). Rendered diagrams are memoised by their source
//! like highlighted code. A diagram that does not parse is left to the code pass, which
//! shows it as code, with a warning at its line.

mod svg;
mod theme;

use super::block_cache::BlockCache;
use crate::html::{escape, escape_text};
use crate::markdown::Words;
pub(crate) use svg::ID_MARK;

/// Memoised diagrams are dropped wholesale past this many bytes in one build...
const BUILD_CACHE_BUDGET: usize = 4 << 20;
/// ... and kept up to this many between the rebuilds of `serve`.
pub(crate) const SERVE_CACHE_BUDGET: usize = 32 << 20;

/// Draws diagrams. Built once per process and shared by reference.
pub(crate) struct Diagrams {
    theme: mermaid_svg::Theme,
    /// The theme's marker colours (see `theme.rs`).
    markers: Vec<String>,
    cache: BlockCache<Result<String, BadDiagram>>,
}

/// Why a diagram was not drawn, and the line of its source (1-based) the problem is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadDiagram {
    pub line: usize,
    pub message: String,
}

impl Default for Diagrams {
    fn default() -> Self {
        Self::with_cache_budget(BUILD_CACHE_BUDGET)
    }
}

impl Diagrams {
    /// A renderer that keeps up to `bytes` of drawn diagrams for reuse.
    pub(crate) fn with_cache_budget(bytes: usize) -> Self {
        Diagrams {
            theme: theme::marked_theme(),
            markers: theme::markers(),
            cache: BlockCache::new(bytes),
        }
    }

    /// The sanitised SVG of a Mermaid source, its ids prefixed with [`ID_MARK`], or why it
    /// cannot be drawn.
    pub(crate) fn svg(&self, source: &str) -> std::sync::Arc<Result<String, BadDiagram>> {
        self.cache.get_or_make(
            source,
            || self.draw(source),
            |r| r.as_ref().map_or(64, String::len),
        )
    }

    fn draw(&self, source: &str) -> Result<String, BadDiagram> {
        // A renderer's panic on strange input is a diagram that cannot be drawn, not a
        // failed build.
        let drawn = std::panic::catch_unwind(|| mermaid_svg::render_with(source, &self.theme))
            .map_err(|_| BadDiagram {
                line: 1,
                message: "the diagram renderer failed on this diagram".into(),
            })?;
        let svg = drawn.map_err(|e| match e {
            mermaid_svg::RenderError::Parse(mermaid_svg::ParseError::Syntax {
                message,
                line,
                ..
            }) => BadDiagram {
                line: line.max(1),
                message,
            },
            other => BadDiagram {
                line: 1,
                message: other.to_string(),
            },
        })?;
        svg::sanitise(&svg, &label(source), &|text, shape| {
            theme::text_over(text, shape, &self.markers)
        })
        .map_err(|message| BadDiagram { line: 1, message })
    }

    /// `diagram.css`: the figure's layout and the theme colours of drawings.
    pub(crate) fn stylesheet(&self) -> String {
        format!("{}\n{}", include_str!("diagram.css"), theme::colour_rules())
    }
}

/// The figure of a drawn diagram, the `n`th on its page: the SVG, named by its kind and
/// described by its source, which a "Show source" toggle reveals. The drawing's box is a
/// focusable region "Diagram N", so that a wide one scrolls by keyboard without the script
/// (which drops the region from drawings that fit, as it does for tables).
/// Its fixed words (and the kind that names a diagram without `accTitle`) are the theme's
/// `strings`, in the page's language.
pub(crate) fn figure(svg: &str, source: &str, n: usize, strings: &dyn Words) -> String {
    let prefix = format!("mmd{n}-");
    let mut svg = svg.replace(ID_MARK, &prefix);
    if !has_title(source) {
        let (key, english) = kind(source);
        let named = strings.word(key);
        if named != english {
            // The drawing (memoised for every language) is named in English: its root's
            // `aria-label` is the first one in it.
            svg = svg.replacen(
                &format!("aria-label=\"{english}\""),
                &format!("aria-label=\"{}\"", escape(named)),
                1,
            );
        }
    }
    let region = strings.word("diagram_n").replace("{n}", &n.to_string());
    format!(
        "<figure class=\"syl-diagram\"><div class=\"syl-diagram-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">{svg}</div>\
         <details class=\"syl-diagram-source\"><summary>{}</summary>\
         <pre class=\"code\" id=\"{prefix}src\"><code class=\"language-mermaid\">{}</code></pre></details></figure>",
        escape(&region),
        escape_text(strings.word("diagram_show_source")),
        escape_text(source.trim_end_matches('\n'))
    )
}

/// The diagram's lines that say something (no blank lines or `%%` comments).
fn statements(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("%%"))
}

/// True when the diagram names itself (`accTitle:`).
fn has_title(source: &str) -> bool {
    statements(source).any(|l| l.starts_with("accTitle:"))
}

/// The diagram's kind: its theme string's key and its English name.
fn kind(source: &str) -> (&'static str, &'static str) {
    let keyword = statements(source)
        .find(|l| *l != "---" && !l.contains(':'))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    match keyword {
        "graph" | "flowchart" | "flowchart-elk" => ("diagram_flowchart", "Flowchart"),
        "sequenceDiagram" => ("diagram_sequence", "Sequence diagram"),
        "classDiagram" | "classDiagram-v2" => ("diagram_class", "Class diagram"),
        "stateDiagram" | "stateDiagram-v2" => ("diagram_state", "State diagram"),
        "erDiagram" => ("diagram_er", "Entity relationship diagram"),
        "gantt" => ("diagram_gantt", "Gantt chart"),
        "pie" => ("diagram_pie", "Pie chart"),
        "mindmap" => ("diagram_mindmap", "Mind map"),
        "timeline" => ("diagram_timeline", "Timeline"),
        "journey" => ("diagram_journey", "User journey"),
        "quadrantChart" => ("diagram_quadrant", "Quadrant chart"),
        "gitGraph" => ("diagram_gitgraph", "Git graph"),
        "xychart-beta" | "xychart" => ("diagram_chart", "Chart"),
        _ => ("diagram", "Diagram"),
    }
}

/// What the diagram is, for its accessible name: its `accTitle`, else its kind (in
/// English; [`figure`] names it in the page's language).
fn label(source: &str) -> String {
    if let Some(title) = statements(source).find_map(|l| l.strip_prefix("accTitle:")) {
        return escape(title.trim());
    }
    kind(source).1.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_flowchart_as_a_safe_figure() {
        let d = Diagrams::default();
        let src = "flowchart LR\n  A[\"<img src=x onerror=alert(1)>\"] --> B[\"<script>alert(2)</script>\"]\n";
        let svg = d.svg(src);
        let svg = svg.as_ref().as_ref().unwrap();
        let html = figure(svg, src, 2, &crate::markdown::English);
        assert!(
            html.contains("aria-label=\"Flowchart\" aria-describedby=\"mmd2-src\""),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"code\" id=\"mmd2-src\">"),
            "{html}"
        );
        assert!(!html.contains(ID_MARK));
        // The labels are text, in the drawing and in the source.
        assert!(
            !html.contains("<img") && !html.contains("<script"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn a_diagram_that_does_not_parse_says_where() {
        let d = Diagrams::default();
        let bad = d.svg("sequenceDiagram\n  Alice->>Bob: hi\n  this is not a message\n");
        let bad = bad.as_ref().as_ref().unwrap_err();
        assert_eq!(bad.line, 3, "{bad:?}");
        let unknown = d.svg("nonsense\nA --> B\n");
        assert!(unknown.as_ref().is_err());
    }

    #[test]
    fn the_same_source_is_drawn_once_and_the_same_way() {
        let d = Diagrams::default();
        let a = d.svg("graph TD\n A --> B\n");
        let b = d.svg("graph TD\n A --> B\n");
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        let fresh = Diagrams::default().svg("graph TD\n A --> B\n");
        assert_eq!(a, fresh);
    }

    #[test]
    fn labels_name_the_kind_or_the_title() {
        assert_eq!(label("%% c\ngraph TD\nA-->B"), "Flowchart");
        assert_eq!(label("sequenceDiagram\n"), "Sequence diagram");
        assert_eq!(
            label("graph TD\naccTitle: Login <flow>\nA-->B"),
            "Login &lt;flow&gt;"
        );
    }
}
