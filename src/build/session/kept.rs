//! What an incremental session (`serve`) keeps of its last good run, the values of its
//! steps ([`KeptRun`]), and the steps before the content when a run starts from it
//! ([`super::Session::pipeline`]): the changed files sorted by input ([`ChangedInputs`]),
//! the copies of static files ([`Session::static_step`]) and the templates
//! ([`Session::templates_step`]: the outputs whose templates' fingerprints changed, and the
//! pages calling a changed shortcode). The content's steps are in [`super::patch`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use std::collections::HashSet;

use super::patch::Also;
use super::report::{FullReason, Patch, Problems, RebuildStrategy};
use super::{Clock, Finished, RebuildStats, Session, finish};
use crate::build::jobs::JobOutput;
use crate::build::missing_anchors;
use crate::build::plan::{self, Job};
use crate::config::Config;
use crate::content::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::digest::Digest;
use crate::graph::reads::Read;
use crate::graph::{PageId, SectionId, Site};
use crate::markdown::Rendered;
use crate::output::{OutputContent, OutputFile};
use crate::source::{ContentTree, IgnoreRules, history::History};
use crate::template::Templates;
use crate::template::views::ViewParts;

/// The value of each step of the last good run, kept by an incremental session (`serve`):
/// where its next run starts from ([`super::Start::Kept`]).
pub(super) struct KeptRun {
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
    /// Every file the plan copies (the theme's and the site's static files, content
    /// assets), by output path, with where it comes from: a static file changed, added or
    /// removed alone is copied (or taken out) without a render.
    pub copies: BTreeMap<String, OutputContent>,
    /// The theme's folder (`themes/<theme>`) was there: its templates were loaded from it,
    /// not from the embedded theme.
    pub theme_on_disk: bool,
    /// The templates on disk did not load at a later rebuild (this run was parked): the
    /// next patch loads them again, whatever changed.
    pub templates_stale: bool,
}

/// A finished rebuild with the whole site by output path.
pub(super) type InMemory = (Finished, BTreeMap<String, Arc<[u8]>>);

impl KeptRun {
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

/// The files a rebuild was told of, sorted by the input of the pipeline each one is.
pub(super) struct ChangedInputs {
    /// `trailmark.yaml`.
    pub config: bool,
    /// Files under `static/`.
    pub static_files: Vec<String>,
    /// Files the templates are loaded from (the site's and the theme's `templates/`).
    pub templates: Vec<String>,
    /// Files under `content/`.
    pub content: Vec<String>,
    /// Files no step takes alone (`data/`, another theme's files).
    pub other: bool,
}

impl ChangedInputs {
    /// Sorts the `changed` files that can matter to `last` ([`KeptRun::relevant`]).
    pub(super) fn sort(last: &KeptRun, root: &Path, changed: &[String]) -> ChangedInputs {
        let mut inputs = ChangedInputs {
            config: false,
            static_files: Vec::new(),
            templates: Vec::new(),
            content: Vec::new(),
            other: false,
        };
        for path in last.relevant(root, changed) {
            if path == crate::config::CONFIG_FILE {
                inputs.config = true;
            } else if path.starts_with("static/") {
                inputs.static_files.push(path.clone());
            } else if is_template_file(path, &last.config.theme) {
                inputs.templates.push(path.clone());
            } else if path.starts_with("content/") {
                inputs.content.push(path.clone());
            } else {
                inputs.other = true;
            }
        }
        inputs
    }

    /// Why the kept run cannot be where a run starts from, if it cannot.
    pub(super) fn unusable(&self, last: &KeptRun) -> Option<FullReason> {
        let nothing = !self.config
            && !self.other
            && self.static_files.is_empty()
            && self.templates.is_empty()
            && self.content.is_empty();
        if last.files.is_empty() || nothing {
            Some(FullReason::NothingReported)
        } else if self.other {
            Some(FullReason::NotAStepInput)
        } else {
            None
        }
    }
}

impl Session {
    /// Finishes a run that started from the kept one and kept every step's value it could:
    /// its problems are the kept ones with the parts its steps redid replaced, and it is
    /// kept for the next.
    pub(super) fn keep_patched(
        &mut self,
        last: KeptRun,
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

    /// The stats of a run in which every step kept its value.
    pub(super) fn nothing_changed(last: &KeptRun, patch: Patch) -> RebuildStats {
        RebuildStats {
            docs_reused: last.tree.markdown.len(),
            markdown_reused: last.page_rendered.len() + last.section_rendered.len(),
            jobs_reused: last.jobs.len(),
            strategy: RebuildStrategy::Patched {
                patch,
                checked: 0,
                outputs: last.jobs.len(),
            },
            ..RebuildStats::default()
        }
    }

    /// The stats of a run after static files alone changed: every other step kept its
    /// value, `copied` files were copied again.
    pub(super) fn static_only(last: &KeptRun, copied: usize) -> RebuildStats {
        RebuildStats {
            strategy: RebuildStrategy::Patched {
                patch: Patch::StaticFiles,
                checked: copied,
                outputs: last.files.len(),
            },
            ..Self::nothing_changed(last, Patch::StaticFiles)
        }
    }
}

impl Session {
    /// The step of static files (the copies), after files of the site's `static/` folder
    /// changed: no view reads a static file or the list of them, so nothing is rendered.
    /// Returns how many files it copied. When each is a plain file
    /// the last plan copies, it is copied again; else (a file added or removed, a folder)
    /// the copies are planned again ([`plan::plan`], with its collision checks, the jobs
    /// being the last run's by construction: they depend on the config and the graph) and
    /// the outputs that came, went or changed source are copied. An error in the new plan
    /// (a collision) or an unreadable file runs the whole pipeline, which reports it.
    pub(super) fn static_step(
        &mut self,
        last: &mut KeptRun,
        changed: &[String],
        clock: &mut Clock,
    ) -> Result<usize, FullReason> {
        let root = self.options.root.clone();
        let static_dir = root.join("static");
        let sources: Vec<PathBuf> = changed
            .iter()
            .filter_map(|path| path.strip_prefix("static/"))
            .map(|relative| {
                let mut source = static_dir.clone();
                source.extend(relative.split('/'));
                source
            })
            .collect();
        let known = changed.iter().zip(&sources).all(|(path, source)| {
            let relative = &path["static/".len()..];
            last.copies.get(relative) == Some(&OutputContent::Copy(source.clone()))
                && std::fs::symlink_metadata(source).is_ok_and(|m| m.file_type().is_file())
        });
        let mut to_copy: Vec<(String, OutputContent)> = Vec::new();
        if known {
            to_copy.extend(changed.iter().zip(&sources).map(|(path, source)| {
                (
                    path["static/".len()..].to_string(),
                    OutputContent::Copy(source.clone()),
                )
            }));
        } else {
            let rules = IgnoreRules::new(&last.config.ignore);
            let mut problems = Diagnostics::new();
            let plan = plan::plan(&root, &last.config, &last.site, &rules, &mut problems);
            let problems = problems.into_vec();
            if problems.iter().any(Diagnostic::is_error) {
                return Err(FullReason::SiteHasErrors);
            }
            last.problems.plan = problems;
            let copies: BTreeMap<String, OutputContent> = plan
                .copies
                .into_iter()
                .map(|copy| (copy.output_path, copy.content))
                .collect();
            for gone in last
                .copies
                .keys()
                .filter(|path| !copies.contains_key(*path))
            {
                last.files.remove(gone);
            }
            for (path, content) in &copies {
                let named =
                    matches!(content, OutputContent::Copy(source) if sources.contains(source));
                if named || last.copies.get(path) != Some(content) {
                    to_copy.push((path.clone(), content.clone()));
                }
            }
            last.copies = copies;
            clock.lap("plan copies");
        }
        let checked = to_copy.len();
        for (output_path, content) in to_copy {
            let bytes = match content {
                OutputContent::Copy(source) => self
                    .read_copy(&source)
                    .map_err(|_| FullReason::OutputFailed)?,
                OutputContent::Static(bytes) => Arc::from(bytes),
                OutputContent::Bytes(bytes) => Arc::from(bytes),
                OutputContent::Shared(bytes) => bytes,
            };
            last.files.insert(output_path, bytes);
        }
        clock.lap("copy");
        Ok(checked)
    }
}

/// Whether the site-relative `path` is in a folder templates are loaded from: the site's
/// `templates/` or the theme's (`themes/<theme>/templates/`). The string tables in them
/// (`strings/`) are part of the templates.
fn is_template_file(path: &str, theme: &str) -> bool {
    path.starts_with("templates/")
        || path
            .strip_prefix("themes/")
            .and_then(|p| p.strip_prefix(theme))
            .is_some_and(|p| p.starts_with("/templates/"))
}

impl Session {
    /// The step of templates, after files of theirs changed: the templates are loaded again
    /// (as a full run loads them) and compared with the last run's by fingerprint
    /// ([`crate::template::Templates::fingerprint`]: a template with everything it
    /// includes, extends or imports). The graph, the documents, the Markdown renders and the
    /// plan are the last run's; the outputs made with a template whose fingerprint changed
    /// are rendered again ([`crate::build::jobs::JobCache::fingerprint_of`]), and the pages
    /// and sections calling a shortcode whose template changed get their shortcodes
    /// expanded again, which the patch then follows to every output showing them: what it
    /// returns.
    ///
    /// Templates that do not load, a new list of template names (which templates exist
    /// decides which one each output uses: every output is checked then), or labels of the
    /// Markdown renderer that changed are not patched this way.
    pub(super) fn templates_step(
        &mut self,
        last: &mut KeptRun,
        clock: &mut Clock,
    ) -> Result<Also, FullReason> {
        let root = self.options.root.clone();
        if root.join("themes").join(&last.config.theme).is_dir() != last.theme_on_disk {
            return Err(FullReason::ThemeFolderChanged);
        }
        let templates =
            Templates::load(&root, &last.config).map_err(|_| FullReason::TemplatesFailed)?;
        let labels = |templates: &Templates| {
            super::options_text(&super::markdown_options(&last.config, Some(templates)))
        };
        if labels(&templates) != labels(&last.templates) {
            return Err(FullReason::MarkdownLabelsChanged);
        }
        clock.lap("templates");

        // The fingerprints an edit changed: a template's covers everything it reaches, so
        // an output made with one of them is exactly an output the edit can change.
        let before = &last.templates;
        let same_names = templates.names() == before.names();
        let changed: HashSet<Digest> = before
            .names()
            .into_iter()
            .filter(|name| before.fingerprint(name) != templates.fingerprint(name))
            .map(|name| before.fingerprint(name))
            .collect();
        let outputs: HashSet<String> = last
            .jobs
            .iter()
            .filter(|job| match self.jobs.fingerprint_of(&job.output_path) {
                // Made without a template (a stylesheet): no template edit changes it.
                Some(made_with) if made_with == Digest::default() => false,
                Some(made_with) => !same_names || changed.contains(&made_with),
                None => true,
            })
            .map(|job| job.output_path.clone())
            .collect();
        let shortcode_changed = |rendered: &Rendered| {
            rendered.shortcodes.iter().any(|call| {
                let name = format!("shortcodes/{}.html", call.name);
                !same_names || before.fingerprint(&name) != templates.fingerprint(&name)
            })
        };
        // Renders are in the graph's order.
        let pages: Vec<PageId> = last
            .site
            .pages
            .iter()
            .zip(&last.page_rendered)
            .filter(|(_, rendered)| shortcode_changed(rendered))
            .map(|(page, _)| page.id())
            .collect();
        let sections: Vec<SectionId> = last
            .site
            .sections
            .iter()
            .zip(&last.section_rendered)
            .filter(|(_, rendered)| shortcode_changed(rendered))
            .map(|(section, _)| section.id())
            .collect();
        last.templates = templates;
        last.templates_stale = false;
        clock.lap("compare templates");

        Ok(Also {
            pages,
            sections,
            outputs,
            patch: Some(Patch::Templates),
        })
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
