//! `build`'s cache in `.trailmark-cache/`: a warm build makes exactly the bytes a cold one
//! makes, reuses what did not change, and ignores a cache it cannot trust.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;

use crate::harness::{BUILD_DATE, Site, assert_contains, assert_not_contains};

const REUSED: &str = "from the last build";

fn site_with_pages() -> Site {
    let site = Site::new();
    for i in 0..6 {
        site.write(
            &format!("content/blog/post-{i}.md"),
            &format!(
                "---\ntitle: Post {i}\ndate: 2026-01-0{}\ntags: [notes]\n---\nIntro of post {i}.\n\n## Code\n\n```rust\nfn answer() -> u32 {{ {i} }}\n```\n\nSee [the guide](../guide.md#setup).\n",
                i + 1
            ),
        );
    }
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n## Setup\n\nInstall it.\n\n```python\nprint('hi')\n```\n",
    );
    site
}

/// Every output file and its bytes.
fn snapshot(site: &Site, folder: &str) -> BTreeMap<String, Vec<u8>> {
    let base = site.root().join(folder);
    let mut files = BTreeMap::new();
    let mut stack = vec![base.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn inode(site: &Site, output_path: &str) -> u64 {
    std::fs::metadata(site.public().join(output_path))
        .unwrap()
        .ino()
}

/// The cache is written to a temporary file renamed into place: a new inode each time.
fn markdown_cache_inode(site: &Site) -> u64 {
    std::fs::metadata(site.root().join(".trailmark-cache/markdown.bin"))
        .unwrap()
        .ino()
}

/// A build of the same files with no cache at all, into `cold/`.
#[track_caller]
fn assert_same_as_cold_build(site: &Site) {
    site.run(&[
        "build",
        "--no-cache",
        "--output",
        "cold",
        "--build-date",
        BUILD_DATE,
    ])
    .assert_ok();
    let warm = snapshot(site, "public");
    let cold = snapshot(site, "cold");
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        cold.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &cold {
        assert!(warm[path] == *bytes, "{path} differs from a cold build");
    }
}

/// Replaces the Trailmark version in a cache file's header with another of the same length.
fn change_version(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = bytes
        .windows(version.len())
        .position(|w| w == version)
        .expect("version in the header");
    for b in &mut bytes[at..at + version.len()] {
        if b.is_ascii_digit() {
            *b = if *b == b'9' { b'8' } else { b'9' };
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn warm_build_is_byte_identical_to_a_cold_build_and_rewrites_nothing() {
    let site = site_with_pages();
    let first = site.build();
    first.assert_ok();
    assert_not_contains(&first.stdout, REUSED);
    assert!(site.root().join(".trailmark-cache/markdown.bin").is_file());
    let before = snapshot(&site, "public");
    let page_inode = inode(&site, "blog/post-1/index.html");
    let markdown_inode = markdown_cache_inode(&site);

    let second = site.build();
    second.assert_ok();
    assert_contains(&second.stdout, "reused 7 Markdown renders and");
    assert_eq!(snapshot(&site, "public"), before);
    // Unchanged files are hard links to the previous build's, not rewritten.
    assert_eq!(inode(&site, "blog/post-1/index.html"), page_inode);
    // The Markdown cache held exactly these renders: it is not written again.
    assert_eq!(markdown_cache_inode(&site), markdown_inode);
    assert_same_as_cold_build(&site);
}

#[test]
fn editing_one_page_rewrites_only_what_shows_it() {
    let site = site_with_pages();
    site.build().assert_ok();
    let guide = inode(&site, "guide/index.html");
    let other_post = inode(&site, "blog/post-4/index.html");
    let edited = inode(&site, "blog/post-2/index.html");

    site.write(
        "content/blog/post-2.md",
        "---\ntitle: Post 2\ndate: 2026-01-03\ntags: [notes]\n---\nA new first line.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_contains(&run.stdout, "reused 6 Markdown renders");
    assert_contains(&site.read("blog/post-2/index.html"), "A new first line.");
    assert_ne!(inode(&site, "blog/post-2/index.html"), edited);
    assert_eq!(inode(&site, "guide/index.html"), guide);
    assert_eq!(inode(&site, "blog/post-4/index.html"), other_post);
    assert_same_as_cold_build(&site);
    // The edited page's new render was saved with the others.
    assert_contains(&site.build().stdout, "reused 7 Markdown renders");
}

#[test]
fn a_file_edited_by_hand_in_the_output_is_rewritten() {
    let site = site_with_pages();
    site.build().assert_ok();
    let path = site.public().join("guide/index.html");
    let original = std::fs::read_to_string(&path).unwrap();
    // Same size, different bytes, and a modification time far from the build's.
    std::fs::write(&path, original.replace("Install it.", "Install IT.")).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    site.build().assert_ok();
    assert_eq!(site.read("guide/index.html"), original);
    assert_same_as_cold_build(&site);
}

#[test]
fn corrupted_or_truncated_cache_files_are_ignored() {
    let site = site_with_pages();
    site.build().assert_ok();
    let cache = site.root().join(".trailmark-cache");
    let markdown = cache.join("markdown.bin");
    let mut bytes = std::fs::read(&markdown).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(&markdown, bytes).unwrap();
    let output = cache.join("output.bin");
    let bytes = std::fs::read(&output).unwrap();
    std::fs::write(&output, &bytes[..bytes.len() / 3]).unwrap();
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n## Setup\n\nInstall it twice.\n",
    );

    let run = site.build();
    run.assert_ok();
    assert_not_contains(&run.stdout, REUSED);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_contains(&site.read("guide/index.html"), "Install it twice.");
    assert_same_as_cold_build(&site);

    // A file that is not a cache at all is ignored the same way, and replaced.
    std::fs::write(&markdown, b"not a cache").unwrap();
    site.build().assert_ok();
    assert_same_as_cold_build(&site);
    assert_contains(&site.build().stdout, "reused 7 Markdown renders");
}

#[test]
fn template_and_config_changes_invalidate_what_they_change() {
    let site = site_with_pages();
    site.build().assert_ok();
    site.write(
        "templates/page.html",
        "<p>custom page: {{ page.title }}</p>\n",
    );
    site.build().assert_ok();
    assert_contains(&site.read("guide/index.html"), "custom page: Guide");
    assert_same_as_cold_build(&site);

    site.remove("templates/page.html");
    site.build().assert_ok();
    assert_contains(&site.read("blog/post-1/index.html"), "class=\"hl-");
    assert_same_as_cold_build(&site);

    // A new title: every page shows it, no Markdown render changes (the renders' key
    // holds the options the renderer takes from the config, not the whole config).
    site.write(
        "trailmark.yaml",
        "title: Retitled site\nbase_url: https://example.org\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_contains(&run.stdout, "reused 7 Markdown renders");
    assert_contains(&site.read("blog/post-1/index.html"), "Retitled site");
    assert_same_as_cold_build(&site);

    // Highlighting off: an option of the renderer, so every render is made again.
    site.write(
        "trailmark.yaml",
        "title: Renamed site\nbase_url: https://example.org\nhighlight:\n  enabled: false\n",
    );
    let run = site.build();
    run.assert_ok();
    // Files whose bytes did not change (stylesheets) are still kept; no render is.
    assert_not_contains(&run.stdout, "Markdown render");
    assert_contains(&site.read("blog/post-1/index.html"), "Renamed site");
    assert_not_contains(&site.read("blog/post-1/index.html"), "class=\"hl-");
    assert_same_as_cold_build(&site);
}

#[test]
fn a_cache_from_another_version_is_ignored() {
    let site = site_with_pages();
    site.build().assert_ok();
    assert_contains(&site.build().stdout, "reused 7 Markdown renders");
    let cache = site.root().join(".trailmark-cache");
    change_version(&cache.join("markdown.bin"));
    change_version(&cache.join("output.bin"));
    let run = site.build();
    run.assert_ok();
    assert_not_contains(&run.stdout, REUSED);
    assert_same_as_cold_build(&site);
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = site_with_pages();
    site.run(&["build", "--no-cache", "--build-date", BUILD_DATE])
        .assert_ok();
    assert!(!site.root().join(".trailmark-cache").exists());
    site.build().assert_ok();
    let run = site.run(&["build", "--no-cache", "--build-date", BUILD_DATE]);
    run.assert_ok();
    assert_not_contains(&run.stdout, REUSED);
}

/// Every folder under `folder`, relative: a warm build leaves no empty folder a cold one
/// would not have.
fn folders(site: &Site, folder: &str) -> Vec<String> {
    let base = site.root().join(folder);
    let mut found = Vec::new();
    let mut stack = vec![base.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.push(
                    path.strip_prefix(&base)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_previous_output_is_kept_and_updated_in_place_into_exactly_the_new_site() {
    let site = site_with_pages();
    site.build().assert_ok();
    site.build().assert_ok();
    let spare = site.root().join(".trailmark-cache/previous-output");
    assert!(
        spare.join(".trailmark-output").is_file(),
        "the pushed-out site is kept"
    );
    // The spare shares its files with the live site: it costs folders, not a copy.
    let live_inode = inode(&site, "guide/index.html");
    assert_eq!(
        std::fs::metadata(spare.join("guide/index.html"))
            .unwrap()
            .ino(),
        live_inode
    );

    // Changes of every kind before the build that updates the spare: a page removed, one
    // added, one edited, a page where a file was (and a folder where a page was), and
    // strays the spare's manifest does not know about, in the spare and in the live site.
    site.remove("content/blog/post-5.md");
    site.write(
        "content/blog/post-9.md",
        "---\ntitle: Post 9\ndate: 2026-01-20\n---\nNew.\n",
    );
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n## Setup\n\nInstall it again.\n",
    );
    std::fs::write(spare.join("blog/stray.html"), "stray").unwrap();
    std::fs::create_dir_all(spare.join("old-folder/deeper")).unwrap();
    std::fs::write(spare.join("old-folder/deeper/x.html"), "x").unwrap();
    std::fs::write(
        spare.join("notes"),
        "a file where the next build puts a folder",
    )
    .unwrap();
    site.write("content/notes.md", "---\ntitle: Notes\n---\nNotes page.\n");
    let run = site.build();
    run.assert_ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_contains(&site.read("guide/index.html"), "Install it again.");
    assert!(!site.public().join("blog/post-5/index.html").exists());
    assert_contains(&site.read("notes/index.html"), "Notes page.");
    assert_same_as_cold_build(&site);
    assert_eq!(folders(&site, "public"), folders(&site, "cold"));
    // The site it replaced is the spare now, and the guide written before it is intact.
    assert_eq!(
        std::fs::metadata(spare.join("guide/index.html"))
            .unwrap()
            .ino(),
        live_inode
    );
    assert_not_contains(
        &std::fs::read_to_string(spare.join("guide/index.html")).unwrap(),
        "Install it again.",
    );

    // Once more through the spare the first update left, with another edit.
    site.write(
        "content/blog/post-1.md",
        "---\ntitle: Post 1\ndate: 2026-01-02\n---\nEdited.\n",
    );
    site.build().assert_ok();
    assert_same_as_cold_build(&site);
    assert_eq!(folders(&site, "public"), folders(&site, "cold"));
}

#[test]
fn a_failed_build_never_writes_through_to_the_live_site_and_keeps_the_spare() {
    let site = site_with_pages();
    site.build().assert_ok();
    site.build().assert_ok();
    let live = snapshot(&site, "public");
    let spare = site.root().join(".trailmark-cache/previous-output");
    assert!(spare.is_dir());

    // Every page renders again (a template change) while another file has an error: the
    // spare's files are hard links to the live ones, and none of them may be written
    // through.
    site.write("templates/page.html", "<p>changed: {{ page.title }}</p>\n");
    site.write("content/broken.md", "---\ntitle: [unclosed\n---\nBody.\n");
    let failed = site.build();
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert_eq!(
        snapshot(&site, "public"),
        live,
        "the live site is untouched"
    );
    assert!(
        spare.is_dir(),
        "the half-updated spare is kept for the next build"
    );

    site.remove("content/broken.md");
    site.build().assert_ok();
    assert_contains(&site.read("guide/index.html"), "changed: Guide");
    assert_same_as_cold_build(&site);
    assert_eq!(folders(&site, "public"), folders(&site, "cold"));
}

#[test]
fn the_search_index_is_kept_while_the_indexed_pages_are_the_same() {
    let site = site_with_pages();
    site.build().assert_ok();
    let entry = "pagefind/pagefind-entry.json";
    assert!(
        site.public().join(entry).is_file(),
        "search is on by default"
    );
    let indexed = inode(&site, entry);

    // Nothing a reader can find changed: the bundle is linked, not indexed again.
    site.build().assert_ok();
    assert_eq!(inode(&site, entry), indexed);
    assert_same_as_cold_build(&site);

    // A page's text changed: the index is made again, exactly as a cold build makes it.
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n## Setup\n\nInstall it with zanzibarite.\n",
    );
    site.build().assert_ok();
    assert_ne!(inode(&site, entry), indexed);
    assert_same_as_cold_build(&site);

    // With search switched off, the bundle goes, and it comes back when it is on again.
    let config = "title: Test site\nbase_url: https://example.org\n";
    site.write("trailmark.yaml", &format!("{config}search: false\n"));
    site.build().assert_ok();
    assert!(!site.public().join("pagefind").exists());
    assert_same_as_cold_build(&site);
    site.write("trailmark.yaml", config);
    site.build().assert_ok();
    assert!(site.public().join(entry).is_file());
    assert_same_as_cold_build(&site);
}
