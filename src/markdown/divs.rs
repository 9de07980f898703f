//! Fenced divs (`::: challenge` ... `:::`, pandoc and Carpentries style).
//!
//! pulldown-cmark knows nothing of them, so before the real parse each fence line is swapped
//! for a one-line HTML comment (a placeholder). A comment line always forms an HTML block of
//! its own and may interrupt a paragraph, so the Markdown between fences still renders, in
//! one parse (reference links and footnote numbers work across divs), and every other line
//! keeps its number for diagnostics. While rendering, the placeholder at a fence's line is
//! replaced with the div's opening or closing HTML.
//!
//! Fence lines inside code blocks or raw HTML blocks are text, not fences. To know where
//! those are, the body is parsed once beforehand, but only when some line looks like a fence.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::escape::escape_html;
use super::labels::{Label, Labels};
use crate::diagnostics::{Code, did_you_mean};

/// The text standing in for a fence line during the real parse.
pub(crate) const PLACEHOLDER: &str = "<!-- trailmark:div -->";

/// Callout-style kinds: `<aside class="callout callout-{kind}">` with a title paragraph.
const CALLOUT_KINDS: [&str; 13] = [
    "note",
    "tip",
    "warning",
    "caution",
    "important",
    "callout",
    "discussion",
    "checklist",
    "testimonial",
    "prereq",
    "objectives",
    "questions",
    "keypoints",
];

/// One opened div: the HTML written at its opening and closing fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Div {
    pub(crate) open: String,
    pub(crate) close: &'static str,
    pub(crate) role: DivRole,
}

/// What a div means beyond its markup: whether the renderer keeps it out of the learner's
/// HTML (instructor notes) or may lift it into the lesson's overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DivRole {
    Plain,
    Instructor,
    Objectives,
    Questions,
    Keypoints,
}

impl DivRole {
    fn of(class: &str) -> Self {
        match class {
            "instructor" => DivRole::Instructor,
            "objectives" => DivRole::Objectives,
            "questions" => DivRole::Questions,
            "keypoints" => DivRole::Keypoints,
            _ => DivRole::Plain,
        }
    }
}

/// What a fence line does, decided when the whole body has been scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fence {
    Open(Div),
    Close,
    /// A closing fence with nothing open; dropped (after a warning).
    Stray,
}

/// A problem found while pairing fences, on a 0-based body line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FenceProblem {
    pub(crate) line_index: usize,
    pub(crate) column: usize,
    pub(crate) is_error: bool,
    pub(crate) message: String,
    pub(crate) code: Code,
    pub(crate) help: Option<String>,
}

/// The body prepared for the real parse.
pub(crate) struct DivScan<'s> {
    /// The body, with fence lines replaced by [`PLACEHOLDER`] (borrowed when there are none).
    pub(crate) source: Cow<'s, str>,
    /// Fence lines by 0-based line index.
    pub(crate) fences: HashMap<usize, Fence>,
    pub(crate) problems: Vec<FenceProblem>,
}

/// A fence line as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FenceLine {
    Open {
        class: String,
        title: Option<String>,
        /// Written `::: {.class}`: the author's own class, on purpose.
        braced: bool,
    },
    Close,
}

/// A line that looks like a fence, before checking it is not inside code or raw HTML.
struct Candidate {
    line_index: usize,
    line: Range<usize>,
    /// Byte offset of the first colon.
    content_start: usize,
    /// How many block quotes (`>`, GitHub alerts included) the line is in.
    quote_depth: usize,
    fence: FenceLine,
}

/// Finds, pairs and replaces the fence lines of `body`.
pub(crate) fn scan<'b>(body: &'b str, options: Options, labels: &Labels) -> DivScan<'b> {
    let candidates = candidates(body);
    if candidates.is_empty() {
        return DivScan {
            source: Cow::Borrowed(body),
            fences: HashMap::new(),
            problems: Vec::new(),
        };
    }
    let literal = literal_ranges(body, options);
    let mut literal_iter = literal.iter().peekable();
    let mut accepted = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        // Both lists are in text order, so one forward walk finds the enclosing range.
        while literal_iter
            .peek()
            .is_some_and(|r| r.end <= candidate.content_start)
        {
            literal_iter.next();
        }
        let inside = literal_iter
            .peek()
            .is_some_and(|r| r.start <= candidate.content_start);
        if !inside {
            accepted.push(candidate);
        }
    }
    if accepted.is_empty() {
        return DivScan {
            source: Cow::Borrowed(body),
            fences: HashMap::new(),
            problems: Vec::new(),
        };
    }

    let mut fences = HashMap::new();
    let mut problems = Vec::new();
    // (line index, column, text as written, class, quote depth) of each open div.
    let mut open: Vec<(usize, usize, &str, &str, usize)> = Vec::new();
    let mut source = String::with_capacity(body.len() + accepted.len() * PLACEHOLDER.len());
    let mut copied = 0;
    for candidate in &accepted {
        let column = body
            .get(candidate.line.start..candidate.content_start)
            .map_or(0, |s| s.chars().count())
            + 1;
        let fence = match &candidate.fence {
            FenceLine::Open {
                class,
                title,
                braced,
            } => {
                let written = body
                    .get(candidate.content_start..candidate.line.end)
                    .unwrap_or_default()
                    .trim_end();
                if !braced && !is_known(class) {
                    problems.push(unknown_div(class, candidate.line_index, column + 4));
                }
                let parent = open.last().map(|(_, _, _, class, _)| *class);
                if class == "tab" && parent != Some("tabs") {
                    problems.push(FenceProblem {
                        line_index: candidate.line_index,
                        column,
                        is_error: false,
                        message: "`::: tab` belongs directly inside a `::: tabs` block; \
                                  it shows as a labelled block"
                            .to_string(),
                        code: Code::UnbalancedDiv,
                        help: Some("put it between `::: tabs` and its closing `:::`".into()),
                    });
                }
                open.push((
                    candidate.line_index,
                    column,
                    written,
                    class.as_str(),
                    candidate.quote_depth,
                ));
                Fence::Open(div_html(class, title.as_deref(), labels))
            }
            FenceLine::Close => {
                let opened_at = open.last().map(|(.., depth)| *depth);
                if opened_at.is_some_and(|depth| depth != candidate.quote_depth) {
                    // Closing it here would end the div in another block than it began
                    // (and an instructor note would spill out of its quote).
                    problems.push(FenceProblem {
                        line_index: candidate.line_index,
                        column,
                        is_error: true,
                        message: "this `:::` would close a div opened at another block quote level"
                            .to_string(),
                        code: Code::UnbalancedDiv,
                        help: Some(
                            "open and close a div inside the same quote: both fences with the same `>` markers"
                                .into(),
                        ),
                    });
                    Fence::Stray
                } else if open.pop().is_some() {
                    Fence::Close
                } else {
                    problems.push(FenceProblem {
                        line_index: candidate.line_index,
                        column,
                        is_error: false,
                        message: "closing fence `:::` has no fenced div to close".to_string(),
                        code: Code::UnbalancedDiv,
                        help: Some("remove it, or open a div above with `::: name`".into()),
                    });
                    Fence::Stray
                }
            }
        };
        fences.insert(candidate.line_index, fence);
        // Keep the indentation so a fence inside a list item stays inside it.
        source.push_str(
            body.get(copied..candidate.content_start)
                .unwrap_or_default(),
        );
        source.push_str(PLACEHOLDER);
        copied = candidate.line.end;
    }
    source.push_str(body.get(copied..).unwrap_or_default());
    for (line_index, column, written, ..) in open {
        problems.push(FenceProblem {
            line_index,
            column,
            is_error: true,
            message: format!(
                "fenced div `{}` opened here is never closed",
                shorten(written)
            ),
            code: Code::UnbalancedDiv,
            help: Some("end it with a line holding only `:::`".into()),
        });
    }
    DivScan {
        source: Cow::Owned(source),
        fences,
        problems,
    }
}

/// Lines that parse as fences, in order. `line` excludes the line ending.
fn candidates(body: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    // Most pages have no `:::` at all; reading them line by line was 0.7% of a cold
    // build's instructions.
    if memchr::memmem::find(body.as_bytes(), b":::").is_none() {
        return found;
    }
    let mut start = 0;
    for (line_index, raw) in body.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        // A fence inside a block quote or an alert is one too (`> ::: instructor`): its
        // markers stay, so the div opens and closes inside the quote.
        let (content, quote_depth) = after_quote_markers(line);
        if !content.starts_with(":::") {
            continue;
        }
        if let Some(fence) = parse_fence(content) {
            found.push(Candidate {
                line_index,
                line: line_start..line_start + line.len(),
                content_start: line_start + (line.len() - content.len()),
                quote_depth,
                fence,
            });
        }
    }
    found
}

/// The line after its indentation and block quote markers, and how many markers it had.
fn after_quote_markers(line: &str) -> (&str, usize) {
    let mut rest = line.trim_start_matches([' ', '\t']);
    let mut depth = 0;
    while let Some(inner) = rest.strip_prefix('>') {
        depth += 1;
        rest = inner.trim_start_matches([' ', '\t']);
    }
    (rest, depth)
}

/// Byte ranges of code blocks and raw HTML blocks, in order; fence lines there are text.
pub(crate) fn literal_ranges(body: &str, options: Options) -> Vec<Range<usize>> {
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => Some(range),
            _ => None,
        })
        .collect()
}

/// Parses `:::` fence text (indentation already removed).
///
/// Accepted openings: `::: name`, `::: name "Title"`, `::: name Title`, `::: {.name ...}`,
/// each optionally followed by more colons (`::: note :::`). A class must start with a
/// letter and hold only letters, digits, `-` and `_`; anything else is not a fence.
fn parse_fence(content: &str) -> Option<FenceLine> {
    let rest = content.trim_start_matches(':');
    if content.len() - rest.len() < 3 {
        return None;
    }
    let rest = rest.trim().trim_end_matches(':').trim_end();
    if rest.is_empty() {
        return Some(FenceLine::Close);
    }
    if let Some(attributes) = rest.strip_prefix('{') {
        let (inside, after) = attributes.split_once('}')?;
        let class = inside
            .split_whitespace()
            .find_map(|word| word.strip_prefix('.'))?;
        let title = after.trim();
        return valid_class(class).then(|| FenceLine::Open {
            class: class.to_ascii_lowercase(),
            title: (!title.is_empty()).then(|| unquote(title).to_string()),
            braced: true,
        });
    }
    let class_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let (class, title) = rest.split_at(class_end);
    if !valid_class(class) || !(title.is_empty() || title.starts_with([' ', '\t'])) {
        return None;
    }
    let title = unquote(title.trim());
    Some(FenceLine::Open {
        class: class.to_ascii_lowercase(),
        title: (!title.is_empty()).then(|| title.to_string()),
        braced: false,
    })
}

fn valid_class(class: &str) -> bool {
    class.starts_with(|c: char| c.is_ascii_alphabetic())
        && class
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn unquote(title: &str) -> &str {
    title
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| title.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
        .unwrap_or(title)
}

/// Names with a meaning of their own; any other name becomes the author's class.
const OWN_KINDS: [&str; 8] = [
    "challenge",
    "exercise",
    "solution",
    "hint",
    "spoiler",
    "instructor",
    "tabs",
    "tab",
];

fn is_known(class: &str) -> bool {
    OWN_KINDS.contains(&class) || CALLOUT_KINDS.contains(&class)
}

/// `::: sidebr`: most likely a typo of a known name, else the author's own class, which
/// still works (namespaced, see [`AUTHOR_CLASS_PREFIX`]) but is said once.
fn unknown_div(class: &str, line_index: usize, column: usize) -> FenceProblem {
    let known = OWN_KINDS.iter().chain(CALLOUT_KINDS.iter()).copied();
    let help = match did_you_mean(class, known) {
        Some(near) => format!("did you mean `::: {near}`?"),
        None => format!(
            "for a block of your own, write `::: {{.{class}}}`: it becomes \
             `<div class=\"{AUTHOR_CLASS_PREFIX}{class}\">` for your CSS, without this warning"
        ),
    };
    FenceProblem {
        line_index,
        column,
        is_error: false,
        message: format!("unknown div `::: {class}`"),
        code: Code::UnknownDiv,
        help: Some(help),
    }
}

/// Prefix of the classes authors give their own divs (`::: {.sidebar}` becomes
/// `class="user-sidebar"`), so that no author class is ever one of the theme's own (the
/// default theme's `sidebar` is the course sidebar).
pub const AUTHOR_CLASS_PREFIX: &str = "user-";

/// Keeps messages readable when a fence line is very long.
fn shorten(written: &str) -> Cow<'_, str> {
    const MAX: usize = 80;
    match written.char_indices().nth(MAX) {
        Some((cut, _)) => Cow::Owned(format!("{}...", &written[..cut])),
        None => Cow::Borrowed(written),
    }
}

/// The HTML around a div of `class` (already validated, so safe in an attribute).
fn div_html(class: &str, title: Option<&str>, labels: &Labels) -> Div {
    let (open, close) = div_markup(class, title, labels);
    Div {
        open,
        close,
        role: DivRole::of(class),
    }
}

fn div_markup(class: &str, title: Option<&str>, labels: &Labels) -> (String, &'static str) {
    // Labels are HTML already; an author's title is text.
    let titled = |default: Label| match title {
        Some(title) => escape_html(title),
        None => labels.html(default).to_string(),
    };
    let div = match class {
        "challenge" | "exercise" => Markup {
            open: format!(
                "<section class=\"exercise\">\n<p class=\"exercise-title\">{}</p>\n",
                titled(Label::Exercise)
            ),
            close: "</section>\n",
        },
        "solution" | "hint" | "spoiler" => Markup {
            open: format!(
                "<details class=\"{class}\">\n<summary>{}</summary>\n",
                titled(match class {
                    "solution" => Label::Solution,
                    "hint" => Label::Hint,
                    // Carpentries lessons fold asides in `::: spoiler`.
                    _ => Label::Spoiler,
                })
            ),
            close: "</details>\n",
        },
        // Tabs: without JavaScript each tab shows under its label; the theme's script turns
        // the labels into a tab list.
        "tabs" => Markup {
            open: "<div class=\"tabs\">\n".to_string(),
            close: "</div>\n",
        },
        "tab" => Markup {
            open: format!(
                "<div class=\"tab\">\n<p class=\"tab-title\">{}</p>\n",
                titled(Label::Tab)
            ),
            close: "</div>\n",
        },
        "instructor" => Markup {
            open: format!(
                "<aside class=\"instructor-note\" data-instructor>\n\
                 <p class=\"callout-title\">{}</p>\n",
                titled(Label::InstructorNote)
            ),
            close: "</aside>\n",
        },
        _ if CALLOUT_KINDS.contains(&class) => Markup {
            open: format!(
                "<aside class=\"callout callout-{class}\">\n<p class=\"callout-title\">{}</p>\n",
                titled(default_title(class))
            ),
            close: "</aside>\n",
        },
        _ => Markup {
            open: match title {
                Some(title) => format!(
                    "<div class=\"{AUTHOR_CLASS_PREFIX}{class}\">\n<p class=\"div-title\">{}</p>\n",
                    escape_html(title)
                ),
                None => format!("<div class=\"{AUTHOR_CLASS_PREFIX}{class}\">\n"),
            },
            close: "</div>\n",
        },
    };
    (div.open, div.close)
}

/// The two halves of a div's HTML.
struct Markup {
    open: String,
    close: &'static str,
}

/// Opens the folded parts this module and `quiz.rs` write (solutions, hints, quiz
/// answers), for pages meant to be printed: a closed `<details>` prints as its summary only.
pub fn unfold(html: &str) -> String {
    // Most lessons fold nothing: one scan instead of three copies (print pages unfold every
    // lesson of a course; this was a tenth of a warm build's view time at 10,000 pages).
    if !html.contains("<details class=\"") {
        return html.to_owned();
    }
    html.replace(
        "<details class=\"solution\">",
        "<details class=\"solution\" open>",
    )
    .replace("<details class=\"hint\">", "<details class=\"hint\" open>")
    .replace(
        "<details class=\"spoiler\">",
        "<details class=\"spoiler\" open>",
    )
    .replace(
        "<details class=\"quiz-answers\">",
        "<details class=\"quiz-answers\" open>",
    )
}

fn default_title(kind: &str) -> Label {
    match kind {
        "note" => Label::Note,
        "tip" => Label::Tip,
        "warning" => Label::Warning,
        "caution" => Label::Caution,
        "important" => Label::Important,
        "discussion" => Label::Discussion,
        "checklist" => Label::Checklist,
        "testimonial" => Label::Testimonial,
        "prereq" => Label::Prereq,
        "objectives" => Label::Objectives,
        "questions" => Label::Questions,
        "keypoints" => Label::Keypoints,
        _ => Label::Callout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(class: &str, title: Option<&str>) -> FenceLine {
        FenceLine::Open {
            class: class.to_string(),
            title: title.map(str::to_string),
            braced: false,
        }
    }

    #[test]
    fn parses_fence_lines() {
        assert_eq!(parse_fence("::: challenge"), Some(open("challenge", None)));
        assert_eq!(parse_fence(":::::: solution"), Some(open("solution", None)));
        assert_eq!(
            parse_fence("::: {.callout #x}"),
            Some(FenceLine::Open {
                class: "callout".into(),
                title: None,
                braced: true,
            })
        );
        assert_eq!(
            parse_fence(r#"::: note "Custom title""#),
            Some(open("note", Some("Custom title")))
        );
        assert_eq!(parse_fence("::: Warning ::::"), Some(open("warning", None)));
        assert_eq!(
            parse_fence("::: tip Read this first"),
            Some(open("tip", Some("Read this first")))
        );
        assert_eq!(parse_fence(":::"), Some(FenceLine::Close));
        assert_eq!(parse_fence("::::::::::  "), Some(FenceLine::Close));
        assert_eq!(parse_fence(":: note"), None);
        assert_eq!(parse_fence("::: 1note"), None);
        assert_eq!(parse_fence(":::note!"), None);
        assert_eq!(parse_fence("::: {#only-id}"), None);
    }

    #[test]
    fn replaces_fence_lines_keeping_line_count() {
        let body = "a\n::: note\nb\r\n  :::\n";
        let scan = scan(body, Options::empty(), &Labels::default());
        assert_eq!(
            scan.source,
            format!("a\n{PLACEHOLDER}\nb\r\n  {PLACEHOLDER}\n")
        );
        assert!(matches!(scan.fences.get(&1), Some(Fence::Open(_))));
        assert_eq!(scan.fences.get(&3), Some(&Fence::Close));
        assert!(scan.problems.is_empty());
    }

    #[test]
    fn leaves_bodies_without_fences_borrowed() {
        assert!(matches!(
            scan("plain\n", Options::empty(), &Labels::default()).source,
            Cow::Borrowed(_)
        ));
        let in_code = "```\n::: note\n```\n";
        assert!(matches!(
            scan(in_code, Options::empty(), &Labels::default()).source,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn reports_unclosed_and_stray() {
        let scan = scan(
            ":::\n\n  ::: challenge\ntext\n",
            Options::empty(),
            &Labels::default(),
        );
        assert_eq!(
            scan.problems,
            vec![
                FenceProblem {
                    line_index: 0,
                    column: 1,
                    is_error: false,
                    message: "closing fence `:::` has no fenced div to close".to_string(),
                    code: Code::UnbalancedDiv,
                    help: Some("remove it, or open a div above with `::: name`".into()),
                },
                FenceProblem {
                    line_index: 2,
                    column: 3,
                    is_error: true,
                    message: "fenced div `::: challenge` opened here is never closed".to_string(),
                    code: Code::UnbalancedDiv,
                    help: Some("end it with a line holding only `:::`".into()),
                },
            ]
        );
    }

    #[test]
    fn unknown_names_are_reported_once_with_the_fix() {
        let scan = scan(
            "::: warnng\nx\n:::\n::: {.sidebar}\ny\n:::\n::: aside\n:::\n",
            Options::empty(),
            &Labels::default(),
        );
        let found: Vec<_> = scan
            .problems
            .iter()
            .map(|p| {
                (
                    p.line_index,
                    p.column,
                    p.message.as_str(),
                    p.help.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    0,
                    5,
                    "unknown div `::: warnng`",
                    Some("did you mean `::: warning`?")
                ),
                (
                    6,
                    5,
                    "unknown div `::: aside`",
                    Some(
                        "for a block of your own, write `::: {.aside}`: it becomes \
                         `<div class=\"user-aside\">` for your CSS, without this warning"
                    )
                ),
            ]
        );
    }

    #[test]
    fn div_markup_by_kind() {
        assert_eq!(
            div_html("solution", None, &Labels::default()).open,
            "<details class=\"solution\">\n<summary>Solution</summary>\n"
        );
        assert_eq!(
            div_html("keypoints", None, &Labels::default()).open,
            "<aside class=\"callout callout-keypoints\">\n\
             <p class=\"callout-title\">Key points</p>\n"
        );
        assert_eq!(
            div_html("sidebar", None, &Labels::default()),
            Div {
                open: "<div class=\"user-sidebar\">\n".to_string(),
                close: "</div>\n",
                role: DivRole::Plain,
            }
        );
        assert_eq!(
            div_html("instructor", None, &Labels::default()).role,
            DivRole::Instructor
        );
        assert_eq!(
            div_html("keypoints", None, &Labels::default()).role,
            DivRole::Keypoints
        );
        assert!(
            div_html("note", Some("<b>"), &Labels::default())
                .open
                .contains("&lt;b&gt;")
        );
    }
}
