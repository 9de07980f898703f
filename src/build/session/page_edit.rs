//! Rebuilds after edits to the front matter of existing pages (a title, a date, a duration,
//! a description): the second most common edit, and one whose effects spread. A new title
//! shows in the page's neighbours, the lists and feeds that carry its card, its course's
//! outline on every lesson, the handbook tree on every handbook page.
//!
//! Rather than work out by hand which outputs show what, every job's view records what it
//! read while it was built ([`crate::graph::reads`]): the pages and sections it looked at,
//! the cards and trees it took. This module reads the edited files again, assembles the
//! graph from the documents it already holds, and checks the site kept its shape (the same
//! pages and sections at the same URLs, the same taxonomies, series, journeys, sectors,
//! aliases and assets, the same list of outputs). It then compares the new graph with the
//! last one, page by page and section by section, rebuilds the edited pages' Markdown and
//! cards and every section card and tree, and renders again exactly the jobs whose recorded
//! reads include something that changed. Anything else (a file added or removed, a changed
//! slug, tag or order that changes the outputs, an error) makes the caller run the whole
//! pipeline, which is always exact.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use super::body_edit::{InMemory, LastRun, recheck_anchors};
use super::report::{FullReason, Patch, RebuildStrategy};
use super::{Clock, RebuildStats, Session, foreign_tag_warnings};
use crate::build::plan::{self, Job};
use crate::diagnostics::Diagnostic;
use crate::graph::reads::Read;
use crate::graph::{self, Doc, GraphInput, Node, PageId, SectionId, Site};
use crate::source::{SourceFile, history::History};
use crate::template::views::{ViewParts, ViewSource};

impl Session {
    pub(super) fn patch_pages(
        &mut self,
        mut last: LastRun,
        changed: &[String],
    ) -> Result<InMemory, FullReason> {
        let started = Instant::now();
        let mut clock = Clock::new();
        let changed = last.relevant(&self.options.root, changed);
        if changed.is_empty() || last.files.is_empty() {
            return Err(FullReason::NothingReported);
        }
        let ids = last.pages_of(&changed).ok_or(FullReason::NotAPage)?;
        let history = History::read(&self.options.root);
        if history != last.history {
            return Err(FullReason::HistoryChanged);
        }
        clock.lap("history");

        // The edited files, read again through the document cache.
        let mut fresh: HashMap<String, Doc> = HashMap::new();
        for &id in &ids {
            let before = &last.site.page(id).doc;
            let file = SourceFile {
                doc_id: before.doc_id.clone(),
                source_path: before.source_path.clone(),
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
        same_shape(&last.site, &site)?;
        clock.lap("graph");

        // Markdown: the edited pages again; every other page keeps its render, since every
        // URL and so every link's answer is unchanged.
        let mut page_rendered = std::mem::take(&mut last.page_rendered);
        for &id in &ids {
            let (rendered, problems) =
                self.render_page_again(&site, id, &last.templates, &last.config);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::EditedPageHasErrors);
            }
            let file = &site.page(id).doc.file;
            last.problems.replace_page(file, problems);
            page_rendered[id.0] = rendered;
        }
        last.problems.foreign_tags =
            foreign_tag_warnings(&site, &page_rendered, &last.section_rendered);
        if recheck_anchors(
            &mut last.problems.anchors,
            &site,
            &page_rendered,
            &last.section_rendered,
            last.config.markdown_options().broken_links,
            &ids,
        ) {
            return Err(FullReason::MissingAnchor);
        }
        clock.lap("markdown");

        // The outputs must be the same ones; then the copies and the collision checks,
        // which depend on nothing else, are the last run's too.
        if plan::plan_jobs(&last.config, &site) != last.jobs {
            return Err(FullReason::OutputsChanged);
        }
        clock.lap("plan");

        // What changed, in the terms views record their reads in.
        let mut changed_reads: HashSet<Read> = HashSet::new();
        // Unedited documents were moved into the new graph, so only the rest can differ.
        for (i, (old, new)) in last.site.pages.iter().zip(&site.pages).enumerate() {
            if !old.same_apart_from_doc(new) || ids.contains(&PageId(i)) {
                changed_reads.insert(Read::Page(PageId(i)));
            }
        }
        for (i, (old, new)) in last.site.sections.iter().zip(&site.sections).enumerate() {
            if !old.same_apart_from_index(new) {
                changed_reads.insert(Read::Section(SectionId(i)));
            }
        }
        let mut views = ViewSource::with_parts(
            &last.config,
            &site,
            &page_rendered,
            &last.section_rendered,
            build_date,
            std::mem::replace(&mut last.view_parts, ViewParts::empty()),
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
        let affected_index: Vec<usize> = (0..last.jobs.len())
            .filter(|&j| last.job_reads[j].iter().any(|r| changed_reads.contains(r)))
            .collect();
        let affected_jobs: Vec<Job> = affected_index
            .iter()
            .map(|&j| last.jobs[j].clone())
            .collect();
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
            last.job_reads[j] = reads;
        }
        self.jobs.update(&outputs);
        clock.lap("render");

        let mut stats = RebuildStats {
            docs_parsed: ids.len(),
            docs_reused: last.tree.markdown.len().saturating_sub(ids.len()),
            markdown_rendered: ids.len(),
            markdown_reused: page_rendered.len().saturating_sub(ids.len()),
            strategy: RebuildStrategy::Patched {
                patch: Patch::PageEdit,
                checked: affected_jobs.len(),
                outputs: last.jobs.len(),
            },
            ..RebuildStats::default()
        };
        last.take_outputs(outputs, &mut stats);
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
}

/// Whether `new` has the shape of `old`: the same pages and sections in the same places at
/// the same URLs, and the same taxonomies, series, journeys, sectors, aliases and assets.
/// Then every page keeps its id and every link its answer.
fn same_shape(old: &Site, new: &Site) -> Result<(), FullReason> {
    // The old graph's documents were moved into the new one; its index of documents still
    // says where each one was.
    let in_old = |doc: &Doc| old.node_for_doc(&doc.doc_id);
    let pages_same = old.pages.len() == new.pages.len()
        && old
            .pages
            .iter()
            .zip(&new.pages)
            .enumerate()
            .all(|(i, (a, b))| {
                in_old(&b.doc) == Some(Node::Page(PageId(i))) && a.url_path == b.url_path
            });
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
    if !pages_same || !sections_same {
        return Err(FullReason::PageOrSectionMoved);
    }
    if old.drafts_skipped != new.drafts_skipped || old.future_skipped != new.future_skipped {
        return Err(FullReason::DraftOrFuture);
    }
    if old.taxonomies != new.taxonomies {
        return Err(FullReason::TermsChanged);
    }
    if old.series != new.series
        || old.journeys != new.journeys
        || old.sectors != new.sectors
        || old.aliases != new.aliases
        || old.assets != new.assets
    {
        return Err(FullReason::SeriesJourneysOrAssetsChanged);
    }
    Ok(())
}
