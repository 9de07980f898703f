//! `trailmark serve`: the real server on an ephemeral port, real file edits, real HTTP.
//! The central contract: after any sequence of edits, what it serves is byte for byte what
//! a clean `trailmark build` of the same files writes for the same base URL.

use std::time::Duration;

use crate::harness::{Site, assert_contains, assert_not_contains};
use crate::serve_harness::{Server, TAG_START};

const POST_TEMPLATE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/templates/post.html"
));

/// A blog with tags, a course with ordered lessons, a handbook, site CSS and a template
/// override: enough for every kind of edit to reach lists, neighbours, feeds and terms.
fn fixture() -> Site {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Serve test\nbase_url: https://example.org\nmenu:\n  - { name: Blog, url: /blog/ }\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nWelcome home.\n")
    .write("content/blog/_index.md", "---\ntitle: Blog\nkind: blog\npaginate_by: 2\n---\n")
    .write(
        "content/blog/2026-01-01-first.md",
        "---\ntitle: First post\ntags: [alpha]\n---\nThe first body.\n\nSee [the second](2026-02-01-second.md).\n",
    )
    .write(
        "content/blog/2026-02-01-second.md",
        "---\ntitle: Second post\ntags: [alpha, beta]\n---\nThe second body.\n\n## Goals\n\nGoals here.\n",
    )
    .write(
        "content/blog/2026-03-01-third.md",
        "---\ntitle: Third post\ntags: [beta]\n---\nThe third body links [goals](2026-02-01-second.md#goals).\n",
    )
    .write("content/courses/_index.md", "---\ntitle: Courses\n---\n")
    .write(
        "content/courses/basics/_index.md",
        "---\ntitle: Basics\nkind: course\n---\nA course.\n",
    )
    .write(
        "content/courses/basics/01-start.md",
        "---\ntitle: Start\nduration: 20m\n---\nStart here.\n",
    )
    .write(
        "content/courses/basics/02-middle.md",
        "---\ntitle: Middle\nduration: 30m\n---\nKeep going.\n",
    )
    .write(
        "content/courses/basics/03-end.md",
        "---\ntitle: End\nduration: 10m\n---\nDone.\n",
    )
    .write("content/handbook/_index.md", "---\ntitle: Handbook\nkind: handbook\n---\n")
    .write("content/handbook/tools/intro.md", "# Intro\n\nHow we work.\n")
    .write("static/site.css", "body { color: #111; }\n")
    .write("templates/post.html", POST_TEMPLATE);
    site
}

fn rename(site: &Site, from: &str, to: &str) {
    std::fs::rename(site.root().join(from), site.root().join(to)).unwrap();
}

/// The scripted sequence, in order; see [`apply`].
const SCRIPT: [&str; 13] = [
    "body edit",
    "title edit",
    "tag added",
    "tag removed",
    "lesson reordered",
    "anchor renamed",
    "page added",
    "page deleted",
    "page renamed",
    "folder renamed",
    "template edited",
    "static file edited",
    "config edited",
];

fn apply(site: &Site, step: &str) {
    let first = "content/blog/2026-01-01-first.md";
    let second = "content/blog/2026-02-01-second.md";
    let third = "content/blog/2026-03-01-third.md";
    let fourth = "content/blog/2026-04-01-fourth.md";
    match step {
        "body edit" => site.replace(first, "The first body.", "The first body, edited."),
        "title edit" => site.replace(second, "title: Second post", "title: Second, renamed"),
        "tag added" => site.replace(third, "tags: [beta]", "tags: [beta, gamma]"),
        "tag removed" => site.replace(third, "tags: [beta, gamma]", "tags: [beta]"),
        "lesson reordered" => site.replace(
            "content/courses/basics/03-end.md",
            "title: End",
            "title: End\nweight: 1",
        ),
        "anchor renamed" => site.replace(second, "## Goals", "## Aims {#goals}"),
        "page added" => {
            site.write(fourth, "---\ntitle: Fourth\ntags: [alpha]\n---\nNew.\n");
        }
        "page deleted" => {
            site.remove(fourth);
        }
        "page renamed" => rename(
            site,
            "content/courses/basics/02-middle.md",
            "content/courses/basics/02-centre.md",
        ),
        "folder renamed" => rename(site, "content/handbook/tools", "content/handbook/kit"),
        "template edited" => site.replace(
            "templates/post.html",
            "{% block main %}",
            "{% block main %}<!-- edited -->",
        ),
        "static file edited" => {
            site.write("static/site.css", "body { color: #222; }\n");
        }
        "config edited" => site.replace("trailmark.yaml", "title: Serve test", "title: Renamed"),
        other => panic!("unknown step {other}"),
    }
}

#[test]
fn scripted_edits_serve_what_a_clean_build_writes() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    server.assert_matches_clean_build(&site, "start");
    for step in SCRIPT {
        server.edit(|| apply(&site, step));
        server.assert_matches_clean_build(&site, step);
    }
    // What --verbose says about a body edit: that page (and the feeds that carry bodies).
    let log = server.log();
    assert_contains(&log, "rendered blog/first/index.html (view changed)");
    assert_contains(&log, "rebuild-timing number=2 ");
}

#[test]
fn a_body_edit_renders_only_what_shows_the_body() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let before = server.log().len();
    server.edit(|| {
        site.replace(
            "content/courses/basics/02-middle.md",
            "Keep going.",
            "Keep going, please.",
        );
    });
    let log = server.log()[before..].to_string();
    let mut rendered: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("  rendered "))
        .collect();
    rendered.sort_unstable();
    // The lesson itself, the course's print page and instructor view (which contain every
    // lesson's body), and the course page, whose lesson cards carry the edited first
    // paragraph as their summary; no other page, list or feed.
    assert_eq!(
        rendered,
        [
            "  rendered courses/basics/index.html (view changed)",
            "  rendered courses/basics/instructor/index.html (view changed)",
            "  rendered courses/basics/middle/index.html (view changed)",
            "  rendered courses/basics/print/index.html (view changed)",
        ],
        "{log}"
    );
    // A title edit also reaches the neighbours and the course outline everywhere.
    let before = server.log().len();
    server.edit(|| {
        site.replace(
            "content/courses/basics/02-middle.md",
            "title: Middle",
            "title: The middle",
        );
    });
    let log = server.log()[before..].to_string();
    assert_contains(
        &log,
        "rendered courses/basics/start/index.html (view changed)",
    );
    assert_contains(&log, "rendered courses/basics/index.html (view changed)");
    // A template edit re-renders the pages using it, and Markdown comes from the cache.
    let before = server.log().len();
    server.edit(|| {
        site.replace(
            "templates/post.html",
            "{% block main %}",
            "{% block main %}<!-- x -->",
        );
    });
    let log = server.log()[before..].to_string();
    assert_contains(&log, "rendered blog/first/index.html (templates changed)");
    assert_not_contains(&log, "rendered courses/basics/start/index.html");
    assert_contains(&log, "markdown ");
    assert_contains(&log, "(0 rendered, ");
}

/// A small deterministic generator, so a failing sequence can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

#[test]
fn random_edit_sequences_serve_what_a_clean_build_writes() {
    let seed: u64 = std::env::var("TRAILMARK_SERVE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    let mut rng = Rng(seed);
    let site = fixture();
    let server = Server::start(&site, &[]);
    let tags = ["alpha", "beta", "gamma", "delta"];
    let mut posts: Vec<String> = vec![
        "content/blog/2026-01-01-first.md".into(),
        "content/blog/2026-02-01-second.md".into(),
    ];
    let mut lessons: Vec<String> = vec![
        "content/courses/basics/01-start.md".into(),
        "content/courses/basics/02-middle.md".into(),
    ];
    let mut counter = 0;
    let post = |title: &str, tags: &[&str], body: &str| {
        format!(
            "---\ntitle: {title}\ntags: [{}]\n---\n{body}\n",
            tags.join(", ")
        )
    };
    for step in 0..24 {
        counter += 1;
        let before = server.rebuilds();
        let op = rng.below(9);
        let what = match op {
            0 => {
                let p = &posts[rng.below(posts.len())];
                site.write(
                    p,
                    &post(
                        &format!("Post {counter}"),
                        &[tags[rng.below(4)]],
                        &format!("Body {counter}.\n\n## Goals"),
                    ),
                );
                format!("rewrite {p}")
            }
            1 => {
                let p = format!(
                    "content/blog/2026-05-{:02}-new-{counter}.md",
                    1 + rng.below(28)
                );
                let picked: Vec<&str> =
                    tags.iter().copied().filter(|_| rng.below(2) == 0).collect();
                site.write(&p, &post(&format!("New {counter}"), &picked, "Fresh."));
                posts.push(p.clone());
                format!("add {p}")
            }
            2 if posts.len() > 1 => {
                let p = posts.remove(rng.below(posts.len()));
                site.remove(&p);
                format!("delete {p}")
            }
            3 => {
                let i = rng.below(posts.len());
                let to = format!(
                    "content/blog/2026-06-{:02}-moved-{counter}.md",
                    1 + rng.below(28)
                );
                rename(&site, &posts[i], &to);
                posts[i] = to.clone();
                format!("rename to {to}")
            }
            4 => {
                let l = &lessons[rng.below(lessons.len())];
                site.write(l, &format!("---\ntitle: Lesson {counter}\nweight: {}\nduration: {}m\n---\nText {counter}.\n", rng.below(5), 5 + rng.below(50)));
                format!("lesson {l}")
            }
            5 => {
                let l = format!(
                    "content/courses/basics/{:02}-extra-{counter}.md",
                    rng.below(9)
                );
                site.write(&l, &format!("---\ntitle: Extra {counter}\n---\nMore.\n"));
                lessons.push(l.clone());
                format!("add lesson {l}")
            }
            6 => {
                site.write(
                    "static/site.css",
                    &format!("body {{ margin: {counter}px; }}\n"),
                );
                "css".into()
            }
            7 => {
                site.write(
                    "templates/post.html",
                    &POST_TEMPLATE.replacen(
                        "{% block main %}",
                        &format!("{{% block main %}}<!-- v{counter} -->"),
                        1,
                    ),
                );
                "template".into()
            }
            _ => {
                site.write(
                    "trailmark.yaml",
                    &format!(
                        "title: Site {}\nbase_url: https://example.org\n",
                        rng.below(3)
                    ),
                );
                "config".into()
            }
        };
        let label = format!("step {step} ({what}), seed {seed}");
        server.wait_rebuilt(before);
        server.assert_matches_clean_build(&site, &label);
    }
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_the_error_clears_when_fixed() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let page = "/blog/first/";
    assert_contains(&server.get(page).text(), "The first body.");
    let status = server.edit(|| {
        site.write(
            "content/blog/2026-01-01-first.md",
            "---\ntitle: [unclosed\n---\nThe broken body.\n",
        );
    });
    assert_eq!(
        status["errors"],
        serde_json::json!([
            "content/blog/2026-01-01-first.md:2:8: error: this bracket is never closed [TM0203]"
        ])
    );
    let response = server.get(page);
    assert_eq!(response.status, 200);
    assert_contains(&response.text(), "The first body.");
    let status = server.edit(|| {
        site.write(
            "content/blog/2026-01-01-first.md",
            "---\ntitle: Fixed\n---\nThe fixed body.\n",
        );
    });
    assert_eq!(status["errors"], serde_json::json!([]));
    assert_contains(&server.get(page).text(), "The fixed body.");
    assert_contains(&server.log(), "still serving the last good site");
}

#[test]
fn a_failed_first_build_still_serves_the_error_escaped() {
    let site = Site::new();
    site.write(
        "content/index.md",
        "---\ntitle: Home\ndate: <b>bold</b>\n---\nBody.\n",
    );
    let server = Server::start(&site, &[]);
    let response = server.get("/");
    assert_eq!(response.status, 500);
    let text = response.text();
    assert_contains(&text, "content/index.md:3:");
    assert_contains(&text, "&lt;b&gt;bold&lt;/b&gt;");
    assert_not_contains(&text, "<b>bold</b>");
    assert_contains(&text, TAG_START);
    // The terminal says the first build failed, not how many pages it built.
    let log = server.log();
    assert_contains(&log, "The first build failed in ");
    assert_not_contains(&log, "Built ");
    // The line for scripts says so too (it said ok=true).
    assert_contains(&log, "rebuild-timing number=1 ");
    assert_contains(&log, " ok=false");
    assert_not_contains(&log, "ok=true");
    server.edit(|| {
        site.write(
            "content/index.md",
            "---\ntitle: Home\n---\nNow it builds.\n",
        );
    });
    let response = server.get("/");
    assert_eq!(response.status, 200);
    assert_contains(&response.text(), "Now it builds.");
}

#[test]
fn editor_saves_give_one_rebuild_and_leftovers_none() {
    let site = fixture();
    // A wide debounce window keeps this test independent of how busy the machine is.
    let server = Server::start(&site, &["--debounce-ms", "400"]);
    let path = "content/blog/2026-01-01-first.md";
    let before = server.rebuilds();
    // Atomic saves (temp file then rename), swap and backup files, five saves in a burst.
    for n in 0..5 {
        site.write("content/blog/.2026-01-01-first.md.swp", "swap");
        site.write("content/blog/2026-01-01-first.md~", "backup");
        site.write(
            "content/blog/.first.tmp",
            &format!("---\ntitle: First post\n---\nSaved {n} times.\n"),
        );
        rename(&site, "content/blog/.first.tmp", path);
    }
    server.wait_rebuilt(before);
    assert_contains(&server.get("/blog/first/").text(), "Saved 4 times.");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.rebuilds(), before + 1, "{}", server.log());
    // Editor leftovers and the output folder alone cause no rebuild.
    site.write("content/blog/.2026-01-01-first.md.swp", "swap again");
    site.write("content/blog/#2026-01-01-first.md#", "emacs");
    site.write("public/index.html", "not ours");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.rebuilds(), before + 1, "{}", server.log());
    server.assert_matches_clean_build(&site, "editor saves");
}

#[test]
fn css_only_changes_are_announced_as_stylesheet_swaps() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let events = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            // The stream stays open; reading stops after two quiet seconds.
            server.raw(
                format!(
                    "GET /__trailmark/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
                    server.host
                )
                .as_bytes(),
                Duration::from_secs(2),
            )
        });
        std::thread::sleep(Duration::from_millis(300));
        server.edit(|| {
            site.write("static/site.css", "body { color: red; }\n");
        });
        reader.join().unwrap()
    });
    let text = events.text();
    assert_contains(&text, "\"css\":[\"/site.css\"]");
    assert_contains(&text, "\"generation\":2");
}

#[test]
fn the_browser_follows_edits_and_shows_errors_in_an_overlay() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let browser = crate::browser::Browser::start();
    browser.goto(&format!("{}/blog/first/", server.base));
    browser
        .wait_until("document.documentElement.getAttribute('data-trailmark-live') === 'connected'");
    browser.run_script("window.trailmarkTestMarker = 1;");

    // A stylesheet change swaps the stylesheet in place: no reload, the marker survives.
    server.edit(|| {
        site.write(
            "static/trailmark.css",
            "main { outline: 3px solid rgb(255, 0, 0); }\n",
        );
    });
    browser.wait_until(
        "getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(255, 0, 0)'",
    );
    assert_eq!(
        browser.eval("window.trailmarkTestMarker"),
        serde_json::json!(1)
    );

    // A body edit shows without a manual reload.
    server.edit(|| {
        site.replace(
            "content/blog/2026-01-01-first.md",
            "The first body.",
            "Edited while watching.",
        );
    });
    browser.wait_until("document.body.innerText.includes('Edited while watching.')");

    // Broken front matter: the overlay names file and line, and shows the text as text.
    server.edit(|| {
        site.write(
            "content/blog/2026-01-01-first.md",
            "---\ntitle: First post\ndate: \"<img src=x onerror=window.pwned=1>\"\n---\nBroken.\n",
        );
    });
    browser.wait_until("document.getElementById('trailmark-error-overlay') !== null");
    let overlay = browser.text("#trailmark-error-overlay");
    assert_contains(&overlay, "content/blog/2026-01-01-first.md:3:");
    assert_contains(&overlay, "<img src=x onerror=window.pwned=1>");
    assert_eq!(
        browser.eval("window.pwned === undefined"),
        serde_json::json!(true)
    );
    // The last good page is still there under the overlay.
    assert_contains(
        &browser.eval("document.body.innerText").to_string(),
        "Edited while watching.",
    );

    // Fixed: the overlay clears itself and the new text shows.
    server.edit(|| {
        site.write(
            "content/blog/2026-01-01-first.md",
            "---\ntitle: First post\n---\nFixed for good.\n",
        );
    });
    browser.wait_until(
        "document.getElementById('trailmark-error-overlay') === null && document.body.innerText.includes('Fixed for good.')",
    );
}

#[test]
fn body_and_front_matter_edits_are_patched_and_still_match_a_clean_build() {
    let site = fixture();
    // Broken anchors as warnings, so a build with one still succeeds and is patched.
    site.write(
        "trailmark.yaml",
        "title: Serve test\nbase_url: https://example.org\nmarkdown:\n  broken_links: warn\n",
    );
    let server = Server::start(&site, &[]);
    let patched = |log: &str| {
        assert_contains(log, "how: body edit: ");
        assert_not_contains(log, "how: recomputed");
    };
    // A lesson's body reaches its course's print page and instructor view; the first
    // paragraph (its card's summary) stays, so no list changes.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/courses/basics/02-middle.md",
            "Keep going.\n",
            "Keep going.\n\nPractise daily.\n\n:::instructor\nAsk who practised.\n:::\n",
        );
    });
    patched(&log);
    assert_contains(
        &log,
        "rendered courses/basics/print/index.html (view changed)",
    );
    assert_contains(
        &log,
        "rendered courses/basics/instructor/index.html (view changed)",
    );
    assert_not_contains(&log, "rendered courses/basics/index.html");
    server.assert_matches_clean_build(&site, "lesson body");
    // A handbook page's body reaches the handbook's print page.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/handbook/tools/intro.md",
            "How we work.\n",
            "How we work.\n\n## Tools\n\nA list.\n",
        );
    });
    patched(&log);
    assert_contains(&log, "rendered handbook/print/index.html (view changed)");
    server.assert_matches_clean_build(&site, "handbook body");
    // Renaming a heading another page links to: that page gets a warning, and loses it
    // again when the heading comes back.
    let log = server.rebuild_log(|| {
        site.replace("content/blog/2026-02-01-second.md", "## Goals", "## Aims");
    });
    patched(&log);
    assert_contains(&log, "content/blog/2026-03-01-third.md:5:");
    assert_contains(
        &log,
        "warning: link to missing anchor `#goals` in content/blog/2026-02-01-second.md",
    );
    assert_contains(&log, "rendered atom.xml (view changed)");
    server.assert_matches_clean_build(&site, "anchor removed");
    let log = server.rebuild_log(|| {
        site.replace("content/blog/2026-02-01-second.md", "## Aims", "## Goals");
    });
    patched(&log);
    assert_not_contains(&log, "missing anchor");
    server.assert_matches_clean_build(&site, "anchor back");
    // A new first paragraph changes the post's card (its summary): still a body edit, and
    // every list showing it follows, found from what each view read (its card).
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-second.md",
            "The second body.",
            "A new opening.",
        );
    });
    assert_contains(&log, "how: body edit: ");
    assert_contains(&log, "rendered blog/index.html (view changed)");
    server.assert_matches_clean_build(&site, "summary edit");
    // A title reaches neighbours, lists, terms and feeds the same way.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-second.md",
            "title: Second post",
            "title: Second",
        );
    });
    assert_contains(&log, "how: page edit: ");
    assert_contains(&log, "rendered blog/first/index.html (view changed)");
    assert_contains(&log, "rendered tags/alpha/index.html (view changed)");
    server.assert_matches_clean_build(&site, "title edit");
    // A lesson's duration reaches the course outline on every lesson and the course's
    // totals.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/courses/basics/01-start.md",
            "duration: 20m",
            "duration: 25m",
        );
    });
    assert_contains(&log, "how: page edit: ");
    assert_contains(
        &log,
        "rendered courses/basics/end/index.html (view changed)",
    );
    assert_contains(&log, "rendered courses/basics/index.html (view changed)");
    server.assert_matches_clean_build(&site, "duration edit");
    // Changes that alter the list of outputs take the whole pipeline.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-03-01-third.md",
            "tags: [beta]",
            "tags: [beta, delta]",
        );
    });
    assert_contains(&log, "how: page edit: ");
    assert_contains(&log, "rendered tags/delta/index.html (new)");
    server.assert_matches_clean_build(&site, "tag added");
    // Pages added, removed and renamed are matched by their file, not their position.
    let log = server.rebuild_log(|| {
        site.write(
            "content/blog/2025-12-01-early.md",
            "---\ntitle: Early\ntags: [alpha]\n---\nFirst of all.\n",
        );
    });
    assert_contains(&log, "how: pages added, removed or moved: ");
    assert_contains(&log, "rendered blog/early/index.html (new)");
    server.assert_matches_clean_build(&site, "page added");
    let log = server.rebuild_log(|| {
        std::fs::rename(
            site.root().join("content/blog/2025-12-01-early.md"),
            site.root().join("content/blog/2025-12-02-earlier.md"),
        )
        .unwrap();
    });
    assert_contains(&log, "how: pages added, removed or moved: ");
    assert_contains(&log, "rendered blog/earlier/index.html (new)");
    server.assert_matches_clean_build(&site, "page renamed");
    let log = server.rebuild_log(|| {
        std::fs::remove_file(site.root().join("content/blog/2025-12-02-earlier.md")).unwrap();
    });
    assert_contains(&log, "how: pages added, removed or moved: ");
    server.assert_matches_clean_build(&site, "page removed");
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-second.md",
            "Goals here.",
            "Goals here.\n\n::nosuch{}",
        );
    });
    assert_contains(
        &log,
        "how: recomputed the content (an edited page has errors)",
    );
    assert_contains(&log, "still serving the last good site");
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-second.md",
            "Goals here.\n\n::nosuch{}",
            "Goals here.",
        );
    });
    assert_contains(
        &log,
        "how: recomputed everything (the last build failed or is not kept)",
    );
    server.assert_matches_clean_build(&site, "error fixed");
}

/// Adding, renaming and removing a page in a folder the site has is patched from the paths
/// the watcher named (no walk of `content/`), and links that name those pages get their
/// new answers, whichever way they are written; a page in a new folder walks again.
#[test]
fn pages_added_renamed_and_removed_are_patched_from_the_named_files() {
    let site = fixture();
    site.write(
        "trailmark.yaml",
        "title: Serve test\nbase_url: https://example.org\nmarkdown:\n  broken_links: warn\n",
    )
    .write(
        "content/courses/basics/03-end.md",
        "---\ntitle: End\nduration: 10m\n---\nDone. Next: [later](../../blog/2026-04-01-later.md), \
         [by root](@/blog/2026-04-01-later.md), [anchored](../../blog/2026-04-01-later.md#more), \
         [the first](../../blog/2026-01-01-first.md).\n",
    );
    let server = Server::start(&site, &[]);
    let incremental = |log: &str| {
        assert_contains(log, "how: pages added, removed or moved: ");
        assert_contains(log, "files named ");
        assert_not_contains(log, "walk ");
    };
    let log = server.rebuild_log(|| {
        site.write(
            "content/blog/2026-04-01-later.md",
            "---\ntitle: Later\n---\nLater.\n\n## More\n\nMore here.\n",
        );
    });
    incremental(&log);
    assert_contains(&log, "rendered blog/later/index.html (new)");
    assert_contains(
        &log,
        "rendered courses/basics/end/index.html (view changed)",
    );
    server.assert_matches_clean_build(&site, "linked page added");
    let log = server.rebuild_log(|| {
        rename(
            &site,
            "content/blog/2026-04-01-later.md",
            "content/blog/2026-04-02-later.md",
        );
    });
    incremental(&log);
    assert_contains(
        &log,
        "rendered courses/basics/end/index.html (view changed)",
    );
    server.assert_matches_clean_build(&site, "linked page renamed");
    let log = server.rebuild_log(|| {
        rename(
            &site,
            "content/blog/2026-04-02-later.md",
            "content/blog/2026-04-01-later.md",
        );
    });
    incremental(&log);
    server.assert_matches_clean_build(&site, "linked page renamed back");
    let log = server.rebuild_log(|| {
        std::fs::remove_file(site.root().join("content/blog/2026-04-01-later.md")).unwrap();
    });
    incremental(&log);
    assert_contains(
        &log,
        "rendered courses/basics/end/index.html (view changed)",
    );
    server.assert_matches_clean_build(&site, "linked page removed");
    // A new folder is something only a walk finds.
    let log = server.rebuild_log(|| {
        site.write(
            "content/handbook/new/page.md",
            "# New\n\nA page in a new folder.\n",
        );
    });
    assert_not_contains(&log, "files named ");
    server.assert_matches_clean_build(&site, "page in a new folder");
}

/// A section's own file (`_index.md`) whose body alone changed is patched like a page's
/// body: its list pages and the pages that show its text are built again; a change to its
/// front matter is patched like a page's front matter (the graph assembled again and
/// compared): its title reaches its list pages and the posts that name it.
#[test]
fn a_section_body_edit_is_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let log = server.rebuild_log(|| {
        site.replace(
            "content/courses/basics/_index.md",
            "A course.",
            "A better course.",
        );
    });
    assert_contains(&log, "how: body edit: ");
    assert_contains(&log, "rendered courses/basics/index.html (view changed)");
    server.assert_matches_clean_build(&site, "course body edited");
    let log = server.rebuild_log(|| {
        site.replace("content/blog/_index.md",
            "paginate_by: 2\n---\n",
            "paginate_by: 2\n---\nNews, [a post](2026-01-01-first.md) and [goals](2026-02-01-second.md#goals).\n",
        );
    });
    assert_contains(&log, "how: body edit: ");
    assert_contains(&log, "rendered blog/index.html (view changed)");
    server.assert_matches_clean_build(&site, "blog body edited");
    let log = server.rebuild_log(|| {
        site.replace("content/blog/_index.md", "title: Blog", "title: News");
    });
    assert_contains(&log, "how: section edit: ");
    assert_contains(&log, "rendered blog/index.html (view changed)");
    assert_contains(&log, "rendered blog/first/index.html (view changed)");
    assert_not_contains(&log, "rendered courses/basics/start/index.html");
    server.assert_matches_clean_build(&site, "blog title edited");
    // Pagination changes the list pages the section has.
    let log = server.rebuild_log(|| {
        site.replace("content/blog/_index.md", "paginate_by: 2", "paginate_by: 1");
    });
    assert_contains(&log, "how: section edit: ");
    assert_contains(&log, "rendered blog/page/3/index.html (new)");
    server.assert_matches_clean_build(&site, "blog pagination edited");
    // A course's title reaches every lesson's outline.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/courses/basics/_index.md",
            "title: Basics",
            "title: The basics",
        );
    });
    assert_contains(&log, "how: section edit: ");
    assert_contains(
        &log,
        "rendered courses/basics/start/index.html (view changed)",
    );
    server.assert_matches_clean_build(&site, "course title edited");
}

/// A change to one of the site's static files is copied again, nothing rendered; a static
/// file added or removed plans the copies again and renders nothing either (no view reads
/// the list of static files), also when it overrides a theme's static file.
#[test]
fn a_static_file_edit_is_copied_again_without_a_build() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let log = server.rebuild_log(|| {
        site.write("static/site.css", "body { color: #222; }\n");
    });
    assert_contains(&log, "how: static files: 1 of ");
    assert_contains(&log, " files copied again");
    assert_not_contains(&log, "rendered ");
    server.assert_matches_clean_build(&site, "static file edited");
    let log = server.rebuild_log(|| {
        site.write("static/extra.txt", "new\n");
    });
    assert_contains(&log, "how: static files: 1 of ");
    assert_not_contains(&log, "rendered ");
    server.assert_matches_clean_build(&site, "static file added");
    let log = server.rebuild_log(|| {
        site.write("static/extra.txt", "changed\n");
    });
    assert_contains(&log, "how: static files: 1 of ");
    server.assert_matches_clean_build(&site, "added static file edited");
    let log = server.rebuild_log(|| {
        std::fs::remove_file(site.root().join("static/extra.txt")).unwrap();
    });
    assert_contains(&log, "how: static files: 0 of ");
    assert_not_contains(&log, "rendered ");
    server.assert_matches_clean_build(&site, "static file removed");
    // The site's file takes the place of the theme's, and gives it back.
    let log = server.rebuild_log(|| {
        site.write("static/trailmark.css", "body { color: #333; }\n");
    });
    assert_contains(&log, "how: static files: 1 of ");
    server.assert_matches_clean_build(&site, "theme static file overridden");
    let log = server.rebuild_log(|| {
        std::fs::remove_file(site.root().join("static/trailmark.css")).unwrap();
    });
    assert_contains(&log, "how: static files: 1 of ");
    server.assert_matches_clean_build(&site, "theme static file back");
    // A file in a new folder.
    let log = server.rebuild_log(|| {
        site.write("static/img/logo.svg", "<svg/>\n");
    });
    assert_contains(&log, "how: static files: 1 of ");
    server.assert_matches_clean_build(&site, "static file in a new folder");
    // A static file where a page is written is a collision the whole pipeline reports.
    let log = server.rebuild_log(|| {
        site.write("static/blog/first/index.html", "clash\n");
    });
    assert_contains(&log, "how: recomputed the content (the site has errors)");
    assert_contains(&log, "still serving the last good site");
    let log = server.rebuild_log(|| {
        std::fs::remove_file(site.root().join("static/blog/first/index.html")).unwrap();
    });
    assert_contains(&log, "how: recomputed ");
    server.assert_matches_clean_build(&site, "collision removed");
}

/// Content, a template and a static file saved together (one batch, or two if the watcher
/// splits it) are patched step by step, not run through the whole pipeline.
#[test]
fn a_batch_of_content_template_and_static_edits_is_patched() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let log = server.rebuild_log(|| {
        site.replace(
            "templates/post.html",
            "{% block main %}",
            "{% block main %}<!-- batch -->",
        );
        site.replace(
            "content/blog/2026-01-01-first.md",
            "title: First post",
            "title: The first post",
        );
        site.write("static/batch.txt", "batch\n");
    });
    assert_not_contains(&log, "how: recomputed");
    assert_contains(&log, "rendered blog/third/index.html (templates changed)");
    server.assert_matches_clean_build(&site, "batch");
    // A config file that loads as the same config (a comment at its end): every step
    // keeps its value.
    let log = server.rebuild_log(|| {
        let text = std::fs::read_to_string(site.root().join("trailmark.yaml")).unwrap();
        site.write("trailmark.yaml", &format!("{text}# a comment\n"));
    });
    assert_contains(&log, "how: config and history as before: 0 of ");
    server.assert_matches_clean_build(&site, "config comment");
    // A config that loads as another one: every step recomputed, and --verbose says why.
    let log = server.rebuild_log(|| {
        site.replace("trailmark.yaml", "title: Serve test", "title: Renamed");
        site.replace("templates/post.html", "<!-- batch -->", "");
    });
    assert_contains(&log, "how: recomputed everything (the config changed)");
    server.assert_matches_clean_build(&site, "config and template");
    // A new title keeps the documents (the config reads them alike); a taxonomy declared
    // reads them again: the post's `categories` become terms, and the warning that they
    // were not declared goes.
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-01-01-first.md",
            "tags: [alpha]",
            "tags: [alpha]\ncategories: [news]",
        );
    });
    assert_contains(&log, "`categories`");
    server.assert_matches_clean_build(&site, "an undeclared taxonomy");
    let log = server.rebuild_log(|| {
        site.replace("trailmark.yaml", "title: Renamed", "title: Retitled");
    });
    // (The post just edited may be read again: it changed within the racy window.)
    assert!(
        log.contains("(0 parsed, 12 reused)") || log.contains("(1 parsed, 11 reused)"),
        "the documents are kept across a new title:\n{log}"
    );
    assert_contains(&log, "(0 rendered, 12 reused)");
    assert_contains(&log, "`categories`");
    server.assert_matches_clean_build(&site, "a new title");
    let log = server.rebuild_log(|| {
        site.replace(
            "trailmark.yaml",
            "title: Retitled",
            "title: Retitled\ntaxonomies: [tags, categories]",
        );
    });
    assert_not_contains(&log, "`categories`");
    server.assert_matches_clean_build(&site, "a taxonomy declared");
}

/// A template edit renders again only the outputs made with a template that reaches the
/// edited file, from the last run's graph, renders and plan; a shortcode's template, only
/// the pages calling it and what shows them; a template that does not load shows its
/// errors and keeps the last good site.
#[test]
fn a_template_edit_renders_only_the_outputs_using_it() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let log = server.rebuild_log(|| {
        site.replace(
            "templates/post.html",
            "{% block main %}",
            "{% block main %}<!-- edited -->",
        );
    });
    assert_contains(&log, "how: templates: ");
    assert_contains(&log, "rendered blog/first/index.html (templates changed)");
    assert_not_contains(&log, "rendered courses/basics/start/index.html");
    assert_not_contains(&log, "rendered blog/index.html");
    assert_contains(&log, "(0 rendered, ");
    server.assert_matches_clean_build(&site, "post template edited");
    // A new template (a shortcode of the site's own): which templates exist decides which
    // one each output uses, so every output is checked; none changes.
    let log = server.rebuild_log(|| {
        site.write(
            "templates/shortcodes/greet.html",
            "<p class=\"greet\">Hello, {{ args.name }}.</p>\n",
        );
    });
    assert_contains(&log, "how: templates: ");
    assert_not_contains(&log, "rendered ");
    server.assert_matches_clean_build(&site, "shortcode template added");
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-01-01-first.md",
            "The first body.",
            "The first body.\n\n::greet{name=\"Ada\"}",
        );
    });
    assert_contains(&log, "how: body edit: ");
    server.assert_matches_clean_build(&site, "shortcode used");
    // The shortcode's template: the page calling it, and the lists showing its body.
    let log = server.rebuild_log(|| {
        site.replace("templates/shortcodes/greet.html", "Hello", "Good morning");
    });
    assert_contains(&log, "how: templates: ");
    assert_contains(&log, "rendered blog/first/index.html (view changed)");
    assert_not_contains(&log, "rendered blog/second/index.html");
    server.assert_matches_clean_build(&site, "shortcode template edited");
    // A syntax error: reported, and the last good site is served.
    let log = server.rebuild_log(|| {
        site.replace(
            "templates/post.html",
            "<!-- edited -->",
            "<!-- edited -->{% if %}",
        );
    });
    assert_contains(
        &log,
        "how: recomputed everything (the templates do not load)",
    );
    assert_contains(&log, "templates/post.html:");
    assert_contains(&log, "still serving the last good site");
    // Still broken, with a static file saved too.
    let log = server.rebuild_log(|| {
        site.replace("templates/post.html", "{% if %}", "{% if %}{% if %}");
        site.write("static/while-broken.txt", "x\n");
    });
    assert_contains(
        &log,
        "how: recomputed everything (the templates do not load)",
    );
    assert_contains(&log, "still serving the last good site");
    // The fix is patched from the last good run, which was kept meanwhile.
    let log = server.rebuild_log(|| {
        site.replace("templates/post.html", "{% if %}{% if %}", "");
    });
    // (Back to the text of the last good run: nothing to render.)
    assert_contains(&log, "how: templates: 0 of ");
    server.assert_matches_clean_build(&site, "template fixed");
    let log = server.rebuild_log(|| {
        site.replace("templates/post.html", "<!-- edited -->", "");
    });
    assert_contains(&log, "how: templates: ");
    server.assert_matches_clean_build(&site, "template edited after the fix");
    // Broken again, then a page edited while it is: the page edit cannot be patched from
    // the kept run (the templates do not load), nor can the fix after it.
    let log = server.rebuild_log(|| {
        site.replace(
            "templates/post.html",
            "{% block main %}",
            "{% block main %}{% if %}",
        );
    });
    assert_contains(
        &log,
        "how: recomputed everything (the templates do not load)",
    );
    let log = server.rebuild_log(|| {
        site.replace(
            "content/blog/2026-02-01-second.md",
            "Goals here.",
            "Goals, here.",
        );
    });
    assert_contains(
        &log,
        "how: recomputed everything (the templates do not load)",
    );
    assert_contains(&log, "still serving the last good site");
    let log = server.rebuild_log(|| {
        site.replace(
            "templates/post.html",
            "{% block main %}{% if %}",
            "{% block main %}",
        );
    });
    assert_contains(
        &log,
        "how: recomputed everything (the last build failed or is not kept)",
    );
    server.assert_matches_clean_build(&site, "fixed after a page edit");
}

/// Found from outside: a `base.html` or partial override added while serving left the blog
/// archive, course, instructor and handbook pages as they were, because an apostrophe in
/// their templates' comments (`A blog's archive`) hid their `extends "base.html"` from the
/// template fingerprints, in full runs and patches alike.
#[test]
fn overriding_the_base_template_or_a_partial_reaches_every_page() {
    let site = fixture();
    let server = Server::start(&site, &[]);
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let base = std::fs::read_to_string(theme.join("base.html")).unwrap();
    server.edit(|| {
        site.write(
            "templates/base.html",
            &base.replace("</body>", "<p>BASE-OVERRIDE</p></body>"),
        );
    });
    server.assert_matches_clean_build(&site, "base.html overridden");
    for page in [
        "/blog/archive/",
        "/courses/basics/",
        "/courses/basics/instructor/",
        "/handbook/",
    ] {
        assert_contains(&server.get(page).text(), "BASE-OVERRIDE");
    }
    let partial = std::fs::read_to_string(theme.join("partials/highlight-css.html")).unwrap();
    server.edit(|| {
        site.write(
            "templates/partials/highlight-css.html",
            &format!("{partial}<!-- PARTIAL-OVERRIDE -->"),
        );
    });
    server.assert_matches_clean_build(&site, "a partial overridden");
    server.edit(|| {
        std::fs::remove_file(site.root().join("templates/base.html")).unwrap();
    });
    server.assert_matches_clean_build(&site, "base.html override removed");
}

/// "Last updated" dates come from the git history: a commit that touches no file in the
/// working tree (the save was served before, then `git commit -a`), an amend or a reset
/// changes what a clean build writes, and `serve` follows (it watched only files).
#[test]
fn a_commit_amend_or_reset_reaches_the_last_updated_dates() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Git test\nbase_url: https://example.org\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\nHome.\n")
    .write(
        "content/handbook/_index.md",
        "---\ntitle: Handbook\nkind: handbook\n---\n",
    )
    .write("content/handbook/tools.md", "# Tools\n\nThe tools.\n");
    site.git(&["init", "-q", "-b", "main"], "2025-03-04T10:00:00Z");
    site.git(&["add", "."], "2025-03-04T10:00:00Z");
    site.git(&["commit", "-q", "-m", "First"], "2025-03-04T10:00:00Z");
    let server = Server::start(&site, &[]);
    let page = "/handbook/tools/";
    assert_contains(&server.get(page).text(), "4 March 2025");
    server.edit(|| {
        site.write(
            "content/handbook/tools.md",
            "# Tools\n\nThe tools we use.\n",
        );
    });
    let log = server.rebuild_log(|| {
        site.git(&["commit", "-q", "-am", "Tools"], "2025-11-20T16:30:00Z");
    });
    assert_contains(
        &log,
        "how: recomputed the content (the git history changed)",
    );
    assert_contains(&server.get(page).text(), "20 November 2025");
    server.assert_matches_clean_build(&site, "commit");
    server.edit(|| {
        site.git(
            &["commit", "-q", "--amend", "-m", "Tools, again"],
            "2025-12-01T09:00:00Z",
        );
    });
    assert_contains(&server.get(page).text(), "1 December 2025");
    server.assert_matches_clean_build(&site, "amend");
    server.edit(|| {
        site.git(&["reset", "-q", "--soft", "HEAD~1"], "2025-12-01T09:00:00Z");
    });
    assert_contains(&server.get(page).text(), "4 March 2025");
    server.assert_matches_clean_build(&site, "reset");
    // A commit of a file outside content/ changes no date: nothing to do. (The reset
    // left the edit of tools.md staged: only notes.txt is committed.)
    let log = server.rebuild_log(|| {
        site.write("notes.txt", "not part of the site\n");
        site.git(&["add", "notes.txt"], "2025-12-02T09:00:00Z");
        site.git(
            &["commit", "-q", "-m", "Notes", "--", "notes.txt"],
            "2025-12-02T09:00:00Z",
        );
    });
    assert_contains(&log, "how: config and history as before: 0 of ");
    server.assert_matches_clean_build(&site, "a commit outside content/");
}

/// A section's own file deleted while its folder stays a section (it has pages): its text
/// and the links into it leave the site, as in a clean build. The patch kept the deleted
/// file's render (found from outside: "section edit: 0 of 107 outputs checked").
#[test]
fn a_section_file_deleted_takes_its_text_with_it() {
    let site = fixture();
    site.write(
        "content/courses/basics/_index.md",
        "---\ntitle: Basics\nkind: course\n---\nIntro text QQQ.\n",
    );
    let server = Server::start(&site, &[]);
    assert_contains(&server.get("/courses/basics/").text(), "Intro text QQQ.");
    server.edit(|| {
        site.remove("content/courses/basics/_index.md");
    });
    assert_not_contains(&server.get("/courses/basics/").text(), "Intro text QQQ.");
    server.assert_matches_clean_build(&site, "a section's file deleted");
    // And back.
    server.edit(|| {
        site.write(
            "content/courses/basics/_index.md",
            "---\ntitle: Basics\nkind: course\n---\nIntro text RRR.\n",
        );
    });
    assert_contains(&server.get("/courses/basics/").text(), "Intro text RRR.");
    server.assert_matches_clean_build(&site, "a section's file back");
}

/// A checkout writes the working tree with gaps longer than the debounce window (a large
/// file); while git holds `index.lock`, serve waits, so the checkout is one rebuild and no
/// half of it is ever served (found from outside: a checkout served as two rebuilds, the
/// first with the new content and the old templates).
#[test]
fn a_git_operation_in_progress_is_one_rebuild() {
    let site = fixture();
    site.git(&["init", "-q", "-b", "main"], "2025-03-04T10:00:00Z");
    site.git(&["add", "."], "2025-03-04T10:00:00Z");
    site.git(&["commit", "-q", "-m", "First"], "2025-03-04T10:00:00Z");
    let server = Server::start(&site, &[]);
    let before = server.rebuilds();
    let lock = site.root().join(".git/index.lock");
    std::fs::write(&lock, b"").unwrap();
    site.replace(
        "content/blog/2026-01-01-first.md",
        "The first body.",
        "Half one.",
    );
    // Longer than the debounce window and than MAX_WAIT: without the lock, a rebuild.
    std::thread::sleep(trailmark::serve::MAX_WAIT + std::time::Duration::from_millis(300));
    assert_eq!(
        server.rebuilds(),
        before,
        "a rebuild while git held its lock"
    );
    site.replace(
        "content/blog/2026-03-01-third.md",
        "The third body",
        "Half two",
    );
    // (Git lets go after its last file: the watcher has that file's event by then.)
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        server.rebuilds(),
        before,
        "a rebuild while git held its lock"
    );
    std::fs::remove_file(&lock).unwrap();
    server.wait_rebuilt(before);
    assert_eq!(server.rebuilds(), before + 1);
    let text = server.get("/blog/third/").text();
    assert_contains(&text, "Half two");
    server.assert_matches_clean_build(&site, "after the lock");
}
