//! The theme's stylesheets are valid CSS, with every block closed and no rule nested by
//! accident.
//!
//! A real parser alone does not catch a missing `}`: CSS nesting makes the rules after an
//! unclosed `{` valid children of it, and the end of a file closes whatever is still open. So
//! each file is checked three ways: lightningcss parses it without error recovery, its braces
//! balance (outside comments and strings), and no style rule has nested rules (the theme
//! writes flat CSS; conditional at-rules such as `@media` may hold style rules).

use std::path::{Path, PathBuf};

use lightningcss::rules::CssRule;
use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleSheet};

const THEMES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes");

/// Every `.css` file under `themes/`, sorted.
fn theme_css_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "css") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new(THEMES_DIR), &mut files);
    files.sort();
    files
}

/// The problems found in one stylesheet, each as `name:line:col: message`.
fn check_css(name: &str, css: &str) -> Vec<String> {
    let mut problems = brace_problems(name, css);
    let options = ParserOptions {
        filename: name.to_string(),
        error_recovery: false,
        ..ParserOptions::default()
    };
    match StyleSheet::parse(css, options) {
        Err(e) => problems.push(format!("{name}: lightningcss: {e}")),
        Ok(sheet) => {
            nesting_problems(name, &sheet.rules.0, false, &mut problems);
            if let Err(e) = sheet.to_css(PrinterOptions {
                minify: true,
                ..PrinterOptions::default()
            }) {
                problems.push(format!("{name}: lightningcss cannot print it: {e}"));
            }
        }
    }
    problems
}

/// Braces must balance: a `}` never closes more than was opened, and nothing is open at the
/// end of the file. Comments, strings and escapes are skipped.
fn brace_problems(name: &str, css: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    let (mut line, mut col) = (1, 0);
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    let mut in_comment = false;
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
        if in_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                col += 1;
                in_comment = false;
            }
            continue;
        }
        if let Some(q) = quote {
            if c == '\\' {
                chars.next();
                col += 1;
            } else if c == q || c == '\n' {
                quote = None;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                col += 1;
                in_comment = true;
            }
            '"' | '\'' => quote = Some(c),
            '\\' => {
                chars.next();
                col += 1;
            }
            '{' => open.push((line, col)),
            // The guard pops the block a `}` closes; only a `}` with none open is reported.
            '}' if open.pop().is_none() => {
                problems.push(format!("{name}:{line}:{col}: `}}` closes no open block"));
            }
            _ => {}
        }
    }
    for (line, col) in open {
        problems.push(format!(
            "{name}:{line}:{col}: block opened here is never closed"
        ));
    }
    problems
}

/// Rules inside a style rule are CSS nesting: the theme never means it, so it is a block
/// left open above them.
fn nesting_problems(
    name: &str,
    rules: &[CssRule],
    inside_style_rule: bool,
    problems: &mut Vec<String>,
) {
    for rule in rules {
        let (loc, children, is_style) = match rule {
            CssRule::Style(r) => (Some(r.loc), &r.rules.0[..], true),
            CssRule::Media(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::Supports(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::Container(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::LayerBlock(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::Scope(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::StartingStyle(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::MozDocument(r) => (Some(r.loc), &r.rules.0[..], false),
            CssRule::Nesting(r) => (Some(r.loc), &[][..], false),
            CssRule::NestedDeclarations(r) => (Some(r.loc), &[][..], false),
            _ => (None, &[][..], false),
        };
        if inside_style_rule {
            let at = loc.map_or(String::new(), |l| format!("{}:{}:", l.line + 1, l.column));
            problems.push(format!(
                "{name}:{at} a rule nested inside a style rule (a block above is not closed?)"
            ));
            // One report per unclosed block is enough.
            return;
        }
        nesting_problems(name, children, inside_style_rule || is_style, problems);
    }
}

#[test]
fn every_theme_stylesheet_parses_with_closed_blocks_and_no_nesting() {
    let files = theme_css_files();
    assert!(!files.is_empty(), "no CSS files found under {THEMES_DIR}");
    let mut problems = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        let css = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        problems.extend(check_css(&name, &css));
    }
    assert!(
        problems.is_empty(),
        "theme stylesheets are broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_stylesheet_check_catches_an_unclosed_block_that_nesting_makes_valid() {
    // Valid CSS for a parser (the end of the file closes the `@media` and the `.b` rule);
    // what a merge left in trailmark.css once.
    let css =
        "@media print {\n  .a { color: red; }\n  .b {\n    margin: 0;\n\n.c { color: blue; }\n";
    assert_eq!(
        check_css("t.css", css),
        [
            "t.css:1:14: block opened here is never closed",
            "t.css:3:6: block opened here is never closed",
            "t.css:6:1: a rule nested inside a style rule (a block above is not closed?)",
        ]
    );
    // A stray `}` and a string holding braces.
    let css = ".a { content: \"{\"; }\n}\n/* { */ .b { color: red; }\n";
    assert_eq!(
        check_css("t.css", css),
        [
            "t.css:2:1: `}` closes no open block",
            "t.css: lightningcss: Invalid empty selector at t.css:1:1",
        ]
    );
    // Flat CSS with `@media` and `@supports` holding style rules passes.
    let css = "@media (min-width: 10rem) { @supports (display: grid) { .a { color: red; } } }\n";
    assert_eq!(check_css("t.css", css), Vec::<String>::new());
}

/// What lightningcss understands of `css`, printed minified: two stylesheets that print the
/// same mean the same. Declarations holding `var()` are kept as token lists, with their
/// white space; white space after `(` or `,` and before `)` never changes what they mean, so
/// it is dropped before comparing (outside strings).
fn as_parsed(name: &str, css: &str) -> String {
    let printed = as_printed(name, css);
    let mut out = String::with_capacity(printed.len());
    let mut quote = None;
    let mut chars = printed.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == ' ' && (out.ends_with(['(', ',']) || chars.peek() == Some(&')')) => {}
            None => out.push(c),
        }
    }
    out
}

fn as_printed(name: &str, css: &str) -> String {
    let options = ParserOptions {
        filename: name.to_string(),
        error_recovery: false,
        ..ParserOptions::default()
    };
    let sheet =
        StyleSheet::parse(css, options).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
    sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .unwrap_or_else(|e| panic!("{name} does not print: {e}"))
        .code
}

/// The theme's stylesheets are embedded minified (build.rs): the minified file must mean
/// exactly what the source means, rule for rule, and be smaller.
#[test]
fn the_minified_stylesheets_mean_what_the_sources_mean() {
    for path in theme_css_files() {
        let name = path.display().to_string();
        let css = std::fs::read_to_string(&path).unwrap();
        let minified = trailmark::css_minify::minify(&css);
        assert_eq!(
            as_parsed(&name, &minified),
            as_parsed(&name, &css),
            "{name}: minifying changed its meaning"
        );
        assert!(check_css(&name, &minified).is_empty(), "{name}");
        assert!(minified.len() < css.len(), "{name}");
    }
}
