//! What a run found and how it went about it: the build's problems, gathered in one place
//! by the step that found them, and the strategy of a rebuild, as data.
//!
//! A full run fills every part of [`Problems`]; a patched rebuild replaces the parts it
//! redid (the edited pages' Markdown problems, the anchor checks, the read problems) and
//! keeps the others. Either way [`Problems::collect`] turns them into the build's
//! diagnostics the same way, so a patch reports exactly what a full run would.

use std::fmt;

use crate::config::UnknownKeys;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Every problem of one run, by the step that found it.
#[derive(Debug, Clone, Default)]
pub(in crate::build) struct Problems {
    /// Loading the config and the templates.
    pub setup: Vec<Diagnostic>,
    /// Walking `content/`.
    pub walk: Vec<Diagnostic>,
    /// Reading each document, as read: unknown keys are folded into one per key for the
    /// whole site when collected ([`crate::build::unknown_keys_once`]).
    pub read: Vec<Diagnostic>,
    pub unknown_keys: UnknownKeys,
    /// Assembling the graph, and stale reviews.
    pub graph: Vec<Diagnostic>,
    /// Other tools' template syntax left in content, once per construct for the site.
    pub foreign_tags: Vec<Diagnostic>,
    /// Sections' Markdown and shortcodes.
    pub sections: Vec<Diagnostic>,
    /// Pages' Markdown and shortcodes; each names its page's file.
    pub pages: Vec<Diagnostic>,
    /// Links to missing anchors, each with the content-relative id of the page linked to.
    pub anchors: Vec<(String, Diagnostic)>,
    /// Planning the outputs (collisions, unreadable static files).
    pub plan: Vec<Diagnostic>,
    /// Rendering the outputs.
    pub render: Vec<Diagnostic>,
    /// Indexing for search and loading copied files.
    pub late: Vec<Diagnostic>,
}

impl Problems {
    /// The build's diagnostics, unsorted (see [`Diagnostics::finish`]).
    pub fn collect(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let (unknown, read): (Vec<&Diagnostic>, Vec<&Diagnostic>) = self
            .read
            .iter()
            .partition(|d| d.message.starts_with(crate::build::UNKNOWN_KEY_MESSAGE));
        diagnostics.extend(self.setup.iter().cloned());
        diagnostics.extend(self.walk.iter().cloned());
        diagnostics.extend(read.into_iter().cloned());
        diagnostics.extend(crate::build::unknown_keys_once(
            unknown.into_iter().cloned().collect(),
            self.unknown_keys,
        ));
        diagnostics.extend(self.graph.iter().cloned());
        diagnostics.extend(self.foreign_tags.iter().cloned());
        diagnostics.extend(self.sections.iter().cloned());
        diagnostics.extend(self.pages.iter().cloned());
        diagnostics.extend(self.anchors.iter().map(|(_, d)| d.clone()));
        diagnostics.extend(self.plan.iter().cloned());
        diagnostics.extend(self.render.iter().cloned());
        diagnostics.extend(self.late.iter().cloned());
        diagnostics
    }

    /// Replaces the Markdown problems of the section whose own file is `file`.
    pub fn replace_section(&mut self, file: &str, problems: Vec<Diagnostic>) {
        self.sections.retain(|d| d.file != file);
        self.sections.extend(problems);
    }

    /// Replaces the Markdown problems of the page in `file` with `problems`.
    pub fn replace_page(&mut self, file: &str, problems: Vec<Diagnostic>) {
        self.pages.retain(|d| d.file != file);
        self.pages.extend(problems);
    }

    /// Whether a step before the pages' Markdown found an error: nothing is published, so
    /// outputs are not streamed to the output folder and search is not indexed meanwhile.
    pub fn site_has_errors(&self) -> bool {
        self.site_problems().any(Diagnostic::is_error)
    }

    fn site_problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.setup
            .iter()
            .chain(&self.walk)
            .chain(&self.read)
            .chain(&self.graph)
            .chain(&self.foreign_tags)
            .chain(&self.sections)
            .chain(&self.plan)
    }

    /// Whether any step found an error.
    pub fn has_errors(&self) -> bool {
        self.site_problems()
            .chain(&self.pages)
            .chain(self.anchors.iter().map(|(_, d)| d))
            .chain(&self.render)
            .chain(&self.late)
            .any(Diagnostic::is_error)
    }
}

/// How a run went about it; `serve --verbose` prints it after `how:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RebuildStrategy {
    /// The whole pipeline, as asked (`build`, the first run of `serve`).
    #[default]
    Run,
    /// A rebuild that started from the kept run and recomputed every step's value from
    /// `from` on (through the caches), because of `because`.
    Recomputed { from: Step, because: FullReason },
    /// A rebuild that patched the last run.
    Patched {
        patch: Patch,
        /// Outputs whose views were built and compared again.
        checked: usize,
        /// Outputs of the site.
        outputs: usize,
    },
}

/// The kinds of patch of the last run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patch {
    /// Only the bodies of existing pages changed: the graph and the plan are the last
    /// run's (the cut-off of [`super::patch`]).
    BodyEdit,
    /// The front matter of existing pages changed, and the site kept its shape.
    PageEdit,
    /// Pages were added, removed or renamed (or changed places), in the same sections.
    PagesAddedOrRemoved,
    /// A section's own file (`_index.md`) changed in its front matter: the graph is
    /// assembled again and compared, as after a page edit.
    SectionEdit,
    /// Only files of the site's `static/` folder changed: they are copied again, nothing
    /// is rendered (`checked` counts the files).
    StaticFiles,
    /// Only `trailmark.yaml` or the git history changed, and they load as the kept ones
    /// (a comment; a commit that changed no file's date): every step keeps its value.
    SameInputs,
    /// Only templates changed: the outputs whose templates (or the shortcodes in whose
    /// Markdown) changed are rendered again; the graph, the renders and the plan are kept.
    Templates,
}

/// The step from which a rebuild recomputed every value rather than keep the kept run's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing of the kept run was kept: every step from the config on.
    Config,
    /// The config and the templates were kept: the content's steps (walk, documents,
    /// graph, Markdown, plan, outputs) were recomputed.
    Content,
}

/// Why a rebuild recomputed a step rather than keep the kept run's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullReason {
    /// The last build failed, or the session does not keep it.
    NotKept,
    NothingReported,
    /// A changed file under `content/` is not a page or section of the last build (an
    /// asset, an HTML file).
    NotAPage,
    /// A changed file is an input no step takes alone: `data/`, another theme's files.
    NotAStepInput,
    /// `trailmark.yaml` changed and loads as another config.
    ConfigChanged,
    HistoryChanged,
    EditedPageUnreadable,
    EditedPageHasErrors,
    MissingAnchor,
    OutputFailed,
    SearchFailed,
    SearchUnexpectedFiles,
    SiteHasErrors,
    PageOrSectionMoved,
    DraftOrFuture,
    TermsChanged,
    AssetsChanged,
    /// The templates do not load (the full run reports why).
    TemplatesFailed,
    /// The theme's string table changed the words the Markdown renderer writes.
    MarkdownLabelsChanged,
    /// The theme's folder came or went (the embedded theme stands in for a missing one).
    ThemeFolderChanged,
}

impl fmt::Display for FullReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FullReason::NotKept => "the last build failed or is not kept",
            FullReason::NothingReported => "nothing reported",
            FullReason::NotAPage => "a changed file is not a page of the last build",
            FullReason::NotAStepInput => "a file no step takes alone changed",
            FullReason::ConfigChanged => "the config changed",
            FullReason::HistoryChanged => "the git history changed",
            FullReason::EditedPageUnreadable => "an edited page cannot be read",
            FullReason::EditedPageHasErrors => "an edited page has errors",
            FullReason::MissingAnchor => "a link points to a missing anchor",
            FullReason::OutputFailed => "an output failed to render",
            FullReason::SearchFailed => "the search index failed",
            FullReason::SearchUnexpectedFiles => "the search index gave unexpected files",
            FullReason::SiteHasErrors => "the site has errors",
            FullReason::PageOrSectionMoved => "a page or section moved",
            FullReason::DraftOrFuture => "a page became a draft or was dated in the future",
            FullReason::TermsChanged => "tags or other terms changed",
            FullReason::AssetsChanged => "files beside pages in content/ changed",
            FullReason::TemplatesFailed => "the templates do not load",
            FullReason::MarkdownLabelsChanged => "the labels Markdown writes changed",
            FullReason::ThemeFolderChanged => "the theme's folder came or went",
        })
    }
}

impl fmt::Display for RebuildStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RebuildStrategy::Run => f.write_str("full run"),
            RebuildStrategy::Recomputed { from, because } => {
                let from = match from {
                    Step::Config => "everything",
                    Step::Content => "the content",
                };
                write!(f, "recomputed {from} ({because})")
            }
            RebuildStrategy::Patched {
                patch,
                checked,
                outputs,
            } => {
                let name = match patch {
                    Patch::BodyEdit => "body edit",
                    Patch::PageEdit => "page edit",
                    Patch::PagesAddedOrRemoved => "pages added, removed or moved",
                    Patch::Templates => "templates",
                    Patch::SectionEdit => "section edit",
                    Patch::SameInputs => "config and history as before",
                    Patch::StaticFiles => {
                        return write!(
                            f,
                            "static files: {checked} of {outputs} files copied again"
                        );
                    }
                };
                write!(f, "{name}: {checked} of {outputs} outputs checked")
            }
        }
    }
}
