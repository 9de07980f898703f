//! One case per diagnostic code, pinning the whole text a user sees.
//!
//! Each code has a folder `tests/codes/TMxxxx/` holding `site/` (a fixture site, copied to a
//! temp folder), optionally `args` (the command line, one argument per line; default
//! `check --build-date 2026-06-01`), optionally `setup` (files git cannot hold, one a line:
//! `fifo PATH` makes a named pipe, `sparse PATH BYTES` a sparse file), and `expected.txt`: everything the command printed on
//! stderr, the temp folder's path written as `$SITE`. `TRAILMARK_BLESS=1` rewrites the
//! expected files. Another test checks that every code of the code table has a case (or, for
//! the few no fixture site can provoke, a named test elsewhere) and a section in
//! docs/errors.md whose example starts with the case's first line of that code.

use std::path::{Path, PathBuf};

use trailmark::diagnostics::Code;

use crate::harness::{BUILD_DATE, Site};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codes")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs the case for `code` and returns what it printed on stderr, normalised.
fn run_case(code: &str) -> String {
    let case = cases_dir().join(code);
    let site = Site::empty();
    copy_tree(&case.join("site"), site.root());
    for line in std::fs::read_to_string(case.join("setup"))
        .unwrap_or_default()
        .lines()
    {
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            ["fifo", path] => {
                let made = std::process::Command::new("mkfifo")
                    .arg(site.root().join(path))
                    .status()
                    .unwrap();
                assert!(made.success(), "mkfifo {path}");
            }
            ["sparse", path, bytes] => {
                let target = site.root().join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::File::create(target)
                    .unwrap()
                    .set_len(bytes.parse().unwrap())
                    .unwrap();
            }
            _ => panic!("{code}/setup: cannot read `{line}`"),
        }
    }
    let args: Vec<String> = match std::fs::read_to_string(case.join("args")) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => vec!["check".into(), "--build-date".into(), BUILD_DATE.into()],
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = site.run(&args);
    let root = site.root().to_string_lossy().into_owned();
    run.stderr.replace(&root, "$SITE")
}

#[track_caller]
fn check_case(code: &str) {
    let actual = run_case(code);
    let expected_path = cases_dir().join(code).join("expected.txt");
    if std::env::var_os("TRAILMARK_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "case tests/codes/{code}: stderr differs (TRAILMARK_BLESS=1 rewrites it)"
    );
    assert!(
        actual.contains(&format!(" [{code}]")),
        "case tests/codes/{code} does not show its code:\n{actual}"
    );
}

macro_rules! cases {
    ($($name:ident => $code:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check_case($code);
            }
        )*
        const CASES: &[&str] = &[$($code),*];
    };
}

cases! {
    tm0001_more_problems => "TM0001",
    tm0101_config_missing => "TM0101",
    tm0102_config_syntax => "TM0102",
    tm0103_config_unknown_key => "TM0103",
    tm0104_config_invalid_value => "TM0104",
    tm0105_config_unknown_theme => "TM0105",
    tm0106_config_unknown_highlight_theme => "TM0106",
    tm0201_front_matter_unclosed => "TM0201",
    tm0202_front_matter_syntax => "TM0202",
    tm0203_unclosed_delimiter => "TM0203",
    tm0204_front_matter_invalid_value => "TM0204",
    tm0205_front_matter_misspelt_key => "TM0205",
    tm0206_suspicious_duration => "TM0206",
    tm0207_key_has_no_effect => "TM0207",
    tm0208_undeclared_taxonomy => "TM0208",
    tm0209_front_matter_misplaced => "TM0209",
    tm0301_link_missing_page => "TM0301",
    tm0302_link_missing_anchor => "TM0302",
    tm0303_link_missing_file => "TM0303",
    tm0304_link_unresolved => "TM0304",
    tm0401_unbalanced_div => "TM0401",
    tm0402_unknown_div => "TM0402",
    tm0403_unknown_alert => "TM0403",
    tm0404_quiz => "TM0404",
    tm0405_unknown_shortcode => "TM0405",
    tm0406_shortcode_arguments => "TM0406",
    tm0407_duplicate_id => "TM0407",
    tm0408_block_attributes => "TM0408",
    tm0409_foreign_template_syntax => "TM0409",
    tm0450_math => "TM0450",
    tm0501_template_syntax => "TM0501",
    tm0502_template_render => "TM0502",
    tm0503_template_not_found => "TM0503",
    tm0505_template_output => "TM0505",
    tm0506_template_loop => "TM0506",
    tm0507_string_table => "TM0507",
    tm0601_duplicate_output => "TM0601",
    tm0602_unknown_milestone => "TM0602",
    tm0603_review_overdue => "TM0603",
    tm0604_permalink_needs_date => "TM0604",
    tm0605_term_collision => "TM0605",
    tm0606_reserved_name => "TM0606",
    tm0607_output_path => "TM0607",
    tm0701_not_utf8 => "TM0701",
    tm0702_symlink => "TM0702",
    tm0703_special_file => "TM0703",
    tm0705_file_too_large => "TM0705",
    tm0706_control_character => "TM0706",
    tm0801_cannot_write => "TM0801",
    tm0901_new_not_allowed => "TM0901",
}

/// Codes no fixture site can provoke, each with the test that pins its text instead. Their
/// docs/errors.md section must still show an example.
const NO_FIXTURE: &[(&str, &str)] = &[
    (
        "TM0002",
        "a fault in Trailmark itself; only reachable through a bug",
    ),
    (
        "TM0704",
        "unreadable files need a non-root user: hardening.rs chmods one to 000",
    ),
    (
        "TM0802",
        "a race with another process during the build; not reproducible on purpose",
    ),
    (
        "TM0803",
        "the search indexer failing; no content makes it fail",
    ),
];

#[test]
fn every_code_has_a_case_and_an_example_in_the_docs() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md"))
            .expect("docs/errors.md");
    let mut problems = Vec::new();
    for code in Code::ALL {
        let text = code.as_str();
        let no_fixture = NO_FIXTURE.iter().any(|(c, _)| *c == text);
        if !CASES.contains(&text) && !no_fixture {
            problems.push(format!("{text}: no case in codes.rs"));
        }
        if CASES.contains(&text) && no_fixture {
            problems.push(format!("{text}: has a case; remove it from NO_FIXTURE"));
        }
        let heading = format!("## {text} `{}`", code.name());
        let Some(at) = docs.find(&heading) else {
            problems.push(format!("{text}: no `{heading}` section in docs/errors.md"));
            continue;
        };
        let section = &docs[at + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        if no_fixture {
            if !section.contains(&format!(" [{text}]\n")) {
                problems.push(format!("{text}: the docs' section needs an example"));
            }
            continue;
        }
        let expected = std::fs::read_to_string(cases_dir().join(text).join("expected.txt"))
            .unwrap_or_default();
        let suffix = format!(" [{text}]");
        let first = expected
            .lines()
            .find(|line| line.ends_with(&suffix))
            .unwrap_or_default();
        if first.is_empty() || !section.contains(&format!("```text\n{first}\n")) {
            problems.push(format!(
                "{text}: the docs' example must start with the case's first line with the code:\n{first}"
            ));
        }
    }
    for case in CASES {
        if !Code::ALL.iter().any(|c| c.as_str() == *case) {
            problems.push(format!("{case}: a case for a code that does not exist"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
