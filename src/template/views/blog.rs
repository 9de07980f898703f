//! View models for progress blogging: series, journeys and milestones, archives, case-study
//! sectors and testimonials, covers, comments links, and the search/social metadata (`seo`)
//! every HTML page gets. Documented in `themes/default/CONTRACT.md`.

use std::fmt::Write as _;

use serde_json::Value;

use super::ViewSource;
use super::json_ld::{self, CONTEXT, CollectionLd, PageLd, Thing};
use super::listing::to_json;
use super::page::{Comments, Cover, CurrentSector, MilestoneLink, PageSeries, Seo, SeriesPart};
use crate::config::FeedContent;
use crate::content::{Date, PageKind, SectionKind};
use crate::graph::{self, MilestoneStatus, PageId, SectionId};
use crate::markdown::LinkResolution;

/// Posts shown as "latest updates" on a journey page.
const JOURNEY_LATEST: usize = 5;

/// Percent-encodes everything but unreserved characters (RFC 3986), for `mailto:` subjects
/// and discussion URL templates.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `273` → `9 months`; `800` → `2 years 2 months`; `3` → `3 days`.
pub fn human_days(days: i64) -> String {
    let days = days.max(0);
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if days < 45 {
        return plural(days, "day", "days");
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let months = (days as f64 / 30.4375).round() as i64;
    match (months / 12, months % 12) {
        (0, m) => plural(m, "month", "months"),
        (y, 0) => plural(y, "year", "years"),
        (y, m) => format!(
            "{} {}",
            plural(y, "year", "years"),
            plural(m, "month", "months")
        ),
    }
}

/// A date as `date` and `date_display` show it.
fn date_pair(date: Option<Date>) -> (Option<String>, Option<String>) {
    (date.map(|d| d.iso_date()), date.map(|d| d.display()))
}

use super::progress::{
    ArchiveMonth, ArchiveView, ArchiveYear, JourneyView, Link, MilestonePage, MilestoneView,
    SeriesEntry, SeriesView, Testimonial,
};

impl ViewSource<'_> {
    /// `https://example.org` of `https://example.org/docs`.
    fn origin(&self) -> String {
        let base = &self.config.base_url;
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        base[..base[after_scheme..]
            .find('/')
            .map_or(base.len(), |i| after_scheme + i)]
            .to_string()
    }

    /// An absolute URL for a URL that is already root-relative with the base path, or
    /// absolute.
    pub fn absolute_url(&self, url: &str) -> String {
        if url.starts_with('/') && !url.starts_with("//") {
            super::escape_url(&format!("{}{url}", self.origin()))
        } else {
            url.to_string()
        }
    }

    /// A page's summary for lists and feeds: the text above `<!-- more -->`, else its
    /// description, else its first paragraph.
    pub fn excerpt(&self, id: PageId) -> Option<String> {
        let rendered = self.rendered(id);
        let meta = &self.site.page(id).doc.meta;
        rendered
            .summary_html
            .clone()
            .or_else(|| {
                meta.description
                    .as_ref()
                    .map(|d| format!("<p>{}</p>", crate::markdown::escape_html(d)))
            })
            .or_else(|| rendered.first_paragraph_html.clone())
    }

    fn milestone_link(&self, page: PageId) -> Option<MilestoneLink<'_>> {
        self.site
            .milestone_of(page)
            .map(|(j, m)| self.milestone_fields(&self.site.journey(j).milestones[m]))
    }

    /// What a milestone's every view shows: `page.milestone`, a card's, `journey.milestones`.
    fn milestone_fields<'s>(&'s self, milestone: &'s graph::Milestone) -> MilestoneLink<'s> {
        let (due, due_display) = date_pair(milestone.due);
        MilestoneLink {
            id: &milestone.id,
            title: &milestone.title,
            status: milestone.status.name(),
            status_label: milestone.status.label(),
            due,
            due_display,
            url: self.url(&milestone.url_path),
        }
    }

    /// Extra fields on every card: a fuller summary, the post's milestone and series, a
    /// case study's headline result and sector page.
    pub(super) fn card_extras<'s>(&'s self, id: PageId, card: &mut super::cards::Card<'s>) {
        let page = self.site.page(id);
        let rendered = self.rendered(id);
        if card.summary.is_none() && page.doc.meta.description.is_none() {
            card.summary = rendered.first_paragraph_html.as_deref();
        }
        card.updated = page.doc.meta.updated.map(|d| d.iso_date());
        card.updated_display = page.doc.meta.updated.map(|d| d.display());
        card.milestone = self.milestone_link(id);
        card.series = self.site.series_part(id).map(|(s, part)| {
            let series = self.site.series(s);
            super::cards::CardSeries {
                name: &series.name,
                url: self.url(&series.url_path),
                part: part + 1,
                total: series.pages.len(),
            }
        });
        let fields = &page.doc.meta.fields;
        card.headline_result = fields
            .get("results")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .filter(|r| r.is_object());
        card.sector_url = self
            .site
            .sector_of(id)
            .map(|s| self.url(&self.site.sector(s).url_path));
    }

    fn cover(&self, id: PageId) -> Option<Cover<'_>> {
        let page = self.site.page(id);
        let fields = &page.doc.meta.fields;
        let src = fields.get("cover").and_then(Value::as_str)?;
        let url = if src.contains("://") || src.starts_with("//") {
            src.to_string()
        } else if src.starts_with('/') {
            self.url(src)
        } else {
            match self.site.resolve_link(&page.doc.doc_id, src) {
                LinkResolution::Rewrite { url, .. } => url,
                _ => src.to_string(),
            }
        };
        Some(Cover {
            permalink: self.absolute_url(&url),
            url,
            alt: fields
                .get("cover_alt")
                .and_then(Value::as_str)
                .unwrap_or(""),
            credit: fields.get("cover_credit").and_then(Value::as_str),
        })
    }

    fn series_of_page(&self, id: PageId) -> Option<PageSeries<'_>> {
        let (s, part) = self.site.series_part(id)?;
        let series = self.site.series(s);
        let link = |p: Option<&PageId>| {
            p.map(|p| Link {
                title: &self.site.page(*p).title,
                url: self.url(&self.site.page(*p).url_path),
            })
        };
        Some(PageSeries {
            name: &series.name,
            slug: &series.slug,
            url: self.url(&series.url_path),
            feed_url: self.url(&format!("{}atom.xml", series.url_path)),
            part: part + 1,
            total: series.pages.len(),
            parts: series
                .pages
                .iter()
                .enumerate()
                .map(|(n, p)| {
                    let pg = self.site.page(*p);
                    SeriesPart {
                        part: n + 1,
                        title: &pg.title,
                        url: self.url(&pg.url_path),
                        date: pg.date.map(|d| d.iso_date()),
                        date_display: pg.date.map(|d| d.display()),
                        is_current: *p == id,
                    }
                })
                .collect(),
            prev: link(part.checked_sub(1).and_then(|i| series.pages.get(i))),
            next: link(series.pages.get(part + 1)),
        })
    }

    fn comments(&self, id: PageId) -> Option<Comments> {
        let page = self.site.page(id);
        if page.kind != PageKind::Post {
            return None;
        }
        let permalink = self.absolute(&page.url_path);
        match page.doc.meta.fields.get("comments") {
            Some(Value::Bool(false)) => return None,
            Some(Value::String(url)) if !url.trim().is_empty() => {
                let url = crate::markdown::safe_url(url.trim(), false);
                return Some(Comments {
                    url: url.to_string(),
                    label: "comments_url",
                    kind: "url",
                });
            }
            _ => {}
        }
        let c = &self.config.comments;
        if !c.url.is_empty() {
            let slug = page
                .url_path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let url = c
                .url
                .replace("{url}", &encode_component(&permalink))
                .replace("{permalink}", &encode_component(&permalink))
                .replace("{slug}", &encode_component(slug))
                .replace("{title}", &encode_component(&page.title));
            let url = crate::markdown::safe_url(&url, false);
            Some(Comments {
                url: url.to_string(),
                label: "comments_url",
                kind: "url",
            })
        } else if !c.email.is_empty() {
            let subject = encode_component(&format!("Re: {}", page.title));
            let body = encode_component(&permalink);
            Some(Comments {
                url: format!("mailto:{}?subject={subject}&body={body}", c.email),
                label: "comments_email",
                kind: "email",
            })
        } else {
            None
        }
    }

    /// Extra fields of the `page` view.
    pub(super) fn page_extras<'s>(&'s self, id: PageId, view: &mut super::page::PageView<'s>) {
        let page = self.site.page(id);
        view.cover = self.cover(id);
        view.series = self.series_of_page(id);
        view.milestone = self.milestone_link(id);
        view.journey = self.site.journey_of(page.section).map(|j| {
            let s = self.site.section(self.site.journey(j).section);
            Link {
                title: &s.title,
                url: self.url(&s.url_path),
            }
        });
        view.comments = self.comments(id);
        view.excerpt = self.excerpt(id);
        view.seo = self.seo_page(id);
    }

    /// Extra fields of the `section` view.
    pub(super) fn section_extras<'s>(
        &'s self,
        id: SectionId,
        view: &mut super::page::SectionView<'s>,
    ) {
        let section = self.site.section(id);
        view.archive_url = (section.kind == SectionKind::Blog)
            .then(|| self.url(&format!("{}archive/", section.url_path)));
        view.journey = self.site.journey_at(id).map(|j| self.journey(j));
        view.sectors = self
            .site
            .all_sectors()
            .iter()
            .filter(|s| s.section == id)
            .map(|s| super::page::SectorLink {
                name: &s.name,
                slug: &s.slug,
                url: self.url(&s.url_path),
                count: s.pages.len(),
                is_current: false,
            })
            .collect();
        view.current_sector = None;
        view.testimonials_url = (section.kind == SectionKind::CaseStudies
            && !self.testimonials().is_empty())
        .then(|| self.url("/testimonials/"));
        view.seo = self.seo_section(id);
    }

    /// A journey's progress, as of the build date.
    pub fn journey(&self, index: usize) -> JourneyView<'_> {
        let journey = self.site.journey(index);
        let section = self.site.section(journey.section);
        let today = self.build_date.day_only();
        let (started, started_display) = date_pair(journey.started);
        let (deadline, deadline_display) = date_pair(journey.deadline);
        let total_days = match (journey.started, journey.deadline) {
            (Some(s), Some(d)) => Some(s.days_until(&d)),
            _ => None,
        };
        let elapsed_days = journey.started.map(|s| s.days_until(&today).max(0));
        let remaining_days = journey.deadline.map(|d| today.days_until(&d).max(0));
        let time_percent = match (elapsed_days, total_days) {
            (Some(e), Some(t)) if t > 0 => Some((e * 100 / t).clamp(0, 100)),
            _ => None,
        };
        let stage = match (journey.started, journey.deadline) {
            (Some(s), _) if today < s.day_only() => "not-started",
            (_, Some(d)) if today > d.day_only() => "past-deadline",
            _ => "under-way",
        };
        let counted: Vec<_> = journey
            .milestones
            .iter()
            .filter(|m| m.status != MilestoneStatus::Dropped)
            .collect();
        let done = counted
            .iter()
            .filter(|m| m.status == MilestoneStatus::Done)
            .count();
        let percent_done = if counted.is_empty() {
            0
        } else {
            done * 100 / counted.len()
        };
        let milestones = journey
            .milestones
            .iter()
            .map(|m| {
                let overdue = m.due.is_some_and(|d| d.day_only() < today)
                    && matches!(
                        m.status,
                        MilestoneStatus::Planned | MilestoneStatus::InProgress
                    );
                MilestoneView {
                    link: self.milestone_fields(m),
                    is_overdue: overdue,
                    post_count: m.pages.len(),
                    posts: m.pages.iter().map(|p| self.card_in_view(*p)).collect(),
                }
            })
            .collect();
        let mut latest = self.site.pages_under(journey.section);
        latest.sort_by(|a, b| graph::newest_first(self.site.page(*a), self.site.page(*b)));
        latest.truncate(JOURNEY_LATEST);
        JourneyView {
            title: &section.title,
            url: self.url(&section.url_path),
            goal: journey.goal.as_deref(),
            started,
            started_display,
            deadline,
            deadline_display,
            build_date: today.iso_date(),
            build_date_display: today.display(),
            stage,
            total_days,
            elapsed_days,
            remaining_days,
            elapsed_display: elapsed_days.map(human_days),
            remaining_display: remaining_days.map(human_days),
            time_percent,
            milestones_total: journey.milestones.len(),
            milestones_counted: counted.len(),
            milestones_done: done,
            milestones_dropped: journey.milestones.len() - counted.len(),
            percent_done,
            milestones,
            latest: latest.iter().map(|p| self.card_in_view(*p)).collect(),
            feed_url: self.url(&format!("{}atom.xml", section.url_path)),
        }
    }

    /// The `milestone` variable of `milestone.html`.
    pub fn milestone(&self, journey: usize, index: usize) -> Value {
        fn link<'m>(m: Option<&MilestoneView<'m>>) -> Option<Link<'m>> {
            m.map(|m| Link {
                title: m.link.title,
                url: m.link.url.clone(),
            })
        }
        let journey = self.journey(journey);
        let milestone = journey.milestones.get(index).cloned().unwrap_or_default();
        let prev = link(index.checked_sub(1).and_then(|i| journey.milestones.get(i)));
        let next = link(journey.milestones.get(index + 1));
        let page = MilestonePage {
            milestone,
            prev,
            next,
            number: index + 1,
            journey,
        };
        to_json(&page)
    }

    /// The `archive` variable of `archive.html`: a blog's posts by year and month.
    pub fn archive(&self, id: SectionId) -> ArchiveView<'_> {
        let section = self.site.section(id);
        let mut posts = self.site.pages_under(id);
        posts.retain(|p| self.site.page(*p).date.is_some());
        posts.sort_by(|a, b| graph::newest_first(self.site.page(*a), self.site.page(*b)));
        let mut years: Vec<ArchiveYear> = Vec::new();
        for p in &posts {
            let Some(date) = self.site.page(*p).date else {
                continue;
            };
            if years.last().is_none_or(|y| y.year != date.year) {
                years.push(ArchiveYear {
                    year: date.year,
                    ..ArchiveYear::default()
                });
            }
            let Some(year) = years.last_mut() else {
                continue;
            };
            year.count += 1;
            if year.months.last().is_none_or(|m| m.month != date.month) {
                year.months.push(ArchiveMonth {
                    month: date.month,
                    name: crate::content::month_name(date.month).to_string(),
                    ..ArchiveMonth::default()
                });
            }
            if let Some(month) = year.months.last_mut() {
                month.count += 1;
                month.pages.push(self.card_in_view(*p));
            }
        }
        ArchiveView {
            title: String::new(), // from the string table (`archive_title`), set by the build
            section: Link {
                title: &section.title,
                url: self.url(&section.url_path),
            },
            url: self.url(&format!("{}archive/", section.url_path)),
            count: posts.len(),
            years,
        }
    }

    /// The `series` variable of `series.html`.
    pub fn series(&self, index: usize) -> SeriesView<'_> {
        let series = self.site.series(index);
        SeriesView {
            name: &series.name,
            slug: &series.slug,
            url: self.url(&series.url_path),
            feed_url: self.url(&format!("{}atom.xml", series.url_path)),
            count: series.pages.len(),
            pages: series.pages.iter().map(|p| self.card_in_view(*p)).collect(),
        }
    }

    /// The `series_list` variable of `series-index.html`.
    pub fn series_list(&self) -> Vec<SeriesEntry<'_>> {
        self.site
            .all_series()
            .iter()
            .map(|s| {
                let newest = s.pages.last().and_then(|p| self.site.page(*p).date);
                SeriesEntry {
                    name: &s.name,
                    url: self.url(&s.url_path),
                    count: s.pages.len(),
                    latest: newest.map(|d| d.iso_date()),
                    latest_display: newest.map(|d| d.display()),
                }
            })
            .collect()
    }

    /// The `section` view of a case-studies section narrowed to one sector.
    pub fn sector_section(&self, index: usize) -> Value {
        let sector = self.site.sector(index);
        let mut view = self.section_view(sector.section, &sector.pages, None);
        let url = self.url(&sector.url_path);
        for s in &mut view.sectors {
            s.is_current = s.url == url;
        }
        view.children = view.pages.clone();
        view.permalink = self.absolute(&sector.url_path);
        view.seo = self.seo_plain_view(
            format!(
                "{}: {}",
                self.site.section(sector.section).title,
                sector.name
            ),
            view.description,
            &sector.url_path,
        );
        view.current_sector = Some(CurrentSector {
            name: &sector.name,
            url,
            count: sector.pages.len(),
        });
        to_json(&view)
    }

    /// Every case study's testimonial, in site order, with a link back to it.
    pub fn testimonials(&self) -> Vec<Testimonial<'_>> {
        let mut out = Vec::new();
        for id in self.site.page_ids() {
            if self.site.page_kind(id) != PageKind::CaseStudy {
                continue;
            }
            let page = self.site.page(id);
            let fields = &page.doc.meta.fields;
            let Some(t) = fields
                .get("testimonial")
                .filter(|t| t.get("quote").is_some())
            else {
                continue;
            };
            out.push((
                page.date,
                Testimonial {
                    quote: t.get("quote"),
                    name: t.get("name"),
                    role: t.get("role"),
                    organisation: t.get("organisation"),
                    client: fields.get("client"),
                    sector: fields.get("sector"),
                    case_study: Link {
                        title: &page.title,
                        url: self.url(&page.url_path),
                    },
                },
            ));
        }
        // Site order is content order; newest case studies first reads better. A stable
        // sort keeps site order between case studies of one date, so the view holds no
        // page's position.
        out.sort_by(|(a, _), (b, _)| b.cmp(a));
        out.into_iter()
            .map(|(_, testimonial)| testimonial)
            .collect()
    }

    fn site_publisher(&self) -> Thing<'_> {
        Thing {
            kind: "Organization",
            name: &self.config.title,
            url: Some(format!("{}/", self.config.base_url)),
        }
    }

    fn site_ref(&self) -> Thing<'_> {
        Thing {
            kind: "WebSite",
            name: &self.config.title,
            url: Some(format!("{}/", self.config.base_url)),
        }
    }

    /// Metadata for any output that is not a page or section (taxonomies, series, archives).
    pub fn seo_plain(&self, title: &str, description: Option<&str>, url_path: &str) -> Value {
        to_json(&self.seo_plain_view(title.to_string(), description, url_path))
    }

    fn seo_plain_view(&self, title: String, description: Option<&str>, url_path: &str) -> Seo<'_> {
        let permalink = self.absolute(url_path);
        let description = description
            .filter(|d| !d.is_empty())
            .unwrap_or(&self.config.description)
            .to_string();
        let ld = CollectionLd {
            context: CONTEXT,
            kind: "CollectionPage",
            name: &title,
            description: &description,
            url: &permalink,
            is_part_of: Some(self.site_ref()),
            ..CollectionLd::default()
        };
        let json_ld = json_ld::script(&ld);
        Seo {
            title,
            description,
            url: permalink,
            kind: "website",
            twitter_card: "summary",
            json_ld,
            ..Seo::default()
        }
    }

    fn seo_page(&self, id: PageId) -> Seo<'_> {
        let page = self.site.page(id);
        let meta = &page.doc.meta;
        let permalink = self.absolute(&page.url_path);
        let description = meta
            .description
            .clone()
            .or_else(|| self.excerpt(id).map(|html| plain_text(&html, 200)))
            .unwrap_or_else(|| self.config.description.clone());
        let cover = self.cover(id);
        let image = cover.as_ref().map(|c| c.permalink.clone());
        let authors: Vec<String> = if meta.authors.is_empty() && !self.config.author.name.is_empty()
        {
            vec![self.config.author.name.clone()]
        } else {
            meta.authors.clone()
        };
        let tags: Vec<String> = meta.terms.values().flatten().cloned().collect();
        let published = page.date.map(|d| d.rfc3339());
        let modified = meta.updated.or(page.date).map(|d| d.rfc3339());
        let kind = match page.kind {
            PageKind::Post => "BlogPosting",
            PageKind::CaseStudy | PageKind::Lesson | PageKind::Doc => "Article",
            PageKind::Page => "WebPage",
        };
        let mut ld = PageLd {
            context: CONTEXT,
            kind,
            description: &description,
            url: &permalink,
            main_entity_of_page: &permalink,
            ..PageLd::default()
        };
        if kind == "WebPage" {
            ld.name = Some(&page.title);
        } else {
            ld.headline = Some(&page.title);
            ld.date_published = published.as_deref();
            ld.date_modified = modified.as_deref();
            ld.author = (!authors.is_empty()).then(|| {
                authors
                    .iter()
                    .map(|name| Thing {
                        kind: "Person",
                        name,
                        url: None,
                    })
                    .collect()
            });
            ld.publisher = Some(self.site_publisher());
            ld.keywords = (!tags.is_empty()).then(|| tags.join(", "));
            ld.image = image.as_deref();
            ld.in_language = Some(&self.config.language);
        }
        if page.kind == PageKind::CaseStudy
            && let Some(client) = meta.fields.get("client").and_then(Value::as_str)
        {
            ld.about = Some(Thing {
                kind: "Organization",
                name: client,
                url: None,
            });
        }
        if let Some(s) = self.site.series_part(id) {
            let series = self.site.series(s.0);
            ld.is_part_of = Some(Thing {
                kind: "CreativeWorkSeries",
                name: &series.name,
                url: Some(self.absolute(&series.url_path)),
            });
        }
        let json_ld = json_ld::script(&ld);
        Seo {
            title: page.title.clone(),
            description,
            url: permalink,
            kind: if matches!(
                page.kind,
                PageKind::Post | PageKind::CaseStudy | PageKind::Lesson | PageKind::Doc
            ) {
                "article"
            } else {
                "website"
            },
            image_alt: cover.as_ref().map(|c| c.alt),
            twitter_card: if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            },
            image,
            published,
            modified,
            authors,
            tags,
            json_ld,
        }
    }

    fn seo_section(&self, id: SectionId) -> Seo<'_> {
        let section = self.site.section(id);
        let meta = section.meta();
        let permalink = self.absolute(&section.url_path);
        let description = meta
            .and_then(|m| m.description.clone())
            .unwrap_or_else(|| self.config.description.clone());
        let mut ld = CollectionLd {
            context: CONTEXT,
            name: &section.title,
            description: &description,
            url: &permalink,
            ..CollectionLd::default()
        };
        if id == graph::ROOT {
            ld.kind = "WebSite";
            ld.name = &self.config.title;
            ld.in_language = Some(&self.config.language);
            ld.publisher = Some(self.site_publisher());
        } else {
            match section.kind {
                SectionKind::Course => {
                    ld.kind = "Course";
                    ld.in_language = Some(&self.config.language);
                    ld.provider = Some(self.site_publisher());
                    let fields = meta.map(|m| &m.fields);
                    ld.educational_level =
                        fields.and_then(|f| f.get("level")).and_then(Value::as_str);
                    ld.time_required = self
                        .site
                        .duration_minutes(id)
                        .map(|minutes| format!("PT{}H{}M", minutes / 60, minutes % 60));
                    let names: Vec<Thing<'_>> = fields
                        .and_then(|f| f.get("instructors"))
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|i| {
                            i.as_str().or_else(|| i.get("name").and_then(Value::as_str))
                        })
                        .map(|name| Thing {
                            kind: "Person",
                            name,
                            url: None,
                        })
                        .collect();
                    ld.instructor = (!names.is_empty()).then_some(names);
                }
                SectionKind::Blog | SectionKind::Journey => {
                    ld.kind = "Blog";
                    ld.is_part_of = Some(self.site_ref());
                }
                _ => {
                    ld.kind = "CollectionPage";
                    ld.is_part_of = Some(self.site_ref());
                }
            }
        }
        let json_ld = json_ld::script(&ld);
        Seo {
            title: section.title.clone(),
            description,
            url: permalink,
            kind: "website",
            twitter_card: "summary",
            modified: meta.and_then(|m| m.updated).map(|d| d.rfc3339()),
            json_ld,
            ..Seo::default()
        }
    }

    /// absolute so they resolve in a feed reader.
    pub fn feed_entries(&self, posts: &[PageId]) -> Vec<super::site::FeedEntry> {
        let full = self.config.feeds.content == FeedContent::Full;
        posts
            .iter()
            .map(|p| {
                let page = self.site.page(*p);
                let permalink = self.absolute(&page.url_path);
                let card = self.card(*p);
                let summary = self
                    .excerpt(*p)
                    .map(|html| self.absolute_links(&html, &permalink));
                let content = full.then(|| self.absolute_links(&self.page_html(*p), &permalink));
                super::site::FeedEntry {
                    title: page.title.clone(),
                    published: page.date.map(|d| d.rfc3339()),
                    updated: page.doc.meta.updated.or(page.date).map(|d| d.rfc3339()),
                    permalink,
                    summary,
                    description: card["description"].clone(),
                    content,
                    authors: card["authors"].clone(),
                    tags: card["tags"].clone(),
                    image: self.cover(*p).map(|c| c.permalink),
                }
            })
            .collect()
    }

    /// Makes `href`, `src` and `poster` attributes absolute: root-relative ones get the
    /// site's origin, `#fragment` ones the page's permalink.
    pub fn absolute_links(&self, html: &str, permalink: &str) -> String {
        let origin = self.origin();
        let mut out = String::with_capacity(html.len() + 64);
        let mut rest = html;
        loop {
            let next = ["href=\"", "src=\"", "poster=\""]
                .iter()
                .filter_map(|attr| rest.find(attr).map(|i| (i, attr.len())))
                .min();
            let Some((at, len)) = next else {
                out.push_str(rest);
                break;
            };
            let value_start = at + len;
            out.push_str(&rest[..value_start]);
            let value = &rest[value_start..];
            if value.starts_with('/') && !value.starts_with("//") {
                out.push_str(&origin);
            } else if value.starts_with('#') {
                out.push_str(permalink);
            }
            rest = value;
        }
        out
    }

    /// Posts of a node list that a feed may hold: dated, newest first, at most the limit.
    pub fn feed_posts(&self, mut posts: Vec<PageId>) -> Vec<PageId> {
        posts.retain(|p| self.site.page(*p).date.is_some());
        posts.sort_by(|a, b| graph::newest_first(self.site.page(*a), self.site.page(*b)));
        posts.truncate(self.config.feeds.limit);
        posts
    }
}

/// Text of an HTML fragment, whitespace collapsed and cut at a word boundary near `limit`
/// characters, for meta descriptions.
fn plain_text(html: &str, limit: usize) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() + 1 > limit {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human_days(1), "1 day");
        assert_eq!(human_days(30), "30 days");
        assert_eq!(human_days(273), "9 months");
        assert_eq!(human_days(365), "1 year");
        assert_eq!(human_days(457), "1 year 3 months");
        assert_eq!(human_days(-4), "0 days");
    }

    #[test]
    fn plain_text_is_cut_at_a_word() {
        assert_eq!(
            plain_text("<p>Hello <em>big</em> &amp; world</p>", 100),
            "Hello big & world"
        );
        assert_eq!(plain_text("<p>one two three</p>", 8), "one two…");
    }

    #[test]
    fn encoding() {
        assert_eq!(encode_component("Re: a&b é"), "Re%3A%20a%26b%20%C3%A9");
    }
}
