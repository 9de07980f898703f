//! Where the build feeds the search index ([`crate::search`]): the records of the pages a
//! reader may look for, cut out on the build's threads, and the index's shards, indexed in
//! parallel (rayon stays in `build/`), each kept from the last build when its key is the
//! same and its files are still in the output.

use rayon::prelude::*;

use super::plan::{Job, JobKind};
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;
use crate::graph::{Doc, Site};
use crate::output::{OutputContent, OutputFile};
use crate::search::{self, Record, live::Target};

/// A search bundle as a build made it: each shard's key and its files' output paths.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchBundle {
    pub shards: Vec<ShardMade>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ShardMade {
    pub key: Digest,
    pub paths: Vec<String>,
}

/// Which of `jobs` render a page to index, by position, with the URL a search result links
/// to; in plan order: not drafts (present only with `--drafts`), not pages with `search:
/// false`, not generated lists, feeds or redirects. Known before the jobs are rendered.
pub(super) fn search_targets(jobs: &[Job], site: &Site) -> Vec<(usize, String)> {
    let searchable = |doc: &Doc| doc.meta.search && !doc.meta.draft;
    let mut targets = Vec::new();
    for (position, job) in jobs.iter().enumerate() {
        let url_path = match &job.kind {
            JobKind::Page(id) => {
                let page = site.page(*id);
                searchable(&page.doc).then_some(&page.url_path)
            }
            JobKind::Section {
                section, pager: 1, ..
            } => {
                let s = site.section(*section);
                s.index
                    .as_ref()
                    .is_some_and(searchable)
                    .then_some(&s.url_path)
            }
            _ => None,
        };
        if let Some(url_path) = url_path {
            targets.push((position, site.url(url_path)));
        }
    }
    targets
}

/// The pages `serve` hands to its live index ([`search::live`]), by output path.
pub fn live_targets(jobs: &[Job], site: &Site) -> Vec<Target> {
    search_targets(jobs, site)
        .into_iter()
        .map(|(job, url)| Target {
            output_path: jobs[job].output_path.clone(),
            url,
            origin: jobs[job].origin.clone(),
        })
        .collect()
}

/// What the build knows of each job's output besides its bytes: a key that stands for them
/// (the job cache's view key and template fingerprint, which the job's bytes follow from)
/// and whether they are in memory (rendered in this run, or any job in `serve`) or only in
/// the previous build's output folder.
#[derive(Clone, Copy, Debug)]
pub(super) struct JobMade {
    pub key: Digest,
    pub in_memory: bool,
}

impl JobMade {
    pub fn new(view_key: Digest, templates: Digest, in_memory: bool) -> Self {
        let mut hasher = crate::digest::Hasher::new();
        hasher
            .update(view_key.as_bytes())
            .update(templates.as_bytes());
        JobMade {
            key: hasher.finalize(),
            in_memory,
        }
    }
}

/// The records of the searchable pages among the jobs' outputs `files` (in plan order), cut
/// out in parallel. With `made`, a page is keyed by its job's key, only pages in memory are
/// cut (and their bytes not kept) and the others are read only if their shard is indexed
/// again; without, every page is in `files` and keyed by its bytes. `cut`: the bytes in
/// memory are already the pages' records (a sink kept only those,
/// [`crate::output::Retain`]).
pub(super) fn records(
    jobs: &[Job],
    files: &[OutputFile],
    site: &Site,
    made: Option<&[JobMade]>,
    cut: bool,
) -> Vec<Record> {
    search_targets(jobs, site)
        .into_par_iter()
        .filter_map(|(job, url)| {
            let origin = jobs[job].origin.clone();
            let bytes = match &files.get(job)?.content {
                OutputContent::Bytes(bytes) => Some(bytes.as_slice()),
                OutputContent::Shared(bytes) => Some(&bytes[..]),
                _ => None,
            };
            match made.map(|made| made.get(job)) {
                None => Some(Record::of_page(url, origin, std::sync::Arc::from(bytes?))),
                Some(made) => {
                    let made = made?;
                    Some(if made.in_memory && cut {
                        Record::of_document(url, origin, made.key, bytes?.to_vec())
                    } else if made.in_memory {
                        Record::of_rendered(url, origin, made.key, bytes?)
                    } else {
                        Record::stored(url, origin, made.key, jobs[job].output_path.clone())
                    })
                }
            }
        })
        .collect()
}

/// How many shards are indexed at once, at most: each holds its whole index in memory
/// while it is built (about 0.2 MB a page).
const SHARDS_IN_FLIGHT: usize = 2;

/// The bundle for `records`: each shard whose key matches the `previous` bundle's and whose
/// files `keep` keeps (linked from the last output) is not indexed again, and its records
/// are dropped unread; the others are indexed in parallel, [`SHARDS_IN_FLIGHT`] at a time,
/// reading stored pages with `read`. Returns the files (kept ones as empty placeholders,
/// which the sink skips) and what was made.
pub(super) fn index(
    records: Vec<Record>,
    previous: Option<&SearchBundle>,
    keep: &(dyn Fn(&[String]) -> bool + Sync),
    read: search::ReadStored<'_>,
) -> Result<(Vec<OutputFile>, SearchBundle), Diagnostic> {
    let shards = search::plan(records);
    let count = shards.len();
    let keys: Vec<Digest> = shards.iter().map(|shard| shard.key).collect();
    let mut kept: Vec<Option<&ShardMade>> = Vec::with_capacity(count);
    let mut to_index = Vec::new();
    for shard in shards {
        let previous = previous
            .filter(|p| p.shards.len() == count)
            .and_then(|p| p.shards.get(shard.number))
            .filter(|made| made.key == shard.key && keep(&made.paths));
        kept.push(previous);
        if previous.is_none() {
            to_index.push(shard);
        }
    }
    let mut indexed: Vec<Option<search::ShardFiles>> = (0..count).map(|_| None).collect();
    for (number, files) in index_bounded(to_index, read) {
        indexed[number] = Some(files);
    }
    let mut files = Vec::new();
    let mut made = SearchBundle::default();
    for ((key, kept), indexed) in keys.into_iter().zip(kept).zip(indexed) {
        let shard_files = match (kept, indexed) {
            (Some(kept), _) => kept
                .paths
                .iter()
                .map(|path| OutputFile {
                    output_path: path.clone(),
                    // Already queued to be linked; the sink skips what it has.
                    content: OutputContent::Shared(std::sync::Arc::from([])),
                })
                .collect(),
            (None, Some(indexed)) => search::shard_files(indexed?, count),
            (None, None) => Vec::new(),
        };
        made.shards.push(ShardMade {
            key,
            paths: shard_files.iter().map(|f| f.output_path.clone()).collect(),
        });
        files.extend(shard_files);
    }
    files.extend(search::loader(count));
    Ok((files, made))
}

/// Indexes `shards` on the build's threads, at most [`SHARDS_IN_FLIGHT`] at once (each
/// worker takes the next shard when it is done with one); returns each shard's number and
/// files.
fn index_bounded(
    shards: Vec<search::ShardJob>,
    read: search::ReadStored<'_>,
) -> Vec<(usize, search::ShardFiles)> {
    let workers = rayon::current_num_threads()
        .min(SHARDS_IN_FLIGHT)
        .min(shards.len());
    let queue = std::sync::Mutex::new(shards.into_iter());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    (0..workers)
        .into_par_iter()
        .flat_map_iter(|_| std::iter::from_fn(&next).map(|shard| (shard.number, shard.index(read))))
        .collect()
}

/// Indexes every shard of the searchable pages afresh (every page is in `files`).
pub(super) fn index_all(
    jobs: &[Job],
    files: &[OutputFile],
    site: &Site,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let records = records(jobs, files, site, None, false);
    index(records, None, &|_| false, &|_| None).map(|(files, _)| files)
}
