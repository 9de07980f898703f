//! Client-side full-text search: a Pagefind index built from pages already rendered in
//! memory; the only user of `pagefind`, and the build's only user of tokio (`serve` runs its
//! own runtime).
//!
//! Pagefind splits the index into chunks and fragments so that the browser downloads only
//! the parts a query needs, whatever the size of the site; its `extended` feature segments
//! Chinese and Japanese into words (by the page's `<html lang>`). The build hands over the
//! HTML of every page that may be found (never drafts, never `search: false`) in a fixed
//! order, and gets back the bundle (`pagefind/…`: index chunks, fragments, wasm,
//! `pagefind.js`) to write with the rest of the site: all at once after rendering
//! ([`build_index`]), or page by page while the site renders ([`BackgroundIndex`]), with
//! the same bytes either way. Pagefind reads what a template marks with
//! `data-pagefind-body`, `data-pagefind-meta` and `data-pagefind-ignore`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

mod record;

pub use record::searchable_document;

use crate::diagnostics::Diagnostic;
use crate::digest::{Digest, Hasher};
use crate::output::{OutputContent, OutputFile};

/// The folder of the site the bundle is written to; the theme loads `/pagefind/pagefind.js`.
pub const BUNDLE_FOLDER: &str = "pagefind";

/// One rendered page to index.
pub struct SearchPage<'a> {
    /// Root-relative URL the result links to, with the base path (`/docs/handbook/tools/`).
    pub url: String,
    pub html: &'a [u8],
    /// Where the page came from, for messages (`content/handbook/tools.md`).
    pub origin: &'a str,
}

/// What the bundle for `pages` is made from: every page's URL and a hash of its HTML, in
/// order. Two builds with the same key make the same bundle (the indexer's options are
/// fixed here and its version is the binary's, which the build cache checks), so a build
/// whose key matches the last one keeps that bundle instead of indexing again.
pub fn bundle_key(pages: &[SearchPage<'_>]) -> Digest {
    use rayon::prelude::*;
    let page_hashes: Vec<Digest> = pages.par_iter().map(|p| Digest::of(p.html)).collect();
    let mut hasher = Hasher::new();
    for (page, hash) in pages.iter().zip(&page_hashes) {
        hasher.update(&(page.url.len() as u64).to_le_bytes());
        hasher.update(page.url.as_bytes());
        hasher.update(hash.as_bytes());
    }
    hasher.finalize()
}

/// The files of a search bundle (under [`BUNDLE_FOLDER`]), or why it could not be built.
pub type Bundle = Result<Vec<OutputFile>, Diagnostic>;

/// Builds the search bundle for `pages` (indexed in the order given, so the bundle is the
/// same bytes whatever the thread count).
pub fn build_index(pages: &[SearchPage<'_>]) -> Bundle {
    let mut indexer = Indexer::new()?;
    for page in pages {
        indexer.add(
            page.url.clone(),
            &searchable_document(page.html),
            page.origin,
        )?;
    }
    indexer.finish()
}

/// A page that will be indexed once it is rendered ([`BackgroundIndex`]).
pub struct PageToIndex {
    /// As [`SearchPage::url`].
    pub url: String,
    /// As [`SearchPage::origin`].
    pub origin: String,
}

/// A search index built on a thread of its own from pages handed over while the rest of
/// the site is still being rendered.
///
/// Pagefind indexes one page at a time under its own lock, so indexing is a long serial
/// step: started only after the last page was rendered, it left the other cores idle for
/// most of a build with search on. Pages may arrive in any order, from any thread; they are
/// indexed in the order of `pages` given to [`BackgroundIndex::start`], so the bundle is the
/// same bytes as [`build_index`] makes from the same pages.
pub struct BackgroundIndex {
    sender: Option<mpsc::Sender<(usize, Arc<[u8]>)>>,
    abandoned: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Option<Bundle>>>,
}

impl BackgroundIndex {
    /// Starts the indexing thread for `pages`, which [`BackgroundIndex::add`] then names by
    /// their position in it. `None` when no thread can be started (the caller indexes the
    /// pages itself afterwards).
    pub fn start(pages: Vec<PageToIndex>) -> Option<Self> {
        let (sender, receiver) = mpsc::channel::<(usize, Arc<[u8]>)>();
        let abandoned = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&abandoned);
        let thread = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || index_in_order(&pages, &receiver, &stop))
            .ok()?;
        Some(Self {
            sender: Some(sender),
            abandoned,
            thread: Some(thread),
        })
    }

    /// Hands over the rendered HTML of the page at `position` in the list given to
    /// [`BackgroundIndex::start`].
    pub fn add(&self, position: usize, html: &[u8]) {
        if let Some(sender) = &self.sender {
            // The record is cut out here, on the rendering thread that calls, not on the
            // indexing thread. The thread only hangs up after an error, which `finish`
            // reports.
            let _ = sender.send((position, searchable_document(html).into()));
        }
    }

    /// Waits for the bundle. `None` when some page was never handed over (or the thread
    /// failed): the caller then indexes the pages itself with [`build_index`].
    pub fn finish(mut self) -> Option<Bundle> {
        self.sender = None;
        self.thread.take()?.join().ok().flatten()
    }
}

impl Drop for BackgroundIndex {
    /// Abandoned (the build failed): the thread stops at its next page and nobody waits.
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.abandoned.store(true, Ordering::Relaxed);
        }
    }
}

/// The indexing thread: indexes `pages` in order as their HTML arrives. `None` when the
/// sender hung up before every page arrived, or the index was abandoned.
fn index_in_order(
    pages: &[PageToIndex],
    receiver: &mpsc::Receiver<(usize, Arc<[u8]>)>,
    abandoned: &AtomicBool,
) -> Option<Bundle> {
    let mut indexer = match Indexer::new() {
        Ok(indexer) => indexer,
        Err(d) => return Some(Err(d)),
    };
    // Pages that arrived before one listed ahead of them (rayon starts its second thread
    // halfway down the plan). They share their bytes with the render results, which keep
    // them until the build ends anyway.
    let mut waiting: Vec<Option<Arc<[u8]>>> = vec![None; pages.len()];
    let mut next = 0;
    while next < pages.len() {
        let Some(html) = waiting[next].take() else {
            let (position, html) = receiver.recv().ok()?;
            if let Some(slot) = waiting.get_mut(position) {
                *slot = Some(html);
            }
            continue;
        };
        if abandoned.load(Ordering::Relaxed) {
            return None;
        }
        let page = &pages[next];
        if let Err(d) = indexer.add(page.url.clone(), &html, &page.origin) {
            return Some(Err(d));
        }
        next += 1;
    }
    Some(indexer.finish())
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
            .map_err(|e| Diagnostic::error(origin, 0, 0, format!("cannot index for search: {e}")))
    }

    /// The bundle's files, sorted by path.
    fn finish(mut self) -> Bundle {
        let files = self
            .runtime
            .block_on(self.index.get_files())
            .map_err(|e| fail("cannot build the search index", &e))?;
        let mut outputs: Vec<OutputFile> = files
            .into_iter()
            .filter(|file| !is_unused_ui(&file.filename.to_string_lossy()))
            .map(|file| {
                let relative = file.filename.to_string_lossy().replace('\\', "/");
                OutputFile {
                    output_path: format!("{BUNDLE_FOLDER}/{}", relative.trim_start_matches('/')),
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
            .finish()
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
        ]
        .iter()
        .enumerate()
        .map(|(n, (title, body))| (format!("/handbook/{n}/"), page(title, body)))
        .collect();
        assert!(searchable_document(pages[0].1.as_bytes()).len() < pages[0].1.len());
        assert_eq!(bundle(&pages, true), bundle(&pages, false));
    }
}
