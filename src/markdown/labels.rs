//! The words the Markdown renderer writes itself: the default titles of callouts, GitHub
//! alerts and `:::` blocks ("Note", "Exercise", "Solution"), and the parts of a quiz
//! ("Question 1 of 3", "Check answers").
//!
//! They are interface strings like the theme's: each has a key in the theme's string table
//! (`templates/strings/<language>.yaml`, keys starting `md_`), so a site changes or
//! translates them the same way. The build resolves them for the page's language through
//! the table ([`Labels::resolve`]) and passes them in [`super::MarkdownOptions`], whose
//! value is part of every Markdown cache key: a new label renders the pages again.
//! Without a table (tests, previews) the English texts below apply.

use std::sync::Arc;

/// One text the renderer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Exercise,
    Solution,
    Hint,
    Spoiler,
    Tab,
    InstructorNote,
    Note,
    Tip,
    Important,
    Warning,
    Caution,
    Discussion,
    Checklist,
    Testimonial,
    Prereq,
    Objectives,
    Questions,
    Keypoints,
    Callout,
    Quiz,
    QuizQuestionOf,
    QuizChooseAll,
    QuizShowAnswer,
    QuizCorrect,
    QuizNotCorrect,
    QuizCheck,
    QuizTryAgain,
}

/// Every label with its key in the string table and its English text, in [`Label`] order.
pub const LABELS: [(Label, &str, &str); 27] = [
    (Label::Exercise, "md_exercise", "Exercise"),
    (Label::Solution, "md_solution", "Solution"),
    (Label::Hint, "md_hint", "Hint"),
    (Label::Spoiler, "md_spoiler", "Show details"),
    (Label::Tab, "md_tab", "Tab"),
    (
        Label::InstructorNote,
        "md_instructor_note",
        "Instructor note",
    ),
    (Label::Note, "md_note", "Note"),
    (Label::Tip, "md_tip", "Tip"),
    (Label::Important, "md_important", "Important"),
    (Label::Warning, "md_warning", "Warning"),
    (Label::Caution, "md_caution", "Caution"),
    (Label::Discussion, "md_discussion", "Discussion"),
    (Label::Checklist, "md_checklist", "Checklist"),
    (Label::Testimonial, "md_testimonial", "Testimonial"),
    (Label::Prereq, "md_prereq", "Prerequisites"),
    (Label::Objectives, "md_objectives", "Objectives"),
    (Label::Questions, "md_questions", "Questions"),
    (Label::Keypoints, "md_keypoints", "Key points"),
    (Label::Callout, "md_callout", "Callout"),
    (Label::Quiz, "md_quiz", "Quiz"),
    (
        Label::QuizQuestionOf,
        "md_quiz_question_of",
        "Question {number} of {total}",
    ),
    (
        Label::QuizChooseAll,
        "md_quiz_choose_all",
        "Choose all that apply.",
    ),
    (
        Label::QuizShowAnswer,
        "md_quiz_show_answer",
        "Show the answer",
    ),
    (Label::QuizCorrect, "md_quiz_correct", "Correct"),
    (Label::QuizNotCorrect, "md_quiz_not_correct", "Not correct"),
    (Label::QuizCheck, "md_quiz_check", "Check answers"),
    (Label::QuizTryAgain, "md_quiz_try_again", "Try again"),
];

/// The labels of one language, already escaped for HTML. Cheap to clone. Its `Debug` form
/// lists every text, and is what the Markdown cache key hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    html: Arc<[String]>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::resolve(|_| None)
    }
}

impl Labels {
    /// Looks every label up with `lookup` (key to text, for the page's language), keeping
    /// the English text for keys it does not know.
    pub fn resolve<'a>(lookup: impl Fn(&str) -> Option<&'a str>) -> Labels {
        Labels {
            html: LABELS
                .iter()
                .map(|(_, key, english)| super::escape_html(lookup(key).unwrap_or(english)))
                .collect(),
        }
    }

    /// The label as HTML.
    pub fn html(&self, label: Label) -> &str {
        self.html.get(label as usize).map_or("", String::as_str)
    }

    /// The label as HTML with its `{name}` placeholders filled (values are HTML already).
    pub fn fill(&self, label: Label, args: &[(&str, &str)]) -> String {
        let mut text = self.html(label).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_label_order_and_english_by_default() {
        for (index, (label, _, _)) in LABELS.iter().enumerate() {
            assert_eq!(*label as usize, index);
        }
        let labels = Labels::default();
        assert_eq!(labels.html(Label::Keypoints), "Key points");
        assert_eq!(
            labels.fill(Label::QuizQuestionOf, &[("number", "2"), ("total", "3")]),
            "Question 2 of 3"
        );
    }

    #[test]
    fn the_default_theme_lists_every_label_with_its_english_text() {
        let table = crate::template::strings::parse_file(
            "strings/en.yaml",
            include_str!("../../themes/default/templates/strings/en.yaml"),
        )
        .unwrap_or_default();
        for (_, key, english) in LABELS {
            assert_eq!(table.get(key).map(String::as_str), Some(english), "{key}");
        }
    }

    #[test]
    fn the_theme_contract_names_every_label_key() {
        let contract = include_str!("../../themes/default/CONTRACT.md");
        for (_, key, _) in LABELS {
            assert!(
                contract.contains(&format!("`{key}`")),
                "CONTRACT.md lacks {key}"
            );
        }
    }

    #[test]
    fn a_table_overrides_labels_one_by_one_and_is_escaped() {
        let labels = Labels::resolve(|key| (key == "md_note").then_some("Nota <b>"));
        assert_eq!(labels.html(Label::Note), "Nota &lt;b&gt;");
        assert_eq!(labels.html(Label::Tip), "Tip");
        assert_ne!(format!("{labels:?}"), format!("{:?}", Labels::default()));
    }
}
