//! Client-side full-text search: a Pagefind index of the site's searchable pages, in a few
//! shards; the only user of `pagefind`, and the build's only user of tokio (`serve` runs its
//! own runtime).
//!
//! - **Records.** The indexer is handed a small record of each page (its `<html lang>`,
//!   `<title>` and `data-pagefind-body` element, [`record`]), cut out of the rendered page,
//!   not the whole themed page: the same index, for less parsing.
//! - **Shards.** A site of more than [`shard_pages`] searchable pages is split into
//!   `ceil(pages / shard_pages)` shards, each page in the shard its URL hashes to (so an
//!   edit, an added or a removed page changes one shard; only a change in the number of
//!   shards moves pages), in the build's order within it. Each shard is a Pagefind bundle of
//!   its own, keyed by its records' URLs and keys ([`ShardJob::key`]); a record's key stands
//!   for the page's bytes (in a build, the job cache's key of its output), so a build knows
//!   which shards changed without reading a page, indexes only those (the caller decides
//!   how many at once: rayon stays in `build/`) and reads the unchanged pages of a shard
//!   only when that shard is indexed again. Shard 0 is written to `pagefind/` with
//!   Pagefind's scripts and wasm; shard N to `pagefind/shard-N/` with only its index files.
//!   With more than one shard, `pagefind/pagefind.js` is a small module of ours ([`loader`])
//!   that loads Pagefind's (renamed `pagefind-core.js`) and merges the other shards with
//!   Pagefind's `mergeIndex` on `init`, so any script using Pagefind's API (the theme's
//!   `search.js`) works unchanged.
//! - **Live** ([`live`]): `serve` indexes on a thread of its own after serving, coalescing
//!   bursts of edits, and re-indexes only changed shards.
//!
//! Each shard's bundle depends only on its records, in order, so a bundle is the same bytes
//! whatever the thread count and whichever way it was made.

pub mod live;
mod record;

use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

pub use record::searchable_document;

use crate::diagnostics::Diagnostic;
use crate::digest::{Digest, Hasher};
use crate::output::{OutputContent, OutputFile};

/// The folder of the site the bundle is written to; the theme loads `/pagefind/pagefind.js`.
pub const BUNDLE_FOLDER: &str = "pagefind";

/// Pages per shard. One shard costs Pagefind about 0.2 MB of memory a page while it is
/// built; each shard a query searches downloads its own metadata and one index chunk per
/// word, so few shards keep queries small: below this many searchable pages, a site has
/// one shard and exactly the bundle an unsharded index makes. Measured at 10,000 pages: 12
/// queries download 11% more than from one index in 4 shards of 2,500, 57% more in 8 of
/// 1,250 (which saved no memory).
pub const SHARD_PAGES: usize = 2_500;

/// [`SHARD_PAGES`], or `TRAILMARK_SEARCH_SHARD_PAGES` when set (tests split small sites).
pub fn shard_pages() -> usize {
    std::env::var("TRAILMARK_SEARCH_SHARD_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(SHARD_PAGES)
}

/// One page to index: its URL, a key for its bytes, and where the indexer finds what it
/// reads of it ([`searchable_document`]).
pub struct Record {
    /// Root-relative URL the result links to, with the base path (`/docs/handbook/tools/`).
    pub url: String,
    /// Where the page came from, for messages (`content/handbook/tools.md`).
    pub origin: String,
    /// Stands for the page's bytes: two records with the same URL and key index alike. A
    /// hash of the bytes ([`Record::of_page`]), or of what the build's job cache keys the
    /// output by ([`Record::of_rendered`], [`Record::stored`]), which no page is read for.
    pub key: Digest,
    document: Document,
}

/// Where a record's document is.
enum Document {
    /// The rendered page, shared with whoever holds the site (`serve`), and where the
    /// record's pieces are in it.
    Page(Arc<[u8]>, Option<record::Cut>),
    /// The record's document, cut out of a page the build has just rendered (the page's
    /// bytes are not kept).
    Cut(Vec<u8>),
    /// The page is the previous build's file at this output path, read only when its shard
    /// is indexed again.
    Stored(String),
}

/// Reads the previous build's file at an output path.
pub type ReadStored<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync);

impl Record {
    /// The record of a page held in memory, keyed by a hash of its bytes.
    pub fn of_page(url: String, origin: String, page: Arc<[u8]>) -> Self {
        let cut = record::cut(&page);
        Record {
            url,
            origin,
            key: Digest::of(&page),
            document: Document::Page(page, cut),
        }
    }

    /// The record of a page just rendered, keyed by `key` (which stands for its bytes); only
    /// its document is kept.
    pub fn of_rendered(url: String, origin: String, key: Digest, page: &[u8]) -> Self {
        Record {
            url,
            origin,
            key,
            document: Document::Cut(searchable_document(page)),
        }
    }

    /// The record of a page whose document ([`searchable_document`]) was cut when it was
    /// rendered, keyed by `key` (which stands for the page's bytes).
    pub fn of_document(url: String, origin: String, key: Digest, document: Vec<u8>) -> Self {
        Record {
            url,
            origin,
            key,
            document: Document::Cut(document),
        }
    }

    /// The record of a page the previous build wrote at `output_path` with the same bytes,
    /// keyed by `key`; the page is read only if its shard is indexed again.
    pub fn stored(url: String, origin: String, key: Digest, output_path: String) -> Self {
        Record {
            url,
            origin,
            key,
            document: Document::Stored(output_path),
        }
    }

    /// The document the indexer reads.
    fn document(&self, read: ReadStored<'_>) -> Result<std::borrow::Cow<'_, [u8]>, Diagnostic> {
        use std::borrow::Cow;
        match &self.document {
            Document::Page(page, cut) => Ok(Cow::Owned(record::document(page, cut.as_ref()))),
            Document::Cut(document) => Ok(Cow::Borrowed(document)),
            Document::Stored(path) => read(path)
                .map(|page| Cow::Owned(searchable_document(&page)))
                .ok_or_else(|| {
                    Diagnostic::error(
                        &self.origin,
                        0,
                        0,
                        format!("cannot index for search: cannot read `{path}` of the last build"),
                    )
                    .with_code(crate::diagnostics::Code::SearchIndex)
                }),
        }
    }
}

impl Clone for Record {
    /// A record of a page held in memory keeps sharing it; a cut document is copied.
    fn clone(&self) -> Self {
        let document = match &self.document {
            Document::Page(page, cut) => Document::Page(Arc::clone(page), cut.clone()),
            Document::Cut(document) => Document::Cut(document.clone()),
            Document::Stored(path) => Document::Stored(path.clone()),
        };
        Record {
            url: self.url.clone(),
            origin: self.origin.clone(),
            key: self.key,
            document,
        }
    }
}

/// One shard to index: its number, its records (in the build's order) and their key.
pub struct ShardJob {
    pub number: usize,
    pub records: Vec<Record>,
    /// A hash of the shard count, the shard's number and its records' URLs and keys, in
    /// order: two shards with the same key make the same files (the indexer's options are
    /// fixed here and its version is the binary's, which the build cache checks).
    pub key: Digest,
}

/// Which shard of `shards` a page belongs to: by a hash of its URL, so that a page stays in
/// its shard whatever is added, removed or edited elsewhere (only a change in the number of
/// shards moves pages), and an edit makes only its own shard stale.
fn shard_of(url: &str, shards: usize) -> usize {
    if shards < 2 {
        return 0;
    }
    let hash = Digest::of(url.as_bytes());
    let mut low = [0u8; 8];
    low.copy_from_slice(&hash.as_bytes()[..8]);
    // The remainder is below `shards`, so it fits.
    usize::try_from(u64::from_le_bytes(low) % shards as u64).unwrap_or(0)
}

/// The shards of `records` (in the build's order): `ceil(records / shard_pages)` shards,
/// each page in the one its URL hashes to, in the records' order within it. One empty
/// shard when there are no records (Pagefind still writes its scripts and an empty index,
/// which the search box loads).
pub fn plan(records: Vec<Record>) -> Vec<ShardJob> {
    let count = records.len().div_ceil(shard_pages()).max(1);
    let mut shards: Vec<Vec<Record>> = (0..count).map(|_| Vec::new()).collect();
    for record in records {
        let number = shard_of(&record.url, count);
        shards[number].push(record);
    }
    shards
        .into_iter()
        .enumerate()
        .map(|(number, records)| {
            let mut hasher = Hasher::new();
            hasher.update(&(count as u64).to_le_bytes());
            hasher.update(&(number as u64).to_le_bytes());
            for record in &records {
                hasher.update(&(record.url.len() as u64).to_le_bytes());
                hasher.update(record.url.as_bytes());
                hasher.update(record.key.as_bytes());
            }
            ShardJob {
                number,
                records,
                key: hasher.finalize(),
            }
        })
        .collect()
}

/// The files of one shard (under [`shard_folder`]), or why it could not be built.
pub type ShardFiles = Result<Vec<OutputFile>, Diagnostic>;

impl ShardJob {
    /// Indexes the shard's records, in order, reading those of stored pages with `read`;
    /// each record is dropped once indexed.
    pub fn index(self, read: ReadStored<'_>) -> ShardFiles {
        let mut indexer = Indexer::new()?;
        for record in self.records {
            let document = record.document(read)?;
            indexer.add(record.url.clone(), &document, &record.origin)?;
        }
        indexer.finish(self.number)
    }
}

/// Where shard `number` is written: `pagefind/` for the first, `pagefind/shard-N/` after.
pub fn shard_folder(number: usize) -> String {
    if number == 0 {
        format!("{BUNDLE_FOLDER}/")
    } else {
        format!("{BUNDLE_FOLDER}/shard-{number}/")
    }
}

/// The name Pagefind's own `pagefind.js` gets when the site has several shards.
const CORE_SCRIPT: &str = "pagefind-core.js";

/// The files that tie `shards` shards together: none for one shard; else our
/// `pagefind/pagefind.js`, which merges the shards on `init`. Shard 0's Pagefind script is
/// renamed by [`ShardJob::index`] only when [`plan`] made several shards, so the caller
/// passes the same count.
pub fn loader(shards: usize) -> Option<OutputFile> {
    if shards < 2 {
        return None;
    }
    let others: Vec<String> = (1..shards).map(|n| format!("\"shard-{n}/\"")).collect();
    let script = format!(
        "// Trailmark: this site's search index is in {shards} shards. Pagefind's own script is \
         {CORE_SCRIPT};\n// this module passes its API through and merges the other shards on init.\n\
         import * as pagefind from \"./{CORE_SCRIPT}\";\n\
         export * from \"./{CORE_SCRIPT}\";\n\
         const base = new URL(\"./\", import.meta.url).pathname;\n\
         const shards = [{}];\n\
         let chosen = {{}};\n\
         let merged = null;\n\
         function ready() {{\n\
         \x20 if (!merged) {{\n\
         \x20   merged = pagefind.init().then(() =>\n\
         \x20     Promise.all(shards.map((shard) => pagefind.mergeIndex(base + shard, chosen))));\n\
         \x20 }}\n\
         \x20 return merged;\n\
         }}\n\
         export async function options(o) {{\n\
         \x20 chosen = Object.assign({{}}, chosen, o);\n\
         \x20 return pagefind.options(Object.assign({{ basePath: base }}, chosen));\n\
         }}\n\
         export async function init() {{ await ready(); }}\n\
         export async function search(term, o) {{ await ready(); return pagefind.search(term, o); }}\n\
         export async function debouncedSearch(term, o, ms) {{ await ready(); return pagefind.debouncedSearch(term, o, ms); }}\n\
         export async function preload(term, o) {{ await ready(); return pagefind.preload(term, o); }}\n\
         export async function filters() {{ await ready(); return pagefind.filters(); }}\n",
        others.join(", ")
    );
    Some(OutputFile {
        output_path: format!("{BUNDLE_FOLDER}/pagefind.js"),
        content: OutputContent::Bytes(script.into_bytes()),
    })
}

/// Indexes `records` in one go, every shard in turn: the whole bundle, sorted by path.
/// (The build indexes shards in parallel and keeps unchanged ones; this is for callers that
/// have neither.)
pub fn build_index(records: Vec<Record>) -> ShardFiles {
    let shards = plan(records);
    let count = shards.len();
    let mut files = Vec::new();
    for shard in shards {
        files.extend(shard_files(shard.index(&|_| None)?, count));
    }
    files.extend(loader(count));
    files.sort_by(|a, b| a.output_path.cmp(&b.output_path));
    Ok(files)
}

/// A shard's files as written when the site has `shards` shards: with several, shard 0's
/// `pagefind.js` is Pagefind's script renamed ([`loader`] takes its place).
pub fn shard_files(files: Vec<OutputFile>, shards: usize) -> Vec<OutputFile> {
    if shards < 2 {
        return files;
    }
    let script = format!("{BUNDLE_FOLDER}/pagefind.js");
    files
        .into_iter()
        .map(|mut file| {
            if file.output_path == script {
                file.output_path = format!("{BUNDLE_FOLDER}/{CORE_SCRIPT}");
            }
            file
        })
        .collect()
}

/// One Pagefind index and the runtime its async API runs on.
struct Indexer {
    runtime: tokio::runtime::Runtime,
    index: PagefindIndex,
}

impl Indexer {
    fn new() -> Result<Self, Diagnostic> {
        // Pagefind's API is async but does its work on blocking threads; a current-thread
        // runtime is all it needs, and keeps tokio out of the rest of the build.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| fail("cannot start the search indexer", &e))?;
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let index = PagefindIndex::new(Some(options))
            .map_err(|e| fail("cannot set up the search index", &e))?;
        Ok(Self { runtime, index })
    }

    /// Indexes one page, given as its search record ([`searchable_document`]).
    fn add(&mut self, url: String, record: &[u8], origin: &str) -> Result<(), Diagnostic> {
        let html = String::from_utf8_lossy(record).into_owned();
        self.runtime
            .block_on(self.index.add_html_file(None, Some(url), html))
            .map(drop)
            .map_err(|e| {
                Diagnostic::error(origin, 0, 0, format!("cannot index for search: {e}"))
                    .with_code(crate::diagnostics::Code::SearchIndex)
            })
    }

    /// The bundle's files for shard `number`, sorted by path. Shards after the first keep
    /// only their index files: the client runs the first shard's scripts and wasm.
    fn finish(mut self, number: usize) -> ShardFiles {
        let files = self
            .runtime
            .block_on(self.index.get_files())
            .map_err(|e| fail("cannot build the search index", &e))?;
        let folder = shard_folder(number);
        let mut outputs: Vec<OutputFile> = files
            .into_iter()
            .filter(|file| {
                let name = file.filename.to_string_lossy();
                !is_unused_ui(&name) && (number == 0 || is_index_file(&name))
            })
            .map(|file| {
                let relative = file.filename.to_string_lossy().replace('\\', "/");
                OutputFile {
                    output_path: format!("{folder}{}", relative.trim_start_matches('/')),
                    content: OutputContent::Bytes(file.contents),
                }
            })
            .collect();
        outputs.sort_by(|a, b| a.output_path.cmp(&b.output_path));
        Ok(outputs)
    }
}

fn fail(what: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error("(search index)", 0, 0, format!("{what}: {error}"))
        .with_code(crate::diagnostics::Code::SearchIndex)
}

/// Pagefind's own UIs and highlighter: the default theme has its own small search box
/// (`search.js`) against the `pagefind.js` API, so these would only add weight to the site.
fn is_unused_ui(filename: &str) -> bool {
    [
        "pagefind-ui.",
        "pagefind-component-ui.",
        "pagefind-modular-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|prefix| filename.starts_with(prefix))
}

/// The files of a Pagefind bundle that describe its pages (what a merged shard needs), as
/// opposed to its scripts and wasm.
fn is_index_file(filename: &str) -> bool {
    filename == "pagefind-entry.json"
        || filename.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|folder| filename.trim_start_matches('/').starts_with(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title} · Site</title></head>\n<body><header id=\"top\"><a href=\"/\">Site</a><nav><ul><li><a href=\"/a/\">Other pages</a></li></ul></nav><input id=\"site-search-input\"></header>\n<div class=\"grid\"><main id=\"main\" data-pagefind-body data-pagefind-meta=\"section:Handbook › Tools\"><nav data-pagefind-ignore>Home › Handbook</nav><h1>{title}</h1>{body}<footer class=\"page-footer\" data-pagefind-ignore>Edit</footer></main><aside><ul><li><a href=\"#one\">One</a></li></ul></aside></div><footer id=\"end\">Built with Trailmark</footer><script src=\"/search.js\"></script></body></html>\n"
        )
    }

    fn bundle(pages: &[(String, String)], slim: bool) -> Vec<(String, Vec<u8>)> {
        let mut indexer = Indexer::new().unwrap();
        for (url, html) in pages {
            let document = if slim {
                searchable_document(html.as_bytes())
            } else {
                html.as_bytes().to_vec()
            };
            indexer.add(url.clone(), &document, "x.md").unwrap();
        }
        indexer
            .finish(0)
            .unwrap()
            .into_iter()
            .map(|f| match f.content {
                OutputContent::Bytes(bytes) => (f.output_path, bytes),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn records_index_exactly_as_the_whole_pages() {
        let pages: Vec<(String, String)> = [
            ("Laptops", "<p>Every new starter gets a laptop.</p><h2 id=\"returns\">Returns</h2><p>Return it on your last day.</p>"),
            ("Expenses", "<p>Claim travel within thirty days.</p><h2 id=\"meals\">Meals</h2><p>Meals are covered when travelling.</p><h3 id=\"alcohol\">Alcohol</h3><p>Not covered.</p>"),
            ("Holidays", "<p>Ask your lead two weeks ahead.</p><table><tr><td>Days</td><td>25</td></tr></table>"),
            // What the record leaves out: highlighting spans, links, inline tags, classes,
            // comments, ignored elements with nothing inside that reaches the index. (Block
            // elements Pagefind runs together are separated here as the record separates
            // them, [`record`], so that the whole page indexes alike.)
            ("Exporting", concat!(
                "<details class=\"toc-inline\" data-pagefind-ignore><summary>On this page</summary><ul><li><a href=\"#code\">Code</a></li></ul></details>",
                "<p>Run <code>export</code> with <a href=\"/docs/\" class=\"x\"><em>the</em> <strong>docs</strong></a> open<!-- note -->ed, then <kbd>Ctrl</kbd>+<kbd>S</kbd>.<br>Next line.</p>",
                "<h2 id=\"code\"><a class=\"anchor\" href=\"#code\">Code</a> <code>sample</code></h2>",
                "<div class=\"highlight\"><pre class=\"language-rust\" data-lang=\"rust\"><code><span class=\"k\">fn</span> <span class=\"nf\">main</span>() {\n    <span class=\"hll\"><span class=\"n\">println</span>!(<span class=\"s\">&quot;hi&quot;</span>);\n</span>}\n</code></pre></div>",
                "<table class=\"t\"><thead><tr><th style=\"text-align:left\">Day</th>\n<th>Count</th></tr></thead><tbody><tr><td><a href=\"/a/\">Monday</a></td><td><em>3</em></td></tr></tbody></table>",
                "<p><img src=\"/img/chart.png\" alt=\"A chart of replies\" width=\"10\" loading=\"lazy\"> <img src=\"/img/two.png\" alt=\"Second image\"/></p>",
                "<p>Footnote<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup> and <mark>marked <em>words</em></mark>.</p>",
                "<dl><dt>Term</dt>\n<dd><span class=\"x\">Definition</span></dd></dl><blockquote><p>Quoted <i>text</i>.</p></blockquote>",
                "<p class=\"meta\" data-pagefind-ignore><time datetime=\"2026-01-01\">1 January</time> · 2 min read</p>",
                "<nav class=\"prev-next\" data-pagefind-ignore><a href=\"/p/\" rel=\"prev\">Previous</a></nav>",
                "<h3 id=\"more\">More <span class=\"badge\">new</span></h3><p><span data-pagefind-ignore>hidden <em>bit</em></span> shown <span data-pagefind-filter=\"tag\" class=\"tag\">Tools</span></p>",
                "<ul class=\"tags\"><li><a href=\"/t/\">t</a></li></ul><svg class=\"i\"><path d=\"M0\"/></svg><p>予約<b>会議室</b>の申請</p>",
            )),
            // An ignored element that has something for the index keeps it.
            ("Ignored", "<nav data-pagefind-ignore><h2 id=\"kept\">Kept anchor</h2><img src=\"/x.png\" alt=\"x\"></nav><p>After <span data-pagefind-meta=\"image[src]\" src=\"/m.png\">it</span>.</p>"),
            // Markup the record does not vouch for: left as it was.
            ("Odd", "<p><a href=\"/\"><div>block in a link</div></a> and <EM>upper</EM> and <em>unclosed</p><p>next</p>"),
        ]
        .iter()
        .enumerate()
        .map(|(n, (title, body))| (format!("/handbook/{n}/"), page(title, body)))
        .collect();
        assert!(searchable_document(pages[0].1.as_bytes()).len() < pages[0].1.len());
        let exporting = String::from_utf8(searchable_document(pages[3].1.as_bytes())).unwrap();
        for gone in [
            "<span class=\"k\"",
            "class=\"highlight\"",
            "href=",
            "<em>the",
            "<kbd>",
            "<!--",
            "loading=",
            "Previous",
            "On this page",
        ] {
            assert!(!exporting.contains(gone), "{gone}: {exporting}");
        }
        assert_eq!(bundle(&pages, true), bundle(&pages, false));
    }

    #[test]
    fn a_shard_key_follows_its_records_only() {
        let record = |url: &str, text: &str| {
            Record::of_page(
                url.into(),
                "x.md".into(),
                page(text, "").into_bytes().into(),
            )
        };
        let records: Vec<Record> = (0..5).map(|n| record(&format!("/{n}/"), "a")).collect();
        let keys = |records: &[Record]| {
            plan(records.to_vec())
                .iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
        };
        let before = keys(&records);
        assert_eq!(before.len(), 1);
        let mut edited = records.clone();
        edited[3] = record("/3/", "b");
        assert_ne!(keys(&edited), before);
        assert_eq!(keys(&records), before);
    }
}
