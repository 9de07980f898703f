//! The command line itself: help, version, init, exit codes, summaries.

use crate::harness::{Site, assert_contains};

#[test]
fn help_lists_every_command_and_version_works() {
    let site = Site::new();
    let help = site.run(&["--help"]);
    help.assert_ok();
    for command in ["init", "build", "check"] {
        assert_contains(&help.stdout, command);
    }
    assert_contains(&help.stdout, "Exit codes");
    let build_help = site.run(&["build", "--help"]);
    for flag in [
        "--root",
        "--output",
        "--drafts",
        "--base-url",
        "--build-date",
    ] {
        assert_contains(&build_help.stdout, flag);
    }
    let version = site.run(&["--version"]);
    version.assert_ok();
    assert_contains(&version.stdout, env!("CARGO_PKG_VERSION"));
}

#[test]
fn usage_errors_exit_with_two() {
    let site = Site::new();
    site.run(&["build", "--no-such-flag"]).assert_code(2);
    site.run(&["frobnicate"]).assert_code(2);
}

#[test]
fn init_scaffolds_a_site_that_builds_without_warnings() {
    let site = Site::new();
    site.run(&["init", "fresh"]).assert_ok();
    let run = site.run(&["build", "--root", "fresh"]);
    run.assert_ok();
    assert!(
        run.stderr.trim().is_empty(),
        "init site must build cleanly:\n{}",
        run.stderr
    );
    assert_contains(&run.stdout, "Built ");
    let public = site.root().join("fresh/public");
    for page in [
        "index.html",
        "blog/hello/index.html",
        "courses/first-course/getting-started/index.html",
        "case-studies/example-client/index.html",
        "handbook/how-we-work/index.html",
    ] {
        assert!(public.join(page).is_file(), "missing {page}");
    }
    // The build's output, temporary folders and cache are kept out of git.
    assert_eq!(
        std::fs::read_to_string(site.root().join("fresh/.gitignore")).unwrap(),
        "# What `trailmark build` writes: the site (output_dir in trailmark.yaml), a build's\n\
         # temporary folders next to it, and the cache that makes the next build fast.\n\
         /public/\n/.public.trailmark-*/\n/.trailmark-cache/\n"
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = Site::new();
    let run = site.run(&["init", "."]);
    run.assert_code(2);
    assert_contains(&run.stderr, "is not empty");
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi\n");
    site.write("content/a.md", "# A\n");
    let run = site.build();
    run.assert_ok();
    let line = run.stdout.trim();
    assert!(
        line.starts_with("Built 1 page and 1 section into "),
        "{line}"
    );
    assert!(line.ends_with(" ms"), "{line}");
}

#[test]
fn check_writes_nothing_and_reports_success() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    let run = site.check();
    run.assert_ok();
    assert_contains(&run.stdout, "Checked 1 page");
    assert!(!site.public().exists());
}

#[test]
fn root_flag_builds_another_folder() {
    let outer = Site::new();
    outer.write("inner/trailmark.yaml", "title: Inner\n");
    outer.write("inner/content/x.md", "# X\n");
    outer.run(&["build", "--root", "inner"]).assert_ok();
    assert!(outer.root().join("inner/public/x/index.html").is_file());
}
