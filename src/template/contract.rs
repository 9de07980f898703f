//! `themes/default/CONTRACT.md` held to the typed views: every field a view struct gives a
//! template is documented where the contract describes that variable, and every field the
//! contract lists there is one the struct has. A field added, renamed or removed on either
//! side fails `cargo test --lib contract`, naming the field.
//!
//! The contract is prose for theme authors, so the test reads it loosely: a variable's
//! description is a stretch of text (from a start marker to an end marker), and its fields
//! are the `` `backticked` `` identifiers in that stretch. A sample of the view (with one
//! item in each list, so nested fields show) gives the struct's side.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::views::cards::{Card, CardSeries, SectionCard, TreeEntry};
use super::views::listing::{
    Pagination, RedirectView, SitemapEntry, TaxonomyLink, TaxonomyTerm, TaxonomyView, TermView,
};
use super::views::page::{PageView, SectionView, SectorLink};
use super::views::progress::{
    ArchiveMonth, ArchiveView, ArchiveYear, SeriesEntry, SeriesView, Testimonial,
};
use super::views::site::{FeedEntry, FeedView, MenuLink, SearchBundle, SiteGlobals};

const CONTRACT: &str = include_str!("../../themes/default/CONTRACT.md");

/// Where the contract describes one view.
struct Described<'a> {
    /// The view, for messages (`term`).
    name: &'a str,
    /// Stretches of the contract, each from a start marker to the first end marker after it.
    spans: &'a [(&'a str, &'a str)],
    /// Identifiers in those stretches that are not fields (the variable's own name, a
    /// template name, a config key).
    not_fields: &'a [&'a str],
    /// Fields whose value is described elsewhere in the contract (a card, `pagination`):
    /// their own fields are not looked for here.
    parts_elsewhere: &'a [&'a str],
}

fn documented(described: &Described<'_>) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for (start, end) in described.spans {
        let Some(from) = CONTRACT.find(start) else {
            panic!(
                "CONTRACT.md no longer has {start:?}, where `{}` is described",
                described.name
            );
        };
        let rest = &CONTRACT[from..];
        let to = rest[start.len()..]
            .find(end)
            .map_or(rest.len(), |i| start.len() + i + end.len());
        let text = &rest[..to];
        for (i, piece) in text.split('`').enumerate() {
            // `is_section: false` documents a field with its value.
            let piece = piece.split_once(": ").map_or(piece, |(name, _)| name);
            let is_identifier = !piece.is_empty()
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if i % 2 == 1 && is_identifier && !described.not_fields.contains(&piece) {
                words.insert(piece.to_string());
            }
        }
    }
    words
}

fn fields(value: &Value, elsewhere: &[&str], out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.insert(key.clone());
                if !elsewhere.contains(&key.as_str()) {
                    fields(item, elsewhere, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                fields(item, elsewhere, out);
            }
        }
        _ => {}
    }
}

/// The differences between a view and its description, as messages.
fn differences(sample: &impl Serialize, described: &Described<'_>) -> Vec<String> {
    let value = serde_json::to_value(sample).unwrap_or(Value::Null);
    let mut have = BTreeSet::new();
    fields(&value, described.parts_elsewhere, &mut have);
    let documented = documented(described);
    let mut problems = Vec::new();
    for field in have.difference(&documented) {
        problems.push(format!(
            "`{}` has a field `{field}` that CONTRACT.md does not document",
            described.name
        ));
    }
    for field in documented.difference(&have) {
        problems.push(format!(
            "CONTRACT.md documents `{field}` for `{}`, which its view does not have",
            described.name
        ));
    }
    problems
}

fn sample_taxonomy() -> TaxonomyView {
    TaxonomyView {
        terms: vec![TaxonomyTerm::default()],
        ..TaxonomyView::default()
    }
}

fn sample_site() -> SiteGlobals<'static> {
    SiteGlobals {
        menu: vec![MenuLink::default()],
        taxonomies: vec![TaxonomyLink::default()],
        search: Some(SearchBundle::default()),
        ..SiteGlobals::default()
    }
}

fn sample_feed() -> FeedView {
    FeedView {
        entries: vec![FeedEntry::default()],
        ..FeedView::default()
    }
}

fn sample_term() -> TermView {
    TermView {
        taxonomy: TaxonomyLink::default(),
        ..TermView::default()
    }
}

#[test]
fn contract_documents_exactly_the_fields_of_the_typed_views() {
    let mut problems = Vec::new();
    problems.extend(differences(
        &Pagination::default(),
        &Described {
            name: "pagination",
            spans: &[("`pagination` (or none) {", "}")],
            not_fields: &["pagination"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &sample_taxonomy(),
        &Described {
            name: "taxonomy",
            spans: &[
                ("`taxonomy.html`: `taxonomy` {", "(terms sorted by name)."),
                ("Taxonomy index terms have", "."),
            ],
            not_fields: &["taxonomy"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &sample_term(),
        &Described {
            name: "term",
            spans: &[
                ("`term.html`: `term` {", "(or none)}."),
                ("**`term`** additionally:", "per page)."),
            ],
            not_fields: &["term", "paginate_terms"],
            parts_elsewhere: &["pages", "pagination"],
        },
    ));
    problems.extend(differences(
        &vec![SitemapEntry::default()],
        &Described {
            name: "sitemap entries",
            spans: &[("`sitemap.xml`: `entries` [{", "}].")],
            not_fields: &["entries"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &RedirectView::default(),
        &Described {
            name: "redirect",
            spans: &[("`redirect.html`: `target`", ".\n")],
            not_fields: &[],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &sample_site(),
        &Described {
            name: "site",
            spans: &[("- `site`: ", "or none when search is off).")],
            not_fields: &["site"],
            parts_elsewhere: &["extra"],
        },
    ));
    problems.extend(differences(
        &sample_feed(),
        &Described {
            name: "feed",
            spans: &[
                ("`atom.xml`: `feed` {", "(never `| safe` inside XML)."),
                ("**`feed`** (in `atom.xml`) additionally:", "are absolute."),
            ],
            not_fields: &["feed"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &Card {
            series: Some(CardSeries::default()),
            ..Card::default()
        },
        &Described {
            name: "card",
            spans: &[
                ("A **card** (a page in a list): ", "`is_section: false`."),
                ("**Cards** additionally: ", "`sector_url` (or none)."),
            ],
            // `label` and `value` are a case study's own `results` entry.
            not_fields: &["results", "label", "value"],
            parts_elsewhere: &["tags", "milestone", "fields", "headline_result"],
        },
    ));
    problems.extend(differences(
        &SectionCard::default(),
        &Described {
            name: "section card",
            spans: &[("A **section card**: ", "`is_section: true`.")],
            not_fields: &[],
            parts_elsewhere: &["fields"],
        },
    ));
    problems.extend(differences(
        &TreeEntry {
            children: vec![TreeEntry::default()],
            ..TreeEntry::default()
        },
        &Described {
            name: "outline entry",
            spans: &[("entries {`title`, `url`, `is_section`", "}")],
            not_fields: &[],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &PageView::default(),
        &Described {
            name: "page",
            spans: &[
                ("## `page` (page templates)", "never in any `content`."),
                ("Pages also get `last_updated`", "search index)."),
                ("**`page`** additionally: ", "else the first\nparagraph)."),
            ],
            not_fields: PAGE_PARTS,
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &SectionView {
            sectors: vec![SectorLink::default()],
            recent: Some(Vec::new()),
            ..SectionView::default()
        },
        &Described {
            name: "section",
            spans: &[
                (
                    "## `section` (section templates and `index.html`)",
                    "the newest dated pages site-wide.",
                ),
                (
                    "**`section`** additionally: ",
                    "`testimonials_url` (or none).",
                ),
            ],
            not_fields: SECTION_PARTS,
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &ArchiveView {
            years: vec![ArchiveYear {
                months: vec![ArchiveMonth::default()],
                ..ArchiveYear::default()
            }],
            ..ArchiveView::default()
        },
        &Described {
            name: "archive",
            spans: &[("`archive.html`: `archive` {", "(newest first).")],
            not_fields: &["archive"],
            parts_elsewhere: &["pages"],
        },
    ));
    problems.extend(differences(
        &SeriesView::default(),
        &Described {
            name: "series",
            spans: &[("`series.html`: `series` {", "first)}.")],
            not_fields: &["series"],
            parts_elsewhere: &["pages"],
        },
    ));
    problems.extend(differences(
        &vec![SeriesEntry::default()],
        &Described {
            name: "series_list",
            spans: &[("`series-index.html`: `series_list` [{", "}].")],
            not_fields: &["series_list"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &vec![Testimonial::default()],
        &Described {
            name: "testimonials",
            spans: &[("`testimonials.html`:", "(newest case study first).")],
            not_fields: &["testimonials"],
            parts_elsewhere: &[],
        },
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Words in `section`'s description that are not its fields: the fields of the parts below
/// it that are still JSON (`pagination` is checked on its own; `journey`, its milestones).
const SECTION_PARTS: &[&str] = &[
    "section",
    "current",
    "total",
    "prev_url",
    "next_url",
    "first_url",
    "last_url",
    "is_section",
    "goal",
    "started",
    "started_display",
    "deadline",
    "deadline_display",
    "build_date",
    "build_date_display",
    "stage",
    "total_days",
    "elapsed_days",
    "remaining_days",
    "elapsed_display",
    "remaining_display",
    "time_percent",
    "milestones_total",
    "milestones_counted",
    "milestones_done",
    "milestones_dropped",
    "percent_done",
    "milestones",
    "id",
    "status",
    "status_label",
    "due",
    "due_display",
    "is_overdue",
    "post_count",
    "posts",
    "latest",
];

/// Words in `page`'s description that are not its fields: its kinds, and the fields of the
/// parts below it that are still JSON (`toc`, `tags`, `terms`, `fields`, `lesson`, `cover`,
/// `series`, `milestone`, `comments`...).
const PAGE_PARTS: &[&str] = &[
    // kinds
    "page",
    "post",
    "doc",
    "planned",
    "done",
    "dropped",
    // toc entries, tags and terms
    "level",
    "id",
    "children",
    "name",
    // `fields` as written
    "objectives",
    "questions",
    "keypoints",
    "prerequisites",
    "client",
    "sector",
    "challenge",
    "approach",
    "outcome",
    "results",
    "testimonial",
    "owner",
    "review_by",
    // lesson, cover, series, milestone, comments
    "number",
    "module",
    "alt",
    "credit",
    "slug",
    "feed_url",
    "part",
    "total",
    "parts",
    "is_current",
    "status",
    "status_label",
    "due",
    "due_display",
    "label",
    "email",
    // config
    "repo_url",
];

#[test]
fn a_field_missing_from_either_side_is_named() {
    // Only the first stretch of `term`'s description (so no `slug`...), and a view
    // without `count`.
    let mut term = serde_json::to_value(sample_term()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut term {
        map.remove("count");
    }
    let problems = differences(
        &term,
        &Described {
            name: "term",
            spans: &[("`term.html`: `term` {", "(or none)}.")],
            not_fields: &["term"],
            parts_elsewhere: &["pages", "pagination"],
        },
    );
    assert_eq!(
        problems,
        [
            "`term` has a field `all_posts` that CONTRACT.md does not document",
            "`term` has a field `feed_url` that CONTRACT.md does not document",
            "`term` has a field `post_count` that CONTRACT.md does not document",
            "`term` has a field `slug` that CONTRACT.md does not document",
            "CONTRACT.md documents `count` for `term`, which its view does not have",
        ]
    );
}
