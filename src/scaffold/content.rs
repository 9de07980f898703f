//! `trailmark new lesson|course|module <path>`: one new content file with the front matter
//! its kind expects, filled with placeholders that say what to write.
//!
//! Paths are relative to `content/` (a leading `content/` is accepted too). A lesson is a
//! Markdown file (`.md` is added when missing); a course or module is a folder, and gets its
//! `_index.md`. Existing files are never overwritten.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::content::split_file_stem;
use crate::graph::title_from_name;

/// What `trailmark new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewContent {
    Lesson,
    Course,
    Module,
}

impl NewContent {
    pub fn name(self) -> &'static str {
        match self {
            NewContent::Lesson => "lesson",
            NewContent::Course => "course",
            NewContent::Module => "module",
        }
    }
}

/// Creates the file for `kind` at `path` inside the site at `root`; returns the file's
/// site-relative path (`content/courses/intro/01-basics.md`).
pub fn new_content(
    root: &Path,
    kind: NewContent,
    path: &str,
    title: Option<&str>,
) -> Result<String, String> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(format!(
            "no {} in {}; run this in a site folder or pass --root",
            crate::config::CONFIG_FILE,
            root.display()
        ));
    }
    let relative = content_relative(path)?;
    let file = match kind {
        NewContent::Lesson => {
            if relative.extension().is_some_and(|e| e == "md") {
                relative
            } else {
                relative.with_extension("md")
            }
        }
        NewContent::Course | NewContent::Module => {
            if relative.file_name().is_some_and(|n| n == "_index.md") {
                relative
            } else {
                relative.join("_index.md")
            }
        }
    };
    // The title comes from the file name, or the folder's for `_index.md` and `index.md`.
    let named = match file.file_stem().and_then(|s| s.to_str()) {
        Some("_index" | "index") => file.parent().and_then(Path::file_name),
        _ => file.file_stem(),
    }
    .and_then(|s| s.to_str())
    .unwrap_or("untitled");
    let (_, _, bare) = split_file_stem(named);
    let title = title.map_or_else(|| title_from_name(bare), str::to_string);
    let display = format!("content/{}", file.to_string_lossy().replace('\\', "/"));
    let target = root.join("content").join(&file);
    // `symlink_metadata`: a dangling link at the target exists too (writing would follow it).
    if fs::symlink_metadata(&target).is_ok() {
        return Err(format!("{display} already exists; choose another name"));
    }
    // The folders on the way may be links: where the deepest existing one resolves decides.
    let mut existing = target.parent();
    while let Some(dir) = existing.filter(|d| !d.exists()) {
        existing = dir.parent();
    }
    let inside = match (existing.map(Path::canonicalize), root.canonicalize()) {
        (Some(Ok(dir)), Ok(root)) => dir.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err(format!(
            "{display} would be written outside the site (a folder on the way is a symlink leading out); refusing"
        ));
    }
    let folder = file
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let text = match kind {
        NewContent::Lesson => lesson(&title),
        NewContent::Course => course(&title, &folder),
        NewContent::Module => module(&title, &folder),
    };
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .map_err(|e| format!("cannot write {display}: {e}"))?;
    Ok(display)
}

/// The path under `content/`, refusing anything that would leave it.
fn content_relative(path: &str) -> Result<PathBuf, String> {
    let trimmed = path.trim().trim_start_matches("./");
    let trimmed = trimmed.strip_prefix("content/").unwrap_or(trimmed);
    let relative = PathBuf::from(trimmed);
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if trimmed.is_empty() || !plain {
        return Err(format!(
            "`{path}` must be a path inside content/, such as courses/intro/01-basics.md"
        ));
    }
    Ok(relative)
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn lesson(title: &str) -> String {
    format!(
        "---
title: {}
description: \"One sentence for the outline, lists and search\"
duration: 30m                # 20m, 1h30m, 90 min; or teaching: 20 and exercises: 10
objectives:
  - \"What a learner will be able to do after this lesson\"
questions:
  - \"A question this lesson answers\"
keypoints:
  - \"A point to remember\"
---

Introduce the lesson: why it matters and what the learner will do.

## First step

Teach one thing at a time.

::: challenge
## Try it

Describe an exercise the learner can do on their own.

:::: solution
Explain a good answer, and the common mistakes.
::::
:::

::: instructor
Notes for whoever runs this lesson with a group: timings, what to watch for. They appear
only in the course's instructor view.
:::
",
        quoted(title)
    )
}

fn course(title: &str, folder: &str) -> String {
    format!(
        "---
kind: course
title: {}
description: \"What the course is about, in one sentence\"
level: beginner
audience: \"Who the course is for\"
objectives:
  - \"What learners will be able to do at the end\"
prerequisites:
  - \"What learners need before they start\"
instructors: [\"Your name\"]
certificate: true
---

Describe the course: who it is for and how it is organised.

Add lessons with `trailmark new lesson {folder}/01-first-lesson`, or modules with
`trailmark new module {folder}/01-first-module`.
",
        quoted(title)
    )
}

fn module(title: &str, folder: &str) -> String {
    format!(
        "---
kind: module
title: {}
description: \"What this module covers, in one sentence\"
---

Introduce the module. Add its lessons with `trailmark new lesson {folder}/01-first-lesson`.
",
        quoted(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_content() {
        assert_eq!(
            content_relative("content/courses/a.md"),
            Ok(PathBuf::from("courses/a.md"))
        );
        assert_eq!(content_relative("./x/y"), Ok(PathBuf::from("x/y")));
        for bad in ["", "../x.md", "/etc/x.md", "a/../../b"] {
            assert!(content_relative(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"Say "hi" \ bye"#), r#""Say \"hi\" \\ bye""#);
    }
}
