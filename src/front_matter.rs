//! Splitting front matter from the body and parsing it; the only user of `serde_yaml` and `toml`.
//!
//! Owns the delimiter rules (`---` YAML, `+++` TOML), byte-order marks and CRLF line endings,
//! the size and nesting caps that keep hostile YAML from hanging the build, and mapping parser
//! errors back to lines of the original file. Values come out as `serde_json::Value` so the
//! rest of the crate never sees a YAML or TOML type, and a later move to another YAML crate
//! stays inside this file.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::Code;

/// Front matter above this many bytes is refused before parsing.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
/// Flow collections (`[`/`{`) nested deeper than this are refused before parsing.
pub const MAX_NESTING: usize = 32;

/// A problem located in the file that was split or parsed. Lines and columns are 1-based
/// and count from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FrontMatterError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The diagnostic code: [`Code::FrontMatterSyntax`] unless more is known.
    pub code: Code,
    /// The fix, when one is known.
    pub help: Option<String>,
}

/// Which syntax the front matter was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// A file split into front matter and body. All text has LF line endings and no BOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// `None` when the file has no front matter.
    pub format: Option<Format>,
    pub front_matter: &'a str,
    /// Line of the file on which the front matter text starts (after the opening fence).
    pub front_matter_first_line: usize,
    pub body: &'a str,
    /// Line of the file on which the body starts.
    pub body_first_line: usize,
}

/// Parsed front matter: the top-level fields, in file order, with the line of each key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub fields: Map<String, Value>,
    pub key_lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// Line of `key` in the file, or the first front matter line when unknown.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }
}

/// Removes a UTF-8 byte-order mark and turns CRLF (and lone CR) line endings into LF, so
/// that every later stage counts lines the same way an editor does.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits normalised text into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end();
    let (format, fence) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            if let Some(misplaced) = misplaced_front_matter(text) {
                return Err(misplaced);
            }
            return Ok(Split {
                format: None,
                front_matter: "",
                front_matter_first_line: 1,
                body: text,
                body_first_line: 1,
            });
        }
    };
    let start = (first_line_end + 1).min(text.len());
    let mut offset = start;
    let mut line_no = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim_end();
        // YAML also allows `...` as the end of a document.
        if line == fence || (format == Format::Yaml && line == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format: Some(format),
                front_matter: &text[start..offset],
                front_matter_first_line: 2,
                body: &text[body_start..],
                body_first_line: line_no + 1,
            });
        }
        offset = end + 1;
        line_no += 1;
    }
    Err(FrontMatterError {
        code: Code::FrontMatterUnclosed,
        help: Some(format!(
            "end the front matter with a line holding only `{fence}`, before the body"
        )),
        line: 1,
        column: 1,
        message: format!("front matter opened with `{fence}` is never closed"),
    })
}

/// Front matter that is not where it counts: a block fenced by `---` (or `+++`) whose lines
/// read as a mapping, but that opens after blank lines, is indented, or opens with a fence
/// that is not alone on its line (`----`, `--- notes`). Read as Markdown, its keys would be
/// published as text and its settings ignored, `draft: true` included, so it is an error
/// rather than a page. The mapping test keeps a horizontal rule near the top of a page that
/// has no front matter from being taken for one.
fn misplaced_front_matter(text: &str) -> Option<FrontMatterError> {
    let mut lines = text.split('\n').enumerate();
    let (opening_index, opening) = lines.by_ref().find(|(_, line)| !line.trim().is_empty())?;
    let fence = ["---", "+++"]
        .into_iter()
        .find(|fence| opening.trim_start().starts_with(fence))?;
    let fence_char = if fence == "---" { '-' } else { '+' };
    let is_fence = |line: &str| {
        let line = line.trim();
        line.len() >= 3 && line.chars().all(|c| c == fence_char)
    };
    let mut block_end = None;
    let mut block = String::new();
    for (_, line) in lines.take(200) {
        if is_fence(line) || (fence == "---" && line.trim() == "...") {
            block_end = Some(());
            break;
        }
        block.push_str(line);
        block.push('\n');
    }
    block_end?;
    let reads_as_mapping = match fence {
        "---" => serde_yaml::from_str::<serde_yaml::Mapping>(&block).is_ok_and(|map| {
            !map.is_empty() && map.keys().all(|key| key.as_str().is_some_and(is_key))
        }),
        _ => toml::from_str::<toml::Table>(&block)
            .is_ok_and(|table| !table.is_empty() && table.keys().all(|key| is_key(key))),
    };
    if !reads_as_mapping {
        return None;
    }
    let line = opening_index + 1;
    let (message, help) = if opening.trim() != fence {
        (
            format!(
                "front matter opened with `{}` instead of `{fence}`",
                opening.trim()
            ),
            format!("open and close the front matter with a line holding only `{fence}`"),
        )
    } else if opening_index > 0 {
        (
            format!(
                "front matter must start on the first line of the file; it starts on line {line}, so it would be published as text"
            ),
            format!(
                "remove the blank lines above `{fence}` (or, if this is a horizontal rule, write it as `***`)"
            ),
        )
    } else {
        (
            "front matter must start at the first column; indented, it would be published as text"
                .to_string(),
            format!("remove the spaces before `{fence}`"),
        )
    };
    Some(FrontMatterError {
        line,
        column: 1,
        message,
        code: Code::FrontMatterMisplaced,
        help: Some(help),
    })
}

/// Whether a mapping key looks like a front matter key (`title`, `draft`, `og_image`), not
/// the start of a sentence that happens to hold a colon.
fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses the front matter of a split file.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, FrontMatterError> {
    let Some(format) = split.format else {
        return Ok(FrontMatter::default());
    };
    let first_line = split.front_matter_first_line;
    let value = match format {
        Format::Yaml => parse_yaml(split.front_matter, first_line)?,
        Format::Toml => parse_toml(split.front_matter, first_line)?,
    };
    let fields = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(FrontMatterError {
                code: Code::FrontMatterSyntax,
                help: None,
                line: first_line,
                column: 1,
                message: format!(
                    "front matter must be a map of `key: value` lines, found {}",
                    describe(&other)
                ),
            });
        }
    };
    let key_lines = top_level_key_lines(split.front_matter, first_line, format);
    Ok(FrontMatter { fields, key_lines })
}

/// Parses a YAML document into JSON values. `first_line` is the file line of the text's
/// first line, so errors point into the file. Also used for `trailmark.yaml`.
pub fn parse_yaml(text: &str, first_line: usize) -> Result<Value, FrontMatterError> {
    check_limits(text, first_line)?;
    if let Some((line, column)) = find_tab_indent(text) {
        return Err(FrontMatterError {
            code: Code::FrontMatterSyntax,
            help: None,
            line: first_line + line - 1,
            column,
            message: "tab used for indentation; YAML only allows spaces".into(),
        });
    }
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let mut documents = serde_yaml::Deserializer::from_str(text);
    let Some(document) = documents.next() else {
        return Ok(Value::Null);
    };
    let yaml: serde_yaml::Value = serde::Deserialize::deserialize(document).map_err(|e| {
        let error = yaml_error(&e, text, first_line);
        unclosed_before(text, first_line, Format::Yaml, &error).unwrap_or(error)
    })?;
    if documents.next().is_some() {
        return Err(FrontMatterError {
            code: Code::FrontMatterSyntax,
            help: None,
            line: first_line,
            column: 1,
            message: "front matter holds more than one YAML document (`---` inside it)".into(),
        });
    }
    yaml_to_json(yaml).map_err(|error| {
        // Point at the first non-finite number in the text, where the message is about one.
        let at = matches!(error, YamlValueError::NonFinite(_))
            .then(|| find_non_finite(text))
            .flatten();
        let (line, column) = at.map_or((1, 1), |index| line_col(text, index));
        FrontMatterError {
            code: Code::FrontMatterSyntax,
            help: None,
            line: first_line + line - 1,
            column,
            message: error.to_string(),
        }
    })
}

/// The byte index of the first YAML `.inf`, `-.inf`, `+.inf` or `.nan` value in `text`.
fn find_non_finite(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut best: Option<usize> = None;
    for token in [".inf", ".nan"] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(token) {
            let at = from + found;
            let start = if at > 0 && matches!(lower.as_bytes()[at - 1], b'-' | b'+') {
                at - 1
            } else {
                at
            };
            let before = lower[..start].trim_end_matches(' ');
            let after = &lower[at + token.len()..];
            if (before.ends_with(':')
                || before.ends_with('[')
                || before.ends_with(',')
                || before.ends_with('-'))
                && after
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == ',' || c == ']')
            {
                best = Some(best.map_or(start, |b: usize| b.min(start)));
                break;
            }
            from = at + token.len();
        }
    }
    best
}

fn yaml_error(error: &serde_yaml::Error, text: &str, first_line: usize) -> FrontMatterError {
    // The position comes from the byte index, not from YAML's line count: YAML also breaks
    // lines at U+0085, U+2028 and U+2029, which are no line breaks in the file.
    let (line, column) = error.location().map_or((first_line, 1), |loc| {
        let mut index = loc.index().min(text.len());
        while !text.is_char_boundary(index) {
            index -= 1;
        }
        let (line, column) = line_col(text, index);
        (first_line + line - 1, column)
    });
    // serde_yaml appends " at line X column Y" counted from the fragment; drop it since we
    // report the position in the file ourselves.
    let mut message = error.to_string();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    if message.contains("repetition limit exceeded") {
        message = "aliases (`*name`) expand to too much data; is this an alias bomb?".into();
    }
    // serde_yaml places a duplicate key at the map's first key; the reader needs the line
    // of the second occurrence.
    let (line, column) = duplicate_key_line(&message, text, line + 1 - first_line)
        .map_or((line, column), |(l, c)| (first_line + l - 1, c));
    FrontMatterError {
        code: Code::FrontMatterSyntax,
        help: None,
        line,
        column,
        message: format!("YAML syntax error: {message}"),
    }
}

/// For a "duplicate entry with key" message whose map starts at `map_line` (1-based in
/// `text`): the line and column of the key's second occurrence at the map's indentation.
fn duplicate_key_line(message: &str, text: &str, map_line: usize) -> Option<(usize, usize)> {
    let key = message
        .split_once("duplicate entry with key \"")?
        .1
        .rsplit_once('"')?
        .0;
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let start = map_line.checked_sub(1)?;
    let map_indent = indent(lines.get(start)?);
    let is_key = |l: &str| {
        let rest = l.trim_start_matches(' ').trim_start_matches("- ");
        [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ]
        .iter()
        .any(|k| rest.starts_with(k.as_str()))
    };
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate().skip(start) {
        if i > start && !l.trim().is_empty() && indent(l) < map_indent {
            break;
        }
        if indent(l) == map_indent && is_key(l) {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, map_indent + 1));
            }
        }
    }
    None
}

/// Parses a TOML document into JSON values (front matter, and other tools' configs for
/// `trailmark import`).
pub fn parse_toml(text: &str, first_line: usize) -> Result<Value, FrontMatterError> {
    check_limits(text, first_line)?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
        let error = FrontMatterError {
            code: Code::FrontMatterSyntax,
            help: None,
            line: first_line + line - 1,
            column,
            message: format!("TOML syntax error: {}", e.message().trim_end()),
        };
        unclosed_before(text, first_line, Format::Toml, &error).unwrap_or(error)
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

/// Parsers notice an unclosed quote, bracket or brace where they run out of text, lines
/// after the mistake (`6:6 did not find expected key` for a quote opened on line 3). When a
/// parse failed at or after a delimiter that is never closed, that delimiter is the error.
fn unclosed_before(
    text: &str,
    first_line: usize,
    format: Format,
    parser_error: &FrontMatterError,
) -> Option<FrontMatterError> {
    let open = find_unclosed(text, format)?;
    let line = first_line + open.line - 1;
    if (parser_error.line, parser_error.column) < (line, open.column) {
        return None;
    }
    let (what, fix) = match open.delimiter {
        '"' | '\'' => ("quote", format!("end the text with `{}`", open.delimiter)),
        '[' => ("bracket", "end the list with `]`".to_string()),
        _ => ("brace", "end the map with `}`".to_string()),
    };
    let noticed = if parser_error.line == line {
        String::new()
    } else {
        let parser = match format {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
        };
        format!(
            " (the {parser} parser noticed only on line {})",
            parser_error.line
        )
    };
    Some(FrontMatterError {
        code: Code::UnclosedDelimiter,
        help: Some(format!("{fix}{noticed}")),
        line,
        column: open.column,
        message: format!("this {what} is never closed"),
    })
}

/// A quote, bracket or brace that opens a value and is never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unclosed {
    /// 1-based, in `text`.
    line: usize,
    /// 1-based, in characters.
    column: usize,
    delimiter: char,
    /// Indentation of the line it opened on.
    indent: usize,
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// Finds the innermost delimiter still open at the end of `text`, reading it as YAML or
/// TOML does: a quote or bracket opens something only where a value starts (`title: "`,
/// `- [`, `[a, "`), so the quote in `title: It's` or the bracket in `a [b] c` is text.
/// YAML quoted text may span lines; TOML text may not (`"""` and `'''`, which may, are left
/// to the parser). Comments and YAML block scalars (`|`, `>`) are skipped.
fn find_unclosed(text: &str, format: Format) -> Option<Unclosed> {
    let mut open: Vec<Unclosed> = Vec::new();
    let mut suspect: Option<Unclosed> = None;
    // Indentation of the line that started a block scalar, while inside one.
    let mut block_indent: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(start) = block_indent {
            if line.trim().is_empty() || indent > start {
                continue;
            }
            block_indent = None;
        }
        if let Some(quote) = open.last().filter(|o| is_quote(o.delimiter))
            && suspect.is_none()
            && looks_like_a_key(line, format)
            && indent <= quote.indent
        {
            // Quoted text may go on over lines, but a line that reads as the next key is
            // more likely where the writer thought the text had ended: a later quote that
            // "closes" it only moves the parser's complaint further down.
            suspect = Some(*quote);
        }
        let mut value_start = !open.last().is_some_and(|o| is_quote(o.delimiter));
        let mut previous = ' ';
        let mut chars = line.char_indices().enumerate().peekable();
        while let Some((column, (byte, c))) = chars.next() {
            let top = open.last().map(|o| o.delimiter);
            let next = chars.peek().map(|(_, (_, n))| *n);
            match top {
                Some('"') => {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        open.pop();
                        value_start = false;
                    }
                }
                Some('\'') => {
                    if c == '\'' && next == Some('\'') && format == Format::Yaml {
                        chars.next();
                    } else if c == '\'' {
                        open.pop();
                        value_start = false;
                    }
                }
                _ => {
                    let next_is_blank = next.is_none_or(char::is_whitespace);
                    let in_flow = matches!(top, Some('[' | '{'));
                    if c.is_whitespace() {
                        // Whitespace neither starts nor ends a value.
                    } else if c == '#' && previous.is_whitespace() {
                        break;
                    } else if value_start && (is_quote(c) || c == '[' || c == '{') {
                        let triple = if c == '"' { "\"\"\"" } else { "'''" };
                        if format == Format::Toml && line[byte..].starts_with(triple) {
                            return None;
                        }
                        open.push(Unclosed {
                            line: index + 1,
                            column: column + 1,
                            delimiter: c,
                            indent,
                        });
                        value_start = !is_quote(c);
                    } else if value_start
                        && format == Format::Yaml
                        && !in_flow
                        && (c == '|' || c == '>')
                    {
                        block_indent = Some(indent);
                        break;
                    } else if value_start && (c == '-' || c == '?') && next_is_blank && !in_flow {
                        // A sequence entry or a complex key: a value starts after it.
                    } else if (c == ':' && (next_is_blank || in_flow))
                        || (c == '=' && format == Format::Toml)
                        || (c == ',' && in_flow)
                    {
                        value_start = true;
                    } else if (c == ']' && top == Some('[')) || (c == '}' && top == Some('{')) {
                        open.pop();
                        value_start = false;
                    } else {
                        value_start = false;
                    }
                }
            }
            previous = c;
        }
        // TOML's one-line strings end with their line.
        if format == Format::Toml && open.last().is_some_and(|o| is_quote(o.delimiter)) {
            return open.pop();
        }
    }
    open.pop().or(suspect)
}

/// `key: value`, `key:` or `key = value` at the start of the line.
fn looks_like_a_key(line: &str, format: Format) -> bool {
    let rest = line.trim_start();
    let key_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if key_len == 0 {
        return false;
    }
    let after = &rest[key_len..];
    match format {
        Format::Yaml => {
            after.starts_with(':') && after[1..].chars().next().is_none_or(char::is_whitespace)
        }
        Format::Toml => after.trim_start().starts_with('='),
    }
}

/// Refuses inputs that would make the parsers slow before handing them over.
fn check_limits(text: &str, first_line: usize) -> Result<(), FrontMatterError> {
    if text.len() > MAX_FRONT_MATTER_BYTES {
        return Err(FrontMatterError {
            code: Code::FrontMatterSyntax,
            help: None,
            line: first_line,
            column: 1,
            message: format!(
                "front matter is {} bytes; the limit is {MAX_FRONT_MATTER_BYTES}",
                text.len()
            ),
        });
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (offset, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (_, '\n') => quote = None,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_col(text, offset);
                    return Err(FrontMatterError {
                        code: Code::FrontMatterSyntax,
                        help: None,
                        line: first_line + line - 1,
                        column,
                        message: format!("front matter nests deeper than {MAX_NESTING} levels"),
                    });
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn find_tab_indent(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        indent
            .find('\t')
            .filter(|_| !line.trim().is_empty())
            .map(|col| (i + 1, col + 1))
    })
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn top_level_key_lines(text: &str, first_line: usize, format: Format) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-', '[']) || line.is_empty() {
            continue;
        }
        let separator = match format {
            Format::Yaml => ':',
            Format::Toml => '=',
        };
        if let Some(at) = line.find(separator) {
            let key = line[..at].trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                lines.entry(key.to_string()).or_insert(first_line + i);
            }
        }
    }
    lines
}

/// A YAML value front matter cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum YamlValueError {
    #[error("`{0}` is not a finite number; write a number or quote it as text")]
    NonFinite(String),
    /// The key's kind, as [`describe`] names it.
    #[error("map keys must be plain text, found {0}")]
    KeyNotText(&'static str),
}

fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, YamlValueError> {
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // `.inf` and `.nan` were silently dropped (a `weight: .inf` was accepted).
                let number = n.as_f64().and_then(serde_json::Number::from_f64);
                return number
                    .map(Value::Number)
                    .ok_or_else(|| YamlValueError::NonFinite(n.to_string()));
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    other => {
                        return Err(YamlValueError::KeyNotText(describe(&yaml_to_json(other)?)));
                    }
                };
                map.insert(key, yaml_to_json(value)?);
            }
            Value::Object(map)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        // Dates become the same text YAML front matter would give.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A short description of a value's type for error messages.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_maps_body_line() {
        let text = "---\ntitle: Hi\ntags: [a]\n---\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(s.front_matter, "title: Hi\ntags: [a]\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_first_line, 5);
        let fm = parse(&s).unwrap();
        assert_eq!(fm.fields["title"], "Hi");
        assert_eq!(fm.line_of("tags"), 3);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n\ntext").unwrap();
        assert_eq!(s.format, None);
        assert_eq!(s.body_first_line, 1);
    }

    #[test]
    fn unclosed_fence_is_an_error_on_line_one() {
        let e = split("---\ntitle: x\n\nbody").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(e.message, "front matter opened with `---` is never closed");
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = normalize("\u{feff}---\r\ntitle: Hi\r\n---\r\nBody\r\n");
        let s = split(&text).unwrap();
        assert_eq!(parse(&s).unwrap().fields["title"], "Hi");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let s = split("---\ntitle: ok\ntags: [a, b\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.message, "this bracket is never closed");
        assert_eq!((e.line, e.column), (3, 7));
        let e = parse(&split("---\ntitle: ok\ntags: a: b\n---\n").unwrap()).unwrap_err();
        assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
        assert_eq!(e.line, 3);
    }

    #[test]
    fn toml_front_matter_is_read() {
        let s = split("+++\ntitle = \"Hi\"\ndate = 2024-05-01\n+++\nbody").unwrap();
        let fm = parse(&s).unwrap();
        assert_eq!(fm.fields["title"], "Hi");
        assert_eq!(fm.fields["date"], "2024-05-01");
        assert_eq!(fm.line_of("date"), 3);
    }

    #[test]
    fn toml_error_has_file_line() {
        let s = split("+++\ntitle = \"Hi\"\ndate = = 1\n+++\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn deep_nesting_fails_fast() {
        let text = format!("---\nx: {}\n---\n", "[".repeat(30_000));
        let s = split(&text).unwrap();
        let started = std::time::Instant::now();
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("nests deeper"), "{}", e.message);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn tabs_and_multiple_documents_are_rejected() {
        let s = split("---\nextra:\n\tkey: 1\n---\n").unwrap();
        assert_eq!(parse(&s).unwrap_err().line, 3);
        let e = parse_yaml("a: 1\n---\nb: 2\n", 2).unwrap_err();
        assert!(e.message.contains("more than one YAML document"));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = parse_yaml("title: a\ntitle: b\n", 2).unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn scalar_front_matter_is_an_error() {
        let s = split("---\njust text\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("must be a map"));
    }
}

#[cfg(test)]
mod unclosed_tests {
    use super::*;

    /// What `serde_yaml` itself says, before Trailmark corrects it: pinned so that an upgrade
    /// that changes the parser's messages or positions is noticed here.
    fn raw_yaml(text: &str) -> String {
        let result: Result<serde_yaml::Value, _> = serde_yaml::from_str(text);
        result.map_or_else(|e| e.to_string(), |_| "ok".into())
    }

    fn raw_toml(text: &str) -> String {
        toml::from_str::<toml::Table>(text).map_or_else(|e| e.to_string(), |_| "ok".into())
    }

    fn error(text: &str) -> (usize, usize, String, Option<String>) {
        let e = parse_yaml(text, 2).unwrap_err();
        (e.line, e.column, e.message, e.help)
    }

    #[test]
    fn the_parsers_report_an_unclosed_quote_late() {
        let text = "title: Hi\ndescription: \"The start\ndate: 2026-01-01\ntags: [a]\nweight: 3\n";
        assert_eq!(
            raw_yaml(text),
            "found unexpected end of stream at line 6 column 1, while scanning a quoted scalar at line 2 column 14"
        );
        // A later quote closes the first one, and the parser gives up further on.
        let text = "title: Hi\ndescription: \"The start\ndate: 2026-01-01\ntags: [\"a\"]\n";
        assert_eq!(
            raw_yaml(text),
            "did not find expected key at line 4 column 9, while parsing a block mapping"
        );
        assert_eq!(
            raw_yaml("tags: [a, b\ntitle: x\n"),
            "did not find expected ',' or ']' at line 2 column 6, while parsing a flow sequence at line 1 column 7"
        );
        assert_eq!(
            raw_toml("title = \"Hi\ntags = [\"a\"]\n"),
            "TOML parse error at line 1, column 12\n  |\n1 | title = \"Hi\n  |            ^\ninvalid basic string, expected `\"`\n"
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opened() {
        let text = "title: Hi\ndescription: \"The start\ndate: 2026-01-01\ntags: [a]\nweight: 3\n";
        assert_eq!(
            error(text),
            (
                3,
                14,
                "this quote is never closed".into(),
                Some("end the text with `\"` (the YAML parser noticed only on line 7)".into())
            )
        );
        let text = "title: Hi\ndescription: \"The start\ndate: 2026-01-01\ntags: [\"a\"]\n";
        let (line, column, message, _) = error(text);
        assert_eq!(
            (line, column, message.as_str()),
            (3, 14, "this quote is never closed")
        );
        let (line, column, message, _) = error("title: 'It''s\nx: 1\n");
        assert_eq!(
            (line, column, message.as_str()),
            (2, 8, "this quote is never closed")
        );
    }

    #[test]
    fn unclosed_brackets_and_braces() {
        let (line, column, message, _) = error("title: x\ntags: [a, b\ndate: 2026-01-01\n");
        assert_eq!(
            (line, column, message.as_str()),
            (3, 7, "this bracket is never closed")
        );
        let (line, column, message, _) = error("extra: {a: 1, b: [1, 2]\nx: 1\n");
        assert_eq!(
            (line, column, message.as_str()),
            (2, 8, "this brace is never closed")
        );
    }

    #[test]
    fn quotes_inside_text_are_not_delimiters() {
        for text in [
            "title: It's mine\n",
            "title: a [b] c \"d\n",
            "title: \"a # b\" # c \"\n",
            "body: |\n  \"open\n  [x\nnext: 1\n",
            "url: https://x.org/a?b=\"c\n",
            "items:\n  - \"a\"\n  - [b, 'c']\n",
        ] {
            assert_eq!(find_unclosed(text, Format::Yaml), None, "{text}");
        }
    }

    #[test]
    fn other_errors_are_left_to_the_parser() {
        // The parser's error comes before the quote that is never closed: keep it.
        let e = parse_yaml("a: b: c\nd: \"e\n", 1).unwrap_err();
        assert_eq!(e.code, Code::FrontMatterSyntax);
        assert_eq!(e.line, 1);
    }

    #[test]
    fn toml_quotes_end_with_their_line() {
        let s = split("+++\ntitle = \"Hi\ntags = [\"a\"]\n+++\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (2, 9, "this quote is never closed")
        );
        assert_eq!(e.help.as_deref(), Some("end the text with `\"`"));
        let s = split("+++\ntags = [\"a\",\n  \"b\"\nweight = 1\n+++\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (2, 8, "this bracket is never closed")
        );
    }
}
