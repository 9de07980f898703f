//! `trailmark init`: writes a small starter site with one page of every kind; and
//! `trailmark new` (in `content.rs`): one lesson, course or module file.
//!
//! The starter files live in `src/scaffold/site/` and are built into the binary, so the
//! scaffold always matches the version of Trailmark that writes it.

mod content;

pub use content::{NewContent, NewError, new_content};

use std::fs;
use std::path::{Path, PathBuf};

macro_rules! starter {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("site/", $path)))),*]
    };
}

const FILES: &[(&str, &str)] = starter!(
    "trailmark.yaml",
    "content/_index.md",
    "content/blog/_index.md",
    "content/blog/2026-01-15-hello.md",
    "content/courses/_index.md",
    "content/courses/first-course/_index.md",
    "content/courses/first-course/01-getting-started.md",
    "content/case-studies/_index.md",
    "content/case-studies/example-client.md",
    "content/handbook/_index.md",
    "content/handbook/01-how-we-work.md",
);

/// Why `trailmark init` could not write the starter site.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{} is not empty; choose a new folder", .0.display())]
    NotEmpty(PathBuf),
    /// `action` is what was tried: `read`, `create` or `write`.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ScaffoldError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Creates the starter site in `dir`, which must be missing or empty. Returns the number
/// of files written.
pub fn create(dir: &Path) -> Result<usize, ScaffoldError> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|source| ScaffoldError::io("read", dir, source))?
            .next()
            .is_none();
        if !empty {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|source| ScaffoldError::io("create", parent, source))?;
        }
        fs::write(&target, text).map_err(|source| ScaffoldError::io("write", &target, source))?;
    }
    // Stored without its dot, so that it does not ignore files in this repository.
    let gitignore = dir.join(".gitignore");
    fs::write(&gitignore, include_str!("site/gitignore"))
        .map_err(|source| ScaffoldError::io("write", &gitignore, source))?;
    fs::create_dir_all(dir.join("static"))
        .map_err(|source| ScaffoldError::io("create", Path::new("static/"), source))?;
    Ok(FILES.len() + 1)
}
