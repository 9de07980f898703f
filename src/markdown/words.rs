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
        // Most text is ASCII: classify bytes directly and decode a character only where a
        // byte is not ASCII. This loop was 4% of a cold build's CPU when it decoded every
        // character.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() {
                    if !self.in_word {
                        self.count += 1;
                        self.in_word = true;
                    }
                } else if byte.is_ascii_whitespace() || byte == 0x0b {
                    // `char::is_whitespace` also counts the vertical tab.
                    self.in_word = false;
                }
                at += 1;
                continue;
            }
            // `at` always sits on a character boundary: ASCII bytes step by one, others
            // by their character's length.
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            self.feed_char(c);
        }
    }

    fn feed_char(&mut self, c: char) {
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
    fn the_ascii_fast_path_agrees_with_counting_by_character() {
        let text = "Caf\u{e9} na\u{ef}ve\u{a0}x \t\x0bv\x0c\u{2003}\u{85}r\u{e9}sum\u{e9}s, \
                    \u{65e5}\u{672c} 12-3 \u{1f600} end";
        let mut by_char = WordCounter::default();
        for c in text.chars() {
            by_char.feed_char(c);
        }
        assert_eq!(count(&[text]), by_char.count());
        assert_eq!(count(&[text]), 9);
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
