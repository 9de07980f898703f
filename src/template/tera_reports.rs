//! Positions Tera gets wrong or hides, corrected with what Trailmark knows of the source.
//!
//! - Problems found when the templates are linked together (an unknown filter or included
//!   template, a block no parent has) come as one message holding rendered reports
//!   (`error: ...` / `--> name:line:col` / the line and a caret); they are read back into
//!   one position each.
//! - A tag never closed (`{% if %}` without `{% endif %}`) is reported at the end of the
//!   file, where the parser gave up; the tag that opened it is found instead.
//!
//! Tera's wording is pinned by the cases under tests/codes/TM05xx, so an upgrade that
//! changes it is noticed.

/// One report read back from Tera's rendered text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Report {
    /// The template's name (`page.html`).
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The reports in `text`, a message of rendered reports separated by blank lines; empty when
/// the text is not made of them.
pub(super) fn read_reports(text: &str) -> Vec<Report> {
    let mut reports = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(at)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = at.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(column), Some(line_no), Some(name)) = (column, line_no, parts.next()) {
                reports.push(Report {
                    name: name.to_string(),
                    line: line_no,
                    column,
                    message: m.to_string(),
                });
            }
            message = None;
        }
    }
    reports
}

/// Tags that need an end tag, with it.
const PAIRED: &[(&str, &str)] = &[
    ("if", "endif"),
    ("for", "endfor"),
    ("block", "endblock"),
    ("macro", "endmacro"),
    ("filter", "endfilter"),
    ("raw", "endraw"),
    ("component", "endcomponent"),
];

/// An opening tag that is never closed: its 1-based line and column, its name and the end
/// tag it needs.
pub(super) fn unclosed_tag(text: &str) -> Option<(usize, usize, &'static str, &'static str)> {
    let mut open: Vec<(usize, &'static str, &'static str)> = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("{%") {
        let start = rest + found;
        let Some(length) = text[start..].find("%}") else {
            break;
        };
        let inner =
            text[start + 2..start + length].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = start + length + 2;
        let word = inner.split_whitespace().next().unwrap_or("");
        // Inside `{% raw %}` only its end counts.
        if open.last().is_some_and(|(_, tag, _)| *tag == "raw") && word != "endraw" {
            continue;
        }
        if let Some((tag, end)) = PAIRED.iter().find(|(tag, _)| *tag == word) {
            open.push((start, tag, end));
        } else if word == "set" && !inner.contains('=') {
            open.push((start, "set", "endset"));
        } else if word.starts_with("end")
            && let Some(at) = open.iter().rposition(|(_, _, end)| *end == word)
        {
            open.truncate(at);
        }
    }
    let (at, tag, end) = open.pop()?;
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..at].chars().count() + 1;
    Some((line, column, tag, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_report() {
        let text = "error: Unknown filter `nosuch`\n --> page.html:2:17\n  |\n2 | x\n  | ^\n\n\
                    error: Unknown template `a.html`\n --> dir/b:c.html:1:12\n  |\n1 | y\n  | ^";
        assert_eq!(
            read_reports(text),
            vec![
                Report {
                    name: "page.html".into(),
                    line: 2,
                    column: 17,
                    message: "Unknown filter `nosuch`".into()
                },
                Report {
                    name: "dir/b:c.html".into(),
                    line: 1,
                    column: 12,
                    message: "Unknown template `a.html`".into()
                },
            ]
        );
        assert!(read_reports("Invalid type").is_empty());
    }

    #[test]
    fn finds_the_tag_left_open() {
        assert_eq!(
            unclosed_tag("{% if a %}\n  é {% for x in y %}{% endfor %}\n"),
            Some((1, 1, "if", "endif"))
        );
        assert_eq!(
            unclosed_tag("{% block b %}{% endblock b %}\n é {%- for x in y -%}\n"),
            Some((2, 4, "for", "endfor"))
        );
        assert_eq!(
            unclosed_tag("{% raw %}{% if %}{% endraw %}{% set x = 1 %}"),
            None
        );
        assert_eq!(unclosed_tag("{% set x %}a"), Some((1, 1, "set", "endset")));
    }
}
