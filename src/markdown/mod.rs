//! Markdown to HTML: pulldown-cmark plus Trailmark's extensions.
//!
//! Owns: the pulldown-cmark options, heading anchors and the table of contents, summaries
//! (`<!-- more -->`), word counts, link classification and rewriting (through a
//! [`LinkResolver`] the build supplies, because only the site graph knows URLs), callouts
//! (GitHub alerts and `:::` fenced divs), syntect highlighting into CSS classes, and raw HTML
//! policy. Never touches Tera or the file system; it turns one page's text into one
//! [`Rendered`] value and reports problems as [`Diagnostic`]s located in the source file.
//!
//! The contract with callers:
//! - [`render()`] is pure and thread-safe: the same input gives the same output on any thread.
//! - Line numbers in diagnostics count from the top of the source file (front matter
//!   included), using [`RenderInput::first_line`].
//!
//! Files: `render.rs` walks pulldown-cmark's events and assembles [`Rendered`]; `divs.rs`
//! finds `:::` fenced divs before the parse; `highlight.rs` renders code blocks and owns
//! syntect; `links.rs` classifies destinations; `slug.rs` makes heading ids; `toc.rs` nests
//! the table of contents; `words.rs` counts words; `title.rs` finds a page's title;
//! `locate.rs` maps offsets to file positions; `escape.rs` escapes the HTML built here;
//! `quiz.rs` turns ` ```quiz ` blocks of YAML into forms; `packed.rs` keeps HTML compressed
//! for builds that hold every page's render at once.
//!
//! Choices worth knowing:
//! - `<!-- more -->` (also `<!--more-->`) on a line of its own, at top level, cuts the
//!   summary. It renders as nothing in the full page. The summary is the page's own HTML up
//!   to the marker, with any `:::` divs open there closed, so heading ids, footnote numbers
//!   and reference links are the same as in the page. A marker first in the body gives no
//!   summary.
//! - `javascript:`, `vbscript:` and `data:` destinations become `#`, except `data:image/...`
//!   in images, which cannot run script. This covers Markdown links and images; raw HTML is
//!   trusted in `raw_html: allow` mode and inert in `escape` mode.
//! - `#top` and a bare `#` are never reported as missing anchors: browsers scroll to the top
//!   for them. Ids in raw HTML (`<a id="x">`) count as anchors in `allow` mode.
//! - Fenced divs inside code blocks or raw HTML blocks are text. A `:::` line directly under
//!   a table (no blank line) ends the table and opens the div.
//! - Math (`$...$`, `$$...$$`) becomes MathML at build time (`math.rs`); TeX that does not
//!   convert is an error at the formula. A paragraph holding only `$$...$$` renders as
//!   `<div class="math math-display">`; display math inside other text stays a `<span>` so
//!   the HTML remains valid.
//! - Heading attributes `{key=value}` are written out; in `raw_html: escape` mode `on*`
//!   event-handler attributes are dropped.
//! - Audiences: `::: instructor` blocks never reach [`Rendered::html`]. The page is parsed
//!   once and its events serialised twice: the learner HTML skips the instructor blocks,
//!   which come back one by one in [`Rendered::instructor_notes`] for the course's
//!   instructor view. Headings inside them stay out of the table of contents.
//! - With [`RenderInput::lift_lesson_blocks`], `::: objectives`, `::: questions` and
//!   `::: keypoints` blocks (Carpentries style) leave the body too: their list items come
//!   back in [`Rendered::lesson_blocks`] so the lesson template shows them in its overview
//!   and key-points boxes. Elsewhere they render as callouts.

mod divs;
mod escape;
mod foreign;
mod highlight;
mod labels;
mod links;
mod locate;
mod math;
mod packed;
mod quiz;
mod render;
mod shortcode;
mod slug;
mod title;
mod toc;
mod words;

#[cfg(test)]
mod course_tests;
#[cfg(test)]
mod tests;

pub use divs::unfold;
pub use escape::escape_html;
pub use foreign::{ForeignTag, html_page_body, is_html_page_name};
pub use highlight::{CodeScheme, highlight_css, highlight_themes, is_highlight_theme};
pub use labels::{LABELS, Label, Labels};
pub use links::{is_executable_url, safe_url};
pub use packed::PackedHtml;
pub(crate) use render::anchor_help;
pub use render::render;
pub use shortcode::{
    BUILT_IN as BUILT_IN_SHORTCODES, ShortcodeCall, VIDEO_PROVIDERS, token as shortcode_token,
};
pub use slug::slugify_anchor;
pub use title::first_heading;

use pulldown_cmark::Options;

use crate::diagnostics::{Diagnostic, Severity};

/// The pulldown-cmark extensions every page gets.
fn parser_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
        | Options::ENABLE_DEFINITION_LIST;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// How raw HTML in Markdown is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Passed through as written (authors are trusted).
    #[default]
    Allow,
    /// Shown as text.
    Escape,
}

/// Site-wide Markdown settings, taken from `trailmark.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    pub raw_html: RawHtml,
    /// Highlight fenced code with syntect; when false, code is escaped and left plain.
    pub highlight: bool,
    /// Severity for links to missing pages, anchors or files.
    pub broken_links: Severity,
    /// How heading ids are made from heading text.
    pub heading_ids: HeadingIds,
    /// The path the site is built under (`/docs`, or empty), for other tools' link syntax
    /// that names it (`{{ site.baseurl }}`).
    pub base_path: String,
    /// The words the renderer writes itself (callout titles, quiz buttons), for the page's
    /// language; part of the cache key like every other option.
    pub labels: Labels,
}

/// The rule that turns a heading's text into its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// As GitHub and Hugo: `Step 1: notify & wait` is `step-1-notify--wait`.
    #[default]
    Github,
    /// As Zola: runs of punctuation are one dash, `step-1-notify-wait`.
    Compact,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            raw_html: RawHtml::Allow,
            highlight: true,
            broken_links: Severity::Error,
            heading_ids: HeadingIds::Github,
            base_path: String::new(),
            labels: Labels::default(),
        }
    }
}

/// What the build knows about a link target, answered per link while rendering.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkResolution {
    /// Leave the destination as written.
    Keep,
    /// Replace the destination with `url`. When the link named an anchor in another page,
    /// `anchor_check` asks the build to verify it once every page is rendered.
    Rewrite {
        url: String,
        anchor_check: Option<AnchorCheck>,
    },
    /// The target does not exist; the text says what was looked for.
    Broken(String),
    /// The target does not exist: what was looked for, its code and what may have been
    /// meant.
    Missing(BrokenLink),
}

/// A link whose target does not exist, as the build reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BrokenLink {
    pub code: crate::diagnostics::Code,
    pub message: String,
    /// The nearest existing targets, as the link would be written.
    pub help: Option<String>,
}

/// An anchor in another page that must exist; checked after all pages are rendered.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct AnchorCheck {
    /// Content-relative id of the target page (`courses/intro/01-why.md`).
    pub target_doc_id: String,
    pub anchor: String,
    /// Where the link was written, in the source file.
    pub line: usize,
    pub column: usize,
}

/// Answers relative links for one page. Called only for destinations that are relative
/// paths (not `#anchor`, not `/absolute`, not `scheme:`), with the destination as written,
/// fragment included (`../02-planning.md#goals`, `fig/diagram.svg`).
pub trait LinkResolver: Sync {
    fn resolve(&self, destination: &str) -> LinkResolution;
}

/// A resolver that keeps every link as written; for previews and tests.
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _destination: &str) -> LinkResolution {
        LinkResolution::Keep
    }
}

/// One page's Markdown and where it sits in its file.
pub struct RenderInput<'a> {
    /// The body, after front matter, with LF line endings (`front_matter::normalize`): line
    /// numbers in diagnostics count LFs, and YAML inside quizzes would count a lone CR.
    pub body: &'a str,
    /// Site-relative path of the source file, used in diagnostics.
    pub file: &'a str,
    /// 1-based line number in the file of the body's first line.
    pub first_line: usize,
    /// Drop the first level-1 heading when it opens the body: the page's title was taken
    /// from it and the theme prints the title itself.
    pub strip_title_heading: bool,
    /// Take `::: objectives`, `::: questions` and `::: keypoints` blocks out of the HTML
    /// into [`Rendered::lesson_blocks`] (for lessons, whose template shows them).
    pub lift_lesson_blocks: bool,
}

/// The items of a lesson's `::: objectives`, `::: questions` and `::: keypoints` blocks, as
/// inline HTML, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LessonBlocks {
    pub objectives: Vec<String>,
    pub questions: Vec<String>,
    pub keypoints: Vec<String>,
}

impl LessonBlocks {
    pub fn is_empty(&self) -> bool {
        self.objectives.is_empty() && self.questions.is_empty() && self.keypoints.is_empty()
    }
}

/// One entry of the table of contents; nested by heading level.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// The result of rendering one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    /// HTML of the part above `<!-- more -->`, when the marker is present.
    pub summary_html: Option<String>,
    pub toc: Vec<TocEntry>,
    /// Every `id` the page's body defines (headings, footnotes, explicit `{#id}`), in order.
    pub anchors: Vec<String>,
    pub word_count: usize,
    pub anchor_checks: Vec<AnchorCheck>,
    pub diagnostics: Vec<Diagnostic>,
    /// HTML of each `::: instructor` block (absent from `html`), in order.
    pub instructor_notes: Vec<String>,
    /// Lifted lesson blocks; empty unless [`RenderInput::lift_lesson_blocks`] was set.
    pub lesson_blocks: LessonBlocks,
    /// Shortcodes in order; call `i` is written as [`shortcode_token`]`(i)` in `html` and
    /// `summary_html`, for the build to replace with the theme's rendering.
    pub shortcodes: Vec<ShortcodeCall>,
    /// HTML of the first top-level paragraph, the summary of last resort for lists and feeds.
    pub first_paragraph_html: Option<String>,
    /// The id of the title heading left out of `html` ([`RenderInput::strip_title_heading`]),
    /// for the theme to put on the title it prints, so `#title` links resolve.
    #[serde(default)]
    pub title_id: Option<String>,
    /// Template syntax of other tools left in the body (Liquid, Hugo and Zola shortcodes),
    /// for the build to report once per construct per site.
    #[serde(default)]
    pub foreign_tags: Vec<ForeignTag>,
}

/// Reading time in whole minutes at 220 words a minute, at least 1.
pub fn reading_minutes(word_count: usize) -> usize {
    word_count.div_ceil(220).max(1)
}
