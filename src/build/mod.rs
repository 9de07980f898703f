//! A build session: the pipeline from files to outputs; the only user of rayon.
//!
//! Data flows one way: load config and templates, walk `content/`, read and parse every file
//! in parallel, assemble the graph (single pass), render Markdown in parallel, check
//! cross-page anchors, plan one job per output file, render the jobs in parallel, and hand
//! the finished files to `output`. Every problem is collected as a diagnostic; a build with
//! errors writes nothing, so the last good site stays in place.

mod disk_cache;
pub(crate) mod jobs;
mod plan;
mod search;
mod session;
mod shortcodes;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{Date, read_meta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::front_matter;
use crate::graph::{Doc, Site};
use crate::markdown::{self, LinkResolution, LinkResolver, Rendered};
use crate::output::{self, OutputFile};
use crate::source;

pub use disk_cache::CACHE_DIR;
pub use jobs::RenderReason;
pub use plan::{CoursePage, Job, JobKind};
pub use search::live_targets;
pub use session::{Finished, FullReason, Patch, RebuildStats, RebuildStrategy, Session};

/// Receives progress from a running build; the CLI draws it, tests ignore it.
pub trait Progress: Send + Sync {
    /// A stage with `total` steps begins.
    fn stage(&self, name: &str, total: usize);
    /// `count` more steps of the current stage are done.
    fn advance(&self, count: usize);
}

/// What to build and how.
#[derive(Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from the config; relative to the current folder.
    pub output: Option<PathBuf>,
    pub include_drafts: bool,
    /// Include posts dated after the build date.
    pub include_future: bool,
    pub base_url: Option<String>,
    /// `false` for `check` (and `serve`, which keeps the site in memory): nothing is written.
    pub write: bool,
    /// Build the search index; `check` turns it off, `serve` keeps it so it serves what
    /// `build` writes.
    pub index_search: bool,
    /// The date journeys and "built on" lines use; today (UTC) when unset.
    pub build_date: Option<Date>,
    pub progress: Option<Arc<dyn Progress>>,
    /// Read and write `build`'s cache in `.trailmark-cache/` (`--no-cache` turns it off).
    pub use_cache: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            include_drafts: false,
            include_future: false,
            base_url: None,
            write: true,
            index_search: true,
            build_date: None,
            progress: None,
            use_cache: true,
        }
    }
}

/// How a build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The content, config or templates have errors; nothing was written.
    ContentErrors,
    /// The build could not run or could not write (unsafe output folder, disk full).
    Fatal,
}

/// What a build did, for the CLI's summary and for tests.
#[derive(Debug)]
pub struct BuildReport {
    pub outcome: Outcome,
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub sections: usize,
    pub drafts_skipped: usize,
    /// Posts dated after the build date, left out (without `--future`).
    pub future_skipped: usize,
    /// Files in the finished site (rendered and copied).
    pub files: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
    /// Markdown renders taken from the cache of the last build instead of rendered.
    pub markdown_reused: usize,
    /// Files hard-linked from the previous output because their bytes were unchanged.
    pub files_kept: usize,
    /// How long each step took, in order (`build --timings` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs one build: a fresh [`Session`] runs once, and the site is written only when it has
/// no errors.
///
/// When writing, the staging folder is created before the session runs and receives each
/// page as soon as it is rendered ([`output::Staging`]); it replaces the output folder only
/// at the end, and only if the build had no errors. The disk cache of the last build, when
/// it matches, is handed to the session first; the session saves its Markdown renders as
/// soon as they are made, and the output manifest is saved after a successful build.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut session = Session::one_shot(options.clone());
    let mut prepared = if options.write {
        prepare_output(options, &mut session)
    } else {
        None
    };
    let mut timings = vec![("load cache", started.elapsed())];
    let finished = session.run();
    timings.extend(finished.stats.timings.iter().copied());
    let mut report = BuildReport {
        outcome: Outcome::Success,
        diagnostics: Diagnostics::new(),
        pages: finished.pages,
        sections: finished.sections,
        drafts_skipped: finished.drafts_skipped,
        future_skipped: finished.future_skipped,
        files: finished.files.len(),
        output_dir: finished.output_dir.clone().unwrap_or_default(),
        elapsed: Duration::ZERO,
        markdown_reused: finished.stats.markdown_reused,
        files_kept: 0,
        timings: Vec::new(),
    };
    let mut diagnostics = finished.diagnostics;
    let mut outcome = None;
    if !diagnostics.has_errors() && options.write && finished.output_dir.is_some() {
        progress_stage(options, "Writing", finished.files.len());
        let writing = Instant::now();
        let written = match prepared.take() {
            Some(p) if p.output_dir == report.output_dir => {
                p.staging.put_rest(finished.files);
                p.staging.commit().map(|committed| {
                    report.files_kept = p.staging.linked();
                    p.cache.map(|cache| (committed, cache))
                })
            }
            Some(_) => Err(Diagnostic::error(
                "trailmark.yaml",
                0,
                0,
                "the output folder changed during the build; build again",
            )
            .with_code(crate::diagnostics::Code::OutputChanged)),
            None => {
                output::write_site(&options.root, &report.output_dir, finished.files).map(|_| None)
            }
        };
        timings.push(("finish writing", writing.elapsed()));
        match written {
            Ok(Some((committed, cache))) => {
                let saving = Instant::now();
                cache.save(&session, committed);
                timings.push(("save cache", saving.elapsed()));
            }
            Ok(None) => {}
            Err(d) => {
                diagnostics.push(d);
                diagnostics.finish();
                outcome = Some(Outcome::Fatal);
            }
        }
    }
    report.outcome = outcome.unwrap_or(if diagnostics.has_errors() {
        Outcome::ContentErrors
    } else {
        Outcome::Success
    });
    report.diagnostics = diagnostics;
    report.timings = timings;
    report.elapsed = started.elapsed();
    report
}

/// The staging folder (and disk cache) set up before a writing build runs.
struct PreparedOutput {
    staging: Arc<output::Staging>,
    output_dir: PathBuf,
    cache: Option<disk_cache::DiskCache>,
}

/// Loads the config as the session will, restores the disk cache into `session`, and
/// creates the staging folder the session writes into. `None` when any of it fails: the
/// session then runs as it would without, and writing at the end reports the problem.
fn prepare_output(options: &BuildOptions, session: &mut Session) -> Option<PreparedOutput> {
    let mut config = Config::load(&options.root).ok()?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    let output_dir = output_dir(&options.root, &config, options.output.as_deref());
    let mut manifest = None;
    let mut spare = None;
    let cache = options.use_cache.then(|| {
        let cache = disk_cache::DiskCache::new(options, &config);
        let loaded = cache.load(session, &config);
        manifest = loaded.manifest;
        spare = Some(loaded.spare);
        session.save_markdown_to(cache.clone(), loaded.markdown);
        cache
    });
    // The search index reads the rendered pages after they render: the sink hands back each
    // page's search record (issue 21: the record, not the page, so that 10,000 pages are not
    // all held at once) instead of dropping the bytes once they are queued for writing.
    let retain = (options.index_search && config.search.enabled)
        .then_some(crate::search::searchable_document as output::Retain);
    let staging =
        output::Staging::create(&options.root, &output_dir, manifest, retain, spare).ok()?;
    let staging = Arc::new(staging);
    session.set_output_sink(Arc::clone(&staging) as Arc<dyn output::OutputSink>);
    Some(PreparedOutput {
        staging,
        output_dir,
        cache,
    })
}

fn progress_stage(options: &BuildOptions, name: &str, total: usize) {
    if let Some(p) = &options.progress {
        p.stage(name, total);
    }
}

fn progress_advance(options: &BuildOptions, count: usize) {
    if let Some(p) = &options.progress {
        p.advance(count);
    }
}

/// Today's date in UTC.
pub fn today() -> Date {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    Date {
        year: now.year(),
        month: now.month(),
        day: now.day(),
        seconds: None,
        offset: None,
    }
}

/// Indexes the pages a reader may look for afresh ([`search::index_all`]).
fn search_index(
    jobs: &[Job],
    files: &[OutputFile],
    site: &Site,
) -> Result<Vec<OutputFile>, Diagnostic> {
    search::index_all(jobs, files, site)
}

/// How the warning for a misspelt-looking front matter key starts (`content::meta`).
pub(crate) const UNKNOWN_KEY_MESSAGE: &str = "unknown front matter key `";

/// One diagnostic per unknown front matter key for the whole site, at its first place (by
/// file and line) with how many times it occurs, as `policy` says: on imported Jekyll
/// content one key once gave 974 warnings.
fn unknown_keys_once(
    mut found: Vec<Diagnostic>,
    policy: crate::config::UnknownKeys,
) -> Vec<Diagnostic> {
    use crate::config::UnknownKeys;
    if policy == UnknownKeys::Ignore {
        return Vec::new();
    }
    found.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut by_key: std::collections::BTreeMap<String, (usize, Diagnostic)> =
        std::collections::BTreeMap::new();
    for d in found {
        let key = d.message[UNKNOWN_KEY_MESSAGE.len()..]
            .split('`')
            .next()
            .unwrap_or("")
            .to_string();
        by_key.entry(key).or_insert((0, d)).0 += 1;
    }
    by_key
        .into_values()
        .map(|(count, mut d)| {
            if count > 1 {
                d.message = format!("{} ({count} times; this is the first)", d.message);
            }
            if policy == UnknownKeys::Error {
                Diagnostic::error(d.file, d.line, d.column, d.message)
                    .with_snippet(d.snippet)
                    .with_help_opt(d.help)
                    .with_code(d.code)
            } else {
                d
            }
        })
        .collect()
}

/// What of the config [`read_doc`] reads: two configs alike here read every document
/// alike, so a session keeps its documents across a config change that leaves this alone
/// (a title, a menu). Whatever `read_doc` comes to read from the config belongs here.
#[derive(PartialEq)]
pub(crate) struct ReadDocConfig<'a> {
    file_bytes: u64,
    taxonomies: &'a [String],
    categories_in_permalinks: bool,
}

impl<'a> ReadDocConfig<'a> {
    pub(crate) fn of(config: &'a Config) -> Self {
        ReadDocConfig {
            file_bytes: config.limits.file_bytes(),
            taxonomies: &config.taxonomies,
            categories_in_permalinks: config
                .permalinks
                .values()
                .any(|p| p.contains(":categories")),
        }
    }
}

fn read_doc(
    file: &source::SourceFile,
    config: &Config,
    history: &source::history::History,
) -> (Option<Doc>, Vec<Diagnostic>) {
    let display = format!("content/{}", file.doc_id);
    let reads = ReadDocConfig::of(config);
    let (text, modified) =
        match source::read_text_and_time(&file.source_path, &display, reads.file_bytes) {
            Ok(read) => read,
            Err(d) => return (None, vec![d]),
        };
    let (text, control_problems) = source::replace_controls(text, &display);
    // `normalize` borrows when it only drops a byte-order mark: keep the text it returns,
    // never the original (a BOM before `---` hid the front matter, `draft: true` included).
    let text = match front_matter::normalize(&text) {
        std::borrow::Cow::Borrowed(normalized) if normalized.len() == text.len() => text,
        std::borrow::Cow::Borrowed(normalized) => normalized.to_string(),
        std::borrow::Cow::Owned(normalized) => normalized,
    };
    // Splitting and parsing fail the same way: one error at its place, with the line shown.
    let failed = |e: front_matter::FrontMatterError| {
        let d = Diagnostic::error(&display, e.line, e.column, e.message)
            .with_code(e.code)
            .with_help_opt(e.help);
        (None, vec![d.with_snippet_from(&text)])
    };
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(e) => return failed(e),
    };
    let fm = match front_matter::parse(&split) {
        Ok(fm) => fm,
        Err(e) => return failed(e),
    };
    let (meta, mut problems) = read_meta(&fm, &display, reads.taxonomies);
    problems.extend(crate::content::undeclared_taxonomies(
        &fm,
        &display,
        reads.taxonomies,
        reads.categories_in_permalinks,
    ));
    let problems = control_problems
        .into_iter()
        .chain(problems)
        .map(|d| d.with_snippet_from(&text))
        .collect();
    // (A scan of the whole body, 0.7% of a cold build's CPU when every page has a title.)
    let heading_title = if meta.title.is_none() {
        markdown::first_heading(split.body)
    } else {
        None
    };
    let doc = Doc {
        doc_id: file.doc_id.clone(),
        file: display,
        source_path: file.source_path.clone(),
        meta,
        body: if markdown::is_html_page_name(&file.doc_id) {
            markdown::html_page_body(split.body)
        } else {
            split.body.to_string()
        },
        body_first_line: split.body_first_line,
        heading_title,
        last_updated: history.last_updated_at(&file.doc_id, modified),
        key_lines: fm.key_lines.clone(),
    };
    (Some(doc), problems)
}

/// Link resolution for one document, answered by the graph.
struct DocLinks<'a> {
    site: &'a Site,
    doc_id: &'a str,
}

impl LinkResolver for DocLinks<'_> {
    fn resolve(&self, destination: &str) -> LinkResolution {
        self.site.resolve_link(self.doc_id, destination)
    }
}

/// Links into other pages name anchors that exist only once those pages are rendered.
/// Links to anchors that the page they point into does not define, each with that page's
/// content-relative id; only links for which `consider(source file, target doc id)` holds
/// are checked.
fn missing_anchors(
    site: &Site,
    pages: &[Rendered],
    sections: &[Rendered],
    severity: crate::diagnostics::Severity,
    consider: &(dyn Fn(&str, &str) -> bool + Sync),
) -> Vec<(String, Diagnostic)> {
    use rayon::prelude::*;
    // Pages have a handful of anchors each, so a scan beats building a set per page (which
    // cost more than the check itself on large sites).
    let anchors_of = |doc_id: &str| -> Option<&[String]> {
        match site.node_for_doc(doc_id)? {
            crate::graph::Node::Page(p) => Some(&pages[site.page_position(p)].anchors),
            crate::graph::Node::Section(s) => Some(&sections[site.section_position(s)].anchors),
        }
    };
    let sources: Vec<(&Doc, &Rendered)> = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .zip(pages)
        .chain(
            site.sections
                .iter()
                .zip(sections)
                .filter_map(|(s, r)| s.index.as_ref().map(|d| (d, r))),
        )
        .filter(|(_, rendered)| !rendered.anchor_checks.is_empty())
        .collect();
    sources
        .par_iter()
        .flat_map_iter(|(doc, rendered)| {
            rendered.anchor_checks.iter().filter_map(|check| {
                if !consider(&doc.file, &check.target_doc_id) {
                    return None;
                }
                let known = anchors_of(&check.target_doc_id)?;
                if known.contains(&check.anchor) {
                    return None;
                }
                let mut d = Diagnostic::error(
                    &doc.file,
                    check.line,
                    check.column,
                    format!(
                        "link to missing anchor `#{}` in content/{}",
                        check.anchor, check.target_doc_id
                    ),
                )
                .with_code(crate::diagnostics::Code::LinkMissingAnchor)
                .with_help_opt(crate::markdown::anchor_help(
                    &check.anchor,
                    known.iter().map(String::as_str),
                ));
                d.severity = severity;
                Some((check.target_doc_id.clone(), d))
            })
        })
        .collect()
}

/// Resolves where the output folder is, for messages before a build runs.
pub fn output_dir(root: &Path, config: &Config, output: Option<&Path>) -> PathBuf {
    output.map_or_else(|| root.join(&config.output_dir), Path::to_path_buf)
}

/// The build's threads for work `source/` hands over ([`crate::source::Spread`]): listing
/// sibling folders.
impl crate::source::Spread for Rayon {
    fn each(&self, len: usize, work: &(dyn Fn(usize) + Sync)) {
        use rayon::prelude::*;
        (0..len).into_par_iter().for_each(work);
    }
}

/// The build's threads for work `template/` hands over ([`crate::template::views::Parallel`]).
pub(crate) struct Rayon;

impl crate::template::views::Parallel for Rayon {
    fn parts(
        &self,
        len: usize,
        make: &(dyn Fn(usize) -> crate::template::shared::SharedPart + Sync),
    ) -> Vec<crate::template::shared::SharedPart> {
        use rayon::prelude::*;
        (0..len).into_par_iter().map(make).collect()
    }
}
