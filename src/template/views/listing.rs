//! Typed views of the list outputs: pagination, taxonomy indexes, terms, the sitemap and
//! redirects, as `themes/default/CONTRACT.md` documents them (a test below holds the two
//! together).
//!
//! Each view is a `Serialize` struct whose fields are declared in the order the templates
//! have always received them (maps keep their order), so the JSON a job is keyed by, and
//! the bytes it renders, are what the hand-built JSON gave.

use serde::Serialize;
use serde_json::Value;

use super::ViewSource;
use crate::graph::{PageId, SectionId};

/// `pagination` of a paginated section or of a term.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pagination {
    /// This paginator page, 1-based.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub first_url: String,
    pub last_url: String,
}

/// `taxonomy` of `taxonomy.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TaxonomyView {
    pub name: String,
    pub title: String,
    pub url: String,
    pub terms: Vec<TaxonomyTerm>,
}

/// One term in a taxonomy index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TaxonomyTerm {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
    pub feed_url: String,
}

/// `term` of `term.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TermView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
    pub post_count: usize,
    pub all_posts: bool,
    pub feed_url: String,
    /// Cards (references to shared parts, see [`crate::template::shared`]).
    pub pages: Vec<Value>,
    pub taxonomy: TaxonomyLink,
    pub pagination: Pagination,
}

/// The taxonomy a term belongs to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TaxonomyLink {
    pub name: String,
    pub title: String,
    pub url: String,
}

/// One entry of `sitemap.xml`'s `entries`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SitemapEntry {
    pub permalink: String,
    pub lastmod: Option<String>,
}

/// The variables of `redirect.html`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RedirectView {
    pub target: String,
    pub target_permalink: String,
}

/// A view as the JSON a job's context holds.
pub fn to_json(view: &impl Serialize) -> Value {
    // Serializing these structs cannot fail: every key is a string, every value plain.
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// The URL path of paginator page `pager` (1-based) of a list at `list_url`.
pub fn pager_url(list_url: &str, pager: usize) -> String {
    if pager == 1 {
        list_url.to_string()
    } else {
        format!("{list_url}page/{pager}/")
    }
}

impl ViewSource<'_> {
    fn pagination(&self, list_url: &str, pager: usize, pagers: usize) -> Pagination {
        let url = |n: usize| self.url(&pager_url(list_url, n));
        Pagination {
            current: pager,
            total: pagers,
            prev_url: (pager > 1).then(|| url(pager - 1)),
            next_url: (pager < pagers).then(|| url(pager + 1)),
            first_url: url(1),
            last_url: url(pagers),
        }
    }

    /// The pagination of paginator page `pager` of `section`, or `None` when it is not
    /// paginated.
    pub fn section_pagination(&self, section: SectionId, pager: usize) -> Option<Pagination> {
        let s = self.site.section(section);
        let total = s.pages().count();
        s.paginate_by()
            .map(|per| self.pagination(&s.url_path, pager, total.div_ceil(per).max(1)))
    }

    /// `taxonomy` of taxonomy `t`'s index.
    pub fn taxonomy(&self, t: usize) -> TaxonomyView {
        let taxonomy = self.site.taxonomy(t);
        TaxonomyView {
            name: taxonomy.name.clone(),
            title: crate::graph::title_from_name(&taxonomy.name),
            url: self.url(&taxonomy.url_path),
            terms: taxonomy
                .terms
                .iter()
                .map(|term| TaxonomyTerm {
                    name: term.name.clone(),
                    slug: term.slug.clone(),
                    url: self.url(&term.url_path),
                    count: term.pages.len(),
                    feed_url: self.url(&format!("{}atom.xml", term.url_path)),
                })
                .collect(),
        }
    }

    /// `term` of paginator page `pager` of a term, listing `listed`.
    pub fn term(&self, taxonomy: usize, term: usize, pager: usize, listed: &[PageId]) -> TermView {
        let tax = self
            .site
            .taxonomy_list()
            .nth(taxonomy)
            .map(|(_, head)| head);
        let term = self.site.term(taxonomy, term);
        let pagers = term
            .pages
            .len()
            .div_ceil(self.config.paginate_terms.max(1))
            .max(1);
        TermView {
            name: term.name.clone(),
            slug: term.slug.clone(),
            url: self.url(&term.url_path),
            count: term.pages.len(),
            post_count: term.post_count,
            all_posts: term.post_count == term.pages.len(),
            feed_url: self.url(&format!("{}atom.xml", term.url_path)),
            pages: listed.iter().map(|p| self.card_in_view(*p)).collect(),
            taxonomy: tax.map_or_else(TaxonomyLink::default, |tax| TaxonomyLink {
                name: tax.name.clone(),
                title: crate::graph::title_from_name(tax.name),
                url: self.url(tax.url_path),
            }),
            pagination: self.pagination(&term.url_path, pager, pagers),
        }
    }

    /// Every section, page, taxonomy and term, by permalink.
    pub fn sitemap(&self) -> Vec<SitemapEntry> {
        let mut entries = Vec::new();
        for section in self.site.all_sections().map(|s| self.site.section(s)) {
            entries.push(SitemapEntry {
                permalink: self.absolute(&section.url_path),
                lastmod: section
                    .meta()
                    .and_then(|m| m.updated.or(m.date))
                    .map(|d| d.iso_date()),
            });
        }
        for page in self.site.page_ids().map(|p| self.site.page(p)) {
            entries.push(SitemapEntry {
                permalink: self.absolute(&page.url_path),
                lastmod: page.doc.meta.updated.or(page.date).map(|d| d.iso_date()),
            });
        }
        for taxonomy in self
            .site
            .taxonomy_list()
            .map(|(t, _)| self.site.taxonomy(t))
        {
            entries.push(SitemapEntry {
                permalink: self.absolute(&taxonomy.url_path),
                lastmod: None,
            });
            for term in &taxonomy.terms {
                entries.push(SitemapEntry {
                    permalink: self.absolute(&term.url_path),
                    lastmod: None,
                });
            }
        }
        entries.sort_by(|a, b| a.permalink.cmp(&b.permalink));
        entries
    }

    /// The redirect of alias `index`.
    pub fn redirect(&self, index: usize) -> RedirectView {
        let alias = self.site.alias(index);
        let target = self.site.node_url_path(alias.target);
        RedirectView {
            target: self.url(target),
            target_permalink: self.absolute(target),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::super::Parallel;
    use super::*;
    use crate::config::Config;
    use crate::content::{Date, PageMeta};
    use crate::graph::reads::{Read, recording};
    use crate::graph::{Doc, GraphInput, SlugKey, TermKey, assemble};
    use crate::markdown::Rendered;
    use crate::template::shared::SharedPart;

    struct InOrder;

    impl Parallel for InOrder {
        fn parts(
            &self,
            len: usize,
            make: &(dyn Fn(usize) -> SharedPart + Sync),
        ) -> Vec<SharedPart> {
            (0..len).map(make).collect()
        }
    }

    fn page(doc_id: &str, tags: &[&str]) -> Doc {
        let mut meta = PageMeta {
            title: Some(doc_id.to_string()),
            ..PageMeta::default()
        };
        meta.terms.insert(
            "tags".to_string(),
            tags.iter().map(|t| (*t).to_string()).collect(),
        );
        Doc {
            doc_id: doc_id.to_string(),
            file: format!("content/{doc_id}"),
            source_path: PathBuf::from(doc_id),
            meta,
            body: String::new(),
            body_first_line: 1,
            heading_title: None,
            last_updated: None,
            key_lines: BTreeMap::new(),
        }
    }

    /// The build date of these tests.
    fn new_year() -> Date {
        Date {
            year: 2026,
            month: 1,
            day: 1,
            seconds: None,
            offset: None,
        }
    }

    /// The graph of `docs`, all in the folder `notes/`.
    fn notes_site(docs: Vec<Doc>, config: &Config, build_date: Date) -> crate::graph::Site {
        assemble(GraphInput {
            ids: &mut crate::graph::Ids::new(),
            docs,
            assets: &[],
            folders: &["notes".to_string()],
            config,
            include_drafts: false,
            include_future: false,
            build_date,
        })
        .0
    }

    /// Views record the lists they show, not "every page": the engine renders again only
    /// the outputs listing what a page added or removed changed.
    #[test]
    fn list_views_record_the_lists_they_read() {
        let config = Config::default();
        let build_date = new_year();
        let site = notes_site(
            vec![page("notes/a.md", &["Rust"]), page("notes/b.md", &["Go"])],
            &config,
            build_date,
        );
        let rendered = vec![Rendered::default(); site.pages.len()];
        let sections = vec![Rendered::default(); site.sections.len()];
        let views = ViewSource::new(&config, &site, &rendered, &sections, build_date, &InOrder);
        let rust = site.taxonomies[0]
            .terms
            .iter()
            .position(|t| t.slug == "rust")
            .unwrap_or_default();
        let listed = site.taxonomies[0].terms[rust].pages.clone();

        let (view, reads) = recording(|| views.term(0, rust, 1, &listed));
        assert_eq!(view.count, 1);
        assert!(
            reads.contains(&Read::Term(0, TermKey::of("rust"))),
            "{reads:?}"
        );
        assert!(reads.contains(&Read::Card(listed[0])), "{reads:?}");
        assert!(!reads.contains(&Read::AllPages), "{reads:?}");
        assert!(
            !reads.contains(&Read::Term(0, TermKey::of("go"))),
            "{reads:?}"
        );

        let (_, reads) = recording(|| views.taxonomy(0));
        assert!(reads.contains(&Read::Taxonomy(0)), "{reads:?}");
        assert!(!reads.contains(&Read::AllPages), "{reads:?}");

        let (entries, reads) = recording(|| views.sitemap());
        assert_eq!(entries.len(), site.pages.len() + site.sections.len() + 3);
        for read in [Read::AllPages, Read::AllSections, Read::Taxonomy(0)] {
            assert!(reads.contains(&read), "{read:?} in {reads:?}");
        }
    }

    /// Series and aliases are read by slug and path, not by their position in the site's
    /// lists (which a series or alias added before them shifts); a section that is no
    /// journey records the journey read all the same.
    #[test]
    fn series_and_aliases_are_read_by_key() {
        let config = Config::default();
        let build_date = new_year();
        let mut zeta = page("notes/a.md", &[]);
        zeta.meta.fields.insert("series".into(), "Zeta".into());
        zeta.meta.aliases = vec!["/old/a/".into()];
        let mut alpha = page("notes/b.md", &[]);
        alpha.meta.fields.insert("series".into(), "Alpha".into());
        alpha.meta.aliases = vec!["/old/b/".into()];
        let site = notes_site(vec![zeta, alpha], &config, build_date);
        let rendered = vec![Rendered::default(); site.pages.len()];
        let sections = vec![Rendered::default(); site.sections.len()];
        let views = ViewSource::new(&config, &site, &rendered, &sections, build_date, &InOrder);
        // `zeta` is second in `Site::series` (by slug): its read names it, not position 1.
        let at = site.series.iter().position(|s| s.slug == "zeta");
        assert_eq!(at, Some(1));
        let (_, reads) = recording(|| views.series(1));
        assert!(
            reads.contains(&Read::Series(SlugKey::of("zeta"))),
            "{reads:?}"
        );
        assert!(
            !reads.contains(&Read::Series(SlugKey::of("alpha"))),
            "{reads:?}"
        );
        let page_a = site.pages.iter().find(|p| p.doc.doc_id == "notes/a.md");
        let page_a = page_a
            .map(crate::graph::Page::id)
            .unwrap_or(site.pages[0].id());
        let (_, reads) = recording(|| views.site.series_part(page_a));
        assert!(
            reads.contains(&Read::Series(SlugKey::of("zeta"))),
            "{reads:?}"
        );
        assert!(reads.contains(&Read::Page(page_a)), "{reads:?}");

        let b = site.aliases.iter().position(|a| a.url_path == "/old/b/");
        let (_, reads) = recording(|| views.redirect(b.unwrap_or_default()));
        assert!(
            reads.contains(&Read::Alias(SlugKey::of("/old/b/"))),
            "{reads:?}"
        );

        let notes = site.pages[0].section;
        let (journey, reads) = recording(|| views.site.journey_at(notes));
        assert_eq!(journey, None);
        assert!(reads.contains(&Read::Journey(notes)), "{reads:?}");
    }
}
