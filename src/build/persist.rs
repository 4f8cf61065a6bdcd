//! The memo as bytes, for the build cache on disk (`crate::disk_cache` reads and writes
//! the files): each shard's body holds the entries of the memo's caches whose keys fall in
//! it. Pure: bytes in, entries into the memo; entries out, bytes.
//!
//! Entries are content-addressed (a key is a hash of everything the value was made from,
//! `keys.rs`), so an entry read back is as good as one made now. What no key covers (the
//! Syllabus build, the configuration, the build options) is in the identity every file of
//! the cache carries ([`identity`]).

use super::memo::{Memo, PageHtml};
use super::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::disk_cache::SHARDS;
use crate::markdown::RenderedDoc;
use crate::memo::{Key, KeyHasher};
use crate::source::SourceSet;
use bincode::Options;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The bodies' layout; part of the identity.
const LAYOUT: u64 = 1;

/// What was loaded into the memo from each shard: the fingerprint of its entries' keys
/// (None: nothing trusted was there), so that an unchanged shard is not written again.
#[derive(Debug, Default)]
pub struct Loaded {
    fingerprints: Vec<Option<Key>>,
    /// Shards whose body held the right header and checksum but did not decode.
    pub undecodable: usize,
}

#[derive(Serialize)]
struct ShardOut<'a> {
    render: Vec<(Key, &'a RenderedDoc)>,
    page: Vec<(Key, PageOut<'a>)>,
    quick: Vec<(Key, Key)>,
}

#[derive(Serialize)]
enum PageOut<'a> {
    Html(&'a str),
    Error(&'a Diagnostic),
}

#[derive(Deserialize)]
struct ShardIn {
    render: Vec<(Key, RenderedDoc)>,
    page: Vec<(Key, PageIn)>,
    quick: Vec<(Key, Key)>,
}

#[derive(Deserialize)]
enum PageIn {
    Html(String),
    Error(Diagnostic),
}

fn codec() -> impl Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_little_endian()
        .reject_trailing_bytes()
}

/// The shard of a key.
fn shard_of(key: Key) -> usize {
    (key >> 58) as usize % SHARDS
}

/// The hash of what every cached entry depends on but no key covers: this layout, the
/// machine's word size, the whole configuration and the build's options; `binary` is the
/// running Syllabus's own hash (`crate::disk_cache::binary_identity`).
pub fn identity(binary: u64, sources: &SourceSet, options: &BuildOptions<'_>) -> u64 {
    KeyHasher::key(|h| {
        h.u64(binary)
            .u64(LAYOUT)
            .str(env!("CARGO_PKG_VERSION"))
            .u64(usize::BITS as u64)
            .debug(&sources.config)
            .debug(&options.base_url)
            .u64(u64::from(options.skip_search))
            .u64(u64::from(options.check_only));
    })
}

impl Memo {
    /// Loads the shards' bodies (None: missing or untrusted) into the memo, as entries the
    /// next build may use. A body that does not decode is skipped and counted.
    pub fn load_cache(&self, bodies: Vec<Option<Vec<u8>>>) -> Loaded {
        let decoded: Vec<Result<ShardIn, bool>> = bodies
            .into_par_iter()
            .map(|body| {
                let body = body.ok_or(false)?;
                codec().deserialize::<ShardIn>(&body).map_err(|_| true)
            })
            .collect();
        let mut loaded = Loaded::default();
        for shard in decoded.into_iter() {
            let shard = match shard {
                Ok(shard) => shard,
                Err(undecodable) => {
                    loaded.undecodable += usize::from(undecodable);
                    loaded.fingerprints.push(None);
                    continue;
                }
            };
            let mut keys = Keys::default();
            for (key, doc) in shard.render {
                keys.render.push(key);
                self.render.preload(key, doc);
            }
            for (key, page) in shard.page {
                keys.page.push(key);
                let html: PageHtml = match page {
                    PageIn::Html(s) => Ok(Arc::new(s.into_bytes())),
                    PageIn::Error(d) => Err(d),
                };
                self.page.preload(key, html);
            }
            for (key, full) in shard.quick {
                keys.quick.push(key);
                self.quick.preload(key, full);
            }
            loaded.fingerprints.push(Some(keys.fingerprint()));
        }
        loaded
    }

    /// The bodies of the shards whose entries differ from what `loaded` found (call after
    /// the build's sweep, so that only what the build used is kept).
    pub fn cache_bodies(&self, loaded: &Loaded) -> Vec<(usize, Vec<u8>)> {
        let mut shards: Vec<ShardOut<'_>> = (0..SHARDS)
            .map(|_| ShardOut {
                render: Vec::new(),
                page: Vec::new(),
                quick: Vec::new(),
            })
            .collect();
        let render = self.render.entries();
        let page = self.page.entries();
        let quick = self.quick.entries();
        for (key, doc) in &render {
            shards[shard_of(*key)].render.push((*key, doc));
        }
        for (key, html) in &page {
            let out = match &**html {
                Ok(bytes) => match std::str::from_utf8(bytes) {
                    Ok(s) => PageOut::Html(s),
                    Err(_) => continue,
                },
                Err(d) => PageOut::Error(d),
            };
            shards[shard_of(*key)].page.push((*key, out));
        }
        for (key, full) in &quick {
            shards[shard_of(*key)].quick.push((*key, **full));
        }
        shards
            .into_par_iter()
            .enumerate()
            .filter_map(|(i, mut shard)| {
                shard.render.sort_unstable_by_key(|e| e.0);
                shard.page.sort_unstable_by_key(|e| e.0);
                shard.quick.sort_unstable_by_key(|e| e.0);
                let keys = Keys {
                    render: shard.render.iter().map(|e| e.0).collect(),
                    page: shard.page.iter().map(|e| e.0).collect(),
                    quick: shard.quick.iter().map(|e| e.0).collect(),
                };
                let unchanged = loaded.fingerprints.get(i).copied().flatten();
                if unchanged == Some(keys.fingerprint()) {
                    return None;
                }
                codec().serialize(&shard).ok().map(|body| (i, body))
            })
            .collect()
    }
}

/// The keys of one shard's entries, by cache.
#[derive(Default)]
struct Keys {
    render: Vec<Key>,
    page: Vec<Key>,
    quick: Vec<Key>,
}

impl Keys {
    fn fingerprint(mut self) -> Key {
        KeyHasher::key(|h| {
            for keys in [&mut self.render, &mut self.page, &mut self.quick] {
                keys.sort_unstable();
                h.u64(keys.len() as u64);
                for k in keys.iter() {
                    h.u64(*k);
                }
            }
        })
    }
}
