//! What an output folder holds, file by file, so the next build can reuse files without
//! reading them.
//!
//! A record keeps the hash ([`crate::digest`]) of the bytes written and the size,
//! modification time and inode the file had once written. A file is trusted to still hold
//! those bytes only while all three are unchanged: an edit by hand changes the time (and
//! usually the size), a replacement changes the inode. One gap remains: an edit made within
//! the file system's clock tick of our write, keeping the size, leaves the time as it was.
//! So a file written less than `RACY_WINDOW` (100 ms) before its folder went live is read
//! and hashed again before reuse (Git's "racy" rule).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::digest::Digest;

/// Files modified this close to the moment their folder went live are checked by content.
const RACY_WINDOW: Duration = Duration::from_millis(100);

/// The render job that made a file: its view key and template fingerprint
/// (`build::jobs`). A job with the same key would write the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobKey {
    pub view: Digest,
    pub templates: Digest,
}

/// One file of an output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Hash of the bytes; `None` for files copied from the site (never compared).
    pub hash: Option<Digest>,
    pub len: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified_ns: u64,
    pub inode: u64,
    /// Set for files made by a render job.
    pub job: Option<JobKey>,
}

impl FileRecord {
    pub fn of(meta: &std::fs::Metadata, hash: Option<Digest>) -> Self {
        Self {
            hash,
            len: meta.len(),
            modified_ns: nanos(meta.modified().ok()),
            inode: inode(meta),
            job: None,
        }
    }

    #[must_use]
    pub fn without_job(mut self) -> Self {
        self.job = None;
        self
    }
}

/// Every file of one output folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The output folder, absolute, as it was named when written.
    pub output_dir: PathBuf,
    /// When the folder went live (nanoseconds since the epoch).
    pub live_since_ns: u64,
    pub files: HashMap<String, FileRecord>,
}

impl Manifest {
    pub fn new(output_dir: &Path, files: HashMap<String, FileRecord>) -> Self {
        Self {
            output_dir: absolute(output_dir),
            live_since_ns: nanos(Some(SystemTime::now())),
            files,
        }
    }

    /// Whether this manifest was written for a folder at `output_dir`.
    pub fn is_for(&self, output_dir: &Path) -> bool {
        self.output_dir == absolute(output_dir)
    }

    /// Whether this manifest was written for `output_dir`, which still carries the marker.
    pub fn describes(&self, output_dir: &Path) -> bool {
        self.is_for(output_dir) && output_dir.join(super::MARKER).is_file()
    }

    /// Whether the file at `output_path` in `output_dir` still holds the bytes `record`
    /// describes.
    pub fn still_holds(&self, output_dir: &Path, output_path: &str, record: &FileRecord) -> bool {
        let Some(relative) = super::safe_relative(output_path) else {
            return false;
        };
        let path = output_dir.join(relative);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return false;
        };
        let same = meta.is_file()
            && meta.len() == record.len
            && nanos(meta.modified().ok()) == record.modified_ns
            && inode(&meta) == record.inode;
        if !same {
            return false;
        }
        let racy = record.modified_ns.saturating_add(nanos_of(RACY_WINDOW)) >= self.live_since_ns;
        if racy {
            let Some(hash) = record.hash else {
                return false;
            };
            return std::fs::read(&path).is_ok_and(|bytes| Digest::of(&bytes) == hash);
        }
        true
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn nanos_of(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

fn nanos(time: Option<SystemTime>) -> u64 {
    time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, nanos_of)
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}
