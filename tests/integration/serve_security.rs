//! The dev server must not leak previews: each rule is tested against the running server.

use std::time::Duration;

use crate::harness::{Site, assert_contains, assert_not_contains};
use crate::serve_harness::Server;

const SECRET: &str = "top-secret-handbook-text";

fn site() -> Site {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHome page.\n")
        .write("content/notes.md", "---\ntitle: Notes\n---\nNotes.\n")
        .write("static/style.css", "body{}\n")
        // Next to the site, never part of it.
        .write("secret.txt", SECRET)
        .write(
            "content/draft.md",
            &format!("---\ntitle: D\n---\n{SECRET}\n"),
        );
    site
}

#[test]
fn paths_outside_the_built_site_are_refused() {
    let site = site();
    let server = Server::start(&site, &[]);
    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/notes%00.html",
        "/./secret.txt",
        "//secret.txt",
        "/content/notes.md",
        "/trailmark.yaml",
        "/secret.txt",
    ] {
        let response = server.get(path);
        assert!(
            (400..500).contains(&response.status),
            "{path} answered {}",
            response.status
        );
        assert_not_contains(&response.text(), SECRET);
        assert_not_contains(&response.text(), "base_url");
    }
    // The server still answers after all of that.
    assert_eq!(server.get("/notes/").status, 200);
}

#[test]
fn a_symlink_out_of_the_site_is_never_served() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwords.txt"), SECRET).unwrap();
    let server = Server::start(&site, &[]);
    server.edit(|| {
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("passwords.txt"),
            site.root().join("static/passwords.txt"),
        )
        .unwrap();
    });
    let response = server.get("/passwords.txt");
    assert_eq!(response.status, 404);
    assert_not_contains(&response.text(), SECRET);
    let status = server.status();
    assert!(
        status["errors"][0]
            .as_str()
            .unwrap()
            .contains("symlink points outside the site"),
        "{status}"
    );
}

#[test]
fn only_the_bound_address_is_answered() {
    let site = site();
    let server = Server::start(&site, &[]);
    let port = server.host.rsplit(':').next().unwrap().to_string();
    assert_eq!(server.get("/").status, 200);
    let localhost = format!("localhost:{port}");
    assert_eq!(
        server.request("GET", "/", &[("Host", &localhost)]).status,
        200
    );
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", port.parse::<u32>().unwrap() + 1),
    ] {
        let response = server.request("GET", "/", &[("Host", &host)]);
        assert_eq!(response.status, 403, "Host: {host}");
        assert_not_contains(&response.text(), "Home page.");
    }
    // An absolute request target naming another host is refused too.
    let response = server.request("GET", "http://evil.example/", &[]);
    assert_eq!(response.status, 403);
    // No Host at all (HTTP/1.0).
    let response = server.raw(b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(5));
    assert!((400..500).contains(&response.status), "{}", response.head);
}

#[test]
fn no_cross_origin_access_is_granted() {
    let site = site();
    let server = Server::start(&site, &[]);
    for path in ["/", "/style.css", "/__trailmark/status", "/missing/"] {
        let response = server.request("GET", path, &[("Origin", "http://evil.example")]);
        assert_eq!(
            response.header("access-control-allow-origin"),
            None,
            "{path}"
        );
        assert_eq!(
            response.header("cross-origin-resource-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
    }
    let response = server.request(
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://evil.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert_eq!(response.status, 405);
    assert_eq!(response.header("access-control-allow-origin"), None);
}

#[test]
fn live_reload_accepts_only_its_own_origin() {
    let site = site();
    let server = Server::start(&site, &[]);
    let own = server.base.clone();
    let events = |headers: &str| {
        server.raw(
            format!(
                "GET /__trailmark/events HTTP/1.1\r\nHost: {}\r\n{headers}\r\n",
                server.host
            )
            .as_bytes(),
            Duration::from_millis(500),
        )
    };
    for foreign in [
        "Origin: http://evil.example\r\n".to_string(),
        "Origin: null\r\n".to_string(),
        format!("Origin: {own}.evil.example\r\n"),
        "Sec-Fetch-Site: cross-site\r\n".to_string(),
        "Sec-Fetch-Site: same-site\r\n".to_string(),
    ] {
        let response = events(&foreign);
        assert_eq!(response.status, 403, "{foreign}");
    }
    let response = events(&format!("Origin: {own}\r\nSec-Fetch-Site: same-origin\r\n"));
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("text/event-stream")
    );
    assert!(
        response.text().contains("\"generation\":1"),
        "{}",
        response.text()
    );
    assert_eq!(response.header("access-control-allow-origin"), None);
}

#[test]
fn odd_methods_and_malformed_requests_get_4xx_and_the_server_lives_on() {
    let site = site();
    let server = Server::start(&site, &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "BREW"] {
        let response = server.request(method, "/", &[]);
        assert!(
            (400..500).contains(&response.status),
            "{method}: {}",
            response.head
        );
    }
    for garbage in [
        &b"\x00\x01\x02garbage\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /<script> HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
    ] {
        let response = server.raw(garbage, Duration::from_secs(5));
        assert!(
            (400..500).contains(&response.status) || response.status == 0,
            "{:?}: {}",
            String::from_utf8_lossy(garbage),
            response.head
        );
        assert_not_contains(&response.text(), "Home page.");
    }
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.request("HEAD", "/", &[]).status, 200);
}

#[test]
fn error_text_is_escaped() {
    let site = site();
    site.write(
        "content/<img src=x onerror=alert(1)>.md",
        "---\ntitle: X\ndate: \"<script>alert(1)</script>\"\n---\n",
    );
    let server = Server::start(&site, &[]);
    let response = server.get("/");
    assert_eq!(response.status, 500);
    let text = response.text();
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;.md"),
        "{text}"
    );
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{text}"
    );
    assert_not_contains(&text, "<img src=x");
    assert_not_contains(&text, "<script>alert");
}

#[test]
fn encoded_slashes_are_refused_even_where_they_would_find_a_page() {
    let site = site();
    let server = Server::start(&site, &[]);
    for path in [
        "/notes%2F",
        "/notes%2f",
        "/notes%2Findex.html",
        "/notes%5Cindex.html",
    ] {
        let status = server.get(path).status;
        assert_eq!(status, 400, "{path} answered {status}");
    }
    assert_eq!(server.get("/notes/").status, 200);
}

#[test]
fn the_overlay_and_error_page_show_the_terminal_rendering() {
    let site = site();
    site.write(
        "content/guide/01-intro.md",
        "# Intro\n\nRead [the <b>formulas</b>](02-formula.md) next.\n",
    );
    site.write("content/guide/02-formulas.md", "# Formulas\n");
    let rendered = "content/guide/01-intro.md:3:6: error: link to missing page `02-formula.md` \
                    (no content/guide/02-formula.md) [TM0301]\n \
                    3 | Read [the <b>formulas</b>](02-formula.md) next.\n   \
                    |      ^\n   = help: did you mean `02-formulas.md`?";
    let server = Server::start(&site, &[]);
    // The page served while the site has never built: the same text, escaped, no link.
    let page = server.get("/");
    assert_eq!(page.status, 500);
    let escaped = rendered.replace('<', "&lt;").replace('>', "&gt;");
    assert_contains(&page.text(), &escaped);
    assert_not_contains(&page.text(), "<a ");
    // What the overlay receives: the same text, set with `textContent` by the script.
    let events = server.raw(
        format!(
            "GET /__trailmark/events HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\r\n",
            server.host, server.base
        )
        .as_bytes(),
        Duration::from_millis(500),
    );
    let data = events
        .text()
        .lines()
        .find_map(|l| l.strip_prefix("data: ").map(str::to_string))
        .expect("an event");
    let state: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(state["errors"][0]["rendered"], rendered);
    assert_eq!(state["errors"][0]["code"], "TM0301");
    assert_eq!(state["errors"][0]["help"], "did you mean `02-formulas.md`?");
}
