//! Shortcode expansion: renders each shortcode call the Markdown module found through the
//! theme's `shortcodes/<name>.html` and splices the HTML in place of its token.
//!
//! Runs after Markdown and before the views are built, so pages, cards (summaries) and feeds
//! all see the finished HTML. A call whose template is missing is an unknown shortcode,
//! reported at the call's line; so a site adds a shortcode by adding a template.

use rayon::prelude::*;
use serde_json::json;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown::{BUILT_IN_SHORTCODES, Rendered, shortcode_token};
use crate::template::Templates;

/// Expands the shortcodes of every rendered document; `files` names the source file of each.
pub(super) fn expand(
    rendered: &mut [Rendered],
    files: &[&str],
    templates: &Templates,
    config: &Config,
) -> Vec<Diagnostic> {
    let site = json!({
        "title": config.title,
        "base_url": config.base_url,
        "base_path": config.base_path(),
        "language": config.language,
    });
    let problems: Vec<Vec<Diagnostic>> = rendered
        .par_iter_mut()
        .zip(files.par_iter())
        .map(|(doc, file)| expand_one(doc, file, templates, &site))
        .collect();
    problems.into_iter().flatten().collect()
}

fn expand_one(
    doc: &mut Rendered,
    file: &str,
    templates: &Templates,
    site: &serde_json::Value,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if doc.shortcodes.is_empty() {
        return problems;
    }
    // Names called before in this document: a shortcode's first call writes what the page
    // needs once (the video's stylesheet and script).
    let mut called = std::collections::HashSet::new();
    for (index, call) in doc.shortcodes.iter().enumerate() {
        let template = format!("shortcodes/{}.html", call.name);
        let first = called.insert(call.name.as_str());
        let html = if templates.has(&template) {
            match templates.render_shortcode(&template, &call.args, (index, first), site, file) {
                Ok(html) => html,
                Err(d) => {
                    problems.push(d);
                    String::new()
                }
            }
        } else {
            let built_in: Vec<&str> = BUILT_IN_SHORTCODES.iter().map(|(n, _, _)| *n).collect();
            let site_names: Vec<String> = templates
                .names()
                .into_iter()
                .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
                .map(str::to_string)
                .collect();
            let known = built_in
                .iter()
                .copied()
                .chain(site_names.iter().map(String::as_str));
            let help = match did_you_mean(&call.name, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the built-in shortcodes are {}; a site adds one with templates/{template}",
                    built_in.join(", ")
                ),
            };
            problems.push(
                Diagnostic::error(
                    file,
                    call.line,
                    call.column,
                    format!("unknown shortcode `{}`", call.name),
                )
                .with_code(crate::diagnostics::Code::UnknownShortcode)
                .with_help(help),
            );
            String::new()
        };
        let token = shortcode_token(index);
        doc.html = doc.html.replacen(&token, html.trim(), 1);
        if let Some(summary) = &mut doc.summary_html {
            *summary = summary.replacen(&token, html.trim(), 1);
        }
    }
    problems
}
