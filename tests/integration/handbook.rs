//! Handbooks end to end: a tree of Markdown with no front matter, three levels deep,
//! `README.md` indexes, folder links, owners and review dates, git dates, print page.

use crate::harness::{Site, assert_contains, assert_ids_unique_and_linked, assert_not_contains};

/// A GitHub-style handbook: only the top folder has front matter.
fn handbook() -> Site {
    let site = Site::new();
    site.write(
        "content/handbook/_index.md",
        "---\nkind: handbook\ntitle: Acme Handbook\n---\nStart with [people](01-people/) or [tools](02-tools/README.md).\n",
    );
    site.write(
        "content/handbook/01-people/README.md",
        "# People\n\nHow we work together. New here? Read [onboarding](onboarding).\n",
    );
    site.write(
        "content/handbook/01-people/01-hiring.md",
        "# Hiring\n\nWe hire slowly.\n",
    );
    site.write(
        "content/handbook/01-people/onboarding/README.md",
        "# Onboarding\n\nYour first weeks. Back to [people](../README.md).\n",
    );
    site.write(
        "content/handbook/01-people/onboarding/01-first-day.md",
        "---\nowner: Ops team\nreview_by: 2026-01-15\n---\n# Your first day\n\nBring a laptop. Then read [the second week](02-second-week.md#goals).\n",
    );
    site.write(
        "content/handbook/01-people/onboarding/02-second-week.md",
        "# The second week\n\n## Goals\n\nShip something small.\n\n## Habits\n\nWrite it down.\n",
    );
    site.write(
        "content/handbook/02-tools/README.md",
        "# Tools\n\nOur kit.\n",
    );
    site.write(
        "content/handbook/02-tools/editor.md",
        "# Editor\n\nAny editor will do. [Handbook home](../)\n",
    );
    site.write(
        "content/handbook/02-tools/advanced-setup/shortcuts.md",
        "# Shortcuts\n\nLearn three.\n",
    );
    site.write(
        "content/handbook/03-glossary/index.md",
        "# Glossary\n\nWords we use.\n",
    );
    site
}

fn prev_next(html: &str) -> (Option<String>, Option<String>) {
    let href_after = |marker: &str| {
        html.find(marker).map(|at| {
            let before = &html[..at];
            let start = before.rfind("href=\"").unwrap() + 6;
            before[start..].split('"').next().unwrap().to_string()
        })
    };
    (href_after("rel=\"prev\""), href_after("rel=\"next\""))
}

#[test]
fn a_folder_of_markdown_builds_as_a_handbook() {
    let site = handbook();
    site.build().assert_ok();
    // Folders are sections titled by their README's heading or their name; a lone
    // index.md is a page bundle.
    let first_day = site.read("handbook/people/onboarding/first-day/index.html");
    assert_contains(&first_day, "<h1 id=\"your-first-day\">Your first day</h1>");
    assert!(site.exists("handbook/tools/advanced-setup/index.html"));
    assert_contains(
        &site.read("handbook/tools/advanced-setup/index.html"),
        "<h1>Advanced setup</h1>",
    );
    assert_contains(
        &site.read("handbook/glossary/index.html"),
        "<h1 id=\"glossary\">Glossary</h1>",
    );
    // Breadcrumbs from the home page down.
    assert_contains(
        &first_day,
        "<li><a href=\"/handbook/\">Acme Handbook</a></li>",
    );
    assert_contains(
        &first_day,
        "<li><a href=\"/handbook/people/onboarding/\">Onboarding</a></li>",
    );
    // The sidebar tree: the current page is marked, its branches open, others closed.
    assert_contains(
        &first_day,
        "<a href=\"/handbook/people/onboarding/first-day/\" aria-current=\"page\">Your first day</a>",
    );
    let open_branches = first_day.matches("<details open>").count();
    assert_eq!(open_branches, 2, "People and Onboarding are open");
    // The on-page table of contents.
    let second_week = site.read("handbook/people/onboarding/second-week/index.html");
    assert_contains(&second_week, "<a href=\"#goals\">Goals</a>");
    assert_contains(&second_week, "<a href=\"#habits\">Habits</a>");
    // Owner and review date.
    assert_contains(&first_day, "Owner: <strong>Ops team</strong>");
    assert_contains(&first_day, "Review overdue since 15 January 2026");
}

#[test]
fn readme_and_folder_links_resolve() {
    let site = handbook();
    site.build().assert_ok();
    let home = site.read("handbook/index.html");
    assert_contains(&home, "<a href=\"/handbook/people/\">people</a>");
    assert_contains(&home, "<a href=\"/handbook/tools/\">tools</a>");
    assert_contains(
        &site.read("handbook/people/index.html"),
        "<a href=\"/handbook/people/onboarding/\">onboarding</a>",
    );
    assert_contains(
        &site.read("handbook/people/onboarding/index.html"),
        "<a href=\"/handbook/people/\">people</a>",
    );
    assert_contains(
        &site.read("handbook/people/onboarding/first-day/index.html"),
        "<a href=\"/handbook/people/onboarding/second-week/#goals\">the second week</a>",
    );
    assert_contains(
        &site.read("handbook/tools/editor/index.html"),
        "<a href=\"/handbook/\">Handbook home</a>",
    );
}

#[test]
fn a_link_to_a_missing_readme_is_an_error() {
    let site = handbook();
    site.write(
        "content/handbook/02-tools/editor.md",
        "# Editor\n\nSee [the old kit](../04-old/README.md).\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains(&"content/handbook/02-tools/editor.md:3:5: error: link to missing page `../04-old/README.md` (no content/handbook/04-old/README.md)".to_string()),
        "{}",
        run.stderr
    );
}

#[test]
fn previous_and_next_follow_the_tree() {
    let site = handbook();
    site.build().assert_ok();
    let expected = [
        "/handbook/",
        "/handbook/people/",
        "/handbook/people/hiring/",
        "/handbook/people/onboarding/",
        "/handbook/people/onboarding/first-day/",
        "/handbook/people/onboarding/second-week/",
        "/handbook/tools/",
        "/handbook/tools/advanced-setup/",
        "/handbook/tools/advanced-setup/shortcuts/",
        "/handbook/tools/editor/",
        "/handbook/glossary/",
    ];
    for (i, url) in expected.iter().enumerate() {
        let html = site.read(&format!("{}index.html", url.trim_start_matches('/')));
        let (prev, next) = prev_next(&html);
        let want_prev = i.checked_sub(1).map(|j| expected[j].to_string());
        let want_next = expected.get(i + 1).map(|u| (*u).to_string());
        assert_eq!((prev, next), (want_prev, want_next), "on {url}");
    }
    // The print page holds every page in the same order.
    let print = site.read("handbook/print/index.html");
    let positions: Vec<usize> = [
        "Hiring",
        "Your first day",
        "The second week",
        "Shortcuts",
        "Glossary",
    ]
    .iter()
    .map(|t| {
        print
            .find(&format!(">{t}</a></h2>"))
            .unwrap_or_else(|| panic!("{t} missing from the print page"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_contains(&print, "Bring a laptop.");
    // Pages' ids are scoped by their entry, so headings repeated across pages stay unique.
    assert_contains(
        &print,
        "<h2 id=\"p-handbook-people-onboarding-second-week--goals\">Goals",
    );
    assert_ids_unique_and_linked(&print);
    assert_contains(
        &site.read("handbook/index.html"),
        "<a href=\"/handbook/print/\">Print the whole handbook</a>",
    );
}

#[test]
fn check_lists_pages_past_their_review_date_and_build_warns() {
    let site = handbook();
    site.write(
        "content/handbook/02-tools/editor.md",
        "---\nreview_by: 2030-01-01\n---\n# Editor\n",
    );
    site.write(
        "content/handbook/02-tools/README.md",
        "---\ntitle: Tools\nreview_by: 2025-12-31\n---\nOur kit.\n",
    );
    let stale = [
        "content/handbook/01-people/onboarding/01-first-day.md:3:1: warning: review date 2026-01-15 has passed (owner: Ops team); review the page and move `review_by` forward",
        "content/handbook/02-tools/README.md:3:1: warning: review date 2025-12-31 has passed; review the page and move `review_by` forward",
    ];
    let check = site.check();
    check.assert_ok();
    assert_eq!(check.diagnostics(), stale);
    let build = site.build();
    build.assert_ok();
    assert_eq!(build.diagnostics(), stale);
    site.write(
        "content/handbook/02-tools/editor.md",
        "---\nreview_by: someday\n---\n# Editor\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/handbook/02-tools/editor.md:2:1: error: `review_by`: invalid date `someday`",
    );
}

/// The update date shows once, in the footer ("Last updated"), not also under the title.
fn assert_updated_once(html: &str, time: &str) {
    assert_contains(html, &format!("Last updated {time}"));
    assert_eq!(html.matches(time).count(), 1, "{html}");
}

#[test]
fn last_updated_comes_from_git_history() {
    let site = handbook();
    site.git(&["init", "-q", "-b", "main"], "2025-03-04T10:00:00Z");
    site.git(&["add", "."], "2025-03-04T10:00:00Z");
    site.git(&["commit", "-q", "-m", "First"], "2025-03-04T10:00:00Z");
    site.write(
        "content/handbook/01-people/01-hiring.md",
        "# Hiring\n\nWe hire slowly, and well.\n",
    );
    site.git(&["commit", "-q", "-am", "Hiring"], "2025-11-20T16:30:00Z");
    site.build().assert_ok();
    assert_updated_once(
        &site.read("handbook/people/hiring/index.html"),
        "<time datetime=\"2025-11-20\">20 November 2025</time>",
    );
    assert_updated_once(
        &site.read("handbook/people/onboarding/second-week/index.html"),
        "<time datetime=\"2025-03-04\">4 March 2025</time>",
    );
    // `updated:` in the front matter wins over the history.
    site.write(
        "content/handbook/02-tools/editor.md",
        "---\nupdated: 2024-01-02\n---\n# Editor\n",
    );
    site.build().assert_ok();
    assert_updated_once(
        &site.read("handbook/tools/editor/index.html"),
        "<time datetime=\"2024-01-02\">2 January 2024</time>",
    );
}

#[test]
fn last_updated_falls_back_to_the_file_time_outside_git() {
    let site = handbook();
    let file = site.root().join("content/handbook/01-people/01-hiring.md");
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(when)
        .unwrap();
    site.build().assert_ok();
    assert_updated_once(
        &site.read("handbook/people/hiring/index.html"),
        "<time datetime=\"2023-11-14\">14 November 2023</time>",
    );
}

#[test]
fn edit_links_follow_the_repo_url_pattern() {
    let site = handbook();
    site.build().assert_ok();
    assert_not_contains(
        &site.read("handbook/tools/editor/index.html"),
        "Edit this page",
    );
    site.write(
        "trailmark.yaml",
        "title: Test site\nbase_url: https://example.org\nrepo_url: https://git.example.org/acme/handbook/edit/main/{path}\n",
    );
    site.build().assert_ok();
    assert_contains(
        &site.read("handbook/tools/editor/index.html"),
        "<a href=\"https://git.example.org/acme/handbook/edit/main/content/handbook/02-tools/editor.md\">Edit this page</a>",
    );
    assert_contains(
        &site.read("handbook/people/index.html"),
        "edit/main/content/handbook/01-people/README.md\">Edit this page</a>",
    );
}

/// Past 200 pages the sidebar on each page expands only the branch holding that page, so
/// pages stop growing with the handbook; other branches stay one link away.
#[test]
fn big_handbooks_get_a_pruned_sidebar_per_page() {
    let site = crate::harness::Site::new();
    site.write(
        "content/hb/_index.md",
        "---\nkind: handbook\ntitle: Big\n---\n",
    );
    for area in 0..3 {
        site.write(
            &format!("content/hb/area-{area}/_index.md"),
            &format!("# Area {area}\n"),
        );
        for page in 0..70 {
            site.write(
                &format!("content/hb/area-{area}/p{page}.md"),
                &format!("# Area {area} page {page}\n"),
            );
        }
    }
    site.build().assert_ok();
    let page = site.read("hb/area-1/p5/index.html");
    let sidebar = &page[page.find("class=\"sidebar handbook-tree\"").unwrap()..];
    let sidebar = &sidebar[..sidebar.find("</nav>").unwrap()];
    // Its own branch is listed and open; the other areas are links without their pages.
    crate::harness::assert_contains(sidebar, "href=\"/hb/area-1/p69/\"");
    crate::harness::assert_contains(sidebar, "href=\"/hb/area-0/\"");
    crate::harness::assert_not_contains(sidebar, "href=\"/hb/area-0/p1/\"");
    crate::harness::assert_not_contains(sidebar, "href=\"/hb/area-2/p1/\"");
    // The small example handbooks keep the whole tree (see the other tests in this file).
}
