//! The table of contents: nests the flat list of headings by level.

use super::TocEntry;

/// Nests `flat` (headings in page order) so each entry holds the deeper entries that follow
/// it. A skipped level (`h2` then `h4`) still nests under the nearest shallower entry, and
/// an entry with no shallower entry before it stays at the top.
pub(crate) fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots = Vec::new();
    // The chain of entries that can still receive children, shallowest first.
    let mut open: Vec<TocEntry> = Vec::new();
    for entry in flat {
        while open.last().is_some_and(|top| top.level >= entry.level) {
            if let Some(done) = open.pop() {
                attach(&mut open, &mut roots, done);
            }
        }
        open.push(entry);
    }
    while let Some(done) = open.pop() {
        attach(&mut open, &mut roots, done);
    }
    roots
}

fn attach(open: &mut [TocEntry], roots: &mut Vec<TocEntry>, entry: TocEntry) {
    match open.last_mut() {
        Some(parent) => parent.children.push(entry),
        None => roots.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, id: &str) -> TocEntry {
        TocEntry {
            level,
            id: id.to_string(),
            title: id.to_string(),
            children: Vec::new(),
        }
    }

    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level() {
        let flat = vec![
            entry(2, "a"),
            entry(3, "a1"),
            entry(4, "a1x"),
            entry(3, "a2"),
            entry(2, "b"),
            entry(4, "b-skip"),
            entry(3, "b1"),
        ];
        assert_eq!(shape(&nest(flat)), "a(a1(a1x) a2) b(b-skip b1)");
    }

    #[test]
    fn deeper_first_entries_stay_at_top() {
        let flat = vec![entry(4, "x"), entry(3, "y"), entry(2, "z"), entry(3, "z1")];
        assert_eq!(shape(&nest(flat)), "x y z(z1)");
    }
}
