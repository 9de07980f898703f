//! Diagnostics as data: every problem a build finds in the user's input.
//!
//! Library code never prints. Each stage returns its problems as [`Diagnostic`]s; the build
//! collects them across the whole site, sorts them, and the binary prints them together as
//! `path:line:col: severity: message`, followed by the offending line where one is known.

use std::fmt;

/// How bad a problem is. Errors fail the build; warnings are reported and the build goes on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem, located in a file of the site.
///
/// `file` is relative to the site root (`content/blog/post.md`, `trailmark.yaml`,
/// `templates/page.html`) so messages stay short and stable across machines. `line` and
/// `column` are 1-based; 0 means "unknown" and is left out when printed.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// The text of the offending line, shown under the message with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            snippet: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, line, column, message)
        }
    }

    /// Attaches the text of line `self.line` of `source` as the snippet.
    #[must_use]
    pub fn with_snippet_from(mut self, source: &str) -> Self {
        if self.line > 0 {
            self.snippet = source
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the `path:line:col: severity: message` line, without the snippet.
    pub fn headline(&self) -> String {
        match (self.line, self.column) {
            (0, _) => format!("{}: {}: {}", self.file, self.severity, self.message),
            (line, 0) => format!("{}:{line}: {}: {}", self.file, self.severity, self.message),
            (line, column) => {
                format!(
                    "{}:{line}:{column}: {}: {}",
                    self.file, self.severity, self.message
                )
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.to_string();
            write!(f, "\n {gutter} | {snippet}")?;
            if self.column > 0 {
                // Columns count characters, so the caret lines up with what the user sees.
                let pad: String = snippet
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {} | {pad}^", " ".repeat(gutter.len()))?;
            }
        }
        Ok(())
    }
}

/// At most this many diagnostics are kept per file; a runaway file (a generated page with
/// 100,000 unclosed blocks) must not bury every other problem.
pub const MAX_PER_FILE: usize = 50;

/// A sorted, de-duplicated set of diagnostics for one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Problems dropped by the per-file cap, still counted.
    hidden_errors: usize,
    hidden_warnings: usize,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(more);
    }

    /// Sorts by file, position and message so output does not depend on thread timing, and
    /// caps each file at [`MAX_PER_FILE`] diagnostics plus one line saying how many more.
    pub fn finish(&mut self) {
        self.items.sort();
        self.items.dedup();
        let mut kept: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        let mut index = 0;
        while index < self.items.len() {
            let file = self.items[index].file.clone();
            let end = self.items[index..]
                .iter()
                .position(|d| d.file != file)
                .map_or(self.items.len(), |n| index + n);
            let group = &self.items[index..end];
            if group.len() > MAX_PER_FILE {
                kept.extend(group[..MAX_PER_FILE].iter().cloned());
                let hidden = &group[MAX_PER_FILE..];
                let errors = hidden.iter().filter(|d| d.is_error()).count();
                self.hidden_errors += errors;
                self.hidden_warnings += hidden.len() - errors;
                let summary = format!("{} more problems in this file are not shown", hidden.len());
                kept.push(if errors > 0 {
                    Diagnostic::error(file, 0, 0, summary)
                } else {
                    Diagnostic::warning(file, 0, 0, summary)
                });
                // The summary line stands for the hidden ones; do not count it twice.
                if errors > 0 {
                    self.hidden_errors -= 1;
                } else {
                    self.hidden_warnings -= 1;
                }
            } else {
                kept.extend(group.iter().cloned());
            }
            index = end;
        }
        self.items = kept;
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Every error found, including those hidden by the per-file cap.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count() + self.hidden_errors
    }

    /// Every warning found, including those hidden by the per-file cap.
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count() + self.hidden_warnings
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
///
/// Used for "did you mean" hints on config keys, front matter keys and shortcode names.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    known
        .into_iter()
        .filter(|k| *k != word)
        .map(|k| (edit_distance(&word_lower, &k.to_lowercase()), k))
        .filter(|(d, k)| {
            let limit = match k.chars().count() {
                0..=3 => 1,
                4..=7 => 2,
                _ => 3,
            };
            *d <= limit
        })
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`titel`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let left: Vec<char> = a.chars().collect();
    let right: Vec<char> = b.chars().collect();
    let width = right.len() + 1;
    // One flat table, row-major: cell (i, j) is the distance between the first i chars of
    // `left` and the first j chars of `right`.
    let mut table: Vec<usize> = (0..(left.len() + 1) * width)
        .map(|k| if k < width { k } else { 0 })
        .collect();
    for i in 1..=left.len() {
        table[i * width] = i;
        for j in 1..=right.len() {
            let cost = usize::from(left[i - 1] != right[j - 1]);
            let mut best = (table[(i - 1) * width + j] + 1)
                .min(table[i * width + j - 1] + 1)
                .min(table[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                best = best.min(table[(i - 2) * width + j - 2] + 1);
            }
            table[i * width + j] = best;
        }
    }
    table[left.len() * width + right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let known = ["title", "description", "date", "tags"];
        assert_eq!(did_you_mean("titel", known), Some("title"));
        assert_eq!(did_you_mean("descriptoin", known), Some("description"));
        assert_eq!(did_you_mean("colour", known), None);
        assert_eq!(did_you_mean("tag", known), Some("tags"));
    }

    #[test]
    fn display_shows_snippet_and_caret() {
        let d = Diagnostic::error("content/a.md", 2, 7, "bad thing")
            .with_snippet_from("---\ntitle: [x\n---\n");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:7: error: bad thing\n 2 | title: [x\n   |       ^"
        );
    }

    #[test]
    fn each_file_is_capped_but_everything_is_counted() {
        let mut ds = Diagnostics::new();
        for line in 1..=120 {
            ds.push(Diagnostic::error("big.md", line, 1, "unclosed"));
        }
        ds.push(Diagnostic::warning("small.md", 1, 1, "hmm"));
        ds.finish();
        assert_eq!(
            ds.iter().filter(|d| d.file == "big.md").count(),
            MAX_PER_FILE + 1
        );
        assert_eq!(
            ds.iter()
                .find(|d| d.line == 0)
                .map(Diagnostic::headline)
                .as_deref(),
            Some("big.md: error: 70 more problems in this file are not shown")
        );
        assert_eq!(ds.error_count(), 120);
        assert_eq!(ds.warning_count(), 1);
    }

    #[test]
    fn sorted_by_file_then_position() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.md", 1, 1, "x"));
        ds.push(Diagnostic::warning("a.md", 9, 1, "y"));
        ds.push(Diagnostic::error("a.md", 2, 1, "z"));
        ds.finish();
        let files: Vec<_> = ds.iter().map(|d| (d.file.as_str(), d.line)).collect();
        assert_eq!(files, vec![("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }
}
