//! Every integration test, in one test executable. Twenty-five executables, each linking the
//! whole library and its dependencies, took about a third of CI's clean compile; one links
//! once. Each file below is a module named after it: `cargo test --test suite serve::` runs
//! the serve tests, `cargo test --test suite serve::head_` one of them. A new file under
//! `tests/` must be declared here: `suite::every_test_file_is_in_the_suite` fails otherwise.

mod support;

mod architecture;
mod assets;
mod bad_input;
mod browser;
mod build;
mod cache;
mod check;
mod course;
mod course_shapes;
mod docusaurus;
mod docusaurus_config;
mod docusaurus_sidebars;
mod docusaurus_urls;
mod i18n;
mod init;
mod math;
mod mermaid;
mod output;
mod page_weight;
mod progress;
mod properties;
mod search;
mod serve;
mod sitemap;
mod untrusted;

/// Cargo builds only this file's modules (`autotests = false`): a test file left out of the
/// list above would never run, silently.
#[test]
fn every_test_file_is_in_the_suite() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let suite = std::fs::read_to_string(dir.join("suite.rs")).expect("tests/suite.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(module) = name.strip_suffix(".rs") {
            if module != "suite" && !suite.lines().any(|l| l == format!("mod {module};")) {
                missing.push(name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod NAME;` to tests/suite.rs for {missing:?}"
    );
}
