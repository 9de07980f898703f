//! Rewriting relative Markdown link and image destinations when pages move.
//!
//! Every tool's import may put a page somewhere else than its source file (an mdBook
//! chapter nested under its parent, a Carpentries episode at the top of the course). A
//! relative link is resolved against the source file, looked up in the import's map of
//! moved files, and written again relative to the page's new place. Links in fenced code
//! and inline code are left alone.

/// Whether each line of `text` is inside a fenced code block (the fences included).
pub(crate) fn code_lines(text: &str) -> Vec<bool> {
    fence_lines(text)
        .into_iter()
        .map(|line| line != FenceLine::Text)
        .collect()
}

/// What a line of Markdown is to fenced code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FenceLine {
    Text,
    /// The fence that opens a block (its info string may follow the marks).
    Opening,
    /// A line inside a block, or the fence that closes it.
    Code,
}

/// Each line of `text` as [`FenceLine`].
pub(crate) fn fence_lines(text: &str) -> Vec<FenceLine> {
    let mut fence: Option<(char, usize)> = None;
    text.split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
            match fence {
                Some((m, n)) => {
                    if marker == Some(m) && run >= n && trimmed[run..].trim().is_empty() {
                        fence = None;
                    }
                    FenceLine::Code
                }
                None if indent < 4 && run >= 3 => {
                    fence = marker.map(|m| (m, run));
                    FenceLine::Opening
                }
                None => FenceLine::Text,
            }
        })
        .collect()
}

/// Resolves `rel` (which may hold `.` and `..`) against the folder `base`; `None` when it
/// climbs above the top.
pub(crate) fn resolve(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The path of `to` relative to the folder `from_dir`.
pub(crate) fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

/// Whether a destination is relative to the page (not a URL, not absolute, not `#x`).
pub(crate) fn is_relative(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.starts_with('{')
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("data:"))
}

/// Rewrites every relative destination of `body` with `map`, which gets the destination's
/// path (without `#fragment` or `?query`) and returns the new destination path, or `None`
/// to leave it alone. The fragment and query are kept.
pub(crate) fn rewrite(body: &str, map: impl FnMut(&str) -> Option<String>) -> String {
    rewrite_with(body, map, true)
}

/// Like [`rewrite`], but every destination (absolute ones too) goes through `map`, which
/// receives the path without its fragment or query.
pub(crate) fn rewrite_all(body: &str, map: impl FnMut(&str) -> Option<String>) -> String {
    rewrite_with(body, map, false)
}

fn rewrite_with(
    body: &str,
    mut map: impl FnMut(&str) -> Option<String>,
    relative_only: bool,
) -> String {
    let code = code_lines(body);
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if code.get(i).copied().unwrap_or(false) {
            out.push_str(line);
            continue;
        }
        out.push_str(&rewrite_line(line, &mut map, relative_only));
    }
    out
}

fn rewrite_line(
    line: &str,
    map: &mut impl FnMut(&str) -> Option<String>,
    relative_only: bool,
) -> String {
    // A reference definition: `[name]: dest "title"`.
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(close) = trimmed.find("]:")
    {
        let lead = &line[..line.len() - trimmed.len()];
        let after = &trimmed[close + 2..];
        let dest_start = after.len() - after.trim_start().len();
        let rest = &after[dest_start..];
        let dest_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let dest = &rest[..dest_len];
        if let Some(new) = map_dest(dest, map, relative_only) {
            return format!(
                "{lead}{}{}{new}{}",
                &trimmed[..close + 2],
                &after[..dest_start],
                &rest[dest_len..]
            );
        }
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(at) = rest.find(['`', ']']) {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        if tail.starts_with('`') {
            let run = tail.chars().take_while(|c| *c == '`').count();
            out.push_str(&tail[..run]);
            rest = &tail[run..];
            // A code span closes with a run of the same length; a simple toggle is enough
            // for the single and double backticks pages use.
            in_code = !in_code;
            continue;
        }
        // `](`
        if !in_code && tail.starts_with("](") {
            let inner = &tail[2..];
            if let Some(end) = closing_paren(inner) {
                let content = &inner[..end];
                let (dest, title) = match content.find(|c: char| c.is_whitespace()) {
                    Some(space) => (&content[..space], &content[space..]),
                    None => (content, ""),
                };
                let (dest, wrapped) = match dest.strip_prefix('<').and_then(|d| d.strip_suffix('>'))
                {
                    Some(d) => (d, true),
                    None => (dest, false),
                };
                if let Some(new) = map_dest(dest, map, relative_only) {
                    out.push_str("](");
                    if wrapped {
                        out.push('<');
                        out.push_str(&new);
                        out.push('>');
                    } else {
                        out.push_str(&new);
                    }
                    out.push_str(title);
                    out.push(')');
                    rest = &inner[end + 1..];
                    continue;
                }
            }
        }
        out.push(']');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            '\n' => return None,
            _ => {}
        }
    }
    None
}

fn map_dest(
    dest: &str,
    map: &mut impl FnMut(&str) -> Option<String>,
    relative_only: bool,
) -> Option<String> {
    if relative_only && !is_relative(dest) {
        return None;
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    if path.is_empty() {
        return None;
    }
    map(path).map(|new| format!("{new}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_and_relate() {
        assert_eq!(resolve("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("a", "../../c.md"), None);
        assert_eq!(relative("x/y", "x/z/p.md"), "../z/p.md");
        assert_eq!(relative("", "p.md"), "p.md");
        assert_eq!(relative("a", "p.md"), "../p.md");
    }

    #[test]
    fn rewrites_links_images_and_definitions_but_not_code() {
        let body = "See [a](old.md#x \"t\") and ![i](<img.png>) `[c](old.md)`\n\
                    [ref]: old.md\n```\n[c](old.md)\n```\n[u](https://x.org/old.md)";
        let out = rewrite(body, |p| match p {
            "old.md" => Some("new/old.md".into()),
            "img.png" => Some("../img.png".into()),
            _ => None,
        });
        assert_eq!(
            out,
            "See [a](new/old.md#x \"t\") and ![i](<../img.png>) `[c](old.md)`\n\
             [ref]: new/old.md\n```\n[c](old.md)\n```\n[u](https://x.org/old.md)"
        );
    }
}
