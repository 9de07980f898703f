//! "Last updated" dates for content files: from git history when the site is in a git
//! repository, else from the file's modification time.
//!
//! The history is read with ONE `git log` for the whole `content/` folder (a process per page
//! would cost seconds on a large handbook), and parsed here: each commit prints a marker line
//! with its commit time, then the files it touched; the first (newest) time seen for a file is
//! its last update.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::content::Date;

/// A file's last update, by content-relative path (`handbook/tools.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    committed: HashMap<String, Date>,
}

/// The name `serve`'s watcher reports a change of the git history by (a commit, an amend,
/// a reset, a checkout): the history is an input of the build like the files are.
pub const HISTORY_INPUT: &str = "(git history)";

/// The file git appends to whenever the site's repository moves its `HEAD` (a commit, an
/// amend, a reset, a checkout: the HEAD reflog), for `serve` to watch; `None` when the site
/// is not in a repository, git is missing or the reflog is off.
pub fn head_reflog(root: &Path) -> Option<std::path::PathBuf> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--absolute-git-dir"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let git_dir = String::from_utf8(output.stdout).ok()?;
    let reflog = Path::new(git_dir.trim_end_matches(['\n', '\r']))
        .join("logs")
        .join("HEAD");
    reflog.is_file().then_some(reflog)
}

/// Marks a commit line in the log, so that no file name can be mistaken for one.
const COMMIT_MARKER: &str = "\u{1}commit ";

/// A history being read on its own thread ([`History::read_in_background`]).
pub struct PendingHistory {
    root: std::path::PathBuf,
    reading: Option<std::thread::JoinHandle<History>>,
}

impl PendingHistory {
    /// The history, once `git log` has finished; read here instead if the thread could not
    /// be started or did not finish.
    pub fn wait(self) -> History {
        match self.reading.map(std::thread::JoinHandle::join) {
            Some(Ok(history)) => history,
            _ => History::read(&self.root),
        }
    }
}

impl History {
    /// Starts reading the history of `root/content` on another thread. `git log` takes
    /// 8-40 ms even on a small site, most of it waiting for the process; a build walks its
    /// folders and loads its templates meanwhile.
    pub fn read_in_background(root: &Path) -> PendingHistory {
        let owned = root.to_path_buf();
        let reading = std::thread::Builder::new()
            .name("git-history".into())
            .spawn(move || History::read(&owned))
            .ok();
        PendingHistory {
            root: root.to_path_buf(),
            reading,
        }
    }

    /// Reads the history of `root/content`; empty when git is missing or the site is not in
    /// a repository (every file then falls back to its modification time).
    pub fn read(root: &Path) -> History {
        let content = root.join("content");
        let output = Command::new("git")
            .arg("-C")
            .arg(&content)
            .args([
                "-c",
                "core.quotePath=false",
                "log",
                "--no-renames",
                "--relative",
                "--name-only",
                "--format=\u{1}commit %ct",
                "--",
                ".",
            ])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output();
        match output {
            Ok(out) if out.status.success() => Self::parse(&String::from_utf8_lossy(&out.stdout)),
            _ => History::default(),
        }
    }

    /// Parses `git log --name-only --format=<marker>%ct` output (newest commit first).
    pub fn parse(log: &str) -> History {
        let mut committed = HashMap::new();
        let mut current: Option<Date> = None;
        for line in log.lines() {
            if let Some(seconds) = line.strip_prefix(COMMIT_MARKER) {
                current = seconds.trim().parse::<i64>().ok().and_then(date_of_unix);
            } else if !line.is_empty()
                && let Some(date) = current
            {
                committed.entry(line.to_string()).or_insert(date);
            }
        }
        History { committed }
    }

    /// When `doc_id` last changed: its newest commit, else its modification time.
    pub fn last_updated(&self, doc_id: &str, source_path: &Path) -> Option<Date> {
        self.committed.get(doc_id).copied().or_else(|| {
            let modified = std::fs::metadata(source_path).ok()?.modified().ok();
            date_of_time(modified)
        })
    }

    /// [`History::last_updated`] for a file whose modification time is known.
    pub fn last_updated_at(&self, doc_id: &str, modified: Option<SystemTime>) -> Option<Date> {
        self.committed
            .get(doc_id)
            .copied()
            .or_else(|| date_of_time(modified))
    }
}

fn date_of_time(modified: Option<SystemTime>) -> Option<Date> {
    let seconds = modified?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    date_of_unix(i64::try_from(seconds).ok()?)
}

/// The day of a Unix time. Pages show only the day they were updated, so the time of day
/// is dropped: a second edit on the same day then leaves the page's data unchanged.
fn date_of_unix(seconds: i64) -> Option<Date> {
    let zoned = jiff::Timestamp::from_second(seconds)
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC);
    Some(Date {
        year: zoned.year(),
        month: zoned.month(),
        day: zoned.day(),
        seconds: None,
        offset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins() {
        let log = "\u{1}commit 1767225600\n\nhandbook/a.md\n\n\u{1}commit 1735689600\n\nhandbook/a.md\nhandbook/b b.md\n";
        let history = History::parse(log);
        let date = |id: &str| history.committed.get(id).map(Date::iso_date);
        assert_eq!(date("handbook/a.md").as_deref(), Some("2026-01-01"));
        assert_eq!(date("handbook/b b.md").as_deref(), Some("2025-01-01"));
        assert_eq!(date("handbook/c.md"), None);
    }
}
