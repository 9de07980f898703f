//! Jobs for progress blogging: blog archives, series pages and feeds, journey milestone
//! pages, case-study sector pages, the testimonials page, term feeds, and the Atom feed
//! writer every feed shares.

use crate::build::jobs::{JobContext, Prepared};
use crate::template::views::listing::to_json;

use super::{Job, JobKind, JobRenderer, index_file, origin_of_section};
use crate::config::Config;
use crate::content::{PageKind, SectionKind};
use crate::diagnostics::Diagnostic;
use crate::graph::{PageId, Site};

/// Adds the blogging jobs to the plan.
pub(super) fn plan_jobs(site: &Site, _config: &Config, jobs: &mut Vec<Job>) {
    for section in &site.sections {
        if section.kind == SectionKind::Blog
            && section
                .parent
                .is_none_or(|p| site.section(p).kind != SectionKind::Blog)
        {
            jobs.push(Job {
                output_path: index_file(&format!("{}archive/", section.url_path)),
                kind: JobKind::Archive(section.id()),
                origin: origin_of_section(site, section.id()),
            });
        }
    }
    if !site.series.is_empty() {
        jobs.push(Job {
            output_path: index_file("/series/"),
            kind: JobKind::SeriesIndex,
            origin: "series index".into(),
        });
    }
    for (i, series) in site.series.iter().enumerate() {
        let origin = format!("series `{}`", series.name);
        jobs.push(Job {
            output_path: index_file(&series.url_path),
            kind: JobKind::Series(i),
            origin: origin.clone(),
        });
        jobs.push(Job {
            output_path: format!("{}atom.xml", series.url_path.trim_start_matches('/')),
            kind: JobKind::SeriesFeed(i),
            origin,
        });
    }
    for (j, journey) in site.journeys.iter().enumerate() {
        for (m, milestone) in journey.milestones.iter().enumerate() {
            jobs.push(Job {
                output_path: index_file(&milestone.url_path),
                kind: JobKind::Milestone {
                    journey: j,
                    milestone: m,
                },
                origin: format!(
                    "milestone `{}` of {}",
                    milestone.id,
                    origin_of_section(site, journey.section)
                ),
            });
        }
    }
    for (i, sector) in site.sectors.iter().enumerate() {
        jobs.push(Job {
            output_path: index_file(&sector.url_path),
            kind: JobKind::Sector(i),
            origin: format!(
                "sector `{}` of {}",
                sector.name,
                origin_of_section(site, sector.section)
            ),
        });
    }
    let has_testimonials = site.pages.iter().any(|p| {
        p.kind == PageKind::CaseStudy
            && p.doc
                .meta
                .fields
                .get("testimonial")
                .is_some_and(|t| t.get("quote").is_some())
    });
    if has_testimonials {
        jobs.push(Job {
            output_path: index_file("/testimonials/"),
            kind: JobKind::Testimonials,
            origin: "testimonials page".into(),
        });
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        for (n, term) in taxonomy.terms.iter().enumerate() {
            jobs.push(Job {
                output_path: format!("{}atom.xml", term.url_path.trim_start_matches('/')),
                kind: JobKind::TermFeed {
                    taxonomy: t,
                    term: n,
                },
                origin: format!("{} term `{}`", taxonomy.name, term.name),
            });
        }
    }
}

impl JobRenderer<'_> {
    fn render_named<'a>(
        &'a self,
        template: &str,
        context: JobContext<'a>,
        job: &Job,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let name = self.pick(None, template, "section.html", &job.origin)?;
        Ok(Prepared::Template { name, context })
    }

    /// Renders the jobs [`plan_jobs`] adds.
    pub(super) fn render_blog(&self, job: &Job) -> Result<Prepared<'_>, Diagnostic> {
        let views = self.views;
        match &job.kind {
            JobKind::Archive(section) => {
                let s = self.site.section(*section);
                let url_path = format!("{}archive/", s.url_path);
                let mut context = self.context(&url_path, "archive");
                let mut archive = views.archive(*section);
                archive.title = self.templates.text(
                    "archive_title",
                    &[("section", &s.title)],
                    "{section} archive",
                );
                context.insert_value(
                    "seo",
                    views.seo_plain(
                        &archive.title,
                        s.meta().and_then(|m| m.description.as_deref()),
                        &url_path,
                    ),
                );
                context.insert_value("archive", to_json(&archive));
                self.render_named("archive.html", context, job)
            }
            JobKind::SeriesIndex => {
                let mut context = self.context("/series/", "series-index");
                context.insert_value("series_list", to_json(&views.series_list()));
                context.insert_value(
                    "seo",
                    views.seo_plain(
                        &self.templates.text("series", &[], "Series"),
                        None,
                        "/series/",
                    ),
                );
                self.render_named("series-index.html", context, job)
            }
            JobKind::Series(i) => {
                let series = &self.site.series[*i];
                let mut context = self.context(&series.url_path, "series");
                context.insert_value("series", to_json(&views.series(*i)));
                context.insert_value(
                    "seo",
                    views.seo_plain(
                        &self.templates.text(
                            "series_title",
                            &[("name", &series.name)],
                            "Series: {name}",
                        ),
                        None,
                        &series.url_path,
                    ),
                );
                self.render_named("series.html", context, job)
            }
            JobKind::SeriesFeed(i) => {
                // Through the views' recording accessor: the feed lists the series' pages.
                let series = views.site.series(*i);
                let posts = views.feed_posts(series.pages.clone());
                self.write_feed(
                    &format!("{} · {}", series.name, self.views.config.title),
                    &series.url_path,
                    &format!("{}atom.xml", series.url_path),
                    &posts,
                    job,
                )
            }
            JobKind::Milestone { journey, milestone } => {
                let m = &self.site.journeys[*journey].milestones[*milestone];
                let mut context = self.context(&m.url_path, "milestone");
                let view = views.milestone(*journey, *milestone);
                context.insert_value(
                    "seo",
                    views.seo_plain(
                        &format!(
                            "{} · {}",
                            m.title,
                            view["journey"]["title"].as_str().unwrap_or_default()
                        ),
                        view["journey"]["goal"].as_str(),
                        &m.url_path,
                    ),
                );
                context.insert_value("milestone", view);
                self.render_named("milestone.html", context, job)
            }
            JobKind::Sector(i) => {
                let sector = &self.site.sectors[*i];
                let s = self.site.section(sector.section);
                let kind_template = format!("{}.html", s.kind.name());
                let name = self.pick(
                    s.meta().and_then(|m| m.template.as_deref()),
                    &kind_template,
                    "section.html",
                    &job.origin,
                )?;
                let mut context = self.context(&sector.url_path, "section");
                context.insert_value("section", views.sector_section(*i));
                Ok(Prepared::Template { name, context })
            }
            JobKind::Testimonials => {
                let mut context = self.context("/testimonials/", "testimonials");
                context.insert_value("testimonials", to_json(&views.testimonials()));
                context.insert_value(
                    "seo",
                    views.seo_plain(
                        &self.templates.text("testimonials", &[], "Testimonials"),
                        None,
                        "/testimonials/",
                    ),
                );
                self.render_named("testimonials.html", context, job)
            }
            JobKind::TermFeed { taxonomy, term } => {
                let term = self.site.term(*taxonomy, *term);
                let posts = views.feed_posts(term.pages.clone());
                self.write_feed(
                    &format!("{} · {}", term.name, self.views.config.title),
                    &term.url_path,
                    &format!("{}atom.xml", term.url_path),
                    &posts,
                    job,
                )
            }
            _ => Err(
                Diagnostic::error(&job.origin, 0, 0, "internal: not a blogging job")
                    .with_code(crate::diagnostics::Code::Internal),
            ),
        }
    }

    /// Renders `atom.xml` for `posts` (newest first, already limited).
    pub(super) fn write_feed(
        &self,
        title: &str,
        html_url_path: &str,
        feed_path: &str,
        posts: &[PageId],
        job: &Job,
    ) -> Result<Prepared<'_>, Diagnostic> {
        let mut context = self.context(feed_path, "feed");
        context.insert_value(
            "feed",
            to_json(&self.views.feed(title, html_url_path, feed_path, posts)),
        );
        let name = self.pick(None, "atom.xml", "atom.xml", &job.origin)?;
        Ok(Prepared::Template { name, context })
    }
}
