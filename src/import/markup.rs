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
                out.push_str(&rest[..=(at + close)]);
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
        let (value, next) = if let Some(q @ ('"' | '\'')) = value_text.chars().next() {
            match value_text[1..].find(q) {
                Some(end) => (&value_text[1..=end], &value_text[end + 2..]),
                None => (&value_text[1..], ""),
            }
        } else {
            let end = value_text
                .find(char::is_whitespace)
                .unwrap_or(value_text.len());
            (&value_text[..end], &value_text[end..])
        };
        pairs.push((key, value.to_string()));
        rest = next.trim_start();
    }
    pairs
}

/// What Liquid conversion asks of the tool's import.
pub(crate) trait LiquidSite {
    /// `{% post_url 2010-07-21-name %}`: the link to that post from the page.
    fn post_url(&self, name: &str) -> Option<String>;
    /// `{% link path %}`: the link to that file of the source from the page.
    fn link(&self, path: &str) -> Option<String>;
    /// `{% include name %}`: the snippet's text when it is plain (no Liquid of its own).
    fn include(&self, name: &str) -> Option<String>;
    /// `{{ site.x.y }}`: a scalar of the config or of `_data/`.
    fn variable(&self, path: &str) -> Option<String>;
    /// `{{ site.baseurl }}`: the path the site was published under (`/field`), or an
    /// empty string at the root of its host.
    fn base_path(&self) -> String {
        String::new()
    }
}

/// Converts Liquid tags and output (`{% %}`, `{{ }}`) in a Jekyll page. Jekyll runs Liquid
/// before Markdown, so tags inside code blocks are converted too; `{% raw %}` regions stay
/// as they are, without the tags.
pub(crate) fn liquid(
    body: &str,
    file: &str,
    first_line: usize,
    site: &dyn LiquidSite,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let line_at = |rest: &str| first_line + body[..body.len() - rest.len()].matches('\n').count();
    let code = links::code_lines(body);
    while let Some(next) = earliest(rest, "{%", "{{") {
        out.push_str(&rest[..next]);
        rest = &rest[next..];
        let line = line_at(rest);
        let is_tag = rest.starts_with("{%");
        let close = if is_tag { "%}" } else { "}}" };
        let Some(end) = rest.find(close) else {
            out.push_str(&rest[..2]);
            rest = &rest[2..];
            continue;
        };
        let whole = &rest[..end + 2];
        let inner = whole[2..whole.len() - 2].trim_matches('-').trim();
        let after = &rest[end + 2..];
        if !is_tag {
            // `{{ site.baseurl }}{% post_url x %}`: the tag becomes a link to the file,
            // which needs no path before it.
            let before_link = inner == "site.baseurl" && {
                let next = after
                    .strip_prefix("{%")
                    .map(|t| t.trim_start_matches('-').trim_start());
                next.is_some_and(|t| t.starts_with("post_url") || t.starts_with("link "))
            };
            if before_link {
                report.converted("Liquid `{{ site... }}` / `relative_url` output");
            } else if let Some(text) = output(inner, site) {
                out.push_str(&text);
                report.converted("Liquid `{{ site... }}` / `relative_url` output");
            } else {
                out.push_str(whole);
                report.person(
                    file,
                    line,
                    &format!(
                        "Liquid output `{whole}` left in place (Trailmark does not run Liquid)"
                    ),
                );
            }
            rest = after;
            continue;
        }
        let mut words = inner.split_whitespace();
        let name = words.next().unwrap_or_default();
        let args: Vec<&str> = words.collect();
        match name {
            "raw" | "comment" | "highlight" => {
                let end_name = format!("end{name}");
                let Some((content, tail)) = block_until(after, &end_name) else {
                    out.push_str(whole);
                    report.person(
                        file,
                        line,
                        &format!("`{{% {name} %}}` is never closed; left in place"),
                    );
                    rest = after;
                    continue;
                };
                match name {
                    // Trailmark's build also reads `{% raw %}` markers and prints what they
                    // hold as written, without reporting it as Liquid left in place; in
                    // fenced code the build reads nothing, so the markers would show.
                    "raw"
                        if holds_template(content)
                            && !code.get(line - first_line).copied().unwrap_or(false) =>
                    {
                        out.push_str(whole);
                        out.push_str(content);
                        out.push_str("{% endraw %}");
                        report.converted("`{% raw %}` (kept: what it holds is literal text)");
                    }
                    "raw" => {
                        out.push_str(content);
                        report.converted("`{% raw %}` (tags dropped, text kept)");
                    }
                    "comment" => report.converted("`{% comment %}` (dropped)"),
                    _ => {
                        let lang = args.first().copied().unwrap_or_default();
                        let options = code_options(&args.get(1..).unwrap_or_default().join(" "));
                        let code = content.trim_matches('\n');
                        let _ = write!(out, "```{lang}{options}\n{code}\n```");
                        report.converted("`{% highlight %}` → fenced code");
                    }
                }
                rest = tail;
                continue;
            }
            _ => {}
        }
        let argument = args
            .first()
            .map(|a| a.trim_matches(['"', '\'']))
            .unwrap_or_default();
        let converted = match name {
            "post_url" => site
                .post_url(argument)
                .inspect(|_| report.converted("`{% post_url %}` → link")),
            "link" => site
                .link(argument)
                .inspect(|_| report.converted("`{% link %}` → link")),
            "include" | "include_relative" if args.len() == 1 => site
                .include(argument)
                .inspect(|_| report.converted("`{% include %}` of a snippet → its text")),
            "gist" if !argument.is_empty() => {
                report.converted("`{% gist %}` → link");
                Some(format!(
                    "[Gist {argument}](https://gist.github.com/{argument})"
                ))
            }
            "youtube" | "vimeo" if !argument.is_empty() => {
                report.converted(&format!("`{{% {name} %}}` → `::video`"));
                Some(shortcode(
                    "video",
                    &vec![("provider", name.to_string()), ("id", argument.to_string())],
                ))
            }
            _ => None,
        };
        if let Some(text) = converted {
            out.push_str(&text);
        } else {
            out.push_str(whole);
            report.person(
                file,
                line,
                &format!(
                    "Liquid tag `{{% {name} %}}` left in place (Trailmark does not run Liquid)"
                ),
            );
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether text holds template syntax the build would report if it were not marked raw.
fn holds_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The text up to `{% end_name %}` and what follows it.
fn block_until<'a>(text: &'a str, end_name: &str) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    while let Some(at) = text[offset..].find("{%") {
        let start = offset + at;
        let end = start + text[start..].find("%}")?;
        let inner = text[start + 2..end].trim_matches('-').trim();
        if inner == end_name {
            return Some((&text[..start], &text[end + 2..]));
        }
        offset = end + 2;
    }
    None
}

/// `{{ site.x }}`, `{{ '/path/' | relative_url }}`, `{{ site.baseurl }}`.
fn output(inner: &str, site: &dyn LiquidSite) -> Option<String> {
    let mut parts = inner.split('|').map(str::trim);
    let value = parts.next()?;
    let filters: Vec<&str> = parts.collect();
    if filters.iter().any(|f| {
        !matches!(
            *f,
            "relative_url" | "absolute_url" | "prepend: site.baseurl"
        )
    }) {
        return None;
    }
    if let Some(text) = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
    {
        // `relative_url` and friends put the site's path before a path from its root.
        return Some(if !filters.is_empty() && text.starts_with('/') {
            format!("{}{text}", site.base_path())
        } else {
            text.to_string()
        });
    }
    match value {
        // Links keep the site's path, as they had it; the host goes, so they stay
        // root-relative (links to pages are then rewritten to their files).
        "site.baseurl" => Some(site.base_path()),
        "site.url" => Some(String::new()),
        path => site.variable(path.strip_prefix("site.")?),
    }
}

/// Kramdown attribute lists: `{: #id}` under a heading gives the heading that id
/// (`## Title {#id}`); other `{: ...}` lines (classes) are dropped and counted; `{:toc}`
/// goes with the list item it turns into kramdown's table of contents (`* TOC`), since the
/// theme shows its own. Kramdown comments (`{::comment}` ... `{:/comment}`) are removed,
/// not published.
pub(crate) fn kramdown_attributes(body: &str, report: &mut Report) -> String {
    let body = kramdown_comments(body, report);
    let code = links::code_lines(&body);
    let mut out: Vec<String> = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let trimmed = line.trim();
        let is_ial = !code.get(i).copied().unwrap_or(false)
            && trimmed.starts_with("{:")
            && trimmed.ends_with('}');
        if !is_ial {
            out.push(line.to_string());
            continue;
        }
        let inner = trimmed[2..trimmed.len() - 1].trim();
        if inner == "toc" || inner == ".toc" {
            if out.last().is_some_and(|previous| is_list_item(previous)) {
                out.pop();
            }
            report.converted("kramdown `{:toc}` list → the theme's table of contents");
            continue;
        }
        let id = inner
            .split_whitespace()
            .find_map(|w| w.strip_prefix('#'))
            .filter(|id| !id.is_empty());
        match (id, out.last_mut()) {
            (Some(id), Some(previous)) if previous.trim_start().starts_with('#') => {
                let _ = write!(previous, " {{#{id}}}");
                report.converted("kramdown `{: #id}` → heading id");
            }
            _ => report.converted("kramdown attribute list `{: ...}` (dropped)"),
        }
    }
    out.join("\n")
}

/// `* TOC`, `- x`, `1. x`: the one-item list kramdown replaces with a table of contents.
fn is_list_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("* ")
        || trimmed.starts_with("- ")
        || trimmed.starts_with("+ ")
        || trimmed.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Removes kramdown comments, `{::comment}` ... `{:/comment}` (over lines too), outside code.
fn kramdown_comments(body: &str, report: &mut Report) -> String {
    const OPEN: &str = "{::comment}";
    const CLOSE: &str = "{:/comment}";
    if !body.contains(OPEN) {
        return body.to_string();
    }
    let code = links::code_lines(body);
    let mut out = String::with_capacity(body.len());
    let mut in_comment = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if code.get(i).copied().unwrap_or(false) && !in_comment {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        loop {
            if in_comment {
                let Some(at) = rest.find(CLOSE) else {
                    // The line's end stays, so line numbers hold.
                    if rest.ends_with('\n') {
                        out.push('\n');
                    }
                    break;
                };
                rest = &rest[at + CLOSE.len()..];
                in_comment = false;
            } else {
                let Some(at) = rest.find(OPEN) else {
                    out.push_str(rest);
                    break;
                };
                out.push_str(&rest[..at]);
                rest = &rest[at + OPEN.len()..];
                in_comment = true;
                report.converted("kramdown `{::comment}` → removed, as kramdown does");
            }
        }
    }
    out
}

/// One shortcode call as Hugo or Zola write it: a name and named (or positional)
/// arguments.
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) named: Vec<(String, String)>,
    pub(crate) positional: Vec<String>,
}

impl Call {
    pub(crate) fn arg(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A named argument, else the positional one at `index`.
    pub(crate) fn arg_or(&self, key: &str, index: usize) -> Option<&str> {
        self.arg(key)
            .or_else(|| self.positional.get(index).map(String::as_str))
    }
}

/// Splits `a="x" b=2 "pos"` (Hugo) or `a="x", b=2` (Zola) into arguments.
pub(crate) fn parse_call(name: &str, text: &str) -> Call {
    let mut named = Vec::new();
    let mut positional = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\n', '\t']);
        if rest.is_empty() {
            break;
        }
        let key_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let after_key = rest[key_end..].trim_start();
        let (key, value_text) = if key_end > 0 && after_key.starts_with('=') {
            (Some(&rest[..key_end]), after_key[1..].trim_start())
        } else {
            (None, rest)
        };
        let (value, next) = if let Some(q @ ('"' | '\'' | '`')) = value_text.chars().next() {
            match value_text[1..].find(q) {
                Some(end) => (&value_text[1..=end], &value_text[end + 2..]),
                None => (&value_text[1..], ""),
            }
        } else {
            let end = value_text
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(value_text.len());
            (&value_text[..end], &value_text[end..])
        };
        match key {
            Some(key) => named.push((key.to_string(), value.to_string())),
            None => positional.push(value.to_string()),
        }
        if next.len() == rest.len() {
            break;
        }
        rest = next;
    }
    Call {
        name: name.to_string(),
        named,
        positional,
    }
}

/// What a shortcode call becomes in Trailmark, if it has an equivalent. `ref` resolves a
/// page reference (Hugo's `ref`/`relref`) to a link from the current page.
pub(crate) fn convert_call(
    call: &Call,
    body: Option<&str>,
    resolve_ref: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, &'static str)> {
    match call.name.as_str() {
        "youtube" => {
            let id = call.arg_or("id", 0)?;
            let mut args: Args = vec![("provider", "youtube".into()), ("id", id.to_string())];
            if let Some(title) = call.arg("title") {
                args.push(("title", title.to_string()));
            }
            if let Some(start) = call.arg("start") {
                args.push(("start", start.to_string()));
            }
            Some((shortcode("video", &args), "youtube → `::video`"))
        }
        "vimeo" => {
            let id = call.arg_or("id", 0)?;
            let mut args: Args = vec![("provider", "vimeo".into()), ("id", id.to_string())];
            if let Some(title) = call.arg("title") {
                args.push(("title", title.to_string()));
            }
            Some((shortcode("video", &args), "vimeo → `::video`"))
        }
        "gist" => {
            let url = if let Some(url) = call.arg("url") {
                url.to_string()
            } else {
                let user = call.arg_or("user", 0)?;
                let id = call.arg_or("id", 1)?;
                format!("https://gist.github.com/{user}/{id}")
            };
            Some((format!("[Gist: {url}]({url})"), "gist → link"))
        }
        "figure" => {
            let src = call.arg_or("src", 0)?;
            let caption = call
                .arg("caption")
                .or_else(|| call.arg("title"))
                .unwrap_or_default();
            let mut extra: Args = Vec::new();
            if let Some(credit) = call.arg("attr") {
                extra.push(("credit", credit.to_string()));
            }
            for (from, to) in [("link", "link"), ("width", "width"), ("height", "height")] {
                if let Some(v) = call.arg(from) {
                    extra.push((to, v.to_string()));
                }
            }
            let alt = call.arg("alt").unwrap_or_default();
            Some((figure(src, alt, caption, extra), "figure → `::figure`"))
        }
        "ref" | "relref" => {
            let target = call.arg_or("path", 0)?;
            resolve_ref(target).map(|link| (link, "ref/relref → link"))
        }
        "highlight" => {
            let lang = call.arg_or("lang", 0).unwrap_or_default();
            let options = call
                .arg_or("options", 1)
                .map_or_else(String::new, code_options);
            let code = body?.trim_matches('\n');
            Some((
                format!("```{lang}{options}\n{code}\n```"),
                "highlight → fenced code",
            ))
        }
        _ => None,
    }
}

/// The lines a code block's options mark (Hugo's `hl_lines=[8,"15-17"]` or
/// `hl_lines=8 15-17` in a fence's `{...}` or the `highlight` shortcode, Jekyll's
/// `mark_lines="1 2"`) as Trailmark's fence attribute, with a leading space:
/// ` hl_lines="8 15-17"`; empty when none are marked. Other options (line numbers, styles)
/// are presentation Trailmark's theme decides.
pub(crate) fn code_options(options: &str) -> String {
    let Some(at) = ["hl_lines=", "mark_lines="]
        .iter()
        .find_map(|key| options.find(key).map(|at| at + key.len()))
    else {
        return String::new();
    };
    let value = &options[at..];
    let lines = if let Some(list) = value.strip_prefix('[') {
        list[..list.find(']').unwrap_or(list.len())]
            .split(',')
            .map(|part| part.trim().trim_matches(|c| c == '"' || c == '\''))
            .collect::<Vec<_>>()
            .join(" ")
    } else if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let quoted = &value[1..];
        quoted[..quoted.find(quote).unwrap_or(quoted.len())].to_string()
    } else {
        let end = value
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == ' '))
            .unwrap_or(value.len());
        value[..end].to_string()
    };
    let lines = lines.split_whitespace().collect::<Vec<_>>().join(" ");
    if lines.is_empty()
        || !lines
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return String::new();
    }
    format!(" hl_lines=\"{lines}\"")
}

/// Hugo's code fence attributes (` ```go {linenos=table,hl_lines=[8,"15-17"]} `), which
/// Trailmark would read as part of the language, become its own (` ```go hl_lines="8 15-17" `).
pub(crate) fn hugo_fence_attributes(body: &str, report: &mut Report) -> String {
    let kinds = links::fence_lines(body);
    body.split('\n')
        .zip(kinds)
        .map(|(line, kind)| {
            let converted = (kind == links::FenceLine::Opening)
                .then(|| {
                    let open = line.find('{')?;
                    let close = line.rfind('}').filter(|close| *close > open)?;
                    let inside = &line[open + 1..close];
                    (inside.contains('=') && line[close + 1..].trim().is_empty()).then(|| {
                        let head = line[..open].trim_end();
                        format!("{head}{}", code_options(inside))
                    })
                })
                .flatten();
            match converted {
                Some(converted) => {
                    report.converted("code fence `{...}` options → `hl_lines`");
                    converted
                }
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Converts Zola shortcodes: `{{ name(args) }}` and `{% name(args) %}body{% end %}`.
/// `{{/* x */}}` and `{%/* x */%}` are escapes for literal text and lose their comment
/// marks.
pub(crate) fn zola(
    body: &str,
    file: &str,
    first_line: usize,
    resolve_ref: &dyn Fn(&str) -> Option<String>,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(next) = earliest(rest, "{{", "{%") {
        out.push_str(&rest[..next]);
        rest = &rest[next..];
        let line = first_line + body[..body.len() - rest.len()].matches('\n').count();
        let block = rest.starts_with("{%");
        let close = if block { "%}" } else { "}}" };
        let Some(end) = rest.find(close) else {
            out.push_str(&rest[..2]);
            rest = &rest[2..];
            continue;
        };
        let inner = rest[2..end].trim();
        let after = &rest[end + 2..];
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            let (open, shut) = if block { ("{%", "%}") } else { ("{{", "}}") };
            let _ = write!(out, "{open} {} {shut}", escaped.trim());
            report.converted("escaped shortcode `{{/* */}}` → literal text");
            rest = after;
            continue;
        }
        let Some(paren) = inner.find('(').filter(|_| inner.ends_with(')')) else {
            out.push_str(&rest[..end + 2]);
            rest = after;
            continue;
        };
        let name = inner[..paren].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            out.push_str(&rest[..end + 2]);
            rest = after;
            continue;
        }
        let call = parse_call(name, &inner[paren + 1..inner.len() - 1]);
        let (content, tail) = if block {
            match block_until(after, "end") {
                Some((content, tail)) => (Some(content), tail),
                None => (None, after),
            }
        } else {
            (None, after)
        };
        if let Some((text, what)) = convert_call(&call, content, resolve_ref) {
            out.push_str(&text);
            report.converted(&format!("Zola shortcode {what}"));
            rest = tail;
        } else {
            report.person(
                file,
                line,
                &format!("Zola shortcode `{name}` left in place: no Trailmark equivalent (write a `templates/shortcodes/{name}.html` and a `::{name}{{...}}` line)"),
            );
            out.push_str(&rest[..end + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What Hugo shortcode conversion needs from the import.
pub(crate) trait HugoSite {
    /// `ref`/`relref`: the link to the page named `target` from the current page.
    fn reference(&self, target: &str) -> Option<String>;
    /// `include` (a common site shortcode): the body of the page or file named `target`.
    fn include(&self, target: &str) -> Option<String>;
}

/// Converts Hugo shortcodes: `{{< name args >}}`, `{{% name args %}}`, with a closing
/// `{{< /name >}}` for `highlight`; `{{</* x */>}}` escapes become literal text. Hugo
/// expands shortcodes inside code blocks too, so the whole text is read.
pub(crate) fn hugo(
    body: &str,
    file: &str,
    first_line: usize,
    site: &dyn HugoSite,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let code = links::code_lines(body);
    while let Some(next) = earliest(rest, "{{<", "{{%") {
        out.push_str(&rest[..next]);
        rest = &rest[next..];
        let line = first_line + body[..body.len() - rest.len()].matches('\n').count();
        let percent = rest.starts_with("{{%");
        let close = if percent { "%}}" } else { ">}}" };
        let Some(end) = rest.find(close) else {
            out.push_str(&rest[..3]);
            rest = &rest[3..];
            continue;
        };
        let whole = &rest[..end + 3];
        let inner = rest[3..end].trim();
        let after = &rest[end + 3..];
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            let (open, shut) = if percent {
                ("{{%", "%}}")
            } else {
                ("{{<", ">}}")
            };
            // Outside code, the first brace is written as an entity: the reader sees the
            // same text, and the build does not take it for a shortcode left in place.
            let line_start = body[..body.len() - rest.len()]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let before = &body[line_start..body.len() - rest.len()];
            let in_code = code.get(line - first_line).copied().unwrap_or(false)
                || before.matches('`').count() % 2 == 1;
            let open = if in_code {
                open.to_string()
            } else {
                format!("&#123;{}", &open[1..])
            };
            let _ = write!(out, "{open} {} {shut}", escaped.trim());
            report.converted("escaped shortcode `{{</* */>}}` → literal text");
            rest = after;
            continue;
        }
        if inner.starts_with('/') {
            // A closing tag of a shortcode left in place.
            out.push_str(whole);
            rest = after;
            continue;
        }
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = &inner[..name_end];
        let call = parse_call(name, &inner[name_end..]);
        let closing = format!("/{name}");
        let paired = name == "highlight";
        let (content, tail) = if paired {
            match find_closing(after, &closing) {
                Some((content, tail)) => (Some(content), tail),
                None => (None, after),
            }
        } else {
            (None, after)
        };
        let converted = if name == "include" {
            call.arg_or("path", 0)
                .and_then(|t| site.include(t))
                .map(|text| (text, "include of a snippet → its text"))
        } else {
            convert_call(&call, content, &|t| site.reference(t))
        };
        if let Some((text, what)) = converted {
            out.push_str(&text);
            report.converted(&format!("Hugo shortcode {what}"));
            rest = tail;
        } else {
            report.person(
                file,
                line,
                &format!("Hugo shortcode `{name}` left in place: no Trailmark equivalent"),
            );
            out.push_str(whole);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The text up to `{{< /name >}}` (or `{{% /name %}}`) and what follows it.
fn find_closing<'a>(text: &'a str, closing: &str) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    while let Some(at) = text[offset..].find("{{") {
        let start = offset + at;
        let rest = &text[start + 2..];
        let close = if rest.starts_with('%') { "%}}" } else { ">}}" };
        let end = start + 2 + rest.find(close)?;
        let inner = text[start + 3..end].trim();
        if inner == closing {
            return Some((&text[..start], &text[end + 3..]));
        }
        offset = end + 3;
    }
    None
}

/// Goldmark's `autoDefinitionTermID`: each definition list term (a line followed by a
/// `: definition` line) gets an id from its text, written as an empty anchor before it.
/// The id Goldmark's `autoDefinitionTermID` gives a definition term.
pub(crate) fn term_id(term: &str) -> String {
    term.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

pub(crate) fn definition_term_ids(body: &str, report: &mut Report) -> String {
    let code = links::code_lines(body);
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let next_is_definition = lines
            .get(i + 1)
            .is_some_and(|n| n.starts_with(": ") || n.starts_with(":   "));
        let is_term = next_is_definition
            && !code.get(i).copied().unwrap_or(false)
            && !line.trim().is_empty()
            && !line.starts_with(':');
        if is_term {
            let id = term_id(line);
            if !id.is_empty() {
                out.push(format!("<a id=\"{id}\"></a>{line}"));
                report.converted(
                    "definition term → anchor with its id (Goldmark `autoDefinitionTermID`)",
                );
                continue;
            }
        }
        out.push((*line).to_string());
    }
    out.join("\n")
}

/// Where the first of two template openers (`{%` or `{{`, `{{<` or `{{%`) starts in `text`.
fn earliest(text: &str, one: &str, other: &str) -> Option<usize> {
    match (text.find(one), text.find(other)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod kramdown_tests {
    use super::*;

    #[test]
    fn toc_lists_and_comments_are_not_published() {
        let mut report = Report::default();
        let body = "Intro.\n\n* TOC\n{:toc}\n\nText {::comment}hidden{:/comment} shown.\n\n{::comment}\nA line\nmore\n{:/comment}\nAfter.\n\n```\n{::comment}kept in code{:/comment}\n```\n";
        let out = kramdown_attributes(body, &mut report);
        assert!(!out.contains("TOC") && !out.contains("{:toc}"), "{out}");
        assert!(out.contains("Text  shown."), "{out}");
        assert!(!out.contains("hidden") && !out.contains("A line"), "{out}");
        assert!(out.contains("After."), "{out}");
        assert!(out.contains("{::comment}kept in code{:/comment}"), "{out}");
        // The comment keeps its lines; `* TOC` and `{:toc}` go.
        assert_eq!(out.lines().count(), body.lines().count() - 2, "{out}");
    }
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

    #[test]
    fn hugo_and_jekyll_code_options_become_hl_lines() {
        for (options, expected) in [
            (
                r#"linenos=table,hl_lines=[8,"15-17"],linenostart=199"#,
                r#" hl_lines="8 15-17""#,
            ),
            (
                "linenos=table,hl_lines=8 15-17,linenostart=199",
                r#" hl_lines="8 15-17""#,
            ),
            (r#"hl_lines="2-3" linenos=true"#, r#" hl_lines="2-3""#),
            ("hl_lines=2 linenos=true", r#" hl_lines="2""#),
            (r#"linenos mark_lines="1 4""#, r#" hl_lines="1 4""#),
            ("linenos=table", ""),
            ("hl_lines=[x]", ""),
        ] {
            assert_eq!(code_options(options), expected, "{options}");
        }
        let mut report = Report::new("hugo");
        assert_eq!(
            hugo_fence_attributes(
                "```go {linenos=table,hl_lines=[2,\"4-5\"]}\nx\n```\n\n```{r}\ny\n```\n\n````md\n```go {hl_lines=[1]}\n````",
                &mut report
            ),
            "```go hl_lines=\"2 4-5\"\nx\n```\n\n```{r}\ny\n```\n\n````md\n```go {hl_lines=[1]}\n````"
        );
    }
}
