//! The output folder: replaced only on success, never a folder Trailmark did not make.

use crate::harness::{Site, assert_contains};

#[test]
fn failed_build_leaves_the_previous_site() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: First\n---\n");
    site.build().assert_ok();
    let before = site.read("a/index.html");
    site.write("content/a.md", "---\ntitle: Second\n---\n[x](missing.md)\n");
    site.build().assert_code(1);
    assert_eq!(site.read("a/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("trailmark-staging") || n.contains("trailmark-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn removed_pages_disappear_from_the_output() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    site.write("content/b.md", "# B\n");
    site.build().assert_ok();
    assert!(site.exists("b/index.html"));
    site.remove("content/b.md");
    site.build().assert_ok();
    assert!(!site.exists("b/index.html"));
}

#[test]
fn refuses_a_foreign_non_empty_output_folder() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    site.write("mine/important.txt", "do not delete");
    let run = site.run(&["build", "--output", "mine"]);
    run.assert_code(2);
    assert_contains(&run.stderr, "non-empty folder Trailmark did not create");
    assert!(site.root().join("mine/important.txt").is_file());
}

#[test]
fn refuses_dangerous_output_folders() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    for (output, why) in [
        (".", "contains the site itself"),
        ("content/out", "inside the site's content/ folder"),
        ("/", "file system root"),
    ] {
        let run = site.run(&["build", "--output", output]);
        run.assert_code(2);
        assert_contains(&run.stderr, why);
    }
    assert!(site.root().join("content/a.md").is_file());
}

#[test]
fn empty_output_folder_is_accepted() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    std::fs::create_dir_all(site.root().join("public")).unwrap();
    site.build().assert_ok();
    assert!(site.exists("a/index.html"));
    assert!(site.exists(".trailmark-output"));
}
