//! Word counting for reading time.
//!
//! A word is a run of non-space characters holding at least one letter or digit, so
//! `don't` and `well-known` are one word and a lone `-` is none. Chinese and Japanese are
//! written without spaces, so each of their characters counts as a word; that keeps reading
//! times in the right range for those pages instead of calling a whole paragraph one word.

#[derive(Debug, Default)]
pub(crate) struct WordCounter {
    count: usize,
    in_word: bool,
}

impl WordCounter {
    /// Counts the words of `text`. A word may continue from the previous call, because
    /// inline markup splits text (`foo*bar*` is one word).
    pub(crate) fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if is_cjk(c) {
                self.count += 1;
                self.in_word = false;
            } else if c.is_whitespace() {
                self.in_word = false;
            } else if c.is_alphanumeric() && !self.in_word {
                self.count += 1;
                self.in_word = true;
            }
        }
    }

    /// Ends the current word (a line break or the edge of a block).
    pub(crate) fn boundary(&mut self) {
        self.in_word = false;
    }

    pub(crate) fn count(&self) -> usize {
        self.count
    }
}

/// Han ideographs and Japanese kana.
fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{3040}'..='\u{30FF}'
            | '\u{31F0}'..='\u{31FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF66}'..='\u{FF9D}'
            | '\u{20000}'..='\u{3134F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(parts: &[&str]) -> usize {
        let mut words = WordCounter::default();
        for part in parts {
            words.feed(part);
        }
        words.count()
    }

    #[test]
    fn counts_latin_words() {
        assert_eq!(count(&["Hello, world - it's a well-known fact."]), 6);
        assert_eq!(count(&["foo", "bar"]), 1);
        assert_eq!(count(&["  ", "-- ... --"]), 0);
    }

    #[test]
    fn counts_each_cjk_character() {
        assert_eq!(count(&["日本語のテキスト"]), 8);
        assert_eq!(count(&["中文。Rust 很好"]), 5);
    }

    #[test]
    fn boundary_splits_words() {
        let mut words = WordCounter::default();
        words.feed("end");
        words.boundary();
        words.feed("start");
        assert_eq!(words.count(), 2);
    }
}
