//! The render-job cache: a job's output is reused when nothing it can see has changed.
//!
//! Templates see only the view their job hands them (`CONTRACT.md`), so a job's bytes are a
//! function of three things: the template it renders, the fingerprint of every template file
//! that template can reach ([`Templates::fingerprint`]), and the values in its context. The
//! cache keys each output path by a hash of the context values and the template's name, and
//! keeps the template fingerprint beside it; a job renders again only when one of them
//! differs from the previous build. Because the decision compares everything the renderer
//! reads, an incremental build produces the same bytes as a clean one by construction.

use std::collections::HashMap;
use std::sync::Arc;

use super::plan::Job;
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;
use crate::output::OutputSink;
use crate::template::Templates;
pub use crate::template::context::JobContext;

/// Why a job rendered instead of reusing its previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RenderReason {
    /// No previous output at this path.
    New,
    /// The values handed to the template changed.
    ViewChanged,
    /// Only a template it uses changed.
    TemplatesChanged,
}

impl RenderReason {
    pub fn describe(self) -> &'static str {
        match self {
            RenderReason::New => "new",
            RenderReason::ViewChanged => "view changed",
            RenderReason::TemplatesChanged => "templates changed",
        }
    }
}

/// What a job needs before the cache decides whether to render it.
pub enum Prepared<'a> {
    Template {
        name: String,
        context: JobContext<'a>,
    },
    /// Output computed without a template (highlighting stylesheets).
    Bytes(Vec<u8>),
}

/// One finished job.
#[derive(Debug, Clone)]
pub struct JobOutput {
    pub output_path: String,
    pub bytes: Arc<[u8]>,
    /// `None` when the previous output was reused.
    pub reason: Option<RenderReason>,
    entry: JobEntry,
}

impl JobOutput {
    /// The view key and template fingerprint the output was made from (its bytes follow
    /// from them): the search index keys a page by these instead of reading it (issue 21).
    pub fn keys(&self) -> (Digest, Digest) {
        (self.entry.view_key, self.entry.templates)
    }
}

#[derive(Debug, Clone)]
struct JobEntry {
    view_key: Digest,
    templates: Digest,
    bytes: Arc<[u8]>,
    /// The bytes are not in memory but in the previous build's output folder: the entry was
    /// restored from disk ([`JobCache::restore`]) or its bytes went to an [`OutputSink`].
    on_disk: bool,
}

/// Previous outputs by output path.
#[derive(Default)]
pub struct JobCache {
    entries: HashMap<String, JobEntry>,
    /// Where `build` sends each output as soon as it is finished; `None` in `serve`.
    sink: Option<Arc<dyn OutputSink>>,
}

impl JobCache {
    /// Renders `prepared` unless the previous output at the same path was made from the same
    /// view and templates.
    pub fn finish(
        &self,
        job: &Job,
        prepared: Prepared<'_>,
        templates: &Templates,
    ) -> Result<JobOutput, Diagnostic> {
        let previous = self.entries.get(&job.output_path);
        let (view_key, fingerprint, render): (_, _, Box<dyn FnOnce() -> _>) = match prepared {
            Prepared::Template { name, context } => {
                let view_key = context.key(&name);
                let fingerprint = templates.fingerprint(&name);
                let origin = job.origin.as_str();
                (
                    view_key,
                    fingerprint,
                    Box::new(move || {
                        templates
                            .render_job(&name, context, origin)
                            .map(String::into_bytes)
                    }),
                )
            }
            Prepared::Bytes(bytes) => {
                let view_key = Digest::of(&bytes);
                (view_key, Digest::default(), Box::new(move || Ok(bytes)))
            }
        };
        let reason = match previous {
            None => Some(RenderReason::New),
            Some(p) if p.view_key != view_key => Some(RenderReason::ViewChanged),
            Some(p) if p.templates != fingerprint => Some(RenderReason::TemplatesChanged),
            Some(_) => None,
        };
        let (bytes, reason) = self.produce(job, previous, reason, render)?;
        Ok(JobOutput {
            output_path: job.output_path.clone(),
            bytes: Arc::clone(&bytes),
            reason,
            entry: JobEntry {
                view_key,
                templates: fingerprint,
                // With a sink the entry's bytes are on disk and never read from here; the
                // bytes a sink hands back for the search index (issue 21) are not kept
                // twice (they were, until the session ended: 0.3 GB at 10,000 pages).
                bytes: if self.sink.is_some() {
                    Arc::from([])
                } else {
                    bytes
                },
                on_disk: self.sink.is_some(),
            },
        })
    }

    /// The job's bytes: the previous ones when `reason` is `None`, else rendered; handed to
    /// the sink when there is one. A previous output that is on disk is put in place by the
    /// sink; if it cannot be, the job renders after all (reported as new).
    fn produce(
        &self,
        job: &Job,
        previous: Option<&JobEntry>,
        reason: Option<RenderReason>,
        render: Box<dyn FnOnce() -> Result<Vec<u8>, Diagnostic> + '_>,
    ) -> Result<(Arc<[u8]>, Option<RenderReason>), Diagnostic> {
        match (reason, previous, &self.sink) {
            (None, Some(p), _) if !p.on_disk => return Ok((Arc::clone(&p.bytes), None)),
            (None, Some(_), Some(sink)) => {
                if let Some(bytes) = sink.put_previous(&job.output_path) {
                    return Ok((bytes, None));
                }
            }
            _ => {}
        }
        let reason = reason.unwrap_or(RenderReason::New);
        let bytes: Arc<[u8]> = Arc::from(crate::source::scrub_controls(render()?));
        let bytes = match &self.sink {
            Some(sink) => sink.put(&job.output_path, bytes),
            None => bytes,
        };
        Ok((bytes, Some(reason)))
    }

    /// Puts the previous build's files at `paths` in place through the sink, all of them
    /// or none: false when there is no sink or any of them no longer holds what it did.
    pub fn keep_previous(&self, paths: &[String]) -> bool {
        self.sink
            .as_ref()
            .is_some_and(|sink| sink.keep_previous(paths))
    }

    /// Whether outputs go to a sink, which keeps the bytes of reused outputs on disk only
    /// (the search index reads them back with [`JobCache::read_previous`]).
    pub fn has_sink(&self) -> bool {
        self.sink.is_some()
    }

    /// The previous build's file at `path`, when it still holds what that build wrote.
    pub fn read_previous(&self, path: &str) -> Option<Vec<u8>> {
        self.sink.as_ref()?.read_previous(path)
    }

    /// Sends every output to `sink` as it is finished, which keeps only what it returns.
    pub fn set_sink(&mut self, sink: Arc<dyn OutputSink>) {
        self.sink = Some(sink);
    }

    /// Stops sending outputs anywhere: the build already has errors, so nothing it renders
    /// is published, and nothing is written (collisions are found before any write).
    pub fn drop_sink(&mut self) {
        self.sink = None;
    }

    /// The template fingerprint the output at `path` was last made with (the default digest
    /// for an output made without a template); `None` when there is no such output.
    ///
    /// A fingerprint covers its template and every template it reaches, so two templates
    /// with the same fingerprint reach the same files: an output whose fingerprint is one a
    /// template edit changed is exactly an output that edit can change.
    pub fn fingerprint_of(&self, path: &str) -> Option<Digest> {
        self.entries.get(path).map(|entry| entry.templates)
    }

    /// Output path, view key and template fingerprint of every entry, sorted by path.
    pub fn keys(&self) -> Vec<(String, Digest, Digest)> {
        let mut keys: Vec<_> = self
            .entries
            .iter()
            .map(|(path, e)| (path.clone(), e.view_key, e.templates))
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Entries whose bytes are the files of the previous build's output (keys as returned by
    /// [`JobCache::keys`]); reused only through the sink.
    pub fn restore(&mut self, keys: impl IntoIterator<Item = (String, Digest, Digest)>) {
        for (path, view_key, templates) in keys {
            let entry = JobEntry {
                view_key,
                templates,
                bytes: Arc::from([]),
                on_disk: true,
            };
            self.entries.insert(path, entry);
        }
    }

    /// The cache for the next build: exactly the jobs of this one.
    pub fn replace(&mut self, outputs: &[JobOutput]) {
        self.entries = outputs
            .iter()
            .map(|o| (o.output_path.clone(), o.entry.clone()))
            .collect();
    }

    /// Records the outputs of a rebuild that rendered only some jobs.
    pub fn update(&mut self, outputs: &[JobOutput]) {
        for output in outputs {
            self.entries
                .insert(output.output_path.clone(), output.entry.clone());
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
