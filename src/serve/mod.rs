//! `trailmark serve`: the dev server. Owns the notify watcher, debouncing, the HTTP server
//! and live reload; no build logic (a [`Session`] from `build` does every rebuild).
//!
//! How it fits together:
//! - the listener is bound first, so the site is built with `base_url` set to the address
//!   it is served at (`http://127.0.0.1:PORT`), and every link points at the dev server;
//! - the site lives in memory (nothing is written to `public/`): each successful rebuild
//!   swaps in a new map of output path to bytes, which is exactly what `build` would write
//!   with the same base URL; a failed rebuild keeps the last good map and publishes the
//!   errors, which open browser tabs show as an overlay;
//! - HTML pages are served with one extra tag, [`LIVE_RELOAD_TAG_START`]...`"></script>`,
//!   inserted before the last `</body>`; it loads the live-reload client, which listens to
//!   server-sent events and reloads the page, swaps changed stylesheets, or shows errors.
//!
//! Files: `watch.rs` (notify, filtering, debouncing), `http.rs` (requests, security,
//! events), `livereload.js` (the browser side).

mod http;
mod watch;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, Finished, Session};
use crate::diagnostics::Diagnostic;

pub use http::{LIVE_RELOAD_TAG_START, LIVE_RELOAD_URL};
pub use watch::{MAX_WAIT, WATCHED_FOLDERS};

/// The default quiet period before a rebuild starts.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(20);

/// How to serve.
pub struct ServeOptions {
    /// `root`, `include_drafts` and `build_date` are used; `base_url` is set to the server's
    /// address and nothing is written.
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is up.
    pub open: bool,
    /// Quiet period that ends a burst of file events.
    pub debounce: Duration,
    pub log: Arc<dyn ServeLog>,
}

/// Receives what the server does; the CLI prints it.
pub trait ServeLog: Send + Sync {
    /// The server is up at `url`, with the first build done.
    fn listening(&self, url: &str, first: &Rebuild<'_>);
    /// A rebuild finished.
    fn rebuilt(&self, rebuild: &Rebuild<'_>);
    /// Something went wrong that does not stop the server.
    fn note(&self, message: &str);
}

/// One build of the site and what it changed, for [`ServeLog`].
pub struct Rebuild<'a> {
    /// 1 for the first build.
    pub number: u64,
    /// Site-relative paths whose change triggered it (empty for the first build).
    pub trigger: &'a [String],
    pub finished: &'a Finished,
    /// Output files added, removed or changed compared with what was served before.
    pub changed_outputs: usize,
    /// From the first file event to the new site being served (the time an author waits);
    /// `None` for the first build.
    pub latency: Option<Duration>,
    /// Part of the latency spent waiting for a burst of events to end.
    pub waited: Duration,
    /// This build had errors: the last good site, if there is one, is still served.
    pub failed: bool,
}

/// The site as currently served.
pub(crate) struct Snapshot {
    /// Counts changes of the served files; starts at 1 with the first good build, 0 while
    /// there has never been one.
    pub generation: u64,
    pub previous_generation: u64,
    /// When the last change touched only stylesheets: their URL paths.
    pub css_only: Option<Vec<String>>,
    pub files: Arc<BTreeMap<String, Arc<[u8]>>>,
    /// Errors of the latest build (empty when it succeeded).
    pub errors: Vec<Diagnostic>,
}

/// What tests and tools can poll: whether the server is idle and what it has built.
#[derive(Default, Clone, Copy)]
pub(crate) struct Activity {
    pub rebuilds: u64,
    pub pending: bool,
    pub building: bool,
}

pub(crate) struct State {
    pub current: RwLock<Arc<Snapshot>>,
    pub activity: Mutex<Activity>,
    pub events: tokio::sync::broadcast::Sender<Arc<str>>,
    /// Changes each time the server starts, so open tabs reload after a restart.
    pub instance: String,
    /// `Host` header values this server answers to (`127.0.0.1:8000`, `localhost:8000`).
    pub allowed_hosts: Vec<String>,
    /// Issue 21: the search bundle, which the live index builds after pages are served.
    pub search: Arc<RwLock<Arc<crate::search::live::Files>>>,
    pub live_search: Option<crate::search::live::LiveIndex>,
}

impl State {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()))
    }

    /// The search bundle now served (issue 21).
    pub fn search_files(&self) -> Arc<crate::search::live::Files> {
        self.search
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()))
    }

    /// Whether the live search index is behind the served site.
    pub fn search_pending(&self) -> bool {
        self.live_search
            .as_ref()
            .is_some_and(crate::search::live::LiveIndex::pending)
    }

    /// Hands the site just served to the live search index (issue 21): indexed on its own
    /// thread, never before the pages are served.
    fn index_for_search(&self, session: &Session, files: &Arc<BTreeMap<String, Arc<[u8]>>>) {
        if let Some(live) = &self.live_search {
            live.submit(
                session.live_search_targets().map(Arc::new),
                Arc::clone(files),
            );
        }
    }

    fn activity(&self, change: impl FnOnce(&mut Activity)) {
        if let Ok(mut a) = self.activity.lock() {
            change(&mut a);
        }
    }
}

/// Addresses that would listen on every network (`0.0.0.0`, `::` in any spelling, after
/// [`IpAddr::to_canonical`]) or on no single host (broadcast, multicast).
fn refused_bind(bind: IpAddr) -> bool {
    match bind.to_canonical() {
        IpAddr::V4(ip) => ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast(),
        IpAddr::V6(ip) => ip.is_unspecified() || ip.is_multicast(),
    }
}

/// A problem that keeps the dev server from starting or running. The texts are what
/// `trailmark serve` prints after `error: `.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to bind {0}: it would expose previews on every network; pass the one \
         address to listen on (--bind 127.0.0.1, or this machine's LAN address)"
    )]
    RefusedBind(IpAddr),
    #[error("cannot listen on {bind}:{port}: {source}")]
    Listen {
        bind: IpAddr,
        port: u16,
        source: std::io::Error,
    },
    #[error("cannot read the bound address: {0}")]
    BoundAddress(std::io::Error),
    #[error("cannot open the site folder {}: {source}", path.display())]
    SiteFolder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the rebuild thread: {0}")]
    RebuildThread(std::io::Error),
    #[error("cannot watch files: {0}")]
    Watcher(notify::Error),
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: std::path::PathBuf,
        source: notify::Error,
    },
    #[error("cannot use the listener: {0}")]
    Listener(std::io::Error),
    #[error("cannot start the server runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the server stopped: {0}")]
    Stopped(std::io::Error),
}

/// Runs the dev server until the process is stopped. Errors are problems that prevent it
/// from starting (the port is taken, the address is not local, no file watching).
#[allow(clippy::needless_pass_by_value)] // the server owns its options until it stops
pub fn serve(mut options: ServeOptions) -> Result<(), ServeError> {
    // `::ffff:0.0.0.0` is `0.0.0.0` to the kernel: decide on the address as it is used.
    options.bind = options.bind.to_canonical();
    if refused_bind(options.bind) {
        return Err(ServeError::RefusedBind(options.bind));
    }
    let listener =
        TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|source| {
            ServeError::Listen {
                bind: options.bind,
                port: options.port,
                source,
            }
        })?;
    let address = listener.local_addr().map_err(ServeError::BoundAddress)?;
    let host = match address.ip() {
        IpAddr::V4(ip) => format!("{ip}:{}", address.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", address.port()),
    };
    let base_url = format!("http://{host}");
    let mut allowed_hosts = vec![host.clone()];
    if address.ip().is_loopback() {
        allowed_hosts.push(format!("localhost:{}", address.port()));
    }

    let root = options
        .build
        .root
        .canonicalize()
        .map_err(|source| ServeError::SiteFolder {
            path: options.build.root.clone(),
            source,
        })?;
    let mut build_options = options.build.clone();
    build_options.root.clone_from(&root);
    build_options.base_url = Some(base_url.clone());
    build_options.write = false;
    build_options.output = None;
    build_options.progress = None;
    // Issue 21: the session never indexes for search; the live index does, after serving.
    build_options.index_search = false;

    // Watch before the first build so edits made during it are not lost.
    let mut watcher = watch::SiteWatcher::start(&root)?;
    let mut session = Session::incremental(build_options);
    let started = Instant::now();
    let (finished, files) = session.run_in_memory();
    watcher.set_output_dir(finished.output_dir.clone());
    let ok = !finished.diagnostics.has_errors();
    let snapshot = Snapshot {
        generation: u64::from(ok),
        previous_generation: 0,
        css_only: None,
        files: Arc::new(if ok { files } else { BTreeMap::new() }),
        errors: errors_of(&finished),
    };
    let (events, _) = tokio::sync::broadcast::channel(16);
    let search = Arc::new(RwLock::new(Arc::new(BTreeMap::new())));
    let published = Arc::clone(&search);
    let search_log = Arc::clone(&options.log);
    let live_search = crate::search::live::LiveIndex::start(move |bundle| match bundle {
        Ok(files) => {
            if let Ok(mut current) = published.write() {
                *current = Arc::new(files);
            }
        }
        Err(problem) => search_log.note(&format!("search index: {}", problem.headline())),
    });
    let state = Arc::new(State {
        current: RwLock::new(Arc::new(snapshot)),
        activity: Mutex::new(Activity {
            rebuilds: 1,
            ..Activity::default()
        }),
        events,
        instance: format!("{:x}", started_nanos()),
        allowed_hosts,
        search,
        live_search,
    });
    if ok {
        state.index_for_search(&session, &state.snapshot().files);
    }
    let first = Rebuild {
        number: 1,
        trigger: &[],
        finished: &finished,
        changed_outputs: state.snapshot().files.len(),
        latency: None,
        waited: Duration::ZERO,
        failed: !ok,
    };
    let _ = started;
    options.log.listening(&format!("{base_url}/"), &first);
    drop(finished);

    let rebuild_state = Arc::clone(&state);
    let log = Arc::clone(&options.log);
    let debounce = options.debounce;
    std::thread::Builder::new()
        .name("trailmark-rebuild".into())
        .spawn(move || rebuild_loop(&mut watcher, &mut session, &rebuild_state, &*log, debounce))
        .map_err(ServeError::RebuildThread)?;

    if options.open {
        open_browser(&format!("{base_url}/"), &*options.log);
    }
    http::run(listener, state)
}

fn started_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
        ^ u128::from(std::process::id())
}

fn errors_of(finished: &Finished) -> Vec<Diagnostic> {
    finished
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect()
}

fn rebuild_loop(
    watcher: &mut watch::SiteWatcher,
    session: &mut Session,
    state: &State,
    log: &dyn ServeLog,
    debounce: Duration,
) {
    let mut number = 1;
    while let Some(batch) = watcher.next_batch(debounce, &|| state.activity(|a| a.pending = true)) {
        let build_started = Instant::now();
        state.activity(|a| {
            a.pending = false;
            a.building = true;
        });
        let (finished, files) = session.rebuild_in_memory(&batch.paths);
        watcher.set_output_dir(finished.output_dir.clone());
        number += 1;
        let previous = state.snapshot();
        let errors = errors_of(&finished);
        let failed = !errors.is_empty();
        let mut changed_outputs = 0;
        let next = if failed {
            Snapshot {
                generation: previous.generation,
                previous_generation: previous.previous_generation,
                css_only: previous.css_only.clone(),
                files: Arc::clone(&previous.files),
                errors,
            }
        } else {
            let changed = changed_paths(&previous.files, &files);
            changed_outputs = changed.len();
            if changed.is_empty() && previous.generation > 0 {
                Snapshot {
                    generation: previous.generation,
                    previous_generation: previous.previous_generation,
                    css_only: previous.css_only.clone(),
                    files: Arc::clone(&previous.files),
                    errors,
                }
            } else {
                let css_only = changed
                    .iter()
                    .all(|(path, kind)| {
                        *kind == Change::Modified
                            && std::path::Path::new(path)
                                .extension()
                                .is_some_and(|e| e.eq_ignore_ascii_case("css"))
                    })
                    .then(|| changed.iter().map(|(p, _)| format!("/{p}")).collect());
                Snapshot {
                    generation: previous.generation + 1,
                    previous_generation: previous.generation,
                    css_only,
                    files: Arc::new(files),
                    errors,
                }
            }
        };
        let message = http::state_message(&state.instance, &next);
        // The live search index is handed the site before it is served, so that no status
        // request sees the new pages with `search_pending` still false.
        if !failed {
            state.index_for_search(session, &next.files);
        }
        if let Ok(mut current) = state.current.write() {
            *current = Arc::new(next);
        }
        let _ = state.events.send(message);
        let latency = batch.first_event.elapsed();
        // Reported before the server counts as idle, so whoever waits for idleness (tests,
        // benchmark scripts) finds the report already written.
        log.rebuilt(&Rebuild {
            number,
            trigger: &batch.paths,
            finished: &finished,
            changed_outputs,
            latency: Some(latency),
            waited: build_started.saturating_duration_since(batch.first_event),
            failed,
        });
        state.activity(|a| {
            a.building = false;
            a.rebuilds = number;
        });
    }
    log.note("file watching stopped; the site will no longer update");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Removed,
    Modified,
}

fn changed_paths(
    old: &BTreeMap<String, Arc<[u8]>>,
    new: &BTreeMap<String, Arc<[u8]>>,
) -> Vec<(String, Change)> {
    let mut changed = Vec::new();
    for (path, bytes) in new {
        match old.get(path) {
            None => changed.push((path.clone(), Change::Added)),
            Some(before) if !Arc::ptr_eq(before, bytes) && before[..] != bytes[..] => {
                changed.push((path.clone(), Change::Modified));
            }
            Some(_) => {}
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            changed.push((path.clone(), Change::Removed));
        }
    }
    changed
}

fn open_browser(url: &str, log: &dyn ServeLog) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        log.note(&format!(
            "cannot open a browser ({program}: {e}); open {url} yourself"
        ));
    }
}
