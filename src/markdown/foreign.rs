//! Template syntax of other tools left in content: Jekyll's Liquid (`{% ... %}`,
//! `{{ ... }}`), Hugo's shortcodes (`{{< ... >}}`, `{{% ... %}}`) and Zola's
//! (`{{ name(...) }}`, `{% name(...) %}`). Trailmark never runs templates in content. What
//! only makes links is rewritten so the links resolve as the site was built before:
//! `{{ site.baseurl }}` and `{{ site.url }}` go, `{% link path %}`, `{% post_url name %}`
//! and Hugo's `ref`/`relref` become links Trailmark resolves, `{% raw %}` markers go (what
//! they hold stays as written). Everything else is left as written and reported, once per
//! construct per site, by the build.
//!
//! Runs on the source before the Markdown parse; fenced code is left alone (it shows
//! template syntax as examples), as is inline code. Line numbers are kept; columns after a
//! rewrite on the same line may shift.

use std::borrow::Cow;

/// One piece of template syntax left in a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ForeignTag {
    /// What it is, as reported: `Liquid tag {% include %}`, `Hugo shortcode {{< figure >}}`.
    pub construct: String,
    /// 1-based line in the file once rendered ([`scan`] gives the 0-based line in the
    /// body, [`super::render()`] adds where the body starts), and 1-based column.
    pub line: usize,
    pub column: usize,
}

/// The source with link-making tags rewritten, and the tags left in it.
/// `base_path` is the path the site is built under (`/field`, empty at a host's root and
/// under `serve`): what `{{ site.baseurl }}` and Jekyll's `relative_url` stand for.
pub(crate) fn scan<'s>(source: &'s str, base_path: &str) -> (Cow<'s, str>, Vec<ForeignTag>) {
    if !source.contains("{{") && !source.contains("{%") {
        return (Cow::Borrowed(source), Vec::new());
    }
    let mut out = String::with_capacity(source.len());
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut in_raw = false;
    let mut in_highlight = false;
    // `{% raw %}` is a marker only when an `{% endraw %}` closes it.
    let has_endraw = source.contains("endraw");
    for (line_index, line) in source.split_inclusive('\n').enumerate() {
        let text = line.trim_start_matches(' ');
        let marker = text.chars().next().filter(|c| matches!(c, '`' | '~'));
        if let Some(c) = marker {
            let len = text.len() - text.trim_start_matches(c).len();
            match fence {
                Some((open, open_len))
                    if open == c && len >= open_len && text[len..].trim().is_empty() =>
                {
                    fence = None;
                }
                None if len >= 3 => fence = Some((c, len)),
                _ => {}
            }
            out.push_str(line);
            continue;
        }
        if fence.is_some() {
            out.push_str(line);
            continue;
        }
        // Jekyll's `{% highlight ruby %}` ... `{% endhighlight %}` on lines of their own is
        // a fenced code block.
        let tag_line = text.trim_end();
        if let Some(inner) = tag_line
            .strip_prefix("{%")
            .and_then(|t| t.strip_suffix("%}"))
            .map(|t| t.trim_matches(['-', ' ']))
        {
            let mut words = inner.split_whitespace();
            match words.next() {
                Some("highlight") if !in_highlight => {
                    out.push_str("```");
                    out.push_str(words.next().unwrap_or(""));
                    out.push('\n');
                    in_highlight = true;
                    continue;
                }
                Some("endhighlight") if in_highlight => {
                    out.push_str("```\n");
                    in_highlight = false;
                    continue;
                }
                _ => {}
            }
        }
        if in_highlight {
            out.push_str(line);
            continue;
        }
        rewrite_line(
            line,
            line_index,
            &mut in_raw,
            has_endraw,
            &mut out,
            &mut found,
            base_path,
        );
    }
    (Cow::Owned(out), found)
}

fn rewrite_line(
    line: &str,
    line_index: usize,
    in_raw: &mut bool,
    has_endraw: bool,
    out: &mut String,
    found: &mut Vec<ForeignTag>,
    base_path: &str,
) {
    let mut rest = line;
    let mut in_code = false;
    while !rest.is_empty() {
        let next = rest.find(['{', '`']);
        let Some(at) = next else {
            out.push_str(rest);
            return;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('`') {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            in_code = !in_code;
            out.push_str(&rest[..ticks]);
            rest = &rest[ticks..];
            continue;
        }
        let column = line.len() - rest.len() + 1;
        let close = if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{{<") {
            ">}}"
        } else if rest.starts_with("{{%") {
            "%}}"
        } else if rest.starts_with("{{") {
            "}}"
        } else {
            out.push('{');
            rest = &rest[1..];
            continue;
        };
        let Some(end) = rest.find(close).map(|e| e + close.len()) else {
            out.push_str(rest);
            return;
        };
        let tag = &rest[..end];
        rest = &rest[end..];
        let inner = tag[2..tag.len() - 2]
            .trim_matches(['<', '>', '%', '-', ' '])
            .trim();
        // A Hugo closing tag, `{{< /name >}}` or `{{</ name >}}`: named like the other.
        let hugo_closing = (tag.starts_with("{{<") || tag.starts_with("{{%"))
            .then(|| inner.strip_prefix('/'))
            .flatten();
        let (closing, inner) = match hugo_closing {
            Some(rest) => ("/", rest.trim_start()),
            None => ("", inner),
        };
        let name = inner
            .split(|c: char| c.is_whitespace() || c == '(' || c == '|')
            .next()
            .unwrap_or("");
        if *in_raw {
            if tag.starts_with("{%") && name == "endraw" {
                *in_raw = false;
            } else {
                out.push_str(tag);
            }
            continue;
        }
        if in_code {
            out.push_str(tag);
            continue;
        }
        let argument = || {
            inner[name.len()..]
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        };
        let is_hugo = tag.starts_with("{{<") || tag.starts_with("{{%");
        let is_zola = !is_hugo && inner[name.len()..].starts_with('(');
        match (tag.get(..2), name) {
            (Some("{%"), "raw") if !is_zola && has_endraw => *in_raw = true,
            (Some("{%"), "endraw") if !is_zola => {}
            // The host goes (links stay root-relative); the path is this build's, so the
            // link resolves on the published site and under `serve` alike.
            (Some("{{"), "site.baseurl") if !is_hugo => out.push_str(base_path),
            (Some("{{"), "site.url") if !is_hugo => {}
            (Some("{%"), "link") if !is_zola => {
                out.push_str("@link/");
                out.push_str(argument().trim_start_matches('/'));
            }
            // `{{ "/docs/x/" | relative_url }}`: the path, after this build's base path.
            (Some("{{"), _)
                if !is_hugo
                    && inner.starts_with(['"', '\''])
                    && (inner.contains("relative_url") || inner.contains("absolute_url")) =>
            {
                let quote = inner.chars().next().unwrap_or('"');
                let literal = inner[1..].split(quote).next().unwrap_or("");
                if literal.starts_with('/') {
                    out.push_str(base_path);
                }
                out.push_str(literal);
            }
            (Some("{%"), "post_url") if !is_zola => {
                out.push_str("@post/");
                out.push_str(argument().trim_start_matches('/'));
            }
            (Some("{{"), "ref" | "relref") if is_hugo => {
                let target = argument();
                match target.strip_prefix('/') {
                    Some(from_root) => {
                        out.push_str("@/");
                        out.push_str(from_root);
                    }
                    None => out.push_str(&target),
                }
            }
            _ => {
                let construct = if is_hugo {
                    format!(
                        "Hugo shortcode `{} {closing}{name} {}`",
                        &tag[..3],
                        &tag[tag.len() - 3..]
                    )
                } else if is_zola {
                    format!(
                        "Zola shortcode `{} {name}(...) {}`",
                        &tag[..2],
                        &tag[tag.len() - 2..]
                    )
                } else if tag.starts_with("{%") {
                    format!("Liquid tag `{{% {name} %}}`")
                } else {
                    format!("Liquid variable `{{{{ {name} }}}}`")
                };
                found.push(ForeignTag {
                    construct,
                    line: line_index,
                    column,
                });
                out.push_str(tag);
            }
        }
    }
}

/// Whether a content file is a page written in HTML with front matter (`post.html` starting
/// `---` or `+++`), which Jekyll and Hugo build as a page: its body is HTML, not Markdown.
pub fn is_html_page_name(doc_id: &str) -> bool {
    std::path::Path::new(doc_id)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The body of an HTML page as Markdown that is one raw HTML block, line for line (so
/// diagnostics keep their lines): the first line opens a `<div>` (a block Markdown leaves
/// alone until a blank line) and blank lines become empty comments, so the block does not
/// end and indented HTML is not read as code.
pub fn html_page_body(body: &str) -> String {
    let mut text = String::with_capacity(body.len() + 64);
    let mut opened = false;
    for line in body.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if !opened && blank {
            text.push_str(line);
            continue;
        }
        if !opened {
            text.push_str("<div class=\"html-page\">");
            opened = true;
        } else if blank {
            text.push_str("<!-- -->");
        }
        text.push_str(line);
    }
    if opened {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("</div>\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_highlight_blocks_and_relative_urls() {
        let source = "[x]({{ \"/docs/y/\" | relative_url }})\n{% highlight ruby %}\n{{ kept }}\n{% endhighlight %}\n";
        let (out, found) = scan(source, "");
        assert_eq!(out, "[x](/docs/y/)\n```ruby\n{{ kept }}\n```\n");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn links_are_rewritten_and_the_rest_reported() {
        let source = "[a]({{ site.baseurl }}/docs/) [b]({% link _docs/x.md %}) \
                      [c]({% post_url 2010-07-21-name %}) [d]({{< ref \"/blog/p.md\" >}}) \
                      [e]({{< relref \"q.md#x\" >}})\n\
                      {% raw %}{{ kept }}{% endraw %} `{{ code }}` {% include note.html %}\n\
                      ```\n{{ in_fence }}\n```\n\
                      {{ youtube(id=\"x\") }} {{< figure src=\"a.png\" >}} {{ page.title | upcase }}\n";
        let (out, found) = scan(source, "");
        assert_eq!(
            out,
            "[a](/docs/) [b](@link/_docs/x.md) [c](@post/2010-07-21-name) [d](@/blog/p.md) \
             [e](q.md#x)\n{{ kept }} `{{ code }}` {% include note.html %}\n```\n{{ in_fence }}\n```\n\
             {{ youtube(id=\"x\") }} {{< figure src=\"a.png\" >}} {{ page.title | upcase }}\n"
        );
        let constructs: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|f| (f.construct.as_str(), f.line, f.column))
            .collect();
        assert_eq!(
            constructs,
            [
                ("Liquid tag `{% include %}`", 1, 46),
                ("Zola shortcode `{{ youtube(...) }}`", 5, 1),
                ("Hugo shortcode `{{< figure >}}`", 5, 23),
                ("Liquid variable `{{ page.title }}`", 5, 50),
            ]
        );
    }

    #[test]
    fn a_hugo_closing_tag_is_named_the_same_however_it_is_spaced() {
        let (_, found) = scan("{{< toggle >}}\nx\n{{</ toggle >}}\n{{< /toggle >}}\n", "");
        let constructs: Vec<&str> = found.iter().map(|f| f.construct.as_str()).collect();
        assert_eq!(
            constructs,
            [
                "Hugo shortcode `{{< toggle >}}`",
                "Hugo shortcode `{{< /toggle >}}`",
                "Hugo shortcode `{{< /toggle >}}`",
            ]
        );
    }
}
