//! A budgeted cache of rendered blocks (highlighted code, diagrams), keyed by a hash of
//! what they were made from: the same block met twice in a build, or again in a rebuild of
//! `serve`, is made once. Past its budget in bytes the cache is dropped wholesale, so its
//! memory stays bounded without bookkeeping per entry.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Rendered blocks by the hash of their input.
pub(crate) struct BlockCache<V> {
    table: Mutex<Table<V>>,
    budget: usize,
}

struct Table<V> {
    map: HashMap<u64, Arc<V>>,
    bytes: usize,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            map: HashMap::new(),
            bytes: 0,
        }
    }
}

impl<V> BlockCache<V> {
    /// A cache that keeps up to `bytes` of values.
    pub(crate) fn new(bytes: usize) -> Self {
        BlockCache {
            table: Mutex::default(),
            budget: bytes,
        }
    }

    /// The value made from `input`: the cached one, or `make(input)`, kept when the budget
    /// allows (`size` says how many bytes a value holds).
    pub(crate) fn get_or_make<I: Hash + ?Sized>(
        &self,
        input: &I,
        make: impl FnOnce() -> V,
        size: impl Fn(&V) -> usize,
    ) -> Arc<V> {
        let key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            input.hash(&mut h);
            h.finish()
        };
        if let Some(hit) = self.table.lock().expect("cache lock").map.get(&key) {
            return hit.clone();
        }
        let value = Arc::new(make());
        let size = size(&value);
        let mut table = self.table.lock().expect("cache lock");
        if table.bytes + size > self.budget {
            *table = Table::default();
        }
        table.bytes += size;
        table.map.insert(key, value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn makes_a_value_once_and_forgets_past_the_budget() {
        let cache: BlockCache<String> = BlockCache::new(10);
        let made = Cell::new(0);
        let make = |s: &str| {
            made.set(made.get() + 1);
            s.to_uppercase()
        };
        assert_eq!(
            *cache.get_or_make("abc", || make("abc"), String::len),
            "ABC"
        );
        assert_eq!(
            *cache.get_or_make("abc", || make("abc"), String::len),
            "ABC"
        );
        assert_eq!(made.get(), 1);
        // 3 + 9 bytes pass the budget of 10: the table starts again with the new value.
        cache.get_or_make("123456789", || make("123456789"), String::len);
        cache.get_or_make("abc", || make("abc"), String::len);
        assert_eq!(made.get(), 3);
    }
}
