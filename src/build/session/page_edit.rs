//! Rebuilds after edits to pages' files: front matter (a title, a date, tags), and pages
//! added, removed or renamed. The effects spread: a new title shows in the page's
//! neighbours, the lists and feeds that carry its card, its course's outline on every
//! lesson, the handbook tree on every handbook page; a new page also moves every list it
//! joins.
//!
//! Rather than work out by hand which outputs show what, every job's view records what it
//! read while it was built ([`crate::graph::reads`]): the pages and sections it looked at,
//! the cards and trees it took. This module reads the edited files again (walking
//! `content/` again when files came or went), assembles the graph from the documents it
//! already holds, and checks the site kept its sections, series, journeys, sectors, aliases
//! and assets. Pages are matched between the two graphs by their document (`doc_id`), not
//! their position, so pages before which one was added or removed are still the same
//! pages. It then compares the new graph with the last one, page by page and section by
//! section, rebuilds the edited pages' Markdown (and any other whose links now get other
//! answers), cards and every section card and tree, and renders again exactly the jobs
//! whose recorded reads include something that changed: a page, a section, a section's
//! children, the list of every page (when pages came or went), a taxonomy's terms or one
//! term (by slug); plus the jobs that list other pages than they did (paginator pages).
//! Anything else (a section or asset changed, an error) makes the caller run the whole
//! pipeline, which is always exact.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use super::body_edit::{InMemory, LastRun, recheck_anchors};
use super::report::{FullReason, Patch, RebuildStrategy};
use super::{Clock, RebuildStats, Session, foreign_tag_warnings, markdown_key, markdown_options};
use crate::build::missing_anchors;
use crate::build::plan::{self, Job, JobKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::reads::Read;
use crate::graph::{self, Doc, GraphInput, Node, PageId, SectionId, Site};
use crate::markdown::LinkResolver;
use crate::source::{self, IgnoreRules, SourceFile, history::History};
use crate::template::views::{ViewParts, ViewSource};

impl Session {
    #[allow(clippy::too_many_lines)]
    pub(super) fn patch_pages(
        &mut self,
        mut last: LastRun,
        changed: &[String],
    ) -> Result<InMemory, FullReason> {
        let started = Instant::now();
        let mut clock = Clock::new();
        let root = self.options.root.clone();
        let changed = last.relevant(&root, changed);
        if changed.is_empty() || last.files.is_empty() {
            return Err(FullReason::NothingReported);
        }
        // Only Markdown files under `content/`: sections' own files are turned away below.
        let edited: Vec<&str> = changed
            .iter()
            .map(|path| {
                path.strip_prefix("content/")
                    .filter(|p| source::is_markdown(p))
                    .ok_or(FullReason::NotAPage)
            })
            .collect::<Result<_, _>>()?;
        if edited
            .iter()
            .any(|doc_id| matches!(last.site.node_for_doc(doc_id), Some(Node::Section(_))))
        {
            return Err(FullReason::NotAPage);
        }
        let history = History::read(&root);
        if history != last.history {
            return Err(FullReason::HistoryChanged);
        }
        clock.lap("history");

        // A file came or went: walk again; the folders and other files must be the same.
        let known = |doc_id: &str| last.tree.markdown.iter().any(|f| f.doc_id == doc_id);
        let files_moved = edited
            .iter()
            .any(|doc_id| !known(doc_id) || !root.join("content").join(doc_id).is_file());
        if files_moved {
            let rules = IgnoreRules::new(&last.config.ignore);
            let (tree, walk_problems) = source::walk_content(&root, &rules, &crate::build::Rayon);
            if tree.folders != last.tree.folders
                || tree.assets.len() != last.tree.assets.len()
                || tree
                    .assets
                    .iter()
                    .zip(&last.tree.assets)
                    .any(|(a, b)| a.doc_id != b.doc_id)
                || walk_problems != last.problems.walk
            {
                return Err(FullReason::PageOrSectionMoved);
            }
            last.tree = tree;
            clock.lap("walk");
        }

        // The edited files that are there, read again through the document cache.
        let mut fresh: HashMap<String, Doc> = HashMap::new();
        for file in &last.tree.markdown {
            if !edited.contains(&file.doc_id.as_str()) {
                continue;
            }
            let file = SourceFile {
                doc_id: file.doc_id.clone(),
                source_path: file.source_path.clone(),
            };
            let (doc, problems) = self.read_one(&file, &last.config, &last.history);
            let doc = doc.ok_or(FullReason::EditedPageUnreadable)?;
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::EditedPageHasErrors);
            }
            fresh.insert(doc.doc_id.clone(), doc);
        }
        clock.lap("read");

        // Every document as a full run would read it: the edited ones fresh, the others
        // moved out of the last graph (with any patched bodies; that graph is replaced or,
        // if this patch gives up, dropped), drafts and future posts (not in the graph) from
        // the cache.
        let mut docs = Vec::with_capacity(last.tree.markdown.len());
        for file in &last.tree.markdown {
            if let Some(doc) = fresh.remove(&file.doc_id) {
                docs.push(doc);
                continue;
            }
            let held = match last.site.node_for_doc(&file.doc_id) {
                Some(Node::Page(p)) => Some(std::mem::take(&mut last.site.pages[p.0].doc)),
                Some(Node::Section(s)) => last.site.sections[s.0].index.take(),
                None => self
                    .docs
                    .get(&file.source_path)
                    .and_then(|entry| entry.doc.clone()),
            };
            docs.extend(held);
        }
        clock.lap("documents");
        let build_date = last.build_date;
        let (site, mut graph_problems) = graph::assemble(GraphInput {
            docs,
            assets: &last.tree.assets,
            folders: &last.tree.folders,
            config: &last.config,
            include_drafts: self.options.include_drafts,
            include_future: self.options.include_future,
            build_date,
        });
        graph_problems.extend(graph::stale_reviews(&site, build_date));
        if graph_problems.iter().any(Diagnostic::is_error) {
            return Err(FullReason::SiteHasErrors);
        }
        let moves = Moves::between(&last.site, &site)?;
        if edited
            .iter()
            .any(|doc_id| matches!(site.node_for_doc(doc_id), Some(Node::Section(_))))
        {
            return Err(FullReason::NotAPage);
        }
        clock.lap("graph");

        // Markdown: edited and new pages again; every other page keeps its render while
        // its links get the answers they got (always, when no page came or went).
        let ids: Vec<PageId> = (0..site.pages.len())
            .map(PageId)
            .filter(|&p| {
                moves.old_of_new[p.0].is_none()
                    || edited.contains(&site.pages[p.0].doc.doc_id.as_str())
            })
            .collect();
        let mut old_rendered: Vec<Option<crate::markdown::Rendered>> =
            std::mem::take(&mut last.page_rendered)
                .into_iter()
                .map(Some)
                .collect();
        let options = markdown_options(&last.config, Some(&last.templates));
        let mut page_rendered = Vec::with_capacity(site.pages.len());
        let mut rerender = ids.clone();
        for (i, old) in moves.old_of_new.iter().enumerate() {
            let kept = old.and_then(|old| old_rendered[old.0].take());
            if let Some(kept) = kept
                .filter(|_| !moves.pages_moved || self.links_unchanged(&site, PageId(i), &options))
            {
                page_rendered.push(kept);
            } else {
                page_rendered.push(crate::markdown::Rendered::default());
                if !ids.contains(&PageId(i)) {
                    rerender.push(PageId(i));
                }
            }
        }
        if moves.pages_moved
            && (0..site.sections.len())
                .any(|s| !self.section_links_unchanged(&site, SectionId(s), &options))
        {
            return Err(FullReason::PageOrSectionMoved);
        }
        for &id in &rerender {
            let (rendered, problems) =
                self.render_page_again(&site, id, &last.templates, &last.config);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::EditedPageHasErrors);
            }
            let file = &site.page(id).doc.file;
            last.problems.replace_page(file, problems);
            page_rendered[id.0] = rendered;
        }
        // Pages that are gone take their problems with them.
        let files: HashSet<&str> = site.pages.iter().map(|p| p.doc.file.as_str()).collect();
        let section_files: HashSet<&str> = site
            .sections
            .iter()
            .filter_map(|s| s.index.as_ref().map(|d| d.file.as_str()))
            .collect();
        last.problems
            .pages
            .retain(|d| files.contains(d.file.as_str()) || section_files.contains(d.file.as_str()));
        last.problems.foreign_tags =
            foreign_tag_warnings(&site, &page_rendered, &last.section_rendered);
        let severity = options.broken_links;
        if moves.pages_moved {
            last.problems.anchors = missing_anchors(
                &site,
                &page_rendered,
                &last.section_rendered,
                severity,
                &|_, _| true,
            );
            if last.problems.anchors.iter().any(|(_, d)| d.is_error()) {
                return Err(FullReason::MissingAnchor);
            }
        } else if recheck_anchors(
            &mut last.problems.anchors,
            &site,
            &page_rendered,
            &last.section_rendered,
            severity,
            &ids,
        ) {
            return Err(FullReason::MissingAnchor);
        }
        clock.lap("markdown");

        // The outputs: the same ones unless pages came or went or terms changed (then they
        // are planned again, with their collision checks); the copies depend on nothing a
        // page's file can change.
        let mut jobs = plan::plan_jobs(&last.config, &site);
        let outputs_changed = jobs != last.jobs;
        if moves.pages_moved || outputs_changed {
            let rules = IgnoreRules::new(&last.config.ignore);
            let mut plan_problems = Diagnostics::new();
            let plan = plan::plan(&root, &last.config, &site, &rules, &mut plan_problems);
            let plan_problems = plan_problems.into_vec();
            if plan_problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::SiteHasErrors);
            }
            last.problems.plan = plan_problems;
            jobs = plan.jobs;
        }
        clock.lap("plan");

        // What changed, in the terms views record their reads in (the new graph's ids).
        let rendered_again: HashSet<PageId> = rerender.iter().copied().collect();
        let mut changed_reads: HashSet<Read> = HashSet::new();
        let new_of_old = |node: Node| match node {
            Node::Page(p) => moves.new_of_old[p.0].map(Node::Page),
            Node::Section(s) => Some(Node::Section(s)),
        };
        for (i, new) in site.pages.iter().enumerate() {
            let same = moves.old_of_new[i]
                .is_some_and(|old| last.site.pages[old.0].same_apart_from_doc(new, &new_of_old));
            // (A page rendered again may show another answer to a link in its card.)
            if !same || rendered_again.contains(&PageId(i)) {
                changed_reads.insert(Read::Page(PageId(i)));
            }
        }
        for (i, (old, new)) in last.site.sections.iter().zip(&site.sections).enumerate() {
            if !old.same_apart_from_index(new, &new_of_old) {
                changed_reads.insert(Read::Section(SectionId(i)));
            }
            if !old.same_children(new, &new_of_old) {
                changed_reads.insert(Read::SectionChildren(SectionId(i)));
            }
        }
        if moves.pages_moved {
            changed_reads.insert(Read::AllPages);
        }
        changed_reads.extend(moves.changed_terms.iter().copied());
        let mut parts = std::mem::replace(&mut last.view_parts, ViewParts::empty());
        if moves.pages_moved {
            parts.move_pages(&moves.old_of_new);
        }
        let mut views = ViewSource::with_parts(
            &last.config,
            &site,
            &page_rendered,
            &last.section_rendered,
            build_date,
            parts,
        );
        let changed_pages: Vec<PageId> = changed_reads
            .iter()
            .filter_map(|r| match r {
                Read::Page(p) => Some(*p),
                _ => None,
            })
            .collect();
        for page in changed_pages {
            if views.refresh_card(page) {
                changed_reads.insert(Read::Card(page));
            }
        }
        changed_reads.extend(views.refresh_sections());
        clock.lap("compare");

        // The jobs to render: new outputs, outputs whose job lists other pages than it did
        // (a paginator page), and those whose reads (in the new graph's ids) include a
        // change or a page that is gone.
        let old_jobs: HashMap<&str, usize> = last
            .jobs
            .iter()
            .enumerate()
            .map(|(j, job)| (job.output_path.as_str(), j))
            .collect();
        let mut job_reads = Vec::with_capacity(jobs.len());
        let mut affected_index = Vec::new();
        for (j, job) in jobs.iter().enumerate() {
            let old_job = old_jobs.get(job.output_path.as_str()).copied();
            let old_reads = old_job.map(|old| std::mem::take(&mut last.job_reads[old]));
            let affected = match &old_reads {
                None => true,
                Some(reads) => {
                    old_job.is_none_or(|old| {
                        !same_kind(&last.jobs[old].kind, &job.kind, &moves.old_of_new)
                    }) || reads.iter().any(|read| match moves.read_in_new(*read) {
                        Some(read) => changed_reads.contains(&read),
                        None => true,
                    })
                }
            };
            if affected {
                affected_index.push(j);
            }
            let reads = old_reads.unwrap_or_default();
            job_reads.push(if moves.pages_moved {
                reads
                    .into_iter()
                    .filter_map(|r| moves.read_in_new(r))
                    .collect()
            } else {
                reads
            });
        }
        let affected_jobs: Vec<Job> = affected_index.iter().map(|&j| jobs[j].clone()).collect();
        let results = plan::render(
            &self.jobs,
            &affected_jobs,
            &views,
            &last.templates,
            build_date,
            &self.options,
            plan::Reporting {
                record_reads: true,
                on_rendered: None,
            },
        );
        last.view_parts = views.into_parts();
        let mut outputs = Vec::with_capacity(results.len());
        for ((result, reads), &j) in results.into_iter().zip(&affected_index) {
            outputs.push(result.map_err(|_| FullReason::OutputFailed)?);
            job_reads[j] = reads;
        }
        self.jobs.update(&outputs);
        clock.lap("render");

        // Outputs that are gone leave the site.
        let outputs_now: HashSet<&str> = jobs.iter().map(|j| j.output_path.as_str()).collect();
        for job in &last.jobs {
            if !outputs_now.contains(job.output_path.as_str()) {
                last.files.remove(&job.output_path);
            }
        }
        last.jobs = jobs;
        last.job_reads = job_reads;
        let rendered_again = rendered_again.len();
        let mut stats = RebuildStats {
            docs_parsed: fresh_count(&edited, &last.tree.markdown),
            docs_reused: last
                .tree
                .markdown
                .len()
                .saturating_sub(fresh_count(&edited, &last.tree.markdown)),
            markdown_rendered: rendered_again,
            markdown_reused: page_rendered.len().saturating_sub(rendered_again),
            strategy: RebuildStrategy::Patched {
                patch: if moves.pages_moved {
                    Patch::PagesAddedOrRemoved
                } else {
                    Patch::PageEdit
                },
                checked: affected_jobs.len(),
                outputs: last.jobs.len(),
            },
            jobs_checked: affected_jobs
                .iter()
                .map(|j| j.output_path.clone())
                .collect(),
            ..RebuildStats::default()
        };
        // Every job now in the plan is counted: those not checked kept their output.
        last.take_outputs(outputs, &mut stats);
        let [pages, sections, drafts, future] = &mut last.counts;
        *pages = site.pages.len();
        *sections = site.sections.len();
        *drafts = site.drafts_skipped;
        *future = site.future_skipped;
        last.site = site;
        last.page_rendered = page_rendered;
        if last.searching {
            last.reindex()?;
            clock.lap("search");
        }

        // Problems: the read problems of every document (as a full run reads them, through
        // the document cache) and the new graph's; the others are the last run's.
        last.problems.read = last
            .tree
            .markdown
            .iter()
            .filter_map(|file| self.docs.get(&file.source_path))
            .flat_map(|entry| entry.problems.iter().cloned())
            .collect();
        last.problems.graph = graph_problems;
        Ok(self.keep_patched(last, stats, clock, started))
    }

    /// Whether the cached render of `page` still gets the answers it got for its links
    /// from `site`.
    fn links_unchanged(
        &self,
        site: &Site,
        page: PageId,
        options: &crate::markdown::MarkdownOptions,
    ) -> bool {
        let page = &site.pages[page.0];
        let lift = page.kind == crate::content::PageKind::Lesson;
        self.cached_links_still_good(site, &page.doc, lift, options)
    }

    fn section_links_unchanged(
        &self,
        site: &Site,
        section: SectionId,
        options: &crate::markdown::MarkdownOptions,
    ) -> bool {
        site.sections[section.0]
            .index
            .as_ref()
            .is_none_or(|doc| self.cached_links_still_good(site, doc, false, options))
    }

    fn cached_links_still_good(
        &self,
        site: &Site,
        doc: &Doc,
        lift_lesson_blocks: bool,
        options: &crate::markdown::MarkdownOptions,
    ) -> bool {
        let key = markdown_key(doc, &doc.body, lift_lesson_blocks, options);
        let resolver = crate::build::DocLinks {
            site,
            doc_id: &doc.doc_id,
        };
        self.markdown.get(&key).is_some_and(|entry| {
            entry
                .resolutions
                .iter()
                .all(|(destination, answer)| resolver.resolve(destination) == *answer)
        })
    }
}

/// Whether a job of the last run (`old`) and one of this run (`new`) at the same output
/// path are the same job, the new one's pages mapped to the last graph's by `old_of_new`.
fn same_kind(old: &JobKind, new: &JobKind, old_of_new: &[Option<PageId>]) -> bool {
    let same_pages = |old: &[PageId], new: &[PageId]| {
        old.len() == new.len()
            && old
                .iter()
                .zip(new)
                .all(|(o, n)| old_of_new.get(n.0).copied().flatten() == Some(*o))
    };
    match (old, new) {
        (JobKind::Page(o), JobKind::Page(n)) => same_pages(&[*o], &[*n]),
        (
            JobKind::Section {
                section,
                pager,
                pages,
            },
            JobKind::Section {
                section: new_section,
                pager: new_pager,
                pages: listed,
            },
        ) => section == new_section && pager == new_pager && same_pages(pages, listed),
        (
            JobKind::Term {
                taxonomy,
                term,
                pager,
                pages,
            },
            JobKind::Term {
                taxonomy: new_taxonomy,
                term: new_term,
                pager: new_pager,
                pages: listed,
            },
        ) => {
            (taxonomy, term, pager) == (new_taxonomy, new_term, new_pager)
                && same_pages(pages, listed)
        }
        (old, new) => old == new,
    }
}

/// How many of the `edited` documents are in `files` (and so were read again).
fn fresh_count(edited: &[&str], files: &[SourceFile]) -> usize {
    files
        .iter()
        .filter(|f| edited.contains(&f.doc_id.as_str()))
        .count()
}

/// Where the pages of the last graph are in the new one, matched by document; and what
/// changed in what the views do not record reading (terms).
struct Moves {
    /// For each page of the new graph, its id in the old one.
    old_of_new: Vec<Option<PageId>>,
    /// For each page of the old graph, its id in the new one.
    new_of_old: Vec<Option<PageId>>,
    /// Pages came, went or changed places.
    pages_moved: bool,
    /// The terms ([`Read::Term`]) and taxonomies ([`Read::Taxonomy`]) that changed.
    changed_terms: Vec<Read>,
}

impl Moves {
    /// Matches the pages of `old` and `new` by document, and checks the site kept its
    /// sections (the same folders at the same URLs, with the same index documents), its
    /// drafts and future posts, series, journeys, sectors, aliases and assets.
    fn between(old: &Site, new: &Site) -> Result<Moves, FullReason> {
        // The old graph's documents were moved into the new one; its index of documents
        // still says where each one was.
        let in_old = |doc: &Doc| old.node_for_doc(&doc.doc_id);
        let mut old_of_new: Vec<Option<PageId>> = Vec::with_capacity(new.pages.len());
        for page in &new.pages {
            old_of_new.push(match in_old(&page.doc) {
                Some(Node::Page(id)) => Some(id),
                // A section's own page became a page (its folder lost its other pages).
                Some(Node::Section(_)) => return Err(FullReason::PageOrSectionMoved),
                None => None,
            });
        }
        let mut new_of_old = vec![None; old.pages.len()];
        for (i, old_id) in old_of_new.iter().enumerate() {
            if let Some(old_id) = old_id {
                new_of_old[old_id.0] = Some(PageId(i));
            }
        }
        let pages_moved = old.pages.len() != new.pages.len()
            || old_of_new
                .iter()
                .enumerate()
                .any(|(i, old_id)| *old_id != Some(PageId(i)));
        let sections_same = old.sections.len() == new.sections.len()
            && old
                .sections
                .iter()
                .zip(&new.sections)
                .enumerate()
                .all(|(i, (a, b))| {
                    a.folder == b.folder
                        && a.url_path == b.url_path
                        && b.index
                            .as_ref()
                            .is_none_or(|d| in_old(d) == Some(Node::Section(SectionId(i))))
                });
        if !sections_same {
            return Err(FullReason::PageOrSectionMoved);
        }
        // Kept pages at their URLs (a moved URL changes links into the page and its
        // bundle's files).
        if old_of_new
            .iter()
            .zip(&new.pages)
            .any(|(old_id, page)| old_id.is_some_and(|o| old.pages[o.0].url_path != page.url_path))
        {
            return Err(FullReason::PageOrSectionMoved);
        }
        if old.drafts_skipped != new.drafts_skipped || old.future_skipped != new.future_skipped {
            return Err(FullReason::DraftOrFuture);
        }
        let to_old = |pages: &[PageId]| -> Option<Vec<PageId>> {
            pages.iter().map(|p| old_of_new[p.0]).collect()
        };
        let same_pages = |old_pages: &[PageId], new_pages: &[PageId]| {
            to_old(new_pages).as_deref() == Some(old_pages)
        };
        let series_same = old.series.len() == new.series.len()
            && old.series.iter().zip(&new.series).all(|(a, b)| {
                a.name == b.name
                    && a.slug == b.slug
                    && a.url_path == b.url_path
                    && same_pages(&a.pages, &b.pages)
            });
        let journeys_same = old.journeys.len() == new.journeys.len()
            && old.journeys.iter().zip(&new.journeys).all(|(a, b)| {
                a.section == b.section
                    && a.goal == b.goal
                    && a.started == b.started
                    && a.deadline == b.deadline
                    && a.milestones.len() == b.milestones.len()
                    && a.milestones.iter().zip(&b.milestones).all(|(m, n)| {
                        m.id == n.id
                            && m.title == n.title
                            && m.due == n.due
                            && m.status == n.status
                            && m.url_path == n.url_path
                            && same_pages(&m.pages, &n.pages)
                    })
            });
        let sectors_same = old.sectors.len() == new.sectors.len()
            && old.sectors.iter().zip(&new.sectors).all(|(a, b)| {
                a.section == b.section
                    && a.name == b.name
                    && a.slug == b.slug
                    && a.url_path == b.url_path
                    && same_pages(&a.pages, &b.pages)
            });
        let aliases_same = old.aliases.len() == new.aliases.len()
            && old.aliases.iter().zip(&new.aliases).all(|(a, b)| {
                a.url_path == b.url_path
                    && a.file == b.file
                    && match (a.target, b.target) {
                        (Node::Page(x), Node::Page(y)) => old_of_new[y.0] == Some(x),
                        (x, y) => x == y,
                    }
            });
        if !series_same
            || !journeys_same
            || !sectors_same
            || !aliases_same
            || old.assets != new.assets
        {
            return Err(FullReason::SeriesJourneysOrAssetsChanged);
        }
        // Terms: which changed, by taxonomy and slug (the terms views read, [`Read::Term`]),
        // and the taxonomies whose list of terms changed ([`Read::Taxonomy`]).
        let mut changed_terms = Vec::new();
        for (t, (a, b)) in old.taxonomies.iter().zip(&new.taxonomies).enumerate() {
            let old_terms: HashMap<&str, &graph::Term> = a
                .terms
                .iter()
                .map(|term| (term.slug.as_str(), term))
                .collect();
            let mut changed = false;
            for term in &b.terms {
                let same = old_terms.get(term.slug.as_str()).is_some_and(|o| {
                    o.name == term.name
                        && o.url_path == term.url_path
                        && o.post_count == term.post_count
                        && same_pages(&o.pages, &term.pages)
                });
                if !same {
                    changed = true;
                    changed_terms.push(Read::Term(t, graph::TermKey::of(&term.slug)));
                }
            }
            // A term that is gone.
            for slug in old_terms.keys() {
                if !b.terms.iter().any(|n| n.slug == *slug) {
                    changed = true;
                    changed_terms.push(Read::Term(t, graph::TermKey::of(slug)));
                }
            }
            if changed {
                changed_terms.push(Read::Taxonomy(t));
            }
        }
        let taxonomies_same = old.taxonomies.len() == new.taxonomies.len()
            && old
                .taxonomies
                .iter()
                .zip(&new.taxonomies)
                .all(|(a, b)| a.name == b.name && a.url_path == b.url_path);
        if !taxonomies_same {
            return Err(FullReason::TermsChanged);
        }
        Ok(Moves {
            old_of_new,
            new_of_old,
            pages_moved,
            changed_terms,
        })
    }

    /// A read recorded against the old graph, in the new graph's ids; `None` when it read a
    /// page that is gone.
    fn read_in_new(&self, read: Read) -> Option<Read> {
        let page = |p: PageId| self.new_of_old.get(p.0).copied().flatten();
        Some(match read {
            Read::Page(p) => Read::Page(page(p)?),
            Read::Card(p) => Read::Card(page(p)?),
            other => other,
        })
    }
}
