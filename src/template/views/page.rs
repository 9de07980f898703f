//! The typed `page` view of page templates, as `themes/default/CONTRACT.md` documents it
//! (held together by `template::contract`). Fields are declared in the order templates have
//! always received them; the parts below a field (`course`, `lesson`, `seo`...) are still
//! JSON built beside it.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::markdown::TocEntry;

/// `page` of a page template.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub draft: bool,
    /// HTML.
    pub content: Cow<'a, str>,
    /// HTML.
    pub summary: Option<&'a str>,
    pub toc: &'a [TocEntry],
    pub title_id: Option<&'a str>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub tags: Value,
    pub terms: Value,
    pub authors: &'a [String],
    pub duration: Option<String>,
    pub duration_minutes: Option<u32>,
    pub fields: Option<&'a Map<String, Value>>,
    pub params: Option<&'a Map<String, Value>>,
    pub extra: Option<&'a Map<String, Value>>,
    pub ancestors: Value,
    pub section: SectionLink<'a>,
    pub prev: Value,
    pub next: Value,
    pub course: Value,
    pub handbook: Value,
    pub lesson: Value,
    pub last_updated: Option<String>,
    pub last_updated_display: Option<String>,
    pub edit_url: Option<String>,
    pub search: bool,
    pub cover: Value,
    pub series: Value,
    pub milestone: Value,
    pub journey: Value,
    pub comments: Value,
    /// HTML.
    pub excerpt: Option<String>,
    pub seo: Value,
}

/// A page's `section`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
}

/// `section` of a section template (and of `index.html`), for one paginator page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    /// HTML of its index file.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub title_id: Option<&'a str>,
    pub fields: Value,
    pub params: Value,
    pub extra: Value,
    pub ancestors: Value,
    /// Cards of this paginator page's pages.
    pub pages: Vec<Value>,
    /// Section cards.
    pub subsections: Vec<Value>,
    /// Cards and section cards, in order.
    pub children: Vec<Value>,
    pub pagination: Option<&'a super::listing::Pagination>,
    pub duration: Value,
    pub lesson_count: usize,
    pub course: Value,
    pub handbook: Value,
    pub feed_url: Option<String>,
    pub prev: Value,
    pub next: Value,
    pub last_updated: Option<String>,
    pub last_updated_display: Option<String>,
    pub edit_url: Option<String>,
    pub search: bool,
    pub archive_url: Option<String>,
    pub journey: Value,
    pub sectors: Vec<SectorLink<'a>>,
    pub current_sector: Value,
    pub testimonials_url: Option<String>,
    pub seo: Value,
    /// The home page's newest posts (cards); only the home section has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recent: Option<Vec<Value>>,
}

/// One entry of a case-studies section's `sectors`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectorLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    pub is_current: bool,
}
