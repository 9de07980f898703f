//! Quizzes: a fenced block with the info string `quiz` holding YAML, rendered as a form the
//! theme's script can check, and readable without any script.
//!
//! The YAML is a list of questions (or a map with `title` and `questions`, or one question):
//!
//! ```yaml
//! - question: "Which metric shows conversation?"
//!   type: single            # or multiple; default: single when one choice is correct
//!   choices:
//!     - text: "Replies per post"
//!       correct: true
//!       why: "Replies are people answering."
//!     - text: "Followers"
//!       why: "Followers could see a post; they did not answer it."
//! ```
//!
//! Question text, choices and explanations are inline Markdown. The output is a `<form
//! class="quiz">` with one `<fieldset>` per question; every choice carries `data-correct`
//! and its explanation, and each question ends with a `<details>` holding the answers and
//! why, so a reader without JavaScript (or a printout) still gets everything. Parsing goes
//! through [`crate::front_matter::parse_yaml`], the crate's only YAML entry point; problems
//! are located at the question's or choice's line in the Markdown file.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};
use serde_json::{Map, Value};

use super::RawHtml;
use super::escape::{escape_html, push_escaped};
use super::labels::{Label, Labels};
use super::links::{self, Destination};
use crate::diagnostics::did_you_mean;
use crate::front_matter::{describe, parse_yaml};

const QUESTION_KEYS: [&str; 4] = ["question", "type", "choices", "explanation"];
const CHOICE_KEYS: [&str; 3] = ["text", "correct", "why"];

/// A problem in a quiz, at a line and column of the Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuizProblem {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

/// Where a link or image in quiz text leads (`true` for an image): the page's own link
/// resolution, so quiz links are rewritten and checked like any other.
pub(crate) type LinkTarget<'r> = dyn FnMut(&str, bool) -> String + 'r;

/// How quiz text is rendered; mirrors the page's options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuizStyle<'l> {
    pub(crate) raw_html: RawHtml,
    pub(crate) smart_punctuation: bool,
    pub(crate) math: super::MathDelimiters,
    /// The words the quiz writes around the author's text.
    pub(crate) labels: &'l Labels,
}

#[derive(Debug)]
struct Question {
    text: String,
    multiple: bool,
    explanation: Option<String>,
    choices: Vec<Choice>,
}

#[derive(Debug)]
struct Choice {
    text: String,
    correct: bool,
    why: Option<String>,
}

/// Renders the quiz in `yaml`, whose first line is line `first_line` of the file. `id` is
/// unique in the page (`quiz-1`) and prefixes every id and input name.
pub(crate) fn render_quiz(
    yaml: &str,
    first_line: usize,
    id: &str,
    style: QuizStyle<'_>,
    link: &mut LinkTarget<'_>,
) -> Result<String, Vec<QuizProblem>> {
    let value = parse_yaml(yaml, first_line).map_err(|e| {
        vec![QuizProblem {
            line: e.line,
            column: e.column,
            message: format!("quiz: {}", e.message.replace("front matter", "quiz")),
        }]
    })?;
    let lines = YamlLines::new(yaml, first_line);
    let (title, questions) = read_quiz(&value, &lines)?;
    Ok(quiz_html(title.as_deref(), &questions, id, style, link))
}

fn read_quiz(
    value: &Value,
    lines: &YamlLines,
) -> Result<(Option<String>, Vec<Question>), Vec<QuizProblem>> {
    let whole = 0..lines.count();
    let (title, items, item_lines) = match value {
        Value::Array(items) => (None, items.clone(), lines.items(whole, None)),
        Value::Object(map) if map.contains_key("questions") => {
            let title = match map.get("title") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(vec![problem(
                        lines.key_line(whole, "title"),
                        format!("quiz: `title` must be text, found {}", describe(other)),
                    )]);
                }
            };
            if let Some(key) = map.keys().find(|k| *k != "title" && *k != "questions") {
                return Err(vec![problem(
                    lines.key_line(whole.clone(), key),
                    format!("quiz: unknown key `{key}`; a quiz has `title` and `questions`"),
                )]);
            }
            match &map["questions"] {
                Value::Array(items) => {
                    (title, items.clone(), lines.items(whole, Some("questions")))
                }
                other => {
                    return Err(vec![problem(
                        lines.key_line(whole, "questions"),
                        format!(
                            "quiz: `questions` must be a list of questions, found {}",
                            describe(other)
                        ),
                    )]);
                }
            }
        }
        Value::Object(_) => (None, vec![value.clone()], vec![lines.first_line]),
        other => {
            return Err(vec![problem(
                lines.first_line,
                format!(
                    "quiz: expected a list of questions (`- question: ...`), found {}",
                    describe(other)
                ),
            )]);
        }
    };
    if items.is_empty() {
        return Err(vec![problem(
            lines.first_line,
            "quiz: it has no questions".to_string(),
        )]);
    }
    let mut problems = Vec::new();
    let mut questions = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let line = item_lines.get(index).copied().unwrap_or(lines.first_line);
        let span = lines.span_of(&item_lines, index);
        match read_question(item, index + 1, line, span, lines) {
            Ok(q) => questions.push(q),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok((title, questions))
    } else {
        Err(problems)
    }
}

fn read_question(
    item: &Value,
    number: usize,
    line: usize,
    span: std::ops::Range<usize>,
    lines: &YamlLines,
) -> Result<Question, Vec<QuizProblem>> {
    let at = problem;
    let Value::Object(map) = item else {
        return Err(vec![at(
            line,
            format!(
                "quiz question {number}: expected a map with `question` and `choices`, found {}",
                describe(item)
            ),
        )]);
    };
    let mut problems = Vec::new();
    check_keys(map, &QUESTION_KEYS, &mut problems, |key, message| {
        at(
            lines.key_line(span.clone(), key),
            format!("quiz question {number}: {message}"),
        )
    });
    let text = match map.get("question") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        None | Some(Value::Null) => {
            problems.push(at(
                line,
                format!("quiz question {number}: `question` (its text) is missing"),
            ));
            None
        }
        Some(Value::String(_)) => {
            problems.push(at(
                lines.key_line(span.clone(), "question"),
                format!("quiz question {number}: `question` is empty"),
            ));
            None
        }
        Some(other) => {
            problems.push(at(
                lines.key_line(span.clone(), "question"),
                format!(
                    "quiz question {number}: `question` must be text, found {}",
                    describe(other)
                ),
            ));
            None
        }
    };
    let explanation = optional_text(map, "explanation", |message| {
        at(
            lines.key_line(span.clone(), "explanation"),
            format!("quiz question {number}: {message}"),
        )
    })
    .unwrap_or_else(|p| {
        problems.push(p);
        None
    });
    let choice_lines = lines.items(span.clone(), Some("choices"));
    let mut choices = Vec::new();
    match map.get("choices") {
        Some(Value::Array(items)) => {
            for (index, choice) in items.iter().enumerate() {
                let choice_line = choice_lines
                    .get(index)
                    .copied()
                    .unwrap_or_else(|| lines.key_line(span.clone(), "choices"));
                let choice_span = lines.span_within(&choice_lines, index, span.end);
                match read_choice(choice, choice_span, choice_line, lines) {
                    Ok(c) => choices.push(c),
                    Err(message) => problems.push(at(
                        message.0,
                        format!(
                            "quiz question {number}, choice {}: {}",
                            index + 1,
                            message.1
                        ),
                    )),
                }
            }
            if items.len() < 2 {
                problems.push(at(
                    lines.key_line(span.clone(), "choices"),
                    format!("quiz question {number}: needs at least two choices"),
                ));
            }
        }
        None | Some(Value::Null) => problems.push(at(
            line,
            format!("quiz question {number}: `choices` is missing"),
        )),
        Some(other) => problems.push(at(
            lines.key_line(span.clone(), "choices"),
            format!(
                "quiz question {number}: `choices` must be a list, found {}",
                describe(other)
            ),
        )),
    }
    let correct = choices.iter().filter(|c| c.correct).count();
    let type_line = lines.key_line(span.clone(), "type");
    let multiple = match map.get("type") {
        None | Some(Value::Null) => correct > 1,
        Some(Value::String(t)) if t == "single" => {
            if correct > 1 {
                problems.push(at(
                    type_line,
                    format!(
                        "quiz question {number}: `type: single` allows one correct choice, \
                         found {correct}; use `type: multiple`"
                    ),
                ));
            }
            false
        }
        Some(Value::String(t)) if t == "multiple" => true,
        Some(other) => {
            let shown = other
                .as_str()
                .map_or_else(|| describe(other).to_string(), |s| format!("`{s}`"));
            problems.push(at(
                type_line,
                format!(
                    "quiz question {number}: `type` must be `single` or `multiple`, found {shown}"
                ),
            ));
            false
        }
    };
    let all_choices_read = map
        .get("choices")
        .and_then(Value::as_array)
        .is_some_and(|items| items.len() == choices.len());
    if correct == 0 && all_choices_read && !choices.is_empty() {
        problems.push(at(
            lines.key_line(span, "choices"),
            format!("quiz question {number}: no choice is marked `correct: true`"),
        ));
    }
    match (text, problems.is_empty()) {
        (Some(text), true) => Ok(Question {
            text,
            multiple,
            explanation,
            choices,
        }),
        _ => Err(problems),
    }
}

/// Reads one choice; an error comes back as (line, message).
fn read_choice(
    value: &Value,
    span: std::ops::Range<usize>,
    line: usize,
    lines: &YamlLines,
) -> Result<Choice, (usize, String)> {
    let Value::Object(map) = value else {
        return Err((
            line,
            format!(
                "expected a map with `text`, `correct` and `why`, found {}",
                describe(value)
            ),
        ));
    };
    let mut unknown = Vec::new();
    check_keys(map, &CHOICE_KEYS, &mut unknown, |key, message| {
        problem(lines.key_line(span.clone(), key), message)
    });
    if let Some(problem) = unknown.into_iter().next() {
        return Err((problem.line, problem.message));
    }
    let text = match map.get("text") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        None | Some(Value::Null) => return Err((line, "`text` is missing".to_string())),
        Some(Value::String(_)) => {
            return Err((lines.key_line(span, "text"), "`text` is empty".to_string()));
        }
        Some(other) => {
            return Err((
                lines.key_line(span, "text"),
                format!("`text` must be text, found {}", describe(other)),
            ));
        }
    };
    let correct = match map.get("correct") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err((
                lines.key_line(span, "correct"),
                format!("`correct` must be true or false, found {}", describe(other)),
            ));
        }
    };
    let why = optional_text(map, "why", |message| {
        problem(lines.key_line(span.clone(), "why"), message)
    })
    .map_err(|p| (p.line, p.message))?;
    Ok(Choice { text, correct, why })
}

fn optional_text(
    map: &Map<String, Value>,
    key: &str,
    problem: impl Fn(String) -> QuizProblem,
) -> Result<Option<String>, QuizProblem> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(problem(format!(
            "`{key}` must be text, found {}",
            describe(other)
        ))),
    }
}

fn check_keys(
    map: &Map<String, Value>,
    known: &[&str],
    problems: &mut Vec<QuizProblem>,
    problem: impl Fn(&str, String) -> QuizProblem,
) {
    for key in map.keys() {
        if !known.contains(&key.as_str()) {
            let hint = did_you_mean(key, known.iter().copied()).map_or_else(
                || {
                    format!(
                        "expected one of {}",
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                |s| format!("did you mean `{s}`?"),
            );
            problems.push(problem(key, format!("unknown key `{key}`; {hint}")));
        }
    }
}

fn problem(line: usize, message: String) -> QuizProblem {
    QuizProblem {
        line,
        column: 1,
        message,
    }
}

/// Where things are in the quiz's YAML text, found by indentation. serde values carry no
/// positions, so this is how a semantic problem (a missing `text`) gets a line. It reads
/// block-style YAML, the way quizzes are written; for flow style (`[{...}]`) it falls back to
/// the enclosing item's line.
struct YamlLines {
    /// (indent, content after the indent) per line; `None` for blank and comment lines.
    lines: Vec<Option<(usize, String)>>,
    first_line: usize,
}

impl YamlLines {
    fn new(text: &str, first_line: usize) -> Self {
        let lines = text
            .lines()
            .map(|line| {
                let content = line.trim_start_matches(' ');
                (!content.trim().is_empty() && !content.starts_with('#'))
                    .then(|| (line.len() - content.len(), content.trim_end().to_string()))
            })
            .collect();
        Self { lines, first_line }
    }

    fn count(&self) -> usize {
        self.lines.len()
    }

    /// File lines of the items of the block sequence in `span` (0-based line indexes),
    /// under `key` when given, else the first sequence found.
    fn items(&self, span: std::ops::Range<usize>, key: Option<&str>) -> Vec<usize> {
        let mut index = span.start;
        if let Some(key) = key {
            let Some(found) = self.find_key(span.clone(), key) else {
                return Vec::new();
            };
            index = found + 1;
        }
        let mut indent = None;
        let mut found = Vec::new();
        while index < span.end.min(self.lines.len()) {
            if let Some((line_indent, content)) = &self.lines[index] {
                let is_item = content == "-" || content.starts_with("- ");
                match indent {
                    None if is_item => {
                        indent = Some(*line_indent);
                        found.push(self.first_line + index);
                    }
                    None => return found,
                    Some(d) if *line_indent == d && is_item => found.push(self.first_line + index),
                    Some(d) if *line_indent < d || (*line_indent == d && !is_item) => break,
                    Some(_) => {}
                }
            }
            index += 1;
        }
        found
    }

    /// The 0-based line range of item `index` of a list whose item lines are `item_lines`.
    fn span_of(&self, item_lines: &[usize], index: usize) -> std::ops::Range<usize> {
        self.span_within(item_lines, index, self.lines.len())
    }

    fn span_within(
        &self,
        item_lines: &[usize],
        index: usize,
        end: usize,
    ) -> std::ops::Range<usize> {
        let start = item_lines.get(index).map_or(end, |l| l - self.first_line);
        let stop = item_lines
            .get(index + 1)
            .map_or(end, |l| l - self.first_line);
        start..stop.max(start)
    }

    fn find_key(&self, span: std::ops::Range<usize>, key: &str) -> Option<usize> {
        let wanted = format!("{key}:");
        (span.start..span.end.min(self.lines.len())).find(|&i| {
            self.lines[i].as_ref().is_some_and(|(_, content)| {
                let content = content.strip_prefix("- ").unwrap_or(content).trim_start();
                content.starts_with(&wanted)
            })
        })
    }

    /// File line of `key` within `span`, else of the span's first line.
    fn key_line(&self, span: std::ops::Range<usize>, key: &str) -> usize {
        let start = span.start;
        self.find_key(span, key)
            .map_or(self.first_line + start, |i| self.first_line + i)
    }
}

fn quiz_html(
    title: Option<&str>,
    questions: &[Question],
    id: &str,
    style: QuizStyle<'_>,
    link: &mut LinkTarget<'_>,
) -> String {
    let id = escape_html(id);
    let total = questions.len();
    let mut out = format!(
        "<form class=\"quiz\" id=\"{id}\" data-quiz=\"{id}\" data-questions=\"{total}\" \
         aria-labelledby=\"{id}-title\">\n<p class=\"quiz-title\" id=\"{id}-title\">"
    );
    match title {
        Some(title) => out.push_str(&inline_html(title, style, link)),
        None => out.push_str(style.labels.html(Label::Quiz)),
    }
    out.push_str("</p>\n");
    for (q_index, question) in questions.iter().enumerate() {
        let number = q_index + 1;
        let name = format!("{id}-q{number}");
        let kind = if question.multiple {
            "multiple"
        } else {
            "single"
        };
        let _ = write!(
            out,
            "<fieldset class=\"quiz-question\" id=\"{name}\" data-type=\"{kind}\">\n<legend>\
             <span class=\"quiz-number\">{}</span> \
             <span class=\"quiz-text\">{}</span></legend>\n",
            style.labels.fill(
                Label::QuizQuestionOf,
                &[
                    ("number", &number.to_string()),
                    ("total", &total.to_string())
                ]
            ),
            inline_html(&question.text, style, link)
        );
        if question.multiple {
            let _ = writeln!(
                out,
                "<p class=\"quiz-hint\">{}</p>",
                style.labels.html(Label::QuizChooseAll)
            );
        }
        out.push_str("<ul class=\"quiz-choices\">\n");
        let input_type = if question.multiple {
            "checkbox"
        } else {
            "radio"
        };
        for (c_index, choice) in question.choices.iter().enumerate() {
            let choice_id = format!("{name}-c{}", c_index + 1);
            let _ = write!(
                out,
                "<li class=\"quiz-choice\"><label for=\"{choice_id}\"><input type=\"{input_type}\" \
                 id=\"{choice_id}\" name=\"{name}\" value=\"{}\" data-correct=\"{}\"> \
                 <span>{}</span></label>",
                c_index + 1,
                choice.correct,
                inline_html(&choice.text, style, link)
            );
            if let Some(why) = &choice.why {
                let _ = write!(
                    out,
                    "<p class=\"quiz-why\" hidden>{}</p>",
                    inline_html(why, style, link)
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n<p class=\"quiz-feedback\" aria-live=\"polite\"></p>\n");
        // The answers, readable without JavaScript and in print.
        let _ = write!(
            out,
            "<details class=\"quiz-answers\">\n<summary>{}</summary>\n<ul>\n",
            style.labels.html(Label::QuizShowAnswer)
        );
        for choice in &question.choices {
            let (class, label) = if choice.correct {
                ("is-correct", style.labels.html(Label::QuizCorrect))
            } else {
                ("is-wrong", style.labels.html(Label::QuizNotCorrect))
            };
            let _ = write!(
                out,
                "<li class=\"{class}\"><strong>{label}:</strong> {}",
                inline_html(&choice.text, style, link)
            );
            if let Some(why) = &choice.why {
                let _ = write!(
                    out,
                    " <span class=\"quiz-answer-why\">{}</span>",
                    inline_html(why, style, link)
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
        if let Some(explanation) = &question.explanation {
            let _ = writeln!(
                out,
                "<p class=\"quiz-explanation\">{}</p>",
                inline_html(explanation, style, link)
            );
        }
        out.push_str("</details>\n</fieldset>\n");
    }
    let _ = write!(
        out,
        "<div class=\"quiz-actions\" hidden>\n<button type=\"submit\" class=\"button\">{}\
         </button>\n<button type=\"reset\" class=\"button button-secondary\">{}</button>\n\
         <p class=\"quiz-score\" role=\"status\"></p>\n</div>\n</form>\n",
        style.labels.html(Label::QuizCheck),
        style.labels.html(Label::QuizTryAgain)
    );
    out
}

/// Inline Markdown (`code`, *emphasis*, links) without the wrapping paragraph. Raw HTML
/// follows the page's policy; dangerous link targets are neutralised as everywhere else.
fn inline_html(text: &str, style: QuizStyle<'_>, link: &mut LinkTarget<'_>) -> String {
    let options = super::parser_options(style.smart_punctuation, style.math);
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
        Event::Html(html) | Event::InlineHtml(html) if style.raw_html == RawHtml::Escape => {
            Some(Event::Text(html))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match links::classify(&dest_url, false) {
                Destination::Dangerous => CowStr::Borrowed("#"),
                _ => CowStr::from(link(&dest_url, false)),
            };
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match links::classify(&dest_url, true) {
                Destination::Dangerous => CowStr::Borrowed("#"),
                _ => CowStr::from(link(&dest_url, true)),
            };
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    let trimmed = out.trim();
    if trimmed.is_empty() {
        let mut plain = String::new();
        push_escaped(&mut plain, text);
        return plain;
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(dest: &str, _: bool) -> String {
        dest.to_string()
    }

    static ENGLISH: std::sync::LazyLock<Labels> = std::sync::LazyLock::new(Labels::default);
    static STYLE: std::sync::LazyLock<QuizStyle<'static>> =
        std::sync::LazyLock::new(|| QuizStyle {
            raw_html: RawHtml::Allow,
            smart_punctuation: false,
            math: crate::markdown::MathDelimiters::Dollars,
            labels: &ENGLISH,
        });

    fn problems(yaml: &str) -> Vec<String> {
        match render_quiz(yaml, 10, "quiz-1", *STYLE, &mut keep) {
            Ok(html) => panic!("expected problems, got {html}"),
            Err(p) => p
                .into_iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect(),
        }
    }

    const GOOD: &str = "\
- question: \"Pick `one`\"
  choices:
    - text: A
      correct: true
      why: \"Because *A*.\"
    - text: B
      why: Not B.
- question: Pick two
  type: multiple
  explanation: Both count.
  choices:
    - { text: X, correct: true }
    - { text: Y, correct: true }
    - { text: Z }
";

    #[test]
    fn renders_questions_choices_and_answers() {
        let html = render_quiz(GOOD, 10, "quiz-1", *STYLE, &mut keep).unwrap();
        assert!(
            html.starts_with("<form class=\"quiz\" id=\"quiz-1\""),
            "{html}"
        );
        assert!(html.contains("data-questions=\"2\""));
        assert!(
            html.contains("<span class=\"quiz-text\">Pick <code>one</code></span>"),
            "{html}"
        );
        assert!(html.contains(
            "<input type=\"radio\" id=\"quiz-1-q1-c1\" name=\"quiz-1-q1\" value=\"1\" data-correct=\"true\">"
        ));
        assert!(html.contains("<input type=\"checkbox\" id=\"quiz-1-q2-c3\" name=\"quiz-1-q2\" value=\"3\" data-correct=\"false\">"));
        assert!(html.contains("<p class=\"quiz-why\" hidden>Because <em>A</em>.</p>"));
        assert!(html.contains("<li class=\"is-correct\"><strong>Correct:</strong> A <span class=\"quiz-answer-why\">Because <em>A</em>.</span></li>"));
        assert!(html.contains("<p class=\"quiz-explanation\">Both count.</p>"));
        assert!(html.contains("Choose all that apply."));
        assert_eq!(html.matches("<details class=\"quiz-answers\">").count(), 2);
    }

    #[test]
    fn other_shapes() {
        let one = "question: Q\nchoices:\n  - {text: a, correct: true}\n  - {text: b}\n";
        assert!(
            render_quiz(one, 1, "q", *STYLE, &mut keep)
                .unwrap()
                .contains("Question 1 of 1")
        );
        let titled = "title: Check *yourself*\nquestions:\n  - question: Q\n    choices: [{text: a, correct: true}, {text: b}]\n";
        let html = render_quiz(titled, 1, "q", *STYLE, &mut keep).unwrap();
        assert!(html.contains("Check <em>yourself</em></p>"), "{html}");
        // Two correct choices without a type make a multiple-choice question.
        let two =
            "- question: Q\n  choices: [{text: a, correct: true}, {text: b, correct: true}]\n";
        assert!(
            render_quiz(two, 1, "q", *STYLE, &mut keep)
                .unwrap()
                .contains("type=\"checkbox\"")
        );
    }

    #[test]
    fn problems_point_at_lines() {
        assert_eq!(
            problems(
                "- question: Q\n  choices:\n    - text: a\n      correct: yes\n    - text: b\n"
            ),
            ["13:1: quiz question 1, choice 1: `correct` must be true or false, found text"]
        );
        assert_eq!(
            problems("- question: Q\n  choices:\n    - text: a\n    - text: b\n"),
            ["11:1: quiz question 1: no choice is marked `correct: true`"]
        );
        assert_eq!(
            problems(
                "- question: Q\n  type: single\n  choices:\n    - {text: a, correct: true}\n    - {text: b, correct: true}\n"
            ),
            [
                "11:1: quiz question 1: `type: single` allows one correct choice, found 2; use `type: multiple`"
            ]
        );
        assert_eq!(
            problems(
                "- question: Q\n  choices:\n    - {text: a, correct: true}\n    - {text: b}\n- qestion: R\n  choices:\n    - {text: a, correct: true}\n    - {why: b}\n"
            ),
            [
                "14:1: quiz question 2: unknown key `qestion`; did you mean `question`?",
                "14:1: quiz question 2: `question` (its text) is missing",
                "17:1: quiz question 2, choice 2: `text` is missing",
            ]
        );
        assert_eq!(
            problems("- question: Q\n  type: some\n  choices: [{text: a, correct: true}]\n"),
            [
                "12:1: quiz question 1: needs at least two choices",
                "11:1: quiz question 1: `type` must be `single` or `multiple`, found `some`",
            ]
        );
        assert_eq!(
            problems("just text\n"),
            ["10:1: quiz: expected a list of questions (`- question: ...`), found text"]
        );
        assert_eq!(
            problems("- question: [unclosed\n"),
            ["10:13: quiz: this bracket is never closed"]
        );
        let syntax = problems("- question: a: b\n");
        assert!(syntax[0].starts_with("10:"), "{syntax:?}");
        assert!(syntax[0].contains("quiz: YAML syntax error"), "{syntax:?}");
    }

    #[test]
    fn text_is_escaped_or_neutralised() {
        let yaml = "- question: \"[x](javascript:alert(1))\"\n  choices: [{text: \"<b>a</b>\", correct: true}, {text: b}]\n";
        let html = render_quiz(
            yaml,
            1,
            "q",
            QuizStyle {
                raw_html: RawHtml::Escape,
                smart_punctuation: false,
                math: crate::markdown::MathDelimiters::Dollars,
                labels: &ENGLISH,
            },
            &mut keep,
        )
        .unwrap();
        assert!(html.contains("<a href=\"#\">x</a>"), "{html}");
        assert!(html.contains("&lt;b&gt;a&lt;/b&gt;"), "{html}");
    }
}
