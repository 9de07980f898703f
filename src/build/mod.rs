//! A build session: the pipeline from files to outputs; the only user of rayon.
//!
//! Data flows one way: load config and templates, walk `content/`, read and parse every file
//! in parallel, assemble the graph (single pass), render Markdown in parallel, check
//! cross-page anchors, plan one job per output file, render the jobs in parallel, and hand
//! the finished files to `output`. Every problem is collected as a diagnostic; a build with
//! errors writes nothing, so the last good site stays in place.

mod plan;
mod shortcodes;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Date, read_meta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::front_matter;
use crate::graph::{self, Doc, GraphInput, Site};
use crate::markdown::{self, LinkResolution, LinkResolver, RenderInput, Rendered};
use crate::output::{self, OutputFile};
use crate::source::{self, IgnoreRules};
use crate::template::Templates;

pub use plan::{CoursePage, Job, JobKind};

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
    /// `false` for `check`: everything but writing.
    pub write: bool,
    /// The date journeys and "built on" lines use; today (UTC) when unset.
    pub build_date: Option<Date>,
    pub progress: Option<Arc<dyn Progress>>,
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
            build_date: None,
            progress: None,
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
}

/// Runs one build.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut report = BuildReport {
        outcome: Outcome::Success,
        diagnostics: Diagnostics::new(),
        pages: 0,
        sections: 0,
        drafts_skipped: 0,
        future_skipped: 0,
        files: 0,
        output_dir: PathBuf::new(),
        elapsed: Duration::ZERO,
    };
    let finish =
        |mut report: BuildReport, mut diagnostics: Diagnostics, outcome: Option<Outcome>| {
            diagnostics.finish();
            report.outcome = outcome.unwrap_or(if diagnostics.has_errors() {
                Outcome::ContentErrors
            } else {
                Outcome::Success
            });
            report.diagnostics = diagnostics;
            report.elapsed = started.elapsed();
            report
        };

    let config = match Config::load(&options.root) {
        Ok(mut config) => {
            if let Some(base_url) = &options.base_url {
                config.base_url = base_url.trim_end_matches('/').to_string();
            }
            config
        }
        Err(problems) => {
            diagnostics.extend(problems);
            return finish(report, diagnostics, None);
        }
    };
    report.output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&config.output_dir));

    let templates = match Templates::load(&options.root, &config) {
        Ok(t) => Some(t),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };

    let rules = IgnoreRules::new(&config.ignore);
    let (tree, walk_problems) = source::walk_content(&options.root, &rules);
    diagnostics.extend(walk_problems);

    // "Last updated" dates: one `git log` for the whole content folder.
    let history = source::history::History::read(&options.root);

    // Read and parse every Markdown file in parallel; results keep the walk's order.
    progress_stage(options, "Reading", tree.markdown.len());
    let parsed: Vec<(Option<Doc>, Vec<Diagnostic>)> = tree
        .markdown
        .par_iter()
        .map(|file| {
            let result = read_doc(file, &config, &history);
            progress_advance(options, 1);
            result
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, problems) in parsed {
        diagnostics.extend(problems);
        docs.extend(doc);
    }

    let build_date = options.build_date.unwrap_or_else(today);
    let (site, graph_problems) = graph::assemble(GraphInput {
        docs,
        assets: &tree.assets,
        folders: &tree.folders,
        config: &config,
        include_drafts: options.include_drafts,
        include_future: options.include_future,
        build_date,
    });
    diagnostics.extend(graph_problems);
    let build_date = options.build_date.unwrap_or_else(today);
    diagnostics.extend(graph::stale_reviews(&site, build_date));
    report.pages = site.pages.len();
    report.sections = site.sections.len();
    report.drafts_skipped = site.drafts_skipped;
    report.future_skipped = site.future_skipped;

    // Render Markdown for pages and section indexes in parallel.
    let markdown_options = config.markdown_options();
    progress_stage(
        options,
        "Rendering Markdown",
        site.pages.len() + site.sections.len(),
    );
    let render_doc = |doc: &Doc, strip_title: bool, lift_lesson_blocks: bool| {
        let resolver = DocLinks {
            site: &site,
            doc_id: &doc.doc_id,
        };
        let input = RenderInput {
            body: &doc.body,
            file: &doc.file,
            first_line: doc.body_first_line,
            strip_title_heading: strip_title,
            lift_lesson_blocks,
        };
        let rendered = markdown::render(&input, &markdown_options, &resolver);
        progress_advance(options, 1);
        rendered
    };
    let mut page_rendered: Vec<Rendered> = site
        .pages
        .par_iter()
        .map(|p| {
            render_doc(
                &p.doc,
                p.doc.meta.title.is_none() && p.doc.heading_title.is_some(),
                p.kind == crate::content::PageKind::Lesson,
            )
        })
        .collect();
    let mut section_rendered: Vec<Rendered> = site
        .sections
        .par_iter()
        .map(|s| {
            s.index.as_ref().map_or_else(Rendered::default, |d| {
                render_doc(
                    d,
                    d.meta.title.is_none() && d.heading_title.is_some(),
                    false,
                )
            })
        })
        .collect();
    check_anchors(
        &site,
        &page_rendered,
        &section_rendered,
        markdown_options.broken_links,
        &mut diagnostics,
    );
    for rendered in page_rendered.iter_mut().chain(section_rendered.iter_mut()) {
        diagnostics.extend(std::mem::take(&mut rendered.diagnostics));
    }

    let Some(templates) = templates else {
        return finish(report, diagnostics, None);
    };
    let page_files: Vec<&str> = site.pages.iter().map(|p| p.doc.file.as_str()).collect();
    diagnostics.extend(shortcodes::expand(
        &mut page_rendered,
        &page_files,
        &templates,
        &config,
    ));
    let section_files: Vec<&str> = site
        .sections
        .iter()
        .map(|s| s.index.as_ref().map_or("", |d| d.file.as_str()))
        .collect();
    diagnostics.extend(shortcodes::expand(
        &mut section_rendered,
        &section_files,
        &templates,
        &config,
    ));
    let plan = plan::plan(&options.root, &config, &site, &rules, &mut diagnostics);
    progress_stage(options, "Rendering pages", plan.jobs.len());
    let rendered_files = plan::render(
        &plan,
        &config,
        &site,
        &page_rendered,
        &section_rendered,
        &templates,
        build_date,
        options,
    );
    let mut files: Vec<OutputFile> = Vec::with_capacity(rendered_files.len() + plan.copies.len());
    for result in rendered_files {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    // The search index is built from the pages just rendered, never in `check` and never
    // when a page failed (the build writes nothing then).
    if options.write
        && config.search.enabled
        && !diagnostics.has_errors()
        && files.len() == plan.jobs.len()
    {
        progress_stage(options, "Indexing for search", 1);
        match search_index(&plan.jobs, &files, &site) {
            Ok(bundle) => files.extend(bundle),
            Err(d) => diagnostics.push(d),
        }
        progress_advance(options, 1);
    }
    files.extend(plan.copies);
    report.files = files.len();

    if diagnostics.has_errors() || !options.write {
        return finish(report, diagnostics, None);
    }
    progress_stage(options, "Writing", files.len());
    match output::write_site(&options.root, &report.output_dir, files) {
        Ok(()) => finish(report, diagnostics, None),
        Err(d) => {
            diagnostics.push(d);
            finish(report, diagnostics, Some(Outcome::Fatal))
        }
    }
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
    }
}

/// Indexes the pages and section pages a reader may look for: not drafts (present only with
/// `--drafts`), not pages with `search: false`, not generated lists, feeds or redirects.
/// `files` are the rendered jobs, in plan order.
fn search_index(
    jobs: &[Job],
    files: &[OutputFile],
    site: &Site,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let searchable = |doc: &Doc| doc.meta.search && !doc.meta.draft;
    let mut pages = Vec::new();
    for (job, file) in jobs.iter().zip(files) {
        let url_path = match &job.kind {
            JobKind::Page(id) => {
                let page = site.page(*id);
                searchable(&page.doc).then_some(&page.url_path)
            }
            JobKind::Section {
                section, pager: 1, ..
            } => {
                let s = site.section(*section);
                s.index
                    .as_ref()
                    .is_some_and(searchable)
                    .then_some(&s.url_path)
            }
            _ => None,
        };
        if let (Some(url_path), output::OutputContent::Bytes(html)) = (url_path, &file.content) {
            pages.push(crate::search::SearchPage {
                url: site.url(url_path),
                html,
                origin: &job.origin,
            });
        }
    }
    crate::search::build_index(&pages)
}

fn read_doc(
    file: &source::SourceFile,
    config: &Config,
    history: &source::history::History,
) -> (Option<Doc>, Vec<Diagnostic>) {
    let display = format!("content/{}", file.doc_id);
    let text = match source::read_text(&file.source_path, &display) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let text = front_matter::normalize(&text).into_owned();
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(e) => {
            return (
                None,
                vec![
                    Diagnostic::error(&display, e.line, e.column, e.message)
                        .with_snippet_from(&text),
                ],
            );
        }
    };
    let fm = match front_matter::parse(&split) {
        Ok(fm) => fm,
        Err(e) => {
            return (
                None,
                vec![
                    Diagnostic::error(&display, e.line, e.column, e.message)
                        .with_snippet_from(&text),
                ],
            );
        }
    };
    let (meta, problems) = read_meta(&fm, &display, &config.taxonomies);
    let problems = problems
        .into_iter()
        .map(|d| d.with_snippet_from(&text))
        .collect();
    let heading_title = markdown::first_heading(split.body);
    let doc = Doc {
        doc_id: file.doc_id.clone(),
        file: display,
        source_path: file.source_path.clone(),
        meta,
        body: split.body.to_string(),
        body_first_line: split.body_first_line,
        heading_title,
        last_updated: history.last_updated(&file.doc_id, &file.source_path),
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
fn check_anchors(
    site: &Site,
    pages: &[Rendered],
    sections: &[Rendered],
    severity: crate::diagnostics::Severity,
    diagnostics: &mut Diagnostics,
) {
    let mut anchors: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (page, rendered) in site.pages.iter().zip(pages) {
        anchors.insert(
            &page.doc.doc_id,
            rendered.anchors.iter().map(String::as_str).collect(),
        );
    }
    for (section, rendered) in site.sections.iter().zip(sections) {
        if let Some(doc) = &section.index {
            anchors.insert(
                &doc.doc_id,
                rendered.anchors.iter().map(String::as_str).collect(),
            );
        }
    }
    let files: BTreeMap<usize, &str> = BTreeMap::new();
    drop(files);
    let sources = site.pages.iter().map(|p| &p.doc).zip(pages).chain(
        site.sections.iter().filter_map(|s| s.index.as_ref()).zip(
            site.sections
                .iter()
                .zip(sections)
                .filter(|(s, _)| s.index.is_some())
                .map(|(_, r)| r),
        ),
    );
    for (doc, rendered) in sources {
        for check in &rendered.anchor_checks {
            let known = anchors.get(check.target_doc_id.as_str());
            if known.is_some_and(|set| !set.contains(check.anchor.as_str())) {
                let mut d = Diagnostic::error(
                    &doc.file,
                    check.line,
                    check.column,
                    format!(
                        "link to missing anchor `#{}` in content/{}",
                        check.anchor, check.target_doc_id
                    ),
                );
                d.severity = severity;
                diagnostics.push(d);
            }
        }
    }
}

/// Resolves where the output folder is, for messages before a build runs.
pub fn output_dir(root: &Path, config: &Config, output: Option<&Path>) -> PathBuf {
    output.map_or_else(|| root.join(&config.output_dir), Path::to_path_buf)
}
