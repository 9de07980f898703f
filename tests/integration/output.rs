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

/// Builds killed at random moments leave either the complete old site or the complete new
/// one, never a mix or a missing folder; the next successful build cleans up.
#[test]
fn killed_builds_never_leave_a_partial_site() {
    let site = Site::new();
    for i in 0..150 {
        site.write(
            &format!("content/p{i}.md"),
            &format!(
                "---\ntitle: Page {i}\n---\n## Part\n\n```rust\nfn f() -> u32 {{ {i} }}\n```\n"
            ),
        );
    }
    let set_generation = |g: u32| {
        site.write(
            "trailmark.yaml",
            &format!("title: Generation {g}\nbase_url: https://example.org\n"),
        )
    };
    set_generation(0);
    site.build().assert_ok();
    let expected_files = site.outputs();
    // A deterministic spread of kill delays, from before the first write to after the swap.
    let mut delay_ms = 7u64;
    for generation in 1..=25u32 {
        set_generation(generation);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args([
                "build",
                "--quiet",
                "--build-date",
                crate::harness::BUILD_DATE,
            ])
            .current_dir(site.root())
            .spawn()
            .unwrap();
        delay_ms = (delay_ms * 37 + 11) % 400;
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            site.outputs(),
            expected_files,
            "generation {generation}: the file set changed"
        );
        let titles: std::collections::BTreeSet<String> = expected_files
            .iter()
            .filter(|f| {
                f.starts_with('p')
                    && std::path::Path::new(f)
                        .extension()
                        .is_some_and(|e| e == "html")
            })
            .map(|f| {
                let html = site.read(f);
                let start = html.find("Generation ").expect("site title in page");
                html[start..start + 14]
                    .split(|c: char| !c.is_alphanumeric() && c != ' ')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            titles.len(),
            1,
            "generation {generation}: pages from different builds: {titles:?}"
        );
    }
    site.build().assert_ok();
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".trailmark-") && !n.contains(".trailmark-cache"))
        .collect();
    assert!(leftovers.is_empty(), "stale folders left: {leftovers:?}");
}
