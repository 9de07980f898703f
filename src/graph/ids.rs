//! Page and section ids derived from the document, stable for a whole session.
//!
//! A page's id is the interned key of its document ([`DocKey`]: its content path and a
//! language slot), a section's the interned key of its folder, so the same file has the
//! same id in every graph a session assembles, whatever other files come or go. That lets
//! `serve` keep what it recorded against one graph (what each output read, each page's
//! render, each job) for the next without translating it.
//!
//! An id says which document, never where: two sessions that met the same files in another
//! order number them differently, so nothing a user sees may be ordered by id (the graph's
//! order is `Site::pages`, `Site::sections` and each section's children). Ids are small
//! (`u32`) and `Copy`: a graph finds a page by id through one table lookup.
//!
//! Room for more: a page's translations are keyed apart by the language slot (`None` until
//! sites have languages), and assets (image variants, share cards) can get a table here of
//! their own when they become queries.

use std::collections::HashMap;

/// A page, by its document; the same in every graph of a session (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageId(u32);

/// A section, by its folder; the same in every graph of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SectionId(u32);

macro_rules! raw_id {
    ($id:ident) => {
        impl $id {
            /// The id as a number, for keys that leave the graph as text (a reference to a
            /// shared view part) or index a table by id; never an order or a position.
            pub fn raw(self) -> u32 {
                self.0
            }

            /// The id a [`raw`](Self::raw) number names.
            pub fn from_raw(raw: u32) -> Self {
                $id(raw)
            }

            pub(super) fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
raw_id!(PageId);
raw_id!(SectionId);

/// The site's top section (`content/` itself): interned first by every [`Ids`].
pub const ROOT: SectionId = SectionId(0);

/// Which translation of a document (a slot in the site's languages); sites have one
/// language today, so every key's slot is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(pub u16);

/// What a page's id is derived from: its document and its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocKey<'a> {
    /// Content-relative path of the document (a section's: its folder).
    pub doc_id: &'a str,
    pub language: Option<Language>,
}

impl<'a> DocKey<'a> {
    /// The key of a document in the site's only language.
    pub fn of(doc_id: &'a str) -> Self {
        DocKey {
            doc_id,
            language: None,
        }
    }
}

/// One interning table: a key's number, given in order of first sight and never reused.
#[derive(Debug, Clone, Default)]
struct Table {
    /// By path, the numbers of its language slots (one today).
    known: HashMap<Box<str>, Vec<(Option<Language>, u32)>>,
    next: u32,
    /// Remembers nothing (a one-shot build assembles one graph): each call is a new number.
    forgetful: bool,
}

impl Table {
    fn intern(&mut self, key: DocKey<'_>) -> u32 {
        if !self.forgetful {
            if let Some(slots) = self.known.get(key.doc_id)
                && let Some(&(_, n)) = slots.iter().find(|(l, _)| *l == key.language)
            {
                return n;
            }
            self.known
                .entry(key.doc_id.into())
                .or_default()
                .push((key.language, self.next));
        }
        let n = self.next;
        self.next += 1;
        n
    }
}

/// The session's ids: pages by [`DocKey`], sections by folder. Given to every
/// `graph::assemble` of a session, so its graphs agree.
#[derive(Debug, Clone)]
pub struct Ids {
    pages: Table,
    sections: Table,
}

impl Default for Ids {
    fn default() -> Self {
        Self::new()
    }
}

impl Ids {
    /// A session's ids: they remember every key they gave a number.
    pub fn new() -> Self {
        Self::with(false)
    }

    /// Ids for a single graph (a one-shot build): numbers in order of first sight, no
    /// table kept (it would hold every document's path once more). Each key must be asked
    /// for once.
    pub fn one_graph() -> Self {
        Self::with(true)
    }

    fn with(forgetful: bool) -> Self {
        let mut ids = Ids {
            pages: Table {
                forgetful,
                ..Table::default()
            },
            sections: Table {
                forgetful,
                ..Table::default()
            },
        };
        let root = ids.sections.intern(DocKey::of(""));
        debug_assert_eq!(root, ROOT.0);
        ids
    }

    /// The id of the page whose document is `key`.
    pub fn page(&mut self, key: DocKey<'_>) -> PageId {
        PageId(self.pages.intern(key))
    }

    /// The id of the section of `folder` (content-relative, `""` for `content/`):
    /// sections are keyed by folder, with or without an index file.
    pub fn section(&mut self, folder: &str) -> SectionId {
        if folder.is_empty() {
            return ROOT;
        }
        SectionId(self.sections.intern(DocKey::of(folder)))
    }

    /// One past the largest page id given (the size of a table indexed by page id).
    pub fn page_bound(&self) -> usize {
        self.pages.next as usize
    }

    /// One past the largest section id given.
    pub fn section_bound(&self) -> usize {
        self.sections.next as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_keeps_its_id_and_ids_are_not_reused() {
        let mut ids = Ids::new();
        let a = ids.page(DocKey::of("blog/a.md"));
        let b = ids.page(DocKey::of("blog/b.md"));
        assert_ne!(a, b);
        assert_eq!(ids.page(DocKey::of("blog/a.md")), a);
        let translated = ids.page(DocKey {
            doc_id: "blog/a.md",
            language: Some(Language(1)),
        });
        assert!(translated != a && translated != b);
        assert_eq!(ids.section(""), ROOT);
        let blog = ids.section("blog");
        assert_ne!(blog, ROOT);
        assert_eq!(ids.section("blog"), blog);
        assert_eq!(ids.page_bound(), 3);
    }
}
