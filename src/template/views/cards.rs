//! Typed views of the shared parts: a page's card, a section's card, and the entries of a
//! course's `outline` or a handbook's `tree` (built once per build, see
//! [`crate::template::shared`]), as `themes/default/CONTRACT.md` documents them. Fields are
//! declared in the order templates have always received them.

use serde::Serialize;
use serde_json::{Map, Value};

use super::page::{FrontMatter, MilestoneLink, TermLink};

/// A page as lists show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Card<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub description: Option<&'a str>,
    /// HTML: the summary, else (no description either) the first paragraph.
    pub summary: Option<&'a str>,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub reading_minutes: usize,
    /// As the page's `tags`.
    pub tags: Vec<TermLink<'a>>,
    pub authors: &'a [String],
    pub duration: Option<String>,
    pub duration_minutes: Option<u32>,
    pub fields: Option<&'a Map<String, Value>>,
    pub is_section: bool,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    /// As the page's `milestone`.
    pub milestone: Option<MilestoneLink<'a>>,
    pub series: Option<CardSeries<'a>>,
    /// A case study's first `results` entry, as written.
    pub headline_result: Option<&'a Value>,
    pub sector_url: Option<String>,
}

/// A card's `series`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CardSeries<'a> {
    pub name: &'a str,
    pub url: String,
    /// 1-based.
    pub part: usize,
    pub total: usize,
}

/// A section as lists show it, with counts and durations of what it holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionCard<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    /// Pages at any depth below it.
    pub page_count: usize,
    pub duration: Option<String>,
    /// Courses and modules only.
    pub lesson_count: Option<usize>,
    /// The index page's kind-specific front matter (`{}` without one).
    pub fields: FrontMatter<'a>,
    pub is_section: bool,
}

/// One entry of a course's `outline` or a handbook's `tree`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TreeEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub is_section: bool,
    pub duration: Option<String>,
    pub children: Vec<TreeEntry<'a>>,
}
