//! The typed `page` view of page templates, as `themes/default/CONTRACT.md` documents it
//! (held together by `template::contract`), with the parts below them (`course`, `lesson`,
//! `cover`, `seo`...). Fields are declared in the order templates have always received them:
//! the JSON keeps its key order and the job cache keys views by it.
//!
//! A field typed `Value` is either front matter as written or a shared part (a card or a
//! tree, see [`crate::template::shared`]) the job's context puts in place.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::progress::{JourneyView, Link};
use crate::markdown::TocEntry;

/// `page` of a page template.
#[derive(Debug, Clone, Default, serde::Serialize)]
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
    pub tags: Vec<TermLink<'a>>,
    pub terms: Terms<'a>,
    pub authors: &'a [String],
    pub duration: Option<String>,
    pub duration_minutes: Option<u32>,
    pub fields: Option<&'a Map<String, Value>>,
    pub params: Option<&'a Map<String, Value>>,
    pub extra: Option<&'a Map<String, Value>>,
    /// The sections from the root down to the page's own.
    pub ancestors: Vec<Link<'a>>,
    pub section: SectionLink<'a>,
    pub prev: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
    pub course: Option<CourseInfo<'a>>,
    pub handbook: Option<HandbookInfo<'a>>,
    pub lesson: Option<LessonView<'a>>,
    pub last_updated: Option<String>,
    pub last_updated_display: Option<String>,
    pub edit_url: Option<String>,
    pub search: bool,
    pub cover: Option<Cover<'a>>,
    pub series: Option<PageSeries<'a>>,
    pub milestone: Option<MilestoneLink<'a>>,
    /// The journey whose section holds the page.
    pub journey: Option<Link<'a>>,
    pub comments: Option<Comments>,
    /// HTML.
    pub excerpt: Option<String>,
    pub seo: Seo<'a>,
}

/// A page's `section`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
}

/// `section` of a section template (and of `index.html`), for one paginator page.
#[derive(Debug, Clone, Default, serde::Serialize)]
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
    pub fields: FrontMatter<'a>,
    pub params: FrontMatter<'a>,
    pub extra: FrontMatter<'a>,
    /// The sections from the root down to its parent.
    pub ancestors: Vec<Link<'a>>,
    /// Cards of this paginator page's pages.
    pub pages: Vec<Value>,
    /// Section cards.
    pub subsections: Vec<Value>,
    /// Cards and section cards, in order.
    pub children: Vec<Value>,
    pub pagination: Option<&'a super::listing::Pagination>,
    pub duration: Option<String>,
    pub lesson_count: usize,
    pub course: Option<CourseInfo<'a>>,
    pub handbook: Option<HandbookInfo<'a>>,
    pub feed_url: Option<String>,
    pub prev: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
    pub last_updated: Option<String>,
    pub last_updated_display: Option<String>,
    pub edit_url: Option<String>,
    pub search: bool,
    pub archive_url: Option<String>,
    pub journey: Option<JourneyView<'a>>,
    pub sectors: Vec<SectorLink<'a>>,
    /// On a sector's page: the sector shown.
    pub current_sector: Option<CurrentSector<'a>>,
    pub testimonials_url: Option<String>,
    pub seo: Seo<'a>,
    /// The home page's newest posts (cards); only the home section has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recent: Option<Vec<Value>>,
}

/// One entry of a case-studies section's `sectors`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SectorLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    pub is_current: bool,
}

/// One sector's page: the sector a case-studies section is narrowed to.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CurrentSector<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// Front matter fields as written (`fields`, `params`, `extra`); `{}` when there is no
/// front matter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FrontMatter<'a>(pub Option<&'a Map<String, Value>>);

impl Serialize for FrontMatter<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(map) => map.serialize(serializer),
            None => serializer.serialize_map(Some(0))?.end(),
        }
    }
}

/// One term a page is listed under: an entry of `tags` and of each list in `terms`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TermLink<'a> {
    /// As the page wrote it.
    pub name: &'a str,
    pub url: String,
}

/// `terms`: for each taxonomy of the config the page uses, its terms (`terms.tags`,
/// `terms.categories`...), in the config's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms<'a>(pub Vec<(&'a str, Vec<TermLink<'a>>)>);

impl Serialize for Terms<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (taxonomy, terms) in &self.0 {
            map.serialize_entry(taxonomy, terms)?;
        }
        map.end()
    }
}

/// `course` of a page or section inside a course (and, with more, of the print,
/// instructor and certificate pages: [`super::course::CourseFull`]).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CourseInfo<'a> {
    pub title: &'a str,
    pub url: String,
    /// The sum of its lessons' durations (`2 h 30 min`).
    pub duration: Option<String>,
    pub lesson_count: usize,
    /// Tree entries (see the contract's outline entries).
    pub outline: Value,
    pub print_url: String,
    pub instructor_url: String,
    /// Only when the course asks for a certificate.
    pub certificate_url: Option<String>,
}

/// `handbook` of a page or section inside a handbook.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HandbookInfo<'a> {
    pub title: &'a str,
    pub url: String,
    /// Tree entries; in a large handbook, only the branch the page is in is open.
    pub tree: Value,
    pub print_url: String,
}

/// `page.lesson`, on lessons only. Each list holds HTML items: the front matter's first,
/// then the body's `::: objectives` (...) blocks, an item written in both places once.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LessonView<'a> {
    /// 1-based, in the course's reading order.
    pub number: Option<usize>,
    pub module: Option<Link<'a>>,
    pub objectives: Vec<String>,
    pub questions: Vec<String>,
    pub keypoints: Vec<String>,
    pub prerequisites: Vec<String>,
}

/// `page.cover`: the `cover` image of the front matter.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Cover<'a> {
    pub url: String,
    /// Absolute, for social cards.
    pub permalink: String,
    /// `cover_alt`, or empty.
    pub alt: &'a str,
    /// `cover_credit`.
    pub credit: Option<&'a str>,
}

/// `page.series`: the series a post is part of.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PageSeries<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub feed_url: String,
    /// This post's part, 1-based.
    pub part: usize,
    pub total: usize,
    pub parts: Vec<SeriesPart<'a>>,
    pub prev: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
}

/// One part of a series on a post's page.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SeriesPart<'a> {
    pub part: usize,
    pub title: &'a str,
    pub url: String,
    pub date: Option<String>,
    pub date_display: Option<String>,
    /// The post being shown.
    pub is_current: bool,
}

/// A post's milestone (`milestone:` in its front matter): `page.milestone` and a card's
/// `milestone`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MilestoneLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `planned`, `in-progress`, `done` or `dropped`.
    pub status: &'static str,
    /// `Planned`, `In progress`, `Done` or `Dropped`.
    pub status_label: &'static str,
    pub due: Option<String>,
    pub due_display: Option<String>,
    pub url: String,
}

/// `page.comments`: where readers reply to a post.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Comments {
    pub url: String,
    /// The string-table key of the link's text (`comments_url` or `comments_email`):
    /// print it with `t(key=page.comments.label)`.
    pub label: &'static str,
    /// `url` (a discussion page) or `email` (a `mailto:` link).
    pub kind: &'static str,
}

/// `seo` of every HTML page: what `<head>` needs for search engines and social cards.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Seo<'a> {
    pub title: String,
    pub description: String,
    /// Absolute.
    pub url: String,
    /// `og:type`: `article` or `website`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The cover's absolute URL.
    pub image: Option<String>,
    pub image_alt: Option<&'a str>,
    /// `summary_large_image` with an image, else `summary`.
    pub twitter_card: &'static str,
    /// RFC 3339.
    pub published: Option<String>,
    /// RFC 3339.
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// A schema.org JSON-LD object, ready for a `<script type="application/ld+json">`.
    pub json_ld: String,
}
