//! `trailmark init`: writes a small starter site with one page of every kind; and
//! `trailmark new` (in `content.rs`): one lesson, course or module file.
//!
//! The starter files live in `src/scaffold/site/` and are built into the binary, so the
//! scaffold always matches the version of Trailmark that writes it.

mod content;

pub use content::{NewContent, NewError, new_content};

use std::fs;
use std::path::Path;

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

/// Creates the starter site in `dir`, which must be missing or empty. Returns the number
/// of files written.
pub fn create(dir: &Path) -> Result<usize, String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    // Stored without its dot, so that it does not ignore files in this repository.
    let gitignore = dir.join(".gitignore");
    fs::write(&gitignore, include_str!("site/gitignore"))
        .map_err(|e| format!("cannot write {}: {e}", gitignore.display()))?;
    fs::create_dir_all(dir.join("static")).map_err(|e| format!("cannot create static/: {e}"))?;
    Ok(FILES.len() + 1)
}
