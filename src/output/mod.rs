//! Output: where built files go. In memory for tests and `serve`; on disk through a staging
//! directory that is swapped in whole, so a failed build leaves the previous site as it was.

pub mod claims;
mod keep;
mod leftovers;
mod manifest;
mod staging;
mod tree;

pub use manifest::MARKER;
pub use staging::{check_location, Committed, Options, Staging, WriteError};

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Receives built files as they are made. Paths are site-relative with `/`.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>);

    /// Receives a file that may also be held elsewhere (a page kept by the build's memo);
    /// sinks that can keep it shared override this to avoid a copy.
    fn put_shared(&self, path: &str, bytes: Arc<Vec<u8>>) {
        self.put(path, crate::memo::into_owned(bytes));
    }
}

/// Every built file, held in memory.
#[derive(Debug, Default)]
pub struct Output {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Output {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
    }
}
