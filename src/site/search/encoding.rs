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

/// The heaviest `MAX_POSTINGS` of an encoded posting list (ties to the earlier page, so the
/// choice is deterministic), still in page order: what the index keeps of a very common
/// term, here as the tests' reference for the index's own streaming choice (`Cut`).
#[cfg(test)]
pub(super) fn heaviest(list: &str) -> String {
    let mut postings = decode_postings(list);
    let heavier = |p: &(u64, u64, u64)| (std::cmp::Reverse(p.2), p.0, p.1);
    postings.select_nth_unstable_by_key(MAX_POSTINGS - 1, heavier);
    postings.truncate(MAX_POSTINGS);
    postings.sort_unstable();
    encode_postings(&postings)
}

/// (page, section, weight) triples in page order, as varints of the page delta, section and
/// weight.
#[cfg(test)]
pub(super) fn encode_postings(postings: &[(u64, u64, u64)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut last = 0;
    for &(page, section, weight) in postings {
        varint(page - last, &mut out);
        varint(section, &mut out);
        varint(weight, &mut out);
        last = page;
    }
    out
}

#[cfg(test)]
pub(super) fn decode_postings(list: &str) -> Vec<(u64, u64, u64)> {
    let mut numbers = Vec::with_capacity(list.len());
    let (mut n, mut shift) = (0u64, 0);
    for b in list.bytes() {
        let d = DIGITS.iter().position(|&x| x == b).unwrap_or(0) as u64;
        n |= (d & 31) << shift;
        shift += 5;
        if d < 32 {
            numbers.push(n);
            (n, shift) = (0, 0);
        }
    }
    let mut page = 0;
    numbers
        .chunks_exact(3)
        .map(|c| {
            page += c[0];
            (page, c[1], c[2])
        })
        .collect()
}

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
