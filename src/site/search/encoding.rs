//! How postings are written: packed in memory while the build runs (LEB128 varints), and as
//! base-64 varints in the term files the reader loads.

/// A term keeps at most this many postings, its heaviest (its document frequency is kept).
pub(super) const MAX_POSTINGS: usize = 1500;

pub(super) fn leb128(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Calls `f(term, section, weight)` for each of a page's packed postings (in term order)
/// until it returns false.
pub(super) fn each_posting(packed: &[u8], mut f: impl FnMut(usize, u64, u64) -> bool) {
    let mut bytes = packed.iter();
    let mut next = || {
        let (mut n, mut shift) = (0u64, 0);
        for &b in bytes.by_ref() {
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
        None
    };
    let mut term = 0;
    while let Some(delta) = next() {
        term += delta;
        let (section, weight) = (next().unwrap_or(0), next().unwrap_or(0));
        if !f(term as usize, section, weight) {
            return;
        }
    }
}

/// The heaviest `n` of `postings` ((page, section, weight), ties going to the earlier page,
/// then section, so the choice is deterministic), in page and section order: what the index
/// keeps of a very common term.
pub(super) fn heaviest(postings: &[(u64, u64, u64)], n: usize) -> Vec<(u64, u64, u64)> {
    let mut top = postings.to_vec();
    if top.len() > n && n > 0 {
        top.select_nth_unstable_by_key(n - 1, |&p| rank(p));
    }
    top.truncate(n);
    top.sort_unstable_by_key(|&(page, section, _)| (page, section));
    top
}

/// A posting's place among a term's: heavier first, then by page and section.
pub(super) fn rank((page, section, weight): (u64, u64, u64)) -> (std::cmp::Reverse<u64>, u64, u64) {
    (std::cmp::Reverse(weight), page, section)
}

/// Calls `put` with the page delta, section and weight of each of `postings` (in page order):
/// how posting lists are written, as text ([`encode_postings`]) or as LEB128.
pub(super) fn each_number(postings: &[(u64, u64, u64)], mut put: impl FnMut(u64)) {
    let mut last = 0;
    for &(page, section, weight) in postings {
        put(page.saturating_sub(last));
        put(section);
        put(weight);
        last = page;
    }
}

/// (page, section, weight) triples in page order, as varints of the page delta, section and
/// weight.
pub(super) fn encode_postings(postings: &[(u64, u64, u64)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    each_number(postings, |n| varint(n, &mut out));
    out
}

/// The triples [`encode_postings`] wrote (a character that is no digit reads as 0).
pub(super) fn decode_postings(list: &str) -> Vec<(u64, u64, u64)> {
    let mut numbers = Vec::with_capacity(list.len());
    let (mut n, mut shift) = (0u64, 0u32);
    for b in list.bytes() {
        let d = u64::from(VALUES[usize::from(b)]);
        n |= (d & 31).checked_shl(shift).unwrap_or(0);
        shift += 5;
        if d < 32 {
            numbers.push(n);
            (n, shift) = (0, 0);
        }
    }
    let mut page = 0u64;
    numbers
        .chunks_exact(3)
        .map(|c| {
            page = page.saturating_add(c[0]);
            (page, c[1], c[2])
        })
        .collect()
}

/// Each byte's digit value in [`DIGITS`] (0 for a byte that is none).
const VALUES: [u8; 256] = {
    let mut values = [0u8; 256];
    let mut i = 0;
    while i < DIGITS.len() {
        values[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    values
};

const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Five bits per character, low bits first; the first 32 digits end a number, the last 32
/// say more follow.
pub(super) fn varint(mut n: u64, out: &mut String) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[low + 32] as char);
    }
}
