//! The content model end to end: sections, bundles, slugs, order, titles, links, assets.

use crate::harness::{Site, assert_contains, assert_not_contains};

#[test]
fn pretty_urls_slugs_and_prefixes() {
    let site = Site::new();
    site.write("content/guide/_index.md", "---\ntitle: Guide\n---\n");
    site.write(
        "content/guide/02-planning.md",
        "---\ntitle: Planning\n---\nText\n",
    );
    site.write("content/guide/01-why.md", "---\ntitle: Why\n---\nText\n");
    site.write(
        "content/guide/custom.md",
        "---\ntitle: Custom\nslug: Chosen Name\n---\n",
    );
    site.write("content/blog/_index.md", "---\nkind: blog\n---\n");
    site.write(
        "content/blog/2013-05-01-baselining.md",
        "---\ntitle: Baselining\n---\n",
    );
    site.build().assert_ok();
    for file in [
        "guide/index.html",
        "guide/planning/index.html",
        "guide/why/index.html",
        "guide/chosen-name/index.html",
        "blog/baselining/index.html",
    ] {
        assert!(site.exists(file), "missing {file}: {:?}", site.outputs());
    }
    let guide = site.read("guide/index.html");
    let why = guide.find("/guide/why/").unwrap();
    let planning = guide.find("/guide/planning/").unwrap();
    assert!(why < planning, "number prefixes order the list");
    // The date comes from the file name.
    assert_contains(&site.read("blog/baselining/index.html"), "2013");
}

#[test]
fn order_is_weight_then_prefix_then_title() {
    let site = Site::new();
    site.write("content/s/_index.md", "---\ntitle: S\n---\n");
    site.write("content/s/b.md", "---\ntitle: Bravo\n---\n");
    site.write("content/s/a.md", "---\ntitle: Alpha\n---\n");
    site.write("content/s/01-z.md", "---\ntitle: Zulu\n---\n");
    site.write("content/s/heavy.md", "---\ntitle: Heavy\nweight: 1\n---\n");
    site.build().assert_ok();
    let list = site.read("s/index.html");
    let positions: Vec<usize> = ["/s/heavy/", "/s/z/", "/s/a/", "/s/b/"]
        .iter()
        .map(|u| list.find(u).unwrap_or_else(|| panic!("{u} missing")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

#[test]
fn title_falls_back_to_heading_then_file_name() {
    let site = Site::new();
    site.write(
        "content/from-heading.md",
        "Intro line\n\n# The *Real* Title\n\nBody\n",
    );
    site.write("content/no-title-here.md", "Just text.\n");
    site.build().assert_ok();
    assert_contains(
        &site.read("from-heading/index.html"),
        "<title>The Real Title",
    );
    assert_contains(
        &site.read("no-title-here/index.html"),
        "<title>No title here",
    );
}

#[test]
fn bundles_copy_their_assets_beside_the_page() {
    let site = Site::new();
    site.write("content/lessons/_index.md", "---\ntitle: Lessons\n---\n");
    site.write(
        "content/lessons/01-intro/index.md",
        "---\ntitle: Intro\n---\n![Funnel](diagram.svg)\n",
    );
    site.write(
        "content/lessons/01-intro/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build().assert_ok();
    assert!(
        site.exists("lessons/intro/diagram.svg"),
        "{:?}",
        site.outputs()
    );
    assert_contains(
        &site.read("lessons/intro/index.html"),
        "src=\"/lessons/intro/diagram.svg\"",
    );
}

#[test]
fn links_between_pages_become_urls_and_files_are_copied() {
    let site = Site::new();
    site.write("content/course/_index.md", "---\ntitle: Course\n---\n");
    site.write(
        "content/course/01-a.md",
        "---\ntitle: A\n---\nSee [B](02-b.md), [goals](02-b.md#goals), [home](../_index.md) and ![fig](fig/d.svg).\n",
    );
    site.write(
        "content/course/02-b.md",
        "---\ntitle: B\n---\n## Goals\n\nText\n",
    );
    site.write(
        "content/course/fig/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    site.build().assert_ok();
    let a = site.read("course/a/index.html");
    assert_contains(&a, "href=\"/course/b/\"");
    assert_contains(&a, "href=\"/course/b/#goals\"");
    assert_contains(&a, "href=\"/\"");
    assert_contains(&a, "src=\"/course/fig/d.svg\"");
    assert!(site.exists("course/fig/d.svg"));
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org/docs/\n",
    );
    site.write("content/a.md", "---\ntitle: A\n---\n[b](b.md)\n");
    site.write("content/b.md", "---\ntitle: B\n---\n");
    site.build().assert_ok();
    let a = site.read("a/index.html");
    assert_contains(&a, "href=\"/docs/b/\"");
    assert_contains(&a, "https://example.org/docs/a/");
    assert_contains(
        &site.read("sitemap.xml"),
        "<loc>https://example.org/docs/b/</loc>",
    );
    // The command line wins over the config.
    site.run(&["build", "--base-url", "https://other.example/"])
        .assert_ok();
    assert_contains(&site.read("a/index.html"), "href=\"/b/\"");
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\n---\n");
    site.write("content/wip.md", "---\ntitle: WIP\ndraft: true\n---\n");
    let run = site.build();
    run.assert_ok();
    assert!(!site.exists("wip/index.html"));
    assert_contains(&run.stdout, "1 draft skipped");
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.exists("wip/index.html"));
}

#[test]
fn unknown_front_matter_keys_reach_templates_and_typos_warn() {
    let site = Site::new();
    site.write(
        "templates/page.html",
        "{{ page.title }}|{{ page.params.mood }}",
    );
    site.write(
        "content/a.md",
        "---\ntitel: Oops\ntitle: A\nmood: sunny\n---\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        ["content/a.md:2:1: warning: unknown front matter key `titel`; its value is not used"]
    );
    assert_eq!(site.read("a/index.html"), "A|sunny");
}

#[test]
fn toml_front_matter_bom_and_crlf_are_read() {
    let site = Site::new();
    site.write(
        "content/t.md",
        "+++\ntitle = \"From Hugo\"\ndate = 2024-05-01\n+++\nBody\n",
    );
    site.write_bytes(
        "content/w.md",
        b"\xEF\xBB\xBF---\r\ntitle: Windows\r\n---\r\nBody\r\n",
    );
    site.build().assert_ok();
    assert_contains(&site.read("t/index.html"), "From Hugo");
    assert_contains(&site.read("w/index.html"), "Windows");
}

#[test]
fn highlighting_uses_classes_and_writes_stylesheets() {
    let site = Site::new();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n",
    );
    site.build().assert_ok();
    let page = site.read("code/index.html");
    assert_contains(&page, "class=\"hl-");
    assert_not_contains(&page, "style=\"color");
    assert_contains(&site.read("highlight-light.css"), ".hl-");
    assert_contains(&site.read("highlight-dark.css"), ".hl-");
}

#[test]
fn aliases_write_redirect_pages() {
    let site = Site::new();
    site.write(
        "content/new.md",
        "---\ntitle: New\naliases: [/old/path/, legacy.html]\n---\n",
    );
    site.build().assert_ok();
    assert_contains(&site.read("old/path/index.html"), "url=/new/");
    assert_contains(&site.read("legacy.html"), "url=/new/");
}

#[test]
fn taxonomies_get_index_and_term_pages() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ntags: [Social Media Manager, Strategy]\n---\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ntags: [social media manager]\n---\n",
    );
    site.build().assert_ok();
    let index = site.read("tags/index.html");
    assert_contains(&index, "/tags/social-media-manager/");
    let term = site.read("tags/social-media-manager/index.html");
    assert_contains(&term, "/a/");
    assert_contains(&term, "/b/");
}

#[test]
fn static_files_sitemap_robots_and_404_are_written() {
    let site = Site::new();
    site.write("static/images/logo.svg", "<svg/>");
    site.write("static/.hidden", "secret");
    site.write("content/a.md", "# A\n");
    site.build().assert_ok();
    assert!(site.exists("images/logo.svg"));
    assert!(!site.exists(".hidden"));
    assert_contains(
        &site.read("robots.txt"),
        "Sitemap: https://example.org/sitemap.xml",
    );
    assert_contains(
        &site.read("sitemap.xml"),
        "<loc>https://example.org/a/</loc>",
    );
    assert!(site.exists("404.html"));
    assert!(site.exists("trailmark.css"));
}

#[test]
fn ignored_files_are_left_out() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nignore: [\"*.notes.md\", private]\n",
    );
    site.write("content/a.md", "# A\n");
    site.write("content/a.md~", "# backup\n");
    site.write("content/#a.md#", "# emacs\n");
    site.write("content/x.notes.md", "# notes\n");
    site.write("content/private/p.md", "# private\n");
    site.build().assert_ok();
    let outputs = site.outputs().join("\n");
    assert_not_contains(&outputs, "notes");
    assert_not_contains(&outputs, "private");
    assert_not_contains(&outputs, "emacs");
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::new();
    site.write("templates/page.html", "custom: {{ page.title }}");
    site.write("content/a.md", "---\ntitle: A\n---\n");
    site.build().assert_ok();
    assert_eq!(site.read("a/index.html"), "custom: A");
}

#[test]
fn theme_folder_is_selected_by_config() {
    let site = Site::new();
    site.write("trailmark.yaml", "title: T\ntheme: plain\n");
    for name in [
        "page.html",
        "section.html",
        "index.html",
        "404.html",
        "redirect.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        site.write(&format!("themes/plain/templates/{name}"), "plain theme");
    }
    site.write("themes/plain/static/plain.css", "body{}");
    site.write("content/a.md", "# A\n");
    site.build().assert_ok();
    assert_eq!(site.read("a/index.html"), "plain theme");
    assert!(site.exists("plain.css"));
    assert!(!site.exists("trailmark.css"));
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let make = || {
        let site = Site::new();
        for i in 0..40 {
            site.write(
                &format!("content/blog/2025-01-{:02}-post-{i}.md", i % 28 + 1),
                &format!("---\ntitle: Post {i}\ntags: [t{}]\n---\n## Part\n\n```rust\nlet x = {i};\n```\n", i % 5),
            );
        }
        site.write(
            "content/blog/_index.md",
            "---\nkind: blog\npaginate_by: 7\n---\n",
        );
        site
    };
    let one = make();
    let many = make();
    let run = |site: &Site, threads: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args(["build", "--build-date", crate::harness::BUILD_DATE])
            .current_dir(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(output.status.success());
    };
    run(&one, "1");
    run(&many, "16");
    let files = one.outputs();
    assert_eq!(files, many.outputs());
    for file in files {
        assert_eq!(
            std::fs::read(one.public().join(&file)).unwrap(),
            std::fs::read(many.public().join(&file)).unwrap(),
            "{file} differs"
        );
    }
}
