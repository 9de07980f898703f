//! Shortcodes: embeds written as a leaf directive on a line of their own.
//!
//! ```text
//! ::video{provider="youtube" id="dQw4w9WgXcQ" title="Planning a quarter"}
//! ::figure{src="funnel.png" alt="The funnel" caption="Where replies go" credit="Photo: Ana Ruiz"}
//! ::testimonial{quote="It changed how we work." name="Helen" role="Director" organisation="Northwind"}
//! ```
//!
//! The syntax is the "leaf directive" of the `CommonMark` generic-directives proposal (as in
//! remark-directive and `MyST`), a sibling of the `:::` fenced divs Trailmark already reads.
//! It was chosen because it cannot be mistaken for Tera (`{{ }}`, `{% %}` stay plain text:
//! content is never fed to Tera), reads as a harmless paragraph in other Markdown tools, and
//! has one obvious place in the source, so errors point at a line.
//!
//! This module only *parses*: it swaps each shortcode line for a placeholder comment before
//! the real parse (every other line keeps its number), checks the arguments of the built-in
//! shortcodes, resolves a figure's relative `src` through the page's link resolver, and
//! returns every call as data in [`super::Rendered::shortcodes`]. The HTML of a call comes
//! from the theme template `shortcodes/<name>.html`, rendered by the build, which splices it
//! in place of [`token`]. That keeps this module free of Tera, and lets a site override or
//! add shortcodes with templates alone (custom names are checked against templates by the
//! build, not here).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use pulldown_cmark::Options;

use crate::diagnostics::did_you_mean;

/// One shortcode in a page, in source order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShortcodeCall {
    pub name: String,
    /// Arguments as written, except a figure's `src` and a video's `thumbnail`, which hold
    /// the resolved URL.
    pub args: BTreeMap<String, String>,
    /// Where it was written, in the source file.
    pub line: usize,
    pub column: usize,
}

/// The built-in shortcodes: name, required arguments, optional arguments.
pub const BUILT_IN: &[(&str, &[&str], &[&str])] = &[
    (
        "figure",
        &["src", "alt"],
        &["caption", "credit", "link", "width", "height"],
    ),
    ("testimonial", &["quote", "name"], &["role", "organisation"]),
    (
        "video",
        &["provider", "id"],
        &["title", "start", "thumbnail"],
    ),
];

/// Video providers the `video` shortcode knows.
pub const VIDEO_PROVIDERS: [&str; 2] = ["youtube", "vimeo"];

/// The text left in the page's HTML where call `index` goes; the build replaces it.
pub fn token(index: usize) -> String {
    format!("<!--trailmark-shortcode:{index}-->")
}

/// Stands in for a shortcode line during the real parse. A comment line is an HTML block of
/// its own that can interrupt a paragraph, like the fenced-div placeholder.
pub(crate) const PLACEHOLDER: &str = "<!-- trailmark:shortcode -->";

/// A shortcode line found before the parse; `index` is its place in the calls list.
pub(crate) struct Found {
    pub(crate) call: RawCall,
    pub(crate) line_index: usize,
    pub(crate) column: usize,
}

/// A call as parsed, before arguments are checked.
pub(crate) struct RawCall {
    pub(crate) name: String,
    pub(crate) args: Vec<(String, String, usize)>,
}

/// A syntax problem on a 0-based body line.
pub(crate) struct LineProblem {
    pub(crate) line_index: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

pub(crate) struct Scan<'s> {
    pub(crate) source: Cow<'s, str>,
    /// Shortcodes by 0-based line index.
    pub(crate) found: HashMap<usize, Found>,
    pub(crate) problems: Vec<LineProblem>,
}

/// Finds shortcode lines outside code and raw HTML blocks and replaces them.
pub(crate) fn scan(body: &str, options: Options) -> Scan<'_> {
    let mut candidates: Vec<(usize, Range<usize>, usize)> = Vec::new();
    let mut offset = 0;
    // Most pages have no `::` at all; reading them line by line was 0.7% of a cold
    // build's instructions.
    let lines = if memchr::memmem::find(body.as_bytes(), b"::").is_some() {
        body
    } else {
        ""
    };
    for (index, line) in lines.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        if indent <= 3 && rest.starts_with("::") && !rest.starts_with(":::") {
            let after = &rest[2..];
            if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                candidates.push((index, offset..offset + content.len(), offset + indent));
            }
        }
        offset += line.len();
    }
    if candidates.is_empty() {
        return Scan {
            source: Cow::Borrowed(body),
            found: HashMap::new(),
            problems: Vec::new(),
        };
    }
    let literal = super::divs::literal_ranges(body, options);
    let mut found = HashMap::new();
    let mut problems = Vec::new();
    let mut source = String::with_capacity(body.len());
    let mut copied = 0;
    for (line_index, range, start) in candidates {
        if literal.iter().any(|r| r.start <= start && start < r.end) {
            continue;
        }
        let column = body[range.start..start].chars().count() + 1;
        match parse_call(&body[start..range.end]) {
            Ok(call) => {
                source.push_str(&body[copied..range.start]);
                source.push_str(PLACEHOLDER);
                copied = range.end;
                found.insert(
                    line_index,
                    Found {
                        call,
                        line_index,
                        column,
                    },
                );
            }
            Err((at, message)) => problems.push(LineProblem {
                line_index,
                column: column + at,
                message,
            }),
        }
    }
    source.push_str(&body[copied..]);
    Scan {
        source: if found.is_empty() {
            Cow::Borrowed(body)
        } else {
            Cow::Owned(source)
        },
        found,
        problems,
    }
}

/// Parses `::name{key="value" ...}`; an error gives the character offset in `text` and
/// the message.
fn parse_call(text: &str) -> Result<RawCall, (usize, String)> {
    let chars: Vec<char> = text.trim_end().chars().collect();
    let mut at = 2;
    let name_start = at;
    while at < chars.len()
        && (chars[at].is_ascii_alphanumeric() || chars[at] == '-' || chars[at] == '_')
    {
        at += 1;
    }
    let name: String = chars[name_start..at].iter().collect();
    if chars.get(at) != Some(&'{') {
        return Err((
            at,
            format!(
                "shortcode `::{name}` needs its arguments in braces: `::{name}{{key=\"value\"}}`"
            ),
        ));
    }
    at += 1;
    let mut args: Vec<(String, String, usize)> = Vec::new();
    loop {
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        match chars.get(at) {
            None => return Err((at, format!("shortcode `::{name}` is not closed with `}}`"))),
            Some('}') => {
                at += 1;
                break;
            }
            Some(_) => {}
        }
        let key_start = at;
        while chars
            .get(at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        {
            at += 1;
        }
        let key: String = chars[key_start..at].iter().collect();
        if key.is_empty() || chars.get(at) != Some(&'=') {
            return Err((
                key_start,
                format!("expected `key=\"value\"` in shortcode `::{name}`"),
            ));
        }
        at += 1;
        let value = if let Some(quote @ ('"' | '\'')) = chars.get(at) {
            {
                let quote = *quote;
                let open = at;
                at += 1;
                let mut value = String::new();
                loop {
                    match chars.get(at) {
                        None => {
                            return Err((
                                open,
                                format!(
                                    "argument `{key}` of `::{name}` opens a quote that is never closed"
                                ),
                            ));
                        }
                        Some('\\')
                            if chars.get(at + 1).is_some_and(|c| *c == quote || *c == '\\') =>
                        {
                            value.push(chars[at + 1]);
                            at += 2;
                        }
                        Some(c) if *c == quote => {
                            at += 1;
                            break;
                        }
                        Some(c) => {
                            value.push(*c);
                            at += 1;
                        }
                    }
                }
                value
            }
        } else {
            {
                let start = at;
                while chars
                    .get(at)
                    .is_some_and(|c| !c.is_whitespace() && *c != '}')
                {
                    at += 1;
                }
                chars[start..at].iter().collect()
            }
        };
        if args.iter().any(|(k, _, _)| *k == key) {
            return Err((
                key_start,
                format!("argument `{key}` is given twice in `::{name}`"),
            ));
        }
        args.push((key, value, key_start));
    }
    if at < chars.len() {
        return Err((
            at,
            format!("unexpected text after shortcode `::{name}{{...}}`"),
        ));
    }
    Ok(RawCall { name, args })
}

/// Checks a call's arguments against the built-in specification; custom shortcodes (not
/// built in) are accepted as written. Returns the problems with their character offsets.
pub(crate) fn check(call: &RawCall) -> Vec<(usize, String)> {
    let Some((_, required, optional)) = BUILT_IN.iter().find(|(n, _, _)| *n == call.name) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let known = || required.iter().chain(optional.iter()).copied();
    for (key, value, at) in &call.args {
        if !known().any(|k| k == key) {
            let hint = did_you_mean(key, known())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("it takes {}", known().collect::<Vec<_>>().join(", ")));
            problems.push((
                *at,
                format!(
                    "unknown argument `{key}` for shortcode `{}`; {hint}",
                    call.name
                ),
            ));
        } else if value.trim().is_empty() && required.contains(&key.as_str()) {
            problems.push((
                *at,
                format!("argument `{key}` of shortcode `{}` is empty", call.name),
            ));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !call.args.iter().any(|(k, _, _)| k == r))
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        problems.push((
            0,
            format!(
                "shortcode `{}` is missing {} {}",
                call.name,
                if missing.len() == 1 {
                    "argument"
                } else {
                    "arguments"
                },
                list.join(" and ")
            ),
        ));
    }
    if call.name == "video" {
        let arg = |k: &str| call.args.iter().find(|(key, _, _)| key == k);
        if let Some((_, provider, at)) = arg("provider") {
            let provider_lower = provider.to_ascii_lowercase();
            if !VIDEO_PROVIDERS.contains(&provider_lower.as_str()) {
                problems.push((
                    *at,
                    format!("unknown video provider `{provider}`; expected youtube or vimeo"),
                ));
            } else if let Some((_, id, at)) = arg("id") {
                let ok = match provider_lower.as_str() {
                    "youtube" => {
                        (6..=20).contains(&id.len())
                            && id
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    }
                    _ => !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                };
                if !ok {
                    problems.push((*at, format!("`{id}` is not a {provider_lower} video id")));
                }
            }
        }
        if let Some((_, start, at)) = arg("start")
            && start.parse::<u32>().is_err()
        {
            problems.push((
                *at,
                format!("`start` must be a number of seconds, found `{start}`"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_bare_values() {
        let call = parse_call(r#"::video{provider=youtube id="abc_DEF-123" title='It\'s here'}"#)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(call.name, "video");
        let args: Vec<(&str, &str)> = call
            .args
            .iter()
            .map(|(k, v, _)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            args,
            [
                ("provider", "youtube"),
                ("id", "abc_DEF-123"),
                ("title", "It's here")
            ]
        );
        assert!(check(&call).is_empty());
    }

    #[test]
    fn reports_syntax_and_argument_problems() {
        assert!(parse_call("::video provider=x").is_err());
        assert!(parse_call("::video{id=\"x}").is_err());
        assert!(parse_call("::video{id=x} trailing").is_err());
        let call =
            parse_call("::figure{src=a.png captoin=\"x\"}").unwrap_or_else(|e| panic!("{e:?}"));
        let messages: Vec<String> = check(&call).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            [
                "unknown argument `captoin` for shortcode `figure`; did you mean `caption`?",
                "shortcode `figure` is missing argument `alt`"
            ]
        );
    }

    #[test]
    fn skips_code_blocks() {
        let body = "```\n::video{id=x}\n```\n\n::figure{src=a alt=b}\n";
        let scan = scan(body, Options::empty());
        assert_eq!(scan.found.len(), 1);
        assert!(scan.found.contains_key(&4));
        assert_eq!(scan.source.lines().count(), body.lines().count());
    }
}
