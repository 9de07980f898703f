//! Heading ids: the slug rule shared with other modules, and uniqueness within one page.

use std::collections::{HashMap, HashSet};

/// Turns heading text into an anchor id, as GitHub does (and Hugo by default), so links
/// written for a repository's rendered Markdown keep working.
///
/// Lowercases; keeps Unicode letters, digits and marks (so `日本語` stays `日本語`), `-` and
/// `_`; turns each space into `-` and drops everything else. Nothing is collapsed or
/// trimmed: `Step 1: notify & wait` gives `step-1-notify--wait`, `a / b` gives `a--b`.
/// Text with nothing to keep but spaces and dashes gives `section`. The same text always gives the same slug, so
/// links to a heading survive rebuilds; repeats get `-1`, `-2` from [`IdRegistry::claim`].
pub fn slugify_anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' || c == '-' {
            out.push('-');
        } else if is_kept(c) || is_connector(c) {
            out.extend(c.to_lowercase());
        }
    }
    if out.bytes().all(|b| b == b'-') {
        "section".to_string()
    } else {
        out
    }
}

/// Turns heading text into an anchor id as Zola does by default (`slugify.anchors = "on"`),
/// so links written for a Zola site keep working: letters and symbols of other scripts are
/// transliterated to ASCII first (`Ünïcödé` gives `unicode`, `🦀` gives `crab`, `日本語`
/// gives `ri-ben-yu`), then lowercase ASCII letters and digits are kept and every run of
/// anything else is one `-`, with no dash at either end. `What's next?` gives `what-s-next`,
/// `1.31.0` gives `1-31-0`. Text with nothing to keep gives `section`.
pub fn slugify_anchor_compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char| {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c);
        } else {
            // A character with no transliteration separates words, as punctuation does.
            deunicode::deunicode_char(c)
                .unwrap_or("-")
                .chars()
                .for_each(&mut push);
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Connector punctuation (Unicode `Pc`): `_` and its relatives, kept by GitHub.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

fn is_kept(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Marks that are part of a word but not letters to `char::is_alphanumeric` (accents written
/// as combining characters, vowel signs and viramas of Indic scripts, Hebrew and Arabic
/// points). Dropping them would cut words such as `हिन्दी` into pieces.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}'
            | '\u{05C1}'..='\u{05C2}'
            | '\u{05C4}'..='\u{05C5}'
            | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{3099}'..='\u{309A}'
            | '\u{FE20}'..='\u{FE2F}'
    ) || is_brahmic_sign(c)
}

/// Indic, Thai, Lao and Myanmar blocks: everything but spaces and the sentence marks
/// (danda, Thai fongman and angkhankhu) belongs to a word.
fn is_brahmic_sign(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0DFF}' | '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}')
        && !c.is_whitespace()
        && !matches!(
            c,
            '\u{0964}' | '\u{0965}' | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}'
        )
}

/// Ids the default theme writes around a page's content: the skip link's target, the
/// search box, the table of contents and the titles of its boxes. A heading never takes
/// one (`## Main` gets `main-1`), so a built page has one element per id. Sorted: the
/// registry binary-searches it.
const THEME_IDS: &[&str] = &[
    "about-title",
    "children-title",
    "contents-title",
    "course-notes-title",
    "course-outline",
    "explore-title",
    "goal-title",
    "handbook-nav",
    "latest-title",
    "learner-name",
    "lessons-title",
    "main",
    "milestones-title",
    "outline-title",
    "overview-title",
    "posts-title",
    "print-contents-title",
    "progress-milestones",
    "progress-time",
    "recent-title",
    "results-title",
    "schedule-title",
    "series-title",
    "site-menu",
    "site-menu-toggle",
    "site-search-hint",
    "site-search-input",
    "site-search-results",
    "toc-title",
];

/// The ids already used in one page, handing out unique ones.
#[derive(Debug, Default)]
pub(crate) struct IdRegistry {
    used: HashSet<String>,
    /// Taken before the page starts, sorted for binary search. Looked up rather than copied
    /// into `used`: inserting the theme's 27 ids was 0.7% of a cold build's instructions.
    taken: &'static [&'static str],
    /// The next suffix to try per base id, so a page with thousands of identical headings
    /// does not probe `-1`, `-2`, ... from the start each time.
    next_suffix: HashMap<String, usize>,
}

impl IdRegistry {
    /// The registry for one page's body: the theme's ids are taken.
    pub(crate) fn for_page() -> Self {
        Self {
            taken: THEME_IDS,
            ..Self::default()
        }
    }

    pub(crate) fn is_used(&self, id: &str) -> bool {
        self.used.contains(id) || self.taken.binary_search(&id).is_ok()
    }

    /// Whether any id taken starts with `prefix`.
    pub(crate) fn any_with_prefix(&self, prefix: &str) -> bool {
        self.used.iter().any(|id| id.starts_with(prefix))
            || self.taken.iter().any(|id| id.starts_with(prefix))
    }

    /// Marks `id` as used, as written (ids from raw HTML cannot be renamed).
    pub(crate) fn reserve(&mut self, id: &str) {
        if !self.is_used(id) {
            self.used.insert(id.to_string());
        }
    }

    /// Returns `base` if it is free, else the first free `base-1`, `base-2`, ...; marks the
    /// result as used.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        if !self.is_used(base) {
            self.used.insert(base.to_string());
            return base.to_string();
        }
        let mut n = self.next_suffix.get(base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.is_used(&candidate) {
                self.next_suffix.insert(base.to_string(), n);
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id the default theme's templates write literally (`id="toc-title"`, not built
    /// from a variable), outside Tera comments.
    fn literal_theme_ids() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        let mut ids = Vec::new();
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.expect("the theme's templates can be listed");
            if !entry.file_type().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("a template is text");
            let mut rest = text.as_str();
            // Tera comments (`{# ... #}`) hold usage examples, not markup.
            let mut markup = String::new();
            while let Some(start) = rest.find("{#") {
                markup.push_str(&rest[..start]);
                rest = rest[start..]
                    .find("#}")
                    .map_or("", |end| &rest[start + end + 2..]);
            }
            markup.push_str(rest);
            for (at, _) in markup.match_indices(" id=\"") {
                let value = &markup[at + 5..];
                let value = &value[..value.find('"').unwrap_or(0)];
                if !value.contains('{') {
                    ids.push(value.to_string());
                }
            }
        }
        ids
    }

    #[test]
    fn theme_ids_lists_every_id_the_default_theme_writes() {
        let ids = literal_theme_ids();
        assert!(ids.len() >= THEME_IDS.len(), "found only {ids:?}");
        for id in ids {
            assert!(
                THEME_IDS.contains(&id.as_str()),
                "the default theme writes id=\"{id}\": add it to THEME_IDS so no heading takes it"
            );
        }
    }

    #[test]
    fn theme_ids_are_sorted_for_binary_search() {
        assert!(THEME_IDS.is_sorted(), "keep THEME_IDS in byte order");
    }

    #[test]
    fn registry_for_page_takes_theme_ids() {
        let mut ids = IdRegistry::for_page();
        assert!(ids.is_used("main"));
        assert_eq!(ids.claim("main"), "main-1");
        assert!(ids.any_with_prefix("toc-"));
        ids.reserve("main");
        assert_eq!(ids.claim("main"), "main-2");
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slugify_anchor("Hello, World!"), "hello-world");
        assert_eq!(
            slugify_anchor("Step 1: notify & wait"),
            "step-1-notify--wait"
        );
        assert_eq!(slugify_anchor("C++ & Rust: a tour"), "c--rust-a-tour");
        assert_eq!(
            slugify_anchor("snake_case and kebab-case"),
            "snake_case-and-kebab-case"
        );
        assert_eq!(slugify_anchor("Version 2.0"), "version-20");
        assert_eq!(slugify_anchor("Input / output"), "input--output");
        assert_eq!(slugify_anchor("What?! Really..."), "what-really");
        assert_eq!(slugify_anchor("-Dashes- kept-"), "-dashes--kept-");
    }

    #[test]
    fn slugs_keep_unicode_letters() {
        assert_eq!(slugify_anchor("日本語の見出し"), "日本語の見出し");
        assert_eq!(slugify_anchor("中文 标题"), "中文-标题");
        assert_eq!(slugify_anchor("Über uns: Café"), "über-uns-café");
        assert_eq!(slugify_anchor("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slugify_anchor("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(slugify_anchor("Cafe\u{301}"), "cafe\u{301}");
    }

    #[test]
    fn compact_slugs_follow_zola() {
        assert_eq!(slugify_anchor_compact("What's next?"), "what-s-next");
        assert_eq!(
            slugify_anchor_compact("Contributors to 1.31.0"),
            "contributors-to-1-31-0"
        );
        assert_eq!(slugify_anchor_compact("!!!"), "section");
        assert_eq!(slugify_anchor_compact("I-unsound (🦀)"), "i-unsound-crab");
        assert_eq!(slugify_anchor_compact("Ünïcödé Straße"), "unicode-strasse");
        assert_eq!(slugify_anchor_compact("Cafe\u{301} crème"), "cafe-creme");
        assert_eq!(slugify_anchor_compact("日本語"), "ri-ben-yu");
        assert_eq!(slugify_anchor_compact("🎉 Party"), "tada-party");
    }

    #[test]
    fn empty_slug_is_section() {
        assert_eq!(slugify_anchor(""), "section");
        assert_eq!(slugify_anchor("!!! ???"), "section");
        assert_eq!(slugify_anchor("🎉"), "section");
    }

    #[test]
    fn registry_suffixes_repeats() {
        let mut ids = IdRegistry::default();
        assert_eq!(ids.claim("intro"), "intro");
        assert_eq!(ids.claim("intro"), "intro-1");
        ids.reserve("intro-2");
        assert_eq!(ids.claim("intro"), "intro-3");
        assert!(ids.is_used("intro-2"));
        assert!(!ids.is_used("other"));
    }
}
