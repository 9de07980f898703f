//! A build session: the whole pipeline, run as often as the site changes, with caches that
//! make the second and later runs cheap.
//!
//! `build` runs a session once; `serve` keeps one alive and runs it after every change. Each
//! run does every step of a clean build (config, templates, walk, parse, graph, Markdown,
//! anchor checks, plan, render), and each cache only skips work whose inputs it has proven
//! unchanged, so a rebuild produces exactly the bytes a clean build of the same files
//! produces:
//!
//! - **documents** are re-read and re-parsed when their size, modification time or inode
//!   changed, or when they were modified so close to the last read that an edit in the same
//!   clock tick could hide (Git's "racy" rule);
//! - **Markdown** renders are keyed by a hash of the body, the file name and position, and
//!   the Markdown options, and reused only if every link the render asked the graph about
//!   still resolves to the same answer;
//! - **render jobs** reuse their previous bytes when their template context and templates
//!   are unchanged ([`super::jobs`]);
//! - a change of the config (or of the options the session was made with) clears every
//!   other cache, since it can change anything else.
//!
//! One engine in three settings: `build` and `check` run the pipeline with every input new
//! ([`Start::Clean`]); a warm `build` does the same with the caches restored from disk
//! ([`super::disk_cache`]); `serve` keeps its last good run ([`kept`]) and runs the same
//! pipeline from it with the files that changed ([`Start::Kept`], [`Session::rebuild_in_memory`]).
//! There, each step whose input did not change keeps the kept run's value, a step whose
//! input changed patches it when it can prove what changed (the copies, the templates by
//! fingerprint, the content in [`patch`]: documents, graph, [`delta::GraphDelta`], Markdown,
//! plan, and the outputs whose recorded reads ([`crate::graph::reads`]) meet a change), and
//! a step that cannot recomputes its value and every later one through the caches above
//! ([`RebuildStrategy::Recomputed`] says from which step, and why).
//!
//! [`Session::pipeline`] is that sequence of named steps (config, static files, templates,
//! walk, read and graph, Markdown and anchors, shortcodes, plan, render, publish), each
//! recording its time and its problems; the problems of every run are gathered in one
//! place, [`report::Problems`], and how a rebuild went about it is a [`RebuildStrategy`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use super::disk_cache::DiskCache;
use super::jobs::{JobCache, JobOutput, RenderReason};
use super::plan::Plan;
use super::{BuildOptions, DocLinks, missing_anchors, plan, progress_advance, progress_stage};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::digest::{Digest, Hasher};
use crate::graph::reads::Read;
use crate::graph::{self, Doc, GraphInput, PageId, Site};
use crate::markdown::{
    self, LinkResolution, LinkResolver, MarkdownOptions, PackedHtml, RenderInput, Rendered,
};
use crate::output::{OutputContent, OutputFile, OutputSink};
use crate::source::{self, IgnoreRules, SourceFile};
use crate::template::Templates;
use crate::template::views::ViewSource;

mod delta;
mod kept;
mod patch;
mod report;

use kept::{ChangedInputs, InMemory, KeptRun};
use patch::Also;
use report::Problems;
pub use report::{FullReason, Patch, RebuildStrategy, Step};

/// A file modified less than this long before it was read may change again without its
/// size or time changing (coarse file system clocks); it is read again next time.
const RACY_WINDOW: Duration = Duration::from_millis(100);

/// The result of one run of the pipeline.
pub struct Finished {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub sections: usize,
    pub drafts_skipped: usize,
    /// Posts dated after the build date, left out (without `--future`).
    pub future_skipped: usize,
    /// Where `build` writes; `None` when the config could not be read.
    pub output_dir: Option<PathBuf>,
    /// The complete site, in plan order then copies; empty when the config or templates
    /// failed to load.
    pub files: Vec<OutputFile>,
    pub stats: RebuildStats,
}

/// What a run did and how long each step took; `serve --verbose` prints it.
#[derive(Debug, Clone, Default)]
pub struct RebuildStats {
    /// Step name and time, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    pub total: Duration,
    pub docs_parsed: usize,
    pub docs_reused: usize,
    pub markdown_rendered: usize,
    pub markdown_reused: usize,
    /// Output paths rendered in this run, and why.
    pub jobs_rendered: Vec<(String, RenderReason)>,
    pub jobs_reused: usize,
    /// Output paths whose views a patched rebuild built and compared again (those it
    /// proved unaffected are not in it); empty after a full run, which checks every one.
    pub jobs_checked: Vec<String>,
    /// The config changed (or this is the first run): the caches it can change were
    /// cleared ([`Session::clear_for_new_config`]).
    pub config_changed: bool,
    /// How a run went about it: the whole pipeline, or a `serve` rebuild that patched the
    /// kept run or recomputed its steps from one on, and why.
    pub strategy: RebuildStrategy,
}

/// Identifies one version of a file on disk without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
    /// When the file's status last changed (seconds, nanoseconds): a `chmod` changes it and
    /// not the others, and a file that could not be read may be readable now.
    status_changed: (i64, i64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let (inode, status_changed) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), (meta.ctime(), meta.ctime_nsec()))
        };
        #[cfg(not(unix))]
        let (inode, status_changed) = (0, (0, 0));
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
            status_changed,
        })
    }

    /// Whether a cache entry made from the file at `read_at` still describes it.
    fn still_matches(self, now: Option<Stamp>, read_at: SystemTime) -> bool {
        let settled = self.modified.is_some_and(|m| m + RACY_WINDOW < read_at);
        now == Some(self) && settled
    }
}

struct DocEntry {
    stamp: Stamp,
    read_at: SystemTime,
    doc_id: String,
    doc: Option<Doc>,
    problems: Vec<Diagnostic>,
}

/// A cached render. Its HTML is kept compressed from the moment it is rendered, so a build
/// never holds every page's HTML in full at once ([`PackedHtml`]).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct MarkdownEntry {
    /// The render, without its HTML.
    rendered: Rendered,
    html: PackedHtml,
    /// Every link destination the render asked about, with the answer it got.
    resolutions: Vec<(String, LinkResolution)>,
}

impl MarkdownEntry {
    fn new(mut rendered: Rendered, resolutions: Vec<(String, LinkResolution)>) -> Self {
        let html = PackedHtml::pack(&std::mem::take(&mut rendered.html));
        MarkdownEntry {
            rendered,
            html,
            resolutions,
        }
    }

    /// The whole render, HTML included.
    fn to_rendered(&self) -> Rendered {
        Rendered {
            html: self.html.unpack(),
            ..self.rendered.clone()
        }
    }
}

/// A Markdown render with its cache key.
type KeyedEntry = (Digest, MarkdownEntry);

type LoadResult = Result<Arc<[u8]>, Diagnostic>;

/// One document as a run read it.
struct DocResult {
    path: PathBuf,
    /// Read and parsed again, not taken from the document cache.
    parsed: bool,
    /// The new cache entry of a parsed document; none in a one-shot session.
    entry: Option<DocEntry>,
    doc: Option<Doc>,
    problems: Vec<Diagnostic>,
}

struct FileEntry {
    stamp: Stamp,
    read_at: SystemTime,
    bytes: Arc<[u8]>,
}

// issue 21 (search): the search bundle's shards as a build made them.
pub use super::search::SearchBundle;

/// What a run starts from.
enum Start {
    /// Nothing: every input is new (`build`, `check`, `serve`'s first run).
    Clean,
    /// A `serve` rebuild with no run kept (the last one failed).
    NotKept,
    /// The last good run, and the files changed since (site-relative, `/`-separated, as the
    /// watcher reports them).
    Kept(Box<KeptRun>, Vec<String>),
}

/// Why a step of a run that started from the kept run did not keep its value.
enum KeptStepFailed {
    /// From this step on, every value is recomputed (through the caches), because of this.
    From(Step, FullReason),
    /// The templates do not load after only templates or static files changed: the run
    /// reports why, and the kept run is put aside for the fix ([`Session::parked`]).
    Park,
}

/// The "last updated" dates: one `git log`, started with the run and waited for by the
/// first step that needs it.
struct HistoryStep {
    root: PathBuf,
    pending: Option<source::history::PendingHistory>,
    read: Option<source::history::History>,
}

impl HistoryStep {
    fn start(root: &Path) -> Self {
        HistoryStep {
            root: root.to_path_buf(),
            pending: Some(source::history::History::read_in_background(root)),
            read: None,
        }
    }

    fn read(&mut self) -> &source::history::History {
        let (pending, root) = (&mut self.pending, &self.root);
        self.read
            .get_or_insert_with(|| Self::wait(pending.take(), root))
    }

    fn into_read(self) -> source::history::History {
        match self.read {
            Some(history) => history,
            None => Self::wait(self.pending, &self.root),
        }
    }

    fn wait(
        pending: Option<source::history::PendingHistory>,
        root: &Path,
    ) -> source::history::History {
        pending.map_or_else(
            || source::history::History::read(root),
            source::history::PendingHistory::wait,
        )
    }
}

/// A finished run, and the whole site in memory when the run kept the kept run's outputs.
type Pulled = (Finished, Option<BTreeMap<String, Arc<[u8]>>>);

/// Caches kept across runs.
pub struct Session {
    options: BuildOptions,
    config: Option<Config>,
    docs: HashMap<PathBuf, DocEntry>,
    markdown: HashMap<Digest, MarkdownEntry>,
    jobs: JobCache,
    files: Mutex<HashMap<PathBuf, FileEntry>>,
    /// What the session keeps between its runs: the setting of the one pipeline.
    keeps: Keeps,
    /// The last search bundle made: its shards' keys and files.
    search: Option<SearchBundle>,
    /// Where a one-shot session saves its Markdown renders for the next build.
    markdown_file: Option<MarkdownFile>,
    last: Option<KeptRun>,
    /// The last good run, put aside while the templates do not load: a rebuild that only
    /// changed templates (or static files) and found them broken runs the whole pipeline
    /// to report it, then takes this back, so fixing the template is patched.
    parked: Option<KeptRun>,
    /// Page and section ids, the same in every graph this session assembles.
    ids: graph::Ids,
}

/// What a session keeps between its runs: the three settings of the one pipeline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keeps {
    /// Nothing (`build`, [`Session::one_shot`]): no document cache and no Markdown cache
    /// in memory, which no later run would use (a second copy of every body and every
    /// render at 100,000 pages); its Markdown renders go to the disk cache.
    Nothing,
    /// The caches only ([`Session::new`]: what the property tests compare `serve` with).
    Caches,
    /// The caches and the last good run's step values, where the next run starts from
    /// (`serve`, [`Session::incremental`]).
    KeptRun,
}

/// `build`'s Markdown cache on disk, and how many renders it held when it was loaded.
struct MarkdownFile {
    cache: DiskCache,
    loaded: usize,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        Self {
            options,
            config: None,
            docs: HashMap::new(),
            markdown: HashMap::new(),
            jobs: JobCache::default(),
            files: Mutex::new(HashMap::new()),
            keeps: Keeps::Caches,
            search: None,
            markdown_file: None,
            last: None,
            parked: None,
            ids: graph::Ids::new(),
        }
    }

    /// A session for one run (`build`), which keeps nothing it would only need again.
    pub fn one_shot(options: BuildOptions) -> Self {
        Self {
            keeps: Keeps::Nothing,
            // One graph: its ids need not remember every document's path.
            ids: graph::Ids::one_graph(),
            ..Self::new(options)
        }
    }

    /// A session that keeps each successful run's site graph, rendered Markdown and
    /// outputs, so that [`Session::rebuild_in_memory`] can patch them after body edits.
    pub fn incremental(options: BuildOptions) -> Self {
        Self {
            keeps: Keeps::KeptRun,
            ..Self::new(options)
        }
    }

    fn keeps_run(&self) -> bool {
        self.keeps == Keeps::KeptRun
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Sends each rendered output to `sink` as soon as it is finished, instead of keeping
    /// it for [`Finished::files`] (`build` writes while rendering).
    pub fn set_output_sink(&mut self, sink: Arc<dyn OutputSink>) {
        self.jobs.set_sink(sink);
    }

    /// Caches saved by an earlier build made with `config` ([`super::disk_cache`]): the
    /// first run keeps them when the config it loads is the same, as a later run would.
    pub(super) fn restore(
        &mut self,
        config: Config,
        markdown: Vec<(Digest, MarkdownEntry)>,
        jobs: Vec<(String, Digest, Digest)>,
    ) {
        self.config = Some(config);
        self.markdown = markdown.into_iter().collect();
        self.jobs.restore(jobs);
    }

    /// Makes a one-shot session save its Markdown renders to `cache` as soon as they are
    /// all made (not after the build, which would need a second copy of every render kept
    /// until then). `loaded` is how many renders the cache held: when they are exactly the
    /// ones this build uses, the file is not rewritten.
    pub(super) fn save_markdown_to(&mut self, cache: DiskCache, loaded: usize) {
        self.markdown_file = Some(MarkdownFile { cache, loaded });
    }

    /// Output path, view key and template fingerprint of every job of the last run.
    pub(super) fn job_keys(&self) -> Vec<(String, Digest, Digest)> {
        self.jobs.keys()
    }

    /// The last run's search bundle, for saving.
    pub(super) fn search_bundle_made(&self) -> Option<&SearchBundle> {
        self.search.as_ref()
    }

    /// The search bundle of a build saved on disk, reused when the pages are the same.
    pub(super) fn restore_search(&mut self, bundle: SearchBundle) {
        self.search = Some(bundle);
    }

    /// The search bundle for the pages in `files` (issue 21, [`super::search::index`]):
    /// each shard of the previous build's bundle whose records are the same is kept (linked
    /// in place, not indexed again), the others are indexed in parallel.
    ///
    /// With a sink (`build`), the outputs' bytes in `files` are the pages' records (the sink
    /// keeps only those), kept only for this: they are dropped once taken, before anything
    /// is indexed.
    fn search_bundle(
        &mut self,
        jobs: &[super::Job],
        files: &mut [OutputFile],
        made: &[super::search::JobMade],
        site: &Site,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let records = super::search::records(jobs, files, site, Some(made), self.jobs.has_sink());
        if self.jobs.has_sink() {
            for file in files.iter_mut() {
                if let OutputContent::Shared(bytes) = &mut file.content {
                    *bytes = std::sync::Arc::from([]);
                }
            }
        }
        let previous = self.search.take();
        let keep = |paths: &[String]| self.jobs.keep_previous(paths);
        let read = |path: &str| self.jobs.read_previous(path);
        let (bundle, made) = super::search::index(records, previous.as_ref(), &keep, &read)?;
        self.search = Some(made);
        Ok(bundle)
    }

    /// `serve`'s live search index reads these pages of the last run kept (issue 21);
    /// `None` when no run is kept or the site has no search.
    pub fn live_search_targets(&self) -> Option<Vec<crate::search::live::Target>> {
        let last = self.last.as_ref()?;
        last.config
            .search
            .enabled
            .then(|| super::live_targets(&last.jobs, &last.site))
    }

    /// Forgets what the `new` config can change. The Markdown renders stay: their key holds
    /// every option the renderer takes from the config ([`markdown_key`]), and a render is
    /// reused only while its links get the answers they got, so a new title or menu does
    /// not render every page's Markdown again. Documents stay while the config reads them
    /// alike ([`super::ReadDocConfig`]: taxonomies, the file size limit). Views and the
    /// search index show the config: those caches go.
    fn clear_for_new_config(&mut self, new: &Config) {
        let reads_alike = self
            .config
            .as_ref()
            .is_some_and(|old| super::ReadDocConfig::of(old) == super::ReadDocConfig::of(new));
        if !reads_alike {
            self.docs.clear();
        }
        self.search = None;
        self.jobs.clear();
        if let Ok(mut files) = self.files.lock() {
            files.clear();
        }
    }

    /// Runs the pipeline against the files as they are now, every input new (`build`,
    /// `check`, `serve`'s first run).
    pub fn run(&mut self) -> Finished {
        self.pipeline(Start::Clean).0
    }

    /// The pipeline: one named step after the other, each recording its problems in
    /// [`Problems`] and its time on the clock. A run that starts from the kept one (`serve`,
    /// [`Start::Kept`]) sorts the changed files by input ([`ChangedInputs`]), and each step
    /// whose input did not change keeps the kept run's value: the config, the copies
    /// ([`Self::static_step`]), the templates ([`Self::templates_step`]), then the content
    /// steps, which the patch takes together ([`Self::patch_pages`]: walk, documents,
    /// graph, Markdown, plan, the outputs whose recorded reads meet a change). A step that
    /// cannot prove what changed recomputes its value and every later step's, through the
    /// caches; [`RebuildStrategy::Recomputed`] says from which step, and why.
    ///
    /// Returns the finished run, and for a run that kept the kept run's outputs, the whole
    /// site in memory (the other runs list their files in [`Finished::files`]).
    fn pipeline(&mut self, start: Start) -> Pulled {
        self.last = None;
        let mut run = RunState::new();
        let root = self.options.root.clone();
        // "Last updated" dates: one `git log` for the whole content folder, every run, since a
        // commit changes dates without touching the files.
        let mut history = HistoryStep::start(&root);
        let (mut kept, mut recomputed) = match start {
            Start::Clean => (None, None),
            Start::NotKept => (None, Some((Step::Config, FullReason::NotKept))),
            Start::Kept(last, changed) => {
                let inputs = ChangedInputs::sort(&last, &root, &changed);
                match inputs.unusable(&last) {
                    Some(why) => (None, Some((Step::Config, why))),
                    None => (Some((*last, inputs)), None),
                }
            }
        };

        // Step: the config. The kept run's, unless `trailmark.yaml` changed and loads as
        // another config (then every step is recomputed, and the caches it can change are
        // cleared).
        let config = match &kept {
            Some((last, inputs)) if !inputs.config => {
                run.finished.output_dir.clone_from(&last.output_dir);
                run.problems.unknown_keys = last.problems.unknown_keys;
                last.config.clone()
            }
            _ => {
                let Some(config) = self.load_config(&mut run) else {
                    return (run.finish(&root), None);
                };
                if kept.as_ref().is_some_and(|(last, _)| last.config != config) {
                    kept = None;
                    recomputed = Some((Step::Config, FullReason::ConfigChanged));
                }
                config
            }
        };

        // Step: the copies of static files, then the templates, then the content: each from
        // the kept run when it can be.
        let mut templates_kept = None;
        if let Some((mut last, inputs)) = kept.take() {
            match self.kept_steps(&mut last, &inputs, &mut history, &mut run) {
                Ok(stats) => {
                    let pulled = self.keep_patched(last, stats, run.clock, run.started);
                    return (pulled.0, Some(pulled.1));
                }
                Err(KeptStepFailed::Park) => {
                    last.templates_stale = true;
                    self.parked = Some(last);
                    recomputed = Some((Step::Config, FullReason::TemplatesFailed));
                }
                Err(KeptStepFailed::From(step, why)) => {
                    // The config, the templates and the history are the kept run's (checked
                    // or loaded again by now); the content is recomputed.
                    if step == Step::Content {
                        templates_kept = Some(last.templates);
                    }
                    recomputed = Some((step, why));
                }
            }
        }
        let templates = match templates_kept {
            Some(templates) => Some(templates),
            None => Self::load_templates(&root, &config, &mut run),
        };
        let rules = IgnoreRules::new(&config.ignore);
        let tree = Self::walk(&root, &rules, &mut run);
        // (Timed where it was read: a run from the kept one may have read it already.)
        let read_before = history.read.is_some();
        let history = history.into_read();
        if !read_before {
            run.clock.lap("history");
        }
        if let Some((from, because)) = recomputed {
            run.finished.stats.strategy = RebuildStrategy::Recomputed { from, because };
        }
        let (mut site, build_date) = self.assemble(&tree, &config, &history, &mut run);
        let mut renders = self.markdown(&mut site, &config, templates.as_ref(), &mut run);
        let Some(templates) = templates else {
            return (run.finish(&root), None);
        };
        Self::expand_shortcodes(&site, &mut renders, &templates, &config, &mut run);
        let plan = self.plan(&config, &site, &rules, &mut run);
        let views = ViewSource::new(
            &config,
            &site,
            &renders.pages,
            &renders.sections,
            build_date,
            &super::Rayon,
        );
        let views = match renders.page_html.take() {
            Some(packed) => views.with_packed_html(packed),
            None => views,
        };
        let searching = self.options.index_search && config.search.enabled;
        let (outputs, job_reads) =
            self.render_outputs(&plan.jobs, &views, &templates, build_date, &mut run);
        let view_parts = views.into_parts();
        // The copies, for a rebuild after static files alone changed.
        let copies: BTreeMap<String, OutputContent> = if self.keeps_run() {
            plan.copies
                .iter()
                .map(|copy| (copy.output_path.clone(), copy.content.clone()))
                .collect()
        } else {
            BTreeMap::new()
        };
        let (search_paths, Plan { jobs, .. }) =
            self.publish(outputs, plan, &site, searching, &mut run);

        // What a later rebuild after edits starts from (`serve` only): kept when the build
        // succeeded, so that rebuild only has to patch it.
        let keep = self.keeps_run() && !run.problems.has_errors();
        if !keep {
            self.last = None;
            if self.keeps == Keeps::Nothing {
                // Nothing of this run is kept: its site, renders and views (a few hundred MB
                // at 10,000 pages) are freed on a thread of their own, while `build` commits
                // the output and saves the cache. Freeing them here took 60 ms of the main
                // thread at the end of a 10,000-page build, with the other core idle. (The
                // process may exit before that thread is done; the memory is returned all the
                // same.)
                let leftovers = (site, renders, view_parts, tree, jobs);
                let _ = std::thread::Builder::new()
                    .name("free".into())
                    .spawn(move || drop(leftovers));
            }
            return (run.finish(&root), None);
        }
        let theme_on_disk = root.join("themes").join(&config.theme).is_dir();
        self.last = Some(KeptRun {
            config,
            templates,
            history,
            site,
            page_rendered: renders.pages,
            section_rendered: renders.sections,
            problems: run.problems.clone(),
            tree,
            job_reads,
            searching,
            search_paths,
            jobs,
            view_parts,
            build_date,
            output_dir: run.finished.output_dir.clone(),
            counts: [
                run.finished.pages,
                run.finished.sections,
                run.finished.drafts_skipped,
                run.finished.future_skipped,
            ],
            files: BTreeMap::new(),
            copies,
            theme_on_disk,
            templates_stale: false,
        });
        (run.finish(&root), None)
    }

    /// The steps a run that starts from the kept run takes after the config: the copies of
    /// changed static files, the templates when theirs changed, the history, then the
    /// content ([`Self::patch_pages`]) or, with no content file changed, the kept graph as
    /// it is with what the templates changed done again ([`Self::patch_same_graph`]).
    /// Returns the run's stats, or from which step the rest is recomputed, and why.
    fn kept_steps(
        &mut self,
        last: &mut KeptRun,
        inputs: &ChangedInputs,
        history: &mut HistoryStep,
        run: &mut RunState,
    ) -> Result<RebuildStats, KeptStepFailed> {
        let from_config = |why| KeptStepFailed::From(Step::Config, why);
        // The kept templates are the ones on disk unless template files changed too.
        let templates_as_kept = inputs.templates.is_empty() && !last.templates_stale;
        let copied = if inputs.static_files.is_empty() {
            0
        } else {
            self.static_step(last, &inputs.static_files, &mut run.clock)
                .map_err(|why| {
                    let from = if templates_as_kept {
                        Step::Content
                    } else {
                        Step::Config
                    };
                    KeptStepFailed::From(from, why)
                })?
        };
        let also = if templates_as_kept {
            Also::default()
        } else {
            match self.templates_step(last, &mut run.clock) {
                Ok(also) => also,
                // Parked for the fix, unless content changed too (which a patch from the
                // parked run would miss).
                Err(FullReason::TemplatesFailed) if inputs.content.is_empty() => {
                    return Err(KeptStepFailed::Park);
                }
                Err(why) => return Err(from_config(why)),
            }
        };
        let no_content_step =
            inputs.content.is_empty() && inputs.templates.is_empty() && also.patch.is_none();
        if !no_content_step || inputs.history {
            let history = history.read();
            run.clock.lap("history");
            if *history != last.history {
                return Err(KeptStepFailed::From(
                    Step::Content,
                    FullReason::HistoryChanged,
                ));
            }
        }
        if no_content_step {
            // Static files, or a config that loads as the kept one, or a commit that changed
            // no page's date.
            return Ok(if inputs.static_files.is_empty() {
                Self::nothing_changed(last, Patch::SameInputs)
            } else {
                Self::static_only(last, copied)
            });
        }
        let from_content = |why| KeptStepFailed::From(Step::Content, why);
        if inputs.content.is_empty() {
            self.patch_same_graph(last, &also, &mut run.clock)
                .map_err(from_content)
        } else {
            self.patch_pages(last, &inputs.content, also, &mut run.clock)
                .map_err(from_content)
        }
    }

    /// Step: loads the config; a new one (or new options) clears the caches it can change
    /// ([`Self::clear_for_new_config`]).
    fn load_config(&mut self, run: &mut RunState) -> Option<Config> {
        let options = &self.options;
        let config = match Config::load(&options.root) {
            Ok(mut config) => {
                if let Some(base_url) = &options.base_url {
                    config.base_url = base_url.trim_end_matches('/').to_string();
                }
                config
            }
            Err(problems) => {
                run.problems.setup.extend(problems);
                return None;
            }
        };
        // `check` finds what `build` would refuse, at the trailmark.yaml line.
        if let Some(problem) = options
            .output
            .is_none()
            .then(|| config.output_dir_problem(&options.root))
            .flatten()
        {
            run.problems.setup.push(problem);
            return None;
        }
        run.problems.unknown_keys = config.unknown_keys;
        run.finished.output_dir = Some(
            options
                .output
                .clone()
                .unwrap_or_else(|| options.root.join(&config.output_dir)),
        );
        if self.config.as_ref() != Some(&config) {
            self.clear_for_new_config(&config);
            self.config = Some(config.clone());
            run.finished.stats.config_changed = true;
        }
        run.clock.lap("config");
        Some(config)
    }

    /// Step: loads the templates; without them the run still checks the content.
    fn load_templates(root: &Path, config: &Config, run: &mut RunState) -> Option<Templates> {
        let templates = match Templates::load(root, config) {
            Ok(t) => Some(t),
            Err(problems) => {
                run.problems.setup.extend(problems);
                None
            }
        };
        run.clock.lap("templates");
        templates
    }

    /// Step: walks `content/`, on the reading threads too: listing a folder out of the
    /// cache waits for the disk.
    fn walk(root: &Path, rules: &IgnoreRules, run: &mut RunState) -> source::ContentTree {
        let walk_content = || source::walk_content(root, rules, &super::Rayon);
        let (tree, walk_problems) = match reading_pool() {
            Some(pool) => pool.install(walk_content),
            None => walk_content(),
        };
        run.problems.walk = walk_problems;
        run.clock.lap("walk");
        tree
    }

    /// Steps: reads every document (through the document cache), then assembles the graph.
    fn assemble(
        &mut self,
        tree: &source::ContentTree,
        config: &Config,
        history: &source::history::History,
        run: &mut RunState,
    ) -> (Site, crate::content::Date) {
        let options = self.options.clone();
        progress_stage(&options, "Reading", tree.markdown.len());
        let docs = self.read_docs(&tree.markdown, config, history, run);
        run.clock.lap("read");

        let build_date = options.build_date.unwrap_or_else(super::today);
        let (site, mut graph_problems) = graph::assemble(GraphInput {
            ids: &mut self.ids,
            docs,
            assets: &tree.assets,
            folders: &tree.folders,
            config,
            include_drafts: options.include_drafts,
            include_future: options.include_future,
            build_date,
        });
        graph_problems.extend(graph::stale_reviews(&site, build_date));
        run.problems.graph = graph_problems;
        run.finished.pages = site.pages.len();
        run.finished.sections = site.sections.len();
        run.finished.drafts_skipped = site.drafts_skipped;
        run.finished.future_skipped = site.future_skipped;
        run.clock.lap("graph");
        (site, build_date)
    }

    /// Steps: renders every page's and section's Markdown (through the Markdown cache),
    /// keeps the renders for the next run, and checks links to anchors across pages.
    fn markdown(
        &mut self,
        site: &mut Site,
        config: &Config,
        templates: Option<&Templates>,
        run: &mut RunState,
    ) -> Renders {
        let markdown_options = markdown_options(config, templates);
        progress_stage(
            &self.options,
            "Rendering Markdown",
            site.pages.len() + site.sections.len(),
        );
        let mut bodies = Bodies::take(site);
        let (pages, sections) = self.render_markdown(
            site,
            &mut bodies,
            &markdown_options,
            &mut run.finished.stats,
        );
        if self.keeps != Keeps::Nothing {
            // (A one-shot run emptied them: only the Markdown stage reads bodies, and no later
            // run renders them again.)
            bodies.put_back(site);
        }
        run.clock.lap("markdown");
        let (mut page_rendered, page_html, mut section_rendered) =
            self.keep_renders(pages, sections, &run.finished.stats);
        run.clock.lap("cache markdown");
        run.problems.foreign_tags = foreign_tag_warnings(site, &page_rendered, &section_rendered);
        for rendered in &mut page_rendered {
            run.problems.pages.append(&mut rendered.diagnostics);
        }
        for rendered in &mut section_rendered {
            run.problems.sections.append(&mut rendered.diagnostics);
        }
        run.problems.anchors = missing_anchors(
            site,
            &page_rendered,
            &section_rendered,
            markdown_options.broken_links,
            &|_, _| true,
        );
        run.clock.lap("anchors");
        Renders {
            pages: page_rendered,
            page_html,
            sections: section_rendered,
        }
    }

    /// Step: splices shortcodes into the renders. They render through the theme, so they
    /// come after the Markdown cache: cached renders keep their placeholders.
    fn expand_shortcodes(
        site: &Site,
        renders: &mut Renders,
        templates: &Templates,
        config: &Config,
        run: &mut RunState,
    ) {
        let page_files: Vec<&str> = site.pages.iter().map(|p| p.doc.file.as_str()).collect();
        run.problems.pages.extend(expand_page_shortcodes(
            &mut renders.pages,
            renders.page_html.as_deref_mut(),
            &page_files,
            templates,
            config,
        ));
        let section_files: Vec<&str> = site
            .sections
            .iter()
            .map(|s| s.index.as_ref().map_or("", |d| d.file.as_str()))
            .collect();
        run.problems.sections.extend(super::shortcodes::expand(
            &mut renders.sections,
            &section_files,
            templates,
            config,
        ));
        run.clock.lap("shortcodes");
    }

    /// Step: plans one job per output, and the copies.
    fn plan(
        &mut self,
        config: &Config,
        site: &Site,
        rules: &IgnoreRules,
        run: &mut RunState,
    ) -> Plan {
        let mut plan_problems = Diagnostics::new();
        let plan = plan::plan(&self.options.root, config, site, rules, &mut plan_problems);
        run.problems.plan = plan_problems.into_vec();
        if run.problems.site_has_errors() {
            self.jobs.drop_sink();
        }
        run.clock.lap("plan");
        plan
    }

    /// Step: renders the jobs whose views or templates changed (through the job cache).
    fn render_outputs(
        &mut self,
        jobs: &[super::Job],
        views: &ViewSource<'_>,
        templates: &Templates,
        build_date: crate::content::Date,
        run: &mut RunState,
    ) -> (Vec<JobOutput>, Vec<Vec<Read>>) {
        progress_stage(&self.options, "Rendering pages", jobs.len());
        let results = plan::render(
            &self.jobs,
            jobs,
            views,
            templates,
            build_date,
            &self.options,
            plan::Reporting {
                record_reads: self.keeps_run(),
                on_rendered: None,
            },
        );
        let mut outputs = Vec::with_capacity(results.len());
        let mut job_reads = Vec::with_capacity(results.len());
        for (result, reads) in results {
            if self.keeps_run() {
                job_reads.push(reads);
            }
            match result {
                Ok(output) => outputs.push(output),
                Err(d) => run.problems.render.push(d),
            }
        }
        self.jobs.replace(&outputs);
        run.clock.lap("render");
        (outputs, job_reads)
    }

    /// Steps: hands the outputs over, indexes them for search and adds the copies; returns
    /// the output paths of the search bundle, and the plan back without its copies.
    fn publish(
        &mut self,
        outputs: Vec<JobOutput>,
        mut plan: Plan,
        site: &Site,
        searching: bool,
        run: &mut RunState,
    ) -> (Vec<String>, Plan) {
        let stats = &mut run.finished.stats;
        let mut files: Vec<OutputFile> = Vec::with_capacity(outputs.len() + plan.copies.len());
        // issue 21: what the search index keys each page by, and whether its bytes are here.
        let on_disk = self.jobs.has_sink();
        let made: Vec<super::search::JobMade> = outputs
            .iter()
            .map(|output| {
                let (view_key, templates) = output.keys();
                let in_memory = !on_disk || output.reason.is_some();
                super::search::JobMade::new(view_key, templates, in_memory)
            })
            .collect();
        for output in outputs {
            match output.reason {
                Some(reason) => stats
                    .jobs_rendered
                    .push((output.output_path.clone(), reason)),
                None => stats.jobs_reused += 1,
            }
            files.push(OutputFile {
                output_path: output.output_path,
                content: OutputContent::Shared(output.bytes),
            });
        }
        // The search index is built from the pages just rendered, never in `check` and never
        // when a page failed (nothing is published then).
        let mut search_paths = Vec::new();
        if searching && !run.problems.has_errors() && files.len() == plan.jobs.len() {
            progress_stage(&self.options, "Indexing for search", 1);
            match self.search_bundle(&plan.jobs, &mut files, &made, site) {
                Ok(bundle) => {
                    search_paths = bundle.iter().map(|f| f.output_path.clone()).collect();
                    files.extend(bundle);
                }
                Err(d) => run.problems.late.push(d),
            }
            progress_advance(&self.options, 1);
            run.clock.lap("search");
        } else {
            self.search = None;
        }
        files.append(&mut plan.copies);
        run.finished.files = files;
        (search_paths, plan)
    }

    /// Runs the pipeline and returns the finished site in memory, copied files included,
    /// by output path; the map is empty when the site could not be built at all.
    pub fn run_in_memory(&mut self) -> (Finished, BTreeMap<String, Arc<[u8]>>) {
        let finished = self.run();
        self.load_copies(finished)
    }

    /// Rebuilds after the files at `changed` (site-relative, `/`-separated, as the watcher
    /// reports them) changed, starting from the kept run ([`Session::pipeline`]): the
    /// result is what a clean build would produce, with the whole site in memory.
    pub fn rebuild_in_memory(&mut self, changed: &[String]) -> InMemory {
        let start = match self.last.take() {
            Some(last) => Start::Kept(Box::new(last), changed.to_vec()),
            None => Start::NotKept,
        };
        let (finished, files) = match self.pipeline(start) {
            (finished, Some(files)) => (finished, files),
            (finished, None) => self.load_copies(finished),
        };
        // The templates did not load: the run reported why, and the last good run is
        // kept for the rebuild that fixes them (the run stopped before rendering, so the
        // job cache still holds that run's outputs).
        if let Some(parked) = self.parked.take()
            && self.last.is_none()
            && finished.diagnostics.has_errors()
        {
            self.last = Some(parked);
        }
        (finished, files)
    }

    /// The finished site of a run that lists its files, in memory by output path: copied
    /// files are read (through the file cache). The kept run, if any, keeps them.
    fn load_copies(&mut self, mut finished: Finished) -> InMemory {
        let started = Instant::now();
        let files = std::mem::take(&mut finished.files);
        let mut site = BTreeMap::new();
        let mut problems = Vec::new();
        let loaded: Vec<(String, LoadResult)> = files
            .into_par_iter()
            .map(|file| {
                let bytes = match file.content {
                    OutputContent::Shared(bytes) => Ok(bytes),
                    OutputContent::Bytes(bytes) => Ok(Arc::from(bytes)),
                    OutputContent::Static(bytes) => Ok(Arc::from(bytes)),
                    OutputContent::Copy(path) => self.read_copy(&path),
                };
                (file.output_path, bytes)
            })
            .collect();
        for (output_path, bytes) in loaded {
            match bytes {
                Ok(bytes) => {
                    site.insert(output_path, bytes);
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            finished.diagnostics.extend(problems);
            finished.diagnostics.finish();
        }
        finished
            .stats
            .timings
            .push(("load copies", started.elapsed()));
        finished.stats.total += started.elapsed();
        if let Some(last) = &mut self.last {
            if finished.diagnostics.has_errors() {
                self.last = None;
            } else {
                last.files = site.clone();
            }
        }
        (finished, site)
    }

    fn read_copy(&self, path: &Path) -> Result<Arc<[u8]>, Diagnostic> {
        let stamp = Stamp::of(path);
        if let Ok(files) = self.files.lock()
            && let Some(entry) = files.get(path)
            && entry.stamp.still_matches(stamp, entry.read_at)
        {
            return Ok(Arc::clone(&entry.bytes));
        }
        let read_at = SystemTime::now();
        let bytes: Arc<[u8]> = std::fs::read(path)
            .map_err(|e| {
                Diagnostic::error(self.display(path), 0, 0, format!("cannot read file: {e}"))
                    .with_code(crate::diagnostics::Code::CannotRead)
            })?
            .into();
        if let (Some(stamp), Ok(mut files)) = (stamp, self.files.lock()) {
            files.insert(
                path.to_path_buf(),
                FileEntry {
                    stamp,
                    read_at,
                    bytes: Arc::clone(&bytes),
                },
            );
        }
        Ok(bytes)
    }

    fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.options.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    fn read_docs(
        &mut self,
        files: &[SourceFile],
        config: &Config,
        history: &source::history::History,
        run: &mut RunState,
    ) -> Vec<Doc> {
        let options = &self.options;
        let cache = &self.docs;
        let one_shot = self.keeps == Keeps::Nothing;
        let read_all = || -> Vec<DocResult> {
            files
                .par_iter()
                .map(|file| {
                    // A one-shot session has no document cache to check or fill: no stat.
                    let stamp = if one_shot {
                        None
                    } else {
                        Stamp::of(&file.source_path)
                    };
                    let cached = cache.get(&file.source_path).filter(|entry| {
                        entry.doc_id == file.doc_id
                            && entry.stamp.still_matches(stamp, entry.read_at)
                    });
                    let result = if let Some(entry) = cached {
                        // The file is unchanged but its history may not be.
                        let doc = entry.doc.clone().map(|mut doc| {
                            doc.last_updated =
                                history.last_updated(&file.doc_id, &file.source_path);
                            doc
                        });
                        DocResult {
                            path: file.source_path.clone(),
                            parsed: false,
                            entry: None,
                            doc,
                            problems: entry.problems.clone(),
                        }
                    } else {
                        let read_at = SystemTime::now();
                        let (doc, problems) = super::read_doc(file, config, history);
                        // A one-shot session is not run again: it keeps no document cache.
                        let entry = stamp.filter(|_| !one_shot).map(|stamp| DocEntry {
                            stamp,
                            read_at,
                            doc_id: file.doc_id.clone(),
                            doc: doc.clone(),
                            problems: problems.clone(),
                        });
                        DocResult {
                            path: file.source_path.clone(),
                            parsed: true,
                            entry,
                            doc,
                            problems,
                        }
                    };
                    progress_advance(options, 1);
                    result
                })
                .collect()
        };
        let results = match reading_pool() {
            Some(pool) => pool.install(read_all),
            None => read_all(),
        };
        let mut next = HashMap::new();
        let mut docs = Vec::with_capacity(results.len());
        let stats = &mut run.finished.stats;
        for result in results {
            let kept = if result.parsed {
                stats.docs_parsed += 1;
                result.entry
            } else {
                stats.docs_reused += 1;
                self.docs.remove(&result.path)
            };
            if let Some(entry) = kept {
                next.insert(result.path, entry);
            }
            run.problems.read.extend(result.problems);
            docs.extend(result.doc);
        }
        self.docs = next;
        docs
    }

    /// Renders the Markdown of every page and section index, reusing each cached render
    /// whose links still get the answers they got; a reused render is moved out of the
    /// cache, whose other entries are dropped. `bodies` were taken out of `site` for this:
    /// a one-shot session empties each as soon as its document is rendered, so a build
    /// never holds every body and every render at once.
    fn render_markdown(
        &mut self,
        site: &Site,
        bodies: &mut Bodies,
        markdown_options: &MarkdownOptions,
        stats: &mut RebuildStats,
    ) -> (Vec<KeyedEntry>, Vec<Option<KeyedEntry>>) {
        let options = &self.options;
        let one_shot = self.keeps == Keeps::Nothing;
        // Each cached render can be taken, from any thread, by the document that reuses it.
        let cache: HashMap<Digest, Mutex<Option<MarkdownEntry>>> =
            std::mem::take(&mut self.markdown)
                .into_iter()
                .map(|(key, entry)| (key, Mutex::new(Some(entry))))
                .collect();
        let options_text = options_text(markdown_options);
        // The keyed render, and whether it was reused.
        let render_doc = |doc: &Doc, body: &mut String, lift_lesson_blocks: bool| {
            let key = markdown_key(doc, body, lift_lesson_blocks, &options_text);
            let resolver = DocLinks {
                site,
                doc_id: &doc.doc_id,
            };
            let reused = cache.get(&key).and_then(|slot| {
                let mut slot = slot.lock().ok()?;
                let still_good = slot
                    .as_ref()?
                    .resolutions
                    .iter()
                    .all(|(destination, answer)| resolver.resolve(destination) == *answer);
                if still_good { slot.take() } else { None }
            });
            let was_reused = reused.is_some();
            let entry = reused.unwrap_or_else(|| {
                render_recorded(site, doc, body, lift_lesson_blocks, markdown_options)
            });
            if one_shot {
                *body = String::new();
            }
            progress_advance(options, 1);
            ((key, entry), was_reused)
        };
        let is_lesson = |page: &graph::Page| page.kind == crate::content::PageKind::Lesson;
        let pages: Vec<_> = site
            .pages
            .par_iter()
            .zip(bodies.pages.par_iter_mut())
            .map(|(p, body)| render_doc(&p.doc, body, is_lesson(p)))
            .collect();
        let sections: Vec<_> = site
            .sections
            .par_iter()
            .zip(bodies.sections.par_iter_mut())
            .map(|(s, body)| Some(render_doc(s.index.as_ref()?, body, false)))
            .collect();
        let mut count = |(entry, was_reused): (KeyedEntry, bool)| {
            if was_reused {
                stats.markdown_reused += 1;
            } else {
                stats.markdown_rendered += 1;
            }
            entry
        };
        let pages = pages.into_iter().map(&mut count).collect();
        let sections = sections
            .into_iter()
            .map(|section| section.map(&mut count))
            .collect();
        (pages, sections)
    }

    /// Keeps this run's renders for the next run and hands them to this one. A session that
    /// runs again keeps a copy of each in memory; a one-shot session keeps none, and saves
    /// them to `build`'s disk cache when it has one and they are not exactly what it held.
    /// Pages' HTML stays compressed in a one-shot run: it comes apart, indexed like the pages.
    fn keep_renders(
        &mut self,
        pages: Vec<KeyedEntry>,
        sections: Vec<Option<KeyedEntry>>,
        stats: &RebuildStats,
    ) -> (Vec<Rendered>, Option<Vec<PackedHtml>>, Vec<Rendered>) {
        let section_rendered = sections
            .par_iter()
            .map(|s| s.as_ref().map(|(_, e)| e.to_rendered()).unwrap_or_default())
            .collect();
        if self.keeps != Keeps::Nothing {
            let page_rendered = pages.par_iter().map(|(_, e)| e.to_rendered()).collect();
            self.markdown = pages
                .into_iter()
                .chain(sections.into_iter().flatten())
                .collect();
            return (page_rendered, None, section_rendered);
        }
        self.markdown = HashMap::new();
        if let Some(file) = &self.markdown_file
            && (stats.markdown_rendered > 0 || stats.markdown_reused != file.loaded)
        {
            // Sorted by key, so the file is the same every time.
            let mut entries: Vec<(&Digest, &MarkdownEntry)> = pages
                .iter()
                .chain(sections.iter().flatten())
                .map(|(key, entry)| (key, entry))
                .collect();
            entries.sort_unstable_by_key(|(key, _)| *key);
            file.cache.save_markdown(&entries);
        }
        let (page_rendered, page_html) = pages
            .into_iter()
            .map(|(_, entry)| (entry.rendered, entry.html))
            .unzip();
        (page_rendered, Some(page_html), section_rendered)
    }
}

impl Session {
    /// Reads one document as a full run would, and records it in the document cache.
    fn read_one(
        &mut self,
        file: &SourceFile,
        config: &Config,
        history: &source::history::History,
    ) -> (Option<Doc>, Vec<Diagnostic>) {
        // The stamp is taken first: a change during the read then makes the next run read
        // the file again.
        let stamp = Stamp::of(&file.source_path);
        let read_at = SystemTime::now();
        let (doc, problems) = super::read_doc(file, config, history);
        match stamp {
            Some(stamp) => {
                self.docs.insert(
                    file.source_path.clone(),
                    DocEntry {
                        stamp,
                        read_at,
                        doc_id: file.doc_id.clone(),
                        doc: doc.clone(),
                        problems: problems.clone(),
                    },
                );
            }
            None => {
                self.docs.remove(&file.source_path);
            }
        }
        (doc, problems)
    }

    /// Renders one page's Markdown against `site` as a full run would, recording the render
    /// in the Markdown cache (before shortcodes, like every cached render), then expands its
    /// shortcodes; returns it with its problems taken out.
    fn render_page_again(
        &mut self,
        site: &Site,
        page: PageId,
        templates: &Templates,
        config: &Config,
    ) -> (Rendered, Vec<Diagnostic>) {
        let page = site.page(page);
        let lift_lesson_blocks = page.kind == crate::content::PageKind::Lesson;
        self.render_doc_again(site, &page.doc, lift_lesson_blocks, templates, config)
    }

    /// [`Session::render_page_again`] for any document: a page's or a section's own file.
    fn render_doc_again(
        &mut self,
        site: &Site,
        doc: &Doc,
        lift_lesson_blocks: bool,
        templates: &Templates,
        config: &Config,
    ) -> (Rendered, Vec<Diagnostic>) {
        let options = markdown_options(config, Some(templates));
        let key = markdown_key(doc, &doc.body, lift_lesson_blocks, &options_text(&options));
        // A cached render is reused, as a full run reuses it, while its links get the
        // answers they got (a shortcode's template changed, not the document).
        let resolver = DocLinks {
            site,
            doc_id: &doc.doc_id,
        };
        let cached = self.markdown.get(&key).filter(|entry| {
            entry
                .resolutions
                .iter()
                .all(|(destination, answer)| resolver.resolve(destination) == *answer)
        });
        let mut rendered = if let Some(entry) = cached {
            entry.to_rendered()
        } else {
            let entry = render_recorded(site, doc, &doc.body, lift_lesson_blocks, &options);
            let rendered = entry.to_rendered();
            self.markdown.insert(key, entry);
            rendered
        };
        let mut problems = std::mem::take(&mut rendered.diagnostics);
        problems.extend(super::shortcodes::expand(
            std::slice::from_mut(&mut rendered),
            &[doc.file.as_str()],
            templates,
            config,
        ));
        (rendered, problems)
    }
}

/// Renders a document's Markdown against `site`, recording every question its links asked
/// and the answer, so the render can be reused while the answers stay the same.
fn render_recorded(
    site: &Site,
    doc: &Doc,
    body: &str,
    lift_lesson_blocks: bool,
    options: &MarkdownOptions,
) -> MarkdownEntry {
    let recorder = Recorder {
        inner: DocLinks {
            site,
            doc_id: &doc.doc_id,
        },
        asked: Mutex::new(Vec::new()),
    };
    let input = RenderInput {
        body,
        file: &doc.file,
        first_line: doc.body_first_line,
        strip_title_heading: strips_title(doc),
        lift_lesson_blocks,
    };
    let rendered = markdown::render(&input, options, &recorder);
    MarkdownEntry::new(rendered, recorder.asked.into_inner().unwrap_or_default())
}

/// Expands pages' shortcodes. Pages whose HTML is `packed` (a one-shot run) get it back
/// for the expansion when they have shortcodes, and packed again after.
fn expand_page_shortcodes(
    rendered: &mut [Rendered],
    packed: Option<&mut [PackedHtml]>,
    files: &[&str],
    templates: &Templates,
    config: &Config,
) -> Vec<Diagnostic> {
    let with_shortcodes = |rendered: &Rendered| !rendered.shortcodes.is_empty();
    if let Some(packed) = packed.as_deref() {
        for (rendered, html) in rendered.iter_mut().zip(packed) {
            if with_shortcodes(rendered) {
                rendered.html = html.unpack();
            }
        }
    }
    let problems = super::shortcodes::expand(rendered, files, templates, config);
    if let Some(packed) = packed {
        for (rendered, html) in rendered.iter_mut().zip(packed) {
            if with_shortcodes(rendered) {
                *html = PackedHtml::pack(&std::mem::take(&mut rendered.html));
            }
        }
    }
    problems
}

/// The bodies of a site's documents, taken out of it for the Markdown stage, which reads
/// the site (links) while it uses them up.
struct Bodies {
    pages: Vec<String>,
    /// Empty for sections without an index page.
    sections: Vec<String>,
}

impl Bodies {
    fn take(site: &mut Site) -> Self {
        Bodies {
            pages: site
                .pages
                .iter_mut()
                .map(|p| std::mem::take(&mut p.doc.body))
                .collect(),
            sections: site
                .sections
                .iter_mut()
                .map(|s| {
                    s.index
                        .as_mut()
                        .map(|d| std::mem::take(&mut d.body))
                        .unwrap_or_default()
                })
                .collect(),
        }
    }

    fn put_back(self, site: &mut Site) {
        for (page, body) in site.pages.iter_mut().zip(self.pages) {
            page.doc.body = body;
        }
        for (section, body) in site.sections.iter_mut().zip(self.sections) {
            if let Some(doc) = &mut section.index {
                doc.body = body;
            }
        }
    }
}

/// A page without a `title` takes its title from its first heading, which the theme then
/// prints: the render leaves the heading out.
/// Template syntax of other tools left in content, once per construct for the whole site:
/// how many places, the first of them, and what to do.
fn foreign_tag_warnings(
    site: &Site,
    pages: &[crate::markdown::Rendered],
    sections: &[crate::markdown::Rendered],
) -> Vec<Diagnostic> {
    type First<'s> = (&'s str, usize, usize);
    let mut by_construct: std::collections::BTreeMap<&str, (usize, First<'_>)> =
        std::collections::BTreeMap::new();
    let files = site
        .pages
        .iter()
        .map(|p| p.doc.file.as_str())
        .zip(pages)
        .chain(
            site.sections
                .iter()
                .map(|s| s.index.as_ref().map_or("", |d| d.file.as_str()))
                .zip(sections),
        );
    for (file, rendered) in files {
        for tag in &rendered.foreign_tags {
            let here = (file, tag.line, tag.column);
            let entry = by_construct
                .entry(tag.construct.as_str())
                .or_insert((0, here));
            entry.0 += 1;
            entry.1 = entry.1.min(here);
        }
    }
    by_construct
        .into_iter()
        .map(|(construct, (count, (file, line, column)))| {
            let places = if count == 1 {
                "1 place".to_string()
            } else {
                format!("{count} places, the first here")
            };
            Diagnostic::warning(
                file,
                line,
                column,
                format!(
                    "{construct} is printed as written in {places}: Trailmark does not run \
                     other tools' templates in content; rewrite it as Markdown or a Trailmark \
                     shortcode"
                ),
            )
            .with_code(crate::diagnostics::Code::ForeignTemplateSyntax)
        })
        .collect()
}

fn strips_title(doc: &Doc) -> bool {
    doc.meta.title.is_none() && doc.heading_title.is_some()
}

/// The Markdown options of `config`, with the renderer's labels from the theme's string
/// table (English when the templates did not load: that run renders no page anyway).
fn markdown_options(config: &Config, templates: Option<&Templates>) -> MarkdownOptions {
    let mut options = config.markdown_options();
    if let Some(templates) = templates {
        options.labels = templates.markdown_labels().clone();
    }
    options
}

/// The options as the Markdown cache key holds them ([`markdown_key`]): made once per run,
/// not once per document (the labels make the text long).
fn options_text(options: &MarkdownOptions) -> String {
    format!("{options:?}")
}

/// The Markdown cache key of `doc` with `body`, under the options of [`options_text`].
fn markdown_key(doc: &Doc, body: &str, lift_lesson_blocks: bool, options_text: &str) -> Digest {
    let mut hasher = Hasher::new();
    for part in [
        body,
        doc.file.as_str(),
        options_text,
        // Renders are kept on disk between builds; another version may render differently.
        env!("CARGO_PKG_VERSION"),
    ] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(&(doc.body_first_line as u64).to_le_bytes());
    hasher.update(&[u8::from(strips_title(doc)), u8::from(lift_lesson_blocks)]);
    hasher.finalize()
}

/// Answers links through the graph and remembers every question and answer, so a cached
/// render can later be checked against the graph of another build.
struct Recorder<'a> {
    inner: DocLinks<'a>,
    asked: Mutex<Vec<(String, LinkResolution)>>,
}

impl LinkResolver for Recorder<'_> {
    fn resolve(&self, destination: &str) -> LinkResolution {
        let answer = self.inner.resolve(destination);
        if let Ok(mut asked) = self.asked.lock() {
            asked.push((destination.to_string(), answer.clone()));
        }
        answer
    }
}

struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Self {
        Self {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

/// One run's working state: its clock, the problems its steps found, and what it will
/// return.
struct RunState {
    started: Instant,
    clock: Clock,
    problems: Problems,
    finished: Finished,
}

impl RunState {
    fn new() -> Self {
        RunState {
            started: Instant::now(),
            clock: Clock::new(),
            problems: Problems::default(),
            finished: Finished {
                diagnostics: Diagnostics::new(),
                pages: 0,
                sections: 0,
                drafts_skipped: 0,
                future_skipped: 0,
                output_dir: None,
                files: Vec::new(),
                stats: RebuildStats::default(),
            },
        }
    }

    fn finish(self, root: &Path) -> Finished {
        finish(
            self.finished,
            &self.problems,
            self.clock,
            self.started,
            root,
        )
    }
}

/// Rendered Markdown of one run, problems taken out.
struct Renders {
    pages: Vec<Rendered>,
    /// Pages' HTML, compressed, in a one-shot run ([`ViewSource::with_packed_html`]).
    page_html: Option<Vec<PackedHtml>>,
    sections: Vec<Rendered>,
}

/// Ends a run or a patch: its diagnostics are its problems, collected, sorted and with
/// snippets.
fn finish(
    mut finished: Finished,
    problems: &Problems,
    clock: Clock,
    started: Instant,
    root: &Path,
) -> Finished {
    let mut diagnostics = problems.collect();
    diagnostics.finish();
    diagnostics.fill_snippets(|file| std::fs::read_to_string(root.join(file)).ok());
    finished.diagnostics = diagnostics;
    finished.stats.timings = clock.laps;
    finished.stats.total = started.elapsed();
    finished
}

/// The threads that read source files: more than the cores, because a file that is not in
/// the page cache (a fresh checkout, a CI machine, a large site whose files were evicted)
/// is a wait for the disk, and a disk serves several reads at once. Parsing front matter
/// on them costs nothing more than on the build's own threads. `None` (read on the build's
/// threads) if the pool cannot be started.
///
/// Measured on 10,000 pages just evicted from the page cache (2 cores): the read step took
/// 1,012 ms on two threads and 396-462 ms on this pool; with the files cached, about the
/// same on both (190-310 ms, within the noise).
fn reading_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads((rayon::current_num_threads() * 4).max(16))
            .thread_name(|n| format!("read-{n}"))
            .build()
            .ok()
    })
    .as_ref()
}
