//! `trailmark new lesson|course|module <path>`: one new content file with the front matter
//! its kind expects, filled with placeholders that say what to write.
//!
//! Paths are relative to `content/` (a leading `content/` is accepted too). A lesson is a
//! Markdown file (`.md` is added when missing, `.markdown` kept); a course or module is a folder, and gets its
//! `_index.md`. Existing files are never overwritten, and a file the build would refuse
//! (its output collides with another's, or is a reserved name such as `con`) is taken back
//! with the build's own diagnostic.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::content::split_file_stem;
use crate::diagnostics::{Code, Diagnostic, did_you_mean, one_of};
use crate::graph::title_from_name;

/// Why `trailmark new` created nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The content model does not allow it there; the diagnostic says what would be right.
    #[error("{}", .0.message)]
    NotAllowed(Box<Diagnostic>),
    /// `root` holds no `trailmark.yaml`.
    #[error("no {} in {}; run this in a site folder or pass --root", crate::config::CONFIG_FILE, .0.display())]
    NoSite(PathBuf),
    /// The path as given leaves `content/` or is empty.
    #[error("`{0}` must be a path inside content/, such as courses/intro/01-basics.md")]
    BadPath(String),
    /// The file to write (`content/...`) exists.
    #[error("{0} already exists; choose another name")]
    Exists(String),
    /// A folder on the way is a link leading out of the site.
    #[error(
        "{0} would be written outside the site (a folder on the way is a symlink leading out); refusing"
    )]
    Outside(String),
    /// The disk refused: `action` is `create` (a folder) or `write` (the file).
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
}

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
) -> Result<String, NewError> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(NewError::NoSite(root.to_path_buf()));
    }
    let relative = content_relative(path)?;
    let file = match kind {
        NewContent::Lesson => {
            // Both extensions the build reads are kept as asked (`04-q.markdown`).
            if relative
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
            {
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
        return Err(NewError::Exists(display));
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
        return Err(NewError::Outside(display));
    }
    let folder = file
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    // A course or module is a folder: what holds it is the folder above.
    let container = match kind {
        NewContent::Lesson => folder.clone(),
        NewContent::Course | NewContent::Module => folder
            .rsplit_once('/')
            .map_or(String::new(), |(above, _)| above.to_string()),
    };
    check_place(root, kind, &container, &display)?;
    let text = match kind {
        NewContent::Lesson => lesson(&title),
        NewContent::Course => course(&title, &folder),
        NewContent::Module => module(&title, &folder),
    };
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|source| NewError::Io {
            action: "create",
            path: parent.display().to_string(),
            source,
        })?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .map_err(|source| NewError::Io {
            action: "write",
            path: display.clone(),
            source,
        })?;
    // The build decides what collides (`print` beside the course's print page, `con`, two
    // `05-x` slugs): check the site with the new file and take it back if the build would
    // refuse it, with the build's own diagnostic.
    if let Some(problem) = build_refuses(root, &display) {
        let _ = fs::remove_file(&target);
        remove_empty_parents(root, &target);
        return Err(NewError::NotAllowed(Box::new(problem)));
    }
    Ok(display)
}

/// The first error a `check` of the site gives about `display` (the file just written, or
/// an output it collides with), if any.
fn build_refuses(root: &Path, display: &str) -> Option<Diagnostic> {
    let mut options = crate::build::BuildOptions::new(root);
    options.write = false;
    options.index_search = false;
    options.use_cache = false;
    options.include_drafts = true;
    options.include_future = true;
    let report = crate::build::build(&options);
    let mentions = |d: &Diagnostic| {
        d.file == display
            || d.message.contains(&format!("{display}:"))
            || d.message.contains(&format!("{display},"))
            || d.message.ends_with(display)
    };
    report
        .diagnostics
        .iter()
        .find(|d| d.is_error() && mentions(d))
        .cloned()
}

/// Removes the folders `new` created for a file it took back (empty ones only, up to
/// `content/`).
fn remove_empty_parents(root: &Path, target: &Path) {
    let content = root.join("content");
    let mut dir = target.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(&content) && *d != content) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The `kind:` of the section in `content/{folder}`: `None` when the folder does not exist,
/// `section` when it has no `_index.md` or no `kind:`.
fn section_kind(root: &Path, folder: &str) -> Option<String> {
    let dir = root.join("content").join(folder);
    if !dir.is_dir() {
        return None;
    }
    let text = fs::read_to_string(dir.join("_index.md")).unwrap_or_default();
    let text = crate::front_matter::normalize(&text);
    let kind = crate::front_matter::split(&text)
        .ok()
        .and_then(|split| crate::front_matter::parse(&split).ok())
        .and_then(|fm| fm.fields.get("kind")?.as_str().map(str::to_string));
    Some(kind.unwrap_or_else(|| "section".to_string()))
}

/// Folders under `content/` whose section is of one of `kinds`, sorted.
fn sections_of_kind(root: &Path, kinds: &[&str]) -> Vec<String> {
    let content = root.join("content");
    let mut found: Vec<String> = walkdir::WalkDir::new(&content)
        .min_depth(1)
        .max_depth(4)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_dir())
        .filter_map(|entry| {
            let folder = entry
                .path()
                .strip_prefix(&content)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let kind = section_kind(root, &folder)?;
            kinds.contains(&kind.as_str()).then_some(folder)
        })
        .collect();
    found.sort();
    found
}

/// The content model: a lesson goes in a course or a module, a module in a course, and a
/// course anywhere but inside another course, module or blog.
fn check_place(
    root: &Path,
    kind: NewContent,
    container: &str,
    display: &str,
) -> Result<(), NewError> {
    let allowed: &[&str] = match kind {
        NewContent::Lesson => &["course", "module"],
        NewContent::Module => &["course"],
        NewContent::Course => {
            let mut folder = container.to_string();
            while !folder.is_empty() {
                if let Some(found) = section_kind(root, &folder)
                    && ["course", "module", "blog", "journey"].contains(&found.as_str())
                {
                    return Err(refuse(
                        display,
                        format!(
                            "a course cannot go inside content/{folder}, which is a `kind: {found}` section"
                        ),
                        "put the course in a folder of its own, such as courses/NAME".to_string(),
                    ));
                }
                folder = folder
                    .rsplit_once('/')
                    .map_or(String::new(), |(above, _)| above.to_string());
            }
            return Ok(());
        }
    };
    let found = if container.is_empty() {
        Some("the content folder itself".to_string())
    } else {
        section_kind(root, container)
    };
    if found.as_deref().is_some_and(|k| allowed.contains(&k)) {
        return Ok(());
    }
    let what = kind.name();
    let holders = allowed.join(" or a ");
    let candidates = sections_of_kind(root, allowed);
    let near = did_you_mean(container, candidates.iter().map(String::as_str));
    let example = |folder: &str| {
        let name = display
            .rsplit('/')
            .nth(usize::from(kind != NewContent::Lesson))
            .unwrap_or("NAME");
        format!(
            "`trailmark new {what} {folder}/{}`",
            name.trim_end_matches(".md")
        )
    };
    let help = match (near, candidates.as_slice()) {
        (Some(near), _) => format!("did you mean {}?", example(near)),
        (None, []) if kind == NewContent::Module => {
            format!("create the course first: `trailmark new course {container}`")
        }
        (None, []) => "create a course first: `trailmark new course courses/NAME`".to_string(),
        (None, [only]) => format!("create it in content/{only}: {}", example(only)),
        (None, some) => {
            let shown: Vec<&str> = some.iter().take(5).map(String::as_str).collect();
            format!(
                "create it in one of {}, for example {}",
                one_of(&shown),
                example(shown.first().copied().unwrap_or("courses/NAME"))
            )
        }
    };
    let message = match found {
        None => {
            format!("cannot create a {what} in content/{container}: there is no such {holders}")
        }
        Some(found) if container.is_empty() => {
            format!("a {what} cannot go in {found}: it belongs in a {holders}")
        }
        Some(found) => format!(
            "a {what} cannot go in content/{container}, which is a `kind: {found}` section; \
             a {what} belongs in a {holders}"
        ),
    };
    Err(refuse(display, message, help))
}

fn refuse(display: &str, message: String, help: String) -> NewError {
    NewError::NotAllowed(Box::new(
        Diagnostic::error(display, 0, 0, message)
            .with_code(Code::NewNotAllowed)
            .with_help(help),
    ))
}

/// The path under `content/`, refusing anything that would leave it.
fn content_relative(path: &str) -> Result<PathBuf, NewError> {
    let trimmed = path.trim().trim_start_matches("./");
    let trimmed = trimmed.strip_prefix("content/").unwrap_or(trimmed);
    let relative = PathBuf::from(trimmed);
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if trimmed.is_empty() || !plain {
        return Err(NewError::BadPath(path.to_string()));
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
            content_relative("content/courses/a.md").ok(),
            Some(PathBuf::from("courses/a.md"))
        );
        assert_eq!(content_relative("./x/y").ok(), Some(PathBuf::from("x/y")));
        for bad in ["", "../x.md", "/etc/x.md", "a/../../b"] {
            assert!(content_relative(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"Say "hi" \ bye"#), r#""Say \"hi\" \\ bye""#);
    }
}
