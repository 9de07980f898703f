//! The view of a handbook's print page: every section and page of the handbook, in reading
//! order, with its rendered content, for one long page to print or save as PDF. Also the
//! id scoping that both print pages (handbook and course) apply to each page they join.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::views::ViewSource;
use crate::graph::{Node, SectionId};

/// `handbook` of `handbook-print.html` (typed, as `CONTRACT.md` documents it; fields in the
/// order templates have always received them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct HandbookPrint<'a> {
    pub title: &'a str,
    pub url: String,
    pub print_url: String,
    /// HTML of the handbook's index.
    pub content: &'a str,
    /// In reading order.
    pub entries: Vec<PrintEntry<'a>>,
}

/// One section or page of a handbook's print page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrintEntry<'a> {
    pub title: &'a str,
    pub url: String,
    /// HTML, its ids prefixed with `anchor` and `--`.
    pub content: String,
    /// An id unique in the print page.
    pub anchor: String,
    /// 1 for the handbook's direct children.
    pub depth: usize,
    pub level: usize,
    pub fields: Value,
    pub is_section: bool,
}

impl ViewSource<'_> {
    /// The `handbook` variable of `handbook-print.html`.
    pub fn handbook_print(&self, handbook: SectionId) -> HandbookPrint<'_> {
        let site = self.site;
        let top = site.section(handbook);
        let depth_of = |section: SectionId| site.ancestry(section).len();
        let top_depth = depth_of(handbook);
        let entry = |node: Node| -> PrintEntry<'_> {
            let (title, url_path, content, depth, fields, is_section) = match node {
                Node::Page(p) => {
                    let page = site.page(p);
                    (
                        &page.title,
                        &page.url_path,
                        self.page_html(p),
                        depth_of(page.section) + 1 - top_depth,
                        Value::Object(page.doc.meta.fields.clone()),
                        false,
                    )
                }
                Node::Section(s) => {
                    let section = site.section(s);
                    (
                        &section.title,
                        &section.url_path,
                        Cow::Borrowed(self.section_rendered(s).html.as_str()),
                        depth_of(s) - top_depth,
                        section.meta().map_or_else(
                            || Value::Object(serde_json::Map::new()),
                            |m| Value::Object(m.fields.clone()),
                        ),
                        true,
                    )
                }
            };
            // An id for the entry's heading, unique in the print page: its URL path.
            let anchor = format!(
                "p-{}",
                url_path
                    .trim_matches('/')
                    .replace('/', "-")
                    .trim_start_matches('-')
            );
            PrintEntry {
                title,
                url: site.url(url_path),
                content: scope_ids(&content, &anchor),
                anchor,
                depth,
                level: (depth + 1).min(6),
                fields,
                is_section,
            }
        };
        let entries: Vec<PrintEntry<'_>> = site
            .handbook_pages(handbook)
            .into_iter()
            .map(entry)
            .collect();
        HandbookPrint {
            title: &top.title,
            url: site.url(&top.url_path),
            print_url: site.url(&format!("{}print/", top.url_path)),
            content: &self.section_rendered(handbook).html,
            entries,
        }
    }
}

/// Attributes whose value names ids of the same page (one id, a same-page link, or a
/// space-separated list of ids), as they follow the space before them.
const ID_ATTRIBUTES: [(&str, IdValue); 7] = [
    ("id=\"", IdValue::One),
    ("href=\"#", IdValue::One),
    ("for=\"", IdValue::One),
    ("headers=\"", IdValue::List),
    ("aria-labelledby=\"", IdValue::List),
    ("aria-describedby=\"", IdValue::List),
    ("aria-controls=\"", IdValue::List),
];

#[derive(Clone, Copy)]
enum IdValue {
    One,
    List,
}

/// Prefixes every id defined in `html`, and every reference to one from the same page
/// (`href="#…"`, `for`, `headers`, `aria-*`), with `prefix--`. A print page joins many pages
/// whose ids repeat (each lesson has its `#setup` heading and its footnote `1`); scoped,
/// the ids stay unique and each page's own links and labels still find their targets.
/// The double hyphen keeps scoped ids apart from the print template's own
/// (`lesson-2-title`). Only markup is rewritten: text cannot hold `id="` (its quotes are
/// escaped).
///
/// Every print page's view runs this over every lesson, in warm builds too (the view is
/// hashed), so it scans bytes: a first version that searched each tag for each attribute
/// with `str::find` doubled a warm build of 10,000 pages.
pub(crate) fn scope_ids(html: &str, prefix: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // `html[copied..]` is not in `out` yet.
    let mut copied = 0;
    let mut at = 0;
    // Text is skipped to the next tag, and a tag to its next space or end, with `memchr`:
    // most bytes of a page are text, and looking at each one took half of this function.
    while let Some(tag) = memchr::memchr(b'<', &bytes[at..]) {
        at += tag + 1;
        // In a tag: each space may start one of the attributes.
        while let Some(found) = memchr::memchr2(b' ', b'>', &bytes[at..]) {
            at += found + 1;
            if bytes[at - 1] == b'>' {
                break;
            }
            let found = ID_ATTRIBUTES
                .iter()
                .find(|(pattern, _)| bytes[at..].starts_with(pattern.as_bytes()));
            if let Some((pattern, kind)) = found {
                let value_start = at + pattern.len();
                let value_end = memchr::memchr(b'"', &bytes[value_start..])
                    .map_or(bytes.len(), |end| value_start + end);
                out.push_str(&html[copied..value_start]);
                push_scoped(&html[value_start..value_end], *kind, prefix, &mut out);
                copied = value_end;
                at = value_end;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// One attribute value of [`scope_ids`], scoped.
fn push_scoped(value: &str, kind: IdValue, prefix: &str, out: &mut String) {
    match kind {
        IdValue::One if !value.is_empty() => {
            let _ = write!(out, "{prefix}--{value}");
        }
        IdValue::One => {}
        IdValue::List => {
            for (i, id) in value.split_ascii_whitespace().enumerate() {
                let space = if i == 0 { "" } else { " " };
                let _ = write!(out, "{space}{prefix}--{id}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scope_ids;

    #[test]
    fn scopes_ids_and_same_page_references_only() {
        let html = "<h2 id=\"setup\">Set <code>id=&quot;x&quot;</code> up</h2>\n\
                    <p>See <a href=\"#setup\">setup</a>, <a href=\"/other/#setup\">elsewhere</a> \
                    and <a href=\"#\">top</a>.<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n\
                    <label for=\"q1\">A</label><input id=\"q1\" aria-describedby=\"h1 h2\">\n\
                    <div class=\"footnote-definition\" id=\"1\">Note</div> id=\"not-markup\"";
        assert_eq!(
            scope_ids(html, "lesson-2"),
            "<h2 id=\"lesson-2--setup\">Set <code>id=&quot;x&quot;</code> up</h2>\n\
             <p>See <a href=\"#lesson-2--setup\">setup</a>, <a href=\"/other/#setup\">elsewhere</a> \
             and <a href=\"#\">top</a>.<sup class=\"footnote-reference\"><a href=\"#lesson-2--1\">1</a></sup></p>\n\
             <label for=\"lesson-2--q1\">A</label><input id=\"lesson-2--q1\" aria-describedby=\"lesson-2--h1 lesson-2--h2\">\n\
             <div class=\"footnote-definition\" id=\"lesson-2--1\">Note</div> id=\"not-markup\""
        );
    }

    #[test]
    fn leaves_html_without_ids_alone() {
        let html = "<p>Plain <em>text</em> &lt;b id=\"x\"&gt; and an unclosed <a";
        assert_eq!(scope_ids(html, "p-x"), html);
    }
}
