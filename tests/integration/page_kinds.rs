//! Every page kind of the example site in headless Chromium, at a phone's and a desktop's
//! width, in light and dark: a screenshot compared with a committed reference, and an
//! axe-core audit that must find nothing.
//!
//! References live in `tests/screenshots/` (`<kind>-<width>-<scheme>.png`, the viewport only,
//! at a device pixel ratio of 1), with the major version of the Chromium that made them in
//! `tests/screenshots/CHROMIUM_VERSION`. A pixel differs when one of its channels is off by
//! more than [`CHANNEL_TOLERANCE`]; a screenshot fails when more than [`MAX_DIFFERING_SHARE`]
//! of its pixels differ, or its size changed. On failure the actual image and a diff image
//! (differing pixels red over a faded copy) are written to `target/tmp/screenshots/`.
//! `TRAILMARK_BLESS=1` rewrites the references and the version file, like every golden test.
//!
//! The site is built from a copy of `example-site/` whose files all carry one fixed
//! modification time, with a fixed build date, so "last updated" dates do not follow git.
//! Fonts come from the Debian packages `.ci/test` installs (`.ci/debian-packages.txt`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use crate::browser::{Browser, StaticServer};

/// The page kinds, shared with .ci/lighthouse.mjs: `(name, path)`.
fn page_kinds() -> Vec<(&'static str, &'static str)> {
    include_str!("../page-kinds.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .map(|(name, path)| (name, path.trim()))
        .collect()
}

/// axe-core violations not fixed yet, `(page kind, rule id)`, from
/// tests/axe-known-violations.txt (read at run time), at `width`. Each must still occur at the viewport
/// it was seen at, so the list can only shrink; anything else fails.
fn known_violations(width: u32) -> std::collections::BTreeSet<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/axe-known-violations.txt"
    );
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let pair = (words.next()?.to_string(), words.next()?.to_string());
            let widths: Vec<&str> = words.collect();
            let at_this_width = widths.is_empty() || widths.contains(&width.to_string().as_str());
            at_this_width.then_some(pair)
        })
        .collect()
}

/// A pixel differs when a channel is off by more than this (of 255).
const CHANNEL_TOLERANCE: u8 = 24;
/// A screenshot fails when more than this share of its pixels differ (0.2%).
const MAX_DIFFERING_SHARE: f64 = 0.002;

const REFERENCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots");
const FAILURE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/screenshots");
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/.ci/node_modules/axe-core/axe.min.js"
);

fn bless() -> bool {
    crate::harness::blessing()
}

/// The example site built once per test run, from a copy with fixed file times.
fn example_site() -> &'static Path {
    static PUBLIC: OnceLock<PathBuf> = OnceLock::new();
    PUBLIC.get_or_init(|| {
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-kinds");
        let _ = std::fs::remove_dir_all(&work);
        let source = work.join("site");
        // 2026-05-01T00:00:00Z
        let fixed = SystemTime::UNIX_EPOCH + Duration::from_secs(1_777_593_600);
        copy_tree(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/example-site")),
            &source,
            fixed,
        );
        let public = work.join("public");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"))
            .args([
                "build",
                "--no-cache",
                "--build-date",
                crate::harness::BUILD_DATE,
            ])
            .arg("--root")
            .arg(&source)
            .arg("--output")
            .arg(&public)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "example site failed to build:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        public
    })
}

fn copy_tree(from: &Path, to: &Path, time: SystemTime) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str == "public" || name_str.starts_with('.') {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target, time);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let file = std::fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(time).unwrap();
        }
    }
}

/// The major version of the Chromium the tests drive.
fn chromium_major() -> String {
    let out = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .expect("browser tests need Chromium: run .ci/test, which installs it");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
        .unwrap_or("unknown")
        .to_string()
}

/// Opens `path` and waits until the page, its fonts and the images in view are loaded.
fn open(browser: &Browser, server: &StaticServer, path: &str) {
    browser.goto(&server.url(path));
    browser.wait_until(
        "document.readyState === 'complete' && document.fonts.status === 'loaded' && \
         [...document.images].filter(i => i.getBoundingClientRect().top < innerHeight)\
         .every(i => i.complete)",
    );
    if path.contains("?q=") {
        browser.wait_until("!!document.querySelector('.site-search-results:not([hidden]) a')");
    }
    // No blinking caret in a focused search box.
    browser.run_script(
        "const s = document.createElement('style'); \
         s.textContent = '* { caret-color: transparent !important; }'; \
         document.head.appendChild(s);",
    );
}

/// axe-core's violations on the page, one line each.
fn axe_violations(browser: &Browser, axe_source: &str) -> Vec<String> {
    browser.run_script(axe_source);
    let result = browser.run_async_script(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ': '
             + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
           .catch(e => done(['axe failed: ' + e]));",
    );
    result
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe returned {result}")])
}

struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn decode(png_bytes: &[u8]) -> Result<Image, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "image too large".to_string())?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Indexed => return Err("unexpected indexed PNG".into()),
    };
    Ok(Image {
        width: info.width,
        height: info.height,
        rgba,
    })
}

/// PNG bytes of an image, compressed hard (references are committed).
fn encode(image: &Image) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let rgb: Vec<u8> = image
        .rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&rgb).unwrap();
    writer.finish().unwrap();
    out
}

/// Compares a screenshot with its reference; `Err` says how it differs and where the
/// actual and diff images were written.
fn compare(name: &str, actual: &Image) -> Result<(), String> {
    let reference_path = format!("{REFERENCE_DIR}/{name}.png");
    let reference = std::fs::read(&reference_path)
        .map_err(|e| format!("{reference_path}: {e} (TRAILMARK_BLESS=1 creates it)"))
        .and_then(|bytes| decode(&bytes).map_err(|e| format!("{reference_path}: {e}")))?;
    let write_failure = |diff: Option<&Image>| {
        std::fs::create_dir_all(FAILURE_DIR).unwrap();
        let actual_path = format!("{FAILURE_DIR}/{name}.actual.png");
        std::fs::write(&actual_path, encode(actual)).unwrap();
        if let Some(diff) = diff {
            std::fs::write(format!("{FAILURE_DIR}/{name}.diff.png"), encode(diff)).unwrap();
        }
        actual_path
    };
    if (reference.width, reference.height) != (actual.width, actual.height) {
        let path = write_failure(None);
        return Err(format!(
            "{name}: {}x{} px, the reference is {}x{} px; actual: {path}",
            actual.width, actual.height, reference.width, reference.height
        ));
    }
    let mut diff = Vec::with_capacity(actual.rgba.len());
    let mut differing = 0usize;
    for (a, r) in actual
        .rgba
        .chunks_exact(4)
        .zip(reference.rgba.chunks_exact(4))
    {
        if a.iter()
            .zip(r)
            .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        {
            differing += 1;
            diff.extend_from_slice(&[255, 0, 0, 255]);
        } else {
            // A faded copy of the actual pixel, so the red stands out.
            diff.extend(a[..3].iter().map(|&c| 191 + c / 4));
            diff.push(255);
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let share = differing as f64 / (actual.rgba.len() / 4) as f64;
    if share > MAX_DIFFERING_SHARE {
        let diff = Image {
            width: actual.width,
            height: actual.height,
            rgba: diff,
        };
        let path = write_failure(Some(&diff));
        return Err(format!(
            "{name}: {differing} pixels ({:.2}%) differ from {reference_path} by more than \
             {CHANNEL_TOLERANCE}/255 (at most {:.2}% may); actual: {path}, diff: {}",
            share * 100.0,
            MAX_DIFFERING_SHARE * 100.0,
            path.replace(".actual.png", ".diff.png")
        ));
    }
    Ok(())
}

/// Screenshots and audits every page kind at one viewport and colour scheme.
fn check_viewport(width: u32, height: u32, dark: bool) {
    let scheme = if dark { "dark" } else { "light" };
    let axe_source = std::fs::read_to_string(AXE).unwrap_or_else(|e| {
        panic!("{AXE}: {e}; run .ci/test, which installs the npm packages the tests need")
    });
    let version_path = format!("{REFERENCE_DIR}/CHROMIUM_VERSION");
    let major = chromium_major();
    if bless() {
        std::fs::create_dir_all(REFERENCE_DIR).unwrap();
        std::fs::write(&version_path, format!("{major}\n")).unwrap();
    } else {
        let recorded = std::fs::read_to_string(&version_path).unwrap_or_default();
        assert_eq!(
            recorded.trim(),
            major,
            "the reference screenshots were made with Chromium {} and this is Chromium {major}: \
             a new major version renders differently. Look at what changed with \
             TRAILMARK_BLESS=1 .ci/test --test integration page_kinds, then `git diff --stat \
             tests/screenshots`, and commit the new references if they look right",
            recorded.trim()
        );
    }
    let public = example_site();
    let server = StaticServer::start(public);
    let browser = Browser::start_viewport(width, height, dark);
    let mut problems = String::new();
    let known_all = known_violations(width);
    let mut known = known_all.clone();
    for (kind, path) in page_kinds() {
        let name = format!("{kind}-{width}-{scheme}");
        open(&browser, &server, path);
        let shot = decode(&browser.screenshot()).unwrap();
        if bless() {
            std::fs::write(format!("{REFERENCE_DIR}/{name}.png"), encode(&shot)).unwrap();
        } else if let Err(e) = compare(&name, &shot) {
            writeln!(problems, "screenshot {e}").unwrap();
        }
        for violation in axe_violations(&browser, &axe_source) {
            let rule = violation.split(' ').next().unwrap_or_default();
            if known.remove(&(kind.to_string(), rule.to_string())) {
                continue;
            }
            if !known_all.contains(&(kind.to_string(), rule.to_string())) {
                writeln!(problems, "axe {name} {path}: {violation}").unwrap();
            }
        }
    }
    for (kind, rule) in known {
        writeln!(
            problems,
            "axe: {kind} no longer violates {rule}: remove it from tests/axe-known-violations.txt"
        )
        .unwrap();
    }
    assert!(
        problems.is_empty(),
        "page kinds at {width} px, {scheme}:\n{problems}\
         (after an intended change to the theme, TRAILMARK_BLESS=1 rewrites the references)"
    );
}

#[test]
fn page_kinds_at_390_px_light() {
    check_viewport(390, 844, false);
}

#[test]
fn page_kinds_at_390_px_dark() {
    check_viewport(390, 844, true);
}

#[test]
fn page_kinds_at_1280_px_light() {
    check_viewport(1280, 800, false);
}

#[test]
fn page_kinds_at_1280_px_dark() {
    check_viewport(1280, 800, true);
}
