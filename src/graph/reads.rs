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

use super::{PageId, SectionId};

/// One thing a view can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Read {
    /// A page: its place in the graph, its front matter or its rendered Markdown.
    Page(PageId),
    /// A section: its place, its children, its index page or its rendered Markdown.
    Section(SectionId),
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
