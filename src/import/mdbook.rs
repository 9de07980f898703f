//! mdBook: `book.toml` and `SUMMARY.md` become a handbook at the top of the site.
//!
//! The chapter tree of `SUMMARY.md` is the handbook's tree: a chapter with sub-chapters is a
//! folder with an `_index.md`, a part title (`# Reference`) is a folder of its own, a draft
//! chapter (`- [Later]()`) is a page with `draft: true`, and each item's place among its
//! siblings is its `weight`. `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}`
//! are resolved (line ranges and anchors too), `{{#title}}` sets the title. Other files
//! under the book's `src` (images, downloads) are copied to the same place under
//! `content/`, so their URLs do not change. Every chapter's old URL (`cli/init.html`,
//! `README.md` as `index.html`) gets an alias when its new one differs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{ImportError, Out, extension, file_name, join, links, parent, stem, str_field};
use crate::content::slugify;

/// How deep includes may nest, as in mdBook.
const MAX_INCLUDE_DEPTH: usize = 10;

/// One entry of `SUMMARY.md`.
#[derive(Debug, Clone)]
struct Node {
    title: String,
    /// The chapter's file, relative to the book's `src`; `None` for drafts and parts.
    source: Option<String>,
    part: bool,
    line: usize,
    children: Vec<Node>,
}

pub(super) fn import(out: &mut Out) -> Result<(), ImportError> {
    let (book, src_dir) = read_book_toml(out)?;
    let summary_rel = join(&src_dir, "SUMMARY.md");
    let Some(summary) = out.read_text(&summary_rel)? else {
        return Err(ImportError::NotASite {
            src: out.src.clone(),
            tool: "mdBook",
            missing: summary_rel,
        });
    };
    let mut nodes = parse_summary(&summary);
    vet(
        out,
        &src_dir,
        &summary_rel,
        &mut nodes,
        &mut BTreeMap::new(),
    );
    write_config(out, &book);
    let site_path = site_path(&book);
    if site_path == "/" && !book_has_site_url(&book) {
        out.report.note(
            "book.toml has no `site-url`: links that leave the book (`../std/index.html`) were \
             read as if the book were published at the root of its host (`/std/index.html`).",
        );
    }

    // Place every node: its new file under content/, and its weight.
    let mut placed = Vec::new();
    let mut used = BTreeMap::new();
    let (home, rest) = match nodes.first() {
        Some(first) if !first.part && first.children.is_empty() && first.source.is_some() => {
            (Some(first.clone()), &nodes[1..])
        }
        _ => (None, &nodes[..]),
    };
    for (i, node) in rest.iter().enumerate() {
        place(node, "", i + 1, &mut used, &mut placed);
    }

    // Old source path → new content path, for links; `.html` forms too.
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    if let Some(home) = &home
        && let Some(source) = &home.source
    {
        moved.insert(source.clone(), "_index.md".into());
    }
    for p in &placed {
        if let Some(source) = &p.node.source {
            moved.insert(source.clone(), p.dest.clone());
        }
    }
    let html: Vec<(String, String)> = moved
        .iter()
        .map(|(k, v)| (html_name(k), v.clone()))
        .collect();
    for (k, v) in html {
        moved.entry(k).or_insert(v);
    }

    let redirects = redirects(&book);
    let mut included = BTreeSet::new();
    // The home page: the first chapter when it stands before everything else.
    let mut home_front = Map::new();
    home_front.insert(
        "title".into(),
        json!(book_field(&book, "title").unwrap_or("Book")),
    );
    home_front.insert("kind".into(), json!("handbook"));
    if let Some(description) = book_field(&book, "description") {
        home_front.insert("description".into(), json!(description));
    }
    let mut home_body = String::new();
    if let Some(home) = &home
        && let Some(source) = &home.source
    {
        let (body, _) = chapter_body(
            out,
            &src_dir,
            source,
            "_index.md",
            &moved,
            &site_path,
            &mut included,
        )?;
        home_body = body;
        let old = old_url(source);
        let mut aliases = Vec::new();
        if old != "/index.html" {
            aliases.push(old.clone());
        }
        add_redirects(&redirects, source, &mut aliases);
        if !aliases.is_empty() {
            home_front.insert("aliases".into(), json!(aliases));
        }
        out.report
            .converted("chapter (the first, as the home page)");
    }
    out.page("content/_index.md", &home_front, &home_body);

    for p in &placed {
        let mut front = Map::new();
        let mut title = p.node.title.clone();
        let mut body = String::new();
        if let Some(source) = &p.node.source {
            if out.exists(&join(&src_dir, source)) {
                let (text, set_title) = chapter_body(
                    out,
                    &src_dir,
                    source,
                    &p.dest,
                    &moved,
                    &site_path,
                    &mut included,
                )?;
                body = text;
                if let Some(t) = set_title {
                    title = t;
                }
            } else {
                out.report.person(
                    &summary_rel,
                    p.node.line,
                    &format!("chapter file `{source}` does not exist; imported as an empty page"),
                );
            }
        }
        // A page's own `# heading` is its title in Trailmark, shown once.
        if super::leading_heading(&body).is_none() {
            front.insert("title".into(), json!(title));
        }
        front.insert("weight".into(), json!(p.weight));
        if p.node.source.is_none() && !p.node.part {
            front.insert("draft".into(), json!(true));
            out.report
                .converted("draft chapter → page with `draft: true`");
        } else if p.node.part {
            out.report.converted("part title → section");
        } else {
            out.report.converted("chapter → handbook page");
        }
        if let Some(source) = &p.node.source {
            let mut aliases = Vec::new();
            let old = old_url(source);
            if old != p.url && old != format!("{}index.html", p.url) {
                aliases.push(old);
            }
            add_redirects(&redirects, source, &mut aliases);
            if !aliases.is_empty() {
                front.insert("aliases".into(), json!(aliases));
            }
        }
        out.page(&format!("content/{}", p.dest), &front, &body);
    }

    copy_other_files(out, &src_dir, &moved, &included)?;
    Ok(())
}

fn book_field<'a>(book: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    book.get("book")
        .and_then(Value::as_object)
        .and_then(|b| str_field(b, key))
}

fn read_book_toml(out: &mut Out) -> Result<(Map<String, Value>, String), ImportError> {
    match out.read_text("book.toml")? {
        Some(text) => {
            let book = super::parse_config("book.toml", &text)?;
            let src = book_field(&book, "src").unwrap_or("src").to_string();
            Ok((book, src.trim_matches('/').to_string()))
        }
        // A bare `src` folder: SUMMARY.md at the top.
        None => Ok((Map::new(), String::new())),
    }
}

fn write_config(out: &mut Out, book: &Map<String, Value>) {
    let html = book
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(Value::as_object);
    let mut config = Map::new();
    config.insert(
        "title".into(),
        json!(book_field(book, "title").unwrap_or("Book")),
    );
    if let Some(description) = book_field(book, "description") {
        config.insert("description".into(), json!(description));
    }
    let base = format!("http://localhost{}", site_path(book).trim_end_matches('/'));
    config.insert("base_url".into(), json!(base));
    out.report.person(
        "book.toml",
        1,
        "set `base_url` in trailmark.yaml to the address the book is published at (mdBook's `site-url` holds only its path)",
    );
    if let Some(language) = book_field(book, "language") {
        config.insert("language".into(), json!(language));
    }
    if let Some(Value::Array(authors)) = book.get("book").and_then(|b| b.get("authors")) {
        let names: Vec<&str> = authors.iter().filter_map(Value::as_str).collect();
        if !names.is_empty() {
            config.insert("author".into(), json!({"name": names.join(", ")}));
        }
    }
    if let Some(repo) = html.and_then(|h| str_field(h, "git-repository-url")) {
        config.insert("extra".into(), json!({"repository": repo}));
    }
    if html
        .and_then(|h| str_field(h, "edit-url-template"))
        .is_some()
    {
        out.report.dropped(
            "output.html.edit-url-template",
            "its `{path}` is relative to the book, Trailmark's to the site; set `repo_url` by hand",
            "book.toml",
        );
    }
    let smart = html
        .and_then(|h| h.get("smart-punctuation").or_else(|| h.get("curly-quotes")))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    config.insert(
        "markdown".into(),
        // mdBook's MathJax is written `\\( \\)`, never with dollars.
        json!({"smart_punctuation": smart, "broken_links": "warn", "math": "off"}),
    );
    out.report.note(
        "Links to missing pages are warnings (`markdown.broken_links: warn` in trailmark.yaml), \
         as in mdBook; set it to `error` once the warnings are fixed.",
    );
    let text = super::yaml::front_matter(&config);
    out.write(crate::config::CONFIG_FILE, text.into_bytes());
}

/// `[output.html.redirect]`: old path → new path relative to the old one.
fn redirects(book: &Map<String, Value>) -> Vec<(String, String)> {
    let Some(map) = book
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("redirect"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(from, to)| {
            let to = to.as_str()?;
            if to.contains("://") {
                return None;
            }
            let target = links::resolve(parent(from.trim_start_matches('/')), to)?;
            let target = target.split('#').next().unwrap_or_default().to_string();
            Some((from.clone(), target))
        })
        .collect()
}

/// Adds the redirects whose target is the chapter `source` (as its `.html` URL).
fn add_redirects(redirects: &[(String, String)], source: &str, aliases: &mut Vec<String>) {
    let old = old_url(source);
    for (from, target) in redirects {
        if format!("/{target}") == old {
            aliases.push(format!("/{}", from.trim_start_matches('/')));
        }
    }
}

/// Where mdBook published a chapter: `cli/init.md` → `/cli/init.html`, `README.md` →
/// `index.html` of its folder.
fn old_url(source: &str) -> String {
    format!("/{}", html_name(source))
}

fn html_name(source: &str) -> String {
    let dir = parent(source);
    let name = stem(source);
    let name = if name.eq_ignore_ascii_case("readme") {
        "index"
    } else {
        name
    };
    join(dir, &format!("{name}.html"))
}

struct Placed {
    node: Node,
    /// Path under content/.
    dest: String,
    url: String,
    weight: usize,
}

/// Names a handbook page must not take, as Trailmark uses them for pages of its own.
const RESERVED: &[&str] = &[
    "index", "readme", "print", "tags", "series", "page", "search", "pagefind", "archive",
];

fn place(
    node: &Node,
    dir: &str,
    weight: usize,
    used: &mut BTreeMap<String, BTreeSet<String>>,
    placed: &mut Vec<Placed>,
) {
    let base = match &node.source {
        Some(source) => {
            let name = stem(source);
            if name.eq_ignore_ascii_case("readme") || name.eq_ignore_ascii_case("index") {
                let folder = file_name(parent(source));
                if folder.is_empty() {
                    slugify(&node.title)
                } else {
                    slugify(folder)
                }
            } else {
                slugify(name)
            }
        }
        None => slugify(&node.title),
    };
    let mut base = if base.is_empty() {
        "chapter".to_string()
    } else {
        base
    };
    // A leading number would be read as an ordering prefix and dropped from the URL.
    if base.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&base.as_str()) {
        base = format!("chapter-{base}");
    }
    let taken = used.entry(dir.to_string()).or_default();
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    let folder = join(dir, &name);
    if node.part || !node.children.is_empty() {
        placed.push(Placed {
            node: node.clone(),
            dest: join(&folder, "_index.md"),
            url: format!("/{folder}/"),
            weight,
        });
        for (i, child) in node.children.iter().enumerate() {
            place(child, &folder, i + 1, used, placed);
        }
    } else {
        placed.push(Placed {
            node: node.clone(),
            dest: format!("{folder}.md"),
            url: format!("/{folder}/"),
            weight,
        });
    }
}

/// Parses `SUMMARY.md` into parts and chapters. Chapters before the first part title hang
/// at the top; those after a part title belong to it; a `---` separator ends a part.
fn parse_summary(text: &str) -> Vec<Node> {
    let mut top: Vec<Node> = Vec::new();
    let mut in_part = false;
    let mut seen_title = false;
    // Indentation of each open list level and the path of child indices to it.
    let mut stack: Vec<usize> = Vec::new();
    let code = links::code_lines(text);
    for (i, line) in text.lines().enumerate() {
        if code.get(i).copied().unwrap_or(false) {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            continue;
        }
        if let Some(title) = trimmed.strip_prefix('#') {
            let title = title.trim_start_matches('#').trim();
            if !seen_title && top.is_empty() {
                // `# Summary`, the file's own title.
                seen_title = true;
                continue;
            }
            top.push(Node {
                title: title.to_string(),
                source: None,
                part: true,
                line: i + 1,
                children: Vec::new(),
            });
            in_part = true;
            stack.clear();
            continue;
        }
        seen_title = true;
        if trimmed.chars().all(|c| c == '-') && trimmed.len() >= 3 {
            in_part = false;
            stack.clear();
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let (is_item, rest) = match trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        let Some((title, source)) = parse_link(rest) else {
            continue;
        };
        let node = Node {
            title,
            source,
            part: false,
            line: i + 1,
            children: Vec::new(),
        };
        if !is_item {
            // A prefix or suffix chapter: always at the top.
            top.push(node);
            in_part = false;
            stack.clear();
            continue;
        }
        while stack.last().is_some_and(|&open| open >= indent) {
            stack.pop();
        }
        let siblings: &mut Vec<Node> = if in_part && !top.is_empty() {
            let last = top.len() - 1;
            &mut top[last].children
        } else {
            &mut top
        };
        descend(siblings, stack.len()).push(node);
        stack.push(indent);
    }
    top
}

/// Keeps SUMMARY.md's chapters to files inside the book, each once: a chapter whose file
/// leads outside the book's folder (`../../secret.txt`, a link to `/etc/hostname`) is
/// refused and left an empty draft; a chapter listed again is imported at its first place
/// only (two pages with one old URL would not build). Both are reported.
fn vet(
    out: &mut Out,
    src_dir: &str,
    summary_rel: &str,
    nodes: &mut Vec<Node>,
    seen: &mut BTreeMap<String, usize>,
) {
    nodes.retain_mut(|node| {
        if let Some(source) = node.source.clone() {
            let rel = join(src_dir, &source);
            if let super::Found::Outside(target) = out.find(&rel) {
                out.refuse(&source, (summary_rel, node.line), &target);
                node.source = None;
            } else if let Some(first) = seen.get(&source) {
                out.report.person(
                    summary_rel,
                    node.line,
                    &format!(
                        "`{source}` is listed again (first at line {first}); imported once, at its first place"
                    ),
                );
                if node.children.is_empty() {
                    return false;
                }
                node.source = None;
            } else {
                seen.insert(source, node.line);
            }
        }
        vet(out, src_dir, summary_rel, &mut node.children, seen);
        true
    });
}

/// The list `depth` levels down, each open level being the last child of the one above.
fn descend(list: &mut Vec<Node>, depth: usize) -> &mut Vec<Node> {
    if depth == 0 || list.is_empty() {
        return list;
    }
    let end = list.len() - 1;
    descend(&mut list[end].children, depth - 1)
}

/// `[Title](path.md)` → the title and the path (`None` when empty: a draft).
fn parse_link(text: &str) -> Option<(String, Option<String>)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.rfind("](")?;
    let title = rest[..close].replace("\\[", "[").replace("\\]", "]");
    let target = rest[close + 2..].strip_suffix(')')?.trim();
    let target = target.trim_start_matches("./");
    let target = percent_spaces(target);
    Some((
        title.trim().to_string(),
        (!target.is_empty()).then_some(target),
    ))
}

fn percent_spaces(text: &str) -> String {
    text.replace("%20", " ")
}

/// A chapter's Markdown with includes resolved and links rewritten for its new place, and
/// the title a `{{#title}}` set.
fn chapter_body(
    out: &mut Out,
    src_dir: &str,
    source: &str,
    dest: &str,
    moved: &BTreeMap<String, String>,
    site_path: &str,
    included: &mut BTreeSet<String>,
) -> Result<(String, Option<String>), ImportError> {
    let rel = join(src_dir, source);
    let text = out.read_text(&rel)?.unwrap_or_default();
    let mut title = None;
    let mut chain = vec![source.to_string()];
    let body = expand_includes(
        out, src_dir, source, &text, &mut chain, &mut title, included,
    )?;
    let (body, hidden) = drop_hidden_lines(&body);
    for _ in 0..hidden {
        out.report
            .converted("hidden line of Rust code (`# fn main() {`) dropped, as mdBook hides it");
    }
    let from_dir = parent(source).to_string();
    let new_dir = parent(dest).to_string();
    // Where the chapter was published, for links that leave the book.
    let published_dir = join(site_path, parent(&html_name(source)));
    let mut left_book = 0;
    let body = links::rewrite(&body, |path| {
        let Some(target) = links::resolve(&from_dir, &percent_spaces(path)) else {
            // `../std/index.html` climbs out of the book to a sibling site on its host: the
            // URL the browser read from the published chapter, from the host's root.
            left_book += 1;
            return Some(format!("/{}", resolve_on_host(&published_dir, path)));
        };
        let new = moved.get(&target).cloned().or_else(|| {
            // Any other file keeps its place under content/.
            (!matches!(extension(&target).as_str(), "md" | "html")).then(|| target.clone())
        })?;
        let relative = links::relative(&new_dir, &new);
        (relative != path).then_some(relative)
    });
    for _ in 0..left_book {
        out.report
            .converted("link leaving the book → root-relative URL on its host");
    }
    Ok((body, title))
}

/// Drops the lines mdBook hides in Rust code blocks (`# fn main() {`, a lone `#`); `##`
/// at a line's start is a literal `#`. Returns the text and how many lines were dropped.
fn drop_hidden_lines(body: &str) -> (String, usize) {
    let mut result = String::with_capacity(body.len());
    let mut fence: Option<(String, bool)> = None;
    let mut dropped = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        match &fence {
            None if marker.len() >= 3 => {
                let info = trimmed[marker.len()..].trim();
                let lang = info.split([',', ' ']).next().unwrap_or_default();
                fence = Some((marker, lang == "rust"));
            }
            Some((open, _))
                if marker.len() >= open.len()
                    && marker.starts_with(&open[..1])
                    && trimmed[marker.len()..].trim().is_empty() =>
            {
                fence = None;
            }
            Some((_, true)) => {
                let content = trimmed.trim_end_matches(['\n', '\r']);
                if content == "#" || content.starts_with("# ") {
                    dropped += 1;
                    continue;
                }
                if let Some(rest) = trimmed.strip_prefix("##") {
                    result.push_str(&line[..line.len() - trimmed.len()]);
                    result.push('#');
                    result.push_str(rest);
                    continue;
                }
            }
            _ => {}
        }
        result.push_str(line);
    }
    (result, dropped)
}

/// The path of `[output.html] site-url` (`/book/`), `/` when the book has none.
fn site_path(book: &Map<String, Value>) -> String {
    let path = book
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("site-url"))
        .and_then(Value::as_str)
        .unwrap_or("/")
        .trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

fn book_has_site_url(book: &Map<String, Value>) -> bool {
    book.get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("site-url"))
        .is_some()
}

/// `rel` read from the folder `base` as a browser reads it: `..` above the host's root
/// stays at the root. The result has no leading slash.
fn resolve_on_host(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if rel.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    path
}

/// Replaces `{{#include}}`-style directives (outside and inside code blocks, as mdBook
/// does) with the text they name. `\{{#...}}` is a literal and loses its backslash.
fn expand_includes(
    out: &mut Out,
    src_dir: &str,
    source: &str,
    text: &str,
    chain: &mut Vec<String>,
    title: &mut Option<String>,
    included: &mut BTreeSet<String>,
) -> Result<String, ImportError> {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    let rel = join(src_dir, source);
    while let Some(at) = rest.find("{{#") {
        let escaped = rest[..at].ends_with('\\');
        let Some(end) = rest[at..].find("}}") else {
            break;
        };
        let directive = &rest[at + 3..at + end];
        if escaped {
            result.push_str(&rest[..at - 1]);
            result.push_str(&rest[at..at + end + 2]);
            rest = &rest[at + end + 2..];
            continue;
        }
        result.push_str(&rest[..at]);
        let line = text[..text.len() - rest.len() + at].matches('\n').count() + 1;
        let mut words = directive.split_whitespace();
        let name = words.next().unwrap_or_default();
        let argument = words.next().unwrap_or_default();
        let replacement = match name {
            "include" | "rustdoc_include" | "playground" if !argument.is_empty() => {
                let (file, range) = match argument.split_once(':') {
                    Some((file, range)) => (file, Some(range)),
                    None => (argument, None),
                };
                // Book-relative, as includes may reach outside `src` (`../examples/x.rs`).
                let target = links::resolve(&join(src_dir, parent(source)), file);
                let found = target.as_deref().map(|t| out.find(t));
                if let (Some(target), Some(super::Found::Outside(resolved))) = (&target, &found) {
                    out.refuse(target, (&rel, line), resolved);
                }
                match target {
                    Some(target) if matches!(found, Some(super::Found::File(_))) => {
                        let included_text = out
                            .read_text_from(&target, (&rel, line))?
                            .unwrap_or_default();
                        let in_src = if src_dir.is_empty() {
                            Some(target.as_str())
                        } else {
                            target.strip_prefix(&format!("{src_dir}/"))
                        };
                        let mut piece = select(&included_text, range);
                        let anchor = range.map(str::trim).filter(|r| {
                            !r.is_empty() && !r.chars().all(|c| c.is_ascii_digit() || c == ':')
                        });
                        if let Some(anchor) = anchor
                            && !included_text
                                .lines()
                                .any(|l| l.contains(&format!("ANCHOR: {anchor}")))
                        {
                            out.report.person(
                                &rel,
                                line,
                                &format!("`{{{{#{name} {argument}}}}}`: no anchor `{anchor}` in `{file}`; nothing was included"),
                            );
                        }
                        let cycle = in_src.is_some_and(|s| chain.iter().any(|c| c == s));
                        if cycle {
                            out.report.person(
                                &rel,
                                line,
                                &format!(
                                    "`{{{{#{name} {argument}}}}}` includes itself (through {}); left out",
                                    chain.join(" → ")
                                ),
                            );
                            piece = String::new();
                        } else if let Some(in_src) = in_src {
                            included.insert(in_src.to_string());
                            if chain.len() <= MAX_INCLUDE_DEPTH && extension(&target) == "md" {
                                chain.push(in_src.to_string());
                                let in_src = in_src.to_string();
                                piece = expand_includes(
                                    out, src_dir, &in_src, &piece, chain, title, included,
                                )?;
                                chain.pop();
                            }
                        }
                        if name == "playground" {
                            piece = format!("```rust\n{}\n```", piece.trim_end());
                        }
                        out.report.converted(&format!("`{{{{#{name}}}}}` resolved"));
                        Some(piece)
                    }
                    _ if matches!(found, Some(super::Found::Outside(_))) => Some(String::new()),
                    // `../../examples/x.rs` from a book imported on its own.
                    None => {
                        out.report.person(
                            &rel,
                            line,
                            &format!("`{{{{#{name} {argument}}}}}`: the file is above the folder being imported, which is all the import reads; left in place: import a folder holding both, or copy the file into the book"),
                        );
                        None
                    }
                    _ => {
                        out.report.person(
                            &rel,
                            line,
                            &format!("`{{{{#{name} {argument}}}}}`: file not found; left in place"),
                        );
                        None
                    }
                }
            }
            "title" => {
                *title = Some(directive["title".len()..].trim().to_string());
                out.report.converted("`{{#title}}` → title");
                Some(String::new())
            }
            // mdBook leaves anything else (`{{#toc}}` of a Handlebars example) alone too.
            _ => None,
        };
        match replacement {
            Some(piece) => result.push_str(&piece),
            None => result.push_str(&rest[at..at + end + 2]),
        }
        rest = &rest[at + end + 2..];
    }
    result.push_str(rest);
    Ok(result)
}

/// The part of an included file a range (`2`, `2:10`, `:10`, `2:`) or anchor names.
fn select(text: &str, range: Option<&str>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let keep = |l: &&str| !is_anchor_line(l);
    let Some(range) = range.map(str::trim).filter(|r| !r.is_empty()) else {
        return lines
            .into_iter()
            .filter(keep)
            .collect::<Vec<_>>()
            .join("\n");
    };
    let numeric = range.chars().all(|c| c.is_ascii_digit() || c == ':');
    if numeric {
        let (start, end) = match range.split_once(':') {
            Some((s, e)) => (s.parse::<usize>().ok(), e.parse::<usize>().ok()),
            // A single number: that line to the end, as mdBook reads `file:2`.
            None => (range.parse::<usize>().ok(), None),
        };
        let start = start.unwrap_or(1).max(1) - 1;
        let end = end.unwrap_or(lines.len()).min(lines.len());
        return lines
            .get(start..end.max(start))
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|l| !is_anchor_line(l))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let open = format!("ANCHOR: {range}");
    let close = format!("ANCHOR_END: {range}");
    let mut inside = false;
    let mut picked = Vec::new();
    for line in lines {
        if line.contains(&open) {
            inside = true;
        } else if line.contains(&close) {
            inside = false;
        } else if inside && keep(&line) {
            picked.push(line);
        }
    }
    picked.join("\n")
}

fn is_anchor_line(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

/// Copies every file of `src` that is not a chapter or an included piece, so images and
/// downloads keep their URLs. Markdown files that are neither are listed.
fn copy_other_files(
    out: &mut Out,
    src_dir: &str,
    moved: &BTreeMap<String, String>,
    included: &BTreeSet<String>,
) -> Result<(), ImportError> {
    let files: Vec<String> = out
        .walk(src_dir)
        .into_iter()
        .map(|rel| {
            if src_dir.is_empty() {
                rel
            } else {
                rel[src_dir.len() + 1..].to_string()
            }
        })
        .collect();
    for rel in files {
        if rel == "SUMMARY.md" || moved.contains_key(&rel) || included.contains(&rel) {
            continue;
        }
        if extension(&rel) == "md" {
            if rel != "404.md" {
                out.report.person(
                    &join(src_dir, &rel),
                    1,
                    "not listed in SUMMARY.md, so mdBook never published it; not imported",
                );
            }
            continue;
        }
        out.copy(&join(src_dir, &rel), &format!("content/{rel}"))?;
        out.report.converted("file copied at its old URL");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_parts_nesting_and_drafts() {
        let nodes = parse_summary(
            "# Summary\n\n[Intro](README.md)\n\n# Guide\n\n- [A](a.md)\n    - [B](b/b.md)\n        - [Later]()\n- [C](c.md)\n\n---\n\n[End](end.md)\n",
        );
        let shape: Vec<String> = nodes
            .iter()
            .map(|n| {
                fn show(n: &Node) -> String {
                    let kids: Vec<String> = n.children.iter().map(show).collect();
                    format!(
                        "{}{}",
                        n.title,
                        if kids.is_empty() {
                            String::new()
                        } else {
                            format!("({})", kids.join(","))
                        }
                    )
                }
                show(n)
            })
            .collect();
        assert_eq!(shape, ["Intro", "Guide(A(B(Later)),C)", "End"]);
        assert_eq!(nodes[1].children[0].children[0].children[0].source, None);
    }

    #[test]
    fn links_leaving_the_book_are_read_on_its_host() {
        assert_eq!(
            resolve_on_host("/book/", "../std/index.html"),
            "std/index.html"
        );
        assert_eq!(resolve_on_host("/", "../../std/x.html"), "std/x.html");
        assert_eq!(
            resolve_on_host("/manual/guide", "../../nomicon/"),
            "nomicon/"
        );
        let book = json!({"output": {"html": {"site-url": "manual"}}});
        assert_eq!(site_path(book.as_object().unwrap()), "/manual/");
        assert_eq!(site_path(&Map::new()), "/");
    }

    #[test]
    fn hidden_rust_lines_are_dropped() {
        let text = "```rust\n# fn main() {\nlet x = 1;\n#\n## not hidden\n# }\n```\n\n# Heading\n\n```python\n# comment\n```\n";
        let (body, dropped) = drop_hidden_lines(text);
        assert_eq!(
            body,
            "```rust\nlet x = 1;\n# not hidden\n```\n\n# Heading\n\n```python\n# comment\n```\n"
        );
        assert_eq!(dropped, 3);
    }

    #[test]
    fn include_ranges_and_anchors() {
        let text = "one\n// ANCHOR: a\ntwo\n// ANCHOR_END: a\nthree";
        assert_eq!(select(text, Some("a")), "two");
        assert_eq!(select(text, Some("3:3")), "two");
        assert_eq!(select(text, Some(":1")), "one");
        assert_eq!(select(text, None), "one\ntwo\nthree");
        assert_eq!(old_url("cli/README.md"), "/cli/index.html");
    }
}
