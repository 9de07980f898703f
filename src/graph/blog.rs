//! Progress blogging in the graph: series, journeys and their milestones, case-study
//! sectors, year/month folders in dated sections, and future-dated posts.
//!
//! Everything here needs the whole tree (a series spans sections, a post joins a milestone
//! declared by an ancestor section), so it runs once the pages are placed and ordered. Pure:
//! problems come back as diagnostics naming the file and the front matter line.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{PageId, SectionId, Site, SlugKey, order};
use crate::content::{Date, PageKind, SectionKind, parse_date, slugify};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// Posts sharing a `series:` name, oldest first (reading order of a series).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub slug: String,
    /// `/series/<slug>/`
    pub url_path: String,
    pub pages: Vec<PageId>,
}

impl Series {
    /// What views record a read of this series by ([`super::reads::Read::Series`]): its
    /// slug, the same in every graph of a session.
    pub fn key(&self) -> SlugKey {
        SlugKey::of(&self.slug)
    }
}

/// Where a journey stands on a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MilestoneStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl MilestoneStatus {
    pub const ALL: [MilestoneStatus; 4] = [
        MilestoneStatus::Planned,
        MilestoneStatus::InProgress,
        MilestoneStatus::Done,
        MilestoneStatus::Dropped,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "planned",
            MilestoneStatus::InProgress => "in-progress",
            MilestoneStatus::Done => "done",
            MilestoneStatus::Dropped => "dropped",
        }
    }

    /// For people: `In progress`.
    pub fn label(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "Planned",
            MilestoneStatus::InProgress => "In progress",
            MilestoneStatus::Done => "Done",
            MilestoneStatus::Dropped => "Dropped",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub due: Option<Date>,
    pub status: MilestoneStatus,
    /// `<journey>/milestones/<id>/`
    pub url_path: String,
    /// Posts that joined it with `milestone: <id>`, newest first.
    pub pages: Vec<PageId>,
}

/// A `kind: journey` section: its goal, dates and milestones.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub section: SectionId,
    pub goal: Option<String>,
    pub started: Option<Date>,
    pub deadline: Option<Date>,
    pub milestones: Vec<Milestone>,
}

/// Case studies of one sector in one `case-studies` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Sector {
    pub section: SectionId,
    pub name: String,
    pub slug: String,
    /// `<section>/sector/<slug>/`
    pub url_path: String,
    pub pages: Vec<PageId>,
}

impl Sector {
    /// What views record a read of this sector by ([`super::reads::Read::Sector`]): its
    /// section and slug (two `case-studies` sections may each have a sector of one name).
    pub fn key(&self) -> (SectionId, SlugKey) {
        (self.section, SlugKey::of(&self.slug))
    }
}

/// A folder name that only dates its posts (`2013`, `05`): inside a blog or journey such a
/// folder, without an `_index.md`, is not a section of its own; its posts belong to the blog.
pub fn is_date_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 4
        && name.len() != 3
        && name.bytes().all(|b| b.is_ascii_digit())
}

/// The date a post gets from year/month(/day) folders: `blog/2013/05/01-baselining.md`
/// (the day from the number prefix) or `blog/2013/05/01/baselining.md`.
pub fn date_from_folders(folder: &str, number_prefix: Option<u64>) -> Option<Date> {
    let parts: Vec<&str> = folder.split('/').collect();
    let trailing = parts
        .iter()
        .rev()
        .take_while(|s| is_date_folder_name(s))
        .count();
    let tail = &parts[parts.len() - trailing..];
    let (year, month, day) = match tail {
        [.., y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (*y, *m, d.to_string()),
        [.., y, m] if y.len() == 4 && m.len() <= 2 => (*y, *m, number_prefix?.to_string()),
        _ => return None,
    };
    parse_date(&format!("{year}-{month:0>2}-{day:0>2}")).ok()
}

fn text_field<'a>(fields: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    fields
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn line_of(site: &Site, page: PageId, key: &str) -> usize {
    site.page(page)
        .doc
        .meta
        .key_lines
        .get(key)
        .copied()
        .unwrap_or(1)
}

/// Builds series, journeys and sectors once pages are placed and ordered.
pub(super) fn assemble(site: &mut Site, problems: &mut Vec<Diagnostic>) {
    site.series = build_series(site, problems);
    site.journeys = build_journeys(site, problems);
    attach_milestones(site, problems);
    site.sectors = build_sectors(site, problems);
    index_series_and_sectors(site);
}

/// Fills the by-page lookups behind [`Site::series_part`] and [`Site::sector_of`].
fn index_series_and_sectors(site: &mut Site) {
    let mut series_parts = vec![None; site.pages.len()];
    for (s, series) in site.series.iter().enumerate() {
        for (part, page) in series.pages.iter().enumerate() {
            series_parts[site.page_position(*page)] = Some((s, part));
        }
    }
    let mut page_sectors = vec![None; site.pages.len()];
    for (s, sector) in site.sectors.iter().enumerate() {
        for page in &sector.pages {
            page_sectors[site.page_position(*page)].get_or_insert(s);
        }
    }
    site.series_parts = series_parts;
    site.page_sectors = page_sectors;
}

fn build_series(site: &Site, problems: &mut Vec<Diagnostic>) -> Vec<Series> {
    let mut by_slug: BTreeMap<String, Series> = BTreeMap::new();
    let mut warned = std::collections::HashSet::new();
    for page in &site.pages {
        let Some(name) = text_field(&page.doc.meta.fields, "series") else {
            continue;
        };
        let slug = crate::content::term_slug(name);
        if slug.is_empty() {
            problems.push(super::unnamable(
                &page.doc,
                "series",
                &format!("series `{name}`"),
            ));
            continue;
        }
        if let Some(first) = by_slug.get(&slug)
            && !super::same_term_spelling(&first.name, name.trim())
            && warned.insert(name.trim().to_string())
        {
            problems.push(super::shared_url(
                site,
                page,
                ("series", "one"),
                name,
                (&first.name, &first.url_path, first.pages[0]),
            ));
        }
        by_slug
            .entry(slug.clone())
            .or_insert_with(|| Series {
                name: name.trim().to_string(),
                url_path: format!("/series/{slug}/"),
                slug,
                pages: Vec::new(),
            })
            .pages
            .push(page.id());
    }
    let mut series: Vec<Series> = by_slug.into_values().collect();
    for s in &mut series {
        // A series reads in publication order: part 1 is the oldest post.
        s.pages
            .sort_by(|a, b| order::newest_first(site.page(*b), site.page(*a)));
    }
    series
}

fn build_journeys(site: &Site, problems: &mut Vec<Diagnostic>) -> Vec<Journey> {
    let mut journeys = Vec::new();
    for section in &site.sections {
        if section.kind != SectionKind::Journey {
            continue;
        }
        // A journey section nested in a journey (a year folder with an `_index.md`) shares
        // its parent's milestones.
        if section
            .parent
            .is_some_and(|p| site.section(p).kind == SectionKind::Journey)
        {
            continue;
        }
        let Some(doc) = &section.index else {
            journeys.push(Journey {
                section: section.id(),
                goal: None,
                started: None,
                deadline: None,
                milestones: Vec::new(),
            });
            continue;
        };
        let fields = &doc.meta.fields;
        let line = |key: &str| doc.meta.key_lines.get(key).copied().unwrap_or(1);
        let mut date = |key: &str| -> Option<Date> {
            let value = fields.get(key).filter(|v| !v.is_null())?;
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match parse_date(&text) {
                Ok(d) => Some(d),
                Err(message) => {
                    problems.push(
                        Diagnostic::error(&doc.file, line(key), 1, format!("`{key}`: {message}"))
                            .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
                    );
                    None
                }
            }
        };
        let started = date("started");
        let deadline = date("deadline");
        if let (Some(s), Some(d)) = (started, deadline)
            && d < s
        {
            problems.push(
                Diagnostic::error(
                    &doc.file,
                    line("deadline"),
                    1,
                    format!("`deadline` {d} is before `started` {s}"),
                )
                .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            );
        }
        let mut milestones: Vec<Milestone> = Vec::new();
        match fields.get("milestones") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (n, item) in items.iter().enumerate() {
                    let at = line("milestones");
                    let mut problem = |message: String| {
                        problems.push(
                            Diagnostic::error(
                                &doc.file,
                                at,
                                1,
                                format!("milestone {}: {message}", n + 1),
                            )
                            .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
                        );
                    };
                    let Value::Object(map) = item else {
                        problem("must be a map with `id`, `title`, `due` and `status`".into());
                        continue;
                    };
                    for key in map.keys() {
                        if !["id", "title", "due", "status", "description"].contains(&key.as_str())
                        {
                            let hint =
                                did_you_mean(key, ["id", "title", "due", "status", "description"])
                                    .map(|s| format!("; did you mean `{s}`?"))
                                    .unwrap_or_default();
                            problem(format!("unknown key `{key}`{hint}"));
                        }
                    }
                    let id = match map.get("id") {
                        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
                        Some(Value::Number(num)) => num.to_string(),
                        _ => {
                            problem(
                                "needs an `id` (a short name posts refer to with `milestone:`)"
                                    .into(),
                            );
                            continue;
                        }
                    };
                    let slug = slugify(&id);
                    if slug != id {
                        problem(format!(
                            "id `{id}` must be lowercase letters, digits and `-` (like `{slug}`)"
                        ));
                        continue;
                    }
                    if milestones.iter().any(|m| m.id == id) {
                        problem(format!("id `{id}` is used twice"));
                        continue;
                    }
                    let title = map
                        .get("title")
                        .and_then(Value::as_str)
                        .map_or_else(|| super::title_from_name(&id), str::to_string);
                    let due = match map.get("due") {
                        None | Some(Value::Null) => None,
                        Some(v) => {
                            let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                            match parse_date(&text) {
                                Ok(d) => Some(d),
                                Err(message) => {
                                    problem(format!("`due`: {message}"));
                                    None
                                }
                            }
                        }
                    };
                    let status = match map.get("status") {
                        None | Some(Value::Null) => MilestoneStatus::Planned,
                        Some(v) => {
                            let text = v.as_str().unwrap_or_default();
                            if let Some(s) =
                                MilestoneStatus::ALL.into_iter().find(|s| s.name() == text)
                            {
                                s
                            } else {
                                let names = MilestoneStatus::ALL.map(MilestoneStatus::name);
                                let hint = did_you_mean(text, names)
                                    .map(|s| format!("did you mean `{s}`?"))
                                    .unwrap_or_else(|| {
                                        format!("expected one of {}", names.join(", "))
                                    });
                                problem(format!(
                                    "unknown status `{}`; {hint}",
                                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                                ));
                                MilestoneStatus::Planned
                            }
                        }
                    };
                    milestones.push(Milestone {
                        url_path: format!("{}milestones/{id}/", section.url_path),
                        id,
                        title,
                        due,
                        status,
                        pages: Vec::new(),
                    });
                }
            }
            Some(other) => problems.push(
                Diagnostic::error(
                    &doc.file,
                    line("milestones"),
                    1,
                    format!(
                        "`milestones` must be a list of {{id, title, due, status}}, found {}",
                        crate::front_matter::describe(other)
                    ),
                )
                .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            ),
        }
        let goal = match fields.get("goal") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        journeys.push(Journey {
            section: section.id(),
            goal,
            started,
            deadline,
            milestones,
        });
    }
    journeys
}

/// The journey a section belongs to: the topmost `kind: journey` section at or above it.
pub fn journey_of(site: &Site, section: SectionId) -> Option<usize> {
    let chain = site.ancestry(section);
    let top = chain
        .into_iter()
        .find(|s| site.section(*s).kind == SectionKind::Journey)?;
    site.journeys.iter().position(|j| j.section == top)
}

/// The journey and milestone a page joined with `milestone:`.
pub fn milestone_of(site: &Site, page: PageId) -> Option<(usize, usize)> {
    let p = site.page(page);
    let id = text_field(&p.doc.meta.fields, "milestone")?;
    let journey = journey_of(site, p.section)?;
    let index = site.journeys[journey]
        .milestones
        .iter()
        .position(|m| m.id == id.trim())?;
    Some((journey, index))
}

fn attach_milestones(site: &mut Site, problems: &mut Vec<Diagnostic>) {
    let mut joins: Vec<(usize, usize, PageId)> = Vec::new();
    for page in &site.pages {
        let id = page.id();
        let Some(wanted) = page
            .doc
            .meta
            .fields
            .get("milestone")
            .filter(|v| !v.is_null())
        else {
            continue;
        };
        let line = line_of(site, id, "milestone");
        let Some(wanted) = wanted.as_str().map(str::trim) else {
            problems.push(
                Diagnostic::error(
                    &page.doc.file,
                    line,
                    1,
                    "`milestone` must be the id of one of the journey's milestones",
                )
                .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            );
            continue;
        };
        let Some(journey) = journey_of(site, page.section) else {
            problems.push(
                Diagnostic::error(
                    &page.doc.file,
                    line,
                    1,
                    format!(
                        "`milestone: {wanted}` only applies to posts in a `kind: journey` section"
                    ),
                )
                .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            );
            continue;
        };
        let j = &site.journeys[journey];
        if let Some(index) = j.milestones.iter().position(|m| m.id == wanted) {
            joins.push((journey, index, id));
        } else {
            let ids: Vec<&str> = j.milestones.iter().map(|m| m.id.as_str()).collect();
            let origin = site
                .section(j.section)
                .index
                .as_ref()
                .map_or_else(|| "the journey".to_string(), |d| d.file.clone());
            let hint = match did_you_mean(wanted, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => format!("{origin} declares no milestones"),
                None => format!("milestones in {origin}: {}", ids.join(", ")),
            };
            problems.push(
                Diagnostic::error(
                    &page.doc.file,
                    line,
                    1,
                    format!("unknown milestone `{wanted}`"),
                )
                .with_code(crate::diagnostics::Code::UnknownMilestone)
                .with_help(hint),
            );
        }
    }
    for (journey, index, page) in joins {
        site.journeys[journey].milestones[index].pages.push(page);
    }
    let mut journeys = std::mem::take(&mut site.journeys);
    for journey in &mut journeys {
        for m in &mut journey.milestones {
            m.pages
                .sort_by(|a, b| order::newest_first(site.page(*a), site.page(*b)));
        }
    }
    site.journeys = journeys;
}

/// A `comments:` link that would run script is an error at its line (the page shows `#`
/// in its place whatever happens).
pub(super) fn check_comment_links(site: &Site, problems: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        let Some(Value::String(url)) = page.doc.meta.fields.get("comments") else {
            continue;
        };
        if crate::markdown::is_executable_url(url.trim(), false) {
            problems.push(Diagnostic::error(
                &page.doc.file,
                line_of(site, page.id(), "comments"),
                1,
                format!(
                    "`comments` link `{}` would run script or load content when followed; use an http(s), mailto or relative URL",
                    url.trim()
                ),
            )
.with_code(crate::diagnostics::Code::FrontMatterInvalidValue));
        }
    }
}

/// A relative `cover:` must name a file in `content/`, like any image link.
pub(super) fn check_covers(site: &Site, problems: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        let Some(cover) = page.doc.meta.fields.get("cover").filter(|v| !v.is_null()) else {
            continue;
        };
        let line = line_of(site, page.id(), "cover");
        let Some(cover) = cover.as_str() else {
            problems.push(
                Diagnostic::error(
                    &page.doc.file,
                    line,
                    1,
                    "`cover` must be the path or URL of an image",
                )
                .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            );
            continue;
        };
        if cover.contains("://") || cover.starts_with('/') || cover.is_empty() {
            continue;
        }
        match site.resolve_link(&page.doc.doc_id, cover) {
            crate::markdown::LinkResolution::Broken(message) => {
                problems.push(
                    Diagnostic::error(&page.doc.file, line, 1, format!("`cover`: {message}"))
                        .with_code(crate::diagnostics::Code::LinkUnresolved),
                );
            }
            crate::markdown::LinkResolution::Missing(broken) => {
                problems.push(
                    Diagnostic::error(
                        &page.doc.file,
                        line,
                        1,
                        format!("`cover`: {}", broken.message),
                    )
                    .with_code(broken.code)
                    .with_help_opt(broken.help),
                );
            }
            _ => {}
        }
    }
}

fn build_sectors(site: &Site, problems: &mut Vec<Diagnostic>) -> Vec<Sector> {
    let mut sectors = Vec::new();
    for section in &site.sections {
        if section.kind != SectionKind::CaseStudies {
            continue;
        }
        let mut by_slug: BTreeMap<String, Sector> = BTreeMap::new();
        let mut warned = std::collections::HashSet::new();
        for page in super::pages_under(site, section.id()) {
            let p = site.page(page);
            if p.kind != PageKind::CaseStudy {
                continue;
            }
            let Some(name) = text_field(&p.doc.meta.fields, "sector") else {
                continue;
            };
            let slug = crate::content::term_slug(name);
            if slug.is_empty() {
                problems.push(super::unnamable(
                    &p.doc,
                    "sector",
                    &format!("sector `{name}`"),
                ));
                continue;
            }
            if let Some(first) = by_slug.get(&slug)
                && !super::same_term_spelling(&first.name, name.trim())
                && warned.insert(name.trim().to_string())
            {
                problems.push(super::shared_url(
                    site,
                    p,
                    ("sector", "one"),
                    name,
                    (&first.name, &first.url_path, first.pages[0]),
                ));
            }
            by_slug
                .entry(slug.clone())
                .or_insert_with(|| Sector {
                    section: section.id(),
                    name: name.trim().to_string(),
                    url_path: format!("{}sector/{slug}/", section.url_path),
                    slug,
                    pages: Vec::new(),
                })
                .pages
                .push(page);
        }
        sectors.extend(by_slug.into_values());
    }
    sectors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_folders() {
        assert!(is_date_folder_name("2013"));
        assert!(is_date_folder_name("05"));
        assert!(!is_date_folder_name("201"));
        assert!(!is_date_folder_name("notes"));
        assert_eq!(
            date_from_folders("blog/2013/05", Some(1)).map(|d| d.iso_date()),
            Some("2013-05-01".into())
        );
        assert_eq!(
            date_from_folders("blog/2013/5/9", None).map(|d| d.iso_date()),
            Some("2013-05-09".into())
        );
        assert_eq!(date_from_folders("blog/2013/05", None), None);
        assert_eq!(date_from_folders("blog", Some(1)), None);
        assert_eq!(date_from_folders("blog/2013/13", Some(1)), None);
    }
}
