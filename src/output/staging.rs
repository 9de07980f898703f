//! The staging folder of one build, filled while the site is still being rendered.
//!
//! `build` creates a [`Staging`] before the pipeline runs and hands it to the render stage
//! as an [`OutputSink`]: every finished job is queued for the writer thread at once, so the
//! site is never held whole in memory and writing overlaps rendering. Folders are created
//! when a file first needs them (a failed create is retried once after `create_dir_all`),
//! so each is made once.
//!
//! When the previous output folder holds the same bytes at the same path (its [`Manifest`]
//! says so, and the file still has the size, modification time and inode recorded there),
//! the file is hard-linked into the staging folder instead of written: no new inode, no
//! copy. Any failure to link falls back to writing. The staging folder replaces the output
//! only in [`Staging::commit`]; dropping an uncommitted `Staging` removes it, so a failed
//! build leaves the previous site untouched.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::manifest::{FileRecord, Manifest};
use super::{MARKER, OutputContent, OutputFile, fatal, safe_relative};
use crate::diagnostics::Diagnostic;

/// Receives a build's files as soon as they are finished.
pub trait OutputSink: Send + Sync {
    /// Takes freshly made bytes for `output_path`. Returns what the caller keeps in memory:
    /// the same bytes when a later step needs them (the search index), otherwise nothing.
    fn put(&self, output_path: &str, bytes: Arc<[u8]>) -> Arc<[u8]>;
    /// The job at `output_path` would produce exactly the previous build's file there: puts
    /// that file in place. Returns the bytes to keep, as [`OutputSink::put`] does, or
    /// `None` when the previous file cannot be used and the caller must render instead.
    fn put_previous(&self, output_path: &str) -> Option<Arc<[u8]>>;
}

/// How many files may wait for the writer; bounds the memory of a build that renders
/// faster than the disk takes files (512 held 55-61 MB at the peak of a 10,000-page build,
/// list pages being up to 1.5 MB; 64 still keeps the writer busy).
const QUEUE: usize = 64;

/// One file for the writer thread.
enum Task {
    /// Write these bytes (whose hash is given).
    Write {
        output_path: String,
        bytes: Arc<[u8]>,
        hash: [u8; 32],
    },
    /// Hard-link the previous output's file, which `record` describes (checked).
    Link {
        output_path: String,
        record: FileRecord,
    },
    /// Copy a file of the site.
    Copy {
        output_path: String,
        source: PathBuf,
    },
}

/// A staging folder beside the output folder, being filled.
///
/// Files are created by one writer thread, fed through a bounded queue by the threads that
/// render: on the ext4 of the machines we measured, creating files and folders from two
/// threads at once made each `openat` and `mkdir` about four times slower (kernel
/// contention), so one writer overlapping the render is faster than parallel writes.
pub struct Staging {
    shared: Arc<Shared>,
    queue: Mutex<Option<SyncSender<Task>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Keep bytes in memory after writing them (the search index reads every page).
    retain: bool,
    /// Output paths already queued (the writer may not have reached them yet).
    queued: Mutex<HashSet<String>>,
    committed: AtomicBool,
}

/// What the writer thread and the render threads share.
struct Shared {
    dir: PathBuf,
    output_dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// What the current output folder holds, checked file by file before any reuse.
    previous: Option<Manifest>,
    /// Every file in the staging folder so far, for the next build's manifest.
    records: Mutex<HashMap<String, FileRecord>>,
    /// Folders of the staging folder made so far.
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; the build then fails and nothing is replaced.
    failure: Mutex<Option<Diagnostic>>,
    linked: AtomicUsize,
}

impl Staging {
    /// Checks the output folder is safe to replace, clears stale staging folders of killed
    /// builds, creates this build's staging folder with the marker in it and starts the
    /// writer.
    pub fn create(
        site_root: &Path,
        output_dir: &Path,
        previous: Option<Manifest>,
        retain: bool,
    ) -> Result<Self, Diagnostic> {
        super::check_output_dir(site_root, output_dir)?;
        let parent = match output_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| fatal(&parent, format!("cannot create folder: {e}")))?;
        let name = output_dir
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        super::remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.trailmark-staging-{}", std::process::id()));
        let shared = Arc::new(Shared {
            dir,
            output_dir: output_dir.to_path_buf(),
            parent,
            name,
            previous: previous.filter(|m| m.describes(output_dir)),
            records: Mutex::new(HashMap::new()),
            made_dirs: Mutex::new(HashSet::new()),
            failure: Mutex::new(None),
            linked: AtomicUsize::new(0),
        });
        let staging = Self {
            shared: Arc::clone(&shared),
            queue: Mutex::new(None),
            writer: Mutex::new(None),
            retain,
            queued: Mutex::new(HashSet::new()),
            committed: AtomicBool::new(false),
        };
        // On failure, dropping `staging` removes whatever part of the folder was made.
        shared.prepare()?;
        let (sender, receiver) = sync_channel::<Task>(QUEUE);
        let writer = std::thread::Builder::new()
            .name("trailmark-writer".into())
            .spawn(move || {
                for task in receiver {
                    if !shared.failed()
                        && let Err(d) = shared.run(task)
                    {
                        shared.fail(d);
                    }
                }
            })
            .map_err(|e| fatal(&staging.shared.dir, format!("cannot start writing: {e}")))?;
        *lock(&staging.queue) = Some(sender);
        *lock(&staging.writer) = Some(writer);
        Ok(staging)
    }

    /// Files hard-linked from the previous output instead of written.
    pub fn linked(&self) -> usize {
        self.shared.linked.load(Ordering::Relaxed)
    }

    fn send(&self, task: Task) {
        let (Task::Write { output_path, .. }
        | Task::Link { output_path, .. }
        | Task::Copy { output_path, .. }) = &task;
        lock(&self.queued).insert(output_path.clone());
        let sender = lock(&self.queue).clone();
        let sent = sender.is_some_and(|s| s.send(task).is_ok());
        if !sent {
            self.shared
                .fail(fatal(&self.shared.dir, "the writer stopped early"));
        }
    }

    /// Queues `bytes`, or a link to the previous build's identical file.
    fn queue_bytes(&self, output_path: &str, bytes: Arc<[u8]>) {
        let hash = *blake3::hash(&bytes).as_bytes();
        if let Some(record) = self.shared.previous_record(output_path)
            && record.hash == Some(hash)
            && record.len == bytes.len() as u64
        {
            let record = record.clone().without_job();
            self.send(Task::Link {
                output_path: output_path.to_string(),
                record,
            });
        } else {
            self.send(Task::Write {
                output_path: output_path.to_string(),
                bytes,
                hash,
            });
        }
    }

    /// Queues every file of `files` not already put while rendering.
    pub fn put_rest(&self, files: Vec<OutputFile>) {
        let done = std::mem::take(&mut *lock(&self.queued));
        for file in files {
            if done.contains(&file.output_path) {
                continue;
            }
            match file.content {
                OutputContent::Bytes(bytes) => self.queue_bytes(&file.output_path, bytes.into()),
                OutputContent::Static(bytes) => self.queue_bytes(&file.output_path, bytes.into()),
                OutputContent::Shared(bytes) => self.queue_bytes(&file.output_path, bytes),
                OutputContent::Copy(source) => self.send(Task::Copy {
                    output_path: file.output_path,
                    source,
                }),
            }
        }
    }

    /// Waits for the writer, then replaces the output folder with the staging folder,
    /// atomically, unless a write failed. Returns the manifest of the new output folder.
    pub fn commit(&self) -> Result<Manifest, Diagnostic> {
        self.stop_writer();
        let shared = &self.shared;
        if let Some(failure) = lock(&shared.failure).take() {
            return Err(failure);
        }
        let files = std::mem::take(&mut *lock(&shared.records));
        let manifest = Manifest::new(&shared.output_dir, files);
        super::swap_in(
            &shared.dir,
            &shared.output_dir,
            &shared.parent,
            &shared.name,
        )?;
        self.committed.store(true, Ordering::SeqCst);
        Ok(manifest)
    }

    fn stop_writer(&self) {
        drop(lock(&self.queue).take());
        if let Some(writer) = lock(&self.writer).take()
            && writer.join().is_err()
        {
            self.shared
                .fail(fatal(&self.shared.dir, "the writer thread panicked"));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.stop_writer();
        if !self.committed.load(Ordering::SeqCst) {
            let _ = fs::remove_dir_all(&self.shared.dir);
        }
    }
}

impl OutputSink for Staging {
    fn put(&self, output_path: &str, bytes: Arc<[u8]>) -> Arc<[u8]> {
        if self.shared.failed() {
            return bytes;
        }
        self.queue_bytes(output_path, Arc::clone(&bytes));
        if self.retain { bytes } else { Arc::from([]) }
    }

    fn put_previous(&self, output_path: &str) -> Option<Arc<[u8]>> {
        let record = self.shared.previous_record(output_path)?.clone();
        let bytes = if self.retain {
            let source = self.shared.output_dir.join(safe_relative(output_path)?);
            Arc::from(fs::read(source).ok()?)
        } else {
            Arc::from([])
        };
        self.send(Task::Link {
            output_path: output_path.to_string(),
            record,
        });
        Some(bytes)
    }
}

impl Shared {
    fn prepare(&self) -> Result<(), Diagnostic> {
        let staging = &self.dir;
        if staging.exists() {
            fs::remove_dir_all(staging)
                .map_err(|e| fatal(staging, format!("cannot clear staging folder: {e}")))?;
        }
        fs::create_dir_all(staging)
            .map_err(|e| fatal(staging, format!("cannot create staging folder: {e}")))?;
        // The marker goes in first so a half-written staging folder is recognisably ours.
        fs::write(
            staging.join(MARKER),
            b"This folder was written by Trailmark and is replaced on every build.\n",
        )
        .map_err(|e| fatal(staging, format!("cannot write: {e}")))
    }

    /// The previous build's record of `output_path`, when the file there is still exactly
    /// what the record describes.
    fn previous_record(&self, output_path: &str) -> Option<&FileRecord> {
        let previous = self.previous.as_ref()?;
        let record = previous.files.get(output_path)?;
        previous
            .still_holds(&self.output_dir, output_path, record)
            .then_some(record)
    }

    fn failed(&self) -> bool {
        lock(&self.failure).is_some()
    }

    fn fail(&self, diagnostic: Diagnostic) {
        let mut failure = lock(&self.failure);
        if failure.is_none() {
            *failure = Some(diagnostic);
        }
    }

    fn target(&self, output_path: &str) -> Result<PathBuf, Diagnostic> {
        safe_relative(output_path)
            .map(|relative| self.dir.join(relative))
            .ok_or_else(|| {
                fatal(
                    Path::new(output_path),
                    "refusing to write outside the output folder",
                )
            })
    }

    /// Makes the folder of `target` unless this build made it already, then runs `make`.
    /// Pages are `x/index.html`, each in a folder of its own: making the folder first
    /// rather than failing the create and retrying saves a third of the system calls of
    /// writing (13,000 failed opens at 10,000 pages, a second of system time here).
    fn with_parent<T>(
        &self,
        target: &Path,
        make: impl Fn() -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        if let Some(dir) = target.parent()
            && dir != self.dir
            && !lock(&self.made_dirs).contains(dir)
        {
            match fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) if e.kind() == ErrorKind::NotFound => fs::create_dir_all(dir)?,
                Err(e) => return Err(e),
            }
            lock(&self.made_dirs).insert(dir.to_path_buf());
        }
        make()
    }

    fn run(&self, task: Task) -> Result<(), Diagnostic> {
        let (output_path, record) = match task {
            Task::Write {
                output_path,
                bytes,
                hash,
            } => {
                let target = self.target(&output_path)?;
                let meta = self
                    .with_parent(&target, || fs::File::create(&target))
                    .and_then(|mut file| file.write_all(&bytes).map(|()| file))
                    .and_then(|file| file.metadata())
                    .map_err(|e| fatal(&target, format!("cannot write: {e}")))?;
                (output_path, FileRecord::of(&meta, Some(hash)))
            }
            Task::Link {
                output_path,
                record,
            } => {
                let target = self.target(&output_path)?;
                let source = self
                    .output_dir
                    .join(safe_relative(&output_path).unwrap_or_default());
                if self
                    .with_parent(&target, || fs::hard_link(&source, &target))
                    .is_ok()
                {
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    (output_path, record)
                } else {
                    // Another device, or a file system without hard links: copy instead.
                    let meta = self
                        .with_parent(&target, || fs::copy(&source, &target))
                        .and_then(|_| fs::metadata(&target))
                        .map_err(|e| fatal(&target, format!("cannot write: {e}")))?;
                    (output_path, FileRecord::of(&meta, record.hash))
                }
            }
            Task::Copy {
                output_path,
                source,
            } => {
                let target = self.target(&output_path)?;
                let meta = self
                    .with_parent(&target, || fs::copy(&source, &target))
                    .and_then(|_| fs::metadata(&target))
                    .map_err(|e| fatal(&target, format!("cannot write: {e}")))?;
                (output_path, FileRecord::of(&meta, None))
            }
        };
        lock(&self.records).insert(output_path, record);
        Ok(())
    }
}

/// Locks `mutex`, also after a panic elsewhere (the data is plain records).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
