//! Byte offsets in the parsed text to 1-based lines and columns in the source file.

/// Maps offsets in one body to file positions. Columns count characters, so a caret under
/// a diagnostic lines up with what the user sees.
pub(crate) struct Locator<'s> {
    text: &'s [u8],
    /// Byte offset where each line of the body starts.
    line_starts: Vec<usize>,
    first_line: usize,
    /// The last answer, as (offset, line index, column). Offsets mostly arrive in increasing
    /// order, so counting on from here keeps a long line with many links linear.
    cursor: (usize, usize, usize),
}

impl<'s> Locator<'s> {
    pub(crate) fn new(text: &'s str, first_line: usize) -> Self {
        // memchr's SIMD search: testing every byte here was 1.7% of a cold build's
        // instructions, for a few hundred line starts a page.
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text: text.as_bytes(),
            line_starts,
            first_line,
            cursor: (0, 0, 1),
        }
    }

    /// 0-based index of the line holding `offset`.
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The file's line and column for `offset`.
    pub(crate) fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let (cursor_offset, cursor_line, cursor_column) = self.cursor;
        let column = if cursor_line == line && cursor_offset <= offset {
            cursor_column + self.chars_between(cursor_offset, offset)
        } else {
            let start = self.line_starts.get(line).copied().unwrap_or(0);
            1 + self.chars_between(start, offset)
        };
        self.cursor = (offset, line, column);
        (self.file_line(line), column)
    }

    /// The file's line number for a 0-based body line.
    pub(crate) fn file_line(&self, line_index: usize) -> usize {
        self.first_line.saturating_add(line_index)
    }

    /// Characters in `text[from..to]`, counted as UTF-8 lead bytes so it never needs a char
    /// boundary.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        self.text.get(from..to).map_or(0, |bytes| {
            bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_character_columns() {
        let text = "ab\nçé[x]\n\nlast";
        let mut at = Locator::new(text, 5);
        assert_eq!(at.locate(0), (5, 1));
        assert_eq!(at.locate(1), (5, 2));
        let link = text.find('[').unwrap_or_default();
        assert_eq!(at.locate(link), (6, 3));
        assert_eq!(at.locate(text.len()), (8, 5));
        // Going backwards still answers correctly.
        assert_eq!(at.locate(3), (6, 1));
        assert_eq!(at.line_index(text.len()), 3);
    }
}
