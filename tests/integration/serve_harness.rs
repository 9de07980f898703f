//! A running `trailmark serve` for tests: started on an ephemeral port, fetched over real
//! HTTP (a tiny client on `TcpStream`, so requests can be as malformed as a test needs),
//! and compared byte for byte with a clean `trailmark build` of the same files.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::{BUILD_DATE, Site};

/// The start of the tag serve adds to HTML pages (see `trailmark::serve`).
pub const TAG_START: &str = "<script src=\"/__trailmark/livereload.js\" data-generation=\"";

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT`
    pub host: String,
    pub output: Arc<Mutex<String>>,
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

impl Server {
    /// `trailmark serve --port 0 --build-date BUILD_DATE --verbose` plus `extra` args.
    pub fn start(site: &Site, extra: &[&str]) -> Server {
        Self::start_with(Command::new(env!("CARGO_BIN_EXE_trailmark")), site, extra)
    }

    /// [`Server::start`], the binary run by `command` (`setpriv ... trailmark`, to serve as
    /// another user).
    pub fn start_with(mut command: Command, site: &Site, extra: &[&str]) -> Server {
        let mut child = command
            .args([
                "serve",
                "--port",
                "0",
                "--build-date",
                BUILD_DATE,
                "--verbose",
            ])
            .args(extra)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start trailmark serve");
        let output = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(url) = line.strip_prefix("Serving the site at ") {
                        let url = url.split_whitespace().next().unwrap_or("").to_string();
                        let _ = sender.send(url);
                    }
                    let mut output = output.lock().unwrap();
                    output.push_str(&line);
                    output.push('\n');
                }
            });
        }
        {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let mut output = output.lock().unwrap();
                    output.push_str(&line);
                    output.push('\n');
                }
            });
        }
        let url = receiver
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("serve did not start:\n{}", output.lock().unwrap()));
        let base = url.trim_end_matches('/').to_string();
        let host = base.trim_start_matches("http://").to_string();
        Server {
            child,
            base,
            host,
            output,
        }
    }

    /// The server's process id (to read its memory in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Sends `request` as is and reads the whole response (the server closes after it, or
    /// after `timeout` for streams).
    pub fn raw(&self, request: &[u8], timeout: Duration) -> Response {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream.set_read_timeout(Some(timeout)).unwrap();
        stream.write_all(request).unwrap();
        let mut bytes = Vec::new();
        let mut buf = vec![0u8; 65536];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
        }
        parse_response(&bytes)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = format!("{method} {path} HTTP/1.1\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            let _ = write!(request, "Host: {}\r\n", self.host);
        }
        for (k, v) in headers {
            let _ = write!(request, "{k}: {v}\r\n");
        }
        request.push_str("Connection: close\r\n\r\n");
        self.raw(request.as_bytes(), Duration::from_secs(10))
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[])
    }

    pub fn status(&self) -> serde_json::Value {
        let response = self.get("/__trailmark/status");
        assert_eq!(response.status, 200, "{}", response.text());
        serde_json::from_slice(&response.body).expect("status JSON")
    }

    pub fn rebuilds(&self) -> u64 {
        self.status()["rebuilds"].as_u64().unwrap()
    }

    /// Waits until a rebuild after number `after` has finished and nothing is pending.
    #[track_caller]
    pub fn wait_rebuilt(&self, after: u64) -> serde_json::Value {
        // Generous: a full rebuild of the fixture takes well under a second, but CI machines
        // shared with other builds have been seen to need more than 20 s.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let status = self.status();
            let idle = status["pending"] == false && status["building"] == false;
            let rebuilds = status["rebuilds"].as_u64().unwrap();
            // The report reaches us through a pipe; wait for it too.
            let reported = self
                .log()
                .contains(&format!("rebuild-timing number={rebuilds} "));
            if rebuilds > after && idle && reported {
                self.wait_output_quiet();
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "no rebuild after #{after}: {status}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until nothing more arrives on the server's output for a moment. A rebuild's
    /// problems go to stderr before its report reaches stdout, but the two pipes are read
    /// by two threads: the report can be read first on a loaded machine, and a test that
    /// then looks for a problem in the log would not find it yet.
    fn wait_output_quiet(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = self.output.lock().unwrap().len();
        loop {
            std::thread::sleep(Duration::from_millis(40));
            let now = self.output.lock().unwrap().len();
            if now == seen || Instant::now() > deadline {
                return;
            }
            seen = now;
        }
    }

    /// Waits until the search index reflects the served site (it is built after serving,
    /// in the background) and returns the status then.
    #[track_caller]
    pub fn wait_search_settled(&self) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = self.status();
            if status["search_pending"] == false {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the search index never settled: {status}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Applies `edit` to the site's files and waits for the rebuild it causes.
    #[track_caller]
    /// What the server logged for the rebuild `edit` causes.
    pub fn rebuild_log(&self, edit: impl FnOnce()) -> String {
        let before = self.log().len();
        self.edit(edit);
        self.log()[before..].to_string()
    }

    pub fn edit(&self, edit: impl FnOnce()) -> serde_json::Value {
        let before = self.rebuilds();
        edit();
        self.wait_rebuilt(before)
    }

    /// Asserts the served site is exactly what `trailmark build` writes for the same files
    /// and base URL: the same file names, and the same bytes once the live-reload tag is
    /// taken out of HTML pages.
    #[track_caller]
    pub fn assert_matches_clean_build(&self, site: &Site, step: &str) {
        let out = tempfile::tempdir().unwrap();
        let output = out.path().join("public");
        let run = site.run(&[
            "build",
            "--build-date",
            BUILD_DATE,
            "--base-url",
            &self.base,
            "--output",
            output.to_str().unwrap(),
        ]);
        assert_eq!(
            run.code, 0,
            "clean build failed after {step}:\n{}",
            run.stderr
        );
        let mut built = BTreeSet::new();
        collect(&output, &output, &mut built);
        built.remove(".trailmark-output");
        let status = self.wait_search_settled();
        assert_eq!(status["errors"], serde_json::json!([]), "after {step}");
        let served: BTreeSet<String> = status["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            served, built,
            "served files differ from a clean build after {step}"
        );
        for path in &built {
            let expected = std::fs::read(output.join(path)).unwrap();
            let response = self.get(&format!("/{}", encode(path)));
            assert_eq!(response.status, 200, "{path} after {step}");
            let body = strip_live_reload(&response.body);
            assert!(
                body == expected,
                "{path} differs from a clean build after {step}\nserved:\n{}\nbuilt:\n{}",
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(&expected)
            );
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Removes the one live-reload tag serve adds to an HTML page.
pub fn strip_live_reload(body: &[u8]) -> Vec<u8> {
    let text = body;
    let start = TAG_START.as_bytes();
    let Some(at) = text.windows(start.len()).position(|w| w == start) else {
        return body.to_vec();
    };
    let end_marker = b"\"></script>";
    let end = text[at..]
        .windows(end_marker.len())
        .position(|w| w == end_marker)
        .map(|e| at + e + end_marker.len())
        .unwrap();
    let mut out = text[..at].to_vec();
    out.extend_from_slice(&text[end..]);
    out
}

fn parse_response(bytes: &[u8]) -> Response {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let body = bytes.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut response = Response { status, head, body };
    if response
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(&response.body);
    }
    response
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let end = (start + size).min(body.len());
        out.extend_from_slice(&body[start..end]);
        body = body.get(end + 2..).unwrap_or_default();
    }
    out
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            files.insert(
                path.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}
