//! Content written for other tools builds as it is: GitHub-style handbooks, Jekyll blogs,
//! Carpentries lessons, Zola and Hugo sites. Each fixture is small and written here; what
//! it reproduces was found building real public repositories (see docs/corpora.md).

use crate::harness::{Site, assert_contains, assert_ids_unique_and_linked, assert_not_contains};

/// The first `# heading` is the page's title, printed by the theme: it keeps its id, so links
/// to it from the page and from other pages resolve.
#[test]
fn the_title_heading_keeps_its_id() {
    let site = Site::new();
    site.write(
        "content/guide.md",
        "# Conflict resolution\n\nBack to [the top](#conflict-resolution).\n\n## Next\n\nText.\n",
    );
    site.write(
        "content/other.md",
        "# Other\n\nSee [conflicts](guide.md#conflict-resolution).\n",
    );
    site.build().assert_ok();
    let html = site.read("guide/index.html");
    assert_contains(
        &html,
        "<h1 id=\"conflict-resolution\">Conflict resolution</h1>",
    );
    assert_contains(&html, "<a href=\"#conflict-resolution\">the top</a>");
    assert_ids_unique_and_linked(&html);
    assert_contains(
        &site.read("other/index.html"),
        "<a href=\"/guide/#conflict-resolution\">conflicts</a>",
    );
}

/// Heading ids follow GitHub's rule (Hugo's default too), so links written for a repository
/// keep working: punctuation is dropped, not collapsed, each space is a dash, `_` stays,
/// letters of any script stay, and repeats get `-1`, `-2`.
#[test]
fn heading_ids_follow_github() {
    let site = Site::new();
    site.write(
        "content/steps.md",
        "---\ntitle: Steps\n---\n\
         ## Step 1: notify & wait\n\n## Input / output\n\n## snake_case names\n\n\
         ## What?! Really...\n\n## Über uns: Café\n\n## FAQ\n\n## FAQ\n\n## FAQ\n\n\
         Links: [a](#step-1-notify--wait) [b](#input--output) [c](#snake_case-names) \
         [d](#what-really) [e](#über-uns-café) [f](#faq-2)\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("steps/index.html");
    for id in [
        "step-1-notify--wait",
        "input--output",
        "snake_case-names",
        "what-really",
        "über-uns-café",
        "faq",
        "faq-1",
        "faq-2",
    ] {
        assert_contains(&html, &format!("<h2 id=\"{id}\">"));
    }
}

/// A course's print page prefixes each lesson's ids with the lesson's anchor; GitHub-style
/// ids, double dashes included, stay linked there.
#[test]
fn print_pages_prefix_github_ids() {
    let site = Site::new();
    site.write(
        "content/course/_index.md",
        "---\nkind: course\ntitle: Course\n---\n",
    );
    site.write(
        "content/course/01-setup.md",
        "---\ntitle: Setup\n---\n## Step 1: notify & wait\n\nSee [step 1](#step-1-notify--wait).\n",
    );
    site.build().assert_ok();
    let print = site.read("course/print/index.html");
    assert_contains(&print, "id=\"lesson-1--step-1-notify--wait\"");
    assert_contains(&print, "href=\"#lesson-1--step-1-notify--wait\"");
}

/// `<a name="x">` is an anchor as `id` is; an id written inside an HTML comment is not.
#[test]
fn raw_html_name_anchors_count_and_commented_ids_do_not() {
    let site = Site::new();
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n<a name=\"old-anchor\"></a>\n\nText with <a name='inline'>here</a>.\n\n\
         <!--\n<div id=\"gone\"></div>\n-->\n\nInline <!-- <span id=\"hidden\"></span> --> too.\n\n\
         [1](#old-anchor) [2](#inline) [3](#gone) [4](#hidden)\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/page.md:14:31: error: link to missing anchor `#gone`",
            "content/page.md:14:42: error: link to missing anchor `#hidden`",
        ]
    );
    // The snippets show the line with `#old-anchor`; no message or help names it.
    let said: String = run
        .stderr
        .lines()
        .filter(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_not_contains(&said, "old-anchor");
}

/// A Jekyll blog: `_posts/` only gathers the posts, `.markdown` files are Markdown, and the
/// dates Jekyll accepts are read (one-digit months and days, a time with an offset).
#[test]
fn jekyll_posts_and_dates_are_read() {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: News\n---\n",
    );
    site.write(
        "content/blog/_posts/2020-1-02-new-year.markdown",
        "---\ntitle: New year\n---\nHello.\n",
    );
    site.write(
        "content/blog/_posts/2022-12-7-advent.md",
        "---\ntitle: Advent\n---\nHello.\n",
    );
    site.write(
        "content/blog/_posts/2014-05-01-release.md",
        "---\ntitle: Release\ndate: 2014-05-01 22:00:00 -0500\n---\nHello.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    for (path, date) in [
        ("blog/new-year/index.html", "2020-01-02"),
        ("blog/advent/index.html", "2022-12-07"),
        ("blog/release/index.html", "2014-05-01"),
    ] {
        assert_contains(&site.read(path), &format!("<time datetime=\"{date}\">"));
    }
}

/// In a GitHub-style tree, `total-rewards.md` beside a folder `total-rewards/` with no index
/// is that folder's page: one URL, the file's text on it, links to the file resolve there.
#[test]
fn a_file_beside_a_folder_without_index_is_the_folders_page() {
    let site = Site::new();
    site.write(
        "content/handbook/_index.md",
        "---\nkind: handbook\ntitle: Handbook\n---\nSee [rewards](total-rewards.md).\n",
    );
    site.write(
        "content/handbook/total-rewards.md",
        "# Total rewards\n\nWhat we offer. See [mental health](total-rewards/mental-health.md).\n",
    );
    site.write(
        "content/handbook/total-rewards/mental-health.md",
        "# Mental health\n\nBack to [rewards](../total-rewards.md#total-rewards).\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let rewards = site.read("handbook/total-rewards/index.html");
    assert_contains(&rewards, "What we offer.");
    assert_contains(&rewards, "href=\"/handbook/total-rewards/mental-health/\"");
    assert_contains(
        &site.read("handbook/total-rewards/mental-health/index.html"),
        "href=\"/handbook/total-rewards/#total-rewards\"",
    );
    assert_contains(
        &site.read("handbook/index.html"),
        "href=\"/handbook/total-rewards/\"",
    );
}

/// A blog lists 10 posts per page unless it says otherwise, as Hugo does: a migrated blog
/// of a thousand posts does not become one page of megabytes.
#[test]
fn blogs_paginate_ten_per_page_by_default() {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: News\n---\n",
    );
    site.write(
        "content/notes/_index.md",
        "---\nkind: blog\ntitle: Notes\npaginate_by: 50\n---\n",
    );
    for day in 1..=12 {
        site.write(
            &format!("content/blog/2025-03-{day:02}-post-{day}.md"),
            &format!("---\ntitle: Post {day}\n---\nText.\n"),
        );
        site.write(
            &format!("content/notes/2025-03-{day:02}-note-{day}.md"),
            &format!("---\ntitle: Note {day}\n---\nText.\n"),
        );
    }
    site.build().assert_ok();
    let first = site.read("blog/index.html");
    assert_contains(&first, "Post 12");
    assert_contains(&first, "Post 3<");
    assert_not_contains(&first, "Post 2<");
    let second = site.read("blog/page/2/index.html");
    assert_contains(&second, "Post 2<");
    assert_contains(&second, "Post 1<");
    assert!(!site.exists("blog/page/3/index.html"));
    assert_contains(&site.read("notes/index.html"), "Note 1<");
    assert!(!site.exists("notes/page/2/index.html"));
}

/// Files inside a blog's year/month folders keep their path under the blog, as they had on
/// the old site, and links to them from a post resolve there.
#[test]
fn files_in_date_folders_keep_their_path() {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: News\n---\n",
    );
    site.write(
        "content/blog/2014/01/kickoff.md",
        "---\ntitle: Kickoff\n---\nSee [the slides](slides.html) and ![chart](chart.svg).\n",
    );
    site.write("content/blog/2014/01/slides.html", "<p>slides</p>\n");
    site.write(
        "content/blog/2014/01/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.build().assert_ok();
    assert_eq!(site.read("blog/2014/01/slides.html"), "<p>slides</p>\n");
    assert!(site.exists("blog/2014/01/chart.svg"));
    let post = site.read("blog/kickoff/index.html");
    assert_contains(&post, "href=\"/blog/2014/01/slides.html\"");
    assert_contains(&post, "src=\"/blog/2014/01/chart.svg\"");
}

/// A Jekyll site's posts: the same name in two years.
fn jekyll_news(config_extra: &str) -> Site {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        &format!("title: Test site\nbase_url: https://example.org\n{config_extra}"),
    );
    site.write(
        "content/news/_index.md",
        "---\nkind: blog\ntitle: News\n---\n",
    );
    site.write(
        "content/news/_posts/2013-05-06-release.markdown",
        "---\ntitle: One\ndate: \"2013-05-06 02:12:52 +0200\"\ncategory: release\n---\nFirst.\n",
    );
    site.write(
        "content/news/_posts/2014-05-01-release.markdown",
        "---\ntitle: Two\ncategories: [release, Big News]\n---\nSecond. Back to [one](2013-05-06-release.markdown).\n",
    );
    site
}

/// A section's permalink pattern keeps a migrating blog's URLs, with Jekyll's and Hugo's
/// tokens, including patterns that end in `.html`.
#[test]
fn permalink_patterns_keep_old_urls() {
    let site = jekyll_news(
        "taxonomies: [tags, categories]\npermalinks:\n  news: /news/:year/:month/:day/:title/\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert_contains(&site.read("news/2013/05/06/release/index.html"), "First.");
    assert_contains(
        &site.read("news/2014/05/01/release/index.html"),
        "href=\"/news/2013/05/06/release/\"",
    );
    assert_contains(
        &site.read("news/index.html"),
        "href=\"/news/2014/05/01/release/\"",
    );

    let site =
        jekyll_news("permalinks:\n  news: /:categories/:year/:month/:day/:title:output_ext\n");
    site.build().assert_ok();
    assert_contains(&site.read("release/2013/05/06/release.html"), "First.");
    assert_contains(
        &site.read("release/big-news/2014/05/01/release.html"),
        "Second.",
    );
}

/// Without a pattern, the two posts collide; the build says which setting fixes it.
#[test]
fn colliding_post_urls_name_the_setting_that_fixes_them() {
    let site = jekyll_news("");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/news/_posts/2013-05-06-release.markdown: warning: 2 posts of `content/news` share a URL \
         with another (first: /news/release/ for content/news/_posts/2013-05-06-release.markdown and \
         content/news/_posts/2014-05-01-release.markdown); dates are not in its URLs: keep them apart \
         with `permalinks: { news: \"/news/:year/:month/:day/:slug/\" }` in trailmark.yaml, or give one a `slug:`",
    );
}

/// A pattern with a token nobody knows is a config error that lists the known ones.
#[test]
fn unknown_permalink_tokens_are_config_errors() {
    let site = jekyll_news("permalinks:\n  news: /:yaer/:title/\n");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "trailmark.yaml:4:1: error: unknown permalink token `:yaer` in `/:yaer/:title/`; known: :categories,",
    );
}

/// Pandoc and kramdown attributes as Carpentries lessons write them: on images (the alt
/// text given there wins), on bracketed spans (their id is an anchor), glossary definition
/// lists, and `::: spoiler` folded.
#[test]
fn pandoc_attributes_definition_lists_and_spoilers() {
    let site = Site::new();
    site.write(
        "content/lesson.md",
        "---\ntitle: Lesson\n---\n\
         ![](fig/plot.svg){alt='A rising line' width=\"60%\"}\n\n\
         See the [GitHub](https://github.com){target=\"_blank\"} page and [commit](#commit).\n\n\
         [commit]{#commit}\n:   To record the current state of a set of files.\n\n\
         ::: spoiler\n\n## More\n\nHidden aside.\n\n:::\n",
    );
    site.write(
        "content/fig/plot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("lesson/index.html");
    assert_contains(
        &html,
        "<img src=\"/fig/plot.svg\" alt=\"A rising line\" width=\"60%\">",
    );
    assert_contains(
        &html,
        "<a href=\"https://github.com\" target=\"_blank\">GitHub</a>",
    );
    assert_contains(
        &html,
        "<dl>\n<dt><span id=\"commit\">commit</span></dt>\n<dd>To record",
    );
    assert_contains(
        &html,
        "<details class=\"spoiler\">\n<summary>Show details</summary>",
    );
    for raw in ["{alt", "{target", "{#commit"] {
        assert_not_contains(&html, raw);
    }
}

/// Other tools' link syntax resolves as it did there: Jekyll's `{{ site.baseurl }}`,
/// `{% post_url %}` and `{% link %}`, Hugo's `ref`/`relref`, Zola's `@/` links.
#[test]
fn other_tools_link_syntax_resolves() {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: Blog\n---\n",
    );
    site.write(
        "content/blog/_posts/2010-07-21-first.md",
        "---\ntitle: First\n---\n## Setup\n\nHello.\n",
    );
    site.write(
        "content/blog/_posts/2011-01-02-second.md",
        "---\ntitle: Second\n---\n[a]({% post_url 2010-07-21-first %}) \
         [b]({{ site.baseurl }}/blog/first/) [c]({% link blog/_posts/2010-07-21-first.md %}) \
         [d]({{< ref \"/blog/_posts/2010-07-21-first.md#setup\" >}}) \
         [e]({{< relref \"2010-07-21-first.md\" >}}) [f](@/blog/_posts/2010-07-21-first.md#setup)\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("blog/second/index.html");
    for (text, href) in [
        ("a", "/blog/first/"),
        ("b", "/blog/first/"),
        ("c", "/blog/first/"),
        ("d", "/blog/first/#setup"),
        ("e", "/blog/first/"),
        ("f", "/blog/first/#setup"),
    ] {
        assert_contains(&html, &format!("<a href=\"{href}\">{text}</a>"));
    }
}

/// Template syntax Trailmark does not run is reported once per construct for the whole
/// site, with how many places and the first; code shows it as an example and is quiet.
#[test]
fn template_syntax_left_in_content_is_reported_once_per_construct() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "# A\n\n{% include note.html %}\n\n{{< figure src=\"x.png\" >}}\n\n`{{ code }}` and\n\n```\n{% include example.html %}\n```\n",
    );
    site.write(
        "content/b.md",
        "# B\n\nText {% include other.html %} and {{ page.title }}.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        [
            "content/a.md:3:1: warning: Liquid tag `{% include %}` is printed as written in 2 places, the first here: \
             Trailmark does not run other tools' templates in content; rewrite it as Markdown or a Trailmark shortcode",
            "content/a.md:5:1: warning: Hugo shortcode `{{< figure >}}` is printed as written in 1 place: \
             Trailmark does not run other tools' templates in content; rewrite it as Markdown or a Trailmark shortcode",
            "content/b.md:3:35: warning: Liquid variable `{{ page.title }}` is printed as written in 1 place: \
             Trailmark does not run other tools' templates in content; rewrite it as Markdown or a Trailmark shortcode",
        ]
    );
}

/// A Zola blog: `path` gives a post its URL (and, dated, its date); the root section may be
/// the blog, its feed the site's; `markdown.heading_ids: compact` makes Zola's heading ids.
#[test]
fn zola_paths_root_blog_and_compact_heading_ids() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Test site\nbase_url: https://example.org\nmarkdown:\n  heading_ids: compact\n",
    );
    site.write(
        "content/_index.md",
        "+++\nkind = \"blog\"\ntitle = \"Blog\"\n+++\n",
    );
    site.write(
        "content/Async-await-hits-beta.md",
        "+++\npath = \"2019/09/30/Async-await-hits-beta\"\ntitle = \"Async-await hits beta!\"\n+++\n\
         ## What's next?\n\nSee [next](#what-s-next) and [1.31](@/Rust-1.31.md#contributors-to-1-31-0).\n",
    );
    site.write(
        "content/Rust-1.31.md",
        "+++\npath = \"2018/12/06/Rust-1.31-and-rust-2018\"\ntitle = \"Rust 1.31\"\n+++\n## Contributors to 1.31.0\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let post = site.read("2019/09/30/Async-await-hits-beta/index.html");
    assert_contains(&post, "<time datetime=\"2019-09-30\">");
    assert_contains(
        &post,
        "href=\"/2018/12/06/Rust-1.31-and-rust-2018/#contributors-to-1-31-0\"",
    );
    assert_contains(&site.read("atom.xml"), "Async-await hits beta!");
}

/// Zola transliterates emoji and letters of other scripts in heading ids (`I-unsound (🦀)` is
/// `#i-unsound-crab`), and links written for a Zola blog use those ids: with
/// `heading_ids: compact` they resolve (32 links in blog.rust-lang.org failed before).
#[test]
fn compact_heading_ids_transliterate_as_zola_does() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Test site\nbase_url: https://example.org\nmarkdown:\n  heading_ids: compact\n",
    );
    site.write(
        "content/triage.md",
        "+++\ntitle = \"Triage\"\n+++\n## I-unsound (🦀)\n\n## Café crème\n\n## 🎉 Party\n\n\
         See [unsound](#i-unsound-crab), [café](#cafe-creme) and [party](#tada-party).\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let page = site.read("triage/index.html");
    for id in ["i-unsound-crab", "cafe-creme", "tada-party"] {
        assert_contains(&page, &format!("id=\"{id}\""));
    }
}

/// In a repository, `/guide/README.md#x` is a page from the root, as GitHub reads it.
#[test]
fn root_relative_markdown_links_resolve_from_the_content_folder() {
    let site = Site::new();
    site.write(
        "content/README.md",
        "# Guides\n\nSee [TypeScript](/js/README.md#typescript).\n",
    );
    site.write("content/js/README.md", "# JS\n\n## TypeScript\n\nTyped.\n");
    site.write(
        "content/js/sample.md",
        "# Sample\n\nBack [home](/README.md#guides).\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert_contains(&site.read("index.html"), "href=\"/js/#typescript\"");
    assert_contains(&site.read("js/sample/index.html"), "href=\"/#guides\"");
}

/// A Jekyll post written in HTML with front matter is a page, as Jekyll builds it: its front
/// matter read, its HTML body kept as written (no Markdown inside it, blank lines and
/// indentation included) in the theme's page, links to it resolve; an HTML file without
/// front matter is still published as it is.
#[test]
fn html_files_with_front_matter_are_pages() {
    let site = Site::new();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: News\n---\n",
    );
    site.write(
        "content/blog/_posts/2019-03-01-launch.html",
        "---\ntitle: We launch\n---\n<p>First <em>news</em>.</p>\n\n<div>\n    <p>Not *Markdown*</p>\n</div>\n",
    );
    site.write(
        "content/blog/_posts/2019-04-01-after.md",
        "---\ntitle: After\n---\n[a]({% post_url 2019-03-01-launch %}) [b](2019-03-01-launch.html) [c](../slides.html)\n",
    );
    site.write(
        "content/blog/slides.html",
        "<!doctype html>\n<title>Slides</title>\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("blog/launch/index.html");
    assert_contains(&html, "<title>We launch");
    assert_contains(
        &html,
        "<div class=\"html-page\"><p>First <em>news</em>.</p>\n<!-- -->\n<div>\n    <p>Not *Markdown*</p>\n</div>\n</div>",
    );
    assert_not_contains(&html, "title: We launch");
    assert!(!site.exists("blog/_posts/2019-03-01-launch.html"));
    let after = site.read("blog/after/index.html");
    for (text, href) in [
        ("a", "/blog/launch/"),
        ("b", "/blog/launch/"),
        ("c", "/blog/slides.html"),
    ] {
        assert_contains(&after, &format!("<a href=\"{href}\">{text}</a>"));
    }
    assert_eq!(
        site.read("blog/slides.html"),
        "<!doctype html>\n<title>Slides</title>\n"
    );
}

/// `{{ site.baseurl }}` (and `relative_url`) stand for the path the site is built under: the
/// published site's (`/field`), nothing under `serve`, so a link to a static file made with
/// them resolves in both, as it did under `jekyll serve`.
#[test]
fn site_baseurl_is_the_path_of_this_build_also_under_serve() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Field notes\nbase_url: https://example.org/field/\n",
    );
    site.write(
        "content/notes.md",
        "---\ntitle: Notes\n---\n![Map]({{ site.baseurl }}/assets/map.svg) \
         [list]({{ \"/assets/list.txt\" | relative_url }})\n",
    );
    site.write(
        "static/assets/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.write("static/assets/list.txt", "a\n");
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("notes/index.html");
    assert_contains(&html, "<img src=\"/field/assets/map.svg\" alt=\"Map\" />");
    assert_contains(&html, "<a href=\"/field/assets/list.txt\">list</a>");

    let server = crate::serve_harness::Server::start(&site, &[]);
    let page = server.get("/notes/").text();
    assert_contains(&page, "<img src=\"/assets/map.svg\" alt=\"Map\" />");
    assert_contains(&page, "<a href=\"/assets/list.txt\">list</a>");
    assert_eq!(server.get("/assets/map.svg").status, 200);
    assert_eq!(server.get("/assets/list.txt").status, 200);
}

/// A Carpentries lesson built as it is: `config.yaml` beside `episodes/` lists the episodes
/// in order (file names without number prefixes), and that is the course's order; a lesson
/// with its own `weight` keeps it, one not listed comes after the listed ones.
#[test]
fn carpentries_config_gives_the_episode_order() {
    let site = Site::new();
    site.write(
        "content/config.yaml",
        "title: Plotting\nepisodes:\n- introduction.md\n- plotting.md\n- data.md\n\nlearners:\n- setup.md\n",
    );
    site.write(
        "content/episodes/_index.md",
        "---\nkind: course\ntitle: Python for plots\n---\n",
    );
    for (file, title) in [
        ("data.md", "Loading data"),
        ("introduction.md", "Introduction"),
        ("plotting.md", "Drawing plots"),
        ("aside.md", "An aside"),
    ] {
        site.write(
            &format!("content/episodes/{file}"),
            &format!("---\ntitle: {title}\nteaching: 10\nexercises: 5\n---\nText.\n"),
        );
    }
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let course = site.read("episodes/index.html");
    let at = |title: &str| {
        course
            .find(&format!(">{title}<"))
            .unwrap_or_else(|| panic!("{title} not on the course page"))
    };
    assert!(at("Introduction") < at("Drawing plots"));
    assert!(at("Drawing plots") < at("Loading data"));
    assert!(at("Loading data") < at("An aside"));
    assert_contains(
        &site.read("episodes/introduction/index.html"),
        "href=\"/episodes/plotting/\"",
    );
}

/// Pandoc heading attributes: the block goes from the heading's text, the page's title and
/// the table of contents (no trailing space), its id and classes apply, and quoted values
/// keep their spaces (`title="Set up"`, which pulldown-cmark alone cuts at the space).
#[test]
fn pandoc_heading_attributes_with_quoted_values() {
    let site = Site::new();
    site.write(
        "content/lesson.md",
        "# Plotting {#top .lead}\n\n## Setup {#setup .callout title=\"Set up first\"}\n\n\
         ## Data {#data data-note='two words'}\n\nSee [setup](#setup) and [top](#top).\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.read("lesson/index.html");
    assert_contains(&html, "<title>Plotting · Test site</title>");
    assert_contains(&html, "<h1 id=\"top\">Plotting</h1>");
    assert_contains(
        &html,
        "<h2 id=\"setup\" class=\"callout\" title=\"Set up first\">Setup <a class=\"anchor\"",
    );
    assert_contains(
        &html,
        "<h2 id=\"data\" data-note=\"two words\">Data <a class=\"anchor\"",
    );
    assert_contains(&html, "<a href=\"#setup\">Setup</a>");
    assert_not_contains(&html, "{#");
}

/// Sites written for a tool without `$` math (Zola, Hugo without passthrough, mdBook) use
/// dollars as money and in prose: `markdown.math` says which dollars open a formula, and TeX
/// the converter lacks (`\TeX`, mhchem) is a warning, the page showing the TeX as written,
/// never a failed build.
#[test]
fn math_delimiters_follow_the_site_and_unconvertible_tex_only_warns() {
    let body = "---\ntitle: Prices\n---\nFrom $5 to $10, and $x^2$ here.\n\n$$\nx_1 + y\n$$\n\nTyped in $\\TeX$.\n";
    let site = Site::new();
    site.write("content/prices.md", body);
    let run = site.build();
    run.assert_ok();
    let html = site.read("prices/index.html");
    assert_contains(&html, "<span class=\"math math-inline\"><math");
    assert_contains(&html, "<div class=\"math math-display\"><math");
    let warnings = run.coded_diagnostics();
    assert!(
        warnings
            .iter()
            .all(|line| line.contains("warning:") && line.ends_with("[TM0450]")),
        "{}",
        run.stderr
    );
    assert!(!warnings.is_empty(), "`\\TeX` is reported: {}", run.stderr);

    for (setting, inline_math, display_math) in [("display", false, true), ("off", false, false)] {
        let site = Site::new();
        site.write(
            "trailmark.yaml",
            &format!("title: T\nbase_url: https://example.org\nmarkdown:\n  math: {setting}\n"),
        );
        site.write("content/prices.md", body);
        let run = site.build();
        run.assert_ok();
        assert!(run.diagnostics().is_empty(), "{setting}: {}", run.stderr);
        let html = site.read("prices/index.html");
        assert_contains(&html, "From $5 to $10, and $x^2$ here.");
        assert_contains(&html, "Typed in $\\TeX$.");
        assert_eq!(html.contains("math-inline"), inline_math, "{setting}");
        assert_eq!(
            html.contains("math-display\"><math"),
            display_math,
            "{setting}"
        );
    }
}

/// hugoDocs writes `[template][]` with `[template]: <{{% eturl rss %}}>`: the message named
/// a file `content/{{% eturl rss %}}` that cannot exist (found from outside).
#[test]
fn a_link_to_another_tools_template_says_what_it_is() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\n",
    )
    .write(
        "content/p.md",
        "---\ntitle: P\n---\n\nSee the [embedded template][].\n\n[embedded template]: <{{% eturl rss %}}>\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/p.md:5:9: error: link to `{{% eturl rss %}}`: the destination is another tool's template, which Trailmark does not run [TM0303]",
    );
    assert_contains(&run.stderr, "help: write the URL it stands for");
    assert_not_contains(&run.stderr, "no content/");
}
