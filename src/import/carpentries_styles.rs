//! Carpentries lessons in the older Jekyll "styles" layout: `_config.yml`, `_episodes/`,
//! `_extras/`, `setup.md`, `reference.md`, `fig/`, `data/`, `files/`, `code/`.
//!
//! The same course as a Workbench lesson (see `carpentries`): episodes by file name are
//! the lessons, `setup.md`, `reference.md` and the extras a module, `_extras/guide.md`
//! (the instructor guide) an instructor-only block of the course page. Kramdown
//! blockquotes with a class (`> ## Challenge` ... `{: .challenge}`, nested solutions)
//! become `:::` blocks, `~~~` blocks with `{: .language-x}` get their language, and
//! `{{ page.root }}` links are resolved. Old URLs (`/01-design/`, `/setup.html`) become
//! aliases.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::carpentries::{files_under, longest_colon_run, with_links, write_config};
use super::{ImportError, Out, extension, join, links, split_page, stem, str_field};
use crate::content::slugify;

/// Kramdown classes of the styles' blockquotes, and the Trailmark block each becomes.
const BLOCKS: &[(&str, &str)] = &[
    ("challenge", "challenge"),
    ("solution", "solution"),
    ("callout", "callout"),
    ("caution", "caution"),
    ("checklist", "checklist"),
    ("discussion", "discussion"),
    ("keypoints", "keypoints"),
    ("objectives", "objectives"),
    ("prereq", "prereq"),
    ("testimonial", "testimonial"),
    ("instructor", "instructor"),
    ("hint", "hint"),
    ("spoiler", "solution"),
];

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    let config_text = out.read_text("_config.yml")?.unwrap_or_default();
    let config = super::parse_config("_config.yml", &config_text)?;
    write_config(out, "_config.yml", &config);
    let course_dir = match slugify(str_field(&config, "title").unwrap_or("lesson")) {
        slug if slug.is_empty() => "lesson".to_string(),
        slug => slug,
    };

    // (source, dest, weight, old URLs)
    let mut planned: Vec<(String, String, usize, Vec<String>)> = Vec::new();
    let episodes: Vec<String> = files_under(out, "_episodes")
        .into_iter()
        .filter(|f| extension(f) == "md")
        .collect();
    for (i, source) in episodes.iter().enumerate() {
        let name = stem(source);
        planned.push((
            source.clone(),
            join(&course_dir, &format!("{name}.md")),
            i + 1,
            vec![format!("/{name}/")],
        ));
    }
    if !files_under(out, "_episodes_rmd").is_empty() {
        out.report.person(
            "_episodes_rmd",
            0,
            "R Markdown episodes: render them with R first; their rendered copies in _episodes/ were imported",
        );
    }
    let mut learner_pages: Vec<(String, String)> = Vec::new();
    for page in ["setup.md", "reference.md"] {
        if out.exists(page) {
            learner_pages.push((page.to_string(), format!("/{}.html", stem(page))));
        }
    }
    let mut guide = None;
    for extra in files_under(out, "_extras") {
        if extension(&extra) != "md" {
            continue;
        }
        if stem(&extra) == "guide" {
            guide = Some(extra);
        } else {
            let old = format!("/{}/", stem(&extra));
            learner_pages.push((extra, old));
        }
    }
    let module = join(&course_dir, "learners");
    for (i, (source, old)) in learner_pages.iter().enumerate() {
        planned.push((
            source.clone(),
            join(&module, &format!("{}.md", stem(source))),
            i + 1,
            vec![old.clone()],
        ));
    }

    // Source paths and old URL paths (as links resolve them) → new places.
    let course_index = join(&course_dir, "_index.md");
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    moved.insert("index.md".into(), course_index.clone());
    for (source, dest, _, old_urls) in &planned {
        moved.insert(source.clone(), dest.clone());
        for old in old_urls {
            moved.insert(old.trim_matches('/').to_string(), dest.clone());
        }
    }
    for folder in ["fig", "data", "files", "code"] {
        for file in files_under(out, folder) {
            let dest = join(&course_dir, &file);
            out.copy(&file, &format!("content/{dest}"))?;
            out.copy(&file, &format!("static/{file}"))?;
            out.report
                .converted("figure or data file copied beside the lessons and to its old URL");
            moved.insert(file, dest);
        }
    }
    let link_defs = match out.read_text("_includes/links.md")? {
        Some(text) => config_variables(&text, &config),
        None => String::new(),
    };

    let mut taken = BTreeSet::new();
    let mut course = Map::new();
    course.insert(
        "title".into(),
        json!(str_field(&config, "title").unwrap_or("Lesson")),
    );
    course.insert("kind".into(), json!("course"));
    let mut course_body = String::new();
    if let Some(text) = out.read_text("index.md")? {
        let (_, body, _) = split_page(out, "index.md", &text);
        let (_, _, line) = split_page(out, "index.md", &text);
        course_body = convert(
            out,
            &body,
            ("index.md", line),
            ".",
            &course_index,
            &moved,
            &config,
        );
    }
    if let Some(guide) = &guide
        && let Some(text) = out.read_text(guide)?
    {
        let (front, body, line) = split_page(out, guide, &text);
        let title = str_field(&front.fields, "title")
            .unwrap_or("Instructor Notes")
            .to_string();
        let body = convert(
            out,
            &body,
            (guide, line),
            "..",
            &course_index,
            &moved,
            &config,
        );
        let fence = ":".repeat(longest_colon_run(&body).max(2) + 1);
        let _ = write!(
            course_body,
            "\n{fence} instructor\n\n## {title}\n\n{}\n\n{fence}\n",
            body.trim()
        );
        out.report
            .converted("instructor guide → `::: instructor` block of the course page");
        course.insert("aliases".into(), json!(["/guide/"]));
        taken.insert("/guide/".to_string());
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
    if !learner_pages.is_empty() {
        let mut front = Map::new();
        front.insert("title".into(), json!("Learner resources"));
        front.insert("kind".into(), json!("module"));
        front.insert("weight".into(), json!(episodes.len() + 1));
        out.page(&format!("content/{module}/_index.md"), &front, "");
    }

    for (source, dest, weight, old_urls) in &planned {
        let Some(text) = out.read_text(source)? else {
            continue;
        };
        let (parsed, body, body_line) = split_page(out, source, &text);
        let mut front = Map::new();
        for (key, value) in &parsed.fields {
            match key.as_str() {
                "title" | "teaching" | "exercises" | "questions" | "objectives" | "keypoints" => {
                    front.insert(key.clone(), value.clone());
                }
                "redirect_to" => out.report.person(
                    source,
                    parsed.line_of(key),
                    "`redirect_to` sends readers elsewhere; Trailmark has no page redirects to other sites",
                ),
                _ => out.report.dropped(key, "a Jekyll styles setting with no Trailmark meaning", source),
            }
        }
        if !front.contains_key("title") {
            front.insert("title".into(), json!(stem(source).replace(['-', '_'], " ")));
        }
        front.insert("weight".into(), json!(weight));
        let url = super::new_url(dest);
        let aliases: Vec<&String> = old_urls
            .iter()
            .filter(|u| **u != url && taken.insert((*u).clone()))
            .collect();
        if !aliases.is_empty() {
            front.insert("aliases".into(), json!(aliases));
        }
        let root = if source.starts_with('_') { ".." } else { "." };
        let body = convert(out, &body, (source, body_line), root, dest, &moved, &config);
        out.page(
            &format!("content/{dest}"),
            &front,
            &with_links(&body, &link_defs),
        );
        out.report.converted(if source.starts_with("_episodes/") {
            "episode → lesson"
        } else {
            "extra, setup or reference page → lesson of a module"
        });
    }
    Ok(())
}

/// One page's body: `{{ page.root }}` resolved, the links include dropped (its definitions
/// are appended), kramdown blocks converted, links rewritten for the new place.
fn convert(
    out: &mut Out,
    body: &str,
    (source, first_line): (&str, usize),
    root: &str,
    dest: &str,
    moved: &BTreeMap<String, String>,
    config: &Map<String, Value>,
) -> String {
    // `{{ page.root }}{% link setup.md %}`: the tag gives the path from the site's root.
    let mut body = body
        .replace("{{ page.root }}{% link ", "{% link ")
        .replace("{{page.root}}{% link ", "{% link ")
        .replace("{{ page.root }}", root)
        .replace("{{page.root}}", root)
        .replace("{{ site.root }}", root);
    for include in ["{% include links.md %}", "{% include base_path.html %}"] {
        if body.contains(include) {
            body = body.replace(include, "");
            out.report
                .converted("`{% include links.md %}` → link definitions appended");
        }
    }
    let body = super::markup::liquid(
        &body,
        source,
        first_line,
        &Variables {
            config,
            from: super::parent(source),
        },
        &mut out.report,
    );
    let body = kramdown_blocks(&body, &mut out.report);
    let body = super::markup::kramdown_attributes(&body, &mut out.report);
    let from = super::parent(source).to_string();
    let new_dir = super::parent(dest).to_string();
    // Paths as Jekyll served them (`../04-formatting/`) as well as files.

    links::rewrite(&body, |path| {
        let target = links::resolve(&from, path)?;
        let new = moved
            .get(&target)
            .or_else(|| moved.get(target.trim_matches('/')))?;
        let relative = links::relative(&new_dir, new);
        (relative != path).then_some(relative)
    })
}

/// Liquid in a styles lesson names the config (`{{ site.x }}`) and files of the lesson
/// (`{% link setup.md %}`, from the lesson's root).
struct Variables<'a> {
    config: &'a Map<String, Value>,
    /// The folder of the page being converted, in the source.
    from: &'a str,
}

impl super::markup::LiquidSite for Variables<'_> {
    fn post_url(&self, _: &str) -> Option<String> {
        None
    }
    /// A path relative to the page's source folder; links are then rewritten to where
    /// the file went.
    fn link(&self, path: &str) -> Option<String> {
        Some(links::relative(self.from, path.trim_start_matches('/')))
    }
    fn include(&self, _: &str) -> Option<String> {
        None
    }
    fn variable(&self, path: &str) -> Option<String> {
        self.config.get(path)?.as_str().map(str::to_string)
    }
}

/// `{{ site_key }}` in the shared link definitions, from `_config.yml`.
fn config_variables(text: &str, config: &Map<String, Value>) -> String {
    let mut result = text.to_string();
    for (key, value) in config {
        if let Some(v) = value.as_str() {
            result = result
                .replace(&format!("{{{{ site.{key} }}}}"), v)
                .replace(&format!("{{{{ {key} }}}}"), v);
        }
    }
    result
        .lines()
        .filter(|l| !l.contains("{{") && !l.contains("{%"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Blockquotes closed by `{: .class}` become `:::` blocks (recursively, so a solution
/// inside a challenge nests); `~~~`/```` ``` ```` blocks closed by `{: .language-x}` get
/// the language on their fence.
pub(crate) fn kramdown_blocks(text: &str, report: &mut super::Report) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('>') {
            let start = i;
            while i < lines.len() && lines[i].starts_with('>') {
                i += 1;
            }
            let class = lines.get(i).and_then(|l| block_class(l));
            match class.and_then(|c| BLOCKS.iter().find(|(k, _)| *k == c)) {
                Some((_, block)) => {
                    let inner: Vec<&str> = lines[start..i]
                        .iter()
                        .map(|l| {
                            l.strip_prefix("> ")
                                .or_else(|| l.strip_prefix('>'))
                                .unwrap_or(l)
                        })
                        .collect();
                    let inner = kramdown_blocks(&inner.join("\n"), report);
                    let fence = ":".repeat(longest_colon_run(&inner).max(2) + 1);
                    out.push(format!("{fence} {block}"));
                    out.push(inner);
                    out.push(fence);
                    report.converted(&format!(
                        "kramdown `{{: .{}}}` blockquote → `::: {block}`",
                        class.unwrap_or_default()
                    ));
                    i += 1;
                }
                None => out.extend(lines[start..i].iter().map(|l| (*l).to_string())),
            }
            continue;
        }
        if let Some(class) = block_class(line) {
            // After a fenced block: give its fence the language.
            if let Some(lang) = class.strip_prefix("language-")
                && let Some(open) = opening_fence(&out)
            {
                out[open].push_str(lang);
                report.converted("kramdown `{: .language-x}` → fenced code language");
                i += 1;
                continue;
            }
            if matches!(class, "output" | "error" | "source") {
                i += 1;
                continue;
            }
        }
        out.push(line.to_string());
        i += 1;
    }
    out.join("\n")
}

/// `{: .name}` (spaces allowed) → `name`.
fn block_class(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("{:")?.strip_suffix('}')?.trim();
    inner.strip_prefix('.').map(str::trim)
}

/// The index of the opening fence of the fenced block that ends at the last line.
fn opening_fence(out: &[String]) -> Option<usize> {
    let last = out.last()?.trim();
    if !(last.starts_with("~~~") || last.starts_with("```")) {
        return None;
    }
    let marker = &last[..3];
    (0..out.len() - 1).rev().find(|&j| out[j].trim() == marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kramdown_blockquotes_become_divs() {
        let mut report = super::super::Report::new("test");
        let text = "> ## Try\n>\n> Do it.\n>\n> > ## Solution\n> >\n> > Done.\n> {: .solution}\n{: .challenge}\n\n~~~\nls\n~~~\n{: .language-bash}\n";
        assert_eq!(
            kramdown_blocks(text, &mut report),
            ":::: challenge\n## Try\n\nDo it.\n\n::: solution\n## Solution\n\nDone.\n:::\n::::\n\n~~~bash\nls\n~~~\n"
        );
    }
}
