//! Hostile and broken input: nothing outside the site is read or written, collisions never
//! win silently, and bad files get precise errors.

use std::os::unix::fs::PermissionsExt;

use crate::harness::{Run, Site, assert_contains};

fn site_with_page() -> Site {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\n---\n");
    site
}

#[test]
fn symlink_leading_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    let site = site_with_page();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/leak.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static")).unwrap();
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("content/leak.md: error: symlink points outside the site")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("static: error: symlink points outside the site")),
        "{d:?}"
    );
    assert!(!site.public().exists());
}

/// Found from outside: `ln -s /etc static/etc` gave the refusal and then 771 more errors,
/// one per link inside `/etc`, naming the host's files.
#[test]
fn a_refused_folder_link_is_not_walked() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("ssl/certs")).unwrap();
    std::fs::write(outside.path().join("ssl/certs/real.pem"), "cert\n").unwrap();
    for name in ["a.pem", "b.pem", "c.pem"] {
        std::os::unix::fs::symlink("real.pem", outside.path().join("ssl/certs").join(name))
            .unwrap();
    }
    let site = site_with_page();
    site.write("static/site.css", "body {}\n");
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/etc")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/etc")).unwrap();
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert_eq!(
        d.iter().filter(|l| l.contains(": error: ")).count(),
        2,
        "one refusal per link, nothing below them: {d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("static/etc: error: symlink points outside the site")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("content/etc: error: symlink points outside the site")),
        "{d:?}"
    );
    assert!(!run.stderr.contains("pem"), "{}", run.stderr);
}

#[test]
fn symlink_inside_the_site_is_followed() {
    let site = site_with_page();
    site.write("shared/note.md", "# Shared note\n");
    std::os::unix::fs::symlink(
        site.root().join("shared/note.md"),
        site.root().join("content/note.md"),
    )
    .unwrap();
    site.build().assert_ok();
    assert_contains(&site.read("note/index.html"), "Shared note");
}

#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    let site = site_with_page();
    std::fs::create_dir_all(site.root().join("content/loop")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/loop/back"),
    )
    .unwrap();
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.diagnostics()
            .iter()
            .any(|l| l.contains("content/loop/back: error: symlink loop")),
        "{:?}",
        run.diagnostics()
    );
}

#[test]
fn collisions_by_case_or_unicode_normalisation_are_errors() {
    let site = site_with_page();
    site.write("content/Guide.md", "# One\n");
    site.write("content/guide.md", "# Two\n");
    site.write("content/Caf\u{e9}.md", "# Composed\n");
    site.write("content/Cafe\u{301}.md", "# Decomposed\n");
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.contains("2 sources write the same output `guide/index.html`")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.contains("2 sources write the same output `caf\u{e9}/index.html`")),
        "{d:?}"
    );
}

#[test]
fn slugs_and_aliases_cannot_escape_or_use_reserved_names() {
    let site = site_with_page();
    site.write(
        "content/b.md",
        "---\ntitle: B\nslug: ../../etc\naliases: [\"../../outside\", \"/C:/x\", \"/ok/\"]\n---\n",
    );
    site.write("content/con.md", "# Con\n");
    let run = site.build();
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.contains(
            &"content/b.md:4:1: error: alias `../../outside` must not contain `.` or `..` segments"
                .to_string()
        ),
        "{d:?}"
    );
    assert!(
        d.contains(
            &"content/b.md:4:1: error: alias `/C:/x` contains a character not allowed in a path"
                .to_string()
        ),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l
                .starts_with("content/con.md: error: `con` is a reserved file name on Windows")),
        "{d:?}"
    );
    // One rule for `..` in slugs and aliases: an error at its line, never silently dropped.
    let site = site_with_page();
    site.write("content/b.md", "---\ntitle: B\nslug: ../../etc\n---\n");
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains(
            &"content/b.md:3:1: error: slug `../../etc` must not contain `.` or `..` segments"
                .to_string()
        ),
        "{:?}",
        run.diagnostics()
    );
    assert!(!site.public().exists());
}

#[test]
fn alias_bombs_and_deep_nesting_fail_fast() {
    let site = site_with_page();
    // Nine levels of nine aliases each: 387 million strings once expanded.
    let mut lines = vec![
        "---".to_string(),
        format!("a0: &a0 [{}]", ["\"lol\""; 9].join(",")),
    ];
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        lines.push(format!("a{i}: &a{i} [{refs}]"));
    }
    lines.extend(["---".to_string(), "body".to_string()]);
    let bomb = lines.join("\n");
    site.write("content/bomb.md", &bomb);
    site.write(
        "content/deep.md",
        &format!("---\nx: {}\n---\n", "[".repeat(20_000)),
    );
    let run = site.check();
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("content/bomb.md:") && l.contains("is this an alias bomb?")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("content/deep.md:2:")
                && l.contains("nests deeper than 32 levels")),
        "{d:?}"
    );
}

#[test]
fn template_syntax_in_content_is_printed_literally() {
    let site = site_with_page();
    site.write("content/t.md", "---\ntitle: \"{{ site.title }}\"\n---\nUse `{{ page.title }}` and {% if x %}this{% endif %}.\n");
    site.build().assert_ok();
    let page = site.read("t/index.html");
    assert_contains(&page, "{{ page.title }}");
    assert_contains(&page, "{% if x %}this{% endif %}");
    assert_contains(&page, "<h1>{{ site.title }}</h1>");
}

#[test]
fn dangerous_urls_and_markup_in_front_matter_are_neutralised() {
    let site = site_with_page();
    site.write(
        "content/x.md",
        "---\ntitle: \"</title><script>alert(1)</script>\"\ndescription: \"\\\" onload=\\\"alert(1)\"\n---\n[click](javascript:alert(1)) [data](data:text/html,<b>x</b>)\n",
    );
    site.build().assert_ok();
    let page = site.read("x/index.html");
    assert!(!page.contains("<script>alert(1)"), "title must be escaped");
    assert!(
        !page.contains("\" onload=\"alert(1)"),
        "description must be escaped in attributes"
    );
    assert!(
        !page.contains("javascript:alert"),
        "javascript: links are neutralised"
    );
    assert!(
        !page.contains("href=\"data:"),
        "data: links are neutralised"
    );
    let feed = site.read("sitemap.xml");
    assert!(!feed.contains("<script>"));
}

/// Runs the binary as an unprivileged user when the tests run as root (CI does), since root
/// ignores file modes and such a test would prove nothing.
fn run_unprivileged(site: &Site, args: &[&str]) -> Run {
    let output = unprivileged(site)
        .args(args)
        .current_dir(site.root())
        .output()
        .expect("run trailmark");
    Run::from(output)
}

/// The `trailmark` binary to run as `nobody` when the tests run as root (root reads files
/// whatever their mode), else as it is.
fn unprivileged(site: &Site) -> std::process::Command {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if is_root {
        // nobody:nogroup needs to reach the site folder; its own modes are the test's.
        let mut dir = site.root().to_path_buf();
        while dir.pop() && dir.as_os_str() != "/tmp" && dir.as_os_str() != "/" {
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
        }
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_trailmark"),
        ]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
    }
}

fn make_writable_by_anyone(site: &Site) {
    let walk = |p: &std::path::Path| {
        std::process::Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(p)
            .status()
            .unwrap()
    };
    walk(site.root());
}

#[test]
fn unreadable_file_is_named() {
    let site = site_with_page();
    site.write("content/private.md", "# Private\n");
    make_writable_by_anyone(&site);
    std::fs::set_permissions(
        site.root().join("content/private.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let run = run_unprivileged(&site, &["build"]);
    run.assert_code(1);
    assert!(
        run.diagnostics().iter().any(
            |l| l.starts_with("content/private.md: error: cannot read file: Permission denied")
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn unwritable_output_keeps_the_old_site_and_names_the_path() {
    let site = site_with_page();
    site.write("trailmark.yaml", "title: T\noutput_dir: out/public\n");
    make_writable_by_anyone(&site);
    let first = run_unprivileged(&site, &["build"]);
    first.assert_ok();
    let before = std::fs::read_to_string(site.root().join("out/public/a/index.html")).unwrap();
    site.write("content/a.md", "---\ntitle: Changed\n---\n");
    std::fs::set_permissions(
        site.root().join("content/a.md"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(
        site.root().join("out"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    let run = run_unprivileged(&site, &["build"]);
    std::fs::set_permissions(
        site.root().join("out"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    run.assert_code(2);
    assert_contains(&run.stderr, "out/.public.trailmark-staging-");
    assert_contains(&run.stderr, "Permission denied");
    assert_eq!(
        std::fs::read_to_string(site.root().join("out/public/a/index.html")).unwrap(),
        before
    );
}

#[test]
fn pathological_markdown_builds() {
    let site = site_with_page();
    // A megabyte each of nested quotes, open brackets, emphasis runs and fence lines: the
    // inputs that make naive Markdown parsers quadratic. The build must simply finish.
    site.write(
        "content/quotes.md",
        &format!("# Q\n\n{}x\n", "> ".repeat(500_000)),
    );
    site.write(
        "content/brackets.md",
        &format!("# B\n\n{}\n", "[".repeat(1_000_000)),
    );
    site.write(
        "content/stars.md",
        &format!("# S\n\n{}\n", "*a ".repeat(330_000)),
    );
    site.write(
        "content/fences.md",
        &format!("# F\n\n{}", "::: note\n".repeat(100_000)),
    );
    site.write(
        "content/code.md",
        &format!("# C\n\n```rust\n{}\n```\n", "let x = \"".repeat(100_000)),
    );
    let run = site.build();
    // Unclosed fenced divs are errors, reported once per file, and nothing is written.
    run.assert_code(1);
    let d = run.diagnostics();
    assert!(
        d.iter().all(|l| l.starts_with("content/fences.md:")),
        "{d:?}"
    );
}

#[test]
fn template_cycles_and_runaway_recursion_are_errors() {
    let site = site_with_page();
    site.write("templates/page.html", "{% include \"b.html\" %}");
    site.write("templates/b.html", "{% include \"page.html\" %}");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "templates include each other in a loop: b.html → page.html → b.html",
    );

    let site = site_with_page();
    site.write(
        "templates/page.html",
        "{% component spiral(n) %}{{ <spiral n={n} /> }}{% endcomponent spiral %}{{ <spiral n={1} /> }}",
    );
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "Maximum render recursion depth for components exceeded. (while rendering content/a.md)",
    );
}

/// Found by the markdown fuzz target: lone carriage returns inside a quiz made YAML count
/// more lines than the file has. The build normalises line endings first, so every
/// diagnostic stays inside the file.
#[test]
fn lone_carriage_returns_keep_diagnostics_inside_the_file() {
    let site = site_with_page();
    let text = "---\ntitle: Q\n---\n\n```quiz\n- question: \"Q?\"\n  choices:\n    - text: \"A\"\r\r\r\r\r\r\r\r\r\r\n      corre}}}}ct: false\n```\n\n[x](../../outside.md)\n";
    site.write("content/q.md", text);
    let run = site.check();
    run.assert_code(1);
    let lines = text.replace('\r', "\n").lines().count();
    for d in run.diagnostics() {
        let line: usize = d
            .split(':')
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(line <= lines, "{d} points past line {lines}");
    }
}

/// Found from outside: after `chmod 000` and back, `serve` kept reporting "Permission
/// denied" until the file's text changed: the document cache's stamp (size, modification
/// time, inode) does not change with a mode.
#[test]
fn serve_sees_a_file_readable_again_after_chmod() {
    let site = site_with_page();
    site.write("content/private.md", "# Private\n\nSecret text.\n");
    make_writable_by_anyone(&site);
    // Written long ago: a file modified just before it is read is read again anyway.
    let private = site.root().join("content/private.md");
    assert!(
        std::process::Command::new("touch")
            .args(["-d", "2020-01-01"])
            .arg(&private)
            .status()
            .unwrap()
            .success()
    );
    let server = crate::serve_harness::Server::start_with(unprivileged(&site), &site, &[]);
    let status = server.edit(|| {
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    });
    assert_contains(
        &status["errors"].to_string(),
        "cannot read file: Permission denied",
    );
    let status = server.edit(|| {
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o644)).unwrap();
    });
    assert_eq!(status["errors"], serde_json::json!([]), "{status}");
    assert_contains(&server.get("/private/").text(), "Secret text.");
}

/// A link to a file that is not there said "cannot read: No such file or directory",
/// which sent its author looking for a file (found from outside).
#[test]
fn a_dangling_symlink_is_named_as_one() {
    let site = site_with_page();
    std::os::unix::fs::symlink("nowhere.md", site.root().join("content/dangling.md")).unwrap();
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/dangling.md: error: broken symlink: it points to nowhere.md, which does not exist [TM0702]",
    );
}
