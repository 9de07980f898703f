//! Zola: `config.toml` (or `zola.toml`), `content/`, `static/`.
//!
//! Zola's content tree is Trailmark's (sections with `_index.md`, pages, bundles with their
//! files), so files keep their place. Front matter is rewritten as YAML: `[taxonomies]`
//! become top-level lists, `[extra]` stays `extra`, `path` and Zola's own URL rules give
//! the old URL, which becomes an alias when Trailmark's differs (number prefixes, which
//! Zola keeps and Trailmark drops). `template`, `page_template` and other rendering
//! settings are dropped and listed; a section sorted by date becomes a blog. `@/` links
//! become relative links; `youtube`, `vimeo`, `gist` and `figure` shortcodes become
//! Trailmark's; others are left and listed. Translations (`page.fr.md`) are listed, not
//! imported.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{
    ImportError, Out, extension, file_name, join, links, new_url, parent, split_page, stem,
    str_field,
};
use crate::content::{slugify, split_file_stem};

/// Front matter keys that only steer Zola's rendering.
const RENDERING_KEYS: &[&str] = &[
    "template",
    "page_template",
    "insert_anchor_links",
    "render",
    "transparent",
    "in_search_index",
    "generate_feeds",
    "generate_feed",
    "paginate_path",
    "paginate_reversed",
    "sort_by",
];

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    let (config_rel, config_text) = ["config.toml", "zola.toml"]
        .iter()
        .find_map(|name| {
            out.read_text(name)
                .ok()
                .flatten()
                .map(|t| ((*name).to_string(), t))
        })
        .ok_or_else(|| ImportError::NotASite {
            src: out.src.clone(),
            tool: "Zola",
            missing: "config.toml".into(),
        })?;
    let config = super::parse_config(&config_rel, &config_text)?;
    let languages: BTreeSet<String> = config
        .get("languages")
        .and_then(Value::as_object)
        .map(|l| l.keys().cloned().collect())
        .unwrap_or_default();
    let default_language = str_field(&config, "default_language");
    let taxonomy_names = write_config(out, &config_rel, &config);

    let files = walk(out, "content");
    let mut aliases_taken = BTreeSet::new();
    // Every URL the new site has, for aliases not to take one.
    let mut used_urls: BTreeSet<String> = BTreeSet::new();
    for rel in &files {
        if extension(rel) == "md" {
            let dest = &rel["content/".len()..];
            used_urls.insert(new_url(dest));
            let mut dir = parent(dest);
            while !dir.is_empty() {
                used_urls.insert(new_url(&join(dir, "_index.md")));
                dir = parent(dir);
            }
        }
    }
    let source_urls = SourceUrls::read(out, &files)?;
    // Pages with a `path` keep it as their URL in the new site.
    used_urls.extend(source_urls.fixed.iter().map(|u| u.to_lowercase()));
    let file_set: BTreeSet<&str> = files.iter().map(|f| &f["content/".len()..]).collect();
    for rel in &files {
        let inner = &rel["content/".len()..];
        if extension(rel) != "md" {
            out.copy(rel, &format!("content/{inner}"))?;
            continue;
        }
        // `name.fr.md`: a translation when `fr` is a declared language.
        if let Some(lang) = translation_suffix(stem(inner), &languages, default_language) {
            out.report.person(
                rel,
                1,
                &format!(
                    "translation (`{lang}`): Trailmark has one language per site; not imported"
                ),
            );
            continue;
        }
        let Some(text) = out.read_text(rel)? else {
            continue;
        };
        let (text, skipped_lines) = front_matter_first(&text);
        let (mut parsed, body, body_line) = split_page(out, rel, text);
        let body_line = body_line + skipped_lines;
        for line in parsed.key_lines.values_mut() {
            *line += skipped_lines;
        }
        let is_section = file_name(inner) == "_index.md";
        let mut front = Map::new();
        let mut old_urls: Vec<String> = Vec::new();
        for (key, value) in &parsed.fields {
            match key.as_str() {
                "taxonomies" => {
                    if let Value::Object(map) = value {
                        for (name, terms) in map {
                            front.insert(name.clone(), terms.clone());
                        }
                        out.report.converted("`[taxonomies]` → top-level lists");
                    }
                }
                // Kept below, once the page's other URL rules are known.
                "path" => {}
                "aliases" => {
                    for alias in value.as_array().into_iter().flatten() {
                        if let Some(a) = alias.as_str() {
                            old_urls.push(super::rooted(a));
                        }
                    }
                }
                "date" | "updated" => {
                    super::convert_date(out, &mut front, (rel, parsed.line_of(key)), (key, value), key);
                }
                "redirect_to" => out.report.person(
                    rel,
                    parsed.line_of(key),
                    "`redirect_to`: Trailmark has no section redirects; the section is imported as a page",
                ),
                "sort_by" => {
                    if is_section && value.as_str() == Some("date") {
                        front.insert("kind".into(), json!("blog"));
                        out.report.converted("section sorted by date → blog");
                    } else {
                        out.report.dropped(key, "Trailmark orders by weight, then number prefix, then date, then title", rel);
                    }
                }
                k if RENDERING_KEYS.contains(&k) => {
                    out.report.dropped(key, "a Zola rendering setting; the theme decides", rel);
                }
                "title" | "description" | "draft" | "slug" | "weight" | "authors" | "extra"
                | "paginate_by" | "summary" | "lang" => {
                    front.insert(key.clone(), value.clone());
                }
                _ => {
                    out.report.dropped(key, "not a Zola front matter key; kept under `extra`", rel);
                    let extra = front.entry("extra").or_insert_with(|| json!({}));
                    if let Value::Object(map) = extra {
                        map.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        let mut url = new_url(inner);
        if let (Some(Value::String(slug)), false) = (front.get("slug"), is_section) {
            let dir_url = new_url(&join(parent(inner), "_index.md"));
            url = format!("{dir_url}{}/", slugify(slug));
        }
        let climbs = |u: &str| u.split('/').any(|s| s == "..");
        match parsed.fields.get("path").and_then(Value::as_str) {
            Some(path) if climbs(path) => {
                out.report.person(
                    rel,
                    parsed.line_of("path"),
                    &format!("`path = \"{path}\"` climbs above the site's root; refused: the page keeps the URL Trailmark gives it"),
                );
                old_urls.push(zola_url(
                    inner,
                    parsed.fields.get("slug").and_then(Value::as_str),
                ));
            }
            Some(path) => {
                url = super::keep_source_url(&mut front, path, url, is_section, &mut old_urls);
                out.report.converted(if is_section {
                    "`path` of a section → alias for the old URL"
                } else {
                    "`path` → the page's URL (`path:`)"
                });
            }
            None => old_urls.push(zola_url(
                inner,
                parsed.fields.get("slug").and_then(Value::as_str),
            )),
        }
        let (refused, old_urls): (Vec<String>, Vec<String>) =
            old_urls.into_iter().partition(|u| climbs(u));
        for alias in refused {
            out.report.person(
                rel,
                parsed.line_of("aliases"),
                &format!("alias `{alias}` climbs above the site's root; refused"),
            );
        }
        let aliases = super::aliases_for(old_urls, &url, &used_urls, &mut aliases_taken);
        if !aliases.is_empty() {
            front.insert("aliases".into(), json!(aliases));
        }
        let dir = parent(inner).to_string();
        let resolve = |target: &str| -> Option<String> {
            let target = target.strip_prefix("@/").unwrap_or(target);
            Some(links::relative(&dir, target))
        };
        let body = super::markup::zola(&body, rel, body_line, &resolve, &mut out.report);
        let mut converted_links = 0;
        let body = links::rewrite_all(&body, |dest| {
            let target = dest.strip_prefix("@/")?;
            converted_links += 1;
            Some(links::relative(&dir, target))
        });
        for _ in 0..converted_links {
            out.report.converted("`@/` internal link → relative link");
        }
        // The browser reads a relative link from the page's URL: a link that names no file
        // beside the source file is read as Zola's readers read it.
        let mut url_links = 0;
        let page_url = source_urls.by_file.get(inner).cloned().unwrap_or_default();
        let body = links::rewrite(&body, |dest| {
            if links::resolve(&dir, dest).is_some_and(|t| file_set.contains(t.as_str())) {
                return None;
            }
            let target = source_urls.file_at(&page_url, dest, &file_set)?;
            url_links += 1;
            Some(links::relative(&dir, &target))
        });
        for _ in 0..url_links {
            out.report
                .converted("link relative to the page's old URL → link to the file");
        }
        out.page(&format!("content/{inner}"), &front, &body);
        out.report
            .converted(if is_section { "section" } else { "page" });
    }
    if !out.has_file("content/_index.md") {
        let mut home = Map::new();
        home.insert(
            "title".into(),
            json!(str_field(&config, "title").unwrap_or("Site")),
        );
        out.page("content/_index.md", &home, "");
    }
    let _ = taxonomy_names;
    for rel in walk(out, "static") {
        out.copy(&rel, &rel)?;
        out.report.converted("static file copied at its URL");
    }
    for folder in ["templates", "sass", "themes"] {
        let count = walk(out, folder).len();
        if count > 0 {
            out.report.person(
                folder,
                0,
                &format!("{count} file(s) of Zola templates or styles; Trailmark's default theme is used instead (see README, \"Writing a theme\")"),
            );
        }
    }
    Ok(())
}

/// The URL Zola gave each page (its `path`, else its folders and slug), both ways.
struct SourceUrls {
    /// Content-relative file → URL (`/2016/07/07/x/`).
    by_file: BTreeMap<String, String>,
    /// URL without its last slash → content-relative file.
    by_url: BTreeMap<String, String>,
    /// The URLs of pages with a `path`, which the new site keeps.
    fixed: BTreeSet<String>,
}

impl SourceUrls {
    fn read(out: &mut Out, files: &[String]) -> Result<Self, ImportError> {
        let mut urls = SourceUrls {
            by_file: BTreeMap::new(),
            by_url: BTreeMap::new(),
            fixed: BTreeSet::new(),
        };
        for rel in files.iter().filter(|f| extension(f) == "md") {
            let inner = &rel["content/".len()..];
            let Some(text) = out.read_text(rel)? else {
                continue;
            };
            // Problems in front matter are reported once, by the import itself.
            let fields = crate::front_matter::split(front_matter_first(&text).0)
                .ok()
                .and_then(|split| crate::front_matter::parse(&split).ok())
                .map(|front| front.fields)
                .unwrap_or_default();
            let url = match fields.get("path").and_then(Value::as_str) {
                Some(path) if file_name(inner) != "_index.md" => {
                    let path = path.trim().trim_matches('/');
                    let url = if crate::content::is_file_url(path) {
                        format!("/{path}")
                    } else {
                        format!("/{path}/")
                    };
                    urls.fixed.insert(url.clone());
                    url
                }
                _ => zola_url(inner, fields.get("slug").and_then(Value::as_str)),
            };
            urls.by_url
                .insert(url.trim_end_matches('/').to_string(), inner.to_string());
            urls.by_file.insert(inner.to_string(), url);
        }
        Ok(urls)
    }

    /// The file a link relative to the page at `page_url` leads to: a page, or a file of a
    /// bundle (published beside its page).
    fn file_at(&self, page_url: &str, dest: &str, files: &BTreeSet<&str>) -> Option<String> {
        let base = if page_url.ends_with('/') {
            page_url
        } else {
            parent(page_url)
        };
        let target = links::resolve(base, dest)?;
        let key = format!("/{}", target.trim_end_matches('/'));
        if let Some(file) = self.by_url.get(&key) {
            return Some(file.clone());
        }
        let (dir, name) = key.rsplit_once('/')?;
        let page = self.by_url.get(dir)?;
        let candidate = join(parent(page), name);
        (file_name(page) == "index.md" && files.contains(candidate.as_str())).then_some(candidate)
    }
}

/// The language of a translation's file stem (`page.fr` → `fr`): a language the config
/// declares under `languages` other than the default one, as Zola reads it. A site that
/// declares none has no translations: `Rust-1.10` and `Update-on-crates.io-incident` are
/// pages.
fn translation_suffix<'a>(
    stem: &'a str,
    languages: &BTreeSet<String>,
    default_language: Option<&str>,
) -> Option<&'a str> {
    let (_, lang) = stem.rsplit_once('.')?;
    (Some(lang) != default_language && languages.contains(lang)).then_some(lang)
}

/// The URL Zola gave a content file: its folders, then its slug (the file name without a
/// date prefix, slugified), or the folder for `_index.md` and a bundle's `index.md`.
fn zola_url(inner: &str, slug: Option<&str>) -> String {
    let name = file_name(inner);
    let dir = parent(inner);
    let mut parts: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    if name != "_index.md" && name != "index.md" {
        let (_, date, rest) = split_file_stem(stem(inner));
        let base = if date.is_some() { rest } else { stem(inner) };
        parts.push(slugify(slug.unwrap_or(base)));
    } else if let (Some(last), "index.md") = (parts.last_mut(), name) {
        // A bundle's folder is named like a page's file.
        let folder = file_name(dir);
        let (_, date, rest) = split_file_stem(folder);
        let base = if date.is_some() { rest } else { folder };
        *last = slugify(slug.unwrap_or(base));
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

fn walk(out: &mut Out, folder: &str) -> Vec<String> {
    out.walk(folder)
}

/// Writes trailmark.yaml; returns the taxonomy names.
fn write_config(out: &mut Out, file: &str, config: &Map<String, Value>) -> Vec<String> {
    let mut site = Map::new();
    site.insert(
        "title".into(),
        json!(str_field(config, "title").unwrap_or("Site")),
    );
    if let Some(description) = str_field(config, "description") {
        site.insert("description".into(), json!(description));
    }
    site.insert(
        "base_url".into(),
        json!(
            str_field(config, "base_url")
                .unwrap_or("http://localhost")
                .trim_end_matches('/')
        ),
    );
    if let Some(lang) = str_field(config, "default_language") {
        site.insert("language".into(), json!(lang));
    }
    let mut taxonomies = Vec::new();
    for item in config
        .get("taxonomies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = item.get("name").and_then(Value::as_str) {
            taxonomies.push(name.to_string());
        }
    }
    if !taxonomies.is_empty() {
        site.insert("taxonomies".into(), json!(taxonomies));
    }
    if let Some(author) = config.get("author").and_then(Value::as_str) {
        site.insert("author".into(), json!({"name": author}));
    } else if let Some(author) = config
        .get("extra")
        .and_then(|e| e.get("author"))
        .and_then(Value::as_str)
    {
        site.insert("author".into(), json!({"name": author}));
    }
    // Themes keep their menu in `[extra]` under one of a few names.
    let extra_menu = config.get("extra").and_then(|extra| {
        ["menu", "menu_items", "main_menu", "navbar_items"]
            .iter()
            .find_map(|k| extra.get(*k).and_then(Value::as_array))
    });
    let mut menu = Vec::new();
    for (i, item) in extra_menu.into_iter().flatten().enumerate() {
        let name = item.get("name").and_then(Value::as_str);
        let url = item.get("url").and_then(Value::as_str);
        if let (Some(name), Some(url)) = (name, url) {
            let url = url.replace("$BASE_URL", "");
            let url = if url.is_empty() { "/".to_string() } else { url };
            menu.push(json!({"name": name, "url": url, "weight": i + 1}));
        }
    }
    if !menu.is_empty() {
        out.report.converted("menu in `[extra]` → `menu`");
        site.insert("menu".into(), Value::Array(menu));
    }
    // Zola's heading ids (punctuation becomes `-`, emoji become names): links written for
    // Zola name them, so the imported site keeps Zola's rule rather than GitHub's. Zola has
    // no math: its dollars are dollars.
    site.insert(
        "markdown".into(),
        json!({"broken_links": "warn", "heading_ids": "compact", "math": "off"}),
    );
    if let Some(Value::Object(extra)) = config.get("extra")
        && !extra.is_empty()
    {
        site.insert("extra".into(), Value::Object(extra.clone()));
    }
    for key in config.keys() {
        if !matches!(
            key.as_str(),
            "title"
                | "description"
                | "base_url"
                | "default_language"
                | "taxonomies"
                | "author"
                | "extra"
        ) {
            out.report
                .dropped(key, "a Zola build setting with no Trailmark meaning", file);
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
    taxonomies
}

/// Zola reads front matter after blank lines (its split allows whitespace before the first
/// `+++`); Trailmark's reader takes it only on the first line. The text from the `+++` on,
/// and how many lines came before it; the text as it is when it does not open that way.
fn front_matter_first(text: &str) -> (&str, usize) {
    let trimmed = text.trim_start();
    if trimmed.len() < text.len() && trimmed.starts_with("+++") {
        let skipped = &text[..text.len() - trimmed.len()];
        (trimmed, skipped.matches('\n').count())
    } else {
        (text, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_urls() {
        assert_eq!(zola_url("blog/2024-01-02-hello.md", None), "/blog/hello/");
        assert_eq!(zola_url("docs/01-intro.md", None), "/docs/01-intro/");
        assert_eq!(zola_url("docs/_index.md", None), "/docs/");
        assert_eq!(
            zola_url("blog/trip/index.md", Some("the-trip")),
            "/blog/the-trip/"
        );
        assert_eq!(
            zola_url("blog/2024-05-01-trip/index.md", None),
            "/blog/trip/"
        );
        assert_eq!(zola_url("about.md", Some("who")), "/who/");
    }
}
