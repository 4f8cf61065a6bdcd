//! The sitemap files: one `sitemap.xml` while the site fits the sitemap protocol's limits
//! (50,000 URLs and 50 MB per file), else `sitemap.xml` as a `<sitemapindex>` that points
//! at `sitemap-1.xml`, `sitemap-2.xml`, …, each within the limits.

use crate::html::escape;

/// URLs one sitemap file may list (the sitemap protocol's limit).
pub(crate) const MAX_URLS: usize = 50_000;

/// Bytes one sitemap file may hold, uncompressed (the protocol's 50 MB, 52,428,800 bytes).
pub(crate) const MAX_BYTES: usize = 52_428_800;

/// The sitemap's file name; the parts of a split one are `sitemap-N.xml`.
pub(crate) const FILE: &str = "sitemap.xml";

/// The name of part `n` (from 1) of a split sitemap.
pub(crate) fn part_name(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// How many part files a site of `urls` URLs needs at most (0: one `sitemap.xml` will do),
/// for the output-path claims made before the pages exist.
pub(crate) fn parts_needed(urls: usize, max_urls: usize) -> usize {
    let max_urls = max_urls.max(1);
    if urls <= max_urls {
        0
    } else {
        urls.div_ceil(max_urls)
    }
}

/// The sitemap files for `entries` (each a whole `<url>…</url>` line) under the urlset
/// opening tag `open`: `[("sitemap.xml", xml)]`, or the index first and then its parts.
/// `base` is the absolute URL of the site's root (ending in `/`), where the parts are.
pub(crate) fn files(
    open: &str,
    entries: &[String],
    base: &str,
    max_urls: usize,
) -> Vec<(String, String)> {
    const CLOSE: &str = "</urlset>\n";
    let max_urls = max_urls.max(1);
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::from(open);
    let mut count = 0;
    for entry in entries {
        let full = count == max_urls || current.len() + entry.len() + CLOSE.len() > MAX_BYTES;
        if full && count > 0 {
            current.push_str(CLOSE);
            parts.push(std::mem::replace(&mut current, String::from(open)));
            count = 0;
        }
        current.push_str(entry);
        count += 1;
    }
    current.push_str(CLOSE);
    parts.push(current);
    if parts.len() == 1 {
        return vec![(FILE.to_string(), parts.remove(0))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts.len() {
        index.push_str("  <sitemap><loc>");
        index.push_str(&escape(&format!("{base}{}", part_name(n))));
        index.push_str("</loc></sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    std::iter::once((FILE.to_string(), index))
        .chain(
            parts
                .into_iter()
                .enumerate()
                .map(|(i, xml)| (part_name(i + 1), xml)),
        )
        .collect()
}

/// The urlset opening of a sitemap of one language.
pub(crate) const URLSET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

/// One `<url>` line for an absolute URL.
pub(crate) fn entry(url: &str) -> String {
    format!("  <url><loc>{}</loc></url>\n", escape(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| entry(&format!("https://example.org/p{i}/")))
            .collect()
    }

    #[test]
    fn up_to_the_limit_one_file_lists_every_url() {
        let files = files(URLSET, &urls(MAX_URLS), "https://example.org/", MAX_URLS);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert_eq!(files[0].1.matches("<url>").count(), MAX_URLS);
        assert!(files[0].1.starts_with(URLSET) && files[0].1.ends_with("</urlset>\n"));
    }

    #[test]
    fn past_the_limit_an_index_points_at_parts_within_it() {
        let entries = urls(MAX_URLS * 2 + 1);
        let files = files(URLSET, &entries, "https://example.org/c/", MAX_URLS);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        for n in 1..=3 {
            let loc = format!("<loc>https://example.org/c/sitemap-{n}.xml</loc>");
            assert!(index.contains(&loc), "{index}");
        }
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|(_, xml)| xml.matches("<url>").count())
            .collect();
        assert_eq!(counts, [MAX_URLS, MAX_URLS, 1]);
        // Every URL once, in order.
        let all: String = files[1..]
            .iter()
            .map(|(_, xml)| {
                xml.trim_start_matches(URLSET)
                    .trim_end_matches("</urlset>\n")
            })
            .collect();
        assert_eq!(all, entries.concat());
        assert_eq!(parts_needed(entries.len(), MAX_URLS), 3);
        assert_eq!(parts_needed(MAX_URLS, MAX_URLS), 0);
    }

    #[test]
    fn a_part_never_passes_fifty_megabytes() {
        // Long URLs: 50,000 of them would pass 50 MB, so the bytes split first.
        let long = "x".repeat(2_000);
        let entries: Vec<String> = (0..30_000)
            .map(|i| entry(&format!("https://example.org/{long}/{i}/")))
            .collect();
        let files = files(URLSET, &entries, "https://example.org/", MAX_URLS);
        assert!(files.len() > 2, "{}", files.len());
        assert!(files.iter().all(|(_, xml)| xml.len() <= MAX_BYTES));
        let listed: usize = files[1..]
            .iter()
            .map(|(_, xml)| xml.matches("<url>").count())
            .sum();
        assert_eq!(listed, entries.len());
    }
}
