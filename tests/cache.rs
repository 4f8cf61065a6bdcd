//! The build cache (`.syllabus-cache/`): builds from it are byte-identical to clean builds,
//! whatever was done to it, and a change to anything a page shows reaches the page. What the
//! cache does is tested through the library, in memory (many builds, each a few
//! milliseconds); what the command line does with it (`--no-cache`, `clean`, its notes, the
//! executable's own identity, builds at once) by running the binary.

use crate::support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use support::{copy_dir, copy_fixture, syllabus};

const CACHE: &str = ".syllabus-cache";

/// Stands for the running Syllabus executable's hash in library builds
/// (`disk_cache::binary_identity`).
const THIS_SYLLABUS: u64 = 0x5111_ab05;

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            let mut bytes = fs::read(e.path()).unwrap();
            if rel == ".syllabus-output" {
                // The marker names the output folder, which differs between these builds.
                let text = String::from_utf8(bytes).unwrap();
                let lines: Vec<&str> = text.lines().filter(|l| !l.contains("\"folder\"")).collect();
                bytes = lines.join("\n").into_bytes();
            }
            (rel.into_owned(), bytes)
        })
        .collect()
}

/// Runs `syllabus build ROOT --out OUT EXTRA`; returns stderr, asserting success.
fn build(root: &Path, out: &Path, extra: &[&str]) -> String {
    let (code, stderr) = support::build(root, out, extra);
    assert_eq!(code, 0, "{stderr}");
    stderr
}

/// The cache notes a build printed.
fn cache_notes(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("note:") && l.contains("cache"))
        .collect()
}

/// Builds `root` in memory through the library with its build cache, as `syllabus build`
/// does, as the Syllabus whose executable hashes to `binary`: the site and the cache's notes
/// (what was ignored when it was read, what could not be written at the end).
fn cached_build(root: &Path, binary: u64) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    cached_build_with(&mut syllabus::Resources::default(), root, binary)
}

/// [`cached_build`] with `resources` (grammars and templates loaded once for many builds).
fn cached_build_with(
    resources: &mut syllabus::Resources,
    root: &Path,
    binary: u64,
) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let sources = syllabus::source::read_deferred(root).unwrap();
    let options = syllabus::BuildOptions::default();
    let identity = syllabus::cache_identity(binary, &sources, &options);
    let shards = syllabus::disk_cache::shards_for(sources.content.len());
    let (store, note) = syllabus::disk_cache::open(root, identity, shards);
    let mut notes: Vec<String> = note.into_iter().collect();
    resources.set_disk_cache(store);
    let out = syllabus::output::Output::default();
    let report = syllabus::build(&sources, &options, resources, &out);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    notes.extend(resources.memo.finish_disk_cache(true));
    (out.into_files(), notes)
}

/// The site a build without any cache makes of `root`, in memory.
fn clean_in_memory(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let built = support::build_in_memory(root, None);
    assert!(!built.report.has_errors(), "{:?}", built.report.diagnostics);
    built.files
}

/// The `cache` fixture's site built without a cache, in memory, once for every test here.
fn fixture_in_memory() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: std::sync::OnceLock<BTreeMap<String, Vec<u8>>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| clean_in_memory(&support::fixture("cache")))
}

/// The site a clean build (no cache at all) makes of `root`.
fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let stderr = build(root, out.path(), &["--no-cache"]);
    assert!(cache_notes(&stderr).is_empty(), "{stderr}");
    tree(out.path())
}

/// The site a clean build makes of the `cache` fixture, built once for every test here
/// (the fixture's copies are not changed before their first build).
fn fixture_site() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: std::sync::OnceLock<BTreeMap<String, Vec<u8>>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let project = copy_fixture("cache");
        let site = clean_build(project.path());
        assert!(
            !project.path().join(CACHE).exists(),
            "--no-cache wrote a cache"
        );
        site
    })
}

fn assert_same_site(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: other files"
    );
    for (path, bytes) in a {
        assert!(b[path] == *bytes, "{what}: `{path}` differs");
    }
}

#[test]
fn cached_builds_are_byte_identical_to_clean_builds_and_no_cache_touches_nothing() {
    let project = copy_fixture("cache");
    let root = project.path();
    let clean = fixture_site();
    assert!(clean.contains_key("tools/diagram/index.html"));
    let cache = root.join(CACHE);
    let stamps = |cache: &Path| -> Vec<_> {
        fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
            .collect()
    };
    let mut written = Vec::new();
    for round in ["cold", "warm", "warm again"] {
        let out = tempfile::tempdir().unwrap();
        let stderr = build(root, out.path(), &[]);
        assert!(cache_notes(&stderr).is_empty(), "{round}: {stderr}");
        assert_same_site(clean, &tree(out.path()), round);
        assert!(cache.join("CACHEDIR.TAG").is_file());
        // A warm build with nothing changed rewrites none of the cache's files.
        let now = stamps(&cache);
        if round == "warm again" {
            assert_eq!(written, now, "a warm build rewrote the cache");
        }
        written = now;
    }
    assert!(fs::read_dir(&cache).unwrap().count() > 3);
    let before = tree(&cache);
    // --no-cache reads nothing (garbage is not even noticed) and writes nothing.
    for (path, _) in before.iter().filter(|(p, _)| p.starts_with("pack-")) {
        fs::write(cache.join(path), b"garbage").unwrap();
    }
    let garbled = tree(&cache);
    let out = tempfile::tempdir().unwrap();
    let stderr = build(root, out.path(), &["--no-cache"]);
    assert!(cache_notes(&stderr).is_empty(), "{stderr}");
    assert_same_site(clean, &tree(out.path()), "--no-cache");
    assert_eq!(garbled, tree(&cache));
}

/// The packed files of a built cache.
fn packs(cache: &Path) -> Vec<PathBuf> {
    let mut packs: Vec<PathBuf> = fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("pack-")
        })
        .collect();
    packs.sort();
    packs
}

/// Where a packed file's index starts (the header's bytes 24..32; the index runs to the end).
fn index_start(bytes: &[u8]) -> usize {
    u64::from_le_bytes(bytes[24..32].try_into().unwrap()) as usize
}

/// Rewrites a packed file's index and fixes its checksum, so only decoding can catch it.
fn replace_index(pack: &Path, index: &[u8]) {
    let mut bytes = fs::read(pack).unwrap();
    let start = index_start(&bytes);
    bytes.truncate(start);
    bytes[32..40].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(index).to_le_bytes());
    bytes.extend_from_slice(index);
    fs::write(pack, bytes).unwrap();
}

/// The biggest packed file (one that holds entries).
fn biggest(cache: &Path) -> PathBuf {
    packs(cache)
        .into_iter()
        .max_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap()
}

/// The files the cache keeps whole (pages, which the output links to), by name; not the
/// search index a build keeps for the next one to patch (a file that starts `SYLIDX`).
fn kept(cache: &Path) -> Vec<PathBuf> {
    let mut kept: Vec<PathBuf> = fs::read_dir(cache.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !fs::read(p).unwrap().starts_with(b"SYLIDX"))
        .collect();
    kept.sort();
    kept
}

/// The search index the last build kept for the next one to patch.
fn kept_index(cache: &Path) -> PathBuf {
    fs::read_dir(cache.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| fs::read(p).unwrap().starts_with(b"SYLIDX"))
        .expect("a kept search index")
}

/// The biggest kept file.
fn biggest_kept(cache: &Path) -> PathBuf {
    kept(cache)
        .into_iter()
        .max_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap()
}

type Corruption = (&'static str, fn(&Path), Option<&'static str>);

#[test]
fn a_damaged_or_foreign_cache_is_ignored_with_one_note_and_never_trusted() {
    let project = copy_fixture("cache");
    let root = project.path();
    let clean = fixture_in_memory();
    cached_build(root, THIS_SYLLABUS);
    let good = tempfile::tempdir().unwrap();
    copy_dir(&root.join(CACHE), good.path());
    // (what, how, what the one note says: None when nothing needs saying)
    let corruptions: Vec<Corruption> = vec![
        (
            "truncated to half",
            |c| {
                let p = biggest(c);
                let bytes = fs::read(&p).unwrap();
                fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            },
            Some("truncated or corrupt"),
        ),
        (
            "truncated inside the header",
            |c| fs::write(biggest(c), b"SYLCACHE\x01").unwrap(),
            Some("truncated or corrupt"),
        ),
        (
            "emptied",
            |c| fs::write(biggest(c), b"").unwrap(),
            Some("truncated or corrupt"),
        ),
        (
            "one byte of a value flipped",
            |c| {
                let p = biggest(c);
                let mut bytes = fs::read(&p).unwrap();
                let middle = (40 + index_start(&bytes)) / 2;
                bytes[middle] ^= 1;
                fs::write(&p, bytes).unwrap();
            },
            Some("truncated or corrupt"),
        ),
        (
            "one byte of the index flipped",
            |c| {
                let p = biggest(c);
                let len = fs::metadata(&p).unwrap().len() as usize;
                let mut bytes = fs::read(&p).unwrap();
                bytes[len - 7] ^= 1;
                fs::write(&p, bytes).unwrap();
            },
            Some("truncated or corrupt"),
        ),
        (
            "the magic garbled",
            |c| {
                let p = biggest(c);
                let mut bytes = fs::read(&p).unwrap();
                bytes[0] = b'X';
                fs::write(&p, bytes).unwrap();
            },
            Some("truncated or corrupt"),
        ),
        (
            "replaced by garbage",
            |c| {
                let garbage: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
                for p in packs(c) {
                    fs::write(p, &garbage).unwrap();
                }
            },
            Some("truncated or corrupt"),
        ),
        (
            "another format version",
            |c| {
                let p = biggest(c);
                let mut bytes = fs::read(&p).unwrap();
                bytes[8] = bytes[8].wrapping_add(1);
                fs::write(&p, bytes).unwrap();
            },
            Some("another version of Syllabus"),
        ),
        (
            "another byte order",
            |c| {
                for p in packs(c) {
                    let mut bytes = fs::read(&p).unwrap();
                    bytes[12..16].reverse();
                    fs::write(&p, bytes).unwrap();
                }
            },
            Some("another byte order"),
        ),
        (
            "another Syllabus or configuration (identity)",
            |c| {
                for p in packs(c) {
                    let mut bytes = fs::read(&p).unwrap();
                    bytes[16] ^= 0xff;
                    fs::write(&p, bytes).unwrap();
                }
            },
            Some("another version of Syllabus or with other settings"),
        ),
        (
            "an index with a good checksum that does not decode",
            |c| replace_index(&biggest(c), b"\xff\xff\xff\xff\xff\xff\xff\x7fnot an index"),
            Some("do not decode"),
        ),
        (
            "an index with a good checksum, cut short",
            |c| {
                let p = biggest(c);
                let bytes = fs::read(&p).unwrap();
                let index = &bytes[index_start(&bytes)..];
                replace_index(&p, &index[..index.len() - 3]);
            },
            Some("do not decode"),
        ),
        (
            "an index with a good checksum whose entry points past the values",
            |c| {
                let p = biggest(c);
                let bytes = fs::read(&p).unwrap();
                let mut index = bytes[index_start(&bytes)..].to_vec();
                // The first entry's offset (after its kind and key).
                index[9..17].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
                replace_index(&p, &index);
            },
            Some("do not decode"),
        ),
        (
            "a directory where a packed file should be",
            |c| {
                let p = biggest(c);
                fs::remove_file(&p).unwrap();
                fs::create_dir(&p).unwrap();
                fs::write(p.join("x"), b"x").unwrap();
            },
            Some("cannot be read"),
        ),
        (
            "a half-written file of a killed build",
            |c| {
                let p = biggest(c);
                let bytes = fs::read(&p).unwrap();
                let mut name = p.file_name().unwrap().to_os_string();
                name.push(".tmp-4000000");
                fs::write(c.join(name), &bytes[..bytes.len() / 3]).unwrap();
            },
            None,
        ),
        (
            "one shard's file under another's name",
            |c| {
                let (all, big) = (packs(c), biggest(c));
                let other = all.iter().find(|p| **p != big).unwrap();
                fs::copy(&big, other).unwrap();
            },
            None,
        ),
        (
            "every packed file gone",
            |c| {
                packs(c)
                    .into_iter()
                    .for_each(|p| fs::remove_file(p).unwrap())
            },
            None,
        ),
        (
            "a kept page with a byte changed",
            |c| {
                let p = biggest_kept(c);
                let mut bytes = fs::read(&p).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x20;
                fs::write(&p, bytes).unwrap();
            },
            Some("changed since they were kept"),
        ),
        (
            "a kept page cut short",
            |c| {
                let p = biggest_kept(c);
                let bytes = fs::read(&p).unwrap();
                fs::write(&p, &bytes[..bytes.len() - 1]).unwrap();
            },
            Some("changed since they were kept"),
        ),
        (
            "a kept page gone",
            |c| fs::remove_file(biggest_kept(c)).unwrap(),
            None,
        ),
        (
            "a kept page replaced by a folder",
            |c| {
                let p = biggest_kept(c);
                fs::remove_file(&p).unwrap();
                fs::create_dir(&p).unwrap();
            },
            None,
        ),
        (
            "the kept search index with a byte changed",
            |c| {
                let p = kept_index(c);
                let mut bytes = fs::read(&p).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x01;
                fs::write(&p, bytes).unwrap();
            },
            Some("changed since they were kept"),
        ),
        (
            "the kept search index cut short",
            |c| {
                let p = kept_index(c);
                let bytes = fs::read(&p).unwrap();
                fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            },
            Some("changed since they were kept"),
        ),
        (
            "the kept search index gone",
            |c| fs::remove_file(kept_index(c)).unwrap(),
            None,
        ),
        (
            "the kept pages' folder replaced by a file",
            |c| {
                fs::remove_dir_all(c.join("files")).unwrap();
                fs::write(c.join("files"), b"not a folder").unwrap();
            },
            None,
        ),
        (
            "the tag gone (not ours)",
            |c| fs::remove_file(c.join("CACHEDIR.TAG")).unwrap(),
            Some("not made by Syllabus"),
        ),
    ];
    // One after another, in one process, with the grammars and templates loaded once.
    let mut resources = syllabus::Resources::default();
    {
        for (what, corrupt, said) in corruptions {
            let good = good.path();
            {
                let project = copy_fixture("cache");
                let root = project.path();
                let cache = root.join(CACHE);
                copy_dir(good, &cache);
                corrupt(&cache);
                let (site, notes) = cached_build_with(&mut resources, root, THIS_SYLLABUS);
                assert_same_site(clean, &site, what);
                match said {
                    Some(said) => {
                        assert_eq!(notes.len(), 1, "{what}: {notes:?}");
                        assert!(notes[0].contains(said), "{what}: {notes:?}");
                    }
                    None => assert!(notes.is_empty(), "{what}: {notes:?}"),
                }
                // The next build trusts what this one wrote (or, not ours, still ignores it).
                let (site, notes) = cached_build_with(&mut resources, root, THIS_SYLLABUS);
                assert_same_site(clean, &site, what);
                if said == Some("not made by Syllabus") {
                    assert_eq!(notes.len(), 1, "{what}: {notes:?}");
                } else if said != Some("cannot be read") {
                    assert!(notes.is_empty(), "{what}, rebuilt: {notes:?}");
                    assert!(
                        !fs::read_dir(&cache).unwrap().any(|e| e
                            .unwrap()
                            .file_name()
                            .to_string_lossy()
                            .contains(".tmp-")),
                        "{what}: a temporary file is left"
                    );
                }
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_packed_file_is_ignored() {
    use std::os::unix::fs::PermissionsExt;
    let project = copy_fixture("cache");
    let root = project.path();
    cached_build(root, THIS_SYLLABUS);
    let pack = biggest(&root.join(CACHE));
    fs::set_permissions(&pack, fs::Permissions::from_mode(0o000)).unwrap();
    let (site, notes) = cached_build(root, THIS_SYLLABUS);
    assert_same_site(fixture_in_memory(), &site, "unreadable");
    if fs::File::open(&pack).is_err() {
        // Not root: the file cannot be read, and one note says so.
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}

/// A project built with the cache change after change: each change's build is checked
/// against a clean build and against the site before the change (the last change's build).
struct Changes<'a> {
    root: &'a Path,
    site: BTreeMap<String, Vec<u8>>,
}

impl<'a> Changes<'a> {
    fn new(root: &'a Path) -> Changes<'a> {
        Changes {
            root,
            site: cached_build(root, THIS_SYLLABUS).0,
        }
    }

    /// Makes `change`, builds with the cache, checks, and returns the site.
    fn apply(&mut self, change: impl FnOnce(&Path)) -> &BTreeMap<String, Vec<u8>> {
        change(self.root);
        // A changed `book.toml` is another identity: that cache is set aside with a note.
        let (after, _) = cached_build(self.root, THIS_SYLLABUS);
        assert_same_site(&clean_in_memory(self.root), &after, "after the change");
        assert!(self.site != after, "the change did not reach the site");
        self.site = after;
        &self.site
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_changed_sibling_title_config_or_template_reaches_every_page_as_a_clean_build_does() {
    let project = copy_fixture("cache");
    let root = project.path();
    let mut changes = Changes::new(root);
    // A sibling's title: the sidebar and prev/next links of the other pages show it.
    let site = changes.apply(|r| {
        edit(
            &r.join("content/02-tools/01-quiz.md"),
            "title: Quiz",
            "title: Check yourself",
        )
    });
    let diagram = String::from_utf8_lossy(&site["tools/diagram/index.html"]);
    assert!(diagram.contains("Check yourself"));
    // A lesson's body.
    changes.apply(|r| {
        edit(
            &r.join("content/01-code.md"),
            "return f\"Hello",
            "return f\"Bye",
        )
    });
    // The configuration.
    changes.apply(|r| {
        edit(
            &r.join("book.toml"),
            "Cache Fixture",
            "Cache Fixture, second edition",
        )
    });
    changes.apply(|r| edit(&r.join("book.toml"), "math = true", "math = false"));
    // A template: the project's copy of the theme, then one edit to the page template.
    let status = syllabus()
        .arg("init")
        .arg("--templates")
        .arg(root)
        .output()
        .unwrap();
    assert!(status.status.success());
    changes.apply(|r| {
        let page = r.join("templates/base.html");
        let text = fs::read_to_string(&page).unwrap();
        fs::write(&page, text.replacen("</body>", "<!-- edited --></body>", 1)).unwrap();
    });
}

/// The search index of a build from the cache is the previous build's, patched with the
/// pages whose text changed (see `site::search::state`): after each change it is the index a
/// clean build makes, also when a patch cannot be made.
#[test]
fn the_search_index_follows_every_change_as_a_clean_build_does() {
    let project = copy_fixture("cache");
    let root = project.path();
    let mut changes = Changes::new(root);
    let lesson = root.join("content/01-code.md");
    let index = |site: &BTreeMap<String, Vec<u8>>| -> String {
        site.iter()
            .filter(|(p, _)| p.starts_with("assets/search/t/"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    };
    // A word no page had, then gone again; a heading.
    let site = changes.apply(|_| {
        let text = fs::read_to_string(&lesson).unwrap();
        fs::write(&lesson, format!("{text}\nA zanzibarian paragraph.\n")).unwrap();
    });
    assert!(index(site).contains("zanzibarian "));
    let site = changes.apply(|_| edit(&lesson, "A zanzibarian paragraph.", "Another one."));
    assert!(!index(site).contains("zanzibarian"));
    changes.apply(|_| {
        let text = fs::read_to_string(&lesson).unwrap();
        fs::write(
            &lesson,
            format!("{text}\n## Quokkas at last\n\nThey smile.\n"),
        )
        .unwrap();
    });
    // A lesson more (the pages after it are numbered anew), then gone.
    let added = root.join("content/02-tools/03-extra.md");
    let site = changes.apply(|_| {
        fs::write(&added, "---\ntitle: Extra\n---\n\nWombats dig.\n").unwrap();
    });
    assert!(index(site).contains("wombat"));
    changes.apply(|_| fs::remove_file(&added).unwrap());
    // A change whose page's old text the cache no longer holds (its packed files gone, the
    // kept index left): every page is indexed again.
    changes.apply(|r| {
        for pack in packs(&r.join(CACHE)) {
            fs::remove_file(pack).unwrap();
        }
        edit(&lesson, "They smile.", "They grin.");
    });
}

#[test]
fn another_build_of_syllabus_does_not_trust_the_cache() {
    // Another build of Syllabus (other grammars, highlighting theme, templates, version) is
    // another executable, whose hash `syllabus build` puts in the cache's identity.
    let project = copy_fixture("cache");
    let root = project.path();
    cached_build(root, THIS_SYLLABUS);
    let (site, notes) = cached_build(root, THIS_SYLLABUS + 1);
    assert_same_site(fixture_in_memory(), &site, "another binary");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("another version of Syllabus"),
        "{notes:?}"
    );
    let first = syllabus::disk_cache::binary_identity().unwrap();
    assert_eq!(syllabus::disk_cache::binary_identity().unwrap(), first);
}

#[test]
fn concurrent_builds_leave_a_sound_cache() {
    let project = copy_fixture("cache");
    let root = project.path();
    let clean = fixture_site();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let out = tempfile::tempdir().unwrap();
                build(root, out.path(), &[]);
                assert_same_site(clean, &tree(out.path()), "concurrent");
            });
        }
    });
    let out = tempfile::tempdir().unwrap();
    let stderr = build(root, out.path(), &[]);
    assert!(cache_notes(&stderr).is_empty(), "{stderr}");
    assert_same_site(clean, &tree(out.path()), "after concurrent builds");
}

#[test]
fn clean_removes_the_cache_and_only_a_cache_of_ours() {
    let project = copy_fixture("cache");
    let root = project.path();
    build(root, tempfile::tempdir().unwrap().path(), &[]);
    let run = |root: &Path| {
        let o = syllabus().arg("clean").arg(root).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(root);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!root.join(CACHE).exists());
    assert!(root.join("content/README.md").exists());
    let (code, stderr) = run(root);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("No build cache"), "{stderr}");
    // A `.syllabus-cache` Syllabus did not make: refused by clean, unused by build.
    fs::create_dir(root.join(CACHE)).unwrap();
    fs::write(root.join(CACHE).join("notes.txt"), "mine").unwrap();
    let (code, stderr) = run(root);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("not made by Syllabus"), "{stderr}");
    let stderr = build(root, tempfile::tempdir().unwrap().path(), &[]);
    assert_eq!(cache_notes(&stderr).len(), 1, "{stderr}");
    assert_eq!(
        tree(&root.join(CACHE)).len(),
        1,
        "build wrote into a directory not its own"
    );
    // A file of that name is not ours either.
    fs::remove_dir_all(root.join(CACHE)).unwrap();
    fs::write(root.join(CACHE), "a file").unwrap();
    let (code, _) = run(root);
    assert_eq!(code, Some(1));
    assert_eq!(fs::read_to_string(root.join(CACHE)).unwrap(), "a file");
}

/// The output's pages are hard links to the files the cache keeps whole: a rebuild writes
/// none of their bytes again. The cache keeps exactly the pages of the last build (the
/// others are swept), an output page edited in place is noticed (it is the cache's file
/// too) and made again, and `syllabus clean` leaves the output whole.
#[cfg(unix)]
#[test]
fn output_pages_are_links_to_the_cache_which_keeps_only_what_the_last_build_used() {
    use std::os::unix::fs::MetadataExt;
    let project = copy_fixture("cache");
    let root = project.path();
    let clean = fixture_site();
    let cache = root.join(CACHE);
    let page = "tools/diagram/index.html";
    let out = tempfile::tempdir().unwrap();
    build(root, out.path(), &[]);
    // Every long page of the output (but `404.html`, made on every build, not kept), by the
    // hash the cache names its kept file with.
    let hashes = |out: &Path| -> std::collections::BTreeSet<String> {
        tree(out)
            .iter()
            .filter(|(p, b)| p.ends_with(".html") && *p != "404.html" && b.len() >= 1024)
            .map(|(_, b)| format!("{:032x}", xxhash_rust::xxh3::xxh3_128(b)))
            .collect()
    };
    let names = |cache: &Path| -> std::collections::BTreeSet<String> {
        kept(cache)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(hashes(out.path()), names(&cache));
    for _ in 0..2 {
        let out = tempfile::tempdir().unwrap();
        build(root, out.path(), &[]);
        assert_same_site(clean, &tree(out.path()), "rebuilt");
        let meta = fs::metadata(out.path().join(page)).unwrap();
        let kept = fs::metadata(cache.join("files").join(format!(
            "{:032x}",
            xxhash_rust::xxh3::xxh3_128(&fs::read(out.path().join(page)).unwrap())
        )))
        .unwrap();
        assert_eq!(
            (meta.dev(), meta.ino()),
            (kept.dev(), kept.ino()),
            "not a link"
        );
    }
    // A changed lesson: its page's old kept file is swept, its new one kept.
    let lesson = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md"))
        .unwrap();
    let before = names(&cache);
    let mut text = fs::read_to_string(&lesson).unwrap();
    text.push_str("\nA paragraph added since.\n");
    fs::write(&lesson, text).unwrap();
    let changed = tempfile::tempdir().unwrap();
    build(root, changed.path(), &[]);
    assert_same_site(&clean_build(root), &tree(changed.path()), "after a change");
    assert_eq!(hashes(changed.path()), names(&cache), "stale kept pages");
    assert_ne!(before, names(&cache));
    // An output page edited in place changes the cache's file: the next build says so and
    // makes the page again, as a clean build would.
    let clean = tree(changed.path());
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(changed.path().join(page))
        .unwrap();
    std::io::Write::write_all(&mut file, b"<!-- edited in place -->").unwrap();
    drop(file);
    let again = tempfile::tempdir().unwrap();
    let stderr = build(root, again.path(), &[]);
    let notes = cache_notes(&stderr);
    assert_eq!(notes.len(), 1, "{stderr}");
    assert!(
        notes[0].contains("changed since they were kept"),
        "{stderr}"
    );
    assert_same_site(&clean, &tree(again.path()), "after an edit in place");
    assert_eq!(hashes(again.path()), names(&cache));
    // A kept page that is a symbolic link (to a copy of itself, elsewhere) is not used: the
    // output would get the link.
    let kept_page = cache.join("files").join(format!(
        "{:032x}",
        xxhash_rust::xxh3::xxh3_128(&fs::read(again.path().join(page)).unwrap())
    ));
    let elsewhere = tempfile::tempdir().unwrap();
    fs::rename(&kept_page, elsewhere.path().join("page.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("page.html"), &kept_page).unwrap();
    let linked = tempfile::tempdir().unwrap();
    build(root, linked.path(), &[]);
    assert!(fs::symlink_metadata(linked.path().join(page))
        .unwrap()
        .is_file());
    assert_same_site(&clean, &tree(linked.path()), "kept page a link");
    // The output outlives the cache.
    let cleaned = syllabus().arg("clean").arg(root).output().unwrap();
    assert!(cleaned.status.success(), "{cleaned:?}");
    assert!(!cache.exists());
    assert_same_site(&clean, &tree(again.path()), "after clean");
}

/// An output folder on another file system than the project (`/dev/shm`, memory) cannot link
/// to the cache's files: the build writes its pages, and they are the same.
#[cfg(target_os = "linux")]
#[allow(clippy::print_stderr)] // a skip says so
#[test]
fn an_output_on_another_file_system_gets_its_pages_written() {
    use std::os::unix::fs::MetadataExt;
    let project = copy_fixture("cache");
    let root = project.path();
    let shm = Path::new("/dev/shm");
    let same =
        |a: &Path, b: &Path| fs::metadata(a).unwrap().dev() == fs::metadata(b).unwrap().dev();
    if !shm.is_dir() || same(shm, root) {
        eprintln!(
            "skipped: no /dev/shm on another file system than {}",
            root.display()
        );
        return;
    }
    for round in ["cold", "warm"] {
        let out = tempfile::tempdir_in(shm).unwrap();
        let stderr = build(root, &out.path().join("site"), &[]);
        assert!(cache_notes(&stderr).is_empty(), "{round}: {stderr}");
        let site = out.path().join("site");
        assert_same_site(fixture_site(), &tree(&site), round);
        let meta = fs::metadata(site.join("tools/diagram/index.html")).unwrap();
        assert_eq!(meta.nlink(), 1, "{round}");
    }
}
