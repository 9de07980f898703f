//! Converting other tools' in-text markup into Trailmark Markdown and shortcodes: Pandoc
//! attributes (Carpentries), Hugo shortcodes, Zola shortcodes and Liquid tags (Jekyll).
//!
//! Each conversion works line by line outside fenced code, where examples of the syntax are
//! text. What is converted is counted in the report; anything else that looks like a
//! shortcode or tag is left in place and listed with its line.

use std::fmt::Write as _;

use super::links;
use super::report::Report;

/// Arguments of a Trailmark shortcode, in order.
pub(crate) type Args = Vec<(&'static str, String)>;

/// `::name{key="value" ...}`, skipping empty values.
pub(crate) fn shortcode(name: &str, args: &Args) -> String {
    let mut text = format!("::{name}{{");
    let mut first = true;
    for (key, value) in args {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if !first {
            text.push(' ');
        }
        first = false;
        let escaped = value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', " ");
        let _ = write!(text, "{key}=\"{escaped}\"");
    }
    text.push('}');
    text
}

/// A figure shortcode; the alt text falls back to the caption, then the file name, as
/// Trailmark requires one.
pub(crate) fn figure(src: &str, alt: &str, caption: &str, extra: Args) -> String {
    let alt = if !alt.trim().is_empty() {
        alt.to_string()
    } else if !caption.trim().is_empty() {
        caption.to_string()
    } else {
        super::stem(src).replace(['-', '_'], " ")
    };
    let mut args: Args = vec![
        ("src", src.to_string()),
        ("alt", alt),
        ("caption", caption.to_string()),
    ];
    args.extend(extra);
    shortcode("figure", &args)
}

/// Applies `convert` to each line outside fenced code.
pub(crate) fn per_line(body: &str, mut convert: impl FnMut(&str, usize) -> String) -> String {
    let code = links::code_lines(body);
    body.split('\n')
        .enumerate()
        .map(|(i, line)| {
            if code.get(i).copied().unwrap_or(false) {
                line.to_string()
            } else {
                convert(line, i)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Pandoc attributes, as the Carpentries write them: an image line
/// `![caption](fig/x.png){alt='...' width="40%"}` becomes a `::figure`, a bracketed span
/// `[term]{#term}` an HTML span with that id (glossary anchors), and attributes Trailmark
/// cannot use are dropped.
pub(crate) fn pandoc(body: &str, report: &mut Report) -> String {
    per_line(body, |line, _| {
        let mut line = line.to_string();
        if let Some(figure) = image_line(&line) {
            report.converted("Pandoc image with attributes → `::figure`");
            return figure;
        }
        // `[term]{#id}` anywhere on the line.
        let mut out = String::new();
        let mut rest = line.as_str();
        while let Some(at) = rest.find("]{#") {
            let Some(open) = rest[..at].rfind('[') else {
                break;
            };
            let Some(close) = rest[at..].find('}') else {
                break;
            };
            let id = &rest[at + 3..at + close];
            if id.is_empty() || id.contains(char::is_whitespace) || rest[..open].ends_with('!') {
                out.push_str(&rest[..at + close + 1]);
                rest = &rest[at + close + 1..];
                continue;
            }
            out.push_str(&rest[..open]);
            let _ = write!(out, "<span id=\"{id}\">{}</span>", &rest[open + 1..at]);
            report.converted("Pandoc span `[text]{#id}` → `<span id>`");
            rest = &rest[at + close + 1..];
        }
        out.push_str(rest);
        line = out;
        line
    })
}

/// `![caption](src){attrs}` alone on a line, as a figure shortcode.
fn image_line(line: &str) -> Option<String> {
    let trimmed = line.trim();
    let rest = trimmed.strip_prefix("![")?;
    let close = rest.find("](")?;
    let caption = &rest[..close];
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let dest = after[..end].split_whitespace().next().unwrap_or_default();
    let attrs = after[end + 1..].trim();
    let attrs = attrs.strip_prefix('{')?.strip_suffix('}')?;
    let attrs = parse_attributes(attrs);
    let get = |k: &str| {
        attrs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut extra: Args = Vec::new();
    for key in ["width", "height"] {
        let value = get(key);
        if !value.is_empty() {
            extra.push((if key == "width" { "width" } else { "height" }, value));
        }
    }
    Some(figure(dest, &get("alt"), caption, extra))
}

/// `key='v' key2="w" .class #id` → pairs; classes and ids are dropped.
pub(crate) fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            break;
        };
        let key = rest[..eq].trim();
        let key = key
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or(key)
            .to_string();
        let value_text = rest[eq + 1..].trim_start();
        let (value, next) = match value_text.chars().next() {
            Some(q @ ('"' | '\'')) => match value_text[1..].find(q) {
                Some(end) => (&value_text[1..=end], &value_text[end + 2..]),
                None => (&value_text[1..], ""),
            },
            _ => {
                let end = value_text
                    .find(char::is_whitespace)
                    .unwrap_or(value_text.len());
                (&value_text[..end], &value_text[end..])
            }
        };
        pairs.push((key, value.to_string()));
        rest = next.trim_start();
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_images_and_spans() {
        let mut report = Report::new("test");
        let body = "![A \"comic\"](fig/x.png){alt='Comic: a student' width=\"40%\"}\n\
                    ![](fig/y.svg){alt='A diagram'}\n[changeset]{#changeset}\n:   A group\n\
                    ```\n![](fig/z.png){alt='code'}\n```";
        assert_eq!(
            pandoc(body, &mut report),
            "::figure{src=\"fig/x.png\" alt=\"Comic: a student\" caption=\"A \\\"comic\\\"\" width=\"40%\"}\n\
             ::figure{src=\"fig/y.svg\" alt=\"A diagram\"}\n<span id=\"changeset\">changeset</span>\n:   A group\n\
             ```\n![](fig/z.png){alt='code'}\n```"
        );
    }
}
