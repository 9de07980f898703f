//! Tests of the course features of [`render`]: instructor notes, lifted lesson blocks and
//! quizzes inside a page.

use super::*;

fn lesson(body: &str) -> Rendered {
    let input = RenderInput {
        body,
        file: "content/c/lesson.md",
        first_line: 4,
        strip_title_heading: false,
        lift_lesson_blocks: true,
    };
    render(&input, &MarkdownOptions::default(), &KeepLinks)
}

#[test]
fn instructor_notes_are_absent_from_the_learner_html() {
    let body = "Intro\n\n::: instructor\n## Timing\nAllow **20** minutes.\n:::\n\nAfter\n";
    let r = lesson(body);
    assert!(!r.html.contains("Allow"), "{}", r.html);
    assert!(!r.html.contains("instructor"), "{}", r.html);
    assert!(r.html.contains("<p>Intro</p>") && r.html.contains("<p>After</p>"));
    assert_eq!(r.instructor_notes.len(), 1);
    assert!(r.instructor_notes[0].starts_with("<aside class=\"instructor-note\""));
    assert!(r.instructor_notes[0].contains("Allow <strong>20</strong> minutes."));
    // The note's heading is not in the learner's table of contents, nor its words counted.
    assert!(r.toc.is_empty(), "{:?}", r.toc);
    assert_eq!(r.word_count, 2);
}

#[test]
fn instructor_notes_nested_in_exercises_and_summaries() {
    let body = "Top\n\n::::: challenge\nDo it.\n\n::: instructor\nWatch the clock.\n:::\n\n:::: solution\nDone.\n::::\n:::::\n";
    let r = lesson(body);
    assert!(!r.html.contains("Watch the clock"), "{}", r.html);
    assert!(r.html.contains("<details class=\"solution\">"));
    assert_eq!(
        r.html.matches("<section").count(),
        r.html.matches("</section>").count()
    );
    assert_eq!(r.instructor_notes.len(), 1);

    let summary = lesson("::: instructor\nSecret\n:::\n\nShown\n\n<!-- more -->\n\nRest\n");
    assert_eq!(summary.summary_html.as_deref(), Some("<p>Shown</p>\n"));
}

#[test]
fn lesson_blocks_are_lifted_only_when_asked() {
    let body = "::: questions\n- How do I *start*?\n- Why?\n:::\n\n::: objectives\n\n- Learn `x`\n\n- Learn y\n\n:::\n\nText\n\n::: keypoints\nOne paragraph point.\n:::\n";
    let r = lesson(body);
    assert_eq!(
        r.lesson_blocks.questions,
        ["How do I <em>start</em>?", "Why?"]
    );
    assert_eq!(
        r.lesson_blocks.objectives,
        ["Learn <code>x</code>", "Learn y"]
    );
    assert_eq!(r.lesson_blocks.keypoints, ["One paragraph point."]);
    assert_eq!(r.html.trim(), "<p>Text</p>");

    let page = render(
        &RenderInput {
            body,
            file: "content/p.md",
            first_line: 1,
            strip_title_heading: false,
            lift_lesson_blocks: false,
        },
        &MarkdownOptions::default(),
        &KeepLinks,
    );
    assert!(page.lesson_blocks.is_empty());
    assert!(page.html.contains("callout-objectives"), "{}", page.html);
}

#[test]
fn quizzes_render_with_unique_ids_and_located_errors() {
    let quiz = "```quiz\n- question: Q\n  choices:\n    - {text: a, correct: true}\n    - {text: b}\n```\n";
    let r = lesson(&format!("## Quiz 1 {{#quiz-1}}\n\n{quiz}\n{quiz}"));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.html.contains("<form class=\"quiz\" id=\"quiz-1-1\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<form class=\"quiz\" id=\"quiz-2\""),
        "{}",
        r.html
    );

    // Body line 3 is file line 6; the YAML starts on the line after the fence.
    let broken = lesson(
        "Text\n\n```quiz\n- question: Q\n  choices:\n    - {text: a, correct: maybe}\n    - {text: b}\n```\n",
    );
    let messages: Vec<String> = broken
        .diagnostics
        .iter()
        .map(crate::diagnostics::uncoded_headline)
        .collect();
    assert_eq!(
        messages,
        [
            "content/c/lesson.md:9:1: error: quiz question 1, choice 1: `correct` must be true or false, found text"
        ]
    );
    assert!(broken.html.contains("language-quiz"));
}
