//! `trailmark import`: fixture sites of each tool under `tests/fixtures/import/<tool>/src`
//! are imported, the whole new site is compared with `expected/` (rewritten with
//! `TRAILMARK_BLESS=1`), then built, and every old URL of the source is requested from the
//! built site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{BUILD_DATE, Run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn trailmark(args: &[&str], dir: &Path) -> Run {
    Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trailmark")
        .into()
}

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Imports the fixture of `tool` into a temp folder and compares the result with
/// `expected/`, file by file. Returns the temp folder and the run.
fn import_fixture(tool: &str) -> (tempfile::TempDir, PathBuf, Run) {
    import_fixture_from(tool, tool)
}

/// [`import_fixture`] for a fixture folder named other than the tool.
fn import_fixture_from(tool: &str, folder: &str) -> (tempfile::TempDir, PathBuf, Run) {
    let src = PathBuf::from(FIXTURES).join(folder).join("src");
    let before = tree(&src);
    let work = tempfile::tempdir().unwrap();
    let dest = work.path().join("site");
    let run = trailmark(
        &[
            "import",
            tool,
            src.to_str().unwrap(),
            dest.to_str().unwrap(),
        ],
        work.path(),
    );
    run.assert_ok();
    assert_eq!(before, tree(&src), "the import changed its source");
    let expected_dir = PathBuf::from(FIXTURES).join(folder).join("expected");
    let actual = tree(&dest);
    if crate::harness::blessing() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (rel, bytes) in &actual {
            let path = expected_dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    } else {
        let expected = tree(&expected_dir);
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&actual),
            names(&expected),
            "files of the imported {tool} site (TRAILMARK_BLESS=1 rewrites expected/)"
        );
        for (rel, bytes) in &actual {
            crate::harness::assert_golden(&expected_dir.join(rel), bytes);
        }
    }
    (work, dest, run)
}

/// Builds the imported site and checks it has no diagnostics and that each old URL is a
/// file of the output (a page or an alias' redirect).
fn build_and_request(dest: &Path, old_urls: &[&str]) {
    let run = trailmark(&["build", "--build-date", BUILD_DATE], dest);
    run.assert_ok();
    // The only warnings allowed are the build's own notes on template syntax the import
    // left in place, which IMPORT-REPORT.md lists too.
    let unexpected: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|d| !d.contains("is printed as written"))
        .collect();
    assert_eq!(unexpected, Vec::<String>::new(), "{}", run.stderr);
    let public = dest.join("public");
    for url in old_urls {
        let rel = url.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            public.join(rel).join("index.html")
        } else {
            public.join(rel)
        };
        assert!(
            file.is_file(),
            "old URL {url} does not resolve ({} missing)",
            file.display()
        );
    }
}

#[test]
fn mdbook_book_becomes_a_handbook() {
    let (_work, dest, run) = import_fixture("mdbook");
    assert_eq!(
        run.stdout,
        format!(
            "Imported 10 pages into {} (13 files, 6 aliases for old URLs); 2 items need a person, see IMPORT-REPORT.md.\nNext: trailmark build --root {}\n",
            dest.display(),
            dest.display()
        )
    );
    // mdBook's rules: `x.md` is `x.html`, a README is its folder's `index.html`; the
    // redirect table of book.toml is kept; files keep their place.
    build_and_request(
        &dest,
        &[
            "/",
            "/index.html",
            "/guide/start.html",
            "/guide/daily.html",
            "/reference/config/index.html",
            "/reference/config/options.html",
            "/reference/index-page.html",
            "/reference/old-setup.html",
            "/credits.html",
            "/reference/img/logo.svg",
        ],
    );
}

#[test]
fn import_refuses_a_non_empty_destination_and_a_missing_source() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("dest")).unwrap();
    std::fs::write(work.path().join("dest/keep.txt"), "mine").unwrap();
    std::fs::create_dir_all(work.path().join("src")).unwrap();
    let run = trailmark(&["import", "mdbook", "src", "dest"], work.path());
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: dest is not empty; import into a new or empty folder\n"
    );
    let run = trailmark(&["import", "zola", "nowhere", "new"], work.path());
    run.assert_code(2);
    assert_eq!(run.stderr, "error: nowhere is not a folder\n");
    let run = trailmark(&["import", "mdbook", "src", "src/site"], work.path());
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: src/site is inside the source folder src; choose a folder outside it\n"
    );
    let run = trailmark(&["import", "mdbook", "src", "new"], work.path());
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: src does not look like a mdBook site: SUMMARY.md not found\n"
    );
    assert!(!work.path().join("new").exists());
}

#[test]
fn carpentries_lesson_becomes_a_course() {
    let (_work, dest, _run) = import_fixture("carpentries");
    // sandpaper's rules: episodes and learner pages at the top as `.html`, each episode's
    // instructor version under /instructor/, figures and data from episodes/ at the top.
    build_and_request(
        &dest,
        &[
            "/",
            "/01-intro.html",
            "/02-first-plot.html",
            "/instructor/01-intro.html",
            "/instructor/02-first-plot.html",
            "/setup.html",
            "/reference.html",
            "/instructor/instructor-notes.html",
            "/fig/temps.png",
            "/data/temps.csv",
        ],
    );
    let public = dest.join("public");
    let course = public.join("plotting-with-python");
    let instructor = std::fs::read_to_string(course.join("instructor/index.html")).unwrap();
    assert!(instructor.contains("Learners on Windows need the launcher."));
    let home = std::fs::read_to_string(course.join("index.html")).unwrap();
    assert!(!home.contains("Learners on Windows need the launcher."));
    // 20+15 and 10+5 minutes.
    assert!(home.contains("50 min") || home.contains("50m"), "{home}");
    // The old instructor URLs lead to the instructor view: an episode's to its lesson there
    // (config.yaml puts 02-first-plot first), the instructor notes' to the view itself; the
    // redirect is relative, so it holds under the site's path and under `serve`.
    for (old, target, lesson) in [
        (
            "01-intro",
            "../plotting-with-python/instructor/#lesson-2",
            Some("Introduction"),
        ),
        (
            "02-first-plot",
            "../plotting-with-python/instructor/#lesson-1",
            Some("A first plot"),
        ),
        (
            "instructor-notes",
            "../plotting-with-python/instructor/",
            None,
        ),
    ] {
        let redirect =
            std::fs::read_to_string(public.join(format!("instructor/{old}.html"))).unwrap();
        assert!(
            redirect.contains(&format!("content=\"0; url={target}\"")),
            "{redirect}"
        );
        if let Some(title) = lesson {
            let anchor = target.rsplit_once('#').map_or("", |(_, a)| a);
            let at = instructor
                .find(&format!("id=\"{anchor}\""))
                .unwrap_or_else(|| panic!("no #{anchor} in the instructor view"));
            let next = instructor[at..]
                .find("</h")
                .map_or(instructor.len(), |i| at + i);
            assert!(
                instructor[at..next].contains(title),
                "#{anchor} is not {title}"
            );
        }
    }
}

#[test]
fn jekyll_site_becomes_a_blog_with_pages() {
    let (_work, dest, _run) = import_fixture("jekyll");
    // Jekyll's rules: the site's permalink pattern for posts (categories from folders),
    // the collection's and `defaults:` for docs, front matter permalinks, redirect_from,
    // static files at their path.
    build_and_request(
        &dest,
        &[
            "/",
            "/release/2024/03/01/first-release.html",
            "/old/first/",
            "/second.html",
            "/docs/install/",
            "/setup/first-run/",
            "/team/",
            "/assets/site.css",
            "/assets/img/logo.png",
        ],
    );
    assert!(!dest.join("static/notes.txt").exists());
    // `{{ site.baseurl }}/assets/...` is the path of each build: the published site's, and
    // none under `serve` (which builds with its own address as base URL).
    let team = |dest: &Path| std::fs::read_to_string(dest.join("public/team/index.html")).unwrap();
    crate::harness::assert_contains(
        &team(&dest),
        "<a href=\"/field/assets/img/logo.png\">logo</a>",
    );
    let run = trailmark(
        &[
            "build",
            "--build-date",
            BUILD_DATE,
            "--base-url",
            "http://127.0.0.1:4000",
        ],
        &dest,
    );
    run.assert_ok();
    crate::harness::assert_contains(&team(&dest), "<a href=\"/assets/img/logo.png\">logo</a>");
}

#[test]
fn zola_site_keeps_its_tree_and_urls() {
    let (_work, dest, _run) = import_fixture("zola");
    // Zola's rules: folders and slugs (date prefixes dropped, number prefixes kept),
    // `path`, `aliases`, static files at their path, bundle files beside their page.
    build_and_request(
        &dest,
        &[
            "/",
            "/blog/",
            "/blog/trip/",
            "/blog/trip/map.png",
            "/old/trip/",
            "/docs/01-first-steps/",
            "/about/",
            // `Rust-1.10.md` is a page, not a translation in language `10`.
            "/2016/07/07/release-1.10/",
            "/2016/07/07/release-1.10.html",
            "/docs/notes-on-crates-io-outage/",
            // Two bundles whose folders differ only in their number prefix keep their
            // own URLs (`path`), and their files stay beside them.
            "/2025/02/13/2024-survey/chart.svg",
            "/2026/02/13/2025-survey/chart.svg",
            "/img/logo.png",
        ],
    );
}

#[test]
fn hugo_site_keeps_its_tree_and_urls() {
    let (_work, dest, _run) = import_fixture("hugo");
    // Hugo's rules: `permalinks` per section, `url`, `aliases`, lowercased paths, bundles
    // with their files, static files at their path.
    build_and_request(
        &dest,
        &[
            "/",
            "/posts/",
            "/2024/02/first-walk/",
            "/old/first-walk/",
            "/trips/2024/",
            // A bundle's files are published beside the page's URL, here its `url`.
            "/trips/2024/map.png",
            "/docs/install/",
            "/images/hill.png",
        ],
    );
}

#[test]
fn imports_are_deterministic_and_rerunnable() {
    for tool in ["mdbook", "carpentries", "jekyll", "zola", "hugo"] {
        let src = PathBuf::from(FIXTURES).join(tool).join("src");
        let work = tempfile::tempdir().unwrap();
        let mut trees = Vec::new();
        for dest in ["one", "two"] {
            trailmark(&["import", tool, src.to_str().unwrap(), dest], work.path()).assert_ok();
            trees.push(tree(&work.path().join(dest)));
        }
        assert!(
            trees[0] == trees[1],
            "{tool}: two imports of one source differ"
        );
    }
}

#[test]
fn carpentries_styles_lesson_becomes_a_course() {
    let (_work, dest, _run) = import_fixture_from("carpentries", "carpentries-styles");
    // The styles' rules: collections at `/:path/index.html`, root pages as `.html`.
    build_and_request(
        &dest,
        &[
            "/",
            "/01-navigate/",
            "/setup.html",
            "/discuss/",
            "/guide/",
            "/fig/tree.svg",
        ],
    );
    let course = dest.join("public/shell-basics");
    let lesson = std::fs::read_to_string(course.join("navigate/index.html")).unwrap();
    assert!(
        lesson.contains("<details"),
        "the solution is folded: {lesson}"
    );
    let instructor = std::fs::read_to_string(course.join("instructor/index.html")).unwrap();
    assert!(instructor.contains("Go slowly."));
}
