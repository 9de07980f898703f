//! Tests of [`render`] as a whole: the contract each caller relies on.

use super::*;

fn input(body: &str) -> RenderInput<'_> {
    RenderInput {
        body,
        file: "content/page.md",
        first_line: 1,
        strip_title_heading: false,
        lift_lesson_blocks: false,
    }
}

fn md(body: &str) -> Rendered {
    render(&input(body), &MarkdownOptions::default(), &KeepLinks)
}

fn messages(rendered: &Rendered) -> Vec<String> {
    rendered
        .diagnostics
        .iter()
        .map(crate::diagnostics::uncoded_headline)
        .collect()
}

/// Answers relative links by name, like the build's resolver would.
struct TestResolver;

impl LinkResolver for TestResolver {
    fn resolve(&self, destination: &str) -> LinkResolution {
        match destination {
            "keep.md" => LinkResolution::Keep,
            "other.md" => LinkResolution::Rewrite {
                url: "/other/".to_string(),
                anchor_check: None,
            },
            "other.md#goals" => LinkResolution::Rewrite {
                url: "/other/#goals".to_string(),
                anchor_check: Some(AnchorCheck {
                    target_doc_id: "other.md".to_string(),
                    anchor: "goals".to_string(),
                    line: 0,
                    column: 0,
                }),
            },
            "img/pic.png" => LinkResolution::Rewrite {
                url: "/page/pic.png".to_string(),
                anchor_check: None,
            },
            site_url if site_url.starts_with('/') => LinkResolution::Keep,
            other => LinkResolution::Broken(format!("no page or file `{other}`")),
        }
    }
}

#[test]
fn headings_get_ids_and_self_links() {
    let out = md("# Title\n\n## Getting started\n\n### Step *one*\n");
    assert_eq!(
        out.html,
        "<h1 id=\"title\">Title</h1>\n\
         <h2 id=\"getting-started\">Getting started <a class=\"anchor\" href=\"#getting-started\" aria-labelledby=\"getting-started\"></a></h2>\n\
         <h3 id=\"step-one\">Step <em>one</em> <a class=\"anchor\" href=\"#step-one\" aria-labelledby=\"step-one\"></a></h3>\n"
    );
    assert_eq!(out.anchors, ["title", "getting-started", "step-one"]);
}

#[test]
fn repeated_headings_get_suffixes_and_ids_are_stable() {
    let body = "## Setup\n\n## Setup\n\n## Setup\n\n## 日本語 の 見出し\n";
    let out = md(body);
    assert_eq!(
        out.anchors,
        ["setup", "setup-1", "setup-2", "日本語-の-見出し"]
    );
    assert_eq!(md(body), out);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn explicit_ids_classes_and_collisions() {
    let out = md("## Intro {#start .lead}\n\n## Start\n\n## Again {#start}\n");
    assert_eq!(out.anchors, ["start", "start-1", "start-2"]);
    assert!(
        out.html.contains("<h2 id=\"start\" class=\"lead\">Intro "),
        "{}",
        out.html
    );
    assert_eq!(
        messages(&out),
        [
            "content/page.md:5:1: warning: heading id `start` is already used in this page; this heading gets `start-2`"
        ]
    );
}

#[test]
fn toc_nests_levels_two_to_four() {
    let out = md("# Title\n\n## A\n\n### A.1\n\n##### deep\n\n#### A.1.x\n\n## B\n\n#### B skip\n");
    let top: Vec<(u8, &str)> = out
        .toc
        .iter()
        .map(|e| (e.level, e.title.as_str()))
        .collect();
    assert_eq!(top, [(2, "A"), (2, "B")]);
    let second: Vec<Vec<(&str, usize)>> = out
        .toc
        .iter()
        .map(|e| {
            e.children
                .iter()
                .map(|c| (c.id.as_str(), c.children.len()))
                .collect()
        })
        .collect();
    assert_eq!(second, [vec![("a1", 1)], vec![("b-skip", 0)]]);
    assert_eq!(out.toc[0].children[0].children[0].title, "A.1.x");
}

#[test]
fn strip_title_heading_only_when_first() {
    let body = "# Page title\n\nText.\n\n## Part\n";
    let stripped = render(
        &RenderInput {
            strip_title_heading: true,
            ..input(body)
        },
        &MarkdownOptions::default(),
        &KeepLinks,
    );
    assert!(!stripped.html.contains("Page title"), "{}", stripped.html);
    // The title keeps its id, for the theme to print on the title it writes.
    assert_eq!(stripped.anchors, ["page-title", "part"]);
    assert_eq!(stripped.title_id.as_deref(), Some("page-title"));
    assert_eq!(stripped.word_count, 2);
    let later = "Intro.\n\n# Not first\n";
    let kept = render(
        &RenderInput {
            strip_title_heading: true,
            ..input(later)
        },
        &MarkdownOptions::default(),
        &KeepLinks,
    );
    assert!(kept.html.contains("<h1 id=\"not-first\">Not first</h1>"));
}

#[test]
fn summary_is_the_part_above_the_marker() {
    let out = md("First *para*.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(
        out.summary_html.as_deref(),
        Some("<p>First <em>para</em>.</p>\n")
    );
    assert_eq!(out.html, "<p>First <em>para</em>.</p>\n<p>Rest.</p>\n");

    let raw_escaped = MarkdownOptions {
        raw_html: RawHtml::Escape,
        ..MarkdownOptions::default()
    };
    let escaped = render(&input("A\n\n<!--more-->\n\nB\n"), &raw_escaped, &KeepLinks);
    assert_eq!(escaped.summary_html.as_deref(), Some("<p>A</p>\n"));
    assert!(!escaped.html.contains("more"), "{}", escaped.html);
}

#[test]
fn summary_closes_open_divs_and_ignores_markers_in_code() {
    let out = md("::: note\nInside.\n\n<!-- more -->\n\nAfter.\n:::\n");
    let summary = out.summary_html.unwrap_or_default();
    assert!(summary.ends_with("<p>Inside.</p>\n</aside>\n"), "{summary}");
    assert_eq!(md("```\n<!-- more -->\n```\n").summary_html, None);
    assert_eq!(md("> quoted\n>\n> <!-- more -->\n").summary_html, None);
    assert_eq!(md("No marker.\n").summary_html, None);
}

#[test]
fn word_count_skips_code_and_markup_and_counts_cjk() {
    let body = "Hello **bold** world.\n\n```rust\nlet not_counted = 1;\n```\n\n<div class=\"x\">tag</div>\n\n![alt text](a.png) `code` end\n";
    assert_eq!(md(body).word_count, 5);
    assert_eq!(md("日本語の文章です。\n").word_count, 8);
    assert_eq!(md("Rust は速い\n").word_count, 4);
}

#[test]
fn links_are_classified_and_resolved() {
    let body = "[a](https://x.org) [b](/abs/) [c](//cdn.x/y) [d](mailto:a@b.c) [e](keep.md)\n\
                [f](other.md) [g](other.md#goals) ![h](img/pic.png) [i](missing.md)\n";
    let out = render(
        &RenderInput {
            first_line: 5,
            ..input(body)
        },
        &MarkdownOptions::default(),
        &TestResolver,
    );
    assert_eq!(
        out.html,
        "<p><a href=\"https://x.org\">a</a> <a href=\"/abs/\">b</a> <a href=\"//cdn.x/y\">c</a> \
         <a href=\"mailto:a@b.c\">d</a> <a href=\"keep.md\">e</a>\n\
         <a href=\"/other/\">f</a> <a href=\"/other/#goals\">g</a> <img src=\"/page/pic.png\" alt=\"h\" /> \
         <a href=\"missing.md\">i</a></p>\n"
    );
    assert_eq!(
        out.anchor_checks,
        vec![AnchorCheck {
            target_doc_id: "other.md".to_string(),
            anchor: "goals".to_string(),
            line: 6,
            column: 15
        }]
    );
    assert_eq!(
        messages(&out),
        ["content/page.md:6:53: error: no page or file `missing.md`"]
    );
}

#[test]
fn broken_links_use_the_configured_severity() {
    let options = MarkdownOptions {
        broken_links: Severity::Warning,
        ..MarkdownOptions::default()
    };
    let out = render(
        &input("See [x](nope.md) and [y](#nowhere).\n"),
        &options,
        &TestResolver,
    );
    assert_eq!(
        messages(&out),
        [
            "content/page.md:1:5: warning: no page or file `nope.md`",
            "content/page.md:1:22: warning: link to missing anchor `#nowhere`",
        ]
    );
}

#[test]
fn same_page_anchors_are_checked_after_the_whole_page() {
    let body = "[down](#later) [note](#fn) [top](#top) [enc](#caf%C3%A9) [raw](#box)\n\n\
                ## Later\n\n## Café\n\n<div id=\"box\"></div>\n\n[^fn]: A footnote.\n\nText[^fn] [bad](#nope)\n";
    let out = md(body);
    assert_eq!(
        messages(&out),
        ["content/page.md:11:11: error: link to missing anchor `#nope`"]
    );
    assert_eq!(out.anchors, ["later", "café", "box", "fn"]);
}

#[test]
fn column_counts_characters() {
    let out = md("ça → [x](#gone)\n");
    assert_eq!(
        messages(&out),
        ["content/page.md:1:6: error: link to missing anchor `#gone`"]
    );
}

#[test]
fn dangerous_urls_are_neutralised() {
    let body = "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](<  vbscript:x>) [d](data:text/html,x) \
                ![e](data:image/png;base64,AAAA) [f](java&#9;script:x) <javascript:alert(1)>\n";
    let out = md(body);
    assert_eq!(out.html.matches("href=\"#\"").count(), 6, "{}", out.html);
    assert!(out.html.contains("src=\"data:image/png;base64,AAAA\""));
    let lower = out.html.to_lowercase();
    for scheme in ["javascript", "vbscript", "data:text"] {
        assert!(!lower.contains(&format!("=\"{scheme}")), "{}", out.html);
    }
    assert!(out.diagnostics.is_empty());
}

#[test]
fn raw_html_allow_and_escape() {
    let body = "<div class=\"x\">\nhi\n</div>\n\nInline <b>bold</b>.\n";
    assert_eq!(
        md(body).html,
        "<div class=\"x\">\nhi\n</div>\n<p>Inline <b>bold</b>.</p>\n"
    );
    let options = MarkdownOptions {
        raw_html: RawHtml::Escape,
        ..MarkdownOptions::default()
    };
    let out = render(&input(body), &options, &KeepLinks);
    assert_eq!(
        out.html,
        "&lt;div class=\"x\"&gt;\nhi\n&lt;/div&gt;\n<p>Inline &lt;b&gt;bold&lt;/b&gt;.</p>\n"
    );
    let attrs = render(
        &input("## Hi {onclick=alert(1) data-x=y}\n"),
        &options,
        &KeepLinks,
    );
    assert!(!attrs.html.contains("onclick"), "{}", attrs.html);
    assert!(attrs.html.contains("data-x=\"y\""), "{}", attrs.html);
}

#[test]
fn github_alerts_become_callouts() {
    let out = md("> [!NOTE]\n> Read *this*.\n\n> [!WARNING]\n> Careful.\n\n> plain quote\n");
    assert_eq!(
        out.html,
        "<aside class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Read <em>this</em>.</p>\n</aside>\n\
         <aside class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<p>Careful.</p>\n</aside>\n\
         <blockquote>\n<p>plain quote</p>\n</blockquote>\n"
    );
    for (kind, title) in [
        ("TIP", "Tip"),
        ("IMPORTANT", "Important"),
        ("CAUTION", "Caution"),
    ] {
        let html = md(&format!("> [!{kind}]\n> x\n")).html;
        let class = kind.to_lowercase();
        assert!(html.starts_with(&format!("<aside class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>")), "{html}");
    }
}

#[test]
fn fenced_divs_nest_with_any_fence_length() {
    let body = ":::::::::::::::::::::::::::::::::::::: challenge\n\
                ## Try it\n\
                Do the *thing*.\n\n\
                :::::: solution\n\
                It is `42`.\n\
                ::::::\n\
                ::::::::::::::::::::::::::::::::::::::::::::::::::\n\n\
                After.\n";
    let out = md(body);
    assert_eq!(
        out.html,
        "<section class=\"exercise\">\n<p class=\"exercise-title\">Exercise</p>\n\
         <h2 id=\"try-it\">Try it <a class=\"anchor\" href=\"#try-it\" aria-labelledby=\"try-it\"></a></h2>\n\
         <p>Do the <em>thing</em>.</p>\n\
         <details class=\"solution\">\n<summary>Solution</summary>\n<p>It is <code>42</code>.</p>\n</details>\n\
         </section>\n<p>After.</p>\n"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn fenced_div_kinds_and_titles() {
    let out = md(
        "::: note \"Mind the gap\"\nx\n:::\n\n::: hint\ny\n:::\n\n::: instructor\nz\n:::\n\n::: {.sidebar}\nw\n:::\n",
    );
    let html = out.html;
    assert!(html.contains("<aside class=\"callout callout-note\">\n<p class=\"callout-title\">Mind the gap</p>\n<p>x</p>\n</aside>"), "{html}");
    assert!(
        html.contains("<details class=\"hint\">\n<summary>Hint</summary>\n<p>y</p>\n</details>"),
        "{html}"
    );
    // Instructor notes are kept out of the learner's HTML, for the instructor view.
    assert!(!html.contains("instructor-note"), "{html}");
    assert!(
        out.instructor_notes[0].starts_with("<aside class=\"instructor-note\" data-instructor>"),
        "{:?}",
        out.instructor_notes
    );
    assert!(
        html.contains("<div class=\"user-sidebar\">\n<p>w</p>\n</div>"),
        "{html}"
    );
}

#[test]
fn fenced_divs_keep_reference_links_and_line_numbers() {
    let body =
        "::: note\nSee [the docs][docs] and [x](#missing).\n:::\n\n[docs]: https://docs.example\n";
    let out = render(
        &RenderInput {
            first_line: 5,
            ..input(body)
        },
        &MarkdownOptions::default(),
        &KeepLinks,
    );
    assert!(
        out.html
            .contains("<a href=\"https://docs.example\">the docs</a>"),
        "{}",
        out.html
    );
    assert_eq!(
        messages(&out),
        ["content/page.md:6:26: error: link to missing anchor `#missing`"]
    );
}

#[test]
fn unclosed_fenced_div_is_an_error_at_its_line() {
    let body = "Intro.\n\n::: challenge\nNever closed.\n";
    let out = render(
        &RenderInput {
            first_line: 5,
            ..input(body)
        },
        &MarkdownOptions::default(),
        &KeepLinks,
    );
    assert_eq!(
        messages(&out),
        ["content/page.md:7:1: error: fenced div `::: challenge` opened here is never closed"]
    );
    assert!(
        out.html.ends_with("<p>Never closed.</p>\n</section>\n"),
        "{}",
        out.html
    );
}

#[test]
fn stray_closing_fence_is_a_warning() {
    let out = md("Text.\n\n:::\n");
    assert_eq!(
        messages(&out),
        ["content/page.md:3:1: warning: closing fence `:::` has no fenced div to close"]
    );
    assert_eq!(out.html, "<p>Text.</p>\n");
}

#[test]
fn fences_inside_code_blocks_are_text() {
    let body = "```markdown\n::: challenge\n:::\n```\n\n~~~\n::: note\n~~~\n\n    ::: indented\n";
    let plain = MarkdownOptions {
        highlight: false,
        ..MarkdownOptions::default()
    };
    let out = render(&input(body), &plain, &KeepLinks);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(!out.html.contains("<section"), "{}", out.html);
    assert!(!out.html.contains("<aside"), "{}", out.html);
    assert!(
        out.html.contains("::: challenge\n:::\n</code></pre>"),
        "{}",
        out.html
    );
}

#[test]
fn code_is_highlighted_with_classes_or_left_plain() {
    let out = md("```rust\nfn main() {}\n```\n\n```nosuchlang\na < b\n```\n");
    assert!(
        out.html.contains(
            "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-"
        ),
        "{}",
        out.html
    );
    assert!(out.html.contains("<pre class=\"code\" data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>"));
    let plain = MarkdownOptions {
        highlight: false,
        ..MarkdownOptions::default()
    };
    let off = render(&input("```rust\nfn main() {}\n```\n"), &plain, &KeepLinks);
    assert_eq!(
        off.html,
        "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
    );
}

#[test]
fn math_becomes_mathml_at_build_time() {
    let out = md("Inline $a<b$ here.\n\n$$\nx^2\n$$\n\nSee $$y$$ too.\n");
    assert_eq!(out.diagnostics, vec![]);
    assert!(
        out.html.starts_with(
            "<p>Inline <span class=\"math math-inline\"><math display=\"inline\"><semantics>"
        ),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("<mi>a</mi><mo>&lt;</mo><mi>b</mi>"),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<annotation encoding=\"application/x-tex\">a&lt;b</annotation>"),
        "{}",
        out.html
    );
    // A paragraph of only display math is a block; display math inside text stays a span.
    assert!(
        out.html
            .contains("</p>\n<div class=\"math math-display\"><math display=\"block\">"),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<p>See <span class=\"math math-display\"><math display=\"block\">"),
        "{}",
        out.html
    );
    assert!(!out.html.contains('$'), "{}", out.html);
}

#[test]
fn tex_that_does_not_convert_is_a_warning_at_the_formula() {
    let out = md("# T\n\nA $a^b^c$ and\n\n$$\nx^^2\n$$\n");
    let found = messages(&out);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with(
            "content/page.md:3:3: warning: the formula `$...$` is not TeX that converts to MathML: trying to add a superscript twice to the same element"
        ),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("content/page.md:5:1: warning: the formula `$$...$$`"),
        "{found:#?}"
    );
    // Shown as written, escaped.
    assert!(
        out.html
            .contains("<span class=\"math math-inline\">a^b^c</span>"),
        "{}",
        out.html
    );
}

#[test]
fn math_in_alt_text_and_headings_is_plain_text_there() {
    let out = md("# Sum $x_i$\n\n![Area $\\pi r^2$](a.png)\n");
    assert!(out.html.contains("alt=\"Area \\pi r^2\""), "{}", out.html);
}

#[test]
fn extensions_are_enabled() {
    let out = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~ \"quoted\"\n");
    assert!(out.html.contains("<table>"));
    assert!(out.html.contains("checkbox"));
    assert!(out.html.contains("<del>gone</del>"));
    assert!(out.html.contains("\u{201c}quoted\u{201d}"), "{}", out.html);
    let dumb = MarkdownOptions {
        smart_punctuation: false,
        ..MarkdownOptions::default()
    };
    assert_eq!(
        render(&input("\"q\"\n"), &dumb, &KeepLinks).html,
        "<p>\"q\"</p>\n"
    );
}

#[test]
fn template_syntax_is_plain_text() {
    let out = md("Use {{ page.title }} and {% if x %}.\n\n```\n{{ raw }}\n```\n");
    assert!(
        out.html
            .contains("<p>Use {{ page.title }} and {% if x %}.</p>"),
        "{}",
        out.html
    );
    assert!(out.html.contains("{{ raw }}"));
}

#[test]
fn first_heading_strips_inline_markdown() {
    assert_eq!(
        first_heading("# The *big* day\n"),
        Some("The big day".to_string())
    );
    assert_eq!(first_heading("```\n# no\n```\n## Sub\n"), None);
}

#[test]
fn reading_time_rounds_up() {
    assert_eq!(reading_minutes(0), 1);
    assert_eq!(reading_minutes(221), 2);
}

#[test]
fn pathological_input_renders_quickly() {
    let start = std::time::Instant::now();
    let quotes = ">".repeat(1 << 20);
    let brackets = "[".repeat(1 << 20);
    let links = "[a](b.md) ".repeat(100_000);
    let fences = "::: note\n".repeat(20_000);
    for body in [&quotes, &brackets, &links, &fences] {
        assert!(!md(body).html.is_empty());
    }
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

#[test]
fn render_is_thread_safe_and_deterministic() {
    let body = "## A\n\n```rust\nlet x = 1;\n```\n\n[x](#a)\n";
    let expected = md(body);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| md(body))).collect();
        for handle in handles {
            assert_eq!(handle.join().ok(), Some(expected.clone()));
        }
    });
}
