//! What changed between the last graph and the new one beyond the documents a rebuild read
//! again ([`GraphDelta`]): which pages came or went, and which reads of the views
//! ([`crate::graph::reads::Read`]) the change of the graph's other parts reaches: terms,
//! series, journeys, case-study sectors and aliases, each by its stable key (a slug, a
//! path, a section), so one added before another does not change the other's reads. A
//! change it cannot express (a section added, a page's URL moved, an asset) is said with
//! the reason the graph step recomputed everything downstream ([`FullReason`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use super::report::FullReason;
use crate::graph::reads::Read;
use crate::graph::{self, Node, PageId, Site};

/// What changed between the last graph and the new one beyond the edited documents. Ids
/// are derived from documents (`graph::Ids`), so a page kept is the same id in both and
/// nothing is translated: what is left to work out is which pages came or went, and which
/// terms, series, journeys, sectors and aliases changed (views record them by key).
pub(super) struct GraphDelta {
    /// Pages of the new graph the last one does not have.
    pub came: HashSet<PageId>,
    /// Pages of the last graph the new one does not have.
    pub gone: Vec<PageId>,
    /// Pages came or went: the tables indexed like `Site::pages` (renders, cards) are laid
    /// out again.
    pub pages_moved: bool,
    /// The reads the change of the graph's lists reaches: terms ([`Read::Term`]) and
    /// taxonomies ([`Read::Taxonomy`]); series ([`Read::Series`], [`Read::AllSeries`]),
    /// journeys ([`Read::Journey`]), sectors ([`Read::Sector`], [`Read::AllSectors`]) and
    /// aliases ([`Read::Alias`]) that came, went or changed; and [`Read::Page`] of every
    /// page a changed series, milestone or sector lists, before or after, whose card shows
    /// it (a card is made again when its page changed).
    pub changed_reads: Vec<Read>,
}

impl GraphDelta {
    /// The same graph: no page came or went, nothing else changed.
    pub fn none() -> GraphDelta {
        GraphDelta {
            came: HashSet::new(),
            gone: Vec::new(),
            pages_moved: false,
            changed_reads: Vec::new(),
        }
    }

    /// Which pages of `old` and `new` came or went, and which terms, series, journeys,
    /// sectors and aliases changed; an error unless the site kept its sections (the same
    /// folders at the same URLs, with the same index documents), its drafts and future
    /// posts, its taxonomies and assets.
    pub fn between(old: &Site, new: &Site) -> Result<GraphDelta, FullReason> {
        // The old graph's documents were moved into the new one; its index of documents
        // still says what each one was.
        let mut came = HashSet::new();
        for page in &new.pages {
            if old.find_page(page.id()).is_none() {
                // A section's own page became a page (its folder lost its other pages).
                if matches!(old.node_for_doc(&page.doc.doc_id), Some(Node::Section(_))) {
                    return Err(FullReason::PageOrSectionMoved);
                }
                came.insert(page.id());
            }
        }
        let gone: Vec<PageId> = old
            .pages
            .iter()
            .map(graph::Page::id)
            .filter(|&id| new.find_page(id).is_none())
            .collect();
        let pages_moved = !came.is_empty() || !gone.is_empty();
        let had_own_file = old.sections_with_own_file();
        let sections_same = old.sections.len() == new.sections.len()
            && old.sections.iter().zip(&new.sections).all(|(a, b)| {
                a.id() == b.id()
                    && a.folder == b.folder
                    && a.url_path == b.url_path
                    // A section's own file that came or went: its render, title and the
                    // links into it are not the kept ones. (The old graph's documents were
                    // moved out: its index of documents says which sections had one.)
                    && had_own_file.contains(&a.id()) == b.index.is_some()
                    && b.index
                        .as_ref()
                        .is_none_or(|d| old.node_for_doc(&d.doc_id) == Some(Node::Section(b.id())))
            });
        if !sections_same {
            return Err(FullReason::PageOrSectionMoved);
        }
        // Kept pages at their URLs (a moved URL changes links into the page and its
        // bundle's files).
        if new.pages.iter().any(|page| {
            old.find_page(page.id())
                .is_some_and(|at| old.pages[at].url_path != page.url_path)
        }) {
            return Err(FullReason::PageOrSectionMoved);
        }
        if old.drafts_skipped != new.drafts_skipped || old.future_skipped != new.future_skipped {
            return Err(FullReason::DraftOrFuture);
        }
        if old.assets != new.assets {
            return Err(FullReason::AssetsChanged);
        }
        // Terms: which changed, by taxonomy and slug (the terms views read, [`Read::Term`]),
        // and the taxonomies whose list of terms changed ([`Read::Taxonomy`]).
        let mut changed_reads = Vec::new();
        for (t, (a, b)) in old.taxonomies.iter().zip(&new.taxonomies).enumerate() {
            let old_terms: HashMap<&str, &graph::Term> = a
                .terms
                .iter()
                .map(|term| (term.slug.as_str(), term))
                .collect();
            let mut changed = false;
            for term in &b.terms {
                if old_terms.get(term.slug.as_str()) != Some(&term) {
                    changed = true;
                    changed_reads.push(Read::Term(t, graph::TermKey::of(&term.slug)));
                }
            }
            // A term that is gone.
            for slug in old_terms.keys() {
                if !b.terms.iter().any(|n| n.slug == *slug) {
                    changed = true;
                    changed_reads.push(Read::Term(t, graph::TermKey::of(slug)));
                }
            }
            if changed {
                changed_reads.push(Read::Taxonomy(t));
            }
        }
        let taxonomies_same = old.taxonomies.len() == new.taxonomies.len()
            && old
                .taxonomies
                .iter()
                .zip(&new.taxonomies)
                .all(|(a, b)| a.name == b.name && a.url_path == b.url_path);
        if !taxonomies_same {
            return Err(FullReason::TermsChanged);
        }
        lists_changed(old, new, &mut changed_reads);
        Ok(GraphDelta {
            came,
            gone,
            pages_moved,
            changed_reads,
        })
    }
}

/// Adds to `changed` the reads of the series, journeys, sectors and aliases that differ
/// between `old` and `new` (see [`GraphDelta::changed_reads`]).
fn lists_changed(old: &Site, new: &Site, changed: &mut Vec<Read>) {
    // Series, by slug: a post joining, leaving or moving within one changes its list, its
    // count and the part each post is; its name is its first post's spelling.
    let series = differing(&old.series, &new.series, graph::Series::key);
    for (key, (a, b)) in &series {
        changed.push(Read::Series(*key));
        listed_pages(a.iter().chain(b).flat_map(|s| &s.pages), changed);
    }
    if !series.is_empty() {
        changed.push(Read::AllSeries);
    }
    // Journeys, by section: goal, dates and milestones (a milestone's title, due date or
    // status, and the posts that joined it).
    for (section, (a, b)) in differing(&old.journeys, &new.journeys, |j| j.section) {
        changed.push(Read::Journey(section));
        // The posts of the milestones that changed show them on their cards.
        let (was, now) = (milestones(a.first()), milestones(b.first()));
        for id in was.keys().chain(now.keys()) {
            let (m, n) = (was.get(id), now.get(id));
            if m != n {
                listed_pages(m.into_iter().chain(n).flat_map(|m| &m.pages), changed);
            }
        }
    }
    // Sectors, by section and slug.
    let sectors = differing(&old.sectors, &new.sectors, graph::Sector::key);
    for ((section, key), (a, b)) in &sectors {
        changed.push(Read::Sector(*section, *key));
        listed_pages(a.iter().chain(b).flat_map(|s| &s.pages), changed);
    }
    if !sectors.is_empty() {
        changed.push(Read::AllSectors);
    }
    // Aliases, by URL path (two documents claiming one path is an error of the plan).
    for (key, _) in differing(&old.aliases, &new.aliases, graph::Alias::key) {
        changed.push(Read::Alias(key));
    }
}

/// The items of `old` and `new` that differ, grouped by `key`: for each key whose items
/// are not the same in both, the old items and the new ones (either may be empty: one
/// came or went).
#[allow(clippy::type_complexity)]
fn differing<'s, T: PartialEq, K: Hash + Eq + Copy>(
    old: &'s [T],
    new: &'s [T],
    key: impl Fn(&T) -> K,
) -> Vec<(K, (Vec<&'s T>, Vec<&'s T>))> {
    if old == new {
        return Vec::new();
    }
    let mut by_key: HashMap<K, (Vec<&T>, Vec<&T>)> = HashMap::new();
    for item in old {
        by_key.entry(key(item)).or_default().0.push(item);
    }
    for item in new {
        by_key.entry(key(item)).or_default().1.push(item);
    }
    by_key.into_iter().filter(|(_, (a, b))| a != b).collect()
}

/// A journey's milestones by id (none for a journey that is not there).
fn milestones<'j>(journey: Option<&&'j graph::Journey>) -> BTreeMap<&'j str, &'j graph::Milestone> {
    journey
        .map(|j| j.milestones.iter().map(|m| (m.id.as_str(), m)).collect())
        .unwrap_or_default()
}

/// Marks every page of `pages` changed ([`Read::Page`]): what a card shows of a series,
/// milestone or sector is read while the card is made, which happens again only for a page
/// that changed.
fn listed_pages<'p>(pages: impl Iterator<Item = &'p PageId>, changed: &mut Vec<Read>) {
    changed.extend(pages.map(|&p| Read::Page(p)));
}
