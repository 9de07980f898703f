//! The site graph: sections, pages, order, URLs, navigation, taxonomies, aliases, assets.
//!
//! Owns the structure of the site and every decision that needs the whole tree: which
//! folders are sections and which are page bundles, what kind each section is, the order of
//! children, URLs, previous/next links, taxonomy terms, where content assets are published,
//! and how a relative link in one page resolves to another. Pure and single-pass over
//! already-parsed documents: no I/O, no Markdown rendering, no templates.
//!
//! Pages and sections are named by ids derived from their documents ([`ids`]), the same
//! in every graph a session assembles; the graph's order is `Site::pages`,
//! `Site::sections` and each section's children, never the ids.

mod blog;
mod handbook;
mod ids;
mod links;
mod order;
pub mod reads;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::{
    Date, PageKind, PageMeta, PermalinkInput, PermalinkPattern, SectionKind, is_reserved_name,
    parse_date, slugify, split_file_stem,
};
use crate::diagnostics::Diagnostic;
use crate::source::SourceFile;

pub use blog::{Journey, Milestone, MilestoneStatus, Sector, Series, journey_of, milestone_of};
pub use handbook::{handbook_pages, stale_reviews};
pub use ids::{DocKey, Ids, Language, PageId, ROOT, SectionId};
pub use order::{SortKey, newest_first, pages_under};

/// One parsed Markdown file, before it has a place in the site.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Content-relative path (`courses/intro/01-why.md`).
    pub doc_id: String,
    /// Site-relative path for messages (`content/courses/intro/01-why.md`).
    pub file: String,
    pub source_path: PathBuf,
    pub meta: PageMeta,
    /// Empty after the Markdown stage of a one-shot build (`build`), which uses bodies up.
    pub body: String,
    pub body_first_line: usize,
    /// Text of the first `# ` heading, for pages without a `title` (`None` when the front
    /// matter has one: only a page without a title looks for its heading).
    pub heading_title: Option<String>,
    /// When the file last changed: its newest git commit, else its modification time.
    pub last_updated: Option<Date>,
    /// The line of each front matter key, for messages about a value.
    pub key_lines: BTreeMap<String, usize>,
}

/// A place in the tree: a page or a section. Ids say which, never where: order nodes by
/// the graph (a section's children, `Site::pages`), not by id ([`ids`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Page(PageId),
    Section(SectionId),
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Content-relative folder (`""` for `content/`).
    pub folder: String,
    /// The section's own page (`_index.md`, or `index.md`/`README.md` in a folder of pages).
    pub index: Option<Doc>,
    pub kind: SectionKind,
    pub title: String,
    /// Site-relative URL path, `/` for the home page, always ending in `/`.
    pub url_path: String,
    pub parent: Option<SectionId>,
    /// Pages and subsections, interleaved in reading order; read through
    /// [`Section::children`], which records the read.
    pub(in crate::graph) children: Vec<Node>,
    /// This section's id, for recording reads of its children.
    id: SectionId,
    /// The nearest course at or above this section.
    pub course: Option<SectionId>,
    /// The topmost handbook section at or above this section.
    pub handbook: Option<SectionId>,
    pub prev: Option<Node>,
    pub next: Option<Node>,
    sort: SortKey,
}

impl Section {
    /// This section's id (by its folder: the same in every graph of a session).
    pub fn id(&self) -> SectionId {
        self.id
    }

    /// Whether two versions of a section agree in everything but their index document and
    /// their children ([`Section::same_children`]). Ids are stable, so nodes compare as
    /// they are: a page added before another does not change it.
    pub fn same_apart_from_index(&self, other: &Section) -> bool {
        self.id == other.id
            && self.folder == other.folder
            && self.kind == other.kind
            && self.title == other.title
            && self.url_path == other.url_path
            && self.parent == other.parent
            && self.course == other.course
            && self.handbook == other.handbook
            && self.prev == other.prev
            && self.next == other.next
            && self.sort == other.sort
    }

    /// Whether two versions of a section list the same pages and subsections in the same
    /// order.
    pub fn same_children(&self, other: &Section) -> bool {
        self.children == other.children
    }

    pub fn meta(&self) -> Option<&PageMeta> {
        self.index.as_ref().map(|d| &d.meta)
    }

    /// Pages and subsections, interleaved in reading order; records the read
    /// ([`reads::Read::SectionChildren`]).
    pub fn children(&self) -> &[Node] {
        reads::note(reads::Read::SectionChildren(self.id));
        &self.children
    }

    /// Pages per list page: `paginate_by`, else 10 for a blog (as Hugo does: a blog of
    /// 1,200 posts on one page weighed 1.3 MB), else all on one page.
    pub fn paginate_by(&self) -> Option<usize> {
        self.meta()
            .and_then(|m| m.paginate_by)
            .or((self.kind == SectionKind::Blog).then_some(DEFAULT_BLOG_PAGE_SIZE))
    }

    pub fn pages(&self) -> impl Iterator<Item = PageId> + '_ {
        self.children().iter().filter_map(|n| match n {
            Node::Page(p) => Some(*p),
            Node::Section(_) => None,
        })
    }

    pub fn subsections(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.children().iter().filter_map(|n| match n {
            Node::Section(s) => Some(*s),
            Node::Page(_) => None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    id: PageId,
    pub doc: Doc,
    pub kind: PageKind,
    pub section: SectionId,
    pub title: String,
    pub url_path: String,
    /// From `date:`, else from a `2025-01-31-` file name prefix.
    pub date: Option<Date>,
    /// The folder of a page bundle.
    pub bundle_folder: Option<String>,
    pub prev: Option<Node>,
    pub next: Option<Node>,
    sort: SortKey,
}

impl Page {
    /// This page's id (by its document: the same in every graph of a session).
    pub fn id(&self) -> PageId {
        self.id
    }

    /// Whether two versions of a page agree in everything but their document.
    pub fn same_apart_from_doc(&self, other: &Page) -> bool {
        self.id == other.id
            && self.kind == other.kind
            && self.section == other.section
            && self.title == other.title
            && self.url_path == other.url_path
            && self.date == other.date
            && self.bundle_folder == other.bundle_folder
            && self.prev == other.prev
            && self.next == other.next
            && self.sort == other.sort
    }
}

/// The identity across builds of something named by a slug or a path: a term, a series, a
/// case-study sector (with its section), an alias (by its URL path). A hash of the name,
/// which (unlike a position in a list) one added before it does not change. Two names that
/// hash alike only make a rebuild check more outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlugKey(u64);

impl SlugKey {
    /// The key as a number (for sorting reads).
    pub fn raw(self) -> u64 {
        self.0
    }

    pub fn of(slug: &str) -> SlugKey {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        slug.hash(&mut hasher);
        SlugKey(hasher.finish())
    }
}

/// A term's key: its slug's ([`SlugKey`]).
pub type TermKey = SlugKey;

#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub name: String,
    pub url_path: String,
    /// Sorted by slug.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url_path: String,
    /// Newest first, then by title.
    pub pages: Vec<PageId>,
    /// How many of `pages` are blog posts (every pager of the term shows it).
    pub post_count: usize,
}

/// A redirect page written for an `aliases` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub url_path: String,
    pub target: Node,
    pub file: String,
}

impl Alias {
    /// What views record a read of this alias by ([`reads::Read::Alias`]): its URL path.
    pub fn key(&self) -> SlugKey {
        SlugKey::of(&self.url_path)
    }
}

/// A file of `content/` published beside the page or section that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub doc_id: String,
    pub source_path: PathBuf,
    /// Site-relative URL path (`/courses/intro/fig/diagram.svg`).
    pub url_path: String,
}

/// The assembled site.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// In graph order: parents before children, folders sorted.
    pub sections: Vec<Section>,
    /// In graph order (by document path); tables "indexed like `pages`" (renders, cards)
    /// follow it, and [`Site::page_position`] says where a page is.
    pub pages: Vec<Page>,
    /// By page id, its position in `pages` ([`ABSENT`] for an id not in this graph).
    page_slots: Vec<u32>,
    /// By section id, its position in `sections`.
    section_slots: Vec<u32>,
    pub taxonomies: Vec<Taxonomy>,
    pub aliases: Vec<Alias>,
    pub assets: Vec<Asset>,
    /// Drafts left out of this build.
    pub drafts_skipped: usize,
    /// Posts dated after the build date, left out of this build.
    pub future_skipped: usize,
    /// Posts sharing a `series:`, by slug.
    pub series: Vec<Series>,
    /// Every top-level `kind: journey` section, in tree order.
    pub journeys: Vec<Journey>,
    /// Case-study sectors per `case-studies` section, by section then slug.
    pub sectors: Vec<Sector>,
    /// By page: its series (index into `series`) and its position in it. Listing every
    /// page's series searched all series' pages per page, quadratic in a large blog.
    series_parts: Vec<Option<(usize, usize)>>,
    /// By page: the first sector (index into `sectors`) that lists it.
    page_sectors: Vec<Option<usize>>,
    base_path: String,
    doc_index: HashMap<String, Node>,
    folder_index: HashMap<String, Node>,
    asset_index: HashMap<String, usize>,
    /// Documents left out of this build, and why (a link to one says how to include it).
    excluded_docs: HashMap<String, Excluded>,
}

/// Why a document is not in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excluded {
    /// `draft: true`, without `--drafts`.
    Draft,
    /// Dated after the build date in a dated section, without `--future`.
    Future,
}

/// What [`assemble`] needs.
pub struct GraphInput<'a> {
    /// The session's ids: every graph assembled with the same ids gives a document the
    /// same id.
    pub ids: &'a mut Ids,
    pub docs: Vec<Doc>,
    pub assets: &'a [SourceFile],
    pub folders: &'a [String],
    pub config: &'a Config,
    pub include_drafts: bool,
    /// Keep posts dated after `build_date`.
    pub include_future: bool,
    pub build_date: Date,
}

/// The slot of an id that is not in a graph.
const ABSENT: u32 = u32::MAX;

impl Site {
    pub fn section(&self, id: SectionId) -> &Section {
        reads::note(reads::Read::Section(id));
        &self.sections[self.section_position(id)]
    }

    pub fn page(&self, id: PageId) -> &Page {
        reads::note(reads::Read::Page(id));
        &self.pages[self.page_position(id)]
    }

    /// Where page `id` is in `pages`, and in every table indexed like it. A page of this
    /// graph only (an id is checked with [`Site::find_page`]).
    pub fn page_position(&self, id: PageId) -> usize {
        self.page_slots[id.index()] as usize
    }

    /// Where section `id` is in `sections`, and in every table indexed like it.
    pub fn section_position(&self, id: SectionId) -> usize {
        self.section_slots[id.index()] as usize
    }

    /// Where page `id` is in `pages`, if it is in this graph.
    pub fn find_page(&self, id: PageId) -> Option<usize> {
        let slot = *self.page_slots.get(id.index())?;
        (slot != ABSENT).then_some(slot as usize)
    }

    /// Where section `id` is in `sections`, if it is in this graph.
    pub fn find_section(&self, id: SectionId) -> Option<usize> {
        let slot = *self.section_slots.get(id.index())?;
        (slot != ABSENT).then_some(slot as usize)
    }

    /// Every page of the site, in graph order; records that the view enumerated them
    /// ([`reads::Read::AllPages`]), so a page added or removed reaches it.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + '_ {
        reads::note(reads::Read::AllPages);
        self.pages.iter().map(|p| p.id)
    }

    /// Every section, in graph order, reads not recorded (for `build/` and `graph`).
    pub fn section_ids(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.sections.iter().map(|s| s.id)
    }

    pub(crate) fn page_mut(&mut self, id: PageId) -> &mut Page {
        let at = self.page_position(id);
        &mut self.pages[at]
    }

    pub(crate) fn section_mut(&mut self, id: SectionId) -> &mut Section {
        let at = self.section_position(id);
        &mut self.sections[at]
    }

    /// Puts `page` at the end of `pages`.
    fn push_page(&mut self, page: Page) {
        set_slot(&mut self.page_slots, page.id.index(), self.pages.len());
        self.pages.push(page);
    }

    fn push_section(&mut self, section: Section) {
        set_slot(
            &mut self.section_slots,
            section.id.index(),
            self.sections.len(),
        );
        self.sections.push(section);
    }

    /// A taxonomy with all its terms ([`reads::Read::Taxonomy`]). Its name and URL come
    /// from the config alone and may be read from `taxonomies` directly.
    pub fn taxonomy(&self, index: usize) -> &Taxonomy {
        reads::note(reads::Read::Taxonomy(index));
        &self.taxonomies[index]
    }

    /// One term of a taxonomy, by position ([`reads::Read::Term`], keyed by its slug).
    pub fn term(&self, taxonomy: usize, term: usize) -> &Term {
        let found = &self.taxonomies[taxonomy].terms[term];
        reads::note(reads::Read::Term(taxonomy, TermKey::of(&found.slug)));
        found
    }

    /// The term of a taxonomy with `slug`, if there is one; the read is recorded either
    /// way, so the term's coming later reaches the view.
    pub fn term_by_slug(&self, taxonomy: usize, slug: &str) -> Option<&Term> {
        reads::note(reads::Read::Term(taxonomy, TermKey::of(slug)));
        self.taxonomies
            .get(taxonomy)?
            .terms
            .iter()
            .find(|t| t.slug == slug)
    }

    /// A page's kind, without noting a read of the page: the kind follows from its
    /// section's kind alone, which no edit of a page can change, so views that only count
    /// pages by kind need not be rebuilt when one of those pages changes.
    pub fn page_kind(&self, id: PageId) -> crate::content::PageKind {
        self.pages[self.page_position(id)].kind
    }

    pub fn root(&self) -> &Section {
        self.section(ROOT)
    }

    /// `url_path` with the site's base path in front, as written into HTML.
    pub fn url(&self, url_path: &str) -> String {
        format!("{}{url_path}", self.base_path)
    }

    pub fn node_title(&self, node: Node) -> &str {
        match node {
            Node::Page(p) => &self.page(p).title,
            Node::Section(s) => &self.section(s).title,
        }
    }

    pub fn node_url_path(&self, node: Node) -> &str {
        match node {
            Node::Page(p) => &self.page(p).url_path,
            Node::Section(s) => &self.section(s).url_path,
        }
    }

    /// The chain of sections from the root down to `section`, inclusive.
    pub fn ancestry(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut current = section;
        while let Some(parent) = self.section(current).parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// The series `page` belongs to (index into `series`) and its position in it.
    pub fn series_part(&self, page: PageId) -> Option<(usize, usize)> {
        let at = self.find_page(page)?;
        self.series_parts.get(at).copied().flatten()
    }

    /// The sector (index into `sectors`) a case study is listed in.
    pub fn sector_of(&self, page: PageId) -> Option<usize> {
        let at = self.find_page(page)?;
        self.page_sectors.get(at).copied().flatten()
    }

    /// The node a content-relative Markdown path became, if it is in this build.
    pub fn node_for_doc(&self, doc_id: &str) -> Option<Node> {
        self.doc_index.get(doc_id).copied()
    }

    /// The sections that have their own file (`_index.md`, `index.md`, `README.md`), read
    /// from the index of documents: it still says so after the documents were moved out of
    /// the graph (as a patch does before comparing two graphs).
    pub fn sections_with_own_file(&self) -> std::collections::HashSet<SectionId> {
        self.doc_index
            .values()
            .filter_map(|node| match node {
                Node::Section(s) => Some(*s),
                Node::Page(_) => None,
            })
            .collect()
    }

    /// Number of lessons in a course or module, counted through its modules.
    pub fn lesson_count(&self, section: SectionId) -> usize {
        let s = self.section(section);
        s.pages().count() + s.subsections().map(|c| self.lesson_count(c)).sum::<usize>()
    }

    /// Total minutes of a course or module: its `duration` if given, else the sum of its
    /// lessons' durations; `None` when nothing has a duration.
    pub fn duration_minutes(&self, section: SectionId) -> Option<u32> {
        let s = self.section(section);
        if let Some(given) = s.meta().and_then(|m| m.duration_minutes) {
            return Some(given);
        }
        let mut total = None;
        for node in s.children() {
            let minutes = match *node {
                Node::Page(p) => self.page(p).doc.meta.duration_minutes,
                Node::Section(c) => self.duration_minutes(c),
            };
            if let Some(m) = minutes {
                total = Some(total.unwrap_or(0) + m);
            }
        }
        total
    }
}

/// Sets `slots[index]` to `position`, growing the table with [`ABSENT`] slots.
fn set_slot(slots: &mut Vec<u32>, index: usize, position: usize) {
    if slots.len() <= index {
        slots.resize(index + 1, ABSENT);
    }
    slots[index] = u32::try_from(position).unwrap_or(ABSENT);
}

/// Posts per list page of a blog that does not set `paginate_by`.
pub const DEFAULT_BLOG_PAGE_SIZE: usize = 10;

/// Builds the site graph. Problems (bad aliases, unknown kinds placement) come back as
/// diagnostics; the graph is still returned so later stages can report their own problems.
pub fn assemble(input: GraphInput<'_>) -> (Site, Vec<Diagnostic>) {
    let GraphInput {
        ids,
        docs,
        assets,
        folders,
        config,
        include_drafts,
        include_future,
        build_date,
    } = input;
    let mut problems = Vec::new();
    // By id, as a sorted list rather than a map: the documents are large and usually come
    // sorted (the walk's order), so nothing is moved but the pages into the graph. A
    // document listed twice keeps its last version.
    let mut docs = docs;
    if !docs.is_sorted_by(|a, b| a.doc_id < b.doc_id) {
        docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        docs.dedup_by(|later, earlier| {
            let same = later.doc_id == earlier.doc_id;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
    }
    let layout = order::Layout::new(docs.iter().map(|d| d.doc_id.as_str()), folders);
    // Section indexes are taken out as their sections are made.
    let mut taken = vec![false; docs.len()];

    let mut site = Site {
        sections: Vec::new(),
        pages: Vec::with_capacity(docs.len()),
        page_slots: Vec::with_capacity(ids.page_bound().max(docs.len())),
        section_slots: Vec::new(),
        taxonomies: Vec::new(),
        aliases: Vec::new(),
        assets: Vec::new(),
        drafts_skipped: 0,
        future_skipped: 0,
        series: Vec::new(),
        journeys: Vec::new(),
        sectors: Vec::new(),
        series_parts: Vec::new(),
        page_sectors: Vec::new(),
        base_path: config.base_path().to_string(),
        doc_index: HashMap::new(),
        folder_index: HashMap::new(),
        asset_index: HashMap::new(),
        excluded_docs: HashMap::new(),
    };

    // Sections, parents before children (folders are sorted, so a parent comes first).
    let mut section_of_folder: HashMap<String, SectionId> = HashMap::new();
    for folder in layout.section_folders() {
        let parent = (!folder.is_empty()).then(|| {
            let mut up = parent_folder(folder);
            loop {
                if let Some(id) = section_of_folder.get(up) {
                    break *id;
                }
                up = parent_folder(up);
            }
        });
        let index = layout
            .index_of(folder)
            .and_then(|id| docs.binary_search_by(|d| d.doc_id.as_str().cmp(id)).ok())
            .filter(|&at| !taken[at])
            .map(|at| {
                taken[at] = true;
                let doc = std::mem::take(&mut docs[at]);
                // The slot keeps its id: the list stays sorted for the next search.
                docs[at].doc_id.clone_from(&doc.doc_id);
                doc
            });
        let parent_kind = parent.map(|p| site.section(p).kind);
        let name = folder.rsplit('/').next().unwrap_or("");
        if let Some(parent) = parent
            && index.is_none()
            && parent_kind.is_some_and(SectionKind::is_dated)
            && (blog::is_date_folder_name(name) || name == "_posts")
        {
            // `blog/2013/05/`: the folders only date the posts; the posts belong to the blog.
            // Jekyll's `_posts/` only gathers them.
            site.folder_index
                .insert(folder.to_string(), Node::Section(parent));
            section_of_folder.insert(folder.to_string(), parent);
            continue;
        }
        let kind = index
            .as_ref()
            .and_then(|d| d.meta.kind)
            .unwrap_or_else(|| inherited_kind(parent_kind));
        let (prefix, _, bare) = split_file_stem(name);
        let title = index
            .as_ref()
            .and_then(|d| d.meta.title.clone().or_else(|| d.heading_title.clone()))
            .unwrap_or_else(|| {
                if folder.is_empty() {
                    config.title.clone()
                } else {
                    title_from_name(bare)
                }
            });
        if let Some(problem) = index.as_ref().and_then(dotted_slug) {
            problems.push(problem);
        }
        let slug = index
            .as_ref()
            .and_then(|d| d.meta.slug.clone())
            .map(|s| slugify(&s))
            .unwrap_or_else(|| slugify(bare));
        if is_reserved_name(&slug) {
            let file = index
                .as_ref()
                .map_or_else(|| format!("content/{folder}"), |d| d.file.clone());
            problems.push(reserved_slug(&file, &slug));
        }
        let url_path = match parent {
            None => "/".to_string(),
            Some(p) => format!(
                "{}{}/",
                site.section(p).url_path,
                if slug.is_empty() { "section" } else { &slug }
            ),
        };
        let id = ids.section(folder);
        let course = if kind == SectionKind::Course {
            Some(id)
        } else {
            parent.and_then(|p| site.section(p).course)
        };
        let handbook = parent
            .and_then(|p| site.section(p).handbook)
            .or((kind == SectionKind::Handbook).then_some(id));
        let sort = SortKey::new(
            index.as_ref().and_then(|d| d.meta.weight),
            prefix,
            index.as_ref().and_then(|d| d.meta.date),
            &title,
            folder,
        );
        if let Some(doc) = &index {
            site.doc_index.insert(doc.doc_id.clone(), Node::Section(id));
            if doc.meta.draft && !include_drafts {
                // A draft section index still gives the folder a list page; only its own
                // text is hidden. Reported so the author is not surprised.
                problems.push(Diagnostic::warning(&doc.file, 0, 0, "`draft: true` has no effect on a section index; mark its pages as drafts instead")
.with_code(crate::diagnostics::Code::KeyHasNoEffect));
            }
        }
        site.folder_index
            .insert(folder.to_string(), Node::Section(id));
        section_of_folder.insert(folder.to_string(), id);
        site.push_section(Section {
            folder: folder.to_string(),
            index,
            kind,
            title,
            url_path,
            parent,
            children: Vec::new(),
            id,
            course,
            handbook,
            prev: None,
            next: None,
            sort,
        });
        if let Some(p) = parent {
            site.section_mut(p).children.push(Node::Section(id));
        }
    }

    // Permalink patterns of the sections that have one.
    let patterns: Vec<Option<PermalinkPattern>> = site
        .sections
        .iter()
        .map(|section| config.permalink_pattern(&section.folder))
        .collect();

    let episode_order = episode_order(&site, assets);

    // Pages: every Markdown file that is not a section's index.
    for (doc, taken) in docs.into_iter().zip(taken) {
        if taken {
            continue;
        }
        let doc_id = doc.doc_id.clone();
        if doc.meta.draft && !include_drafts {
            site.drafts_skipped += 1;
            site.excluded_docs.insert(doc_id, Excluded::Draft);
            continue;
        }
        let folder = parent_folder(&doc_id);
        let bundle_folder = layout.is_bundle(folder).then(|| folder.to_string());
        let owner_folder = if bundle_folder.is_some() {
            parent_folder(folder)
        } else {
            folder
        };
        let mut up = owner_folder;
        let section = loop {
            if let Some(id) = section_of_folder.get(up) {
                break *id;
            }
            up = parent_folder(up);
        };
        let stem_source = match &bundle_folder {
            Some(f) => f.rsplit('/').next().unwrap_or(f).to_string(),
            None => file_stem(&doc_id).to_string(),
        };
        let (prefix, file_date, bare) = split_file_stem(&stem_source);
        let date = doc
            .meta
            .date
            .or_else(|| file_date.and_then(|d| parse_date(d).ok()))
            .or_else(|| doc.meta.path.as_deref().and_then(date_from_path))
            .or_else(|| {
                site.section(section)
                    .kind
                    .is_dated()
                    .then(|| blog::date_from_folders(owner_folder, prefix))
                    .flatten()
            });
        if !include_future
            && site.section(section).kind.is_dated()
            && date.is_some_and(|d| {
                (d.year, d.month, d.day) > (build_date.year, build_date.month, build_date.day)
            })
        {
            site.future_skipped += 1;
            site.excluded_docs.insert(doc_id, Excluded::Future);
            continue;
        }
        let title = doc
            .meta
            .title
            .clone()
            .or_else(|| doc.heading_title.clone())
            .unwrap_or_else(|| title_from_name(bare));
        if let Some(problem) = dotted_slug(&doc) {
            problems.push(problem);
        }
        let mut slug = doc
            .meta
            .slug
            .as_deref()
            .map_or_else(|| slugify(bare), slugify);
        if is_reserved_name(&slug) {
            problems.push(reserved_slug(&doc.file, &slug));
        }
        if slug.is_empty() {
            slug = "page".into();
        }
        let section_at = site.section_position(section);
        let section_url = &site.sections[section_at].url_path;
        let explicit_path = doc
            .meta
            .path
            .as_deref()
            .map(|p| p.trim().trim_matches('/'))
            .filter(|p| !p.is_empty() && !p.split('/').any(|s| s == ".." || s == "."));
        let url_path =
            match &patterns[section_at] {
                _ if explicit_path.is_some() => {
                    let path = explicit_path.unwrap_or_default();
                    if crate::content::is_file_url(path) {
                        format!("/{path}")
                    } else {
                        format!("/{path}/")
                    }
                }
                Some(pattern) => {
                    let categories = categories_of(&doc.meta);
                    let input = PermalinkInput {
                        date,
                        slug: &slug,
                        section: section_url
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or(""),
                        categories: &categories,
                    };
                    pattern.expand(&input).unwrap_or_else(|| {
                        problems.push(Diagnostic::warning(
                        &doc.file,
                        0,
                        0,
                        format!(
                            "the permalink of `content/{}` needs a date and this page has none \
                             (no `date:`, no date in its file name); it gets {section_url}{slug}/",
                            site.sections[section_at].folder
                        ),
                    )
.with_code(crate::diagnostics::Code::PermalinkNeedsDate));
                        format!("{section_url}{slug}/")
                    })
                }
                None => format!("{section_url}{slug}/"),
            };
        let kind = site.sections[section_at].kind.page_kind();
        let id = ids.page(DocKey::of(&doc_id));
        site.doc_index.insert(doc_id.clone(), Node::Page(id));
        if let Some(f) = &bundle_folder {
            site.folder_index.insert(f.clone(), Node::Page(id));
        }
        let weight = doc
            .meta
            .weight
            .or_else(|| episode_order.get(&doc_id).copied());
        let sort = SortKey::new(weight, prefix, date, &title, &doc_id);
        site.sections[section_at].children.push(Node::Page(id));
        site.push_page(Page {
            id,
            doc,
            kind,
            section,
            title,
            url_path,
            date,
            bundle_folder,
            prev: None,
            next: None,
            sort,
        });
    }

    hint_permalinks(&site, &patterns, &mut problems);
    order::sort_children(&mut site);
    order::link_neighbours(&mut site);
    build_taxonomies(&mut site, config, &mut problems);
    blog::assemble(&mut site, &mut problems);
    collect_aliases(&mut site, &mut problems);
    place_assets(&mut site, assets, &layout, &section_of_folder);
    blog::check_covers(&site, &mut problems);
    blog::check_comment_links(&site, &mut problems);
    (site, problems)
}

/// Posts of one blog that share a URL (`2013-05-01-release.md` and `2014-05-01-release.md`
/// are both `/blog/release/`) are each reported where outputs are written; this says once
/// per blog which setting keeps them apart.
fn hint_permalinks(
    site: &Site,
    patterns: &[Option<PermalinkPattern>],
    problems: &mut Vec<Diagnostic>,
) {
    let mut by_url: BTreeMap<(usize, &str), Vec<&str>> = BTreeMap::new();
    for page in &site.pages {
        let section = site.section_position(page.section);
        if site.sections[section].kind.is_dated() && patterns[section].is_none() {
            by_url
                .entry((section, page.url_path.as_str()))
                .or_default()
                .push(&page.doc.file);
        }
    }
    let mut reported = HashSet::new();
    for ((section, url), files) in &by_url {
        if files.len() < 2 || !reported.insert(*section) {
            continue;
        }
        let shared = by_url
            .iter()
            .filter(|((s, _), f)| s == section && f.len() > 1)
            .map(|(_, f)| f.len())
            .sum::<usize>();
        let folder = &site.sections[*section].folder;
        problems.push(Diagnostic::warning(
            files[0],
            0,
            0,
            format!(
                "{shared} posts of `content/{folder}` share a URL with another (first: {url} for {}); \
                 dates are not in its URLs: keep them apart with \
                 `permalinks: {{ {folder}: \"/{folder}/:year/:month/:day/:slug/\" }}` in trailmark.yaml, \
                 or give one a `slug:`",
                files.join(" and ")
            ),
        )
.with_code(crate::diagnostics::Code::DuplicateOutput));
    }
}

/// The date a Zola `path` starts with (`2019/09/30/async-await`), as dated blogs write it.
fn date_from_path(path: &str) -> Option<Date> {
    let mut parts = path.trim_start_matches('/').split('/');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(numeric(year, 4) && numeric(month, 2) && numeric(day, 2)) {
        return None;
    }
    parse_date(&format!("{year}-{month}-{day}")).ok()
}

/// A page's categories for `:categories`: the `categories` taxonomy or key (a list or one
/// name), else Jekyll's `category:`.
fn categories_of(meta: &PageMeta) -> Vec<String> {
    if let Some(terms) = meta.terms.get("categories") {
        return terms.clone();
    }
    let names = |value: &serde_json::Value| -> Vec<String> {
        match value {
            serde_json::Value::String(one) => one.split_whitespace().map(str::to_string).collect(),
            serde_json::Value::Array(many) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    ["categories", "category"]
        .iter()
        .find_map(|key| meta.params.get(*key).or_else(|| meta.fields.get(*key)))
        .map(names)
        .unwrap_or_default()
}

fn reserved_slug(file: &str, slug: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        0,
        0,
        format!(
            "`{slug}` is a reserved file name on Windows and cannot be a URL segment; set another `slug:`"
        ),
    )
.with_code(crate::diagnostics::Code::ReservedName)
}

fn inherited_kind(parent: Option<SectionKind>) -> SectionKind {
    match parent {
        None | Some(SectionKind::Section) => SectionKind::Section,
        Some(SectionKind::Course | SectionKind::Module) => SectionKind::Module,
        Some(other) => other,
    }
}

/// A Carpentries lesson lists its episodes in order in `config.yaml` (`episodes:`, file
/// names): for a course whose folder holds that file, or whose parent folder does (the
/// lesson copied as it is, `config.yaml` beside `episodes/`), each listed lesson's place
/// in the list is its weight unless it has its own. Lessons not listed come after them.
fn episode_order(site: &Site, assets: &[SourceFile]) -> BTreeMap<String, i64> {
    /// Far beyond any real lesson's config; a larger file is not read.
    const MAX_CONFIG_BYTES: u64 = 1 << 20;
    let mut order = BTreeMap::new();
    for section in site
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Course)
    {
        let folder = section.folder.as_str();
        let in_folder = |f: &str| {
            if f.is_empty() {
                "config.yaml".to_string()
            } else {
                format!("{f}/config.yaml")
            }
        };
        let mut candidates = vec![in_folder(folder)];
        if !folder.is_empty() {
            candidates.push(in_folder(parent_folder(folder)));
        }
        let episodes = candidates.iter().find_map(|name| {
            let asset = assets.iter().find(|a| &a.doc_id == name)?;
            let text = crate::source::read_text(&asset.source_path, name, MAX_CONFIG_BYTES).ok()?;
            let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
            let list: Vec<String> = value
                .get("episodes")?
                .as_sequence()?
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            (!list.is_empty()).then_some(list)
        });
        for (position, name) in episodes.into_iter().flatten().enumerate() {
            let doc_id = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            order
                .entry(doc_id)
                .or_insert(i64::try_from(position).unwrap_or(i64::MAX));
        }
    }
    order
}

/// `courses/intro/01-why.md` → `courses/intro`; top-level names → `""`.
pub fn parent_folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn file_stem(doc_id: &str) -> &str {
    let name = doc_id.rsplit('/').next().unwrap_or(doc_id);
    name.rfind('.').map_or(name, |i| &name[..i])
}

/// `working-with_clients` → `Working with clients`.
pub fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

/// A term, series or sector whose name has no letter or digit to make a URL of: it gets no
/// page and no link, which is said rather than done silently.
pub(super) fn unnamable(doc: &Doc, key: &str, what: &str) -> Diagnostic {
    Diagnostic::warning(
        &doc.file,
        doc.key_lines.get(key).copied().unwrap_or(1),
        1,
        format!("{what} has no letter or digit to make its URL from; it gets no page and no link"),
    )
    .with_code(crate::diagnostics::Code::FrontMatterInvalidValue)
    .with_help("add a word to the name (`Rust 🦀`)")
}

/// One rule for `..` in `slug` and in `aliases`: a `.` or `..` segment is an error at its
/// line, never silently dropped.
fn dotted_slug(doc: &Doc) -> Option<Diagnostic> {
    let slug = doc.meta.slug.as_deref()?;
    slug.split(['/', '\\'])
        .any(|s| s.trim() == ".." || s.trim() == ".")
        .then(|| {
            Diagnostic::error(
                &doc.file,
                doc.key_lines.get("slug").copied().unwrap_or(1),
                1,
                format!("slug `{slug}` must not contain `.` or `..` segments"),
            )
            .with_code(crate::diagnostics::Code::FrontMatterInvalidValue)
        })
}

/// Two spellings of a term are one term when they differ only in case, spaces, `-` and `_`
/// (`Social media`, `social-media`); any other pair that slugifies alike (`C!` and `C`) is
/// listed as one term too, since they share a URL, but never silently.
pub(super) fn same_term_spelling(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    fold(a) == fold(b)
}

fn build_taxonomies(site: &mut Site, config: &Config, problems: &mut Vec<Diagnostic>) {
    for name in &config.taxonomies {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        // Per slug, the spellings already warned about, so each pair is reported once.
        let mut merged_spellings: HashSet<(String, String)> = HashSet::new();
        // Pages are in doc_id order here, so the first spelling of a term is stable.
        for page in &site.pages {
            let Some(names) = page.doc.meta.terms.get(name) else {
                continue;
            };
            let mut seen = HashSet::new();
            for term_name in names {
                let slug = crate::content::term_slug(term_name);
                if slug.is_empty() {
                    problems.push(unnamable(&page.doc, name, &format!("{name} `{term_name}`")));
                    continue;
                }
                if !seen.insert(slug.clone()) {
                    continue;
                }
                if let Some(term) = terms.get(&slug)
                    && !same_term_spelling(&term.name, term_name)
                    && merged_spellings.insert((slug.clone(), term_name.clone()))
                {
                    problems.push(shared_url(
                        site,
                        page,
                        (name, "one term"),
                        term_name,
                        (&term.name, &term.url_path, term.pages[0]),
                    ));
                }
                terms
                    .entry(slug.clone())
                    .or_insert_with(|| Term {
                        name: term_name.clone(),
                        url_path: format!("/{name}/{slug}/"),
                        slug,
                        pages: Vec::new(),
                        post_count: 0,
                    })
                    .pages
                    .push(page.id);
            }
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        for term in &mut terms {
            term.pages
                .sort_by(|a, b| order::newest_first(site.page(*a), site.page(*b)));
            term.post_count = term
                .pages
                .iter()
                .filter(|p| site.page(**p).kind == PageKind::Post)
                .count();
        }
        if !terms.is_empty() {
            site.taxonomies.push(Taxonomy {
                name: name.clone(),
                url_path: format!("/{name}/"),
                terms,
            });
        }
    }
}

fn collect_aliases(site: &mut Site, problems: &mut Vec<Diagnostic>) {
    let mut owners: Vec<(Node, &Doc)> = site
        .pages
        .iter()
        .map(|p| (Node::Page(p.id), &p.doc))
        .collect();
    owners.extend(
        site.sections
            .iter()
            .filter_map(|s| s.index.as_ref().map(|d| (Node::Section(s.id), d))),
    );
    let mut aliases = Vec::new();
    for (node, doc) in owners {
        for alias in &doc.meta.aliases {
            match normalise_alias(alias) {
                Ok(url_path) => aliases.push(Alias {
                    url_path,
                    target: node,
                    file: doc.file.clone(),
                }),
                Err(error) => problems.push(
                    Diagnostic::error(
                        &doc.file,
                        doc_key_line(doc, "aliases"),
                        1,
                        error.to_string(),
                    )
                    .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
                ),
            }
        }
    }
    aliases.sort_by(|a, b| {
        a.url_path
            .cmp(&b.url_path)
            .then_with(|| a.file.cmp(&b.file))
    });
    site.aliases = aliases;
}

fn doc_key_line(doc: &Doc, key: &str) -> usize {
    doc.key_lines.get(key).copied().unwrap_or(1)
}

/// An alias that cannot be written: it could leave the site or is not a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias `{alias}` {problem}")]
pub struct AliasError {
    /// The alias as written.
    pub alias: String,
    pub problem: AliasProblem,
}

/// What is wrong with an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AliasProblem {
    #[error("is empty or the home page")]
    Empty,
    #[error("must be a path on this site, not a URL")]
    Url,
    #[error("contains a character not allowed in a path")]
    Character,
    #[error("must not contain `.` or `..` segments")]
    DotSegment,
}

/// Turns an alias as written (`old/path`, `/old/path/`, `/old.html`) into a URL path,
/// refusing anything that could write outside the site.
pub fn normalise_alias(alias: &str) -> Result<String, AliasError> {
    let trimmed = alias.trim();
    let bad = |problem| AliasError {
        alias: alias.to_string(),
        problem,
    };
    if trimmed.is_empty() || trimmed == "/" {
        return Err(bad(AliasProblem::Empty));
    }
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(bad(AliasProblem::Url));
    }
    if trimmed.contains('\\') || trimmed.contains('\0') || trimmed.contains(':') {
        return Err(bad(AliasProblem::Character));
    }
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err(bad(AliasProblem::DotSegment));
    }
    let joined = segments.join("/");
    if std::path::Path::new(&joined)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
    {
        Ok(format!("/{joined}"))
    } else {
        Ok(format!("/{joined}/"))
    }
}

fn place_assets(
    site: &mut Site,
    assets: &[SourceFile],
    layout: &order::Layout,
    section_of_folder: &HashMap<String, SectionId>,
) {
    for asset in assets {
        // The owner is the nearest folder above the file that is a bundle or a section.
        let mut folder = parent_folder(&asset.doc_id);
        let owner_url = loop {
            if layout.is_bundle(folder) {
                if let Some(Node::Page(p)) = site.folder_index.get(folder) {
                    break Some((folder.to_string(), site.page(*p).url_path.clone()));
                }
                // A bundle whose page is a draft: its files stay unpublished too.
                break None;
            }
            if let Some(id) = section_of_folder.get(folder) {
                // Date folders (`blog/2014/01/`) belong to their blog: a file there keeps
                // its path under the blog's folder (`/blog/2014/01/x.html`).
                let section = site.section(*id);
                let owner = if section.folder.is_empty()
                    || asset.doc_id.starts_with(&format!("{}/", section.folder))
                {
                    section.folder.as_str()
                } else {
                    folder
                };
                break Some((owner.to_string(), section.url_path.clone()));
            }
            if folder.is_empty() {
                break None;
            }
            folder = parent_folder(folder);
        };
        let Some((owner_folder, owner_url)) = owner_url else {
            continue;
        };
        let rest = if owner_folder.is_empty() {
            asset.doc_id.as_str()
        } else {
            &asset.doc_id[owner_folder.len() + 1..]
        };
        site.asset_index
            .insert(asset.doc_id.clone(), site.assets.len());
        site.assets.push(Asset {
            doc_id: asset.doc_id.clone(),
            source_path: asset.source_path.clone(),
            // A page whose permalink is a file (`/2014/05/x.html`): its files sit beside it.
            url_path: format!(
                "{}{rest}",
                &owner_url[..owner_url.rfind('/').map_or(0, |slash| slash + 1)]
            ),
        });
    }
}

/// Two spellings of a term, a series or a sector that make one URL (`C# tips` and
/// `C++ tips` do not; `Health care` and `Health-care!` do): listed as one, and said so once
/// per spelling, at `page`'s `key` line. `first` is the first spelling, its URL and the
/// page it was met on.
pub(crate) fn shared_url(
    site: &Site,
    page: &Page,
    (key, listed_as): (&str, &str),
    name: &str,
    (first_name, url_path, first_page): (&str, &str, PageId),
) -> Diagnostic {
    let first = &site.page(first_page).doc.file;
    Diagnostic::warning(
        &page.doc.file,
        page.doc.key_lines.get(key).copied().unwrap_or(1),
        1,
        format!(
            "{key} `{}` and `{first_name}` ({first}) share the URL {url_path} and are listed as {listed_as}; write them the same way, or rename one",
            name.trim()
        ),
    )
    .with_code(crate::diagnostics::Code::TermCollision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_normalised_or_refused() {
        assert_eq!(normalise_alias("old/path").unwrap(), "/old/path/");
        assert_eq!(normalise_alias("/old.html").unwrap(), "/old.html");
        for bad in [
            "../etc",
            "/a/../b",
            "https://x.org/a",
            "C:/x",
            "",
            "/",
            "a\\b",
        ] {
            assert!(normalise_alias(bad).is_err(), "{bad}");
        }
    }

    fn assemble_with(ids: &mut Ids, doc_ids: &[&str]) -> Site {
        let config = Config::default();
        let docs = doc_ids
            .iter()
            .map(|doc_id| Doc {
                doc_id: (*doc_id).to_string(),
                file: format!("content/{doc_id}"),
                ..Doc::default()
            })
            .collect();
        let folders: Vec<String> = vec!["notes".into(), "more".into()];
        assemble(GraphInput {
            ids,
            docs,
            assets: &[],
            folders: &folders,
            config: &config,
            include_drafts: false,
            include_future: false,
            build_date: parse_date("2026-01-01").unwrap(),
        })
        .0
    }

    /// A page keeps its id in every graph of a session while its file exists, whatever
    /// comes or goes before it; its place in the graph's order moves, its id does not.
    #[test]
    fn ids_follow_documents_not_positions() {
        let mut ids = Ids::new();
        let first = assemble_with(&mut ids, &["notes/b.md", "notes/c.md"]);
        let id_of = |site: &Site, doc_id: &str| match site.node_for_doc(doc_id) {
            Some(Node::Page(p)) => Some(p),
            _ => None,
        };
        let c = id_of(&first, "notes/c.md");
        let notes = first
            .sections
            .iter()
            .find(|s| s.folder == "notes")
            .map(Section::id);
        let second = assemble_with(&mut ids, &["more/x.md", "notes/a.md", "notes/c.md"]);
        assert_eq!(id_of(&second, "notes/c.md"), c);
        assert_eq!(
            second
                .sections
                .iter()
                .find(|s| s.folder == "notes")
                .map(Section::id),
            notes
        );
        let c = c.unwrap();
        assert_eq!(first.page_position(c), 1);
        assert_eq!(second.page_position(c), 2);
        // A new document gets a new id, never one a page of the session had.
        let a = id_of(&second, "notes/a.md");
        assert!(a.is_some() && a != id_of(&first, "notes/b.md") && a != Some(c));
        // The order is the graph's: by document, whatever the ids.
        let order: Vec<&str> = second.pages.iter().map(|p| p.doc.doc_id.as_str()).collect();
        assert_eq!(order, ["more/x.md", "notes/a.md", "notes/c.md"]);
        assert_eq!(second.find_page(id_of(&first, "notes/b.md").unwrap()), None);
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(
            title_from_name("working-with_clients"),
            "Working with clients"
        );
        assert_eq!(title_from_name(""), "Untitled");
    }
}
