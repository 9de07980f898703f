//! Finding a page's title in its body: the first level-1 ATX heading.
//!
//! Runs before rendering (titles are needed to assemble the site graph), so it scans lines
//! and parses only the heading line itself.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Plain text of the first `# Heading` in `body` that is not inside a fenced code block,
/// with inline Markdown removed (`# The *big* day` gives `The big day`). `None` when there
/// is no such heading or it is empty.
pub fn first_heading(body: &str) -> Option<String> {
    // The open code fence, as (fence character, fence length).
    let mut fence: Option<(char, usize)> = None;
    for line in body.lines() {
        let text = line.trim_start_matches(' ');
        let indent = line.len() - text.len();
        if let Some((ch, len)) = fence {
            if indent <= 3 && closes_fence(text, ch, len) {
                fence = None;
            }
            continue;
        }
        if indent > 3 {
            continue;
        }
        if let Some(opened) = opens_fence(text) {
            fence = Some(opened);
            continue;
        }
        if let Some(rest) = text.strip_prefix('#')
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
        {
            return heading_text(text);
        }
    }
    None
}

fn opens_fence(text: &str) -> Option<(char, usize)> {
    let ch = text.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = text.len() - text.trim_start_matches(ch).len();
    // A backtick fence's info string may not contain backticks (that is inline code).
    let valid = len >= 3 && !(ch == '`' && text[len..].contains('`'));
    valid.then_some((ch, len))
}

fn closes_fence(text: &str, ch: char, open_len: usize) -> bool {
    let rest = text.trim_start_matches(ch);
    text.len() - rest.len() >= open_len && rest.trim().is_empty()
}

/// The plain text of one ATX heading line, through pulldown-cmark so emphasis, code spans,
/// links, escapes and a trailing `{#id}` are handled as in the page itself.
fn heading_text(line: &str) -> Option<String> {
    let options = Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_FOOTNOTES;
    let mut text = String::new();
    let mut in_heading = false;
    for event in Parser::new_ext(line, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                if in_heading =>
            {
                text.push_str(&t);
            }
            _ => {}
        }
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_atx_heading() {
        assert_eq!(
            first_heading("# The *big* day\n\ntext"),
            Some("The big day".to_string())
        );
        assert_eq!(
            first_heading("intro\n\n## Sub\n\n# Main `code` [link](x.md) #\n"),
            Some("Main code link".to_string())
        );
        assert_eq!(
            first_heading("# Title {#custom}\n"),
            Some("Title".to_string())
        );
        assert_eq!(
            first_heading("  # Indented a little\n"),
            Some("Indented a little".to_string())
        );
        assert_eq!(
            first_heading("# Tom \\& Jerry &amp; co\n"),
            Some("Tom & Jerry & co".to_string())
        );
    }

    #[test]
    fn skips_code_and_non_headings() {
        assert_eq!(
            first_heading("```sh\n# comment\n```\n# Real\n"),
            Some("Real".to_string())
        );
        assert_eq!(
            first_heading("~~~~\n# a\n~~~\n# still code\n~~~~\n# Real\n"),
            Some("Real".to_string())
        );
        assert_eq!(
            first_heading("    # indented code\n#hashtag\n## Two\n"),
            None
        );
        assert_eq!(first_heading("#\n"), None);
        assert_eq!(first_heading(""), None);
        assert_eq!(first_heading("```\n# never closed\n"), None);
    }
}
