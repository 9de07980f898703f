//! Promises an outside tester broke after issue 18, one test per family: `serve` streams
//! static files and answers byte ranges, no character XML forbids reaches a feed,
//! `--base-url` and `base_url` are validated alike, lists sort by the instant, an output
//! folder that is a symlink, `check` finds what `build` would about `output_dir` and
//! `language`, and `trailmark new` refuses names the build would refuse.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::harness::{Site, assert_contains};
use crate::serve_harness::Server;

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[test]
fn serve_answers_byte_ranges_and_downloads_share_the_file() {
    const LEN: usize = 40 << 20;
    let video: Vec<u8> = (0..LEN)
        .map(|i| u8::try_from(i % 251).unwrap_or(0))
        .collect();
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n")
        .write_bytes("static/lecture.mp4", &video);
    let server = Server::start(&site, &[]);

    let whole = server.get("/lecture.mp4");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges").as_deref(), Some("bytes"));
    assert!(whole.body == video, "the whole file, byte for byte");

    let part = server.request("GET", "/lecture.mp4", &[("Range", "bytes=1000-1999")]);
    assert_eq!(part.status, 206, "{}", part.head);
    assert_eq!(
        part.header("content-range").as_deref(),
        Some(format!("bytes 1000-1999/{LEN}").as_str())
    );
    assert_eq!(part.header("content-length").as_deref(), Some("1000"));
    assert!(part.body == video[1000..2000]);

    let tail = server.request("GET", "/lecture.mp4", &[("Range", "bytes=-10")]);
    assert_eq!(tail.status, 206);
    assert!(tail.body == video[LEN - 10..]);
    let open = server.request("GET", "/lecture.mp4", &[("Range", "bytes=41943000-")]);
    assert_eq!(open.status, 206);
    assert_eq!(
        open.header("content-range").as_deref(),
        Some(format!("bytes 41943000-{}/{LEN}", LEN - 1).as_str())
    );

    let beyond = server.request("GET", "/lecture.mp4", &[("Range", "bytes=999999999-")]);
    assert_eq!(beyond.status, 416, "{}", beyond.head);
    assert_eq!(
        beyond.header("content-range").as_deref(),
        Some(format!("bytes */{LEN}").as_str())
    );
    // Several ranges: the whole file is a valid answer.
    let several = server.request("GET", "/lecture.mp4", &[("Range", "bytes=0-1,5-6")]);
    assert_eq!(several.status, 200);
    assert_eq!(several.body.len(), LEN);
    // Pages are always whole (they carry the live-reload tag).
    let page = server.request("GET", "/", &[("Range", "bytes=0-3")]);
    assert_eq!(page.status, 200);

    // Eight downloads held open at once: each used to copy the file (8 x 40 MiB).
    let before = resident_kib(server.pid());
    let mut downloads = Vec::new();
    for _ in 0..8 {
        let mut stream = TcpStream::connect(&server.host).unwrap();
        write!(
            stream,
            "GET /lecture.mp4 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.host
        )
        .unwrap();
        let mut first = [0u8; 4096];
        stream.read_exact(&mut first).unwrap();
        downloads.push(stream);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let during = resident_kib(server.pid());
    drop(downloads);
    let grown_mib = during.saturating_sub(before) / 1024;
    assert!(
        grown_mib < 40,
        "8 open downloads of a 40 MiB file grew the server by {grown_mib} MiB"
    );
}

#[test]
fn non_characters_never_make_a_feed_invalid() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Site\nbase_url: https://example.org\ntaxonomies: [tags]\n",
    )
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    )
    .write(
        "content/blog/f.md",
        "---\ntitle: F\ndate: 2025-01-02\ntags: [t]\n---\nA \u{FFFF} B \u{FFFE} C \u{FDD0} D \u{10FFFF}\n",
    )
    // TOML front matter: the raw character, and an escape only the output scrub sees.
    .write(
        "content/blog/g.md",
        "+++\ntitle = \"G \u{FFFE} raw\"\nsummary = \"escaped \\uFFFF here\"\ndate = 2025-01-03\ntags = [\"t\"]\n+++\nBody \u{1FFFE}.\n",
    );
    let run = site.build();
    run.assert_ok();
    let d = run.diagnostics();
    for expected in [
        "content/blog/f.md:6:3: warning: non-character U+FFFF replaced with U+FFFD (XML and HTML forbid it)",
        "content/blog/g.md:2:12: warning: non-character U+FFFE replaced with U+FFFD (XML and HTML forbid it)",
        "content/blog/g.md:7:6: warning: non-character U+1FFFE replaced with U+FFFD (XML and HTML forbid it)",
    ] {
        assert!(d.contains(&expected.to_string()), "{expected}\n{d:?}");
    }
    crate::hardening_promises::assert_every_output_is_clean(&site);
    for feed in ["atom.xml", "blog/atom.xml", "tags/t/atom.xml"] {
        if site.exists(feed) {
            assert_contains(&site.read(feed), "A \u{FFFD} B");
        }
    }
    assert!(site.exists("atom.xml") && site.exists("blog/atom.xml"));
}

#[test]
fn base_url_is_checked_alike_from_the_flag_and_the_config() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    for (command, value, message) in [
        (
            "build",
            "javascript:alert(1)//",
            "base_url must start with http:// or https://, found `javascript:alert(1)//`",
        ),
        (
            "build",
            "example.org/docs",
            "base_url must start with http:// or https://, found `example.org/docs`",
        ),
        (
            "check",
            "example.org",
            "base_url must start with http:// or https://, found `example.org`",
        ),
        (
            "build",
            "https://example.org/docs?x=1",
            "base_url cannot have a query (`?`), found `https://example.org/docs?x=1`",
        ),
        (
            "check",
            "https://example.org/../",
            "base_url's path cannot have `.`, `..` or empty segments, found `https://example.org/../`",
        ),
    ] {
        let run = site.run(&[command, "--base-url", value]);
        assert_eq!(run.code, 2, "{command} --base-url {value}: {}", run.stderr);
        assert_contains(
            &run.stderr,
            &format!("invalid value '{value}' for '--base-url <URL>': {message}"),
        );
    }
    assert!(!site.public().exists());

    for (value, message) in [
        (
            "https://example.org/docs?x=1#frag",
            "base_url cannot have a query (`?`), found `https://example.org/docs?x=1#frag`",
        ),
        (
            "https://example.org/#top",
            "base_url cannot have a fragment (`#`), found `https://example.org/#top`",
        ),
        (
            "https://example.org/../../",
            "base_url's path cannot have `.`, `..` or empty segments, found `https://example.org/../../`",
        ),
        (
            "https://exa mple.org/",
            "base_url has no valid host name, found `https://exa mple.org/`",
        ),
        (
            "https://example.org:8443/a b/",
            "base_url's path has a character a URL must escape, found `https://example.org:8443/a b/`",
        ),
    ] {
        site.write(
            "trailmark.yaml",
            &format!("title: T\nbase_url: \"{value}\"\n"),
        );
        for run in [site.check(), site.build()] {
            assert_ne!(run.code, 0, "{value}");
            let expected = format!("trailmark.yaml:2:1: error: {message}");
            assert!(
                run.diagnostics().contains(&expected),
                "{expected}\n{}",
                run.stderr
            );
        }
    }
    assert!(!site.public().exists());
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: \"https://example.org:8443/a%20b/\"\n",
    );
    site.build().assert_ok();
    assert_contains(&site.read("index.html"), "href=\"/a%20b/");
}

#[test]
fn sitemap_and_feed_urls_are_percent_encoded() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHome.\n")
    .write("content/notes/café.md", "---\ntitle: Café\n---\nText.\n")
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    )
    .write(
        "content/blog/crème brûlée.md",
        "---\ntitle: Crème\ndate: 2025-01-02\n---\nText.\n",
    );
    site.build().assert_ok();
    let sitemap = site.read("sitemap.xml");
    assert_contains(&sitemap, "<loc>https://example.org/notes/caf%C3%A9/</loc>");
    for url in sitemap.split("<loc>").skip(1) {
        let url = &url[..url.find("</loc>").unwrap()];
        assert!(url.is_ascii() && !url.contains(' '), "{url}");
    }
    for feed in ["atom.xml", "blog/atom.xml"] {
        let text = site.read(feed);
        for part in text.split("href=\"").skip(1) {
            let url = &part[..part.find('"').unwrap()];
            assert!(url.is_ascii() && !url.contains(' '), "{feed}: {url}");
        }
        for part in text.split("<id>").skip(1) {
            let id = &part[..part.find("</id>").unwrap()];
            assert!(id.is_ascii() && !id.contains(' '), "{feed}: {id}");
        }
    }
}

#[test]
fn lists_and_feeds_sort_by_the_instant_not_the_local_clock() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: T\nbase_url: https://example.org\n",
    )
    .write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: blog\n---\n",
    )
    // 2025-01-01 20:00 UTC: the older post, though its local clock reads later.
    .write(
        "content/blog/kiritimati.md",
        "---\ntitle: Kiritimati\ndate: 2025-01-02T10:00:00+14:00\n---\nOlder.\n",
    )
    // 2025-01-02 11:00 UTC: the newer.
    .write(
        "content/blog/honolulu.md",
        "---\ntitle: Honolulu\ndate: 2025-01-02T01:00:00-10:00\n---\nNewer.\n",
    );
    site.build().assert_ok();
    for output in ["blog/index.html", "blog/atom.xml", "atom.xml"] {
        let text = site.read(output);
        let newer = text.find("Honolulu").unwrap();
        let older = text.find("Kiritimati").unwrap();
        assert!(newer < older, "{output} lists the older post first");
    }
}

#[test]
fn an_output_folder_that_is_a_symlink_is_built_into_its_target() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nFirst.\n");
    let www = tempfile::tempdir().unwrap();
    let web_root = www.path().join("site");
    std::fs::create_dir(&web_root).unwrap();
    std::os::unix::fs::symlink(&web_root, site.public()).unwrap();

    site.build().assert_ok();
    assert!(
        std::fs::symlink_metadata(site.public())
            .unwrap()
            .file_type()
            .is_symlink(),
        "public is still the link"
    );
    assert_contains(
        &std::fs::read_to_string(web_root.join("index.html")).unwrap(),
        "First.",
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\nSecond.\n");
    site.build().assert_ok();
    assert_contains(
        &std::fs::read_to_string(web_root.join("index.html")).unwrap(),
        "Second.",
    );
    // Nothing left beside the link or the web root but what was there.
    let names = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.contains("trailmark-spare"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(www.path()), ["site"]);

    // A link that leads nowhere is an error naming the link, and nothing is written.
    std::fs::remove_file(site.public()).unwrap();
    let gone = www.path().join("gone");
    std::os::unix::fs::symlink(&gone, site.public()).unwrap();
    for run in [site.check(), site.build()] {
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert_contains(
            &run.stderr,
            &format!(
                "error: output_dir `public`: the output folder is a symbolic link to `{}`, which cannot be followed",
                gone.display()
            ),
        );
    }
    assert!(!gone.exists());
}

#[test]
fn check_finds_the_output_dir_and_language_problems_build_finds() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome.\n");
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("keep.txt"), "not ours").unwrap();
    let folder = foreign.path().display().to_string();
    site.write(
        "trailmark.yaml",
        &format!("title: T\noutput_dir: {folder}\n"),
    );
    let expected = format!(
        "trailmark.yaml:2:13: error: output_dir `{folder}`: refusing to use this as the output folder: it is a non-empty folder Trailmark did not create; empty it or choose another --output"
    );
    for run in [site.check(), site.build()] {
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert!(
            run.diagnostics().contains(&expected),
            "{expected}\n{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read_dir(foreign.path()).unwrap().count(), 1);

    for (language, help) in [
        (
            "../x",
            "write a BCP 47 language tag such as `en`, `pt-BR` or `zh-Hant`",
        ),
        (
            "a b",
            "write a BCP 47 language tag such as `en`, `pt-BR` or `zh-Hant`",
        ),
        (
            "a/b",
            "write a BCP 47 language tag such as `en`, `pt-BR` or `zh-Hant`",
        ),
        ("en_US", "BCP 47 joins subtags with `-`: write `en-US`"),
    ] {
        site.write(
            "trailmark.yaml",
            &format!("title: T\nlanguage: \"{language}\"\n"),
        );
        for run in [site.check(), site.build()] {
            assert_ne!(run.code, 0, "{language}");
            let message = format!(
                "trailmark.yaml:2:1: error: language must be a BCP 47 language tag, found `{language}`"
            );
            assert!(
                run.diagnostics().contains(&message),
                "{message}\n{}",
                run.stderr
            );
            assert_contains(&run.stderr, &format!("= help: {help}"));
        }
    }
    assert!(!site.public().exists());
    site.write("trailmark.yaml", "title: T\nlanguage: pt-BR\n");
    site.build().assert_ok();
    assert_contains(&site.read("index.html"), "<html lang=\"pt-BR\"");
}

#[test]
fn new_refuses_names_the_build_would_refuse() {
    let site = Site::new();
    site.run(&["new", "course", "courses/first-course"])
        .assert_ok();
    site.run(&["new", "lesson", "courses/first-course/01-x"])
        .assert_ok();
    let course = "content/courses/first-course";
    // The build's diagnostic, at the first source: `name`'s output written by both.
    let collision = |output: &str, first: &str, second: &str| {
        format!(
            "{course}/{first}: error: 2 sources write the same output `courses/first-course/{output}/index.html`: {course}/{first}, {course}/{second}"
        )
    };
    for (name, expected) in [
        ("print", collision("print", "_index.md", "print.md")),
        (
            "instructor",
            collision("instructor", "_index.md", "instructor.md"),
        ),
        (
            "certificate",
            collision("certificate", "_index.md", "certificate.md"),
        ),
        ("05-x", collision("x", "01-x.md", "05-x.md")),
        (
            "con",
            format!(
                "{course}/con.md: error: `con` is a reserved file name on Windows and cannot be a URL segment; set another `slug:`"
            ),
        ),
        (
            "aux",
            format!(
                "{course}/aux.md: error: `aux` is a reserved file name on Windows and cannot be a URL segment; set another `slug:`"
            ),
        ),
    ] {
        let run = site.run(&["new", "lesson", &format!("courses/first-course/{name}")]);
        assert_eq!(run.code, 2, "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.diagnostics().contains(&expected),
            "{expected}\n{}",
            run.stderr
        );
        assert!(!run.stdout.contains("Created"), "{}", run.stdout);
        assert!(!site.root().join(format!("{course}/{name}.md")).exists());
    }
    // The extension asked for is kept.
    let run = site.run(&["new", "lesson", "courses/first-course/04-q.markdown"]);
    run.assert_ok();
    assert_contains(
        &run.stdout,
        "Created lesson content/courses/first-course/04-q.markdown",
    );
    assert!(
        site.root()
            .join(format!("{course}/04-q.markdown"))
            .is_file()
    );
    site.check().assert_ok();
}
