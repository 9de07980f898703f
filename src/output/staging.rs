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
//! copy. Any failure to link falls back to writing. A file is always written as a new
//! inode ([`create_fresh`]): whatever is at its place in the staging folder may be a hard
//! link to the live site's file, and opening it for writing would change the live site. A
//! second file for an output path already queued fails the build instead of replacing the
//! first (the plan's collision check finds those before anything renders; this is the
//! backstop). The staging folder replaces the output
//! only in [`Staging::commit`]; dropping an uncommitted `Staging` removes it, so a failed
//! build leaves the previous site untouched.
//!
//! **The spare generation.** Building the staging folder from nothing costs a folder, a
//! file or link, and later an unlink of the old file and of its folder per page, even when
//! nothing changed: on the 10,000-page benchmark that was 1-2 s of a 6 s warm build. So
//! when the build has a cache folder, the folder the exchange pushes out (the previous
//! site, mostly hard links to the same files as the new one, so it costs little space) is
//! kept there as the *spare* instead of being deleted, with its manifest. The next build
//! renames the spare into the staging place and updates it in place: a file whose record
//! still holds and whose bytes are wanted again stays, any other is unlinked first (it may
//! share its inode with the live site, so it is never written through) and written anew,
//! and whatever the new site does not contain is removed before the exchange. A walk of
//! the spare at the start finds everything in it, also files its manifest does not know,
//! so the result is exactly the new site. The live folder is never touched until the
//! exchange, so every promise above holds; a spare that cannot be claimed is removed and
//! the staging folder starts empty.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::manifest::{FileRecord, Manifest};
use super::{MARKER, OutputContent, OutputFile, fatal, safe_relative};
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;

/// What a sink keeps in memory of a file it has taken ([`OutputSink::put`]), made from the
/// file's bytes on the thread that made them.
pub type Retain = fn(&[u8]) -> Vec<u8>;

/// Receives a build's files as soon as they are finished.
pub trait OutputSink: Send + Sync {
    /// Takes freshly made bytes for `output_path`. Returns what the caller keeps in memory:
    /// what a later step needs of them (the search index: the page's record), otherwise
    /// nothing.
    fn put(&self, output_path: &str, bytes: Arc<[u8]>) -> Arc<[u8]>;
    /// The job at `output_path` would produce exactly the previous build's file there: puts
    /// that file in place. Returns the bytes to keep, as [`OutputSink::put`] does, or
    /// `None` when the previous file cannot be used and the caller must render instead.
    fn put_previous(&self, output_path: &str) -> Option<Arc<[u8]>>;
    /// Puts the previous build's files at `output_paths` in place, keeping no bytes: all
    /// of them when every one still holds what the previous build wrote, else none
    /// (returns false).
    fn keep_previous(&self, output_paths: &[String]) -> bool;
    /// The previous build's file at `output_path`, when it still holds what that build
    /// wrote (the search index reads the pages of a shard it indexes again).
    fn read_previous(&self, output_path: &str) -> Option<Vec<u8>>;
}

/// How many bytes of files may wait for the writer; bounds the memory of a build that
/// renders faster than the disk takes files.
///
/// The writer does not take files at an even pace (a folder or file may take far longer
/// than the one before it). A queue of 64 files (about 1.3 MB of pages) filled up whenever
/// it lagged, and the render threads stopped with it: the render stage of a 10,000-page
/// build kept the two cores 80-90% busy. With room for seconds of the writer's work they
/// stay 96-100% busy; the peak memory of that build grew from 330-340 MB to 350-410 MB.
const QUEUE_BYTES: usize = 64 << 20;

/// One file for the writer thread.
enum Task {
    /// Write these bytes (whose hash is given).
    Write {
        output_path: String,
        bytes: Arc<[u8]>,
        hash: Digest,
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

/// The folder a previous build kept for reuse, and what it held then.
pub struct Spare {
    pub dir: PathBuf,
    /// The manifest of the spare folder (the output folder before the last build), when
    /// the cache has it; without it the spare is removed.
    pub manifest: Option<Manifest>,
}

/// What [`Staging::commit`] leaves behind.
pub struct Committed {
    /// The new output folder's manifest.
    pub manifest: Manifest,
    /// The previous output folder, now kept as the spare, and its manifest.
    pub spare: Option<Manifest>,
}

/// A staging folder beside the output folder, being filled.
///
/// Files are created by one writer thread, fed through a bounded queue by the threads that
/// render: on the ext4 of the machines we measured, creating files and folders from two
/// threads at once made each `openat` and `mkdir` about four times slower (kernel
/// contention), so one writer overlapping the render is faster than parallel writes.
pub struct Staging {
    shared: Arc<Shared>,
    queue: Mutex<Option<Sender<Task>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// What to keep in memory of each file after queuing it for writing (the search index
    /// keeps each page's record, not the page), or nothing.
    retain: Option<Retain>,
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
    /// The bytes waiting for the writer.
    backlog: Backlog,
    /// Files taken from the previous output or kept from the spare, not written.
    linked: AtomicUsize,
    /// Where the output folder pushed out by the exchange is kept for the next build.
    spare_dir: Option<PathBuf>,
    /// The staging folder started as the spare: what it held, by its manifest and by a walk.
    base: Option<SpareBase>,
}

/// A spare claimed as the staging folder.
struct SpareBase {
    manifest: Manifest,
    /// Files found in the folder by the walk at the start, relative and `/`-separated.
    files: Mutex<HashSet<String>>,
    /// Folders found by the walk, parents before children.
    dirs: Mutex<Vec<PathBuf>>,
}

impl Staging {
    /// Checks the output folder is safe to replace, clears stale staging folders of killed
    /// builds, creates this build's staging folder with the marker in it and starts the
    /// writer.
    pub fn create(
        site_root: &Path,
        output_dir: &Path,
        previous: Option<Manifest>,
        retain: Option<Retain>,
        spare: Option<Spare>,
    ) -> Result<Self, Diagnostic> {
        // An output folder that is a symbolic link (`public -> /var/www/site`) is built into
        // the folder it points to: the staging folder goes beside that folder and is
        // exchanged with it, so the link keeps pointing at the live site. Exchanging the link
        // itself would replace it with a real folder and the web root would never change.
        let resolved = super::resolve_output_link(output_dir)?;
        let output_dir = resolved.as_deref().unwrap_or(output_dir);
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
        let spare_dir = spare.as_ref().map(|s| s.dir.clone());
        let previous = previous.filter(|m| m.describes(output_dir));
        // The spare is worth claiming only beside a live site it was pushed out of.
        let base = spare
            .and_then(|spare| claim_spare(spare, output_dir, &dir, previous.is_some()))
            .map(|manifest| SpareBase {
                manifest,
                files: Mutex::new(HashSet::new()),
                dirs: Mutex::new(Vec::new()),
            });
        let shared = Arc::new(Shared {
            dir,
            output_dir: output_dir.to_path_buf(),
            parent,
            name,
            previous,
            records: Mutex::new(HashMap::new()),
            made_dirs: Mutex::new(HashSet::new()),
            failure: Mutex::new(None),
            backlog: Backlog::default(),
            linked: AtomicUsize::new(0),
            spare_dir,
            base,
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
        let (sender, receiver) = channel::<Task>();
        let writer = std::thread::Builder::new()
            .name("trailmark-writer".into())
            .spawn(move || {
                // However the writer stops, no render thread waits for room any more.
                let _closed = CloseOnExit(&shared.backlog);
                // The render threads take a while to send the first file: the walk of a
                // claimed spare happens meanwhile.
                shared.survey_base();
                for task in receiver {
                    let size = task.queued_bytes();
                    if !shared.failed()
                        && let Err(d) = shared.run(task)
                    {
                        shared.fail(d);
                    }
                    shared.backlog.release(size);
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
        if !lock(&self.queued).insert(output_path.clone()) {
            // The plan's collision check keeps this from happening; should it happen all
            // the same, the second file never replaces the first and the build fails.
            self.shared.fail(fatal(
                &self.shared.output_dir.join(output_path),
                "two files for one output path; nothing was replaced",
            ));
            return;
        }
        self.shared.backlog.reserve(task.queued_bytes());
        let sender = lock(&self.queue).clone();
        let sent = sender.is_some_and(|s| s.send(task).is_ok());
        if !sent {
            self.shared
                .fail(fatal(&self.shared.dir, "the writer stopped early"));
        }
    }

    /// Queues `bytes`, or a link to the previous build's identical file.
    fn queue_bytes(&self, output_path: &str, bytes: Arc<[u8]>) {
        let hash = Digest::of(&bytes);
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
    /// atomically, unless a write failed. Returns the manifest of the new output folder,
    /// and of the spare when the previous output was kept as one.
    pub fn commit(&self) -> Result<Committed, Diagnostic> {
        self.stop_writer();
        let shared = &self.shared;
        if let Some(failure) = lock(&shared.failure).take() {
            return Err(failure);
        }
        let files = std::mem::take(&mut *lock(&shared.records));
        shared.prune_base(&files);
        let kept = shared.linked.load(Ordering::Relaxed);
        let manifest = Manifest::new(&shared.output_dir, files);
        let pushed_out = super::swap_in(
            &shared.dir,
            &shared.output_dir,
            &shared.parent,
            &shared.name,
        )?;
        self.committed.store(true, Ordering::SeqCst);
        let spare = pushed_out.and_then(|old| {
            // Kept only when most of it is the same files as the new site (hard links),
            // so the spare costs folders, not a second copy of the site.
            let mostly_shared = kept * 2 >= manifest.files.len();
            let previous = shared.previous.clone();
            match (&shared.spare_dir, previous) {
                (Some(spare_dir), Some(previous)) if mostly_shared => {
                    let kept = fs::create_dir_all(spare_dir.parent().unwrap_or(spare_dir))
                        .and_then(|()| fs::rename(&old, spare_dir));
                    if kept.is_ok() {
                        return Some(previous);
                    }
                    let _ = fs::remove_dir_all(&old);
                    None
                }
                _ => {
                    let _ = fs::remove_dir_all(&old);
                    None
                }
            }
        });
        Ok(Committed { manifest, spare })
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
        if self.committed.load(Ordering::SeqCst) {
            return;
        }
        // A staging folder made from the spare goes back to being the spare: every file in
        // it is trusted again only if it still matches the spare's manifest, and the next
        // walk finds anything this build added, so a half-updated spare is still sound.
        let shared = &self.shared;
        if let (Some(_), Some(spare_dir)) = (&shared.base, &shared.spare_dir)
            && !spare_dir.exists()
            && fs::rename(&shared.dir, spare_dir).is_ok()
        {
            return;
        }
        let _ = fs::remove_dir_all(&shared.dir);
    }
}

impl OutputSink for Staging {
    fn put(&self, output_path: &str, bytes: Arc<[u8]>) -> Arc<[u8]> {
        if self.shared.failed() {
            return bytes;
        }
        let kept = self
            .retain
            .map_or_else(|| Arc::from([]), |keep| Arc::from(keep(&bytes)));
        self.queue_bytes(output_path, bytes);
        kept
    }

    fn put_previous(&self, output_path: &str) -> Option<Arc<[u8]>> {
        // No bytes are kept, even with `retain`: the search index keys a reused page by its
        // job's key and reads it ([`OutputSink::read_previous`]) only when its shard is
        // indexed again, so a build with nothing changed reads no page back.
        let record = self.shared.previous_record(output_path)?.clone();
        self.send(Task::Link {
            output_path: output_path.to_string(),
            record,
        });
        Some(Arc::from([]))
    }

    fn read_previous(&self, output_path: &str) -> Option<Vec<u8>> {
        self.shared.previous_record(output_path)?;
        fs::read(self.shared.output_dir.join(safe_relative(output_path)?)).ok()
    }

    fn keep_previous(&self, output_paths: &[String]) -> bool {
        let records: Option<Vec<FileRecord>> = output_paths
            .iter()
            .map(|path| self.shared.previous_record(path).cloned())
            .collect();
        let Some(records) = records else {
            return false;
        };
        for (output_path, record) in output_paths.iter().zip(records) {
            self.send(Task::Link {
                output_path: output_path.clone(),
                record,
            });
        }
        true
    }
}

impl Shared {
    fn prepare(&self) -> Result<(), Diagnostic> {
        let staging = &self.dir;
        if self.base.is_some() {
            // The spare was an output folder; its marker is written again in case someone
            // removed it (never through: unlinked first, like every file of a spare).
            let _ = fs::remove_file(staging.join(MARKER));
        } else if staging.exists() {
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
        let parent = target.parent().filter(|dir| *dir != self.dir);
        if let Some(dir) = parent
            && !lock(&self.made_dirs).contains(dir)
        {
            match fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) if e.kind() == ErrorKind::NotFound => fs::create_dir_all(dir)?,
                // A file of the spare where a folder goes: cleared below.
                Err(e) if e.kind() == ErrorKind::NotADirectory && self.base.is_some() => {}
                Err(e) => return Err(e),
            }
            lock(&self.made_dirs).insert(dir.to_path_buf());
        }
        match (make(), parent) {
            (Err(e), Some(dir)) if self.base.is_some() && e.kind() == ErrorKind::NotADirectory => {
                // The old site had a file where the new one has a folder on this path.
                self.clear_files_on(dir)?;
                fs::create_dir_all(dir)?;
                make()
            }
            (result, _) => result,
        }
    }

    /// Removes every file (not folder) on the way from the staging folder down to `dir`.
    fn clear_files_on(&self, dir: &Path) -> std::io::Result<()> {
        let Ok(relative) = dir.strip_prefix(&self.dir) else {
            return Ok(());
        };
        let mut path = self.dir.clone();
        for component in relative.components() {
            path.push(component);
            match fs::symlink_metadata(&path) {
                Ok(meta) if !meta.is_dir() => fs::remove_file(&path)?,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        Ok(())
    }

    /// Walks a claimed spare and notes every file and folder in it; anything else (a
    /// symlink someone put there) is removed. The folders count as made.
    fn survey_base(&self) {
        let Some(base) = &self.base else {
            return;
        };
        let mut files = HashSet::new();
        let mut dirs = Vec::new();
        let mut pending = vec![self.dir.clone()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(kind) if kind.is_dir() => {
                        dirs.push(path.clone());
                        pending.push(path);
                    }
                    Ok(kind) if kind.is_file() => {
                        match relative_output_path(&self.dir, &path) {
                            Some(relative) => {
                                files.insert(relative);
                            }
                            // No build writes such a name: not part of any site.
                            None => {
                                let _ = fs::remove_file(&path);
                            }
                        }
                    }
                    _ => {
                        let _ = fs::remove_file(&path);
                    }
                }
            }
        }
        lock(&self.made_dirs).extend(dirs.iter().cloned());
        *lock(&base.files) = files;
        *lock(&base.dirs) = dirs;
    }

    /// Removes from a claimed spare every file the new site does not have, then every
    /// folder the new site does not need, so the staging folder holds exactly the new site.
    fn prune_base(&self, new_files: &HashMap<String, FileRecord>) {
        let Some(base) = &self.base else {
            return;
        };
        for old in lock(&base.files).iter() {
            if old != MARKER && !new_files.contains_key(old) {
                let _ = fs::remove_file(self.dir.join(old));
            }
        }
        // Folders are compared as paths in memory: one `rmdir` per folder that goes, none
        // for the thousands that stay.
        let mut needed = HashSet::new();
        for path in new_files.keys() {
            let mut folder = Path::new(path.as_str());
            while let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty()) {
                if !needed.insert(self.dir.join(parent)) {
                    break;
                }
                folder = parent;
            }
        }
        // Children were found after their parents: deepest first.
        for dir in lock(&base.dirs).iter().rev() {
            if !needed.contains(dir) {
                let _ = fs::remove_dir(dir);
            }
        }
    }

    /// A failed write, named by the file it was for in the output folder (the staging
    /// folder's name means nothing to the reader, and it is gone once the build stops).
    fn cannot_write(&self, output_path: &str, error: &std::io::Error) -> Diagnostic {
        fatal(
            &self.output_dir.join(output_path),
            format!("cannot write: {error}"),
        )
    }

    /// The spare's record of `output_path` when the file there still matches it.
    fn base_record(&self, output_path: &str) -> Option<&FileRecord> {
        let base = self.base.as_ref()?;
        let record = base.manifest.files.get(output_path)?;
        base.manifest
            .still_holds(&self.dir, output_path, record)
            .then_some(record)
    }

    /// Unlinks whatever a claimed spare holds at `target` before it is replaced: the file
    /// may be a hard link to the live site's, which must never be written through. A
    /// folder in the way (the old site had a page where the new one has a file) goes too.
    fn clear_for(&self, target: &Path) -> std::io::Result<()> {
        if self.base.is_none() {
            return Ok(());
        }
        match fs::symlink_metadata(target) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(target),
            Ok(_) => fs::remove_file(target),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            // A file where a folder of the path should be: `with_parent` clears it.
            Err(e) if e.kind() == ErrorKind::NotADirectory => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn run(&self, task: Task) -> Result<(), Diagnostic> {
        let (output_path, record) = match task {
            Task::Write {
                output_path,
                bytes,
                hash,
            } => {
                if let Some(record) = self.base_record(&output_path)
                    && record.hash == Some(hash)
                    && record.len == bytes.len() as u64
                {
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    let record = record.clone().without_job();
                    lock(&self.records).insert(output_path, record);
                    return Ok(());
                }
                let target = self.target(&output_path)?;
                let meta = self
                    .clear_for(&target)
                    .and_then(|()| self.with_parent(&target, || create_fresh(&target)))
                    .and_then(|mut file| file.write_all(&bytes).map(|()| file))
                    .and_then(|file| file.metadata())
                    .map_err(|e| self.cannot_write(&output_path, &e))?;
                (output_path, FileRecord::of(&meta, Some(hash)))
            }
            Task::Link {
                output_path,
                record,
            } => {
                if self
                    .base_record(&output_path)
                    .is_some_and(|base| base.inode == record.inode)
                {
                    // The spare's file is the live one (one inode): nothing to do.
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    lock(&self.records).insert(output_path, record);
                    return Ok(());
                }
                let target = self.target(&output_path)?;
                let source = self
                    .output_dir
                    .join(safe_relative(&output_path).unwrap_or_default());
                if self
                    .clear_for(&target)
                    .and_then(|()| self.with_parent(&target, || fs::hard_link(&source, &target)))
                    .is_ok()
                {
                    self.linked.fetch_add(1, Ordering::Relaxed);
                    (output_path, record)
                } else {
                    // Another device, or a file system without hard links: copy instead.
                    let meta = self
                        .with_parent(&target, || copy_fresh(&source, &target))
                        .map_err(|e| self.cannot_write(&output_path, &e))?;
                    (output_path, FileRecord::of(&meta, record.hash))
                }
            }
            Task::Copy {
                output_path,
                source,
            } => {
                let target = self.target(&output_path)?;
                let meta = self
                    .clear_for(&target)
                    .and_then(|()| self.with_parent(&target, || copy_fresh(&source, &target)))
                    .map_err(|e| self.cannot_write(&output_path, &e))?;
                (output_path, FileRecord::of(&meta, None))
            }
        };
        lock(&self.records).insert(output_path, record);
        Ok(())
    }
}

/// Takes the spare as the staging folder at `staging`: only when the live output it was
/// pushed out of is still described by the cache (`live_known`) and the spare's manifest is
/// for the same output folder. A spare that cannot be used is removed. Returns the spare's
/// manifest once it sits at `staging`.
fn claim_spare(
    spare: Spare,
    output_dir: &Path,
    staging: &Path,
    live_known: bool,
) -> Option<Manifest> {
    let usable = spare
        .manifest
        .filter(|m| live_known && m.is_for(output_dir));
    if !spare.dir.is_dir() {
        return None;
    }
    match usable {
        Some(manifest) if !staging.exists() && fs::rename(&spare.dir, staging).is_ok() => {
            Some(manifest)
        }
        _ => {
            let _ = fs::remove_dir_all(&spare.dir);
            None
        }
    }
}

/// Creates `target` as a new file, never opening one that is there: a file already at
/// `target` may be a hard link to the live site's (or the spare's) file, and writing
/// through it would change the live site. Whatever is there is unlinked first.
fn create_fresh(target: &Path) -> std::io::Result<fs::File> {
    let open = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
    };
    match open() {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            fs::remove_file(target)?;
            open()
        }
        result => result,
    }
}

/// Copies `source` into a new file at `target` ([`create_fresh`]), with the source's
/// permissions as `fs::copy` would give it (a static script stays executable), and returns
/// the new file's metadata.
fn copy_fresh(source: &Path, target: &Path) -> std::io::Result<fs::Metadata> {
    let mut from = fs::File::open(source)?;
    let mut to = create_fresh(target)?;
    std::io::copy(&mut from, &mut to)?;
    to.set_permissions(from.metadata()?.permissions())?;
    to.metadata()
}

/// `path` inside `dir` as an output path (`/`-separated), if it is plain UTF-8.
fn relative_output_path(dir: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

impl Task {
    /// The bytes this task holds while it waits for the writer.
    fn queued_bytes(&self) -> usize {
        match self {
            Task::Write { bytes, .. } => bytes.len(),
            Task::Link { .. } | Task::Copy { .. } => 0,
        }
    }
}

/// How many bytes wait for the writer ([`QUEUE_BYTES`] at most), and whether it still takes
/// any.
#[derive(Default)]
struct Backlog {
    state: Mutex<BacklogState>,
    room: Condvar,
}

#[derive(Default)]
struct BacklogState {
    bytes: usize,
    closed: bool,
}

impl Backlog {
    /// Waits until `size` more bytes fit, then counts them in. A file larger than the whole
    /// budget waits for an empty queue and then goes alone; once the writer has stopped,
    /// nothing waits (the send fails instead).
    fn reserve(&self, size: usize) {
        let mut state = lock(&self.state);
        while !state.closed && state.bytes > 0 && state.bytes + size > QUEUE_BYTES {
            state = self
                .room
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        state.bytes += size;
    }

    /// Counts out `size` bytes the writer is done with.
    fn release(&self, size: usize) {
        let mut state = lock(&self.state);
        state.bytes = state.bytes.saturating_sub(size);
        drop(state);
        self.room.notify_all();
    }
}

/// Closes the backlog when the writer thread ends, also by a panic.
struct CloseOnExit<'a>(&'a Backlog);

impl Drop for CloseOnExit<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).closed = true;
        self.0.room.notify_all();
    }
}

/// Locks `mutex`, also after a panic elsewhere (the data is plain records).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `reserve(size)` on a thread; the receiver hears when it returned.
    fn reserve_on_thread(backlog: &Arc<Backlog>, size: usize) -> mpsc::Receiver<()> {
        let (done, returned) = mpsc::channel();
        let backlog = Arc::clone(backlog);
        std::thread::spawn(move || {
            backlog.reserve(size);
            let _ = done.send(());
        });
        returned
    }

    #[test]
    fn a_full_backlog_holds_senders_until_the_writer_makes_room() {
        let backlog = Arc::new(Backlog::default());
        backlog.reserve(QUEUE_BYTES - 10);
        let returned = reserve_on_thread(&backlog, 20);
        assert!(returned.recv_timeout(Duration::from_millis(100)).is_err());
        backlog.release(QUEUE_BYTES - 10);
        returned.recv_timeout(Duration::from_secs(10)).unwrap();
    }

    #[test]
    fn a_file_larger_than_the_budget_goes_through_alone() {
        let backlog = Arc::new(Backlog::default());
        reserve_on_thread(&backlog, QUEUE_BYTES * 2)
            .recv_timeout(Duration::from_secs(10))
            .unwrap();
        // The next file waits for it.
        let returned = reserve_on_thread(&backlog, 1);
        assert!(returned.recv_timeout(Duration::from_millis(100)).is_err());
        backlog.release(QUEUE_BYTES * 2);
        returned.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(lock(&backlog.state).bytes, 1);
    }

    #[test]
    fn a_write_never_goes_through_a_hard_link_to_the_live_site() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("live.html");
        let staged = dir.path().join("staged.html");
        fs::write(&live, "live").unwrap();
        fs::hard_link(&live, &staged).unwrap();
        create_fresh(&staged).unwrap().write_all(b"new").unwrap();
        assert_eq!(fs::read(&live).unwrap(), b"live");
        assert_eq!(fs::read(&staged).unwrap(), b"new");
        let source = dir.path().join("source");
        fs::write(&source, "copied").unwrap();
        fs::hard_link(&live, dir.path().join("copy")).unwrap();
        copy_fresh(&source, &dir.path().join("copy")).unwrap();
        assert_eq!(fs::read(&live).unwrap(), b"live");
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("run.sh");
        fs::write(&source, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&source, fs::Permissions::from_mode(0o755)).unwrap();
        let meta = copy_fresh(&source, &dir.path().join("copy.sh")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o755);
    }

    #[test]
    fn a_stopped_writer_holds_no_sender() {
        let backlog = Arc::new(Backlog::default());
        backlog.reserve(QUEUE_BYTES);
        let returned = reserve_on_thread(&backlog, 1);
        assert!(returned.recv_timeout(Duration::from_millis(100)).is_err());
        drop(CloseOnExit(&backlog));
        returned.recv_timeout(Duration::from_secs(10)).unwrap();
    }
}
