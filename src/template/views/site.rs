//! Typed views of the global `site` variable and of Atom feeds (`feed` in `atom.xml`), as
//! `themes/default/CONTRACT.md` documents them (held together by `template::contract`).
//! Fields are declared in the order templates have always received them.

use serde::Serialize;
use serde_json::Value;

use super::ViewSource;
use crate::config::FeedContent;
use crate::content::Date;
use crate::graph::PageId;

/// The global `site` variable of every template.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteGlobals<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub author: Author<'a>,
    pub menu: Vec<MenuLink>,
    pub extra: Option<&'a serde_json::Map<String, Value>>,
    pub taxonomies: Vec<super::listing::TaxonomyLink>,
    pub build_date: String,
    pub build_date_display: String,
    pub generator: String,
    pub feed_url: String,
    pub stylesheets: Stylesheets,
    pub home_url: String,
    pub search: Option<SearchBundle>,
}

/// `site.author`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Author<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub url: &'a str,
}

/// One entry of `site.menu`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MenuLink {
    pub name: String,
    pub url: String,
}

/// `site.stylesheets`: the highlighting stylesheets, when highlighting is on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stylesheets {
    pub highlight_light: Option<String>,
    pub highlight_dark: Option<String>,
}

/// `site.search`, when search is on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchBundle {
    pub bundle_url: String,
}

/// `feed` of `atom.xml`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedView {
    pub title: String,
    pub url: String,
    pub feed_url: String,
    pub permalink: String,
    pub feed_permalink: String,
    /// RFC 3339.
    pub updated: String,
    pub full_content: bool,
    pub entries: Vec<FeedEntry>,
}

/// One entry of a feed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub permalink: String,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub summary: Option<String>,
    /// The card's `description`.
    pub description: Value,
    pub content: Option<String>,
    /// The card's `authors`.
    pub authors: Value,
    /// The card's `tags`.
    pub tags: Value,
    /// The cover's absolute URL, or none.
    pub image: Option<String>,
}

impl ViewSource<'_> {
    /// The global `site` variable.
    pub fn site_globals(&self, build_date: Date) -> SiteGlobals<'_> {
        let c = self.config;
        let mut menu = c.menu.clone();
        menu.sort_by_key(|m| m.weight);
        let highlight = |theme: &str, path: &str| {
            (c.highlight.enabled && !theme.is_empty()).then(|| self.url(path))
        };
        SiteGlobals {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            base_path: c.base_path(),
            language: &c.language,
            author: Author {
                name: &c.author.name,
                email: &c.author.email,
                url: crate::markdown::safe_url(&c.author.url, false),
            },
            menu: menu
                .iter()
                .map(|m| MenuLink {
                    name: m.name.clone(),
                    url: self.menu_url(&m.url),
                })
                .collect(),
            extra: Some(&c.extra),
            taxonomies: self
                .site
                .taxonomy_list()
                .map(|(_, t)| super::listing::TaxonomyLink {
                    name: t.name.clone(),
                    title: crate::graph::title_from_name(t.name),
                    url: self.url(t.url_path),
                })
                .collect(),
            build_date: build_date.iso_date(),
            build_date_display: build_date.display(),
            generator: format!("Trailmark {}", env!("CARGO_PKG_VERSION")),
            feed_url: self.url("/atom.xml"),
            stylesheets: Stylesheets {
                highlight_light: highlight(&c.highlight.light, "/highlight-light.css"),
                highlight_dark: highlight(&c.highlight.dark, "/highlight-dark.css"),
            },
            home_url: self.url("/"),
            search: c.search.enabled.then(|| SearchBundle {
                bundle_url: self.url("/pagefind/"),
            }),
        }
    }

    /// `feed` for `posts` (newest first, already limited), titled `title`, of the HTML page
    /// at `html_url_path`, written at `feed_path`.
    pub fn feed(
        &self,
        title: &str,
        html_url_path: &str,
        feed_path: &str,
        posts: &[PageId],
    ) -> FeedView {
        let updated = posts
            .iter()
            .filter_map(|p| {
                let page = self.site.page(*p);
                page.doc.meta.updated.or(page.date)
            })
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        FeedView {
            title: title.to_string(),
            url: self.url(html_url_path),
            feed_url: self.url(feed_path),
            permalink: self.absolute(html_url_path),
            feed_permalink: self.absolute(feed_path),
            updated,
            full_content: self.config.feeds.content == FeedContent::Full,
            entries: self.feed_entries(posts),
        }
    }
}
