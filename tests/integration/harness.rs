//! A small harness: fixture sites in temp folders, built through the real `trailmark`
//! binary, with helpers to read what a user would look at.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BUILD_DATE: &str = "2026-06-01";

pub struct Site {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The `path:line:col: severity: message` lines, without snippets and without the
    /// `[TM0301]` code at their end: the code of each kind of problem is pinned once, by
    /// the cases under tests/codes/ (see codes.rs), so other tests need not repeat it.
    pub fn diagnostics(&self) -> Vec<String> {
        self.coded_diagnostics()
            .into_iter()
            .map(|line| strip_code(&line).to_string())
            .collect()
    }

    /// The `path:line:col: severity: message [code]` lines, as printed.
    pub fn coded_diagnostics(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .map(str::to_string)
            .collect()
    }
}

/// A headline without its trailing ` [TM0301]`.
pub fn strip_code(line: &str) -> &str {
    match line.rfind(" [TM") {
        Some(at) if line.ends_with(']') && line.len() - at == 9 => &line[..at],
        _ => line,
    }
}

impl Site {
    /// Replaces the first `from` in the file at `path` with `to`; the file must hold it.
    #[track_caller]
    pub fn replace(&self, path: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.root().join(path)).unwrap();
        assert!(text.contains(from), "{path} has no {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Runs `git ARGS` in the site's folder as a test author, at `date` (author and
    /// committer), with no user or system git config.
    pub fn git(&self, args: &[&str], date: &str) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.root())
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git is installed");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }

    /// An empty site with a minimal config.
    pub fn new() -> Self {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "trailmark.yaml",
            "title: Test site\nbase_url: https://example.org\n",
        );
        site
    }

    /// An empty folder, without even a config.
    pub fn empty() -> Self {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, text: &str) -> &Self {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
        self
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.root().join(path)).unwrap();
        self
    }

    /// Runs `trailmark <args>` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run trailmark");
        Run::from(output)
    }

    /// `trailmark build` with a fixed build date.
    pub fn build(&self) -> Run {
        self.run(&["build", "--build-date", BUILD_DATE])
    }

    pub fn check(&self) -> Run {
        self.run(&["check", "--build-date", BUILD_DATE])
    }

    /// A file of the built site, as text.
    #[track_caller]
    pub fn read(&self, output_path: &str) -> String {
        let path = self.public().join(output_path);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, output_path: &str) -> bool {
        self.public().join(output_path).exists()
    }

    /// Every file of the built site, relative and sorted.
    pub fn outputs(&self) -> Vec<String> {
        let mut files = Vec::new();
        collect(&self.public(), &self.public(), &mut files);
        files.sort();
        files
    }
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            files.push(
                path.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

/// Asserts `haystack` contains `needle`, showing the haystack when it does not.
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find {needle:?} in:\n{haystack}"
    );
}

#[track_caller]
pub fn assert_not_contains(haystack: &str, needle: &str) {
    assert!(
        !haystack.contains(needle),
        "expected NOT to find {needle:?} in:\n{haystack}"
    );
}

/// Asserts every `id="…"` in `html` is unique and every same-page link (`href="#…"`) has a
/// target.
pub fn assert_ids_unique_and_linked(html: &str) {
    let values = |pattern: &str| -> Vec<String> {
        html.match_indices(pattern)
            .filter_map(|(at, _)| {
                let rest = &html[at + pattern.len()..];
                rest.find('"').map(|end| rest[..end].to_string())
            })
            .filter(|value| !value.is_empty())
            .collect()
    };
    let ids = values(" id=\"");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "repeated ids: {ids:?}");
    for link in values(" href=\"#") {
        assert!(ids.contains(&link), "#{link} has no target on the page");
    }
}

/// The one bless switch for every golden and reference file of the test suite: with
/// `TRAILMARK_BLESS=1`, comparisons rewrite the expected files instead of failing. Review the
/// diff of what it rewrote like any other change.
pub fn blessing() -> bool {
    std::env::var_os("TRAILMARK_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `actual` with the golden file at `golden_path`, or rewrites it when
/// [`blessing`]. A difference fails with every differing line (up to 20), numbered, so a
/// change is readable without opening the files.
#[track_caller]
pub fn assert_golden(golden_path: &Path, actual: &[u8]) {
    if blessing() {
        if let Some(parent) = golden_path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(golden_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(golden_path).unwrap_or_else(|_| {
        panic!(
            "missing {}; run with TRAILMARK_BLESS=1 to create it",
            golden_path.display()
        )
    });
    if expected == actual {
        return;
    }
    let (expected, actual) = (
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual),
    );
    let (want, got): (Vec<&str>, Vec<&str>) =
        (expected.lines().collect(), actual.lines().collect());
    let mut report = String::new();
    let mut shown = 0;
    for line in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(line), got.get(line));
        if w == g {
            continue;
        }
        shown += 1;
        if shown > 20 {
            report.push_str("... more differing lines\n");
            break;
        }
        if let Some(w) = w {
            let _ = writeln!(report, "{:>5} - {w}", line + 1);
        }
        if let Some(g) = g {
            let _ = writeln!(report, "{:>5} + {g}", line + 1);
        }
    }
    panic!(
        "{} differs (- expected, + actual; TRAILMARK_BLESS=1 rewrites it after an intended change):\n{report}",
        golden_path.display()
    );
}

/// Every file below `dir`, relative (with `/`) and sorted, with its bytes. A missing folder
/// is an empty tree.
pub fn read_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// What differs between the tree `expected` and the tree `actual`: files missing from
/// `actual`, extra files in it, and for each file that differs a unified diff of its first
/// differing lines. `None` when the trees are equal byte for byte.
pub fn tree_difference(expected: &Path, actual: &Path) -> Option<String> {
    let (want, got) = (read_tree(expected), read_tree(actual));
    let mut report = String::new();
    for rel in want.keys().filter(|rel| !got.contains_key(*rel)) {
        let _ = writeln!(report, "missing: {rel}");
    }
    for rel in got.keys().filter(|rel| !want.contains_key(*rel)) {
        let _ = writeln!(report, "extra: {rel}");
    }
    for (rel, bytes) in &got {
        if let Some(expected_bytes) = want.get(rel)
            && expected_bytes != bytes
        {
            let _ = writeln!(report, "different: {rel}");
            report.push_str(&unified_diff(rel, expected_bytes, bytes));
        }
    }
    (!report.is_empty()).then_some(report)
}

/// A unified diff (`---`/`+++`, one `@@` hunk with three lines of context) of the first
/// differing lines of two texts; at most 20 changed lines, so a change is readable in the
/// test's output. Files that are not UTF-8 are compared as lossy text.
pub fn unified_diff(name: &str, expected: &[u8], actual: &[u8]) -> String {
    const CONTEXT: usize = 3;
    const SHOWN: usize = 20;
    let (expected, actual) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let want: Vec<&str> = expected.split_inclusive('\n').collect();
    let got: Vec<&str> = actual.split_inclusive('\n').collect();
    let first = (0..want.len().max(got.len()))
        .find(|&i| want.get(i) != got.get(i))
        .unwrap_or(0);
    // The end of the differing run: the lines both texts end with, not reaching back
    // before `first` (which is at most the shorter text's length).
    let common_tail = want
        .iter()
        .rev()
        .zip(got.iter().rev())
        .take_while(|(w, g)| w == g)
        .count()
        .min(want.len().min(got.len()) - first);
    let (want_end, got_end) = (want.len() - common_tail, got.len() - common_tail);
    let start = first.saturating_sub(CONTEXT);
    let mut out = format!("--- expected/{name}\n+++ actual/{name}\n");
    let removed = &want[first..want_end];
    let added = &got[first..got_end];
    let after = want_end.min(want.len());
    let tail = &want[after..(after + CONTEXT).min(want.len())];
    let _ = writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        start + 1,
        first - start + removed.len() + tail.len(),
        start + 1,
        first - start + added.len() + tail.len()
    );
    let line = |out: &mut String, mark: char, text: &str| {
        out.push(mark);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for text in &want[start..first] {
        line(&mut out, ' ', text);
    }
    let mut shown = 0;
    for text in removed.iter().take(SHOWN) {
        line(&mut out, '-', text);
        shown += 1;
    }
    for text in added.iter().take(SHOWN.saturating_sub(shown).max(1)) {
        line(&mut out, '+', text);
    }
    if removed.len() + added.len() > SHOWN {
        out.push_str("... more differing lines\n");
    }
    for text in tail {
        line(&mut out, ' ', text);
    }
    out
}

/// Compares the tree `actual` with the expected tree `expected`, or with [`blessing`]
/// replaces `expected` with a copy of `actual`. A difference fails with [`tree_difference`].
#[track_caller]
pub fn assert_tree(expected: &Path, actual: &Path) {
    if blessing() {
        let _ = std::fs::remove_dir_all(expected);
        for (rel, bytes) in read_tree(actual) {
            let path = expected.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        return;
    }
    if let Some(report) = tree_difference(expected, actual) {
        panic!(
            "{} differs from the built tree (TRAILMARK_BLESS=1 rewrites it after an intended change):\n{report}",
            expected.display()
        );
    }
}
