//! Typed views of the progress-blog list outputs: a blog's archive, a series, every series
//! and the testimonials page, as `themes/default/CONTRACT.md` documents them (held together
//! by `template::contract`). Fields are declared in the order templates have always
//! received them.

use serde::Serialize;
use serde_json::Value;

use super::page::MilestoneLink;

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
}

/// A journey's progress as of the build date: `section.journey` of a journey's section, and
/// `milestone.journey`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JourneyView<'a> {
    pub title: &'a str,
    pub url: String,
    pub goal: Option<&'a str>,
    pub started: Option<String>,
    pub started_display: Option<String>,
    pub deadline: Option<String>,
    pub deadline_display: Option<String>,
    pub build_date: String,
    pub build_date_display: String,
    /// `not-started`, `under-way` or `past-deadline`.
    pub stage: &'static str,
    /// From `started` to `deadline`.
    pub total_days: Option<i64>,
    pub elapsed_days: Option<i64>,
    pub remaining_days: Option<i64>,
    /// `9 months`, `1 year 3 months`.
    pub elapsed_display: Option<String>,
    pub remaining_display: Option<String>,
    /// Share of the time from start to deadline gone, 0 to 100.
    pub time_percent: Option<i64>,
    pub milestones_total: usize,
    /// Milestones not dropped.
    pub milestones_counted: usize,
    pub milestones_done: usize,
    pub milestones_dropped: usize,
    /// Done among those counted, 0 to 100.
    pub percent_done: usize,
    pub milestones: Vec<MilestoneView<'a>>,
    /// Cards of the newest posts.
    pub latest: Vec<Value>,
    pub feed_url: String,
}

/// One milestone of a journey.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MilestoneView<'a> {
    /// What a post's `page.milestone` shows of it too.
    #[serde(flatten)]
    pub link: MilestoneLink<'a>,
    /// Due before the build date and neither done nor dropped.
    pub is_overdue: bool,
    pub post_count: usize,
    /// Cards of the posts that joined it.
    pub posts: Vec<Value>,
}

/// `milestone` of `milestone.html`: the milestone, its neighbours and its journey.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MilestonePage<'a> {
    #[serde(flatten)]
    pub milestone: MilestoneView<'a>,
    pub prev: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
    /// 1-based.
    pub number: usize,
    pub journey: JourneyView<'a>,
}
