//! One SVG for both colour schemes: diagrams are drawn with a theme whose colours are
//! markers (the light theme's colours, each nudged by a few units so that it is unique and
//! still looks right without our stylesheet), and `diagram.css` gives every marker its
//! light and dark colour with `light-dark()`, so the drawing follows the page's theme toggle
//! without JavaScript and without a second SVG. Colours an author wrote (`style`,
//! `classDef`) are not markers and stay as written, as in Docusaurus.

use mermaid_svg::Theme;
use std::borrow::Cow;

/// The theme colours that change with the colour scheme, each as the light theme's and the
/// dark theme's value (`Theme::dark()`, with its background set to the page's).
fn pairs() -> Vec<(&'static str, &'static str)> {
    let light = Theme::default_theme();
    let mut dark = Theme::dark();
    dark.bg = Cow::Borrowed("#0f1216");
    let mut out = Vec::new();
    for (l, d) in fields(&light).into_iter().zip(fields(&dark)) {
        out.push((l, d));
    }
    out
}

/// The themed colours of a theme, in a fixed order.
fn fields(t: &Theme) -> Vec<&'static str> {
    let all = [
        &t.fg,
        &t.fg_muted,
        &t.bg,
        &t.actor_fill,
        &t.actor_stroke,
        &t.lifeline,
        &t.arrow_stroke,
        &t.note_fill,
        &t.note_stroke,
        &t.activation_fill,
        &t.activation_stroke,
        &t.frame_label_fill,
        &t.flow_node_fill,
        &t.flow_node_stroke,
        &t.flow_edge_stroke,
        &t.flow_label_bg,
        &t.flow_cluster_fill,
        &t.flow_cluster_stroke,
        &t.quadrant_default_fills[0],
        &t.quadrant_default_fills[1],
        &t.quadrant_default_fills[2],
        &t.quadrant_default_fills[3],
    ];
    all.iter()
        .map(|c| match c {
            Cow::Borrowed(s) => *s,
            Cow::Owned(_) => "#000",
        })
        .collect()
}

/// The theme's colours set to the markers, in the order of [`fields`].
fn set_fields(t: &mut Theme, markers: &[String]) {
    let slots = [
        &mut t.fg,
        &mut t.fg_muted,
        &mut t.bg,
        &mut t.actor_fill,
        &mut t.actor_stroke,
        &mut t.lifeline,
        &mut t.arrow_stroke,
        &mut t.note_fill,
        &mut t.note_stroke,
        &mut t.activation_fill,
        &mut t.activation_stroke,
        &mut t.frame_label_fill,
        &mut t.flow_node_fill,
        &mut t.flow_node_stroke,
        &mut t.flow_edge_stroke,
        &mut t.flow_label_bg,
        &mut t.flow_cluster_fill,
        &mut t.flow_cluster_stroke,
    ];
    for (slot, marker) in slots.into_iter().zip(markers) {
        *slot = Cow::Owned(marker.clone());
    }
    for (i, slot) in t.quadrant_default_fills.iter_mut().enumerate() {
        *slot = Cow::Owned(markers[18 + i].clone());
    }
}

/// `#abc` or `#aabbcc` as its three channels.
fn rgb(hex: &str) -> [u8; 3] {
    let h = hex.trim_start_matches('#');
    let expand: String = if h.len() == 3 {
        h.chars().flat_map(|c| [c, c]).collect()
    } else {
        h.to_string()
    };
    let ch = |i: usize| u8::from_str_radix(expand.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    [ch(0), ch(2), ch(4)]
}

/// The marker of the `i`th themed colour: its light value with the low bits of each channel
/// changed by `i + 1` (at most 3 units a channel), written in lower case with six digits.
fn marker(i: usize, light: &str) -> String {
    let [r, g, b] = rgb(light);
    let n = i + 1;
    let nudge = |c: u8, bits: usize| {
        let d = ((n >> bits) & 3) as u8;
        if c >= 128 {
            c - d
        } else {
            c + d
        }
    };
    format!("#{:02x}{:02x}{:02x}", nudge(r, 4), nudge(g, 2), nudge(b, 0))
}

/// The markers, in the order of [`fields`].
pub(crate) fn markers() -> Vec<String> {
    pairs()
        .iter()
        .enumerate()
        .map(|(i, (light, _))| marker(i, light))
        .collect()
}

/// The theme diagrams are drawn with: the light theme, its scheme-dependent colours
/// replaced by markers.
pub(crate) fn marked_theme() -> Theme {
    let mut theme = Theme::default_theme();
    set_fields(&mut theme, &markers());
    theme
}

/// WCAG's contrast ratio of two colours.
fn contrast(a: &str, b: &str) -> f64 {
    crate::markdown::contrast::ratio(rgb(a), rgb(b))
}

/// The colour of a text drawn over a shape whose fill does not change with the scheme (an
/// author's `style`/`classDef`, a renderer's fixed palette): a theme text colour would turn
/// light on it in dark mode, so it takes the dark or white ink that stands out more from
/// that fill, in both schemes. A fixed text colour is kept unless it is barely readable
/// (below 3:1). Over a themed fill, the text is themed too and is left alone.
pub(crate) fn text_over(text: &str, shape: &str, markers: &[String]) -> Option<String> {
    let is_hex = |c: &str| {
        c.starts_with('#')
            && matches!(c.len(), 4 | 7)
            && c[1..].chars().all(|d| d.is_ascii_hexdigit())
    };
    let is_marker = |c: &str| markers.iter().any(|m| m.eq_ignore_ascii_case(c));
    if !is_hex(shape) || is_marker(shape) {
        return None;
    }
    let unreadable = is_hex(text) && contrast(text, shape) < 3.0;
    if !is_marker(text) && !unreadable {
        return None;
    }
    let (dark, white) = ("#1b1f24", "#ffffff");
    Some(
        if contrast(dark, shape) >= contrast(white, shape) {
            dark
        } else {
            white
        }
        .to_string(),
    )
}

/// The colour rules of `diagram.css`: each marker, as a fill or a stroke, takes its light
/// or dark colour.
pub(crate) fn colour_rules() -> String {
    let mut css = String::from(
        "/* Generated: the theme colours of diagrams, light and dark (see markdown/diagram/theme.rs). */\n",
    );
    for ((light, dark), marker) in pairs().iter().zip(markers()) {
        for property in ["fill", "stroke"] {
            css.push_str(&format!(
                ".syl-diagram [{property}=\"{marker}\"]{{{property}:light-dark({light},{dark})}}\n"
            ));
        }
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_distinct_and_close_to_their_colour() {
        let pairs = pairs();
        let markers = markers();
        assert_eq!(pairs.len(), 22);
        let mut seen = markers.clone();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), markers.len(), "{markers:?}");
        for ((light, _), m) in pairs.iter().zip(&markers) {
            let (a, b) = (rgb(light), rgb(m));
            for c in 0..3 {
                assert!(a[c].abs_diff(b[c]) <= 3, "{light} {m}");
            }
            // No marker is a theme colour as written, which an author may also write.
            assert!(
                !pairs.iter().any(|(l, d)| rgb(l) == b || rgb(d) == b),
                "{m}"
            );
        }
    }

    #[test]
    fn text_over_fixed_fills_takes_the_ink_that_stands_out() {
        let m = markers();
        let fg = &m[0];
        // Themed text over an author's pale fill: dark ink in both schemes.
        assert_eq!(text_over(fg, "#ffe0b2", &m).as_deref(), Some("#1b1f24"));
        // ... over a deep fill: white.
        assert_eq!(text_over(fg, "#2e7d32", &m).as_deref(), Some("#ffffff"));
        // A fixed text colour that reads is the author's choice, kept.
        assert_eq!(text_over("#ffffff", "#2e7d32", &m), None);
        // One that does not (white on a pale violet, 2.9:1) is replaced.
        assert_eq!(text_over("#fff", "#8a90dd", &m).as_deref(), Some("#1b1f24"));
        // Over a themed fill, or a fill that is not a colour we read, nothing changes.
        assert_eq!(text_over(fg, &m[12], &m), None);
        assert_eq!(text_over(fg, "red", &m), None);
    }

    #[test]
    fn the_drawing_uses_markers_and_the_stylesheet_colours_them() {
        let svg = mermaid_svg::render_with(
            "flowchart LR\n  A[Start] --> B[End]\n  style B fill:#f9f\n",
            &marked_theme(),
        )
        .unwrap();
        let css = colour_rules();
        let node_fill = &markers()[12];
        assert!(svg.contains(&format!("fill=\"{node_fill}\"")), "{svg}");
        assert!(
            css.contains(&format!(
                "[fill=\"{node_fill}\"]{{fill:light-dark(#ECECFF,#3B3B5B)}}"
            )),
            "{css}"
        );
        // The author's colour stays as written.
        assert!(svg.contains("fill=\"#f9f\""), "{svg}");
    }
}
