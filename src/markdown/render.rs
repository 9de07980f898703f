//! The rendering pass: one walk over pulldown-cmark's events that adds heading ids and the
//! table of contents, rewrites links, swaps in callouts, fenced divs and highlighted code,
//! applies the raw HTML policy, counts words and notes the summary cut, then hands the
//! events to pulldown-cmark's HTML writer.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd, html,
};

use super::divs::{self, DivRole, Fence, PLACEHOLDER};
use super::escape::{escape_html, push_escaped};
use super::foreign;
use super::highlight::{block_attributes, language_of, render_code_block};
use super::labels::{Label, Labels};
use super::links::{self, Destination};
use super::locate::Locator;
use super::math;
use super::quiz::{QuizStyle, render_quiz};
use super::shortcode::{self, ShortcodeCall};
use super::slug::{IdRegistry, slugify_anchor, slugify_anchor_compact};
use super::toc;
use super::words::WordCounter;
use super::{
    AnchorCheck, HeadingIds, LessonBlocks, LinkResolution, LinkResolver, MarkdownOptions,
    MathDelimiters, RawHtml, RenderInput, Rendered, TocEntry, parser_options,
};
use crate::diagnostics::{Code, Diagnostic, Severity, nearest, one_of};

/// Renders one page's Markdown. Pure: the same input gives the same output on any thread.
///
/// Diagnostics are located in the source file (see [`RenderInput::first_line`]) and sorted
/// by position.
pub fn render(
    input: &RenderInput,
    options: &MarkdownOptions,
    resolver: &dyn LinkResolver,
) -> Rendered {
    let parse_options = parser_options(options.smart_punctuation, options.math);
    let (body, mut foreign_tags) = foreign::scan(input.body, &options.base_path);
    for tag in &mut foreign_tags {
        tag.line += input.first_line;
    }
    let scan = divs::scan(&body, parse_options, &options.labels);
    let shortcodes = shortcode::scan(&scan.source, parse_options);
    let mut pass = Pass::new(input, options, resolver, &shortcodes.source, &scan.fences);
    pass.shortcode_lines = Some(&shortcodes.found);
    for problem in &shortcodes.problems {
        let line = pass.locator.file_line(problem.line_index);
        pass.diagnose(
            Severity::Error,
            Code::ShortcodeArguments,
            (line, problem.column),
            problem.message.clone(),
            None,
        );
    }
    for problem in &scan.problems {
        let line = pass.locator.file_line(problem.line_index);
        let severity = if problem.is_error {
            Severity::Error
        } else {
            Severity::Warning
        };
        pass.diagnose(
            severity,
            problem.code,
            (line, problem.column),
            problem.message.clone(),
            problem.help.clone(),
        );
    }
    let events = Parser::new_ext(&shortcodes.source, parse_options).into_offset_iter();
    if may_fix_ids(&shortcodes.source, options.raw_html) {
        // Taking those ids before the walk needs every event first.
        let events: Vec<_> = events.collect();
        pass.reserve_fixed_ids(events.iter().map(|(event, _)| event));
        for (event, range) in events {
            pass.event(event, range);
        }
    } else {
        // Most pages: no event to collect first. Collecting them all cost 3.3% of a cold
        // build's instructions.
        for (event, range) in events {
            pass.event(event, range);
        }
    }
    let mut rendered = pass.finish();
    rendered.foreign_tags = foreign_tags;
    rendered
}

/// Whether [`Pass::reserve_fixed_ids`] may find anything in `source`: a footnote definition
/// needs `[^`, an id in raw HTML needs `id=` or `name=` (any case), and both are written as
/// such in the source, never assembled by the parser.
fn may_fix_ids(source: &str, raw_html: RawHtml) -> bool {
    let bytes = source.as_bytes();
    memchr::memmem::find(bytes, b"[^").is_some()
        || (raw_html == RawHtml::Allow
            && memchr::memchr_iter(b'=', bytes).any(|at| {
                (at >= 2 && bytes[at - 2..at].eq_ignore_ascii_case(b"id"))
                    || (at >= 4 && bytes[at - 4..at].eq_ignore_ascii_case(b"name"))
            }))
}

/// A heading being collected: its id comes from its text, known only at its end.
struct Heading<'a> {
    level: HeadingLevel,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attributes: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
    text: String,
    position: (usize, usize),
}

struct CodeBlock {
    info: Option<String>,
    text: String,
    /// File line of the block's first line of content (quizzes report problems there).
    first_line: usize,
    /// Byte offset of the block's opening fence in the body (a quiz's links are located
    /// there).
    offset: usize,
}

/// A fenced div being rendered.
#[derive(Clone, Copy)]
struct OpenDiv {
    close: &'static str,
    /// For a div kept out of the learner's HTML: its role and the index in `out` of its
    /// opening event.
    hidden: Option<(DivRole, usize)>,
}

/// Events of `out` that belong to an instructor note or a lifted lesson block.
struct Region {
    role: DivRole,
    events: Range<usize>,
}

/// A `#fragment` link in this page, checked once every id of the page is known.
struct SamePageLink {
    fragment: String,
    position: (usize, usize),
}

struct Pass<'a> {
    file: &'a str,
    options: &'a MarkdownOptions,
    resolver: &'a dyn LinkResolver,
    fences: &'a HashMap<usize, Fence>,
    locator: Locator<'a>,
    /// Events for the HTML writer.
    out: Vec<Event<'a>>,
    /// Armed until the first event: only a heading opening the body is the title.
    strip_title: bool,
    /// Inside the title heading, which gets an id but stays out of the HTML.
    in_title: bool,
    title_id: Option<String>,
    heading: Option<Heading<'a>>,
    code: Option<CodeBlock>,
    /// Open pulldown-cmark tags; 0 means top level.
    depth: usize,
    /// Inside an image, text is alt text: not counted as visible words.
    image_depth: usize,
    /// For the HTML block being read: whether it is at top level and still on its first
    /// line. A summary marker counts only as a top-level block of its own.
    html_block_top_level: bool,
    html_block_first_line: bool,
    /// The fenced divs open at this point, innermost last.
    open_divs: Vec<OpenDiv>,
    /// Closed instructor notes and lifted blocks, in order of their end.
    regions: Vec<Region>,
    /// How many such regions are open: headings there stay out of the TOC, words uncounted.
    hidden_depth: usize,
    lift_lesson_blocks: bool,
    quizzes: usize,
    /// Where the summary ends: the number of events before the marker, and the closing
    /// HTML of the divs open there.
    summary_cut: Option<(usize, String)>,
    ids: IdRegistry,
    /// Footnote labels (lowercased) and the id each definition gets, decided before the
    /// walk; and the labels whose definition the walk has met.
    footnote_ids: HashMap<String, String>,
    footnotes_defined: HashSet<String>,
    /// Raw HTML ids taken before the walk and not yet met in it.
    raw_ids_ahead: HashSet<String>,
    /// Whether the walk is inside an HTML comment, which may span several events.
    raw_ids: RawIdScanner,
    anchors: Vec<String>,
    toc: Vec<TocEntry>,
    words: WordCounter,
    same_page_links: Vec<SamePageLink>,
    anchor_checks: Vec<AnchorCheck>,
    diagnostics: Vec<Diagnostic>,
    /// The body as written, whose first line is file line `first_line`: for snippets.
    body: &'a str,
    first_line: usize,
    /// Shortcode lines found before the parse, by 0-based line index.
    shortcode_lines: Option<&'a HashMap<usize, shortcode::Found>>,
    shortcodes: Vec<ShortcodeCall>,
    /// The Markdown being walked (fence and shortcode lines replaced, same line numbers):
    /// for Pandoc attributes (`{#id .class key=value}`) that follow an image, a link or a
    /// bracketed span, and for snippets.
    source: &'a str,
    /// Text before this offset of `source` was an attribute block, already applied.
    skip_until: usize,
    /// Indexes in `out` of `[` texts that may open a bracketed span (`[term]{#id}`).
    open_brackets: Vec<usize>,
    /// Index in `out` of the open image's or link's start, and of the last one closed with
    /// the source offset where it ended.
    inline_starts: Vec<usize>,
    closed_inline: Option<(usize, usize)>,
    /// Where the open top-level paragraph starts in `out`, and the first one once closed.
    paragraph_start: Option<usize>,
    first_paragraph: Option<Range<usize>>,
    /// Index in `out` of the last display formula and its MathML: a paragraph holding only
    /// it becomes a `<div>`.
    display_math: Option<(usize, String)>,
}

impl<'a> Pass<'a> {
    fn new(
        input: &'a RenderInput<'a>,
        options: &'a MarkdownOptions,
        resolver: &'a dyn LinkResolver,
        source: &'a str,
        fences: &'a HashMap<usize, Fence>,
    ) -> Self {
        Self {
            file: input.file,
            options,
            resolver,
            fences,
            locator: Locator::new(source, input.first_line),
            source,
            skip_until: 0,
            open_brackets: Vec::new(),
            inline_starts: Vec::new(),
            closed_inline: None,
            out: Vec::new(),
            strip_title: input.strip_title_heading,
            in_title: false,
            title_id: None,
            heading: None,
            code: None,
            depth: 0,
            image_depth: 0,
            html_block_top_level: false,
            html_block_first_line: false,
            open_divs: Vec::new(),
            regions: Vec::new(),
            hidden_depth: 0,
            lift_lesson_blocks: input.lift_lesson_blocks,
            quizzes: 0,
            summary_cut: None,
            ids: IdRegistry::for_page(),
            footnote_ids: HashMap::new(),
            footnotes_defined: HashSet::new(),
            raw_ids_ahead: HashSet::new(),
            raw_ids: RawIdScanner::default(),
            anchors: Vec::new(),
            toc: Vec::new(),
            words: WordCounter::default(),
            same_page_links: Vec::new(),
            anchor_checks: Vec::new(),
            diagnostics: Vec::new(),
            body: input.body,
            first_line: input.first_line,
            shortcode_lines: None,
            shortcodes: Vec::new(),
            paragraph_start: None,
            first_paragraph: None,
            display_math: None,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if std::mem::take(&mut self.strip_title)
            && matches!(
                event,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        {
            // The title heading is read like any other for its id, then left out of the
            // HTML; its words are not counted, as the theme prints the title apart.
            self.in_title = true;
            self.hidden_depth += 1;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => {
                let closes_inline = matches!(end, TagEnd::Image | TagEnd::Link);
                self.end(end);
                if closes_inline
                    && self.heading.is_none()
                    && let Some(start) = self.inline_starts.pop()
                {
                    self.closed_inline = Some((start, range.end));
                    self.inline_attributes(range.end);
                }
            }
            Event::Text(text) => {
                let Some(text) = self.skip_attribute_text(text, &range) else {
                    return;
                };
                if self.code.is_none() && self.heading.is_none() {
                    if &*text == "]" && self.bracketed_span(range.end) {
                        return;
                    }
                    if &*text == "[" && self.source.get(range.clone()) == Some("[") {
                        self.open_brackets.push(self.out.len());
                    }
                }
                self.text(text);
            }
            Event::Code(code) => {
                if self.hidden_depth == 0 {
                    self.words.feed(&code);
                }
                self.heading_text(&code);
                self.emit(Event::Code(code));
            }
            Event::InlineMath(_) if self.options.math == MathDelimiters::Display => {
                // `$...$` is not a formula on this site: the dollars and what they hold,
                // as written.
                let written = CowStr::from(self.source[range].to_string());
                if self.hidden_depth == 0 {
                    self.words.feed(&written);
                }
                self.heading_text(&written);
                self.emit(Event::Text(written));
            }
            Event::InlineMath(tex) => self.math(tex, false, range.start),
            Event::DisplayMath(tex) => self.math(tex, true, range.start),
            Event::Html(html) => self.html(html, range.start, true),
            Event::InlineHtml(html) => self.html(html, range.start, false),
            Event::SoftBreak | Event::HardBreak => {
                self.words.boundary();
                self.heading_text(" ");
                self.emit(event);
            }
            Event::FootnoteReference(label) => {
                let id = self.footnote_ids.get(&label.to_lowercase()).cloned();
                self.emit(Event::FootnoteReference(id.map_or(label, CowStr::from)));
            }
            Event::Rule | Event::TaskListMarker(_) => {
                self.emit(event);
            }
        }
    }

    /// Sends an event to the heading being collected, or to the output.
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.out.push(event),
        }
    }

    fn emit_html(&mut self, html: String) {
        self.emit(Event::Html(CowStr::from(html)));
    }

    fn heading_text(&mut self, text: &str) {
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let top_level = self.depth == 0;
        self.depth += 1;
        if !is_inline(&tag) {
            self.words.boundary();
            self.open_brackets.clear();
        }
        if matches!(tag, Tag::Image { .. } | Tag::Link { .. }) && self.heading.is_none() {
            self.inline_starts.push(self.out.len());
        }
        match tag {
            Tag::Heading {
                level,
                mut id,
                mut classes,
                mut attrs,
            } => {
                // pulldown-cmark splits attributes at spaces, quotes and all
                // (`title="a b"` is `title="a`): a block with quotes is read again as Pandoc
                // reads it.
                if let Some(pandoc) = self.quoted_heading_attributes(&range) {
                    id = pandoc.id.map(CowStr::from);
                    classes = pandoc.classes.into_iter().map(CowStr::from).collect();
                    attrs = pandoc
                        .pairs
                        .into_iter()
                        .map(|(k, v)| (CowStr::from(k), Some(CowStr::from(v))))
                        .collect();
                }
                let position = self.locator.locate(range.start);
                self.heading = Some(Heading {
                    level,
                    explicit_id: id,
                    classes,
                    attributes: attrs,
                    events: Vec::new(),
                    text: String::new(),
                    position,
                });
            }
            Tag::CodeBlock(kind) => {
                let start_line = self.locator.line_index(range.start);
                let (info, first_line) = match kind {
                    CodeBlockKind::Fenced(info) => (Some(info.into_string()), start_line + 1),
                    CodeBlockKind::Indented => (None, start_line),
                };
                self.code = Some(CodeBlock {
                    info,
                    text: String::new(),
                    first_line: self.locator.file_line(first_line),
                    offset: range.start,
                });
            }
            Tag::BlockQuote(Some(kind)) => {
                self.emit_html(alert_open(kind, &self.options.labels));
            }
            Tag::BlockQuote(None) => {
                self.check_alert_name(range.start);
                self.emit(Event::Start(Tag::BlockQuote(None)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                // The writer adds `mailto:` to email autolinks itself.
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    self.destination(dest_url, false, range.start)
                };
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.image_depth += 1;
                let dest_url = self.destination(dest_url, true, range.start);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::FootnoteDefinition(label) => {
                // The writer gives the definition `id="{label}"` and its references
                // `href="#{label}"`, so both carry the id chosen before the walk.
                let key = label.to_lowercase();
                let id = match self.footnote_ids.get(&key) {
                    Some(id) if self.footnotes_defined.insert(key) => id.clone(),
                    _ => {
                        let unique = self.ids.claim(&label);
                        let position = self.locator.locate(range.start);
                        self.diagnose(
                            Severity::Warning,
                            Code::DuplicateId,
                            position,
                            format!(
                                "footnote `[^{label}]` is defined twice; references go to the \
                                 first definition, this one gets the id `{unique}`"
                            ),
                            None,
                        );
                        unique
                    }
                };
                self.anchors.push(id.clone());
                self.emit(Event::Start(Tag::FootnoteDefinition(CowStr::from(id))));
            }
            Tag::Paragraph
                if top_level
                    && self.open_divs.is_empty()
                    && self.first_paragraph.is_none()
                    && self.heading.is_none() =>
            {
                self.paragraph_start = Some(self.out.len());
                self.emit(Event::Start(Tag::Paragraph));
            }
            Tag::HtmlBlock => {
                self.html_block_top_level = top_level;
                self.html_block_first_line = true;
                self.emit(Event::Start(Tag::HtmlBlock));
            }
            other => self.emit(Event::Start(other)),
        }
    }

    fn end(&mut self, end: TagEnd) {
        self.depth = self.depth.saturating_sub(1);
        if !is_inline_end(end) {
            self.words.boundary();
        }
        match end {
            TagEnd::Heading(_) => self.finish_heading(),
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    let html = if code.info.as_deref().and_then(language_of) == Some("quiz") {
                        self.quiz(&code)
                    } else {
                        if let Some(info) = code.info.as_deref() {
                            let fence_line = code.first_line.saturating_sub(1).max(1);
                            for problem in block_attributes(info).1 {
                                self.diagnose(
                                    Severity::Warning,
                                    Code::BlockAttributes,
                                    (fence_line, 1),
                                    problem,
                                    None,
                                );
                            }
                        }
                        render_code_block(code.info.as_deref(), &code.text, self.options.highlight)
                    };
                    self.emit_html(html);
                }
            }
            TagEnd::BlockQuote(Some(_)) => self.emit_html("</aside>\n".to_string()),
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.emit(Event::End(end));
            }
            TagEnd::Paragraph => self.end_paragraph(),
            _ => self.emit(Event::End(end)),
        }
    }

    /// A formula as MathML in a `<span class="math math-inline|math-display">`. TeX that
    /// cannot be converted is reported at its opening `$` and shown as written.
    fn math(&mut self, tex: CowStr<'a>, display: bool, offset: usize) {
        self.heading_text(&tex);
        if self.image_depth > 0 {
            // Alt text is plain text: the TeX as written.
            self.emit(Event::Text(tex));
            return;
        }
        let inner = match math::to_mathml(&tex, display) {
            Ok(mathml) => mathml,
            Err(error) => {
                let position = self.locator.locate(offset);
                let (open, help) = if display {
                    ("$$", None)
                } else {
                    (
                        "$",
                        Some("a dollar sign that is not math is written `\\$`".to_string()),
                    )
                };
                // A warning: the page still shows the TeX as written, and TeX this converter
                // lacks (mhchem's `\ce`, `\TeX`) is not a mistake in the content.
                self.diagnose(
                    Severity::Warning,
                    Code::Math,
                    position,
                    format!(
                        "the formula `{open}...{open}` is not TeX that converts to MathML: {}",
                        error.reason
                    ),
                    help,
                );
                escape_html(&tex)
            }
        };
        let kind = if display { "display" } else { "inline" };
        if display && self.heading.is_none() {
            self.display_math = Some((self.out.len(), inner.clone()));
        }
        self.emit(Event::InlineHtml(CowStr::from(format!(
            "<span class=\"math math-{kind}\">{inner}</span>"
        ))));
    }

    /// A paragraph holding only `$$...$$` becomes a display-math `<div>`; math inside other
    /// text stays a `<span class="math math-display">`, since a `<div>` cannot sit in a `<p>`.
    fn end_paragraph(&mut self) {
        if let Some((at, inner)) = self.display_math.take()
            && at + 1 == self.out.len()
            && at > 0
            && matches!(self.out[at - 1], Event::Start(Tag::Paragraph))
        {
            self.out.truncate(at - 1);
            let html = format!("<div class=\"math math-display\">{inner}</div>\n");
            self.out.push(Event::Html(CowStr::from(html)));
            self.paragraph_start = None;
            return;
        }
        self.emit(Event::End(TagEnd::Paragraph));
        if self.depth == 0
            && let Some(start) = self.paragraph_start.take()
        {
            self.first_paragraph = Some(start..self.out.len());
        }
    }

    fn text(&mut self, text: CowStr<'a>) {
        if let Some(code) = &mut self.code {
            code.text.push_str(&text);
            return;
        }
        if self.image_depth == 0 && self.hidden_depth == 0 {
            self.words.feed(&text);
        }
        self.heading_text(&text);
        self.emit(Event::Text(text));
    }

    fn html(&mut self, html: CowStr<'a>, offset: usize, is_block: bool) {
        let first_line_of_block = is_block && std::mem::take(&mut self.html_block_first_line);
        let trimmed = html.trim();
        if trimmed == PLACEHOLDER {
            let line = self.locator.line_index(offset);
            if let Some(fence) = self.fences.get(&line) {
                self.fence(fence);
                return;
            }
        }
        if trimmed == shortcode::PLACEHOLDER {
            let line = self.locator.line_index(offset);
            if let Some(found) = self.shortcode_lines.and_then(|f| f.get(&line)) {
                self.shortcode(found, offset);
                return;
            }
        }
        if first_line_of_block && self.html_block_top_level && is_summary_marker(trimmed) {
            // Only the first marker counts; either way the marker itself renders as nothing.
            if self.summary_cut.is_none() {
                let closers = self
                    .open_divs
                    .iter()
                    .rev()
                    .filter(|div| div.hidden.is_none())
                    .map(|div| div.close)
                    .collect();
                self.summary_cut = Some((self.out.len(), closers));
            }
            return;
        }
        match self.options.raw_html {
            RawHtml::Allow => {
                for id in self.raw_ids.ids(&html) {
                    if self.raw_ids_ahead.remove(id) {
                        self.anchors.push(id.to_string());
                    } else if !self.ids.is_used(id) {
                        self.ids.reserve(id);
                        self.anchors.push(id.to_string());
                    }
                }
                self.emit(if is_block {
                    Event::Html(html)
                } else {
                    Event::InlineHtml(html)
                });
            }
            RawHtml::Escape => self.emit(Event::Text(html)),
        }
    }

    /// Checks a shortcode's arguments, resolves the files it points at, and leaves a token
    /// for the build to replace with the theme's rendering.
    fn shortcode(&mut self, found: &shortcode::Found, offset: usize) {
        let line = self.locator.file_line(found.line_index);
        let problems = shortcode::check(&found.call);
        let failed = !problems.is_empty();
        for (at, message) in problems {
            self.diagnose(
                Severity::Error,
                Code::ShortcodeArguments,
                (line, found.column + at),
                message,
                None,
            );
        }
        if failed {
            return;
        }
        let mut args = BTreeMap::new();
        for (key, value, _) in &found.call.args {
            let is_file = matches!(
                (found.call.name.as_str(), key.as_str()),
                ("figure", "src" | "link") | ("video", "thumbnail")
            );
            let value = if is_file {
                self.destination(CowStr::from(value.clone()), key != "link", offset)
                    .into_string()
            } else {
                value.clone()
            };
            args.insert(key.clone(), value);
        }
        let index = self.shortcodes.len();
        self.shortcodes.push(ShortcodeCall {
            name: found.call.name.clone(),
            args,
            line,
            column: found.column,
        });
        self.words.boundary();
        self.emit_html(format!("{}\n", shortcode::token(index)));
    }

    fn fence(&mut self, fence: &Fence) {
        match fence {
            Fence::Open(div) => {
                self.words.boundary();
                let hidden = match div.role {
                    DivRole::Instructor => Some(div.role),
                    DivRole::Objectives | DivRole::Questions | DivRole::Keypoints
                        if self.lift_lesson_blocks =>
                    {
                        Some(div.role)
                    }
                    _ => None,
                };
                if hidden.is_some() {
                    self.hidden_depth += 1;
                }
                self.open_divs.push(OpenDiv {
                    close: div.close,
                    hidden: hidden.map(|role| (role, self.out.len())),
                });
                self.emit_html(div.open.clone());
            }
            // Closing from the runtime stack keeps the output balanced whatever happened.
            Fence::Close => {
                if let Some(div) = self.open_divs.pop() {
                    self.close_div(div);
                }
            }
            Fence::Stray => {}
        }
    }

    fn close_div(&mut self, div: OpenDiv) {
        self.emit_html(div.close.to_string());
        if let Some((role, start)) = div.hidden {
            self.hidden_depth = self.hidden_depth.saturating_sub(1);
            self.regions.push(Region {
                role,
                events: start..self.out.len(),
            });
        }
    }

    /// Renders a ` ```quiz ` block; a broken quiz is reported and shown as its YAML.
    fn quiz(&mut self, code: &CodeBlock) -> String {
        self.quizzes += 1;
        let base = format!("quiz-{}", self.quizzes);
        // Questions and choices take ids under the quiz's (`quiz-1-q2-c3`): the quiz's id
        // must be one no id taken so far starts with.
        let mut id = self.ids.claim(&base);
        while self.ids.any_with_prefix(&format!("{id}-")) {
            id = self.ids.claim(&base);
        }
        self.anchors.push(id.clone());
        let options = self.options;
        let style = QuizStyle {
            raw_html: options.raw_html,
            smart_punctuation: options.smart_punctuation,
            math: options.math,
            labels: &options.labels,
        };
        // A quiz's links are resolved and checked like the page's own, located at the quiz.
        let offset = code.offset;
        let mut link = |dest: &str, is_image: bool| {
            self.destination(CowStr::from(dest.to_string()), is_image, offset)
                .into_string()
        };
        match render_quiz(&code.text, code.first_line, &id, style, &mut link) {
            Ok(html) => {
                for inner in raw_html_ids(&html) {
                    if !self.ids.is_used(inner) {
                        self.ids.reserve(inner);
                        self.anchors.push(inner.to_string());
                    }
                }
                html
            }
            Err(problems) => {
                for problem in problems {
                    self.diagnose(
                        Severity::Error,
                        Code::Quiz,
                        (problem.line, problem.column),
                        problem.message,
                        None,
                    );
                }
                render_code_block(code.info.as_deref(), &code.text, false)
            }
        }
    }

    /// Applies the link policy to one destination and returns what to write.
    fn destination(&mut self, dest: CowStr<'a>, is_image: bool, offset: usize) -> CowStr<'a> {
        let fragment = match links::classify(&dest, is_image) {
            Destination::Dangerous => return CowStr::Borrowed("#"),
            // `/handbook/tools.md` is a page from the root, as GitHub reads it in a repository.
            Destination::Kept if is_root_markdown(&dest) => {
                return self.resolve(CowStr::from(format!("@{dest}")), offset);
            }
            // `/tags/rust/`: a URL of this site, kept, but checked where the graph knows it.
            Destination::Kept if dest.starts_with('/') && !dest.starts_with("//") => {
                return self.resolve(dest, offset);
            }
            Destination::Kept => return dest,
            Destination::SamePage(fragment) => fragment.to_string(),
            Destination::Relative => return self.resolve(dest, offset),
        };
        // A bare `#` and `#top` scroll to the top of the page without any element.
        if !fragment.is_empty() && !fragment.eq_ignore_ascii_case("top") {
            let position = self.locator.locate(offset);
            self.same_page_links
                .push(SamePageLink { fragment, position });
        }
        dest
    }

    fn resolve(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match self.resolver.resolve(&dest) {
            LinkResolution::Keep => dest,
            LinkResolution::Rewrite { url, anchor_check } => {
                if let Some(mut check) = anchor_check {
                    (check.line, check.column) = self.locator.locate(offset);
                    self.anchor_checks.push(check);
                }
                CowStr::from(url)
            }
            LinkResolution::Broken(message) => {
                let position = self.locator.locate(offset);
                let severity = self.options.broken_links;
                self.diagnose(severity, Code::LinkUnresolved, position, message, None);
                dest
            }
            LinkResolution::Missing(broken) => {
                let position = self.locator.locate(offset);
                let severity = self.options.broken_links;
                self.diagnose(severity, broken.code, position, broken.message, broken.help);
                dest
            }
        }
    }

    /// The attribute block that ends a heading's first line, as Pandoc reads it, when it
    /// holds a quoted value (the only case pulldown-cmark reads differently).
    fn quoted_heading_attributes(&self, range: &Range<usize>) -> Option<Attributes> {
        let text = self.source.get(range.clone())?;
        let line = text
            .lines()
            .next()?
            .trim_end()
            .trim_end_matches('#')
            .trim_end();
        let open = line.rfind('{')?;
        let block = &line[open..];
        if !block.contains(['"', '\'']) {
            return None;
        }
        let (attributes, len) = parse_attributes(block)?;
        (len == block.len()).then_some(attributes)
    }

    /// Drops the text of an attribute block already applied; keeps what follows it in the
    /// same text event.
    fn skip_attribute_text(&self, text: CowStr<'a>, range: &Range<usize>) -> Option<CowStr<'a>> {
        if range.start >= self.skip_until {
            return Some(text);
        }
        if range.end <= self.skip_until {
            return None;
        }
        let cut = self.skip_until - range.start;
        let rest = if text.len() == range.len() {
            text.get(cut..).map(str::to_string)
        } else {
            None
        };
        Some(CowStr::from(rest.unwrap_or_else(|| {
            self.source
                .get(self.skip_until..range.end)
                .unwrap_or("")
                .to_string()
        })))
    }

    /// `[term]{#id .class}` (Pandoc's bracketed span): at the `]`, when attributes follow,
    /// the `[` becomes `<span ...>` and the `]` its end.
    fn bracketed_span(&mut self, after: usize) -> bool {
        let Some(&open) = self.open_brackets.last() else {
            return false;
        };
        if !matches!(self.out.get(open), Some(Event::Text(t)) if &**t == "[") {
            return false;
        }
        let Some((attributes, len)) = self.source.get(after..).and_then(parse_attributes) else {
            return false;
        };
        self.open_brackets.pop();
        self.skip_until = after + len;
        let tag = self.attribute_html("span", &attributes, &[]);
        self.out[open] = Event::InlineHtml(CowStr::from(tag));
        self.out.push(Event::InlineHtml(CowStr::from("</span>")));
        true
    }

    /// `![alt](f.svg){alt='x' width="60%"}` and `[text](url){target=_blank}`: the image or
    /// link just closed takes the attributes that follow it.
    fn inline_attributes(&mut self, after: usize) {
        let Some((start, _)) = self.closed_inline.take() else {
            return;
        };
        let Some((attributes, len)) = self.source.get(after..).and_then(parse_attributes) else {
            return;
        };
        self.skip_until = after + len;
        match self.out.get(start).cloned() {
            Some(Event::Start(Tag::Image {
                dest_url, title, ..
            })) => {
                let alt = plain_text(&self.out[start + 1..self.out.len().saturating_sub(1)]);
                let mut fixed = vec![("src", dest_url.to_string()), ("alt", alt)];
                if !title.is_empty() {
                    fixed.push(("title", title.to_string()));
                }
                let tag = self.attribute_html("img", &attributes, &fixed);
                self.out.truncate(start);
                self.out.push(Event::InlineHtml(CowStr::from(tag)));
            }
            Some(Event::Start(Tag::Link {
                dest_url, title, ..
            })) => {
                let mut fixed = vec![("href", dest_url.to_string())];
                if !title.is_empty() {
                    fixed.push(("title", title.to_string()));
                }
                let tag = self.attribute_html("a", &attributes, &fixed);
                self.out[start] = Event::InlineHtml(CowStr::from(tag));
                if let Some(last) = self.out.last_mut() {
                    *last = Event::InlineHtml(CowStr::from("</a>"));
                }
            }
            _ => {}
        }
    }

    /// An opening tag with `fixed` attributes, then the block's id, classes and pairs (a
    /// pair overrides a fixed attribute of its name: `{alt='x'}`). The id becomes an anchor.
    fn attribute_html(
        &mut self,
        element: &str,
        attributes: &Attributes,
        fixed: &[(&str, String)],
    ) -> String {
        let mut tag = format!("<{element}");
        let push = |tag: &mut String, name: &str, value: &str| {
            tag.push(' ');
            tag.push_str(name);
            tag.push_str("=\"");
            push_escaped(tag, value);
            tag.push('"');
        };
        for (name, value) in fixed {
            let given = attributes.pairs.iter().find(|(n, _)| n == name);
            push(&mut tag, name, given.map_or(value, |(_, v)| v));
        }
        if let Some(id) = &attributes.id {
            if !self.ids.is_used(id) {
                self.ids.reserve(id);
            }
            self.anchors.push(id.clone());
            push(&mut tag, "id", id);
        }
        if !attributes.classes.is_empty() {
            push(&mut tag, "class", &attributes.classes.join(" "));
        }
        for (name, value) in &attributes.pairs {
            if !fixed.iter().any(|(n, _)| n == name) && self.allows_attribute(name) {
                push(&mut tag, name, value);
            }
        }
        tag.push('>');
        tag
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let level = level_number(heading.level);
        let title = collapse_whitespace(&heading.text);
        let id = match heading.explicit_id.as_deref().filter(|id| !id.is_empty()) {
            Some(explicit) if self.ids.is_used(explicit) => {
                let unique = self.ids.claim(explicit);
                self.diagnose(
                    Severity::Warning,
                    Code::DuplicateId,
                    heading.position,
                    format!(
                        "heading id `{explicit}` is already used in this page; \
                         this heading gets `{unique}`"
                    ),
                    None,
                );
                unique
            }
            Some(explicit) => self.ids.claim(explicit),
            None => self.ids.claim(&match self.options.heading_ids {
                HeadingIds::Github => slugify_anchor(&title),
                HeadingIds::Compact => slugify_anchor_compact(&title),
            }),
        };
        self.anchors.push(id.clone());
        if std::mem::take(&mut self.in_title) {
            self.hidden_depth = self.hidden_depth.saturating_sub(1);
            self.title_id = Some(id);
            return;
        }

        let escaped_id = escape_html(&id);
        let mut open = format!("<h{level} id=\"{escaped_id}\"");
        if !heading.classes.is_empty() {
            let classes: Vec<&str> = heading.classes.iter().map(AsRef::as_ref).collect();
            open.push_str(" class=\"");
            push_escaped(&mut open, &classes.join(" "));
            open.push('"');
        }
        for (name, value) in &heading.attributes {
            if self.allows_attribute(name) {
                open.push(' ');
                open.push_str(name);
                open.push_str("=\"");
                push_escaped(&mut open, value.as_deref().unwrap_or(""));
                open.push('"');
            }
        }
        open.push('>');
        self.out.push(Event::Html(CowStr::from(open)));
        self.out.extend(heading.events);
        let close = if level >= 2 {
            format!(
                " <a class=\"anchor\" href=\"#{escaped_id}\" aria-labelledby=\"{escaped_id}\"></a>\
                 </h{level}>\n"
            )
        } else {
            format!("</h{level}>\n")
        };
        self.out.push(Event::Html(CowStr::from(close)));

        if (2..=4).contains(&level) && self.hidden_depth == 0 {
            self.toc.push(TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            });
        }
    }

    /// Heading attributes (`{key=value}`) must be plain names; when raw HTML is escaped the
    /// author is not trusted, so event handlers (`onclick=...`) are dropped too.
    fn allows_attribute(&self, name: &str) -> bool {
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            && !name.eq_ignore_ascii_case("id")
            && !name.eq_ignore_ascii_case("class");
        let handler = name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"));
        plain && !(handler && self.options.raw_html == RawHtml::Escape)
    }

    /// Footnote definitions and raw HTML write ids a heading met earlier must not take, so
    /// they are taken before the walk: a heading `Notes` before `[^notes]: ...` gets
    /// `notes-1`. A footnote label that is taken already (by the theme, or by raw HTML)
    /// gets a free id, for the definition and its references alike.
    fn reserve_fixed_ids<'e>(&mut self, events: impl Iterator<Item = &'e Event<'e>>) {
        let mut scanner = RawIdScanner::default();
        for event in events {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let key = label.to_lowercase();
                    if !self.footnote_ids.contains_key(&key) {
                        let id = self.ids.claim(label);
                        self.footnote_ids.insert(key, id);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html)
                    if self.options.raw_html == RawHtml::Allow =>
                {
                    for id in scanner.ids(html) {
                        if !self.ids.is_used(id) {
                            self.ids.reserve(id);
                            self.raw_ids_ahead.insert(id.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn diagnose(
        &mut self,
        severity: Severity,
        code: Code,
        (line, column): (usize, usize),
        message: String,
        help: Option<String>,
    ) {
        self.diagnostics.push(
            Diagnostic {
                severity,
                ..Diagnostic::error(self.file, line, column, message).with_code(code)
            }
            .with_help_opt(help),
        );
    }

    /// `> [!DANGER]` is no GitHub alert, and would print as text: say so, and what was
    /// meant. Only a blockquote's first line is looked at, as GitHub does.
    fn check_alert_name(&mut self, offset: usize) {
        // The blockquote's own `>`, a space or two, then `[!NAME]`: a constant look, so a
        // blockquote nested a million levels deep stays linear.
        let Some(rest) = self.source.get(offset..) else {
            return;
        };
        let Some(after) = rest
            .trim_start_matches([' ', '\t'])
            .strip_prefix('>')
            .map(|s| s.trim_start_matches([' ', '\t']))
        else {
            return;
        };
        let first_line = &rest[..rest.len() - after.len()];
        let Some(name) = after
            .strip_prefix("[!")
            .and_then(|rest| {
                let end = rest.bytes().take(32).position(|b| b == b']')?;
                Some(&rest[..end])
            })
            .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()))
        else {
            return;
        };
        if ALERTS.contains(&name.to_ascii_uppercase().as_str()) {
            return;
        }
        let (line, column) = self.locator.locate(offset + first_line.len());
        let upper = name.to_ascii_uppercase();
        let help = match nearest(&upper, ALERTS, 1).first() {
            Some(near) => format!("did you mean `[!{near}]`?"),
            None => format!(
                "the alerts are {}; for another kind of box write a `::: name` block",
                ALERTS.map(|a| format!("`[!{a}]`")).join(", ")
            ),
        };
        self.diagnose(
            Severity::Warning,
            Code::UnknownAlert,
            (line, column),
            format!("unknown alert `[!{name}]`; it is shown as text in a quote"),
            Some(help),
        );
    }

    /// Shows the offending line under each problem, walking the body's lines once.
    fn attach_snippets(&mut self) {
        if self.diagnostics.is_empty() {
            return;
        }
        let first = self.first_line.max(1);
        let wanted: HashSet<usize> = self
            .diagnostics
            .iter()
            .filter(|d| d.line >= first)
            .map(|d| d.line - first)
            .collect();
        let lines: HashMap<usize, &str> = self
            .body
            .lines()
            .enumerate()
            .filter(|(index, _)| wanted.contains(index))
            .collect();
        for d in &mut self.diagnostics {
            if d.line >= first
                && let Some(line) = lines.get(&(d.line - first))
            {
                d.snippet = Some(line.trim_end_matches('\r').to_string());
            }
        }
    }

    fn finish(mut self) -> Rendered {
        // Unclosed divs were reported by the scan; close them so the HTML stays well formed.
        while let Some(div) = self.open_divs.pop() {
            self.close_div(div);
        }
        let (hidden, instructor_notes, lesson_blocks) = self.split_regions();

        let same_page_links = std::mem::take(&mut self.same_page_links);
        let known: HashSet<&str> = self.anchors.iter().map(String::as_str).collect();
        let mut missing = Vec::new();
        for link in same_page_links {
            let decoded = links::percent_decode(&link.fragment);
            if !known.contains(link.fragment.as_str()) && !known.contains(decoded.as_ref()) {
                missing.push(link);
            }
        }
        let mut known_sorted: Vec<&str> = known.iter().copied().collect();
        known_sorted.sort_unstable();
        // Suggestions for as many as are shown (the rest are cut per file anyway): a page
        // of generated links must not cost links times anchors.
        let suggestions: Vec<_> = missing
            .iter()
            .enumerate()
            .map(|(n, link)| {
                (n < crate::diagnostics::MAX_PER_FILE)
                    .then(|| anchor_help(&link.fragment, known_sorted.iter().copied()))
                    .flatten()
            })
            .collect();
        for (link, help) in missing.into_iter().zip(suggestions) {
            let message = format!("link to missing anchor `#{}`", link.fragment);
            let severity = self.options.broken_links;
            self.diagnose(
                severity,
                Code::LinkMissingAnchor,
                link.position,
                message,
                help,
            );
        }
        self.attach_snippets();

        let summary_html = self.summary_cut.take().and_then(|(cut, closers)| {
            let mut summary = String::new();
            let visible = self
                .out
                .iter()
                .zip(&hidden)
                .take(cut)
                .filter(|(_, hidden)| !**hidden)
                .map(|(event, _)| event.clone());
            html::push_html(&mut summary, visible);
            summary.push_str(&closers);
            summary.shrink_to_fit();
            (!summary.trim().is_empty()).then_some(summary)
        });
        let first_paragraph_html = self.first_paragraph.take().map(|range| {
            let mut paragraph = String::new();
            html::push_html(&mut paragraph, self.out[range].iter().cloned());
            paragraph.shrink_to_fit();
            paragraph
        });
        let mut html_out = String::new();
        let visible = self
            .out
            .into_iter()
            .zip(hidden)
            .filter(|(_, hidden)| !*hidden)
            .map(|(event, _)| event);
        html::push_html(&mut html_out, visible);
        // A build holds every page's render at once: no room to grow (a quarter of the
        // HTML's size on average, after growing by doubling).
        html_out.shrink_to_fit();

        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        Rendered {
            html: html_out,
            summary_html,
            toc: toc::nest(self.toc),
            anchors: self.anchors,
            word_count: self.words.count(),
            anchor_checks: self.anchor_checks,
            diagnostics: self.diagnostics,
            instructor_notes,
            lesson_blocks,
            shortcodes: self.shortcodes,
            first_paragraph_html,
            title_id: self.title_id,
            foreign_tags: Vec::new(),
        }
    }

    /// Marks the events of `out` that stay out of the learner's HTML, and gathers the
    /// instructor notes and lifted lesson blocks they hold. A region inside an instructor
    /// note belongs to that note.
    fn split_regions(&mut self) -> (Vec<bool>, Vec<String>, LessonBlocks) {
        let mut hidden = vec![false; self.out.len()];
        let mut regions = std::mem::take(&mut self.regions);
        // Closed innermost first; document order is by start.
        regions.sort_by_key(|r| (r.events.start, std::cmp::Reverse(r.events.end)));
        let mut notes = Vec::new();
        let mut blocks = LessonBlocks::default();
        let mut covered_until = 0;
        for region in regions {
            let range = region.events.start..region.events.end.min(self.out.len());
            for flag in &mut hidden[range.clone()] {
                *flag = true;
            }
            if range.start < covered_until {
                continue;
            }
            covered_until = range.end;
            let events = &self.out[range];
            match region.role {
                DivRole::Instructor => {
                    let mut note = String::new();
                    html::push_html(&mut note, events.iter().cloned());
                    notes.push(note);
                }
                DivRole::Objectives => blocks.objectives.extend(block_items(events)),
                DivRole::Questions => blocks.questions.extend(block_items(events)),
                DivRole::Keypoints => blocks.keypoints.extend(block_items(events)),
                DivRole::Plain => {}
            }
        }
        hide_emptied_quotes(&self.out, &mut hidden);
        (hidden, notes, blocks)
    }
}

/// Hides a block quote whose whole content is hidden (a quote that held only an instructor
/// note), so learners do not see an empty quote where the note was. Alerts are written as
/// HTML of their own and keep their title.
fn hide_emptied_quotes(events: &[Event<'_>], hidden: &mut [bool]) {
    // Per open quote: its start, and whether anything visible was seen inside it.
    let mut open: Vec<(usize, bool)> = Vec::new();
    for (index, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => open.push((index, false)),
            Event::End(TagEnd::BlockQuote(_)) => {
                let Some((start, visible)) = open.pop() else {
                    continue;
                };
                if !visible && index > start + 1 {
                    hidden[start] = true;
                    hidden[index] = true;
                } else if let Some(parent) = open.last_mut() {
                    parent.1 |= visible || index == start + 1;
                }
            }
            // An HTML block's start and end write nothing themselves.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            _ if !hidden[index] => {
                if let Some(current) = open.last_mut() {
                    current.1 = true;
                }
            }
            _ => {}
        }
    }
}

/// The items of a lifted block: each top-level list item, and each other top-level block,
/// as HTML. The first and last events are the div's own opening and closing markup.
fn block_items(events: &[Event<'_>]) -> Vec<String> {
    let inner = events.get(1..events.len().saturating_sub(1)).unwrap_or(&[]);
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current: Vec<Event<'_>> = Vec::new();
    for event in inner {
        match event {
            Event::Start(Tag::List(_)) if depth == 0 => depth += 1,
            Event::End(TagEnd::List(_)) if depth == 1 => depth -= 1,
            Event::Start(Tag::Item) if depth == 1 => depth += 1,
            Event::End(TagEnd::Item) if depth == 2 => {
                depth -= 1;
                items.push(item_html(std::mem::take(&mut current)));
            }
            Event::Start(_) => {
                depth += 1;
                current.push(event.clone());
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                current.push(event.clone());
                if depth == 0 {
                    items.push(item_html(std::mem::take(&mut current)));
                }
            }
            _ if depth == 0 => {
                // Text outside any block: raw HTML lines, placeholders of nested fences.
                if let Event::Html(html) = event
                    && html.trim().is_empty()
                {
                    continue;
                }
                items.push(item_html(vec![event.clone()]));
            }
            _ => current.push(event.clone()),
        }
    }
    items.retain(|item| !item.is_empty());
    items
}

/// One item's HTML, without the `<p>` a loose list or a lone paragraph wraps it in.
fn item_html(events: Vec<Event<'_>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    let trimmed = out.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"))
        .unwrap_or(trimmed)
        .to_string()
}

fn alert_open(kind: BlockQuoteKind, labels: &Labels) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", Label::Note),
        BlockQuoteKind::Tip => ("tip", Label::Tip),
        BlockQuoteKind::Important => ("important", Label::Important),
        BlockQuoteKind::Warning => ("warning", Label::Warning),
        BlockQuoteKind::Caution => ("caution", Label::Caution),
    };
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\">\n\
         <p class=\"callout-title\">{}</p>\n",
        labels.html(title)
    )
}

/// `<!-- more -->`, with any spacing and case (`<!--more-->` is common too).
fn is_summary_marker(html: &str) -> bool {
    html.strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// Finds the anchors raw HTML defines: `id` attributes, and `name` on `<a>` (the old way
/// of writing an anchor, common in handbooks written for GitHub). Text inside HTML comments
/// defines nothing, and a comment may span several HTML events (one per line of a block),
/// so the scanner remembers whether one is open. A plain scan, not a parser: it only has to
/// find ids, never to reject HTML.
#[derive(Default)]
struct RawIdScanner {
    in_comment: bool,
}

impl RawIdScanner {
    fn ids<'h>(&mut self, html: &'h str) -> Vec<&'h str> {
        let mut ids = Vec::new();
        let bytes = html.as_bytes();
        let mut at = 0;
        loop {
            if self.in_comment {
                match memchr::memmem::find(&bytes[at..], b"-->") {
                    Some(end) => {
                        at += end + 3;
                        self.in_comment = false;
                    }
                    None => return ids,
                }
            }
            let Some(open) = memchr::memchr(b'<', &bytes[at..]) else {
                return ids;
            };
            at += open + 1;
            if bytes[at..].starts_with(b"!--") {
                at += 3;
                self.in_comment = true;
                continue;
            }
            let name_len = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let is_anchor = name_len == 1 && bytes[at].eq_ignore_ascii_case(&b'a');
            let end = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |e| at + e);
            let tag = &html[at + name_len..end];
            ids.extend(attribute_values(tag, "id="));
            if is_anchor {
                ids.extend(attribute_values(tag, "name="));
            }
            at = end;
        }
    }
}

/// The values of one attribute (`pattern` is `id=` or `name=`) in the inside of a tag.
fn attribute_values<'h>(tag: &'h str, pattern: &str) -> Vec<&'h str> {
    let mut values = Vec::new();
    let bytes = tag.as_bytes();
    let mut from = 0;
    while let Some(found) = find_ascii_ci(&bytes[from..], pattern.as_bytes()) {
        let at = from + found;
        from = at + pattern.len();
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &tag[from..];
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next(),
            Some(_) => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .next(),
            None => None,
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            values.push(value);
        }
    }
    values
}

/// Ids in a fragment of HTML this module wrote itself (no comments to skip).
fn raw_html_ids(html: &str) -> Vec<&str> {
    RawIdScanner::default().ids(html)
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `/README.md`, `/a/b.markdown#x`: a root-relative link to a Markdown file.
fn is_root_markdown(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    dest.starts_with('/')
        && !dest.starts_with("//")
        && std::path::Path::new(path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// A Pandoc attribute block: `{#id .class key=value key="a value" key='v'}`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Attributes {
    id: Option<String>,
    classes: Vec<String>,
    pairs: Vec<(String, String)>,
}

/// Reads the attribute block `text` starts with, on one line; returns it and its length.
/// `{{` and `{%` open template tags, not attributes.
fn parse_attributes(text: &str) -> Option<(Attributes, usize)> {
    let inner = text.strip_prefix('{')?;
    if inner.starts_with(['{', '%']) {
        return None;
    }
    let mut attributes = Attributes::default();
    let mut rest = inner;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if let Some(after) = rest.strip_prefix('}') {
            let len = text.len() - after.len();
            let empty = attributes == Attributes::default();
            return (!empty).then_some((attributes, len));
        }
        let word_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '}' | '=' | '"' | '\''))
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        rest = &rest[word_end..];
        if let Some(id) = word.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            attributes.id = Some(id.to_string());
        } else if let Some(class) = word.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attributes.classes.push(class.to_string());
        } else if let Some(after) = rest.strip_prefix('=') {
            if word.is_empty() {
                return None;
            }
            let (value, after) = if let Some(quote @ ('"' | '\'')) = after.chars().next() {
                quoted_value(&after[1..], quote)?
            } else {
                let end = after
                    .find(|c: char| c.is_whitespace() || c == '}')
                    .unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            };
            if value.contains('\n') {
                return None;
            }
            attributes.pairs.push((word.to_string(), value));
            rest = after;
        } else if word == "-" {
            // `{-}`: Pandoc's "unnumbered", meaningless here.
            attributes.classes.push("unnumbered".to_string());
        } else {
            return None;
        }
    }
}

/// A quoted attribute value up to its closing `quote`, with backslash escapes (`'it\'s'`);
/// returns the value and what follows the quote.
fn quoted_value(text: &str, quote: char) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?.1),
            c if c == quote => return Some((value, &text[at + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// The text of inline events, as an image's alt text is.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The GitHub alerts pulldown-cmark knows.
const ALERTS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// "did you mean" for a missing anchor: the page's nearest ids.
pub(crate) fn anchor_help<'k>(
    fragment: &str,
    known: impl IntoIterator<Item = &'k str>,
) -> Option<String> {
    let close = nearest(fragment, known, 3);
    (!close.is_empty()).then(|| {
        let with_hash: Vec<String> = close.iter().map(|a| format!("#{a}")).collect();
        let names: Vec<&str> = with_hash.iter().map(String::as_str).collect();
        format!("did you mean {}?", one_of(&names))
    })
}

#[cfg(test)]
mod attribute_tests {
    use super::{Attributes, parse_attributes};

    #[test]
    fn attribute_blocks() {
        let (attributes, len) =
            parse_attributes("{#t .c key=v k2='a\\' b' k3=\"x\"} rest").unwrap();
        assert_eq!(len, 31);
        assert_eq!(
            attributes,
            Attributes {
                id: Some("t".into()),
                classes: vec!["c".into()],
                pairs: vec![
                    ("key".into(), "v".into()),
                    ("k2".into(), "a' b".into()),
                    ("k3".into(), "x".into()),
                ],
            }
        );
        for not in [
            "{{ site.baseurl }}",
            "{% link x %}",
            "{}",
            "{#}",
            "{a b}",
            "{k='open",
            "{x=1\n}",
        ] {
            assert_eq!(parse_attributes(not), None, "{not}");
        }
    }
}
