//! Broken input: exact messages, every problem reported, nothing written.

use crate::harness::{Site, assert_contains, assert_not_contains};

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

/// Front matter after a byte-order mark is front matter (`draft: true` keeps the page out);
/// front matter after blank lines, indented or opened with `----` is an error at its line,
/// in `check` as in `build`, never a page that publishes its settings as text. A horizontal
/// rule near the top of a page without front matter stays a rule.
#[test]
fn front_matter_is_read_after_a_byte_order_mark_and_misplaced_front_matter_is_an_error() {
    let site = good_site();
    site.write(
        "content/plan.md",
        "\u{feff}---\ntitle: Plan\ndraft: true\n---\nConfidential.\n",
    );
    site.write(
        "content/page.html",
        "\u{feff}---\ntitle: Raw\ndraft: true\n---\n<p>Raw secret.</p>\n",
    );
    site.write(
        "content/rule.md",
        "\n---\n\nA page that opens with a rule.\n\n---\n\nAnd another.\n",
    );
    let run = site.build();
    run.assert_code(0);
    assert!(!site.root().join("public/plan").exists());
    assert!(!site.root().join("public/page.html").exists());
    assert!(!site.root().join("public/page/index.html").exists());
    let rule = site.read("rule/index.html");
    assert_contains(&rule, "A page that opens with a rule.");

    for (text, expected, help) in [
        (
            "\n\n---\ntitle: Plan\ndraft: true\n---\nConfidential.\n",
            "content/plan.md:3:1: error: front matter must start on the first line of the file; it starts on line 3, so it would be published as text",
            "remove the blank lines above `---`",
        ),
        (
            "  ---\ntitle: Plan\ndraft: true\n---\nConfidential.\n",
            "content/plan.md:1:1: error: front matter must start at the first column; indented, it would be published as text",
            "remove the spaces before `---`",
        ),
        (
            "----\ntitle: Plan\ndraft: true\n----\nConfidential.\n",
            "content/plan.md:1:1: error: front matter opened with `----` instead of `---`",
            "open and close the front matter with a line holding only `---`",
        ),
        (
            "\n+++\ntitle = \"Plan\"\ndraft = true\n+++\nConfidential.\n",
            "content/plan.md:2:1: error: front matter must start on the first line of the file; it starts on line 2, so it would be published as text",
            "remove the blank lines above `+++`",
        ),
    ] {
        site.write("content/plan.md", text);
        for run in [site.build(), site.check()] {
            run.assert_code(1);
            assert_eq!(run.diagnostics(), [expected], "{text:?}");
            assert_contains(&run.stderr, help);
        }
    }
}

/// A file name is shown on the terminal with its control characters written out: an escape
/// sequence could retitle or recolour the terminal, a newline could forge a diagnostic line
/// that editors and CI problem matchers believe.
#[test]
fn control_characters_in_file_names_never_reach_the_terminal() {
    let site = good_site();
    site.write(
        "content/a\u{1b}]0;PWNED\u{7}\u{1b}[31mred.md",
        "---\ntitle: A\n---\n[x](missing.md)\n",
    );
    site.write(
        "content/fake.md\ncontent/spoof.md:1:1: error: spoofed.md",
        "---\ntitle: B\n---\n[x](missing.md)\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
        "{:?}",
        run.stderr
    );
    assert_contains(
        &run.stderr,
        "content/a\\u{1b}]0;PWNED\\u{7}\\u{1b}[31mred.md:4:1: error: link to missing page",
    );
    assert!(
        !run.stderr
            .lines()
            .any(|line| line.starts_with("content/spoof.md")),
        "{}",
        run.stderr
    );
    assert_contains(
        &run.stderr,
        "content/fake.md\\u{a}content/spoof.md:1:1: error: spoofed.md:4:1: error: link to missing page",
    );
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
    // The parser gives up on line 4; the mistake is the `[` on line 3.
    assert_eq!(
        diagnostics[0],
        "content/bad.md:3:7: error: this bracket is never closed"
    );
    assert_contains(
        &run.stderr,
        " 3 | tags: [a, b\n   |       ^\n   = help: end the list with `]` (the YAML parser noticed only on line 4)\n",
    );
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
        ["trailmark.yaml:3:1: error: unknown key `taxonomeis`"]
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
fn fragments_to_other_pages_are_compared_decoded() {
    let site = good_site();
    site.write("content/ok.md", "---\ntitle: OK\n---\n\n## Café règles\n");
    site.write(
        "content/links.md",
        "---\ntitle: Links\n---\n\n[a](ok.md#caf%C3%A9-r%C3%A8gles) [b](ok.md#top)\n[c](ok.md#caf%C3%A9-gone)\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        ["content/links.md:6:1: error: link to missing anchor `#café-gone` in content/ok.md"]
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
            "content/t.md:3:1: error: template `fancy.html` (from `template:`) not found in the theme or templates/"
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

fn site_with_a_typo() -> Site {
    let site = good_site();
    site.write(
        "content/guide/01-intro.md",
        "# Intro\n\nRead [the formulas](02-formula.md) next.\n",
    );
    site.write(
        "content/guide/02-formulas.md",
        "# Formulas\n\n> [!DANGER]\n> Hot.\n",
    );
    site
}

#[test]
fn format_json_prints_one_object_per_problem_on_stdout() {
    let site = site_with_a_typo();
    for command in ["build", "check"] {
        let run = site.run(&[command, "--build-date", "2026-06-01", "--format", "json"]);
        run.assert_code(1);
        assert_eq!(
            run.stdout,
            concat!(
                r#"{"file":"content/guide/01-intro.md","line":3,"column":6,"severity":"error","code":"TM0301","message":"link to missing page `02-formula.md` (no content/guide/02-formula.md)","help":"did you mean `02-formulas.md`?"}"#,
                "\n",
                r#"{"file":"content/guide/02-formulas.md","line":3,"column":3,"severity":"warning","code":"TM0403","message":"unknown alert `[!DANGER]`; it is shown as text in a quote","help":"the alerts are `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`; for another kind of box write a `::: name` block"}"#,
                "\n"
            ),
            "{command}"
        );
        assert_eq!(run.stderr, "1 error, 1 warning; nothing was written\n");
    }
    // A clean site: stdout holds nothing but JSON (here: nothing), the summary is on stderr.
    site.write(
        "content/guide/01-intro.md",
        "# Intro\n\nRead [the formulas](02-formulas.md) next.\n",
    );
    site.write("content/guide/02-formulas.md", "# Formulas\n");
    let run = site.run(&["check", "--build-date", "2026-06-01", "--format", "json"]);
    run.assert_ok();
    assert_eq!(run.stdout, "");
    assert_contains(&run.stderr, "Checked ");
}

#[test]
fn format_github_prints_workflow_commands() {
    let site = site_with_a_typo();
    for command in ["build", "check"] {
        let run = site.run(&[command, "--build-date", "2026-06-01", "--format", "github"]);
        run.assert_code(1);
        assert_eq!(
            run.stdout,
            "::error file=content/guide/01-intro.md,line=3,col=6,title=TM0301 link-missing-page::\
             link to missing page `02-formula.md` (no content/guide/02-formula.md)%0A\
             help: did you mean `02-formulas.md`?\n\
             ::warning file=content/guide/02-formulas.md,line=3,col=3,title=TM0403 unknown-alert::\
             unknown alert `[!DANGER]`; it is shown as text in a quote%0Ahelp: the alerts are \
             `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`; for another kind \
             of box write a `::: name` block\n",
            "{command}"
        );
    }
}

#[test]
fn new_refuses_what_the_content_model_does_not_allow() {
    let site = good_site();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: Blog\n---\n",
    );
    site.write(
        "content/courses/intro/_index.md",
        "---\nkind: course\ntitle: Intro\n---\n",
    );
    let run = site.run(&["new", "module", "courses/intr/01-x"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "content/courses/intr/01-x/_index.md: error: cannot create a module in \
         content/courses/intr: there is no such course [TM0901]\n   \
         = help: did you mean `trailmark new module courses/intro/01-x`?\n"
    );
    let run = site.run(&["new", "module", "courses/nonexistent/01-x"]);
    run.assert_code(2);
    assert_contains(
        &run.stderr,
        "error: cannot create a module in content/courses/nonexistent: there is no such course [TM0901]\n   \
         = help: create it in content/courses/intro: `trailmark new module courses/intro/01-x`\n",
    );
    let run = site.run(&["new", "course", "courses/intro/deeper"]);
    run.assert_code(2);
    assert_contains(
        &run.stderr,
        "error: a course cannot go inside content/courses/intro, which is a `kind: course` section [TM0901]",
    );
    assert!(!site.root().join("content/courses/nonexistent").exists());
    assert!(!site.root().join("content/blog/oops.md").exists());
    site.run(&["new", "lesson", "courses/intro/01-why"])
        .assert_ok();
    site.run(&["new", "module", "courses/intro/02-how"])
        .assert_ok();
    site.run(&["new", "lesson", "courses/intro/02-how/01-first"])
        .assert_ok();
}

#[test]
fn misspelt_div_and_alert_names_and_namespaced_author_classes() {
    let site = good_site();
    site.write(
        "content/a.md",
        "# A\n\n::: sidebar\nAside.\n:::\n\n::: {.sidebar}\nMine.\n:::\n",
    );
    let run = site.build();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        ["content/a.md:3:5: warning: unknown div `::: sidebar`"]
    );
    let html = site.read("a/index.html");
    assert_contains(&html, "<div class=\"user-sidebar\">\n<p>Aside.</p>\n</div>");
    assert_contains(&html, "<div class=\"user-sidebar\">\n<p>Mine.</p>\n</div>");
    assert_not_contains(&html, "<div class=\"sidebar\">\n<p>");
}

/// Tera reports a tag left open at the end of the file, where it gave up; the error points at
/// the tag that opened it.
#[test]
fn an_unclosed_template_tag_is_reported_where_it_opens() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "<main>\n  {% if page.title %}\n  <h1>{{ page.title }}</h1>\n</main>\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "templates/page.html:2:3: error: template syntax error: this `{% if %}` is never closed [TM0501]\n \
         2 |   {% if page.title %}\n   |   ^\n   = help: add `{% endif %}` where it should end\n\
         1 error, 0 warnings; nothing was written\n"
    );
}

/// Problems Tera finds when linking templates come as one message of rendered reports; each
/// becomes a diagnostic at its own template, line and column, with did-you-mean for a
/// misspelt template or filter.
#[test]
fn template_linking_errors_point_at_their_own_line() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "<main>\n  {{ page.title | uppr }}\n  {% include \"foter.html\" %}\n</main>\n",
    );
    site.write("templates/footer.html", "<footer></footer>\n");
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "templates/page.html:2:19: error: template error: Unknown filter `uppr` [TM0501]\n \
         2 |   {{ page.title | uppr }}\n   |                   ^\n   = help: did you mean `upper`?\n\
         templates/page.html:3:14: error: template error: Unknown template `foter.html` [TM0503]\n \
         3 |   {% include \"foter.html\" %}\n   |              ^\n   = help: did you mean `footer.html`?\n\
         2 errors, 0 warnings; nothing was written\n"
    );
}

/// A link to a taxonomy's term page that no page has, or to a misspelt taxonomy, says what
/// was meant; links to real term pages, pagers and other site URLs are kept silently.
#[test]
fn links_to_missing_terms_and_taxonomies_suggest_the_nearest() {
    let site = good_site();
    site.write(
        "content/a.md",
        "---\ntitle: A\ntags: [rust, python]\n---\nSee [Rust](/tags/rsut/), [Python](/tag/python/), \
         [all Rust](/tags/rust/), [more](/tags/rust/page/2/) and [home](/ok/).\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.stderr,
        "content/a.md:5:5: error: link to missing tags term `rsut` (no page has it) [TM0301]\n \
         5 | See [Rust](/tags/rsut/), [Python](/tag/python/), [all Rust](/tags/rust/), [more](/tags/rust/page/2/) and [home](/ok/).\n   |     ^\n   \
         = help: did you mean `/tags/rust/`?\n\
         content/a.md:5:26: error: link to `/tag/python/`: this site has no taxonomy `tag` [TM0301]\n \
         5 | See [Rust](/tags/rsut/), [Python](/tag/python/), [all Rust](/tags/rust/), [more](/tags/rust/page/2/) and [home](/ok/).\n   |                          ^\n   \
         = help: did you mean `/tags/python/`?\n\
         2 errors, 0 warnings; nothing was written\n"
    );
}

/// Messages that say what is wrong and what fixes it: a link to a future post names
/// `--future` (not `--drafts`), an empty quiz question is "empty" (not "must be text, found
/// text"), `search: yes` says YAML reads it as text (not serde's "untagged enum"), and
/// `tags: "alpha, beta"` warns that it is one term.
#[test]
fn messages_name_the_fix_for_future_links_empty_quiz_text_yes_and_comma_terms() {
    let site = good_site();
    site.write(
        "content/blog/_index.md",
        "---\nkind: blog\ntitle: Blog\n---\n",
    );
    site.write(
        "content/blog/2027-01-01-later.md",
        "---\ntitle: Later\n---\nSoon.\n",
    );
    site.write("content/ok.md", "---\ntitle: OK\ntags: \"alpha, beta\"\n---\nSee [later](blog/2027-01-01-later.md).\n\n```quiz\n- question: \"\"\n  choices:\n    - {text: \"\", correct: true}\n```\n");
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/ok.md:3:1: warning: `tags` is the one term `alpha, beta`, commas included",
            "content/ok.md:5:5: error: link to page `blog/2027-01-01-later.md`, dated after the build date; build with --future or remove the link",
            "content/ok.md:8:1: error: quiz question 1: `question` is empty",
            "content/ok.md:9:1: error: quiz question 1: needs at least two choices",
            "content/ok.md:10:1: error: quiz question 1, choice 1: `text` is empty",
        ]
    );
    assert_contains(
        &run.stderr,
        "help: for several, write a list: `tags: [alpha, beta]`",
    );

    site.write("content/ok.md", "---\ntitle: OK\n---\n");
    let config = std::fs::read_to_string(site.root().join("trailmark.yaml")).unwrap();
    site.write("trailmark.yaml", &format!("{config}\nsearch: yes\n"));
    let run = site.check();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "`search` must be true or false, found the text `yes` (YAML reads `yes`, `no`, `on` and `off` as text)",
    );
}

/// Settings that were silently ignored say so: `month_names` that are not twelve (dates
/// fell back to ISO form) is an error at its line, and `teaching` / `exercises` beside a
/// `duration` that disagrees is a warning naming which one counts.
#[test]
fn month_names_that_are_not_twelve_and_lengths_given_twice_are_reported() {
    let site = good_site();
    site.write(
        "content/courses/intro/_index.md",
        "---\nkind: course\ntitle: Intro\n---\n",
    );
    site.write(
        "content/courses/intro/01-a.md",
        "---\ntitle: A\nduration: 10m\nteaching: 30\n---\nA.\n",
    );
    site.write(
        "content/courses/intro/02-b.md",
        "---\ntitle: B\nduration: 20m\nteaching: 15\nexercises: 5\n---\nB.\n",
    );
    let run = site.check();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/01-a.md:4:1: warning: `teaching` is not used: `duration` (10 min) gives this lesson's length"
        ]
    );
    site.write(
        "templates/strings/en.yaml",
        "month_names: \"Jan Feb Mar\"\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/01-a.md:4:1: warning: `teaching` is not used: `duration` (10 min) gives this lesson's length",
            "templates/strings/en.yaml:1:1: error: `month_names` must hold twelve names separated by single spaces, found 3",
        ]
    );
}
