//! The Carpentries Workbench (`sandpaper`): a lesson becomes a course at the top of the site.
//!
//! `config.yaml` gives the title, the address, the language and the order of `episodes/`
//! (else their file names do), which become the course's lessons with weights; their
//! `teaching`/`exercises` minutes and `:::` blocks are Trailmark's own. `learners/` and
//! `profiles/` pages join the course as modules after the episodes; `instructors/` pages go
//! into `::: instructor` blocks of the course page, so they appear in the instructor view
//! only. Figures and data (`episodes/fig/`, `episodes/data/`, `episodes/files/`) move to
//! the top of `content/` as `sandpaper` publishes them (`/fig/x.png`), and links are
//! rewritten to match. Old URLs (`/01-basics.html`, `/instructor/01-basics.html`,
//! `/reference.html`, `/instructor/instructor-notes.html`) become aliases.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{ImportError, Out, extension, join, links, parent, split_page, stem, str_field};
use crate::content::slugify;

/// The folders of a Workbench lesson that hold pages, in the order of the course.
const PAGE_FOLDERS: &[(&str, &str)] = &[
    ("learners", "Learner resources"),
    ("profiles", "Learner profiles"),
];

/// A page to write: source file, place under content/, weight, old URLs.
struct Planned {
    source: String,
    dest: String,
    weight: usize,
    old_urls: Vec<String>,
}

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    if !out.exists("config.yaml") && out.exists("_episodes") && out.exists("_config.yml") {
        return super::carpentries_styles::import(out);
    }
    let Some(config_text) = out.read_text("config.yaml")? else {
        return Err(ImportError::NotASite {
            src: out.src.clone(),
            tool: "Carpentries Workbench",
            missing: "config.yaml".into(),
        });
    };
    let config = super::parse_config("config.yaml", &config_text)?;
    write_config(out, "config.yaml", &config);
    // The top of the site is its home page, so the course is a folder of its own.
    let course_dir = match slugify(str_field(&config, "title").unwrap_or("lesson")) {
        slug if slug.is_empty() => "lesson".to_string(),
        slug => slug,
    };

    let mut planned = Vec::new();
    for (i, source) in ordered(out, &config, "episodes").into_iter().enumerate() {
        let name = super::file_name(&source).to_string();
        let dest_name = if extension(&name) == "rmd" {
            format!("{}.md", stem(&name))
        } else {
            name.clone()
        };
        let old = stem(&name).to_string();
        planned.push(Planned {
            source,
            dest: join(&course_dir, &dest_name),
            weight: i + 1,
            old_urls: vec![format!("/{old}.html"), format!("/instructor/{old}.html")],
        });
    }
    let episodes = planned.len();
    let mut modules = Vec::new();
    for (m, (folder, title)) in PAGE_FOLDERS.iter().enumerate() {
        let pages = ordered(out, &config, folder);
        if pages.is_empty() {
            continue;
        }
        modules.push((folder.to_string(), title.to_string(), episodes + m + 1));
        for (i, source) in pages.into_iter().enumerate() {
            let old = stem(&source).to_string();
            planned.push(Planned {
                dest: join(&course_dir, &join(folder, &format!("{}.md", stem(&source)))),
                source,
                weight: i + 1,
                old_urls: vec![format!("/{old}.html"), format!("/instructor/{old}.html")],
            });
        }
    }
    // Two sources never share one file (`x.md` and `x.Rmd`).
    let pairs: Vec<(String, String)> = planned
        .iter()
        .map(|p| (p.source.clone(), p.dest.clone()))
        .collect();
    for (p, dest) in planned.iter_mut().zip(super::distinct_dests(out, &pairs)) {
        p.dest = dest;
    }
    let instructor_pages = ordered(out, &config, "instructors");

    // Where each source file goes, for links: pages, then every other file of the folders.
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    for p in &planned {
        moved.insert(p.source.clone(), p.dest.clone());
    }
    let course_index = join(&course_dir, "_index.md");
    moved.insert("index.md".into(), course_index.clone());
    for page in &instructor_pages {
        moved.insert(page.clone(), course_index.clone());
    }
    for folder in ["episodes", "learners", "instructors", "profiles"] {
        for file in files_under(out, folder) {
            let ext = extension(&file);
            if ext == "md" || ext == "rmd" {
                continue;
            }
            let rest = file[folder.len() + 1..].to_string();
            let dest = if folder == "episodes" {
                rest
            } else {
                join(folder, &rest)
            };
            // Beside the lessons for their links, and in static/ at its old URL.
            out.copy(&file, &format!("content/{}", join(&course_dir, &dest)))?;
            out.copy(&file, &format!("static/{dest}"))?;
            out.report
                .converted("figure or data file copied beside the lessons and to its old URL");
            moved.insert(file, join(&course_dir, &dest));
        }
    }
    let link_defs = out.read_text("links.md")?.unwrap_or_default();
    // Where the Workbench published each page and file (`02-numpy.html`, `fig/x.png`,
    // `instructor/notes.html`), to the new file, for links written as those URLs.
    let mut published: BTreeMap<String, String> = BTreeMap::new();
    for p in &planned {
        for old in &p.old_urls {
            published.insert(old.trim_start_matches('/').to_string(), p.dest.clone());
        }
    }
    for page in &instructor_pages {
        published.insert(
            format!("instructor/{}.html", stem(page)),
            course_index.clone(),
        );
    }
    published.insert("index.html".into(), course_index.clone());
    for (file, new) in &moved {
        if let Some(rest) = file.strip_prefix("episodes/")
            && !matches!(extension(file).as_str(), "md" | "rmd")
        {
            published.insert(rest.to_string(), new.clone());
        }
    }

    // The course page: index.md, then the instructor pages in instructor-only blocks.
    let mut course = Map::new();
    course.insert(
        "title".into(),
        json!(str_field(&config, "title").unwrap_or("Lesson")),
    );
    course.insert("kind".into(), json!("course"));
    let mut course_body = String::new();
    if let Some(text) = out.read_text("index.md")? {
        let (front, body, _) = split_page(out, "index.md", &text);
        for key in front.fields.keys() {
            out.report
                .dropped(key, "sandpaper's own setting", "index.md");
        }
        course_body = rewrite(&body, "index.md", &course_index, &moved, &published);
        course_body = super::markup::pandoc(&course_body, &mut out.report);
    }
    let mut seen_aliases = BTreeSet::new();
    let mut instructor_redirects: BTreeMap<String, String> = BTreeMap::new();
    for page in &instructor_pages {
        let Some(text) = out.read_text(page)? else {
            continue;
        };
        let (front, body, _) = split_page(out, page, &text);
        let title = str_field(&front.fields, "title")
            .map(str::to_string)
            .unwrap_or_else(|| stem(page).replace('-', " "));
        let body = rewrite(&body, page, &course_index, &moved, &published);
        let body = super::markup::pandoc(&body, &mut out.report);
        let fence = ":".repeat(longest_colon_run(&body).max(2) + 1);
        let _ = write!(
            course_body,
            "\n{fence} instructor\n\n## {title}\n\n{}\n\n{fence}\n",
            body.trim()
        );
        out.report
            .converted("instructor page → `::: instructor` block of the course page");
        instructor_redirects.insert(
            format!("static/instructor/{}.html", stem(page)),
            format!("../{course_dir}/instructor/"),
        );
    }
    // Each episode's and learner page's instructor version leads to its lesson in the
    // course's instructor view (`#lesson-N`, N its place in the course), by a redirect
    // with a relative URL, so it holds under any base path and under `serve` (an alias
    // could only lead to the page itself).
    for (n, p) in planned.iter().enumerate() {
        let name = format!("static/instructor/{}.html", stem(&p.source));
        instructor_redirects
            .entry(name)
            .or_insert_with(|| format!("../{course_dir}/instructor/#lesson-{}", n + 1));
    }
    let published_at = str_field(&config, "url")
        .filter(|url| url.contains("://"))
        .map(|url| format!("{}/{course_dir}/instructor/", url.trim_end_matches('/')));
    let language = str_field(&config, "lang").unwrap_or("en");
    for (file, target) in &instructor_redirects {
        let page = instructor_redirect(target, published_at.as_deref(), language);
        out.write(file, page.into_bytes());
    }
    if !instructor_redirects.is_empty() {
        out.report
            .converted("instructor URL → redirect to the course's instructor view");
    }
    out.page(
        &format!("content/{course_index}"),
        &course,
        &with_links(&course_body, &link_defs),
    );
    let mut home = Map::new();
    home.insert(
        "title".into(),
        json!(str_field(&config, "title").unwrap_or("Lesson")),
    );
    out.page("content/_index.md", &home, "");

    for (folder, title, weight) in &modules {
        let mut front = Map::new();
        front.insert("title".into(), json!(title));
        front.insert("kind".into(), json!("module"));
        front.insert("weight".into(), json!(weight));
        out.page(
            &format!("content/{}", join(&course_dir, &join(folder, "_index.md"))),
            &front,
            "",
        );
    }

    for p in &planned {
        let Some(text) = out.read_text(&p.source)? else {
            continue;
        };
        let (parsed, body, _) = split_page(out, &p.source, &text);
        let mut front = Map::new();
        for (key, value) in &parsed.fields {
            match key.as_str() {
                "weight" | "aliases" => {}
                "title" | "teaching" | "exercises" | "questions" | "objectives" | "keypoints" => {
                    front.insert(key.clone(), value.clone());
                }
                _ => out
                    .report
                    .dropped(key, "sandpaper's own setting", &p.source),
            }
        }
        front.insert("weight".into(), json!(p.weight));
        let new_url = super::new_url(&p.dest);
        // `/instructor/x.html` is a redirect of its own to the instructor view (below).
        let aliases: Vec<String> = p
            .old_urls
            .iter()
            .filter(|u| !u.starts_with("/instructor/"))
            .filter(|u| **u != new_url && seen_aliases.insert((*u).clone()))
            .cloned()
            .collect();
        if !aliases.is_empty() {
            front.insert("aliases".into(), json!(aliases));
        }
        if extension(&p.source) == "rmd" {
            out.report.person(
                &p.source,
                1,
                "R Markdown: code chunks are shown as code, not run; render them with R first for their output",
            );
        }
        let body = rewrite(&body, &p.source, &p.dest, &moved, &published);
        let body = super::markup::pandoc(&body, &mut out.report);
        let body = with_links(&body, &link_defs);
        out.page(&format!("content/{}", p.dest), &front, &body);
        out.report.converted(if p.source.starts_with("episodes/") {
            "episode → lesson"
        } else {
            "learner page → lesson of a module"
        });
    }
    Ok(())
}

pub(super) fn write_config(out: &mut Out, file: &str, config: &Map<String, Value>) {
    let mut site = Map::new();
    site.insert(
        "title".into(),
        json!(str_field(config, "title").unwrap_or("Lesson")),
    );
    match str_field(config, "url") {
        Some(url) if url.contains("://") => {
            site.insert("base_url".into(), json!(url.trim_end_matches('/')));
        }
        _ => {
            site.insert("base_url".into(), json!("http://localhost"));
            out.report.person(
                file,
                1,
                "no `url:`; set `base_url` in trailmark.yaml to the lesson's address",
            );
        }
    }
    if let Some(lang) = str_field(config, "lang") {
        site.insert("language".into(), json!(lang));
    }
    if let Some(contact) = str_field(config, "contact") {
        site.insert("author".into(), json!({"email": contact}));
    }
    let mut extra = Map::new();
    for key in [
        "carpentry",
        "life_cycle",
        "license",
        "source",
        "branch",
        "created",
        "keywords",
    ] {
        if let Some(value) = config.get(key).filter(|v| !v.is_null()) {
            extra.insert(key.into(), value.clone());
        }
    }
    if !extra.is_empty() {
        site.insert("extra".into(), Value::Object(extra));
    }
    site.insert("markdown".into(), json!({"broken_links": "warn"}));
    for key in config.keys() {
        if !matches!(
            key.as_str(),
            "title"
                | "url"
                | "lang"
                | "contact"
                | "carpentry"
                | "life_cycle"
                | "license"
                | "source"
                | "branch"
                | "created"
                | "keywords"
                | "episodes"
                | "learners"
                | "instructors"
                | "profiles"
        ) {
            out.report.dropped(
                key,
                "a Workbench setting with no Trailmark meaning",
                "config.yaml",
            );
        }
    }
    out.report.note(
        "Links to missing pages or anchors are warnings (`markdown.broken_links: warn` in \
         trailmark.yaml); set it to `error` once the warnings are fixed.",
    );
    out.write(
        crate::config::CONFIG_FILE,
        super::yaml::front_matter(&site).into_bytes(),
    );
}

/// The pages of `folder` in the order `config.yaml` lists them, else by file name.
fn ordered(out: &mut Out, config: &Map<String, Value>, folder: &str) -> Vec<String> {
    let listed: Vec<String> = match config.get(folder) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|name| join(folder, name))
            .collect(),
        _ => Vec::new(),
    };
    if listed.is_empty() {
        return files_under(out, folder)
            .into_iter()
            .filter(|f| parent(f) == folder && matches!(extension(f).as_str(), "md" | "rmd"))
            .collect();
    }
    let config_text = out
        .read_text("config.yaml")
        .ok()
        .flatten()
        .unwrap_or_default();
    listed
        .into_iter()
        .filter(|f| {
            let name = f.get(folder.len() + 1..).unwrap_or_default();
            // The line of `config.yaml` that lists it, for the report.
            let line = config_text
                .lines()
                .position(|l| l.contains(name))
                .map_or(1, |i| i + 1);
            match out.find(f) {
                super::Found::File(_) => true,
                super::Found::Outside(target) => {
                    out.refuse(f, ("config.yaml", line), &target);
                    false
                }
                super::Found::Dir | super::Found::Missing => {
                    out.report.person(
                        "config.yaml",
                        line,
                        &format!("lists `{f}`, which does not exist; left out"),
                    );
                    false
                }
            }
        })
        .collect()
}

/// Files under a folder of the source, sorted, hidden ones left out.
pub(super) fn files_under(out: &mut Out, folder: &str) -> Vec<String> {
    out.walk(folder)
}

/// Rewrites the links of a page that moved from `source` to `dest`. A link is read from
/// the source file first; else as the Workbench reads it, from the page's published URL,
/// which is at the top of the lesson's site for every page (`fig/x.svg` from
/// `learners/discuss.md` is the episodes' figure, `02-numpy.html` the episode).
fn rewrite(
    body: &str,
    source: &str,
    dest: &str,
    moved: &BTreeMap<String, String>,
    published: &BTreeMap<String, String>,
) -> String {
    let from_dir = parent(source).to_string();
    let new_dir = parent(dest).to_string();
    links::rewrite(body, |path| {
        let new = links::resolve(&from_dir, path)
            .and_then(|target| moved.get(&target))
            .or_else(|| published.get(&links::resolve("", path)?))?;
        let relative = links::relative(&new_dir, new);
        (relative != path).then_some(relative)
    })
}

/// `links.md` holds reference link definitions `sandpaper` appends to every page.
pub(super) fn with_links(body: &str, link_defs: &str) -> String {
    if link_defs.trim().is_empty() {
        body.to_string()
    } else {
        format!("{}\n\n{}\n", body.trim_end(), link_defs.trim())
    }
}

/// The longest run of `:` opening a line, so a wrapping block can use a longer fence.
pub(super) fn longest_colon_run(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == ':').count())
        .max()
        .unwrap_or(0)
}

/// A page that sends the reader on to `target`, a URL relative to `/instructor/`, naming
/// the instructor view's published address (when the lesson's `url:` gives one) as its
/// canonical page, as the theme's own alias pages do.
fn instructor_redirect(target: &str, canonical: Option<&str>, language: &str) -> String {
    let language = crate::markdown::escape_html(language);
    let canonical = canonical.map_or(String::new(), |url| {
        format!(
            "  <link rel=\"canonical\" href=\"{}\">\n",
            crate::markdown::escape_html(url)
        )
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Redirecting…</title>\n  \
         <meta name=\"robots\" content=\"noindex\">\n{canonical}  <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         </head>\n<body>\n  <p>This page has moved to <a href=\"{target}\">the instructor view of the lesson</a>.</p>\n\
         </body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_runs() {
        assert_eq!(longest_colon_run("a\n:::: x\n  ::: y\n"), 4);
    }
}
