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
        // Most text is ASCII: it goes through a table, one lookup per byte, and a character
        // is decoded only where a byte is not ASCII. Decoding every character was 4% of a
        // cold build's instructions; testing each byte's class with branches was still 3.5%.
        let mut rest = text;
        loop {
            let ascii = self.feed_ascii(rest.as_bytes());
            // A run of ASCII bytes ends on a character boundary.
            let mut chars = rest[ascii..].chars();
            let Some(c) = chars.next() else {
                return;
            };
            self.feed_char(c);
            rest = chars.as_str();
        }
    }

    /// Counts the words in the ASCII bytes that start `bytes`; returns how many bytes that
    /// was. The state lives in locals: kept in `self`, it was stored back on every byte.
    ///
    /// The table lookup does not depend on the state, so the only chain from one byte to
    /// the next is `in_word`, updated by a select. An earlier table indexed by `in_word`
    /// as well put the load on that chain: 11% of the Markdown stage of a 10,000-page
    /// build, and 1.7-2.5 times as slow as this loop on text in 55-byte pieces.
    fn feed_ascii(&mut self, bytes: &[u8]) -> usize {
        let mut count = self.count;
        let mut in_word = self.in_word;
        let mut ascii = bytes.len();
        for (at, &byte) in bytes.iter().enumerate() {
            let class = ASCII_CLASS[usize::from(byte)];
            if class == NOT_ASCII {
                ascii = at;
                break;
            }
            let alphanumeric = class == ALPHANUMERIC;
            count += usize::from(alphanumeric && !in_word);
            // Spaces end a word and letters or digits are in one; anything else (`'`,
            // `-`) leaves the state as it was.
            in_word = if class == OTHER {
                in_word
            } else {
                alphanumeric
            };
        }
        self.count = count;
        self.in_word = in_word;
        ascii
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

/// [`ASCII_CLASS`] values: how a byte counts, the ASCII half of [`WordCounter::feed_char`].
const SPACE: u8 = 0;
const ALPHANUMERIC: u8 = 1;
/// Punctuation and symbols: part of a word inside one, no word on their own.
const OTHER: u8 = 2;
/// Not ASCII: the character must be decoded.
const NOT_ASCII: u8 = 3;

/// The class of every byte.
static ASCII_CLASS: [u8; 256] = ascii_classes();

const fn ascii_classes() -> [u8; 256] {
    let mut classes = [0; 256];
    let mut byte: u8 = 0;
    loop {
        classes[byte as usize] = if !byte.is_ascii() {
            NOT_ASCII
        } else if byte.is_ascii_alphanumeric() {
            ALPHANUMERIC
        } else if byte.is_ascii_whitespace() || byte == 0x0b {
            // `char::is_whitespace` also counts the vertical tab.
            SPACE
        } else {
            OTHER
        };
        if byte == u8::MAX {
            return classes;
        }
        byte += 1;
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
    fn the_class_table_agrees_with_feed_char_for_every_ascii_byte() {
        for in_word in [false, true] {
            for byte in 0..=0x7f_u8 {
                let mut by_table = WordCounter { count: 0, in_word };
                by_table.feed(std::str::from_utf8(&[byte]).expect("ASCII is UTF-8"));
                let mut by_char = WordCounter { count: 0, in_word };
                by_char.feed_char(char::from(byte));
                assert_eq!(
                    (by_table.count, by_table.in_word),
                    (by_char.count, by_char.in_word),
                    "byte {byte:#04x}, in a word: {in_word}"
                );
            }
        }
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
