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

use super::print::{HandbookPrint, PrintEntry};
use super::views::cards::{Card, CardSeries, SectionCard, TreeEntry};
use super::views::course::{CourseFull, CourseLesson, LessonModule};
use super::views::listing::{
    Pagination, RedirectView, SitemapEntry, TaxonomyLink, TaxonomyTerm, TaxonomyView, TermView,
};
use super::views::page::{
    Comments, CourseInfo, Cover, CurrentSector, HandbookInfo, LessonView, MilestoneLink,
    PageSeries, PageView, SectionView, SectorLink, Seo, SeriesPart, TermLink, Terms,
};
use super::views::progress::{
    ArchiveMonth, ArchiveView, ArchiveYear, JourneyView, Link, MilestonePage, MilestoneView,
    SeriesEntry, SeriesView, Testimonial,
};
use super::views::site::{FeedEntry, FeedView, MenuLink, SearchBundle, SiteGlobals};
use crate::markdown::TocEntry;

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

#[allow(clippy::unnecessary_wraps)]
fn sample_link() -> Option<Link<'static>> {
    Some(Link::default())
}

/// A page with every part that can be none present, and one item in each list.
fn sample_page(toc: &[TocEntry]) -> PageView<'_> {
    PageView {
        toc,
        tags: vec![TermLink::default()],
        terms: Terms(vec![("tags", vec![TermLink::default()])]),
        ancestors: vec![Link::default()],
        prev: sample_link(),
        next: sample_link(),
        course: Some(CourseInfo::default()),
        handbook: Some(HandbookInfo::default()),
        lesson: Some(LessonView {
            module: sample_link(),
            ..LessonView::default()
        }),
        cover: Some(Cover::default()),
        series: Some(PageSeries {
            parts: vec![SeriesPart::default()],
            prev: sample_link(),
            next: sample_link(),
            ..PageSeries::default()
        }),
        milestone: Some(MilestoneLink::default()),
        journey: sample_link(),
        comments: Some(Comments::default()),
        ..PageView::default()
    }
}

fn sample_journey() -> JourneyView<'static> {
    JourneyView {
        milestones: vec![MilestoneView::default()],
        ..JourneyView::default()
    }
}

/// A section with every part that can be none present, and one item in each list.
fn sample_section(toc: &[TocEntry]) -> SectionView<'_> {
    SectionView {
        toc,
        ancestors: vec![Link::default()],
        prev: sample_link(),
        next: sample_link(),
        course: Some(CourseInfo::default()),
        handbook: Some(HandbookInfo::default()),
        journey: Some(sample_journey()),
        sectors: vec![SectorLink::default()],
        current_sector: Some(CurrentSector::default()),
        recent: Some(Vec::new()),
        ..SectionView::default()
    }
}

fn sample_toc() -> Vec<TocEntry> {
    let entry = |children| TocEntry {
        level: 2,
        id: String::new(),
        title: String::new(),
        children,
    };
    vec![entry(vec![entry(Vec::new())])]
}

#[test]
fn contract_documents_exactly_the_fields_of_the_typed_views() {
    let toc = sample_toc();
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
        &sample_page(&toc),
        &Described {
            name: "page",
            spans: &[
                ("## `page` (page templates)", "never in any `content`."),
                ("Pages also get `last_updated`", "search index)."),
                ("**`page`** additionally: ", "else the first\nparagraph)."),
            ],
            not_fields: PAGE_PARTS,
            parts_elsewhere: &["course", "handbook", "seo", "fields", "params", "extra"],
        },
    ));
    problems.extend(differences(
        &sample_section(&toc),
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
            parts_elsewhere: &["course", "handbook", "seo", "pagination", "toc"],
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
    problems.extend(differences(
        &HandbookPrint {
            entries: vec![PrintEntry::default()],
            ..HandbookPrint::default()
        },
        &Described {
            name: "handbook print",
            spans: &[(
                "`handbook-print.html` gets `handbook` {",
                "in reading order.",
            )],
            not_fields: &["handbook"],
            parts_elsewhere: &["fields"],
        },
    ));
    problems.extend(differences(
        &vec![CourseLesson {
            module: Some(LessonModule::default()),
            ..CourseLesson::default()
        }],
        &Described {
            name: "lessons",
            spans: &[("also get `lessons`, every", "(instructor notes)}.")],
            not_fields: &["lessons"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &CourseInfo::default(),
        &Described {
            name: "course",
            spans: &[("`course`: {`title`", "`current_url`.")],
            // The entries of `outline`, checked above.
            not_fields: &[
                "course",
                "certificate",
                "is_section",
                "children",
                "current_url",
            ],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &HandbookInfo::default(),
        &Described {
            name: "handbook",
            spans: &[("`handbook`: {`title`", "`outline`")],
            not_fields: &["handbook", "outline"],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &CourseFull {
            course: Some(CourseInfo::default()),
            ..CourseFull::default()
        },
        &Described {
            name: "course (print, instructor, certificate)",
            spans: &[
                ("`course`: {`title`", "`current_url`."),
                ("These templates get `course`:", "(HTML items)."),
            ],
            not_fields: &[
                "course",
                "certificate",
                "is_section",
                "children",
                "current_url",
                "_index",
            ],
            parts_elsewhere: &["fields"],
        },
    ));
    problems.extend(differences(
        &Seo::default(),
        &Described {
            name: "seo",
            spans: &[("**`seo`** (on", "with `| safe`)}.")],
            not_fields: &[
                "seo",
                "page",
                "section",
                "article",
                "website",
                "summary_large_image",
                "summary",
            ],
            parts_elsewhere: &[],
        },
    ));
    problems.extend(differences(
        &MilestonePage {
            prev: sample_link(),
            next: sample_link(),
            ..MilestonePage::default()
        },
        &Described {
            name: "milestone",
            spans: &[
                ("`milestones` [{`id`", "[card]}],"),
                ("`milestone.html`: `milestone`", "the whole journey view)."),
            ],
            not_fields: &["milestones", "milestone"],
            parts_elsewhere: &["journey", "posts"],
        },
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Words in `section`'s description that are not its fields: its own name, `pagination`'s
/// fields (checked on their own) and the `is_section` of cards.
const SECTION_PARTS: &[&str] = &[
    "section",
    "current",
    "total",
    "prev_url",
    "next_url",
    "first_url",
    "last_url",
    "is_section",
];

/// Words in `page`'s description that are not its fields: its kinds and milestone statuses,
/// keys of `fields` as written, and config keys.
const PAGE_PARTS: &[&str] = &[
    // kinds and statuses
    "page",
    "post",
    "doc",
    "planned",
    "done",
    "dropped",
    "email",
    // `fields` as written
    "client",
    "sector",
    "challenge",
    "approach",
    "outcome",
    "results",
    "testimonial",
    "owner",
    "review_by",
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
