//! Slugs: the URL segment of a page or section, and the prefixes dropped from file names.

use unicode_normalization::UnicodeNormalization;

/// The slug of a term, a series or a sector: `+` and `#` are spelt out first, so `C++`,
/// `C#` and `C` get three (`c-plus-plus`, `c-sharp`, `c`) instead of silently merging into
/// one. Empty when the name has no letter or digit (`🦀`, `!!!`): such a name gets no page,
/// and the graph says so.
pub fn term_slug(name: &str) -> String {
    if !name.contains(['+', '#']) {
        return slugify(name);
    }
    slugify(&name.replace('+', " plus ").replace('#', " sharp "))
}

/// Lowercases and keeps letters and digits of any script; every other run of characters
/// becomes one `-`. `"Why Train Your Social-Media Manager?"` gives
/// `why-train-your-social-media-manager`. Text is normalised to NFC first, so `Café` typed
/// on a Mac (decomposed) and on Windows (composed) give the same slug.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfc() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            // `İ` lowercases to `i` and a combining dot, which is not a letter: keeping
            // the dot would give a slug that slugifies to something else.
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if c != '\'' && c != '’' {
            // Apostrophes vanish ("what's" → "whats") rather than splitting a word.
            pending_dash = true;
        }
    }
    // Dropping characters can leave combining marks side by side that NFC orders
    // differently; normalising the result keeps `slugify(slugify(x)) == slugify(x)`.
    if slug.is_ascii() {
        slug
    } else {
        slug.nfc().collect()
    }
}

/// Splits a file stem into an ordering prefix, a date and the name the slug comes from:
/// `02-planning` → `(Some(2), None, "planning")`, `2013-05-01-baselining` →
/// `(None, Some("2013-05-01"), "baselining")`.
pub fn split_file_stem(stem: &str) -> (Option<u64>, Option<&str>, &str) {
    if let Some((date, rest)) = split_date_prefix(stem) {
        return (None, Some(date), rest);
    }
    if is_date(stem) {
        // A file named only by its date keeps the date as its name.
        return (None, Some(stem), stem);
    }
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 9 {
        let rest = &stem[digits..];
        if let Some(name) = rest
            .strip_prefix(['-', '_', '.', ' '])
            .filter(|n| !n.is_empty())
        {
            return (stem[..digits].parse().ok(), None, name);
        }
    }
    (None, None, stem)
}

/// `2013-05-01`, or with the one-digit months and days Jekyll accepts (`2020-1-2`).
fn is_date(text: &str) -> bool {
    date_len(text) == Some(text.len())
}

/// The length of the date that `text` starts with: four digits, a dash, one or two digits,
/// a dash, one or two digits.
fn date_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    if digits(0) != 4 || bytes.get(4) != Some(&b'-') {
        return None;
    }
    let month = digits(5);
    if !(1..=2).contains(&month) || bytes.get(5 + month) != Some(&b'-') {
        return None;
    }
    let day = digits(6 + month);
    (1..=2).contains(&day).then_some(6 + month + day)
}

fn split_date_prefix(stem: &str) -> Option<(&str, &str)> {
    let len = date_len(stem)?;
    let bytes = stem.as_bytes();
    if bytes.len() < len + 2 || !matches!(bytes[len], b'-' | b'_') {
        return None;
    }
    // The date and its separator are ASCII, so the next byte starts a character.
    Some((&stem[..len], &stem[len + 1..]))
}

/// File names Windows refuses whatever the extension; a site using one as a slug could not
/// be checked out or built there.
pub fn is_reserved_name(slug: &str) -> bool {
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_examples() {
        assert_eq!(
            slugify("Why Train Your Social-Media Manager?"),
            "why-train-your-social-media-manager"
        );
        assert_eq!(slugify("  What's next  "), "whats-next");
        assert_eq!(slugify("Ünïcode Straße"), "ünïcode-straße");
        assert_eq!(slugify("検索の使い方"), "検索の使い方");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify("Cafe\u{301}"), slugify("Caf\u{e9}"));
    }

    #[test]
    fn jekyll_dates_in_file_names() {
        assert_eq!(
            split_file_stem("2020-1-02-new-year"),
            (None, Some("2020-1-02"), "new-year")
        );
        assert_eq!(
            split_file_stem("2022-12-7-advent"),
            (None, Some("2022-12-7"), "advent")
        );
        assert_eq!(
            split_file_stem("2022-12-7"),
            (None, Some("2022-12-7"), "2022-12-7")
        );
        assert_eq!(
            split_file_stem("2022-123-7-x"),
            (Some(2022), None, "123-7-x")
        );
    }

    #[test]
    fn multibyte_characters_near_the_date_prefix() {
        // Found by the durations_and_slugs fuzz target: slicing at byte 10 split a character.
        assert_eq!(
            split_file_stem("a1o5meStr\u{691f}e"),
            (None, None, "a1o5meStr\u{691f}e")
        );
        assert_eq!(
            split_file_stem("21h013-0{\u{d7}3"),
            (None, None, "21h013-0{\u{d7}3")
        );
        assert_eq!(
            split_file_stem("2025-01-0\u{e9}-x"),
            (Some(2025), None, "01-0\u{e9}-x")
        );
    }

    #[test]
    fn slugify_is_idempotent_with_combining_marks() {
        // Found by the durations_and_slugs fuzz target (Hebrew points around dropped text).
        let input =
            "\u{5}\u{5ff}`     \u{5}\u{5bf}\u{5bf}'\u{5bf}\u{5bf}\u{5bf}\u{5b7}$\u{11}B\u{5b7}";
        let once = slugify(input);
        assert_eq!(slugify(&once), once);
    }

    #[test]
    fn reserved_names() {
        for name in ["con", "NUL", "aux", "com1", "lpt9", "con.html"] {
            assert!(is_reserved_name(name), "{name}");
        }
        for name in ["console", "com0", "comic", "null", "auxiliary"] {
            assert!(!is_reserved_name(name), "{name}");
        }
    }

    #[test]
    fn prefixes_are_split() {
        assert_eq!(split_file_stem("02-planning"), (Some(2), None, "planning"));
        assert_eq!(
            split_file_stem("2013-05-01-baselining"),
            (None, Some("2013-05-01"), "baselining")
        );
        assert_eq!(split_file_stem("planning"), (None, None, "planning"));
        assert_eq!(split_file_stem("2024"), (None, None, "2024"));
        assert_eq!(split_file_stem("10_wrap_up"), (Some(10), None, "wrap_up"));
        assert_eq!(
            split_file_stem("2013-05-01"),
            (None, Some("2013-05-01"), "2013-05-01")
        );
    }
}
