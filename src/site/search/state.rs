//! The search index as the build cache keeps it for the next build: every term's line as
//! written, its document frequency and, for a very common term, its heaviest postings beyond
//! the `MAX_POSTINGS` its line shows; and which text each page was indexed from.
//!
//! A rebuild in which a few pages changed then patches the previous index instead of making
//! every line again from every page's postings (issue 15: that was two fifths of a
//! one-lesson rebuild of 10,000 lessons): it takes the changed pages' postings out of the
//! terms of their old text, puts their new text's in, makes those terms' lines again and
//! copies every other line as it was. The result is the index a clean build makes, byte for
//! byte: an unchanged line holds no changed page, and a patched one is made by the same
//! rules as [`super::Indexer`]'s. Where the kept postings cannot tell a very common term's
//! line (more of its heaviest postings went than were kept in reserve), [`patch`] says so and
//! the build indexes every page in full.
//!
//! The bytes are a cache file's, checked against their hash as they are read; what does not
//! parse is not used.

use super::encoding::MAX_POSTINGS;
use super::encoding::{decode_postings, each_number, each_posting, encode_postings, heaviest};
use super::encoding::{leb128, rank};
use super::PageText;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use std::io::Write;

/// The postings a very common term keeps beyond those its line shows: the next heaviest, so
/// that a patch whose changed pages held some of its shown postings still knows which come
/// in. A patch that takes out more than this falls back to a full index.
pub(super) const RESERVE: usize = 500;

const MAGIC: &[u8; 8] = b"SYLIDX01";

/// What a page was indexed from: its text's identity (0: the page is not indexed), and the
/// build cache's key of that text (0: none, the text cannot be read back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PageKey {
    pub(crate) ident: u64,
    pub(crate) fetch: u64,
}

/// The index a previous build kept, parsed.
pub(crate) struct Previous {
    bytes: Vec<u8>,
    pub(super) pages: Vec<PageKey>,
    /// Where each term's record starts in `bytes`, in term order.
    records: Vec<usize>,
}

/// A term's record: its line as written (with its newline), its document frequency and, for
/// a very common term, its heaviest postings (page delta, section, weight as LEB128, in page
/// order); empty when the line shows them all.
#[derive(Debug, Clone, Copy)]
pub(super) struct Record<'a> {
    pub(super) term: &'a str,
    pub(super) line: &'a str,
    pub(super) df: u64,
    pub(super) stored: &'a [u8],
}

/// Reads a record at `*at`, moving past it; None when the bytes end early or are no text.
fn read_record<'a>(bytes: &'a [u8], at: &mut usize) -> Option<Record<'a>> {
    let term = std::str::from_utf8(take_sized(bytes, at)?).ok()?;
    let line = std::str::from_utf8(take_sized(bytes, at)?).ok()?;
    let df = u64::from_le_bytes(take(bytes, at, 8)?.try_into().ok()?);
    let stored = take_sized(bytes, at)?;
    Some(Record {
        term,
        line,
        df,
        stored,
    })
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Option<&'a [u8]> {
    let end = at.checked_add(n)?;
    let slice = bytes.get(*at..end)?;
    *at = end;
    Some(slice)
}

fn take_sized<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let n = u32::from_le_bytes(take(bytes, at, 4)?.try_into().ok()?);
    take(bytes, at, n as usize)
}

impl Previous {
    /// The index in `bytes`, or None when they are not one [`StateWriter`] wrote (terms in
    /// strictly increasing order, every line its term's).
    pub(crate) fn parse(bytes: Vec<u8>) -> Option<Previous> {
        let mut at = 0;
        if take(&bytes, &mut at, MAGIC.len())? != MAGIC {
            return None;
        }
        let count = u64::from_le_bytes(take(&bytes, &mut at, 8)?.try_into().ok()?);
        let count = usize::try_from(count).ok()?;
        let mut pages = Vec::with_capacity(count.min(bytes.len() / 16));
        for _ in 0..count {
            let ident = u64::from_le_bytes(take(&bytes, &mut at, 8)?.try_into().ok()?);
            let fetch = u64::from_le_bytes(take(&bytes, &mut at, 8)?.try_into().ok()?);
            pages.push(PageKey { ident, fetch });
        }
        let mut records = Vec::new();
        let mut last: Option<&str> = None;
        while at < bytes.len() {
            let start = at;
            let r = read_record(&bytes, &mut at)?;
            let well_formed = r.line.len() > r.term.len()
                && r.line.starts_with(r.term)
                && r.line[r.term.len()..].starts_with(' ')
                && r.line.ends_with('\n')
                && r.df > 0
                && last.is_none_or(|l| l < r.term);
            if !well_formed {
                return None;
            }
            last = Some(r.term);
            records.push(start);
        }
        Some(Previous {
            bytes,
            pages,
            records,
        })
    }

    fn record(&self, i: usize) -> Option<Record<'_>> {
        let mut at = *self.records.get(i)?;
        read_record(&self.bytes, &mut at)
    }

    /// The record of `term`, if the index has it.
    fn find(&self, term: &str) -> Option<Record<'_>> {
        let i = self
            .records
            .binary_search_by(|&at| {
                let mut at = at;
                let found = take_sized(&self.bytes, &mut at).unwrap_or_default();
                found.cmp(term.as_bytes())
            })
            .ok()?;
        self.record(i)
    }

    /// How many terms the index has.
    #[cfg(test)]
    pub(super) fn terms(&self) -> usize {
        self.records.len()
    }
}

/// Writes the index for the next build to `out`, term by term in order, as it is made (it
/// is not held: 19 MB at 10,000 lessons).
pub(crate) struct StateWriter<'w> {
    out: &'w mut dyn Write,
    record: Vec<u8>,
    failed: bool,
}

impl<'w> StateWriter<'w> {
    pub(super) fn new(pages: &[PageKey], out: &'w mut dyn Write) -> StateWriter<'w> {
        let mut header = Vec::with_capacity(16 + pages.len() * 16);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&(pages.len() as u64).to_le_bytes());
        for p in pages {
            header.extend_from_slice(&p.ident.to_le_bytes());
            header.extend_from_slice(&p.fetch.to_le_bytes());
        }
        let failed = out.write_all(&header).is_err();
        StateWriter {
            out,
            record: Vec::new(),
            failed,
        }
    }

    /// Adds a term's record (see [`Record`]).
    pub(super) fn push(&mut self, term: &str, line: &str, df: u64, stored: &[u8]) {
        if self.failed {
            return;
        }
        let record = &mut self.record;
        record.clear();
        for part in [term.as_bytes(), line.as_bytes()] {
            record.extend_from_slice(&(part.len() as u32).to_le_bytes());
            record.extend_from_slice(part);
        }
        record.extend_from_slice(&df.to_le_bytes());
        record.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        record.extend_from_slice(stored);
        self.failed = self.out.write_all(record).is_err();
    }

    /// True when every record was written.
    pub(super) fn finish(self) -> bool {
        !self.failed
    }
}

/// A term's line: `term postings [df]`, the document frequency written only when the line
/// shows fewer postings than the term has.
pub(super) fn line(term: &str, list: &str, df: usize) -> String {
    let mut line = String::with_capacity(term.len() + list.len() + 8);
    line.push_str(term);
    line.push(' ');
    line.push_str(list);
    if df > MAX_POSTINGS {
        line.push(' ');
        line.push_str(&df.to_string());
    }
    line.push('\n');
    line
}

/// A very common term's kept postings, as [`Record::stored`] holds them.
pub(super) fn encode_stored(postings: &[(u64, u64, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 3);
    each_number(postings, |n| leb128(n, &mut out));
    out
}

/// A page whose text changed since the previous build: what it was indexed from then and
/// now (None: it was not, or is not, indexed).
pub(super) struct Change<'t> {
    pub(super) page: usize,
    pub(super) old: Option<&'t PageText>,
    pub(super) new: Option<&'t PageText>,
}

/// A term's new record (`None`: no page has the term any more).
type Made = Option<(String, u64, Vec<u8>)>;

/// A posting: page, section, weight.
type Posting = (u64, u64, u64);

/// The previous index with `changes` made: calls `emit(term, line, df, stored)` for every
/// term of the new index, in order. Returns None, having emitted nothing, when the previous
/// index does not keep enough of a very common term's postings to tell its new line.
pub(super) fn patch(
    previous: &Previous,
    changes: &[Change<'_>],
    mut emit: impl FnMut(&str, &str, u64, &[u8]),
) -> Option<()> {
    let changed: FxHashSet<u64> = changes.iter().map(|c| c.page as u64).collect();
    // Per term of a changed page: how many postings of the old texts go, which come.
    let mut touched: BTreeMap<&str, (u64, Vec<Posting>)> = BTreeMap::new();
    for c in changes {
        if let Some(old) = c.old {
            old.each_posting(|term, _, _| touched.entry(term).or_default().0 += 1);
        }
        if let Some(new) = c.new {
            new.each_posting(|term, section, weight| {
                let entry = touched.entry(term).or_default();
                entry.1.push((c.page as u64, section, weight));
            });
        }
    }
    let mut made: Vec<(&str, Made)> = Vec::with_capacity(touched.len());
    for (term, (gone, come)) in touched {
        made.push((
            term,
            patch_term(term, previous.find(term), &changed, gone, come)?,
        ));
    }
    fn put(emit: &mut impl FnMut(&str, &str, u64, &[u8]), term: &str, m: Made) {
        if let Some((line, df, stored)) = m {
            emit(term, &line, df, &stored);
        }
    }
    let mut made = made.into_iter().peekable();
    for i in 0..previous.records.len() {
        let r = previous.record(i)?;
        while let Some((term, m)) = made.next_if(|(t, _)| *t < r.term) {
            put(&mut emit, term, m);
        }
        match made.next_if(|(t, _)| *t == r.term) {
            Some((term, m)) => put(&mut emit, term, m),
            None => emit(r.term, r.line, r.df, r.stored),
        }
    }
    for (term, m) in made {
        put(&mut emit, term, m);
    }
    Some(())
}

/// A term's record after the change: `old` (its previous record, if any) without the
/// postings of the `changed` pages (`gone` of them), with `come`. Outer None when the
/// previous record kept too few of its heaviest postings to tell the new line.
fn patch_term(
    term: &str,
    old: Option<Record<'_>>,
    changed: &FxHashSet<u64>,
    gone: u64,
    come: Vec<Posting>,
) -> Option<Made> {
    let (df, mut kept) = match old {
        None => (0, Vec::new()),
        Some(r) if r.stored.is_empty() => {
            let list = r.line[r.term.len() + 1..].trim_end_matches('\n');
            let list = list.split(' ').next().unwrap_or("");
            (r.df, decode_postings(list))
        }
        Some(r) => {
            let mut kept = Vec::new();
            each_posting(r.stored, |page, section, weight| {
                kept.push((page as u64, section, weight));
                true
            });
            (r.df, kept)
        }
    };
    // When not every posting is kept, those kept are all at or above the lightest kept.
    let all_kept = kept.len() as u64 == df;
    let lightest = kept.iter().map(|&p| rank(p)).max();
    let df = df.checked_sub(gone)? + come.len() as u64;
    kept.retain(|p| !changed.contains(&p.0));
    kept.extend(
        come.into_iter()
            .filter(|&p| all_kept || lightest.is_some_and(|l| rank(p) < l)),
    );
    kept.sort_unstable_by_key(|&(page, section, _)| (page, section));
    if df == 0 {
        return Some(None);
    }
    let df_usize = usize::try_from(df).ok()?;
    if kept.len() as u64 != df && kept.len() < MAX_POSTINGS {
        return None;
    }
    if df_usize <= MAX_POSTINGS {
        let line = line(term, &encode_postings(&kept), df_usize);
        return Some(Some((line, df, Vec::new())));
    }
    let shown = heaviest(&kept, MAX_POSTINGS);
    let line = line(term, &encode_postings(&shown), df_usize);
    let stored = encode_stored(&heaviest(&kept, MAX_POSTINGS + RESERVE));
    Some(Some((line, df, stored)))
}
