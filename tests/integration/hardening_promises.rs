//! Issue 18's promises, one test per way an outside review broke them: a failed build never
//! changes the live site, nothing outside the site is read or published, every URL is
//! sanitised, `check` finds what `build` would, and no input aborts or hangs the build.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{Site, assert_contains, assert_not_contains};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A copy of the example site, built `builds` times: once, the cache holds the live site's
/// manifest (the state in which a failed build once wrote through hard links); twice, also
/// a spare generation.
fn built(builds: usize) -> Site {
    let site = Site::new();
    copy_tree(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/example-site")),
        site.root(),
    );
    for _ in 0..builds {
        site.build().assert_ok();
    }
    site
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_failed_build_never_changes_the_live_site() {
    for front_matter in [
        "aliases: [\"/blog\"]",
        "aliases: [\"/handbook/\"]",
        "slug: about",
        "slug: blog",
        "slug: courses",
        "aliases: [\"/journey/\"]",
        "aliases: [\"/case-studies/\"]",
    ] {
        for builds in [1, 2] {
            let site = built(builds);
            let before = snapshot(&site.public());
            site.write(
                "content/al.md",
                &format!("---\ntitle: Al\n{front_matter}\n---\nx\n"),
            );
            let run = site.build();
            run.assert_code(1);
            assert_contains(&run.stderr, "sources write the same output");
            assert!(
                before == snapshot(&site.public()),
                "{front_matter}: the live site changed"
            );
            // The cause removed, the next build is whole and correct.
            site.remove("content/al.md");
            site.build().assert_ok();
            assert!(before == snapshot(&site.public()), "{front_matter}");
        }
    }
}

#[test]
fn a_failed_build_never_changes_the_live_site_after_rendering_either() {
    // An error found only while rendering (a broken link): pages already went to the
    // staging folder, some as hard links to the live site's files.
    let site = built(1);
    let before = snapshot(&site.public());
    site.write(
        "content/al.md",
        "---\ntitle: Al\n---\nA [broken](missing.md) link.\n",
    );
    site.build().assert_code(1);
    assert!(before == snapshot(&site.public()), "the live site changed");
}

/// A folder outside the site holding a file that must never be published.
fn outside_folder() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    std::fs::write(outside.path().join("page.html"), "{{ 1 }}").unwrap();
    std::fs::write(outside.path().join("base.html"), "outside").unwrap();
    outside
}

fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[test]
fn nothing_outside_the_site_is_published_through_a_theme() {
    let outside = outside_folder();
    // The theme's static/ leads outside.
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntheme: t\n",
    );
    copy_tree(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/templates"
        )),
        &site.root().join("themes/t/templates"),
    );
    symlink(outside.path(), &site.root().join("themes/t/static"));
    site.write("content/a.md", "# A\n");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "themes/t/static: error: symlink points outside the site",
    );
    assert!(!site.public().join("passwd").exists());

    // The whole theme folder leads outside.
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntheme: t\n",
    );
    std::fs::create_dir_all(outside.path().join("t/templates")).unwrap();
    std::fs::create_dir_all(outside.path().join("t/static")).unwrap();
    std::fs::write(outside.path().join("t/static/passwd"), "root").unwrap();
    symlink(&outside.path().join("t"), &site.root().join("themes/t"));
    site.write("content/a.md", "# A\n");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "themes/t/templates: error: symlink points outside the site",
    );
    assert!(!site.public().join("passwd").exists());
}

#[test]
fn nothing_outside_the_site_is_read_as_a_theme_or_template() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntheme: ../../x\n",
    );
    site.write("content/a.md", "# A\n");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "trailmark.yaml:3:1: error: theme `../../x` must be the name of a folder in themes/, not a path",
    );

    let outside = outside_folder();
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    symlink(outside.path(), &site.root().join("templates"));
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "templates: error: symlink points outside the site",
    );
    // One link deeper, inside templates/.
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    symlink(
        &outside.path().join("base.html"),
        &site.root().join("templates/base.html"),
    );
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "templates/base.html: error: symlink points outside the site",
    );
    // `content/` itself leading outside.
    let site = Site::new();
    std::fs::write(outside.path().join("leak.md"), "# Leak\n").unwrap();
    symlink(outside.path(), &site.root().join("content"));
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content: error: symlink points outside the site",
    );
}

#[test]
fn special_files_are_refused_before_they_are_opened() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    let fifo = |path: &str| {
        let path = site.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
    };
    fifo("content/pipe.md");
    fifo("static/pipe.css");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/pipe.md: error: not a regular file (a named pipe); refusing to read it",
    );
    assert_contains(
        &run.stderr,
        "static/pipe.css: error: not a regular file (a named pipe); refusing to read it",
    );
    site.remove("trailmark.yaml");
    fifo("trailmark.yaml");
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "trailmark.yaml: error: not a regular file (a named pipe); refusing to read it",
    );
}

#[test]
fn no_executable_url_reaches_an_href_from_front_matter_or_config() {
    for url in [
        "javascript:alert(document.domain)",
        " JaVaScRiPt:alert(1)",
        "java\\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ] {
        let site = Site::new();
        site.write(
            "content/blog/_index.md",
            "---\ntitle: Blog\nkind: blog\n---\n",
        );
        site.write(
            "content/blog/p.md",
            &format!("---\ntitle: P\ndate: 2026-01-01\ncomments: \"{url}\"\n---\nBody.\n"),
        );
        let run = site.build();
        run.assert_code(1);
        assert_contains(
            &run.stderr,
            "content/blog/p.md:4:1: error: `comments` link `",
        );
        assert_contains(
            &run.stderr,
            "would run script or load content when followed",
        );
    }
    for (config, line) in [
        ("menu:\n  - { name: X, url: \"javascript:alert(1)\" }\n", 4),
        ("author:\n  name: A\n  url: \"javascript:alert(1)\"\n", 5),
        ("comments:\n  url: \"javascript:alert(1)\"\n", 4),
        ("repo_url: \"javascript:alert('{path}')\"\n", 3),
    ] {
        let site = Site::new();
        site.write(
            "trailmark.yaml",
            &format!("title: T\nbase_url: https://example.org\n{config}"),
        );
        site.write("content/a.md", "# A\n");
        for run in [site.check(), site.build()] {
            run.assert_code(1);
            assert_contains(&run.stderr, &format!("trailmark.yaml:{line}:1: error: "));
            assert_contains(
                &run.stderr,
                "would run script or load content when followed",
            );
        }
        assert!(!site.public().exists());
    }
    // Ordinary URLs stay as written.
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nmenu:\n  - { name: Mail, url: \"mailto:a@example.org\" }\n  - { name: Ext, url: \"https://x.example/\" }\n",
    );
    site.write("content/a.md", "# A\n");
    site.build().assert_ok();
    let page = site.read("a/index.html");
    assert_contains(&page, "href=\"mailto:a@example.org\"");
    assert_contains(&page, "href=\"https://x.example/\"");
    assert_not_contains(&page, "javascript:");
}

/// Runs `trailmark <args>` in `site`, killing it after `seconds` (then `None`).
fn run_bounded(site: &Site, args: &[&str], seconds: u64) -> Option<crate::harness::Run> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap().into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn serve_never_listens_on_every_network_whatever_the_spelling() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    for (bind, shown) in [
        ("0.0.0.0", "0.0.0.0"),
        ("::ffff:0.0.0.0", "0.0.0.0"),
        ("::", "::"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::0.0.0.0", "::"),
        ("255.255.255.255", "255.255.255.255"),
        ("224.0.0.1", "224.0.0.1"),
        ("ff02::1", "ff02::1"),
    ] {
        let run = run_bounded(&site, &["serve", "--bind", bind, "--port", "0"], 20)
            .unwrap_or_else(|| panic!("--bind {bind} was accepted"));
        run.assert_code(2);
        assert_contains(&run.stderr, &format!("error: refusing to bind {shown}: "));
    }
}

#[test]
fn a_huge_file_is_refused_by_name_not_an_abort() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    // 3 GB, sparse: refused by its size before a byte is read.
    let huge = std::fs::File::create(site.root().join("content/huge.md")).unwrap();
    huge.set_len(3 << 30).unwrap();
    drop(huge);
    let huge_template = std::fs::File::create(site.root().join("templates/page.html"));
    let huge_template = huge_template.unwrap_or_else(|_| {
        std::fs::create_dir_all(site.root().join("templates")).unwrap();
        std::fs::File::create(site.root().join("templates/page.html")).unwrap()
    });
    huge_template.set_len(1 << 30).unwrap();
    drop(huge_template);
    for run in [site.check(), site.build()] {
        run.assert_code(1);
        assert_contains(
            &run.stderr,
            "content/huge.md: error: file is 3221225472 bytes; the limit for pages and templates is 16 MiB (`limits: { file_size_mb: N }` in trailmark.yaml)",
        );
    }
    // Templates are loaded first; their errors stop the build before content is read.
    let run = site.build();
    assert_contains(
        &run.stderr,
        "templates/page.html: error: file is 1073741824 bytes; the limit for pages and templates is 16 MiB",
    );
    site.remove("templates/page.html");
    site.remove("content/huge.md");

    // The limit is the config's to set; static files are copied whatever their size.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nlimits:\n  file_size_mb: 1\n",
    );
    site.write("content/big.md", &"word ".repeat(300_000));
    let big_static = std::fs::File::create(site.root().join("static/big.bin"));
    let big_static = big_static.unwrap_or_else(|_| {
        std::fs::create_dir_all(site.root().join("static")).unwrap();
        std::fs::File::create(site.root().join("static/big.bin")).unwrap()
    });
    big_static.set_len(3 << 20).unwrap();
    drop(big_static);
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "content/big.md: error: file is 1500000 bytes; the limit for pages and templates is 1 MiB",
    );
    site.remove("content/big.md");
    site.build().assert_ok();
    assert_eq!(
        std::fs::metadata(site.public().join("big.bin"))
            .unwrap()
            .len(),
        3 << 20
    );
}

/// `text` is well-formed XML whose every character XML 1.0 allows.
#[track_caller]
fn assert_valid_xml(text: &str, name: &str) {
    if let Some(c) = text.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
            || u32::from(c) & 0xFFFE == 0xFFFE
    }) {
        panic!("{name} holds U+{:04X}, which XML forbids", u32::from(c));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    assert_eq!(depth, 0, "{name} leaves elements open");
}

/// Every `.xml` output of `site` is valid XML; no output holds a forbidden control.
pub(crate) fn assert_every_output_is_clean(site: &Site) {
    for name in site.outputs() {
        let bytes = std::fs::read(site.public().join(&name)).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // the search index's binary chunks
        };
        if std::path::Path::new(&name)
            .extension()
            .is_some_and(|e| e == "xml")
        {
            assert_valid_xml(&text, &name);
        } else if std::path::Path::new(&name)
            .extension()
            .is_some_and(|e| e == "html")
        {
            assert!(
                !text.chars().any(|c| {
                    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || u32::from(c) & 0xFFFE == 0xFFFE
                }),
                "{name} holds a control character"
            );
        }
    }
}

#[test]
fn control_characters_never_make_a_feed_invalid() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: \"Site\\e[1m\"\nbase_url: https://example.org\ntaxonomies: [tags]\n",
    );
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    );
    site.write(
        "content/blog/p.md",
        "---\ntitle: \"Esc \\e and \\0 in a YAML escape\"\ndate: 2026-01-01\ntags: [\"t\\x01\"]\n---\nText with a bell \u{7} here.\n\n```\n\u{1b}[32mOK\u{1b}[0m and NUL \u{0}\n```\n",
    );
    let run = site.build();
    run.assert_ok();
    let d = run.diagnostics();
    assert!(
        d.contains(&"content/blog/p.md:6:18: warning: control character U+0007 replaced with U+FFFD (XML and HTML forbid it)".to_string()),
        "{d:?}"
    );
    assert!(
        d.contains(&"content/blog/p.md:9:1: warning: control character U+001B replaced with U+FFFD (XML and HTML forbid it)".to_string()),
        "{d:?}"
    );
    assert_every_output_is_clean(&site);
    assert_contains(&site.read("atom.xml"), "\u{FFFD}[32mOK");
}

#[test]
fn every_xml_output_of_the_example_site_parses() {
    let site = built(1);
    assert_every_output_is_clean(&site);
}

#[test]
fn check_finds_every_output_path_problem_build_would() {
    let site = Site::new();
    site.write("content/about.md", "---\ntitle: About\n---\n");
    site.write("static/about", "a file where the page's folder goes");
    site.write("static/atom.xml/x", "a folder where the feed goes");
    site.write(
        "static/pagefind/pagefind.js",
        "would replace the search client",
    );
    site.write(
        "content/long.md",
        &format!("---\ntitle: L\nslug: {}\n---\n", "a".repeat(300)),
    );
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    );
    site.write(
        "content/al.md",
        "---\ntitle: Al\naliases: [\"/blog/\"]\n---\n",
    );
    let expected = [
        "content/al.md:3:1: error: 2 sources write the same output `blog/index.html`: alias in content/al.md:3, content/blog/_index.md",
        "content/about.md: error: `about` is a file, written by static/about, but `about/index.html`, written by content/about.md, needs a folder there",
        "content/long.md:3:1: error: an output name of 300 bytes (`aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…`); file systems allow 255",
        "static/atom.xml/x: error: `atom.xml` is a file, written by (generated), but `atom.xml/x`, written by static/atom.xml/x, needs a folder there",
        "static/pagefind/pagefind.js: error: `pagefind/pagefind.js`, written by static/pagefind/pagefind.js, is inside `pagefind/`, which the search index writes; rename it or set `search: false`",
    ];
    for run in [site.check(), site.build()] {
        run.assert_code(1);
        let d = run.diagnostics();
        for line in expected {
            assert!(d.contains(&line.to_string()), "{line}\nnot in {d:#?}");
        }
        assert_eq!(d.len(), expected.len(), "{d:#?}");
    }
    assert!(!site.public().exists());
    // Without search, `pagefind/` is the site's own.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nsearch: false\n",
    );
    site.remove("static/about");
    site.remove("static/atom.xml/x");
    site.remove("content/long.md");
    site.remove("content/al.md");
    site.build().assert_ok();
    assert_eq!(
        site.read("pagefind/pagefind.js"),
        "would replace the search client"
    );
}

#[test]
fn template_work_is_bounded_and_the_error_names_template_and_page() {
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    site.write(
        "templates/page.html",
        "{% for i in range(end=99999) %}{% for j in range(end=99999) %}{% endfor %}{% endfor %}\n",
    );
    let run = run_bounded(
        &site,
        &["build", "--build-date", crate::harness::BUILD_DATE],
        60,
    )
    .expect("nested loops must stop at their bound, not run on");
    run.assert_code(1);
    assert_contains(&run.stderr, "templates/page.html:1:");
    assert_contains(
        &run.stderr,
        "this render ran out of loop steps (`limits: { template_iterations: N }` in trailmark.yaml) (while rendering content/a.md)",
    );
    // Output is bounded too: 1 MiB allowed, a loop writing 2 MiB.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\nlimits: { template_output_mb: 1 }\n",
    );
    site.write(
        "templates/page.html",
        "{% for i in range(end=2048) %}{{ \"x\" ~ page.title }}{% for j in range(end=200) %}xxxxx{% endfor %}{% endfor %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_contains(
        &run.stderr,
        "templates/page.html: error: template output is over 1 MiB (`limits: { template_output_mb: N }` in trailmark.yaml) (while rendering content/a.md)",
    );
    // Within the bounds, ranges work as Tera's own.
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\n",
    );
    site.write(
        "templates/page.html",
        "{% for i in range(start=10, end=0, step_by=-3) %}{{ i }},{% endfor %}\n",
    );
    site.build().assert_ok();
    assert_eq!(site.read("a/index.html").trim(), "10,7,4,1,");
}

#[test]
fn a_duplicate_key_is_reported_at_the_duplicate() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nweight: 2\ntitle: B\n---\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\nextra:\n  x: 1\n  y: 2\n  x: 3\n---\n",
    );
    let d = site.build().diagnostics();
    assert!(
        d.contains(
            &"content/a.md:5:1: error: YAML syntax error: duplicate entry with key \"title\""
                .to_string()
        ),
        "{d:?}"
    );
    assert!(
        d.contains(
            &"content/b.md:6:3: error: YAML syntax error: extra: duplicate entry with key \"x\""
                .to_string()
        ),
        "{d:?}"
    );
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\ntitle: X\n",
    );
    let d = site.check().diagnostics();
    assert!(
        d.contains(
            &"trailmark.yaml:3:1: error: YAML syntax error: duplicate entry with key \"title\""
                .to_string()
        ),
        "{d:?}"
    );
}

#[test]
fn non_finite_numbers_are_refused_at_their_line() {
    for (value, column) in [(".inf", 9), ("-.inf", 9), (".NaN", 9)] {
        let site = Site::new();
        site.write(
            "content/a.md",
            &format!("---\ntitle: A\nweight: {value}\n---\n"),
        );
        let run = site.build();
        run.assert_code(1);
        assert_eq!(
            run.diagnostics(),
            [format!(
                "content/a.md:3:{column}: error: `{}` is not a finite number; write a number or quote it as text",
                if value == ".NaN" { ".nan" } else { value }
            )]
        );
    }
}

#[test]
fn a_misspelt_key_is_reported_once_per_site_and_strict_check_fails_on_it() {
    let site = Site::new();
    for i in 0..5 {
        site.write(
            &format!("content/p{i}.md"),
            "---\ntitle: P\nobjectves: [x]\n---\n",
        );
    }
    let run = site.check();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        [
            "content/p0.md:3:1: warning: unknown front matter key `objectves`; its value is not used (5 times; this is the first)"
        ]
    );
    // The fix is offered on its own line.
    assert_contains(
        &run.stderr,
        "did you mean `objectives`? write `objectives:` instead of `objectves:`",
    );
    let run = site.run(&[
        "check",
        "--strict",
        "--build-date",
        crate::harness::BUILD_DATE,
    ]);
    run.assert_code(1);
    assert_contains(&run.stderr, "check --strict fails on warnings: 1 warning");
    for (policy, code, expected) in [
        (
            "error",
            1,
            Some(
                "content/p0.md:3:1: error: unknown front matter key `objectves`; its value is not used (5 times; this is the first)",
            ),
        ),
        ("ignore", 0, None),
    ] {
        site.write(
            "trailmark.yaml",
            &format!("title: T\nbase_url: https://example.org\nunknown_keys: {policy}\n"),
        );
        let run = site.check();
        run.assert_code(code);
        assert_eq!(
            run.diagnostics(),
            expected.map(str::to_string).into_iter().collect::<Vec<_>>()
        );
    }
    let run = site.run(&[
        "check",
        "--strict",
        "--build-date",
        crate::harness::BUILD_DATE,
    ]);
    run.assert_ok();
}

#[test]
fn terms_that_differ_by_symbols_never_merge() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\ntags: [\"C++\"]\n---\n");
    site.write("content/b.md", "---\ntitle: B\ntags: [\"C#\"]\n---\n");
    site.write("content/c.md", "---\ntitle: C\ntags: [\"C\", \"c\"]\n---\n");
    site.write(
        "content/d.md",
        "---\ntitle: D\ntags: [\"F#\", \"Social Media\", \"social-media\"]\n---\n",
    );
    site.build().assert_ok();
    assert_contains(&site.read("tags/c-plus-plus/index.html"), "C++");
    assert_contains(&site.read("tags/c-sharp/index.html"), "C#");
    assert_contains(&site.read("tags/f-sharp/index.html"), "F#");
    let c = site.read("tags/c/index.html");
    assert_not_contains(&c, "C++");
    assert_contains(&c, "/c/");
    assert_not_contains(&c, "/a/\"");
    // Case and spacing still make one term, without a word.
    assert!(site.exists("tags/social-media/index.html"));
    assert_eq!(site.check().diagnostics(), Vec::<String>::new());
    // Other spellings that share a slug are one term too (they share its URL), never silently.
    site.write("content/e.md", "---\ntitle: E\ntags: [\"C!\"]\n---\n");
    let run = site.check();
    run.assert_ok();
    assert_eq!(
        run.diagnostics(),
        [
            "content/e.md:3:1: warning: tags `C!` and `C` (content/c.md) share the URL /tags/c/ and are listed as one term; write them the same way, or rename one"
        ]
    );
}

#[test]
fn new_never_writes_through_a_symlink_leading_outside() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::new();
    site.write("content/a.md", "# A\n");
    symlink(outside.path(), &site.root().join("content/linked"));
    for path in ["linked/01-x", "linked/deeper/01-y"] {
        let run = site.run(&["new", "lesson", path]);
        run.assert_code(2);
        assert_contains(&run.stderr, "would be written outside the site");
    }
    // A dangling link where the file goes is refused too.
    symlink(
        &outside.path().join("made.md"),
        &site.root().join("content/02-z.md"),
    );
    let run = site.run(&["new", "lesson", "02-z"]);
    assert_ne!(run.code, 0);
    assert_contains(&run.stderr, "content/02-z.md already exists");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // Inside the site, `new` works as before.
    site.run(&["new", "course", "courses/intro"]).assert_ok();
    site.run(&["new", "lesson", "courses/intro/03-ok"])
        .assert_ok();
}
