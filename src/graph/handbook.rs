//! Handbook upkeep that needs the whole tree: pages past their `review_by` date, and every
//! node of a handbook in reading order (for its print page).

use super::{Doc, Node, SectionId, Site, order};
use crate::content::{Date, parse_date};
use crate::diagnostics::Diagnostic;

/// A warning for every page or section page whose `review_by` date is before `today`, so
/// that `check` lists them and `build` warns; a `review_by` that is not a date is an error.
pub fn stale_reviews(site: &Site, today: Date) -> Vec<Diagnostic> {
    let docs = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .chain(site.sections.iter().filter_map(|s| s.index.as_ref()));
    let mut problems = Vec::new();
    for doc in docs {
        if let Some(problem) = review_problem(doc, today) {
            problems.push(problem);
        }
    }
    problems
}

fn review_problem(doc: &Doc, today: Date) -> Option<Diagnostic> {
    let value = doc.meta.fields.get("review_by")?;
    let line = doc.key_lines.get("review_by").copied().unwrap_or(1);
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    };
    let review_by = match parse_date(&text) {
        Ok(date) => date,
        Err(message) => {
            return Some(
                Diagnostic::error(&doc.file, line, 1, format!("`review_by`: {message}"))
                    .with_code(crate::diagnostics::Code::FrontMatterInvalidValue),
            );
        }
    };
    if review_by.iso_date() >= today.iso_date() {
        return None;
    }
    let owner = match doc.meta.fields.get("owner") {
        Some(serde_json::Value::String(owner)) if !owner.trim().is_empty() => {
            format!(" (owner: {})", owner.trim())
        }
        _ => String::new(),
    };
    Some(
        Diagnostic::warning(
            &doc.file,
            line,
            1,
            format!(
                "review date {} has passed{owner}; review the page and move `review_by` forward",
                review_by.iso_date()
            ),
        )
        .with_code(crate::diagnostics::Code::ReviewOverdue),
    )
}

/// The handbook's sections and pages below `handbook`, in reading order (the order of
/// previous/next), not including `handbook` itself.
pub fn handbook_pages(site: &Site, handbook: SectionId) -> Vec<Node> {
    let mut nodes = Vec::new();
    order::flatten_nodes(site, handbook, &mut nodes);
    nodes
}
