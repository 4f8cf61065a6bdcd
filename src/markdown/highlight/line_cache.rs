//! Highlighted lines kept for reuse within a highlighter's life.
//!
//! A line's HTML is a function of the line and of the parser's and styler's states before
//! it. Two states recur on every block of a language: the block's start, and the grammar's
//! top level (the state a bare newline leaves), where most lines of most languages begin and
//! end. The cache keeps a line's HTML for one of those two starts, and only when the line
//! ends at the top level, so that a hit leaves the states exactly as parsing it would: the
//! output is the same with or without the cache (tests below and in `syntax_tests.rs`).
//!
//! Lines are keyed by a 128-bit hash of the syntax, the start and the text (not the text
//! itself, which would double what an entry costs). Once the budget is spent no line is
//! added: the lines met first are the commonest ones, and a build's memory stays bounded.

use rustc_hash::FxBuildHasher;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use syntect::highlighting::HighlightState;
use syntect::parsing::{ParseState, SyntaxReference};
use xxhash_rust::xxh3::Xxh3;

/// Where a line starts: a block's first line, or a later line at the grammar's top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    Block,
    Top,
}

/// The states at the grammar's top level.
pub(super) type TopState = (ParseState, HighlightState);

/// What an entry costs besides its HTML: the key, the box and the table's slot.
const ENTRY_OVERHEAD: usize = 48;

pub(super) struct LineCache {
    table: Mutex<Table>,
    budget: usize,
    /// Tells this cache's top-level states from another's in [`TOPS`].
    id: u64,
    #[cfg(test)]
    hits: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct Table {
    lines: HashMap<u128, Box<str>, FxBuildHasher>,
    bytes: usize,
}

/// Each syntax's top-level states (None when a bare newline does not parse), by the syntax's
/// address, for the cache whose id is first: per thread, because a parser's state may hold
/// a regex region, which may not cross threads. Another cache's use on the thread starts
/// the table afresh.
type Tops = (u64, HashMap<usize, Option<TopState>, FxBuildHasher>);

thread_local! {
    static TOPS: RefCell<Tops> = RefCell::default();
}

/// Hands out cache ids (0 is the empty table's).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl LineCache {
    pub(super) fn new(budget: usize) -> Self {
        LineCache {
            table: Mutex::default(),
            budget,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            #[cfg(test)]
            hits: Default::default(),
        }
    }

    /// How many lines came from the cache.
    #[cfg(test)]
    pub(super) fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// The syntax's top-level states, made by `make` the first time.
    pub(super) fn top(
        &self,
        syntax: &SyntaxReference,
        make: impl FnOnce() -> Option<TopState>,
    ) -> Option<TopState> {
        TOPS.with(|tops| {
            let mut tops = tops.borrow_mut();
            if tops.0 != self.id {
                *tops = (self.id, HashMap::default());
            }
            tops.1.entry(syntax_id(syntax)).or_insert_with(make).clone()
        })
    }

    /// The HTML kept for `line` met at `start`.
    pub(super) fn get(&self, syntax: &SyntaxReference, start: Start, line: &str) -> Option<String> {
        let key = key(syntax, start, line);
        let html = self.lock().lines.get(&key).map(|html| html.to_string());
        #[cfg(test)]
        self.hits
            .fetch_add(usize::from(html.is_some()), Ordering::Relaxed);
        html
    }

    /// Keeps `html` for `line` met at `start`, while the budget lasts. The caller vouches that
    /// the line ended at the top level.
    pub(super) fn put(&self, syntax: &SyntaxReference, start: Start, line: &str, html: &str) {
        let key = key(syntax, start, line);
        let cost = html.len() + ENTRY_OVERHEAD;
        let mut table = self.lock();
        if table.bytes + cost > self.budget {
            return;
        }
        if table.lines.insert(key, html.into()).is_none() {
            table.bytes += cost;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // A panic while the lock was held left nothing half-written that matters here.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn syntax_id(syntax: &SyntaxReference) -> usize {
    std::ptr::from_ref(syntax) as usize
}

fn key(syntax: &SyntaxReference, start: Start, line: &str) -> u128 {
    let mut h = Xxh3::new();
    h.update(&syntax_id(syntax).to_le_bytes());
    h.update(&[start as u8]);
    h.update(line.as_bytes());
    h.digest128()
}
