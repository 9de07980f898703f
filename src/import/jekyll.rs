//! Jekyll: `_config.yml`, `_posts/` (and `_drafts/`), collections, pages and static files.
//!
//! Posts become a blog section named after the first fixed segment of the posts' permalink
//! (`/news/:year/...` gives `news`, else `blog`), keeping their dated file names; each
//! collection with `output: true` becomes a section (`docs` a handbook); pages keep their
//! place; files without front matter are copied to `static/` at the same path. Liquid is
//! converted where it has a Trailmark meaning (`post_url`, `link`, snippet `include`,
//! `highlight`, `raw`, `{{ site.x }}`), else left and listed. Posts and pages written in
//! HTML keep their HTML body. Every document's old URL, from Jekyll's own permalink rules
//! (front matter, `defaults`, the collection's, the site's), gets an alias when its new
//! one differs; `redirect_from` joins the aliases.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::markup::{self, LiquidSite};
use super::report::Report;
use super::{
    ImportError, Out, extension, file_name, join, links, new_url, parent, split_page, stem,
    str_field,
};
use crate::content::{slugify, split_file_stem};

/// Files Jekyll never publishes, whatever the config says.
const ALWAYS_EXCLUDED: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "_site",
    "_config.yml",
    "_config.yaml",
    "_config.toml",
    ".jekyll-cache",
];

/// Outputs Trailmark writes itself; a source file making one is not imported.
const GENERATED: &[&str] = &[
    "feed.xml",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

#[derive(Debug, Clone, PartialEq)]
enum DocKind {
    Post { draft: bool },
    Collection(String),
    Page,
}

struct Doc {
    source: String,
    kind: DocKind,
    dest: String,
}

/// A document after its front matter was read, before its body is converted.
struct Prepared {
    doc: Doc,
    front: Map<String, Value>,
    body: String,
    body_line: usize,
    /// The URLs it had, its permalink's and `redirect_from`'s, as `/a/b/` or `/a.html`.
    old_urls: Vec<String>,
    /// A permalink without placeholders.
    fixed: Option<String>,
}

/// Front matter in Trailmark's terms, the document's old URLs and its fixed permalink.
fn convert_front(
    out: &mut Out,
    config: &Map<String, Value>,
    collections: &BTreeMap<String, (bool, Option<String>)>,
    posts_permalink: &str,
    doc: &Doc,
    parsed: &crate::front_matter::FrontMatter,
    taxonomies: &mut Vec<String>,
) -> (Map<String, Value>, Vec<String>, Option<String>) {
    let mut front = Map::new();
    let mut extra = Map::new();
    let mut old_urls = Vec::new();
    let mut categories: Vec<Value> = Vec::new();
    // Folders above `_posts` are categories too; folders inside it are not (Jekyll's
    // `categories_from_path`: `_posts/release/x.md` has none, `release/_posts/x.md` one).
    if let DocKind::Post { .. } = doc.kind {
        for segment in parent(&doc.source)
            .split('/')
            .take_while(|s| *s != "_posts" && *s != "_drafts")
        {
            if !segment.is_empty() {
                categories.push(json!(segment));
            }
        }
    }
    for (key, value) in &parsed.fields {
        match key.as_str() {
            "layout" => out.report.dropped(key, "Trailmark picks the template from the page's kind", &doc.source),
            "permalink" => out.report.converted("`permalink` → alias for the old URL"),
            "title" | "description" | "draft" | "weight" | "updated" | "slug" | "aliases" | "extra" => {
                front.insert(key.clone(), value.clone());
            }
            "date" => {
                super::convert_date(out, &mut front, (&doc.source, parsed.line_of(key)), (key, value), "date");
            }
            "categories" | "category" => categories.extend(words(value)),
            "tags" | "tag" => {
                front.insert("tags".into(), Value::Array(words(value)));
            }
            "author" | "authors" => {
                front.insert("authors".into(), Value::Array(words_or_one(value)));
            }
            "excerpt" => {
                if !parsed.fields.contains_key("description") {
                    front.insert("description".into(), value.clone());
                    out.report.converted("`excerpt` → `description`");
                }
            }
            // Marked in the body (`mark_excerpt_end`).
            "excerpt_separator" => {}
            "redirect_from" => {
                for alias in words(value) {
                    if let Some(a) = alias.as_str() {
                        old_urls.push(a.to_string());
                    }
                }
                out.report.converted("`redirect_from` → `aliases`");
            }
            "redirect_to" => out.report.person(
                &doc.source,
                parsed.line_of(key),
                "`redirect_to` sends readers elsewhere; Trailmark has no page redirects to other sites",
            ),
            "published" => {
                if value == &Value::Bool(false) {
                    front.insert("draft".into(), json!(true));
                }
            }
            // Anything else is for templates: under `extra`, where Trailmark keeps it
            // without reading it as a misspelt key of its own.
            _ => {
                extra.insert(key.clone(), value.clone());
            }
        }
    }
    if !extra.is_empty() {
        out.report.converted("other front matter keys → `extra`");
        match front.get_mut("extra") {
            Some(Value::Object(existing)) => existing.extend(extra),
            _ => {
                front.insert("extra".into(), Value::Object(extra));
            }
        }
    }
    if let DocKind::Post { draft: true } = doc.kind {
        front.insert("draft".into(), json!(true));
    }
    if !categories.is_empty() {
        front.insert("categories".into(), Value::Array(categories.clone()));
        if !taxonomies.iter().any(|t| t == "categories") {
            taxonomies.push("categories".into());
        }
    }
    let own = parsed
        .fields
        .get("permalink")
        .and_then(Value::as_str)
        .map(str::to_string);
    let permalink = own
        .clone()
        .or_else(|| default_permalink(config, &doc.source, &doc.kind))
        .unwrap_or_else(|| match &doc.kind {
            DocKind::Post { .. } => posts_permalink.to_string(),
            DocKind::Collection(label) => collections
                .get(label)
                .and_then(|c| c.1.clone())
                .unwrap_or_else(|| "/:collection/:path:output_ext".into()),
            DocKind::Page => {
                page_permalink(config.get("permalink").and_then(Value::as_str), &doc.source)
            }
        });
    if !matches!(doc.kind, DocKind::Post { draft: true }) {
        let timezone = config.get("timezone").and_then(Value::as_str);
        old_urls.push(old_url(
            &permalink,
            doc,
            &parsed.fields,
            &categories,
            timezone,
        ));
    }
    let old_urls = old_urls.iter().map(|u| super::rooted(u)).collect();
    let fixed = own.filter(|p| !p.contains(':'));
    (front, old_urls, fixed)
}

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    let (config_rel, config_text) = ["_config.yml", "_config.yaml", "_config.toml"]
        .iter()
        .find_map(|name| {
            out.read_text(name)
                .ok()
                .flatten()
                .map(|t| ((*name).to_string(), t))
        })
        .ok_or_else(|| ImportError::NotASite {
            src: out.src.clone(),
            tool: "Jekyll",
            missing: "_config.yml".into(),
        })?;
    let config = super::parse_config(&config_rel, &config_text)?;
    let collections = collections(&config);
    let posts_permalink = collections
        .get("posts")
        .and_then(|c| c.1.clone())
        .unwrap_or_else(|| {
            config
                .get("permalink")
                .and_then(Value::as_str)
                .unwrap_or("date")
                .to_string()
        });
    let blog = blog_name(&posts_permalink);
    let excluded: Vec<String> = config
        .get("exclude")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();

    let mut docs = Vec::new();
    let mut data_files = Vec::new();
    for rel in walk(out) {
        let top = rel.split('/').next().unwrap_or_default();
        if ALWAYS_EXCLUDED.contains(&top)
            || excluded.iter().any(|e| {
                let e = e.trim_matches('/');
                rel == e || rel.starts_with(&format!("{e}/"))
            })
        {
            continue;
        }
        let segments: Vec<&str> = rel.split('/').collect();
        if let Some(at) = segments
            .iter()
            .position(|s| *s == "_posts" || *s == "_drafts")
        {
            if is_text_doc(&rel) {
                let draft = segments[at] == "_drafts";
                let name = format!("{}.md", stem(&rel));
                docs.push(Doc {
                    source: rel.clone(),
                    kind: DocKind::Post { draft },
                    dest: join(&blog, &name),
                });
            } else {
                out.copy(&rel, &format!("static/{rel}"))?;
            }
            continue;
        }
        if top == "_data" {
            data_files.push(rel.clone());
            continue;
        }
        if let Some(label) = top.strip_prefix('_') {
            match collections.get(label) {
                Some((true, _)) if is_text_doc(&rel) => {
                    let inner = &rel[top.len() + 1..];
                    let dest = join(
                        label,
                        &format!("{}.md", inner.rsplit_once('.').map_or(inner, |(s, _)| s)),
                    );
                    let dest = if stem(&dest) == "index" {
                        join(parent(&dest), "_index.md")
                    } else {
                        dest
                    };
                    docs.push(Doc {
                        source: rel.clone(),
                        kind: DocKind::Collection(label.to_string()),
                        dest,
                    });
                }
                Some((true, _)) => out.copy(&rel, &format!("static/{}", &rel[top.len() + 1..]))?,
                Some((false, _)) => out.report.dropped(
                    &format!("_{label}/"),
                    "a collection with `output: false` has no pages",
                    &rel,
                ),
                // Layouts, includes, Sass, plugins: Jekyll's machinery, not content.
                None => {}
            }
            continue;
        }
        let Some(text) = out.read(&rel)? else {
            continue;
        };
        let has_front = text.starts_with(b"---");
        if !has_front {
            out.copy(&rel, &format!("static/{rel}"))?;
            out.report.converted("static file copied at its URL");
            continue;
        }
        if GENERATED.contains(&rel.as_str()) {
            out.report
                .dropped(&rel, "Trailmark writes this file itself", &rel);
            continue;
        }
        if !is_text_doc(&rel) {
            out.report.person(
                &rel,
                1,
                "a Liquid or Sass template Jekyll renders; Trailmark does not, so it is not imported",
            );
            continue;
        }
        let dest = format!(
            "{}.md",
            rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s)
        );
        let dest = if dest == "index.md" {
            "_index.md".to_string()
        } else {
            dest
        };
        docs.push(Doc {
            source: rel.clone(),
            kind: DocKind::Page,
            dest,
        });
    }
    for rel in &data_files {
        out.copy(rel, &format!("data/{}", &rel["_data/".len()..]))?;
    }

    let has_posts = docs.iter().any(|d| matches!(d.kind, DocKind::Post { .. }));
    let used_collections: BTreeSet<String> = docs
        .iter()
        .filter_map(|d| match &d.kind {
            DocKind::Collection(label) => Some(label.clone()),
            _ => None,
        })
        .collect();
    let mut taxonomies = vec!["tags".to_string()];

    // First pass: front matter, old URLs, and where each document goes.
    let mut prepared = Vec::new();
    for doc in docs {
        let Some(text) = out.read_text(&doc.source)? else {
            continue;
        };
        let (parsed, mut body, body_line) = split_page(out, &doc.source, &text);
        let separator = parsed
            .fields
            .get("excerpt_separator")
            .or_else(|| config.get("excerpt_separator"))
            .and_then(Value::as_str);
        if let Some(marked) = separator.and_then(|sep| mark_excerpt_end(&body, sep)) {
            body = marked;
            out.report
                .converted("`excerpt_separator` → `<!-- more -->` where the excerpt ends");
        }
        let (front, old_urls, fixed) = convert_front(
            out,
            &config,
            &collections,
            &posts_permalink,
            &doc,
            &parsed,
            &mut taxonomies,
        );
        if fixed.as_deref() == Some("/404.html") {
            out.report.dropped(
                &doc.source,
                "Trailmark writes its own 404 page",
                &doc.source,
            );
            continue;
        }
        prepared.push(Prepared {
            doc,
            front,
            body,
            body_line,
            old_urls,
            fixed,
        });
    }
    // A page with a fixed permalink goes where that URL is, so the URL stays.
    let mut taken: BTreeSet<String> = prepared.iter().map(|p| p.doc.dest.clone()).collect();
    for p in &mut prepared {
        if p.doc.kind != DocKind::Page {
            continue;
        }
        let Some(fixed) = &p.fixed else { continue };
        let path = fixed.trim_matches('/');
        let path = path.strip_suffix(".html").unwrap_or(path);
        let path = path.strip_suffix("/index").unwrap_or(path);
        let dest = if path.is_empty() || path == "index" {
            "_index.md".to_string()
        } else {
            format!("{path}.md")
        };
        if dest != p.doc.dest && !taken.contains(&dest) && !path.contains(':') {
            taken.remove(&p.doc.dest);
            taken.insert(dest.clone());
            p.doc.dest = dest;
        }
    }
    // `x.md` beside a folder `x/` of pages is that folder's page.
    let folders: BTreeSet<String> = taken
        .iter()
        .flat_map(|d| {
            let mut dirs = Vec::new();
            let mut dir = parent(d);
            while !dir.is_empty() {
                dirs.push(dir.to_string());
                dir = parent(dir);
            }
            dirs
        })
        .collect();
    for p in &mut prepared {
        let without = p
            .doc
            .dest
            .strip_suffix(".md")
            .unwrap_or(&p.doc.dest)
            .to_string();
        if folders.contains(&without) && !taken.contains(&join(&without, "_index.md")) {
            p.doc.dest = join(&without, "_index.md");
            taken.insert(p.doc.dest.clone());
        }
    }
    // Two sources never share one file (`x.md` and `x.markdown`).
    let pairs: Vec<(String, String)> = prepared
        .iter()
        .map(|p| (p.doc.source.clone(), p.doc.dest.clone()))
        .collect();
    for (p, dest) in prepared.iter_mut().zip(super::distinct_dests(out, &pairs)) {
        p.doc.dest = dest;
    }

    let mut site = Site::new(out, &config, &data_files)?;
    let mut used_urls = BTreeSet::new();
    for p in &mut prepared {
        site.files.insert(p.doc.source.clone(), p.doc.dest.clone());
        if let DocKind::Post { .. } = p.doc.kind {
            site.posts
                .insert(stem(&p.doc.source).to_string(), p.doc.dest.clone());
        }
        let mut url = new_url(&p.doc.dest);
        if !used_urls.insert(url.clone()) && matches!(p.doc.kind, DocKind::Post { .. }) {
            // Two posts with one title on different days: the date keeps them apart.
            let (_, date, name) = split_file_stem(stem(&p.doc.source));
            let slug = slugify(&format!("{name}-{}", date.unwrap_or("2")));
            p.front.insert("slug".into(), json!(slug));
            url = format!("/{blog}/{slug}/");
            used_urls.insert(url.clone());
        }
        for old in &p.old_urls {
            site.old_urls
                .insert(old.trim_end_matches('/').to_string(), p.doc.dest.clone());
        }
    }
    // Every URL the new site has, sections included: an alias must not take one.
    for dir in &folders {
        used_urls.insert(new_url(&join(dir, "_index.md")));
    }
    if has_posts {
        used_urls.insert(format!("/{blog}/"));
    }

    let blog_index = format!("{blog}/_index.md");
    let mut aliases_taken = BTreeSet::new();
    for p in prepared {
        let Prepared {
            doc,
            mut front,
            body,
            body_line,
            old_urls,
            ..
        } = p;
        let url = match front.get("slug") {
            Some(Value::String(slug)) if matches!(doc.kind, DocKind::Post { .. }) => {
                format!("/{blog}/{slug}/")
            }
            _ => new_url(&doc.dest),
        };
        let aliases = super::aliases_for(old_urls, &url, &used_urls, &mut aliases_taken);
        if !aliases.is_empty() {
            front.insert("aliases".into(), json!(aliases));
        }
        site.page_dir = parent(&doc.dest).to_string();
        site.page_url = doc_old_url_dir(&site, &doc.dest);
        let mut body = markup::liquid(&body, &doc.source, body_line, &site, &mut out.report);
        body = rewrite_url_links(&body, &site, &mut out.report);
        body = markup::kramdown_attributes(&body, &mut out.report);
        if matches!(extension(&doc.source).as_str(), "html" | "htm") {
            body = super::html_body(&body);
            out.report
                .converted("HTML page or post → page with its HTML body");
        }
        if doc.dest == "_index.md" && body.contains("{%") {
            out.report.person(
                &doc.source,
                body_line,
                "the home page is a Liquid template; Trailmark's home page lists the site instead, so its body was dropped",
            );
            body = String::new();
        }
        // A page at the blog's URL (`permalink: /news/` beside `/news/releases/`) is the
        // blog's own page: it says the section is a blog, and a listing written in Liquid
        // gives way to the one Trailmark's blog page draws.
        if has_posts && doc.dest == blog_index {
            blog_front(&mut front, &config);
            if body.contains("{%") {
                out.report.person(
                    &doc.source,
                    body_line,
                    "the blog's page is a Liquid template; Trailmark's blog page lists the posts instead, so its body was dropped",
                );
                body = String::new();
            }
        }
        out.report.converted(match doc.kind {
            DocKind::Post { .. } => "post",
            DocKind::Collection(_) => "collection document → page",
            DocKind::Page => "page",
        });
        out.page(&format!("content/{}", doc.dest), &front, &body);
    }

    // Section pages for the blog (unless a page took its place, above) and the collections.
    if has_posts && !out.has_file(&format!("content/{blog_index}")) {
        let mut front = Map::new();
        front.insert("title".into(), json!(title_case(&blog)));
        blog_front(&mut front, &config);
        out.page(&format!("content/{blog_index}"), &front, "");
    }
    for (label, (output, _)) in &collections {
        let index = format!("content/{label}/_index.md");
        if label == "posts" || !*output || out.has_file(&index) || !used_collections.contains(label)
        {
            continue;
        }
        let mut front = Map::new();
        front.insert("title".into(), json!(title_case(label)));
        if label == "docs" {
            front.insert("kind".into(), json!("handbook"));
        }
        out.page(&index, &front, "");
    }
    write_config(out, &config, &taxonomies);
    Ok(())
}

/// Jekyll's `collections:` as label → (output, permalink).
fn collections(config: &Map<String, Value>) -> BTreeMap<String, (bool, Option<String>)> {
    let mut map = BTreeMap::new();
    map.insert("posts".to_string(), (true, None));
    match config.get("collections") {
        Some(Value::Object(items)) => {
            for (label, settings) in items {
                let output = settings
                    .get("output")
                    .and_then(Value::as_bool)
                    .unwrap_or(label == "posts");
                let permalink = settings
                    .get("permalink")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                map.insert(label.clone(), (output, permalink));
            }
        }
        Some(Value::Array(items)) => {
            for label in items.iter().filter_map(Value::as_str) {
                map.insert(label.to_string(), (false, None));
            }
        }
        _ => {}
    }
    map
}

/// The blog's folder: the first fixed segment of the posts' permalink, else `blog`.
fn blog_name(permalink: &str) -> String {
    let pattern = expand_style(permalink);
    pattern
        .split('/')
        .find(|s| !s.is_empty())
        .filter(|s| !s.contains(':'))
        .map(slugify)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "blog".into())
}

/// Jekyll's named permalink styles.
fn expand_style(permalink: &str) -> String {
    match permalink {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        other => other.into(),
    }
}

/// The permalink Jekyll gives a page from the site's `permalink` style: pages take only
/// the style's ending, a folder (`pretty`, `/:path/`, `/:year/:title/`) or `:output_ext`
/// (`date`, `none`, `/:title:output_ext`); a file that is not HTML keeps its extension.
fn page_permalink(style: Option<&str>, source: &str) -> String {
    let html = !matches!(extension(source).as_str(), "xml" | "json" | "txt");
    match style {
        Some(style) if html && (style == "pretty" || style.ends_with('/')) => "/:path/".into(),
        _ => "/:path:output_ext".into(),
    }
}

/// A `permalink` from `defaults:` whose scope covers the file.
fn default_permalink(config: &Map<String, Value>, source: &str, kind: &DocKind) -> Option<String> {
    let defaults = config.get("defaults")?.as_array()?;
    let mut found = None;
    for entry in defaults {
        let scope = entry.get("scope");
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind_name = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
        let path_matches = path.is_empty() || source.starts_with(path.trim_matches('/'));
        let type_matches = match (kind_name, kind) {
            (None, _) | (Some("posts"), DocKind::Post { .. }) | (Some("pages"), DocKind::Page) => {
                true
            }
            (Some(t), DocKind::Collection(label)) => t == label,
            _ => false,
        };
        if path_matches
            && type_matches
            && let Some(p) = entry
                .get("values")
                .and_then(|v| v.get("permalink"))
                .and_then(Value::as_str)
        {
            found = Some(p.to_string());
        }
    }
    found
}

/// The URL Jekyll gave a document.
fn old_url(
    permalink: &str,
    doc: &Doc,
    front: &Map<String, Value>,
    categories: &[Value],
    timezone: Option<&str>,
) -> String {
    let pattern = expand_style(permalink);
    let source_stem = stem(&doc.source);
    let (_, file_date, name) = split_file_stem(source_stem);
    let date = front
        .get("date")
        .and_then(Value::as_str)
        .and_then(|d| site_day(d, timezone))
        .or_else(|| file_date.map(str::to_string))
        .unwrap_or_default();
    let (year, month, day) = (
        date.get(..4).unwrap_or(""),
        date.get(5..7).unwrap_or(""),
        date.get(8..10).unwrap_or(""),
    );
    let title = front
        .get("slug")
        .and_then(Value::as_str)
        .map_or_else(|| name.replace(' ', "-"), str::to_string);
    let ext = if matches!(extension(&doc.source).as_str(), "xml" | "json" | "txt") {
        format!(".{}", extension(&doc.source))
    } else {
        ".html".to_string()
    };
    let (collection, path) = match &doc.kind {
        DocKind::Collection(label) => {
            let inner = &doc.source[label.len() + 2..];
            (
                label.clone(),
                inner.rsplit_once('.').map_or(inner, |(s, _)| s).to_string(),
            )
        }
        _ => (
            String::new(),
            doc.source
                .rsplit_once('.')
                .map_or(doc.source.as_str(), |(s, _)| s)
                .to_string(),
        ),
    };
    let cats: Vec<String> = categories
        .iter()
        .filter_map(Value::as_str)
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect();
    // Longest names first, so `:title` is not read as `:t` + `itle`.
    let mut url = pattern;
    for (key, value) in [
        (":categories", cats.join("/")),
        (":collection", collection),
        (":output_ext", ext),
        (":short_year", year.get(2..).unwrap_or("").to_string()),
        (":i_month", month.trim_start_matches('0').to_string()),
        (":i_day", day.trim_start_matches('0').to_string()),
        (":basename", source_stem.to_string()),
        (":month", month.to_string()),
        (":title", title.clone()),
        (":slug", title.to_lowercase()),
        (":year", year.to_string()),
        (":path", path),
        (":name", name.to_string()),
        (":day", day.to_string()),
    ] {
        url = url.replace(key, &value);
    }
    // Empty placeholders leave `//`; a page named index is its folder.
    let mut cleaned = String::new();
    for segment in url.split('/').filter(|s| !s.is_empty()) {
        cleaned.push('/');
        cleaned.push_str(segment);
    }
    if url.ends_with('/') {
        cleaned.push('/');
    }
    if cleaned.is_empty() {
        cleaned.push('/');
    }
    if let Some(dir) = cleaned.strip_suffix("index.html") {
        return dir.to_string();
    }
    if let Some(dir) = cleaned.strip_suffix("/index/") {
        return format!("{dir}/");
    }
    cleaned
}

/// The folder of the old URL of the document now at `dest`.
fn doc_old_url_dir(site: &Site, dest: &str) -> String {
    let old = site
        .old_urls
        .iter()
        .find(|(_, d)| d.as_str() == dest)
        .map(|(u, _)| u.clone())
        .unwrap_or_default();
    // Old URLs are kept without their last slash: `/docs/x` was `/docs/x/`, a folder,
    // unless it names a file.
    if extension(&old) == "html" {
        parent(&old).to_string()
    } else {
        old
    }
}

/// Links written as URLs of the old site (`/docs/config/`, `../x/`, `x.html`) become
/// links to the page's Markdown file, which Trailmark checks and turns into its new URL.
/// What makes a section the blog: its kind, and Jekyll's `paginate` as its page size.
fn blog_front(front: &mut Map<String, Value>, config: &Map<String, Value>) {
    front.insert("kind".into(), json!("blog"));
    if let Some(n) = config.get("paginate").and_then(Value::as_u64) {
        front.insert("paginate_by".into(), json!(n));
    }
}

/// Jekyll's `excerpt_separator` (the post's, else the site's) marks where a post's excerpt
/// ends; Trailmark's marker is `<!-- more -->` on a line of its own. The first separator
/// outside fenced code becomes one; `None` when there is none, or the separator is Jekyll's
/// default (a blank line: the first paragraph, which is Trailmark's default summary too) or
/// spans lines.
fn mark_excerpt_end(body: &str, separator: &str) -> Option<String> {
    if separator.trim().is_empty() || separator.contains('\n') {
        return None;
    }
    let mut marked = false;
    let converted = markup::per_line(body, |line, _| match line.find(separator) {
        Some(at) if !marked => {
            marked = true;
            let before = line[..at].trim_end();
            let after = line[at + separator.len()..].trim_start();
            let mut out = String::new();
            if !before.is_empty() {
                out.push_str(before);
                out.push_str("\n\n");
            }
            out.push_str("<!-- more -->");
            if !after.is_empty() {
                out.push_str("\n\n");
                out.push_str(after);
            }
            out
        }
        _ => line.to_string(),
    });
    marked.then_some(converted)
}

fn rewrite_url_links(body: &str, site: &Site, report: &mut Report) -> String {
    let rewritten = links::rewrite_all(body, |dest| {
        if dest.contains("://") || dest.starts_with("//") || dest.starts_with("mailto:") {
            return None;
        }
        // `{{ site.baseurl }}/assets/x.png`: a root link under the site's path.
        let mut under_base = false;
        let target = if dest.starts_with('/') {
            // `{{ site.baseurl }}/docs/x/`: the page at /docs/x/ of the old site.
            let base = base_path(&site.config);
            match dest.strip_prefix(base.as_str()) {
                Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                    under_base = true;
                    format!("/{}", rest.trim_start_matches('/'))
                }
                _ => dest.to_string(),
            }
        } else {
            format!("/{}", links::resolve(&site.page_url, dest)?)
        };
        // Not a page (a static file, an asset): Trailmark's build reads `{{ site.baseurl }}`
        // as the path it builds under, so the link holds on the published site and under
        // `serve`, where a written `/field/` would not.
        let keep_base =
            |target: &str| under_base.then(|| format!("{{{{ site.baseurl }}}}{target}"));
        let key = target.trim_end_matches('/');
        let key = if key.is_empty() { "/" } else { key };
        let home = "_index.md".to_string();
        let dest_file = site
            .old_urls
            .get(key)
            .or_else(|| site.old_urls.get(key.strip_suffix(".html").unwrap_or(key)))
            // The home page that was a Liquid template is Trailmark's home page now.
            .or_else(|| (key == "/").then_some(&home));
        match dest_file {
            Some(file) => Some(links::relative(&site.page_dir, file)),
            None => keep_base(&target),
        }
    });
    if rewritten != body {
        report.converted("links to old URLs → links to the pages' files");
    }
    rewritten
}

/// The path of `baseurl` (`/field`), empty for a site at the root of its host.
fn base_path(config: &Map<String, Value>) -> String {
    match str_field(config, "baseurl").map(|b| b.trim_matches('/')) {
        Some(path) if !path.is_empty() => format!("/{path}"),
        _ => String::new(),
    }
}

/// The day of a date as Jekyll files the post: in the site's `timezone` when the date has
/// an offset (`2016-08-25 09:50:00 +0300` is the 24th in Los Angeles), else as written.
fn site_day(date: &str, timezone: Option<&str>) -> Option<String> {
    let iso = super::iso_date(date)?;
    if let Some(tz) = timezone
        && let Ok(instant) = iso.parse::<jiff::Timestamp>()
        && let Ok(zoned) = instant.in_tz(tz)
    {
        return Some(zoned.date().to_string());
    }
    Some(iso.get(..10)?.to_string())
}

/// A string of space-separated words or a list, as a JSON list.
fn words(value: &Value) -> Vec<Value> {
    match value {
        Value::String(s) => s.split_whitespace().map(|w| json!(w)).collect(),
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// A list, or one value (a name with spaces) as a list of one.
fn words_or_one(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

fn is_text_doc(rel: &str) -> bool {
    matches!(
        extension(rel).as_str(),
        "md" | "markdown" | "mkd" | "mkdn" | "html" | "htm"
    )
}

fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + &chars.as_str().replace(['-', '_'], " ")
    })
}

fn walk(out: &mut Out) -> Vec<String> {
    out.walk("")
}

fn write_config(out: &mut Out, config: &Map<String, Value>, taxonomies: &[String]) {
    let mut site = Map::new();
    site.insert(
        "title".into(),
        json!(
            str_field(config, "title")
                .or_else(|| str_field(config, "name"))
                .unwrap_or("Site")
        ),
    );
    if let Some(description) = str_field(config, "description") {
        site.insert("description".into(), json!(description));
    }
    let url = str_field(config, "url").unwrap_or("http://localhost");
    let base = str_field(config, "baseurl").unwrap_or("");
    site.insert(
        "base_url".into(),
        json!(format!(
            "{}{}",
            url.trim_end_matches('/'),
            base.trim_end_matches('/')
        )),
    );
    if str_field(config, "url").is_none() {
        out.report.person(
            "_config.yml",
            1,
            "no `url:`; set `base_url` in trailmark.yaml to the site's address",
        );
    }
    if let Some(lang) = str_field(config, "lang") {
        site.insert("language".into(), json!(lang));
    }
    match config.get("author") {
        Some(Value::String(name)) => {
            site.insert("author".into(), json!({"name": name}));
        }
        Some(Value::Object(author)) => {
            let mut a = Map::new();
            for key in ["name", "email", "url"] {
                if let Some(v) = str_field(author, key) {
                    a.insert(key.into(), json!(v));
                }
            }
            site.insert("author".into(), Value::Object(a));
        }
        _ => {}
    }
    site.insert("taxonomies".into(), json!(taxonomies));
    // kramdown reads `$$...$$` as math and a single `$` as a dollar sign.
    site.insert(
        "markdown".into(),
        json!({"broken_links": "warn", "math": "display"}),
    );
    let known = [
        "title",
        "name",
        "description",
        "url",
        "baseurl",
        "lang",
        "author",
        "permalink",
        "collections",
        "paginate",
        "exclude",
        "defaults",
        // Marked in each post's body (`mark_excerpt_end`).
        "excerpt_separator",
    ];
    // Jekyll's machinery; anything else may be read by templates as `site.x`.
    let machinery = [
        "plugins",
        "gems",
        "sass",
        "kramdown",
        "markdown",
        "highlighter",
        "future",
        "timezone",
        "strict_front_matter",
        "incremental",
        "safe",
        "source",
        "destination",
        "include",
        "keep_files",
        "encoding",
        "paginate_path",
        "liquid",
        "show_drafts",
        "unpublished",
        "lsi",
        "limit_posts",
        "whitelist",
        "feed",
        "theme",
        "remote_theme",
    ];
    let mut extra = Map::new();
    for (key, value) in config {
        if known.contains(&key.as_str()) {
            continue;
        }
        if machinery.contains(&key.as_str()) {
            out.report.dropped(
                key,
                "a Jekyll build setting with no Trailmark meaning",
                "_config.yml",
            );
        } else {
            extra.insert(key.clone(), value.clone());
        }
    }
    if !extra.is_empty() {
        out.report
            .converted("other `_config.yml` settings → `extra` (for templates)");
        site.insert("extra".into(), Value::Object(extra));
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

/// What Liquid conversion needs: where every post and file went, the includes, the config
/// and data for `{{ site.x }}`, and the page being converted.
struct Site {
    posts: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    includes: BTreeMap<String, String>,
    config: Map<String, Value>,
    data: Map<String, Value>,
    page_dir: String,
    /// The folder of the page's old URL, for links relative to it.
    page_url: String,
    /// Old URL (without a trailing slash) → new place under content/.
    old_urls: BTreeMap<String, String>,
}

impl Site {
    fn new(
        out: &mut Out,
        config: &Map<String, Value>,
        data_files: &[String],
    ) -> Result<Self, ImportError> {
        let mut includes = BTreeMap::new();
        for file in out.walk("_includes") {
            if let Some(text) = out.read_text(&file)? {
                includes.insert(file["_includes/".len()..].to_string(), text);
            }
        }
        let mut data = Map::new();
        for rel in data_files {
            let ext = extension(rel);
            if !matches!(ext.as_str(), "yml" | "yaml" | "json" | "toml") {
                continue;
            }
            if let Some(text) = out.read_text(rel)? {
                let parsed = if ext == "json" {
                    serde_json::from_str(&text).ok()
                } else if ext == "toml" {
                    crate::front_matter::parse_toml(&text, 1).ok()
                } else {
                    crate::front_matter::parse_yaml(&text, 1).ok()
                };
                if let Some(value) = parsed {
                    let key = stem(&rel["_data/".len()..]).to_string();
                    data.insert(key, value);
                }
            }
        }
        Ok(Site {
            posts: BTreeMap::new(),
            files: BTreeMap::new(),
            includes,
            config: config.clone(),
            data,
            page_dir: String::new(),
            page_url: String::new(),
            old_urls: BTreeMap::new(),
        })
    }
}

impl LiquidSite for Site {
    fn post_url(&self, name: &str) -> Option<String> {
        let name = file_name(name);
        let dest = self.posts.get(name)?;
        Some(links::relative(&self.page_dir, dest))
    }

    fn link(&self, path: &str) -> Option<String> {
        let path = path.trim_start_matches('/');
        match self.files.get(path) {
            Some(dest) => Some(links::relative(&self.page_dir, dest)),
            // A static file keeps its URL.
            None => Some(format!("/{path}")).filter(|_| !is_text_doc(path)),
        }
    }

    fn include(&self, name: &str) -> Option<String> {
        let text = self.includes.get(name)?;
        (!text.contains("{%") && !text.contains("{{")).then(|| text.trim_end().to_string())
    }

    fn base_path(&self) -> String {
        base_path(&self.config)
    }

    fn variable(&self, path: &str) -> Option<String> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut value = if first == "data" {
            self.data.get(parts.next()?)?
        } else {
            self.config.get(first)?
        };
        for part in parts {
            value = value.get(part)?;
        }
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: &str, kind: DocKind) -> Doc {
        Doc {
            source: source.into(),
            kind,
            dest: String::new(),
        }
    }

    #[test]
    fn permalinks_follow_jekyll() {
        let post = doc(
            "_posts/2013-05-06-Hello-World.md",
            DocKind::Post { draft: false },
        );
        let front = Map::new();
        let cats = [json!("Release")];
        assert_eq!(
            old_url("date", &post, &front, &cats, None),
            "/release/2013/05/06/Hello-World.html"
        );
        assert_eq!(
            old_url("pretty", &post, &front, &[], None),
            "/2013/05/06/Hello-World/"
        );
        assert_eq!(
            old_url("/news/:year/:month/:day/:title/", &post, &front, &[], None),
            "/news/2013/05/06/Hello-World/"
        );
        let page = doc("about/team.md", DocKind::Page);
        assert_eq!(
            old_url("/:path:output_ext", &page, &front, &[], None),
            "/about/team.html"
        );
        let index = doc("about/index.md", DocKind::Page);
        assert_eq!(
            old_url("/:path:output_ext", &index, &front, &[], None),
            "/about/"
        );
        assert_eq!(page_permalink(Some("/:path/"), "notices.md"), "/:path/");
        assert_eq!(
            page_permalink(Some("pretty"), "feed.xml"),
            "/:path:output_ext"
        );
        assert_eq!(
            page_permalink(Some("date"), "about.md"),
            "/:path:output_ext"
        );
        assert_eq!(page_permalink(None, "about.md"), "/:path:output_ext");
        let d = doc(
            "_docs/config/options.md",
            DocKind::Collection("docs".into()),
        );
        assert_eq!(
            old_url("/:collection/:path/", &d, &front, &[], None),
            "/docs/config/options/"
        );
        assert_eq!(blog_name("/news/:year/:title/"), "news");
        assert_eq!(
            site_day("2016-08-25 09:50:00 +0300", Some("America/Los_Angeles")).as_deref(),
            Some("2016-08-24")
        );
        assert_eq!(
            site_day("2016-08-25 09:50:00 +0300", None).as_deref(),
            Some("2016-08-25")
        );
        assert_eq!(blog_name("date"), "blog");
    }
}
