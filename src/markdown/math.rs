//! TeX math (`$...$`, `$$...$$`) to MathML at build time, so a page with formulas needs no
//! JavaScript and no request to another host: browsers draw MathML themselves.
//!
//! The conversion is pulldown-latex's. The TeX source goes along as the formula's
//! `<annotation encoding="application/x-tex">`, which browsers do not draw but copy and
//! assistive tools can read. TeX the converter cannot read is not converted at all: the
//! caller reports it at the formula and shows the TeX as written.

use std::convert::Infallible;

use pulldown_latex::config::{DisplayMode, RenderConfig};
use pulldown_latex::{Parser, Storage, push_mathml};

use super::escape::push_escaped;

/// TeX that cannot be turned into MathML, with the converter's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MathError {
    pub(crate) reason: String,
}

/// `tex` as one `<math>` element, `display="block"` when `display`.
pub(crate) fn to_mathml(tex: &str, display: bool) -> Result<String, MathError> {
    let storage = Storage::new();
    let rewritten = infix_fractions(tex);
    let source = rewritten.as_deref().unwrap_or(tex);
    // Parse the whole formula first: the renderer would draw a parse error as red text in
    // the page, where the author would never see it unless they read every page.
    let events = Parser::new(source, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| MathError {
            // The error's own text adds an ASCII-art excerpt of the formula; its source is
            // the one-line reason.
            reason: std::error::Error::source(&error)
                .map_or_else(|| error.to_string(), ToString::to_string),
        })?;
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        // Written below instead: the converter copies the annotation unescaped.
        annotation: None,
        ..RenderConfig::default()
    };
    let mut raw = String::new();
    push_mathml(
        &mut raw,
        events.into_iter().map(Ok::<_, Infallible>),
        config,
    )
    .map_err(|error| MathError {
        reason: error.to_string(),
    })?;
    let mathml = well_formed(&raw);
    // `<math ...>BODY</math>` becomes `<math ...><semantics><mrow>BODY</mrow><annotation>`.
    let (Some(open_end), Some(body_end)) = (mathml.find('>'), mathml.rfind("</math>")) else {
        return Ok(mathml);
    };
    let mut out = String::with_capacity(mathml.len() + tex.len() + 96);
    out.push_str(&mathml[..=open_end]);
    out.push_str("<semantics><mrow>");
    out.push_str(&mathml[open_end + 1..body_end]);
    out.push_str("</mrow><annotation encoding=\"application/x-tex\">");
    push_escaped(&mut out, tex.trim());
    out.push_str("</annotation></semantics></math>");
    Ok(out)
}

/// Plain TeX's infix fractions, which the converter does not read: `{a \over b}` becomes
/// `{\frac{a}{b}}` and `{n \choose k}` `{\binom{n}{k}}`, each splitting the group around it
/// (its braces, or the whole formula) as TeX does. `None` when there is none, or one sits in
/// a group TeX would split otherwise (alignment cells, `\left...\right`, environments), which
/// is then reported as the converter finds it.
fn infix_fractions(tex: &str) -> Option<String> {
    const INFIX: [(&str, &str); 2] = [("\\over", "\\frac"), ("\\choose", "\\binom")];
    if !INFIX.iter().any(|(infix, _)| tex.contains(infix)) {
        return None;
    }
    let mut text = tex.to_string();
    // Each rewrite removes one infix command; a formula holds few.
    for _ in 0..64 {
        let Some((at, infix, command)) = find_infix(&text, &INFIX) else {
            return Some(text);
        };
        let (start, end) = enclosing_group(&text, at)?;
        let numerator = &text[start..at];
        let denominator = &text[at + infix.len()..end];
        let splits_elsewhere = |part: &str| {
            let part = &top_level(part);
            ["&", "\\\\", "\\left", "\\right", "\\begin", "\\end", "\\cr"]
                .iter()
                .any(|mark| part.contains(mark))
                || find_infix(part, &INFIX).is_some()
        };
        if splits_elsewhere(numerator) || splits_elsewhere(denominator) {
            return None;
        }
        let fraction = format!(
            "{command}{{{}}}{{{}}}",
            numerator.trim(),
            denominator.trim()
        );
        text.replace_range(start..end, &fraction);
    }
    None
}

/// `part` without the groups nested in it (`a {b} c` is `a {} c`), for what applies to it.
fn top_level(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut depth = 0usize;
    let mut escaped = false;
    for c in part.chars() {
        match c {
            '{' if !escaped => {
                if depth == 0 {
                    out.push(c);
                }
                depth += 1;
            }
            '}' if !escaped => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(c);
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// The first infix command of `infix` in `text` that is a command of its own (not the start
/// of `\overline`, not after `\\`), with its replacement.
fn find_infix<'a>(text: &str, infix: &[(&'a str, &'a str)]) -> Option<(usize, &'a str, &'a str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if let Some((name, command)) = infix.iter().find(|(name, _)| {
                text[i..].starts_with(name)
                    && !bytes
                        .get(i + name.len())
                        .is_some_and(u8::is_ascii_alphabetic)
            }) {
                return Some((i, name, command));
            }
            // A command word, or an escaped character, as one unit.
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i < bytes.len() && !bytes[i - 1].is_ascii_alphabetic() {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    None
}

/// The text of the innermost brace group holding byte `at` (without its braces), or the
/// whole formula; `None` when braces do not balance.
fn enclosing_group(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\' && !(i > 1 && bytes[i - 2] == b'\\');
    let mut depth = 0usize;
    let mut start = 0;
    for i in (0..at).rev() {
        match bytes[i] {
            b'}' if !escaped(i) => depth += 1,
            b'{' if !escaped(i) => {
                if depth == 0 {
                    start = i + 1;
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    let mut depth = 0usize;
    let mut end = text.len();
    for (i, byte) in bytes.iter().enumerate().skip(at) {
        match byte {
            b'{' if !escaped(i) => depth += 1,
            b'}' if !escaped(i) => {
                if depth == 0 {
                    end = i;
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    (start <= at && at <= end).then_some((start, end))
}

/// The elements the converter writes. A `<` that opens none of them is text.
const ELEMENTS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "mpadded",
    "mphantom",
    "mtable",
    "mtr",
    "mtd",
    "menclose",
    "merror",
    "mmultiscripts",
    "mprescripts",
    "none",
];

/// The converter writes operators such as `<`, `>` and `&` as they are (`<mo><</mo>`), and
/// some names unescaped: escapes every `<`, `>` and `&` that is not part of its markup or of
/// an entity it wrote, so the page stays valid HTML and no formula can open a tag.
fn well_formed(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    let mut rest = raw;
    while let Some(at) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..at]);
        let here = &rest[at..];
        let (piece, taken) = match here.as_bytes()[0] {
            b'<' => markup_tag(here).map_or(("&lt;", 1), |len| (&here[..len], len)),
            b'&' => ["&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;"]
                .iter()
                .find(|entity| here.starts_with(**entity))
                .map_or(("&amp;", 1), |entity| (*entity, entity.len())),
            _ => ("&gt;", 1),
        };
        out.push_str(piece);
        rest = &here[taken..];
    }
    out.push_str(rest);
    out
}

/// The length of the tag `text` starts with, if it is one of [`ELEMENTS`] opening or
/// closing, with attributes in double quotes that hold no `<`.
fn markup_tag(text: &str) -> Option<usize> {
    let name_start = if text.starts_with("</") { 2 } else { 1 };
    let after = &text[name_start..];
    let name_len = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len());
    if !ELEMENTS.contains(&&after[..name_len]) {
        return None;
    }
    let mut in_quotes = false;
    for (i, c) in text.char_indices().skip(name_start + name_len) {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' => return None,
            '>' if !in_quotes => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_display_formulas_become_mathml() {
        let inline = to_mathml(r"\sum_{i=1}^n x_i", false).unwrap();
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(!inline.contains("display=\"block\""), "{inline}");
        assert!(inline.contains("<munderover>") || inline.contains("<msubsup>"));
        assert!(inline.contains("<annotation encoding=\"application/x-tex\">"));
        let display = to_mathml(r"\frac{a}{b}", true).unwrap();
        assert!(display.contains("display=\"block\""), "{display}");
        assert!(display.contains("<mfrac>"), "{display}");
    }

    #[test]
    fn plain_tex_infix_fractions_are_read() {
        for (tex, expected) in [
            (
                r"{ L_1 + 0.05 \over L_2 + 0.05 }",
                r"{\frac{L_1 + 0.05}{L_2 + 0.05}}",
            ),
            (r"a \over b", r"\frac{a}{b}"),
            (
                r"x = {n \choose k} + {1 \over {2 \over 3}}",
                r"x = {\binom{n}{k}} + {\frac{1}{{\frac{2}{3}}}}",
            ),
            (r"\{a \over b\}", r"\frac{\{a}{b\}}"),
        ] {
            assert_eq!(infix_fractions(tex).as_deref(), Some(expected), "{tex}");
        }
        // Not infix fractions, or in groups TeX splits otherwise: left to the converter.
        for tex in [
            r"\overline{x} + \overbrace{y}",
            r"\left( a \over b \right)",
            r"a \over b & c",
        ] {
            assert_ne!(
                infix_fractions(tex)
                    .as_deref()
                    .map(|t| t.contains(r"\frac")),
                Some(true),
                "{tex}"
            );
        }
        let html = to_mathml(r"{ L_1 \over L_2 } + {n \choose k}", true).unwrap();
        assert!(html.contains("<mfrac>"), "{html}");
        // The source as written stays the annotation.
        assert!(
            html.contains(r"{ L_1 \over L_2 } + {n \choose k}</annotation>"),
            "{html}"
        );
    }

    #[test]
    fn unreadable_tex_is_an_error_with_a_one_line_reason() {
        let error = to_mathml(r"\frac{a}{b", false).unwrap_err();
        assert!(!error.reason.contains('\n'), "{error:?}");
        assert!(error.reason.contains("unbalanced group"), "{error:?}");
    }

    #[test]
    fn markup_in_the_source_is_escaped() {
        for tex in [
            r"a < b \text{<script>}",
            r"\operatorname{<script>x}",
            r"\mathrm{<b>}",
            r"a > b \& c",
        ] {
            let html = to_mathml(tex, false).unwrap();
            assert!(
                !html.contains("<script") && !html.contains("<b>"),
                "{tex}: {html}"
            );
            assert!(
                !html.contains("<<") && !html.contains(">>"),
                "{tex}: {html}"
            );
            assert!(!html.contains("&<"), "{tex}: {html}");
        }
        let html = to_mathml("a<b", false).unwrap();
        assert!(html.contains("<mo>&lt;</mo>"), "{html}");
        assert!(html.contains(">a&lt;b</annotation>"), "{html}");
    }
}
