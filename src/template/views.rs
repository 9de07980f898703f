//! View models: the values a template receives, as documented in
//! `themes/default/CONTRACT.md`.
//!
//! Each job gets one view built here from the site graph and the rendered Markdown. Cards
//! (a page as it appears in lists) and the course/handbook trees are built once per build
//! and shared by every job that shows them.

mod blog;
pub mod cards;
pub mod course;
mod json_ld;
pub mod listing;
pub mod page;
pub mod progress;
pub mod site;

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::config::Config;
use crate::content::{Date, SectionKind, format_duration};
use crate::graph::reads::{self, Read, SiteReads};
use crate::graph::{Node, PageId, SectionId, Site};
use crate::markdown::{PackedHtml, Rendered, reading_minutes};
use crate::template::shared::{PartLookup, SharedPart};

/// Handbooks with more pages than this show each page a pruned sidebar tree.
pub const PRUNE_TREES_OVER: usize = 200;

/// The parts of a [`ViewSource`] computed for the whole site up front (cards and trees),
/// kept by `serve` between rebuilds so a rebuild that changes one page need not redo them.
pub struct ViewParts {
    cards: Vec<SharedPart>,
    section_cards: Vec<SharedPart>,
    trees: HashMap<SectionId, SharedPart>,
    pruned_trees: HashMap<SectionId, SharedPart>,
}

impl ViewParts {
    /// Lays the page cards out as the pages of `new` are, each page keeping its card by
    /// id from `old`, the graph the parts were made for (cards are indexed like
    /// `Site::pages`). A new page gets an empty card, for [`ViewSource::refresh_card`] to
    /// build.
    pub fn follow_pages(&mut self, old: &Site, new: &Site) {
        let empty = SharedPart::new(Value::Null);
        // Moved, not cloned: each old card goes to at most one new page.
        let mut old_cards: Vec<Option<SharedPart>> = std::mem::take(&mut self.cards)
            .into_iter()
            .map(Some)
            .collect();
        self.cards = new
            .pages
            .iter()
            .map(|page| {
                old.find_page(page.id())
                    .and_then(|at| old_cards.get_mut(at)?.take())
                    .unwrap_or_else(|| empty.clone())
            })
            .collect();
    }

    /// No parts; a placeholder while the real ones are lent to a [`ViewSource`].
    pub fn empty() -> Self {
        ViewParts {
            cards: Vec::new(),
            section_cards: Vec::new(),
            trees: HashMap::new(),
            pruned_trees: HashMap::new(),
        }
    }
}

/// Everything views are built from, for one build.
pub struct ViewSource<'a> {
    pub config: &'a Config,
    /// The site, read through the recording accessors only.
    pub site: SiteReads<'a>,
    /// Rendered Markdown per page, indexed like `site.pages`; read through
    /// [`ViewSource::rendered`] and [`ViewSource::page_html`], which record the read.
    pages: &'a [Rendered],
    /// Rendered index Markdown per section, indexed like `site.sections`; read through
    /// [`ViewSource::section_rendered`], which records the read.
    sections: &'a [Rendered],
    cards: Vec<SharedPart>,
    section_cards: Vec<SharedPart>,
    trees: HashMap<SectionId, SharedPart>,
    /// For handbooks too big to repeat whole on every page: the tree as seen from each of
    /// their sections, expanded only along the path to it.
    pruned_trees: HashMap<SectionId, SharedPart>,
    /// The date journeys measure elapsed and remaining time from.
    pub build_date: Date,
    /// Pages' HTML, indexed like `site.pages`, when `build` keeps it apart from `pages`,
    /// compressed.
    packed_html: Option<Vec<PackedHtml>>,
}

/// How the caller runs independent work on its threads: `template/` has no thread pool of
/// its own (rayon is `build/`'s, DESIGN's module ownership).
pub trait Parallel: Sync {
    /// `make(0)`, ..., `make(len - 1)`, in order, computed in any order on any thread.
    fn parts(&self, len: usize, make: &(dyn Fn(usize) -> SharedPart + Sync)) -> Vec<SharedPart>;
}

impl<'a> ViewSource<'a> {
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        pages: &'a [Rendered],
        sections: &'a [Rendered],
        build_date: Date,
        parallel: &dyn Parallel,
    ) -> Self {
        let mut source = Self::with_parts(
            config,
            site,
            pages,
            sections,
            build_date,
            ViewParts::empty(),
        );
        let cards = parallel.parts(site.pages.len(), &|i| {
            SharedPart::new(source.build_card(site.pages[i].id()))
        });
        let section_cards = parallel.parts(site.sections.len(), &|i| {
            SharedPart::new(source.build_section_card(site.sections[i].id()))
        });
        source.cards = cards;
        source.section_cards = section_cards;
        for section in &site.sections {
            let id = section.id();
            if section.course == Some(id) || section.handbook == Some(id) {
                let tree = source.tree(id, None);
                source.trees.insert(id, SharedPart::new(tree));
            }
        }
        // A handbook's whole tree on each of its pages makes every page grow with the
        // handbook, and the site with its square (250 KB a page at 1,000 pages). Past
        // PRUNE_TREES_OVER pages each page gets the top level plus the branch it sits in;
        // the other branches are links to their section pages.
        let mut handbook_sizes: HashMap<SectionId, usize> = HashMap::new();
        for section in &site.sections {
            let Some(handbook) = section.handbook else {
                continue;
            };
            let handbook_pages = *handbook_sizes
                .entry(handbook)
                .or_insert_with(|| crate::graph::pages_under(site, handbook).len());
            if handbook_pages <= PRUNE_TREES_OVER {
                continue;
            }
            let open: std::collections::HashSet<SectionId> =
                site.ancestry(section.id()).into_iter().collect();
            let tree = source.tree(handbook, Some(&open));
            source
                .pruned_trees
                .insert(section.id(), SharedPart::new(tree));
        }
        source
    }

    /// A view source for `site` made from the parts of an earlier one built for the same
    /// graph; the caller is responsible for refreshing the cards of pages that changed
    /// ([`ViewSource::refresh_card`]).
    pub fn with_parts(
        config: &'a Config,
        site: &'a Site,
        pages: &'a [Rendered],
        sections: &'a [Rendered],
        build_date: Date,
        parts: ViewParts,
    ) -> Self {
        ViewSource {
            config,
            site: SiteReads::new(site),
            pages,
            sections,
            cards: parts.cards,
            section_cards: parts.section_cards,
            trees: parts.trees,
            pruned_trees: parts.pruned_trees,
            build_date,
            packed_html: None,
        }
    }

    /// Reads pages' HTML from `packed` (indexed like `site.pages`) instead of `pages`.
    #[must_use]
    pub fn with_packed_html(mut self, packed: Vec<PackedHtml>) -> Self {
        self.packed_html = Some(packed);
        self
    }

    /// Where page `id` is in the tables indexed like `Site::pages`.
    fn page_at(&self, id: PageId) -> usize {
        self.site.unrecorded().page_position(id)
    }

    /// Where section `id` is in the tables indexed like `Site::sections`.
    fn section_at(&self, id: SectionId) -> usize {
        self.site.unrecorded().section_position(id)
    }

    /// The HTML of page `id`; every view reads it through here, never from `pages`.
    pub fn page_html(&self, id: PageId) -> Cow<'_, str> {
        reads::note(Read::PageBody(id));
        let at = self.page_at(id);
        match &self.packed_html {
            Some(packed) => Cow::Owned(packed[at].unpack()),
            None => Cow::Borrowed(&self.pages[at].html),
        }
    }

    /// A page's rendered Markdown (its HTML aside: [`ViewSource::page_html`]); records the
    /// read ([`Read::PageBody`]).
    pub fn rendered(&self, id: PageId) -> &crate::markdown::Rendered {
        reads::note(Read::PageBody(id));
        &self.pages[self.page_at(id)]
    }

    /// A section's rendered Markdown (its index file's body); every view reads it through
    /// here, never from `sections`. Records the read ([`Read::SectionBody`]).
    pub fn section_rendered(&self, id: SectionId) -> &crate::markdown::Rendered {
        reads::note(Read::SectionBody(id));
        &self.sections[self.section_at(id)]
    }

    /// The site-wide parts, to build the next view source from.
    pub fn into_parts(self) -> ViewParts {
        ViewParts {
            cards: self.cards,
            section_cards: self.section_cards,
            trees: self.trees,
            pruned_trees: self.pruned_trees,
        }
    }

    /// Whether the card of `id`, built again from the current page and rendered Markdown,
    /// differs from the one held.
    pub fn card_changed(&self, id: PageId) -> bool {
        self.build_card(id) != *self.cards[self.page_at(id)].json()
    }

    /// Builds the card of `id` again from the current page and rendered Markdown; true if
    /// it differs from the card it replaces.
    pub fn refresh_card(&mut self, id: PageId) -> bool {
        let card = self.build_card(id);
        let at = self.page_at(id);
        let changed = *self.cards[at].json() != card;
        if changed {
            self.cards[at] = SharedPart::new(card);
        }
        changed
    }

    /// Builds every section card and course or handbook tree again (they sum up what lies
    /// below them, so any page can change them) and returns those whose value changed.
    pub fn refresh_sections(&mut self) -> Vec<Read> {
        let mut changed = Vec::new();
        for i in 0..self.section_cards.len() {
            let id = self.site.unrecorded().sections[i].id();
            let card = self.build_section_card(id);
            if *self.section_cards[i].json() != card {
                changed.push(Read::SectionCard(id));
                self.section_cards[i] = SharedPart::new(card);
            }
        }
        // In any order: each is compared with its last value alone.
        let tops: Vec<SectionId> = self.trees.keys().copied().collect();
        for top in tops {
            let tree = self.tree(top, None);
            if self.trees.get(&top).map(SharedPart::json) != Some(&tree) {
                changed.push(Read::Tree(top));
                self.trees.insert(top, SharedPart::new(tree));
            }
        }
        let pruned: Vec<SectionId> = self.pruned_trees.keys().copied().collect();
        for section in pruned {
            let Some(handbook) = self.site.section(section).handbook else {
                continue;
            };
            let open: std::collections::HashSet<SectionId> =
                self.site.ancestry(section).into_iter().collect();
            let tree = self.tree(handbook, Some(&open));
            if self.pruned_trees.get(&section).map(SharedPart::json) != Some(&tree) {
                changed.push(Read::PrunedTree(section));
                self.pruned_trees.insert(section, SharedPart::new(tree));
            }
        }
        changed
    }

    fn url(&self, url_path: &str) -> String {
        self.site.url(url_path)
    }

    fn permalink(&self, url_path: &str) -> String {
        let url = format!(
            "{}{url_path}",
            self.config
                .base_url
                .trim_end_matches(self.config.base_path())
                .trim_end_matches('/')
        )
        .replace("://", "\u{0}")
        .replace("//", "/")
        .replace('\u{0}', "://");
        escape_url(&url)
    }

    /// Absolute URL of a site-relative path (with the base path).
    pub fn absolute(&self, url_path: &str) -> String {
        escape_url(&format!("{}{url_path}", self.config.base_url))
    }

    fn link(&self, node: Option<Node>) -> Option<progress::Link<'_>> {
        node.map(|n| progress::Link {
            title: self.site.node_title(n),
            url: self.url(self.site.node_url_path(n)),
        })
    }

    /// A page's `terms` and `tags` (its terms of the `tags` taxonomy).
    fn terms(&self, page: PageId) -> (page::Terms<'_>, Vec<page::TermLink<'_>>) {
        let meta = &self.site.page(page).doc.meta;
        let mut all = Vec::new();
        // Taxonomies' names come from the config; each term shown is read on its own.
        for (t, taxonomy) in self.site.taxonomy_list() {
            let Some(names) = meta.terms.get(taxonomy.name) else {
                continue;
            };
            let items: Vec<page::TermLink<'_>> = names
                .iter()
                .filter_map(|name| {
                    let slug = crate::content::term_slug(name);
                    self.site.term_by_slug(t, &slug).map(|t| page::TermLink {
                        name,
                        url: self.url(&t.url_path),
                    })
                })
                .collect();
            all.push((taxonomy.name.as_str(), items));
        }
        let tags = all
            .iter()
            .find(|(name, _)| *name == "tags")
            .map(|(_, items)| items.clone())
            .unwrap_or_default();
        (page::Terms(all), tags)
    }

    fn build_card(&self, id: PageId) -> Value {
        listing::to_json(&self.typed_card(id))
    }

    /// A page's card; [`Self::card_extras`] adds what progress blogs show.
    fn typed_card(&self, id: PageId) -> cards::Card<'_> {
        let page = self.site.page(id);
        let rendered = self.rendered(id);
        let (_, tags) = self.terms(id);
        let meta = &page.doc.meta;
        let mut card = cards::Card {
            kind: page.kind.name(),
            title: &page.title,
            url: self.url(&page.url_path),
            permalink: self.absolute(&page.url_path),
            description: meta.description.as_deref(),
            summary: rendered.summary_html.as_deref(),
            date: page.date.map(|d| d.iso_date()),
            date_display: page.date.map(|d| d.display()),
            reading_minutes: reading_minutes(rendered.word_count),
            tags,
            authors: &meta.authors,
            duration: meta.duration_minutes.map(format_duration),
            duration_minutes: meta.duration_minutes,
            fields: Some(&meta.fields),
            is_section: false,
            ..cards::Card::default()
        };
        self.card_extras(id, &mut card);
        card
    }

    fn build_section_card(&self, id: SectionId) -> Value {
        let section = self.site.section(id);
        let meta = section.meta();
        let duration = self.site.duration_minutes(id);
        let is_course_part = matches!(section.kind, SectionKind::Course | SectionKind::Module);
        listing::to_json(&cards::SectionCard {
            kind: section.kind.name(),
            title: &section.title,
            url: self.url(&section.url_path),
            description: meta.and_then(|m| m.description.as_deref()),
            page_count: self.site.pages_under(id).len(),
            duration: duration.map(format_duration),
            lesson_count: is_course_part.then(|| self.site.lesson_count(id)),
            fields: page::FrontMatter(meta.map(|m| &m.fields)),
            is_section: true,
        })
    }

    /// The shared part `read` names, recorded as read: the one boundary through which
    /// views take cards and trees (the site itself they read through [`SiteReads`]).
    fn shared_part(&self, read: Read) -> Option<&SharedPart> {
        reads::note(read);
        self.part(read)
    }

    /// A page as lists show it, to read from.
    pub fn card(&self, id: PageId) -> &Value {
        self.shared_part(Read::Card(id))
            .map_or(&Value::Null, SharedPart::json)
    }

    /// A page's card to put in a view: a reference the job's context resolves
    /// ([`crate::template::shared`]).
    pub fn card_in_view(&self, id: PageId) -> Value {
        self.part_in_view(Read::Card(id))
    }

    /// The part `read` names, as a reference to put in a view (`null` if there is none).
    fn part_in_view(&self, read: Read) -> Value {
        self.shared_part(read)
            .map_or(Value::Null, |part| part.reference(read))
    }

    /// The whole tree of a course or handbook, to put in a view.
    fn tree_of(&self, top: SectionId) -> Value {
        self.shared_part(Read::Tree(top)).map_or_else(
            || Value::Array(Vec::new()),
            |tree| tree.reference(Read::Tree(top)),
        )
    }

    /// The tree of `handbook` as a page in `section` shows it, to put in a view: pruned to
    /// the branch the section is in when the handbook is large.
    fn handbook_tree(&self, handbook: SectionId, section: SectionId) -> Value {
        if let Some(tree) = self.shared_part(Read::PrunedTree(section)) {
            return tree.reference(Read::PrunedTree(section));
        }
        self.tree_of(handbook)
    }

    /// A section as lists show it, with counts and durations of what it holds; to read from.
    fn section_card(&self, id: SectionId) -> &Value {
        self.shared_part(Read::SectionCard(id))
            .map_or(&Value::Null, SharedPart::json)
    }

    /// A section's card to put in a view.
    fn section_card_in_view(&self, id: SectionId) -> Value {
        self.part_in_view(Read::SectionCard(id))
    }

    /// The entries below `id`; with `open`, only sections in that set list their children.
    fn tree(&self, id: SectionId, open: Option<&std::collections::HashSet<SectionId>>) -> Value {
        listing::to_json(&self.tree_entries(id, open))
    }

    fn tree_entries(
        &self,
        id: SectionId,
        open: Option<&std::collections::HashSet<SectionId>>,
    ) -> Vec<cards::TreeEntry<'_>> {
        self.site
            .section(id)
            .children()
            .iter()
            .map(|node| match *node {
                Node::Page(p) => {
                    let page = self.site.page(p);
                    cards::TreeEntry {
                        title: &page.title,
                        url: self.url(&page.url_path),
                        is_section: false,
                        duration: page.doc.meta.duration_minutes.map(format_duration),
                        children: Vec::new(),
                    }
                }
                Node::Section(s) => {
                    let section = self.site.section(s);
                    cards::TreeEntry {
                        title: &section.title,
                        url: self.url(&section.url_path),
                        is_section: true,
                        duration: self.site.duration_minutes(s).map(format_duration),
                        children: if open.is_none_or(|o| o.contains(&s)) {
                            self.tree_entries(s, open)
                        } else {
                            Vec::new()
                        },
                    }
                }
            })
            .collect()
    }

    fn course_and_handbook(
        &self,
        section: SectionId,
    ) -> (Option<page::CourseInfo<'_>>, Option<page::HandbookInfo<'_>>) {
        let s = self.site.section(section);
        let course = s.course.map(|c| self.course_info(c));
        let handbook = s.handbook.map(|h| {
            let hs = self.site.section(h);
            page::HandbookInfo {
                title: &hs.title,
                url: self.url(&hs.url_path),
                tree: self.handbook_tree(h, section),
                print_url: self.url(&format!("{}print/", hs.url_path)),
            }
        });
        (course, handbook)
    }

    /// The `course` object of everything inside course `c`.
    fn course_info(&self, c: SectionId) -> page::CourseInfo<'_> {
        let cs = self.site.section(c);
        let (print_url, instructor_url, certificate_url) = self.course_links(c);
        page::CourseInfo {
            title: &cs.title,
            url: self.url(&cs.url_path),
            // From the course's card, which holds the sum of its lessons: a view that
            // shows the total then depends on the total, not on every lesson.
            duration: self.section_card(c)["duration"]
                .as_str()
                .map(str::to_string),
            lesson_count: self.site.lesson_count(c),
            outline: self.tree_of(c),
            print_url,
            instructor_url,
            certificate_url,
        }
    }

    fn ancestors(&self, section: SectionId, include_self: bool) -> Vec<progress::Link<'_>> {
        let mut chain = self.site.ancestry(section);
        if !include_self {
            chain.pop();
        }
        chain
            .into_iter()
            .map(|s| progress::Link {
                title: &self.site.section(s).title,
                url: self.url(&self.site.section(s).url_path),
            })
            .collect()
    }

    /// The `page` variable of a page template.
    pub fn page(&self, id: PageId) -> Value {
        let page = self.site.page(id);
        let rendered = self.rendered(id);
        let meta = &page.doc.meta;
        let (terms, tags) = self.terms(id);
        let section = self.site.section(page.section);
        let (course, handbook) = self.course_and_handbook(page.section);
        let mut view = page::PageView {
            kind: page.kind.name(),
            title: &page.title,
            description: meta.description.as_deref(),
            url: self.url(&page.url_path),
            permalink: self.absolute(&page.url_path),
            date: page.date.map(|d| d.iso_date()),
            date_display: page.date.map(|d| d.display()),
            updated: meta.updated.map(|d| d.iso_date()),
            updated_display: meta.updated.map(|d| d.display()),
            draft: meta.draft,
            content: self.page_html(id),
            summary: rendered.summary_html.as_deref(),
            toc: &rendered.toc,
            title_id: rendered.title_id.as_deref(),
            word_count: rendered.word_count,
            reading_minutes: reading_minutes(rendered.word_count),
            tags,
            terms,
            authors: &meta.authors,
            duration: meta.duration_minutes.map(format_duration),
            duration_minutes: meta.duration_minutes,
            fields: Some(&meta.fields),
            params: Some(&meta.params),
            extra: Some(&meta.extra),
            ancestors: self.ancestors(page.section, true),
            section: page::SectionLink {
                title: &section.title,
                url: self.url(&section.url_path),
                kind: section.kind.name(),
            },
            prev: self.link(page.prev),
            next: self.link(page.next),
            course,
            handbook,
            lesson: self.lesson_view(id),
            last_updated: page.doc.last_updated.map(|d| d.iso_date()),
            last_updated_display: page.doc.last_updated.map(|d| d.display()),
            edit_url: self
                .config
                .edit_url(&page.doc.file)
                .map(|url| crate::markdown::safe_url(&url, false).to_string()),
            search: meta.search && !meta.draft,
            ..page::PageView::default()
        };
        self.page_extras(id, &mut view);
        listing::to_json(&view)
    }

    /// The `section` variable of a section template, for one paginator page.
    pub fn section(
        &self,
        id: SectionId,
        pages: &[PageId],
        pagination: Option<&listing::Pagination>,
    ) -> Value {
        listing::to_json(&self.section_view(id, pages, pagination))
    }

    fn section_view<'s>(
        &'s self,
        id: SectionId,
        pages: &[PageId],
        pagination: Option<&'s listing::Pagination>,
    ) -> page::SectionView<'s> {
        let section = self.site.section(id);
        let rendered = self.section_rendered(id);
        let meta = section.meta();
        let (course, handbook) = self.course_and_handbook(id);
        // A paginated section's children are this paginator page's: its pages, and the
        // subsections on the first page. Listing every child on every paginator page made a
        // blog of 4,000 posts in pages of 20 build 200 views of 4,000 cards each.
        let first_page = pagination.is_none_or(|p| p.current == 1);
        let children: Vec<Value> = if first_page {
            let on_this_page: Option<std::collections::HashSet<PageId>> =
                pagination.map(|_| pages.iter().copied().collect());
            // Every subsection, and the pages on this paginator page.
            section
                .children()
                .iter()
                .filter(|n| match (n, &on_this_page) {
                    (Node::Page(p), Some(set)) => set.contains(p),
                    _ => true,
                })
                .map(|n| match *n {
                    Node::Page(p) => self.card_in_view(p),
                    Node::Section(s) => self.section_card_in_view(s),
                })
                .collect()
        } else {
            // Past the first paginator page the children are its pages alone, which the
            // plan cut from the section's pages in order. Scanning every child for them
            // made each paginator page cost the whole section: the scan was 1.5% of a
            // 100,000-page build's CPU (a blog of 40,000 posts in pages of 20 has 2,000
            // paginator pages), and grew with the square of the blog's size.
            pages.iter().map(|p| self.card_in_view(*p)).collect()
        };
        let last_updated = section.index.as_ref().and_then(|d| d.last_updated);
        let mut view = page::SectionView {
            kind: section.kind.name(),
            title: &section.title,
            description: meta.and_then(|m| m.description.as_deref()),
            url: self.url(&section.url_path),
            permalink: self.absolute(&section.url_path),
            content: &rendered.html,
            toc: &rendered.toc,
            title_id: rendered.title_id.as_deref(),
            fields: page::FrontMatter(meta.map(|m| &m.fields)),
            params: page::FrontMatter(meta.map(|m| &m.params)),
            extra: page::FrontMatter(meta.map(|m| &m.extra)),
            ancestors: self.ancestors(id, false),
            pages: pages.iter().map(|p| self.card_in_view(*p)).collect(),
            subsections: section
                .subsections()
                .map(|s| self.section_card_in_view(s))
                .collect(),
            children,
            pagination,
            duration: self.section_card(id)["duration"]
                .as_str()
                .map(str::to_string),
            lesson_count: self.site.lesson_count(id),
            course,
            handbook,
            feed_url: section
                .kind
                .is_dated()
                .then(|| self.url(&format!("{}atom.xml", section.url_path))),
            prev: self.link(section.prev),
            next: self.link(section.next),
            last_updated: last_updated.map(|d| d.iso_date()),
            last_updated_display: last_updated.map(|d| d.display()),
            edit_url: section
                .index
                .as_ref()
                .and_then(|d| self.config.edit_url(&d.file)),
            search: meta.is_some_and(|m| m.search && !m.draft),
            ..page::SectionView::default()
        };
        self.section_extras(id, &mut view);
        if id == crate::graph::ROOT {
            view.recent = Some(
                self.recent(5)
                    .into_iter()
                    .map(|p| self.card_in_view(p))
                    .collect(),
            );
        }
        view
    }

    /// The newest dated posts across the site.
    pub fn recent(&self, count: usize) -> Vec<PageId> {
        let mut dated: Vec<PageId> = self
            .site
            .page_ids()
            .filter(|p| {
                self.site.page(*p).date.is_some()
                    && self.site.page(*p).kind == crate::content::PageKind::Post
            })
            .collect();
        dated.sort_by(|a, b| crate::graph::newest_first(self.site.page(*a), self.site.page(*b)));
        dated.truncate(count);
        dated
    }

    fn menu_url(&self, url: &str) -> String {
        if url.starts_with('/') && !url.starts_with("//") {
            self.url(url)
        } else {
            crate::markdown::safe_url(url, false).to_string()
        }
    }

    pub fn permalink_of(&self, url_path: &str) -> String {
        self.permalink(url_path)
    }
}

/// An absolute URL as the sitemap protocol and feed readers need it: every byte a URL may
/// not hold raw (non-ASCII, spaces, `<>"` and the like) percent-encoded; `%` itself is left
/// alone (`base_url` is checked to hold only valid escapes, slugs hold none).
pub(crate) fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.as_bytes() {
        if b > b' ' && b < 0x7f && !b"\"<>\\^`{|}".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("%{b:02X}"));
        }
    }
    out
}

impl PartLookup for ViewSource<'_> {
    fn part(&self, read: Read) -> Option<&SharedPart> {
        let site = self.site.unrecorded();
        match read {
            Read::Card(p) => self.cards.get(site.find_page(p)?),
            Read::SectionCard(s) => self.section_cards.get(site.find_section(s)?),
            Read::Tree(s) => self.trees.get(&s),
            Read::PrunedTree(s) => self.pruned_trees.get(&s),
            _ => None,
        }
    }
}
