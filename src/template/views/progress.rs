//! Typed views of the progress-blog list outputs: a blog's archive, a series, every series
//! and the testimonials page, as `themes/default/CONTRACT.md` documents them (held together
//! by `template::contract`). Fields are declared in the order templates have always
//! received them.

use serde::Serialize;
use serde_json::Value;

/// `archive` of `archive.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveView<'a> {
    pub title: String,
    pub section: Link<'a>,
    pub url: String,
    pub count: usize,
    /// Newest first.
    pub years: Vec<ArchiveYear>,
}

/// A title and URL.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: String,
}

/// One year of an archive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveYear {
    pub year: i16,
    pub count: usize,
    pub months: Vec<ArchiveMonth>,
}

/// One month of an archive's year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArchiveMonth {
    pub month: i8,
    pub name: String,
    pub count: usize,
    /// Cards.
    pub pages: Vec<Value>,
}

/// `series` of `series.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeriesView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub feed_url: String,
    pub count: usize,
    /// Cards, part 1 first.
    pub pages: Vec<Value>,
}

/// One entry of `series_list` in `series-index.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeriesEntry<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
    pub latest: Option<String>,
    pub latest_display: Option<String>,
}

/// One entry of `testimonials` in `testimonials.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Testimonial<'a> {
    pub quote: Option<&'a Value>,
    pub name: Option<&'a Value>,
    pub role: Option<&'a Value>,
    pub organisation: Option<&'a Value>,
    pub client: Option<&'a Value>,
    pub sector: Option<&'a Value>,
    pub case_study: Link<'a>,
    /// The case study's place in the site, to sort by.
    #[serde(skip)]
    pub order: usize,
}
