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

/// The records of the searchable pages among the rendered `files` (the jobs' outputs, in
/// plan order), cut out in parallel.
pub(super) fn records(jobs: &[Job], files: &[OutputFile], site: &Site) -> Vec<Record> {
    search_targets(jobs, site)
        .into_par_iter()
        .filter_map(|(job, url)| {
            let html: std::sync::Arc<[u8]> = match &files.get(job)?.content {
                OutputContent::Bytes(bytes) => bytes.as_slice().into(),
                OutputContent::Shared(bytes) => std::sync::Arc::clone(bytes),
                _ => return None,
            };
            Some(Record::of_page(url, jobs[job].origin.clone(), html))
        })
        .collect()
}

/// The bundle for `records`: each shard whose key matches the `previous` bundle's and whose
/// files `keep` keeps (linked from the last output) is not indexed again; the others are
/// indexed in parallel. Returns the files (kept ones as empty placeholders, which the sink
/// skips) and what was made.
pub(super) fn index(
    records: &[Record],
    previous: Option<&SearchBundle>,
    keep: &(dyn Fn(&[String]) -> bool + Sync),
) -> Result<(Vec<OutputFile>, SearchBundle), Diagnostic> {
    let shards = search::plan(records);
    let count = shards.len();
    let kept: Vec<Option<&ShardMade>> = shards
        .iter()
        .map(|shard| {
            previous
                .filter(|p| p.shards.len() == count)
                .and_then(|p| p.shards.get(shard.number))
                .filter(|made| made.key == shard.key && keep(&made.paths))
        })
        .collect();
    let indexed: Vec<Option<search::ShardFiles>> = shards
        .par_iter()
        .zip(&kept)
        .map(|(shard, kept)| kept.is_none().then(|| shard.index()))
        .collect();
    let mut files = Vec::new();
    let mut made = SearchBundle::default();
    for ((shard, kept), indexed) in shards.iter().zip(kept).zip(indexed) {
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
            key: shard.key,
            paths: shard_files.iter().map(|f| f.output_path.clone()).collect(),
        });
        files.extend(shard_files);
    }
    files.extend(search::loader(count));
    Ok((files, made))
}

/// Indexes every shard of the searchable pages afresh.
pub(super) fn index_all(
    jobs: &[Job],
    files: &[OutputFile],
    site: &Site,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let records = records(jobs, files, site);
    index(&records, None, &|_| false).map(|(files, _)| files)
}
