//! Client-side full-text search: a Pagefind index built from pages already rendered in
//! memory; the only user of `pagefind` and of tokio in the library.
//!
//! Pagefind splits the index into chunks and fragments so that the browser downloads only
//! the parts a query needs, whatever the size of the site; its `extended` feature segments
//! Chinese and Japanese into words (by the page's `<html lang>`). The build hands over the
//! HTML of every page that may be found (never drafts, never `search: false`) in a fixed
//! order, and gets back the bundle (`pagefind/…`: index chunks, fragments, wasm,
//! `pagefind.js`) to write with the rest of the site. Pagefind reads what a template marks
//! with `data-pagefind-body`, `data-pagefind-meta` and `data-pagefind-ignore`.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

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

/// Builds the search bundle for `pages` (indexed in the order given, so the bundle is the
/// same bytes whatever the thread count).
pub fn build_index(pages: &[SearchPage<'_>]) -> Result<Vec<OutputFile>, Diagnostic> {
    let fail = |what: &str, error: &dyn std::fmt::Display| {
        Diagnostic::error("(search index)", 0, 0, format!("{what}: {error}"))
    };
    // Pagefind's API is async but does its work on blocking threads; a current-thread
    // runtime is all it needs, and keeps tokio out of the rest of the build.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("cannot start the search indexer", &e))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let mut index = PagefindIndex::new(Some(options))
            .map_err(|e| fail("cannot set up the search index", &e))?;
        for page in pages {
            let html = String::from_utf8_lossy(page.html).into_owned();
            index
                .add_html_file(None, Some(page.url.clone()), html)
                .await
                .map_err(|e| {
                    Diagnostic::error(page.origin, 0, 0, format!("cannot index for search: {e}"))
                })?;
        }
        let files = index
            .get_files()
            .await
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
    })
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
