//! Fenced code blocks: choosing a renderer by info string, and syntect highlighting into CSS
//! classes (never inline styles, so one stylesheet per theme serves every page).
//!
//! The syntax and theme sets are loaded from syntect's bundled binary dumps once per
//! process, on first use; grammars are never compiled at startup.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
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

/// The stylesheet giving colours to the `hl-` classes for one theme, or `None` if no theme
/// has that name.
pub fn highlight_css(theme: &str) -> Option<String> {
    let theme = THEMES.themes.get(theme)?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
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
        let css = highlight_css("InspiredGitHub").unwrap_or_default();
        assert!(css.contains(".hl-"), "{css}");
        assert_eq!(highlight_css("no such theme"), None);
    }
}
