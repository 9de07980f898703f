//! `trailmark serve` after edits that change series, journeys, case-study sectors and
//! aliases: each is patched like a term edit (the graph assembled again, compared by key,
//! the outputs whose reads meet a change rendered again), never a full run, and what it
//! serves is byte for byte what a clean `trailmark build` writes.

use crate::harness::{Site, assert_contains, assert_not_contains};
use crate::serve_harness::Server;

const JOURNEY: &str = "---
kind: journey
title: Going places
goal: Get there.
started: 2026-01-01
deadline: 2026-12-31
milestones:
  - { id: first-steps, title: First steps, due: 2026-03-01, status: done }
  - { id: halfway, title: Halfway, due: 2026-07-01, status: in-progress }
---
Why.
";

/// A blog with two series, a journey with milestones, case studies in two sectors, and a
/// page with an alias.
fn fixture() -> Site {
    let site = Site::new();
    let post =
        |title: &str, extra: &str| format!("---\ntitle: {title}\n{extra}---\n{title} body.\n");
    site.write(
        "trailmark.yaml",
        "title: Series test\nbase_url: https://example.org\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    )
    .write(
        "content/blog/2026-01-01-one.md",
        &post("One", "series: Measuring\n"),
    )
    .write(
        "content/blog/2026-02-01-two.md",
        &post("Two", "series: Measuring\naliases: [/old/two/]\n"),
    )
    .write("content/blog/2026-03-01-three.md", &post("Three", ""))
    .write(
        "content/blog/2026-04-01-four.md",
        &post("Four", "series: Launch\n"),
    )
    .write("content/journey/_index.md", JOURNEY)
    .write(
        "content/journey/2026-02-01-start.md",
        &post("Start", "milestone: first-steps\n"),
    )
    .write(
        "content/journey/2026-05-01-later.md",
        &post("Later", "milestone: halfway\n"),
    )
    .write(
        "content/work/_index.md",
        "---\ntitle: Work\nkind: case-studies\n---\n",
    )
    .write(
        "content/work/acme.md",
        &post("Acme", "client: Acme Ltd\nsector: Retail\n"),
    )
    .write(
        "content/work/globex.md",
        &post("Globex", "client: Globex\nsector: Energy\n"),
    );
    site
}

/// The rebuild was a patch of the kind `how` names (`page edit`, `section edit`).
#[track_caller]
fn patched(log: &str, how: &str) {
    assert_contains(log, &format!("how: {how}: "));
    assert_not_contains(log, "how: recomputed");
}

#[test]
fn series_edits_are_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // A post joins an existing series: the series' page and feed, the other posts' series
    // boxes (their count) and the series index change.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-03-01-three.md",
            "title: Three\n",
            "title: Three\nseries: Measuring\n",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered series/measuring/index.html");
    assert_contains(&log, "rendered series/measuring/atom.xml");
    assert_contains(&log, "rendered blog/one/index.html");
    assert_not_contains(&log, "rendered series/launch/");
    assert_not_contains(&log, "rendered blog/four/index.html");
    server.assert_matches_clean_build(&site, "post added to a series");
    // A post moves to another series: both series change.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-03-01-three.md",
            "series: Measuring",
            "series: Launch",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered series/launch/index.html");
    assert_contains(&log, "rendered blog/four/index.html");
    assert_contains(&log, "rendered blog/two/index.html");
    server.assert_matches_clean_build(&site, "post moved to another series");
    // A new series, sorted before the others (their positions shift, their keys do not).
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-03-01-three.md",
            "series: Launch",
            "series: A beginning",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered series/a-beginning/index.html (new)");
    server.assert_matches_clean_build(&site, "new series");
    // The series' only post leaves it: the series is gone.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-03-01-three.md",
            "series: A beginning\n",
            "",
        );
    });
    patched(&log, "page edit");
    server.assert_matches_clean_build(&site, "series gone");
}

#[test]
fn a_journey_milestone_edit_is_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // A milestone's status and title: the journey page, the milestone pages, and the posts
    // whose cards and pages show the milestone.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/journey/_index.md",
            "title: Halfway, due: 2026-07-01, status: in-progress",
            "title: Half the way, due: 2026-07-01, status: done",
        );
    });
    patched(&log, "section edit");
    assert_contains(&log, "rendered journey/index.html");
    assert_contains(&log, "rendered journey/milestones/halfway/index.html");
    assert_contains(&log, "rendered journey/later/index.html");
    assert_not_contains(&log, "rendered blog/one/index.html");
    server.assert_matches_clean_build(&site, "milestone changed");
    // A new milestone, and a post joining it.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/journey/_index.md",
            "---\nWhy.",
            "  - { id: done, title: Done, due: 2026-12-01 }\n---\nWhy.",
        );
    });
    patched(&log, "section edit");
    assert_contains(&log, "rendered journey/milestones/done/index.html (new)");
    server.assert_matches_clean_build(&site, "milestone added");
    let log = server.rebuild_log(|| {
        site.replace(
            "content/journey/2026-05-01-later.md",
            "milestone: halfway",
            "milestone: done",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered journey/milestones/done/index.html");
    assert_contains(&log, "rendered journey/milestones/halfway/index.html");
    server.assert_matches_clean_build(&site, "post moved to another milestone");
}

#[test]
fn a_case_study_sector_change_is_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // Acme leaves Retail (the sector is gone) for Energy.
    let log = server.rebuild_log(|| {
        site.replace("content/work/acme.md", "sector: Retail", "sector: Energy");
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered work/index.html");
    assert_contains(&log, "rendered work/sector/energy/index.html");
    assert_not_contains(&log, "rendered blog/");
    server.assert_matches_clean_build(&site, "case study moved to another sector");
    // A new sector.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/work/globex.md",
            "sector: Energy",
            "sector: Banking",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered work/sector/banking/index.html (new)");
    server.assert_matches_clean_build(&site, "new sector");
}

#[test]
fn aliases_added_and_removed_are_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    // A new alias is a new redirect page, sorted before the one there is.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-01-01-one.md",
            "title: One\n",
            "title: One\naliases: [/a/one/]\n",
        );
    });
    patched(&log, "page edit");
    assert_contains(&log, "rendered a/one/index.html (new)");
    server.assert_matches_clean_build(&site, "alias added");
    // An alias that points elsewhere now.
    let log = server.rebuild_log(|| {
        site.replace("content/blog/2026-01-01-one.md", "aliases: [/a/one/]\n", "");
        site.replace(
            "content/blog/2026-03-01-three.md",
            "title: Three\n",
            "title: Three\naliases: [/a/one/]\n",
        );
    });
    assert_not_contains(&log, "how: recomputed");
    assert_contains(&log, "rendered a/one/index.html");
    server.assert_matches_clean_build(&site, "alias moved to another page");
    // An alias removed: its redirect page is gone.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-two.md",
            "aliases: [/old/two/]\n",
            "",
        );
    });
    patched(&log, "page edit");
    server.assert_matches_clean_build(&site, "alias removed");
    assert_eq!(server.get("/old/two/").status, 404);
}
