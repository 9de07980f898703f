//! The default theme's reading aids and its interface strings: tabs, code block titles and
//! highlighted lines, on-page contents, last updated and edit links on every page kind, the
//! string table and its overrides.

use crate::harness::{Site, assert_contains, assert_not_contains};

#[test]
fn tabs_render_every_tab_under_its_label() {
    let site = Site::new();
    site.write(
        "content/setup.md",
        "---\ntitle: Setup\n---\n::: tabs\n\n::: tab \"macOS\"\n\nUse **Homebrew**.\n\n:::\n\n\
         ::: tab Linux\n\nUse apt.\n\n:::\n\n:::\n",
    );
    site.build().assert_ok();
    let html = site.read("setup/index.html");
    assert_contains(
        &html,
        "<div class=\"tabs\">\n<div class=\"tab\">\n<p class=\"tab-title\">macOS</p>\n\
         <p>Use <strong>Homebrew</strong>.</p>\n</div>\n\
         <div class=\"tab\">\n<p class=\"tab-title\">Linux</p>\n<p>Use apt.</p>\n</div>\n</div>\n",
    );
    // The script that turns them into a tab list is on every page.
    assert_contains(&html, "<script src=\"/trailmark.js\" defer></script>");
    assert!(site.exists("trailmark.js"));
}

#[test]
fn a_tab_outside_tabs_is_reported() {
    let site = Site::new();
    site.write(
        "content/setup.md",
        "---\ntitle: Setup\n---\nIntro.\n\n::: tab \"Alone\"\nText.\n:::\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        vec![
            "content/setup.md:6:1: warning: `::: tab` belongs directly inside a `::: tabs` \
             block; it shows as a labelled block"
                .to_string()
        ]
    );
    assert_contains(
        &site.read("setup/index.html"),
        "<p class=\"tab-title\">Alone</p>",
    );
}

#[test]
fn code_blocks_take_a_title_and_highlighted_lines() {
    let site = Site::new();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```text title=\"src/notes.txt\" hl_lines=\"2-3\"\none\ntwo\nthree\nfour\n```\n",
    );
    site.build().assert_ok();
    assert_contains(
        &site.read("code/index.html"),
        "<div class=\"code-block\">\n<p class=\"code-title\">src/notes.txt</p>\n\
         <pre class=\"code\" data-lang=\"text\"><code class=\"language-text\">one\n\
         <span class=\"hll\">two\n</span><span class=\"hll\">three\n</span>four\n</code></pre>\n</div>\n",
    );
}

#[test]
fn unreadable_highlighted_lines_are_a_warning() {
    let site = Site::new();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\nText.\n\n```rust hl_lines=\"two\"\nfn main() {}\n```\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        vec![
            "content/code.md:6:1: warning: `hl_lines=\"two\"` is not a list of line numbers \
             and ranges (like `hl_lines=\"2 4-6\"`); no line is highlighted"
                .to_string()
        ]
    );
}

#[test]
fn posts_pages_and_lessons_get_on_page_contents_and_a_page_footer() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nrepo_url: https://git.example.org/site/edit/main/{path}\n",
    );
    let body = "Intro.\n\n## First part\n\nText.\n\n## Second part\n\nText.\n";
    site.write(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{body}"),
    );
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    );
    site.write(
        "content/blog/hello.md",
        &format!("---\ntitle: Hello\ndate: 2026-05-01\nupdated: 2026-05-20\n---\n{body}"),
    );
    site.write(
        "content/course/_index.md",
        "---\ntitle: Course\nkind: course\n---\n",
    );
    site.write(
        "content/course/01-one.md",
        &format!("---\ntitle: One\n---\n{body}"),
    );
    site.write(
        "content/course/02-two.md",
        "---\ntitle: Two\n---\nNo headings.\n",
    );
    site.build().assert_ok();
    for (page, source) in [
        ("about/index.html", "content/about.md"),
        ("blog/hello/index.html", "content/blog/hello.md"),
        ("course/one/index.html", "content/course/01-one.md"),
    ] {
        let html = site.read(page);
        assert_contains(
            &html,
            "<p class=\"sidebar-title\" id=\"toc-title\">On this page</p>",
        );
        assert_contains(&html, "<summary>On this page</summary>");
        assert_contains(&html, "<li><a href=\"#second-part\">Second part</a>");
        assert_contains(
            &html,
            &format!(
                "<p class=\"edit-link\"><a href=\"https://git.example.org/site/edit/main/{source}\">Edit this page</a></p>"
            ),
        );
        assert_contains(
            &html,
            "<p class=\"last-updated\">Last updated <time datetime=\"",
        );
    }
    // `updated:` wins over the file's history.
    assert_contains(
        &site.read("blog/hello/index.html"),
        "Last updated <time datetime=\"2026-05-20\">20 May 2026</time>",
    );
    // A page with one heading or none has no contents to show.
    let two = site.read("course/two/index.html");
    assert_not_contains(&two, "On this page");
    assert_contains(&two, "Edit this page");
    // Section pages too.
    assert_contains(
        &site.read("course/index.html"),
        "edit/main/content/course/_index.md\">Edit this page</a>",
    );
}

#[test]
fn interface_strings_come_from_the_table_and_a_site_overrides_them_key_by_key() {
    let site = Site::new();
    site.write("content/about.md", "---\ntitle: About\n---\nText.\n");
    site.build().assert_ok();
    let html = site.read("about/index.html");
    assert_contains(
        &html,
        "<a class=\"skip-link\" href=\"#main\">Skip to content</a>",
    );
    assert_contains(&html, "<span>Menu</span>");

    site.write(
        "templates/strings/en.yaml",
        "# Only what changes.\nmenu: \"Browse\"\n",
    );
    site.build().assert_ok();
    let html = site.read("about/index.html");
    assert_contains(&html, "<span>Browse</span>");
    assert_contains(&html, "Skip to content");

    // A translation needs only the keys it translates; the rest stays English.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nlanguage: fr-CA\n",
    );
    site.write(
        "templates/strings/fr.yaml",
        "skip_to_content: \"Aller au contenu\"\n",
    );
    site.build().assert_ok();
    let html = site.read("about/index.html");
    assert_contains(
        &html,
        "<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>",
    );
    assert_contains(&html, "<span>Browse</span>");
}

#[test]
fn a_broken_string_file_or_an_unknown_key_is_an_error() {
    let site = Site::new();
    site.write("content/about.md", "---\ntitle: About\n---\nText.\n");
    site.write("templates/strings/en.yaml", "menu:\n  - a\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        vec![
            "templates/strings/en.yaml:1:1: error: interface string `menu` must be text, not a list"
                .to_string()
        ]
    );
    site.write("templates/strings/en.yaml", "menu: Menu\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ t(key=\"no_such_key\") }}{% endblock main %}",
    );
    let run = site.build();
    run.assert_code(1);
    let diagnostics = run.diagnostics().join("\n");
    assert!(
        diagnostics
            .contains("no interface string `no_such_key`: add it to templates/strings/en.yaml"),
        "{diagnostics}"
    );
}

/// A page that shows every kind of label the Markdown renderer writes, and a dated post.
fn labelled_site() -> Site {
    let site = Site::new();
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n::: exercise\nDo it.\n\n::: solution\nDone.\n:::\n:::\n\n\
         > [!NOTE]\n> Read this.\n\n```quiz\n- question: Pick\n  choices:\n    - {text: A, correct: true}\n    - {text: B}\n```\n",
    )
    .write("content/blog/_index.md", "---\ntitle: Blog\nkind: blog\n---\n")
    .write(
        "content/blog/2026-05-30-news.md",
        "---\ntitle: News\ndate: 2026-05-30\n---\nText.\n",
    );
    site
}

#[test]
fn renderer_labels_and_month_names_come_from_the_string_table() {
    let site = labelled_site();
    site.build().assert_ok();
    let guide = site.read("guide/index.html");
    assert_contains(&guide, "<p class=\"exercise-title\">Exercise</p>");
    assert_contains(&guide, "<summary>Solution</summary>");
    assert_contains(&guide, "<p class=\"callout-title\">Note</p>");
    assert_contains(&guide, "<span class=\"quiz-number\">Question 1 of 1</span>");
    assert_contains(&guide, "Check answers</button>");
    let post = site.read("blog/news/index.html");
    assert_contains(&post, "<time datetime=\"2026-05-30\">30 May 2026</time>");

    // A translation: the renderer's labels and the month names follow the language, keys it
    // leaves out stay English, and an override is escaped like any text.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nlanguage: fr\n",
    );
    site.write(
        "templates/strings/fr.yaml",
        "md_exercise: \"Exercice\"\nmd_note: \"Remarque <!>\"\n\
         md_quiz_question_of: \"Question {number} sur {total}\"\nmd_quiz_check: \"Vérifier\"\n\
         month_names: \"janvier février mars avril mai juin juillet août septembre octobre novembre décembre\"\n",
    );
    site.build().assert_ok();
    let guide = site.read("guide/index.html");
    assert_contains(&guide, "<p class=\"exercise-title\">Exercice</p>");
    assert_contains(&guide, "<summary>Solution</summary>");
    assert_contains(&guide, "<p class=\"callout-title\">Remarque &lt;!&gt;</p>");
    assert_contains(
        &guide,
        "<span class=\"quiz-number\">Question 1 sur 1</span>",
    );
    assert_contains(&guide, "Vérifier</button>");
    let post = site.read("blog/news/index.html");
    assert_contains(&post, "<time datetime=\"2026-05-30\">30 mai 2026</time>");
    let archive = site.read("blog/archive/index.html");
    assert_contains(&archive, ">mai 2026</h3>");
}

#[test]
fn a_label_override_renders_the_pages_again_from_a_warm_cache() {
    let site = labelled_site();
    site.build().assert_ok();
    assert!(site.root().join(".trailmark-cache/markdown.bin").is_file());
    assert_contains(
        &site.read("guide/index.html"),
        "<p class=\"exercise-title\">Exercise</p>",
    );
    // Only the string table changes: the cached renders must not be reused.
    site.write("templates/strings/en.yaml", "md_exercise: \"Try it\"\n");
    site.build().assert_ok();
    let guide = site.read("guide/index.html");
    assert_contains(&guide, "<p class=\"exercise-title\">Try it</p>");
    assert_not_contains(&guide, "Exercise");
}

#[test]
fn a_label_override_renders_the_pages_again_in_serve() {
    let site = labelled_site();
    let server = crate::serve_harness::Server::start(&site, &[]);
    assert_contains(
        &server.get("/guide/").text(),
        "<p class=\"exercise-title\">Exercise</p>",
    );
    server.edit(|| {
        site.write("templates/strings/en.yaml", "md_exercise: \"Try it\"\n");
    });
    assert_contains(
        &server.get("/guide/").text(),
        "<p class=\"exercise-title\">Try it</p>",
    );
    server.assert_matches_clean_build(&site, "label override");
    server.edit(|| {
        site.write("templates/strings/en.yaml", "md_exercise: \"Practice\"\n");
    });
    assert_contains(
        &server.get("/guide/").text(),
        "<p class=\"exercise-title\">Practice</p>",
    );
    server.assert_matches_clean_build(&site, "second label override");
}

#[test]
fn only_pages_that_may_show_coloured_code_link_the_highlight_stylesheets() {
    let site = Site::new();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n",
    )
    .write(
        "content/prose.md",
        "---\ntitle: Prose\n---\nNo code, `inline` only.\n",
    );
    site.build().assert_ok();
    let link = "<link rel=\"stylesheet\" href=\"/highlight-light.css\"";
    assert_contains(&site.read("code/index.html"), link);
    assert_not_contains(&site.read("prose/index.html"), link);
    assert_not_contains(&site.read("prose/index.html"), "/highlight-dark.css");
    assert_not_contains(&site.read("404.html"), link);
    // Lists show other pages' summaries: they keep them.
    assert_contains(&site.read("index.html"), link);
}

#[test]
fn journey_durations_and_milestone_statuses_come_from_the_string_table() {
    let site = Site::new();
    site.write(
        "content/journey/_index.md",
        "---\nkind: journey\ntitle: J\nstarted: 2025-03-01\ndeadline: 2026-06-21\n\
         milestones:\n  - { id: one, title: One, status: in-progress }\n---\n",
    );
    site.build().assert_ok();
    let html = site.read("journey/index.html");
    assert_contains(&html, "<dd>1 year 3 months</dd>");
    assert_contains(&html, "<dd>20 days</dd>");
    assert_contains(&html, "badge-status\">In progress</span>");

    site.write(
        "templates/strings/en.yaml",
        "years_count: \"{count} yr\"\nyears_count_other: \"{count} yrs\"\n\
         days_count_other: \"{count} d\"\nmilestone_status_in-progress: \"Under way\"\n",
    );
    site.build().assert_ok();
    let html = site.read("journey/index.html");
    assert_contains(&html, "<dd>1 yr 3 months</dd>");
    assert_contains(&html, "<dd>20 d</dd>");
    assert_contains(&html, "badge-status\">Under way</span>");
}

/// Texts the build writes outside a template's own `t` calls (a post's comments link, an
/// archive's title, the `<title>` of series and testimonials pages, a redirect) come from
/// the string table too: with every one of them overridden, no English one is left in any
/// page.
#[test]
fn no_english_interface_text_survives_a_string_table_that_overrides_it() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ncomments:\n  email: \"a@example.org\"\n",
    );
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: Notes\n---\n",
    );
    site.write(
        "content/blog/one.md",
        "---\ntitle: One\ndate: 2026-01-02\nseries: Basics\naliases: [/old/]\n---\nText.\n",
    );
    site.write(
        "content/blog/two.md",
        "---\ntitle: Two\ndate: 2026-01-03\nseries: Basics\ncomments: https://forum.example.org/t/2\n---\nText.\n",
    );
    site.write(
        "content/work/_index.md",
        "---\nkind: case-studies\ntitle: Work\n---\n",
    );
    site.write(
        "content/work/a.md",
        "---\ntitle: A\nclient: C\nsector: Energy\ntestimonial: { quote: Good, name: N }\n---\nText.\n",
    );
    let english = [
        ("comments_email", "Reply by email", "Par courriel"),
        ("comments_url", "Join the discussion", "Discuter"),
        ("archive_title", "Notes archive", "Archives de {section}"),
        ("series_title", "Series: Basics", "Série {name}"),
        ("series", ">Series<", "Séries"),
        ("testimonials", "Testimonials", "Témoignages"),
        ("redirect_title", "Redirecting", "Redirection"),
        (
            "redirect_moved",
            "This page has moved",
            "Cette page est ici",
        ),
    ];
    site.build().assert_ok();
    let all = |site: &Site| {
        let mut text = String::new();
        for file in site.outputs() {
            if file.to_ascii_lowercase().ends_with(".html") {
                text.push_str(&file);
                text.push_str(":\n");
                text.push_str(&site.read(&file));
            }
        }
        text
    };
    let before = all(&site);
    for (_, text, _) in english {
        assert_contains(&before, text);
    }
    let mut table = String::new();
    for (key, _, text) in english {
        table.push_str(key);
        table.push_str(": \"");
        table.push_str(text);
        table.push_str("\"\n");
    }
    site.write("templates/strings/en.yaml", &table);
    site.build().assert_ok();
    let after = all(&site);
    for (_, text, _) in english {
        assert_not_contains(&after, text);
    }
    assert_contains(&site.read("blog/one/index.html"), ">Par courriel</a>");
    assert_contains(&site.read("blog/two/index.html"), ">Discuter</a>");
    let archive = site.read("blog/archive/index.html");
    assert_contains(&archive, "<h1>Archives de Notes</h1>");
    assert_contains(&archive, "<title>Archives de Notes · T</title>");
    assert_contains(&site.read("old/index.html"), "<title>Redirection</title>");
    assert_contains(
        &site.read("testimonials/index.html"),
        "<title>Témoignages · T</title>",
    );
}

/// Rules few pages use live in stylesheets of their own: the print pages, the certificate
/// and the instructor view link `trailmark-handouts.css`, a page with a video links
/// `trailmark-embed.css`; other pages download neither, and `trailmark.css` holds neither's
/// rules.
#[test]
fn rarely_used_rules_are_in_stylesheets_only_the_pages_using_them_link() {
    let site = Site::new();
    site.write(
        "content/courses/intro/_index.md",
        "---\nkind: course\ntitle: Intro\ncertificate: true\n---\nAbout.\n",
    )
    .write(
        "content/courses/intro/01-one.md",
        "---\ntitle: One\n---\nHello.\n\n::: instructor\nBring cards.\n:::\n",
    )
    .write(
        "content/handbook/_index.md",
        "---\nkind: handbook\ntitle: Handbook\n---\n",
    )
    .write("content/handbook/a.md", "---\ntitle: A\n---\nText.\n")
    .write(
        "content/video.md",
        "---\ntitle: Video\n---\n::video{provider=\"youtube\" id=\"dQw4w9WgXcQ\"}\n\n\
         ::video{provider=\"vimeo\" id=\"76979871\"}\n",
    )
    .write("content/plain.md", "---\ntitle: Plain\n---\nText.\n");
    site.build().assert_ok();
    let handouts = "<link rel=\"stylesheet\" href=\"/trailmark-handouts.css\">";
    let embed = "<link rel=\"stylesheet\" href=\"/trailmark-embed.css\">";
    for page in [
        "courses/intro/print/index.html",
        "courses/intro/certificate/index.html",
        "courses/intro/instructor/index.html",
        "handbook/print/index.html",
    ] {
        let html = site.read(page);
        assert_contains(&html, handouts);
        assert_not_contains(&html, embed);
    }
    for page in [
        "index.html",
        "courses/intro/index.html",
        "courses/intro/one/index.html",
        "handbook/a/index.html",
        "plain/index.html",
        "404.html",
    ] {
        let html = site.read(page);
        assert_not_contains(&html, handouts);
        assert_not_contains(&html, embed);
    }
    let video = site.read("video/index.html");
    assert_contains(&video, embed);
    assert_not_contains(&video, handouts);
    // The embed's stylesheet comes before the figures it styles, once for both videos, and
    // so does its script.
    assert!(video.find(embed) < video.find("<figure class=\"embed"));
    assert_eq!(video.matches("<figure class=\"embed").count(), 2);
    assert_eq!(video.matches(embed).count(), 1);
    assert_eq!(video.matches("trailmark-embed.js").count(), 1);
    let main = site.read("trailmark.css");
    for rule in [
        ".certificate{",
        ".print-module{",
        "table.schedule{",
        ".embed-link{",
    ] {
        assert_not_contains(&main, rule);
    }
    assert_contains(&site.read("trailmark-handouts.css"), ".certificate{");
    assert_contains(&site.read("trailmark-embed.css"), ".embed-link{");
}

/// The theme contract documents the shared partials and the block a custom template needs
/// to know about to load the stylesheets of what it shows.
#[test]
fn the_contract_documents_the_stylesheet_partials_and_blocks() {
    let contract = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/CONTRACT.md"
    ))
    .unwrap();
    for name in [
        "`partials/days.html`",
        "`partials/highlight-css.html`",
        "`partials/handouts-css.html`",
        "{% block highlight_css %}",
        "`trailmark-handouts.css`",
        "`trailmark-embed.css`",
    ] {
        assert_contains(&contract, name);
    }
}
