//! The content's steps of a run that starts from the kept run ([`super::Session::pipeline`]),
//! after content files changed (bodies, front matter: a title, a date, tags; a section's
//! title, kind, pagination; pages added, removed or renamed) or templates did ([`Also`],
//! from [`super::kept`]): they set the changed inputs and recompute what depends on them,
//! stopping wherever a value comes out the same:
//!
//! 1. **Documents**: the edited files are read again (walking `content/` again when files
//!    came or went).
//! 2. **Graph**: when every edited file is a page that changed only in its body, the graph
//!    is the last one with the new bodies (cut-off: nothing a graph is made of changed,
//!    and neither is the plan). Otherwise it is assembled again from the documents the
//!    last run holds, with the session's ids (a page's id is derived from its document,
//!    `graph::Ids`, so a page keeps its id whatever came or went before it), and checked
//!    to have kept its sections (with their own files) and assets; what changed beyond
//!    the edited documents is which pages came or went, and which terms, series,
//!    journeys, sectors and aliases changed ([`GraphDelta`]). The outputs are planned
//!    again when pages came or went.
//! 3. **Markdown**: the edited and new pages again, and any other whose links now get
//!    other answers.
//! 4. **What changed**, in the terms views record their reads in ([`crate::graph::reads`],
//!    at the `Site`/`ViewSource` boundary): a page's front matter and place, its rendered
//!    body, its card, a section, a section's children, section cards and trees, the list
//!    of every page, a taxonomy's terms, one term (by slug), a series, journey, sector or
//!    alias (by key).
//! 5. **Outputs**: exactly the jobs whose recorded reads meet a change, that list other
//!    pages than they did (paginator pages), or are new, are built again; the job cache
//!    compares each view's hash and keeps the bytes of those that came out the same
//!    (cut-off again).
//!
//! Anything it cannot prove (a section or a section's own file that came or went, an
//! asset, an error) makes the pipeline recompute the content's steps through the
//! caches ([`super::Step::Content`]), which is always exact; [`FullReason`] says why.

use std::collections::{HashMap, HashSet};

use super::delta::GraphDelta;
use super::kept::{KeptRun, recheck_anchors};
use super::report::{FullReason, Patch, RebuildStrategy};
use super::{
    Clock, MarkdownEntry, RebuildStats, Session, foreign_tag_warnings, markdown_key,
    markdown_options, options_text,
};
use crate::build::missing_anchors;
use crate::build::plan::{self, Job, JobKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::digest::Digest;
use crate::graph::reads::Read;
use crate::graph::{self, Doc, GraphInput, Node, PageId, SectionId, Site};
use crate::markdown::{LinkResolution, LinkResolver, MarkdownOptions};
use crate::source::{self, IgnoreRules, SourceFile};
use crate::template::views::{ViewParts, ViewSource};
use rayon::prelude::*;

impl Session {
    #[allow(clippy::too_many_lines)]
    /// Patches the last run after the content files at `changed` changed (the relevant
    /// ones, [`KeptRun::relevant`]), doing again what `also` says as well (what templates
    /// changed in the same batch).
    pub(super) fn patch_pages(
        &mut self,
        last: &mut KeptRun,
        changed: &[String],
        mut also: Also,
        clock: &mut Clock,
    ) -> Result<RebuildStats, FullReason> {
        let root = self.options.root.clone();
        // Only Markdown files under `content/`: a section's own file only when its body
        // alone changed (below).
        let edited: Vec<&str> = changed
            .iter()
            .map(|path| {
                path.strip_prefix("content/")
                    .filter(|p| source::is_markdown(p))
                    .ok_or(FullReason::NotAPage)
            })
            .collect::<Result<_, _>>()?;
        let edits_a_section = edited
            .iter()
            .any(|doc_id| matches!(last.site.node_for_doc(doc_id), Some(Node::Section(_))));
        // A section's front matter (its title, kind, pagination, sort...) is a change of the
        // graph like a page's: the graph is assembled again and compared (below).

        // A file came or went: walk again; the folders and other files must be the same.
        let known = |doc_id: &str| last.tree.markdown.iter().any(|f| f.doc_id == doc_id);
        let files_moved = edited
            .iter()
            .any(|doc_id| !known(doc_id) || !root.join("content").join(doc_id).is_file());
        if files_moved {
            let rules = IgnoreRules::new(&last.config.ignore);
            // The watcher named the files: the tree is the last one with them added or
            // taken out, when that is all a walk would find; else `content/` is walked.
            let known_tree = last
                .problems
                .walk
                .is_empty()
                .then(|| {
                    last.tree
                        .with_pages_changed(&root.join("content"), &edited, &rules)
                })
                .flatten();
            let patched = known_tree.is_some();
            let (tree, walk_problems) = match known_tree {
                Some(tree) => (tree, Vec::new()),
                None => source::walk_content(&root, &rules, &crate::build::Rayon),
            };
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
            clock.lap(if patched { "files named" } else { "walk" });
        }

        // The edited files that are there, read again through the document cache; whether
        // each is a page of the last graph that changed only in its body.
        let mut body_only = true;
        let mut fresh: HashMap<String, Doc> = HashMap::new();
        for file in &last.tree.markdown {
            if !edited.contains(&file.doc_id.as_str()) {
                continue;
            }
            let file = SourceFile {
                doc_id: file.doc_id.clone(),
                source_path: file.source_path.clone(),
            };
            let problems_before = self
                .docs
                .get(&file.source_path)
                .map(|entry| entry.problems.clone());
            let (doc, problems) = self.read_one(&file, &last.config, &last.history);
            let doc = doc.ok_or(FullReason::EditedPageUnreadable)?;
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::EditedPageHasErrors);
            }
            // Read problems are part of the last run's: a difference means the front
            // matter changed.
            body_only &= problems_before.as_ref() == Some(&problems)
                && match last.site.node_for_doc(&doc.doc_id) {
                    Some(Node::Page(p)) => only_body_differs(&last.site.page(p).doc, &doc),
                    Some(Node::Section(s)) => last
                        .site
                        .section(s)
                        .index
                        .as_ref()
                        .is_some_and(|before| only_body_differs(before, &doc)),
                    None => false,
                };
            fresh.insert(doc.doc_id.clone(), doc);
        }
        body_only &= !files_moved && fresh.len() == edited.len();
        clock.lap("read");

        // Early cut-off: when only bodies changed, the graph is the last one with the new
        // bodies in place (nothing a graph is made of changed), and so is the plan.
        let (site, delta, graph_problems, rendered_jobs) = if body_only {
            let mut site = std::mem::take(&mut last.site);
            for (doc_id, doc) in fresh {
                match site.node_for_doc(&doc_id) {
                    Some(Node::Page(p)) => site.page_mut(p).doc.body = doc.body,
                    Some(Node::Section(s)) => {
                        if let Some(index) = &mut site.section_mut(s).index {
                            index.body = doc.body;
                        }
                    }
                    None => {}
                }
            }
            let delta = GraphDelta::none();
            let graph_problems = std::mem::take(&mut last.problems.graph);
            clock.lap("graph");
            (site, delta, graph_problems, None)
        } else {
            self.assemble_again(last, fresh, clock)?
        };
        // Named after the content's change, whatever templates changed with it.
        also.patch = (edits_a_section && !body_only).then_some(Patch::SectionEdit);
        self.patch_rest(
            last,
            site,
            &delta,
            graph_problems,
            rendered_jobs,
            &edited,
            body_only,
            &also,
            clock,
        )
    }

    /// A patch that keeps the last graph and plan as they are (no document changed) and
    /// does again what `also` says: after a template edit.
    pub(super) fn patch_same_graph(
        &mut self,
        last: &mut KeptRun,
        also: &Also,
        clock: &mut Clock,
    ) -> Result<RebuildStats, FullReason> {
        let site = std::mem::take(&mut last.site);
        let delta = GraphDelta::none();
        let graph_problems = std::mem::take(&mut last.problems.graph);
        self.patch_rest(
            last,
            site,
            &delta,
            graph_problems,
            None,
            &[],
            true,
            also,
            clock,
        )
    }

    /// The graph assembled again from the documents the last run holds and the `fresh`
    /// ones, compared with the last graph ([`GraphDelta`]), and the outputs planned again
    /// when pages came or went or the list of outputs changed.
    #[allow(clippy::type_complexity)]
    fn assemble_again(
        &mut self,
        last: &mut KeptRun,
        mut fresh: HashMap<String, Doc>,
        clock: &mut Clock,
    ) -> Result<(Site, GraphDelta, Vec<Diagnostic>, Option<Vec<Job>>), FullReason> {
        let root = self.options.root.clone();
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
                Some(Node::Page(p)) => Some(std::mem::take(&mut last.site.page_mut(p).doc)),
                Some(Node::Section(s)) => last.site.section_mut(s).index.take(),
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
            ids: &mut self.ids,
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
        let delta = GraphDelta::between(&last.site, &site)?;
        clock.lap("graph");

        // The outputs: the same ones unless pages came or went or terms changed (then they
        // are planned again, with their collision checks); the copies depend on nothing a
        // page's file can change.
        let mut jobs = if delta.pages_moved {
            Vec::new()
        } else {
            plan::plan_jobs(&last.config, &site)
        };
        if delta.pages_moved || jobs != last.jobs {
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
        Ok((site, delta, graph_problems, Some(jobs)))
    }

    /// The rest of a patch, whatever made the new graph: Markdown, anchors, what changed,
    /// the outputs whose reads meet a change, problems.
    #[allow(clippy::too_many_arguments)]
    fn patch_rest(
        &mut self,
        last: &mut KeptRun,
        site: Site,
        delta: &GraphDelta,
        graph_problems: Vec<Diagnostic>,
        jobs: Option<Vec<Job>>,
        edited: &[&str],
        body_only: bool,
        also: &Also,
        clock: &mut Clock,
    ) -> Result<RebuildStats, FullReason> {
        let build_date = last.build_date;
        // No new plan (a body edit): the jobs are the last run's, output for output, so
        // the old job of each is itself. Checked without copying or indexing 13,000 jobs,
        // which cost a body edit more than its render.
        let same_plan = jobs.is_none();
        let jobs = jobs.unwrap_or_else(|| std::mem::take(&mut last.jobs));

        // Markdown: edited and new pages again; every other page keeps its render while
        // its links get the answers they got (always, when no page came or went).
        let also_pages: HashSet<PageId> = also.pages.iter().copied().collect();
        let ids: Vec<PageId> = site
            .pages
            .iter()
            .filter(|p| {
                delta.came.contains(&p.id())
                    || edited.contains(&p.doc.doc_id.as_str())
                    || also_pages.contains(&p.id())
            })
            .map(graph::Page::id)
            .collect();
        let options = markdown_options(&last.config, Some(&last.templates));
        let mut rerender = ids.clone();
        let mut page_rendered;
        if delta.pages_moved {
            // Renders are indexed like the pages: each kept page takes its render by id
            // from where it was in the last graph.
            let mut old_rendered: Vec<Option<crate::markdown::Rendered>> =
                std::mem::take(&mut last.page_rendered)
                    .into_iter()
                    .map(Some)
                    .collect();
            page_rendered = Vec::with_capacity(site.pages.len());
            let links = LinkCheck::new(&self.markdown, &site, &options, edited);
            let links_good: Vec<bool> = site
                .pages
                .par_iter()
                .map(|page| !delta.came.contains(&page.id()) && links.page_still_good(page))
                .collect();
            for (page, good) in site.pages.iter().zip(links_good) {
                let kept = last
                    .site
                    .find_page(page.id())
                    .and_then(|old| old_rendered[old].take());
                if let Some(kept) = kept.filter(|_| good) {
                    page_rendered.push(kept);
                } else {
                    page_rendered.push(crate::markdown::Rendered::default());
                    if !ids.contains(&page.id()) {
                        rerender.push(page.id());
                    }
                }
            }
        } else {
            // Every page where it was: each keeps its render, the edited ones are replaced
            // below (copying 10,000 renders cost a body edit more than the edit).
            page_rendered = std::mem::take(&mut last.page_rendered);
        }
        if delta.pages_moved && {
            let links = LinkCheck::new(&self.markdown, &site, &options, edited);
            !site
                .sections
                .par_iter()
                .filter_map(|s| s.index.as_ref())
                .all(|doc| links.still_good(doc, false))
        } {
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
            page_rendered[site.page_position(id)] = rendered;
        }
        // A section's own file whose body changed: its Markdown again (its front matter
        // did not change, or the patch gave up).
        let edited_sections: Vec<SectionId> = edited
            .iter()
            .filter_map(|doc_id| match site.node_for_doc(doc_id) {
                Some(Node::Section(s)) => Some(s),
                _ => None,
            })
            .collect();
        let sections_again: Vec<SectionId> = edited_sections
            .iter()
            .chain(&also.sections)
            .copied()
            .collect();
        for &s in &sections_again {
            let Some(doc) = site.section(s).index.as_ref() else {
                continue;
            };
            let (rendered, problems) =
                self.render_doc_again(&site, doc, false, &last.templates, &last.config);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::EditedPageHasErrors);
            }
            last.problems.replace_section(&doc.file, problems);
            last.section_rendered[site.section_position(s)] = rendered;
        }
        // Pages that are gone take their problems with them.
        if delta.pages_moved {
            let files: HashSet<&str> = site.pages.iter().map(|p| p.doc.file.as_str()).collect();
            let section_files: HashSet<&str> = site
                .sections
                .iter()
                .filter_map(|s| s.index.as_ref().map(|d| d.file.as_str()))
                .collect();
            last.problems.pages.retain(|d| {
                files.contains(d.file.as_str()) || section_files.contains(d.file.as_str())
            });
        }
        last.problems.foreign_tags =
            foreign_tag_warnings(&site, &page_rendered, &last.section_rendered);
        let severity = options.broken_links;
        if delta.pages_moved {
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
            &ids.iter()
                .map(|&id| &site.page(id).doc)
                .chain(
                    sections_again
                        .iter()
                        .filter_map(|s| site.section(*s).index.as_ref()),
                )
                .collect::<Vec<_>>(),
        ) {
            return Err(FullReason::MissingAnchor);
        }
        clock.lap("markdown");

        // What changed, in the terms views record their reads in (ids are the same in
        // both graphs).
        let rendered_again: HashSet<PageId> = rerender.iter().copied().collect();
        let mut changed_reads: HashSet<Read> = HashSet::new();
        // A page rendered again changed its body (and may show another answer to a link in
        // its card); an edited page, unless only its body changed, its front matter too.
        for &page in &rendered_again {
            changed_reads.insert(Read::PageBody(page));
        }
        // A section's rendered Markdown is its own read, apart from its place and title;
        // its front matter, when more than bodies changed, is part of `Read::Section`.
        for &s in &sections_again {
            changed_reads.insert(Read::SectionBody(s));
            if !body_only && edited_sections.contains(&s) {
                changed_reads.insert(Read::Section(s));
            }
        }
        for new in site.pages.iter().filter(|_| !body_only) {
            let same = last
                .site
                .find_page(new.id())
                .is_some_and(|old| last.site.pages[old].same_apart_from_doc(new));
            if !same || edited.contains(&new.doc.doc_id.as_str()) {
                changed_reads.insert(Read::Page(new.id()));
            }
        }
        // A page that is gone changed everything read of it.
        for &gone in &delta.gone {
            changed_reads.extend([Read::Page(gone), Read::PageBody(gone), Read::Card(gone)]);
        }
        // (After a body edit the last graph is the new one: no section changed.)
        for (old, new) in last.site.sections.iter().zip(&site.sections) {
            if !old.same_apart_from_index(new) {
                changed_reads.insert(Read::Section(new.id()));
            }
            if !old.same_children(new) {
                changed_reads.insert(Read::SectionChildren(new.id()));
            }
        }
        if delta.pages_moved {
            changed_reads.insert(Read::AllPages);
            // Which document a content path names: a page added, removed or renamed.
            changed_reads.insert(Read::Documents);
        }
        changed_reads.extend(delta.changed_reads.iter().copied());
        let mut parts = std::mem::replace(&mut last.view_parts, ViewParts::empty());
        if delta.pages_moved {
            parts.follow_pages(&last.site, &site);
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
                Read::Page(p) | Read::PageBody(p) => Some(*p),
                _ => None,
            })
            .filter(|p| site.find_page(*p).is_some())
            .collect();
        let mut cards_changed = false;
        for page in changed_pages {
            if views.refresh_card(page) {
                changed_reads.insert(Read::Card(page));
                cards_changed = true;
            }
        }
        // Section cards and trees sum up the graph and pages' cards: the same after a body
        // edit that kept every card.
        if !body_only || cards_changed || !sections_again.is_empty() {
            changed_reads.extend(views.refresh_sections());
        }
        clock.lap("compare");

        // The jobs to render: new outputs, outputs whose job lists other pages than it did
        // (a paginator page), and those whose reads include a change (a page that is gone
        // is one).
        let old_jobs: HashMap<&str, usize> = if same_plan {
            HashMap::new()
        } else {
            last.jobs
                .iter()
                .enumerate()
                .map(|(j, job)| (job.output_path.as_str(), j))
                .collect()
        };
        // Usually a handful of changes against some 100,000 recorded reads: a scan of a
        // short list is cheaper than hashing every read.
        let changed_list: Vec<Read> = changed_reads.iter().copied().collect();
        let changed = |read: &Read| {
            if changed_list.len() <= 16 {
                changed_list.contains(read)
            } else {
                changed_reads.contains(read)
            }
        };
        let mut job_reads = Vec::with_capacity(jobs.len());
        let mut affected_index = Vec::new();
        for (j, job) in jobs.iter().enumerate() {
            let old_job = if same_plan {
                Some(j)
            } else {
                old_jobs.get(job.output_path.as_str()).copied()
            };
            let old_reads = old_job.map(|old| std::mem::take(&mut last.job_reads[old]));
            let affected = match &old_reads {
                None => true,
                Some(reads) => {
                    (!same_plan && old_job.is_none_or(|old| last.jobs[old].kind != job.kind))
                        || reads.iter().any(changed)
                        || also.outputs.contains(job.output_path.as_str())
                        // A section's own outputs, when its file changed: the template
                        // its front matter picks is read outside any view.
                        || matches!(&job.kind, JobKind::Section { section, .. }
                            if !body_only && edited_sections.contains(section))
                }
            };
            if affected {
                affected_index.push(j);
            }
            job_reads.push(old_reads.unwrap_or_default());
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
        if !same_plan {
            let outputs_now: HashSet<&str> = jobs.iter().map(|j| j.output_path.as_str()).collect();
            for job in &last.jobs {
                if !outputs_now.contains(job.output_path.as_str()) {
                    last.files.remove(&job.output_path);
                }
            }
        }
        last.jobs = jobs;
        last.job_reads = job_reads;
        let rendered_again = rendered_again.len();
        let mut stats = RebuildStats {
            docs_parsed: fresh_count(edited, &last.tree.markdown),
            docs_reused: last
                .tree
                .markdown
                .len()
                .saturating_sub(fresh_count(edited, &last.tree.markdown)),
            markdown_rendered: rendered_again + sections_again.len(),
            markdown_reused: page_rendered.len().saturating_sub(rendered_again),
            strategy: RebuildStrategy::Patched {
                patch: if let Some(patch) = also.patch {
                    patch
                } else if body_only {
                    Patch::BodyEdit
                } else if delta.pages_moved {
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
        Ok(stats)
    }
}

/// What a patch does again besides what the edited documents change: the Markdown of
/// pages and sections (their shortcodes' templates changed) and outputs (their templates
/// changed), and the kind of patch it then is.
#[derive(Default)]
pub(super) struct Also {
    pub pages: Vec<PageId>,
    pub sections: Vec<SectionId>,
    pub outputs: HashSet<String>,
    pub patch: Option<Patch>,
}

/// Checks that kept renders still get the answers their links got, after pages came, went
/// or were renamed. A link's answer reads the documents its path names (by the path's last
/// segment): only answers that may read one of the edited documents are asked again, the
/// others are the same by construction (kept pages and sections keep their URLs, folders and
/// assets are the same, or the patch gave up before).
struct LinkCheck<'a> {
    markdown: &'a HashMap<Digest, MarkdownEntry>,
    site: &'a Site,
    options_text: String,
    /// The file names of the edited documents; `None` when one is a folder's index
    /// (`index.md`, `_index.md`), which a link to its folder names as well.
    touched: Option<HashSet<&'a str>>,
}

impl<'a> LinkCheck<'a> {
    fn new(
        markdown: &'a HashMap<Digest, MarkdownEntry>,
        site: &'a Site,
        options: &MarkdownOptions,
        edited: &[&'a str],
    ) -> Self {
        let names = edited
            .iter()
            .map(|doc_id| doc_id.rsplit('/').next().unwrap_or(doc_id));
        let is_index = |name: &str| {
            let stem = name.split('.').next().unwrap_or(name);
            stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("_index")
        };
        let touched = names
            .map(|name| (!is_index(name)).then_some(name))
            .collect::<Option<HashSet<&str>>>();
        LinkCheck {
            markdown,
            site,
            options_text: options_text(options),
            touched,
        }
    }

    fn page_still_good(&self, page: &graph::Page) -> bool {
        self.still_good(&page.doc, page.kind == crate::content::PageKind::Lesson)
    }

    /// Whether the cached render of `doc` still gets the answers it got for its links.
    fn still_good(&self, doc: &Doc, lift_lesson_blocks: bool) -> bool {
        let key = markdown_key(doc, &doc.body, lift_lesson_blocks, &self.options_text);
        let resolver = crate::build::DocLinks {
            site: self.site,
            doc_id: &doc.doc_id,
        };
        self.markdown.get(&key).is_some_and(|entry| {
            entry.resolutions.iter().all(|(destination, answer)| {
                !self.may_change(destination, answer) || resolver.resolve(destination) == *answer
            })
        })
    }

    /// Whether the answer `destination` got may read an edited document: a link that found
    /// its target by path and whose last segment names none of them kept its answer. Site
    /// URLs (terms), encoded paths, other tools' syntax (`@post/`, `@link/`), `..` at the end
    /// and broken links (whose suggestions list neighbours) are asked again.
    fn may_change(&self, destination: &str, answer: &LinkResolution) -> bool {
        let Some(touched) = &self.touched else {
            return true;
        };
        if !matches!(answer, LinkResolution::Rewrite { .. })
            || destination.starts_with('/')
            || destination.contains(['%', '@', '\\'])
        {
            return true;
        }
        let path = destination.split(['#', '?']).next().unwrap_or(destination);
        match path.rsplit('/').find(|s| !s.is_empty() && *s != ".") {
            None | Some("..") => true,
            Some(name) => touched.contains(name),
        }
    }
}

/// How many of the `edited` documents are in `files` (and so were read again).
fn fresh_count(edited: &[&str], files: &[SourceFile]) -> usize {
    files
        .iter()
        .filter(|f| edited.contains(&f.doc_id.as_str()))
        .count()
}

/// Whether `doc`, read again, differs from `before` only in its body: then the graph made
/// from it is the same (its place, front matter, first heading and dates are).
fn only_body_differs(before: &Doc, doc: &Doc) -> bool {
    doc.doc_id == before.doc_id
        && doc.file == before.file
        && doc.meta == before.meta
        && doc.key_lines == before.key_lines
        && doc.body_first_line == before.body_first_line
        && doc.heading_title == before.heading_title
        && doc.last_updated == before.last_updated
}
