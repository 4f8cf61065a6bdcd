//! Memo: caches of pure steps, keyed by a hash of everything a step reads, so that a rebuild
//! in `serve` redoes only what changed. Generic: it knows nothing of what is cached; the build
//! decides what its steps are and what their keys cover (`build/keys.rs`).
//!
//! A disabled cache (the default, used by `syllabus build`) computes every value and keeps
//! nothing. An enabled one keeps what the last build used: call [`Cache::sweep`] after each
//! build to drop the rest, so memory does not grow across rebuilds.

use rustc_hash::FxBuildHasher;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// A cache key: a 64-bit xxh3 hash of a step's inputs.
pub(crate) type Key = u64;

/// Shards per cache, picked by a key's top bits, so that parallel pages rarely wait.
const SHARDS: usize = 16;

/// The values of one step, by key.
pub(crate) struct Cache<T> {
    inner: Option<Shards<T>>,
}

struct Shards<T> {
    shards: [Mutex<Table<T>>; SHARDS],
    /// The current build; entries remember the last build that used them.
    generation: AtomicU64,
}

struct Table<T> {
    entries: HashMap<Key, Entry<T>, FxBuildHasher>,
    /// Whether any lookup happened since the last sweep.
    exercised: bool,
    hits: usize,
    misses: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            entries: HashMap::default(),
            exercised: false,
            hits: 0,
            misses: 0,
        }
    }
}

struct Entry<T> {
    value: Arc<T>,
    used: u64,
}

/// How a cache did since the last sweep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups that found a value.
    pub hits: usize,
    /// Lookups that found none (so the value was computed); a disabled cache counts nothing.
    pub misses: usize,
    /// Entries held.
    pub entries: usize,
}

impl<T> Default for Cache<T> {
    /// A disabled cache.
    fn default() -> Self {
        Cache { inner: None }
    }
}

impl<T: Send + Sync> Cache<T> {
    /// A cache that keeps values between builds.
    pub(crate) fn enabled() -> Cache<T> {
        Cache {
            inner: Some(Shards {
                shards: std::array::from_fn(|_| Mutex::default()),
                generation: AtomicU64::new(1),
            }),
        }
    }

    /// True when the cache keeps values.
    pub(crate) fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The value for `key`: cached, or computed by `f` (and kept when there is a key).
    pub(crate) fn get_or_compute(&self, key: Option<Key>, f: impl FnOnce() -> T) -> Arc<T> {
        let Some(key) = key.filter(|_| self.is_enabled()) else {
            return Arc::new(f());
        };
        if let Some(value) = self.get(key) {
            return value;
        }
        let value = Arc::new(f());
        self.insert(key, value.clone());
        value
    }

    /// The value for `key`, if cached; it is then kept by the next sweep.
    pub(crate) fn get(&self, key: Key) -> Option<Arc<T>> {
        self.lookup(key, true)
    }

    /// [`Cache::get`], counting a hit but no miss: for a look-up that is followed, when it
    /// finds nothing, by [`Cache::get_or_compute`] (which counts the miss).
    pub(crate) fn find(&self, key: Key) -> Option<Arc<T>> {
        self.lookup(key, false)
    }

    fn lookup(&self, key: Key, count_miss: bool) -> Option<Arc<T>> {
        let shards = self.inner.as_ref()?;
        let generation = shards.generation.load(Ordering::Relaxed);
        let mut table = lock(shards.of(key));
        let found = table.entries.get_mut(&key).map(|entry| {
            entry.used = generation;
            Arc::clone(&entry.value)
        });
        match found {
            Some(_) => table.hits += 1,
            None if count_miss => table.misses += 1,
            None => return None,
        }
        table.exercised = true;
        found
    }

    /// Drops the value for `key`, if any: the next look-up computes it again.
    pub(crate) fn remove(&self, key: Key) {
        let Some(shards) = &self.inner else { return };
        lock(shards.of(key)).entries.remove(&key);
    }

    /// Keeps `value` for `key` (nothing when disabled).
    pub(crate) fn insert(&self, key: Key, value: Arc<T>) {
        let Some(shards) = &self.inner else { return };
        let used = shards.generation.load(Ordering::Relaxed);
        lock(shards.of(key))
            .entries
            .insert(key, Entry { value, used });
    }

    /// Ends a build: if the build looked anything up here, drops every entry it did not use;
    /// a cache the build never reached (say, pages after a template error) keeps its entries
    /// for the next build. Resets the statistics.
    pub(crate) fn sweep(&self) {
        let Some(shards) = &self.inner else { return };
        let generation = shards.generation.fetch_add(1, Ordering::Relaxed);
        let exercised = shards.shards.iter().any(|s| lock(s).exercised);
        for shard in &shards.shards {
            let mut table = lock(shard);
            if exercised {
                table.entries.retain(|_, e| e.used == generation);
                let keep = table.entries.len() * 2;
                table.entries.shrink_to(keep);
            }
            table.exercised = false;
            table.hits = 0;
            table.misses = 0;
        }
    }

    /// Hits, misses and size since the last sweep.
    pub(crate) fn stats(&self) -> CacheStats {
        let mut total = CacheStats::default();
        for shard in self.inner.iter().flat_map(|s| &s.shards) {
            let table = lock(shard);
            total.hits += table.hits;
            total.misses += table.misses;
            total.entries += table.entries.len();
        }
        total
    }
}

impl<T> Shards<T> {
    fn of(&self, key: Key) -> &Mutex<Table<T>> {
        &self.shards[(key >> 60) as usize % SHARDS]
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes a step's inputs into a key. Strings and byte strings are length-prefixed, so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub(crate) struct KeyHasher(Xxh3);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(Xxh3::new())
    }
}

impl KeyHasher {
    /// The key of what `f` writes.
    pub(crate) fn key(f: impl FnOnce(&mut KeyHasher)) -> Key {
        let mut h = KeyHasher::default();
        f(&mut h);
        h.finish()
    }

    /// The key of what was written.
    pub(crate) fn finish(&self) -> Key {
        self.0.digest()
    }

    /// A byte string, length first.
    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update(&(b.len() as u64).to_le_bytes());
        if b.len() > 256 {
            // One-shot hashing of a large input is several times faster than streaming it.
            self.0.update(&xxh3_64(b).to_le_bytes());
        } else {
            self.0.update(b);
        }
        self
    }

    /// A string, length first.
    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// A number.
    pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
        self.0.update(&v.to_le_bytes());
        self
    }

    /// Any value through its `Debug` form (for types that are not `Serialize`).
    pub(crate) fn debug<T: std::fmt::Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        struct Writer<'a>(&'a mut Xxh3);
        impl std::fmt::Write for Writer<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                Ok(())
            }
        }
        let _ = std::fmt::write(&mut Writer(&mut self.0), format_args!("{value:?}"));
        self.0.update(b"\0");
        self
    }

    /// Any serializable value, through its JSON form.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        struct Writer<'a>(&'a mut Xxh3);
        impl std::io::Write for Writer<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        if serde_json::to_writer(Writer(&mut self.0), value).is_err() {
            // Unserializable values are never equal to anything: hash a marker that a
            // successful serialization cannot produce.
            self.0.update(b"\xff");
        }
        self.0.update(b"\0");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_cache_computes_every_time_and_keeps_nothing() {
        let cache = Cache::default();
        let mut calls = 0;
        for _ in 0..2 {
            cache.get_or_compute(Some(1), || calls += 1);
        }
        assert_eq!(calls, 2);
        assert_eq!(cache.stats(), CacheStats::default());
    }

    #[test]
    fn an_enabled_cache_reuses_values_and_sweeps_unused_ones() {
        let cache = Cache::enabled();
        let a = KeyHasher::key(|h| {
            h.str("a");
        });
        let b = KeyHasher::key(|h| {
            h.str("b");
        });
        assert_ne!(a, b);
        assert_eq!(*cache.get_or_compute(Some(a), || 1), 1);
        assert_eq!(*cache.get_or_compute(Some(a), || 2), 1);
        assert_eq!(*cache.get_or_compute(Some(b), || 3), 3);
        assert_eq!(*cache.get_or_compute(None, || 4), 4, "no key, no caching");
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 2,
                entries: 2
            }
        );
        cache.sweep();
        // The next build uses only `a`: `b` goes at its end.
        cache.get_or_compute(Some(a), || 0);
        cache.sweep();
        assert_eq!(cache.stats().entries, 1);
        // A build that never looks here keeps the cache as it was.
        cache.sweep();
        assert_eq!(cache.stats().entries, 1);
        assert_eq!(*cache.get_or_compute(Some(a), || 9), 1);
    }

    #[test]
    fn keys_are_length_prefixed() {
        let ab_c = KeyHasher::key(|h| {
            h.str("ab").str("c");
        });
        let a_bc = KeyHasher::key(|h| {
            h.str("a").str("bc");
        });
        assert_ne!(ab_c, a_bc);
        let j1 = KeyHasher::key(|h| {
            h.json(&("x", 1));
        });
        let j2 = KeyHasher::key(|h| {
            h.json(&("x", 1));
        });
        assert_eq!(j1, j2);
    }
}
