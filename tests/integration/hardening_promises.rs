//! Issue 18's promises, one test per way an outside review broke them: a failed build never
//! changes the live site, nothing outside the site is read or published, every URL is
//! sanitised, `check` finds what `build` would, and no input aborts or hangs the build.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{Site, assert_contains, assert_not_contains};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A copy of the example site, built `builds` times: once, the cache holds the live site's
/// manifest (the state in which a failed build once wrote through hard links); twice, also
/// a spare generation.
fn built(builds: usize) -> Site {
    let site = Site::new();
    copy_tree(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/example-site")),
        site.root(),
    );
    for _ in 0..builds {
        site.build().assert_ok();
    }
    site
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_failed_build_never_changes_the_live_site() {
    for front_matter in [
        "aliases: [\"/blog\"]",
        "aliases: [\"/handbook/\"]",
        "slug: about",
        "slug: blog",
        "slug: courses",
        "aliases: [\"/journey/\"]",
        "aliases: [\"/case-studies/\"]",
    ] {
        for builds in [1, 2] {
            let site = built(builds);
            let before = snapshot(&site.public());
            site.write(
                "content/al.md",
                &format!("---\ntitle: Al\n{front_matter}\n---\nx\n"),
            );
            let run = site.build();
            run.assert_code(1);
            assert_contains(&run.stderr, "sources write the same output");
            assert!(
                before == snapshot(&site.public()),
                "{front_matter}: the live site changed"
            );
            // The cause removed, the next build is whole and correct.
            site.remove("content/al.md");
            site.build().assert_ok();
            assert!(before == snapshot(&site.public()), "{front_matter}");
        }
    }
}

#[test]
fn a_failed_build_never_changes_the_live_site_after_rendering_either() {
    // An error found only while rendering (a broken link): pages already went to the
    // staging folder, some as hard links to the live site's files.
    let site = built(1);
    let before = snapshot(&site.public());
    site.write(
        "content/al.md",
        "---\ntitle: Al\n---\nA [broken](missing.md) link.\n",
    );
    site.build().assert_code(1);
    assert!(before == snapshot(&site.public()), "the live site changed");
}
