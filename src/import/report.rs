//! `IMPORT-REPORT.md`: what an import converted, what it dropped and what needs a person.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Summary;

/// Everything an import has to tell its user, collected while converting.
#[derive(Debug, Clone, Default)]
pub struct Report {
    tool: &'static str,
    /// What was converted (`figure shortcode → ::figure`), with how many times.
    converted: BTreeMap<String, usize>,
    /// Front matter keys and config settings dropped, with why, and the files they were in.
    dropped: BTreeMap<(String, String), BTreeSet<String>>,
    /// Things left for a person: (file, line, reason).
    person: BTreeSet<(String, usize, String)>,
    /// Old URLs that got an alias, for the record.
    notes: Vec<String>,
}

impl Report {
    pub(crate) fn new(tool: &'static str) -> Self {
        Report {
            tool,
            ..Report::default()
        }
    }

    /// Counts one conversion of `what`.
    pub(crate) fn converted(&mut self, what: &str) {
        *self.converted.entry(what.to_string()).or_default() += 1;
    }

    /// Records that `key` was dropped from `file`, and why.
    pub(crate) fn dropped(&mut self, key: &str, why: &str, file: &str) {
        self.dropped
            .entry((key.to_string(), why.to_string()))
            .or_default()
            .insert(file.to_string());
    }

    /// Records something a person has to look at, at `file:line` of the source.
    pub(crate) fn person(&mut self, file: &str, line: usize, reason: &str) {
        self.person
            .insert((file.to_string(), line, reason.to_string()));
    }

    pub(crate) fn note(&mut self, text: &str) {
        self.notes.push(text.to_string());
    }

    pub(crate) fn needs_person(&self) -> usize {
        self.person.len()
    }

    /// The items that need a person, as `file:line: reason` lines.
    pub fn person_lines(&self) -> Vec<String> {
        self.person
            .iter()
            .map(|(file, line, reason)| {
                if *line == 0 {
                    format!("{file}: {reason}")
                } else {
                    format!("{file}:{line}: {reason}")
                }
            })
            .collect()
    }

    pub(crate) fn render(&self, summary: &Summary) -> String {
        let mut text = String::from("# Import report\n\n");
        let _ = writeln!(
            text,
            "Imported from {}: {} page{}, {} file{} written, {} alias{} for old URLs.\n",
            self.tool,
            summary.pages,
            plural(summary.pages),
            summary.files,
            plural(summary.files),
            summary.aliases,
            if summary.aliases == 1 { "" } else { "es" },
        );
        text.push_str(
            "Check the result from this folder with:\n\n```sh\ntrailmark build\n```\n\n\
             `trailmark serve` previews it. Paths below on the left are files of the source \
             site, with their line.\n",
        );
        for note in &self.notes {
            let _ = write!(text, "\n{note}\n");
        }
        text.push_str("\n## Converted\n\n");
        if self.converted.is_empty() {
            text.push_str("Nothing needed converting.\n");
        } else {
            text.push_str("| what | times |\n|---|---|\n");
            for (what, count) in &self.converted {
                let _ = writeln!(text, "| {what} | {count} |");
            }
        }
        text.push_str("\n## Dropped\n\n");
        if self.dropped.is_empty() {
            text.push_str("Nothing was dropped.\n");
        } else {
            text.push_str("| what | why | files |\n|---|---|---|\n");
            for ((key, why), files) in &self.dropped {
                let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
                let more = if files.len() > 3 {
                    format!(" and {} more", files.len() - 3)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    text,
                    "| `{key}` | {why} | {} ({}){more} |",
                    files.len(),
                    shown.join(", ")
                );
            }
        }
        text.push_str("\n## Needs a person\n\n");
        if self.person.is_empty() {
            text.push_str("Nothing.\n");
        } else {
            for line in self.person_lines() {
                let _ = writeln!(text, "- {line}");
            }
        }
        text
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
