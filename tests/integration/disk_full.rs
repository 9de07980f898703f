//! A full disk: the build names the file it could not write, exits 2 (a fatal problem, as
//! the README's exit codes say), and leaves the previous site byte for byte, or on a first
//! build nothing at all, with no staging folder behind.
//!
//! The disk is a tmpfs of 1 MiB mounted in a private mount namespace made by `unshare`: as
//! an unprivileged user through a user namespace (`--user --map-root-user`), or as root
//! (CI) with a plain mount namespace when user namespaces are off. The mount lives and dies
//! with the namespace, so nothing can stay mounted if a test fails half way. The tmpfs holds
//! the output folder's parent, since the staging folder is a sibling of the output. Every
//! build and every snapshot of the disk happens inside one namespace, run by a shell script;
//! the snapshots are copied out to the test's temp folder, where the test compares them.
//! Without either way to mount, the tests fail and say why: they never skip.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{BUILD_DATE, Run, Site};

const DISK_KIB: usize = 1024;

/// The one-page site that fits the disk (about 350 KiB with the theme's files and search).
fn small_site(title: &str) -> Site {
    let site = Site::new();
    site.write(
        "content/a.md",
        &format!("---\ntitle: {title}\n---\nHello.\n"),
    );
    site
}

/// A site whose `big/index.html` alone is larger than the whole disk.
fn big_site() -> Site {
    let site = small_site("A");
    let mut body = String::from("---\ntitle: Big\n---\n");
    for i in 0..5000 {
        write!(body, "Paragraph {i} of a long page. ").unwrap();
        body.push_str(&"Enough words in it to fill a small disk. ".repeat(6));
        body.push_str("\n\n");
    }
    site.write("content/big.md", &body);
    site
}

/// One thing the script does on the small disk.
enum Step<'a> {
    /// `trailmark build --root <site> --output disk/public`, from the work folder.
    Build(&'a Site),
    /// Copies the whole disk (output, staging leftovers and all) to `snapshots/<name>`.
    Snapshot(&'a str),
}

/// What happened on the disk: one [`Run`] per build, one tree per snapshot.
struct DiskRecord {
    runs: Vec<Run>,
    snapshots: BTreeMap<String, Tree>,
}

/// Every file and folder under a folder: relative path to bytes (`None` for a folder).
type Tree = BTreeMap<String, Option<Vec<u8>>>;

/// Ways to get a private mount namespace in which mounting a tmpfs is allowed, best first.
const MOUNT_NAMESPACES: [&[&str]; 2] = [
    &["unshare", "--user", "--map-root-user", "--mount"],
    &["unshare", "--mount"],
];

/// The first of [`MOUNT_NAMESPACES`] that can mount a tmpfs here; panics, with what each
/// attempt said, when none can.
fn mount_namespace(work: &Path) -> &'static [&'static str] {
    let probe = work.join("probe");
    std::fs::create_dir(&probe).unwrap();
    let mut failures = Vec::new();
    for prefix in MOUNT_NAMESPACES {
        let output = Command::new(prefix[0])
            .args(&prefix[1..])
            .args(["sh", "-c", "mount -t tmpfs -o size=64k probe \"$1\"", "sh"])
            .arg(&probe)
            .output();
        match output {
            Ok(o) if o.status.success() => return prefix,
            Ok(o) => failures.push(format!(
                "`{} sh -c 'mount -t tmpfs ...'` exited with {}: {}",
                prefix.join(" "),
                o.status,
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => failures.push(format!("`{}`: {e}", prefix.join(" "))),
        }
    }
    panic!(
        "the disk-full tests need to mount a small tmpfs in a private mount namespace, and \
         could not:\n{}\nRun them as root, or enable unprivileged user namespaces \
         (sysctl kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0).",
        failures.join("\n")
    );
}

/// Mounts a [`DISK_KIB`] tmpfs at `<work>/disk` in a private namespace and runs `steps`.
fn on_small_disk(steps: &[Step]) -> DiskRecord {
    let work = tempfile::tempdir().unwrap();
    let namespace = mount_namespace(work.path());
    for dir in ["disk", "logs", "snapshots"] {
        std::fs::create_dir(work.path().join(dir)).unwrap();
    }
    // Builds run from the work folder with a relative `--output`, so messages read
    // `disk/...` whatever the temp folder is called. Site roots come in as `$1`, `$2`, ...
    let mut script = format!(
        "set -eu\nmount -t tmpfs -o size={DISK_KIB}k trailmark-test-disk disk\n\
         [ \"$(stat -f -c %T disk)\" = tmpfs ]\n"
    );
    let mut roots: Vec<PathBuf> = Vec::new();
    for step in steps {
        match step {
            Step::Build(site) => {
                roots.push(site.root().to_path_buf());
                let n = roots.len();
                write!(
                    script,
                    "code=0\n\"$TRAILMARK\" build --root \"${n}\" --output disk/public \
                     --build-date {BUILD_DATE} >logs/{n}.out 2>logs/{n}.err || code=$?\n\
                     echo \"$code\" >logs/{n}.code\n"
                )
                .unwrap();
            }
            Step::Snapshot(name) => {
                write!(
                    script,
                    "mkdir snapshots/{name}\ncp -R disk/. snapshots/{name}/\n"
                )
                .unwrap();
            }
        }
    }
    let output = Command::new(namespace[0])
        .args(&namespace[1..])
        .args(["sh", "-c", &script, "sh"])
        .args(&roots)
        .current_dir(work.path())
        .env("TRAILMARK", env!("CARGO_BIN_EXE_trailmark"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run unshare");
    assert!(
        output.status.success(),
        "the script on the small disk failed ({}):\n{}\nscript:\n{script}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let runs = (1..=roots.len())
        .map(|n| {
            let logs = work.path().join("logs");
            Run {
                code: read(logs.join(format!("{n}.code"))).trim().parse().unwrap(),
                stdout: read(logs.join(format!("{n}.out"))),
                stderr: read(logs.join(format!("{n}.err"))),
            }
        })
        .collect();
    let snapshots = steps
        .iter()
        .filter_map(|step| match step {
            Step::Snapshot(name) => {
                let dir = work.path().join("snapshots").join(name);
                Some(((*name).to_string(), tree(&dir)))
            }
            Step::Build(_) => None,
        })
        .collect();
    DiskRecord { runs, snapshots }
}

fn tree(root: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, into: &mut Tree) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                into.insert(format!("{name}/"), None);
                walk(root, &path, into);
            } else {
                into.insert(name, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut into = Tree::new();
    walk(root, root, &mut into);
    into
}

/// The error a build that fills the disk must print, and nothing else: the file it could
/// not write, named where it would have been.
const DISK_FULL_STDERR: &str = "\
disk/public/big/index.html: error: cannot write: No space left on device (os error 28) [TM0801]
1 error, 0 warnings; nothing was written, the previous site is unchanged
";

/// The same on a first build: there is no previous site to speak of.
const DISK_FULL_FIRST_STDERR: &str = "\
disk/public/big/index.html: error: cannot write: No space left on device (os error 28) [TM0801]
1 error, 0 warnings; nothing was written
";

#[test]
fn a_full_disk_keeps_the_previous_site_byte_for_byte() {
    let small = small_site("Small");
    let big = big_site();
    let edited = small_site("Edited");
    let record = on_small_disk(&[
        Step::Build(&small),
        Step::Snapshot("before"),
        Step::Build(&big),
        Step::Snapshot("after"),
        Step::Build(&edited),
        Step::Snapshot("recovered"),
    ]);
    let [first, full, next] = &record.runs[..] else {
        panic!("three builds")
    };
    first.assert_ok();
    let before = &record.snapshots["before"];
    assert!(
        before.contains_key("public/a/index.html"),
        "the small site fits: {:?}",
        before.keys().collect::<Vec<_>>()
    );
    full.assert_code(2);
    assert_eq!(full.stderr, DISK_FULL_STDERR);
    // The same files with the same bytes, and nothing beside them: no staging folder.
    let after = &record.snapshots["after"];
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    assert!(after == before, "the previous site changed");
    // The failed build left no space taken: the next one fits and replaces the site.
    next.assert_ok();
    let recovered = &record.snapshots["recovered"];
    let page = recovered["public/a/index.html"].as_deref().unwrap();
    assert!(String::from_utf8_lossy(page).contains("Edited"));
    assert!(
        recovered.keys().all(|k| k.starts_with("public/")),
        "{:?}",
        recovered.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_full_disk_on_the_first_build_leaves_nothing_behind() {
    let big = big_site();
    let record = on_small_disk(&[Step::Build(&big), Step::Snapshot("after")]);
    let run = &record.runs[0];
    run.assert_code(2);
    assert_eq!(run.stderr, DISK_FULL_FIRST_STDERR);
    let after = &record.snapshots["after"];
    assert!(
        after.is_empty(),
        "a half-written output or staging folder remains: {:?}",
        after.keys().collect::<Vec<_>>()
    );
}
