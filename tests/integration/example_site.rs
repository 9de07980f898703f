//! The example site: it builds without warnings, and its pages work in a real browser.

use crate::browser::{Browser, StaticServer};
use crate::harness::assert_contains;

fn build_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site");
    let output = out.path().join("public");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args([
            "build",
            "--root",
            root,
            "--build-date",
            crate::harness::BUILD_DATE,
            "--output",
        ])
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "example site failed to build:\n{stderr}"
    );
    assert!(
        stderr.trim().is_empty(),
        "example site must build without warnings:\n{stderr}"
    );
    out
}

#[test]
fn example_site_has_every_page_kind() {
    let out = build_example();
    let public = out.path().join("public");
    let read =
        |p: &str| std::fs::read_to_string(public.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert_contains(
        &read("courses/social-media-management/index.html"),
        "Social Media Management for Business",
    );
    assert_contains(
        &read("courses/social-media-management/planning/strategy-workshop/index.html"),
        "1h 30m",
    );
    assert_contains(
        // Term pages paginate (`paginate_terms: 10`); the oldest post is on page 2.
        &read("tags/social-media-manager/page/2/index.html"),
        "train-the-person-you-appoint",
    );
    assert_contains(
        &read("case-studies/northwind-energy/index.html"),
        "Managing Director",
    );
    assert_contains(&read("journey/index.html"), "Baselining");
    assert_contains(&read("handbook/tools/index.html"), "Session kit");
    // Progress blogging: journey figures at the fixed build date, series, sectors, embeds.
    let journey = read("journey/index.html");
    assert_contains(&journey, "<dt>Elapsed</dt><dd>9 months</dd>");
    assert_contains(&journey, "<span class=\"progress-figure\">2 of 5</span>");
    assert_contains(
        &read("journey/milestones/gamified-training/index.html"),
        "Launching the Reply League",
    );
    assert_contains(
        &read("blog/a-report-your-board-will-read/index.html"),
        "Part 2 of 2 in the series",
    );
    assert_contains(
        &read("blog/replies-are-the-work/index.html"),
        "testimonial-embed",
    );
    assert_contains(
        &read("blog/plan-a-quarter-in-an-afternoon/index.html"),
        "embed-video",
    );
    assert_contains(
        &read("case-studies/sector/housing/index.html"),
        "Calder Vale Homes",
    );
    assert_contains(&read("testimonials/index.html"), "Helen Achterberg");
    assert_contains(&read("blog/archive/index.html"), "October 2025");
    assert_contains(
        &read("authors/maren-holt/index.html"),
        "All posts by Maren Holt",
    );
    // A third handbook level from a README.md, a print page, and the search bundle.
    assert_contains(
        &read("handbook/working-with-clients/templates/proposal-outline/index.html"),
        "Edit this page",
    );
    assert_contains(&read("handbook/print/index.html"), "Proposal outline");
    assert!(public.join("pagefind/pagefind.js").is_file());
}

#[test]
fn example_site_search_finds_a_handbook_page() {
    let out = build_example();
    let server = StaticServer::start(&out.path().join("public"));
    let browser = Browser::start();
    browser.goto(&server.url("/"));
    browser.wait_until("!document.querySelector('.site-search').hidden");
    browser.type_into("#site-search-input", "practice accounts");
    browser.wait_until("document.querySelectorAll('.site-search-link').length > 0");
    assert_eq!(browser.text(".site-search-title"), "Practice accounts");
    browser.click(".site-search-link");
    browser.wait_until("location.pathname === '/handbook/tools/practice-accounts/'");
}

#[test]
fn example_site_opens_in_a_browser() {
    let out = build_example();
    let server = StaticServer::start(&out.path().join("public"));
    let browser = Browser::start();
    browser.goto(&server.url("/"));
    assert_eq!(browser.title(), "Clearline Social");
    browser.click("a[href='/courses/']");
    browser.wait_until("location.pathname === '/courses/'");
    assert_contains(&browser.text("main h1"), "Courses");
    // Folded solutions open on click, without any script of ours.
    browser.goto(&server.url("/courses/social-media-management/foundations/channel-audit/"));
    assert_eq!(
        browser.eval("document.querySelector('details.solution').open"),
        serde_json::json!(false)
    );
    browser.click("details.solution > summary");
    assert_eq!(
        browser.eval("document.querySelector('details.solution').open"),
        serde_json::json!(true)
    );
}
