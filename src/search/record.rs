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
    slim(body, &mut document);
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

/// Inline elements Pagefind only takes the text of: without an id or a `data-pagefind-*`
/// attribute, such an element adds nothing but its text to the page, the element around it
/// or the sub-result it is in (Pagefind's `INLINE_SELECTORS`, less `br`, `img`, `label`,
/// form fields and the like, which it treats apart). The record leaves their tags out:
/// a highlighted code block is one text, not a `<span>` a token.
const TEXT_ONLY_INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"acronym", b"b", b"bdo", b"big", b"cite", b"code", b"dfn", b"em", b"i", b"kbd",
    b"q", b"samp", b"small", b"span", b"strong", b"sub", b"sup", b"time", b"tt", b"var",
];

/// Elements Pagefind leaves out of the index whatever their attributes (its
/// `REMOVE_SELECTORS`); with `data-pagefind-ignore`, their contents are not indexed.
const IGNORED_ELEMENTS: &[&[u8]] = &[
    b"head",
    b"style",
    b"script",
    b"noscript",
    b"label",
    b"form",
    b"svg",
    b"footer",
    b"nav",
    b"iframe",
    b"template",
];

/// Elements with no end tag.
const VOID_ELEMENTS: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// The body element with only the markup Pagefind reads, and a space after each block
/// element it would run into the next ([`UNMARKED_BLOCKS`]). Pagefind hands every element
/// to a handler that reads its attributes and keeps a node for it, so markup it does not
/// use is most of its parsing: the record keeps every text byte in order and every
/// element that means something to Pagefind, and leaves out
/// - the tags of [`TEXT_ONLY_INLINE`] elements without an id or `data-pagefind-*`
///   attribute (their text stays where it was);
/// - attributes other than `id`, `data-pagefind-*` and an image's `src` and `alt` (an
///   element with a `data-pagefind-*` attribute keeps all of its own: its meta and filters
///   may name them);
/// - comments;
/// - elements whose contents Pagefind ignores (`data-pagefind-ignore`, `nav`, `footer`,
///   ...), whole, when nothing inside could reach the index (no id, no `data-pagefind-*`,
///   no `h1`, `img` or `title`) and their tags balance.
///
/// Markup it cannot vouch for (an inline element that does not close where it opened, an
/// unclosed comment, upper-case tags) leaves the body as [`spaced`] makes it. Tests check
/// that records index exactly as the whole pages.
fn slim(body: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    if slim_body(body, out).is_none() {
        out.truncate(start);
        spaced(body, out);
    }
}

fn slim_body(body: &[u8], out: &mut Vec<u8>) -> Option<()> {
    // The body element's own tags stay as they are.
    let open_end = tag_end(body, 0)?;
    let close_start = memchr::memrchr(b'<', body)?;
    let inner = body.get(open_end..close_start)?;
    out.extend_from_slice(&body[..open_end]);
    // Open text-only inline elements: name, and whether its tags are kept.
    let mut inline: Vec<(&[u8], bool)> = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &inner[at..]) {
        let lt = at + offset;
        out.extend_from_slice(&inner[at..lt]);
        let rest = &inner[lt + 1..];
        match Markup::at(rest) {
            Markup::Text => {
                out.push(b'<');
                at = lt + 1;
            }
            Markup::Unknown => return None,
            Markup::Comment => {
                at = lt + 4 + memmem::find(&inner[lt + 4..], b"-->")? + 3;
            }
            Markup::Declaration => {
                let end = tag_end(inner, lt)?;
                out.extend_from_slice(&inner[lt..end]);
                at = end;
            }
            Markup::Close(name) => {
                let end = tag_end(inner, lt)?;
                if TEXT_ONLY_INLINE.contains(&name) {
                    let (open, kept) = inline.pop()?;
                    if open != name {
                        return None;
                    }
                    if kept {
                        out.extend_from_slice(b"</");
                        out.extend_from_slice(name);
                        out.push(b'>');
                    }
                } else {
                    if !inline.is_empty() {
                        return None;
                    }
                    out.extend_from_slice(&inner[lt..end]);
                    if UNMARKED_BLOCKS.contains(&name) {
                        out.push(b' ');
                    }
                }
                at = end;
            }
            Markup::Open(name) => {
                let end = tag_end(inner, lt)?;
                let tag = Tag::parse(&inner[lt..end], name)?;
                let ignored = IGNORED_ELEMENTS.contains(&name) || tag.has(b"data-pagefind-ignore");
                if ignored && !VOID_ELEMENTS.contains(&name) && !tag.self_closing {
                    // The whole element, up to its end tag.
                    let close = closing_tag(inner, end, name)?;
                    let element = &inner[lt..close];
                    if !nothing_reaches_the_index(element, &tag) {
                        spaced(element, out);
                    }
                    at = close;
                    continue;
                }
                if TEXT_ONLY_INLINE.contains(&name) {
                    let kept = tag.has(b"id") || tag.pagefind;
                    inline.push((name, kept));
                    if kept {
                        tag.write(out);
                    }
                } else {
                    tag.write(out);
                }
                at = end;
            }
        }
    }
    if !inline.is_empty() {
        return None;
    }
    out.extend_from_slice(&inner[at..]);
    out.extend_from_slice(&body[close_start..]);
    Some(())
}

/// What a `<` in the body starts, by what follows it (`rest`).
enum Markup<'a> {
    /// Not markup: a `<` in text.
    Text,
    /// Markup this reading does not handle (upper-case names, `<?`).
    Unknown,
    Comment,
    /// `<!DOCTYPE …>`, `<![CDATA[…]]>`: kept as written.
    Declaration,
    Close(&'a [u8]),
    Open(&'a [u8]),
}

impl<'a> Markup<'a> {
    fn at(rest: &'a [u8]) -> Self {
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => Markup::Comment,
            Some(b'!') => Markup::Declaration,
            Some(b'/') => tag_name(&rest[1..]).map_or(Markup::Unknown, Markup::Close),
            Some(b) if b.is_ascii_alphabetic() => {
                tag_name(rest).map_or(Markup::Unknown, Markup::Open)
            }
            Some(b'?') => Markup::Unknown,
            _ => Markup::Text,
        }
    }
}

/// A start tag's attributes, as written.
struct Tag<'a> {
    name: &'a [u8],
    /// Each attribute: its name (lower case as the tokenizer requires, else the tag is not
    /// parsed) and the whole `name="value"` as written.
    attributes: Vec<(&'a [u8], &'a [u8])>,
    /// The tag as written.
    text: &'a [u8],
    self_closing: bool,
    /// It has a `data-pagefind-*` attribute.
    pagefind: bool,
}

impl<'a> Tag<'a> {
    /// `text` is the whole tag, `<name …>`.
    fn parse(text: &'a [u8], name: &'a [u8]) -> Option<Self> {
        let inside = &text[1 + name.len()..text.len() - 1];
        let mut attributes = Vec::new();
        let mut self_closing = false;
        let mut i = 0;
        while i < inside.len() {
            let b = inside[i];
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if b == b'/' {
                self_closing = i + 1 == inside.len();
                if !self_closing {
                    return None;
                }
                i += 1;
                continue;
            }
            let start = i;
            while i < inside.len()
                && !inside[i].is_ascii_whitespace()
                && !matches!(inside[i], b'=' | b'/' | b'>')
            {
                i += 1;
            }
            let attribute = &inside[start..i];
            if attribute
                .iter()
                .any(|b| b.is_ascii_uppercase() || matches!(b, b'"' | b'\'' | b'<'))
            {
                return None;
            }
            let mut j = i;
            while j < inside.len() && inside[j].is_ascii_whitespace() {
                j += 1;
            }
            if inside.get(j) == Some(&b'=') {
                j += 1;
                while j < inside.len() && inside[j].is_ascii_whitespace() {
                    j += 1;
                }
                match inside.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        j += 1 + memchr::memchr(q, &inside[j + 1..])? + 1;
                    }
                    Some(_) => {
                        while j < inside.len() && !inside[j].is_ascii_whitespace() {
                            j += 1;
                        }
                    }
                    None => return None,
                }
                i = j;
            }
            attributes.push((attribute, &inside[start..i]));
        }
        let pagefind = attributes
            .iter()
            .any(|(name, _)| name.starts_with(b"data-pagefind-"));
        Some(Tag {
            name,
            attributes,
            text,
            self_closing,
            pagefind,
        })
    }

    fn has(&self, attribute: &[u8]) -> bool {
        self.attributes.iter().any(|(name, _)| *name == attribute)
    }

    /// The attributes Pagefind reads: all of them on an element with a `data-pagefind-*`
    /// attribute, else its id, and an image's `src` and `alt` (the result's image).
    fn write(&self, out: &mut Vec<u8>) {
        if self.pagefind {
            out.extend_from_slice(self.text);
            return;
        }
        out.push(b'<');
        out.extend_from_slice(self.name);
        for (name, whole) in &self.attributes {
            let read =
                *name == b"id" || (self.name == b"img" && (*name == b"src" || *name == b"alt"));
            if read {
                out.push(b' ');
                out.extend_from_slice(whole);
            }
        }
        if self.self_closing {
            out.push(b'/');
        }
        out.push(b'>');
    }
}

/// Whether `element` (an element Pagefind ignores, `tag` its start tag) can be left out of
/// the record: nothing inside it has an id or a `data-pagefind-*` attribute (anchors, meta,
/// filters), is an `h1` (the title), an `img` (the result's image) or a `title`, its own
/// only Pagefind attribute is `data-pagefind-ignore`, and its tags balance.
fn nothing_reaches_the_index(element: &[u8], tag: &Tag<'_>) -> bool {
    let own = tag.attributes.iter().all(|(name, _)| {
        *name != b"id" && (!name.starts_with(b"data-pagefind-") || *name == b"data-pagefind-ignore")
    });
    if !own {
        return false;
    }
    let mut depth = 0usize;
    let mut at = tag.text.len();
    while let Some(offset) = memchr::memchr(b'<', &element[at..]) {
        let lt = at + offset;
        let rest = &element[lt + 1..];
        let Some(end) = tag_end(element, lt) else {
            return false;
        };
        match Markup::at(rest) {
            Markup::Text => {
                at = lt + 1;
                continue;
            }
            Markup::Unknown | Markup::Comment | Markup::Declaration => return false,
            Markup::Close(_) => match depth.checked_sub(1) {
                Some(d) => depth = d,
                // The element's own end tag.
                None => return element.len() == end,
            },
            Markup::Open(name) => {
                if [&b"h1"[..], b"img", b"title"].contains(&name) {
                    return false;
                }
                let Some(inner) = Tag::parse(&element[lt..end], name) else {
                    return false;
                };
                if inner.pagefind || inner.has(b"id") {
                    return false;
                }
                if !VOID_ELEMENTS.contains(&name) {
                    if inner.self_closing {
                        return false;
                    }
                    depth += 1;
                }
            }
        }
        at = end;
    }
    false
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
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Laptops · Site</title></head><body><main id=\"main\" data-pagefind-body data-pagefind-meta=\"section:Handbook › Tools\"><h1>Laptops</h1><p>Every starter gets a laptop.</p></main></body></html>\n"
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
                "<table><tr><th>Day</th> <th>Count</th> </tr> </table> <dl><dt>Dock</dt> <dd>One</dd> </dl> <p>ab</p>"
            ),
            "{record}"
        );
    }

    #[test]
    fn markup_pagefind_does_not_read_is_left_out() {
        let page = PAGE.replace(
            "<p>Every starter gets a laptop.</p>",
            "<p class=\"lead\">Every <a href=\"/s/\"><em>starter</em></a> gets<!-- x --> a <span class=\"k\">laptop</span>.<br/><img src=\"/l.png\" alt=\"A laptop\" width=\"9\"></p><h2 id=\"dock\" class=\"h\"><a href=\"#dock\">Dock</a> <sup id=\"r1\"><a href=\"#n1\">1</a></sup></h2><p class=\"meta\" data-pagefind-ignore><time>May</time></p><span data-pagefind-filter=\"tag\" class=\"t\">IT</span>",
        );
        let record = String::from_utf8(searchable_document(page.as_bytes())).unwrap();
        assert!(
            record.contains(
                "<h1>Laptops</h1><p>Every starter gets a laptop.<br/><img src=\"/l.png\" alt=\"A laptop\"></p><h2 id=\"dock\">Dock <sup id=\"r1\">1</sup></h2><span data-pagefind-filter=\"tag\" class=\"t\">IT</span></main>"
            ),
            "{record}"
        );
    }

    #[test]
    fn markup_it_cannot_vouch_for_is_only_spaced() {
        for odd in [
            "<p><em>unclosed</p>",
            "<p><a href=\"/\"><div>block</div></a></p>",
            "<p><EM>upper</EM></p>",
            "<p><em><strong>crossed</em></strong></p>",
            "<p><!-- never closed</p>",
        ] {
            let page = PAGE.replace("<p>Every starter gets a laptop.</p>", odd);
            let record = String::from_utf8(searchable_document(page.as_bytes())).unwrap();
            assert!(
                record.contains(&format!("<h1>Laptops</h1>{odd}")),
                "{record}"
            );
        }
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
