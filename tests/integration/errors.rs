//! Broken input: exact messages, every problem reported, nothing written.

use crate::harness::{Site, assert_contains};

fn good_site() -> Site {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    site.write("content/ok.md", "---\ntitle: OK\n---\n");
    site
}

#[test]
fn missing_front_matter_delimiter() {
    let site = good_site();
    site.write(
        "content/bad.md",
        "---\ntitle: Broken\n\nNo closing fence.\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        ["content/bad.md:1:1: error: front matter opened with `---` is never closed"]
    );
    assert_contains(&run.stderr, " 1 | ---");
}

#[test]
fn yaml_syntax_error_points_at_the_line_in_the_file() {
    let site = good_site();
    site.write(
        "content/bad.md",
        "---\ntitle: Fine\ntags: [a, b\ndate: 2025-01-01\n---\n",
    );
    let run = site.build();
    run.assert_code(1);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("content/bad.md:4:"),
        "{}",
        diagnostics[0]
    );
    assert_contains(&diagnostics[0], "error: YAML syntax error:");
}

#[test]
fn unknown_config_key_with_suggestion() {
    let site = good_site();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntaxonomeis: [tags]\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        ["trailmark.yaml:3:1: error: unknown key `taxonomeis`; did you mean `taxonomies`?"]
    );
    assert_contains(&run.stderr, " 3 | taxonomeis: [tags]\n   | ^");
}

#[test]
fn broken_links_are_errors_with_position() {
    let site = good_site();
    site.write("content/links.md", "---\ntitle: Links\n---\n\nSee [gone](gone.md) and\n[ok](ok.md#nowhere) and [self](#missing).\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/links.md:5:5: error: link to missing page `gone.md` (no content/gone.md)",
            "content/links.md:6:1: error: link to missing anchor `#nowhere` in content/ok.md",
            "content/links.md:6:25: error: link to missing anchor `#missing`",
        ]
    );
}

#[test]
fn broken_links_can_be_warnings() {
    let site = good_site();
    site.write(
        "trailmark.yaml",
        "title: T\nmarkdown:\n  broken_links: warn\n",
    );
    site.write(
        "content/links.md",
        "---\ntitle: Links\n---\n[gone](gone.md)\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        ["content/links.md:4:1: warning: link to missing page `gone.md` (no content/gone.md)"]
    );
}

#[test]
fn missing_linked_file_is_an_error() {
    let site = good_site();
    site.write(
        "content/img.md",
        "---\ntitle: Img\n---\n![chart](fig/chart.png)\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/img.md:4:1: error: link to missing file `fig/chart.png` (no content/fig/chart.png)"
        ]
    );
}

#[test]
fn duplicate_urls_name_every_source() {
    let site = good_site();
    site.write("content/a.md", "---\ntitle: A\n---\n");
    site.write("content/other.md", "---\ntitle: Other\nslug: a\n---\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/a.md: error: 2 sources write the same output `a/index.html`: content/a.md, content/other.md:3"
        ]
    );
}

#[test]
fn missing_template_is_named() {
    let site = good_site();
    site.write("content/t.md", "---\ntitle: T\ntemplate: fancy.html\n---\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/t.md: error: template `fancy.html` (from `template:`) not found in the theme or templates/"
        ]
    );
}

#[test]
fn template_errors_name_template_line_and_page() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{{ page.nonexistent.deeper }}\n",
    );
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.iter().all(|l| l.starts_with("templates/page.html:2:")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.contains("(while rendering content/ok.md)")),
        "{d:?}"
    );
}

#[test]
fn template_syntax_error_shows_the_line() {
    let site = good_site();
    site.write("templates/page.html", "<h1>{{ page.title }</h1>\n");
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].starts_with("templates/page.html:1:"), "{d:?}");
    assert_contains(&run.stderr, " 1 | <h1>{{ page.title }</h1>");
}

#[test]
fn every_problem_is_reported_sorted() {
    let site = good_site();
    site.write("content/z.md", "---\ndate: not-a-date\n---\n");
    site.write("content/a.md", "---\nweight: heavy\n---\n");
    site.write("content/m.md", "---\ntitle: [unclosed\n---\n");
    let run = site.build();
    run.assert_code(1);
    let files: Vec<String> = run
        .diagnostics()
        .iter()
        .map(|d| d.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(files, ["content/a.md", "content/m.md", "content/z.md"]);
    assert_contains(&run.stderr, "3 errors, 0 warnings; nothing was written");
}

#[test]
fn bad_values_in_front_matter() {
    let site = good_site();
    site.write("content/d.md", "---\ntitle: D\ndate: 2025-02-30\n---\n");
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/d.md:3:1: error: `date`: invalid date `2025-02-30`; expected YYYY-MM-DD, optionally with a time"
        ]
    );
}

#[test]
fn non_utf8_file_names_the_position() {
    let site = good_site();
    site.write_bytes("content/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/latin1.md:2:11: error: file is not valid UTF-8 (byte offset 14); save it as UTF-8"
        ]
    );
}

#[test]
fn check_reports_the_same_problems_as_build() {
    let site = good_site();
    site.write("content/links.md", "[gone](gone.md)\n");
    let build = site.build();
    let check = site.check();
    check.assert_code(1);
    assert_eq!(build.diagnostics(), check.diagnostics());
}

#[test]
fn missing_config_is_explained() {
    let site = Site::new();
    site.remove("trailmark.yaml");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "is this a Trailmark site? `trailmark init` makes one",
    );
}
