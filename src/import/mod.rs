//! `trailmark import`: converts a site written for Jekyll, Hugo, Zola, mdBook or the
//! Carpentries Workbench into a Trailmark site, once.
//!
//! Owns reading the other tool's layout and writing a new site folder; never touches the
//! source. Each tool has its own submodule that turns the source tree into an [`Out`]: the
//! files of the new site in memory (a sorted map, so the output bytes do not depend on the
//! order the disk lists files in) and a [`Report`] of what was converted and what needs a
//! person. Shared pieces: front matter and config writing (`yaml`), Markdown link
//! rewriting (`links`), shortcode and Liquid tag conversion (`markup`), the report
//! (`report`). Nothing is written until the whole import succeeded.

mod carpentries;
mod carpentries_styles;
mod hugo;
mod jekyll;
mod links;
mod markup;
mod mdbook;
mod report;
mod yaml;
mod zola;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub use report::Report;

/// The name of the report written at the top of the new site.
pub const REPORT_FILE: &str = "IMPORT-REPORT.md";

/// The tools a site can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Jekyll,
    Hugo,
    Zola,
    Mdbook,
    Carpentries,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Jekyll => "jekyll",
            Tool::Hugo => "hugo",
            Tool::Zola => "zola",
            Tool::Mdbook => "mdbook",
            Tool::Carpentries => "carpentries",
        }
    }
}

/// Why an import could not run. Problems inside single pages are not errors: they go to
/// the report and the import carries on.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} is not a folder", .0.display())]
    SourceMissing(PathBuf),
    #[error("{} is not empty; import into a new or empty folder", .0.display())]
    DestNotEmpty(PathBuf),
    #[error("{} is inside the source folder {}; choose a folder outside it", .dest.display(), .src.display())]
    DestInsideSource { src: PathBuf, dest: PathBuf },
    #[error("{} does not look like a {tool} site: {missing} not found", .src.display())]
    NotASite {
        src: PathBuf,
        tool: &'static str,
        missing: String,
    },
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "internal error: the import wrote {0} twice, which would lose a page; nothing was written (please report this)"
    )]
    WrittenTwice(String),
    #[error("{file}:{line}:{column}: {message}")]
    Config {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// What an import wrote, for the command's summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub aliases: usize,
    /// Items of the report that need a person.
    pub needs_person: usize,
}

/// Imports the site in `src`, written for `tool`, into `dest` (missing or empty).
pub fn import(tool: Tool, src: &Path, dest: &Path) -> Result<Summary, ImportError> {
    if !src.is_dir() {
        return Err(ImportError::SourceMissing(src.to_path_buf()));
    }
    check_dest(src, dest)?;
    let mut out = Out::new(tool, src);
    match tool {
        Tool::Mdbook => mdbook::import(&mut out)?,
        Tool::Carpentries => carpentries::import(&mut out)?,
        Tool::Jekyll => jekyll::import(&mut out)?,
        Tool::Zola => zola::import(&mut out)?,
        Tool::Hugo => hugo::import(&mut out)?,
    }
    out.finish(dest)
}

fn check_dest(src: &Path, dest: &Path) -> Result<(), ImportError> {
    if dest.exists() {
        let mut entries = fs::read_dir(dest).map_err(|source| ImportError::Read {
            path: dest.to_path_buf(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(ImportError::DestNotEmpty(dest.to_path_buf()));
        }
    }
    // Writing inside the source would change it, and a re-run would import the import.
    let canonical_src = src.canonicalize().map_err(|source| ImportError::Read {
        path: src.to_path_buf(),
        source,
    })?;
    let mut probe = dest.to_path_buf();
    if probe.is_relative()
        && let Ok(cwd) = std::env::current_dir()
    {
        probe = cwd.join(probe);
    }
    // The deepest existing ancestor of `dest` tells where it will be.
    let mut existing = probe.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    if let Ok(mut resolved) = existing.canonicalize() {
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        if resolved.starts_with(&canonical_src) {
            return Err(ImportError::DestInsideSource {
                src: src.to_path_buf(),
                dest: dest.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Where a source-relative path leads: see [`Out::find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A file inside the source, at this resolved path.
    File(PathBuf),
    Dir,
    Missing,
    /// Outside the source folder, at this resolved path: never read.
    Outside(PathBuf),
}

/// The new site, in memory, and what the import has to say about it.
pub(crate) struct Out {
    pub(crate) src: PathBuf,
    /// `src` with every symbolic link resolved: what a path must resolve inside of to be read.
    root: PathBuf,
    /// Destination-relative path (`content/guide/install.md`) to bytes.
    files: BTreeMap<String, Vec<u8>>,
    pub(crate) report: Report,
    pages: usize,
    aliases: usize,
    /// Destinations an importer wrote more than once: see [`Out::write`].
    written_twice: BTreeSet<String>,
}

impl Out {
    fn new(tool: Tool, src: &Path) -> Self {
        Out {
            src: src.to_path_buf(),
            root: src.canonicalize().unwrap_or_else(|_| src.to_path_buf()),
            files: BTreeMap::new(),
            report: Report::new(tool.name()),
            pages: 0,
            aliases: 0,
            written_twice: BTreeSet::new(),
        }
    }

    /// Where a source-relative path leads, symbolic links followed. This is the one check
    /// every read of the source goes through: a path that resolves outside the source folder
    /// (`../../etc/passwd`, a link to `/etc/hostname`) is [`Found::Outside`] and never read.
    pub(crate) fn find(&self, rel: &str) -> Found {
        let path = self.src.join(rel);
        match path.canonicalize() {
            Ok(resolved) if !resolved.starts_with(&self.root) => Found::Outside(resolved),
            Ok(resolved) if resolved.is_dir() => Found::Dir,
            Ok(resolved) => Found::File(resolved),
            Err(_) => Found::Missing,
        }
    }

    /// Records that `rel`, named at `file:line` of the source, leads outside the source
    /// folder and was not read.
    pub(crate) fn refuse(&mut self, rel: &str, (file, line): (&str, usize), target: &Path) {
        let reason = if rel == file {
            format!(
                "a symbolic link leading outside the source folder (to `{}`); refused, not imported",
                target.display()
            )
        } else {
            format!(
                "`{rel}` leads outside the source folder (to `{}`); refused, not imported",
                target.display()
            )
        };
        self.report.person(file, line, &reason);
    }

    /// Reads a file of the source, by its source-relative path; `None` when it is missing
    /// or leads outside the source (then reported as named by `from`).
    pub(crate) fn read_from(
        &mut self,
        rel: &str,
        from: (&str, usize),
    ) -> Result<Option<Vec<u8>>, ImportError> {
        match self.find(rel) {
            // The resolved path is read, so the file read is the one checked.
            Found::File(resolved) => {
                fs::read(&resolved)
                    .map(Some)
                    .map_err(|source| ImportError::Read {
                        path: self.src.join(rel),
                        source,
                    })
            }
            Found::Outside(target) => {
                self.refuse(rel, from, &target);
                Ok(None)
            }
            Found::Dir | Found::Missing => Ok(None),
        }
    }

    /// [`Out::read_from`] for a file found by walking the source: the file itself is named.
    pub(crate) fn read(&mut self, rel: &str) -> Result<Option<Vec<u8>>, ImportError> {
        self.read_from(rel, (rel, 0))
    }

    /// Reads a text file of the source with LF line endings; `None` when it is missing or
    /// refused (see [`Out::read_from`]).
    pub(crate) fn read_text_from(
        &mut self,
        rel: &str,
        from: (&str, usize),
    ) -> Result<Option<String>, ImportError> {
        Ok(self.read_from(rel, from)?.map(|bytes| {
            let text = String::from_utf8_lossy(&bytes);
            crate::front_matter::normalize(&text).into_owned()
        }))
    }

    pub(crate) fn read_text(&mut self, rel: &str) -> Result<Option<String>, ImportError> {
        self.read_text_from(rel, (rel, 0))
    }

    /// Whether `rel` is a file or folder inside the source (links followed).
    pub(crate) fn exists(&self, rel: &str) -> bool {
        matches!(self.find(rel), Found::File(_) | Found::Dir)
    }

    /// The files under `folder` of the source (`""` for all of it), source-relative and
    /// sorted, hidden ones (`.git`) left out. Symbolic links are followed when they stay
    /// inside the source; one leading outside, a broken one or a loop is reported and
    /// skipped.
    pub(crate) fn walk(&mut self, folder: &str) -> Vec<String> {
        match self.find(folder) {
            Found::Dir => {}
            Found::Outside(target) => {
                let folder = folder.trim_end_matches('/');
                self.refuse(folder, (folder, 0), &target);
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        let start = self.src.join(folder);
        let mut refused: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut broken: Vec<(PathBuf, String)> = Vec::new();
        let mut errors: Vec<(PathBuf, String)> = Vec::new();
        let mut files = Vec::new();
        let root = &self.root;
        let walker = walkdir::WalkDir::new(&start)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                    return false;
                }
                if !e.path_is_symlink() {
                    return true;
                }
                match e.path().canonicalize() {
                    Ok(resolved) if resolved.starts_with(root) => true,
                    Ok(resolved) => {
                        refused.push((e.path().to_path_buf(), resolved));
                        false
                    }
                    Err(err) => {
                        broken.push((e.path().to_path_buf(), err.to_string()));
                        false
                    }
                }
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.path().to_path_buf()),
                Ok(_) => {}
                Err(err) => {
                    if let Some(path) = err.path() {
                        let why = if err.loop_ancestor().is_some() {
                            "a symbolic link loop".to_string()
                        } else {
                            err.io_error()
                                .map_or_else(|| err.to_string(), ToString::to_string)
                        };
                        errors.push((path.to_path_buf(), why));
                    }
                }
            }
        }
        let rel = |path: &Path| {
            path.strip_prefix(&self.src)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .ok()
        };
        let mut found: Vec<String> = files.iter().filter_map(|p| rel(p)).collect();
        found.sort();
        let refused: Vec<(String, PathBuf)> = refused
            .into_iter()
            .filter_map(|(p, resolved)| Some((rel(&p)?, resolved)))
            .collect();
        let broken: Vec<(String, String)> = broken
            .into_iter()
            .chain(errors)
            .filter_map(|(p, why)| Some((rel(&p)?, why)))
            .collect();
        for (link, resolved) in refused {
            self.refuse(&link, (&link, 0), &resolved);
        }
        for (link, why) in broken {
            self.report
                .person(&link, 0, &format!("cannot be followed ({why}); skipped"));
        }
        found
    }

    pub(crate) fn has_file(&self, dest_rel: &str) -> bool {
        self.files.contains_key(dest_rel)
    }

    /// Adds a file to the new site. A destination written twice is a bug of the importer
    /// (two sources would merge into one file): the first stays, and the import stops with
    /// [`ImportError::WrittenTwice`] before anything is written.
    pub(crate) fn write(&mut self, dest_rel: &str, bytes: Vec<u8>) {
        if self.files.contains_key(dest_rel) {
            self.written_twice.insert(dest_rel.to_string());
            return;
        }
        self.files.insert(dest_rel.to_string(), bytes);
    }

    /// Copies a source file to the new site (not when it is refused, see [`Out::read`]).
    pub(crate) fn copy(&mut self, src_rel: &str, dest_rel: &str) -> Result<(), ImportError> {
        if let Some(bytes) = self.read(src_rel)? {
            self.write(dest_rel, bytes);
        }
        Ok(())
    }

    /// Writes a Markdown page: front matter, then the body.
    pub(crate) fn page(&mut self, dest_rel: &str, front: &Map<String, Value>, body: &str) {
        self.pages += 1;
        if let Some(Value::Array(list)) = front.get("aliases") {
            self.aliases += list.len();
        }
        let mut text = String::from("---\n");
        text.push_str(&yaml::front_matter(front));
        text.push_str("---\n");
        if !body.is_empty() {
            if !body.starts_with('\n') {
                text.push('\n');
            }
            text.push_str(body);
            if !body.ends_with('\n') {
                text.push('\n');
            }
        }
        self.write(dest_rel, text.into_bytes());
    }

    /// Writes everything to `dest`, the report last.
    fn finish(mut self, dest: &Path) -> Result<Summary, ImportError> {
        if let Some(first) = self.written_twice.first() {
            return Err(ImportError::WrittenTwice(first.clone()));
        }
        let summary = Summary {
            pages: self.pages,
            files: self.files.len() + 1,
            aliases: self.aliases,
            needs_person: self.report.needs_person(),
        };
        let report = self.report.render(&summary);
        self.files
            .insert(REPORT_FILE.to_string(), report.into_bytes());
        for (rel, bytes) in &self.files {
            let path = dest.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|source| ImportError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            fs::write(&path, bytes).map_err(|source| ImportError::Write { path, source })?;
        }
        // An empty static/ keeps the layout a user expects from `trailmark init`.
        let static_dir = dest.join("static");
        fs::create_dir_all(&static_dir).map_err(|source| ImportError::Write {
            path: static_dir,
            source,
        })?;
        Ok(summary)
    }
}

/// Gives every source file its own destination, so two sources are never written to one
/// file: `pairs` are (source, planned destination), in order. Files whose names differ only
/// by extension (`release.md` and `release.markdown`, `c.md` and `c.html`) plan one
/// destination; the `.md` source keeps it, each other one gets its extension added to its
/// name (`release-markdown.md`) and is reported, so both pages survive. Destinations are
/// compared without case, as a case-insensitive file system would. Returns the
/// destinations, in the order of `pairs`.
pub(crate) fn distinct_dests(out: &mut Out, pairs: &[(String, String)]) -> Vec<String> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by_key(|&i| (extension(&pairs[i].0) != "md", i));
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut dests = vec![String::new(); pairs.len()];
    for i in order {
        let (source, dest) = &pairs[i];
        let first = match taken.entry(dest.to_lowercase()) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(source.clone());
                dests[i].clone_from(dest);
                continue;
            }
            std::collections::btree_map::Entry::Occupied(slot) => slot.get().clone(),
        };
        let base = join(parent(dest), stem(dest));
        let ext = extension(source);
        let mut candidate = format!("{base}-{}.md", if ext.is_empty() { "2" } else { &ext });
        let mut n = 2;
        while taken.contains_key(&candidate.to_lowercase()) {
            candidate = format!("{base}-{ext}-{n}.md");
            n += 1;
        }
        out.report.person(
            source,
            0,
            &format!(
                "`{first}` becomes `{dest}` too (the names differ only by extension); this page was \
                 written to `{candidate}` so both are kept: keep one, or give it its own name"
            ),
        );
        taken.insert(candidate.to_lowercase(), source.clone());
        dests[i] = candidate;
    }
    dests
}

/// `a/b` joined to `c` without doubling slashes; either may be empty.
pub(crate) fn join(dir: &str, name: &str) -> String {
    match (dir.trim_matches('/'), name.trim_start_matches('/')) {
        ("", name) => name.to_string(),
        (dir, "") => dir.to_string(),
        (dir, name) => format!("{dir}/{name}"),
    }
}

/// The folder part of a slash path (`a/b/c.md` → `a/b`, `c.md` → an empty string).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The file name of a slash path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// The file name without its last extension.
pub(crate) fn stem(path: &str) -> &str {
    let name = file_name(path);
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map_or(name, |(stem, _)| stem)
}

/// The extension, lowercased, without the dot.
pub(crate) fn extension(path: &str) -> String {
    let name = file_name(path);
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Parses a TOML or YAML config file of the source into a JSON map.
pub(crate) fn parse_config(rel: &str, text: &str) -> Result<Map<String, Value>, ImportError> {
    let parsed = if extension(rel) == "toml" {
        crate::front_matter::parse_toml(text, 1)
    } else {
        crate::front_matter::parse_yaml(text, 1)
    };
    match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(ImportError::Config {
            file: rel.to_string(),
            line: e.line,
            column: e.column,
            message: e.message,
        }),
    }
}

/// A string field of a JSON map.
pub(crate) fn str_field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Splits a source page into parsed front matter (with key lines) and body; a page whose
/// front matter cannot be parsed keeps its whole text as the body and is reported.
pub(crate) fn split_page(
    out: &mut Out,
    src_rel: &str,
    text: &str,
) -> (crate::front_matter::FrontMatter, String, usize) {
    let split = match crate::front_matter::split(text) {
        Ok(split) => split,
        Err(e) => {
            out.report.person(src_rel, e.line, &e.message);
            return (
                crate::front_matter::FrontMatter::default(),
                text.to_string(),
                1,
            );
        }
    };
    match crate::front_matter::parse(&split) {
        Ok(front) => (front, split.body.to_string(), split.body_first_line),
        Err(e) => {
            out.report.person(
                src_rel,
                e.line,
                &format!("front matter dropped: {}", e.message),
            );
            (
                crate::front_matter::FrontMatter::default(),
                split.body.to_string(),
                split.body_first_line,
            )
        }
    }
}

/// The text of a `# heading` that opens `body` (blank lines and HTML comments before it
/// allowed), which Trailmark takes as the page title.
pub(crate) fn leading_heading(body: &str) -> Option<String> {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("<!--"))?;
    let title = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The URL Trailmark gives a file at `dest` under content/: number and date prefixes
/// dropped, segments slugified, `_index.md` and `index.md` standing for their folder.
pub(crate) fn new_url(dest: &str) -> String {
    use crate::content::{slugify, split_file_stem};
    let mut parts: Vec<String> = parent(dest)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|segment| slugify(split_file_stem(segment).2))
        .collect();
    let name = stem(dest);
    if name != "_index" && name != "index" {
        parts.push(slugify(split_file_stem(name).2));
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// A date as Trailmark reads it; Jekyll's `2013-05-06 02:12:52 +0200` gets a `T` and a
/// colon in its offset. `None` when it cannot be read either way.
pub(crate) fn normalize_date(text: &str) -> Option<String> {
    let text = text.trim();
    if crate::content::parse_date(text).is_ok() {
        return Some(text.to_string());
    }
    iso_date(text)
}

/// `2013-05-06 02:12:52 +0200` as RFC 3339 (`2013-05-06T02:12:52+02:00`), else the day.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let mut parts = text.split_whitespace();
    let date = parts.next()?;
    let time = parts.next().unwrap_or("00:00:00");
    let offset = parts.next().unwrap_or("");
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_string()
    };
    let offset = match offset {
        "" => String::new(),
        "UTC" | "Z" | "GMT" => "Z".into(),
        o if o.len() == 5 && (o.starts_with('+') || o.starts_with('-')) => {
            format!("{}:{}", &o[..3], &o[3..])
        }
        o => o.to_string(),
    };
    let candidate = format!("{date}T{time}{offset}");
    if crate::content::parse_date(&candidate).is_ok() {
        return Some(candidate);
    }
    let day = date.get(..10)?;
    crate::content::parse_date(day)
        .ok()
        .map(|_| day.to_string())
}

/// Keeps the old URLs that need an alias: normalised as Trailmark writes them, not the
/// page's new URL, not a URL the new site already has (compared without case, as a
/// case-insensitive file system would), and not one an earlier page took.
pub(crate) fn aliases_for(
    old_urls: Vec<String>,
    url: &str,
    used_urls: &BTreeSet<String>,
    taken: &mut BTreeSet<String>,
) -> Vec<String> {
    let url = url.to_lowercase();
    let mut kept = Vec::new();
    for old in old_urls {
        let Ok(alias) = crate::graph::normalise_alias(&old) else {
            continue;
        };
        let lower = alias.to_lowercase();
        let same_page = lower == url || lower == format!("{url}index.html");
        if same_page
            || lower == "/index.html"
            || used_urls.contains(&lower)
            || used_urls.contains(lower.trim_end_matches("index.html"))
            || !taken.insert(lower)
        {
            continue;
        }
        kept.push(alias);
    }
    kept
}

/// A front matter date (`date`, Hugo's `publishDate`, Zola's `updated`) written under
/// `target` as Trailmark reads it; one that cannot be read is dropped and reported at its
/// line. Returns whether it was kept.
pub(crate) fn convert_date(
    out: &mut Out,
    front: &mut Map<String, Value>,
    (file, line): (&str, usize),
    (key, value): (&str, &Value),
    target: &str,
) -> bool {
    if let Some(date) = value.as_str().and_then(normalize_date) {
        front.insert(target.to_string(), Value::String(date));
        return true;
    }
    out.report.person(
        file,
        line,
        &format!(
            "`{key}: {}` could not be read as a date; dropped",
            yaml::inline(value)
        ),
    );
    false
}

/// An old URL as written in front matter (`2016/07/07/x.html`, `/x/`), from the site's root.
pub(crate) fn rooted(url: &str) -> String {
    let url = url.trim();
    if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    }
}

/// Keeps the URL a page's front matter fixed in the source site (Zola `path`, Hugo `url`,
/// Jekyll `permalink`) as the page's own URL in the new site, through Trailmark's `path:`,
/// so the URL is the page's and not an alias of it. A section (Trailmark gives sections
/// their folder's URL) or a path Trailmark cannot take (`..`, an empty one) keeps its old
/// URL as an alias instead. Returns the page's URL in the new site.
pub(crate) fn keep_source_url(
    front: &mut Map<String, Value>,
    source_url: &str,
    trailmark_url: String,
    is_section: bool,
    old_urls: &mut Vec<String>,
) -> String {
    let path = source_url.trim().trim_matches('/');
    let usable = !path.is_empty()
        && !path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.contains(['?', '#', '\\']));
    if is_section || !usable {
        old_urls.push(rooted(source_url));
        return trailmark_url;
    }
    let url = if crate::content::is_file_url(path) {
        format!("/{path}")
    } else {
        format!("/{path}/")
    };
    if url != trailmark_url {
        front.insert("path".into(), Value::String(path.to_string()));
    }
    url
}

/// An HTML body as one raw HTML block of Markdown: blank lines would end the block and
/// let indented HTML read as code, so they become empty comments.
pub(crate) fn html_body(body: &str) -> String {
    let mut text = String::from("<div class=\"imported-html\">\n");
    for line in body.trim_matches('\n').lines() {
        if line.trim().is_empty() {
            text.push_str("<!-- -->\n");
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str("</div>\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_dates() {
        assert_eq!(new_url("01-basics.md"), "/basics/");
        assert_eq!(
            new_url("blog/2013-05-06-hello-world.md"),
            "/blog/hello-world/"
        );
        assert_eq!(new_url("docs/_index.md"), "/docs/");
        assert_eq!(new_url("_index.md"), "/");
        // Whatever form is kept, Trailmark reads it as the same instant.
        let jekyll = normalize_date("2013-05-06 02:12:52 +0200").unwrap();
        assert_eq!(
            crate::content::parse_date(&jekyll),
            crate::content::parse_date("2013-05-06T02:12:52+02:00")
        );
        assert_eq!(
            normalize_date("2013-05-06 02:12 UTC").map(|d| crate::content::parse_date(&d).is_ok()),
            Some(true)
        );
        assert_eq!(normalize_date("2013-05-06").as_deref(), Some("2013-05-06"));
        assert_eq!(normalize_date("someday"), None);
    }
}
