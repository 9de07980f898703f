//! What the indexer reads of a page: a small HTML document with only what Pagefind takes
//! from the themed page, instead of the whole page (header, sidebar, footer and all).
//!
//! Pagefind reads, of a page with a `data-pagefind-body` element: the `<html lang>` (which
//! index the page goes to), the body element's content and attributes (words, headings and
//! their ids for sub-results, `data-pagefind-meta`/`-filter`/`-ignore` inside it), the first
//! `<h1>` of the page (its title) and, failing that, `<title>`. The record keeps exactly
//! those: `<html …>` as the theme wrote it, `<title>`, and the body element verbatim, so the
//! index made from records is the index made from the pages (a test compares the bundles).
//! A page this reading cannot vouch for (no body element, more than one, Pagefind
//! attributes or an `<h1>` outside it, a body element that does not close) is indexed
//! whole, as before.

use std::ops::Range;

use memchr::memmem;

const BODY_MARK: &[u8] = b"data-pagefind-body";

/// The document to index for a rendered page: the slim record when the page has the shape
/// described above, else the page itself.
pub fn searchable_document(page: &[u8]) -> Vec<u8> {
    document(page, cut(page).as_ref())
}

/// Where the record's pieces are in a page: its `<html …>` tag, `<title>…</title>` and body
/// element. Kept instead of the record, whose bytes are the page's.
#[derive(Clone, Debug)]
pub(super) struct Cut {
    html: Range<usize>,
    title: Option<Range<usize>>,
    body: Range<usize>,
}

/// The record's bytes: the slim document for a page with a [`Cut`] (its body element with a
/// space after each block element Pagefind would run into the next, [`spaced`]), else the
/// page itself.
pub(super) fn document(page: &[u8], cut: Option<&Cut>) -> Vec<u8> {
    let Some(cut) = cut else {
        return page.to_vec();
    };
    let title = cut.title.clone().map_or(&[][..], |t| &page[t]);
    let body = &page[cut.body.clone()];
    let mut document = Vec::with_capacity(body.len() + 256);
    for part in [
        b"<!DOCTYPE html>\n",
        &page[cut.html.clone()],
        b"<head>",
        title,
        b"</head><body>",
    ] {
        document.extend_from_slice(part);
    }
    spaced(body, &mut document);
    document.extend_from_slice(b"</body></html>\n");
    document
}

/// Block elements whose end Pagefind does not mark (it adds a space only after `p`, `li`,
/// `td`, `div`, headings and a few more), so that `<th>Day</th><th>Count</th>` would be
/// the word `DayCount` and a `<dt>` would run into its `<dd>`.
const UNMARKED_BLOCKS: &[&[u8]] = &[
    b"address",
    b"aside",
    b"blockquote",
    b"caption",
    b"dd",
    b"details",
    b"dl",
    b"dt",
    b"figcaption",
    b"figure",
    b"header",
    b"ol",
    b"pre",
    b"summary",
    b"table",
    b"tbody",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
];

/// `body` with a space after each closing tag of an [`UNMARKED_BLOCKS`] element. (The body
/// element has no raw text, [`closing_tag`] checks, so every `</` is a tag.)
fn spaced(body: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while let Some(offset) = memmem::find(&body[at..], b"</") {
        let lt = at + offset;
        let end = match tag_name(&body[lt + 2..]) {
            Some(name) if UNMARKED_BLOCKS.contains(&name) => tag_end(body, lt),
            _ => None,
        };
        if let Some(end) = end {
            out.extend_from_slice(&body[at..end]);
            out.push(b' ');
            at = end;
        } else {
            out.extend_from_slice(&body[at..lt + 2]);
            at = lt + 2;
        }
    }
    out.extend_from_slice(&body[at..]);
}

/// Where the record's pieces are in `page`, or `None` when the page is indexed whole.
pub(super) fn cut(page: &[u8]) -> Option<Cut> {
    let mark = memmem::find(page, BODY_MARK)?;
    if memmem::find(&page[mark + 1..], BODY_MARK).is_some() {
        return None;
    }
    let body_start = memchr::memrchr(b'<', &page[..mark])?;
    let name = tag_name(&page[body_start + 1..])?;
    let open_end = tag_end(page, body_start)?;
    if open_end <= mark {
        return None;
    }
    let body_end = closing_tag(page, open_end, name)?;
    let (before, after) = (&page[..body_start], &page[body_end..]);
    // Anything Pagefind would take from outside the body element keeps the whole page.
    for outside in [before, after] {
        if memmem::find(outside, b"data-pagefind-").is_some()
            || memmem::find(outside, b"<h1").is_some()
        {
            return None;
        }
    }
    let html_start = memmem::find(before, b"<html")?;
    let html = html_start..tag_end(before, html_start)?;
    let title = memmem::find(before, b"<title").and_then(|start| {
        let end = memmem::find(&before[start..], b"</title>")? + start + b"</title>".len();
        Some(start..end)
    });
    Some(Cut {
        html,
        title,
        body: body_start..body_end,
    })
}

/// The element name at the start of `rest` (just after `<`), lowercase ASCII letters and
/// digits only.
fn tag_name(rest: &[u8]) -> Option<&[u8]> {
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        .count();
    let next = *rest.get(len)?;
    (len > 0 && (next.is_ascii_whitespace() || next == b'>' || next == b'/')).then(|| &rest[..len])
}

/// The position just after the `>` that ends the tag starting at `start`, skipping quoted
/// attribute values.
fn tag_end(html: &[u8], start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in html.iter().enumerate().skip(start) {
        match quote {
            Some(q) if b == q => quote = None,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The position just after the `</name>` that closes an element opened before `from`,
/// counting elements of the same name opened inside it; `None` inside raw text (a
/// `<script>` or `<style>` in the body could hide a closing tag) or when it never closes.
fn closing_tag(html: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &html[at..]) {
        let lt = at + offset;
        let rest = &html[lt + 1..];
        if let Some(closing) = rest.strip_prefix(b"/") {
            if tag_name(closing) == Some(name) {
                depth -= 1;
                if depth == 0 {
                    let end = tag_end(html, lt)?;
                    let inside = &html[from..lt];
                    let raw_text = memmem::find(inside, b"<script").is_some()
                        || memmem::find(inside, b"<style").is_some();
                    return (!raw_text).then_some(end);
                }
            }
        } else if tag_name(rest) == Some(name) {
            depth += 1;
        }
        at = lt + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Laptops · Site</title></head>\n<body><header><a href=\"/\" id=\"top\">Site</a><nav><ul><li>One</li></ul></nav></header>\n<main id=\"main\" data-pagefind-body data-pagefind-meta=\"section:Handbook › Tools\"><h1>Laptops</h1><p>Every starter gets a laptop.</p><nav data-pagefind-ignore>crumbs</nav></main><aside>toc</aside><footer>f</footer></body></html>\n";

    #[test]
    fn keeps_the_html_tag_the_title_and_the_body_element() {
        let record = String::from_utf8(searchable_document(PAGE.as_bytes())).unwrap();
        assert_eq!(
            record,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Laptops · Site</title></head><body><main id=\"main\" data-pagefind-body data-pagefind-meta=\"section:Handbook › Tools\"><h1>Laptops</h1><p>Every starter gets a laptop.</p><nav data-pagefind-ignore>crumbs</nav></main></body></html>\n"
        );
    }

    #[test]
    fn pages_it_cannot_vouch_for_are_indexed_whole() {
        for page in [
            // No body element.
            PAGE.replace(" data-pagefind-body", ""),
            // Two.
            PAGE.replace("<aside>", "<aside data-pagefind-body>"),
            // Pagefind attributes outside it.
            PAGE.replace("<footer>", "<footer data-pagefind-meta=\"x\">"),
            // A first heading outside it.
            PAGE.replace("<header>", "<header><h1>Site</h1>"),
            // Never closed.
            PAGE.replace("</main>", ""),
            // Raw text inside it.
            PAGE.replace("<p>Every", "<script>x</script><p>Every"),
        ] {
            assert_eq!(searchable_document(page.as_bytes()), page.as_bytes());
        }
    }

    #[test]
    fn block_elements_pagefind_runs_together_are_spaced() {
        let page = PAGE.replace(
            "<p>Every starter gets a laptop.</p>",
            "<table><tr><th>Day</th><th>Count</th></tr></table><dl><dt>Dock</dt><dd>One</dd></dl><p>a<em>b</em></p>",
        );
        let record = String::from_utf8(searchable_document(page.as_bytes())).unwrap();
        assert!(
            record.contains(
                "<table><tr><th>Day</th> <th>Count</th> </tr> </table> <dl><dt>Dock</dt> <dd>One</dd> </dl> <p>a<em>b</em></p>"
            ),
            "{record}"
        );
    }

    #[test]
    fn nested_elements_of_the_same_name_are_counted() {
        let page = "<html lang=\"fr\"><body><div data-pagefind-body><div>a</div><p>b</p></div><div>c</div></body></html>";
        let record = String::from_utf8(searchable_document(page.as_bytes())).unwrap();
        assert!(
            record.ends_with(
                "<body><div data-pagefind-body><div>a</div><p>b</p></div></body></html>\n"
            )
        );
    }
}
