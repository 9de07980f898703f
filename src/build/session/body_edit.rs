//! Rebuilds after edits that change only the bodies of existing pages: the common case while
//! writing, and the one `serve` must answer in milliseconds whatever the site's size.
//!
//! A full run ([`Session::run`]) does every step for every file and lets its caches skip the
//! work; it still visits every page (walking, checking stamps, building and hashing every
//! job's view), which costs seconds on 10,000 pages. When the watcher reports only Markdown
//! files of pages the last run built, and each file still parses to the same document apart
//! from its body (front matter, first heading, last-updated date and read problems all
//! equal), the site's shape cannot have changed: same graph, same plan, same links. Then the
//! only outputs that can differ are those that show a page's rendered body:
//!
//! - the page itself;
//! - every list that shows its card (summary, reading time): this module rebuilds the card
//!   and gives up if it changed, so lists are unaffected;
//! - its course's print, instructor and certificate pages, which show every lesson;
//! - its handbook's print page;
//! - the feeds, whose entries carry summaries (and whole posts with `feeds.content: full`).
//!
//! Those are rendered again through the job cache (which still compares views, so an output
//! whose view did not change keeps its bytes); everything else is the last run's. Problems
//! are the last run's, with the edited pages' Markdown problems replaced and cross-page
//! anchors checked again; the search index, when the site has one, is built again from every
//! page. Anything unexpected (a new, removed or renamed file, a changed card, any error, a
//! changed git history) makes the caller run the full pipeline instead, which is always
//! exact. Tests compare what `serve` serves with clean
//! builds after edits of every kind.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::{Clock, Finished, RebuildStats, Session, finish};
use crate::build::plan::{Job, JobKind};
use crate::build::{DocLinks, missing_anchors, plan, read_doc};
use crate::config::Config;
use crate::content::{Date, PageKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::{Doc, PageId, Site};
use crate::markdown::{self, RenderInput, Rendered};
use crate::output::{OutputContent, OutputFile};
use crate::source::{SourceFile, history::History};
use crate::template::Templates;
use crate::template::views::{ViewParts, ViewSource};

/// The state of the last successful run, kept by an incremental session.
pub(super) struct LastRun {
    /// Site-relative source file (`content/blog/a.md`) of every page.
    pub page_by_file: HashMap<String, PageId>,
    pub config: Config,
    pub templates: Templates,
    pub history: History,
    pub site: Site,
    /// Rendered Markdown with shortcodes expanded and problems taken out.
    pub page_rendered: Vec<Rendered>,
    pub section_rendered: Vec<Rendered>,
    /// Every problem but the pages' Markdown problems and the anchor checks.
    pub other_problems: Vec<Diagnostic>,
    /// Problems in pages' Markdown and shortcodes; each names its page's file.
    pub page_problems: Vec<Diagnostic>,
    /// Links to missing anchors, each with the content-relative id of the page linked to.
    pub anchor_problems: Vec<(String, Diagnostic)>,
    /// The site has a search index, and the output paths of its files.
    pub searching: bool,
    pub search_paths: Vec<String>,
    pub jobs: Vec<Job>,
    pub view_parts: ViewParts,
    pub build_date: Date,
    pub output_dir: Option<PathBuf>,
    /// Pages, sections, drafts skipped, future posts skipped.
    pub counts: [usize; 4],
    /// The finished site by output path, copies included.
    pub files: BTreeMap<String, Arc<[u8]>>,
}

/// A finished rebuild with the whole site by output path.
type InMemory = (Finished, BTreeMap<String, Arc<[u8]>>);

/// One edited page, read again.
struct Edited {
    id: PageId,
    doc: Doc,
    rendered: Rendered,
    problems: Vec<Diagnostic>,
}

impl Session {
    /// Rebuilds after the files at `changed` (site-relative, `/`-separated, as the watcher
    /// reports them) changed: patches the last run when only page bodies changed, else runs
    /// the whole pipeline. Either way the result is what a clean build would produce.
    pub fn rebuild_in_memory(&mut self, changed: &[String]) -> InMemory {
        let not_patched = match self.last.take() {
            Some(last) => match self.patch_bodies(last, changed) {
                Ok(result) => return result,
                Err(why) => why,
            },
            None => "the last build failed or is not kept",
        };
        let (mut finished, files) = self.run_in_memory();
        finished.stats.strategy = format!("full rebuild ({not_patched})");
        (finished, files)
    }

    fn patch_bodies(
        &mut self,
        mut last: LastRun,
        changed: &[String],
    ) -> Result<InMemory, &'static str> {
        let started = Instant::now();
        let mut clock = Clock::new();
        if changed.is_empty() || last.files.is_empty() {
            return Err("nothing reported");
        }
        let mut ids = Vec::with_capacity(changed.len());
        for path in changed {
            match last.page_by_file.get(path) {
                Some(id) => ids.push(*id),
                None => return Err("a changed file is not a page of the last build"),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        // A commit changes "last updated" dates without touching the files.
        let history = History::read(&self.options.root);
        if history != last.history {
            return Err("the git history changed");
        }
        clock.lap("history");

        let edited = ids
            .iter()
            .map(|&id| {
                let path = &last.site.page(id).doc.source_path;
                let read_problems = self.docs.get(path).map(|entry| entry.problems.as_slice());
                read_again(&last, id, read_problems.unwrap_or_default())
            })
            .collect::<Result<Vec<_>, _>>()?;
        clock.lap("read");

        let markdown_options = last.config.markdown_options();
        let mut edited: Vec<Edited> = edited
            .into_iter()
            .map(|(id, doc)| {
                let page = last.site.page(id);
                let strip_title = doc.meta.title.is_none() && doc.heading_title.is_some();
                let resolver = DocLinks {
                    site: &last.site,
                    doc_id: &doc.doc_id,
                };
                let input = RenderInput {
                    body: &doc.body,
                    file: &doc.file,
                    first_line: doc.body_first_line,
                    strip_title_heading: strip_title,
                    lift_lesson_blocks: page.kind == PageKind::Lesson,
                };
                let mut rendered = markdown::render(&input, &markdown_options, &resolver);
                let mut problems = std::mem::take(&mut rendered.diagnostics);
                problems.extend(crate::build::shortcodes::expand(
                    std::slice::from_mut(&mut rendered),
                    &[doc.file.as_str()],
                    &last.templates,
                    &last.config,
                ));
                Edited {
                    id,
                    doc,
                    rendered,
                    problems,
                }
            })
            .collect();
        if edited
            .iter()
            .any(|e| e.problems.iter().any(Diagnostic::is_error))
        {
            return Err("an edited page has errors");
        }
        clock.lap("markdown");

        // Patch the last run: bodies, renders, problems.
        for edit in &mut edited {
            let page = &mut last.site.pages[edit.id.0];
            page.doc.body = std::mem::take(&mut edit.doc.body);
            last.page_rendered[edit.id.0] = std::mem::take(&mut edit.rendered);
            last.page_problems.retain(|d| d.file != edit.doc.file);
            last.page_problems.append(&mut edit.problems);
        }
        // Only links from or into the edited pages can have changed their answer.
        let edited_files: Vec<&str> = edited.iter().map(|e| e.doc.file.as_str()).collect();
        let edited_docs: Vec<&str> = edited.iter().map(|e| e.doc.doc_id.as_str()).collect();
        let affected = |file: &str, target: &str| {
            edited_files.contains(&file) || edited_docs.contains(&target)
        };
        last.anchor_problems
            .retain(|(target, d)| !affected(&d.file, target));
        last.anchor_problems.extend(missing_anchors(
            &last.site,
            &last.page_rendered,
            &last.section_rendered,
            markdown_options.broken_links,
            &affected,
        ));
        if last.anchor_problems.iter().any(|(_, d)| d.is_error()) {
            return Err("a link points to a missing anchor");
        }
        clock.lap("anchors");

        let LastRun {
            config,
            site,
            page_rendered,
            section_rendered,
            view_parts,
            templates,
            jobs,
            build_date,
            ..
        } = &mut last;
        let mut views = ViewSource::with_parts(
            config,
            site,
            page_rendered,
            section_rendered,
            *build_date,
            std::mem::replace(view_parts, ViewParts::empty()),
        );
        let mut cards_changed = false;
        for edit in &edited {
            cards_changed |= views.refresh_card(edit.id);
        }
        if cards_changed {
            return Err("a page's summary or reading time changed");
        }
        let affected: Vec<Job> = jobs
            .iter()
            .filter(|job| shows_body_of(site, &job.kind, &edited))
            .cloned()
            .collect();
        let results = plan::render(
            &self.jobs,
            &affected,
            &views,
            templates,
            *build_date,
            &self.options,
        );
        *view_parts = views.into_parts();
        let mut outputs = Vec::with_capacity(results.len());
        for result in results {
            outputs.push(result.map_err(|_| "an output failed to render")?);
        }
        self.jobs.update(&outputs);
        clock.lap("render");

        let mut stats = RebuildStats {
            docs_parsed: edited.len(),
            markdown_rendered: edited.len(),
            strategy: format!(
                "body edit: {} of {} outputs checked",
                affected.len(),
                last.jobs.len()
            ),
            ..RebuildStats::default()
        };
        for output in outputs {
            match output.reason {
                Some(reason) => stats
                    .jobs_rendered
                    .push((output.output_path.clone(), reason)),
                None => stats.jobs_reused += 1,
            }
            last.files.insert(output.output_path, output.bytes);
        }
        stats.jobs_reused += last.jobs.len() - affected.len();
        clock.lap("patch");
        if last.searching {
            // The index is built from every page, as a clean build does.
            let pages: Vec<OutputFile> = last
                .jobs
                .iter()
                .map(|job| OutputFile {
                    content: OutputContent::Shared(
                        last.files
                            .get(&job.output_path)
                            .cloned()
                            .unwrap_or_default(),
                    ),
                    output_path: job.output_path.clone(),
                })
                .collect();
            let bundle = crate::build::search_index(&last.jobs, &pages, &last.site)
                .map_err(|_| "the search index failed")?;
            for path in std::mem::take(&mut last.search_paths) {
                last.files.remove(&path);
            }
            for file in bundle {
                let OutputContent::Bytes(bytes) = file.content else {
                    return Err("the search index gave unexpected files");
                };
                last.search_paths.push(file.output_path.clone());
                last.files.insert(file.output_path, bytes.into());
            }
            clock.lap("search");
        }

        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(last.other_problems.iter().cloned());
        diagnostics.extend(last.page_problems.iter().cloned());
        diagnostics.extend(last.anchor_problems.iter().map(|(_, d)| d.clone()));
        let [pages, sections, drafts_skipped, future_skipped] = last.counts;
        let finished = Finished {
            diagnostics: Diagnostics::new(),
            pages,
            sections,
            drafts_skipped,
            future_skipped,
            output_dir: last.output_dir.clone(),
            files: Vec::new(),
            stats,
        };
        let finished = finish(finished, diagnostics, clock, started);
        let files = last.files.clone();
        self.last = Some(last);
        Ok((finished, files))
    }
}

/// Reads the page's file again; an error unless only its body changed. `read_problems` are
/// the problems its last reading found (front matter warnings).
fn read_again(
    last: &LastRun,
    id: PageId,
    read_problems: &[Diagnostic],
) -> Result<(PageId, Doc), &'static str> {
    let before = &last.site.page(id).doc;
    let file = SourceFile {
        doc_id: before.doc_id.clone(),
        source_path: before.source_path.clone(),
    };
    let (doc, problems) = read_doc(&file, &last.config, &last.history);
    let doc = doc.ok_or("an edited page cannot be read")?;
    // Read problems are part of the last run's problems; a difference means the front
    // matter changed.
    let same_problems = problems == read_problems;
    if doc.doc_id != before.doc_id || doc.file != before.file {
        return Err("a page moved");
    }
    if doc.meta != before.meta || doc.key_lines != before.key_lines || !same_problems {
        return Err("front matter changed");
    }
    if doc.body_first_line != before.body_first_line {
        return Err("the body moved");
    }
    if doc.heading_title != before.heading_title {
        return Err("the first heading changed");
    }
    if doc.last_updated != before.last_updated {
        return Err("the last-updated date changed");
    }
    Ok((id, doc))
}

/// Whether the output of `kind` shows the rendered body of one of the edited pages (other
/// than through its card, checked separately).
fn shows_body_of(site: &Site, kind: &JobKind, edited: &[Edited]) -> bool {
    let section_of = |id: PageId| site.section(site.page(id).section);
    match kind {
        JobKind::Page(id) => edited.iter().any(|e| e.id == *id),
        JobKind::Course { course, .. } => edited
            .iter()
            .any(|e| section_of(e.id).course == Some(*course)),
        JobKind::HandbookPrint(handbook) => edited
            .iter()
            .any(|e| section_of(e.id).handbook == Some(*handbook)),
        // Feeds list posts by date; a feed that cannot list an edited page is unaffected.
        JobKind::Feed(None) => edited
            .iter()
            .any(|e| site.page(e.id).kind == PageKind::Post),
        JobKind::Feed(Some(feed_section)) => edited.iter().any(|e| {
            site.ancestry(site.page(e.id).section)
                .contains(feed_section)
        }),
        JobKind::TermFeed { taxonomy, term } => {
            let pages = &site.taxonomies[*taxonomy].terms[*term].pages;
            edited.iter().any(|e| pages.contains(&e.id))
        }
        JobKind::SeriesFeed(series) => {
            let pages = &site.series[*series].pages;
            edited.iter().any(|e| pages.contains(&e.id))
        }
        JobKind::Section { .. }
        | JobKind::TaxonomyIndex(_)
        | JobKind::Term { .. }
        | JobKind::Alias(_)
        | JobKind::Sitemap
        | JobKind::Robots
        | JobKind::NotFound
        | JobKind::HighlightCss { .. }
        | JobKind::Archive(_)
        | JobKind::SeriesIndex
        | JobKind::Series(_)
        | JobKind::Milestone { .. }
        | JobKind::Sector(_)
        | JobKind::Testimonials => false,
    }
}
