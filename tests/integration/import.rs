//! `trailmark import`: fixture sites of each tool under `tests/fixtures/import/<tool>/src`
//! are imported, the whole new site is compared with `expected/` (rewritten with
//! `TRAILMARK_BLESS=1`), then built, and every old URL of the source is requested from the
//! built site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{BUILD_DATE, Run, assert_contains};

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
        // Like the theme's alias pages: the language, and the view's published address.
        assert!(redirect.contains("<html lang=\"en\">"), "{redirect}");
        assert!(
            redirect.contains(
                "<link rel=\"canonical\" href=\"https://lessons.example.org/plotting/plotting-with-python/instructor/\">"
            ),
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
            "/2024/03/01/first-release.html",
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
            // The glossary the site's link hook serves: `[bundle](g)` leads to its entry.
            "/glossary/",
        ],
    );
    let install = std::fs::read_to_string(dest.join("public/docs/install/index.html")).unwrap();
    crate::harness::assert_contains(&install, "<a href=\"/glossary/#bundle\">bundle</a>");
    let glossary = std::fs::read_to_string(dest.join("public/glossary/index.html")).unwrap();
    crate::harness::assert_contains(&glossary, "<dt><a id=\"chain\"></a>chain</dt>");
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

/// Old URLs of each fixture source, listed from the source tool's own publishing rules
/// (not from the importer's code, and not by hand), each requested in the built site: the
/// CI form of `docs/import-old-urls.py`, which does the same on real sites.
mod old_urls {
    use std::collections::BTreeSet;
    use std::path::Path;

    use serde_json::Value;

    use super::has_extension;

    /// Every file under `dir`, relative and `/`-separated, sorted.
    fn files(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        all.sort();
        all
    }

    /// A page's front matter (YAML between `---`, TOML between `+++`) as JSON.
    fn front(path: &Path) -> Value {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for fence in ["---", "+++"] {
            if let Some(rest) = text.strip_prefix(fence)
                && let Some(end) = rest.find(&format!("\n{fence}"))
            {
                let inner = &rest[..end];
                let parsed = if fence == "---" {
                    serde_yaml::from_str(inner).unwrap_or(Value::Null)
                } else {
                    toml::from_str(inner).unwrap_or(Value::Null)
                };
                // Empty front matter still makes a file a page (Jekyll).
                return if parsed.is_null() {
                    Value::Object(serde_json::Map::default())
                } else {
                    parsed
                };
            }
        }
        Value::Null
    }

    fn list(value: &Value) -> Vec<String> {
        match value {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn stem(name: &str) -> &str {
        let name = name.rsplit('/').next().unwrap_or(name);
        name.rsplit_once('.').map_or(name, |(s, _)| s)
    }

    /// `2024-05-01-trip` → (`Some(("2024", "05", "01"))`, `trip`).
    fn split_date(name: &str) -> (Option<(String, String, String)>, String) {
        let parts: Vec<&str> = name.splitn(4, '-').collect();
        match parts.as_slice() {
            [y, m, d, rest]
                if y.len() == 4
                    && [y, m, d]
                        .iter()
                        .all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
            {
                (
                    Some((y.to_string(), format!("{m:0>2}"), format!("{d:0>2}"))),
                    rest.to_string(),
                )
            }
            _ => (None, name.to_string()),
        }
    }

    /// Zola's and Hugo's default slug: lowercase, anything but letters and digits a dash.
    fn slug(text: &str) -> String {
        let mut out = String::new();
        for c in text.to_lowercase().chars() {
            if c.is_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').to_string()
    }

    /// A URL written in front matter, as the tool publishes it (`about` → `/about/`).
    fn written(url: &str) -> String {
        let path = url.trim().trim_matches('/');
        if path.is_empty() {
            "/".into()
        } else if has_extension(path, "html") {
            format!("/{path}")
        } else {
            format!("/{path}/")
        }
    }

    /// mdBook: each SUMMARY.md chapter at its file's path as `.html` (`README.md` is
    /// `index.html`), the book's redirects, the home page, other files of `src/` as they are.
    pub fn mdbook(src: &Path) -> Vec<String> {
        let summary = std::fs::read_to_string(src.join("src/SUMMARY.md")).unwrap();
        let mut urls = vec!["/".to_string()];
        for ((), rest) in summary
            .match_indices("](")
            .map(|(i, _)| ((), &summary[i + 2..]))
        {
            let target = rest.split(')').next().unwrap_or("");
            if let Some(path) = target.strip_suffix(".md") {
                let path = path.trim_start_matches("./");
                let path = match path.rsplit_once('/') {
                    Some((dir, name)) if name.eq_ignore_ascii_case("readme") => {
                        format!("{dir}/index")
                    }
                    None if path.eq_ignore_ascii_case("readme") => "index".into(),
                    _ => path.to_string(),
                };
                urls.push(format!("/{path}.html"));
            }
        }
        let book: toml::Table =
            toml::from_str(&std::fs::read_to_string(src.join("book.toml")).unwrap()).unwrap();
        if let Some(redirects) = book
            .get("output")
            .and_then(|o| o.get("html"))
            .and_then(|h| h.get("redirect"))
            .and_then(|r| r.as_table())
        {
            urls.extend(
                redirects
                    .keys()
                    .map(|k| format!("/{}", k.trim_start_matches('/'))),
            );
        }
        urls.extend(
            files(&src.join("src"))
                .into_iter()
                .filter(|f| !has_extension(f, "md"))
                .map(|f| format!("/{f}")),
        );
        urls
    }

    /// The Workbench (sandpaper): every page of `config.yaml` at the top as `.html` and its
    /// instructor version under `/instructor/` (instructor pages only there), the files of
    /// `episodes/fig`, `data` and `files` at the top.
    pub fn carpentries(src: &Path) -> Vec<String> {
        let config: Value =
            serde_yaml::from_str(&std::fs::read_to_string(src.join("config.yaml")).unwrap())
                .unwrap();
        let mut urls = vec!["/".to_string(), "/index.html".to_string()];
        for folder in ["episodes", "learners", "instructors", "profiles"] {
            for name in list(&config[folder]) {
                let stem = stem(&name);
                if folder != "instructors" {
                    urls.push(format!("/{stem}.html"));
                }
                urls.push(format!("/instructor/{stem}.html"));
            }
        }
        for file in files(&src.join("episodes")) {
            if ["fig/", "data/", "files/"]
                .iter()
                .any(|d| file.starts_with(d))
            {
                urls.push(format!("/{file}"));
            }
        }
        urls
    }

    /// Zola: sections at their folder, pages at their folder and slug (a date prefix goes,
    /// a number prefix stays), `path` instead when given, `aliases`, a bundle's files beside
    /// its page, `static/` as it is; `page.LANG.md` is a translation only when `languages`
    /// declares LANG, and only the default language is imported.
    pub fn zola(src: &Path) -> Vec<String> {
        let config: toml::Table =
            toml::from_str(&std::fs::read_to_string(src.join("config.toml")).unwrap()).unwrap();
        let languages: BTreeSet<String> = config
            .get("languages")
            .and_then(|l| l.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        let content = src.join("content");
        let mut urls = Vec::new();
        let mut page_url_of_bundle = std::collections::BTreeMap::new();
        for file in files(&content) {
            let Some(base) = file.strip_suffix(".md") else {
                continue;
            };
            let (dir, name) = base.rsplit_once('/').unwrap_or(("", base));
            if name
                .rsplit_once('.')
                .is_some_and(|(_, lang)| languages.contains(lang))
            {
                continue;
            }
            let fm = front(&content.join(&file));
            if name == "_index" {
                urls.push(if dir.is_empty() {
                    "/".into()
                } else {
                    format!("/{dir}/")
                });
                continue;
            }
            let (folder, own) = if name == "index" {
                dir.rsplit_once('/').unwrap_or(("", dir))
            } else {
                (dir, name)
            };
            let url = if let Some(path) = fm["path"].as_str() {
                written(path)
            } else {
                let own = split_date(own).1;
                let prefix = if folder.is_empty() {
                    String::new()
                } else {
                    format!("/{folder}")
                };
                format!("{prefix}/{}/", slug(&own))
            };
            if name == "index" {
                page_url_of_bundle.insert(dir.to_string(), url.clone());
            }
            urls.push(url);
            for alias in list(&fm["aliases"]) {
                urls.push(written(&alias));
            }
        }
        for file in files(&content) {
            if has_extension(&file, "md") {
                continue;
            }
            let (dir, name) = file.rsplit_once('/').unwrap_or(("", &file));
            if let Some(url) = page_url_of_bundle.get(dir) {
                urls.push(format!("{url}{name}"));
            }
        }
        urls.extend(
            files(&src.join("static"))
                .into_iter()
                .map(|f| format!("/{f}")),
        );
        urls
    }

    /// Hugo: sections at their folder, pages at `/section/name/` lowercased, a section's
    /// `permalinks` pattern (`:year`, `:month`, `:day`, `:slug` from `slug` or the title)
    /// over the date (`date`, else `publishDate`), `url` instead when given, `aliases`, a
    /// bundle's files beside its page, `static/` as it is; nothing under a `cascade` of
    /// `build.render: never`.
    pub fn hugo(src: &Path) -> Vec<String> {
        let config: toml::Table =
            toml::from_str(&std::fs::read_to_string(src.join("hugo.toml")).unwrap()).unwrap();
        let permalinks = config
            .get("permalinks")
            .and_then(|p| p.as_table())
            .cloned()
            .unwrap_or_default();
        let content = src.join("content");
        let mut hidden: Vec<String> = Vec::new();
        let mut urls = Vec::new();
        let mut bundle_urls = std::collections::BTreeMap::new();
        for file in files(&content) {
            let Some(base) = file.strip_suffix(".md") else {
                continue;
            };
            let (dir, name) = base.rsplit_once('/').unwrap_or(("", base));
            let fm = front(&content.join(&file));
            if name == "_index" {
                if fm["cascade"]["build"]["render"] == "never" {
                    hidden.push(format!("{dir}/"));
                    continue;
                }
                urls.push(if dir.is_empty() {
                    "/".into()
                } else {
                    format!("/{}/", dir.to_lowercase())
                });
                continue;
            }
            if hidden.iter().any(|h| file.starts_with(h.as_str())) {
                continue;
            }
            let (folder, own) = if name == "index" {
                dir.rsplit_once('/').unwrap_or(("", dir))
            } else {
                (dir, name)
            };
            let section = folder.split('/').next().unwrap_or("");
            let url = if let Some(url) = fm["url"].as_str() {
                written(url)
            } else if let Some(pattern) = permalinks.get(section).and_then(|p| p.as_str()) {
                let date = fm["date"]
                    .as_str()
                    .or(fm["publishDate"].as_str())
                    .unwrap_or("");
                let slug_text = fm["slug"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| slug(fm["title"].as_str().unwrap_or(own)));
                pattern
                    .replace(":year", date.get(..4).unwrap_or(""))
                    .replace(":month", date.get(5..7).unwrap_or(""))
                    .replace(":day", date.get(8..10).unwrap_or(""))
                    .replace(":slug", &slug_text)
            } else {
                format!("/{}/{}/", folder.to_lowercase(), own.to_lowercase())
            };
            if name == "index" {
                bundle_urls.insert(dir.to_string(), url.clone());
            }
            urls.push(url);
            urls.extend(list(&fm["aliases"]).iter().map(|a| written(a)));
        }
        for file in files(&content) {
            let (dir, name) = file.rsplit_once('/').unwrap_or(("", &file));
            if !has_extension(&file, "md")
                && let Some(url) = bundle_urls.get(dir)
            {
                urls.push(format!("{url}{name}"));
            }
        }
        urls.extend(
            files(&src.join("static"))
                .into_iter()
                .map(|f| format!("/{f}")),
        );
        urls
    }

    /// Jekyll: posts by the site's `permalink` (`:categories` from the folders above
    /// `_posts` and `categories`, the date from the file name or `date`, `:title` from the
    /// file name, `:output_ext` `.html`), a collection's documents by its `permalink` or a
    /// `defaults:` one for their folder, pages at their path with `.html`, front matter
    /// `permalink` first; `redirect_from`; other files as they are, except `_` folders,
    /// `exclude` and files with front matter that are not pages (feeds).
    pub fn jekyll(src: &Path) -> Vec<String> {
        let config: Value =
            serde_yaml::from_str(&std::fs::read_to_string(src.join("_config.yml")).unwrap())
                .unwrap();
        let excluded = list(&config["exclude"]);
        let defaults: Vec<(String, String)> = config["defaults"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| {
                Some((
                    d["scope"]["path"].as_str()?.to_string(),
                    d["values"]["permalink"].as_str()?.to_string(),
                ))
            })
            .collect();
        let mut urls = vec!["/".to_string()];
        for file in files(src) {
            let path = src.join(&file);
            let fm = front(&path);
            let is_page = matches!(file.rsplit_once('.').map(|(_, e)| e), Some("md" | "html"))
                && fm.is_object();
            let top = file.split('/').next().unwrap_or("");
            let collection = top
                .strip_prefix('_')
                .filter(|c| config["collections"][*c].is_object());
            if excluded.contains(&file) || (top.starts_with('_') && !is_page) {
                continue;
            }
            if !is_page {
                // A file with front matter that is not a page is a Liquid template (a
                // feed): Trailmark writes its own feeds (docs/import.md, known gaps).
                if !fm.is_object() {
                    urls.push(format!("/{file}"));
                }
                continue;
            }
            let name = stem(&file);
            let url = if let Some(permalink) = fm["permalink"].as_str() {
                permalink.to_string()
            } else if let Some(at) = file.find("_posts/") {
                let (date, title) = split_date(name);
                let (y, m, d) = date.unwrap_or_default();
                let mut categories: Vec<String> = file[..at]
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                categories.extend(list(&fm["categories"]));
                config["permalink"]
                    .as_str()
                    .unwrap_or("/:categories/:year/:month/:day/:title:output_ext")
                    .replace(":categories", &categories.join("/"))
                    .replace(":year", &y)
                    .replace(":month", &m)
                    .replace(":day", &d)
                    .replace(":title", &title)
                    .replace(":output_ext", ".html")
                    .replace("//", "/")
            } else if top == "_drafts" {
                continue;
            } else if let Some(collection) = collection {
                let inner = file[top.len() + 1..]
                    .rsplit_once('.')
                    .map_or("", |(s, _)| s);
                let pattern = defaults
                    .iter()
                    .find(|(scope, _)| {
                        file.starts_with(&format!("_{collection}/"))
                            && file.starts_with(scope.trim_end_matches('/'))
                            || file.starts_with(&format!("{}/", scope.trim_end_matches('/')))
                    })
                    .map(|(_, p)| p.clone())
                    .or_else(|| {
                        config["collections"][collection]["permalink"]
                            .as_str()
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| "/:collection/:path:output_ext".into());
                pattern
                    .replace(":collection", collection)
                    .replace(":path", inner)
                    .replace(":title", name)
                    .replace(":output_ext", ".html")
            } else if name == "index" {
                format!(
                    "/{}",
                    file.rsplit_once('/')
                        .map_or(String::new(), |(d, _)| format!("{d}/"))
                )
            } else {
                format!("/{}.html", file.rsplit_once('.').map_or("", |(s, _)| s))
            };
            urls.push(url);
            urls.extend(list(&fm["redirect_from"]));
        }
        urls
    }
}

#[test]
fn old_urls_by_each_tools_rules_resolve() {
    for (tool, rules) in [
        ("mdbook", old_urls::mdbook as fn(&Path) -> Vec<String>),
        ("carpentries", old_urls::carpentries),
        ("zola", old_urls::zola),
        ("hugo", old_urls::hugo),
        ("jekyll", old_urls::jekyll),
    ] {
        let (_work, dest, _run) = import_fixture(tool);
        let mut urls = rules(&PathBuf::from(FIXTURES).join(tool).join("src"));
        urls.sort();
        urls.dedup();
        eprintln!("{tool}: {urls:?}");
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        build_and_request(&dest, &urls);
    }
}

/// Whether `path` ends in `.ext`, in any case.
fn has_extension(path: &str, ext: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// A source site written from `files` into `<temp>/src`, beside `<temp>/outside/secret.txt`
/// that no import may read; `links` are symbolic links (path in src → target).
#[cfg(unix)]
fn scratch_site(files: &[(&str, &str)], links: &[(&str, &str)]) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let outside = work.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "TOP-SECRET\n").unwrap();
    std::fs::write(outside.join("secret.md"), "# Secret\n\nTOP-SECRET\n").unwrap();
    let src = work.path().join("src");
    for (rel, text) in files {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    for (rel, target) in links {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
    }
    work
}

/// Imports `<work>/src` with `tool` into `<work>/site`; the run, the report and every file
/// written (the report left out).
fn import_scratch(tool: &str, work: &Path) -> (Run, String, BTreeMap<String, Vec<u8>>) {
    let dest = work.join("site");
    let run = trailmark(
        &[
            "import",
            tool,
            work.join("src").to_str().unwrap(),
            dest.to_str().unwrap(),
        ],
        work,
    );
    let report = std::fs::read_to_string(dest.join("IMPORT-REPORT.md")).unwrap_or_default();
    let mut files = if dest.is_dir() {
        tree(&dest)
    } else {
        BTreeMap::new()
    };
    files.remove("IMPORT-REPORT.md");
    (run, report, files)
}

fn assert_nothing_secret(files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("TOP-SECRET"),
            "{rel} holds a file from outside the source"
        );
    }
}

#[cfg(unix)]
#[test]
fn carpentries_episode_outside_the_lesson_is_refused() {
    let work = scratch_site(
        &[
            (
                "config.yaml",
                "title: 'Safe'\nepisodes:\n- intro.md\n- ../../outside/secret.txt\n",
            ),
            ("episodes/intro.md", "---\ntitle: Intro\n---\n\nHello.\n"),
            ("index.md", "Welcome.\n"),
        ],
        &[],
    );
    let (run, report, files) = import_scratch("carpentries", work.path());
    run.assert_ok();
    assert_nothing_secret(&files);
    let outside = work
        .path()
        .join("outside/secret.txt")
        .canonicalize()
        .unwrap();
    assert_contains(
        &report,
        &format!(
            "- config.yaml:4: `episodes/../../outside/secret.txt` leads outside the source folder (to `{}`); refused, not imported",
            outside.display()
        ),
    );
    assert_contains(&run.stdout, "2 items need a person");
}

#[cfg(unix)]
#[test]
fn mdbook_reads_nothing_outside_the_book() {
    let work = scratch_site(
        &[
            ("book.toml", "[book]\ntitle = \"Safe\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Intro](intro.md)\n- [Notes](notes.md)\n- [Secret](../../outside/secret.md)\n- [Inside](inside.md)\n",
            ),
            (
                "src/intro.md",
                "# Intro\n\n{{#include leak.txt}}\n\n{{#include real.txt}}\n",
            ),
            ("src/real.txt", "Included text.\n"),
            ("src/real-inside.md", "# Inside\n\nFollowed link.\n"),
        ],
        &[
            ("src/notes.md", "../../outside/secret.md"),
            ("src/leak.txt", "../../outside/secret.txt"),
            ("src/inside.md", "real-inside.md"),
        ],
    );
    let (run, report, files) = import_scratch("mdbook", work.path());
    run.assert_ok();
    assert_nothing_secret(&files);
    let secret_md = work
        .path()
        .join("outside/secret.md")
        .canonicalize()
        .unwrap();
    let secret_txt = work
        .path()
        .join("outside/secret.txt")
        .canonicalize()
        .unwrap();
    for line in [
        format!(
            "- src/SUMMARY.md:4: `notes.md` leads outside the source folder (to `{}`); refused, not imported",
            secret_md.display()
        ),
        format!(
            "- src/SUMMARY.md:5: `../../outside/secret.md` leads outside the source folder (to `{}`); refused, not imported",
            secret_md.display()
        ),
        format!(
            "- src/intro.md:3: `src/leak.txt` leads outside the source folder (to `{}`); refused, not imported",
            secret_txt.display()
        ),
        format!(
            "- src/leak.txt: a symbolic link leading outside the source folder (to `{}`); refused, not imported",
            secret_txt.display()
        ),
    ] {
        assert_contains(&report, &line);
    }
    // A link that stays inside is followed.
    let inside = String::from_utf8_lossy(&files["content/inside.md"]).into_owned();
    assert_contains(&inside, "Followed link.");
    let intro = String::from_utf8_lossy(&files["content/_index.md"]).into_owned();
    assert_contains(&intro, "Included text.");
}

#[cfg(unix)]
#[test]
fn jekyll_hugo_and_zola_report_links_leading_out_and_follow_those_inside() {
    let outside_line = |work: &Path, link: &str| {
        let secret = work.join("outside/secret.md").canonicalize().unwrap();
        format!(
            "- {link}: a symbolic link leading outside the source folder (to `{}`); refused, not imported",
            secret.display()
        )
    };
    let page = "---\ntitle: Real\n---\n\nReal page.\n";
    // Jekyll.
    let work = scratch_site(
        &[("_config.yml", "title: Safe\n"), ("real.md", page)],
        &[("leak.md", "../outside/secret.md"), ("alias.md", "real.md")],
    );
    let (run, report, files) = import_scratch("jekyll", work.path());
    run.assert_ok();
    assert_nothing_secret(&files);
    assert_contains(&report, &outside_line(work.path(), "leak.md"));
    assert!(files.contains_key("content/alias.md"), "{:?}", files.keys());
    // Hugo.
    let work = scratch_site(
        &[
            ("hugo.toml", "title = \"Safe\"\n"),
            ("content/real.md", page),
        ],
        &[
            ("content/leak.md", "../../outside/secret.md"),
            ("content/alias.md", "real.md"),
        ],
    );
    let (run, report, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    assert_nothing_secret(&files);
    assert_contains(&report, &outside_line(work.path(), "content/leak.md"));
    assert!(files.contains_key("content/alias.md"), "{:?}", files.keys());
    // Zola.
    let work = scratch_site(
        &[
            (
                "config.toml",
                "title = \"Safe\"\nbase_url = \"https://example.org\"\n",
            ),
            (
                "content/real.md",
                "+++\ntitle = \"Real\"\n+++\n\nReal page.\n",
            ),
        ],
        &[
            ("content/leak.md", "../../outside/secret.md"),
            ("content/alias.md", "real.md"),
        ],
    );
    let (run, report, files) = import_scratch("zola", work.path());
    run.assert_ok();
    assert_nothing_secret(&files);
    assert_contains(&report, &outside_line(work.path(), "content/leak.md"));
    assert!(files.contains_key("content/alias.md"), "{:?}", files.keys());
}

#[cfg(unix)]
#[test]
fn hugo_content_dir_outside_the_site_is_refused() {
    let work = scratch_site(
        &[(
            "hugo.toml",
            "title = \"Safe\"\ncontentDir = \"../outside\"\n",
        )],
        &[],
    );
    let (run, _, files) = import_scratch("hugo", work.path());
    run.assert_code(2);
    assert!(files.is_empty());
    let outside = work.path().join("outside").canonicalize().unwrap();
    assert_contains(
        &run.stderr,
        &format!(
            "hugo.toml:2:1: the content folder `../outside` leads outside the site's folder (to `{}`); import reads nothing outside the folder it is given: move the content inside it and set `contentDir` to match",
            outside.display()
        ),
    );
}

#[test]
fn files_differing_only_by_extension_are_both_kept() {
    let post = |title: &str| format!("---\ntitle: {title}\n---\n\n{title} text.\n");
    // Jekyll: two posts of one day and name.
    let work = scratch_dir(&[
        ("_config.yml", "title: Two\n".to_string()),
        ("_posts/2024-01-04-release.md", post("Release MD")),
        (
            "_posts/2024-01-04-release.markdown",
            post("Release Markdown"),
        ),
        ("_posts/2024-01-05-other.md", post("Other")),
    ]);
    let (run, report, files) = import_scratch("jekyll", work.path());
    run.assert_ok();
    assert_contains(&run.stdout, "Imported 4 pages");
    let texts: String = files
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for title in ["Release MD text.", "Release Markdown text.", "Other text."] {
        assert_contains(&texts, title);
    }
    assert_contains(
        &report,
        "- _posts/2024-01-04-release.markdown: `_posts/2024-01-04-release.md` becomes `blog/2024-01-04-release.md` too (the names differ only by extension); this page was written to `blog/2024-01-04-release-markdown.md` so both are kept: keep one, or give it its own name",
    );
    build_and_request(&work.path().join("site"), &[]);
    // Hugo: three files named `c`.
    let work = scratch_dir(&[
        ("hugo.toml", "title = \"Three\"\n".to_string()),
        ("content/c.md", post("C md")),
        ("content/c.markdown", post("C markdown")),
        ("content/c.html", post("C html")),
    ]);
    let (run, report, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    let texts: String = files
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for title in ["C md text.", "C markdown text.", "C html text."] {
        assert_contains(&texts, title);
    }
    assert!(files.contains_key("content/c.md"), "{:?}", files.keys());
    assert!(
        files.contains_key("content/c-markdown.md"),
        "{:?}",
        files.keys()
    );
    assert!(
        files.contains_key("content/c-html.md"),
        "{:?}",
        files.keys()
    );
    assert_contains(
        &report,
        "- content/c.html: `content/c.md` becomes `c.md` too",
    );
    build_and_request(&work.path().join("site"), &[]);
}

/// A source site written from `files` into `<temp>/src`.
fn scratch_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = work.path().join("src").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    work
}

#[test]
fn hugo_future_and_expired_pages_are_kept_back_as_hugo_keeps_them() {
    let work = scratch_dir(&[
        ("hugo.toml", "title = \"Later\"\n".to_string()),
        (
            "content/posts/soon.md",
            "---\ntitle: Soon\ndate: 2026-11-01\npublishDate: 2099-03-01\n---\n\nEmbargoed.\n"
                .to_string(),
        ),
        (
            "content/posts/dated.md",
            "---\ntitle: Dated\ndate: 2099-04-01\n---\n\nAlso embargoed.\n".to_string(),
        ),
        (
            "content/posts/gone.md",
            "---\ntitle: Gone\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\n\nWithdrawn.\n"
                .to_string(),
        ),
        (
            "content/posts/until.md",
            "---\ntitle: Until\ndate: 2020-01-01\nexpiryDate: 2099-01-01\n---\n\nFor now.\n"
                .to_string(),
        ),
        (
            "content/posts/now.md",
            "---\ntitle: Now\ndate: 2026-01-01\n---\n\nOut.\n".to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    assert_eq!(
        String::from_utf8_lossy(&files["content/posts/soon.md"]),
        "---\ntitle: Soon\ndate: \"2099-03-01\"\ndraft: true\n---\n\nEmbargoed.\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&files["content/posts/dated.md"]),
        "---\ntitle: Dated\ndate: \"2099-04-01\"\ndraft: true\n---\n\nAlso embargoed.\n"
    );
    for line in [
        "| `publishDate` → `date` (published from that date, or with `--future`) | 1 |",
        "| `date` | the page's `publishDate` is kept as its `date` instead: Trailmark publishes a page from its `date` | 1 (content/posts/soon.md) |",
        "- content/posts/soon.md:4: `publishDate`: scheduled for 2099-03-01; Hugo publishes no page dated in the future (`buildFuture` is off) and Trailmark holds back future pages only in blog and journey sections, so it was imported with `draft: true`: remove that line when it is due",
        "- content/posts/dated.md:3: `date`: scheduled for 2099-04-01; Hugo publishes no page dated in the future",
        "- content/posts/gone.md:4: `expiryDate`: expired; Hugo no longer publishes it, so it was imported with `draft: true`",
        "- content/posts/until.md:4: `expiryDate`: Trailmark keeps pages published; remove the page or mark it `draft: true` when it expires",
    ] {
        assert_contains(&report, line);
    }
    let site = work.path().join("site");
    trailmark(&["build", "--build-date", "2026-12-01"], &site).assert_ok();
    for published in ["now", "until"] {
        assert!(
            site.join(format!("public/posts/{published}/index.html"))
                .is_file()
        );
    }
    for held_back in ["soon", "dated", "gone"] {
        assert!(
            !site
                .join(format!("public/posts/{held_back}/index.html"))
                .exists()
        );
    }

    // A site that builds future and expired pages keeps them published.
    let work = scratch_dir(&[
        (
            "hugo.toml",
            "title = \"All\"\nbuildfuture = true\nbuildExpired = true\n".to_string(),
        ),
        (
            "content/posts/dated.md",
            "---\ntitle: Dated\ndate: 2099-04-01\n---\n\nOut early.\n".to_string(),
        ),
        (
            "content/posts/gone.md",
            "---\ntitle: Gone\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\n\nStill out.\n"
                .to_string(),
        ),
    ]);
    let (run, _, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    for page in ["dated", "gone"] {
        let text =
            String::from_utf8_lossy(&files[&format!("content/posts/{page}.md")]).into_owned();
        assert!(!text.contains("draft"), "{text}");
    }
}

#[test]
fn mdbook_include_cycles_missing_anchors_and_repeated_chapters_are_reported() {
    let work = scratch_dir(&[
        ("book.toml", "[book]\ntitle = \"Loops\"\n".to_string()),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[Intro](intro.md)\n\n- [One](ch1.md)\n- [Two](ch2.md)\n- [Two again](ch2.md)\n"
                .to_string(),
        ),
        ("src/intro.md", "# Intro\n\nHello.\n".to_string()),
        (
            "src/ch1.md",
            "# One\n\nBefore.\n\n{{#include ch1.md}}\n\nAfter.\n".to_string(),
        ),
        (
            "src/ch2.md",
            "# Two\n\n{{#include code.rs:missing}}\n".to_string(),
        ),
        (
            "src/code.rs",
            "// ANCHOR: here\nfn main() {}\n// ANCHOR_END: here\n".to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("mdbook", work.path());
    run.assert_ok();
    for line in [
        "- src/ch1.md:5: `{{#include ch1.md}}` includes itself (through ch1.md); left out",
        "- src/ch2.md:3: `{{#include code.rs:missing}}`: no anchor `missing` in `code.rs`; nothing was included",
        "- src/SUMMARY.md:7: `ch2.md` is listed again (first at line 6); imported once, at its first place",
    ] {
        assert_contains(&report, line);
    }
    let one = String::from_utf8_lossy(&files["content/ch1.md"]).into_owned();
    assert_eq!(one.matches("Before.").count(), 1, "{one}");
    assert!(
        !files.contains_key("content/ch2-2.md"),
        "{:?}",
        files.keys()
    );
    build_and_request(&work.path().join("site"), &["/ch2.html"]);
}

#[test]
fn mdbook_hidden_rust_lines_are_dropped_as_mdbook_hides_them() {
    let work = scratch_dir(&[
        ("book.toml", "[book]\ntitle = \"Hidden\"\n".to_string()),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Code](code.md)\n".to_string(),
        ),
        (
            "src/code.md",
            "# Code\n\n```rust\n# fn main() {\nlet x = 1;\n# }\n```\n".to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("mdbook", work.path());
    run.assert_ok();
    let page = String::from_utf8_lossy(&files["content/_index.md"]).into_owned();
    assert_contains(&page, "```rust\nlet x = 1;\n```\n");
    assert_contains(
        &report,
        "| hidden line of Rust code (`# fn main() {`) dropped, as mdBook hides it | 2 |",
    );
}

#[test]
fn hugo_escaped_shortcodes_are_literal_text_without_a_warning() {
    let work = scratch_dir(&[
        ("hugo.toml", "title = \"Docs\"\n".to_string()),
        (
            "content/docs.md",
            "---\ntitle: Docs\n---\n\nWrite {{</* figure src=\"x.png\" */>}} in a page.\n\n```\n{{</* ref \"a\" */>}}\n```\n"
                .to_string(),
        ),
    ]);
    let (run, _, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    let page = String::from_utf8_lossy(&files["content/docs.md"]).into_owned();
    assert_contains(&page, "Write &#123;{< figure src=\"x.png\" >}} in a page.");
    assert_contains(&page, "```\n{{< ref \"a\" >}}\n```");
    let site = work.path().join("site");
    build_and_request(&site, &[]);
    let build = trailmark(&["build", "--build-date", BUILD_DATE], &site);
    assert_eq!(
        build.diagnostics(),
        Vec::<String>::new(),
        "{}",
        build.stderr
    );
    let html = std::fs::read_to_string(site.join("public/docs/index.html")).unwrap();
    assert_contains(&html, "<p>Write {{&lt; figure src=");
}

#[test]
fn zola_paths_and_aliases_climbing_above_the_root_are_reported_as_refused() {
    let work = scratch_dir(&[
        (
            "config.toml",
            "title = \"Up\"\nbase_url = \"https://example.org\"\n".to_string(),
        ),
        (
            "content/away.md",
            "+++\ntitle = \"Away\"\npath = \"../../escape\"\naliases = [\"/../old/\"]\n+++\n\nText.\n"
                .to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("zola", work.path());
    run.assert_ok();
    for line in [
        "- content/away.md:3: `path = \"../../escape\"` climbs above the site's root; refused: the page keeps the URL Trailmark gives it",
        "- content/away.md:4: alias `/../old/` climbs above the site's root; refused",
    ] {
        assert_contains(&report, line);
    }
    assert!(files.contains_key("content/away.md"));
    assert!(!report.contains("`path` → the page's URL"), "{report}");
}

#[test]
fn jekyll_excerpt_separators_become_the_more_marker() {
    let post = |front: &str, body: &str| format!("---\ntitle: T\n{front}---\n\n{body}");
    let work = scratch_dir(&[
        (
            "_config.yml",
            "title: Cuts\nexcerpt_separator: <!--cut-->\n".to_string(),
        ),
        (
            "_posts/2024-01-01-site.md",
            post("", "Site teaser.<!--cut-->Site rest.\n"),
        ),
        (
            "_posts/2024-01-02-own.md",
            post(
                "excerpt_separator: \"[[more]]\"\n",
                "Own teaser.\n\n[[more]]\n\nOwn rest <!--cut--> text.\n",
            ),
        ),
        (
            "_posts/2024-01-03-code.md",
            post(
                "",
                "Code teaser.\n\n```html\n<!--cut-->\n```\n\nCode rest.\n",
            ),
        ),
    ]);
    let (run, report, files) = import_scratch("jekyll", work.path());
    run.assert_ok();
    let text =
        |name: &str| String::from_utf8_lossy(&files[&format!("content/blog/{name}")]).into_owned();
    assert!(
        text("2024-01-01-site.md")
            .ends_with("\n---\n\nSite teaser.\n\n<!-- more -->\n\nSite rest.\n"),
        "{}",
        text("2024-01-01-site.md")
    );
    // The post's own separator wins over the site's, and is not kept as a setting.
    let own = text("2024-01-02-own.md");
    assert!(
        own.ends_with("\n---\n\nOwn teaser.\n\n<!-- more -->\n\nOwn rest <!--cut--> text.\n"),
        "{own}"
    );
    assert!(!own.contains("excerpt_separator"), "{own}");
    // Only a separator outside code counts; without one the excerpt is the first paragraph.
    assert_contains(&text("2024-01-03-code.md"), "```html\n<!--cut-->\n```");
    assert!(!text("2024-01-03-code.md").contains("<!-- more -->"));
    assert_contains(
        &report,
        "| `excerpt_separator` → `<!-- more -->` where the excerpt ends | 2 |",
    );
    assert!(!report.contains("| `excerpt_separator` |"), "{report}");
    let site = work.path().join("site");
    trailmark(&["build"], &site).assert_ok();
    let list = std::fs::read_to_string(site.join("public/blog/index.html")).unwrap();
    for teaser in ["Site teaser.", "Own teaser.", "Code teaser."] {
        assert_contains(&list, teaser);
    }
    for rest in ["Site rest.", "Own rest", "Code rest."] {
        assert!(!list.contains(rest), "{rest} is in the list");
    }
}

#[test]
fn hugo_highlighted_lines_survive_the_import() {
    let work = scratch_dir(&[
        ("hugo.toml", "title = \"Code\"\n".to_string()),
        (
            "content/code.md",
            "---\ntitle: Code\n---\n\n```go {linenos=table,hl_lines=[2]}\nfunc a() {\n\treturn\n}\n```\n\n\
             {{< highlight rust \"linenos=table,hl_lines=1 3\" >}}\nfn a() {\n    b();\n}\n{{< /highlight >}}\n"
                .to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("hugo", work.path());
    run.assert_ok();
    let text = String::from_utf8_lossy(&files["content/code.md"]).into_owned();
    assert_contains(&text, "```go hl_lines=\"2\"\nfunc a() {");
    assert_contains(&text, "```rust hl_lines=\"1 3\"\nfn a() {");
    assert_contains(&report, "| code fence `{...}` options → `hl_lines` | 1 |");
    let site = work.path().join("site");
    trailmark(&["build"], &site).assert_ok();
    let html = std::fs::read_to_string(site.join("public/code/index.html")).unwrap();
    assert_eq!(html.matches("<span class=\"hll\">").count(), 3, "{html}");
}

/// jekyll/jekyll's docs: `pages/news.html` has `permalink: /news/`, the posts' blog.
#[test]
fn a_jekyll_page_at_the_blogs_url_becomes_the_blogs_page() {
    let work = scratch_dir(&[
        (
            "_config.yml",
            "title: Docs\npaginate: 5\ncollections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n"
                .to_string(),
        ),
        (
            "_posts/2024-01-01-one.md",
            "---\ntitle: One\n---\n\nFirst post.\n".to_string(),
        ),
        (
            "pages/news.html",
            "---\ntitle: News\npermalink: /news/\n---\n\n{% for post in site.posts %}{{ post.title }}{% endfor %}\n"
                .to_string(),
        ),
        (
            "pages/releases.html",
            "---\ntitle: Releases\npermalink: /news/releases/\n---\n\n<p>Every release.</p>\n"
                .to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("jekyll", work.path());
    run.assert_ok();
    let index = String::from_utf8_lossy(&files["content/news/_index.md"]).into_owned();
    assert_contains(&index, "title: News\n");
    assert_contains(&index, "kind: blog\npaginate_by: 5\n");
    assert!(!index.contains("{%"), "{index}");
    assert_contains(
        &report,
        "- pages/news.html:5: the blog's page is a Liquid template; Trailmark's blog page lists the posts instead, so its body was dropped",
    );
    let site = work.path().join("site");
    trailmark(&["build"], &site).assert_ok();
    let list = std::fs::read_to_string(site.join("public/news/index.html")).unwrap();
    assert_contains(&list, "First post.");
    assert!(site.join("public/news/releases/index.html").is_file());
}

/// Found from outside: Zola reads front matter after blank lines; the import published it
/// as the page's text, titled from the file name and undated.
#[test]
fn zola_front_matter_after_blank_lines_is_read_as_zola_reads_it() {
    let work = scratch_dir(&[
        (
            "config.toml",
            "title = \"Blank\"\nbase_url = \"https://example.org\"\n".to_string(),
        ),
        (
            "content/blog/_index.md",
            "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n+++\n".to_string(),
        ),
        (
            "content/blog/post.md",
            "\n  \n+++\ntitle = \"My Post\"\ndate = 2024-01-02\npath = \"../../up\"\n+++\n\nHello body.\n"
                .to_string(),
        ),
    ]);
    let (run, report, files) = import_scratch("zola", work.path());
    run.assert_ok();
    let post = String::from_utf8_lossy(&files["content/blog/post.md"]).into_owned();
    assert_contains(&post, "title: My Post\n");
    assert_contains(&post, "date: \"2024-01-02\"");
    assert!(post.ends_with("\n---\n\nHello body.\n"), "{post}");
    // Lines are the source file's, blank lines counted.
    assert_contains(
        &report,
        "- content/blog/post.md:6: `path = \"../../up\"` climbs above the site's root",
    );
    let site = work.path().join("site");
    trailmark(&["build"], &site).assert_ok();
}

/// Found from outside: an include of a file above the imported book (`../../examples/x.rs`,
/// as the mdBook guide has) was reported as "file not found", though the file is there.
#[test]
fn an_mdbook_include_above_the_imported_folder_says_so() {
    let work = scratch_dir(&[
        ("../examples/ex.rs", "fn main() {}\n".to_string()),
        ("book.toml", "[book]\ntitle = \"B\"\n".to_string()),
        ("src/SUMMARY.md", "# Summary\n\n- [Ch](ch.md)\n".to_string()),
        (
            "src/ch.md",
            "# Ch\n\n```rust\n{{#include ../../examples/ex.rs}}\n```\n".to_string(),
        ),
    ]);
    let (run, report, _) = import_scratch("mdbook", work.path());
    run.assert_ok();
    assert_contains(
        &report,
        "- src/ch.md:4: `{{#include ../../examples/ex.rs}}`: the file is above the folder being imported, which is all the import reads; left in place: import a folder holding both, or copy the file into the book",
    );
    assert!(!report.contains("file not found"), "{report}");
}
