//! Hugo: `hugo.toml` (or `config.*`, `config/_default/`), `content/` (or the folder a module
//! mount puts there), `static/`, `data/`.
//!
//! Hugo's content tree is Trailmark's (`_index.md` sections, `index.md` bundles), so files
//! keep their place. Front matter: `publishDate` becomes `date` when there is none,
//! `lastmod` `updated`, `url` and Hugo's URL rules (`permalinks` per section, `slug`,
//! lowercased paths, number prefixes kept) give the old URL, an alias when Trailmark's
//! differs; `aliases` stay; `params` go to `extra`; `expiryDate`, `layout`, `type`,
//! `outputs`, `cascade`, `build` are dropped and listed. A page Hugo leaves out because it
//! is dated after today or past its `expiryDate` (unless `buildFuture`/`buildExpired`) is
//! imported as a draft. Site menus (`[menus]`/`[menu]`) and `menu` in front matter become
//! the site menu. Shortcodes: `figure`, `youtube`, `vimeo`, `gist`, `ref`/`relref`,
//! `highlight` and an `include` of another content file are converted; others are left and
//! listed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::markup::{self, HugoSite};
use super::{
    ImportError, Out, extension, file_name, join, links, new_url, normalize_date, parent,
    split_page, stem, str_field,
};
use crate::content::slugify;

const DROPPED_KEYS: &[(&str, &str)] = &[
    (
        "layout",
        "Trailmark picks the template from the page's kind",
    ),
    ("type", "Trailmark picks the template from the page's kind"),
    ("outputs", "Trailmark decides the outputs"),
    ("cascade", "Trailmark has no cascading front matter"),
    ("build", "Hugo build options"),
    ("_build", "Hugo build options"),
    ("headless", "Hugo build options"),
    ("markup", "Trailmark reads Markdown only"),
    ("linktitle", "Trailmark has one title"),
    ("linkTitle", "Trailmark has one title"),
    ("translationKey", "Trailmark has one language per site"),
    ("isCJKLanguage", "Trailmark counts words for every script"),
];

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    let (config_rel, config) = read_config(out)?;
    let content_dir = content_dir(&config);
    if let super::Found::Outside(target) = out.find(&content_dir) {
        // Refused: an import reads nothing outside the folder it was given.
        let text = out.read_text(&config_rel)?.unwrap_or_default();
        let line = text
            .lines()
            .position(|l| l.contains("contentDir") || l.contains(content_dir.as_str()))
            .map_or(1, |i| i + 1);
        return Err(ImportError::Config {
            file: config_rel,
            line,
            column: 1,
            message: format!(
                "the content folder `{content_dir}` leads outside the site's folder (to `{}`); \
                 import reads nothing outside the folder it is given: move the content inside it and set `contentDir` to match",
                target.display()
            ),
        });
    }
    if !out.exists(&content_dir) {
        return Err(ImportError::NotASite {
            src: out.src.clone(),
            tool: "Hugo",
            missing: format!("{content_dir}/"),
        });
    }
    let permalinks = permalinks(&config);
    let files = walk(out, &content_dir);
    let pages: Vec<String> = files
        .iter()
        .filter(|f| matches!(extension(f).as_str(), "md" | "markdown" | "html" | "htm"))
        .map(|f| f[content_dir.len() + 1..].to_string())
        .collect();

    // Two sources never share one file (`c.md`, `c.markdown` and `c.html`).
    let pairs: Vec<(String, String)> = pages
        .iter()
        .map(|inner| (join(&content_dir, inner), dest_of(inner)))
        .collect();
    let dests: BTreeMap<String, String> = pages
        .iter()
        .cloned()
        .zip(super::distinct_dests(out, &pairs))
        .collect();
    let mut site = Site {
        dests: dests.clone(),
        pages: pages.iter().cloned().collect(),
        bodies: BTreeMap::new(),
        page_dir: String::new(),
    };
    let mut taxonomies: BTreeSet<String> = config_taxonomies(&config);
    let mut menu: Vec<Value> = site_menu(&config);
    let mut used_urls: BTreeSet<String> = BTreeSet::new();
    for inner in &pages {
        let dest = dests.get(inner).cloned().unwrap_or_else(|| dest_of(inner));
        used_urls.insert(new_url(&dest));
        let mut dir = parent(&dest);
        while !dir.is_empty() {
            used_urls.insert(new_url(&join(dir, "_index.md")));
            dir = parent(dir);
        }
    }
    // Hugo leaves out pages dated in the future and pages past their `expiryDate`, unless
    // these say otherwise.
    let build_future = config_flag(&config, "buildFuture");
    let build_expired = config_flag(&config, "buildExpired");
    let today = crate::build::today();
    // Bodies first, for `include`s of other pages.
    let mut parsed_pages = Vec::new();
    for inner in &pages {
        let rel = join(&content_dir, inner);
        let Some(text) = out.read_text(&rel)? else {
            continue;
        };
        let (parsed, body, body_line) = split_page(out, &rel, &text);
        site.bodies.insert(inner.clone(), body.clone());
        parsed_pages.push((inner.clone(), rel, parsed, body, body_line));
    }

    // Sections whose `cascade` says their pages are never rendered (snippet folders).
    let headless_dirs: Vec<String> = parsed_pages
        .iter()
        .filter(|(inner, _, parsed, _, _)| {
            stem(inner) == "_index"
                && parsed.fields.get("cascade").is_some_and(|c| {
                    let c = c.as_array().and_then(|a| a.first()).unwrap_or(c);
                    ["build", "_build"].iter().any(|k| {
                        c.get(*k)
                            .and_then(|b| b.get("render"))
                            .is_some_and(|r| r == "never" || r == &Value::Bool(false))
                    })
                })
        })
        .map(|(inner, ..)| parent(inner).to_string())
        .collect();
    let term_ids = config
        .get("markup")
        .and_then(|m| m.get("goldmark"))
        .and_then(|g| g.get("parser"))
        .and_then(|p| p.get("autoDefinitionTermID"))
        == Some(&Value::Bool(true));
    let glossary = Glossary::find(out, &parsed_pages);
    let mut aliases_taken = BTreeSet::new();
    for (inner, rel, parsed, body, body_line) in parsed_pages {
        // A cascade reaches the section page too, unless it says otherwise itself
        // (`build.render: always`, as a glossary listing its headless terms does).
        let renders_itself = ["build", "_build"].iter().any(|k| {
            parsed
                .fields
                .get(*k)
                .and_then(|b| b.get("render"))
                .is_some_and(|r| r == "always" || r == &Value::Bool(true))
        });
        let own_index = |d: &String| inner == join(d, "_index.md") && renders_itself;
        if headless_dirs
            .iter()
            .any(|d| (d.is_empty() || inner.starts_with(&format!("{d}/"))) && !own_index(d))
        {
            out.report.dropped(&rel, "Hugo never renders it (a `cascade` of `build.render: never`); its text is used by includes", &rel);
            continue;
        }
        let fields = &parsed.fields;
        let never_rendered = ["build", "_build"].iter().any(|k| {
            fields
                .get(*k)
                .and_then(|b| b.get("render"))
                .is_some_and(|r| r == "never" || r == &Value::Bool(false))
        }) || fields.get("headless") == Some(&Value::Bool(true));
        if never_rendered {
            out.report.dropped(&rel, "Hugo never renders it (`build.render: never` or headless); its text is used by includes", &rel);
            continue;
        }
        let dest = dests
            .get(&inner)
            .cloned()
            .unwrap_or_else(|| dest_of(&inner));
        let mut front = Map::new();
        let mut extra = Map::new();
        let mut old_urls = Vec::new();
        for (key, value) in fields {
            let lower = key.to_ascii_lowercase();
            match lower.as_str() {
                "title" | "description" | "draft" | "weight" | "slug" | "summary" => {
                    front.insert(lower.clone(), value.clone());
                }
                "date" | "publishdate" | "pubdate" | "lastmod" | "modified" => {
                    let target = match lower.as_str() {
                        "lastmod" | "modified" => "updated",
                        _ => "date",
                    };
                    // Hugo publishes a page from its `publishDate`; Trailmark from its
                    // `date`. The publishing date wins, so a scheduled post stays scheduled.
                    let publish_key = fields.keys().find(|k| {
                        matches!(k.to_ascii_lowercase().as_str(), "publishdate" | "pubdate")
                    });
                    if lower == "date" && publish_key.is_some() {
                        out.report.dropped(
                            key,
                            "the page's `publishDate` is kept as its `date` instead: Trailmark publishes a page from its `date`",
                            &rel,
                        );
                        continue;
                    }
                    if target == "date" && lower != "date" && publish_key != Some(key) {
                        continue;
                    }
                    let kept = super::convert_date(
                        out,
                        &mut front,
                        (&rel, parsed.line_of(key)),
                        (key, value),
                        target,
                    );
                    if kept && publish_key == Some(key) {
                        out.report.converted(&format!(
                            "`{key}` → `date` (published from that date, or with `--future`)"
                        ));
                    } else if kept && lower != "date" {
                        out.report.converted(&format!("`{key}` → `{target}`"));
                    }
                }
                "expirydate" | "unpublishdate" => {
                    let expired = value
                        .as_str()
                        .and_then(normalize_date)
                        .and_then(|day| crate::content::parse_date(&day).ok())
                        .is_some_and(|d| on_or_before(d, today));
                    if expired && !build_expired {
                        out.report.person(
                            &rel,
                            parsed.line_of(key),
                            &format!("`{key}`: expired; Hugo no longer publishes it, so it was imported with `draft: true`"),
                        );
                        front.insert("draft".into(), Value::Bool(true));
                    } else {
                        out.report.person(
                            &rel,
                            parsed.line_of(key),
                            &format!("`{key}`: Trailmark keeps pages published; remove the page or mark it `draft: true` when it expires"),
                        );
                    }
                }
                // Kept below, once the page's other URL rules are known.
                "url" => {}
                "aliases" => {
                    for alias in words(value) {
                        let alias = alias.trim();
                        if !alias.is_empty() {
                            old_urls.push(super::rooted(alias));
                        }
                    }
                }
                "author" | "authors" => {
                    front.insert(
                        "authors".into(),
                        Value::Array(match value {
                            Value::Array(a) => a.clone(),
                            other => vec![other.clone()],
                        }),
                    );
                }
                "params" => {
                    if let Value::Object(map) = value {
                        extra.extend(map.clone());
                    }
                    out.report.converted("`params` → `extra`");
                }
                "menu" | "menus" => {
                    let title = fields
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or(&inner);
                    let weight = value
                        .get("main")
                        .and_then(|m| m.get("weight"))
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    let in_main = value == &json!("main")
                        || value.get("main").is_some()
                        || value.as_array().is_some_and(|a| a.contains(&json!("main")));
                    if in_main {
                        menu.push(json!({"name": title, "url": new_url(&dest), "weight": weight}));
                        out.report.converted("`menu: main` → site menu item");
                    } else {
                        out.report.dropped(
                            key,
                            "only the `main` menu has a place in Trailmark's theme",
                            &rel,
                        );
                    }
                }
                _ => {
                    if let Some((_, why)) = DROPPED_KEYS
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    {
                        out.report.dropped(key, why, &rel);
                    } else if taxonomies.contains(key.as_str())
                        || lower == "tags"
                        || lower == "categories"
                    {
                        front.insert(
                            key.clone(),
                            Value::Array(words(value).into_iter().map(Value::String).collect()),
                        );
                        taxonomies.insert(key.clone());
                    } else {
                        extra.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        // A page published after today (its `publishDate`, else its `date`): Hugo builds no
        // page dated in the future unless `buildFuture` is set; Trailmark holds back pages
        // dated after the build only in blog and journey sections, and a Hugo import makes
        // neither, so it waits as a draft.
        let date_key = fields
            .keys()
            .find(|k| matches!(k.to_ascii_lowercase().as_str(), "publishdate" | "pubdate"))
            .or_else(|| fields.keys().find(|k| k.eq_ignore_ascii_case("date")));
        if let Some(key) = date_key
            && !build_future
            && let Some(Value::String(day)) = front.get("date")
            && crate::content::parse_date(day).is_ok_and(|d| !on_or_before(d, today))
            && front.get("draft") != Some(&Value::Bool(true))
        {
            out.report.person(
                &rel,
                parsed.line_of(key),
                &format!(
                    "`{key}`: scheduled for {day}; Hugo publishes no page dated in the future (`buildFuture` is off) and Trailmark holds back future pages only in blog and journey sections, so it was imported with `draft: true`: remove that line when it is due"
                ),
            );
            front.insert("draft".into(), Value::Bool(true));
        }
        if !extra.is_empty() {
            front.insert("extra".into(), Value::Object(extra));
        }
        let source_url = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("url"))
            .and_then(|(_, v)| v.as_str());
        if source_url.is_none() {
            old_urls.push(hugo_url(&inner, fields, &permalinks));
        }
        let mut url = match front.get("slug") {
            Some(Value::String(slug)) if !is_index(&inner) => {
                format!(
                    "{}{}/",
                    new_url(&join(parent(&dest), "_index.md")),
                    slugify(slug)
                )
            }
            _ => new_url(&dest),
        };
        if let Some(source_url) = source_url {
            let is_section = stem(&inner) == "_index";
            url = super::keep_source_url(&mut front, source_url, url, is_section, &mut old_urls);
            out.report.converted(if is_section {
                "`url` of a section → alias for the old URL"
            } else {
                "`url` → the page's URL (`path:`)"
            });
        }
        let aliases = super::aliases_for(old_urls, &url, &used_urls, &mut aliases_taken);
        if !aliases.is_empty() {
            front.insert("aliases".into(), json!(aliases));
        }
        site.page_dir = parent(&inner).to_string();
        let body = match &glossary {
            Some(g) if inner == g.index => g.expand(&body, &mut out.report),
            _ => body,
        };
        let mut body = markup::hugo(&body, &rel, body_line, &site, &mut out.report);
        body = markup::hugo_fence_attributes(&body, &mut out.report);
        if let Some(g) = &glossary {
            body = g.link_terms(&body, parent(&dest), &mut out.report);
        }
        if term_ids {
            body = markup::definition_term_ids(&body, &mut out.report);
        }
        if matches!(extension(&inner).as_str(), "html" | "htm") {
            body = super::html_body(&body);
            out.report
                .converted("HTML content file → page with its HTML body");
        }
        out.page(&format!("content/{dest}"), &front, &body);
        out.report.converted(if is_index(&inner) {
            "section or bundle page"
        } else {
            "page"
        });
    }
    for file in &files {
        let inner = &file[content_dir.len() + 1..];
        if !matches!(extension(file).as_str(), "md" | "markdown" | "html" | "htm") {
            out.copy(file, &format!("content/{inner}"))?;
        }
    }
    if !out.has_file("content/_index.md") {
        let mut home = Map::new();
        home.insert(
            "title".into(),
            json!(str_field(&config, "title").unwrap_or("Site")),
        );
        out.page("content/_index.md", &home, "");
    }
    for rel in walk(out, "static") {
        out.copy(&rel, &rel)?;
        out.report.converted("static file copied at its URL");
    }
    for rel in walk(out, "data") {
        out.copy(&rel, &rel)?;
    }
    for folder in ["layouts", "assets", "themes", "archetypes", "i18n"] {
        let count = walk(out, folder).len();
        if count > 0 {
            out.report.person(
                folder,
                0,
                &format!("{count} file(s) of Hugo templates, assets or theme; Trailmark's default theme is used instead (see README, \"Writing a theme\")"),
            );
        }
    }
    write_config(out, &config_rel, &config, &taxonomies, menu);
    Ok(())
}

fn is_index(inner: &str) -> bool {
    matches!(stem(inner), "_index" | "index")
}

/// Where a content file goes: the same place, as `.md`.
fn dest_of(inner: &str) -> String {
    match inner.rsplit_once('.') {
        Some((base, _)) => format!("{base}.md"),
        None => format!("{inner}.md"),
    }
}

struct Site {
    /// Page (content-relative) → its file under content/.
    dests: BTreeMap<String, String>,
    pages: BTreeSet<String>,
    bodies: BTreeMap<String, String>,
    page_dir: String,
}

impl Site {
    /// The content file a Hugo reference names: relative to the page or absolute from the
    /// content root, with or without `.md`, a folder meaning its `_index.md`/`index.md`.
    fn find(&self, target: &str) -> Option<String> {
        let path = target.split('#').next().unwrap_or(target).trim();
        // Relative to the page first, then from the content root, as Hugo's `GetPage`.
        let mut bases = Vec::new();
        if !path.starts_with('/') {
            bases.extend(links::resolve(&self.page_dir, path));
        }
        bases.extend(links::resolve("", path));
        for base in bases {
            let candidates = [
                base.clone(),
                format!("{base}.md"),
                join(&base, "_index.md"),
                join(&base, "index.md"),
            ];
            if let Some(found) = candidates.iter().find(|c| self.pages.contains(*c)) {
                return Some(found.clone());
            }
        }
        // Hugo also finds a page by its name alone, anywhere.
        if !path.contains('/') {
            let name = path.trim_end_matches(".md");
            return self
                .pages
                .iter()
                .find(|p| stem(p) == name || (is_index(p) && file_name(parent(p)) == name))
                .cloned();
        }
        None
    }
}

impl HugoSite for Site {
    fn reference(&self, target: &str) -> Option<String> {
        let found = self.find(target)?;
        let fragment = target.find('#').map_or("", |i| &target[i..]);
        Some(format!(
            "{}{fragment}",
            links::relative(
                &self.page_dir,
                &self
                    .dests
                    .get(&found)
                    .cloned()
                    .unwrap_or_else(|| dest_of(&found))
            )
        ))
    }

    fn include(&self, target: &str) -> Option<String> {
        let found = self.find(target)?;
        let body = self.bodies.get(&found)?;
        Some(body.trim().to_string())
    }
}

/// The URL Hugo gave a page: `permalinks` for its section, else its path (lowercased,
/// the file name or `slug` as the last segment).
fn hugo_url(
    inner: &str,
    front: &Map<String, Value>,
    permalinks: &BTreeMap<String, String>,
) -> String {
    let dir = parent(inner);
    let section = dir.split('/').next().unwrap_or_default();
    let slug = front.get("slug").and_then(Value::as_str);
    let name = if is_index(inner) {
        file_name(dir).to_string()
    } else {
        stem(inner).to_string()
    };
    if stem(inner) != "_index"
        && let Some(pattern) = permalinks.get(section)
    {
        let date = ["date", "publishDate", "publishdate", "pubdate"]
            .iter()
            .find_map(|k| front.get(*k))
            .and_then(Value::as_str)
            .and_then(normalize_date)
            .unwrap_or_default();
        let title = front.get("title").and_then(Value::as_str).unwrap_or(&name);
        let mut url = pattern.clone();
        for (key, value) in [
            (":year", date.get(..4).unwrap_or("").to_string()),
            (":month", date.get(5..7).unwrap_or("").to_string()),
            (":day", date.get(8..10).unwrap_or("").to_string()),
            (":contentbasename", name.clone()),
            (":filename", name.clone()),
            (":slugorfilename", slug.unwrap_or(&name).to_string()),
            (":slugorcontentbasename", slug.unwrap_or(&name).to_string()),
            (":slug", slug.map_or_else(|| urlize(title), str::to_string)),
            (":title", urlize(title)),
            (":sections", dir.to_string()),
            (":section", section.to_string()),
        ] {
            url = url.replace(key, &value);
        }
        let url = format!("/{}", url.trim_start_matches('/'));
        return if url.ends_with('/') || url.contains('.') {
            url
        } else {
            format!("{url}/")
        };
    }
    let mut parts: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(urlize)
        .collect();
    if is_index(inner) {
        if let (Some(slug), Some(last), "index") = (slug, parts.last_mut(), stem(inner)) {
            *last = urlize(slug);
        }
    } else {
        parts.push(urlize(slug.unwrap_or(&name)));
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Hugo's `urlize` as it shapes paths: lowercase, spaces to `-`.
fn urlize(text: &str) -> String {
    text.trim().to_lowercase().replace(' ', "-")
}

fn words(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn read_config(out: &mut Out) -> Result<(String, Map<String, Value>), ImportError> {
    for name in [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config/_default/hugo.toml",
        "config/_default/config.toml",
        "config/_default/hugo.yaml",
        "config/_default/config.yaml",
    ] {
        if let Some(text) = out.read_text(name)? {
            let mut config = super::parse_config(name, &text)?;
            // `config/_default/` splits the config over files named after their key.
            if let Some(dir) = name.strip_suffix(file_name(name)).filter(|d| !d.is_empty()) {
                for key in ["menus", "params", "permalinks", "taxonomies", "languages"] {
                    for ext in ["toml", "yaml"] {
                        let path = format!("{dir}{key}.{ext}");
                        if let Some(text) = out.read_text(&path)? {
                            config.insert(
                                key.into(),
                                Value::Object(super::parse_config(&path, &text)?),
                            );
                        }
                    }
                }
            }
            return Ok((name.to_string(), config));
        }
    }
    Err(ImportError::NotASite {
        src: out.src.clone(),
        tool: "Hugo",
        missing: "hugo.toml or config.toml".into(),
    })
}

/// The content folder: `contentDir`, else a module mount targeting `content`, else
/// `content`.
fn content_dir(config: &Map<String, Value>) -> String {
    if let Some(dir) = str_field(config, "contentDir") {
        return dir.trim_matches('/').to_string();
    }
    let mounts = config
        .get("module")
        .and_then(|m| m.get("mounts"))
        .and_then(Value::as_array);
    for mount in mounts.into_iter().flatten() {
        if mount.get("target").and_then(Value::as_str) == Some("content")
            && let Some(source) = mount.get("source").and_then(Value::as_str)
        {
            return source.trim_matches('/').to_string();
        }
    }
    "content".into()
}

fn permalinks(config: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(Value::Object(items)) = config.get("permalinks") {
        for (key, value) in items {
            match value {
                Value::String(pattern) => {
                    map.insert(key.clone(), pattern.clone());
                }
                // Hugo 0.112+: `[permalinks.page] posts = "..."`.
                Value::Object(inner) if key == "page" => {
                    for (section, pattern) in inner {
                        if let Some(p) = pattern.as_str() {
                            map.insert(section.clone(), p.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    map
}

fn config_taxonomies(config: &Map<String, Value>) -> BTreeSet<String> {
    match config.get("taxonomies") {
        Some(Value::Object(map)) => map
            .values()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => ["tags".to_string(), "categories".to_string()]
            .into_iter()
            .collect(),
    }
}

/// A boolean of Hugo's config, whose keys Hugo reads in any case.
fn config_flag(config: &Map<String, Value>, key: &str) -> bool {
    config
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(key) && v == &Value::Bool(true))
}

/// Whether `date`'s day is `today` or earlier (Hugo's dates without a time are midnight).
fn on_or_before(date: crate::content::Date, today: crate::content::Date) -> bool {
    (date.year, date.month, date.day) <= (today.year, today.month, today.day)
}

/// `[menus]` (or `[menu]`) `main` entries.
fn site_menu(config: &Map<String, Value>) -> Vec<Value> {
    let entries = config
        .get("menus")
        .or_else(|| config.get("menu"))
        .and_then(|m| m.get("main"))
        .and_then(Value::as_array);
    entries
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let name = item.get("name").and_then(Value::as_str)?;
            let url = item
                .get("url")
                .or_else(|| item.get("pageRef"))
                .and_then(Value::as_str)?;
            let weight = item.get("weight").and_then(Value::as_i64).unwrap_or(0);
            Some(json!({"name": name, "url": url, "weight": weight}))
        })
        .collect()
}

fn walk(out: &mut Out, folder: &str) -> Vec<String> {
    out.walk(folder)
}

fn write_config(
    out: &mut Out,
    file: &str,
    config: &Map<String, Value>,
    taxonomies: &BTreeSet<String>,
    mut menu: Vec<Value>,
) {
    let mut site = Map::new();
    site.insert(
        "title".into(),
        json!(str_field(config, "title").unwrap_or("Site")),
    );
    let params = config.get("params").and_then(Value::as_object);
    if let Some(description) = params.and_then(|p| str_field(p, "description")) {
        site.insert("description".into(), json!(description));
    }
    site.insert(
        "base_url".into(),
        json!(
            str_field(config, "baseURL")
                .or_else(|| str_field(config, "baseurl"))
                .unwrap_or("http://localhost")
                .trim_end_matches('/')
        ),
    );
    if let Some(lang) =
        str_field(config, "languageCode").or_else(|| str_field(config, "defaultContentLanguage"))
    {
        site.insert("language".into(), json!(lang));
    }
    let author = config
        .get("author")
        .or_else(|| params.and_then(|p| p.get("author")));
    match author {
        Some(Value::String(name)) => {
            site.insert("author".into(), json!({"name": name}));
        }
        Some(Value::Object(a)) => {
            let mut author = Map::new();
            for key in ["name", "email", "url"] {
                if let Some(v) = str_field(a, key) {
                    author.insert(key.into(), json!(v));
                }
            }
            site.insert("author".into(), Value::Object(author));
        }
        _ => {}
    }
    let mut names: Vec<&String> = taxonomies.iter().collect();
    names.sort_by_key(|n| (n.as_str() != "tags", n.as_str()));
    site.insert("taxonomies".into(), json!(names));
    menu.sort_by_key(|m| m.get("weight").and_then(Value::as_i64).unwrap_or(0));
    if !menu.is_empty() {
        site.insert("menu".into(), Value::Array(menu));
    }
    site.insert(
        "markdown".into(),
        json!({"broken_links": "warn", "math": hugo_math(config)}),
    );
    if let Some(params) = params
        && !params.is_empty()
    {
        site.insert("extra".into(), Value::Object(params.clone()));
    }
    for key in config.keys() {
        if !matches!(
            key.as_str(),
            "title"
                | "baseURL"
                | "baseurl"
                | "languageCode"
                | "defaultContentLanguage"
                | "author"
                | "taxonomies"
                | "menus"
                | "menu"
                | "params"
                | "permalinks"
                | "contentDir"
                | "module"
        ) {
            out.report
                .dropped(key, "a Hugo build setting with no Trailmark meaning", file);
        }
    }
    if let Some(Value::Object(p)) = config.get("pagination").or_else(|| config.get("paginate")) {
        let _ = p;
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

/// Which dollars were math on the Hugo site: Goldmark reads none unless the passthrough
/// extension is on, and then only the delimiters it lists (`\( \)` and `\[ \]` have no
/// Trailmark spelling and are left as written).
fn hugo_math(config: &Map<String, Value>) -> &'static str {
    let passthrough = ["markup", "goldmark", "extensions", "passthrough"]
        .iter()
        .try_fold(config, |table, key| table.get(*key)?.as_object());
    let Some(passthrough) = passthrough else {
        return "off";
    };
    if passthrough.get("enable").and_then(Value::as_bool) != Some(true) {
        return "off";
    }
    let lists = |kind: &str, open: &str| {
        passthrough
            .get("delimiters")
            .and_then(|d| d.get(kind))
            .and_then(Value::as_array)
            .is_some_and(|pairs| {
                pairs.iter().any(|pair| {
                    pair.as_array()
                        .and_then(|p| p.first())
                        .and_then(Value::as_str)
                        == Some(open)
                })
            })
    };
    if lists("inline", "$") {
        "dollars"
    } else if lists("block", "$$") {
        "display"
    } else {
        "off"
    }
}

/// A glossary the site's link render hook serves: `[term](g)` leads to the term's entry
/// on the glossary page (hugoDocs: `layouts/_markup/render-link.html` with
/// `$glossaryPath := "/quick-reference/glossary"`), whose `{{% glossary %}}` shortcode lists
/// the term pages (headless) as a definition list.
struct Glossary {
    /// The glossary section's `_index.md`, content-relative.
    index: String,
    /// Each term page's title and text, by title without case (Hugo's `ByTitle`).
    terms: BTreeMap<(String, String), String>,
    /// Each term page's title, by its file name (what the hook looks up).
    by_name: BTreeMap<String, String>,
    /// Other forms the hook maps to a term's name (`"chaining" "chain"`).
    forms: BTreeMap<String, String>,
}

impl Glossary {
    fn find(
        out: &mut Out,
        pages: &[(
            String,
            String,
            crate::front_matter::FrontMatter,
            String,
            usize,
        )],
    ) -> Option<Glossary> {
        let hook = [
            "layouts/_markup/render-link.html",
            "layouts/_default/_markup/render-link.html",
        ]
        .iter()
        .find_map(|h| out.read_text(h).ok().flatten())?;
        if !hook.contains("\"g\"") {
            return None;
        }
        let after = hook.split("$glossaryPath := ").nth(1)?;
        let path = after.trim_start().strip_prefix('"')?.split('"').next()?;
        let folder = path.trim_matches('/');
        let index = join(folder, "_index.md");
        if !pages.iter().any(|(inner, ..)| *inner == index) {
            return None;
        }
        let mut terms = BTreeMap::new();
        let mut by_name = BTreeMap::new();
        for (inner, _, parsed, body, _) in pages {
            if parent(inner) != folder || *inner == index {
                continue;
            }
            let title = parsed
                .fields
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or_else(|| stem(inner))
                .to_string();
            by_name.insert(stem(inner).to_lowercase(), title.clone());
            terms.insert((title.to_lowercase(), title), body.trim().to_string());
        }
        // `$cheating := dict "chaining" "chain" ...` read by `index $cheating $termGiven`:
        // pairs of quoted words.
        let mut forms = BTreeMap::new();
        let dict_name = hook
            .split("index $")
            .skip(1)
            .find_map(|rest| rest.split_once(" $termGiven").map(|(name, _)| name))
            .filter(|name| name.chars().all(|c| c.is_alphanumeric() || c == '_'));
        let dict = dict_name.and_then(|name| hook.split(&format!("${name} := dict")).nth(1));
        if let Some(dict) = dict {
            let dict = dict.split("}}").next().unwrap_or("");
            let words: Vec<&str> = dict.split('"').skip(1).step_by(2).collect();
            for pair in words.chunks(2) {
                if let [from, to] = pair {
                    forms.insert((*from).to_string(), (*to).to_string());
                }
            }
        }
        Some(Glossary {
            index,
            terms,
            by_name,
            forms,
        })
    }

    /// The glossary page's `{{% glossary %}}` as the shortcode renders it: every term, by
    /// title, as a definition list.
    fn expand(&self, body: &str, report: &mut super::report::Report) -> String {
        let mut list = String::new();
        for ((_, title), text) in &self.terms {
            let _ = write!(list, "{title}\n: ");
            for (i, line) in text.lines().enumerate() {
                // The definition's text starts after `: `; its later lines line up there.
                if i > 0 && !line.is_empty() {
                    list.push_str("  ");
                }
                list.push_str(line);
                list.push('\n');
            }
            list.push('\n');
        }
        let mut expanded = body.to_string();
        for call in ["{{% glossary %}}", "{{< glossary >}}"] {
            if expanded.contains(call) {
                expanded = expanded.replace(call, list.trim_end());
                report.converted("`glossary` shortcode → definition list of the glossary's terms");
            }
        }
        expanded
    }

    /// `[template actions](g)` → a link to that term's entry on the glossary page, found as
    /// the render hook finds it (the text as written, else its singular).
    fn link_terms(&self, body: &str, page_dir: &str, report: &mut super::report::Report) -> String {
        // Hugo's `urlize` of a term: the name of its page.
        let page_of = |term: &str| {
            let name = term.trim().to_lowercase().replace(' ', "-");
            self.by_name.get(&name).map(String::as_str)
        };
        let target = links::relative(page_dir, &self.index);
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(at) = rest.find("](g)") {
            let before = &rest[..at];
            let Some(open) = before.rfind('[') else {
                out.push_str(&rest[..at + 4]);
                rest = &rest[at + 4..];
                continue;
            };
            let text: String = before[open + 1..]
                .chars()
                .filter(|c| !matches!(c, '_' | '*' | '`'))
                .collect::<String>()
                .to_lowercase();
            let singular = [("ies", "y"), ("es", ""), ("s", "")]
                .iter()
                .filter_map(|(end, with)| text.strip_suffix(end).map(|s| format!("{s}{with}")));
            let found = std::iter::once(text.clone())
                .chain(singular)
                .chain(self.forms.get(&text).cloned())
                .find_map(|t| page_of(&t));
            out.push_str(before);
            match found {
                Some(title) => {
                    let _ = write!(out, "]({target}#{})", markup::term_id(title));
                    report.converted(
                        "`[term](g)` (the site's glossary link hook) → link to the glossary entry",
                    );
                }
                None => out.push_str("](g)"),
            }
            rest = &rest[at + 4..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_are_math_only_where_the_passthrough_extension_listed_them() {
        let config = |toml: &str| -> Map<String, Value> {
            match serde_json::to_value(toml::from_str::<toml::Value>(toml).unwrap()).unwrap() {
                Value::Object(map) => map,
                _ => unreachable!(),
            }
        };
        assert_eq!(hugo_math(&config("title = 'x'")), "off");
        let docs = "[markup.goldmark.extensions.passthrough]\nenable = true\n\
                    [markup.goldmark.extensions.passthrough.delimiters]\n\
                    block = [['\\[', '\\]'], ['$$', '$$']]\ninline = [['\\(', '\\)']]\n";
        assert_eq!(hugo_math(&config(docs)), "display");
        let both = docs.replace("inline = [", "inline = [['$', '$'], ");
        assert_eq!(hugo_math(&config(&both)), "dollars");
        assert_eq!(hugo_math(&config(&docs.replace("true", "false"))), "off");
    }

    #[test]
    fn hugo_urls() {
        let none = BTreeMap::new();
        let front = Map::new();
        assert_eq!(
            hugo_url("Posts/01-First Post.md", &front, &none),
            "/posts/01-first-post/"
        );
        assert_eq!(hugo_url("docs/_index.md", &front, &none), "/docs/");
        assert_eq!(hugo_url("docs/trip/index.md", &front, &none), "/docs/trip/");
        let mut permalinks = BTreeMap::new();
        permalinks.insert("posts".to_string(), "/:year/:month/:slug/".to_string());
        let dated: Map<String, Value> =
            serde_json::from_str(r#"{"date": "2024-05-01", "title": "Hello World"}"#).unwrap();
        assert_eq!(
            hugo_url("posts/hello.md", &dated, &permalinks),
            "/2024/05/hello-world/"
        );
    }
}
