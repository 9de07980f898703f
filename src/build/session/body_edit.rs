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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::report::{FullReason, Patch, Problems, RebuildStrategy};
use super::{Clock, Finished, RebuildStats, Session, finish, foreign_tag_warnings};
use crate::build::jobs::JobOutput;
use crate::build::plan::{Job, JobKind};
use crate::build::{missing_anchors, plan};
use crate::config::Config;
use crate::content::{Date, PageKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::reads::Read;
use crate::graph::{self, Doc, Node, PageId, Site};
use crate::markdown::Rendered;
use crate::output::{OutputContent, OutputFile};
use crate::source::{ContentTree, SourceFile, history::History};
use crate::template::Templates;
use crate::template::views::{ViewParts, ViewSource};

/// The state of the last successful run, kept by an incremental session.
pub(super) struct LastRun {
    pub config: Config,
    pub templates: Templates,
    pub history: History,
    pub site: Site,
    /// Rendered Markdown with shortcodes expanded and problems taken out.
    pub page_rendered: Vec<Rendered>,
    pub section_rendered: Vec<Rendered>,
    /// Every problem of the run, by the step that found it.
    pub problems: Problems,
    /// What the walk of `content/` found.
    pub tree: ContentTree,
    /// What each job's view read, in plan order.
    pub job_reads: Vec<Vec<Read>>,
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
pub(super) type InMemory = (Finished, BTreeMap<String, Arc<[u8]>>);

/// Why a patch did not apply, and the last run when it is still fit for another patch
/// (nothing was changed, or only what the other patch redoes anyway).
pub(super) struct Declined {
    why: FullReason,
    last: Option<Box<LastRun>>,
}

impl Declined {
    fn drop(why: FullReason) -> Self {
        Declined { why, last: None }
    }
}

/// Why an edited page cannot be patched as a body edit.
enum ReadAgain {
    /// It cannot be read or parsed: only a full run reports that properly.
    Unreadable(FullReason),
    /// More than its body changed.
    NotOnlyBody(FullReason),
}

use ReadAgain::{NotOnlyBody, Unreadable};

impl LastRun {
    /// The page built from a site-relative source file (`content/blog/a.md`).
    pub(super) fn page_of(&self, path: &str) -> Option<PageId> {
        match self.site.node_for_doc(path.strip_prefix("content/")?)? {
            Node::Page(id) => Some(id),
            Node::Section(_) => None,
        }
    }

    /// The pages of the reported paths, or `None` if one of them is not a page of this
    /// build.
    pub(super) fn pages_of(&self, changed: &[&String]) -> Option<Vec<PageId>> {
        let mut ids = changed
            .iter()
            .map(|path| self.page_of(path))
            .collect::<Option<Vec<_>>>()?;
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }

    /// Puts the outputs a patch rendered into the site and counts them; every job the
    /// patch did not check kept its output.
    pub(super) fn take_outputs(&mut self, outputs: Vec<JobOutput>, stats: &mut RebuildStats) {
        stats.jobs_reused += self.jobs.len() - outputs.len();
        for output in outputs {
            match output.reason {
                Some(reason) => stats
                    .jobs_rendered
                    .push((output.output_path.clone(), reason)),
                None => stats.jobs_reused += 1,
            }
            self.files.insert(output.output_path, output.bytes);
        }
    }

    /// The reported paths that can matter: an editor's temporary file under `content/`,
    /// gone by now and never part of a build, cannot, and is left out (an atomic save
    /// reports it beside the file it replaced).
    pub(super) fn relevant<'a>(&self, root: &Path, changed: &'a [String]) -> Vec<&'a String> {
        changed
            .iter()
            .filter(|path| {
                let Some(content_relative) = path.strip_prefix("content/") else {
                    return true;
                };
                let known = self
                    .tree
                    .markdown
                    .iter()
                    .chain(&self.tree.assets)
                    .any(|f| f.doc_id == content_relative)
                    || self.tree.folders.iter().any(|f| f == content_relative);
                known || root.join(path).exists()
            })
            .collect()
    }

    /// Builds the search index again from every page, as a clean build does.
    pub(super) fn reindex(&mut self) -> Result<(), FullReason> {
        let pages: Vec<OutputFile> = self
            .jobs
            .iter()
            .map(|job| OutputFile {
                content: OutputContent::Shared(
                    self.files
                        .get(&job.output_path)
                        .cloned()
                        .unwrap_or_default(),
                ),
                output_path: job.output_path.clone(),
            })
            .collect();
        let bundle = crate::build::search_index(&self.jobs, &pages, &self.site)
            .map_err(|_| FullReason::SearchFailed)?;
        for path in std::mem::take(&mut self.search_paths) {
            self.files.remove(&path);
        }
        for file in bundle {
            let bytes: Arc<[u8]> = match file.content {
                OutputContent::Bytes(bytes) => bytes.into(),
                OutputContent::Shared(bytes) => bytes,
                OutputContent::Static(bytes) => bytes.into(),
                OutputContent::Copy(_) => return Err(FullReason::SearchUnexpectedFiles),
            };
            self.search_paths.push(file.output_path.clone());
            self.files.insert(file.output_path, bytes);
        }
        Ok(())
    }
}

impl Session {
    /// Finishes a patched rebuild: its problems are the kept ones, and the patched run is
    /// kept for the next.
    pub(super) fn keep_patched(
        &mut self,
        last: LastRun,
        stats: RebuildStats,
        clock: Clock,
        started: Instant,
    ) -> InMemory {
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
        let finished = finish(finished, &last.problems, clock, started, &self.options.root);
        let files = last.files.clone();
        self.last = Some(last);
        (finished, files)
    }

    /// Rebuilds after the files at `changed` (site-relative, `/`-separated, as the watcher
    /// reports them) changed: patches the last run when only page bodies changed, else runs
    /// the whole pipeline. Either way the result is what a clean build would produce.
    pub fn rebuild_in_memory(&mut self, changed: &[String]) -> InMemory {
        let reason = match self.last.take() {
            Some(last) => match self.patch_bodies(last, changed) {
                Ok(result) => return result,
                // Front matter changed: the page-edit patch may still apply.
                Err(Declined {
                    last: Some(last), ..
                }) => match self.patch_pages(*last, changed) {
                    Ok(result) => return result,
                    Err(why) => why,
                },
                Err(Declined { why, .. }) => why,
            },
            None => FullReason::NotKept,
        };
        let (mut finished, files) = self.run_in_memory();
        finished.stats.strategy = RebuildStrategy::Full { reason };
        (finished, files)
    }

    fn patch_bodies(
        &mut self,
        mut last: LastRun,
        changed: &[String],
    ) -> Result<InMemory, Declined> {
        let started = Instant::now();
        let mut clock = Clock::new();
        let changed = last.relevant(&self.options.root, changed);
        if changed.is_empty() || last.files.is_empty() {
            return Err(Declined::drop(FullReason::NothingReported));
        }
        // Not only bodies: files came or went, or are not pages; the page patch may apply.
        let gone = changed
            .iter()
            .any(|path| !self.options.root.join(path.as_str()).is_file());
        let Some(ids) = last.pages_of(&changed).filter(|_| !gone) else {
            return Err(Declined {
                why: FullReason::NotAPage,
                last: Some(Box::new(last)),
            });
        };
        // A commit changes "last updated" dates without touching the files.
        let history = History::read(&self.options.root);
        if history != last.history {
            return Err(Declined::drop(FullReason::HistoryChanged));
        }
        clock.lap("history");

        let mut read = Vec::with_capacity(ids.len());
        for &id in &ids {
            match self.read_again(&last, id) {
                Ok(doc) => read.push((id, doc)),
                Err(Unreadable(why)) => return Err(Declined::drop(why)),
                Err(NotOnlyBody(why)) => {
                    return Err(Declined {
                        why,
                        last: Some(Box::new(last)),
                    });
                }
            }
        }
        clock.lap("read");

        // Patch the last run: bodies first, then renders and problems.
        for (id, doc) in read {
            last.site.pages[id.0].doc.body = doc.body;
        }
        for &id in &ids {
            let (rendered, problems) =
                self.render_page_again(&last.site, id, &last.templates, &last.config);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(Declined::drop(FullReason::EditedPageHasErrors));
            }
            let file = &last.site.page(id).doc.file;
            last.problems.replace_page(file, problems);
            last.page_rendered[id.0] = rendered;
        }
        last.problems.foreign_tags =
            foreign_tag_warnings(&last.site, &last.page_rendered, &last.section_rendered);
        clock.lap("markdown");
        if recheck_anchors(
            &mut last.problems.anchors,
            &last.site,
            &last.page_rendered,
            &last.section_rendered,
            last.config.markdown_options().broken_links,
            &ids,
        ) {
            return Err(Declined::drop(FullReason::MissingAnchor));
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
        let views = ViewSource::with_parts(
            config,
            site,
            page_rendered,
            section_rendered,
            *build_date,
            std::mem::replace(view_parts, ViewParts::empty()),
        );
        if ids.iter().any(|id| views.card_changed(*id)) {
            *view_parts = views.into_parts();
            return Err(Declined {
                why: FullReason::CardChanged,
                last: Some(Box::new(last)),
            });
        }
        let affected_index: Vec<usize> = (0..jobs.len())
            .filter(|&j| shows_body_of(&views, &jobs[j].kind, &ids))
            .collect();
        let affected: Vec<Job> = affected_index.iter().map(|&j| jobs[j].clone()).collect();
        let results = plan::render(
            &self.jobs,
            &affected,
            &views,
            templates,
            *build_date,
            &self.options,
            plan::Reporting {
                record_reads: true,
                on_rendered: None,
            },
        );
        *view_parts = views.into_parts();
        let mut outputs = Vec::with_capacity(results.len());
        for ((result, reads), &j) in results.into_iter().zip(&affected_index) {
            outputs.push(result.map_err(|_| Declined::drop(FullReason::OutputFailed))?);
            last.job_reads[j] = reads;
        }
        self.jobs.update(&outputs);
        clock.lap("render");

        let mut stats = RebuildStats {
            docs_parsed: ids.len(),
            markdown_rendered: ids.len(),
            strategy: RebuildStrategy::Patched {
                patch: Patch::BodyEdit,
                checked: affected.len(),
                outputs: last.jobs.len(),
            },
            jobs_checked: affected.iter().map(|j| j.output_path.clone()).collect(),
            ..RebuildStats::default()
        };
        last.take_outputs(outputs, &mut stats);
        clock.lap("patch");
        if last.searching {
            last.reindex().map_err(Declined::drop)?;
            clock.lap("search");
        }

        Ok(self.keep_patched(last, stats, clock, started))
    }
}

impl Session {
    /// Reads the page's file again (through the document cache); an error unless only its
    /// body changed.
    fn read_again(&mut self, last: &LastRun, id: PageId) -> Result<Doc, ReadAgain> {
        let before = &last.site.page(id).doc;
        let file = SourceFile {
            doc_id: before.doc_id.clone(),
            source_path: before.source_path.clone(),
        };
        let read_problems = self
            .docs
            .get(&file.source_path)
            .map(|entry| entry.problems.clone())
            .unwrap_or_default();
        let (doc, problems) = self.read_one(&file, &last.config, &last.history);
        let doc = doc.ok_or(Unreadable(FullReason::EditedPageUnreadable))?;
        check_only_body(before, &doc, problems == read_problems)?;
        Ok(doc)
    }
}

/// An error unless `doc`, read again, differs from `before` only in its body.
fn check_only_body(before: &Doc, doc: &Doc, same_problems: bool) -> Result<(), ReadAgain> {
    // Read problems are part of the last run's problems; a difference means the front
    // matter changed.
    if doc.doc_id != before.doc_id || doc.file != before.file {
        return Err(NotOnlyBody(FullReason::PageMoved));
    }
    if doc.meta != before.meta || doc.key_lines != before.key_lines || !same_problems {
        return Err(NotOnlyBody(FullReason::FrontMatterChanged));
    }
    if doc.body_first_line != before.body_first_line {
        return Err(NotOnlyBody(FullReason::BodyMoved));
    }
    if doc.heading_title != before.heading_title {
        return Err(NotOnlyBody(FullReason::FirstHeadingChanged));
    }
    if doc.last_updated != before.last_updated {
        return Err(NotOnlyBody(FullReason::LastUpdatedChanged));
    }
    Ok(())
}

/// Checks again the links from or into the `edited` pages (only their answers can have
/// changed) and keeps the others' problems; true if a problem is an error.
pub(super) fn recheck_anchors(
    problems: &mut Vec<(String, Diagnostic)>,
    site: &Site,
    pages: &[Rendered],
    sections: &[Rendered],
    severity: crate::diagnostics::Severity,
    edited: &[PageId],
) -> bool {
    let files: Vec<&str> = edited
        .iter()
        .map(|id| site.page(*id).doc.file.as_str())
        .collect();
    let docs: Vec<&str> = edited
        .iter()
        .map(|id| site.page(*id).doc.doc_id.as_str())
        .collect();
    let affected = |file: &str, target: &str| files.contains(&file) || docs.contains(&target);
    problems.retain(|(target, d)| !affected(&d.file, target));
    problems.extend(missing_anchors(site, pages, sections, severity, &affected));
    problems.iter().any(|(_, d)| d.is_error())
}

/// Whether the output of `kind` shows the rendered body of one of the edited pages (other
/// than through its card, checked separately).
fn shows_body_of(views: &ViewSource<'_>, kind: &JobKind, edited: &[PageId]) -> bool {
    let site = views.site.unrecorded();
    let section_of = |id: PageId| site.section(site.page(id).section);
    // A feed carries only its newest posts (`feeds.limit`): the same choice the feed job
    // makes, from candidates that include an edited page.
    let feed_shows = |candidates: Vec<PageId>| {
        edited.iter().any(|e| candidates.contains(e)) && {
            let shown = views.feed_posts(candidates);
            edited.iter().any(|e| shown.contains(e))
        }
    };
    match kind {
        JobKind::Page(id) => edited.contains(id),
        JobKind::Course { course, .. } => edited
            .iter()
            .any(|e| section_of(*e).course == Some(*course)),
        JobKind::HandbookPrint(handbook) => edited
            .iter()
            .any(|e| section_of(*e).handbook == Some(*handbook)),
        JobKind::Feed(None) => feed_shows(
            (0..site.pages.len())
                .map(PageId)
                .filter(|p| site.page_kind(*p) == PageKind::Post)
                .collect(),
        ),
        JobKind::Feed(Some(feed_section)) => feed_shows(graph::pages_under(site, *feed_section)),
        JobKind::TermFeed { taxonomy, term } => {
            feed_shows(site.taxonomies[*taxonomy].terms[*term].pages.clone())
        }
        JobKind::SeriesFeed(series) => feed_shows(site.series[*series].pages.clone()),
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
