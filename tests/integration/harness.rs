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
