//! The whole Markdown pipeline, with every Trailmark extension (fenced divs, callouts,
//! quizzes, shortcodes, link rewriting), must never panic, must give unique anchors, and
//! must locate its diagnostics inside the file.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use trailmark::markdown::{
    LinkResolution, LinkResolver, MarkdownOptions, RawHtml, RenderInput, render,
};

/// Resolves some links, breaks others and asks for anchor checks, like the real graph.
struct Mixed;

impl LinkResolver for Mixed {
    fn resolve(&self, destination: &str) -> LinkResolution {
        match destination.len() % 3 {
            0 => LinkResolution::Keep,
            1 => LinkResolution::Rewrite {
                url: format!("/x/{}/", destination.len()),
                anchor_check: None,
            },
            _ => LinkResolution::Broken(format!("missing `{destination}`")),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    // The build hands `render` normalised text (LF line endings, no BOM); so does this.
    let body = &*trailmark::front_matter::normalize(raw);
    let lines = body.lines().count().max(1);
    for (raw_html, highlight) in [(RawHtml::Allow, true), (RawHtml::Escape, false)] {
        let options = MarkdownOptions {
            raw_html,
            highlight,
            ..MarkdownOptions::default()
        };
        let input = RenderInput {
            body,
            file: "content/fuzz.md",
            first_line: 3,
            strip_title_heading: highlight,
            lift_lesson_blocks: !highlight,
        };
        let rendered = render(&input, &options, &Mixed);
        let mut seen = HashSet::new();
        for anchor in &rendered.anchors {
            assert!(seen.insert(anchor), "duplicate anchor {anchor}");
        }
        for d in &rendered.diagnostics {
            assert!(
                d.line == 0 || (d.line >= 3 && d.line <= lines + 3),
                "diagnostic line {} of {lines}",
                d.line
            );
        }
        if raw_html == RawHtml::Escape {
            assert!(!rendered.html.contains("<script"), "raw HTML escaped");
        }
    }
});
