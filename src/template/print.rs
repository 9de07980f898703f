//! The view of a handbook's print page: every section and page of the handbook, in reading
//! order, with its rendered content, for one long page to print or save as PDF.

use std::borrow::Cow;

use serde_json::{Value, json};

use super::views::ViewSource;
use crate::graph::{Node, SectionId};

impl ViewSource<'_> {
    /// The `handbook` variable of `handbook-print.html`.
    pub fn handbook_print(&self, handbook: SectionId) -> Value {
        let site = self.site;
        let top = site.section(handbook);
        let depth_of = |section: SectionId| site.ancestry(section).len();
        let top_depth = depth_of(handbook);
        let entry = |node: Node| -> Value {
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
                        Cow::Borrowed(self.sections[s.0].html.as_str()),
                        depth_of(s) - top_depth,
                        section
                            .meta()
                            .map_or_else(|| json!({}), |m| Value::Object(m.fields.clone())),
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
            json!({
                "title": title,
                "url": site.url(url_path),
                "anchor": anchor,
                "content": content,
                "depth": depth,
                "level": (depth + 1).min(6),
                "fields": fields,
                "is_section": is_section,
            })
        };
        let entries: Vec<Value> = crate::graph::handbook_pages(site, handbook)
            .into_iter()
            .map(entry)
            .collect();
        json!({
            "title": top.title,
            "url": site.url(&top.url_path),
            "print_url": site.url(&format!("{}print/", top.url_path)),
            "content": self.sections[handbook.0].html,
            "entries": entries,
        })
    }
}
