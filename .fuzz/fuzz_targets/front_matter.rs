//! Front matter splitting, YAML/TOML parsing and metadata typing must never panic, and a
//! reported error must point inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::content::read_meta;
use trailmark::front_matter::{normalize, parse, split};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize(text);
    let lines = text.lines().count().max(1);
    match split(&text) {
        Ok(s) => match parse(&s) {
            Ok(fm) => {
                let (_, problems) = read_meta(&fm, "content/fuzz.md", &["tags".to_string()]);
                for p in problems {
                    assert!(p.line <= lines + 1, "diagnostic past the end of the file");
                }
            }
            Err(e) => assert!(
                e.line >= 1 && e.line <= lines + 1,
                "error line {} of {lines}",
                e.line
            ),
        },
        // An opening fence on line 1 that never closes is reported there; front matter
        // misplaced after blank lines or indentation, where it starts.
        Err(e) => assert!(
            e.line >= 1 && e.line <= lines + 1,
            "split error line {} of {lines}",
            e.line
        ),
    }
});
