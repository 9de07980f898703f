//! What changed between the last graph and the new one beyond the documents a rebuild read
//! again ([`GraphDelta`]): which pages came or went, and which reads of the views
//! ([`crate::graph::reads::Read`]) the change of the graph's other parts reaches. A change it
//! cannot express (a section added, a page's URL moved) is said with the reason the graph
//! step recomputed everything downstream ([`FullReason`]).

use std::collections::{HashMap, HashSet};

use super::report::FullReason;
use crate::graph::reads::Read;
use crate::graph::{self, Node, PageId, Site};

/// What changed between the last graph and the new one beyond the edited documents. Ids
/// are derived from documents (`graph::Ids`), so a page kept is the same id in both and
/// nothing is translated: what is left to work out is which pages came or went, and which
/// terms changed (views record terms by slug).
pub(super) struct GraphDelta {
    /// Pages of the new graph the last one does not have.
    pub came: HashSet<PageId>,
    /// Pages of the last graph the new one does not have.
    pub gone: Vec<PageId>,
    /// Pages came or went: the tables indexed like `Site::pages` (renders, cards) are laid
    /// out again.
    pub pages_moved: bool,
    /// The terms ([`Read::Term`]) and taxonomies ([`Read::Taxonomy`]) that changed.
    pub changed_terms: Vec<Read>,
}

impl GraphDelta {
    /// The same graph: no page came or went, nothing else changed.
    pub fn none() -> GraphDelta {
        GraphDelta {
            came: HashSet::new(),
            gone: Vec::new(),
            pages_moved: false,
            changed_terms: Vec::new(),
        }
    }

    /// Which pages of `old` and `new` came or went, and whether the site kept its
    /// sections (the same folders at the same URLs, with the same index documents), its
    /// drafts and future posts, series, journeys, sectors, aliases and assets.
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
        let sections_same = old.sections.len() == new.sections.len()
            && old.sections.iter().zip(&new.sections).all(|(a, b)| {
                a.id() == b.id()
                    && a.folder == b.folder
                    && a.url_path == b.url_path
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
        let series_same = old.series == new.series;
        let journeys_same = old.journeys == new.journeys;
        let sectors_same = old.sectors == new.sectors;
        let aliases_same = old.aliases == new.aliases;
        if !series_same
            || !journeys_same
            || !sectors_same
            || !aliases_same
            || old.assets != new.assets
        {
            return Err(FullReason::SeriesJourneysOrAssetsChanged);
        }
        // Terms: which changed, by taxonomy and slug (the terms views read, [`Read::Term`]),
        // and the taxonomies whose list of terms changed ([`Read::Taxonomy`]).
        let mut changed_terms = Vec::new();
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
                    changed_terms.push(Read::Term(t, graph::TermKey::of(&term.slug)));
                }
            }
            // A term that is gone.
            for slug in old_terms.keys() {
                if !b.terms.iter().any(|n| n.slug == *slug) {
                    changed = true;
                    changed_terms.push(Read::Term(t, graph::TermKey::of(slug)));
                }
            }
            if changed {
                changed_terms.push(Read::Taxonomy(t));
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
        Ok(GraphDelta {
            came,
            gone,
            pages_moved,
            changed_terms,
        })
    }
}
