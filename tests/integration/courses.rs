//! Courses end to end: outline order across modules, prev/next through the whole course,
//! durations, merged objectives, fenced divs, quizzes, the print page, the instructor view,
//! the certificate, the catalog, `trailmark new`, and the errors a trainer can make.

use crate::harness::{Site, assert_contains, assert_ids_unique_and_linked, assert_not_contains};

/// A course with lessons directly in it and in two modules, ordered by weight, number
/// prefix and title.
pub fn course_site() -> Site {
    let site = Site::new();
    site.write("content/courses/_index.md", "---\ntitle: Courses\n---\n");
    site.write(
        "content/courses/intro/_index.md",
        "---\nkind: course\ntitle: Intro Course\nlevel: beginner\naudience: Newcomers\n\
         objectives: [Know the basics]\ninstructors: [Ada]\ncertificate: true\n---\n\
         About the course.\n\n::: instructor\nBook a room with a projector.\n:::\n",
    );
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\nduration: 5m\n---\nHello.\n",
    );
    site.write(
        "content/courses/intro/01-basics/_index.md",
        "---\nkind: module\ntitle: Basics\n---\n",
    );
    site.write(
        "content/courses/intro/01-basics/02-second.md",
        "---\ntitle: Second\nduration: 1h30m\n---\nTwo.\n",
    );
    site.write(
        "content/courses/intro/01-basics/01-first.md",
        "---\ntitle: First\nduration: 20m\nobjectives:\n  - Name the parts\n  - Shared one\n---\n\
         ::: objectives\n- Shared one\n- Use `tools`\n:::\n\n::: questions\n- Why bother?\n:::\n\n\
         Body of first.\n\n::: instructor\nAllow ten minutes for questions.\n:::\n\n\
         ::: keypoints\n- Parts have names\n:::\n",
    );
    site.write(
        "content/courses/intro/02-advanced/_index.md",
        "---\nkind: module\ntitle: Advanced\n---\n",
    );
    site.write(
        "content/courses/intro/02-advanced/zeta.md",
        "---\ntitle: Zeta\nteaching: 30\nexercises: 15\n---\nZ.\n",
    );
    site.write(
        "content/courses/intro/02-advanced/alpha.md",
        "---\ntitle: Alpha\nduration: 90 min\n---\nA.\n",
    );
    site.write(
        "content/courses/intro/02-advanced/heavy.md",
        "---\ntitle: Heavy\nweight: 1\nduration: 1.5h\n---\nH.\n",
    );
    site
}

#[track_caller]
fn in_order(html: &str, needles: &[&str]) {
    let positions: Vec<usize> = needles
        .iter()
        .map(|n| {
            html.find(n)
                .unwrap_or_else(|| panic!("{n:?} missing from:\n{html}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{needles:?} out of order: {positions:?}"
    );
}

#[test]
fn outline_order_prev_next_and_total_duration() {
    let site = course_site();
    site.build().assert_ok();
    let course = site.read("courses/intro/index.html");
    // Lessons directly in the course first (they sort with the modules by prefix), then
    // module 1 by number prefix, then module 2 by weight, then title.
    in_order(
        &course,
        &[
            "href=\"/courses/intro/welcome/\" data-lesson",
            "href=\"/courses/intro/basics/first/\" data-lesson",
            "href=\"/courses/intro/basics/second/\" data-lesson",
            "href=\"/courses/intro/advanced/heavy/\" data-lesson",
            "href=\"/courses/intro/advanced/alpha/\" data-lesson",
            "href=\"/courses/intro/advanced/zeta/\" data-lesson",
        ],
    );
    // 5 + 20 + 90 + 90 + 90 + 45 minutes.
    assert_contains(&course, "<li class=\"badge\">5h 40m</li>");
    assert_contains(&course, "<li class=\"badge\">6 lessons</li>");
    assert_contains(&course, "Level: Beginner");

    // Prev/next run across module boundaries.
    let second = site.read("courses/intro/basics/second/index.html");
    assert_contains(
        &second,
        "href=\"/courses/intro/basics/first/\" rel=\"prev\"",
    );
    assert_contains(
        &second,
        "href=\"/courses/intro/advanced/heavy/\" rel=\"next\"",
    );
    let heavy = site.read("courses/intro/advanced/heavy/index.html");
    assert_contains(
        &heavy,
        "href=\"/courses/intro/basics/second/\" rel=\"prev\"",
    );
    let welcome = site.read("courses/intro/welcome/index.html");
    assert_contains(
        &welcome,
        "href=\"/courses/intro/basics/first/\" rel=\"next\"",
    );

    // The lesson page: breadcrumbs, its number, the outline with it marked, the control.
    assert_contains(
        &second,
        "<li><a href=\"/courses/intro/\">Intro Course</a></li>",
    );
    assert_contains(
        &second,
        "<li><a href=\"/courses/intro/basics/\">Basics</a></li>",
    );
    assert_contains(&second, "Lesson 3 of 6");
    assert_contains(
        &second,
        "<a href=\"/courses/intro/basics/second/\" data-lesson aria-current=\"page\">",
    );
    assert_contains(&second, "<span>Duration: 1h 30m</span>");
    assert_contains(
        &second,
        "<div class=\"lesson-complete\" data-lesson-complete=\"/courses/intro/basics/second/\" hidden>",
    );
    assert_contains(
        &second,
        "<script src=\"/course.js\" defer data-site=\"https://example.org\" data-course=\"/courses/intro/\"\n  \
         data-text-completed-note=\" (completed)\"",
    );
    assert!(site.exists("course.js"));
    // Carpentries minutes add up.
    assert_contains(
        &site.read("courses/intro/advanced/zeta/index.html"),
        "<span>Duration: 45m</span>",
    );
}

#[test]
fn objectives_merge_front_matter_then_body_blocks() {
    let site = course_site();
    site.build().assert_ok();
    let first = site.read("courses/intro/basics/first/index.html");
    let overview = &first[first.find("lesson-overview").unwrap()..];
    in_order(
        overview,
        &[
            "<h3 class=\"box-title\">Questions</h3>",
            "<li>Why bother?</li>",
            "<h3 class=\"box-title\">Objectives</h3>",
            "<li>Name the parts</li>",
            "<li>Shared one</li>",
            "<li>Use <code>tools</code></li>",
        ],
    );
    assert_eq!(first.matches("<li>Shared one</li>").count(), 1);
    assert_contains(&first, "<h2 class=\"box-title\">Key points</h2>");
    assert_contains(&first, "<li>Parts have names</li>");
    // The blocks were lifted out of the body, not shown twice.
    assert_not_contains(&first, "callout-objectives");
    assert_not_contains(&first, "callout-keypoints");
}

#[test]
fn instructor_notes_only_in_the_instructor_view() {
    let site = course_site();
    site.build().assert_ok();
    let first = site.read("courses/intro/basics/first/index.html");
    assert_not_contains(&first, "Allow ten minutes");
    assert_not_contains(&first, "instructor-note");
    assert_not_contains(&site.read("courses/intro/index.html"), "projector");
    assert_not_contains(
        &site.read("courses/intro/print/index.html"),
        "Allow ten minutes",
    );

    let view = site.read("courses/intro/instructor/index.html");
    assert_contains(&view, "<meta name=\"robots\" content=\"noindex\">");
    assert_contains(&view, "Book a room with a projector.");
    assert_contains(&view, "Allow ten minutes for questions.");
    // The schedule: start times add up across modules.
    in_order(
        &view,
        &[
            "<td class=\"schedule-time\">0:00</td>\n          <td><a href=\"#lesson-1\">1. Welcome</a></td>",
            "Module 1: Basics",
            "<td class=\"schedule-time\">0:05</td>\n          <td><a href=\"#lesson-2\">2. First</a></td>",
            "<td class=\"schedule-time\">0:25</td>",
            "Module 2: Advanced",
            "<td class=\"schedule-time\">1:55</td>\n          <td><a href=\"#lesson-4\">4. Heavy</a></td>",
            "<th scope=\"row\" colspan=\"2\">Total</th><td>5h 40m</td>",
        ],
    );
    assert_contains(&view, "<span>0:05 to 0:25</span>");
}

/// Instructor notes inside a block quote, a GitHub alert or a footnote stay out of the
/// learner's page, the print page and the search index like any other (they leaked as a
/// garbled definition list); a quote that held only the note is not left empty; a fence that
/// would close a div opened at another quote level is an error, not a note spilling out.
#[test]
fn instructor_notes_inside_quotes_alerts_and_footnotes_stay_out_of_learners_pages() {
    let site = course_site();
    site.write(
        "content/courses/intro/01-basics/01-first.md",
        "---\ntitle: First\n---\nIntro.\n\n> ::: instructor\n> ANSWERKEY in a quote\n> :::\n\n\
         > [!NOTE]\n> Visible note.\n> ::: instructor\n> ANSWERKEY in an alert\n> :::\n\n\
         Text with a note.[^n]\n\n[^n]: A footnote.\n    ::: instructor\n    ANSWERKEY in a footnote\n    :::\n",
    );
    site.build().assert_ok();
    for page in [
        "courses/intro/basics/first/index.html",
        "courses/intro/print/index.html",
    ] {
        let html = site.read(page);
        assert_not_contains(&html, "ANSWERKEY");
        assert_not_contains(&html, "<dl>");
        assert_not_contains(&html, "<blockquote>\n</blockquote>");
    }
    let first = site.read("courses/intro/basics/first/index.html");
    assert_contains(&first, "<p>Visible note.</p>");
    assert_contains(&first, "<p>A footnote.</p>");
    let view = site.read("courses/intro/instructor/index.html");
    for note in ["in a quote", "in an alert", "in a footnote"] {
        assert_contains(&view, &format!("ANSWERKEY {note}"));
    }

    site.write(
        "content/courses/intro/01-basics/01-first.md",
        "---\ntitle: First\n---\n> ::: instructor\n> Secret.\n\n:::\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/01-basics/01-first.md:4:3: error: fenced div `::: instructor` opened here is never closed",
            "content/courses/intro/01-basics/01-first.md:7:1: error: this `:::` would close a div opened at another block quote level",
        ]
    );
}

#[test]
fn print_page_keeps_ids_unique_and_each_lessons_own_links_working() {
    let site = course_site();
    let lesson = |title: &str| {
        format!(
            "---\ntitle: {title}\n---\n## Setup\n\nSee [the setup](#setup) and a note.[^1]\n\n\
             ## Contents\n\nMore.\n\n[^1]: The note of {title}.\n"
        )
    };
    site.write(
        "content/courses/intro/01-basics/01-first.md",
        &lesson("First"),
    );
    site.write(
        "content/courses/intro/01-basics/02-second.md",
        &lesson("Second"),
    );
    site.build().assert_ok();

    // Each lesson page keeps its plain ids.
    let first = site.read("courses/intro/basics/first/index.html");
    assert_contains(&first, "<h2 id=\"setup\">");
    assert_contains(&first, "<a href=\"#setup\">the setup</a>");

    let print = site.read("courses/intro/print/index.html");
    assert_ids_unique_and_linked(&print);
    // Each lesson's link goes to its own heading, and the print template's ids are intact.
    assert_contains(&print, "<h2 id=\"lesson-2--setup\">");
    assert_contains(&print, "<a href=\"#lesson-2--setup\">the setup</a>");
    assert_contains(&print, "<h2 id=\"lesson-3--setup\">");
    assert_contains(&print, "<a href=\"#lesson-3--setup\">the setup</a>");
    assert_contains(&print, "<h2 id=\"lesson-2-title\">First</h2>");
}

#[test]
fn print_page_has_every_lesson_with_solutions_open() {
    let site = course_site();
    site.write(
        "content/courses/intro/01-basics/02-second.md",
        "---\ntitle: Second\nduration: 1h30m\n---\n::::::: challenge\n## Do it\n\n\
         :::: solution\nThe answer.\n::::\n:::::::\n\n```quiz\n- question: Q?\n  choices:\n\
         \x20   - {text: Yes, correct: true, why: Because.}\n    - {text: No}\n```\n",
    );
    site.build().assert_ok();
    let print = site.read("courses/intro/print/index.html");
    in_order(
        &print,
        &[
            "<h1>Intro Course</h1>",
            "<li><a href=\"#lesson-1\">1. Welcome</a>",
            "<h2 id=\"lesson-1-title\">Welcome</h2>",
            "<h2 class=\"print-module-title\">Basics</h2>",
            "<h2 id=\"lesson-2-title\">First</h2>",
            "Body of first.",
            "<h2 id=\"lesson-3-title\">Second</h2>",
            "<details class=\"solution\" open>",
            "The answer.",
            "<details class=\"quiz-answers\" open>",
            "<h2 class=\"print-module-title\">Advanced</h2>",
            "<h2 id=\"lesson-6-title\">Zeta</h2>",
        ],
    );
    assert_contains(&print, "<li>Use <code>tools</code></li>");
    // The lesson page keeps its solution folded.
    assert_contains(
        &site.read("courses/intro/basics/second/index.html"),
        "<details class=\"solution\">\n<summary>Solution</summary>",
    );
}

#[test]
fn fenced_divs_nest_with_any_fence_length() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\n:::::::::: challenge\nOuter.\n\n::: exercise \"Inner\"\nIn.\n\n\
         :::::: solution\nDeep.\n::::::\n:::\n\n::: tip\nA tip.\n:::\n::::::::::\n\nAfter.\n\n\
         > [!CAUTION]\n> Careful.\n",
    );
    site.build().assert_ok();
    let html = site.read("courses/intro/welcome/index.html");
    let prose = &html[html.find("<div class=\"prose\">").unwrap()..];
    in_order(
        prose,
        &[
            "<section class=\"exercise\">\n<p class=\"exercise-title\">Exercise</p>\n<p>Outer.</p>",
            "<section class=\"exercise\">\n<p class=\"exercise-title\">Inner</p>\n<p>In.</p>",
            "<details class=\"solution\">\n<summary>Solution</summary>\n<p>Deep.</p>\n</details>\n</section>",
            "<aside class=\"callout callout-tip\">\n<p class=\"callout-title\">Tip</p>\n<p>A tip.</p>\n</aside>\n</section>",
            "<p>After.</p>",
            "<aside class=\"callout callout-caution\" role=\"note\">",
        ],
    );
}

/// Links in quiz text (question, choices, reasons, explanation) are resolved and checked like
/// the page's own: a link to a lesson's file becomes its URL, a missing page is an error at
/// the quiz (they were published as written, broken, without a word).
#[test]
fn links_in_quiz_text_are_resolved_and_checked() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\nIntro.\n\n```quiz\n- question: \"See [the first](01-basics/01-first.md)\"\n  choices:\n\
         \x20   - {text: \"[Second](01-basics/02-second.md)\", correct: true, why: \"[Zeta](02-advanced/zeta.md)\"}\n\
         \x20   - {text: No}\n  explanation: \"![a chart](chart.png)\"\n```\n",
    );
    site.write_bytes("content/courses/intro/chart.png", b"\x89PNG\r\n\x1a\n");
    site.build().assert_ok();
    let html = site.read("courses/intro/welcome/index.html");
    assert_contains(
        &html,
        "<a href=\"/courses/intro/basics/first/\">the first</a>",
    );
    assert_contains(
        &html,
        "<a href=\"/courses/intro/basics/second/\">Second</a>",
    );
    assert_contains(&html, "<a href=\"/courses/intro/advanced/zeta/\">Zeta</a>");
    assert_not_contains(&html, ".md\"");

    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\nIntro.\n\n```quiz\n- question: \"See [x](missing.md)\"\n  choices:\n\
         \x20   - {text: Yes, correct: true}\n    - {text: No}\n```\n",
    );
    let run = site.check();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/00-welcome.md:6:1: error: link to missing page `missing.md` (no content/courses/intro/missing.md)"
        ]
    );
}

#[test]
fn quiz_renders_as_a_form_that_works_without_script() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\n```quiz\n- question: \"Pick *one*\"\n  type: single\n  choices:\n\
         \x20   - text: Right\n      correct: true\n      why: It is right.\n\
         \x20   - text: Wrong\n      correct: false\n      why: It is wrong.\n\
         - question: Pick two\n  type: multiple\n  choices:\n\
         \x20   - {text: A, correct: true}\n    - {text: B, correct: true}\n    - {text: C}\n```\n",
    );
    site.build().assert_ok();
    let html = site.read("courses/intro/welcome/index.html");
    assert_contains(
        &html,
        "<form class=\"quiz\" id=\"quiz-1\" data-quiz=\"quiz-1\" data-questions=\"2\" aria-labelledby=\"quiz-1-title\">",
    );
    assert_contains(
        &html,
        "<legend><span class=\"quiz-number\">Question 1 of 2</span> <span class=\"quiz-text\">Pick <em>one</em></span></legend>",
    );
    assert_contains(
        &html,
        "<input type=\"radio\" id=\"quiz-1-q1-c1\" name=\"quiz-1-q1\" value=\"1\" data-correct=\"true\">",
    );
    assert_contains(
        &html,
        "<input type=\"checkbox\" id=\"quiz-1-q2-c3\" name=\"quiz-1-q2\" value=\"3\" data-correct=\"false\">",
    );
    // Without script: every answer and why, in a details element; the buttons hidden.
    assert_contains(
        &html,
        "<details class=\"quiz-answers\">\n<summary>Show the answer</summary>\n<ul>\n\
         <li class=\"is-correct\"><strong>Correct:</strong> Right <span class=\"quiz-answer-why\">It is right.</span></li>\n\
         <li class=\"is-wrong\"><strong>Not correct:</strong> Wrong <span class=\"quiz-answer-why\">It is wrong.</span></li>",
    );
    assert_contains(&html, "<div class=\"quiz-actions\" hidden>");
    assert_not_contains(&html, "language-quiz");
}

#[test]
fn certificate_page_only_when_the_course_asks() {
    let site = course_site();
    site.build().assert_ok();
    let certificate = site.read("courses/intro/certificate/index.html");
    assert_contains(
        &certificate,
        "<p class=\"certificate-course\">Intro Course</p>",
    );
    assert_contains(&certificate, "6 lessons · 5h 40m of study");
    assert_contains(&certificate, "Test site · Ada");
    assert_contains(
        &certificate,
        "<section class=\"certificate-ready\" data-certificate-ready hidden>",
    );
    assert_contains(
        &site.read("courses/intro/index.html"),
        "<a class=\"button\" href=\"/courses/intro/certificate/\" data-certificate-link hidden>",
    );
    // Neither the extra pages nor the certificate are in the sitemap.
    assert_not_contains(&site.read("sitemap.xml"), "/print/");

    site.write(
        "content/courses/intro/_index.md",
        "---\nkind: course\ntitle: Intro Course\n---\n",
    );
    site.build().assert_ok();
    assert!(!site.exists("courses/intro/certificate/index.html"));
    assert!(site.exists("courses/intro/print/index.html"));
    assert_not_contains(
        &site.read("courses/intro/index.html"),
        "data-certificate-link",
    );
}

#[test]
fn catalog_lists_each_course_with_level_duration_and_lessons() {
    let site = course_site();
    site.write(
        "content/courses/reporting/_index.md",
        "---\nkind: course\ntitle: Reporting\nlevel: intermediate\ndescription: Reports that matter.\n---\n",
    );
    site.write(
        "content/courses/reporting/01-one.md",
        "---\ntitle: One\nduration: 25m\n---\n",
    );
    site.build().assert_ok();
    let catalog = site.read("courses/index.html");
    in_order(
        &catalog,
        &[
            "<a href=\"/courses/intro/\">Intro Course</a>",
            "<span class=\"badge badge-level\">Beginner</span><span>6 lessons</span><span>5h 40m</span>",
            "<a href=\"/courses/reporting/\">Reporting</a>",
            "<span class=\"badge badge-level\">Intermediate</span><span>1 lesson</span><span>25m</span>",
            "Reports that matter.",
        ],
    );
}

#[test]
fn a_lesson_named_print_collides_with_the_print_page() {
    let site = course_site();
    site.write("content/courses/intro/print.md", "---\ntitle: Print\n---\n");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/_index.md: error: 2 sources write the same output `courses/intro/print/index.html`: content/courses/intro/_index.md, content/courses/intro/print.md"
        ]
    );
}

#[test]
fn bad_duration_is_an_error_at_its_line() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\nduration: half an hour\n---\nHello.\n",
    );
    site.write(
        "content/courses/intro/02-advanced/zeta.md",
        "---\ntitle: Zeta\nteaching: 30\nexercises: lots\n---\nZ.\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/00-welcome.md:3:1: error: `duration`: invalid duration `half an hour`; write minutes and hours like `20m`, `1h30m`, `90 min` or `1.5h`",
            "content/courses/intro/02-advanced/zeta.md:4:1: error: `exercises`: invalid duration `lots`; write minutes and hours like `20m`, `1h30m`, `90 min` or `1.5h`",
        ]
    );
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn bad_quizzes_are_errors_at_their_lines() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\nIntro.\n\n```quiz\n- question: One?\n  choices:\n\
         \x20   - text: A\n      correct: yes\n    - text: B\n- question: Two?\n  type: single\n\
         \x20 choices:\n    - {text: A, correct: true}\n    - {text: B, correct: true}\n```\n\n\
         ```quiz\n- question: [broken\n```\n",
    );
    let run = site.build();
    run.assert_code(1);
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics[..2],
        [
            "content/courses/intro/00-welcome.md:10:1: error: quiz question 1, choice 1: `correct` must be true or false, found text",
            "content/courses/intro/00-welcome.md:13:1: error: quiz question 2: `type: single` allows one correct choice, found 2; use `type: multiple`",
        ]
    );
    // An unclosed flow list is reported at its `[`, not where the YAML ends.
    assert_eq!(
        diagnostics[2..],
        ["content/courses/intro/00-welcome.md:20:13: error: quiz: this bracket is never closed"]
    );
}

#[test]
fn unclosed_fenced_div_is_an_error() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\n---\n::::: challenge\nDo it.\n\n::: solution\nDone.\n:::\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "content/courses/intro/00-welcome.md:4:1: error: fenced div `::::: challenge` opened here is never closed"
        ]
    );
}

#[test]
fn new_creates_lessons_courses_and_modules_that_build() {
    let site = Site::new();
    site.run(&["new", "course", "courses/first-steps"])
        .assert_ok();
    let run = site.run(&["new", "module", "content/courses/first-steps/01-setup"]);
    run.assert_ok();
    assert_eq!(
        run.stdout,
        "Created module content/courses/first-steps/01-setup/_index.md\n"
    );
    site.run(&[
        "new",
        "lesson",
        "courses/first-steps/01-setup/01-install",
        "--title",
        "Install \"it\"",
    ])
    .assert_ok();
    let lesson = std::fs::read_to_string(
        site.root()
            .join("content/courses/first-steps/01-setup/01-install.md"),
    )
    .unwrap();
    assert!(
        lesson.starts_with("---\ntitle: \"Install \\\"it\\\"\"\n"),
        "{lesson}"
    );
    assert_contains(
        &std::fs::read_to_string(site.root().join("content/courses/first-steps/_index.md"))
            .unwrap(),
        "kind: course\ntitle: \"First steps\"\n",
    );
    site.build().assert_ok();
    let page = site.read("courses/first-steps/setup/install/index.html");
    assert_contains(&page, "<h1>Install &quot;it&quot;</h1>");
    assert_contains(&page, "<span>Duration: 30m</span>");
    assert_not_contains(&page, "Notes for whoever runs this lesson");
    assert_contains(
        &site.read("courses/first-steps/instructor/index.html"),
        "Notes for whoever runs this lesson",
    );

    let again = site.run(&[
        "new",
        "lesson",
        "courses/first-steps/01-setup/01-install.md",
    ]);
    again.assert_code(2);
    assert_eq!(
        again.stderr,
        "error: content/courses/first-steps/01-setup/01-install.md already exists; choose another name\n"
    );
    let outside = site.run(&["new", "lesson", "../escape"]);
    outside.assert_code(2);
    assert_contains(&outside.stderr, "must be a path inside content/");
}

/// A lesson's `updated:` date shows once, in the page footer, as on handbook pages.
#[test]
fn a_lessons_update_date_shows_once() {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\nduration: 5m\nupdated: 2026-03-04\n---\nHello.\n",
    );
    site.build().assert_ok();
    let html = site.read("courses/intro/welcome/index.html");
    assert_contains(
        &html,
        "Last updated <time datetime=\"2026-03-04\">4 March 2026</time>",
    );
    assert_eq!(html.matches("4 March 2026").count(), 1, "{html}");
}
