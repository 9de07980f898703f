//! `trailmark.yaml`: its types, defaults and validation.
//!
//! Owns the site configuration and nothing else. Loading is two steps: parse the YAML into a
//! generic value (through `front_matter::parse_yaml`, the crate's only YAML entry point), check
//! every key against the known ones so a typo is reported with its line and a suggestion, then
//! deserialise into the typed [`Config`].

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::front_matter;
use crate::markdown::{HeadingIds, MarkdownOptions, MathDelimiters, RawHtml};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "trailmark.yaml";

/// The whole site configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://example.org/courses`.
    pub base_url: String,
    /// BCP 47 language tag, used in `<html lang>` and feeds.
    pub language: String,
    /// Name of a folder under `themes/`; `default` uses the theme built into the binary.
    pub theme: String,
    pub author: Author,
    /// Taxonomy names; `tags` unless configured.
    pub taxonomies: Vec<String>,
    pub markdown: MarkdownConfig,
    pub highlight: HighlightConfig,
    pub menu: Vec<MenuItem>,
    /// Output folder, relative to the site root.
    pub output_dir: String,
    /// Extra ignore patterns for `content/` and `static/`: file or folder names, with `*`
    /// as a wildcard (`*.draft.md`, `drafts`).
    pub ignore: Vec<String>,
    /// Free map for themes.
    pub extra: serde_json::Map<String, Value>,
    /// What Atom feeds hold.
    pub feeds: FeedsConfig,
    /// Where a post's "comments" link goes; a static site has no server to take them.
    pub comments: CommentsConfig,
    /// Posts per page on taxonomy term pages (`/tags/strategy/page/2/`).
    pub paginate_terms: usize,
    /// Client-side search: `search: false` or `search: { enabled: false }` turns it off.
    pub search: SearchConfig,
    /// "Edit this page" links: a URL with `{path}` where the page's file goes
    /// (`https://git.example.org/handbook/edit/main/{path}`, `{path}` being
    /// `content/handbook/tools.md`); empty for no links.
    pub repo_url: String,
    /// URL patterns per section, keyed by the section's folder under `content/` (`blog`,
    /// `news/archive`): `/:year/:month/:day/:title/` and the other Jekyll and Hugo tokens,
    /// so a migrating site keeps its URLs.
    pub permalinks: std::collections::BTreeMap<String, String>,
    /// Bounds on what one file or one template may cost, so no input can exhaust memory or
    /// run without end.
    pub limits: LimitsConfig,
    /// What a front matter key that looks like a misspelt known key gets: a warning (once
    /// per site, with a count), an error, or nothing.
    pub unknown_keys: UnknownKeys,
    /// Where each top-level key is written in `trailmark.yaml`, so that problems found after
    /// loading (a theme that is not there) still point at their line.
    #[serde(skip)]
    pub written: WrittenKeys,
}

/// `unknown_keys:` in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    #[default]
    Warn,
    Error,
    Ignore,
}

/// The line number and text of each top-level key of `trailmark.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WrittenKeys {
    lines: std::collections::BTreeMap<String, (usize, String)>,
}

/// `limits:` in the config.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest file Trailmark parses (Markdown pages, templates), in MiB. Static files and
    /// page bundles' files are copied as streams and have no limit.
    pub file_size_mb: u64,
    /// Most loop iterations one template render may run (every `for` and `range` step,
    /// counted across nested loops).
    pub template_iterations: u64,
    /// Largest output one template render may produce, in MiB.
    pub template_output_mb: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            file_size_mb: 16,
            template_iterations: 1_000_000,
            template_output_mb: 64,
        }
    }
}

impl LimitsConfig {
    /// [`LimitsConfig::file_size_mb`] in bytes.
    pub fn file_bytes(&self) -> u64 {
        self.file_size_mb.saturating_mul(1 << 20)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsConfig {
    /// `full` (default): every entry carries the whole post; `summary`: only its summary.
    pub content: FeedContent,
    /// Entries per feed, newest first.
    pub limit: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self {
            content: FeedContent::Full,
            limit: 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    Full,
    Summary,
}

/// `email` gives a "Reply by email" link with the post's title as subject; `url` a link to
/// an external discussion, where `{url}`, `{permalink}`, `{slug}` and `{title}` are replaced
/// (URL-encoded). `url` wins when both are set. Posts override with `comments: false` or
/// `comments: <url of the thread>`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentsConfig {
    pub email: String,
    pub url: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "My Trailmark site".into(),
            description: String::new(),
            base_url: "http://localhost".into(),
            language: "en".into(),
            theme: "default".into(),
            author: Author::default(),
            taxonomies: vec!["tags".into()],
            markdown: MarkdownConfig::default(),
            highlight: HighlightConfig::default(),
            menu: Vec::new(),
            output_dir: "public".into(),
            ignore: Vec::new(),
            extra: serde_json::Map::new(),
            feeds: FeedsConfig::default(),
            comments: CommentsConfig::default(),
            paginate_terms: 10,
            search: SearchConfig::default(),
            repo_url: String::new(),
            written: WrittenKeys::default(),
            permalinks: std::collections::BTreeMap::new(),
            limits: LimitsConfig::default(),
            unknown_keys: UnknownKeys::Warn,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchConfig {
    /// Build a search index and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

impl<'de> Deserialize<'de> for SearchConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `search: false` is the short form of `search: { enabled: false }`.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Switch(bool),
            Map {
                #[serde(default = "enabled_by_default")]
                enabled: bool,
            },
            // Anything else, to say what is expected rather than serde's "did not match
            // any variant of untagged enum".
            Other(serde_json::Value),
        }
        fn enabled_by_default() -> bool {
            true
        }
        match Form::deserialize(deserializer)? {
            Form::Switch(enabled) | Form::Map { enabled } => Ok(SearchConfig { enabled }),
            Form::Other(serde_json::Value::String(text)) => Err(serde::de::Error::custom(format!(
                "`search` must be true or false, found the text `{text}` (YAML reads `yes`, `no`, `on` and `off` as text)"
            ))),
            Form::Other(_) => Err(serde::de::Error::custom(
                "`search` must be true, false, or a map with `enabled: true` or `enabled: false`",
            )),
        }
    }
}

impl Config {
    /// The permalink pattern of the section in `folder` (content-relative, no slashes at
    /// the ends), when the config sets one.
    pub fn permalink_pattern(&self, folder: &str) -> Option<crate::content::PermalinkPattern> {
        self.permalinks
            .iter()
            .find(|(key, _)| key.trim_matches('/') == folder)
            .and_then(|(_, pattern)| crate::content::PermalinkPattern::parse(pattern).ok())
    }

    /// The "edit this page" URL for a file of the site (`content/handbook/tools.md`).
    pub fn edit_url(&self, file: &str) -> Option<String> {
        let pattern = self.repo_url.trim();
        if pattern.is_empty() {
            None
        } else if pattern.contains("{path}") {
            Some(pattern.replace("{path}", file))
        } else {
            Some(format!("{}/{file}", pattern.trim_end_matches('/')))
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Author {
    pub name: String,
    pub email: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    /// `allow` (default) or `escape`.
    pub raw_html: RawHtmlSetting,
    /// `error` (default) or `warn`: what a link to a missing page, anchor or file is.
    pub broken_links: BrokenLinks,
    /// `github` (default) or `compact` (Zola's ids): how heading ids are made.
    pub heading_ids: HeadingIds,
    /// `dollars` (default: `$...$` and `$$...$$`), `display` (only `$$...$$`) or `off`:
    /// which dollar signs open a formula.
    pub math: MathDelimiters,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            raw_html: RawHtmlSetting::Allow,
            broken_links: BrokenLinks::Error,
            heading_ids: HeadingIds::Github,
            math: MathDelimiters::Dollars,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtmlSetting {
    Allow,
    Escape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    Error,
    Warn,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HighlightConfig {
    pub enabled: bool,
    /// syntect theme used in light mode.
    pub light: String,
    /// syntect theme used in dark mode; empty for none.
    pub dark: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            light: "InspiredGitHub".into(),
            dark: "base16-ocean.dark".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub weight: i64,
}

/// The config cannot raise its own size limit: 1 MiB is far beyond any real one.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The keys each map of the config accepts, for typo detection with line numbers. Kept next
/// to the types above; a test checks the two agree.
const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "author",
    "taxonomies",
    "markdown",
    "highlight",
    "menu",
    "output_dir",
    "ignore",
    "extra",
    "feeds",
    "comments",
    "paginate_terms",
    "search",
    "repo_url",
    "permalinks",
    "limits",
    "unknown_keys",
];
const LIMITS_KEYS: &[&str] = &["file_size_mb", "template_iterations", "template_output_mb"];
const FEEDS_KEYS: &[&str] = &["content", "limit"];
const COMMENTS_KEYS: &[&str] = &["email", "url"];
const AUTHOR_KEYS: &[&str] = &["name", "email", "url"];
const MARKDOWN_KEYS: &[&str] = &[
    "smart_punctuation",
    "raw_html",
    "broken_links",
    "heading_ids",
    "math",
];
const HIGHLIGHT_KEYS: &[&str] = &["enabled", "light", "dark"];
const MENU_KEYS: &[&str] = &["name", "url", "weight"];
const SEARCH_KEYS: &[&str] = &["enabled"];

impl Config {
    /// Reads `trailmark.yaml` from the site root. A missing file is an error: it is what
    /// marks a folder as a Trailmark site.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if let Some(problem) = crate::source::refuse_special_file(&path, CONFIG_FILE) {
            return Err(vec![problem]);
        }
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.len() > MAX_CONFIG_BYTES
        {
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    0,
                    format!(
                        "file is {} bytes; the limit for the config is {MAX_CONFIG_BYTES}",
                        meta.len()
                    ),
                )
                .with_code(crate::diagnostics::Code::FileTooLarge),
            ]);
        }
        let text = std::fs::read(&path).map_err(|e| {
            vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    0,
                    format!(
                        "cannot read {} ({e}); is this a Trailmark site? `trailmark init` makes one",
                        path.display()
                    ),
                )
                .with_code(Code::ConfigMissing)
                .with_help(
                    "pass the site folder with `--root DIR`, or create a site with \
                     `trailmark init DIR`",
                ),
            ]
        })?;
        let text = String::from_utf8(text).map_err(|e| {
            let (line, column) = front_matter::line_col(
                &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
                e.utf8_error().valid_up_to(),
            );
            vec![
                Diagnostic::error(CONFIG_FILE, line, column, "file is not valid UTF-8")
                    .with_code(Code::NotUtf8)
                    .with_help("save the file as UTF-8"),
            ]
        })?;
        Self::parse(&text)
    }

    /// Parses configuration text; every problem found is returned, not just the first.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = front_matter::normalize(text);
        let value = front_matter::parse_yaml(&text, 1).map_err(|e| {
            let code = match e.code {
                Code::FrontMatterSyntax => Code::ConfigSyntax,
                other => other,
            };
            vec![
                Diagnostic::error(CONFIG_FILE, e.line, e.column, e.message)
                    .with_code(code)
                    .with_help_opt(e.help)
                    .with_snippet_from(&text),
            ]
        })?;
        let value = match value {
            Value::Null => Value::Object(serde_json::Map::new()),
            v @ Value::Object(_) => v,
            other => {
                return Err(vec![
                    Diagnostic::error(
                        CONFIG_FILE,
                        1,
                        1,
                        format!(
                            "the config must be a map of `key: value` lines, found {}",
                            front_matter::describe(&other)
                        ),
                    )
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(&text),
                ]);
            }
        };
        let mut problems = Vec::new();
        check_keys(&text, &value, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut config: Config = serde_json::from_value(value.clone()).map_err(|e| {
            let key = first_bad_key(&value, &e.to_string());
            let line = key
                .as_deref()
                .map_or(1, |k| key_line(&text, k, 0).unwrap_or(1));
            vec![
                Diagnostic::error(CONFIG_FILE, line, 1, format!("invalid value: {e}"))
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(&text),
            ]
        })?;
        if let Value::Object(top) = &value {
            for key in top.keys() {
                if let Some(line) = key_line(&text, key, 0) {
                    let written = text.lines().nth(line - 1).unwrap_or_default();
                    config
                        .written
                        .lines
                        .insert(key.clone(), (line, written.to_string()));
                }
            }
        }
        config.validate(&text)?;
        Ok(config)
    }

    /// An error about the value of top-level `key`, at its line with the line shown, or
    /// about the file as a whole when the key is not written (a default value).
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> crate::diagnostics::Draft {
        match self.written.lines.get(key) {
            Some((line, written)) => {
                let column = written.find(':').map_or(1, |colon| {
                    let after = &written[colon + 1..];
                    let value_at = colon + 1 + (after.len() - after.trim_start().len());
                    written[..value_at].chars().count() + 1
                });
                Diagnostic::error(CONFIG_FILE, *line, column, message)
                    .with_snippet(Some(written.clone()))
            }
            None => Diagnostic::error(CONFIG_FILE, 0, 0, message),
        }
    }

    fn validate(&mut self, text: &str) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let line_of = |key: &str| key_line(text, key, 0).unwrap_or(1);
        match check_base_url(&self.base_url) {
            Ok(normalized) => self.base_url = normalized,
            Err(problem) => problems.push(
                Diagnostic::error(CONFIG_FILE, line_of("base_url"), 1, problem.message)
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(text)
                    .with_help_opt(problem.help),
            ),
        }
        for (key, theme) in [
            ("light", &self.highlight.light),
            ("dark", &self.highlight.dark),
        ] {
            if !theme.is_empty() && !crate::markdown::is_highlight_theme(theme) {
                let known = crate::markdown::highlight_themes();
                let help = did_you_mean(theme, known.iter().copied()).map_or_else(
                    || format!("the highlighting themes are: {}", known.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                let line = key_line(text, key, 2).unwrap_or_else(|| line_of("highlight"));
                let column = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find(theme.as_str()))
                    .map_or(1, |c| c + 1);
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("unknown highlight theme `{theme}`"),
                    )
                    .with_code(Code::ConfigUnknownHighlightTheme)
                    .with_help(help)
                    .with_snippet_from(text),
                );
            }
        }
        for name in &self.taxonomies {
            if crate::content::slugify(name) != *name || name.is_empty() {
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line_of("taxonomies"),
                        1,
                        format!("taxonomy name `{name}` must be lowercase letters, digits and `-`"),
                    )
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(text),
                );
            }
        }
        let plain_name = !self.theme.is_empty()
            && !self.theme.starts_with('.')
            && !self.theme.contains(['/', '\\', '\0', ':']);
        if !plain_name {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line_of("theme"),
                    1,
                    format!(
                        "theme `{}` must be the name of a folder in themes/, not a path",
                        self.theme
                    ),
                )
                .with_code(Code::ConfigInvalidValue)
                .with_snippet_from(text),
            );
        }
        let mut urls: Vec<(&str, &str)> = self
            .menu
            .iter()
            .map(|m| ("menu url", m.url.as_str()))
            .collect();
        urls.push(("author.url", &self.author.url));
        urls.push(("comments.url", &self.comments.url));
        urls.push(("repo_url", &self.repo_url));
        for (what, url) in urls {
            if crate::markdown::is_executable_url(url, false) {
                // The line that holds the value itself, wherever the key is written.
                let line = text
                    .find(url)
                    .map_or(1, |at| text[..at].matches('\n').count() + 1);
                problems.push(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    1,
                    format!(
                        "{what} `{url}` would run script or load content when followed; use an http(s), mailto or relative URL"
                    ),
                )
                .with_code(Code::ConfigInvalidValue)
                .with_snippet_from(text));
            }
        }
        for (key, value) in [
            ("file_size_mb", self.limits.file_size_mb),
            ("template_iterations", self.limits.template_iterations),
            ("template_output_mb", self.limits.template_output_mb),
        ] {
            if value == 0 {
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        key_line(text, key, 2).unwrap_or_else(|| line_of("limits")),
                        1,
                        format!("limits.{key} must be at least 1"),
                    )
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(text),
                );
            }
        }
        if self.paginate_terms == 0 {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line_of("paginate_terms"),
                    1,
                    "paginate_terms must be at least 1",
                )
                .with_code(Code::ConfigInvalidValue)
                .with_snippet_from(text),
            );
        }
        if self.feeds.limit == 0 {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    key_line(text, "limit", 2).unwrap_or_else(|| line_of("feeds")),
                    1,
                    "feeds.limit must be at least 1",
                )
                .with_code(Code::ConfigInvalidValue)
                .with_snippet_from(text),
            );
        }
        for (section, pattern) in &self.permalinks {
            if let Err(error) = crate::content::PermalinkPattern::parse(pattern) {
                problems.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        key_line(text, section, 2).unwrap_or_else(|| line_of("permalinks")),
                        1,
                        error.to_string(),
                    )
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(text),
                );
            }
        }
        if let Err(problem) = check_language(&self.language) {
            problems.push(
                Diagnostic::error(CONFIG_FILE, line_of("language"), 1, problem.message)
                    .with_code(Code::ConfigInvalidValue)
                    .with_snippet_from(text)
                    .with_help_opt(problem.help),
            );
        }
        if self.output_dir.trim().is_empty() {
            problems.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line_of("output_dir"),
                    1,
                    "output_dir must not be empty",
                )
                .with_code(Code::ConfigInvalidValue)
                .with_snippet_from(text),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The Markdown options this config asks for.
    pub fn markdown_options(&self) -> MarkdownOptions {
        MarkdownOptions {
            smart_punctuation: self.markdown.smart_punctuation,
            raw_html: match self.markdown.raw_html {
                RawHtmlSetting::Allow => RawHtml::Allow,
                RawHtmlSetting::Escape => RawHtml::Escape,
            },
            highlight: self.highlight.enabled,
            broken_links: match self.markdown.broken_links {
                BrokenLinks::Error => crate::diagnostics::Severity::Error,
                BrokenLinks::Warn => crate::diagnostics::Severity::Warning,
            },
            heading_ids: self.markdown.heading_ids,
            math: self.markdown.math,
            base_path: self.base_path().to_string(),
            // English; the build puts in the theme's string table's labels
            // (`Templates::markdown_labels`).
            labels: crate::markdown::Labels::default(),
        }
    }

    /// Why `output_dir` (from trailmark.yaml, relative to `root`) cannot be the output
    /// folder: the check a build makes before writing, reported at the `output_dir` line,
    /// so `check` finds it too.
    pub fn output_dir_problem(&self, root: &Path) -> Option<Diagnostic> {
        let dir = root.join(&self.output_dir);
        let resolved = crate::output::resolve_output_link(&dir)
            .and_then(|target| {
                crate::output::check_output_dir(root, target.as_deref().unwrap_or(&dir))
            })
            .err()?;
        Some(
            self.error_at(
                "output_dir",
                format!("output_dir `{}`: {}", self.output_dir, resolved.message),
            )
            .with_code(Code::ConfigInvalidValue),
        )
    }

    /// The path part of `base_url` without a trailing slash (`""` or `/courses`), which
    /// every root-relative URL the site writes is prefixed with.
    pub fn base_path(&self) -> &str {
        let without_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        without_scheme
            .find('/')
            .map_or("", |i| without_scheme[i..].trim_end_matches('/'))
    }
}

/// Why a site address is refused, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlProblem {
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for BaseUrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for BaseUrlProblem {}

/// The one validation of a site address, for `base_url` in trailmark.yaml and for
/// `--base-url` alike: `http://` or `https://`, a host of letters, digits, `-` and `.` (or
/// an `[IPv6]` literal) with an optional port, and a path of plain segments (no `.`/`..`,
/// no empty segment, nothing a URL would have to escape, no query or fragment), because
/// every link the site writes starts with it. Returns it without trailing slashes.
pub fn check_base_url(value: &str) -> Result<String, BaseUrlProblem> {
    let problem = |message: String, help: Option<&str>| BaseUrlProblem {
        message,
        help: help.map(str::to_string),
    };
    let trimmed = value.trim_end_matches('/');
    let Some(rest) = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
    else {
        return Err(problem(
            format!("base_url must start with http:// or https://, found `{value}`"),
            None,
        ));
    };
    if let Some(at) = rest.find(['?', '#']) {
        let what = if rest[at..].starts_with('?') {
            "a query (`?`)"
        } else {
            "a fragment (`#`)"
        };
        return Err(problem(
            format!("base_url cannot have {what}, found `{value}`"),
            Some(
                "every link of the site starts with base_url; write the address of the site's root folder, like `https://example.org/docs/`",
            ),
        ));
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let host_ok = if let Some(ipv6) = authority.strip_prefix('[') {
        ipv6.split_once(']').is_some_and(|(address, port)| {
            address.parse::<std::net::Ipv6Addr>().is_ok()
                && (port.is_empty() || valid_port(port.strip_prefix(':').unwrap_or("x")))
        })
    } else {
        let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.contains("..")
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && (!authority.contains(':') || valid_port(port))
    };
    if !host_ok {
        return Err(problem(
            format!("base_url has no valid host name, found `{value}`"),
            Some(
                "write a host of letters, digits, `-` and `.` (an international name in its `xn--` form), then an optional `:port`",
            ),
        ));
    }
    for segment in path.split('/').skip(1) {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(problem(
                format!("base_url's path cannot have `.`, `..` or empty segments, found `{value}`"),
                Some(
                    "write the path of the site's folder as it is, like `https://example.org/docs/`",
                ),
            ));
        }
        let mut bytes = segment.bytes();
        while let Some(b) = bytes.next() {
            let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b);
            let escape = b == b'%'
                && bytes.next().is_some_and(|h| h.is_ascii_hexdigit())
                && bytes.next().is_some_and(|h| h.is_ascii_hexdigit());
            if !plain && !escape {
                return Err(problem(
                    format!("base_url's path has a character a URL must escape, found `{value}`"),
                    Some("percent-encode it (`%20` for a space, `caf%C3%A9` for `café`)"),
                ));
            }
        }
    }
    Ok(trimmed.to_string())
}

/// `language` is written into `<html lang>`, feeds and the search index's folder names:
/// it must be a BCP 47 tag (RFC 5646's syntax: a primary language of 2-3 or 5-8 letters,
/// or `x-`/`i-`, then subtags of 1-8 letters and digits, joined by `-`).
pub fn check_language(value: &str) -> Result<(), BaseUrlProblem> {
    let well_formed = |tag: &str| {
        let mut subtags = tag.split('-');
        let first = subtags.next().unwrap_or_default();
        let primary = (matches!(first.len(), 2 | 3 | 5..=8)
            && first.bytes().all(|b| b.is_ascii_alphabetic()))
            || first.eq_ignore_ascii_case("x")
            || first.eq_ignore_ascii_case("i");
        let mut count = 1;
        let rest_ok = subtags.all(|s| {
            count += 1;
            (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        primary && rest_ok && (count > 1 || first.len() > 1)
    };
    if well_formed(value) {
        return Ok(());
    }
    let help = if value.contains('_') && well_formed(&value.replace('_', "-")) {
        format!(
            "BCP 47 joins subtags with `-`: write `{}`",
            value.replace('_', "-")
        )
    } else {
        "write a BCP 47 language tag such as `en`, `pt-BR` or `zh-Hant`".to_string()
    };
    Err(BaseUrlProblem {
        message: format!("language must be a BCP 47 language tag, found `{value}`"),
        help: Some(help),
    })
}

fn valid_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok()
}

fn check_keys(text: &str, value: &Value, problems: &mut Vec<Diagnostic>) {
    let Value::Object(top) = value else { return };
    report_unknown(text, top, TOP_KEYS, 0, "", problems);
    for (key, known) in [
        ("author", AUTHOR_KEYS),
        ("markdown", MARKDOWN_KEYS),
        ("highlight", HIGHLIGHT_KEYS),
        ("feeds", FEEDS_KEYS),
        ("comments", COMMENTS_KEYS),
        ("search", SEARCH_KEYS),
        ("limits", LIMITS_KEYS),
    ] {
        if let Some(Value::Object(map)) = top.get(key) {
            report_unknown(text, map, known, 2, key, problems);
        }
    }
    if let Some(Value::Array(items)) = top.get("menu") {
        for item in items {
            if let Value::Object(map) = item {
                report_unknown(text, map, MENU_KEYS, 2, "menu", problems);
            }
        }
    }
}

fn report_unknown(
    text: &str,
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    min_indent: usize,
    parent: &str,
    problems: &mut Vec<Diagnostic>,
) {
    for key in map.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let line = key_line(text, key, min_indent).unwrap_or(1);
        let place = if parent.is_empty() {
            String::new()
        } else {
            format!(" in `{parent}`")
        };
        let written = text.lines().nth(line - 1).unwrap_or_default();
        let column = written.find(key.as_str()).map_or(1, |c| c + 1);
        let help = match did_you_mean(key, known.iter().copied()) {
            Some(fix) => format!(
                "did you mean `{fix}`? write `{}`",
                written.trim().replacen(key.as_str(), fix, 1)
            ),
            None => format!("the keys here are: {}", known.join(", ")),
        };
        problems.push(
            Diagnostic::error(
                CONFIG_FILE,
                line,
                column,
                format!("unknown key `{key}`{place}"),
            )
            .with_code(Code::ConfigUnknownKey)
            .with_help(help)
            .with_snippet_from(text),
        );
    }
}

/// The line on which `key:` is written, at an indentation of at least `min_indent`.
fn key_line(text: &str, key: &str, min_indent: usize) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, line)| {
        let content = line.trim_start_matches([' ', '-', '{']);
        let indent = line.len() - content.len();
        let matches = indent >= min_indent
            && (min_indent > 0 || indent == 0)
            && (content.starts_with(&format!("{key}:"))
                || content.starts_with(&format!("\"{key}\":"))
                || content.contains(&format!(" {key}:")));
        matches.then_some(i + 1)
    })
}

fn first_bad_key(value: &Value, message: &str) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    map.keys()
        .find(|k| message.contains(&format!("`{k}`")))
        .cloned()
        .or_else(|| {
            // serde_json's messages name the expected type, not the key; fall back to the
            // first key whose own value fails to deserialise on its own.
            map.iter().find_map(|(k, v)| {
                let mut single = serde_json::Map::new();
                single.insert(k.clone(), v.clone());
                serde_json::from_value::<Config>(Value::Object(single))
                    .err()
                    .map(|_| k.clone())
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gets_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.taxonomies, vec!["tags"]);
        assert_eq!(c.output_dir, "public");
    }

    #[test]
    fn unknown_key_names_line_and_suggestion() {
        let e = Config::parse("title: x\ntitel: y\n").unwrap_err();
        assert_eq!(
            e[0].headline(),
            "trailmark.yaml:2:1: error: unknown key `titel` [TM0103]"
        );
        assert_eq!(
            e[0].help.as_deref(),
            Some("did you mean `title`? write `title: y`")
        );
    }

    #[test]
    fn nested_unknown_key_is_found() {
        let e = Config::parse("markdown:\n  raw_htm: escape\n").unwrap_err();
        assert_eq!(
            e[0].headline(),
            "trailmark.yaml:2:3: error: unknown key `raw_htm` in `markdown` [TM0103]"
        );
    }

    #[test]
    fn wrong_type_names_the_key_line() {
        let e = Config::parse("title: x\ntaxonomies: 5\n").unwrap_err();
        assert_eq!(e[0].line, 2, "{}", e[0]);
    }

    #[test]
    fn languages_are_bcp_47_tags() {
        for good in [
            "en",
            "en-US",
            "pt-BR",
            "zh-Hant-TW",
            "de-CH-1996",
            "sgn-BE-FR",
            "x-klingon",
            "haw",
        ] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a b",
            "en_US",
            "a/b",
            "../x",
            "e",
            "en-",
            "-en",
            "en--US",
            "en-abcdefghi",
            "x",
            "é",
        ] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_language("en_US").unwrap_err().help.as_deref(),
            Some("BCP 47 joins subtags with `-`: write `en-US`")
        );
    }

    #[test]
    fn site_addresses_are_checked_once_for_both_sources() {
        for good in [
            "https://example.org",
            "https://example.org/",
            "http://127.0.0.1:4000",
            "http://[::1]:8000/",
            "https://example.org:8443/a%20b/",
            "https://sub.example-site.org/docs/v1.2/",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "example.org/docs",
            "https://example.org/docs?x=1#frag",
            "https://example.org/#top",
            "https://example.org/../../",
            "https://example.org/a/./b",
            "https://example.org//a",
            "https://exa mple.org/",
            "https://example.org:8443/a b/",
            "https://example.org/café/",
            "https://example.org:99999/",
            "https://example.org:/",
            "https://user@example.org/",
            "https:///docs",
            "https://example.org/a\\b",
            "https://example.org/%zz/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_path_is_taken_from_base_url() {
        let c = Config::parse("base_url: https://example.org/docs/\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/docs");
        assert_eq!(c.base_path(), "/docs");
        let c = Config::parse("base_url: https://example.org\n").unwrap();
        assert_eq!(c.base_path(), "");
    }

    #[test]
    fn known_key_lists_match_the_types() {
        // Every key the typo check accepts must be a field of the typed config, and back.
        let defaults = serde_json::to_value(Config::default()).unwrap();
        let fields: Vec<&str> = defaults
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, TOP_KEYS);
        let markdown: Vec<String> = defaults["markdown"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(markdown, MARKDOWN_KEYS);
        let highlight: Vec<String> = defaults["highlight"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(highlight, HIGHLIGHT_KEYS);
        let author: Vec<String> = defaults["author"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(author, AUTHOR_KEYS);
        let search: Vec<String> = defaults["search"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(search, SEARCH_KEYS);
    }

    #[test]
    fn search_switch_has_a_short_and_a_long_form() {
        assert!(Config::parse("").unwrap().search.enabled);
        assert!(!Config::parse("search: false\n").unwrap().search.enabled);
        assert!(
            !Config::parse("search:\n  enabled: false\n")
                .unwrap()
                .search
                .enabled
        );
        let e = Config::parse("search:\n  enabld: false\n").unwrap_err();
        assert_eq!(
            e[0].headline(),
            "trailmark.yaml:2:3: error: unknown key `enabld` in `search` [TM0103]"
        );
    }

    #[test]
    fn edit_urls_follow_the_pattern() {
        let c = Config::parse("repo_url: https://git.example.org/hb/edit/main/{path}\n").unwrap();
        assert_eq!(
            c.edit_url("content/a.md").as_deref(),
            Some("https://git.example.org/hb/edit/main/content/a.md")
        );
        assert_eq!(Config::parse("").unwrap().edit_url("content/a.md"), None);
    }
}
