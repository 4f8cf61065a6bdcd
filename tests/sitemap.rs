//! The sitemap past the protocol's 50,000 URLs: `sitemap.xml` becomes a `<sitemapindex>`
//! pointing at `sitemap-1.xml`, `sitemap-2.xml`, … that list every page once. The limit is
//! lowered through the build's internal knob so that a fixture book shows the split (the
//! split at the real limit is a unit test in `src/site/sitemap.rs` and is seen by
//! `benches/scale.py` on 100,000 lessons).

use crate::support;

use std::collections::BTreeMap;
use support::*;

fn build_with_limit(name: &str, limit: Option<usize>) -> BTreeMap<String, Vec<u8>> {
    let sources = syllabus::source::read(&fixture(name)).expect("the project reads");
    let options = syllabus::BuildOptions {
        sitemap_urls: limit,
        ..Default::default()
    };
    let out = syllabus::output::Output::default();
    let report = syllabus::build(&sources, &options, &Default::default(), &out);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    out.into_files()
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).expect("UTF-8")
}

/// The `<url>` entries of a urlset, in order.
fn entries(xml: &str) -> Vec<String> {
    xml.split("<url>")
        .skip(1)
        .map(|e| e.split("</url>").next().unwrap().to_string())
        .collect()
}

fn split_matches_whole(fixture_name: &str, limit: usize) {
    let whole = build_with_limit(fixture_name, None);
    let whole_xml = text(&whole, "sitemap.xml");
    assert!(whole_xml.contains("<urlset"), "{whole_xml}");
    assert!(!whole.contains_key("sitemap-1.xml"));
    let all = entries(&whole_xml);
    assert!(all.len() > limit, "the fixture lists {} URLs", all.len());

    let split = build_with_limit(fixture_name, Some(limit));
    let index = text(&split, "sitemap.xml");
    assert!(
        index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
        "{index}"
    );
    assert!(!index.contains("<url>"), "{index}");
    let parts = all.len().div_ceil(limit);
    let mut listed = Vec::new();
    for n in 1..=parts {
        let name = format!("sitemap-{n}.xml");
        assert!(
            index.contains(&format!("<loc>https://example.org/course/{name}</loc>")),
            "{index}"
        );
        let part = text(&split, &name);
        assert!(
            part.contains("<urlset") && part.ends_with("</urlset>\n"),
            "{part}"
        );
        let got = entries(&part);
        assert!(
            !got.is_empty() && got.len() <= limit,
            "{name}: {}",
            got.len()
        );
        listed.extend(got);
    }
    assert!(!split.contains_key(&format!("sitemap-{}.xml", parts + 1)));
    assert_eq!(
        listed, all,
        "the parts list every URL of the whole, once, in order"
    );
    // robots.txt still names the index.
    assert!(text(&split, "robots.txt").contains("Sitemap: https://example.org/course/sitemap.xml"));
    // Nothing else changes.
    let others = |files: &BTreeMap<String, Vec<u8>>| {
        files
            .iter()
            .filter(|(p, _)| !p.starts_with("sitemap"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert!(others(&whole) == others(&split));
}

#[test]
fn past_the_limit_the_sitemap_is_an_index_of_parts() {
    split_matches_whole("basic", 2);
}

#[test]
fn a_multilingual_sitemap_splits_too_with_its_alternates() {
    split_matches_whole("i18n", 3);
    let split = build_with_limit("i18n", Some(3));
    let first = text(&split, "sitemap-1.xml");
    assert!(
        first.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{first}"
    );
    assert!(first.contains("hreflang=\"x-default\""), "{first}");
}
