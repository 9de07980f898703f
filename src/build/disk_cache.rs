//! `build`'s cache on disk, in `<site>/.trailmark-cache/`, so a second build redoes only
//! what changed.
//!
//! Two files, each written whole to a temporary name and renamed into place:
//!
//! - `markdown.bin`: the session's Markdown renders (HTML compressed, table of contents,
//!   anchors, highlighted code), keyed as in memory by the body, file, options and Trailmark
//!   version, and reused only when every link they resolved still resolves the same way;
//!   the session saves it as soon as every render is made, so no copy is kept for later;
//! - `output.bin`: the manifest of the output folder (path → hash, size, time, inode) with
//!   the key of the render job that made each file, so an unchanged job hard-links its
//!   previous file instead of rendering its template; and the manifest of the folder before
//!   it, kept in `previous-output/` to be updated into the next build's staging folder
//!   (`output::staging`, "the spare generation").
//!
//! Each file starts with a header naming the format, the Trailmark version, the binary
//! that wrote it (size and time of the executable, so a rebuilt development binary never
//! trusts an older one's cache) and a fingerprint of the config and build options, and
//! ends with a hash ([`crate::digest`]) of everything before it. A file that is missing,
//! foreign, corrupt or from another version is ignored, and so are the job keys and the
//! search bundle of a build with another config (the Markdown renders are kept: their key
//! holds what the renderer takes from the config): the build runs as if there were no
//! cache. Writing the cache is best effort too: a site folder
//! that cannot be written to just builds cold.
//! The folder's name starts with a dot, so the content walk and `serve`'s watcher ignore it.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::BuildOptions;
use super::session::{MarkdownEntry, SearchBundle, Session};
use crate::config::Config;
use crate::digest::{Digest, Hasher};
use crate::output::manifest::JobKey;
use crate::output::{Committed, Manifest, Spare};

/// The cache folder, inside the site root.
pub const CACHE_DIR: &str = ".trailmark-cache";
const MAGIC: [u8; 8] = *b"TMCACHE\n";
/// Bumped whenever the layout of a cached type changes.
const FORMAT: u32 = 4;
const MARKDOWN_FILE: &str = "markdown.bin";
const OUTPUT_FILE: &str = "output.bin";
/// The output folder before the last build, kept for the next one to update in place.
const SPARE_DIR: &str = "previous-output";

/// What `output.bin` holds.
#[derive(Serialize, Deserialize)]
struct OutputState {
    live: Manifest,
    spare: Option<Manifest>,
    /// The search bundle in the live folder and the key of the pages it indexes.
    search: Option<SearchBundle>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    magic: [u8; 8],
    format: u32,
    version: String,
    binary: (u64, u64),
    /// Config and build options the cached values were made with.
    config: Digest,
}

/// What a previous build left, for this build.
pub struct Loaded {
    /// The previous output folder's manifest, usable whatever the config.
    pub manifest: Option<Manifest>,
    /// The folder kept by the build before (whatever the config: it is checked file by
    /// file), with its manifest when the cache has one.
    pub spare: Spare,
    /// How many saved Markdown renders were handed to the session.
    pub markdown: usize,
}

/// The cache folder of one site.
#[derive(Clone)]
pub struct DiskCache {
    dir: PathBuf,
    config: Digest,
}

impl DiskCache {
    /// The cache of the site at `options.root`, for a build with `config` (as loaded by
    /// the session, with options applied).
    pub fn new(options: &BuildOptions, config: &Config) -> Self {
        Self {
            dir: options.root.join(CACHE_DIR),
            config: fingerprint(options, config),
        }
    }

    /// Reads both files and hands what matches this build to `session`.
    pub fn load(&self, session: &mut Session, config: &Config) -> Loaded {
        let state = self.read::<OutputState>(OUTPUT_FILE);
        let same_config = state
            .as_ref()
            .is_some_and(|(config, _)| *config == self.config);
        let (manifest, spare_manifest, search) = match state {
            Some((_, state)) => (Some(state.live), state.spare, state.search),
            None => (None, None, None),
        };
        if let Some(search) = search.filter(|_| same_config) {
            session.restore_search(search);
        }
        // Markdown renders whatever the config: their key holds the options the renderer
        // takes from it, and each is checked against this build's link answers.
        let markdown = self
            .read::<Vec<(Digest, MarkdownEntry)>>(MARKDOWN_FILE)
            .map(|(_, entries)| entries)
            .unwrap_or_default();
        let jobs: Vec<(String, Digest, Digest)> = if same_config {
            manifest
                .iter()
                .flat_map(|m| &m.files)
                .filter_map(|(path, record)| {
                    record
                        .job
                        .map(|key| (path.clone(), key.view, key.templates))
                })
                .collect()
        } else {
            Vec::new()
        };
        let count = markdown.len();
        if count > 0 || !jobs.is_empty() {
            session.restore(config.clone(), markdown, jobs);
        }
        Loaded {
            manifest,
            spare: Spare {
                dir: self.dir.join(SPARE_DIR),
                manifest: spare_manifest,
            },
            markdown: count,
        }
    }

    /// Saves the new output's manifest (and the spare's, and the search bundle's key)
    /// with the session's job keys. (The session saves its Markdown renders itself,
    /// through [`DiskCache::save_markdown`].)
    pub fn save(&self, session: &Session, committed: Committed) {
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Committed {
            manifest: mut live,
            spare,
        } = committed;
        for (path, view, templates) in session.job_keys() {
            if let Some(record) = live.files.get_mut(&path) {
                record.job = Some(JobKey { view, templates });
            }
        }
        let search = session.search_bundle_made().cloned();
        self.write(
            OUTPUT_FILE,
            &OutputState {
                live,
                spare,
                search,
            },
        );
    }

    /// Saves a build's Markdown renders, sorted by key.
    pub(super) fn save_markdown(&self, entries: &[(&Digest, &MarkdownEntry)]) {
        if fs::create_dir_all(&self.dir).is_ok() {
            self.write_with(MARKDOWN_FILE, |out| write_seq_in_parallel(entries, out));
        }
    }

    fn read<T: DeserializeOwned>(&self, name: &str) -> Option<(Digest, T)> {
        let bytes = fs::read(self.dir.join(name)).ok()?;
        let (body, trailer) = bytes.split_at_checked(bytes.len().checked_sub(16)?)?;
        if Digest::of(body).as_bytes() != trailer {
            return None;
        }
        let (header, payload) = postcard::take_from_bytes::<Header>(body).ok()?;
        if header != header_for(header.config) {
            return None;
        }
        let value = postcard::from_bytes(payload).ok()?;
        Some((header.config, value))
    }

    /// Streams header, value and the hash of both into a temporary file, then renames it
    /// into place.
    fn write<T: Serialize + ?Sized>(&self, name: &str, value: &T) {
        self.write_with(name, |out| {
            postcard::to_io(value, out).map_err(encode_error)?;
            Ok(())
        });
    }

    /// [`DiskCache::write`] with the value written by `write_value`.
    fn write_with(
        &self,
        name: &str,
        write_value: impl FnOnce(
            &mut HashingWriter<std::io::BufWriter<fs::File>>,
        ) -> std::io::Result<()>,
    ) {
        let temporary = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let written = fs::File::create(&temporary).and_then(|file| {
            let mut out = HashingWriter {
                inner: std::io::BufWriter::with_capacity(1 << 20, file),
                hasher: Hasher::new(),
            };
            postcard::to_io(&header_for(self.config), &mut out).map_err(encode_error)?;
            write_value(&mut out)?;
            let hash = out.hasher.finalize();
            out.inner.write_all(hash.as_bytes())?;
            // No fsync: after a crash a torn file fails its hash and is ignored.
            out.inner.flush()
        });
        if written.is_err() || fs::rename(&temporary, self.dir.join(name)).is_err() {
            let _ = fs::remove_file(&temporary);
        }
    }
}

#[allow(clippy::needless_pass_by_value)] // the shape `map_err` takes
fn encode_error(e: postcard::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// How many items [`write_seq_in_parallel`] encodes before writing them: enough to keep
/// every thread busy, few enough that the buffers stay small next to the items.
const ENCODE_BATCH: usize = 2048;

/// Writes `items` exactly as `postcard::to_io(items, out)` would (the length as a varint,
/// then each item), but encodes each batch of items on every thread, and hashes and writes
/// whole buffers rather than postcard's many small writes, while the next batch is encoded.
///
/// Why: the Markdown cache is most of a build's cache, and streaming it through postcard
/// on one thread took 266 ms of a 10,000-page build that waited for it (about 7% of
/// the wall time); most of that went to hashing postcard's one- and two-byte writes.
fn write_seq_in_parallel<T: Serialize + Sync, W: Write + Send>(
    items: &[T],
    out: &mut W,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let encode = |batch: &[T]| {
        batch
            .par_iter()
            .map(postcard::to_stdvec)
            .collect::<Result<Vec<Vec<u8>>, _>>()
            .map_err(encode_error)
    };
    out.write_all(&postcard::to_stdvec(&items.len()).map_err(encode_error)?)?;
    let mut batches = items.chunks(ENCODE_BATCH);
    let mut encoded = encode(batches.next().unwrap_or_default())?;
    // Each batch is written while the next one is encoded.
    loop {
        let next = batches.next();
        let (written, next_encoded) = rayon::join(
            || encoded.iter().try_for_each(|bytes| out.write_all(bytes)),
            || next.map(encode).transpose(),
        );
        written?;
        match next_encoded? {
            Some(next_encoded) => encoded = next_encoded,
            None => return Ok(()),
        }
    }
}

/// Hashes everything written through it.
struct HashingWriter<W> {
    inner: W,
    hasher: Hasher,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn header_for(config: Digest) -> Header {
    Header {
        magic: MAGIC,
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        binary: binary_identity(),
        config,
    }
}

/// Size and modification time of the running executable.
fn binary_identity() -> (u64, u64) {
    let meta = std::env::current_exe().and_then(fs::metadata);
    meta.map_or((0, 0), |m| {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        (m.len(), modified)
    })
}

/// Everything besides the files that decides what a build makes.
fn fingerprint(options: &BuildOptions, config: &Config) -> Digest {
    let mut hasher = Hasher::new();
    hasher.update(&serde_json::to_vec(config).unwrap_or_default());
    let flags = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        options.include_drafts,
        options.include_future,
        options.base_url,
        options.build_date,
        options.index_search
    );
    hasher.update(flags.as_bytes());
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequence_encoded_in_parallel_has_postcards_own_bytes() {
        // More items than one batch, of uneven sizes, so batch edges and varints both show.
        let items: Vec<(usize, String)> = (0..ENCODE_BATCH * 2 + 17)
            .map(|i| (i * 7919, "x".repeat(i % 300)))
            .collect();
        let mut parallel = Vec::new();
        write_seq_in_parallel(&items, &mut parallel).unwrap();
        assert_eq!(parallel, postcard::to_stdvec(&items).unwrap());
        let mut empty = Vec::new();
        write_seq_in_parallel::<u8, _>(&[], &mut empty).unwrap();
        assert_eq!(empty, postcard::to_stdvec::<[u8]>(&[]).unwrap());
    }
}
