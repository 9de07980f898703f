//! Page and section ids come from documents and stay the same for a whole `serve` session,
//! so a session numbers pages in the order it met their files, and a clean build numbers
//! the same files otherwise. Nothing a user sees may follow that numbering: every list,
//! feed, sitemap, navigation and search record comes from the graph's order.

use crate::harness::{Site, assert_not_contains};
use crate::serve_harness::Server;

/// A post of the blog: all share one date, so the blog, feeds and term pages order them
/// by title, then by file. A post in a series changes the series, which `serve` runs the
/// whole pipeline for (with the session's ids); the others are patched.
fn post(title: &str, tags: &str, series: bool) -> String {
    let series = if series { "series: Steps\n" } else { "" };
    format!("---\ntitle: {title}\ndate: 2026-03-01\ntags: [{tags}]\n{series}---\n{title} body.\n")
}

/// A case study with a testimonial and no date: the testimonials page lists them in site
/// order.
fn case(client: &str) -> String {
    format!(
        "---\ntitle: {client} case\nclient: {client}\ntestimonial:\n  quote: Thanks from {client}.\n  name: {client}\n---\nHow it went.\n"
    )
}

/// Pages added to a running `serve` in the reverse of the order a clean build meets them
/// (so each new page gets an id after every page it is listed after, and the session's ids
/// run against the clean build's): after each addition, and after a full run of the whole
/// pipeline with the session's ids, what is served is byte for byte a clean build.
#[test]
fn outputs_do_not_depend_on_the_order_ids_were_given() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        // Search off: the live index can lag one rebuild behind in `serve` (issue 21).
        "title: Ids\nbase_url: https://example.org\nsearch: false\nmenu:\n  - { name: Blog, url: /blog/ }\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\npaginate_by: 2\n---\n",
    )
    .write("content/blog/zulu.md", &post("Same", "omega, alpha", true))
    .write(
        "content/handbook/_index.md",
        "---\ntitle: Handbook\nkind: handbook\n---\n",
    )
    .write("content/handbook/zz.md", "# Zed\n\nLast page.\n")
    .write("content/notes/zz.md", "---\ntitle: Note\n---\nA note.\n")
    .write(
        "content/cases/_index.md",
        "---\ntitle: Cases\nkind: case-studies\n---\n",
    )
    .write("content/cases/zz.md", &case("Zed"));
    let server = Server::start(&site, &[]);
    server.assert_matches_clean_build(&site, "start");

    // Each added file sorts before every page already there.
    let added = [
        ("content/cases/yy.md", case("Yankee")),
        ("content/cases/xx.md", case("Xray")),
        ("content/blog/yankee.md", post("Same", "alpha", false)),
        ("content/blog/xray.md", post("Other", "omega", true)),
        (
            "content/blog/whiskey.md",
            post("Same", "alpha, omega", false),
        ),
        (
            "content/handbook/yy.md",
            "# Yankee\n\nA page.\n".to_string(),
        ),
        ("content/handbook/xx.md", "# Same\n\nA page.\n".to_string()),
        (
            "content/notes/yy.md",
            "---\ntitle: Note\n---\nAnother note.\n".to_string(),
        ),
        (
            "content/notes/xx.md",
            "---\ntitle: Note\n---\nA third note.\n".to_string(),
        ),
    ];
    let mut patched = 0;
    for (path, text) in &added {
        let before = server.log().len();
        server.edit(|| {
            site.write(path, text);
        });
        patched +=
            usize::from(server.log()[before..].contains("how: pages added, removed or moved: "));
        server.assert_matches_clean_build(&site, &format!("adding {path}"));
    }
    assert!(patched >= 7, "only {patched} additions were patched");

    // A template edit runs the whole pipeline, with the ids the session gave.
    let before = server.log().len();
    server.edit(|| {
        site.write("templates/robots.txt", "User-agent: *\nAllow: /\n");
    });
    let log = server.log()[before..].to_string();
    assert_not_contains(&log, "how: pages added");
    server.assert_matches_clean_build(&site, "a full run with the session's ids");

    // A page removed and added again keeps its id; the one after it moves up in every list.
    for step in ["removed", "added again"] {
        server.edit(|| {
            if step == "removed" {
                site.remove("content/blog/yankee.md");
            } else {
                site.write("content/blog/yankee.md", &post("Same", "alpha", false));
            }
        });
        server.assert_matches_clean_build(&site, &format!("yankee {step}"));
    }
}
