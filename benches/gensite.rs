//! Generates a large, deterministic site for benchmarks, as a Trailmark site and, on request,
//! the same pages as a Hugo site with equivalent minimal templates.
//!
//! `cargo bench --bench gensite -- --pages 10000 --out /tmp/site [--hugo /tmp/hugo-site]`
//!
//! The mix follows Trailmark's users: about 40% blog posts, 45% lessons in courses of 8 to 20
//! lessons across modules, 15% case studies, plus a small handbook. Every page has 600 to
//! 1,200 words with headings, lists, a table, emphasis, links to other pages (which resolve,
//! anchors included) and one or two fenced code blocks in common languages.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// `SplitMix64`: tiny, fast and the same on every machine, so sites are byte-identical.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "audience",
    "campaign",
    "strategy",
    "content",
    "channel",
    "community",
    "engagement",
    "measure",
    "report",
    "goal",
    "training",
    "manager",
    "message",
    "reply",
    "schedule",
    "calendar",
    "brand",
    "voice",
    "customer",
    "question",
    "insight",
    "review",
    "budget",
    "team",
    "network",
    "ambassador",
    "story",
    "video",
    "image",
    "caption",
    "response",
    "policy",
    "crisis",
    "plan",
    "week",
    "month",
    "quarter",
    "result",
    "trend",
    "post",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "that",
    "is",
    "we",
    "our",
    "clear",
    "simple",
    "useful",
    "weekly",
    "public",
    "local",
    "small",
    "honest",
    "steady",
    "write",
    "share",
    "listen",
    "answer",
    "test",
    "learn",
    "compare",
    "choose",
    "track",
];
const TAGS: &[&str] = &[
    "strategy",
    "measurement",
    "community",
    "training",
    "customer care",
    "campaigns",
    "social media manager",
    "content",
    "video",
    "reporting",
    "accessibility",
    "tools",
];
const SECTORS: &[&str] = &[
    "Energy",
    "Retail",
    "Education",
    "Health",
    "Public sector",
    "Charity",
];

const CODE: &[(&str, &str)] = &[
    (
        "rust",
        "fn score(replies: u32, posts: u32) -> f64 {\n    if posts == 0 { return 0.0; }\n    f64::from(replies) / f64::from(posts)\n}\n",
    ),
    (
        "python",
        "def score(replies, posts):\n    \"\"\"Replies per post, the number that shows conversation.\"\"\"\n    return replies / posts if posts else 0.0\n\nprint(score(42, 12))\n",
    ),
    (
        "javascript",
        "const score = (replies, posts) => posts ? replies / posts : 0;\ndocument.querySelectorAll('.post').forEach((el) => {\n  el.dataset.score = score(+el.dataset.replies, 1);\n});\n",
    ),
    (
        "yaml",
        "calendar:\n  - week: 1\n    theme: \"behind the scenes\"\n    channels: [news, video]\n  - week: 2\n    theme: \"customer questions\"\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor month in jan feb mar; do\n  echo \"exporting $month\"\n  ./export --month \"$month\" > \"report-$month.csv\"\ndone\n",
    ),
    (
        "html",
        "<section class=\"campaign\">\n  <h2>Spring open day</h2>\n  <a href=\"/book?utm_source=social&amp;utm_medium=post\">Book a place</a>\n</section>\n",
    ),
    (
        "css",
        ".campaign {\n  display: grid;\n  gap: 1rem;\n  color: var(--accent, #0a6);\n}\n",
    ),
    (
        "json",
        "{\n  \"channel\": \"news\",\n  \"posts\": 12,\n  \"replies\": 42,\n  \"clicks\": 310\n}\n",
    ),
];

/// One generated page: where it lives and what it links to.
struct PageSpec {
    /// Content-relative path of the Markdown file.
    doc_id: String,
    /// Its URL path in both generators.
    url: String,
    title: String,
    /// Slug of the first `##` heading, a valid anchor target for links.
    first_anchor: String,
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let word = *rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(c) = chars.next() {
                s.extend(c.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            match rng.below(20) {
                0 => write!(s, "*{word}*").unwrap(),
                1 => write!(s, "**{word}**").unwrap(),
                2 => write!(s, "`{word}`").unwrap(),
                _ => s.push_str(word),
            }
        }
    }
    s.push('.');
    s
}

fn heading(rng: &mut Rng, n: usize) -> String {
    let a = *rng.pick(WORDS);
    let b = *rng.pick(WORDS);
    format!("Part {n}: {a} {b}")
}

fn anchor_of(heading: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in heading.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// A body of 600 to 1,200 words. `link` renders a link to another page for the target
/// generator: Trailmark gets relative `.md` paths, Hugo plain URLs.
fn body(
    rng: &mut Rng,
    own: &PageSpec,
    others: &[&PageSpec],
    link: &dyn Fn(&PageSpec, &PageSpec, bool) -> String,
) -> String {
    let target_words = rng.range(600, 1200);
    let mut out = String::new();
    let mut words = 0;
    let mut part = 1;
    let mut first_heading_done = false;
    let code_blocks = rng.range(1, 2);
    let mut code_written = 0;
    while words < target_words {
        let h = if first_heading_done {
            heading(rng, part)
        } else {
            own.first_anchor_heading()
        };
        first_heading_done = true;
        writeln!(out, "## {h}\n").unwrap();
        part += 1;
        for _ in 0..rng.range(2, 3) {
            let mut paragraph = String::new();
            for _ in 0..rng.range(3, 5) {
                let n = rng.range(8, 16);
                words += n;
                paragraph.push_str(&sentence(rng, n));
                paragraph.push(' ');
            }
            if !others.is_empty() && rng.below(2) == 0 {
                let target = others[rng.below(others.len())];
                let with_anchor = rng.below(2) == 0;
                write!(paragraph, "See {}.", link(own, target, with_anchor)).unwrap();
            }
            writeln!(out, "{}\n", paragraph.trim_end()).unwrap();
        }
        match rng.below(4) {
            0 => {
                for _ in 0..rng.range(3, 5) {
                    let n = rng.range(4, 9);
                    words += n;
                    writeln!(out, "- {}", sentence(rng, n)).unwrap();
                }
                out.push('\n');
            }
            1 => {
                out.push_str("| Measure | Before | After |\n|---|---:|---:|\n");
                for _ in 0..3 {
                    writeln!(
                        out,
                        "| {} | {} | {} |",
                        rng.pick(WORDS),
                        rng.range(1, 500),
                        rng.range(1, 500)
                    )
                    .unwrap();
                    words += 3;
                }
                out.push('\n');
            }
            _ => {}
        }
        if code_written < code_blocks && (rng.below(2) == 0 || words >= target_words) {
            let (lang, code) = *rng.pick(CODE);
            writeln!(out, "```{lang}\n{code}```\n").unwrap();
            code_written += 1;
        }
    }
    while code_written < code_blocks {
        let (lang, code) = *rng.pick(CODE);
        writeln!(out, "```{lang}\n{code}```\n").unwrap();
        code_written += 1;
    }
    out
}

impl PageSpec {
    fn first_anchor_heading(&self) -> String {
        // The first heading's text is derived from the title so its anchor is known up front.
        format!("About {}", self.title)
    }
}

pub(crate) struct Args {
    pub(crate) pages: usize,
    pub(crate) out: PathBuf,
    pub(crate) hugo: Option<PathBuf>,
    pub(crate) seed: u64,
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: 1000,
        out: PathBuf::from("bench-site"),
        hugo: None,
        seed: 7,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--pages" => args.pages = it.next().and_then(|v| v.parse().ok()).expect("--pages N"),
            "--out" => args.out = it.next().map(PathBuf::from).expect("--out DIR"),
            "--hugo" => args.hugo = it.next().map(PathBuf::from),
            "--seed" => args.seed = it.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            // `cargo bench` passes this to every bench target.
            "--bench" => {}
            other => {
                panic!("unknown argument {other}; use --pages N --out DIR [--hugo DIR] [--seed N]")
            }
        }
    }
    args
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, text).unwrap();
}

#[derive(Clone, Copy)]
enum Kind {
    Post,
    Lesson,
    CaseStudy,
    Doc,
}

/// A planned page: its spec, kind and tags.
type Planned = (PageSpec, Kind, Vec<String>);

/// Lays out N pages: which file each is and where it links.
fn plan(pages: usize, rng: &mut Rng) -> (Vec<Planned>, Vec<String>) {
    let handbook = (pages / 100).clamp(5, 200);
    let rest = pages.saturating_sub(handbook);
    let posts = rest * 40 / 100;
    let lessons = rest * 45 / 100;
    let cases = rest - posts - lessons;
    let mut specs = Vec::with_capacity(pages);
    let mut sections = vec![
        "blog".to_string(),
        "courses".to_string(),
        "case-studies".to_string(),
        "handbook".to_string(),
    ];
    for i in 0..posts {
        let (year, month, day) = (2018 + i % 8, 1 + (i / 8) % 12, 1 + (i / 96) % 28);
        let title = format!("Post {i}: {} and {}", rng.pick(WORDS), rng.pick(WORDS));
        let slug = format!("post-{i}");
        let mut tags: Vec<String> = (0..rng.range(1, 3))
            .map(|_| (*rng.pick(TAGS)).to_string())
            .collect();
        tags.dedup();
        specs.push((
            PageSpec {
                doc_id: format!("blog/{year:04}-{month:02}-{day:02}-{slug}.md"),
                url: format!("/blog/{slug}/"),
                first_anchor: anchor_of(&format!("About {title}")),
                title,
            },
            Kind::Post,
            tags,
        ));
    }
    let mut lesson = 0;
    let mut course = 0;
    while lesson < lessons {
        let size = rng.range(8, 20).min(lessons - lesson);
        let modules = rng.range(2, 4).min(size);
        sections.push(format!("courses/course-{course}"));
        for m in 0..modules {
            sections.push(format!("courses/course-{course}/{:02}-module-{m}", m + 1));
        }
        for l in 0..size {
            let m = l * modules / size;
            let title = format!("Lesson {l} of course {course}: {}", rng.pick(WORDS));
            specs.push((
                PageSpec {
                    doc_id: format!(
                        "courses/course-{course}/{:02}-module-{m}/{:02}-lesson-{l}.md",
                        m + 1,
                        l + 1
                    ),
                    url: format!("/courses/course-{course}/module-{m}/lesson-{l}/"),
                    first_anchor: anchor_of(&format!("About {title}")),
                    title,
                },
                Kind::Lesson,
                vec![],
            ));
        }
        lesson += size;
        course += 1;
    }
    for i in 0..cases {
        let title = format!("Case study {i}: {} {}", rng.pick(WORDS), rng.pick(WORDS));
        specs.push((
            PageSpec {
                doc_id: format!("case-studies/client-{i}.md"),
                url: format!("/case-studies/client-{i}/"),
                first_anchor: anchor_of(&format!("About {title}")),
                title,
            },
            Kind::CaseStudy,
            vec![(*rng.pick(TAGS)).to_string()],
        ));
    }
    for i in 0..handbook {
        let folder = i / 10;
        if i % 10 == 0 {
            sections.push(format!("handbook/area-{folder}"));
        }
        let title = format!("Handbook page {i}");
        specs.push((
            PageSpec {
                doc_id: format!("handbook/area-{folder}/page-{i}.md"),
                url: format!("/handbook/area-{folder}/page-{i}/"),
                first_anchor: anchor_of(&format!("About {title}")),
                title,
            },
            Kind::Doc,
            vec![],
        ));
    }
    (specs, sections)
}

fn relative(from_doc: &str, to_doc: &str) -> String {
    let from: Vec<&str> = from_doc.split('/').collect();
    let to: Vec<&str> = to_doc.split('/').collect();
    let common = from[..from.len() - 1]
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count();
    let ups = from.len() - 1 - common;
    let mut parts: Vec<&str> = vec![".."; ups];
    parts.extend(&to[common..]);
    parts.join("/")
}

fn section_front_matter(section: &str) -> (String, &'static str) {
    let name = section.rsplit('/').next().unwrap_or(section);
    let title = name.replace('-', " ");
    let kind = match section {
        "blog" => "blog",
        "case-studies" => "case-studies",
        "handbook" => "handbook",
        s if s.starts_with("courses/") && s.matches('/').count() == 1 => "course",
        s if s.starts_with("courses/") => "module",
        _ => "section",
    };
    (title, kind)
}

fn main() {
    generate(&parse_args());
}

/// Writes the site `args` asks for (also used by the search quality test, which includes
/// this file as a module).
pub(crate) fn generate(args: &Args) {
    let mut rng = Rng(args.seed);
    let (specs, sections) = plan(args.pages, &mut rng);
    let trailmark = &args.out;
    let _ = fs::remove_dir_all(trailmark);
    write(
        &trailmark.join("trailmark.yaml"),
        "title: Benchmark site\nbase_url: https://bench.example.org\ntaxonomies: [tags]\n",
    );
    write(
        &trailmark.join("content/_index.md"),
        "---\ntitle: Benchmark site\n---\nA generated site.\n",
    );
    for section in &sections {
        let (title, kind) = section_front_matter(section);
        let paginate = if kind == "blog" {
            "paginate_by: 20\n"
        } else {
            ""
        };
        write(
            &trailmark.join(format!("content/{section}/_index.md")),
            &format!("---\ntitle: \"{title}\"\nkind: {kind}\n{paginate}---\n"),
        );
    }
    let hugo = args.hugo.as_ref();
    if let Some(h) = hugo {
        let _ = fs::remove_dir_all(h);
        write(
            &h.join("hugo.toml"),
            "baseURL = 'https://bench.example.org/'\ntitle = 'Benchmark site'\n[taxonomies]\n  tag = 'tags'\n[pagination]\n  pagerSize = 20\n[markup.highlight]\n  noClasses = false\n",
        );
        write(
            &h.join("layouts/_default/baseof.html"),
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} · {{ .Site.Title }}</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><header><a href=\"/\">{{ .Site.Title }}</a></header><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
        );
        write(
            &h.join("layouts/_default/single.html"),
            "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2 January 2006\" }} · {{ .ReadingTime }} min read</p>{{ .TableOfContents }}{{ .Content }}<ul>{{ range .Params.tags }}<li><a href=\"{{ \"/tags/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a></li>{{ end }}</ul>{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</article>{{ end }}\n",
        );
        write(
            &h.join("layouts/_default/list.html"),
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ template \"_internal/pagination.html\" . }}{{ end }}\n",
        );
        write(
            &h.join("content/_index.md"),
            "---\ntitle: Benchmark site\n---\nA generated site.\n",
        );
        for section in &sections {
            let (title, _) = section_front_matter(section);
            let hugo_section = hugo_path(section);
            write(
                &h.join(format!("content/{hugo_section}/_index.md")),
                &format!("---\ntitle: \"{title}\"\n---\n"),
            );
        }
    }
    let refs: Vec<&PageSpec> = specs.iter().map(|(s, _, _)| s).collect();
    for (index, (spec, kind, tags)) in specs.iter().enumerate() {
        // Link to a handful of pages near this one and a few far away, deterministically.
        let mut others = Vec::new();
        for step in [1usize, 7, 131, 1009] {
            others.push(refs[(index + step) % refs.len()]);
        }
        let seed = rng.next();
        let mut page_rng = Rng(seed);
        let trailmark_link = |own: &PageSpec, target: &PageSpec, anchor: bool| {
            let path = relative(&own.doc_id, &target.doc_id);
            if anchor {
                format!("[{}]({path}#{})", target.title, target.first_anchor)
            } else {
                format!("[{}]({path})", target.title)
            }
        };
        let text = body(&mut page_rng, spec, &others, &trailmark_link);
        let tag_line = if tags.is_empty() {
            String::new()
        } else {
            format!(
                "tags: [{}]\n",
                tags.iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let extra = match kind {
            Kind::Lesson => format!(
                "duration: {}m\nobjectives: [\"Understand the {} idea\"]\n",
                10 + index % 50,
                WORDS[index % WORDS.len()]
            ),
            Kind::CaseStudy => format!(
                "client: \"Client {index}\"\nsector: \"{}\"\noutcome: \"Replies up {}%\"\n",
                SECTORS[index % SECTORS.len()],
                index % 90
            ),
            Kind::Doc => format!("owner: \"Team {}\"\n", index % 7),
            Kind::Post => String::new(),
        };
        let front = format!(
            "---\ntitle: \"{}\"\ndescription: \"A generated page number {index}.\"\n{tag_line}{extra}---\n\n",
            spec.title
        );
        write(
            &trailmark.join("content").join(&spec.doc_id),
            &format!("{front}{text}"),
        );
        if let Some(h) = hugo {
            let mut hugo_rng = Rng(seed);
            let hugo_link = |_: &PageSpec, target: &PageSpec, anchor: bool| {
                if anchor {
                    format!("[{}]({}#{})", target.title, target.url, target.first_anchor)
                } else {
                    format!("[{}]({})", target.title, target.url)
                }
            };
            let hugo_text = body(&mut hugo_rng, spec, &others, &hugo_link);
            let date = spec
                .doc_id
                .rsplit('/')
                .next()
                .filter(|n| n.len() > 10 && n.as_bytes()[4] == b'-')
                .map(|n| format!("date: {}\n", &n[..10]))
                .unwrap_or_default();
            let hugo_front = format!(
                "---\ntitle: \"{}\"\ndescription: \"A generated page number {index}.\"\nslug: \"{}\"\n{date}{tag_line}---\n\n",
                spec.title,
                spec.url
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
            );
            write(
                &h.join("content").join(hugo_path(&spec.doc_id)),
                &format!("{hugo_front}{hugo_text}"),
            );
        }
    }
    eprintln!(
        "wrote {} pages to {}{}",
        specs.len(),
        trailmark.display(),
        hugo.map(|h| format!(" and {}", h.display()))
            .unwrap_or_default()
    );
}

/// Hugo keeps number prefixes in paths; strip them so URLs match Trailmark's.
fn hugo_path(doc_id: &str) -> String {
    doc_id
        .split('/')
        .map(|segment| {
            let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 2 && segment.as_bytes().get(2) == Some(&b'-') {
                &segment[3..]
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}
