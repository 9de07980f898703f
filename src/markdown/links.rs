//! Sorting link and image destinations into what the renderer does with them.
//!
//! Only destinations written in Markdown pass through here; raw HTML is the author's own
//! (and inert in `raw_html: escape` mode).

use std::borrow::Cow;

/// What a destination is, decided from its text alone.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination<'d> {
    /// A scheme that runs code or smuggles content (`javascript:`, `vbscript:`, `data:`);
    /// replaced with `#`.
    Dangerous,
    /// Left as written: empty, absolute (`/x`), protocol-relative (`//x`) or with a scheme.
    Kept,
    /// `#fragment` in this page; holds the fragment without `#`.
    SamePage(&'d str),
    /// Anything else: a path relative to the page, for the build's resolver.
    Relative,
}

pub(crate) fn classify(dest: &str, is_image: bool) -> Destination<'_> {
    if let Some(scheme) = scheme_of(dest) {
        return if is_dangerous(&scheme, dest, is_image) {
            Destination::Dangerous
        } else {
            Destination::Kept
        };
    }
    if dest.is_empty() || dest.starts_with('/') {
        Destination::Kept
    } else if let Some(fragment) = dest.strip_prefix('#') {
        Destination::SamePage(fragment)
    } else {
        Destination::Relative
    }
}

/// The one URL sanitiser: `url` itself, or `#` when a browser would run it or take content
/// from it (`javascript:`, `vbscript:`, `data:` except `data:image/...` images), however it
/// is spelt. Markdown links, shortcode files, front matter and config URLs all go through
/// it before they reach an `href` or `src`.
pub fn safe_url(url: &str, is_image: bool) -> &str {
    if is_executable_url(url, is_image) {
        "#"
    } else {
        url
    }
}

/// Whether [`safe_url`] would replace `url`.
pub fn is_executable_url(url: &str, is_image: bool) -> bool {
    classify(url, is_image) == Destination::Dangerous
}

/// `data:` is refused except for images, where `data:image/...` is a legitimate way to
/// inline a small picture and cannot run script (an `<img>` never executes SVG scripts).
fn is_dangerous(scheme: &str, dest: &str, is_image: bool) -> bool {
    match scheme {
        "javascript" | "vbscript" => true,
        "data" => !(is_image && normalized(dest).skip(5).take(6).eq("image/".chars())),
        _ => false,
    }
}

/// The destination as a browser reads it: leading spaces and C0 controls dropped, tabs and
/// line breaks removed everywhere, ASCII lowercased. Without this, `java\tscript:` or
/// ` javascript:` would slip past a plain prefix check.
fn normalized(dest: &str) -> impl Iterator<Item = char> + '_ {
    dest.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| c.to_ascii_lowercase())
}

/// The lowercased URL scheme, if `dest` starts with one (RFC 3986: a letter, then letters,
/// digits, `+`, `-` or `.`, then `:`).
fn scheme_of(dest: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in normalized(dest) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            'a'..='z' => scheme.push(c),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
        // No real scheme is this long; stop reading paths that merely look like one.
        if scheme.len() > 40 {
            return None;
        }
    }
    None
}

/// Decodes `%XX` escapes, so `#caf%C3%A9` matches the heading id `café`. Invalid escapes
/// and bytes that do not form UTF-8 leave the text as it was.
pub(crate) fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            // Checked digit by digit: `from_str_radix` would also accept a sign (`%+1`).
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
            let value = hex.and_then(|h| std::str::from_utf8(h).ok());
            if let Some(value) = value.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Destination::{Dangerous, Kept, Relative, SamePage};

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://example.com", false), Kept);
        assert_eq!(classify("mailto:a@b.c", false), Kept);
        assert_eq!(classify("tel:+123", false), Kept);
        assert_eq!(classify("/about/", false), Kept);
        assert_eq!(classify("//cdn.example.com/x.js", false), Kept);
        assert_eq!(classify("", false), Kept);
        assert_eq!(classify("#goals", false), SamePage("goals"));
        assert_eq!(classify("#", false), SamePage(""));
        assert_eq!(classify("../02-planning.md#goals", false), Relative);
        assert_eq!(classify("fig/diagram.svg", true), Relative);
        assert_eq!(classify("?page=2", false), Relative);
        assert_eq!(classify("a:b/../c", false), Kept);
        assert_eq!(classify("1:x", false), Relative);
    }

    #[test]
    fn neutralises_script_urls() {
        for dest in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}\u{7}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "VBScript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            assert_eq!(classify(dest, false), Dangerous, "{dest:?}");
            assert_eq!(classify(dest, true), Dangerous, "{dest:?} as image");
        }
    }

    #[test]
    fn data_images_are_allowed_in_images_only() {
        assert_eq!(classify("data:image/png;base64,AAAA", true), Kept);
        assert_eq!(classify("DATA:Image/svg+xml,<svg/>", true), Kept);
        assert_eq!(classify("data:image/png;base64,AAAA", false), Dangerous);
        assert_eq!(classify("data:text/plain,hi", true), Dangerous);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("plain"), "plain");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(percent_decode("%+1"), "%+1");
    }

    #[test]
    fn safe_url_neutralises_every_spelling_of_a_script_url() {
        for url in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert_eq!(safe_url(url, false), "#", "{url:?}");
        }
        for url in [
            "https://a.example/",
            "/a/",
            "mailto:a@b",
            "#top",
            "a.html",
            "",
        ] {
            assert_eq!(safe_url(url, false), url);
        }
        assert_eq!(
            safe_url("data:image/png;base64,AA", true),
            "data:image/png;base64,AA"
        );
    }
}
