//! Courses in a real headless Chromium: quizzes, folded solutions, completing lessons,
//! ticks and the progress bar across reloads, reset, and the certificate.

use serde_json::json;

use crate::browser::{Browser, StaticServer};
use crate::courses::course_site;
use crate::harness::Site;

fn site_with_quiz() -> Site {
    let site = course_site();
    site.write(
        "content/courses/intro/00-welcome.md",
        "---\ntitle: Welcome\nduration: 5m\n---\nHello.\n\n::: challenge\nTry.\n\n\
         :::: solution\nThe folded answer.\n::::\n:::\n\n```quiz\n- question: Which is right?\n  choices:\n\
         \x20   - {text: Right, correct: true, why: Yes it is.}\n\
         \x20   - {text: Wrong, why: This one is not.}\n\
         - question: Which two?\n  choices:\n    - {text: A, correct: true}\n\
         \x20   - {text: B, correct: true}\n    - {text: C, why: Not C.}\n```\n",
    );
    site.build().assert_ok();
    site
}

const LESSONS: [&str; 6] = [
    "/courses/intro/welcome/",
    "/courses/intro/basics/first/",
    "/courses/intro/basics/second/",
    "/courses/intro/advanced/heavy/",
    "/courses/intro/advanced/alpha/",
    "/courses/intro/advanced/zeta/",
];

#[test]
fn quiz_feedback_score_and_folded_solution() {
    let site = site_with_quiz();
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();
    browser.goto(&server.url(LESSONS[0]));

    // A folded solution opens on click.
    assert_eq!(
        browser.eval("document.querySelector('details.solution').open"),
        json!(false)
    );
    browser.click("details.solution > summary");
    assert_eq!(
        browser.eval("document.querySelector('details.solution').open"),
        json!(true)
    );

    // Wrong answers: feedback, the explanation of the choice made, the score.
    browser.wait_until("!document.querySelector('.quiz-actions').hidden");
    browser.click("#quiz-1-q1-c2");
    browser.click("#quiz-1-q2-c1");
    browser.click("#quiz-1 button[type=submit]");
    assert_eq!(
        browser.text("#quiz-1-q1 .quiz-feedback"),
        "Not quite. Try again, or open the answer below."
    );
    assert_eq!(
        browser.eval("document.querySelector('#quiz-1-q1').className"),
        json!("quiz-question is-wrong")
    );
    assert_eq!(
        browser.text("#quiz-1-q1 .is-chosen-wrong .quiz-why"),
        "This one is not."
    );
    assert_eq!(
        browser.text("#quiz-1-q2 .quiz-feedback"),
        "Not quite: check every answer that applies. Try again, or open the answer below."
    );
    assert_eq!(browser.text("#quiz-1 .quiz-score"), "You got 0 of 2 right.");

    // Try again, right this time.
    browser.click("#quiz-1 button[type=reset]");
    assert_eq!(browser.count("#quiz-1 .quiz-question.is-wrong"), 0);
    assert_eq!(browser.count("#quiz-1 input:checked"), 0);
    browser.click("#quiz-1-q1-c1");
    browser.click("#quiz-1-q2-c1");
    browser.click("#quiz-1-q2-c2");
    browser.click("#quiz-1 button[type=submit]");
    assert_eq!(browser.text("#quiz-1-q1 .quiz-feedback"), "Correct!");
    assert_eq!(browser.text("#quiz-1-q2 .quiz-feedback"), "Correct!");
    assert_eq!(
        browser.text("#quiz-1-q1 .is-chosen-right .quiz-why"),
        "Yes it is."
    );
    assert_eq!(browser.text("#quiz-1 .quiz-score"), "You got 2 of 2 right.");

    // The score is kept in this browser.
    browser.refresh();
    assert_eq!(
        browser.text("#quiz-1 .quiz-score"),
        "Your last score: 2 of 2."
    );
    let stored = browser
        .eval("localStorage.getItem('trailmark-progress:https://example.org/courses/intro/')");
    let stored: serde_json::Value = serde_json::from_str(stored.as_str().unwrap_or("{}")).unwrap();
    assert_eq!(
        stored["quizzes"]["/courses/intro/welcome/#quiz-1"],
        json!({"score": 2, "total": 2})
    );
    assert_eq!(browser.eval("document.cookie"), json!(""));
}

#[test]
fn progress_ticks_reset_and_certificate() {
    let site = site_with_quiz();
    let server = StaticServer::start(&site.public());
    let browser = Browser::start();

    // Mark one lesson complete: the button changes, the outline ticks it.
    browser.goto(&server.url(LESSONS[1]));
    browser.click("[data-complete-toggle]");
    assert_eq!(browser.text("[data-complete-toggle]"), "Completed ✓");
    assert_eq!(
        browser
            .eval("document.querySelector('[data-complete-toggle]').getAttribute('aria-pressed')"),
        json!("true")
    );
    let ticked = "Array.from(document.querySelectorAll('.course-sidebar li.is-complete > a')).map(a => a.getAttribute('href'))";
    assert_eq!(browser.eval(ticked), json!([LESSONS[1]]));

    // It survives a reload, and the course page shows the bar.
    browser.refresh();
    assert_eq!(browser.text("[data-complete-toggle]"), "Completed ✓");
    assert_eq!(browser.eval(ticked), json!([LESSONS[1]]));
    browser.goto(&server.url("/courses/intro/"));
    assert_eq!(
        browser.text("main [data-course-progress] [data-progress-text]"),
        "1 of 6 lessons complete"
    );
    assert_eq!(
        browser.eval("document.querySelector('main [data-course-progress] progress').value"),
        json!(1)
    );
    assert_eq!(browser.count(".course-outline li.is-complete"), 1);
    browser.refresh();
    assert_eq!(browser.count(".course-outline li.is-complete"), 1);
    // No certificate link before the course is complete.
    assert_eq!(
        browser.eval("document.querySelector('[data-certificate-link]').hidden"),
        json!(true)
    );

    // Reset.
    browser.click("[data-progress-reset]");
    assert_eq!(
        browser.text("main [data-course-progress] [data-progress-text]"),
        "0 of 6 lessons complete"
    );
    assert_eq!(browser.count(".course-outline li.is-complete"), 0);
    browser.refresh();
    assert_eq!(browser.count(".course-outline li.is-complete"), 0);

    // The certificate stays locked until every lesson is complete.
    browser.goto(&server.url("/courses/intro/certificate/"));
    assert_eq!(
        browser.eval("document.querySelector('[data-certificate-ready]').hidden"),
        json!(true)
    );
    for lesson in LESSONS {
        browser.goto(&server.url(lesson));
        browser.click("[data-complete-toggle]");
        browser.wait_until(
            "document.querySelector('[data-complete-toggle]').textContent === 'Completed ✓'",
        );
    }
    assert_eq!(
        browser.text(".course-sidebar [data-progress-text]"),
        "6 of 6 lessons complete"
    );
    browser.goto(&server.url("/courses/intro/"));
    assert_eq!(
        browser.eval("document.querySelector('main [data-course-progress] progress').value"),
        json!(6)
    );
    browser.click("[data-certificate-link]");
    browser.wait_until("location.pathname === '/courses/intro/certificate/'");
    assert_eq!(
        browser.eval("document.querySelector('[data-certificate-locked]').hidden"),
        json!(true)
    );
    browser.type_into("#learner-name", "Grace Hopper");
    assert_eq!(browser.text("[data-certificate-name]"), "Grace Hopper");
    assert_eq!(browser.text(".certificate-course"), "Intro Course");
    assert_eq!(
        browser.text(".certificate-facts"),
        "6 lessons · 5h 40m of study"
    );
    let date =
        browser.eval("document.querySelector('[data-certificate-date]').getAttribute('datetime')");
    assert!(
        date.as_str()
            .is_some_and(|d| d.len() == 10 && d.starts_with("20")),
        "{date}"
    );
    // Written like every date the build writes ("30 November 2026"), whatever the browser's
    // locale.
    let iso = date.as_str().unwrap_or_default();
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = iso
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| months.get(m - 1))
        .copied()
        .unwrap_or_default();
    let day = iso
        .get(8..10)
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or_default();
    assert_eq!(
        browser.text("[data-certificate-date]"),
        format!("{day} {month} {}", iso.get(..4).unwrap_or_default())
    );
    // The name is remembered here, and never leaves the browser.
    browser.refresh();
    assert_eq!(browser.text("[data-certificate-name]"), "Grace Hopper");
    assert_eq!(browser.eval("document.cookie"), json!(""));
}
