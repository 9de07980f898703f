//! Typed page metadata read from parsed front matter.
//!
//! Known keys are checked for type and turned into fields; kind-specific keys (a lesson's
//! `objectives`, a case study's `results`) are kept verbatim in `fields` for the graph and
//! the templates; keys Trailmark does not know go to `params`, with a warning when one looks
//! like a misspelt known key.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::SectionKind;
use super::time::{Date, parse_date, parse_duration_minutes};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::front_matter::{FrontMatter, describe};

/// Every front matter key with a meaning to Trailmark, for typo detection.
pub const KNOWN_KEYS: &[&str] = &[
    // every page
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "aliases",
    "weight",
    "tags",
    "authors",
    "author",
    "template",
    "extra",
    "search",
    "summary",
    "lang",
    // sections
    "kind",
    "paginate_by",
    "sort_by",
    // posts
    "series",
    "milestone",
    "cover",
    "cover_credit",
    "cover_alt",
    "comments",
    // lessons and courses
    "duration",
    "objectives",
    "questions",
    "keypoints",
    "prerequisites",
    "teaching",
    "exercises",
    "level",
    "audience",
    "instructors",
    "certificate",
    // case studies
    "client",
    "sector",
    "challenge",
    "approach",
    "outcome",
    "results",
    "testimonial",
    // handbook docs
    "owner",
    "review_by",
    // journeys
    "goal",
    "started",
    "deadline",
    "milestones",
];

/// Keys that are read into typed fields below rather than kept in `fields`.
const TYPED_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "aliases",
    "weight",
    "authors",
    "author",
    "template",
    "extra",
    "kind",
    "paginate_by",
    "search",
    "duration",
    "teaching",
    "exercises",
];

/// What a page's front matter says, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub slug: Option<String>,
    /// Zola's `path`: the page's URL path from the site's root, kept as written.
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub authors: Vec<String>,
    pub template: Option<String>,
    /// Only meaningful in a section's index file.
    pub kind: Option<SectionKind>,
    pub paginate_by: Option<usize>,
    /// `search: false` keeps the page out of the search index.
    pub search: bool,
    /// Taxonomy name to the terms as written (`tags: [Strategy]`).
    pub terms: BTreeMap<String, Vec<String>>,
    /// Lesson length; `teaching` plus `exercises` when given Carpentries style.
    pub duration_minutes: Option<u32>,
    pub extra: Map<String, Value>,
    /// Known kind-specific keys, verbatim (`objectives`, `client`, `milestones`...).
    pub fields: Map<String, Value>,
    /// Keys Trailmark does not know, for themes (like Hugo's `.Params`).
    pub params: Map<String, Value>,
    /// The line of each top-level key in the file, so later stages (the graph checking a
    /// post's `milestone`) can point at it.
    pub key_lines: BTreeMap<String, usize>,
}

/// Reads metadata from front matter; problems are reported against `file` at the key's line.
pub fn read_meta(
    fm: &FrontMatter,
    file: &str,
    taxonomies: &[String],
) -> (PageMeta, Vec<Diagnostic>) {
    let mut reader = Reader {
        fm,
        file,
        problems: Vec::new(),
    };
    let mut meta = PageMeta {
        search: true,
        ..PageMeta::default()
    };
    meta.key_lines.clone_from(&fm.key_lines);
    meta.title = reader.text("title");
    meta.description = reader.text("description");
    meta.date = reader.date("date");
    meta.updated = reader.date("updated");
    meta.draft = reader.boolean("draft").unwrap_or(false);
    meta.search = reader.boolean("search").unwrap_or(true);
    meta.slug = reader.text("slug");
    meta.path = reader.text("path");
    meta.aliases = reader.text_list("aliases");
    meta.weight = reader.integer("weight");
    meta.authors = reader.text_list("authors");
    if meta.authors.is_empty() {
        // Jekyll's and Hugo's `author:`, one name or a list.
        meta.authors = reader.text_list("author");
    }
    meta.template = reader.text("template");
    meta.paginate_by = reader.integer("paginate_by").and_then(|n| {
        let ok = usize::try_from(n).ok().filter(|n| *n > 0);
        if ok.is_none() {
            reader.problem(
                "paginate_by",
                format!("`paginate_by` must be a positive number, found {n}"),
            );
        }
        ok
    });
    if let Some(kind) = reader.text("kind") {
        meta.kind = SectionKind::from_name(&kind);
        if meta.kind.is_none() {
            let names: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
            let hint = did_you_mean(&kind, names.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("expected one of {}", names.join(", ")));
            reader.problem("kind", format!("unknown kind `{kind}`; {hint}"));
        }
    }
    meta.duration_minutes = reader.duration("duration");
    if meta.duration_minutes == Some(0) {
        reader.zero_duration("duration");
    }
    if let Some(duration) = meta.duration_minutes {
        // Both ways of giving a length: `duration` wins, which is said when they disagree.
        let teaching = reader.duration("teaching");
        let exercises = reader.duration("exercises");
        if (teaching.is_some() || exercises.is_some())
            && teaching.unwrap_or(0) + exercises.unwrap_or(0) != duration
        {
            let key = if teaching.is_some() {
                "teaching"
            } else {
                "exercises"
            };
            reader.problems.push(
                Diagnostic::warning(
                    reader.file,
                    reader.fm.line_of(key),
                    1,
                    format!(
                        "`{key}` is not used: `duration` ({duration} min) gives this lesson's length"
                    ),
                )
                .with_code(Code::KeyHasNoEffect)
                .with_help("remove `duration` to use `teaching` plus `exercises`, or remove those"),
            );
        }
    }
    if meta.duration_minutes.is_none() {
        // Carpentries episodes give teaching and exercise minutes separately.
        let teaching = reader.duration("teaching");
        let exercises = reader.duration("exercises");
        if teaching.is_some() || exercises.is_some() {
            let total = teaching.unwrap_or(0) + exercises.unwrap_or(0);
            if total == 0 {
                // `exercises: 0` alone is common and fine; nothing at all is not.
                reader.zero_duration(if teaching.is_some() {
                    "teaching"
                } else {
                    "exercises"
                });
            }
            meta.duration_minutes = Some(total);
        }
    }
    if let Some(extra) = fm.fields.get("extra") {
        match extra {
            Value::Object(map) => meta.extra.clone_from(map),
            Value::Null => {}
            other => reader.problem(
                "extra",
                format!("`extra` must be a map, found {}", describe(other)),
            ),
        }
    }
    for name in taxonomies {
        reader.one_term_with_commas(name);
        let mut terms = reader.text_list(name);
        if terms.is_empty() && name == "categories" {
            // Jekyll's singular `category:` is one category.
            terms = reader.text_list("category");
        }
        if !terms.is_empty() {
            meta.terms.insert(name.clone(), terms);
        }
    }
    for (key, value) in &fm.fields {
        let read_as_taxonomy = taxonomies
            .iter()
            .any(|t| t == key || (t == "categories" && key == "category"));
        if TYPED_KEYS.contains(&key.as_str()) || read_as_taxonomy {
            continue;
        }
        if KNOWN_KEYS.contains(&key.as_str()) {
            meta.fields.insert(key.clone(), value.clone());
            continue;
        }
        let known = KNOWN_KEYS
            .iter()
            .copied()
            .chain(taxonomies.iter().map(String::as_str));
        if let Some(suggestion) = did_you_mean(key, known) {
            reader.problems.push(
                Diagnostic::warning(
                    file,
                    fm.line_of(key),
                    1,
                    format!("unknown front matter key `{key}`; its value is not used"),
                )
                .with_code(Code::FrontMatterMisspeltKey)
                .with_help(format!(
                    "did you mean `{suggestion}`? write `{suggestion}:` instead of `{key}:`"
                )),
            );
        }
        meta.params.insert(key.clone(), value.clone());
    }
    (meta, reader.problems)
}

/// Front matter keys that other tools read as taxonomies by default (Hugo's `categories`
/// beside `tags`, Jekyll's `categories` and its singular `category`), with the taxonomy
/// they fill: terms written there are lost unless the site declares it, so they are
/// reported.
const TAXONOMY_LIKE_KEYS: &[(&str, &str)] =
    &[("categories", "categories"), ("category", "categories")];

/// A warning for terms under a taxonomy name the site does not declare (`categories:` with
/// `taxonomies: [tags]`), unless a permalink pattern reads them (`:categories`). Its message
/// starts as an unknown key's, so it is reported once per site with its count and follows
/// `unknown_keys`.
pub fn undeclared_taxonomies(
    fm: &FrontMatter,
    file: &str,
    taxonomies: &[String],
    permalinks_read_categories: bool,
) -> Vec<Diagnostic> {
    TAXONOMY_LIKE_KEYS
        .iter()
        .filter(|(_, taxonomy)| !taxonomies.iter().any(|t| t == taxonomy))
        .filter(|(_, taxonomy)| !(permalinks_read_categories && *taxonomy == "categories"))
        .filter(|(key, _)| fm.fields.get(*key).is_some_and(|v| !v.is_null()))
        .map(|&(key, taxonomy)| {
            let mut declared: Vec<&str> = taxonomies.iter().map(String::as_str).collect();
            declared.push(taxonomy);
            Diagnostic::warning(
                file,
                fm.line_of(key),
                1,
                format!(
                    "unknown front matter key `{key}`: this site has no `{taxonomy}` taxonomy, \
                     so these terms get no pages and no links"
                ),
            )
            .with_code(Code::UndeclaredTaxonomy)
            .with_help(format!(
                "to list pages by {taxonomy}, declare it in trailmark.yaml: `taxonomies: [{}]`",
                declared.join(", ")
            ))
        })
        .collect()
}

struct Reader<'a> {
    fm: &'a FrontMatter,
    file: &'a str,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn problem(&mut self, key: &str, message: String) {
        self.problems.push(
            Diagnostic::error(self.file, self.fm.line_of(key), 1, message)
                .with_code(Code::FrontMatterInvalidValue),
        );
    }

    fn zero_duration(&mut self, key: &str) {
        self.problems.push(
            Diagnostic::warning(
                self.file,
                self.fm.line_of(key),
                1,
                format!("`{key}` is zero minutes; the page would show \"0m\""),
            )
            .with_code(Code::SuspiciousDuration)
            .with_help(
                "give the time it takes (`20m`, `1h30m`, or plain minutes), or remove the key",
            ),
        );
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.fm.fields.get(key).filter(|v| !v.is_null())
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            // Numbers and booleans read as text where text is expected (`title: 2024`).
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                let message = format!("`{key}` must be text, found {}", describe(other));
                self.problem(key, message);
                None
            }
        }
    }

    /// Warns when a taxonomy's terms are one text holding commas (`tags: "alpha, beta"`): one
    /// text is one term, as in Hugo, but a comma there almost always meant a list.
    fn one_term_with_commas(&mut self, key: &str) {
        let Some(Value::String(text)) = self.get(key).cloned() else {
            return;
        };
        if !text.contains(',') {
            return;
        }
        let list = text
            .split(',')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(", ");
        self.problems.push(
            Diagnostic::warning(
                self.file,
                self.fm.line_of(key),
                1,
                format!("`{key}` is the one term `{text}`, commas included"),
            )
            .with_code(Code::FrontMatterInvalidValue)
            .with_help(format!(
                "for several, write a list: `{key}: [{list}]`; for one term with a comma, quote it in a list: `{key}: [\"{text}\"]`"
            )),
        );
    }

    fn text_list(&mut self, key: &str) -> Vec<String> {
        match self.get(key).cloned() {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s],
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in &items {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        Value::Number(n) => out.push(n.to_string()),
                        other => {
                            let message = format!(
                                "`{key}` must be a list of text, found {} in it",
                                describe(other)
                            );
                            self.problem(key, message);
                        }
                    }
                }
                out
            }
            Some(other) => {
                let message = format!("`{key}` must be a list of text, found {}", describe(&other));
                self.problem(key, message);
                Vec::new()
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                let message = format!("`{key}` must be true or false, found {}", describe(other));
                self.problem(key, message);
                None
            }
        }
    }

    fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            other => {
                let message = format!("`{key}` must be a whole number, found {}", describe(other));
                self.problem(key, message);
                None
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let text = self.text(key)?;
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                // Jekyll reads `2023-01-29 18:30:22 2023 -0800` as that day: so does this,
                // with a warning, rather than dropping a post that built before.
                let day = text
                    .split_whitespace()
                    .next()
                    .and_then(|day| parse_date(day).ok());
                if let Some(day) = day {
                    self.problems.push(
                        Diagnostic::warning(
                            self.file,
                            self.fm.line_of(key),
                            1,
                            format!(
                                "`{key}`: cannot read the time in `{text}`; the page is dated {}",
                                day.iso_date()
                            ),
                        )
                        .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
                    );
                    return Some(day);
                }
                self.problem(key, format!("`{key}`: {message}"));
                None
            }
        }
    }

    fn duration(&mut self, key: &str) -> Option<u32> {
        let text = self.text(key)?;
        match parse_duration_minutes(&text) {
            Ok(minutes) if minutes > 24 * 60 => {
                self.problems.push(
                    Diagnostic::warning(
                        self.file,
                        self.fm.line_of(key),
                        1,
                        format!(
                            "`{key}: {}` is {} hours, more than a day",
                            text.trim(),
                            minutes / 60
                        ),
                    )
                    .with_code(Code::SuspiciousDuration)
                    .with_help(
                        "a duration is the time in class: minutes (`90`, `90m`) or hours \
                         (`1h30m`); split longer material into several lessons",
                    ),
                );
                Some(minutes)
            }
            Ok(minutes) => Some(minutes),
            Err(message) => {
                self.problem(key, format!("`{key}`: {message}"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::{parse, split};

    fn meta_of(text: &str) -> (PageMeta, Vec<Diagnostic>) {
        let s = split(text).unwrap();
        let fm = parse(&s).unwrap();
        read_meta(&fm, "content/x.md", &["tags".to_string()])
    }

    #[test]
    fn reads_typed_fields() {
        let (m, problems) = meta_of(
            "---\ntitle: Hi\ndate: 2025-01-02\ntags: [a, b]\nweight: 3\nduration: 1h30m\nobjectives: [x]\nmood: happy\n---\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(m.title.as_deref(), Some("Hi"));
        assert_eq!(m.date.unwrap().iso_date(), "2025-01-02");
        assert_eq!(m.terms["tags"], vec!["a", "b"]);
        assert_eq!(m.weight, Some(3));
        assert_eq!(m.duration_minutes, Some(90));
        assert_eq!(m.fields["objectives"], serde_json::json!(["x"]));
        assert_eq!(m.params["mood"], "happy");
    }

    #[test]
    fn misspelt_key_warns_with_suggestion() {
        let (m, problems) = meta_of("---\ntitel: Hi\n---\n");
        assert_eq!(
            problems[0].headline(),
            "content/x.md:2:1: warning: unknown front matter key `titel`; its value is not used [TM0205]"
        );
        assert_eq!(
            problems[0].help.as_deref(),
            Some("did you mean `title`? write `title:` instead of `titel:`")
        );
        assert_eq!(m.params["titel"], "Hi");
    }

    #[test]
    fn wrong_types_and_bad_values_are_errors_at_the_key_line() {
        let (_, problems) =
            meta_of("---\ntitle: Hi\ndate: someday\nweight: heavy\nduration: soon\n---\n");
        let lines: Vec<_> = problems.iter().map(|p| (p.line, p.is_error())).collect();
        assert_eq!(lines, vec![(3, true), (4, true), (5, true)]);
        assert!(
            problems[0]
                .message
                .starts_with("`date`: invalid date `someday`")
        );
    }

    #[test]
    fn carpentries_minutes_add_up() {
        let (m, _) = meta_of("---\nteaching: 30\nexercises: 20\n---\n");
        assert_eq!(m.duration_minutes, Some(50));
    }
}
