//! The dev server's HTTP side (axum on tokio): serving the in-memory site, the live-reload
//! event stream, and the checks that keep previews from leaking.
//!
//! Security rules, each tested against the running server:
//! - only files of the built site are served, looked up by exact name in memory; a path
//!   with `.`/`..` segments, empty segments, backslashes, encoded slashes (`%2F`), NUL or
//!   control bytes, or anything
//!   still percent-encoded after one decoding (double encoding) is refused with 400, and
//!   nothing on disk is ever opened by a request;
//! - the `Host` header (and an absolute request target's authority) must name the bound
//!   address (or `localhost` on loopback), so a DNS-rebinding page cannot read the site;
//! - no `Access-Control-Allow-Origin` is ever sent, and `Cross-Origin-Resource-Policy:
//!   same-origin` stops other sites embedding the responses;
//! - the live-reload stream is refused when `Origin` or `Sec-Fetch-Site` show another site;
//! - only `GET` and `HEAD` are answered (405 otherwise); hyper answers malformed requests
//!   with 400 and the server keeps running;
//! - error text shown in HTML is escaped; the overlay builds its DOM with `textContent`.
//!
//! Files other than pages are sent from the snapshot's bytes without a copy (a download
//! costs no memory of its own), with `Accept-Ranges: bytes` and single byte ranges answered
//! 206 / 416 (video seeking); several ranges get the whole file with 200.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{ServeError, Snapshot, State};
use crate::diagnostics::Diagnostic;
use crate::markdown::escape_html;

/// Where the live-reload client is served.
pub const LIVE_RELOAD_URL: &str = "/__trailmark/livereload.js";
/// Every served HTML page gets `<script src="/__trailmark/livereload.js"
/// data-generation="N"></script>` before its last `</body>`; this is its fixed start.
pub const LIVE_RELOAD_TAG_START: &str =
    "<script src=\"/__trailmark/livereload.js\" data-generation=\"";
const EVENTS_URL: &str = "/__trailmark/events";
const STATUS_URL: &str = "/__trailmark/status";
const RESERVED_PREFIX: &str = "/__trailmark/";
const CLIENT: &str = include_str!("livereload.js");

pub fn run(listener: std::net::TcpListener, state: Arc<State>) -> Result<(), ServeError> {
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Listener)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("trailmark-http")
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Listener)?;
        let app = Router::new().fallback(handle).with_state(state);
        axum::serve(listener, app)
            .await
            .map_err(ServeError::Stopped)
    })
}

async fn handle(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let mut response = route(&state, &method, &uri, &headers);
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn route(state: &Arc<State>, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| state.allows_host(h))
        && uri
            .authority()
            .is_none_or(|a| state.allows_host(a.as_str()));
    if !host_ok {
        return plain(
            StatusCode::FORBIDDEN,
            "forbidden: this preview server answers only to its own address\n",
        );
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(path) = clean_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request: invalid path\n");
    };
    match path.as_str() {
        LIVE_RELOAD_URL => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            CLIENT,
        )
            .into_response(),
        EVENTS_URL => events(state, headers),
        STATUS_URL => status(state),
        p if p.starts_with(RESERVED_PREFIX) => plain(StatusCode::NOT_FOUND, "not found\n"),
        p => site_file(&state.snapshot(), &state.search_files(), p, headers),
    }
}

impl State {
    fn allows_host(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }

    fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|allowed| origin.eq_ignore_ascii_case(&format!("http://{allowed}")))
    }
}

/// Decodes the request path once and refuses anything that could name a file outside the
/// site or that only makes sense as an attack.
fn clean_path(raw: &str) -> Option<String> {
    // An encoded slash or backslash is never part of a file name the site has: decoded, it
    // would make `/a%2Fb/` the same file as `/a/b/`, so two URLs would serve one page.
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            decoded.push(value);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).ok()?;
    let suspicious = !path.starts_with('/')
        || path.contains('%')
        || path.contains('\\')
        || path.chars().any(char::is_control);
    if suspicious {
        return None;
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    let bad_segment = segments
        .iter()
        .enumerate()
        .any(|(n, s)| *s == "." || *s == ".." || (s.is_empty() && n != last));
    (!bad_segment).then_some(path)
}

fn site_file(
    snapshot: &Snapshot,
    search: &crate::search::live::Files,
    path: &str,
    headers: &HeaderMap,
) -> Response {
    if snapshot.generation == 0 {
        return error_page(snapshot);
    }
    let key = path.trim_start_matches('/');
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_string()
    };
    // The search bundle is served from the live index's latest (issue 21).
    if let Some(bytes) = snapshot.files.get(&key).or_else(|| search.get(&key)) {
        let range = headers
            .get(header::RANGE)
            .filter(|_| !headers.contains_key(header::IF_RANGE))
            .and_then(|v| v.to_str().ok());
        return file_response(StatusCode::OK, &key, bytes, snapshot.generation, range);
    }
    if snapshot.files.contains_key(&format!("{key}/index.html")) {
        // `path` is validated: it starts with one `/` and has no empty segments, so the
        // redirect cannot point at another host.
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("{path}/"))],
        )
            .into_response();
    }
    match snapshot.files.get("404.html") {
        Some(bytes) => file_response(
            StatusCode::NOT_FOUND,
            "404.html",
            bytes,
            snapshot.generation,
            None,
        ),
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A file of the site. HTML pages get the live-reload tag (and are always sent whole);
/// every other file is sent from the bytes the snapshot already holds, shared rather than
/// copied, so a download costs no memory of its own however large the file, and a single
/// byte range (`Range: bytes=a-b`, `a-`, `-n`) is answered with 206 or 416. `range` is the
/// request's `Range` header, `None` when there is none or it cannot be honoured (`If-Range`:
/// the server has no validators, so the whole file is the safe answer).
fn file_response(
    status: StatusCode,
    key: &str,
    bytes: &Arc<[u8]>,
    generation: u64,
    range: Option<&str>,
) -> Response {
    let content_type = content_type(key);
    if content_type.starts_with("text/html") {
        let body = Body::from(with_live_reload(bytes, generation));
        return (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    }
    let shared = Bytes::from_owner(Arc::clone(bytes));
    let len = shared.len();
    let (status, body, content_range) = match range.filter(|_| status == StatusCode::OK) {
        None => (status, shared, None),
        Some(range) => match byte_range(range, len) {
            ByteRange::Whole => (status, shared, None),
            ByteRange::Part(start, end) => (
                StatusCode::PARTIAL_CONTENT,
                shared.slice(start..=end),
                Some(format!("bytes {start}-{end}/{len}")),
            ),
            ByteRange::Unsatisfiable => (
                StatusCode::RANGE_NOT_SATISFIABLE,
                Bytes::new(),
                Some(format!("bytes */{len}")),
            ),
        },
    };
    let mut response = (
        status,
        [(header::CONTENT_TYPE, content_type)],
        Body::from(body),
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::CONTENT_RANGE, value);
    }
    response
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum ByteRange {
    /// Not a single byte range this server answers (malformed, another unit, several
    /// ranges): the whole file, with 200, as RFC 9110 allows.
    Whole,
    /// First and last byte, inclusive, both inside the file.
    Part(usize, usize),
    /// A well-formed range that starts past the end (or an empty suffix): 416.
    Unsatisfiable,
}

fn byte_range(header: &str, len: usize) -> ByteRange {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return ByteRange::Whole;
    };
    let spec = spec.trim();
    let Some((first, last)) = spec.split_once('-') else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole;
    }
    let number = |s: &str| -> Option<Option<usize>> {
        let s = s.trim();
        if s.is_empty() {
            Some(None)
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            // Digits too many for a usize are still a valid range: past any file's end.
            Some(Some(s.parse().unwrap_or(usize::MAX)))
        } else {
            None
        }
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return ByteRange::Whole;
    };
    match (first, last) {
        (Some(first), last) => {
            if last.is_some_and(|last| last < first) {
                ByteRange::Whole
            } else if first >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(first, last.map_or(len - 1, |last| last.min(len - 1)))
            }
        }
        (None, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(len - suffix.min(len), len - 1)
            }
        }
        (None, None) => ByteRange::Whole,
    }
}

/// The page with the live-reload tag inserted before its last `</body>` (or at the end).
pub fn with_live_reload(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("{LIVE_RELOAD_TAG_START}{generation}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        Some("wasm") => "application/wasm",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Shown for every page while the site has never built: the errors, escaped.
fn error_page(snapshot: &Snapshot) -> Response {
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Build failed · Trailmark</title></head>\n<body>\n\
         <h1>The site could not be built</h1>\n\
         <p>Fix the problems below; this page reloads by itself.</p>\n<pre>",
    );
    for d in &snapshot.errors {
        let _ = writeln!(html, "{}", escape_html(&d.to_string()));
    }
    html.push_str("</pre>\n</body></html>\n");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(with_live_reload(html.as_bytes(), 0)),
    )
        .into_response()
}

/// The JSON every live-reload client receives on connect and after each rebuild.
pub fn state_message(instance: &str, snapshot: &Snapshot) -> Arc<str> {
    let errors: Vec<_> = snapshot
        .errors
        .iter()
        .map(|d| {
            json!({
                "file": d.file, "line": d.line, "column": d.column,
                "message": d.message, "snippet": d.snippet, "text": d.headline(),
                "code": d.code.as_str(), "help": d.help,
                // The terminal's rendering, line number and caret included; the overlay
                // shows it with `textContent`, so it is never read as HTML.
                "rendered": d.to_string(),
            })
        })
        .collect();
    json!({
        "instance": instance,
        "generation": snapshot.generation,
        "previous": snapshot.previous_generation,
        "css": snapshot.css_only,
        "errors": errors,
    })
    .to_string()
    .into()
}

fn events(state: &Arc<State>, headers: &HeaderMap) -> Response {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let foreign_origin = header_text("origin").is_some_and(|o| !state.allows_origin(o));
    let foreign_fetch =
        header_text("sec-fetch-site").is_some_and(|s| s != "same-origin" && s != "none");
    if foreign_origin || foreign_fetch {
        return plain(
            StatusCode::FORBIDDEN,
            "forbidden: live reload is only for pages of this server\n",
        );
    }
    let receiver = state.events.subscribe();
    let hello = state_message(&state.instance, &state.snapshot());
    let state = Arc::clone(state);
    let stream = futures_util::stream::unfold(
        (Some(hello), receiver, state),
        |(first, mut receiver, state)| async move {
            let message = match first {
                Some(message) => message,
                None => match receiver.recv().await {
                    Ok(message) => message,
                    // Missed some: the current state says everything the client needs.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        state_message(&state.instance, &state.snapshot())
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
            };
            let event = Event::default().data(&*message);
            Some((Ok::<_, Infallible>(event), (None, receiver, state)))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// For tests and tools: whether the server is idle, what it has built, and what it serves.
fn status(state: &Arc<State>) -> Response {
    let activity = state.activity.lock().map(|a| *a).unwrap_or_default();
    // In this order, so that `search_pending: false` vouches for the search files sent with
    // it: a site is handed to the live index before it is served, and its bundle is
    // published before the index counts it as done.
    let snapshot = state.snapshot();
    let search_pending = state.search_pending();
    let search = state.search_files();
    let body = json!({
        "instance": state.instance,
        "rebuilds": activity.rebuilds,
        "pending": activity.pending,
        "building": activity.building,
        "generation": snapshot.generation,
        "errors": snapshot.errors.iter().map(Diagnostic::headline).collect::<Vec<_>>(),
        "files": snapshot.files.keys().chain(search.keys()).collect::<Vec<_>>(),
        // The live search index has not indexed the latest site yet (issue 21).
        "search_pending": search_pending,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        for good in ["/", "/a/b/", "/a/b.html", "/caf%C3%A9/", "/a%20b.png"] {
            assert!(clean_path(good).is_some(), "{good}");
        }
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a/%2E%2E%2Fb",
            "/a/b%2F..%2F..%2Fc",
            "/%252e%252e/x",
            "/a\\b",
            "/a%5cb",
            "/a%00b",
            "//evil.example/",
            "/a//b",
            "/./a",
            "/%",
            "/%zz",
            "/%ff",
            "/courses%2Fboard-reporting%2F",
            "/a%2fb/",
        ] {
            assert!(clean_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn single_byte_ranges_are_read_like_rfc_9110_says() {
        use ByteRange::{Part, Unsatisfiable, Whole};
        for (header, want) in [
            ("bytes=1000-1999", Part(1000, 1999)),
            ("bytes=0-0", Part(0, 0)),
            ("bytes=9000-", Part(9000, 9999)),
            ("bytes=9000-20000", Part(9000, 9999)),
            ("bytes=-500", Part(9500, 9999)),
            ("bytes=-20000", Part(0, 9999)),
            ("bytes=10000-", Unsatisfiable),
            ("bytes=99999999999999999999999-", Unsatisfiable),
            ("bytes=-0", Unsatisfiable),
            ("bytes=5-4", Whole),
            ("bytes=0-1,5-6", Whole),
            ("items=0-1", Whole),
            ("bytes=a-b", Whole),
            ("bytes=-", Whole),
            ("bytes=+1-2", Whole),
        ] {
            assert_eq!(byte_range(header, 10_000), want, "{header}");
        }
        assert_eq!(byte_range("bytes=0-", 0), Unsatisfiable);
    }

    #[test]
    fn the_tag_goes_before_the_last_body_end() {
        let out = with_live_reload(b"<body><p>x</p></BODY></html>", 3);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<body><p>x</p>{LIVE_RELOAD_TAG_START}3\"></script></BODY></html>")
        );
    }
}
