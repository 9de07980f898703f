//! Property tests (proptest) for the invariants of issue 8:
//!
//! - **no panic on any input**: front matter, the Markdown pipeline with every extension,
//!   durations, dates and slugs, through the library entry points the fuzz targets in
//!   `.fuzz/` use, fed Markdown-ish text rather than random bytes;
//! - **every written path inside the output**: random small sites with hostile file names
//!   and front matter, built by the real binary;
//! - **anchors unique**: random headings, footnotes and quizzes give pages whose `id`s are
//!   all different, in the Markdown render and in the built page around it;
//! - **incremental equals clean**: a random sequence of edits, rebuilt by one long-lived
//!   [`Session`] after each, gives what a fresh session gives for the same files.
//!
//! Runs are reproducible: every property uses a fixed seed (set `PROPTEST_RNG_SEED` for
//! another) and a small number of cases sized for CI (set `PROPTEST_CASES` for more, e.g.
//! `PROPTEST_CASES=2000 cargo test --test integration properties`). A failure prints the
//! shrunk input; keep it as a plain regression test beside the fix.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;
use trailmark::build::{BuildOptions, Patch, RebuildStrategy, Session};
use trailmark::content::{parse_date, parse_duration_minutes, read_meta, slugify, split_file_stem};
use trailmark::front_matter::{normalize, parse, split};
use trailmark::markdown::{
    KeepLinks, LinkResolution, LinkResolver, MarkdownOptions, RawHtml, RenderInput, render,
};

use crate::harness::{BUILD_DATE, Run, assert_contains};

/// `cases` cases from a fixed seed, unless `PROPTEST_CASES` / `PROPTEST_RNG_SEED` say
/// otherwise. Nothing is persisted: failures become regression tests by hand.
fn config(cases: u32) -> ProptestConfig {
    let from_env = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            from_env.cases
        } else {
            cases
        },
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            from_env.rng_seed
        } else {
            RngSeed::Fixed(0x7261_696c_6d61_726b)
        },
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..from_env
    }
}

/// Pieces of Markdown that reach every Trailmark extension.
#[rustfmt::skip]
const MARKDOWN_PIECES: &[&str] = &[
    "\n", "\n\n", "\r\n", "\r", "\t", "    ", "# ", "## ", "### ", "#", "Title", "text ", "Main",
    "ünï", "日本語", "\u{301}", "🎉", ":::", "::: ", "::: note\n", "::: instructor\n",
    "::: objectives\n", "::: challenge\n", ":::::: solution\n", "::: {.x #y}\n", ":::\n",
    "::::::\n", "```", "```\n", "```rust\n", "```quiz\n", "~~~", "`", "- question: \"Q?\"\n",
    "  choices:\n", "    - text: A\n", "      correct: true\n", "      why: because\n",
    "  type: multiple\n", "::video{provider=\"youtube\" id=\"x\"}\n",
    "::figure{src=\"a.png\" alt=\"A\"}\n", "::testimonial{quote=\"q\" name=\"n\"}\n",
    "::custom{k=\"v\"}\n", "::video{", "{", "}", "{#main}", "{#x .c data-a=1}", "{id=dup}",
    "{onclick=alert(1)}", "[x](y)", "[a](b.md#c)", "[t](../up.md)", "[s](#goals)",
    "[j](javascript:alert(1))", "![i](d.png)", "![d](data:text/html,x)", "<https://x.org>", "[^1]",
    "[^1]: note\n", "[^main]", "[^main]: foot\n", "> ", "> [!NOTE]\n", "> [!WARNING]\n", "- ",
    "1. ", "- [ ] ", "|a|b|\n|-|-|\n", "| x |", "$x^2$", "$$", "**", "_", "~~", "\\",
    "<!-- more -->\n", "<!--more-->", "<script>alert(1)</script>", "<a id=\"dup\">", "<div>",
    "</div>", "{{ page.title }}", "{% if x %}", "---\n", "***", "&amp;", "&#0;", "\u{0}",
    "\u{feff}", "\u{2028}", "\u{85}",
];

/// Pieces of YAML and TOML front matter, valid and not.
#[rustfmt::skip]
const FRONT_MATTER_PIECES: &[&str] = &[
    "title: ", "title = ", "\"T\"", "'t'", "tags: [", "tags: [a, b]", "]", "[", "{", "}", "- ",
    "  ", "\t", "\n", "\r\n", ": ", "date: 2025-01-01", "date: 2025-13-40", "date = 2024-05-01",
    "duration: 1h30m", "duration: 90", "duration: -5m", "weight: 9999999999999999999999",
    "draft: maybe", "aliases: [../x, /y]", "slug: ../../z", "&a [x, *a]", "*a", "!!binary",
    "!!int x", "? ", "|", ">", "%YAML", "...", "---", "+++", "extra:\n  k: v", "objectives:\n  - x",
    "x: 1\nx: 2", "review_by: 2020-02-30", "null", "~", "true", "0x1F", "1e999", "é", "日本",
    "\u{85}", "\u{2028}", "\u{2029}",
];

/// Pieces of durations, dates and file stems.
#[rustfmt::skip]
const TIME_PIECES: &[&str] = &[
    "1", "2025", "-", "01", "13", "31", "99", "h", "m", "min", "mins", "hours", "s", "d", " ", ":",
    "T", "Z", "+02:00", ".", "..", "_", "é", "e\u{301}", "İ", "ß", "日", "🎉", "/", "\\",
    "0000000000000000000000", "-draft", "index",
];

/// Heading texts that collide with each other or with ids the renderer or theme makes.
#[rustfmt::skip]
const HEADING_TEXTS: &[&str] = &[
    "Intro", "intro", "INTRO", "Intro 1", "intro-1", "", " ", "!!!", "?", "Section", "section-1",
    "Main", "Toc title", "Contents title", "Site search input", "Site search results",
    "Site search hint", "Quiz 1", "Quiz 1 q1", "quiz-1-q1-c1", "fn", "1", "Café", "Cafe\u{301}",
    "日本語", "ÜBER", "über", "🎉", "a_b", "a-b", "A B", "`code`", "*em* and **strong**",
    "[link](https://example.org)",
];

/// Text made of `pieces` glued together, up to `max` of them.
fn glued(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(pieces.to_vec()).prop_map(str::to_string),
        1 => "[a-zA-Z0-9 .:#{}\\[\\]()*_`'\"|<>!=/-]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|parts| parts.concat())
}

/// Markdown with every Trailmark extension in reach: fenced divs, callouts, quizzes,
/// shortcodes, links of every kind, headings with attributes, footnotes, math, tables,
/// raw HTML, summaries, CRLF and lone CRs, tabs, Unicode.
fn markdownish() -> impl Strategy<Value = String> {
    glued(MARKDOWN_PIECES, 60)
}

/// Front matter in YAML and TOML, well and badly formed, with a body after it.
fn front_matterish() -> impl Strategy<Value = String> {
    let opening = proptest::sample::select(vec!["---\n", "---\r\n", "+++\n", "\u{feff}---\n", ""]);
    let inner = glued(FRONT_MATTER_PIECES, 30);
    let closing = proptest::sample::select(vec!["\n---\n", "\n+++\n", "\n...\n", "\n", ""]);
    (opening, inner, closing, markdownish()).prop_map(|(o, i, c, b)| format!("{o}{i}{c}{b}"))
}

/// Strings close to durations, dates and file stems.
fn timeish() -> impl Strategy<Value = String> {
    glued(TIME_PIECES, 16)
}

/// Resolves some relative links, breaks others and asks for anchor checks, like the fuzz
/// target's resolver, so every branch of link handling runs.
struct Mixed;

impl LinkResolver for Mixed {
    fn resolve(&self, destination: &str) -> LinkResolution {
        match destination.len() % 3 {
            0 => LinkResolution::Keep,
            1 => LinkResolution::Rewrite {
                url: format!("/x/{}/", destination.len()),
                anchor_check: None,
            },
            _ => LinkResolution::Broken(format!("missing `{destination}`")),
        }
    }
}

/// The value of every `id="..."` attribute of a tag in `html` (text that merely reads
/// `id="x"`, such as escaped raw HTML, does not count).
fn ids_in(html: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for chunk in html.split('<').skip(1) {
        let mut tag = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
        while let Some(at) = tag.find(" id=\"") {
            tag = &tag[at + 5..];
            let end = tag.find('"').unwrap_or(tag.len());
            ids.push(&tag[..end]);
            tag = &tag[end..];
        }
    }
    ids
}

fn duplicates<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    let mut repeated: Vec<&str> = ids.into_iter().filter(|id| !seen.insert(*id)).collect();
    repeated.sort_unstable();
    repeated.dedup();
    repeated
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn front_matter_never_panics_and_points_inside_the_file(raw in front_matterish()) {
        let text = normalize(&raw);
        let lines = text.lines().count().max(1);
        match split(&text) {
            Ok(s) => match parse(&s) {
                Ok(fm) => {
                    let (_, problems) = read_meta(&fm, "content/p.md", &["tags".to_string()]);
                    for p in problems {
                        prop_assert!(p.line <= lines + 1, "{p:?} past line {lines}");
                    }
                }
                Err(e) => prop_assert!(e.line >= 1 && e.line <= lines + 1, "{e:?} of {lines}"),
            },
            Err(e) => prop_assert_eq!(e.line, 1),
        }
    }

    #[test]
    fn durations_dates_and_slugs_never_panic(text in timeish()) {
        let _ = parse_duration_minutes(&text);
        let _ = parse_date(&text);
        let (_, _, name) = split_file_stem(&text);
        prop_assert!(text.ends_with(name));
        let slug = slugify(&text);
        prop_assert!(!slug.contains(['/', '.', '\\']), "{slug:?}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone(), "slugify is idempotent");
    }
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn markdown_pipeline_never_panics_and_gives_unique_ids(raw in markdownish()) {
        // The build hands `render` normalised text; so does this.
        let body = &*normalize(&raw);
        let lines = body.lines().count().max(1);
        for (raw_html, highlight) in [(RawHtml::Allow, true), (RawHtml::Escape, false)] {
            let options = MarkdownOptions { raw_html, highlight, ..MarkdownOptions::default() };
            let input = RenderInput {
                body,
                file: "content/p.md",
                first_line: 3,
                strip_title_heading: highlight,
                lift_lesson_blocks: !highlight,
            };
            let rendered = render(&input, &options, &Mixed);
            prop_assert!(duplicates(rendered.anchors.iter().map(String::as_str)).is_empty(),
                "duplicate anchors {:?}", rendered.anchors);
            for d in &rendered.diagnostics {
                prop_assert!(d.line == 0 || (3..=lines + 3).contains(&d.line),
                    "diagnostic at line {} of {lines}: {d:?}", d.line);
            }
            if raw_html == RawHtml::Escape {
                // Raw HTML is text here, so every id was made by the renderer.
                prop_assert!(!rendered.html.contains("<script"));
                let repeated = duplicates(ids_in(&rendered.html));
                prop_assert!(repeated.is_empty(), "ids {repeated:?} repeat in\n{}", rendered.html);
            }
        }
    }
}

/// Heading texts that collide: repeats, case, empty, punctuation only, Unicode written two
/// ways, texts whose slug is another heading's suffixed id or an id the renderer or the
/// theme makes.
fn heading_text() -> impl Strategy<Value = String> {
    let known = proptest::sample::select(HEADING_TEXTS.to_vec());
    prop_oneof![
        6 => known.prop_map(str::to_string),
        1 => "[A-Za-zé -]{0,8}",
    ]
}

/// One block of a page in the anchor property.
#[derive(Debug, Clone)]
enum Block {
    Heading {
        level: usize,
        text: String,
        explicit: Option<&'static str>,
    },
    Footnote(&'static str),
    Quiz,
}

fn block() -> impl Strategy<Value = Block> {
    let explicit = proptest::option::weighted(
        0.2,
        proptest::sample::select(vec!["intro", "main", "quiz-1", "x", "section", "intro-1"]),
    );
    prop_oneof![
        6 => (1..=4usize, heading_text(), explicit)
            .prop_map(|(level, text, explicit)| Block::Heading { level, text, explicit }),
        1 => proptest::sample::select(vec!["1", "intro", "main", "x", "section"])
            .prop_map(Block::Footnote),
        1 => Just(Block::Quiz),
    ]
}

fn page_body(blocks: &[Block]) -> String {
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Heading {
                level,
                text,
                explicit,
            } => {
                body.push_str(&"#".repeat(*level));
                body.push(' ');
                body.push_str(text);
                if let Some(id) = explicit {
                    write!(body, " {{#{id}}}").unwrap();
                }
                body.push_str("\n\nSome text.\n\n");
            }
            Block::Footnote(label) => {
                write!(body, "A note[^{label}].\n\n[^{label}]: The note.\n\n").unwrap();
            }
            Block::Quiz => body.push_str(
                "```quiz\n- question: \"Which?\"\n  choices:\n    - text: \"This\"\n      \
                 correct: true\n    - text: \"That\"\n```\n\n",
            ),
        }
    }
    body
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn rendered_markdown_never_repeats_an_id(blocks in proptest::collection::vec(block(), 1..12)) {
        let body = page_body(&blocks);
        for raw_html in [RawHtml::Allow, RawHtml::Escape] {
            let options = MarkdownOptions { raw_html, ..MarkdownOptions::default() };
            let input = RenderInput {
                body: &body,
                file: "content/p.md",
                first_line: 4,
                strip_title_heading: false,
                lift_lesson_blocks: false,
            };
            let rendered = render(&input, &options, &KeepLinks);
            let ids = ids_in(&rendered.html);
            let repeated = duplicates(ids.iter().copied());
            prop_assert!(repeated.is_empty(), "ids {repeated:?} repeat in\n{}", rendered.html);
            // Every id is known to the anchor checks, so links to it are not reported.
            for id in &ids {
                prop_assert!(rendered.anchors.iter().any(|a| a == id),
                    "`{id}` is not among the anchors {:?}", rendered.anchors);
            }
        }
    }
}

/// Runs the real binary; never a panic, and a failure always says why.
fn run_binary(args: &[&str], dir: &Path) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trailmark");
    let run = Run::from(output);
    assert!(
        run.code != 101 && !run.stderr.contains("panicked"),
        "trailmark panicked:\n{}",
        run.stderr
    );
    assert!(
        run.code == 0 || !run.diagnostics().is_empty(),
        "exit {} without a diagnostic:\n{}",
        run.code,
        run.stderr
    );
    run
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn built_pages_never_repeat_an_id(blocks in proptest::collection::vec(block(), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("trailmark.yaml"), "title: T\nbase_url: https://example.org\n")
            .unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        let text = format!("---\ntitle: Page\n---\n{}", page_body(&blocks));
        std::fs::write(root.join("content/page.md"), text).unwrap();
        let run = run_binary(&["build", "--build-date", BUILD_DATE], root);
        prop_assert_eq!(run.code, 0, "{}", run.stderr);
        let html = std::fs::read_to_string(root.join("public/page/index.html")).unwrap();
        let repeated = duplicates(ids_in(&html));
        prop_assert!(repeated.is_empty(), "ids {repeated:?} repeat in the built page:\n{html}");
    }
}

/// Path-like values an author (or an attacker) might put in front matter. `{OUT}` becomes
/// the absolute path of a folder beside the site, where nothing may be written.
#[rustfmt::skip]
const HOSTILE_PATHS: &[&str] = &[
    "ok", "../x", "../../x", "../../../escaped", "a/../../b", "..", ".", "", "/abs", "/abs/../..",
    "{OUT}", "{OUT}/file.html", "C:\\x", "C:/x", "c:", "\\\\server\\share", "x\\..\\..\\y", "CON",
    "nul.txt", "aux/x", "x/./y", "%2e%2e/x", "a//b", "ünï/côde", "a b", "?q", "#f", ".hidden", "x/",
    "/", "index.html", "public", ".trailmark-output",
];

/// File and folder names: dots, names made of dots, spaces, Unicode, reserved names.
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "a", "b.c", "..x", "x..", "...", ".hidden", "spa ce", "ünï", "日本", "Cafe\u{301}", "Café", "CON",
    "nul", "-", "_index", "index", "a.b.c", "public", "static", "2026-01-02-post", "01-lesson",
    "UPPER", "upper",
];

#[derive(Debug, Clone)]
struct HostileFile {
    folders: Vec<&'static str>,
    name: &'static str,
    extension: &'static str,
    title: &'static str,
    slug: Option<&'static str>,
    aliases: Vec<&'static str>,
    tags: Vec<&'static str>,
    template: Option<&'static str>,
    cover: Option<&'static str>,
    kind: Option<&'static str>,
    link: &'static str,
}

fn hostile_file() -> impl Strategy<Value = HostileFile> {
    let name = || proptest::sample::select(NAMES.to_vec());
    let path = || proptest::sample::select(HOSTILE_PATHS.to_vec());
    // Links, templates and covers that go astray only give "missing" errors, and a build
    // with errors writes nothing, so they are rarer than slugs and aliases: most builds
    // should get as far as writing.
    let maybe_path = |chance| proptest::option::weighted(chance, path());
    (
        (
            proptest::collection::vec(name(), 0..3),
            name(),
            proptest::sample::select(vec![".md", ".md", ".md", ".txt", ".png", ""]),
            proptest::sample::select(vec!["T", "", "<b>x</b>", "../t", "日本"]),
        ),
        (
            maybe_path(0.4),
            proptest::collection::vec(path(), 0..3),
            proptest::collection::vec(path(), 0..2),
            maybe_path(0.1),
            maybe_path(0.1),
            proptest::option::weighted(
                0.3,
                proptest::sample::select(vec!["blog", "course", "handbook", "../x"]),
            ),
            prop_oneof![3 => Just("https://example.org/"), 1 => path()],
        ),
    )
        .prop_map(
            |(
                (folders, name, extension, title),
                (slug, aliases, tags, template, cover, kind, link),
            )| HostileFile {
                folders,
                name,
                extension,
                title,
                slug,
                aliases,
                tags,
                template,
                cover,
                kind,
                link,
            },
        )
}

/// A YAML scalar for `value`, quoted as JSON (which YAML reads).
fn yaml(value: &str) -> String {
    serde_json::to_string(value).unwrap()
}

impl HostileFile {
    fn relative_path(&self) -> PathBuf {
        let mut path = PathBuf::from("content");
        path.extend(&self.folders);
        path.push(format!("{}{}", self.name, self.extension));
        path
    }

    fn text(&self, out: &Path) -> String {
        let fill = |v: &str| v.replace("{OUT}", &out.to_string_lossy());
        if self.extension != ".md" {
            return fill(self.link);
        }
        let mut text = format!("---\ntitle: {}\n", yaml(self.title));
        if let Some(slug) = self.slug {
            writeln!(text, "slug: {}", yaml(&fill(slug))).unwrap();
        }
        let list = |values: &[&str]| {
            values
                .iter()
                .map(|v| yaml(&fill(v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.aliases.is_empty() {
            writeln!(text, "aliases: [{}]", list(&self.aliases)).unwrap();
        }
        if !self.tags.is_empty() {
            writeln!(text, "tags: [{}]", list(&self.tags)).unwrap();
        }
        if let Some(template) = self.template {
            writeln!(text, "template: {}", yaml(&fill(template))).unwrap();
        }
        if let Some(cover) = self.cover {
            writeln!(text, "cover: {}", yaml(&fill(cover))).unwrap();
        }
        if let Some(kind) = self.kind {
            writeln!(text, "kind: {}", yaml(kind)).unwrap();
        }
        write!(
            text,
            "---\nA [link]({}) and ![an image]({}).\n",
            fill(self.link),
            fill(self.link)
        )
        .unwrap();
        text
    }
}

/// Every file and folder under `dir` with its length and modification time.
fn inventory(dir: &Path) -> BTreeMap<PathBuf, Option<(u64, SystemTime)>> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        let stamp = meta
            .is_file()
            .then(|| (meta.len(), meta.modified().unwrap()));
        found.insert(entry.path().to_path_buf(), stamp);
    }
    found
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn builds_write_only_inside_the_output(files in proptest::collection::vec(hostile_file(), 1..6)) {
        // Deep enough that `../../..` from the site still lands in the temp folder, where
        // the inventory sees it; `{OUT}` names a folder beside the site.
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("one/two/site");
        let outside = temp.path().join("one/two/outside");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("trailmark.yaml"), "title: T\nbase_url: https://example.org\n")
            .unwrap();
        for file in &files {
            // A file where another needs a folder (`a` and `a/b.md`), or the reverse: the
            // later one is left out.
            let path = root.join(file.relative_path());
            if std::fs::create_dir_all(path.parent().unwrap()).is_ok() && !path.is_dir() {
                std::fs::write(path, file.text(&outside)).unwrap();
            }
        }
        let before = inventory(temp.path());
        run_binary(&["build", "--build-date", BUILD_DATE], &root);
        let output = root.join("public");
        // The build cache is the one other place a build writes (README, "The build
        // cache"): inside the site, under a fixed name no content path can choose.
        let cache = root.join(".trailmark-cache");
        for (path, stamp) in inventory(temp.path()) {
            if path.starts_with(&output) || path.starts_with(&cache) {
                continue;
            }
            prop_assert!(before.get(&path) == Some(&stamp),
                "the build wrote {} outside the output folder", path.display());
        }
    }
}

/// The default theme's post template, which the template edit changes.
const POST_TEMPLATE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/templates/post.html"
));

/// The default theme's lesson template, which a site may override and stop overriding.
const LESSON_TEMPLATE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/templates/lesson.html"
));

const TAGS: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
const SERIES: [&str; 2] = ["Measuring", "Launch"];
/// The journey's milestones (`finish` comes and goes, [`Edit::ToggleMilestone`]).
const MILESTONES: [&str; 2] = ["start", "finish"];
const STATUSES: [&str; 3] = ["planned", "in-progress", "done"];
const SECTORS: [&str; 3] = ["Retail", "Energy", "Banking"];
const ALIASES: [&str; 3] = ["/old/a/", "/old/b/", "/gone/"];
/// The journey section and the case-studies section, whose pages take milestones and
/// sectors.
const JOURNEY: &str = "content/journey/";
const WORK: &str = "content/work/";
/// Dates in front matter: before, between and after the dates in the posts' file names,
/// and one after the build date (left out unless `--future`).
const DATES: [&str; 4] = ["2026-01-15", "2025-12-31", "2026-03-02", "2026-07-01"];

/// One page of the incremental fixture, as the model writes it.
#[derive(Debug, Clone, PartialEq)]
struct ModelPage {
    title: String,
    tags: BTreeSet<&'static str>,
    series: Option<&'static str>,
    date: Option<&'static str>,
    /// `milestone:` (a post of the journey).
    milestone: Option<&'static str>,
    /// `sector:` (a case study).
    sector: Option<&'static str>,
    aliases: BTreeSet<&'static str>,
    /// A misspelt key (`tittle:`), which gets one warning for the whole site.
    misspelt: bool,
    body: String,
}

impl ModelPage {
    fn new(title: &str, tags: &[&'static str], body: &str) -> Self {
        ModelPage {
            title: title.to_string(),
            tags: tags.iter().copied().collect(),
            series: None,
            date: None,
            milestone: None,
            sector: None,
            aliases: BTreeSet::new(),
            misspelt: false,
            body: body.to_string(),
        }
    }

    fn text(&self) -> String {
        let tags: Vec<&str> = self.tags.iter().copied().collect();
        let mut text = format!(
            "---\ntitle: {}\ntags: [{}]\n",
            yaml(&self.title),
            tags.join(", ")
        );
        if let Some(series) = self.series {
            writeln!(text, "series: {}", yaml(series)).unwrap();
        }
        if let Some(date) = self.date {
            writeln!(text, "date: {date}").unwrap();
        }
        if let Some(milestone) = self.milestone {
            writeln!(text, "milestone: {milestone}").unwrap();
        }
        if let Some(sector) = self.sector {
            writeln!(text, "sector: {}", yaml(sector)).unwrap();
        }
        if !self.aliases.is_empty() {
            let aliases: Vec<&str> = self.aliases.iter().copied().collect();
            writeln!(text, "aliases: [{}]", aliases.join(", ")).unwrap();
        }
        if self.misspelt {
            text.push_str("tittle: Typo\n");
        }
        write!(text, "---\n{}\n", self.body).unwrap();
        text
    }
}

/// A section's `_index.md`.
#[derive(Debug, Clone, PartialEq)]
struct ModelSection {
    title: &'static str,
    /// Front matter a section's views show beside its title (course outlines, cards).
    description: Option<&'static str>,
    kind: Option<&'static str>,
    paginate_by: Option<usize>,
    /// A journey's milestones: id and status.
    milestones: Vec<(&'static str, &'static str)>,
    body: &'static str,
}

impl ModelSection {
    fn text(&self) -> String {
        let mut text = format!("---\ntitle: {}\n", yaml(self.title));
        if let Some(description) = self.description {
            writeln!(text, "description: {}", yaml(description)).unwrap();
        }
        if let Some(kind) = self.kind {
            writeln!(text, "kind: {kind}").unwrap();
        }
        if let Some(n) = self.paginate_by {
            writeln!(text, "paginate_by: {n}").unwrap();
        }
        if !self.milestones.is_empty() {
            text.push_str("milestones:\n");
            for (id, status) in &self.milestones {
                writeln!(text, "  - {{ id: {id}, status: {status} }}").unwrap();
            }
        }
        write!(text, "---\n{}\n", self.body).unwrap();
        text
    }
}

/// `trailmark.yaml`.
#[derive(Debug, Clone, PartialEq)]
struct ModelConfig {
    title: &'static str,
    menu: Vec<(&'static str, &'static str)>,
    paginate_terms: Option<usize>,
    /// `markdown.broken_links: warn`: a site with broken links still builds, so `serve`
    /// patches it and its warnings must follow.
    broken_links_warn: bool,
    /// The search index: off mostly, since indexing is a fifth of a clean build here.
    search: bool,
    /// A comment at the end of the file: the same config, which keeps every step's value.
    comment: bool,
}

impl ModelConfig {
    fn text(&self) -> String {
        let mut text = format!(
            "title: {}\nbase_url: https://example.org\n",
            yaml(self.title)
        );
        if !self.menu.is_empty() {
            text.push_str("menu:\n");
            for (name, url) in &self.menu {
                writeln!(text, "  - name: {}\n    url: {url}", yaml(name)).unwrap();
            }
        }
        if let Some(n) = self.paginate_terms {
            writeln!(text, "paginate_terms: {n}").unwrap();
        }
        if self.broken_links_warn {
            text.push_str("markdown:\n  broken_links: warn\n");
        }
        if !self.search {
            text.push_str("search: false\n");
        }
        if self.comment {
            text.push_str("# The same config, written otherwise.\n");
        }
        text
    }
}

/// One edit to the fixture; indices pick among the pages (or sections) there are at that
/// moment.
#[derive(Debug, Clone)]
enum Edit {
    Body(Index, &'static str),
    /// Adds a paragraph at the end, keeping the first one (and so the page's summary):
    /// the edit `serve` patches without running every step.
    AppendToBody(Index, &'static str),
    Title(Index, &'static str),
    AddTag(Index, Index),
    RemoveTag(Index, Index),
    /// Puts a page into a series, or takes it out.
    Series(Index, Option<&'static str>),
    /// Gives a page a `date:`, or takes it away.
    Date(Index, Option<&'static str>),
    /// Puts a post of the journey on a milestone, or takes it off.
    Milestone(Index, Option<&'static str>),
    /// Sets the status of one of the journey's milestones.
    MilestoneStatus(Index, &'static str),
    /// Adds the journey's `finish` milestone, or removes it (when no post is on it).
    ToggleMilestone,
    /// Puts a case study in a sector, or takes it out.
    Sector(Index, Option<&'static str>),
    /// Gives a page an alias, or takes it away; an alias another page has moves.
    Alias(Index, Index),
    /// Adds or removes a misspelt front matter key.
    Misspelt(Index),
    AddPage(Index, &'static str),
    DeletePage(Index),
    RenamePage(Index, Index),
    /// A section's `_index.md`: its title, its pagination and its body; or its description
    /// alone.
    Section(Index, &'static str, Option<usize>, &'static str),
    SectionDescription(Index, Option<&'static str>),
    /// A section's `_index.md` body alone (patched like a page's body in `serve`).
    SectionBody(Index, &'static str),
    Template(&'static str),
    /// Overrides the theme's lesson template, or stops overriding it.
    LessonTemplate(Option<&'static str>),
    /// Overrides the theme's `testimonial` shortcode, or stops overriding it (the theme's
    /// takes its place: the same template name, another text).
    ShortcodeTemplate(Option<&'static str>),
    /// Rewrites the site's stylesheet.
    Stylesheet(&'static str),
    /// Adds, changes or removes a second static file.
    StaticFile(Option<&'static str>),
    ConfigTitle(&'static str),
    /// A comment added to or taken out of `trailmark.yaml`.
    ConfigComment,
    /// Adds or removes a menu entry.
    Menu(Index),
    PaginateTerms(Option<usize>),
    /// Switches broken links between errors and warnings.
    BrokenLinks,
    /// Switches the search index on or off.
    Search,
}

impl Edit {
    /// Whether the edit changes the config, after which a session clears every cache.
    fn changes_config(&self) -> bool {
        matches!(
            self,
            Edit::ConfigTitle(_)
                | Edit::Menu(_)
                | Edit::PaginateTerms(_)
                | Edit::BrokenLinks
                | Edit::Search
        )
    }
}

/// Bodies that reach other pages: links, anchors, headings, a summary marker.
const BODIES: [&str; 9] = [
    "Plain text.",
    "## Goals\n\nGoals here.",
    "See [the lesson](../courses/basics/01-start.md).",
    "Intro.\n\n<!-- more -->\n\nThe rest.",
    "Link to [goals](2026-02-01-second.md#goals).",
    "::: note\nA note.\n:::",
    "See [tools](/handbook/tools.md) and [the blog](/blog/_index.md).",
    "Printed as written: {{ page.title }}.",
    "Said of us:\n\n::testimonial{quote=\"It works.\" name=\"Ada\"}",
];

/// Paths pages may take: dated posts in the blog, lessons in the course, handbook pages
/// (one in a folder without `_index.md`).
const PAGE_PATHS: [&str; 15] = [
    "content/blog/2026-01-01-first.md",
    "content/blog/2026-02-01-second.md",
    "content/blog/2026-03-01-third.md",
    "content/blog/2026-04-01-fourth.md",
    "content/blog/2026-05-01-moved.md",
    "content/courses/basics/01-start.md",
    "content/courses/basics/02-middle.md",
    "content/courses/basics/03-end.md",
    "content/handbook/tools.md",
    "content/handbook/team/onboarding.md",
    "content/handbook/team/leave.md",
    "content/journey/2026-02-10-step.md",
    "content/journey/2026-04-10-leap.md",
    "content/work/acme.md",
    "content/work/globex.md",
];

/// The sections' `_index.md` files.
const SECTION_PATHS: [&str; 7] = [
    "content/_index.md",
    "content/blog/_index.md",
    "content/courses/_index.md",
    "content/courses/basics/_index.md",
    "content/handbook/_index.md",
    "content/journey/_index.md",
    "content/work/_index.md",
];

const MENU: [(&str, &str); 3] = [
    ("Blog", "/blog/"),
    ("Handbook", "/handbook/"),
    ("Elsewhere", "https://example.com/"),
];

fn edit() -> impl Strategy<Value = Edit> {
    let text = |options: Vec<&'static str>| proptest::sample::select(options);
    let maybe = |options: Vec<&'static str>| proptest::option::of(text(options));
    prop_oneof![
        3 => (any::<Index>(), text(BODIES.to_vec())).prop_map(|(i, b)| Edit::Body(i, b)),
        3 => (any::<Index>(), text(BODIES.to_vec())).prop_map(|(i, b)| Edit::AppendToBody(i, b)),
        2 => (any::<Index>(), text(vec!["Renamed", "First post", "Ünï title", "Goals"]))
            .prop_map(|(i, t)| Edit::Title(i, t)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Edit::AddTag(i, t)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Edit::RemoveTag(i, t)),
        1 => (any::<Index>(), maybe(SERIES.to_vec())).prop_map(|(i, s)| Edit::Series(i, s)),
        1 => (any::<Index>(), maybe(DATES.to_vec())).prop_map(|(i, d)| Edit::Date(i, d)),
        1 => (any::<Index>(), maybe(MILESTONES.to_vec())).prop_map(|(i, m)| Edit::Milestone(i, m)),
        1 => (any::<Index>(), text(STATUSES.to_vec())).prop_map(|(i, s)| Edit::MilestoneStatus(i, s)),
        1 => Just(Edit::ToggleMilestone),
        1 => (any::<Index>(), maybe(SECTORS.to_vec())).prop_map(|(i, s)| Edit::Sector(i, s)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, a)| Edit::Alias(i, a)),
        1 => any::<Index>().prop_map(Edit::Misspelt),
        2 => (any::<Index>(), text(BODIES.to_vec())).prop_map(|(i, b)| Edit::AddPage(i, b)),
        1 => any::<Index>().prop_map(Edit::DeletePage),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(i, to)| Edit::RenamePage(i, to)),
        1 => (
            any::<Index>(),
            text(vec!["Home", "News", "Basics", "Ünï"]),
            proptest::option::of(1..4usize),
            text(vec!["", "Welcome.", "See [the first post](blog/2026-01-01-first.md)."]),
        )
            .prop_map(|(i, t, n, b)| Edit::Section(i, t, n, b)),
        1 => (any::<Index>(), maybe(vec!["What it is.", "Ünï words."]))
            .prop_map(|(i, d)| Edit::SectionDescription(i, d)),
        1 => (
            any::<Index>(),
            text(vec!["", "Welcome back.", "See [goals](blog/2026-02-01-second.md#goals) and [the first post](blog/2026-01-01-first.md)."]),
        )
            .prop_map(|(i, b)| Edit::SectionBody(i, b)),
        1 => text(vec!["<!-- v1 -->", "<!-- v2 -->", "", "{% if %}"]).prop_map(Edit::Template),
        1 => maybe(vec!["<!-- mine -->", "<!-- ours -->"]).prop_map(Edit::LessonTemplate),
        1 => maybe(vec!["<q>{{ args.quote }}</q>", "<blockquote>{{ args.quote }} ({{ args.name }})</blockquote>"])
            .prop_map(Edit::ShortcodeTemplate),
        1 => text(vec!["body { color: #222; }\n", "a { color: red; }\n"]).prop_map(Edit::Stylesheet),
        1 => maybe(vec!["one\n", "two\n"]).prop_map(Edit::StaticFile),
        1 => text(vec!["Incremental", "Renamed site", "Ünï site"]).prop_map(Edit::ConfigTitle),
        1 => Just(Edit::ConfigComment),
        1 => any::<Index>().prop_map(Edit::Menu),
        1 => proptest::option::of(1..3usize).prop_map(Edit::PaginateTerms),
        1 => Just(Edit::BrokenLinks),
        1 => Just(Edit::Search),
    ]
}

/// The fixture on disk and the model of its files. Every file written gets its own
/// modification time, well in the past: the session's cache then trusts unchanged files
/// (they are outside its racy window) and sees every edit as a new time, so the test
/// exercises the caches rather than rereading everything.
struct Fixture {
    dir: tempfile::TempDir,
    pages: BTreeMap<&'static str, ModelPage>,
    sections: BTreeMap<&'static str, ModelSection>,
    config: ModelConfig,
    clock: SystemTime,
    /// Files written, removed or renamed since the last build, as `serve`'s watcher reports
    /// them.
    touched: Vec<String>,
}

impl Fixture {
    fn new() -> Self {
        let mut fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
            pages: BTreeMap::new(),
            sections: BTreeMap::new(),
            config: ModelConfig {
                title: "Incremental",
                menu: Vec::new(),
                paginate_terms: None,
                broken_links_warn: true,
                search: false,
                comment: false,
            },
            clock: SystemTime::now() - Duration::from_secs(24 * 3600),
            touched: Vec::new(),
        };
        fixture.write("trailmark.yaml", &fixture.config.text());
        for (path, title, kind, paginate_by, body) in [
            (SECTION_PATHS[0], "Home", None, None, "Welcome."),
            (SECTION_PATHS[1], "Blog", Some("blog"), Some(2), ""),
            (SECTION_PATHS[2], "Courses", None, None, ""),
            (
                SECTION_PATHS[3],
                "Basics",
                Some("course"),
                None,
                "A course.",
            ),
            (SECTION_PATHS[4], "Handbook", Some("handbook"), None, ""),
            (SECTION_PATHS[5], "Journey", Some("journey"), None, ""),
            (SECTION_PATHS[6], "Work", Some("case-studies"), None, ""),
        ] {
            let milestones = if kind == Some("journey") {
                vec![(MILESTONES[0], "done"), (MILESTONES[1], "planned")]
            } else {
                Vec::new()
            };
            let section = ModelSection {
                title,
                description: None,
                kind,
                paginate_by,
                milestones,
                body,
            };
            fixture.write(path, &section.text());
            fixture.sections.insert(path, section);
        }
        fixture.write("static/site.css", "body { color: #111; }\n");
        fixture.write("templates/post.html", POST_TEMPLATE);
        for (path, page) in [
            (
                PAGE_PATHS[0],
                ModelPage::new("First post", &["alpha"], BODIES[2]),
            ),
            (
                PAGE_PATHS[1],
                ModelPage::new("Second post", &["alpha", "beta"], BODIES[1]),
            ),
            (
                PAGE_PATHS[2],
                ModelPage::new("Third post", &["beta"], BODIES[4]),
            ),
            (PAGE_PATHS[5], ModelPage::new("Start", &[], BODIES[0])),
            (PAGE_PATHS[6], ModelPage::new("Middle", &[], BODIES[3])),
            (PAGE_PATHS[8], ModelPage::new("Tools", &[], BODIES[8])),
            (PAGE_PATHS[9], ModelPage::new("Onboarding", &[], BODIES[6])),
            (
                PAGE_PATHS[11],
                ModelPage {
                    milestone: Some(MILESTONES[0]),
                    ..ModelPage::new("Step", &[], BODIES[0])
                },
            ),
            (
                PAGE_PATHS[13],
                ModelPage {
                    sector: Some(SECTORS[0]),
                    aliases: [ALIASES[0]].into_iter().collect(),
                    ..ModelPage::new("Acme", &[], BODIES[0])
                },
            ),
        ] {
            fixture.put(path, page);
        }
        fixture
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes a file with the next modification time.
    fn write(&mut self, relative: &str, text: &str) {
        let path = self.path(relative);
        self.touched.push(relative.to_string());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self.clock += Duration::from_secs(1);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(self.clock)
            .unwrap();
    }

    /// Removes a file, if it is there; whether it was.
    fn remove(&mut self, relative: &str) -> bool {
        if std::fs::remove_file(self.path(relative)).is_err() {
            return false;
        }
        self.touched.push(relative.to_string());
        true
    }

    fn put(&mut self, path: &'static str, page: ModelPage) {
        self.write(path, &page.text());
        self.pages.insert(path, page);
    }

    fn pick(&self, index: Index) -> &'static str {
        let paths: Vec<&'static str> = self.pages.keys().copied().collect();
        paths[index.index(paths.len())]
    }

    /// Changes the picked page with `change` and writes it; `None` when nothing changed.
    fn change_page(
        &mut self,
        index: Index,
        change: impl FnOnce(&mut ModelPage),
    ) -> Option<&'static str> {
        let path = self.pick(index);
        self.change_path(path, change)
    }

    /// Changes the page at `path` with `change` and writes it; `None` when nothing changed.
    fn change_path(
        &mut self,
        path: &'static str,
        change: impl FnOnce(&mut ModelPage),
    ) -> Option<&'static str> {
        let mut page = self.pages[path].clone();
        change(&mut page);
        if page == self.pages[path] {
            return None;
        }
        self.put(path, page);
        Some(path)
    }

    /// The page picked among those under `folder`, if there is one.
    fn pick_in(&self, folder: &str, index: Index) -> Option<&'static str> {
        let paths: Vec<&'static str> = self
            .pages
            .keys()
            .copied()
            .filter(|p| p.starts_with(folder))
            .collect();
        (!paths.is_empty()).then(|| paths[index.index(paths.len())])
    }

    /// Writes the journey's `_index.md` with `change` made to its milestones; `None` when
    /// nothing changed.
    fn change_milestones(
        &mut self,
        change: impl FnOnce(&mut Vec<(&'static str, &'static str)>),
    ) -> Option<()> {
        let path = SECTION_PATHS[5];
        let mut section = self.sections[path].clone();
        change(&mut section.milestones);
        if section == self.sections[path] {
            return None;
        }
        self.write(path, &section.text());
        self.sections.insert(path, section);
        Some(())
    }

    fn write_config(&mut self) {
        let text = self.config.text();
        self.write("trailmark.yaml", &text);
    }

    /// Applies `edit` and says what it did; `None` when it does not apply (no such page,
    /// nothing would change, or the site would have no pages left).
    fn apply(&mut self, edit: &Edit) -> Option<String> {
        match edit {
            Edit::Body(i, body) => {
                let path = self.change_page(*i, |p| p.body = (*body).to_string())?;
                Some(format!("body of {path}"))
            }
            Edit::AppendToBody(i, more) => {
                let path = self.change_page(*i, |p| p.body = format!("{}\n\n{more}", p.body))?;
                Some(format!("appended to {path}"))
            }
            Edit::Title(i, title) => {
                let path = self.change_page(*i, |p| p.title = (*title).to_string())?;
                Some(format!("title of {path}"))
            }
            Edit::AddTag(i, t) | Edit::RemoveTag(i, t) => {
                let tag = TAGS[t.index(TAGS.len())];
                let add = matches!(edit, Edit::AddTag(..));
                let path = self.change_page(*i, |p| {
                    if add {
                        p.tags.insert(tag);
                    } else {
                        p.tags.remove(tag);
                    }
                })?;
                Some(format!("tag {tag} on {path}"))
            }
            Edit::Series(i, series) => {
                let path = self.change_page(*i, |p| p.series = *series)?;
                Some(format!("series {series:?} on {path}"))
            }
            Edit::Date(i, date) => {
                let path = self.change_page(*i, |p| p.date = *date)?;
                Some(format!("date {date:?} on {path}"))
            }
            Edit::Milestone(i, milestone) => {
                // Only a milestone the journey declares (a post naming another is an error).
                let declared = |id: &str| {
                    self.sections[SECTION_PATHS[5]]
                        .milestones
                        .iter()
                        .any(|(m, _)| *m == id)
                };
                if milestone.is_some_and(|m| !declared(m)) {
                    return None;
                }
                let path = self.pick_in(JOURNEY, *i)?;
                let path = self.change_path(path, |p| p.milestone = *milestone)?;
                Some(format!("milestone {milestone:?} on {path}"))
            }
            Edit::MilestoneStatus(i, status) => {
                self.change_milestones(|milestones| {
                    let at = i.index(milestones.len());
                    milestones[at].1 = status;
                })?;
                Some(format!("milestone status {status}"))
            }
            Edit::ToggleMilestone => {
                let finish = MILESTONES[1];
                if self.pages.values().any(|p| p.milestone == Some(finish)) {
                    return None;
                }
                self.change_milestones(|milestones| {
                    if milestones.len() > 1 {
                        milestones.retain(|(id, _)| *id != finish);
                    } else {
                        milestones.push((finish, "planned"));
                    }
                })?;
                Some("milestone finish toggled".to_string())
            }
            Edit::Sector(i, sector) => {
                let path = self.pick_in(WORK, *i)?;
                let path = self.change_path(path, |p| p.sector = *sector)?;
                Some(format!("sector {sector:?} on {path}"))
            }
            Edit::Alias(i, a) => {
                let alias = ALIASES[a.index(ALIASES.len())];
                let path = self.pick(*i);
                // Another page's alias moves here (two pages claiming one is an error).
                let holder = self
                    .pages
                    .iter()
                    .find(|(p, page)| **p != path && page.aliases.contains(alias))
                    .map(|(p, _)| *p);
                if let Some(holder) = holder {
                    self.change_path(holder, |p| {
                        p.aliases.remove(alias);
                    });
                }
                self.change_path(path, |p| {
                    if !p.aliases.remove(alias) {
                        p.aliases.insert(alias);
                    }
                });
                Some(format!("alias {alias} on {path}"))
            }
            Edit::Misspelt(i) => {
                let path = self.change_page(*i, |p| p.misspelt = !p.misspelt)?;
                Some(format!("misspelt key on {path}"))
            }
            Edit::AddPage(i, body) => {
                let path = PAGE_PATHS[i.index(PAGE_PATHS.len())];
                if self.pages.contains_key(path) {
                    return None;
                }
                let title = format!("Page {}", self.pages.len());
                self.put(path, ModelPage::new(&title, &["gamma"], body));
                Some(format!("add {path}"))
            }
            Edit::DeletePage(i) => {
                if self.pages.len() < 2 {
                    return None;
                }
                let path = self.pick(*i);
                self.remove(path);
                self.pages.remove(path);
                Some(format!("delete {path}"))
            }
            Edit::RenamePage(i, to) => {
                let from = self.pick(*i);
                let to = PAGE_PATHS[to.index(PAGE_PATHS.len())];
                // A post on a milestone stays in the journey (elsewhere it is an error).
                if self.pages.contains_key(to)
                    || (self.pages[from].milestone.is_some() && !to.starts_with(JOURNEY))
                {
                    return None;
                }
                // A rename keeps the file's inode and modification time.
                std::fs::create_dir_all(self.path(to).parent().unwrap()).unwrap();
                std::fs::rename(self.path(from), self.path(to)).unwrap();
                self.touched.extend([from.to_string(), to.to_string()]);
                let page = self.pages.remove(from).unwrap();
                self.pages.insert(to, page);
                Some(format!("rename {from} to {to}"))
            }
            Edit::Section(i, title, paginate_by, body) => {
                let paths: Vec<&'static str> = self.sections.keys().copied().collect();
                let path = paths[i.index(paths.len())];
                let mut section = self.sections[path].clone();
                section.title = title;
                section.body = body;
                // Pagination shows on the blog, the only list long enough for it.
                if section.kind == Some("blog") {
                    section.paginate_by = *paginate_by;
                }
                if section == self.sections[path] {
                    return None;
                }
                self.write(path, &section.text());
                self.sections.insert(path, section);
                Some(format!("section {path}"))
            }
            Edit::SectionDescription(i, description) => {
                let paths: Vec<&'static str> = self.sections.keys().copied().collect();
                let path = paths[i.index(paths.len())];
                let mut section = self.sections[path].clone();
                section.description = *description;
                if section == self.sections[path] {
                    return None;
                }
                self.write(path, &section.text());
                self.sections.insert(path, section);
                Some(format!("section description {path}"))
            }
            Edit::SectionBody(i, body) => {
                let paths: Vec<&'static str> = self.sections.keys().copied().collect();
                let path = paths[i.index(paths.len())];
                let mut section = self.sections[path].clone();
                section.body = body;
                if section == self.sections[path] {
                    return None;
                }
                self.write(path, &section.text());
                self.sections.insert(path, section);
                Some(format!("section body {path}"))
            }
            Edit::Template(marker) => {
                let text = POST_TEMPLATE.replacen(
                    "{% block main %}",
                    &format!("{{% block main %}}{marker}"),
                    1,
                );
                self.write("templates/post.html", &text);
                Some(format!("template {marker:?}"))
            }
            Edit::LessonTemplate(marker) => {
                match marker {
                    Some(marker) => {
                        let text = LESSON_TEMPLATE.replacen(
                            "{% block main %}",
                            &format!("{{% block main %}}{marker}"),
                            1,
                        );
                        self.write("templates/lesson.html", &text);
                    }
                    None => {
                        if !self.remove("templates/lesson.html") {
                            return None;
                        }
                    }
                }
                Some(format!("lesson template {marker:?}"))
            }
            Edit::ShortcodeTemplate(text) => {
                let path = "templates/shortcodes/testimonial.html";
                match text {
                    Some(text) => self.write(path, text),
                    None => {
                        if !self.remove(path) {
                            return None;
                        }
                    }
                }
                Some(format!("shortcode template {text:?}"))
            }
            Edit::Stylesheet(text) => {
                self.write("static/site.css", text);
                Some("stylesheet".to_string())
            }
            Edit::StaticFile(text) => {
                match text {
                    Some(text) => self.write("static/notes.txt", text),
                    None => {
                        if !self.remove("static/notes.txt") {
                            return None;
                        }
                    }
                }
                Some(format!("static file {text:?}"))
            }
            Edit::ConfigComment => {
                self.config.comment = !self.config.comment;
                self.write_config();
                Some(format!("config comment {}", self.config.comment))
            }
            Edit::ConfigTitle(title) => {
                if self.config.title == *title {
                    return None;
                }
                self.config.title = title;
                self.write_config();
                Some(format!("site title {title:?}"))
            }
            Edit::Menu(i) => {
                let entry = MENU[i.index(MENU.len())];
                if let Some(at) = self.config.menu.iter().position(|e| *e == entry) {
                    self.config.menu.remove(at);
                } else {
                    self.config.menu.push(entry);
                }
                self.write_config();
                Some(format!("menu entry {}", entry.0))
            }
            Edit::Search => {
                self.config.search = !self.config.search;
                self.write_config();
                Some(format!("search: {}", self.config.search))
            }
            Edit::BrokenLinks => {
                self.config.broken_links_warn = !self.config.broken_links_warn;
                self.write_config();
                Some(format!(
                    "broken links warn: {}",
                    self.config.broken_links_warn
                ))
            }
            Edit::PaginateTerms(n) => {
                if self.config.paginate_terms == *n {
                    return None;
                }
                self.config.paginate_terms = *n;
                self.write_config();
                Some(format!("paginate_terms {n:?}"))
            }
        }
    }

    fn options(&self) -> BuildOptions {
        let mut options = BuildOptions::new(self.dir.path());
        options.write = false;
        options.build_date = Some(parse_date(BUILD_DATE).unwrap());
        options
    }
}

/// Diagnostics as printed (with snippets and help), then the site by output path.
type Built = (Vec<String>, BTreeMap<String, Arc<[u8]>>);

/// Runs `session` and says how many documents it took from its cache. With `changed`, it
/// rebuilds as `serve` does after those files changed (patching the last build after body
/// edits); a patched rebuild counts as reusing every document it did not read.
fn built(session: &mut Session, changed: Option<&[String]>) -> (Built, usize) {
    let (finished, files) = match changed {
        Some(changed) => session.rebuild_in_memory(changed),
        None => session.run_in_memory(),
    };
    let reused = match finished.stats.strategy {
        RebuildStrategy::Patched {
            patch: Patch::BodyEdit,
            ..
        } => finished.pages - finished.stats.docs_parsed,
        _ => finished.stats.docs_reused,
    };
    let diagnostics = finished
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    ((diagnostics, files), reused)
}

/// What differs between two builds, briefly.
fn difference(incremental: &Built, clean: &Built) -> String {
    let mut lines = Vec::new();
    if incremental.0 != clean.0 {
        lines.push(format!(
            "diagnostics: {:?} vs clean {:?}",
            incremental.0, clean.0
        ));
    }
    let paths: BTreeSet<&String> = incremental.1.keys().chain(clean.1.keys()).collect();
    for path in paths {
        match (incremental.1.get(path), clean.1.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(_), Some(_)) => lines.push(format!("{path} differs")),
            (Some(_), None) => lines.push(format!("{path} only in the incremental build")),
            (None, _) => lines.push(format!("{path} only in the clean build")),
        }
    }
    lines.join("\n")
}

proptest! {
    // 200 sequences of up to 7 edits: 138 s in a debug build on this 2-core machine shared
    // by five builds (50 s of CPU). The journey, the case studies and their edits
    // (milestones, sectors, aliases) took it from 37.7 to 40.8 s of CPU (debug, `time -v`).
    #![proptest_config(config(200))]

    /// Each edit is followed by a rebuild, or (one time in four) left for the next, as a
    /// batch of changes `serve` gets at once (a save of several files, a checkout): content,
    /// templates and static files changed together.
    #[test]
    fn incremental_rebuilds_equal_clean_builds(
        edits in proptest::collection::vec((edit(), proptest::bool::weighted(0.75)), 1..8)
    ) {
        let mut fixture = Fixture::new();
        let mut session = Session::incremental(fixture.options());
        let (first, _) = built(&mut session, None);
        fixture.touched.clear();
        prop_assert!(first.0.is_empty(), "the fixture builds cleanly: {:?}", first.0);
        let mut done = Vec::new();
        let mut config_changed = false;
        let last = edits.len() - 1;
        for (n, (edit, rebuild)) in edits.iter().enumerate() {
            if let Some(what) = fixture.apply(edit) {
                done.push(what);
                config_changed |= edit.changes_config();
            }
            if fixture.touched.is_empty() || !(*rebuild || n == last) {
                continue;
            }
            let changed = std::mem::take(&mut fixture.touched);
            let (incremental, reused) = built(&mut session, Some(&changed));
            // An edit touches one or two files: the rest must come from the cache, or this
            // test compares two clean builds. (A new config clears every cache.)
            prop_assert!(reused > 0 || config_changed, "nothing reused after {done:?}");
            config_changed = false;
            let (clean, _) = built(&mut Session::new(fixture.options()), None);
            prop_assert!(incremental == clean, "after {done:?}:\n{}",
                difference(&incremental, &clean));
        }
    }
}

// Regressions: bugs the properties above found, each kept as a plain test.

fn render_page(body: &str) -> trailmark::markdown::Rendered {
    let input = RenderInput {
        body,
        file: "content/p.md",
        first_line: 4,
        strip_title_heading: false,
        lift_lesson_blocks: false,
    };
    render(&input, &MarkdownOptions::default(), &KeepLinks)
}

#[test]
fn dotted_capital_i_slugifies_the_same_twice() {
    // `İ` lowercases to `i` plus a combining dot, which a second pass dropped.
    assert_eq!(slugify("İstanbul"), "istanbul");
    assert_eq!(slugify(&slugify("İ")), slugify("İ"));
}

#[test]
fn a_footnote_defined_twice_gets_a_second_id_and_a_warning() {
    let rendered = render_page("Text[^1].\n\n[^1]: First.\n[^1]: Second.\n");
    assert_eq!(ids_in(&rendered.html), ["1", "1-1"]);
    assert_contains(&rendered.html, "<a href=\"#1\">1</a>");
    let warnings: Vec<String> = rendered
        .diagnostics
        .iter()
        .map(trailmark::diagnostics::Diagnostic::headline)
        .collect();
    assert_eq!(
        warnings,
        [
            "content/p.md:7:1: warning: footnote `[^1]` is defined twice; references go to the \
          first definition, this one gets the id `1-1` [TM0407]"
        ]
    );
}

#[test]
fn headings_give_way_to_footnotes_raw_html_and_quizzes_later_in_the_page() {
    let rendered = render_page(
        "## Note\n\n## Box\n\n## Quiz 1 q1\n\nText[^note].\n\n<div id=\"box\"></div>\n\n\
         ```quiz\n- question: Which?\n  choices:\n    - text: This\n      correct: true\n    \
         - text: That\n```\n\n[^note]: The note.\n",
    );
    let ids = ids_in(&rendered.html);
    assert!(duplicates(ids.iter().copied()).is_empty(), "{ids:?}");
    assert_eq!(&ids[..3], ["note-1", "box-1", "quiz-1-q1"]);
    assert_contains(&rendered.html, "id=\"quiz-1-1\"");
    assert_contains(&rendered.html, "<a href=\"#note\">1</a>");
    assert_contains(
        &rendered.html,
        "<div class=\"footnote-definition\" id=\"note\">",
    );
}

#[test]
fn a_footnote_named_like_a_theme_id_moves_with_its_references() {
    let rendered = render_page("Text[^main].\n\n[^main]: The note.\n");
    assert_contains(&rendered.html, "<a href=\"#main-1\">1</a>");
    assert_contains(&rendered.html, "id=\"main-1\"");
}

/// Every literal `id="..."` in the default theme's templates.
fn theme_ids() -> BTreeSet<String> {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut ids = BTreeSet::new();
    for entry in walkdir::WalkDir::new(templates) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for id in ids_in(&text) {
                if !id.is_empty() && !id.contains(['{', '.']) {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

#[test]
fn headings_never_take_an_id_the_theme_uses() {
    let theme = theme_ids();
    assert!(
        theme.contains("main") && theme.contains("toc-title"),
        "{theme:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("trailmark.yaml"),
        "title: T\nbase_url: https://example.org\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("content")).unwrap();
    let mut text = String::from("---\ntitle: Page\n---\n");
    for id in &theme {
        write!(text, "## {}\n\nText.\n\n", id.replace('-', " ")).unwrap();
    }
    std::fs::write(root.join("content/page.md"), text).unwrap();
    run_binary(&["build", "--build-date", BUILD_DATE], root).assert_ok();
    let html = std::fs::read_to_string(root.join("public/page/index.html")).unwrap();
    assert!(duplicates(ids_in(&html)).is_empty(), "{html}");
    for heading in html.split("<h2 id=\"").skip(1) {
        let id = &heading[..heading.find('"').unwrap()];
        assert!(!theme.contains(id), "a heading took the theme's id `{id}`");
    }
}

#[test]
fn yaml_errors_after_a_unicode_line_separator_point_at_the_file_line() {
    // YAML breaks lines at U+2028 (and U+0085, U+2029); the file does not, so errors were
    // reported on lines past the end of the file.
    let text = "---\ntitle: T\u{2028}tags: [\n---\nBody.\n";
    let error = parse(&split(text).unwrap()).unwrap_err();
    // The list is never closed: the error is at its `[` (line 2, column 16), not where
    // the YAML ends, and not on a line past the end.
    assert_eq!((error.line, error.column), (2, 16), "{error:?}");
    let rendered = render_page("```quiz\n- question: Q\u{2028}  choices: [\n```\n");
    let lines: Vec<usize> = rendered.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [5], "{:?}", rendered.diagnostics);
}

#[test]
fn a_front_matter_edit_keeps_misspelt_keys_reported_once_for_the_site() {
    let mut fixture = Fixture::new();
    let mut session = Session::incremental(fixture.options());
    built(&mut session, None);
    for path in [PAGE_PATHS[0], PAGE_PATHS[1]] {
        fixture.change_path(path, |p| p.misspelt = true);
    }
    fixture.touched.clear();
    built(&mut session, None);
    fixture.change_path(PAGE_PATHS[0], |p| p.title = "Renamed".to_string());
    let changed = std::mem::take(&mut fixture.touched);
    let (incremental, _) = built(&mut session, Some(&changed));
    let (clean, _) = built(&mut Session::new(fixture.options()), None);
    assert!(incremental == clean, "{}", difference(&incremental, &clean));
}

#[test]
fn a_body_edit_reports_other_tools_template_syntax_it_adds() {
    let mut fixture = Fixture::new();
    let mut session = Session::incremental(fixture.options());
    built(&mut session, None);
    fixture.touched.clear();
    fixture.change_path(PAGE_PATHS[0], |p| p.body.push_str("\n\n{{ page.title }}"));
    let changed = std::mem::take(&mut fixture.touched);
    let (incremental, _) = built(&mut session, Some(&changed));
    let (clean, _) = built(&mut Session::new(fixture.options()), None);
    assert!(incremental == clean, "{}", difference(&incremental, &clean));
    assert_eq!(clean.0.len(), 1, "{:?}", clean.0);
}

#[test]
fn a_page_added_before_others_leaves_the_outputs_that_do_not_show_it() {
    let mut fixture = Fixture::new();
    let mut session = Session::incremental(fixture.options());
    built(&mut session, None);
    // First in the walk: every other page moves one place on.
    fixture.put(
        "content/blog/2025-12-01-early.md",
        ModelPage::new("Early", &[], "Text."),
    );
    let (finished, _) = session.run_in_memory();
    let rendered: Vec<&str> = finished
        .stats
        .jobs_rendered
        .iter()
        .map(|(path, _)| path.as_str())
        .collect();
    // Their views show cards and trees of pages that moved, and nothing that changed.
    for unaffected in [
        "courses/basics/index.html",
        "handbook/index.html",
        "tags/alpha/index.html",
    ] {
        assert!(
            !rendered.contains(&unaffected),
            "{unaffected} rendered again: {rendered:?}"
        );
    }
}

#[test]
fn renaming_a_page_updates_the_cards_of_pages_that_link_to_it() {
    // The first post links to the lesson; once the lesson is renamed the link is broken
    // (a warning here) and the post's card, whose summary shows the link, changes in every
    // list.
    let mut fixture = Fixture::new();
    let mut session = Session::incremental(fixture.options());
    built(&mut session, None);
    fixture.touched.clear();
    let (from, to) = (PAGE_PATHS[5], PAGE_PATHS[3]);
    std::fs::rename(fixture.path(from), fixture.path(to)).unwrap();
    let changed = [from.to_string(), to.to_string()];
    let (incremental, _) = built(&mut session, Some(&changed));
    let (clean, _) = built(&mut Session::new(fixture.options()), None);
    assert!(incremental == clean, "{}", difference(&incremental, &clean));
}

#[test]
fn a_post_added_checks_only_the_outputs_that_list_it_or_neighbour_it() {
    let mut fixture = Fixture::new();
    let mut session = Session::incremental(fixture.options());
    built(&mut session, None);
    fixture.touched.clear();
    // The oldest post: last in the blog, after the third post.
    fixture.put(
        "content/blog/2025-12-01-early.md",
        ModelPage::new("Early", &[], "Text."),
    );
    let changed = std::mem::take(&mut fixture.touched);
    let (finished, _) = session.rebuild_in_memory(&changed);
    assert!(
        matches!(
            finished.stats.strategy,
            RebuildStrategy::Patched {
                patch: Patch::PagesAddedOrRemoved,
                ..
            }
        ),
        "{}",
        finished.stats.strategy
    );
    let checked: Vec<&str> = finished
        .stats
        .jobs_checked
        .iter()
        .map(String::as_str)
        .collect();
    // The new page, its neighbour, the blog's lists, feeds and the site-wide lists.
    for listed in [
        "blog/early/index.html",
        "blog/first/index.html",
        "blog/index.html",
        "blog/atom.xml",
        "atom.xml",
        "sitemap.xml",
    ] {
        assert!(
            checked.contains(&listed),
            "{listed} not checked: {checked:?}"
        );
    }
    // Nothing that neither lists nor neighbours it: other posts (but the one that links to
    // its neighbour), lessons, the handbook, the terms it is not in, the course's pages.
    for unaffected in [
        "blog/third/index.html",
        "courses/basics/01-start/index.html",
        "courses/basics/index.html",
        "handbook/index.html",
        "handbook/tools/index.html",
        "tags/alpha/index.html",
        "robots.txt",
        "404.html",
    ] {
        assert!(
            !checked.contains(&unaffected),
            "{unaffected} checked: {checked:?}"
        );
    }
}

/// Every section's own file stays its section's page however many sections sit side by
/// side (the graph finds each index among the sorted documents): none becomes a page of
/// its own.
#[test]
fn every_section_index_stays_its_sections_page() {
    let site = crate::harness::Site::new();
    site.write("trailmark.yaml", "title: Many sections\nsearch: false\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    for course in 0..6 {
        site.write(
            &format!("content/course-{course}/_index.md"),
            "---\ntitle: A course\nkind: course\n---\n",
        );
        for module in 1..=5 {
            let folder = format!("content/course-{course}/0{module}-module-{module}");
            site.write(
                &format!("{folder}/_index.md"),
                "---\ntitle: A module\n---\n",
            );
            for lesson in 1..=4 {
                site.write(
                    &format!("{folder}/0{lesson}-lesson-{lesson}.md"),
                    "# A lesson\n\nText.\n",
                );
            }
        }
    }
    let run = site.build();
    run.assert_ok();
    crate::harness::assert_contains(&run.stdout, "Built 120 pages and 37 sections");
    assert!(
        !site
            .outputs()
            .iter()
            .any(|o| o.ends_with("/index/index.html")),
        "a section index became a page: {:?}",
        site.outputs()
            .iter()
            .filter(|o| o.ends_with("/index/index.html"))
            .collect::<Vec<_>>()
    );
}
