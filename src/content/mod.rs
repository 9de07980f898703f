//! The content model: kinds, per-page metadata, slugs, dates and durations.
//!
//! Owns what a page *is* once its front matter is parsed, independent of where it sits in
//! the site (that is `graph`) and of how its body renders (that is `markdown`). Pure: no I/O,
//! no Markdown, no Tera. Problems found while reading front matter values are returned as
//! diagnostics located at the key's line.

mod meta;
mod permalink;
mod slug;
mod time;

pub use meta::{KNOWN_KEYS, PageMeta, read_meta, undeclared_taxonomies};
pub use permalink::{Pattern as PermalinkPattern, PermalinkInput, is_file_url};
pub use slug::{is_reserved_name, slugify, split_file_stem, term_slug};
pub use time::{Date, TimeError, format_duration, month_name, parse_date, parse_duration_minutes};

use serde::Serialize;

/// What a section is, from `kind:` in its `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    Section,
    Blog,
    Course,
    Module,
    Handbook,
    CaseStudies,
    Journey,
}

impl SectionKind {
    pub const ALL: [SectionKind; 7] = [
        SectionKind::Section,
        SectionKind::Blog,
        SectionKind::Course,
        SectionKind::Module,
        SectionKind::Handbook,
        SectionKind::CaseStudies,
        SectionKind::Journey,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Section => "section",
            SectionKind::Blog => "blog",
            SectionKind::Course => "course",
            SectionKind::Module => "module",
            SectionKind::Handbook => "handbook",
            SectionKind::CaseStudies => "case-studies",
            SectionKind::Journey => "journey",
        }
    }

    pub fn from_name(name: &str) -> Option<SectionKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind of the pages this section holds directly.
    pub fn page_kind(self) -> PageKind {
        match self {
            SectionKind::Section => PageKind::Page,
            SectionKind::Blog | SectionKind::Journey => PageKind::Post,
            SectionKind::Course | SectionKind::Module => PageKind::Lesson,
            SectionKind::Handbook => PageKind::Doc,
            SectionKind::CaseStudies => PageKind::CaseStudy,
        }
    }

    /// Sections whose pages read newest first.
    pub fn is_dated(self) -> bool {
        matches!(self, SectionKind::Blog | SectionKind::Journey)
    }
}

/// What a page is; follows from the section holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    Page,
    Post,
    Lesson,
    Doc,
    CaseStudy,
}

impl PageKind {
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Page => "page",
            PageKind::Post => "post",
            PageKind::Lesson => "lesson",
            PageKind::Doc => "doc",
            PageKind::CaseStudy => "case-study",
        }
    }
}
