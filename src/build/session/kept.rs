//! What an incremental session (`serve`) keeps of its last successful run, and how a
//! rebuild starts from it: [`Session::rebuild_in_memory`] hands the changed files to the
//! one patch ([`super::patch`]; files of `static/` alone are only copied again,
//! [`Session::patch_static`]), and runs the whole pipeline when the patch cannot prove
//! what changed. The kept run is the patch's inputs and outputs: the graph, the renders,
//! each job's recorded reads, the job list, the finished files and the problems by step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::report::{FullReason, Patch, Problems, RebuildStrategy};
use super::{Clock, Finished, RebuildStats, Session, finish};
use crate::build::jobs::JobOutput;
use crate::build::missing_anchors;
use crate::build::plan::Job;
use crate::config::Config;
use crate::content::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::Site;
use crate::graph::reads::Read;
use crate::markdown::Rendered;
use crate::output::{OutputContent, OutputFile};
use crate::source::{ContentTree, history::History};
use crate::template::Templates;
use crate::template::views::ViewParts;

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
    /// The site's own static files (`static/`) the plan copies, by output path (their path
    /// below `static/`), with their source: a change to one alone is copied again.
    pub static_copies: BTreeMap<String, PathBuf>,
}

/// A finished rebuild with the whole site by output path.
pub(super) type InMemory = (Finished, BTreeMap<String, Arc<[u8]>>);

impl LastRun {
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
    /// reports them) changed: patches the last run when only pages changed
    /// ([`Session::patch_pages`]), else runs the whole pipeline. Either way the result is
    /// what a clean build would produce.
    pub fn rebuild_in_memory(&mut self, changed: &[String]) -> InMemory {
        let only_static =
            !changed.is_empty() && changed.iter().all(|path| path.starts_with("static/"));
        let reason = match self.last.take() {
            Some(last) if only_static => match self.patch_static(last, changed) {
                Ok(result) => return result,
                Err(why) => why,
            },
            Some(last) => match self.patch_pages(last, changed) {
                Ok(result) => return result,
                Err(why) => why,
            },
            None => FullReason::NotKept,
        };
        let (mut finished, files) = self.run_in_memory();
        finished.stats.strategy = RebuildStrategy::Full { reason };
        (finished, files)
    }
}

impl Session {
    /// Copies again the site's static files at `changed` (site-relative, each under
    /// `static/`) when each is one the last plan copies and is still a plain file: no view
    /// reads a static file, so nothing else changes. A file added, removed or unreadable,
    /// or a name the walk skips, runs the whole pipeline ([`FullReason::NotAPage`]).
    fn patch_static(
        &mut self,
        mut last: LastRun,
        changed: &[String],
    ) -> Result<InMemory, FullReason> {
        let started = Instant::now();
        let mut clock = Clock::new();
        let static_dir = self.options.root.join("static");
        let mut copied = Vec::with_capacity(changed.len());
        for path in changed {
            let relative = path.strip_prefix("static/").ok_or(FullReason::NotAPage)?;
            let mut source = static_dir.clone();
            source.extend(relative.split('/'));
            let known = last.static_copies.get(relative) == Some(&source);
            let plain_file =
                std::fs::symlink_metadata(&source).is_ok_and(|m| m.file_type().is_file());
            if !known || !plain_file {
                return Err(FullReason::NotAPage);
            }
            let bytes = self.read_copy(&source).map_err(|_| FullReason::NotAPage)?;
            copied.push((relative.to_string(), bytes));
        }
        let checked = copied.len();
        for (output_path, bytes) in copied {
            last.files.insert(output_path, bytes);
        }
        clock.lap("copy");
        let stats = RebuildStats {
            docs_reused: last.tree.markdown.len(),
            markdown_reused: last.page_rendered.len() + last.section_rendered.len(),
            jobs_reused: last.jobs.len(),
            strategy: RebuildStrategy::Patched {
                patch: Patch::StaticFiles,
                checked,
                outputs: last.files.len(),
            },
            ..RebuildStats::default()
        };
        Ok(self.keep_patched(last, stats, clock, started))
    }
}

/// Checks again the links from or into the `edited` documents (pages, sections' own files:
/// only their answers can have changed) and keeps the others' problems; true if a problem
/// is an error.
pub(super) fn recheck_anchors(
    problems: &mut Vec<(String, Diagnostic)>,
    site: &Site,
    pages: &[Rendered],
    sections: &[Rendered],
    severity: crate::diagnostics::Severity,
    edited: &[&crate::graph::Doc],
) -> bool {
    let files: Vec<&str> = edited.iter().map(|doc| doc.file.as_str()).collect();
    let docs: Vec<&str> = edited.iter().map(|doc| doc.doc_id.as_str()).collect();
    let affected = |file: &str, target: &str| files.contains(&file) || docs.contains(&target);
    problems.retain(|(target, d)| !affected(&d.file, target));
    problems.extend(missing_anchors(site, pages, sections, severity, &affected));
    problems.iter().any(|(_, d)| d.is_error())
}
