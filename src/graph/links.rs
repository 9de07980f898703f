//! Resolving relative links written in one page to the URL of another page, section or
//! content file.

use super::{Node, Site};
use crate::diagnostics::{Code, nearest, one_of};
use crate::markdown::{AnchorCheck, BrokenLink, LinkResolution};

impl Site {
    /// The content path that is `path`, or the one path that ends in `/path`.
    fn doc_by_suffix(&self, path: &str) -> Option<&str> {
        if let Some((found, _)) = self.doc_index.get_key_value(path) {
            return Some(found);
        }
        let suffix = format!("/{path}");
        let mut matches = self.doc_index.keys().filter(|d| d.ends_with(&suffix));
        let first = matches.next()?;
        matches.next().is_none().then_some(first.as_str())
    }

    /// The content path of the page whose file is `name` plus `.md` or `.markdown`, in any
    /// folder (`name` may hold folders before it, as `post_url` allows).
    fn post_by_name(&self, name: &str) -> Option<&str> {
        let file = name.rsplit('/').next().unwrap_or(name);
        let mut found: Vec<&str> = self
            .doc_index
            .keys()
            .map(String::as_str)
            .filter(|doc_id| {
                let stem = doc_id.rsplit('/').next().unwrap_or(doc_id);
                [".md", ".markdown", ".html", ".htm"]
                    .iter()
                    .find_map(|ext| stem.strip_suffix(ext))
                    == Some(file)
            })
            .collect();
        found.sort_unstable();
        found.first().copied()
    }

    /// Resolves `destination` (as written in the Markdown of `from_doc_id`) to a URL.
    /// `destination` is relative: the markdown module answers `#x`, `/x` and `scheme:` itself.
    pub fn resolve_link(&self, from_doc_id: &str, destination: &str) -> LinkResolution {
        if destination.starts_with('/') && !destination.starts_with("//") {
            return self.resolve_site_url(destination);
        }
        let (path_and_query, fragment) = match destination.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (destination, None),
        };
        let path = path_and_query
            .split_once('?')
            .map_or(path_and_query, |(p, _)| p);
        if path.is_empty() {
            return LinkResolution::Keep;
        }
        let decoded = percent_decode(path);
        // Jekyll's `{% post_url 2010-07-21-name %}`, rewritten as `@post/...`: the post of
        // that file name, wherever it is.
        let decoded = match decoded.strip_prefix("@post/") {
            Some(name) => {
                let Some(found) = self.post_by_name(name) else {
                    return LinkResolution::Broken(format!(
                        "`{{% post_url {name} %}}`: no post named `{name}.md` or `{name}.markdown`"
                    ));
                };
                format!("@/{found}")
            }
            None => decoded,
        };
        // Jekyll's `{% link _posts/x.md %}`, rewritten as `@link/...`: a path from the old
        // site's root, which may now sit deeper in `content/`.
        let decoded = match decoded.strip_prefix("@link/") {
            Some(path) => match self.doc_by_suffix(path) {
                Some(found) => format!("@/{found}"),
                None => {
                    return LinkResolution::Broken(format!(
                        "`{{% link {path} %}}`: no page `{path}` in content/ (nor one ending in it)"
                    ));
                }
            },
            None => decoded,
        };
        // Zola's `@/blog/post.md` is relative to the content folder.
        let (from_folder, relative) = match decoded.strip_prefix("@/") {
            Some(rest) => ("", rest),
            None => (super::parent_folder(from_doc_id), decoded.as_ref()),
        };
        let Some(target) = join(from_folder, relative) else {
            return LinkResolution::Broken(format!(
                "link `{destination}` leads outside the content folder"
            ));
        };
        let with_fragment = |url_path: &str| match fragment {
            Some(f) if !f.is_empty() => format!("{}#{f}", self.url(url_path)),
            _ => self.url(url_path),
        };
        // `#katk%C4%B1da` names the heading id `katkıda`: compare decoded, as browsers do.
        // `#top` needs no anchor in any page (browsers scroll to the top), as on the same page.
        let anchor_for = |doc_id: &str| {
            fragment
                .filter(|f| !f.is_empty() && *f != "top")
                .map(|f| AnchorCheck {
                    target_doc_id: doc_id.to_string(),
                    anchor: percent_decode(f),
                    line: 0,
                    column: 0,
                })
        };
        if let Some(node) = self.doc_index.get(&target) {
            return LinkResolution::Rewrite {
                url: with_fragment(self.node_url_path(*node)),
                anchor_check: anchor_for(&target),
            };
        }
        match self.excluded_docs.get(&target) {
            Some(super::Excluded::Draft) => {
                return LinkResolution::Broken(format!(
                    "link to draft page `{decoded}`; build with --drafts or remove the link"
                ));
            }
            Some(super::Excluded::Future) => {
                return LinkResolution::Broken(format!(
                    "link to page `{decoded}`, dated after the build date; build with --future or remove the link"
                ));
            }
            None => {}
        }
        let folder = target.trim_end_matches('/');
        if let Some(node) = self.folder_index.get(folder) {
            let index_doc = match *node {
                Node::Section(s) => self.section(s).index.as_ref().map(|d| d.doc_id.as_str()),
                Node::Page(p) => Some(self.page(p).doc.doc_id.as_str()),
            };
            return LinkResolution::Rewrite {
                url: with_fragment(self.node_url_path(*node)),
                anchor_check: index_doc.and_then(anchor_for),
            };
        }
        if let Some(&index) = self.asset_index.get(&target) {
            return LinkResolution::Rewrite {
                url: self.url(&self.assets[index].url_path),
                anchor_check: None,
            };
        }
        // `[text]({{% eturl rss %}})`: another tool's template as the destination, which
        // names no file; saying "no content/.../{{% eturl rss %}}" would send the author
        // looking for one.
        if ["{{", "{%"].iter().any(|open| decoded.contains(open)) {
            return LinkResolution::Missing(BrokenLink {
                code: Code::LinkMissingFile,
                message: format!(
                    "link to `{decoded}`: the destination is another tool's template, which Trailmark does not run"
                ),
                help: Some(
                    "write the URL it stands for, or a path to the page (`../x.md`)".to_string(),
                ),
            });
        }
        let is_page = crate::source::is_markdown(&target);
        let (what, code) = if is_page {
            ("page", Code::LinkMissingPage)
        } else {
            ("file", Code::LinkMissingFile)
        };
        LinkResolution::Missing(BrokenLink {
            code,
            message: format!("link to missing {what} `{decoded}` (no content/{target})"),
            help: self.nearest_targets(from_doc_id, &target, is_page),
        })
    }

    /// A link written as a URL of this site (`/tags/rust/`): kept as written, except a link
    /// to a taxonomy's term page that does not exist (`/tags/rsut/`), or to a misspelt
    /// taxonomy with a real term (`/tag/rust/`), which says what was meant.
    fn resolve_site_url(&self, destination: &str) -> LinkResolution {
        let path = destination.split(['#', '?']).next().unwrap_or(destination);
        let path = path.strip_prefix(self.base_path.as_str()).unwrap_or(path);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let [first, term, rest @ ..] = segments.as_slice() else {
            return LinkResolution::Keep;
        };
        // `/tags/rust/page/2/` is a pager of the term; anything deeper is not a term page.
        if !(rest.is_empty()
            || matches!(rest, [page, n] if *page == "page" && n.parse::<usize>().is_ok()))
        {
            return LinkResolution::Keep;
        }
        let (first, term) = (*first, *term);
        let names = self.taxonomies.iter().map(|t| t.name.as_str());
        if let Some(taxonomy) = self.taxonomies.iter().find(|t| t.name == first) {
            if taxonomy.terms.iter().any(|t| t.slug == term) || term == "page" {
                return LinkResolution::Keep;
            }
            let near = nearest(term, taxonomy.terms.iter().map(|t| t.slug.as_str()), 3);
            let urls: Vec<String> = near.iter().map(|s| format!("/{first}/{s}/")).collect();
            let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
            return LinkResolution::Missing(BrokenLink {
                code: Code::LinkMissingPage,
                message: format!("link to missing {first} term `{term}` (no page has it)"),
                help: (!urls.is_empty()).then(|| format!("did you mean {}?", one_of(&urls))),
            });
        }
        // Only a near miss of a taxonomy's name that names one of its terms: a folder of the
        // site or a static file of that name is something else.
        if self.folder_index.contains_key(first) {
            return LinkResolution::Keep;
        }
        let Some(meant) = crate::diagnostics::did_you_mean(first, names) else {
            return LinkResolution::Keep;
        };
        let is_term = self
            .taxonomies
            .iter()
            .any(|t| t.name == meant && t.terms.iter().any(|t| t.slug == term));
        if !is_term {
            return LinkResolution::Keep;
        }
        LinkResolution::Missing(BrokenLink {
            code: Code::LinkMissingPage,
            message: format!("link to `{path}`: this site has no taxonomy `{first}`"),
            help: Some(format!("did you mean `/{meant}/{term}/`?")),
        })
    }

    /// "did you mean" for a link to `target` that does not exist: the nearest pages (or
    /// files) by content path, written relative to the linking page as the link was.
    fn nearest_targets(&self, from_doc_id: &str, target: &str, is_page: bool) -> Option<String> {
        // Only the target's own folder: cheap however large the site, and where typos in a
        // file name land.
        let folder_of_target = super::parent_folder(target);
        let beside = |k: &&String| super::parent_folder(k) == folder_of_target;
        let known: Vec<&str> = if is_page {
            self.doc_index
                .keys()
                .filter(beside)
                .map(String::as_str)
                .collect()
        } else {
            self.asset_index
                .keys()
                .filter(beside)
                .map(String::as_str)
                .collect()
        };
        let close = nearest(target, known, 3);
        if close.is_empty() {
            return None;
        }
        let folder = super::parent_folder(from_doc_id);
        let written: Vec<String> = close.iter().map(|to| relative_to(folder, to)).collect();
        let names: Vec<&str> = written.iter().map(String::as_str).collect();
        Some(format!("did you mean {}?", one_of(&names)))
    }
}

/// `to` (content-relative) as a relative link from a page in `folder`.
fn relative_to(folder: &str, to: &str) -> String {
    let from: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&target[common.min(target.len())..]);
    parts.join("/")
}

/// Joins a relative path onto a content-relative folder, resolving `.` and `..`; `None`
/// when it climbs above the content folder.
fn join(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if relative.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| {
                text.get(i + 1..i + 3)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            })
            .flatten();
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "./x/y.md").as_deref(), Some("a/x/y.md"));
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(join("a", "sub/").as_deref(), Some("a/sub/"));
    }

    #[test]
    fn relative_links_for_suggestions() {
        assert_eq!(relative_to("courses/a", "courses/a/02-x.md"), "02-x.md");
        assert_eq!(relative_to("courses/a", "courses/b/x.md"), "../b/x.md");
        assert_eq!(relative_to("", "x.md"), "x.md");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
