//! Which parts of the site a piece of code read, for `serve`'s rebuilds.
//!
//! While a job's view is built, every page and section it looks at through [`Site::page`]
//! and [`Site::section`] (and every card or tree it takes from the view source) is noted on
//! the current thread. A later rebuild that changed some pages then renders again exactly
//! the jobs that read one of them. Recording is off unless [`recording`] is running, so a
//! plain build pays one thread-local check per lookup.
//!
//! [`Site::page`]: super::Site::page
//! [`Site::section`]: super::Site::section

use std::cell::RefCell;

use super::{PageId, SectionId, TermKey};

/// One thing a view can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Read {
    /// A page: its place in the graph and its front matter.
    Page(PageId),
    /// A page's rendered Markdown: its HTML, summary, table of contents, word count, lesson
    /// blocks (`ViewSource::rendered`, `ViewSource::page_html`). A body edit changes this
    /// and not [`Read::Page`].
    PageBody(PageId),
    /// A section: its place, title, kind, neighbours, index page or rendered Markdown; not
    /// its children ([`Read::SectionChildren`]).
    Section(SectionId),
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
    list.sort_unstable();
    list.dedup();
    (result, list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside_recording_and_nests() {
        note(Read::Page(PageId(9)));
        let ((), outer) = recording(|| {
            note(Read::Page(PageId(2)));
            let ((), inner) = recording(|| note(Read::Section(SectionId(1))));
            assert_eq!(inner, [Read::Section(SectionId(1))]);
            note(Read::Page(PageId(1)));
            note(Read::Page(PageId(2)));
        });
        assert_eq!(outer, [Read::Page(PageId(1)), Read::Page(PageId(2))]);
    }
}
