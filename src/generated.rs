//! Files made from the code when the binary is made, and the test that keeps them current.

/// Fails unless the file at `path` (relative to the crate) holds `made`; when it does not,
/// rewrites it first, so that building again and committing it is the whole fix.
pub(crate) fn assert_current(path: &str, made: &str) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::fs::read_to_string(&full).ok().as_deref() != Some(made) {
        std::fs::write(&full, made).unwrap_or_else(|e| panic!("write {path}: {e}"));
        panic!("{path} was out of date; it is rewritten now: build again and commit it");
    }
}
