//! What `serve` checks after an edit follows what each output read: a section's rendered
//! body is a read of its own, apart from its title, place and URL.

use crate::harness::{Site, assert_contains, assert_not_contains};
use crate::serve_harness::Server;

/// The number of outputs a patch checked, from its `how:` line.
fn checked(log: &str) -> usize {
    let how = log
        .lines()
        .find_map(|line| line.trim().strip_prefix("how: body edit: "))
        .unwrap_or_else(|| panic!("no body edit in:\n{log}"));
    how.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{how}"))
}

/// Editing the text of a blog's `_index.md` checks the outputs that show that text (the
/// blog's list pages), not every post that shows the blog's title in its breadcrumbs.
#[test]
fn a_section_body_edit_checks_only_what_shows_the_body() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Reads\nbase_url: https://example.org\nsearch: false\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\nAbout this blog.\n",
    );
    for n in 1..=12 {
        site.write(
            &format!("content/blog/2026-01-{n:02}-post-{n}.md"),
            &format!("---\ntitle: Post {n}\n---\nBody {n}.\n"),
        );
    }
    let server = Server::start(&site, &[]);
    let before = server.log().len();
    server.edit(|| {
        site.write(
            "content/blog/_index.md",
            "---\ntitle: Blog\nkind: blog\n---\nAll about this blog.\n",
        );
    });
    let log = server.log()[before..].to_string();
    assert_contains(&log, "rendered blog/index.html (view changed)");
    assert_not_contains(&log, "blog/post-1/");
    // The blog's two list pages (ten posts a page); its title, on every post, is the same.
    assert!(checked(&log) <= 3, "checked too many outputs:\n{log}");
    server.assert_matches_clean_build(&site, "blog body edited");
}
