//! Writing the finished site; the only module that writes to the output folder.
//!
//! A build never edits the live site in place: every file goes into a staging folder beside
//! the output, and the staging folder replaces the output only once everything is written,
//! by an atomic exchange of the two folders where the system has one (Linux). A failure, or
//! a kill, at any point leaves the previous site untouched. A marker file records that a
//! folder was made by Trailmark; a non-empty folder without it is never replaced, and
//! neither is the site root, its `content/`, the home folder or `/`.
//!
//! An output folder that is a symbolic link is built into the folder the link points to
//! (the staging folder sits beside that folder), so `public -> /var/www/site` updates the
//! web root atomically and the link stays a link.
//!
//! [`Staging`] fills the staging folder while the site is still rendering (so a build never
//! holds the whole site in memory) and hard-links files whose bytes are unchanged from the
//! previous output, which its [`Manifest`] describes.

pub mod manifest;
pub mod staging;

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
pub use manifest::Manifest;
pub use staging::{Committed, OutputSink, Retain, Spare, Staging};

/// Written into every output folder; its presence means Trailmark may replace the folder.
pub const MARKER: &str = ".trailmark-output";

/// Bytes for one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContent {
    Bytes(Vec<u8>),
    /// Copied from this file.
    Copy(PathBuf),
    /// Built into the binary (the default theme's static files).
    Static(&'static [u8]),
    /// Rendered bytes shared with a build session's cache (no copy per rebuild).
    Shared(std::sync::Arc<[u8]>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub output_path: String,
    pub content: OutputContent,
}

fn fatal(path: &Path, message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(path.display().to_string(), 0, 0, message.to_string())
        .with_code(crate::diagnostics::Code::CannotWrite)
}

/// Refuses output folders whose replacement would destroy something that is not ours.
pub fn check_output_dir(site_root: &Path, output_dir: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalise(&p)
    };
    let out = absolute(output_dir);
    let root = absolute(site_root);
    let home = std::env::var_os("HOME").map(|h| absolute(Path::new(&h)));
    let refuse = |why: &str| {
        Err(fatal(
            output_dir,
            format!("refusing to use this as the output folder: {why}"),
        ))
    };
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    if home.as_deref() == Some(out.as_path()) {
        return refuse("it is your home folder");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site itself");
    }
    for protected in ["content", "static", "templates", "themes", "data"] {
        if out.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return refuse(
                "it is a non-empty folder Trailmark did not create; empty it or choose another --output",
            );
        }
    }
    Ok(())
}

/// The folder an output path that is a symbolic link points to (links followed to the
/// end), `None` when it is not a link; an error naming the link when it leads nowhere.
pub fn resolve_output_link(output_dir: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let is_link = fs::symlink_metadata(output_dir).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(None);
    }
    let target =
        fs::read_link(output_dir).map_or_else(|_| "?".to_string(), |t| t.display().to_string());
    match fs::canonicalize(output_dir) {
        Ok(resolved) if resolved.is_dir() => Ok(Some(resolved)),
        Ok(resolved) => Err(fatal(
            output_dir,
            format!(
                "the output folder is a symbolic link to `{}`, which is not a folder; point it at a folder or remove the link",
                resolved.display()
            ),
        )),
        Err(e) => Err(fatal(
            output_dir,
            format!(
                "the output folder is a symbolic link to `{target}`, which cannot be followed ({e}); create the folder it points to or remove the link"
            ),
        )),
    }
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A relative output path made only of normal segments, so it cannot leave the folder.
fn safe_relative(output_path: &str) -> Option<PathBuf> {
    let path = Path::new(output_path);
    let ok = !output_path.is_empty()
        && !output_path.contains('\0')
        && !output_path.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| path.to_path_buf())
}

/// Writes `files` as the complete new site at `output_dir`, replacing the previous one only
/// when every file was written.
pub fn write_site(
    site_root: &Path,
    output_dir: &Path,
    files: Vec<OutputFile>,
) -> Result<Manifest, Diagnostic> {
    let staging = Staging::create(site_root, output_dir, None, None, None)?;
    staging.put_rest(files);
    staging.commit().map(|committed| committed.manifest)
}

/// Staging and old folders left by a build that was killed. They are recognised by their
/// exact name (`.<output>.trailmark-staging-<pid>`) and removed when that process is gone;
/// a marker cannot be relied on, since a kill can land before it is written or while a
/// folder is half deleted.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.trailmark-staging-"),
        format!(".{name}.trailmark-old-"),
    ];
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let owner = prefixes
            .iter()
            .find_map(|p| entry_name.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if owner.is_some_and(|pid| is_dir && !process_alive(pid)) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id is running; other builds' staging folders are left alone.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false; // ours, from an earlier call in this process: safe to clear
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        // Without a cheap liveness check, assume the owner is gone: concurrent builds into
        // one output folder are not supported there.
        false
    }
}

/// Puts the staging folder in place of the output folder. Returns where the previous
/// output folder now is, for the caller to keep or remove (a kill before that leaves it
/// under a name [`remove_stale`] clears).
fn swap_in(
    staging: &Path,
    output_dir: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<PathBuf>, Diagnostic> {
    if !output_dir.exists() {
        return fs::rename(staging, output_dir).map(|()| None).map_err(|e| {
            fatal(
                output_dir,
                format!("cannot move the new site into place: {e}"),
            )
        });
    }
    // One atomic exchange: at every instant the output path holds a complete site, the old
    // one or the new one, even if the process is killed right here. Afterwards the staging
    // path holds the old site.
    if exchange(staging, output_dir).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    // File systems without an exchange: two renames, with the old site put back on failure.
    let old = parent.join(format!(".{name}.trailmark-old-{}", std::process::id()));
    fs::rename(output_dir, &old).map_err(|e| fatal(output_dir, format!("cannot replace: {e}")))?;
    fs::rename(staging, output_dir).map_err(|e| {
        let _ = fs::rename(&old, output_dir);
        fatal(
            output_dir,
            format!("cannot move the new site into place: {e}"),
        )
    })?;
    Ok(Some(old))
}

/// Atomically swaps two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_relative("blog/index.html").is_some());
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "./a"] {
            assert!(safe_relative(bad).is_none() || bad == "./a", "{bad}");
        }
        assert!(safe_relative("a/../../b").is_none());
    }
}
