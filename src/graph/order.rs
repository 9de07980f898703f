//! Which folders are sections or bundles, the order of children, and previous/next links.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::{Node, Page, PageId, SectionId, Site};
use crate::content::{Date, SectionKind};

/// The order of a page or section among its siblings: `weight`, then a number prefix in the
/// file name, then date, then title, then the path as a last, always-unique tie-break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    weight: Option<i64>,
    prefix: Option<u64>,
    date: Option<Date>,
    title: String,
    tie_break: String,
}

impl SortKey {
    pub fn new(
        weight: Option<i64>,
        prefix: Option<u64>,
        date: Option<Date>,
        title: &str,
        tie_break: &str,
    ) -> Self {
        Self {
            weight,
            prefix,
            date,
            title: title.to_lowercase(),
            tie_break: tie_break.to_string(),
        }
    }

    fn reading_order(&self, other: &Self) -> Ordering {
        // `Some` sorts before `None`: ordered items first, the rest after them.
        fn some_first<T: Ord>(a: Option<&T>, b: Option<&T>) -> Ordering {
            match (a, b) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        some_first(self.weight.as_ref(), other.weight.as_ref())
            .then_with(|| some_first(self.prefix.as_ref(), other.prefix.as_ref()))
            .then_with(|| some_first(self.date.as_ref(), other.date.as_ref()))
            .then_with(|| self.title.cmp(&other.title))
            .then_with(|| self.tie_break.cmp(&other.tie_break))
    }

    fn newest_first(&self, other: &Self) -> Ordering {
        match (self.date, other.date) {
            (Some(a), Some(b)) => b.cmp(&a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| self.title.cmp(&other.title))
        .then_with(|| self.tie_break.cmp(&other.tie_break))
    }
}

/// Orders two pages newest first (for blogs, feeds and term pages).
pub fn newest_first(a: &Page, b: &Page) -> Ordering {
    a.sort.newest_first(&b.sort)
}

/// How the content folder's Markdown files map onto sections and bundles.
pub struct Layout {
    sections: BTreeSet<String>,
    bundles: BTreeSet<String>,
    index_files: BTreeMap<String, String>,
}

const INDEX_NAMES: [&str; 3] = ["_index.md", "index.md", "README.md"];

/// For a folder with no index of its own, the Markdown file of the same name beside it
/// (`total-rewards.md` for `total-rewards/`): in GitHub-style trees that file is the
/// folder's page, and both would otherwise claim one URL.
fn file_beside(direct: &BTreeMap<&str, Vec<&str>>, folder: &str) -> Option<String> {
    if folder.is_empty() {
        return None;
    }
    let parent = super::parent_folder(folder);
    let name = folder.rsplit('/').next().unwrap_or(folder);
    let file = direct.get(parent)?.iter().find(|file| {
        crate::source::is_markdown(file)
            && file.rsplit_once('.').is_some_and(|(stem, _)| stem == name)
    })?;
    Some(if parent.is_empty() {
        (*file).to_string()
    } else {
        format!("{parent}/{file}")
    })
}

impl Layout {
    /// `docs` are content-relative Markdown paths; `folders` every content folder.
    pub fn new<'a>(docs: impl Iterator<Item = &'a str>, folders: &[String]) -> Self {
        let mut direct: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut has_markdown_below: BTreeSet<&str> = BTreeSet::new();
        for doc in docs {
            let folder = super::parent_folder(doc);
            direct.entry(folder).or_default().push(
                &doc[if folder.is_empty() {
                    0
                } else {
                    folder.len() + 1
                }..],
            );
            let mut up = folder;
            // Stop at the first folder already known: everything above it is known too.
            while has_markdown_below.insert(up) && !up.is_empty() {
                up = super::parent_folder(up);
            }
        }
        let mut layout = Layout {
            sections: BTreeSet::new(),
            bundles: BTreeSet::new(),
            index_files: BTreeMap::new(),
        };
        // Folders with a subfolder that holds Markdown, found once rather than by scanning
        // every folder for each folder (which cost 10% of a rebuild at 1,300 folders).
        let with_markdown_subfolder: BTreeSet<&str> = has_markdown_below
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| super::parent_folder(f))
            .collect();
        let mut all_folders: BTreeSet<&str> = folders.iter().map(String::as_str).collect();
        all_folders.insert("");
        for folder in all_folders {
            if !has_markdown_below.contains(folder) {
                continue;
            }
            let names = direct.get(folder).map(Vec::as_slice).unwrap_or_default();
            let has = |n: &str| {
                names.iter().any(|x| {
                    x.eq_ignore_ascii_case(n)
                        && (n != "README.md" || x.eq_ignore_ascii_case("readme.md"))
                })
            };
            let subfolder_markdown = with_markdown_subfolder.contains(folder);
            let index_name = INDEX_NAMES.iter().find(|n| has(n)).copied();
            let is_bundle = !folder.is_empty()
                && !has("_index.md")
                && index_name.is_some()
                && names.len() == 1
                && !subfolder_markdown;
            let join = |name: &str| {
                let actual = names
                    .iter()
                    .find(|x| x.eq_ignore_ascii_case(name))
                    .copied()
                    .unwrap_or(name);
                if folder.is_empty() {
                    actual.to_string()
                } else {
                    format!("{folder}/{actual}")
                }
            };
            if is_bundle {
                layout.bundles.insert(folder.to_string());
            } else {
                layout.sections.insert(folder.to_string());
                if let Some(name) = index_name {
                    layout.index_files.insert(folder.to_string(), join(name));
                } else if let Some(beside) = file_beside(&direct, folder) {
                    layout.index_files.insert(folder.to_string(), beside);
                }
            }
        }
        layout
    }

    /// Section folders, parents before children.
    pub fn section_folders(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(String::as_str)
    }

    pub fn is_bundle(&self, folder: &str) -> bool {
        self.bundles.contains(folder)
    }

    /// The Markdown file that is a section folder's own page.
    pub fn index_of(&self, folder: &str) -> Option<&str> {
        self.index_files.get(folder).map(String::as_str)
    }
}

pub(super) fn sort_children(site: &mut Site) {
    for index in 0..site.sections.len() {
        let mut children = std::mem::take(&mut site.sections[index].children);
        let dated = site.sections[index].kind.is_dated();
        let key = |node: &Node| match *node {
            Node::Page(p) => &site.pages[site.page_position(p)].sort,
            Node::Section(s) => &site.sections[site.section_position(s)].sort,
        };
        children.sort_by(|a, b| {
            if dated {
                key(a).newest_first(key(b))
            } else {
                key(a).reading_order(key(b))
            }
        });
        site.sections[index].children = children;
    }
}

/// Previous/next: through the whole course for lessons, tree order for handbooks,
/// older/newer for dated sections, neighbours in order elsewhere.
pub(super) fn link_neighbours(site: &mut Site) {
    for index in 0..site.sections.len() {
        let section = &site.sections[index];
        let id = section.id();
        let sequence: Vec<Node> =
            if section.kind == SectionKind::Course && section.course == Some(id) {
                let mut lessons = Vec::new();
                flatten(site, id, false, &mut lessons);
                lessons
            } else if section.kind == SectionKind::Handbook && section.handbook == Some(id) {
                let mut nodes = vec![Node::Section(id)];
                flatten(site, id, true, &mut nodes);
                nodes
            } else if section.course.is_some() || section.handbook.is_some() {
                continue; // covered by the enclosing course or handbook
            } else {
                section.pages().map(Node::Page).collect()
            };
        // For dated sections the list is newest first; "previous" is the older post.
        let dated = section.kind.is_dated();
        for (i, node) in sequence.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| sequence[j]);
            let after = sequence.get(i + 1).copied();
            let (prev, next) = if dated {
                (after, before)
            } else {
                (before, after)
            };
            match *node {
                Node::Page(p) => {
                    let page = site.page_mut(p);
                    page.prev = prev;
                    page.next = next;
                }
                Node::Section(s) => {
                    let section = site.section_mut(s);
                    section.prev = prev;
                    section.next = next;
                }
            }
        }
    }
}

fn flatten(site: &Site, section: SectionId, include_sections: bool, out: &mut Vec<Node>) {
    for node in site.section(section).children() {
        match *node {
            Node::Page(_) => out.push(*node),
            Node::Section(child) => {
                if include_sections {
                    out.push(*node);
                }
                flatten(site, child, include_sections, out);
            }
        }
    }
}

/// Every section and page under `section`, in reading order.
pub(super) fn flatten_nodes(site: &Site, section: SectionId, out: &mut Vec<Node>) {
    flatten(site, section, true, out);
}

/// Every page under `section`, in reading order.
pub fn pages_under(site: &Site, section: SectionId) -> Vec<PageId> {
    let mut nodes = Vec::new();
    flatten(site, section, false, &mut nodes);
    nodes
        .into_iter()
        .filter_map(|n| match n {
            Node::Page(p) => Some(p),
            Node::Section(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_then_prefix_then_title() {
        let a = SortKey::new(Some(2), None, None, "B", "b");
        let b = SortKey::new(Some(1), Some(9), None, "Z", "z");
        let c = SortKey::new(None, Some(1), None, "Y", "y");
        let d = SortKey::new(None, None, None, "A", "a");
        let mut keys = [&d, &c, &a, &b];
        keys.sort_by(|x, y| x.reading_order(y));
        let titles: Vec<_> = keys.iter().map(|k| k.title.as_str()).collect();
        assert_eq!(titles, ["z", "b", "y", "a"]);
    }

    #[test]
    fn layout_tells_sections_from_bundles() {
        let docs = [
            "_index.md",
            "blog/_index.md",
            "blog/a.md",
            "lesson/index.md",
            "handbook/tools/README.md",
            "handbook/tools/editor.md",
            "handbook/lonely/README.md",
            "plain/x.md",
        ];
        let folders: Vec<String> = [
            "blog",
            "lesson",
            "lesson/img",
            "handbook",
            "handbook/tools",
            "handbook/lonely",
            "plain",
        ]
        .map(String::from)
        .to_vec();
        let layout = Layout::new(docs.iter().copied(), &folders);
        let sections: Vec<_> = layout.section_folders().collect();
        assert_eq!(
            sections,
            ["", "blog", "handbook", "handbook/tools", "plain"]
        );
        assert!(layout.is_bundle("lesson"));
        assert!(layout.is_bundle("handbook/lonely"));
        assert_eq!(
            layout.index_of("handbook/tools"),
            Some("handbook/tools/README.md")
        );
        assert_eq!(layout.index_of("handbook"), None);
        assert_eq!(layout.index_of(""), Some("_index.md"));
    }
}
