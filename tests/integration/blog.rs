//! Progress blogging end to end: post order and pagination, dates from file names and
//! folders, drafts and future posts, taxonomies, series, journeys, feeds (parsed with a real
//! feed parser), metadata, shortcodes, comments, case-study cards and sector pages.

use std::collections::BTreeSet;

use crate::browser::{Browser, StaticServer};
use crate::harness::{Site, assert_contains, assert_not_contains};

fn post(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n{extra}---\n\nFirst paragraph of {title}.\n\nSecond paragraph.\n"
    )
}

fn blog(paginate_by: usize) -> Site {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        &format!("---\nkind: blog\ntitle: Blog\npaginate_by: {paginate_by}\n---\n"),
    );
    site
}

/// Positions of `needles` in `haystack`, asserting each is present and they are in order.
#[track_caller]
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let positions: Vec<usize> = needles
        .iter()
        .map(|n| {
            haystack
                .find(n)
                .unwrap_or_else(|| panic!("{n:?} missing in:\n{haystack}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{needles:?} out of order: {positions:?}"
    );
}

#[test]
fn posts_are_newest_first_and_paginated_at_the_boundaries() {
    let site = blog(2);
    for (day, slug) in [
        (1, "one"),
        (2, "two"),
        (3, "three"),
        (4, "four"),
        (5, "five"),
    ] {
        site.write(
            &format!("content/blog/2025-01-0{day}-{slug}.md"),
            &post(slug, ""),
        );
    }
    site.build().assert_ok();
    assert_in_order(
        &site.read("blog/index.html"),
        &["/blog/five/", "/blog/four/"],
    );
    assert_not_contains(&site.read("blog/index.html"), "/blog/three/");
    assert_in_order(
        &site.read("blog/page/2/index.html"),
        &["/blog/three/", "/blog/two/"],
    );
    let last = site.read("blog/page/3/index.html");
    assert_contains(&last, "/blog/one/");
    assert_contains(&last, "Page 3 of 3");
    assert_not_contains(&last, "rel=\"next\"");
    assert!(!site.exists("blog/page/4/index.html"));

    // Exactly two full pages: no empty third page.
    site.remove("content/blog/2025-01-01-one.md");
    site.build().assert_ok();
    assert!(site.exists("blog/page/2/index.html"));
    assert!(
        !site.exists("blog/page/3/index.html"),
        "{:?}",
        site.outputs()
    );
    assert_contains(&site.read("blog/page/2/index.html"), "Page 2 of 2");
}

#[test]
fn dates_come_from_front_matter_file_names_and_year_month_folders() {
    let site = blog(10);
    site.write(
        "content/blog/2013-05-01-baselining.md",
        &post("Baselining", ""),
    );
    site.write("content/blog/2013/06/02-second.md", &post("Second", ""));
    site.write(
        "content/blog/2014/01/2014-01-05-third.md",
        &post("Third", ""),
    );
    site.write(
        "content/blog/2014/02/fourth.md",
        &post("Fourth", "date: 2014-02-09\nupdated: 2014-03-01\n"),
    );
    site.build().assert_ok();
    for (file, shown) in [
        ("blog/baselining/index.html", "1 May 2013"),
        ("blog/second/index.html", "2 June 2013"),
        ("blog/third/index.html", "5 January 2014"),
        ("blog/fourth/index.html", "9 February 2014"),
    ] {
        assert_contains(&site.read(file), shown);
    }
    assert_contains(
        &site.read("blog/fourth/index.html"),
        "Updated <time datetime=\"2014-03-01\">1 March 2014</time>",
    );
    // Year and month folders are not sections: the posts belong to the blog.
    assert!(!site.exists("blog/2013/index.html"), "{:?}", site.outputs());
    assert_in_order(
        &site.read("blog/index.html"),
        &[
            "/blog/fourth/",
            "/blog/third/",
            "/blog/second/",
            "/blog/baselining/",
        ],
    );
    let archive = site.read("blog/archive/index.html");
    assert_in_order(
        &archive,
        &[
            "<h2 id=\"year-2014\"",
            "February 2014",
            "/blog/fourth/",
            "January 2014",
            "<h2 id=\"year-2013\"",
            "June 2013",
            "May 2013",
            "/blog/baselining/",
        ],
    );
}

#[test]
fn drafts_and_future_posts_are_left_out_and_reported() {
    let site = blog(10);
    site.write("content/blog/2025-01-01-old.md", &post("Old", ""));
    site.write(
        "content/blog/2025-02-01-draft.md",
        &post("Draft", "draft: true\n"),
    );
    site.write("content/blog/2026-07-01-later.md", &post("Later", ""));
    let run = site.build();
    run.assert_ok();
    assert_contains(&run.stdout, "(1 draft skipped, 1 future post skipped)");
    assert!(!site.exists("blog/later/index.html"));
    assert!(!site.exists("blog/draft/index.html"));
    assert_not_contains(&site.read("atom.xml"), "Later");

    let run = site.run(&[
        "build",
        "--build-date",
        crate::harness::BUILD_DATE,
        "--drafts",
        "--future",
    ]);
    run.assert_ok();
    assert_not_contains(&run.stdout, "skipped");
    assert!(site.exists("blog/later/index.html"));
    assert!(site.exists("blog/draft/index.html"));

    let run = site.run(&["check", "--build-date", "2026-07-01"]);
    run.assert_ok();
    assert_contains(&run.stdout, "(1 draft skipped)");
}

#[test]
fn term_pages_are_paginated_with_counts_and_other_taxonomies_work() {
    let site = blog(10);
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntaxonomies: [tags, categories]\npaginate_terms: 2\n",
    );
    for day in 1..=3 {
        site.write(
            &format!("content/blog/2025-01-0{day}-p{day}.md"),
            &post(
                &format!("P{day}"),
                "tags: [Social Media Manager]\ncategories: [Strategy]\n",
            ),
        );
    }
    site.build().assert_ok();
    let first = site.read("tags/social-media-manager/index.html");
    assert_contains(&first, "All posts tagged Social Media Manager");
    assert_contains(&first, "3 posts");
    assert_in_order(&first, &["/blog/p3/", "/blog/p2/"]);
    assert_not_contains(&first, "/blog/p1/");
    let second = site.read("tags/social-media-manager/page/2/index.html");
    assert_contains(&second, "/blog/p1/");
    assert_contains(&second, "Page 2 of 2");
    assert!(!site.exists("tags/social-media-manager/page/3/index.html"));
    let index = site.read("tags/index.html");
    assert_contains(&index, "Social Media Manager</a> <span class=\"count\">3");
    assert_contains(
        &site.read("categories/strategy/index.html"),
        "Categories: Strategy",
    );
    assert!(site.exists("categories/strategy/atom.xml"));
}

#[test]
fn series_link_their_parts_in_order() {
    let site = blog(10);
    for (day, title) in [(1, "Part A"), (2, "Part B"), (3, "Part C")] {
        site.write(
            &format!("content/blog/2025-03-0{day}-part-{day}.md"),
            &post(title, "series: Measuring what matters\n"),
        );
    }
    site.write("content/blog/2025-03-04-other.md", &post("Other", ""));
    site.build().assert_ok();
    let middle = site.read("blog/part-2/index.html");
    assert_contains(
        &middle,
        "Part 2 of 3 in the series <a href=\"/series/measuring-what-matters/\">Measuring what matters</a>",
    );
    assert_in_order(
        &middle,
        &[
            "/blog/part-1/",
            "<span aria-current=\"page\">Part B</span>",
            "/blog/part-3/",
        ],
    );
    assert_contains(&middle, "Previous in the series");
    assert_contains(&middle, "Next in the series");
    let first = site.read("blog/part-1/index.html");
    assert_not_contains(&first, "Previous in the series");
    let page = site.read("series/measuring-what-matters/index.html");
    assert_in_order(&page, &["/blog/part-1/", "/blog/part-2/", "/blog/part-3/"]);
    assert_not_contains(&page, "/blog/other/");
    assert_contains(&site.read("series/index.html"), "Measuring what matters");
    let feed = parse_feed(&site.read("series/measuring-what-matters/atom.xml"));
    assert_eq!(feed.entries.len(), 3);
}

const JOURNEY: &str = "---
kind: journey
title: Making my role unnecessary
goal: Colleagues can run our channels without me.
started: 2025-09-01
deadline: 2027-09-01
milestones:
  - { id: baselining, title: Baselining, due: 2025-12-01, status: done }
  - { id: gamified-training, title: Gamified training, due: 2026-04-01, status: done }
  - { id: ambassadors, title: Ambassador networks, due: 2026-10-01, status: in-progress }
  - { id: sustainability, title: Sustainability, due: 2027-03-01, status: planned }
  - { id: productising, title: Productising, due: 2027-08-01, status: dropped }
---
Why I am doing this.
";

fn journey_site() -> Site {
    let site = Site::new();
    site.write("content/journey/_index.md", JOURNEY);
    site.write(
        "content/journey/2025-09-15-counting.md",
        &post("Counting everything", "milestone: baselining\n"),
    );
    site.write(
        "content/journey/2026-02-16-league.md",
        &post("The Reply League", "milestone: gamified-training\n"),
    );
    site.write("content/journey/2026-03-01-aside.md", &post("An aside", ""));
    site
}

#[test]
fn journey_progress_is_computed_at_the_build_date() {
    let site = journey_site();
    site.build().assert_ok();
    let page = site.read("journey/index.html");
    assert_contains(&page, "Colleagues can run our channels without me.");
    assert_contains(&page, "<dt>Elapsed</dt><dd>9 months</dd>");
    assert_contains(&page, "<dt>Remaining</dt><dd>1 year 3 months</dd>");
    // Dropped milestones do not count: 2 done of 4 is 50%.
    assert_contains(&page, "<span class=\"progress-figure\">2 of 4</span>");
    assert_contains(&page, "aria-valuenow=\"50\"");
    assert_contains(
        &page,
        "<span id=\"progress-time\">Time used</span>\n    <span class=\"progress-figure\">37%</span>",
    );
    assert_contains(
        &page,
        "As of <time datetime=\"2026-06-01\">1 June 2026</time>",
    );
    assert_in_order(
        &page,
        &[
            "Baselining",
            "/journey/counting/",
            "Gamified training",
            "/journey/league/",
            "Ambassador networks",
        ],
    );
    assert_contains(&page, "Latest updates");

    let milestone = site.read("journey/milestones/gamified-training/index.html");
    assert_contains(&milestone, "<h1>Gamified training</h1>");
    assert_contains(&milestone, "/journey/league/");
    assert_not_contains(&milestone, "/journey/counting/");
    let post = site.read("journey/league/index.html");
    assert_contains(&post, "Milestone: Gamified training</a>");
    assert_contains(&post, "<span class=\"badge badge-status\">Done</span>");

    // Another build date, other figures.
    site.run(&["build", "--build-date", "2027-10-01"])
        .assert_ok();
    let late = site.read("journey/index.html");
    assert_contains(&late, "<dd>Deadline passed</dd>");
    assert_contains(&late, "<dt>Elapsed</dt><dd>2 years 1 month</dd>");
    assert_contains(&late, "Overdue");
}

#[test]
fn unknown_milestones_and_bad_statuses_are_errors_with_lines() {
    let site = journey_site();
    site.write(
        "content/journey/2026-03-02-typo.md",
        "---\ntitle: Typo\ntags: [x]\nmilestone: ambasadors\n---\nText\n",
    );
    site.write("content/blog/_index.md", "---\nkind: blog\n---\n");
    site.write(
        "content/blog/2026-01-01-lost.md",
        "---\ntitle: Lost\nmilestone: baselining\n---\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/blog/2026-01-01-lost.md:3:1: error: `milestone: baselining` only applies to posts in a `kind: journey` section",
            "content/journey/2026-03-02-typo.md:4:1: error: unknown milestone `ambasadors`",
        ]
    );

    let site = Site::new();
    site.write(
        "content/journey/_index.md",
        "---\nkind: journey\nmilestones:\n  - { id: a, status: finished }\n  - { id: a }\n---\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/journey/_index.md:3:1: error: milestone 1: unknown status `finished`; expected one of planned, in-progress, done, dropped",
            "content/journey/_index.md:3:1: error: milestone 2: id `a` is used twice",
        ]
    );
}

fn parse_feed(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("feed does not parse: {e}\n{xml}"))
}

/// Every absolute link into the site in `html` names a file that exists in the output.
#[track_caller]
fn assert_links_resolve(site: &Site, base: &str, html: &str) {
    let mut checked = 0;
    for attr in ["href=\"", "src=\""] {
        for piece in html.split(attr).skip(1) {
            let url = piece.split('"').next().unwrap_or_default();
            assert!(
                !url.starts_with('/'),
                "root-relative link {url:?} in a feed cannot resolve in a reader"
            );
            let Some(path) = url.strip_prefix(base) else {
                continue;
            };
            let path = path
                .split('#')
                .next()
                .unwrap_or_default()
                .trim_start_matches('/');
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(site.exists(&file), "feed link {url} has no file {file}");
            checked += 1;
        }
    }
    assert!(checked > 0, "no site links checked in:\n{html}");
}

#[test]
fn feeds_parse_escape_and_link_to_real_pages() {
    let site = journey_site();
    site.write(
        "trailmark.yaml",
        "title: \"Tom & Jerry's <site>\"\nbase_url: https://example.org/docs\nauthor: { name: Maren }\n",
    );
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: Blog\n---\n",
    );
    site.write(
        "content/blog/2025-05-01-escaping.md",
        "---\ntitle: \"Q&A: <script> and \\\"quotes\\\"\"\ntags: [Care & Feeding]\nseries: Basics\n---\n\nSee [the journey](../journey/_index.md), [below](#end) and ![diagram](d.svg).\n\n<!-- more -->\n\n## End\n\nAll done & dusted.\n",
    );
    site.write(
        "content/blog/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().assert_ok();
    let base = "https://example.org/docs";
    for (file, html_link, entries) in [
        ("atom.xml", "https://example.org/docs/", 4),
        ("blog/atom.xml", "https://example.org/docs/blog/", 1),
        ("journey/atom.xml", "https://example.org/docs/journey/", 3),
        (
            "tags/care-feeding/atom.xml",
            "https://example.org/docs/tags/care-feeding/",
            1,
        ),
        (
            "series/basics/atom.xml",
            "https://example.org/docs/series/basics/",
            1,
        ),
    ] {
        let xml = site.read(file);
        let feed = parse_feed(&xml);
        assert_eq!(feed.entries.len(), entries, "{file}");
        let alternate = feed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("alternate"))
            .unwrap();
        assert_eq!(alternate.href, html_link, "{file}");
        let own = feed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("self"))
            .unwrap();
        assert_eq!(own.href, format!("{base}/{file}"));
        assert!(site.exists(&format!(
            "{}index.html",
            html_link.trim_start_matches(base).trim_start_matches('/')
        )));
        for entry in &feed.entries {
            let link = &entry.links[0].href;
            assert!(link.starts_with(base), "{link}");
            let path = link.trim_start_matches(base).trim_start_matches('/');
            assert!(site.exists(&format!("{path}index.html")), "{link}");
        }
    }
    let feed = parse_feed(&site.read("blog/atom.xml"));
    let entry = &feed.entries[0];
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "Q&A: <script> and \"quotes\""
    );
    assert_eq!(
        feed.title.as_ref().unwrap().content,
        "Blog · Tom & Jerry's <site>"
    );
    let content = entry.content.as_ref().unwrap().body.as_ref().unwrap();
    assert_contains(content, "All done &amp; dusted.");
    assert_contains(
        content,
        "href=\"https://example.org/docs/blog/escaping/#end\"",
    );
    assert_links_resolve(&site, base, content);
    let summary = entry.summary.as_ref().unwrap().content.clone();
    assert_contains(&summary, "https://example.org/docs/journey/");
    assert_not_contains(&summary, "All done");
    assert_eq!(entry.categories[0].term, "Care & Feeding");

    // Summary-only feeds carry no content.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nfeeds: { content: summary, limit: 2 }\n",
    );
    site.build().assert_ok();
    let feed = parse_feed(&site.read("atom.xml"));
    assert_eq!(feed.entries.len(), 2);
    assert!(
        feed.entries
            .iter()
            .all(|e| e.content.is_none() && e.summary.is_some())
    );
}

fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn every_page_has_search_and_social_metadata() {
    let site = blog(10);
    site.write("trailmark.yaml", "title: Site\ndescription: About things\nbase_url: https://example.org\nauthor: { name: Maren Holt }\n");
    site.write(
        "content/blog/2025-05-01-launch.md",
        "---\ntitle: \"Launch </script> day\"\ndescription: \"We launched & it went well\"\ncover: cover.svg\ncover_alt: A rocket\ntags: [news]\n---\nText\n",
    );
    site.write(
        "content/blog/cover.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/blog/2025-05-02-bare.md",
        "---\ntitle: Bare\n---\n\nThe first paragraph tells the story.\n\nMore.\n",
    );
    site.write("content/courses/_index.md", "---\ntitle: Courses\n---\n");
    site.write(
        "content/courses/basics/_index.md",
        "---\nkind: course\ntitle: Basics\ndescription: Start here\nlevel: beginner\n---\n",
    );
    site.write(
        "content/courses/basics/01-a.md",
        "---\ntitle: A\nduration: 30m\n---\n",
    );
    site.write(
        "content/work/_index.md",
        "---\nkind: case-studies\ntitle: Work\n---\n",
    );
    site.write(
        "content/work/acme.md",
        "---\ntitle: Acme\nclient: Acme Ltd\nsector: Retail\n---\n",
    );
    site.build().assert_ok();

    let post = site.read("blog/launch/index.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://example.org/blog/launch/\">",
        "<meta name=\"description\" content=\"We launched &amp; it went well\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:description\" content=\"We launched &amp; it went well\">",
        "<meta property=\"og:image\" content=\"https://example.org/blog/cover.svg\">",
        "<meta property=\"og:image:alt\" content=\"A rocket\">",
        "<meta property=\"article:published_time\" content=\"2025-05-01T00:00:00Z\">",
        "<meta property=\"article:tag\" content=\"news\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<img src=\"/blog/cover.svg\" alt=\"A rocket\">",
    ] {
        assert_contains(&post, tag);
    }
    // The JSON-LD cannot close its own script element.
    assert_not_contains(&post, "Launch </script> day\"");
    let ld = json_ld(&post);
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "Launch </script> day");
    assert_eq!(ld["author"][0]["name"], "Maren Holt");
    assert_eq!(ld["image"], "https://example.org/blog/cover.svg");

    let bare = site.read("blog/bare/index.html");
    assert_contains(
        &bare,
        "<meta name=\"description\" content=\"The first paragraph tells the story.\">",
    );
    assert_contains(&bare, "<meta name=\"twitter:card\" content=\"summary\">");

    let course = json_ld(&site.read("courses/basics/index.html"));
    assert_eq!(course["@type"], "Course");
    assert_eq!(course["provider"]["name"], "Site");
    assert_eq!(course["timeRequired"], "PT0H30M");
    assert_eq!(
        json_ld(&site.read("work/acme/index.html"))["@type"],
        "Article"
    );
    assert_eq!(json_ld(&site.read("index.html"))["@type"], "WebSite");
    let tags = site.read("tags/news/index.html");
    assert_contains(
        &tags,
        "<meta property=\"og:url\" content=\"https://example.org/tags/news/\">",
    );
    assert_eq!(json_ld(&tags)["@type"], "CollectionPage");

    site.remove("content/blog/cover.svg");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/blog/2025-05-01-launch.md:4:1: error: `cover`: link to missing file `cover.svg` (no content/blog/cover.svg)"
        ]
    );
}

#[test]
fn shortcodes_render_through_theme_templates() {
    let site = blog(10);
    site.write(
        "content/blog/2025-05-01-embeds.md",
        "---\ntitle: Embeds\n---\n\nIntro with {{ not_tera }} and {% raw %}.\n\n::video{provider=\"youtube\" id=\"dQw4w9WgXcQ\" title=\"Launch <talk>\" start=\"30\"}\n\n::figure{src=\"pic.svg\" alt=\"A chart\" caption=\"Replies & reach\" credit=\"Photo: Ana\"}\n::testimonial{quote='It \\'just\\' works.' name=\"Helen\" role=\"Director\" organisation=\"Northwind\"}\n\n```\n::video{provider=youtube id=ignored}\n```\n",
    );
    site.write(
        "content/blog/pic.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().assert_ok();
    let page = site.read("blog/embeds/index.html");
    assert_contains(&page, "Intro with {{ not_tera }} and {% raw %}.");
    assert_contains(
        &page,
        "data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;start=30\"",
    );
    assert_contains(
        &page,
        "href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=30s\"",
    );
    assert_contains(
        &page,
        "<span class=\"embed-title\">Launch &lt;talk&gt;</span>",
    );
    assert_not_contains(&page, "<iframe");
    assert_contains(&page, "<img src=\"/blog/pic.svg\" alt=\"A chart\"");
    assert_contains(
        &page,
        "<span class=\"figure-caption\">Replies &amp; reach</span>",
    );
    assert_contains(&page, "<small class=\"figure-credit\">Photo: Ana</small>");
    assert_contains(&page, "<p>It &#39;just&#39; works.</p>");
    assert_contains(&page, "<strong class=\"testimonial-name\">Helen</strong>");
    assert_contains(&page, "<code>::video{provider=youtube id=ignored}\n</code>");
    assert!(site.exists("trailmark-embed.js"));

    // A site overrides a shortcode, or adds its own, with a template.
    site.write(
        "templates/shortcodes/testimonial.html",
        "<q class=\"mine\">{{ args.quote }}</q>",
    );
    site.write(
        "templates/shortcodes/callout-box.html",
        "<div class=\"box\">{{ args.text }}</div>",
    );
    site.write(
        "content/blog/2025-05-02-custom.md",
        "---\ntitle: Custom\n---\n::testimonial{quote=Hi name=X}\n::callout-box{text=\"Custom one\"}\n",
    );
    site.build().assert_ok();
    let custom = site.read("blog/custom/index.html");
    assert_contains(&custom, "<q class=\"mine\">Hi</q>");
    assert_contains(&custom, "<div class=\"box\">Custom one</div>");
}

#[test]
fn shortcode_errors_name_file_line_and_argument() {
    let site = blog(10);
    site.write(
        "content/blog/2025-05-01-bad.md",
        "---\ntitle: Bad\n---\n\n::vidoe{provider=youtube id=abcdefgh}\n\n::video{provider=youtube}\n::figure{src=missing.png alt=x captoin=y}\n::video{provider=dailymotion id=x1}\n::testimonial{quote=\"unclosed}\n::figure{src=missing.png alt=x}\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/blog/2025-05-01-bad.md:5:1: error: unknown shortcode `vidoe`",
            "content/blog/2025-05-01-bad.md:7:1: error: shortcode `video` is missing argument `id`",
            "content/blog/2025-05-01-bad.md:8:32: error: unknown argument `captoin` for shortcode `figure`; did you mean `caption`?",
            "content/blog/2025-05-01-bad.md:9:9: error: unknown video provider `dailymotion`; expected youtube or vimeo",
            "content/blog/2025-05-01-bad.md:10:21: error: argument `quote` of `::testimonial` opens a quote that is never closed",
            "content/blog/2025-05-01-bad.md:11:1: error: link to missing file `missing.png` (no content/blog/missing.png)",
        ]
    );
}

#[test]
fn comments_links_follow_the_config_and_the_post() {
    let site = blog(10);
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ncomments: { email: hello@example.org }\n",
    );
    site.write("content/blog/2025-01-01-a.md", &post("Hello & welcome", ""));
    site.write(
        "content/blog/2025-01-02-b.md",
        &post("B", "comments: false\n"),
    );
    site.write(
        "content/blog/2025-01-03-c.md",
        &post("C", "comments: https://forum.example.org/t/42\n"),
    );
    site.build().assert_ok();
    assert_contains(
        &site.read("blog/a/index.html"),
        "<a href=\"mailto:hello@example.org?subject=Re%3A%20Hello%20%26%20welcome&amp;body=https%3A%2F%2Fexample.org%2Fblog%2Fa%2F\">Reply by email</a>",
    );
    assert_not_contains(&site.read("blog/b/index.html"), "comments-link");
    assert_contains(
        &site.read("blog/c/index.html"),
        "<a href=\"https://forum.example.org/t/42\" rel=\"external\">Join the discussion</a>",
    );

    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ncomments: { url: \"https://forum.example.org/new?title={title}&url={url}\" }\n",
    );
    site.build().assert_ok();
    assert_contains(
        &site.read("blog/a/index.html"),
        "href=\"https://forum.example.org/new?title=Hello%20%26%20welcome&amp;url=https%3A%2F%2Fexample.org%2Fblog%2Fa%2F\"",
    );
}

#[test]
fn case_study_cards_sector_pages_and_testimonials() {
    let site = Site::new();
    site.write(
        "content/work/_index.md",
        "---\nkind: case-studies\ntitle: Work\n---\nIntro.\n",
    );
    let study = |client: &str, sector: &str, quote: &str| {
        format!(
            "---\ntitle: {client} story\nclient: {client}\nsector: {sector}\nresults:\n  - {{ label: Replies per post, value: from 1 to 7 }}\n  - {{ label: Other, value: x }}\ntestimonial: {{ quote: \"{quote}\", name: Helen, role: Director, organisation: {client} }}\n---\nBody.\n"
        )
    };
    site.write(
        "content/work/acme.md",
        &study("Acme", "Energy", "Best money spent"),
    );
    site.write(
        "content/work/bolt.md",
        &study("Bolt", "Energy", "Calm and clear"),
    );
    site.write(
        "content/work/cask.md",
        &study("Cask", "Public libraries", "Staff tell stories now"),
    );
    site.build().assert_ok();
    let list = site.read("work/index.html");
    assert_contains(&list, "<p class=\"card-kicker\">Acme · Energy</p>");
    assert_contains(
        &list,
        "<p class=\"card-figure\"><strong>from 1 to 7</strong> <span>Replies per post</span></p>",
    );
    assert_not_contains(&list, "<strong>x</strong>");
    assert_contains(
        &list,
        "<a href=\"/work/sector/energy/\">Energy <span class=\"count\">2</span></a>",
    );
    assert_contains(&list, "<a href=\"/work/\" aria-current=\"page\">All</a>");

    let energy = site.read("work/sector/energy/index.html");
    assert_contains(&energy, "Case studies in Energy");
    assert_contains(&energy, "/work/acme/");
    assert_contains(&energy, "/work/bolt/");
    assert_not_contains(&energy, "/work/cask/");
    assert_contains(
        &energy,
        "<a href=\"/work/sector/energy/\" aria-current=\"page\">",
    );
    assert_contains(
        &energy,
        "<link rel=\"canonical\" href=\"https://example.org/work/sector/energy/\">",
    );
    assert!(site.exists("work/sector/public-libraries/index.html"));

    let testimonials = site.read("testimonials/index.html");
    for (quote, link) in [
        ("Best money spent", "/work/acme/"),
        ("Calm and clear", "/work/bolt/"),
        ("Staff tell stories now", "/work/cask/"),
    ] {
        assert_in_order(&testimonials, &[quote, link]);
    }
    assert_contains(&list, "href=\"/testimonials/\"");
}

#[test]
fn summaries_fall_back_to_description_then_first_paragraph() {
    let site = blog(10);
    site.write("content/blog/2025-01-01-marker.md", "---\ntitle: Marker\ndescription: Desc M\n---\nAbove the fold.\n\n<!-- more -->\n\nBelow.\n");
    site.write(
        "content/blog/2025-01-02-described.md",
        "---\ntitle: Described\ndescription: Only the description\n---\nBody text here.\n",
    );
    site.write(
        "content/blog/2025-01-03-plain.md",
        "---\ntitle: Plain\n---\n## Heading\n\nOpening words.\n\nLater words.\n",
    );
    site.build().assert_ok();
    let list = site.read("blog/index.html");
    assert_contains(
        &list,
        "<div class=\"card-text prose\"><p>Above the fold.</p>",
    );
    assert_contains(&list, "<p class=\"card-text\">Only the description</p>");
    assert_contains(
        &list,
        "<div class=\"card-text prose\"><p>Opening words.</p>",
    );
    assert_not_contains(&list, "Later words.");
    let feed = parse_feed(&site.read("blog/atom.xml"));
    let summaries: BTreeSet<String> = feed
        .entries
        .iter()
        .map(|e| e.summary.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        summaries.contains("<p>Only the description</p>"),
        "{summaries:?}"
    );
    assert!(summaries.contains("<p>Opening words.</p>"), "{summaries:?}");
}

#[test]
fn video_loads_only_when_clicked() {
    let site = blog(10);
    site.write(
        "content/blog/2025-05-01-watch.md",
        "---\ntitle: Watch\n---\n::video{provider=vimeo id=76979871 title=\"A talk\"}\n",
    );
    site.build().assert_ok();
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();
    browser.goto(&server.url("/blog/watch/"));
    assert_eq!(browser.count("iframe"), 0);
    assert_eq!(browser.count(".embed-video .embed-link"), 1);
    browser.click(".embed-video .embed-link");
    browser.wait_until("document.querySelector('.embed-video iframe') !== null");
    assert_eq!(
        browser.eval("document.querySelector('.embed-video iframe').getAttribute('src')"),
        serde_json::json!("https://player.vimeo.com/video/76979871?autoplay=1&dnt=1")
    );
    // The page did not navigate away to the provider.
    assert!(browser.current_url().ends_with("/blog/watch/"));
}

/// Terms made of symbols show wherever a post lists its tags (page, cards, feed), as their
/// term pages do; series and sectors follow the same slug rule, so `C# tips` and `C++ tips`
/// stay two series; a name with no letter or digit is a warning at its line, not a silent
/// loss, and two spellings sharing a series or sector URL are said.
#[test]
fn symbol_terms_series_and_sectors_are_kept_apart_and_never_vanish_silently() {
    let site = blog(10);
    site.write(
        "content/blog/2025-01-01-a.md",
        &post(
            "A",
            "tags: [\"C++\", \"C#\", \"go\"]\nseries: \"C# tips\"\n",
        ),
    );
    site.write(
        "content/blog/2025-01-02-b.md",
        &post("B", "series: \"C++ tips\"\n"),
    );
    site.write(
        "content/work/_index.md",
        "---\nkind: case-studies\ntitle: Work\n---\n",
    );
    site.write(
        "content/work/a.md",
        "---\ntitle: A study\nclient: A\nsector: C++\n---\nBody.\n",
    );
    site.write(
        "content/work/b.md",
        "---\ntitle: B study\nclient: B\nsector: C#\n---\nBody.\n",
    );
    site.build().assert_ok();
    for page in ["blog/a/index.html", "blog/index.html", "atom.xml"] {
        let html = site.read(page);
        for tag in ["C++", "C#", "go"] {
            assert_contains(&html, tag);
        }
    }
    assert_contains(&site.read("blog/a/index.html"), "/tags/c-plus-plus/");
    assert_contains(&site.read("atom.xml"), "<category term=\"C++\"/>");
    assert_contains(&site.read("series/c-sharp-tips/index.html"), "A");
    assert_not_contains(&site.read("series/c-sharp-tips/index.html"), ">B<");
    assert!(site.exists("series/c-plus-plus-tips/index.html"));
    assert!(site.exists("work/sector/c-plus-plus/index.html"));
    assert!(site.exists("work/sector/c-sharp/index.html"));
    assert_eq!(site.check().diagnostics(), Vec::<String>::new());

    site.write(
        "content/blog/2025-01-03-c.md",
        &post("C", "tags: [\"🦀\", \"rust\"]\nseries: \"!!!\"\n"),
    );
    site.write(
        "content/blog/2025-01-04-d.md",
        &post("D", "series: \"C# tips!\"\n"),
    );
    site.write(
        "content/work/c.md",
        "---\ntitle: C study\nclient: C\nsector: \"C#!\"\n---\nBody.\n",
    );
    let run = site.check();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        [
            "content/blog/2025-01-03-c.md:3:1: warning: tags `🦀` has no letter or digit to make its URL from; it gets no page and no link",
            "content/blog/2025-01-03-c.md:4:1: warning: series `!!!` has no letter or digit to make its URL from; it gets no page and no link",
            "content/blog/2025-01-04-d.md:3:1: warning: series `C# tips!` and `C# tips` (content/blog/2025-01-01-a.md) share the URL /series/c-sharp-tips/ and are listed as one; write them the same way, or rename one",
            "content/work/c.md:4:1: warning: sector `C#!` and `C#` (content/work/b.md) share the URL /work/sector/c-sharp/ and are listed as one; write them the same way, or rename one",
        ]
    );
}
