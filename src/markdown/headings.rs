//! Heading ids (GitHub's slugger, as Docusaurus uses it; `{#custom-id}` honoured), anchor
//! links, the on-page table of contents, and the leading `# Heading` taken out for the page
//! header.

use super::Spanned;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;

/// One entry of the on-page contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// GitHub's slugger (github-slugger, as Docusaurus uses it): lowercase; letters, marks,
/// decimal and letter numbers, connector punctuation (`_`), `-` and spaces kept, everything
/// else (other punctuation, symbols and emoji) dropped; spaces to `-`; repeats numbered. A
/// variation selector is a mark, so `## ⚠️ Red Flags` gives `️-red-flags` as there.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let base: String = text
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                '-' => Some(c),
                c if kept_in_slug(c) => Some(c),
                _ => None,
            })
            .collect();
        self.unique(base)
    }

    /// Registers an id chosen by the author so generated ones do not collide with it.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// github-slugger's rule: while the candidate is taken, count one more use of the base
    /// and try `base-N`. The count of a base only grows, so each `base-N` is tried at most
    /// once by its base: linear in the number of headings, however the ids collide.
    fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let count = self.seen.entry(base.clone()).or_insert(0);
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// Ruby's `\p{Word}`, which GitHub's slugger keeps: letters, marks, decimal and letter
/// numbers, connector punctuation.
fn kept_in_slug(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::NonspacingMark
            | G::SpacingMark
            | G::EnclosingMark
            | G::DecimalNumber
            | G::LetterNumber
            | G::ConnectorPunctuation
    )
}

/// What the heading pass found.
#[derive(Debug, Default)]
pub(crate) struct Headings {
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page.
    pub ids: Vec<String>,
    /// (offset, message) of headings that skip a level (the page title counts as h1).
    pub skipped: Vec<(usize, String)>,
    /// A leading `# Heading` as inline HTML: the page shows it in place of the front-matter
    /// title, as Docusaurus does.
    pub title_html: Option<String>,
}

/// Gives every heading an id and an anchor link; collects h2–h6 into the TOC (the page's
/// `toc_min_heading_level` / `toc_max_heading_level` choose which show, h2–h3 by default).
pub(crate) fn assign_ids(events: Vec<Spanned<'_>>) -> (Vec<Spanned<'_>>, Headings) {
    let mut found = Headings::default();
    let mut slugger = Slugger::default();
    for (event, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            slugger.reserve(id);
        }
    }
    let mut out = Vec::with_capacity(events.len() + 16);
    let mut iter = events.into_iter().peekable();
    let mut first = true;
    let mut previous = 1;
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            first = false;
            out.push((event, range));
            continue;
        };
        let mut inner = Vec::new();
        for (e, r) in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            inner.push((e, r));
        }
        if first && level == HeadingLevel::H1 {
            // A leading `# Heading` leaves the body: the page header shows it. Its slug is
            // still taken, as in Docusaurus, so a later `## Heading` gets `heading-1`.
            first = false;
            slugger.slug(&plain_text(&inner));
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, inner.into_iter().map(|(e, _)| e));
            found.title_html = Some(html.trim().to_string());
            continue;
        }
        let text = plain_text(&inner);
        first = false;
        let depth = level as usize;
        if depth > previous + 1 {
            found.skipped.push((
                range.start,
                format!("heading level skips from h{previous} to h{depth}"),
            ));
        }
        previous = depth;
        let id = match id {
            Some(id) => id.to_string(),
            None => slugger.slug(&text),
        };
        if level != HeadingLevel::H1 {
            found.toc.push(TocEntry {
                level: level as u8,
                id: id.clone(),
                text: text.clone(),
            });
        }
        found.ids.push(id.clone());
        let anchor = format!(
            "<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
        );
        out.push((
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes,
                attrs,
            }),
            range.clone(),
        ));
        out.extend(inner);
        out.push((Event::InlineHtml(CowStr::from(anchor)), range.clone()));
        out.push((Event::End(TagEnd::Heading(level)), range));
    }
    (out, found)
}

/// The text a reader sees in a run of inline events.
pub(crate) fn plain_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugger_rules() {
        let mut s = Slugger::default();
        assert_eq!(
            s.slug("Writing Your First Dockerfile"),
            "writing-your-first-dockerfile"
        );
        assert_eq!(s.slug("FROM, WORKDIR & COPY!"), "from-workdir--copy");
        assert_eq!(s.slug("Step 1: uv_sync — fast"), "step-1-uv_sync--fast");
        assert_eq!(s.slug("Ça marche"), "ça-marche");
        assert_eq!(s.slug("Setup"), "setup");
        assert_eq!(s.slug("Setup"), "setup-1");
        assert_eq!(s.slug("Setup"), "setup-2");
        assert_eq!(s.slug("setup-1"), "setup-1-1");
        // Emoji are dropped but their variation selector (a mark) stays, as in
        // github-slugger; combining marks of other scripts stay; `²` (No) goes.
        assert_eq!(s.slug("⚠️ Red Flags"), "\u{fe0f}-red-flags");
        assert_eq!(s.slug("🚀 Launch"), "-launch");
        assert_eq!(s.slug("हिन्दी पाठ"), "हिन्दी-पाठ");
        assert_eq!(s.slug("x² ‿y"), "x-‿y");
    }

    #[test]
    fn numbered_ids_taken_by_earlier_headings_are_skipped_like_github_slugger() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["a-1", "a-2", "a", "a", "a", "a-1"]
            .iter()
            .map(|t| s.slug(t))
            .collect();
        // github-slugger: `a` twice more probes a-1, a-2 (taken) and lands on a-3, a-4;
        // the second `a-1` becomes a-1-1.
        assert_eq!(got, ["a-1", "a-2", "a", "a-3", "a-4", "a-1-1"]);
    }
}
