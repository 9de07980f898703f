//! Fixture sites as folders: each `tests/sites/<case>/input` is a site, built with the
//! default theme and a fixed build date, and its whole output must equal
//! `tests/sites/<case>/expected` byte for byte (missing, extra and different files are all
//! reported, with a unified diff). After an intended change to the theme or the output,
//! rewrite them with `TRAILMARK_BLESS=1 cargo test --test integration sites` and review the
//! diff like any other change. A new case is a new folder: write `input/`, bless, review.
//! Pagefind's own client files are left out of `expected/` (see [`is_pagefind_client`]), and
//! so are the default theme's static files, which must equal the theme's own (see
//! [`theme_copies_match_the_theme`]): a copy in `expected/` had to be re-blessed after every
//! theme edit and said nothing more.

use std::path::{Path, PathBuf};

use crate::harness::{BUILD_DATE, assert_tree, read_tree, tree_difference, unified_diff};

const SITES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sites");
const THEME_STATIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static");

/// Checks every file the default theme ships as a static file is in `public` with the
/// theme's bytes (its stylesheets minified, as they are embedded), and removes it there, so
/// `expected/` holds only what the site made.
fn theme_copies_match_the_theme(public: &Path) {
    for (rel, mut bytes) in read_tree(Path::new(THEME_STATIC)) {
        if Path::new(&rel)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("css"))
        {
            bytes = trailmark::css_minify::minify(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        let built = public.join(&rel);
        let copied = std::fs::read(&built)
            .unwrap_or_else(|e| panic!("the theme's {rel} is not in the site: {e}"));
        assert!(copied == bytes, "{rel} differs from the theme's own file");
        std::fs::remove_file(built).unwrap();
    }
}

/// Pagefind's own client files, which the build copies from the `pagefind` crate unchanged:
/// not ours to keep in the repository (the search tests check they are there). The index
/// files beside them are made from the site and are compared.
fn is_pagefind_client(rel: &str) -> bool {
    rel.strip_prefix("pagefind/").is_some_and(|name| {
        name == "pagefind.js" || name == "pagefind-worker.js" || name.starts_with("wasm.")
    })
}

/// Copies `input` into a temp folder with every file's modification time pinned (pages
/// show when their file last changed, so a checkout's times would change the output daily)
/// and builds it.
fn build_case(input: &Path) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(483_552 * 3600);
    for (rel, bytes) in read_tree(input) {
        let path = work.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args(["build", "--build-date", BUILD_DATE])
        .current_dir(work.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} failed to build:\n{}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    work
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(SITES)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("input").is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_site_builds_its_expected_tree() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases in {SITES}");
    for case in cases {
        let work = build_case(&case.join("input"));
        let public = work.path().join("public");
        for rel in read_tree(&public)
            .into_keys()
            .filter(|rel| is_pagefind_client(rel))
        {
            std::fs::remove_file(public.join(rel)).unwrap();
        }
        theme_copies_match_the_theme(&public);
        assert_tree(&case.join("expected"), &public);
    }
}

/// The comparer itself: one changed byte, one missing and one extra file are each reported,
/// with a unified diff of the changed line.
#[test]
fn tree_comparison_reports_every_difference() {
    let expected = tempfile::tempdir().unwrap();
    let actual = tempfile::tempdir().unwrap();
    let write = |root: &Path, rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let page = "one\ntwo\nthree\nfour\nfive\nsix\n";
    for root in [expected.path(), actual.path()] {
        write(root, "a/index.html", page);
    }
    assert_eq!(tree_difference(expected.path(), actual.path()), None);

    write(
        actual.path(),
        "a/index.html",
        "one\ntwo\nthree\nfouR\nfive\nsix\n",
    );
    write(expected.path(), "gone.xml", "<x/>\n");
    write(actual.path(), "new/extra.css", "a{}\n");
    let report = tree_difference(expected.path(), actual.path()).unwrap();
    assert_eq!(
        report,
        "missing: gone.xml\n\
         extra: new/extra.css\n\
         different: a/index.html\n\
         --- expected/a/index.html\n\
         +++ actual/a/index.html\n\
         @@ -1,6 +1,6 @@\n \
         one\n \
         two\n \
         three\n\
         -four\n\
         +fouR\n \
         five\n \
         six\n"
    );
}

#[test]
fn unified_diff_marks_a_missing_final_newline() {
    assert_eq!(
        unified_diff("f", b"a\nb\n", b"a\nb"),
        "--- expected/f\n+++ actual/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"
    );
}
