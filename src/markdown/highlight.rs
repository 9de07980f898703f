//! Fenced code blocks: choosing a renderer by info string, and syntect highlighting into CSS
//! classes (never inline styles, so one stylesheet per theme serves every page).
//!
//! The syntax and theme sets are loaded from syntect's bundled binary dumps once per
//! process, on first use; grammars are never compiled at startup.

use std::sync::LazyLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape::{escape_html, push_escaped};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// Every highlighted token gets classes such as `hl-keyword hl-control`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks bigger than this are left plain: syntect's regexes can backtrack badly on hostile
/// input, and a build must not hang on one page.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
/// Same guard for a single very long line (minified code, generated data).
const MAX_HIGHLIGHT_LINE_CHARS: usize = 10_000;

/// Names of the themes [`highlight_css`] knows, sorted.
pub fn highlight_themes() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = THEMES.themes.keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

/// Which colour scheme a highlight stylesheet serves: it decides the background the code is
/// read against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeScheme {
    Light,
    Dark,
}

impl CodeScheme {
    /// The code block background the default theme shows in this scheme: `--code-bg` in
    /// `themes/default/static/trailmark.css` (a unit test keeps the two in step). Blocks are
    /// `<pre class="code">`, so the syntect theme's own background (`.hl-code`) never shows.
    pub fn code_background(self) -> Color {
        match self {
            CodeScheme::Light => rgb(0xf6, 0xf7, 0xf9),
            CodeScheme::Dark => rgb(0x18, 0x1d, 0x23),
        }
    }

    /// The background of highlighted lines (`hl_lines`): `--hll-bg` in the default theme's
    /// stylesheet, the accent mixed 14% into the code background. Tokens must be readable
    /// on it too.
    pub fn highlighted_line_background(self) -> Color {
        match self {
            CodeScheme::Light => rgb(0xd5, 0xe3, 0xe6),
            CodeScheme::Dark => rgb(0x22, 0x34, 0x39),
        }
    }
}

/// WCAG AA contrast for normal-size text.
const MIN_CONTRAST: f64 = 4.5;

/// Whether `name` is a highlight theme [`highlight_css`] knows.
pub fn is_highlight_theme(name: &str) -> bool {
    THEMES.themes.contains_key(name)
}

/// The stylesheet giving colours to the `hl-` classes for one theme, or `None` if no theme
/// has that name.
///
/// Syntect themes are drawn for their own background, and many have token colours too faint
/// for the one Trailmark shows (axe-core: `color-contrast`). Every token colour below WCAG AA
/// (4.5:1) against what it is read on is moved in lightness, hue and saturation kept, just far
/// enough to reach it; colours that already pass are left as the theme's author chose them.
pub fn highlight_css(theme: &str, scheme: CodeScheme) -> Option<String> {
    let mut theme = THEMES.themes.get(theme)?.clone();
    // Highlighted lines are darker in the light scheme and lighter in the dark one, so a
    // colour moved to be readable on them stays readable on the plain background.
    readable(&mut theme, scheme.code_background());
    readable(&mut theme, scheme.highlighted_line_background());
    css_for_theme_with_class_style(&theme, CLASS_STYLE).ok()
}

/// Gives every foreground of `theme` at least [`MIN_CONTRAST`] against what it is drawn on:
/// the token's own background when the theme sets one, `code_bg` otherwise.
fn readable(theme: &mut Theme, code_bg: Color) {
    // The theme's own background never shows (see `CodeScheme::code_background`); leaving it
    // in the stylesheet would only claim a colour the page does not use.
    theme.settings.background = None;
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = with_contrast(*fg, code_bg, MIN_CONTRAST);
    }
    for item in &mut theme.scopes {
        let bg = item.style.background.map_or(code_bg, opaque);
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = with_contrast(*fg, bg, MIN_CONTRAST);
        }
    }
}

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// The stylesheet drops alpha, so contrast is measured on the colour as written.
fn opaque(c: Color) -> Color {
    rgb(c.r, c.g, c.b)
}

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG 2 contrast ratio, from 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` unchanged if it reaches `min` against `bg`; otherwise the colour of the same hue and
/// saturation whose lightness is nearest to `fg`'s and reaches it, moving away from `bg`
/// (darker on a light background, lighter on a dark one).
fn with_contrast(fg: Color, bg: Color, min: f64) -> Color {
    let fg = opaque(fg);
    if contrast(fg, bg) >= min {
        return fg;
    }
    let (h, s, l) = to_hsl(fg);
    // Towards black or towards white, whichever end contrasts more with `bg`; one of them
    // always reaches 4.5:1 (the worst background still gives about 4.58).
    let target = if contrast(rgb(0, 0, 0), bg) >= contrast(rgb(0xff, 0xff, 0xff), bg) {
        0.0
    } else {
        1.0
    };
    // Along one direction, each channel moves monotonically with lightness, so the contrast
    // does too: bisect for the smallest move that passes, checked after rounding to bytes.
    let (mut near, mut far) = (l, target);
    for _ in 0..40 {
        let mid = f64::midpoint(near, far);
        if contrast(from_hsl(h, s, mid), bg) >= min {
            far = mid;
        } else {
            near = mid;
        }
    }
    from_hsl(h, s, far)
}

// The usual HSL formulas, in their usual one-letter names.
#[allow(clippy::many_single_char_names)]
fn to_hsl(c: Color) -> (f64, f64, f64) {
    let top = c.r.max(c.g).max(c.b);
    let bottom = c.r.min(c.g).min(c.b);
    let [r, g, b, max, min] = [c.r, c.g, c.b, top, bottom].map(|v| f64::from(v) / 255.0);
    let l = f64::midpoint(max, min);
    let d = max - min;
    if top == bottom {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if top == c.r {
        ((g - b) / d).rem_euclid(6.0)
    } else if top == c.g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h * 60.0, s, l)
}

#[allow(clippy::many_single_char_names)]
fn from_hsl(h: f64, s: f64, l: f64) -> Color {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match h {
        h if h < 60.0 => (c, x, 0.0),
        h if h < 120.0 => (x, c, 0.0),
        h if h < 180.0 => (0.0, c, x),
        h if h < 240.0 => (0.0, x, c),
        h if h < 300.0 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    // Clamped to 0..=255 first, so the cast neither truncates nor loses a sign.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    rgb(byte(r), byte(g), byte(b))
}

/// The language of an info string: its first word (` ```rust ignore ` and ` ```rust,ignore `
/// both give `rust`).
pub(crate) fn language_of(info: &str) -> Option<&str> {
    info.split(|c: char| c.is_whitespace() || c == ',')
        .find(|word| !word.is_empty())
}

/// What an info string says beyond the language: ` ```rust title="main.rs" hl_lines="2-3 5" `.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BlockAttributes {
    /// Shown in a bar above the code (a file name, usually).
    pub(crate) title: Option<String>,
    /// 1-based line numbers to highlight.
    pub(crate) hl_lines: Vec<usize>,
}

/// Reads `key="value"` (or `key='value'`, or `key=value`) pairs after the language. Other
/// words (`ignore`, `no_run`) are kept for other tools and ignored here. A value Trailmark
/// cannot read gives a message for a warning; the rest of the block still renders.
pub(crate) fn block_attributes(info: &str) -> (BlockAttributes, Vec<String>) {
    let mut attributes = BlockAttributes::default();
    let mut problems = Vec::new();
    let mut rest = info.trim();
    // Skip the language.
    if let Some(language) = language_of(rest)
        && !language.contains('=')
    {
        rest = rest[rest.find(language).map_or(0, |at| at + language.len())..].trim_start();
    }
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == ',' || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..word_end];
        rest = &rest[word_end..];
        let Some(after) = rest.strip_prefix('=') else {
            continue;
        };
        let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''));
        let (value, after) = if let Some(quote) = quote {
            match after[1..].find(quote) {
                Some(end) => (&after[1..=end], &after[end + 2..]),
                None => (&after[1..], ""),
            }
        } else {
            let end = after
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        rest = after;
        match key {
            "title" => attributes.title = Some(value.to_string()).filter(|t| !t.is_empty()),
            "hl_lines" => match parse_lines(value) {
                Some(lines) => attributes.hl_lines = lines,
                None => problems.push(format!(
                    "`hl_lines=\"{value}\"` is not a list of line numbers and ranges \
                     (like `hl_lines=\"2 4-6\"`); no line is highlighted"
                )),
            },
            _ => {}
        }
    }
    (attributes, problems)
}

/// `"2 4-6"` (or `"2,4-6"`) into `[2, 4, 5, 6]`; `None` if anything else is written.
fn parse_lines(value: &str) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    for part in value.split(|c: char| c.is_whitespace() || c == ',') {
        if part.is_empty() {
            continue;
        }
        let (from, to) = if let Some((a, b)) = part.split_once('-') {
            (a.trim().parse().ok()?, b.trim().parse().ok()?)
        } else {
            let n: usize = part.parse().ok()?;
            (n, n)
        };
        if from == 0 || to < from || to - from > 100_000 {
            return None;
        }
        lines.extend(from..=to);
    }
    lines.sort_unstable();
    lines.dedup();
    Some(lines)
}

/// Renders one code block. `info` is the fence's info string (`None` for indented code).
///
/// ` ```quiz ` blocks never get here when they are valid: the rendering pass hands them to
/// `quiz.rs`, which needs the block's file line; a broken one is shown here, plain.
pub(crate) fn render_code_block(info: Option<&str>, code: &str, highlight: bool) -> String {
    let language = info.and_then(language_of).filter(|l| !l.contains('='));
    let html = match language {
        Some(lang) if highlight => {
            highlighted(lang, code).unwrap_or_else(|| plain_block(language, code))
        }
        _ => plain_block(language, code),
    };
    let Some(info) = info else {
        return html;
    };
    let (attributes, _) = block_attributes(info);
    decorate(html, &attributes)
}

/// Adds the highlighted lines and the title bar to a rendered block.
fn decorate(html: String, attributes: &BlockAttributes) -> String {
    let html = if attributes.hl_lines.is_empty() {
        html
    } else {
        mark_lines(&html, &attributes.hl_lines)
    };
    match &attributes.title {
        Some(title) => {
            let mut out = String::with_capacity(html.len() + title.len() + 80);
            out.push_str("<div class=\"code-block\">\n<p class=\"code-title\">");
            push_escaped(&mut out, title);
            out.push_str("</p>\n");
            out.push_str(&html);
            out.push_str("</div>\n");
            out
        }
        None => html,
    }
}

/// Wraps the given lines (1-based) of a rendered block in `<span class="hll">`. The
/// highlighter's spans may run across lines, so around a marked line the spans open there
/// are closed and opened again, keeping the HTML well nested.
fn mark_lines(html: &str, lines: &[usize]) -> String {
    let Some(code_start) = html
        .find("<code")
        .and_then(|at| html[at..].find('>').map(|e| at + e + 1))
    else {
        return html.to_string();
    };
    let Some(code_end) = html.rfind("</code>") else {
        return html.to_string();
    };
    if code_end < code_start {
        return html.to_string();
    }
    let body = &html[code_start..code_end];
    let mut out = String::with_capacity(html.len() + lines.len() * 40);
    out.push_str(&html[..code_start]);
    let mut open: Vec<&str> = Vec::new();
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let marked = lines.binary_search(&(index + 1)).is_ok();
        if marked {
            for _ in &open {
                out.push_str("</span>");
            }
            out.push_str("<span class=\"hll\">");
            for tag in &open {
                out.push_str(tag);
            }
        }
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        track_spans(text, &mut open);
        out.push_str(text);
        if marked {
            for _ in &open {
                out.push_str("</span>");
            }
            out.push_str(newline);
            out.push_str("</span>");
            for tag in &open {
                out.push_str(tag);
            }
        } else {
            out.push_str(newline);
        }
    }
    out.push_str(&html[code_end..]);
    out
}

/// Follows the `<span ...>` and `</span>` tags of one line of highlighter output.
fn track_spans<'h>(text: &'h str, open: &mut Vec<&'h str>) {
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let tag_text = &rest[at..];
        let Some(end) = tag_text.find('>') else {
            break;
        };
        let tag = &tag_text[..=end];
        if tag.starts_with("</span") {
            open.pop();
        } else if tag.starts_with("<span") {
            open.push(tag);
        }
        rest = &tag_text[end + 1..];
    }
}

/// `<pre class="code" data-lang="x"><code class="language-x">` with the code escaped.
fn plain_block(language: Option<&str>, code: &str) -> String {
    let mut out = open_block(language, code.len());
    push_escaped(&mut out, code);
    out.push_str("</code></pre>\n");
    out
}

fn open_block(language: Option<&str>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity + 80);
    match language {
        Some(lang) => {
            let lang = escape_html(lang);
            out.push_str("<pre class=\"code\" data-lang=\"");
            out.push_str(&lang);
            out.push_str("\"><code class=\"language-");
            out.push_str(&lang);
            out.push_str("\">");
        }
        None => out.push_str("<pre class=\"code\"><code>"),
    }
    out
}

/// The highlighted block, or `None` when the language is unknown or the block too big.
fn highlighted(lang: &str, code: &str) -> Option<String> {
    if code.len() > MAX_HIGHLIGHT_BYTES || has_overlong_line(code) {
        return None;
    }
    let syntax = SYNTAXES.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let body = generator.finalize();
    let mut out = open_block(Some(lang), body.len());
    out.push_str(&body);
    out.push_str("</code></pre>\n");
    Some(out)
}

fn has_overlong_line(code: &str) -> bool {
    // The byte length bounds the char count, so most lines skip the count.
    code.lines().any(|line| {
        line.len() > MAX_HIGHLIGHT_LINE_CHARS && line.chars().count() > MAX_HIGHLIGHT_LINE_CHARS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_into_classes() {
        let html = render_code_block(Some("rust"), "fn main() {}\n", true);
        assert!(
            html.starts_with(r#"<pre class="code" data-lang="rust"><code class="language-rust">"#),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.ends_with("</code></pre>\n"));
        assert!(!html.contains("style="));
    }

    #[test]
    fn unknown_language_and_disabled_highlighting_are_plain() {
        let plain = r#"<pre class="code" data-lang="nosuchlang"><code class="language-nosuchlang">a &lt; b
</code></pre>
"#;
        assert_eq!(
            render_code_block(Some("nosuchlang"), "a < b\n", true),
            plain
        );
        let off = render_code_block(Some("rust ignore"), "let x = 1;\n", false);
        assert_eq!(
            off,
            "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">let x = 1;\n</code></pre>\n"
        );
        assert_eq!(
            render_code_block(None, "x\n", true),
            "<pre class=\"code\"><code>x\n</code></pre>\n"
        );
    }

    #[test]
    fn language_is_escaped() {
        let html = render_code_block(Some("\"><script>"), "x\n", true);
        assert!(
            html.contains(r#"data-lang="&quot;&gt;&lt;script&gt;""#),
            "{html}"
        );
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn huge_blocks_and_lines_stay_plain() {
        let long_line = format!(
            "let x = \"{}\";\n",
            "a".repeat(MAX_HIGHLIGHT_LINE_CHARS + 1)
        );
        assert!(!render_code_block(Some("rust"), &long_line, true).contains("hl-"));
        let big = "let x = 1;\n".repeat(MAX_HIGHLIGHT_BYTES / 10);
        assert!(!render_code_block(Some("rust"), &big, true).contains("hl-"));
    }

    #[test]
    fn reads_titles_and_highlighted_lines() {
        let (attributes, problems) =
            block_attributes(r#"rust title="src/main.rs" hl_lines="2 4-5""#);
        assert_eq!(attributes.title.as_deref(), Some("src/main.rs"));
        assert_eq!(attributes.hl_lines, vec![2, 4, 5]);
        assert!(problems.is_empty());
        let (attributes, problems) = block_attributes("rust,ignore hl_lines=x title='a b'");
        assert_eq!(attributes.title.as_deref(), Some("a b"));
        assert!(attributes.hl_lines.is_empty());
        assert_eq!(problems.len(), 1);
        let (attributes, _) = block_attributes(r#"title="only.txt""#);
        assert_eq!(attributes.title.as_deref(), Some("only.txt"));
    }

    #[test]
    fn marks_lines_keeping_spans_nested() {
        let html = render_code_block(
            Some(r#"text title="a<b" hl_lines="2""#),
            "one\ntwo\nthree\n",
            true,
        );
        assert_eq!(
            html,
            "<div class=\"code-block\">\n<p class=\"code-title\">a&lt;b</p>\n\
             <pre class=\"code\" data-lang=\"text\"><code class=\"language-text\">one\n\
             <span class=\"hll\">two\n</span>three\n</code></pre>\n</div>\n"
        );
        let marked = mark_lines(
            "<pre><code><span class=\"a\">x\ny</span>\nz\n</code></pre>",
            &[2],
        );
        assert_eq!(
            marked,
            "<pre><code><span class=\"a\">x\n</span><span class=\"hll\"><span class=\"a\">y</span>\n</span>z\n</code></pre>"
        );
        let rust = render_code_block(
            Some("rust hl_lines=\"1-2\""),
            "fn main() {\n    let x = \"a\nb\";\n}\n",
            true,
        );
        assert_eq!(
            rust.matches("<span").count(),
            rust.matches("</span>").count(),
            "{rust}"
        );
        assert_eq!(rust.matches("class=\"hll\"").count(), 2, "{rust}");
    }

    #[test]
    fn themes_and_css() {
        let themes = highlight_themes();
        assert!(themes.contains(&"InspiredGitHub"), "{themes:?}");
        assert!(themes.windows(2).all(|w| w[0] <= w[1]));
        let css = highlight_css("InspiredGitHub", CodeScheme::Light).unwrap_or_default();
        assert!(css.contains(".hl-"), "{css}");
        assert_eq!(highlight_css("no such theme", CodeScheme::Light), None);
        assert!(is_highlight_theme("InspiredGitHub"));
        assert!(!is_highlight_theme("no such theme"));
    }

    fn parse_hex(hex: &str) -> Option<Color> {
        let hex = hex.trim().trim_end_matches(';').strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// Each rule's `color` with the background it is read on: its own `background-color`, or
    /// the code block's.
    fn colours(css: &str, code_bg: Color) -> Vec<(String, Color, Color)> {
        let mut out = Vec::new();
        for rule in css.split('}') {
            let Some((selector, body)) = rule.split_once('{') else {
                continue;
            };
            let value = |property: &str| {
                body.lines()
                    .find_map(|line| line.trim().strip_prefix(property))
                    .and_then(parse_hex)
            };
            if let Some(fg) = value("color:") {
                let bg = value("background-color:").unwrap_or(code_bg);
                out.push((selector.trim().to_owned(), fg, bg));
            }
        }
        out
    }

    fn low_contrast(css: &str, code_bg: Color) -> Vec<String> {
        colours(css, code_bg)
            .into_iter()
            .filter(|(_, fg, bg)| contrast(*fg, *bg) < MIN_CONTRAST)
            .map(|(selector, fg, bg)| format!("{selector}: {fg:?} on {bg:?}"))
            .collect()
    }

    #[test]
    fn default_themes_meet_wcag_aa_on_the_code_background() {
        let defaults = crate::config::HighlightConfig::default();
        for (theme, scheme) in [
            (defaults.light.as_str(), CodeScheme::Light),
            (defaults.dark.as_str(), CodeScheme::Dark),
        ] {
            let css = highlight_css(theme, scheme).unwrap_or_default();
            let found = colours(&css, scheme.code_background());
            assert!(found.len() > 10, "{theme}: {css}");
            for bg in [
                scheme.code_background(),
                scheme.highlighted_line_background(),
            ] {
                let bad = low_contrast(&css, bg);
                assert!(bad.is_empty(), "{theme} on {bg:?}: {bad:#?}");
            }
        }
    }

    #[test]
    fn every_bundled_theme_is_made_readable_in_both_schemes() {
        for theme in highlight_themes() {
            for scheme in [CodeScheme::Light, CodeScheme::Dark] {
                let css = highlight_css(theme, scheme).unwrap_or_default();
                for bg in [
                    scheme.code_background(),
                    scheme.highlighted_line_background(),
                ] {
                    let bad = low_contrast(&css, bg);
                    assert!(bad.is_empty(), "{theme} {scheme:?} on {bg:?}: {bad:#?}");
                }
            }
        }
    }

    #[test]
    fn the_unadjusted_light_theme_fails_and_passing_colours_are_kept() {
        // What the stylesheet was before: InspiredGitHub's YAML tag names and others fall
        // below 4.5:1 on the light code background (axe-core: color-contrast).
        let bg = CodeScheme::Light.code_background();
        let raw = THEMES
            .themes
            .get("InspiredGitHub")
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default();
        assert!(!low_contrast(&raw, bg).is_empty());
        // A colour that already passes is untouched; one that fails moves only in lightness.
        let dark_red = rgb(0xa7, 0x1d, 0x5d);
        assert_eq!(with_contrast(dark_red, bg, MIN_CONTRAST), dark_red);
        let pale_green = rgb(0x63, 0xa3, 0x5c);
        let fixed = with_contrast(pale_green, bg, MIN_CONTRAST);
        assert!(contrast(fixed, bg) >= MIN_CONTRAST, "{fixed:?}");
        assert!(
            contrast(fixed, bg) < MIN_CONTRAST + 0.1,
            "moved too far: {fixed:?}"
        );
        let (h0, s0, l0) = to_hsl(pale_green);
        let (h1, s1, l1) = to_hsl(fixed);
        assert!((h0 - h1).abs() < 3.0 && (s0 - s1).abs() < 0.05, "{fixed:?}");
        assert!(l1 < l0);
        // On a dark background, faint colours get lighter.
        let dark = CodeScheme::Dark.code_background();
        let grey = rgb(0x65, 0x73, 0x7e);
        let lifted = with_contrast(grey, dark, MIN_CONTRAST);
        assert!(to_hsl(lifted).2 > to_hsl(grey).2 && contrast(lifted, dark) >= MIN_CONTRAST);
    }

    #[test]
    fn code_backgrounds_match_the_default_theme_stylesheet() {
        // `--code-bg: light-dark(#light, #dark);`, and the same for `--hll-bg`.
        let css = include_str!("../../themes/default/static/trailmark.css");
        let declared = |property: &str| -> Vec<Color> {
            css.lines()
                .filter_map(|line| line.trim().strip_prefix(property))
                .filter_map(|value| {
                    let inner = value.trim().strip_prefix("light-dark(")?;
                    let (light, dark) = inner
                        .trim_end_matches(';')
                        .trim_end_matches(')')
                        .split_once(',')?;
                    Some([parse_hex(light)?, parse_hex(dark)?])
                })
                .flatten()
                .collect()
        };
        assert_eq!(
            declared("--code-bg:"),
            [
                CodeScheme::Light.code_background(),
                CodeScheme::Dark.code_background()
            ]
        );
        assert_eq!(
            declared("--hll-bg:"),
            [
                CodeScheme::Light.highlighted_line_background(),
                CodeScheme::Dark.highlighted_line_background()
            ]
        );
    }
}
