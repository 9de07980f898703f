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

/// Renders one code block. `info` is the fence's info string (`None` for indented code).
///
/// ` ```quiz ` blocks never get here when they are valid: the rendering pass hands them to
/// `quiz.rs`, which needs the block's file line; a broken one is shown here, plain.
pub(crate) fn render_code_block(info: Option<&str>, code: &str, highlight: bool) -> String {
    let language = info.and_then(language_of);
    match language {
        Some(lang) if highlight => {
            highlighted(lang, code).unwrap_or_else(|| plain_block(language, code))
        }
        _ => plain_block(language, code),
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
    fn themes_and_css() {
        let themes = highlight_themes();
        assert!(themes.contains(&"InspiredGitHub"), "{themes:?}");
        assert!(themes.windows(2).all(|w| w[0] <= w[1]));
        let css = highlight_css("InspiredGitHub").unwrap_or_default();
        assert!(css.contains(".hl-"), "{css}");
        assert_eq!(highlight_css("no such theme"), None);
    }
}
