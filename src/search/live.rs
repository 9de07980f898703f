//! `serve`'s search index, kept up to date on a thread of its own so that no page waits for
//! it: the server hands over each site it serves ([`LiveIndex::submit`]), the thread takes
//! the latest one after a short quiet period (a burst of saves is indexed once), cuts out
//! the records of pages whose bytes changed, indexes again only the shards whose records
//! changed, and publishes the bundle (the same files `build` writes for the same pages).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::{Record, loader, plan, shard_files};
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;
use crate::output::{OutputContent, OutputFile};

/// Files by output path, as `serve` holds the site.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// How long the thread waits for more edits before it indexes.
const QUIET: Duration = Duration::from_millis(150);

/// A page to index, by where the site holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub output_path: String,
    /// As [`Record::url`].
    pub url: String,
    /// As [`Record::origin`].
    pub origin: String,
}

struct Work {
    number: u64,
    /// `None`: the site has no search (the bundle is empty).
    targets: Option<Arc<Vec<Target>>>,
    files: Arc<Files>,
}

/// What the thread publishes: the bundle's files, or why it could not be built (the last
/// bundle stays).
pub type Published = Result<Files, Diagnostic>;

/// The indexing thread and how far it got.
pub struct LiveIndex {
    sender: mpsc::Sender<Work>,
    submitted: AtomicU64,
    done: Arc<AtomicU64>,
}

impl LiveIndex {
    /// Starts the thread; `publish` receives each bundle made. `None` when no thread can be
    /// started.
    pub fn start(publish: impl Fn(Published) + Send + 'static) -> Option<Self> {
        let (sender, receiver) = mpsc::channel::<Work>();
        let done = Arc::new(AtomicU64::new(0));
        let progress = Arc::clone(&done);
        std::thread::Builder::new()
            .name("search-live".into())
            .spawn(move || run(&receiver, &progress, &publish))
            .ok()?;
        Some(Self {
            sender,
            submitted: AtomicU64::new(0),
            done,
        })
    }

    /// Hands over the site now served: `targets` are the pages to index, in the build's
    /// order (`None` when the site has no search), and `files` holds their rendered bytes.
    pub fn submit(&self, targets: Option<Arc<Vec<Target>>>, files: Arc<Files>) {
        let number = self.submitted.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.sender.send(Work {
            number,
            targets,
            files,
        });
    }

    /// Whether a site handed over is not indexed yet.
    pub fn pending(&self) -> bool {
        self.done.load(Ordering::SeqCst) < self.submitted.load(Ordering::SeqCst)
    }
}

/// The thread: indexes the latest site handed over, until the server goes away.
fn run(receiver: &mpsc::Receiver<Work>, done: &AtomicU64, publish: &dyn Fn(Published)) {
    let mut state = State::default();
    while let Ok(mut work) = receiver.recv() {
        // Coalesce: wait for the burst to end, keep the latest site.
        loop {
            std::thread::sleep(QUIET);
            let mut newer = false;
            while let Ok(next) = receiver.try_recv() {
                work = next;
                newer = true;
            }
            if !newer {
                break;
            }
        }
        let result = if let Some(targets) = &work.targets {
            state.update(targets, &work.files)
        } else {
            state = State::default();
            Ok(Files::new())
        };
        publish(result);
        done.store(work.number, Ordering::SeqCst);
    }
}

/// What the thread keeps between sites: each page's record with the bytes it was cut from,
/// and each shard's key and files.
#[derive(Default)]
struct State {
    records: HashMap<String, (Arc<[u8]>, Record)>,
    shards: Vec<(Digest, Vec<OutputFile>)>,
}

impl State {
    fn update(&mut self, targets: &[Target], files: &Files) -> Published {
        let mut records = Vec::with_capacity(targets.len());
        let mut kept = HashMap::with_capacity(targets.len());
        for target in targets {
            let Some(page) = files.get(&target.output_path) else {
                continue;
            };
            let record = match self.records.remove(&target.output_path) {
                Some((bytes, record))
                    if (Arc::ptr_eq(&bytes, page) || bytes[..] == page[..])
                        && record.url == target.url =>
                {
                    record
                }
                _ => Record::of_page(target.url.clone(), target.origin.clone(), Arc::clone(page)),
            };
            kept.insert(
                target.output_path.clone(),
                (Arc::clone(page), record.clone()),
            );
            records.push(record);
        }
        self.records = kept;
        let shards = plan(records);
        let count = shards.len();
        let mut made = Vec::with_capacity(count);
        let previous_count = self.shards.len();
        for shard in shards {
            let key = shard.key;
            let previous = self
                .shards
                .get(shard.number)
                .filter(|(previous, _)| *previous == key && previous_count == count);
            let files = match previous {
                Some((_, files)) => files.clone(),
                None => shard.index(&|_| None)?,
            };
            made.push((key, files));
        }
        self.shards = made;
        let mut bundle = Files::new();
        let all = self
            .shards
            .iter()
            .flat_map(|(_, files)| shard_files(files.clone(), count))
            .chain(loader(count));
        for file in all {
            bundle.insert(file.output_path, bytes_of(file.content));
        }
        Ok(bundle)
    }
}

fn bytes_of(content: OutputContent) -> Arc<[u8]> {
    match content {
        OutputContent::Bytes(bytes) => bytes.into(),
        OutputContent::Shared(bytes) => bytes,
        OutputContent::Static(bytes) => bytes.into(),
        OutputContent::Copy(_) => Arc::from([]),
    }
}
