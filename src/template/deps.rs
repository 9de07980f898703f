//! Which template files each template's output can depend on, as a fingerprint per name.
//!
//! `serve` reuses a job's previous output when its view and the fingerprint of its template
//! are unchanged, so a template edit re-renders only the jobs whose template reaches the
//! edited file. The dependency set is deliberately conservative:
//! - every string literal in a template's tags and expressions that names another template
//!   (`extends`, `include`, `import`, or any other use) is a dependency, followed
//!   transitively (quotes in its text and comments are prose, not literals);
//! - templates that define Tera components (`{% component %}`) are visible everywhere, so
//!   every template depends on them;
//! - a template that includes, extends or imports a computed name (`include "x/" ~ kind`)
//!   could reach anything, so it depends on every template.

use std::collections::{BTreeMap, BTreeSet};

use crate::digest::{Digest, Hasher};

/// Fingerprint of each template's own text plus the text of everything it can reach.
pub fn fingerprints(sources: &BTreeMap<String, (String, String)>) -> BTreeMap<String, Digest> {
    let names: BTreeSet<&str> = sources.keys().map(String::as_str).collect();
    let component_defs: BTreeSet<&str> = sources
        .iter()
        .filter(|(_, (_, text))| defines_component(text))
        .map(|(name, _)| name.as_str())
        .collect();
    let mut direct: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, (_, text)) in sources {
        let deps: BTreeSet<&str> = if has_computed_reference(text) {
            names.clone()
        } else {
            string_literals(text)
                .filter_map(|lit| names.get(lit).copied())
                .chain(component_defs.iter().copied())
                .collect()
        };
        direct.insert(name.as_str(), deps);
    }
    let mut out = BTreeMap::new();
    for name in &names {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = vec![*name];
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(direct.get(n).into_iter().flatten().copied());
            }
        }
        let mut hasher = Hasher::new();
        for n in &seen {
            let text = &sources[*n].1;
            hasher.update(&(n.len() as u64).to_le_bytes());
            hasher.update(n.as_bytes());
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        out.insert((*name).to_string(), hasher.finalize());
    }
    out
}

fn defines_component(text: &str) -> bool {
    tags(text).any(|tag| tag.starts_with("component "))
}

/// `{% include x %}`, `{% extends x %}` or `{% import x %}` where x is not a plain literal.
fn has_computed_reference(text: &str) -> bool {
    tags(text).any(|tag| {
        ["include", "extends", "import"].iter().any(|keyword| {
            tag.strip_prefix(keyword)
                .filter(|rest| rest.starts_with(char::is_whitespace))
                .is_some_and(|rest| {
                    let rest = rest.trim_start();
                    let Some(quote) = rest
                        .chars()
                        .next()
                        .filter(|c| matches!(c, '"' | '\'' | '`'))
                    else {
                        return true;
                    };
                    // A literal followed by `~` (concatenation) is computed too.
                    rest[1..]
                        .find(quote)
                        .is_none_or(|end| rest[1 + end + 1..].trim_start().starts_with('~'))
                })
        })
    })
}

/// The inside of every `{% ... %}` tag, trimmed of whitespace-control dashes.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%").skip(1).filter_map(|chunk| {
        chunk
            .split_once("%}")
            .map(|(inner, _)| inner.trim_matches(|c: char| c == '-' || c.is_whitespace()))
    })
}

/// Every `"..."`, `'...'` or `` `...` `` literal inside the template's tags and
/// expressions (`{% ... %}`, `{{ ... }}`). A loose scan: extra hits only add dependencies.
/// Text and comments are skipped, since an apostrophe in prose (`A blog's archive`) would
/// otherwise open a "literal" that swallows the real ones after it, and the template would
/// lose its dependency on `base.html`.
fn string_literals(text: &str) -> impl Iterator<Item = &str> {
    code_regions(text).flat_map(literals_in)
}

/// The inside of every `{% ... %}` and `{{ ... }}` of `text`, in order; `{# ... #}` comments
/// are passed over.
fn code_regions(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('{')?;
            let closer = match rest[open + 1..].chars().next() {
                Some('%') => "%}",
                Some('{') => "}}",
                Some('#') => "#}",
                _ => {
                    rest = &rest[open + 1..];
                    continue;
                }
            };
            let inside = &rest[open + 2..];
            let Some(end) = inside.find(closer) else {
                rest = "";
                return None;
            };
            rest = &inside[end + 2..];
            if closer != "#}" {
                return Some(&inside[..end]);
            }
        }
    })
}

/// The quoted literals of one tag or expression.
fn literals_in(code: &str) -> impl Iterator<Item = &str> {
    let mut rest = code;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(['"', '\'', '`'])?;
            let quote = rest[start..].chars().next()?;
            let after = &rest[start + 1..];
            let Some(end) = after.find(quote) else {
                rest = "";
                return None;
            };
            let literal = &after[..end];
            rest = &after[end + 1..];
            if !literal.is_empty() && !literal.contains('\n') {
                return Some(literal);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        list.iter()
            .map(|(n, t)| {
                (
                    (*n).to_string(),
                    (format!("templates/{n}"), (*t).to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn an_edit_changes_only_the_templates_that_reach_it() {
        let before = sources(&[
            ("base.html", "<body>{% block c %}{% endblock %}</body>"),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block c %}{% include \"partials/x.html\" %}{% endblock %}",
            ),
            ("post.html", "{% extends \"base.html\" %}"),
            ("partials/x.html", "x"),
        ]);
        let mut after = before.clone();
        after.get_mut("partials/x.html").unwrap().1 = "y".into();
        let (a, b) = (fingerprints(&before), fingerprints(&after));
        assert_ne!(a["page.html"], b["page.html"]);
        assert_eq!(a["post.html"], b["post.html"]);
        assert_eq!(a["base.html"], b["base.html"]);
    }

    #[test]
    fn an_apostrophe_in_prose_or_a_comment_hides_no_dependency() {
        let before = sources(&[
            ("base.html", "<html>{% block c %}{% endblock %}</html>"),
            (
                "archive.html",
                "{#- A blog's archive. -#}\n{% extends \"base.html\" %}\n<p>The team's posts</p>",
            ),
            ("other.html", "<p>It's here: \"quoted\" prose</p>"),
        ]);
        let mut after = before.clone();
        after.get_mut("base.html").unwrap().1 = "<html>new</html>".into();
        let (a, b) = (fingerprints(&before), fingerprints(&after));
        assert_ne!(a["archive.html"], b["archive.html"]);
        assert_eq!(a["other.html"], b["other.html"]);
    }

    #[test]
    fn computed_includes_and_components_are_conservative() {
        let before = sources(&[
            (
                "page.html",
                "{% include \"partials/\" ~ kind ~ \".html\" %}",
            ),
            ("post.html", "{{ <card /> }}"),
            (
                "partials/c.html",
                "{% component card() %}c{% endcomponent %}",
            ),
            ("other.html", "o"),
        ]);
        let mut after = before.clone();
        after.get_mut("other.html").unwrap().1 = "p".into();
        let (a, b) = (fingerprints(&before), fingerprints(&after));
        assert_ne!(a["page.html"], b["page.html"]);
        assert_eq!(a["post.html"], b["post.html"]);
        after.get_mut("partials/c.html").unwrap().1 =
            "{% component card() %}d{% endcomponent %}".into();
        assert_ne!(a["post.html"], fingerprints(&after)["post.html"]);
    }
}
