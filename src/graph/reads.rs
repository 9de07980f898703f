//! Which parts of the site a piece of code read, for `serve`'s rebuilds.
//!
//! Views see the site only through [`SiteReads`], the query boundary: each of its
//! accessors notes what it hands out (a page, a section, the list of a section's pages,
//! the pages of a term or a series, a journey, the list of every page...) on the current
//! thread, and the view source notes every card or tree it hands out. No view notes
//! anything by hand. A later rebuild then renders again exactly the jobs that read
//! something that changed. Recording is off unless [`recording`] is running, so a plain
//! build pays one thread-local check per lookup.
//!
//! List reads are precise: a view that lists the pages of a term records
//! [`Read::Term`], not "every page", so adding a page with another term need not render
//! it again; [`Read::AllPages`] is recorded only by views that list the whole site (the
//! sitemap, the site feed, the home page's recent posts, the testimonials page).

use std::cell::RefCell;

use super::{
    Journey, Node, Page, PageId, Section, SectionId, Sector, Series, Site, SlugKey, Taxonomy, Term,
    TermKey,
};
use crate::markdown::LinkResolution;

/// One thing a view can depend on. Pages and sections are named by their ids, which are
/// stable for a session ([`super::ids`]); terms, series, sectors and aliases by their slug
/// or path ([`SlugKey`]), journeys by their section: a read recorded against one graph
/// means the same in the next, whatever came or went before it in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Read {
    /// A page: its place in the graph and its front matter.
    Page(PageId),
    /// A page's rendered Markdown: its HTML, summary, table of contents, word count, lesson
    /// blocks (`ViewSource::rendered`, `ViewSource::page_html`). A body edit changes this
    /// and not [`Read::Page`].
    PageBody(PageId),
    /// A section: its place, title, kind, URL, neighbours and its index file's front
    /// matter; not its children ([`Read::SectionChildren`]) nor its rendered body
    /// ([`Read::SectionBody`]).
    Section(SectionId),
    /// A section's rendered Markdown (its index file's body: HTML, table of contents,
    /// instructor notes), read through `ViewSource::section_rendered`. A body edit of an
    /// `_index.md` changes this alone, so the many views that show the section's title do
    /// not depend on it.
    SectionBody(SectionId),
    /// The pages and subsections of a section, in reading order ([`super::Section::children`],
    /// `pages()`, `subsections()`): a page added to or removed from a section changes this,
    /// not the section's other reads.
    SectionChildren(SectionId),
    /// Which pages the site has, in order ([`super::Site::page_ids`]): what feeds, the
    /// sitemap and other site-wide lists enumerate.
    AllPages,
    /// A taxonomy's list of terms, with every term in it ([`super::Site::taxonomy`]).
    Taxonomy(usize),
    /// One term of a taxonomy, keyed by its slug, not its position
    /// ([`super::Site::term`], [`super::Site::term_by_slug`]).
    Term(usize, TermKey),
    /// A page's card, as lists show it.
    Card(PageId),
    /// A section's card (with counts and durations of everything below it).
    SectionCard(SectionId),
    /// The tree of a course or handbook.
    Tree(SectionId),
    /// A large handbook's tree as seen from one of its sections.
    PrunedTree(SectionId),
    /// Which sections the site has, in order.
    AllSections,
    /// Every series, with all it holds ([`SiteReads::all_series`]): changes when any
    /// series came, went or changed.
    AllSeries,
    /// One series, keyed by its slug ([`Series::key`]), and the pages it lists, in order.
    Series(SlugKey),
    /// One journey, keyed by its top section: its goal, dates, milestones and their posts;
    /// recorded too by a view that asked whether a section is a journey and heard no.
    Journey(SectionId),
    /// Every case-study sector, with all it holds ([`SiteReads::all_sectors`]): changes
    /// when any sector came, went or changed.
    AllSectors,
    /// One case-study sector, keyed by its section and slug ([`Sector::key`]), and the
    /// pages it lists.
    Sector(SectionId, SlugKey),
    /// Which document a content path names (a link resolved while building a view).
    Documents,
    /// One alias, keyed by its URL path ([`super::Alias::key`]): where it points.
    Alias(SlugKey),
}

/// The kinds of shared view parts a read can name (see `template::shared`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Card,
    SectionCard,
    Tree,
    PrunedTree,
}

/// What a read is keyed by ([`Read::key`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadKey {
    /// The page it reads (a page that is gone changed every read keyed by it).
    pub page: Option<PageId>,
    /// The shared view part it names: its kind and the raw id of its page or section.
    pub part: Option<(Part, u32)>,
}

impl Read {
    /// What this read is keyed by. The one place every kind of read is named, so a new kind
    /// keyed by a page, or naming a shared part, is handled everywhere by adding it here.
    pub fn key(self) -> ReadKey {
        let of_page = |p: PageId| ReadKey {
            page: Some(p),
            part: None,
        };
        let part = |kind: Part, s: SectionId| ReadKey {
            page: None,
            part: Some((kind, s.raw())),
        };
        match self {
            Read::Page(p) | Read::PageBody(p) => of_page(p),
            Read::Card(p) => ReadKey {
                part: Some((Part::Card, p.raw())),
                ..of_page(p)
            },
            Read::SectionCard(s) => part(Part::SectionCard, s),
            Read::Tree(s) => part(Part::Tree, s),
            Read::PrunedTree(s) => part(Part::PrunedTree, s),
            Read::Section(_)
            | Read::SectionBody(_)
            | Read::SectionChildren(_)
            | Read::AllPages
            | Read::Taxonomy(_)
            | Read::Term(..)
            | Read::AllSections
            | Read::AllSeries
            | Read::Series(_)
            | Read::Journey(_)
            | Read::AllSectors
            | Read::Sector(..)
            | Read::Documents
            | Read::Alias(_) => ReadKey::default(),
        }
    }

    /// The read of the shared part of kind `part` of the page or section with raw id `raw`
    /// (the inverse of [`Read::key`]'s `part`).
    pub fn of_part(part: Part, raw: u32) -> Read {
        match part {
            Part::Card => Read::Card(PageId::from_raw(raw)),
            Part::SectionCard => Read::SectionCard(SectionId::from_raw(raw)),
            Part::Tree => Read::Tree(SectionId::from_raw(raw)),
            Part::PrunedTree => Read::PrunedTree(SectionId::from_raw(raw)),
        }
    }

    /// A total order of reads, to sort a list of them and drop repeats; ids are not an
    /// order anything shown follows, so `Read` is not `Ord`.
    fn sort_key(self) -> (u8, u64, u64) {
        let page = |p: PageId| u64::from(p.raw());
        let section = |s: SectionId| u64::from(s.raw());
        let at = |i: usize| i as u64;
        match self {
            Read::Page(p) => (0, page(p), 0),
            Read::PageBody(p) => (1, page(p), 0),
            Read::Section(s) => (2, section(s), 0),
            Read::SectionChildren(s) => (3, section(s), 0),
            Read::AllPages => (4, 0, 0),
            Read::Taxonomy(t) => (5, at(t), 0),
            Read::Term(t, key) => (6, at(t), key.raw()),
            Read::Card(p) => (7, page(p), 0),
            Read::SectionCard(s) => (8, section(s), 0),
            Read::Tree(s) => (9, section(s), 0),
            Read::PrunedTree(s) => (10, section(s), 0),
            Read::SectionBody(s) => (19, section(s), 0),
            Read::AllSections => (11, 0, 0),
            Read::AllSeries => (12, 0, 0),
            Read::Series(key) => (13, key.raw(), 0),
            Read::Journey(s) => (14, section(s), 0),
            Read::AllSectors => (15, 0, 0),
            Read::Sector(s, key) => (16, section(s), key.raw()),
            Read::Documents => (17, 0, 0),
            Read::Alias(key) => (18, key.raw(), 0),
        }
    }
}

thread_local! {
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Notes `read` if the current thread is recording.
pub fn note(read: Read) {
    READS.with(|reads| {
        if let Some(list) = reads.borrow_mut().as_mut() {
            list.push(read);
        }
    });
}

/// Runs `f` and returns what it read, sorted and without repeats.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = READS.with(|reads| reads.borrow_mut().replace(Vec::new()));
    let result = f();
    let mut list = READS
        .with(|reads| std::mem::replace(&mut *reads.borrow_mut(), outer))
        .unwrap_or_default();
    list.sort_unstable_by_key(|read| read.sort_key());
    list.dedup();
    (result, list)
}

/// The site as a view reads it: every accessor records what it hands out (see the module
/// documentation). Views get nothing else of the [`Site`]; `build/`, which plans and
/// schedules outputs rather than showing them, reads the graph directly through
/// [`SiteReads::unrecorded`].
#[derive(Clone, Copy)]
pub struct SiteReads<'a> {
    site: &'a Site,
}

impl<'a> SiteReads<'a> {
    pub fn new(site: &'a Site) -> Self {
        SiteReads { site }
    }

    /// The graph itself, reads not recorded: for planning and scheduling, never for what a
    /// view shows.
    pub fn unrecorded(self) -> &'a Site {
        self.site
    }

    /// A page: its place in the graph, its front matter.
    pub fn page(self, id: PageId) -> &'a Page {
        self.site.page(id)
    }

    /// A section: its place, its children (the list of its pages and subsections), its
    /// index page.
    pub fn section(self, id: SectionId) -> &'a Section {
        self.site.section(id)
    }

    /// A page's kind, recorded as nothing: see [`Site::page_kind`].
    pub fn page_kind(self, id: PageId) -> crate::content::PageKind {
        self.site.page_kind(id)
    }

    /// `url_path` with the site's base path (configuration, not the graph).
    pub fn url(self, url_path: &str) -> String {
        self.site.url(url_path)
    }

    pub fn node_title(self, node: Node) -> &'a str {
        self.site.node_title(node)
    }

    pub fn node_url_path(self, node: Node) -> &'a str {
        self.site.node_url_path(node)
    }

    /// The chain of sections from the root down to `section` (each one read).
    pub fn ancestry(self, section: SectionId) -> Vec<SectionId> {
        self.site.ancestry(section)
    }

    /// See [`Site::lesson_count`]; reads every section and page it counts.
    pub fn lesson_count(self, section: SectionId) -> usize {
        self.site.lesson_count(section)
    }

    /// See [`Site::duration_minutes`]; reads every section and page it sums.
    pub fn duration_minutes(self, section: SectionId) -> Option<u32> {
        self.site.duration_minutes(section)
    }

    /// The pages below `section`, in reading order (each section on the way read).
    pub fn pages_under(self, section: SectionId) -> Vec<PageId> {
        super::pages_under(self.site, section)
    }

    /// A handbook's pages and sections in reading order (each section on the way read).
    pub fn handbook_pages(self, handbook: SectionId) -> Vec<Node> {
        super::handbook_pages(self.site, handbook)
    }

    /// Every page of the site, in order ([`Site::page_ids`]).
    pub fn page_ids(self) -> impl Iterator<Item = PageId> + 'a {
        self.site.page_ids()
    }

    /// Every section of the site, in order.
    pub fn all_sections(self) -> impl Iterator<Item = SectionId> + 'a {
        note(Read::AllSections);
        self.site.section_ids()
    }

    /// Every taxonomy's name and URL, which come from the config alone: nothing is
    /// recorded. Its terms are read through [`SiteReads::taxonomy`] or
    /// [`SiteReads::term`].
    pub fn taxonomy_list(self) -> impl Iterator<Item = (usize, TaxonomyHead<'a>)> {
        self.site
            .taxonomies
            .iter()
            .enumerate()
            .map(|(t, taxonomy)| {
                (
                    t,
                    TaxonomyHead {
                        name: &taxonomy.name,
                        url_path: &taxonomy.url_path,
                    },
                )
            })
    }

    /// A taxonomy with every term in it ([`Site::taxonomy`]).
    pub fn taxonomy(self, index: usize) -> &'a Taxonomy {
        self.site.taxonomy(index)
    }

    /// One term and the pages it lists ([`Site::term`]).
    pub fn term(self, taxonomy: usize, term: usize) -> &'a Term {
        self.site.term(taxonomy, term)
    }

    /// The term of a taxonomy with `slug` ([`Site::term_by_slug`]).
    pub fn term_by_slug(self, taxonomy: usize, slug: &str) -> Option<&'a Term> {
        self.site.term_by_slug(taxonomy, slug)
    }

    /// Every series, with all it holds ([`Read::AllSeries`]).
    pub fn all_series(self) -> &'a [Series] {
        note(Read::AllSeries);
        &self.site.series
    }

    /// One series (by position in this graph) and the pages it lists; recorded by its
    /// slug ([`Read::Series`]).
    pub fn series(self, index: usize) -> &'a Series {
        let series = &self.site.series[index];
        note(Read::Series(series.key()));
        series
    }

    /// The series `page` belongs to and its position in it (a read of the page, whose
    /// front matter names its series, and of the series).
    pub fn series_part(self, page: PageId) -> Option<(usize, usize)> {
        note(Read::Page(page));
        let part = self.site.series_part(page);
        if let Some((series, _)) = part {
            note(Read::Series(self.site.series[series].key()));
        }
        part
    }

    /// One journey (by position in this graph) with its milestones; recorded by its
    /// section ([`Read::Journey`]).
    pub fn journey(self, index: usize) -> &'a Journey {
        let journey = &self.site.journeys[index];
        note(Read::Journey(journey.section));
        journey
    }

    /// The journey a section is in (a read of the sections above it, whose kinds say
    /// which is the journey, and of that journey).
    pub fn journey_of(self, section: SectionId) -> Option<usize> {
        let journey = super::journey_of(self.site, section);
        if let Some(j) = journey {
            note(Read::Journey(self.site.journeys[j].section));
        }
        journey
    }

    /// The journey whose top section is `section`, if it is one; the journey read is
    /// recorded either way, so a journey that starts there later reaches the view.
    pub fn journey_at(self, section: SectionId) -> Option<usize> {
        note(Read::Section(section));
        note(Read::Journey(section));
        self.site.journeys.iter().position(|j| j.section == section)
    }

    /// The journey and milestone a page joined with `milestone:` (a read of the page, of
    /// the sections above it and of the journey). Nothing found is a page without
    /// `milestone:`, outside a journey (both in the reads of the page and the sections),
    /// or naming a milestone the journey lacks, which is an error of the build.
    pub fn milestone_of(self, page: PageId) -> Option<(usize, usize)> {
        let found = super::milestone_of(self.site, page);
        if let Some((j, _)) = found {
            note(Read::Journey(self.site.journeys[j].section));
        }
        found
    }

    /// Every case-study sector, with all it holds ([`Read::AllSectors`]).
    pub fn all_sectors(self) -> &'a [Sector] {
        note(Read::AllSectors);
        &self.site.sectors
    }

    /// One sector (by position in this graph) and the pages it lists; recorded by its
    /// section and slug ([`Read::Sector`]).
    pub fn sector(self, index: usize) -> &'a Sector {
        let sector = &self.site.sectors[index];
        let (section, key) = sector.key();
        note(Read::Sector(section, key));
        sector
    }

    /// The sector a case study is listed in (a read of the page, whose front matter names
    /// its sector, and of the sector).
    pub fn sector_of(self, page: PageId) -> Option<usize> {
        note(Read::Page(page));
        let sector = self.site.sector_of(page);
        if let Some(s) = sector {
            let (section, key) = self.site.sectors[s].key();
            note(Read::Sector(section, key));
        }
        sector
    }

    /// One alias (by position in this graph); recorded by its URL path ([`Read::Alias`]).
    pub fn alias(self, index: usize) -> &'a super::Alias {
        let alias = &self.site.aliases[index];
        note(Read::Alias(alias.key()));
        alias
    }

    /// What a link written in the document `from_doc_id` points to.
    pub fn resolve_link(self, from_doc_id: &str, destination: &str) -> LinkResolution {
        note(Read::Documents);
        self.site.resolve_link(from_doc_id, destination)
    }
}

/// A taxonomy's name and URL path (see [`SiteReads::taxonomy_list`]).
#[derive(Clone, Copy)]
pub struct TaxonomyHead<'a> {
    pub name: &'a String,
    pub url_path: &'a String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(raw: u32) -> PageId {
        PageId::from_raw(raw)
    }

    #[test]
    fn records_only_inside_recording_and_nests() {
        let section = SectionId::from_raw(1);
        note(Read::Page(page(9)));
        let ((), outer) = recording(|| {
            note(Read::Page(page(2)));
            let ((), inner) = recording(|| note(Read::Section(section)));
            assert_eq!(inner, [Read::Section(section)]);
            note(Read::Page(page(1)));
            note(Read::Page(page(2)));
        });
        assert_eq!(outer, [Read::Page(page(1)), Read::Page(page(2))]);
    }

    #[test]
    fn keys_name_the_page_and_the_part() {
        for part in [Part::Card, Part::SectionCard, Part::Tree, Part::PrunedTree] {
            assert_eq!(Read::of_part(part, 4).key().part, Some((part, 4)));
        }
        for read in [
            Read::Card(page(3)),
            Read::PageBody(page(3)),
            Read::Page(page(3)),
        ] {
            assert_eq!(read.key().page, Some(page(3)));
        }
        assert_eq!(Read::Section(SectionId::from_raw(3)).key().page, None);
        assert_eq!(Read::Page(page(3)).key().part, None);
    }
}
