//! Golden pages: a small fixture site built with the default theme, compared byte for byte
//! with files in `tests/golden/`. After an intended change to the theme or the Markdown
//! output, regenerate them with `UPDATE_GOLDEN=1 cargo test --test integration golden` and
//! review the diff like any other change.

use crate::harness::Site;

const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

fn fixture() -> Site {
    let site = Site::new();
    site.write(
        "trailmark.yaml",
        "title: Golden\nbase_url: https://example.org\nauthor:\n  name: Ada\nmenu:\n  - { name: Guide, url: /guide/ }\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Golden\ndescription: A fixture.\n---\nWelcome.\n",
    );
    site.write(
        "content/guide/_index.md",
        "---\ntitle: Guide\ndescription: How to.\n---\n",
    );
    site.write(
        "content/guide/01-start.md",
        "---\ntitle: Start & <finish>\ndescription: \"Quotes \\\" and <tags>\"\ndate: 2025-03-01\ntags: [Basics]\n---\n\
         Intro with *emphasis* and a [link](02-next.md#details).\n\n<!-- more -->\n\n## Steps\n\n1. One\n2. Two\n\n\
         ```rust\nfn main() { println!(\"hi\"); }\n```\n\n> [!TIP]\n> A tip.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    site.write(
        "content/guide/02-next.md",
        "---\ntitle: Next\n---\n## Details\n\nText[^1].\n\n[^1]: A note.\n",
    );
    site
}

fn compare(site: &Site, output_path: &str) {
    let actual = site.read(output_path);
    let golden_path = format!("{GOLDEN_DIR}/{}", output_path.replace('/', "__"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(GOLDEN_DIR).unwrap();
        std::fs::write(&golden_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden_path)
        .unwrap_or_else(|_| panic!("missing {golden_path}; run with UPDATE_GOLDEN=1 to create it"));
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .map_or(0, |i| i + 1);
        panic!(
            "{output_path} differs from {golden_path} at line {line}\n--- expected\n{}\n--- actual\n{}\n(UPDATE_GOLDEN=1 regenerates after an intended change)",
            expected.lines().nth(line.saturating_sub(1)).unwrap_or(""),
            actual.lines().nth(line.saturating_sub(1)).unwrap_or("")
        );
    }
}

#[test]
fn golden_pages_match() {
    let site = fixture();
    // Pages show when their file last changed: pin it, or the goldens would change daily.
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_hours(483_552);
    for entry in walkdir::WalkDir::new(site.root().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
    }
    site.build().assert_ok();
    for page in [
        "index.html",
        "guide/index.html",
        "guide/start/index.html",
        "atom.xml",
        "sitemap.xml",
        "tags/basics/index.html",
    ] {
        compare(&site, page);
    }
}
