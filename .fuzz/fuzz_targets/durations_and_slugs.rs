//! Durations, dates and slugs: never panic, and slugs are always safe URL segments.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::content::{parse_date, parse_duration_minutes, slugify, split_file_stem};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_duration_minutes(text);
    let _ = parse_date(text);
    let (_, _, name) = split_file_stem(text);
    assert!(text.ends_with(name), "the name is a suffix of the stem");
    let slug = slugify(text);
    assert!(
        !slug.contains('/') && !slug.contains('.') && !slug.contains('\\'),
        "{slug:?}"
    );
    assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
    assert_eq!(slugify(&slug), slug, "slugify is idempotent");
});
