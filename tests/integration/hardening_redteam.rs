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
    let video: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
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

    let past = server.request("GET", "/lecture.mp4", &[("Range", "bytes=999999999-")]);
    assert_eq!(past.status, 416, "{}", past.head);
    assert_eq!(
        past.header("content-range").as_deref(),
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
