//! Diagnostics as data: every problem a build finds in the user's input, and the one place
//! that renders them.
//!
//! Library code never prints. Each stage returns its problems as [`Diagnostic`]s; the build
//! collects them across the whole site, sorts them, and the binary prints them together.
//! Every diagnostic carries a stable [`Code`] (listed with an example each in
//! `docs/errors.md`) and may carry a `help` line that says the fix. The renderings:
//!
//! - text ([`fmt::Display`]), for the terminal and the `serve` overlay:
//!   `path:line:col: severity: message [TM0301]`, the offending line with a caret under the
//!   column, then `= help: ...`. The code sits at the end of the line, as GCC and Clang put
//!   theirs, so tools that read `path:line:col: severity: message` keep working;
//! - [`Diagnostic::to_json`]: one JSON object per line (JSON Lines), for editors;
//! - [`Diagnostic::to_github`]: a GitHub Actions workflow command, for CI annotations.

use std::fmt;

/// Declares the code table once: the enum, its text, its readable name and what it means.
macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $summary:literal; )*) => {
        /// A stable code per kind of problem. Codes are never reused or renumbered; a kind of
        /// problem that goes away leaves its code unused. `docs/errors.md` lists every code
        /// with an example, and the integration tests pin the full text of each.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed: `TM0301`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A readable name for the code: `link-missing-page`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// One line saying what the code is about.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

// Numbering: TM00xx general, TM01xx trailmark.yaml, TM02xx front matter, TM03xx links,
// TM04xx Markdown blocks, TM05xx templates, TM06xx the site's shape, TM07xx reading files,
// TM08xx writing output, TM09xx `trailmark new`. Add a line here, a section to
// docs/errors.md and a case under tests/codes/ for each new code. TM0000 (`uncoded`) is
// retired: a diagnostic cannot be made without a code (see [`Draft`]).
codes! {
    /// The per-file cap hid the rest of a file's problems.
    MoreProblems = "TM0001", "more-problems", "more problems in this file than are shown";
    /// A fault in Trailmark itself, not in the site.
    Internal = "TM0002", "internal", "a fault in Trailmark itself, not in the site";
    /// `trailmark.yaml` is missing or unreadable.
    ConfigMissing = "TM0101", "config-missing", "the site has no readable trailmark.yaml";
    /// `trailmark.yaml` is not valid YAML.
    ConfigSyntax = "TM0102", "config-syntax", "trailmark.yaml is not valid YAML";
    /// A key of `trailmark.yaml` that Trailmark does not know.
    ConfigUnknownKey = "TM0103", "config-unknown-key", "a key trailmark.yaml does not know";
    /// A value of `trailmark.yaml` of the wrong type or out of range.
    ConfigInvalidValue = "TM0104", "config-invalid-value", "a value in trailmark.yaml that is not allowed";
    /// `theme:` names a theme that is not there.
    ConfigUnknownTheme = "TM0105", "config-unknown-theme", "`theme:` names a theme that does not exist";
    /// `highlight.theme` names a highlighting theme that is not there.
    ConfigUnknownHighlightTheme = "TM0106", "config-unknown-highlight-theme", "a highlighting theme that does not exist";
    /// Front matter opened with `---` or `+++` and never closed.
    FrontMatterUnclosed = "TM0201", "front-matter-unclosed", "front matter that is never closed";
    /// Front matter that is not valid YAML or TOML.
    FrontMatterSyntax = "TM0202", "front-matter-syntax", "front matter that is not valid YAML or TOML";
    /// A quote, bracket or brace opened and never closed, in front matter or trailmark.yaml.
    UnclosedDelimiter = "TM0203", "unclosed-delimiter", "a quote, bracket or brace that is never closed";
    /// A front matter value of the wrong type or form.
    FrontMatterInvalidValue = "TM0204", "front-matter-invalid-value", "a front matter value that is not allowed";
    /// A front matter key that looks like a misspelt known key.
    FrontMatterMisspeltKey = "TM0205", "front-matter-misspelt-key", "a front matter key that looks like a typo";
    /// A duration of zero or of more than a day.
    SuspiciousDuration = "TM0206", "suspicious-duration", "a duration of zero or of more than 24 hours";
    /// A front matter key written where it does nothing.
    KeyHasNoEffect = "TM0207", "key-has-no-effect", "a front matter key that has no effect where it is written";
    /// Terms under a taxonomy name (`categories:`) the site does not declare.
    UndeclaredTaxonomy = "TM0208", "undeclared-taxonomy", "terms under a taxonomy the site does not declare";
    /// Front matter that does not open on the file's first line, or opens with a bad fence.
    FrontMatterMisplaced = "TM0209", "front-matter-misplaced", "front matter that would be published as text";
    /// A link to a Markdown page that does not exist.
    LinkMissingPage = "TM0301", "link-missing-page", "a link to a page that does not exist";
    /// A link to an anchor that no heading or element of the target page has.
    LinkMissingAnchor = "TM0302", "link-missing-anchor", "a link to an anchor that does not exist";
    /// A link or image to a file that does not exist.
    LinkMissingFile = "TM0303", "link-missing-file", "a link or image to a file that does not exist";
    /// A link that cannot lead into the built site.
    LinkUnresolved = "TM0304", "link-unresolved", "a link outside the content folder, to a draft, or another tool's link to nothing";
    /// A `:::` fenced div that is never closed, or a `:::` that closes nothing.
    UnbalancedDiv = "TM0401", "unbalanced-div", "a fenced div that is never closed, or a stray `:::`";
    /// A `:::` div name that Trailmark does not know.
    UnknownDiv = "TM0402", "unknown-div", "a fenced div name Trailmark does not know";
    /// A GitHub alert name that Trailmark does not know.
    UnknownAlert = "TM0403", "unknown-alert", "a GitHub alert name Trailmark does not know";
    /// A quiz block that cannot be read.
    Quiz = "TM0404", "quiz", "a quiz that cannot be read";
    /// A shortcode that is not built in and that the site does not add.
    UnknownShortcode = "TM0405", "unknown-shortcode", "a shortcode that does not exist";
    /// A shortcode with wrong or missing arguments.
    ShortcodeArguments = "TM0406", "shortcode-arguments", "a shortcode call with wrong arguments";
    /// An id used twice in one page.
    DuplicateId = "TM0407", "duplicate-id", "a heading or footnote id used twice in a page";
    /// Attributes of a code block's fence that cannot be read.
    BlockAttributes = "TM0408", "block-attributes", "code block attributes that cannot be read";
    /// Another tool's template syntax in content, printed as written.
    ForeignTemplateSyntax = "TM0409", "foreign-template-syntax", "another tool's template syntax in content, printed as written";
    /// TeX math that does not convert to MathML. Numbered apart from the other TM04xx codes,
    /// which are handed out in order.
    Math = "TM0450", "math", "a formula whose TeX cannot be converted to MathML";
    /// A template that does not parse.
    TemplateSyntax = "TM0501", "template-syntax", "a template that does not parse";
    /// A template that fails while rendering a page.
    TemplateRender = "TM0502", "template-render", "a template that fails while rendering";
    /// A template that is named but does not exist.
    TemplateNotFound = "TM0503", "template-not-found", "a template that does not exist";
    // TM0504 is kept for the math code of the theme work.
    /// Template output over the size limit, or not UTF-8.
    TemplateOutput = "TM0505", "template-output", "template output that is too large or not UTF-8";
    /// Templates that extend or include each other in a loop.
    TemplateLoop = "TM0506", "template-loop", "templates that extend or include each other in a loop";
    /// A file of interface strings that cannot be read.
    StringTable = "TM0507", "string-table", "a file of interface strings that cannot be read";
    /// Two sources that would write the same output file.
    DuplicateOutput = "TM0601", "duplicate-output", "two sources write the same output";
    /// A post that joins a milestone its journey does not have.
    UnknownMilestone = "TM0602", "unknown-milestone", "a milestone that does not exist";
    /// A handbook page past its review date.
    ReviewOverdue = "TM0603", "review-overdue", "a page past its `review_by` date";
    /// A permalink pattern with a date for a page that has none.
    PermalinkNeedsDate = "TM0604", "permalink-needs-date", "a permalink that needs a date the page does not have";
    /// Two taxonomy terms that become the same URL.
    TermCollision = "TM0605", "term-collision", "two taxonomy terms that share a URL";
    /// A name Windows reserves, as a URL segment.
    ReservedName = "TM0606", "reserved-name", "a file name Windows reserves (`con`, `nul`, ...)";
    /// An output path that collides with a folder or that file systems cannot hold.
    OutputPath = "TM0607", "output-path", "an output path that collides or that file systems cannot hold";
    /// A file that is not UTF-8.
    NotUtf8 = "TM0701", "not-utf8", "a file that is not valid UTF-8";
    /// A symbolic link that is broken, loops or leads outside the site.
    Symlink = "TM0702", "symlink", "a symlink that is broken, loops, or leads outside the site";
    /// A device, socket or pipe among the site's files.
    SpecialFile = "TM0703", "special-file", "a file that is not a regular file (device, socket, pipe)";
    /// A file or folder the operating system would not let Trailmark read.
    CannotRead = "TM0704", "cannot-read", "a file or folder that cannot be read";
    /// A file over the size limit.
    FileTooLarge = "TM0705", "file-too-large", "a file over the size limit";
    /// A control character in a text file.
    ControlCharacter = "TM0706", "control-character", "a control character or non-character that HTML and XML forbid";
    /// The output could not be written (disk full, no permission, ...).
    CannotWrite = "TM0801", "cannot-write", "the output could not be written (disk full, permissions, ...)";
    /// The output folder changed while the build ran.
    OutputChanged = "TM0802", "output-changed", "the output folder changed during the build";
    /// The search index could not be built.
    SearchIndex = "TM0803", "search-index", "the search index could not be built";
    /// `trailmark new` asked for something the content model does not allow.
    NewNotAllowed = "TM0901", "new-not-allowed", "`trailmark new` refused a place the content model does not allow";
}

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
    /// What kind of problem this is.
    pub code: Code,
    /// The fix, or the names the user may have meant; printed as `= help: ...`.
    pub help: Option<String>,
}

/// A diagnostic still without its code: what [`Diagnostic::error`] and
/// [`Diagnostic::warning`] return. Only [`Draft::with_code`] turns it into a [`Diagnostic`],
/// so a problem cannot reach the user without a code of the table above:
///
/// ```compile_fail
/// use trailmark::diagnostics::Diagnostic;
/// let uncoded: Diagnostic = Diagnostic::error("content/a.md", 1, 1, "no code");
/// ```
///
/// ```
/// use trailmark::diagnostics::{Code, Diagnostic};
/// let coded: Diagnostic =
///     Diagnostic::error("content/a.md", 1, 1, "no page").with_code(Code::LinkMissingPage);
/// assert_eq!(coded.headline(), "content/a.md:1:1: error: no page [TM0301]");
/// ```
#[derive(Debug, Clone)]
#[must_use = "a draft becomes a diagnostic with `.with_code(Code::...)`"]
pub struct Draft {
    file: String,
    line: usize,
    column: usize,
    severity: Severity,
    message: String,
    snippet: Option<String>,
    help: Option<String>,
}

impl Draft {
    /// Gives the problem its code, making it a [`Diagnostic`].
    pub fn with_code(self, code: Code) -> Diagnostic {
        Diagnostic {
            file: self.file,
            line: self.line,
            column: self.column,
            severity: self.severity,
            message: self.message,
            snippet: self.snippet,
            code,
            help: self.help,
        }
    }

    /// Adds the `help:` line: the fix, or what the user may have meant.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a `help:` line only when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Sets the snippet (the text of the offending line) as it is.
    pub fn with_snippet(mut self, snippet: Option<String>) -> Self {
        self.snippet = snippet;
        self
    }

    /// Attaches the text of line `line` of `source` as the snippet.
    pub fn with_snippet_from(self, source: &str) -> Self {
        self.with_snippet_from_part(source, 1)
    }

    /// Attaches the snippet from `part`, a piece of the file whose first line is line
    /// `first_line` of the file (a page's body, a quiz block).
    pub fn with_snippet_from_part(mut self, part: &str, first_line: usize) -> Self {
        if self.line >= first_line.max(1) {
            self.snippet = snippet_of(part, first_line, self.line);
        }
        self
    }
}

/// Line `line` of the file, from `part` whose first line is `first_line`.
fn snippet_of(part: &str, first_line: usize, line: usize) -> Option<String> {
    if line < first_line.max(1) {
        return None;
    }
    part.lines()
        .nth(line - first_line.max(1))
        .map(|l| l.trim_end_matches('\r').to_string())
}

impl Diagnostic {
    /// An error at `file:line:column`; give it its code with [`Draft::with_code`].
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Draft {
        Draft {
            file: file.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            snippet: None,
            help: None,
        }
    }

    /// A warning at `file:line:column`; give it its code with [`Draft::with_code`].
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Draft {
        Draft {
            severity: Severity::Warning,
            ..Self::error(file, line, column, message)
        }
    }

    /// Gives the diagnostic another code.
    #[must_use]
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// Adds the `help:` line: the fix, or what the user may have meant.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a `help:` line only when there is one.
    #[must_use]
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Attaches the text of line `self.line` of `source` as the snippet.
    #[must_use]
    pub fn with_snippet_from(self, source: &str) -> Self {
        self.with_snippet_from_part(source, 1)
    }

    /// Attaches the snippet from `part`, a piece of the file whose first line is line
    /// `first_line` of the file (a page's body, a quiz block).
    #[must_use]
    pub fn with_snippet_from_part(mut self, part: &str, first_line: usize) -> Self {
        if self.line >= first_line.max(1) {
            self.snippet = snippet_of(part, first_line, self.line);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, leaving out what is unknown.
    fn place(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (line, 0) => format!("{}:{line}", self.file),
            (line, column) => format!("{}:{line}:{column}", self.file),
        }
    }

    /// Renders the `path:line:col: severity: message [code]` line, without the snippet.
    pub fn headline(&self) -> String {
        format!(
            "{}: {}: {} [{}]",
            visible(&self.place()),
            self.severity,
            visible(&at_most(&self.message, MESSAGE_CHARS)),
            self.code.as_str()
        )
    }

    /// One line of JSON (JSON Lines), for editors and tools: `file`, `line`, `column`
    /// (0 when unknown), `severity`, `code`, `message` and `help` (null when none).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.to_string(),
            "code": self.code.as_str(),
            "message": self.message,
            "help": self.help,
        })
        .to_string()
    }

    /// A GitHub Actions workflow command (`::error file=...,line=...,col=...::message`),
    /// which the runner shows as an annotation on the line.
    pub fn to_github(&self) -> String {
        let mut properties = vec![format!("file={}", github_property(&self.file))];
        if self.line > 0 {
            properties.push(format!("line={}", self.line));
            if self.column > 0 {
                properties.push(format!("col={}", self.column));
            }
        }
        properties.push(format!(
            "title={}",
            github_property(&format!("{} {}", self.code.as_str(), self.code.name()))
        ));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message = format!("{message}\nhelp: {help}");
        }
        format!(
            "::{} {}::{}",
            self.severity,
            properties.join(","),
            github_data(&message)
        )
    }
}

/// The headline without its code, for unit tests that pin messages, not codes.
#[cfg(test)]
pub(crate) fn uncoded_headline(d: &Diagnostic) -> String {
    let line = d.headline();
    let suffix = format!(" [{}]", d.code.as_str());
    line.strip_suffix(&suffix).unwrap_or(&line).to_string()
}

/// Escapes a workflow command's message as the runner expects.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: its data escapes plus `:` and `,`.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The terminal text, also shown by `serve` (escaped) in the browser: the headline, the
/// offending line with its number and a caret under the column, and the help line.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        let gutter = self.line.to_string();
        let blank = " ".repeat(gutter.len());
        if let Some(snippet) = &self.snippet {
            // A long line (minified HTML, a generated table) is shown around the column.
            let (snippet, column) = around_column(snippet, self.column);
            write!(f, "\n {gutter} | {}", visible(&snippet))?;
            if column > 0 {
                // Columns count characters, so the caret lines up with what the user sees.
                let before: String = snippet.chars().take(column - 1).collect();
                let pad: String = visible(&before)
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {blank} | {pad}^")?;
            }
        }
        if let Some(help) = self.help.as_deref().map(visible) {
            if self.snippet.is_some() {
                write!(f, "\n {blank} = help: {help}")?;
            } else {
                write!(f, "\n   = help: {help}")?;
            }
        }
        Ok(())
    }
}

/// Characters of a snippet shown on the terminal; a longer line is cut to this many around
/// the column, with `…` where it was cut.
const SNIPPET_CHARS: usize = 160;

/// Characters of a message shown on the terminal: one quoting a whole construct of the
/// content (a 10 KB formula) keeps its start and end.
const MESSAGE_CHARS: usize = 400;

/// `text` with its middle cut out when it is longer than `limit` characters.
fn at_most(text: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    let length = text.chars().count();
    if length <= limit {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = limit / 2;
    let head: String = text.chars().take(keep).collect();
    let tail: String = text.chars().skip(length - keep).collect();
    std::borrow::Cow::Owned(format!(
        "{head} … ({} characters not shown) … {tail}",
        length - 2 * keep
    ))
}

/// `line` cut to [`SNIPPET_CHARS`] around `column` (1-based; 0 when unknown), and the
/// column in the cut text.
fn around_column(line: &str, column: usize) -> (std::borrow::Cow<'_, str>, usize) {
    let length = line.chars().count();
    if length <= SNIPPET_CHARS {
        return (std::borrow::Cow::Borrowed(line), column);
    }
    let at = column.saturating_sub(1).min(length);
    let start = at
        .saturating_sub(SNIPPET_CHARS / 2)
        .min(length - SNIPPET_CHARS);
    let end = start + SNIPPET_CHARS;
    let mut cut = String::new();
    if start > 0 {
        cut.push('…');
    }
    cut.extend(line.chars().skip(start).take(SNIPPET_CHARS));
    if end < length {
        cut.push('…');
    }
    let column = if column == 0 {
        0
    } else {
        at - start + 1 + usize::from(start > 0)
    };
    (std::borrow::Cow::Owned(cut), column)
}

/// Text for the terminal with what could act on it written out: control characters (an
/// escape sequence in a file name could retitle or recolour the terminal, a newline forge a
/// diagnostic line that problem matchers read) and the bidirectional overrides that make
/// text read in another order than it is stored, each as `\u{..}`. Tabs stay.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(acts) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
                kept.push(
                    if errors > 0 {
                        Diagnostic::error(file, 0, 0, summary)
                    } else {
                        Diagnostic::warning(file, 0, 0, summary)
                    }
                    .with_code(Code::MoreProblems),
                );
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

    /// Shows the offending line under every located problem that has no snippet yet,
    /// reading each file once through `read` (a site-relative name to its text). Stages
    /// that find problems far from the text (the anchor check, the site graph) need not
    /// carry it.
    pub fn fill_snippets(&mut self, mut read: impl FnMut(&str) -> Option<String>) {
        let mut texts: std::collections::HashMap<String, Option<Vec<String>>> =
            std::collections::HashMap::new();
        for d in &mut self.items {
            if d.line == 0 || d.snippet.is_some() {
                continue;
            }
            // Each file is read and split into lines once, however many problems it has.
            let lines = texts.entry(d.file.clone()).or_insert_with(|| {
                read(&d.file).map(|text| text.lines().map(str::to_string).collect())
            });
            if let Some(lines) = lines {
                d.snippet = lines.get(d.line - 1).map(|l| {
                    l.trim_start_matches('\u{feff}')
                        .trim_end_matches('\r')
                        .to_string()
                });
            }
        }
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

/// Up to `max` known words close enough to `word` to be likely typos, nearest first.
///
/// For "did you mean" hints that may offer more than one name (pages, anchors, files).
pub fn nearest<'a>(
    word: &str,
    known: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let word_lower = word.to_lowercase();
    let mut close: Vec<(usize, &str)> = known
        .into_iter()
        .filter(|k| *k != word)
        .filter_map(|k| {
            let length = k.chars().count();
            let limit = match length {
                0..=3 => 1,
                4..=7 => 2,
                _ => 3,
            };
            // Lengths further apart than the limit cannot be within it.
            if length.abs_diff(word_lower.chars().count()) > limit {
                return None;
            }
            let distance = edit_distance(&word_lower, &k.to_lowercase());
            (distance <= limit).then_some((distance, k))
        })
        .collect();
    close.sort_unstable();
    close.dedup();
    close.into_iter().take(max).map(|(_, k)| k).collect()
}

/// `` `a` `` / `` `a` or `b` `` / `` `a`, `b` or `c` ``: names for a "did you mean" line.
pub fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
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
    fn long_lines_are_shown_around_the_column() {
        let line = format!("{}<bad>{}", "a".repeat(1000), "b".repeat(1000));
        let d = Diagnostic::error("big.html", 1, 1001, "here")
            .with_snippet(Some(line))
            .with_code(Code::Internal);
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[1].chars().count() < 200, "{}", lines[1]);
        assert!(
            lines[1].starts_with(" 1 | …a") && lines[1].ends_with("b…"),
            "{}",
            lines[1]
        );
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('<'));
        let start = Diagnostic::error("big.html", 1, 3, "here")
            .with_snippet(Some("x".repeat(1000)))
            .with_code(Code::Internal)
            .to_string();
        assert!(start.lines().nth(1).unwrap().starts_with(" 1 | xxx"));
        assert_eq!(start.lines().nth(2).unwrap(), "   |   ^");
    }

    #[test]
    fn long_messages_keep_their_start_and_end() {
        let d = Diagnostic::warning("a.md", 1, 1, format!("start {} end", "x".repeat(5000)))
            .with_code(Code::Internal);
        let headline = d.headline();
        assert!(headline.len() < 600, "{headline}");
        assert!(headline.starts_with("a.md:1:1: warning: start xx"));
        assert!(headline.contains("characters not shown"));
        assert!(headline.ends_with("xx end [TM0002]"));
    }

    #[test]
    fn display_shows_snippet_and_caret() {
        let d = Diagnostic::error("content/a.md", 2, 7, "bad thing")
            .with_snippet_from("---\ntitle: [x\n---\n")
            .with_code(Code::FrontMatterSyntax);
        assert_eq!(
            d.to_string(),
            "content/a.md:2:7: error: bad thing [TM0202]\n 2 | title: [x\n   |       ^"
        );
    }

    #[test]
    fn display_shows_code_and_help() {
        let d = Diagnostic::warning("content/a.md", 12, 3, "unknown div `sidebr`")
            .with_code(Code::UnknownDiv)
            .with_help("did you mean `sidebar`?")
            .with_snippet_from_part("x\n::: sidebr\n", 11);
        assert_eq!(
            d.to_string(),
            "content/a.md:12:3: warning: unknown div `sidebr` [TM0402]\n \
             12 | ::: sidebr\n    |   ^\n    = help: did you mean `sidebar`?"
        );
        let bare = Diagnostic::error("trailmark.yaml", 0, 0, "x")
            .with_help("do y")
            .with_code(Code::ConfigInvalidValue);
        assert_eq!(
            bare.to_string(),
            "trailmark.yaml: error: x [TM0104]\n   = help: do y"
        );
    }

    #[test]
    fn json_and_github_forms() {
        let d = Diagnostic::error("content/a,b.md", 3, 9, "100% \"broken\"\nlink")
            .with_code(Code::LinkMissingPage)
            .with_help("did you mean `b.md`?");
        assert_eq!(
            d.to_json(),
            r#"{"file":"content/a,b.md","line":3,"column":9,"severity":"error","code":"TM0301","message":"100% \"broken\"\nlink","help":"did you mean `b.md`?"}"#
        );
        assert_eq!(
            d.to_github(),
            "::error file=content/a%2Cb.md,line=3,col=9,title=TM0301 link-missing-page::\
             100%25 \"broken\"%0Alink%0Ahelp: did you mean `b.md`?"
        );
        let w = Diagnostic::warning("trailmark.yaml", 0, 0, "x").with_code(Code::ConfigUnknownKey);
        assert_eq!(
            w.to_github(),
            "::warning file=trailmark.yaml,title=TM0103 config-unknown-key::x"
        );
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(
                text.len() == 6
                    && text.starts_with("TM")
                    && text[2..].bytes().all(|b| b.is_ascii_digit()),
                "{text}"
            );
            assert!(seen.insert(text), "{text} twice");
            assert!(seen.insert(code.name()), "{} twice", code.name());
        }
    }

    #[test]
    fn nearest_names_first() {
        let known = ["02-formulas.md", "03-formats.md", "intro.md"];
        assert_eq!(nearest("02-formula.md", known, 3), vec!["02-formulas.md"]);
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }

    #[test]
    fn each_file_is_capped_but_everything_is_counted() {
        let mut ds = Diagnostics::new();
        for line in 1..=120 {
            ds.push(Diagnostic::error("big.md", line, 1, "unclosed").with_code(Code::Quiz));
        }
        ds.push(Diagnostic::warning("small.md", 1, 1, "hmm").with_code(Code::Quiz));
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
            Some("big.md: error: 70 more problems in this file are not shown [TM0001]")
        );
        assert_eq!(ds.error_count(), 120);
        assert_eq!(ds.warning_count(), 1);
    }

    #[test]
    fn sorted_by_file_then_position() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.md", 1, 1, "x").with_code(Code::Quiz));
        ds.push(Diagnostic::warning("a.md", 9, 1, "y").with_code(Code::Quiz));
        ds.push(Diagnostic::error("a.md", 2, 1, "z").with_code(Code::Quiz));
        ds.finish();
        let files: Vec<_> = ds.iter().map(|d| (d.file.as_str(), d.line)).collect();
        assert_eq!(files, vec![("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }
}
