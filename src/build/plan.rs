//! The job plan: one render job per output file, plus the files copied as they are.
//!
//! Planning is pure: it looks at the graph and decides every output path before anything
//! renders, so collisions (two sources, one URL) are found up front and reported with every
//! source, and rendering can run in any order on any thread.

mod blog;
mod course_jobs;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use super::BuildOptions;
use super::jobs::{JobCache, JobContext, JobOutput, Prepared};
use crate::config::Config;
use crate::content::{Date, PageKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::reads::{self, Read};
use crate::graph::{PageId, SectionId, Site};
use crate::output::{OutputContent, OutputFile};
use crate::source::IgnoreRules;
use crate::template::context::Globals;
use crate::template::views::ViewSource;
use crate::template::views::listing::{pager_url, to_json};
use crate::template::{StaticSource, Templates};

pub use course_jobs::CoursePage;

/// What one job renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobKind {
    Page(PageId),
    /// One paginator page of a section (1-based), with the pages it lists.
    Section {
        section: SectionId,
        pager: usize,
        pages: Vec<PageId>,
    },
    TaxonomyIndex(usize),
    /// One paginator page (1-based) of a taxonomy term, with the pages it lists.
    Term {
        taxonomy: usize,
        term: usize,
        pager: usize,
        pages: Vec<PageId>,
    },
    /// An Atom feed of the whole site (`None`) or of one dated section.
    Feed(Option<SectionId>),
    Alias(usize),
    Sitemap,
    Robots,
    NotFound,
    HighlightCss {
        theme: String,
        scheme: crate::markdown::CodeScheme,
    },
    /// A course's print page, instructor view or certificate.
    Course {
        course: SectionId,
        page: CoursePage,
    },
    /// A blog's posts by year and month (`/blog/archive/`).
    Archive(SectionId),
    /// Every series (`/series/`).
    SeriesIndex,
    /// One series (`/series/<slug>/`) and its feed.
    Series(usize),
    SeriesFeed(usize),
    /// A journey milestone with its posts.
    Milestone {
        journey: usize,
        milestone: usize,
    },
    /// Case studies of one sector (`/case-studies/sector/<slug>/`).
    Sector(usize),
    /// Every case study's testimonial (`/testimonials/`).
    Testimonials,
    /// The Atom feed of a taxonomy term.
    TermFeed {
        taxonomy: usize,
        term: usize,
    },
    /// Every page of a handbook on one page (`/handbook/print/`).
    HandbookPrint(SectionId),
}

/// One output file to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Relative to the output folder, `/`-separated (`blog/index.html`).
    pub output_path: String,
    pub kind: JobKind,
    /// What produced it, for collision messages (`content/blog/a.md`).
    pub origin: String,
}

pub struct Plan {
    pub jobs: Vec<Job>,
    pub copies: Vec<OutputFile>,
}

fn index_file(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if Path::new(trimmed)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
    {
        trimmed.to_string()
    } else {
        format!("{trimmed}index.html")
    }
}

fn origin_of_section(site: &Site, id: SectionId) -> String {
    let s = site.section(id);
    s.index.as_ref().map_or_else(
        || {
            format!("content/{}", s.folder)
                .trim_end_matches('/')
                .to_string()
        },
        |d| d.file.clone(),
    )
}

pub fn plan(
    root: &Path,
    config: &Config,
    site: &Site,
    rules: &IgnoreRules,
    diagnostics: &mut Diagnostics,
) -> Plan {
    let jobs = plan_jobs(config, site);
    let mut copies = Vec::new();
    let mut copy_origins = Vec::new();
    let (theme_files, theme_problems) = crate::template::theme_static(root, config);
    diagnostics.extend(theme_problems);
    for (name, source) in theme_files {
        copy_origins.push(format!("theme static/{name}"));
        copies.push(OutputFile {
            output_path: name,
            content: match source {
                StaticSource::Embedded(bytes) => OutputContent::Static(bytes),
                StaticSource::File(path) => OutputContent::Copy(path),
            },
        });
    }
    let (static_files, _, problems) =
        crate::source::walk(root, &root.join("static"), "static", rules, &super::Rayon);
    diagnostics.extend(problems);
    for file in static_files {
        copy_origins.push(format!("static/{}", file.doc_id));
        copies.push(OutputFile {
            output_path: file.doc_id,
            content: OutputContent::Copy(file.source_path),
        });
    }
    for asset in &site.assets {
        copy_origins.push(format!("content/{}", asset.doc_id));
        copies.push(OutputFile {
            output_path: asset.url_path.trim_start_matches('/').to_string(),
            content: OutputContent::Copy(asset.source_path.clone()),
        });
    }

    // Site static files override theme static files of the same name, as in every theme
    // system; anything else sharing an output path is a collision.
    let mut by_path: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for job in &jobs {
        let origin = match source_line(site, job) {
            Some(line) => format!("{}:{line}", job.origin),
            None => job.origin.clone(),
        };
        by_path
            .entry(collision_key(&job.output_path))
            .or_default()
            .push((origin, false));
    }
    for (copy, origin) in copies.iter().zip(&copy_origins) {
        by_path
            .entry(collision_key(&copy.output_path))
            .or_default()
            .push((origin.clone(), origin.starts_with("theme ")));
    }
    let mut theme_overridden = std::collections::HashSet::new();
    for (path, sources) in &by_path {
        let non_theme: Vec<&String> = sources
            .iter()
            .filter(|(_, theme)| !theme)
            .map(|(o, _)| o)
            .collect();
        if non_theme.len() > 1 {
            let mut list: Vec<&str> = non_theme.iter().map(|s| s.as_str()).collect();
            list.sort_unstable();
            diagnostics.push(
                at_source(
                    list[0],
                    format!(
                        "{} sources write the same output `{path}`: {}",
                        list.len(),
                        list.join(", ")
                    ),
                )
                .with_code(crate::diagnostics::Code::DuplicateOutput)
                .with_help("give one of them another `slug:`, or move it"),
            );
        } else if non_theme.len() == 1 && sources.len() > 1 {
            theme_overridden.insert(path.clone());
        }
    }
    check_output_paths(config, &by_path, diagnostics);
    let copies = copies
        .into_iter()
        .zip(copy_origins)
        .filter(|(c, origin)| {
            !(origin.starts_with("theme ")
                && theme_overridden.contains(&collision_key(&c.output_path)))
        })
        .map(|(c, _)| c)
        .collect();
    Plan { jobs, copies }
}

/// The render jobs alone, in plan order: what [`plan`] renders, without the copied files
/// and the collision checks (which depend only on the jobs' output paths and the copies).
pub fn plan_jobs(config: &Config, site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    for page in &site.pages {
        jobs.push(Job {
            output_path: index_file(&page.url_path),
            kind: JobKind::Page(page.id()),
            origin: page.doc.file.clone(),
        });
    }
    for section in &site.sections {
        let id = section.id();
        let pages: Vec<PageId> = section.pages().collect();
        let per_page = section.paginate_by().unwrap_or(usize::MAX);
        let chunks: Vec<Vec<PageId>> = if pages.is_empty() {
            vec![Vec::new()]
        } else {
            pages
                .chunks(per_page.max(1))
                .map(<[PageId]>::to_vec)
                .collect()
        };
        for (n, chunk) in chunks.into_iter().enumerate() {
            let url = pager_url(&section.url_path, n + 1);
            jobs.push(Job {
                output_path: index_file(&url),
                kind: JobKind::Section {
                    section: id,
                    pager: n + 1,
                    pages: chunk,
                },
                origin: origin_of_section(site, id),
            });
        }
        // A blog at the site's root has the site's feed (`/atom.xml`, every post) as its own.
        if section.kind.is_dated() && id != crate::graph::ROOT {
            jobs.push(Job {
                output_path: format!("{}atom.xml", section.url_path.trim_start_matches('/')),
                kind: JobKind::Feed(Some(id)),
                origin: origin_of_section(site, id),
            });
        }
    }
    jobs.extend(course_jobs::plan_course_pages(site, |id| {
        crate::template::views::course::has_certificate(site, id)
    }));
    for section in &site.sections {
        let id = section.id();
        if section.handbook == Some(id) {
            jobs.push(Job {
                output_path: format!(
                    "{}print/index.html",
                    section.url_path.trim_start_matches('/')
                ),
                kind: JobKind::HandbookPrint(id),
                origin: origin_of_section(site, id),
            });
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job {
            output_path: index_file(&taxonomy.url_path),
            kind: JobKind::TaxonomyIndex(t),
            origin: format!("taxonomy `{}`", taxonomy.name),
        });
        for (n, term) in taxonomy.terms.iter().enumerate() {
            for (p, chunk) in term.pages.chunks(config.paginate_terms.max(1)).enumerate() {
                jobs.push(Job {
                    output_path: index_file(&pager_url(&term.url_path, p + 1)),
                    kind: JobKind::Term {
                        taxonomy: t,
                        term: n,
                        pager: p + 1,
                        pages: chunk.to_vec(),
                    },
                    origin: format!("{} term `{}`", taxonomy.name, term.name),
                });
            }
        }
    }
    blog::plan_jobs(site, config, &mut jobs);
    for (i, alias) in site.aliases.iter().enumerate() {
        jobs.push(Job {
            output_path: index_file(&alias.url_path),
            kind: JobKind::Alias(i),
            origin: format!("alias in {}", alias.file),
        });
    }
    for (output_path, kind) in [
        ("atom.xml", JobKind::Feed(None)),
        ("sitemap.xml", JobKind::Sitemap),
        ("robots.txt", JobKind::Robots),
        ("404.html", JobKind::NotFound),
    ] {
        jobs.push(Job {
            output_path: output_path.into(),
            kind,
            origin: "(generated)".into(),
        });
    }
    if config.highlight.enabled {
        for (role, theme, scheme) in [
            (
                "light",
                &config.highlight.light,
                crate::markdown::CodeScheme::Light,
            ),
            (
                "dark",
                &config.highlight.dark,
                crate::markdown::CodeScheme::Dark,
            ),
        ] {
            if !theme.is_empty() {
                jobs.push(Job {
                    output_path: format!("highlight-{role}.css"),
                    kind: JobKind::HighlightCss {
                        theme: theme.clone(),
                        scheme,
                    },
                    origin: format!("highlight theme `{theme}`"),
                });
            }
        }
    }

    jobs
}

/// The line that decides a job's output path in its source file: a page's `slug`, the
/// `aliases` of an alias.
fn source_line(site: &Site, job: &Job) -> Option<usize> {
    match &job.kind {
        JobKind::Page(id) => site.page(*id).doc.key_lines.get("slug").copied(),
        JobKind::Alias(i) => {
            let file = &site.aliases.get(*i)?.file;
            let page = site.pages.iter().find(|p| &p.doc.file == file);
            let doc = match page {
                Some(page) => &page.doc,
                None => site
                    .sections
                    .iter()
                    .filter_map(|s| s.index.as_ref())
                    .find(|d| &d.file == file)?,
            };
            doc.key_lines.get("aliases").copied()
        }
        JobKind::Section { section, .. } => site
            .section(*section)
            .index
            .as_ref()
            .and_then(|d| d.key_lines.get("slug").copied()),
        _ => None,
    }
}

/// An error reported at `origin` (`content/a.md`, `alias in content/b.md:4`, `static/x`),
/// with its line when it has one.
fn at_source(origin: &str, message: String) -> crate::diagnostics::Draft {
    let origin = origin.strip_prefix("alias in ").unwrap_or(origin);
    let (file, line) = match origin.rsplit_once(':') {
        Some((file, line)) if line.parse::<usize>().is_ok() => {
            (file, line.parse::<usize>().unwrap_or(0))
        }
        _ => (origin, 0),
    };
    Diagnostic::error(file, line, usize::from(line > 0), message)
}

/// Longest name of one file or folder on the file systems a site is published from.
const MAX_NAME_BYTES: usize = 255;
/// Longest output path, leaving room under `PATH_MAX` (4096) for the output folder's own.
const MAX_OUTPUT_PATH_BYTES: usize = 3072;

/// What `build` would otherwise find only while writing, so `check` reports it too: an
/// output that is a file where another needs a folder (`static/about` beside
/// `content/about.md`, `static/atom.xml/` beside the feed), a file inside the search
/// index's folder, names too long for the file system, and paths no file system takes.
fn check_output_paths(
    config: &Config,
    by_path: &BTreeMap<String, Vec<(String, bool)>>,
    diagnostics: &mut Diagnostics,
) {
    let sources_of = |path: &str| -> Vec<&str> {
        let mut list: Vec<&str> = by_path
            .get(path)
            .map(|s| s.iter().map(|(o, _)| o.as_str()).collect())
            .unwrap_or_default();
        list.sort_unstable();
        list.dedup();
        list
    };
    // Every output under a path that is a file collides with it: one report per such file
    // (the first output that needs the folder, and how many others do).
    let mut needs_folder: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (path, sources) in by_path {
        let first = sources.iter().map(|(o, _)| o.as_str()).min().unwrap_or("");
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if by_path.contains_key(parent) {
                needs_folder.entry(parent).or_default().push((path, first));
                break;
            }
            folder = parent;
        }
        if config.search.enabled && path.starts_with("pagefind/") {
            diagnostics.push(at_source(
                first,
                format!(
                    "`{path}`, written by {}, is inside `pagefind/`, which the search index writes; rename it or set `search: false`",
                    sources_of(path).join(", ")
                ),
            )
.with_code(crate::diagnostics::Code::OutputPath));
        }
        if let Some(name) = path.split('/').find(|n| n.len() > MAX_NAME_BYTES) {
            diagnostics.push(
                at_source(
                    first,
                    format!(
                        "an output name of {} bytes (`{}…`); file systems allow {MAX_NAME_BYTES}",
                        name.len(),
                        name.chars().take(40).collect::<String>()
                    ),
                )
                .with_code(crate::diagnostics::Code::OutputPath),
            );
        } else if path.len() > MAX_OUTPUT_PATH_BYTES {
            diagnostics.push(
                at_source(
                    first,
                    format!(
                        "output path of {} bytes is longer than {MAX_OUTPUT_PATH_BYTES}",
                        path.len()
                    ),
                )
                .with_code(crate::diagnostics::Code::OutputPath),
            );
        }
        let plain = path
            .split('/')
            .all(|n| !n.is_empty() && n != "." && n != "..")
            && !path.chars().any(|c| c.is_control() || c == '\\');
        if !plain {
            diagnostics.push(
                at_source(
                    first,
                    format!(
                        "output path `{}` is not a plain relative path",
                        path.escape_debug()
                    ),
                )
                .with_code(crate::diagnostics::Code::OutputPath),
            );
        }
    }
    for (parent, under) in needs_folder {
        // The output nearest the colliding file (its folder's own page) names the problem.
        let nearest = under
            .iter()
            .min_by_key(|(path, _)| (path.matches('/').count(), *path));
        let Some(&(path, first)) = nearest else {
            continue;
        };
        let more = match under.len() - 1 {
            0 => String::new(),
            1 => format!(" (and 1 other output under `{parent}/`)"),
            n => format!(" (and {n} other outputs under `{parent}/`)"),
        };
        diagnostics.push(
            at_source(
                first,
                format!(
                    "`{parent}` is a file, written by {}, but `{path}`, written by {}, needs a folder there{more}",
                    sources_of(parent).join(", "),
                    sources_of(path).join(", ")
                ),
            )
            .with_code(crate::diagnostics::Code::OutputPath),
        );
    }
}

/// Output paths that differ only by case or Unicode normalisation land on one file on
/// macOS and Windows, so they collide everywhere.
fn collision_key(output_path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // ASCII is its own NFC form: most paths skip the normalizer (planning 13,000 outputs
    // again is on the path of a page added in `serve`).
    if output_path.is_ascii() {
        return output_path.to_ascii_lowercase();
    }
    output_path.nfc().collect::<String>().to_lowercase()
}

/// What [`render`] tells besides the outputs.
#[derive(Clone, Copy)]
pub struct Reporting<'a> {
    /// Record the parts of the site each job's view read (for `serve`'s later rebuilds).
    pub record_reads: bool,
    /// Told the position and bytes of each job as soon as it is rendered, on the thread that
    /// rendered it.
    pub on_rendered: Option<RenderedHook<'a>>,
}

/// See [`Reporting::on_rendered`].
pub type RenderedHook<'a> = &'a (dyn Fn(usize, &Arc<[u8]>) + Sync);

/// Renders `jobs` in parallel, reusing the cached output of jobs whose view and templates
/// are unchanged; results come back in the order of `jobs`, each with the parts of the site
/// its view read when [`Reporting::record_reads`] (empty otherwise).
pub fn render(
    cache: &JobCache,
    jobs: &[Job],
    views: &ViewSource<'_>,
    templates: &Templates,
    build_date: Date,
    options: &BuildOptions,
    reporting: Reporting<'_>,
) -> Vec<(Result<JobOutput, Diagnostic>, Vec<Read>)> {
    let site = views.site.unrecorded();
    let globals = to_json(&views.site_globals(build_date));
    let renderer = JobRenderer {
        site,
        templates,
        views,
        globals: Globals::new(&globals),
    };
    // One job per task: rayon otherwise runs runs of neighbouring jobs as one task that no
    // idle thread can take from, and the plan keeps its costliest jobs (print pages, feeds,
    // term listings) together at the end, so one thread finished them alone while the
    // others waited.
    jobs.par_iter()
        .with_max_len(1)
        .enumerate()
        .map(|(position, job)| {
            // What the view read decides which later rebuilds must render this job again.
            let (prepared, reads) = if reporting.record_reads {
                reads::recording(|| renderer.render(job))
            } else {
                (renderer.render(job), Vec::new())
            };
            let result = prepared.and_then(|prepared| cache.finish(job, prepared, templates));
            if let (Some(on_rendered), Ok(output)) = (reporting.on_rendered, &result) {
                on_rendered(position, &output.bytes);
            }
            super::progress_advance(options, 1);
            (result, reads)
        })
        .collect()
}

struct JobRenderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    views: &'a ViewSource<'a>,
    globals: Globals,
}

impl JobRenderer<'_> {
    fn context(&self, current_url: &str, page_kind: &str) -> JobContext<'_> {
        let mut context = JobContext::new(&self.globals, self.views);
        context.insert_value("current_url", Value::from(self.site.url(current_url)));
        context.insert_value("page_kind", Value::from(page_kind));
        context
    }

    fn pick(
        &self,
        custom: Option<&str>,
        kind_template: &str,
        fallback: &str,
        origin: &str,
    ) -> Result<String, Diagnostic> {
        self.pick_at(
            custom.map(|name| (name, 0)),
            kind_template,
            fallback,
            origin,
        )
    }

    /// [`Self::pick`], with the line of the `template:` key for the error.
    fn pick_at(
        &self,
        custom: Option<(&str, usize)>,
        kind_template: &str,
        fallback: &str,
        origin: &str,
    ) -> Result<String, Diagnostic> {
        if let Some((name, line)) = custom {
            return if self.templates.has(name) {
                Ok(name.to_string())
            } else {
                let names = self.templates.names();
                let help = match crate::diagnostics::did_you_mean(name, names.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("add templates/{name}, or remove `template:`"),
                };
                Err(Diagnostic::error(
                    origin,
                    line,
                    usize::from(line > 0),
                    format!(
                        "template `{name}` (from `template:`) not found in the theme or templates/"
                    ),
                )
                .with_code(crate::diagnostics::Code::TemplateNotFound)
                .with_help(help))
            };
        }
        self.templates
            .first_of(&[kind_template, fallback])
            .map(str::to_string)
            .ok_or_else(|| {
                Diagnostic::error(
                    origin,
                    0,
                    0,
                    format!("no template to render this: add templates/{fallback}"),
                )
                .with_code(crate::diagnostics::Code::TemplateNotFound)
            })
    }

    fn render(&self, job: &Job) -> Result<Prepared<'_>, Diagnostic> {
        match &job.kind {
            JobKind::Page(id) => {
                let page = self.site.page(*id);
                let kind_template = format!("{}.html", page.kind.name());
                let name = self.pick_at(
                    page.doc.meta.template.as_deref().map(|name| {
                        (
                            name,
                            page.doc
                                .meta
                                .key_lines
                                .get("template")
                                .copied()
                                .unwrap_or(0),
                        )
                    }),
                    &kind_template,
                    "page.html",
                    &job.origin,
                )?;
                let mut context = self.context(&page.url_path, "page");
                context.insert_value("page", self.views.page(*id));
                Ok(Prepared::Template { name, context })
            }
            JobKind::Section {
                section,
                pager,
                pages,
            } => {
                let s = self.site.section(*section);
                let pagination = self.views.section_pagination(*section, *pager);
                let (name, kind) = if *section == crate::graph::ROOT {
                    (
                        self.pick(None, "index.html", "section.html", &job.origin)?,
                        "home",
                    )
                } else {
                    let kind_template = format!("{}.html", s.kind.name());
                    (
                        self.pick_at(
                            s.meta().and_then(|m| {
                                let line = m.key_lines.get("template").copied().unwrap_or(0);
                                m.template.as_deref().map(|name| (name, line))
                            }),
                            &kind_template,
                            "section.html",
                            &job.origin,
                        )?,
                        "section",
                    )
                };
                let mut context = self.context(&pager_url(&s.url_path, *pager), kind);
                context.insert_value(
                    "section",
                    self.views.section(*section, pages, pagination.as_ref()),
                );
                Ok(Prepared::Template { name, context })
            }
            JobKind::TaxonomyIndex(t) => {
                let taxonomy = self.site.taxonomy(*t);
                let mut context = self.context(&taxonomy.url_path, "taxonomy");
                context.insert_value(
                    "seo",
                    self.views.seo_plain(
                        &crate::graph::title_from_name(&taxonomy.name),
                        None,
                        &taxonomy.url_path,
                    ),
                );
                context.insert_value("taxonomy", to_json(&self.views.taxonomy(*t)));
                let name = self.pick(None, "taxonomy.html", "section.html", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::Term {
                taxonomy,
                term,
                pager,
                pages,
            } => {
                let view = self.views.term(*taxonomy, *term, *pager, pages);
                // The taxonomy's name and URL come from the config.
                let tax = &self.site.taxonomies[*taxonomy];
                let term = self.site.term(*taxonomy, *term);
                let mut context = self.context(&pager_url(&term.url_path, *pager), "term");
                let title = crate::graph::title_from_name(&tax.name);
                context.insert_value(
                    "seo",
                    self.views
                        .seo_plain(&format!("{} · {title}", term.name), None, &term.url_path),
                );
                context.insert_value("term", to_json(&view));
                let name = self.pick(None, "term.html", "section.html", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::Feed(section) => self.feed(*section, job),
            JobKind::Archive(_)
            | JobKind::SeriesIndex
            | JobKind::Series(_)
            | JobKind::SeriesFeed(_)
            | JobKind::Milestone { .. }
            | JobKind::Sector(_)
            | JobKind::Testimonials
            | JobKind::TermFeed { .. } => self.render_blog(job),
            JobKind::Alias(i) => {
                let alias = &self.site.aliases[*i];
                let redirect = self.views.redirect(*i);
                let mut context = self.context(&alias.url_path, "redirect");
                context.insert_value("target", Value::from(redirect.target));
                context.insert_value("target_permalink", Value::from(redirect.target_permalink));
                let name = self.pick(None, "redirect.html", "redirect.html", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::Sitemap => {
                let mut context = self.context("/sitemap.xml", "sitemap");
                context.insert_value("entries", to_json(&self.views.sitemap()));
                let name = self.pick(None, "sitemap.xml", "sitemap.xml", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::Robots => {
                let context = self.context("/robots.txt", "robots");
                let name = self.pick(None, "robots.txt", "robots.txt", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::NotFound => {
                let context = self.context("/404.html", "404");
                let name = self.pick(None, "404.html", "404.html", &job.origin)?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::Course { course, page } => self.course_page(*course, *page, job),
            JobKind::HandbookPrint(id) => {
                let url_path = format!("{}print/", self.site.section(*id).url_path);
                let mut context = self.context(&url_path, "print");
                context.insert_value("handbook", to_json(&self.views.handbook_print(*id)));
                let name = self.pick(
                    None,
                    "handbook-print.html",
                    "handbook-print.html",
                    &job.origin,
                )?;
                Ok(Prepared::Template { name, context })
            }
            JobKind::HighlightCss { theme, scheme } => {
                crate::markdown::highlight_css(theme, *scheme)
                    .map(|css| Prepared::Bytes(css.into_bytes()))
                    .ok_or_else(|| {
                        Diagnostic::error(
                            crate::config::CONFIG_FILE,
                            0,
                            0,
                            format!("unknown highlight theme `{theme}`"),
                        )
                        .with_code(crate::diagnostics::Code::ConfigUnknownHighlightTheme)
                    })
            }
        }
    }

    fn feed(&self, section: Option<SectionId>, job: &Job) -> Result<Prepared<'_>, Diagnostic> {
        let posts: Vec<PageId> = match section {
            Some(s) => crate::graph::pages_under(self.site, s),
            None => self
                .site
                .page_ids()
                .filter(|p| self.site.page(*p).kind == PageKind::Post)
                .collect(),
        };
        let posts = self.views.feed_posts(posts);
        let (title, html_url_path, feed_path) = match section {
            Some(s) => {
                let sec = self.site.section(s);
                (
                    format!("{} · {}", sec.title, self.views.config.title),
                    sec.url_path.clone(),
                    format!("{}atom.xml", sec.url_path),
                )
            }
            None => (
                self.views.config.title.clone(),
                "/".to_string(),
                "/atom.xml".to_string(),
            ),
        };
        self.write_feed(&title, &html_url_path, &feed_path, &posts, job)
    }
}
