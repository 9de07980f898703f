//! Search end to end: the Pagefind bundle a build writes, what enters it, and the search
//! box in a real browser (English and Japanese).

use crate::browser::{Browser, StaticServer};
use crate::harness::{Site, assert_contains, assert_not_contains};

fn page_count(site: &Site, language: &str) -> u64 {
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    entry["languages"][language]["page_count"]
        .as_u64()
        .unwrap_or_else(|| panic!("no {language} index in {entry}"))
}

fn searchable_site() -> Site {
    let site = Site::new();
    site.write(
        "content/handbook/_index.md",
        "---\nkind: handbook\ntitle: Handbook\n---\nHow we work.\n",
    );
    site.write(
        "content/handbook/expenses.md",
        "# Expenses\n\nClaim travel costs within thirty days using the reimbursement form.\n",
    );
    site.write(
        "content/handbook/tools/laptops.md",
        "# Laptops\n\nEvery new starter gets a laptop on day one.\n",
    );
    site.write(
        "content/handbook/tools/secret.md",
        "---\nsearch: false\n---\n# Secret\n\nThe zanzibar procedure.\n",
    );
    site.write(
        "content/handbook/unfinished.md",
        "---\ndraft: true\n---\n# Unfinished\n\nThe quokka plan.\n",
    );
    site
}

#[test]
fn build_writes_a_chunked_index_of_the_searchable_pages() {
    let site = searchable_site();
    site.run(&[
        "build",
        "--drafts",
        "--build-date",
        crate::harness::BUILD_DATE,
    ])
    .assert_ok();
    assert!(site.exists("pagefind/pagefind.js"));
    assert!(site.exists("search.js"));
    let outputs = site.outputs();
    assert!(
        outputs
            .iter()
            .any(|f| f.starts_with("pagefind/index/") && f.ends_with(".pf_index"))
    );
    assert!(outputs.iter().any(|f| f.starts_with("pagefind/fragment/")));
    // Pagefind's own UI files are not shipped: the theme has its own search box.
    assert!(!site.exists("pagefind/pagefind-ui.js"));
    // The handbook's front page, Expenses and Laptops; not the `search: false` page, not
    // the draft (even with --drafts), not lists without text of their own.
    assert_eq!(page_count(&site, "en"), 3);
    let page = site.read("handbook/expenses/index.html");
    assert_contains(&page, "data-pagefind-body");
    assert_contains(&page, "data-pagefind-meta=\"section:Handbook\"");
    assert_contains(&page, "class=\"site-search\"");
}

/// The search bundle as written: every file under `pagefind/` with its bytes.
fn bundle_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    site.outputs()
        .into_iter()
        .filter(|f| f.starts_with("pagefind/"))
        .map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap()))
        .collect()
}

#[test]
fn the_index_is_the_same_whatever_the_thread_count() {
    let site = searchable_site();
    for n in 0..12 {
        site.write(
            &format!("content/handbook/policy-{n:02}.md"),
            &format!("# Policy {n}\n\nRule number {n} of the handbook, about meetings.\n"),
        );
    }
    // `--no-cache`, so that each build indexes (a cached build with the same pages keeps
    // the bundle it made before).
    let bundle = |threads: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args([
                "build",
                "--no-cache",
                "--build-date",
                crate::harness::BUILD_DATE,
            ])
            .current_dir(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success());
        bundle_files(&site)
    };
    let one = bundle("1");
    assert!(!one.is_empty());
    for threads in ["2", "8"] {
        assert!(
            one == bundle(threads),
            "the search bundle differs between 1 and {threads} threads"
        );
    }
}

#[test]
fn a_cached_build_and_a_fresh_one_make_the_same_bundle() {
    // A cached build whose pages changed indexes what it cannot keep; a build without a
    // cache indexes everything. Both must write the same bytes.
    let site = searchable_site();
    site.build().assert_ok();
    let first = bundle_files(&site);
    site.write(
        "content/handbook/expenses.md",
        "# Expenses\n\nClaim travel and meal costs within thirty days.\n",
    );
    site.build().assert_ok();
    let after_rendering = bundle_files(&site);
    assert!(first != after_rendering, "the edit did not reach the index");
    site.run(&[
        "build",
        "--no-cache",
        "--build-date",
        crate::harness::BUILD_DATE,
    ])
    .assert_ok();
    let while_rendering = bundle_files(&site);
    assert!(
        after_rendering == while_rendering,
        "a fresh index differs from the cached build's"
    );
}

#[test]
fn search_can_be_switched_off_and_check_writes_nothing() {
    let site = searchable_site();
    site.check().assert_ok();
    assert!(!site.public().exists(), "check must not write");
    site.write(
        "trailmark.yaml",
        "title: Test site\nbase_url: https://example.org\nsearch: false\n",
    );
    site.build().assert_ok();
    assert!(!site.exists("pagefind/pagefind.js"));
    let page = site.read("handbook/expenses/index.html");
    assert_not_contains(&page, "class=\"site-search\"");
    assert_not_contains(&page, "search.js");
    site.write(
        "trailmark.yaml",
        "title: Test site\nbase_url: https://example.org\nsearch:\n  enabled: true\n",
    );
    site.build().assert_ok();
    assert!(site.exists("pagefind/pagefind.js"));
}

#[test]
fn searching_in_the_browser_finds_and_follows_a_page() {
    let site = searchable_site();
    site.build().assert_ok();
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();
    browser.goto(&server.url("/handbook/"));
    browser.wait_until("!document.querySelector('.site-search').hidden");
    browser.type_into("#site-search-input", "reimbursement");
    browser.wait_until("document.querySelectorAll('.site-search-link').length > 0");
    assert_eq!(browser.text(".site-search-title"), "Expenses");
    assert_eq!(browser.text(".site-search-section"), "Handbook");
    assert_eq!(
        browser.eval("document.querySelector('.site-search-excerpt mark').textContent"),
        serde_json::json!("reimbursement")
    );
    // Keyboard: ArrowDown focuses the first result, Enter follows it.
    browser.run_script(
        "document.querySelector('#site-search-input').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));",
    );
    assert_eq!(
        browser.eval("document.activeElement.classList.contains('site-search-link')"),
        serde_json::json!(true)
    );
    browser.click(".site-search-link");
    browser.wait_until("location.pathname === '/handbook/expenses/'");
    // Pages kept out of the index are not found.
    browser.type_into("#site-search-input", "zanzibar");
    browser.wait_until(
        "/No results/.test(document.querySelector('.site-search-results').textContent)",
    );
}

#[test]
fn japanese_pages_are_found_by_words_inside_sentences() {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: 社内ハンドブック\nbase_url: https://example.org\nlanguage: ja\n",
    );
    site.write(
        "content/handbook/_index.md",
        "---\nkind: handbook\ntitle: ハンドブック\n---\n働き方のガイドです。\n",
    );
    site.write(
        "content/handbook/meeting-rooms.md",
        "# 会議室の予約\n\n東京オフィスの会議室は前日までに予約してください。\n",
    );
    site.write(
        "content/handbook/holidays.md",
        "# 休暇\n\n有給休暇の申請は上長に送ります。\n",
    );
    site.build().assert_ok();
    assert_eq!(page_count(&site, "ja"), 3);
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();
    browser.goto(&server.url("/handbook/"));
    browser.wait_until("!document.querySelector('.site-search').hidden");
    // 予約 ("reservation") sits inside a sentence with no spaces.
    browser.type_into("#site-search-input", "予約");
    browser.wait_until("document.querySelectorAll('.site-search-link').length > 0");
    assert_eq!(browser.text(".site-search-title"), "会議室の予約");
    browser.click(".site-search-link");
    browser.wait_until("location.pathname === '/handbook/meeting-rooms/'");
}

#[test]
fn the_handbook_sidebar_opens_and_closes() {
    let site = searchable_site();
    site.build().assert_ok();
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();
    browser.goto(&server.url("/handbook/expenses/"));
    let open = "document.querySelector('.handbook-tree details').open";
    assert_eq!(browser.eval(open), serde_json::json!(false));
    let laptops_visible = "document.querySelector('.handbook-tree a[href=\"/handbook/tools/laptops/\"]').checkVisibility()";
    assert_eq!(browser.eval(laptops_visible), serde_json::json!(false));
    browser.click(".handbook-tree details > summary");
    assert_eq!(browser.eval(open), serde_json::json!(true));
    assert_eq!(browser.eval(laptops_visible), serde_json::json!(true));
    browser.click(".handbook-tree details > summary");
    assert_eq!(browser.eval(open), serde_json::json!(false));
    assert_eq!(browser.eval(laptops_visible), serde_json::json!(false));
    // On a page inside the branch, it starts open and marks the page.
    browser.goto(&server.url("/handbook/tools/laptops/"));
    assert_eq!(browser.eval(open), serde_json::json!(true));
    assert_eq!(
        browser.text(".handbook-tree [aria-current='page']"),
        "Laptops"
    );
}

/// Searches the site at `base` with Pagefind's own client, as the theme's search box does,
/// and returns the URLs found.
fn search_urls(browser: &Browser, base: &str, query: &str) -> Vec<String> {
    browser.goto(&format!("{base}/handbook/"));
    let script = format!(
        r"const done = arguments[arguments.length - 1];
        (async () => {{
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.init();
          const search = await pagefind.search({query});
          const data = await Promise.all(search.results.map((r) => r.data()));
          done(data.map((d) => d.url));
        }})().catch((e) => done(String(e)));",
        query = serde_json::Value::from(query),
    );
    serde_json::from_value(browser.run_async_script(&script))
        .unwrap_or_else(|e| panic!("search for {query} failed: {e}"))
}

#[test]
fn serve_indexes_for_search_after_serving_and_keeps_up_with_edits() {
    use crate::serve_harness::Server;
    use std::time::{Duration, Instant};
    let site = searchable_site();
    let server = Server::start(&site, &[]);
    server.assert_matches_clean_build(&site, "the first build");
    let browser = Browser::start();
    assert_eq!(
        search_urls(&browser, &server.base, "reimbursement"),
        ["/handbook/expenses/"]
    );

    // A body edit is served by the patch, which no longer waits for the index.
    let edited = Instant::now();
    let status = server.edit(|| {
        site.write(
            "content/handbook/tools/laptops.md",
            "# Laptops\n\nEvery new starter gets a laptop and a quetzal sticker.\n",
        );
    });
    assert_eq!(status["errors"], serde_json::json!([]));
    assert_contains(&server.get("/handbook/tools/laptops/").text(), "quetzal");
    let log = server.log();
    let steps = log
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("steps:"))
        .unwrap_or_default();
    assert!(steps.contains("render"), "{log}");
    assert!(
        !steps.contains("search"),
        "the rebuild waited for the index: {steps}"
    );
    server.wait_search_settled();
    assert!(
        edited.elapsed() < Duration::from_secs(5),
        "the index took {:?} to follow the edit",
        edited.elapsed()
    );
    assert_eq!(
        search_urls(&browser, &server.base, "quetzal"),
        ["/handbook/tools/laptops/"]
    );
    server.assert_matches_clean_build(&site, "a body edit");

    // A burst of saves is indexed once it ends, and what it ends with is what is found.
    for word in ["ocelot", "margay", "serval", "caracal", "jaguarundi"] {
        site.write(
            "content/handbook/expenses.md",
            &format!("# Expenses\n\nClaim travel costs, revision {word}.\n"),
        );
        std::thread::sleep(Duration::from_millis(40));
    }
    std::thread::sleep(Duration::from_millis(300));
    server.wait_search_settled();
    assert_eq!(
        search_urls(&browser, &server.base, "jaguarundi"),
        ["/handbook/expenses/"]
    );
    assert!(search_urls(&browser, &server.base, "ocelot").is_empty());
    server.assert_matches_clean_build(&site, "a burst of edits");
}

#[test]
fn a_build_indexes_again_only_the_shards_whose_pages_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = searchable_site();
    site.write(
        "content/handbook/aardvark.md",
        "# Aardvark\n\nThe aardvark policy.\n",
    );
    // Three pages a shard: the four searchable pages make two shards (three in the first by
    // their URLs' hashes, one in the second), and a fifth keeps two.
    let build = |extra: &[&str]| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args(["build", "--build-date", crate::harness::BUILD_DATE])
            .args(extra)
            .current_dir(site.root())
            .env("TRAILMARK_SEARCH_SHARD_PAGES", "3")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let folders = ["pagefind/", "pagefind/shard-1/"];
    // Each shard's index files and their inodes (a kept shard's files are linked, not
    // written again), and how many pages it holds.
    let shards = || -> Vec<(Vec<(String, u64)>, u64)> {
        let outputs = site.outputs();
        folders
            .iter()
            .map(|folder| {
                let files = outputs
                    .iter()
                    .filter(|f| {
                        f.starts_with(folder)
                            && (f.contains("/fragment/") || f.contains("/index/"))
                            && (*folder != "pagefind/" || !f.contains("/shard-"))
                    })
                    .map(|f| {
                        let inode = std::fs::metadata(site.public().join(f)).unwrap().ino();
                        (f.clone(), inode)
                    })
                    .collect();
                let entry: serde_json::Value =
                    serde_json::from_str(&site.read(&format!("{folder}pagefind-entry.json")))
                        .unwrap();
                (
                    files,
                    entry["languages"]["en"]["page_count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let changed = |before: &[(Vec<(String, u64)>, u64)], after: &[(Vec<(String, u64)>, u64)]| {
        before.iter().zip(after).filter(|(b, a)| b.0 != a.0).count()
    };
    build(&[]);
    assert!(!site.exists("pagefind/shard-2/pagefind-entry.json"));
    let first = shards();
    assert!(
        first
            .iter()
            .all(|(files, pages)| !files.is_empty() && *pages > 0),
        "{first:?}"
    );
    site.write(
        "content/handbook/tools/laptops.md",
        "# Laptops\n\nEvery new starter gets a laptop and a dock.\n",
    );
    build(&[]);
    let edited = shards();
    assert_eq!(changed(&first, &edited), 1, "an edit reached other shards");
    // A page added before the others in the build's order moves no other page: only its
    // own shard is indexed again (shards cut by position all changed).
    site.write("content/handbook/aa.md", "# Aa\n\nThe first page of all.\n");
    build(&[]);
    let added = shards();
    assert_eq!(added.iter().map(|s| s.1).sum::<u64>(), 5);
    assert_eq!(changed(&edited, &added), 1, "a new page moved other pages");
    // Nothing changed: every shard is kept.
    build(&[]);
    assert_eq!(
        changed(&added, &shards()),
        0,
        "nothing changed, yet a shard was indexed"
    );
    // Kept shards and fresh ones make what a build without a cache makes.
    let kept = bundle_files(&site);
    build(&["--no-cache"]);
    assert!(
        kept == bundle_files(&site),
        "the kept shard differs from a fresh index"
    );
}
