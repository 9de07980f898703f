//! Walking the site's folders and reading bytes; the only user of walkdir.
//!
//! Owns which files count (ignore rules: hidden files, editor backups, configured patterns),
//! symlink policy (links may not lead outside the site), and decoding text as UTF-8 with a
//! precise position on failure. It does not decide what a file *means*: sections, bundles
//! and pages are the graph's business.

pub mod history;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};

/// A file found under a walked folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    /// Path relative to the walked folder, `/`-separated (`courses/intro/01-why.md`).
    pub doc_id: String,
    pub source_path: PathBuf,
}

/// Everything under `content/`, sorted by `doc_id`.
#[derive(Debug, Clone, Default)]
pub struct ContentTree {
    pub markdown: Vec<SourceFile>,
    pub assets: Vec<SourceFile>,
    /// Every folder, as a content-relative path (`""` for `content/` itself).
    pub folders: Vec<String>,
}

impl ContentTree {
    /// The tree after the Markdown pages at `doc_ids` (content-relative, `/`-separated) were
    /// added or removed, as a walk of `content` would find it, when that is all the walk
    /// could find: each page in a folder the tree has, with names the walk keeps, a plain
    /// file or gone. `None` when only a walk can tell (a new folder, a link, an HTML page,
    /// a name that is also a folder).
    pub fn with_pages_changed(
        &self,
        content: &Path,
        doc_ids: &[&str],
        rules: &IgnoreRules,
    ) -> Option<ContentTree> {
        let mut tree = self.clone();
        for &doc_id in doc_ids {
            if !is_markdown(doc_id)
                || doc_id
                    .split('/')
                    .any(|name| name.is_empty() || rules.is_ignored(name))
            {
                return None;
            }
            let folder = doc_id.rsplit_once('/').map_or("", |(folder, _)| folder);
            if tree
                .folders
                .binary_search_by(|f| f.as_str().cmp(folder))
                .is_err()
                || tree
                    .folders
                    .binary_search_by(|f| f.as_str().cmp(doc_id))
                    .is_ok()
            {
                return None;
            }
            let mut source_path = content.to_path_buf();
            source_path.extend(doc_id.split('/'));
            let there = match std::fs::symlink_metadata(&source_path) {
                Ok(meta) if meta.file_type().is_file() => true,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
                _ => return None,
            };
            let at = tree
                .markdown
                .binary_search_by(|f| f.doc_id.as_str().cmp(doc_id));
            match (at, there) {
                (Err(at), true) => tree.markdown.insert(
                    at,
                    SourceFile {
                        doc_id: doc_id.to_string(),
                        source_path,
                    },
                ),
                (Ok(at), false) => {
                    tree.markdown.remove(at);
                }
                _ => {}
            }
        }
        Some(tree)
    }
}

/// Which names to skip while walking.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    patterns: Vec<String>,
}

impl IgnoreRules {
    pub fn new(patterns: &[String]) -> Self {
        Self {
            patterns: patterns.to_vec(),
        }
    }

    /// Hidden files, editor leftovers (`notes.md~`, `#notes.md#`, `.notes.md.swp`,
    /// `4913` probes are hidden or numeric temp names Vim deletes at once) and the
    /// configured patterns are skipped.
    pub fn is_ignored(&self, name: &str) -> bool {
        name.starts_with('.')
            || name.ends_with('~')
            || (name.starts_with('#') && name.ends_with('#'))
            || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig"]
                .iter()
                .any(|s| name.ends_with(s))
            || self.patterns.iter().any(|p| wildcard_match(p, name))
    }
}

/// `*` matches any run of characters, `?` one character; the rest must match exactly.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut star_ni) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            star_ni = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            star_ni += 1;
            ni = star_ni;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// How the caller spreads independent work over its threads: `source/` runs no threads of
/// its own (rayon is `build/`'s, DESIGN's module ownership), it hands the listing of
/// sibling folders to this.
pub trait Spread: Sync {
    /// Runs `work(0)`, ..., `work(len - 1)`, in any order on any thread, and returns when
    /// all are done.
    fn each(&self, len: usize, work: &(dyn Fn(usize) + Sync));
}

/// One after the other on the calling thread: for small folders (a theme's templates and
/// static files) and tests.
pub struct InOrder;

impl Spread for InOrder {
    fn each(&self, len: usize, work: &(dyn Fn(usize) + Sync)) {
        (0..len).for_each(work);
    }
}

/// Walks `dir` (a folder of the site at `site_root`), reporting problems against
/// `display_prefix` (`content`, `static`), listing sibling folders through `spread`. A
/// missing folder is empty, not an error. Files and folders come back sorted.
pub fn walk(
    site_root: &Path,
    dir: &Path,
    display_prefix: &str,
    rules: &IgnoreRules,
    spread: &dyn Spread,
) -> (Vec<SourceFile>, Vec<String>, Vec<Diagnostic>) {
    if !dir.is_dir() {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    // The folder itself, or a folder above it (`themes/x`, `themes/`), may be a link: where
    // it resolves decides, whatever the path says.
    if let Some(problem) = outside_the_site(site_root, dir, display_prefix) {
        return (Vec::new(), Vec::new(), vec![problem]);
    }
    if let Some((files, folders)) = list_in_parallel(dir, rules, spread) {
        let mut files: Vec<SourceFile> = files
            .into_iter()
            .map(|source_path| SourceFile {
                doc_id: relative_id(dir, &source_path),
                source_path,
            })
            .collect();
        let mut folders: Vec<String> = folders
            .iter()
            .map(|folder| relative_id(dir, folder))
            .collect();
        files.sort();
        folders.sort();
        return (files, folders, Vec::new());
    }
    walk_in_order(site_root, dir, display_prefix, rules)
}

/// An error when `path` resolves to somewhere outside the site at `site_root`.
pub fn outside_the_site(site_root: &Path, path: &Path, display: &str) -> Option<Diagnostic> {
    let root = site_root.canonicalize().ok()?;
    let target = path.canonicalize().ok()?;
    (!target.starts_with(&root)).then(|| {
        Diagnostic::error(
            display,
            0,
            0,
            format!(
                "symlink points outside the site (to {}); refusing to read it",
                target.display()
            ),
        )
        .with_code(crate::diagnostics::Code::Symlink)
    })
}

/// An error when `path` exists and is not a regular file (a FIFO, a socket, a device): such
/// a file is refused by its type before it is opened, since reading one can block forever.
pub fn refuse_special_file(path: &Path, display: &str) -> Option<Diagnostic> {
    let meta = std::fs::metadata(path).ok()?;
    (!meta.is_file() && !meta.is_dir()).then(|| {
        Diagnostic::error(
            display,
            0,
            0,
            format!(
                "not a regular file ({}); refusing to read it",
                describe_type(meta.file_type())
            ),
        )
        .with_code(crate::diagnostics::Code::SpecialFile)
    })
}

fn describe_type(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

/// How deep [`list_in_parallel`] goes before it leaves a folder to walkdir (which then
/// reports whatever stops it).
const MAX_PARALLEL_DEPTH: usize = 64;

/// Lists every file and folder under `dir` (itself included), listing subfolders in
/// parallel; `None` as soon as it meets anything but plain, readable files and folders
/// (a symbolic link, an unreadable folder, a tree deeper than [`MAX_PARALLEL_DEPTH`]),
/// which [`walk_in_order`] then handles with its checks and messages.
///
/// Why not walkdir alone: it lists one folder at a time, and when the folders are not in
/// the kernel's cache (a fresh checkout, a CI machine, a large site read a while ago) each
/// listing waits for the disk. On the 10,000-page benchmark site with its folders out of
/// the cache, walkdir's walk took 140-200 ms of a 3.5-4 s build.
fn list_in_parallel(
    dir: &Path,
    rules: &IgnoreRules,
    spread: &dyn Spread,
) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    if std::fs::symlink_metadata(dir)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let (files, mut folders) = list_below(dir, rules, 0, spread)?;
    folders.push(dir.to_path_buf());
    Some((files, folders))
}

/// The files and folders below a folder.
type Listing = (Vec<PathBuf>, Vec<PathBuf>);

/// [`list_in_parallel`] below `dir`, which is at `depth`: its files and folders, and
/// theirs.
fn list_below(
    dir: &Path,
    rules: &IgnoreRules,
    depth: usize,
    spread: &dyn Spread,
) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    if depth >= MAX_PARALLEL_DEPTH {
        return None;
    }
    let mut files = Vec::new();
    let mut subfolders = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if rules.is_ignored(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            return None;
        } else if kind.is_dir() {
            subfolders.push(entry.path());
        } else if kind.is_file() {
            files.push(entry.path());
        } else {
            // A named pipe, socket or device: reported by the walk in order.
            return None;
        }
    }
    let below: Vec<std::sync::OnceLock<Option<Listing>>> = subfolders
        .iter()
        .map(|_| std::sync::OnceLock::new())
        .collect();
    spread.each(subfolders.len(), &|i| {
        let _ = below[i].set(list_below(&subfolders[i], rules, depth + 1, spread));
    });
    let mut folders = subfolders;
    for listed in below {
        let (mut below_files, mut below_folders) = listed.into_inner().flatten()?;
        files.append(&mut below_files);
        folders.append(&mut below_folders);
    }
    Some((files, folders))
}

/// [`walk`] with walkdir, one folder at a time, checking where symbolic links lead and
/// reporting every folder it cannot read.
fn walk_in_order(
    site_root: &Path,
    dir: &Path,
    display_prefix: &str,
    rules: &IgnoreRules,
) -> (Vec<SourceFile>, Vec<String>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    let mut problems = Vec::new();
    let canonical_root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !rules.is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let where_ = error
                    .path()
                    .map(|p| display(dir, p, display_prefix))
                    .unwrap_or_else(|| display_prefix.to_string());
                let dangling = error.path().and_then(|p| {
                    let link = std::fs::symlink_metadata(p).ok()?;
                    (link.file_type().is_symlink() && std::fs::metadata(p).is_err())
                        .then(|| std::fs::read_link(p).ok())
                        .flatten()
                });
                let (code, message) = if error.loop_ancestor().is_some() {
                    (
                        Code::Symlink,
                        "symlink loop: this link points back to a folder that contains it"
                            .to_string(),
                    )
                } else if let Some(target) = dangling {
                    (
                        Code::Symlink,
                        format!(
                            "broken symlink: it points to {}, which does not exist",
                            target.display()
                        ),
                    )
                } else {
                    (
                        Code::CannotRead,
                        format!(
                            "cannot read: {}",
                            error
                                .io_error()
                                .map_or_else(|| error.to_string(), ToString::to_string)
                        ),
                    )
                };
                problems.push(Diagnostic::error(where_, 0, 0, message).with_code(code));
                continue;
            }
        };
        let rel = relative_id(dir, entry.path());
        if entry.path_is_symlink() {
            // A link may point anywhere inside the site; outside it would publish files the
            // author never meant to share.
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {}
                Ok(target) => {
                    problems.push(
                        Diagnostic::error(
                            display(dir, entry.path(), display_prefix),
                            0,
                            0,
                            format!(
                                "symlink points outside the site (to {}); refusing to read it",
                                target.display()
                            ),
                        )
                        .with_code(crate::diagnostics::Code::Symlink),
                    );
                    // Nor what is below it: one refusal, not one per file of `/etc`.
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    problems.push(
                        Diagnostic::error(
                            display(dir, entry.path(), display_prefix),
                            0,
                            0,
                            format!("broken symlink: {e}"),
                        )
                        .with_code(crate::diagnostics::Code::Symlink),
                    );
                    continue;
                }
            }
        }
        if entry.file_type().is_dir() {
            folders.push(rel);
        } else if entry.file_type().is_file() {
            files.push(SourceFile {
                doc_id: rel,
                source_path: entry.path().to_path_buf(),
            });
        } else if let Some(problem) =
            refuse_special_file(entry.path(), &display(dir, entry.path(), display_prefix))
        {
            problems.push(problem);
        }
    }
    files.sort();
    folders.sort();
    (files, folders, problems)
}

/// Whether a file is a Markdown document (`.md` or `.markdown`, any case): the one test
/// the walk, the graph, link checks and `serve`'s rebuilds share.
pub fn is_markdown(path: &str) -> bool {
    Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Walks `content/` and splits Markdown from other files.
pub fn walk_content(
    site_root: &Path,
    rules: &IgnoreRules,
    spread: &dyn Spread,
) -> (ContentTree, Vec<Diagnostic>) {
    let (files, folders, problems) = walk(
        site_root,
        &site_root.join("content"),
        "content",
        rules,
        spread,
    );
    let (markdown, assets) = files.into_iter().partition(|f| {
        is_markdown(&f.doc_id)
            || (crate::markdown::is_html_page_name(&f.doc_id)
                && starts_with_front_matter(&f.source_path))
    });
    (
        ContentTree {
            markdown,
            assets,
            folders,
        },
        problems,
    )
}

/// Whether a file opens with a front matter fence (`---` or `+++` alone on its first line):
/// an HTML file that does is a page, as Jekyll and Hugo read it; one that does not is
/// published as it is.
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut read = 0;
    let mut file = file.take(8);
    while let Ok(n) = file.read(&mut head[read..]) {
        if n == 0 {
            break;
        }
        read += n;
    }
    // A byte-order mark before the fence is front matter too, as it is for Markdown pages.
    let head = head[..read]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..read]);
    [&b"---\n"[..], b"---\r\n", b"+++\n", b"+++\r\n"]
        .iter()
        .any(|fence| head.starts_with(fence))
}

fn relative_id(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn display(base: &Path, path: &Path, prefix: &str) -> String {
    let rel = relative_id(base, path);
    if rel.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// Reads a file as UTF-8 text; a decoding error names the line and column of the first bad
/// byte. `file` is the site-relative name used in the message.
pub fn read_text(source_path: &Path, file: &str, max_bytes: u64) -> Result<String, Diagnostic> {
    read_text_and_time(source_path, file, max_bytes).map(|(text, _)| text)
}

/// [`read_text`], with the file's modification time (from the one `stat` that sizes the
/// buffer, as `std::fs::read` makes: a page's date falls back to it outside git).
///
/// A file larger than `max_bytes` is refused before it is read (and one that grows past it
/// while being read): parsing is the costly part, and a 2 GB page once aborted the process
/// on a failed allocation. A special file (a named pipe) is refused before it is opened.
pub fn read_text_and_time(
    source_path: &Path,
    file: &str,
    max_bytes: u64,
) -> Result<(String, Option<std::time::SystemTime>), Diagnostic> {
    use std::io::Read as _;
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(file, 0, 0, format!("cannot read file: {e}"))
            .with_code(crate::diagnostics::Code::CannotRead)
    };
    if let Some(problem) = refuse_special_file(source_path, file) {
        return Err(problem);
    }
    let too_large = |len: u64| {
        Diagnostic::error(
            file,
            0,
            0,
            format!(
                "file is {len} bytes; the limit for pages and templates is {} MiB (`limits: {{ file_size_mb: N }}` in trailmark.yaml)",
                max_bytes >> 20
            ),
        )
.with_code(crate::diagnostics::Code::FileTooLarge)
    };
    let opened = std::fs::File::open(source_path).map_err(cannot_read)?;
    let meta = opened.metadata().map_err(cannot_read)?;
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let mut opened = opened.take(max_bytes.saturating_add(1));
    // Read by hand into a buffer one byte larger than the file: `File::read_to_end` would
    // `stat` the file a second time, and without that size reads in 8 KB steps.
    let mut bytes = vec![0; usize::try_from(meta.len()).map_or(0, |len| len + 1)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize((filled * 2).max(4096), 0);
        }
        match opened.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot_read(e)),
        }
    }
    bytes.truncate(filled);
    if filled as u64 > max_bytes {
        return Err(too_large(filled as u64));
    }
    let text = utf8_text(bytes, file)?;
    Ok((text, meta.modified().ok()))
}

/// Whether `c` is a character no XML output may hold: outside XML 1.0's `Char`
/// production (C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF), or
/// one of the other Unicode non-characters (U+FDD0..U+FDEF and the last two code points of
/// every plane), which XML 1.0 tells authors to avoid and HTML treats as a parse error.
/// Surrogates cannot occur in a `char`.
pub fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
        || u32::from(c) & 0xFFFE == 0xFFFE
}

/// The warning's wording for a replaced character: C0 controls keep their old text.
fn replaced_message(c: char) -> String {
    if c < ' ' {
        format!(
            "control character U+{:04X} replaced with U+FFFD (XML and HTML forbid it)",
            u32::from(c)
        )
    } else {
        format!(
            "non-character U+{:04X} replaced with U+FFFD (XML and HTML forbid it)",
            u32::from(c)
        )
    }
}

/// Replaces every forbidden character ([`is_forbidden_control`]) with U+FFFD, with one
/// warning per line that had any, at the first one's line and column. Without this, an ANSI
/// colour code pasted into a code block (or a U+FFFF) made `atom.xml` unparseable.
pub fn replace_controls(text: String, file: &str) -> (String, Vec<Diagnostic>) {
    if !text.chars().any(is_forbidden_control) {
        return (text, Vec::new());
    }
    let mut problems = Vec::new();
    let mut out = String::with_capacity(text.len() + 8);
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let mut first = None;
        for (column, c) in line.chars().enumerate() {
            if is_forbidden_control(c) {
                first.get_or_insert((column + 1, c));
                out.push('\u{FFFD}');
            } else {
                out.push(c);
            }
        }
        if let Some((column, c)) = first {
            problems.push(
                Diagnostic::warning(file, index + 1, column, replaced_message(c))
                    .with_code(crate::diagnostics::Code::ControlCharacter),
            );
        }
    }
    (out, problems)
}

/// The same replacement on output bytes, silently: forbidden characters that reached a
/// rendered file some other way (a YAML `\e` or TOML `\uFFFF` escape, the config) still
/// never make a feed invalid. Text that is not UTF-8 gets only its C0 controls replaced
/// (those bytes are ASCII, so nothing valid becomes invalid).
pub fn scrub_controls(bytes: Vec<u8>) -> Vec<u8> {
    let forbidden = |b: u8| b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r');
    // Every non-character's UTF-8 form has a byte 0xB7 (U+FDD0..U+FDEF) or 0xBF followed by
    // 0xBE/0xBF; a quick test before decoding.
    let maybe_nonchar = bytes
        .windows(2)
        .any(|w| w[0] == 0xB7 || (w[0] == 0xBF && w[1] >= 0xBE));
    if maybe_nonchar
        && let Ok(text) = std::str::from_utf8(&bytes)
        && text.chars().any(is_forbidden_control)
    {
        return text
            .chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into_bytes();
    }
    if !bytes.iter().copied().any(forbidden) {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    for b in bytes {
        if forbidden(b) {
            out.extend_from_slice("\u{FFFD}".as_bytes());
        } else {
            out.push(b);
        }
    }
    out
}

fn utf8_text(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let (line, column) = crate::front_matter::line_col(&prefix, prefix.len());
        Diagnostic::error(
            file,
            line,
            column,
            format!("file is not valid UTF-8 (byte offset {valid}); save it as UTF-8"),
        )
        .with_code(crate::diagnostics::Code::NotUtf8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_xml_forbids_is_replaced() {
        for c in [
            '\u{0}',
            '\u{1b}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert!(is_forbidden_control(c), "U+{:04X}", u32::from(c));
            let text = format!("a{c}b");
            assert_eq!(
                scrub_controls(text.clone().into_bytes()),
                "a\u{FFFD}b".as_bytes()
            );
            let (out, problems) = replace_controls(text, "f.md");
            assert_eq!(out, "a\u{FFFD}b");
            assert_eq!(problems.len(), 1);
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{FDCF}',
            '\u{FDF0}',
            '\u{FFFD}',
            '\u{1F600}',
            '\u{E000}',
        ] {
            assert!(!is_forbidden_control(c), "U+{:04X}", u32::from(c));
        }
        assert_eq!(
            scrub_controls(b"\xff\x01".to_vec()),
            b"\xff\xef\xbf\xbd".to_vec()
        );
    }

    #[test]
    fn the_parallel_listing_finds_what_walkdir_finds() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join("content");
        for file in [
            "index.md",
            "blog/a.md",
            "blog/b.md~",
            "blog/.hidden.md",
            "blog/2024/c.md",
            "courses/intro/_index.md",
            "courses/intro/m1/01.md",
            "courses/intro/m1/diagram.png",
            "courses/intro/private/secret.md",
            "courses/.git/config",
            "empty/.keep",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        std::fs::create_dir_all(content.join("courses/intro/m2/empty")).unwrap();
        let rules = IgnoreRules::new(&["private".into()]);
        let parallel = walk(root.path(), &content, "content", &rules, &InOrder);
        assert!(list_in_parallel(&content, &rules, &InOrder).is_some());
        assert_eq!(
            parallel,
            walk_in_order(root.path(), &content, "content", &rules)
        );
        assert_eq!(parallel.0.len(), 6);
        assert!(parallel.1.contains(&"courses/intro/m2/empty".to_string()));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_leaves_the_walk_to_walkdir() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join("content");
        std::fs::create_dir_all(content.join("blog")).unwrap();
        std::fs::write(content.join("blog/a.md"), "x").unwrap();
        std::os::unix::fs::symlink(&content, content.join("blog/loop")).unwrap();
        let rules = IgnoreRules::default();
        assert!(list_in_parallel(&content, &rules, &InOrder).is_none());
        let (files, _, problems) = walk(root.path(), &content, "content", &rules, &InOrder);
        assert_eq!(files.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn ignore_rules() {
        let rules = IgnoreRules::new(&["*.draft.md".into(), "private".into()]);
        for name in [
            ".git",
            "notes.md~",
            "#notes.md#",
            ".x.md.swp",
            "a.draft.md",
            "private",
            "x.bak",
        ] {
            assert!(rules.is_ignored(name), "{name}");
        }
        for name in ["_index.md", "notes.md", "privately.md", "draft.md"] {
            assert!(!rules.is_ignored(name), "{name}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.md", "a.md"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("*.md", "a.mdx"));
        assert!(wildcard_match("*", ""));
    }
}
