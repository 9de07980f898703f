//! Watching the site's sources with notify, and turning bursts of events into one rebuild.
//!
//! Watched: `trailmark.yaml` and everything under `content/`, `static/`, `templates/`,
//! `themes/` and `data/` (a folder created after start is picked up), and the git
//! repository's HEAD reflog, which a commit, an amend, a reset or a checkout appends to:
//! "last updated" dates come from the history, reported as
//! [`crate::source::history::HISTORY_INPUT`]. Not watched: the
//! output folder, anything else at the root, and the files editors leave around while
//! saving (`.foo.md.swp`, `foo.md~`, `#foo.md#`, `.#foo.md`, Vim's `4913` probe, other
//! hidden files), whose names the build ignores too. An atomic save (write a temp file,
//! rename it over the original) shows up as the rename of a watched name, so it counts.
//!
//! Debouncing: after the first relevant event, events keep being collected until the
//! stream has been quiet for the debounce window (or for at most [`MAX_WAIT`]), so a save
//! that touches several files, or a burst of saves, gives one rebuild; while git holds the
//! repository's `index.lock` (a checkout writing the working tree), until it lets go (or
//! for at most [`GIT_MAX_WAIT`]), so a checkout is one rebuild too.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use super::ServeError;
use crate::source::IgnoreRules;

/// Folders of a site whose changes trigger a rebuild.
pub const WATCHED_FOLDERS: [&str; 5] = ["content", "static", "templates", "themes", "data"];

/// The longest a burst of events can postpone a rebuild.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// The longest a git operation in progress (its `index.lock` held: a checkout, a stash,
/// a rebase writing the working tree) can postpone a rebuild: its files come with gaps
/// longer than the debounce window (a large file written), and a rebuild in a gap would
/// serve half of one commit and half of the other.
pub const GIT_MAX_WAIT: Duration = Duration::from_secs(3);

/// One batch of changes, ready to rebuild.
pub struct Batch {
    /// Site-relative paths that changed, sorted.
    pub paths: Vec<String>,
    /// When the first event of the batch arrived.
    pub first_event: Instant,
}

pub struct SiteWatcher {
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    watched: BTreeSet<String>,
    /// Absolute output folder; its events are ignored.
    output_dir: Option<PathBuf>,
    /// The repository's HEAD reflog, when the site is in one.
    head_reflog: Option<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `root` (absolute).
    pub fn start(root: &Path) -> Result<Self, ServeError> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(sender).map_err(ServeError::Watcher)?;
        let mut this = Self {
            watcher,
            events,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
            output_dir: None,
            head_reflog: None,
        };
        this.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|source| ServeError::Watch {
                path: root.to_path_buf(),
                source,
            })?;
        this.watch_new_folders();
        // The reflog's folder, not the file: git may replace it rather than append.
        this.head_reflog = crate::source::history::head_reflog(root).filter(|reflog| {
            reflog.parent().is_some_and(|logs| {
                this.watcher
                    .watch(logs, RecursiveMode::NonRecursive)
                    .is_ok()
            })
        });
        Ok(this)
    }

    /// Events inside this folder are ignored from now on.
    pub fn set_output_dir(&mut self, output_dir: Option<PathBuf>) {
        self.output_dir = output_dir.map(|dir| {
            let dir = if dir.is_absolute() {
                dir
            } else {
                self.root.join(dir)
            };
            dir.canonicalize().unwrap_or(dir)
        });
    }

    fn watch_new_folders(&mut self) {
        for folder in WATCHED_FOLDERS {
            let path = self.root.join(folder);
            if !self.watched.contains(folder)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder.to_string());
            }
        }
        // A folder that was removed must be watched again when it comes back.
        let gone: Vec<String> = self
            .watched
            .iter()
            .filter(|f| !self.root.join(f).is_dir())
            .cloned()
            .collect();
        for folder in gone {
            let _ = self.watcher.unwatch(&self.root.join(&folder));
            self.watched.remove(&folder);
        }
    }

    /// Blocks until a batch of relevant changes has settled; `None` when watching stopped.
    /// `on_first` runs as soon as the first relevant event of a batch arrives.
    pub fn next_batch(&mut self, quiet: Duration, on_first: &dyn Fn()) -> Option<Batch> {
        let mut paths = BTreeSet::new();
        let first_event = loop {
            let event = self.events.recv().ok()?;
            if self.collect(event, &mut paths) {
                on_first();
                break Instant::now();
            }
        };
        // Once git let go, one more quiet window: the events of its last files may still be
        // on their way.
        let mut waited_for_git = false;
        loop {
            let git_busy = self.git_busy() && first_event.elapsed() < GIT_MAX_WAIT;
            let left = MAX_WAIT.saturating_sub(first_event.elapsed());
            let settling = waited_for_git && !git_busy;
            waited_for_git |= git_busy;
            if left.is_zero() && !git_busy && !settling {
                break;
            }
            let wait = if git_busy || settling {
                quiet
            } else {
                quiet.min(left)
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    self.collect(event, &mut paths);
                }
                Err(RecvTimeoutError::Timeout) if git_busy => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if settling {
                waited_for_git = false;
            }
        }
        self.watch_new_folders();
        Some(Batch {
            paths: paths.into_iter().collect(),
            first_event,
        })
    }

    /// Whether git is writing the repository (it holds `index.lock` while a checkout, a
    /// stash or a merge updates the index and the working tree).
    fn git_busy(&self) -> bool {
        self.head_reflog
            .as_deref()
            .and_then(|reflog| reflog.parent()?.parent())
            .is_some_and(|git_dir| git_dir.join("index.lock").exists())
    }

    /// Adds the event's relevant paths; true if there were any.
    fn collect(&self, event: notify::Result<notify::Event>, paths: &mut BTreeSet<String>) -> bool {
        let Ok(event) = event else {
            // The watcher lost track (queue overflow): rebuild to be safe.
            paths.insert("(watcher overflow)".into());
            return true;
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let mut any = false;
        for path in &event.paths {
            if let Some(relative) = self.relevant(path) {
                paths.insert(relative);
                any = true;
            }
        }
        any
    }

    /// The site-relative name of `path` if a change to it can change the site.
    fn relevant(&self, path: &Path) -> Option<String> {
        if self.head_reflog.as_deref() == Some(path) {
            return Some(crate::source::history::HISTORY_INPUT.to_string());
        }
        if let Some(output) = &self.output_dir
            && path.starts_with(output)
        {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let first = parts.first()?;
        let watched = (parts.len() == 1 && first == crate::config::CONFIG_FILE)
            || WATCHED_FOLDERS.contains(&first.as_str());
        let editor_noise = parts
            .iter()
            .any(|p| IgnoreRules::default().is_ignored(p) || p == "4913");
        (watched && !editor_noise).then(|| parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_and_editor_files_do_not() {
        let dir = tempfile_dir();
        let mut watcher = SiteWatcher::start(&dir).unwrap();
        watcher.set_output_dir(Some(dir.join("public")));
        let yes = [
            "trailmark.yaml",
            "content/a.md",
            "static/x/y.css",
            "templates/page.html",
        ];
        for p in yes {
            assert_eq!(watcher.relevant(&dir.join(p)).as_deref(), Some(p), "{p}");
        }
        let no = [
            "public/index.html",
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/.#a.md",
            "content/4913",
            "README.md",
            "target/x",
            "content/.git/x",
        ];
        for p in no {
            assert_eq!(watcher.relevant(&dir.join(p)), None, "{p}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("trailmark-watch-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }
}
