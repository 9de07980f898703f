//! `trailmark.yaml` text and the URL sanitiser: parsing a config never panics, every
//! problem points inside the text, an accepted config holds no URL that would run script,
//! and the sanitiser returns either its input or `#`, never a script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmark::config::Config;
use trailmark::markdown::{is_executable_url, safe_url};

/// What a browser would read as the scheme: leading spaces and C0 controls dropped, tabs
/// and line breaks removed, ASCII lowercased.
fn runs_script(url: &str) -> bool {
    let seen: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    seen.starts_with("javascript:") || seen.starts_with("vbscript:")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let safe = safe_url(text, false);
    assert!(safe == text || safe == "#", "{safe:?}");
    assert!(!runs_script(safe), "{text:?} passed as {safe:?}");
    assert_eq!(is_executable_url(text, false), safe == "#" && text != "#");
    // YAML breaks lines at a lone `\r` too, which `str::lines` does not: count every break.
    let lines = text.split(['\n', '\r']).count();
    match Config::parse(text) {
        Ok(config) => {
            for url in config
                .menu
                .iter()
                .map(|m| m.url.as_str())
                .chain([
                    config.author.url.as_str(),
                    config.comments.url.as_str(),
                    config.repo_url.as_str(),
                ])
            {
                assert!(!runs_script(url), "config accepted {url:?}");
            }
        }
        Err(problems) => {
            for p in problems {
                assert!(p.line <= lines + 1, "line {} of {lines}", p.line);
            }
        }
    }
});
