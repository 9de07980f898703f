//! Browser tests' harness: a real headless Chromium driven over `WebDriver` (`fantoccini` and
//! Debian's `chromedriver`), and a small static file server for a built site.
//!
//! The tests are synchronous; each browser call blocks on a private tokio runtime. There is
//! no silent skip: without `chromium` and `chromedriver` the tests fail and say how to get
//! them (`.ci/run` installs both).

// Not every test module uses every helper.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// Serves a folder over HTTP on an ephemeral port, for as long as it lives.
pub struct StaticServer {
    pub base: String,
    /// Every response sent: its path and body size (the search quality test counts what a
    /// query downloads; Pagefind fetches from a worker, out of the page's resource timing).
    served: std::sync::Arc<std::sync::Mutex<Vec<(String, usize)>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl StaticServer {
    pub fn start(root: &Path) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let root = root.to_path_buf();
        let served = std::sync::Arc::default();
        let log = std::sync::Arc::clone(&served);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                let log = std::sync::Arc::clone(&log);
                std::thread::spawn(move || serve_one(&root, stream, &log));
            }
        });
        StaticServer {
            base,
            served,
            _thread: thread,
        }
    }

    /// The responses sent so far (path, body bytes), emptying the log.
    pub fn take_served(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *self.served.lock().unwrap())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn serve_one(root: &Path, mut stream: TcpStream, log: &std::sync::Mutex<Vec<(String, usize)>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file: PathBuf = root.to_path_buf();
    for segment in path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".." && *s != ".")
    {
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes),
        Err(_) => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
        ),
    };
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    if let Ok(mut log) = log.lock() {
        log.push((path.to_string(), body.len()));
    }
}

/// A headless Chromium session.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_program(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
                .map(|p| p.to_string_lossy().into_owned())
        })
    })
}

impl Browser {
    /// Starts chromedriver and a headless Chromium at a phone-or-desktop `width`.
    pub fn start() -> Self {
        Self::start_with_width(1280)
    }

    pub fn start_with_width(width: u32) -> Self {
        Self::start_with(&[&format!("--window-size={width},900")], None)
    }

    /// A browser whose viewport is exactly `width` x `height` CSS pixels at a device pixel
    /// ratio of 1 (Chromium's window cannot be narrower than 500 px, so a phone's width is
    /// emulated), in the light or the dark colour scheme.
    pub fn start_viewport(width: u32, height: u32, dark: bool) -> Self {
        let phone = width < 600;
        let metrics = serde_json::json!({
            "deviceMetrics": {
                "width": width, "height": height, "pixelRatio": 1.0,
                "mobile": phone, "touch": phone,
            }
        });
        let mut args = vec!["--window-size=1280,900", "--hide-scrollbars"];
        if dark {
            args.push("--force-dark-mode");
        }
        Self::start_with(&args, Some(metrics))
    }

    fn start_with(extra_args: &[&str], mobile_emulation: Option<serde_json::Value>) -> Self {
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]).expect(
            "browser tests need Chromium: apt-get install chromium chromium-driver (.ci/run does)",
        );
        let chromedriver = find_program(&["chromedriver"]).expect(
            "browser tests need chromedriver: apt-get install chromium-driver (.ci/run does)",
        );
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            // The theme scrolls smoothly unless reduced motion is asked for; clicks
            // must not race a scroll animation.
            "--force-prefers-reduced-motion",
        ]
        .iter()
        .map(|a| (*a).to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.extend(extra_args.iter().map(|a| (*a).to_string()));
        let mut options = serde_json::json!({ "binary": chromium, "args": args });
        if let Some(metrics) = mobile_emulation {
            options["mobileEmulation"] = metrics;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let client = runtime.block_on(async {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let connector = hyper_util::client::legacy::connect::HttpConnector::new();
                match ClientBuilder::new(connector)
                    .capabilities(caps.clone())
                    .connect(&url)
                    .await
                {
                    Ok(client) => break client,
                    Err(e) if Instant::now() > deadline => {
                        panic!("cannot start a Chromium session: {e}")
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
        Browser {
            runtime,
            client: Some(client),
            driver,
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    pub fn goto(&self, url: &str) {
        self.runtime
            .block_on(self.client().goto(url))
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    pub fn refresh(&self) {
        self.runtime.block_on(self.client().refresh()).unwrap();
    }

    pub fn title(&self) -> String {
        self.runtime.block_on(self.client().title()).unwrap()
    }

    pub fn current_url(&self) -> String {
        self.runtime
            .block_on(self.client().current_url())
            .unwrap()
            .to_string()
    }

    /// Text of the first element matching `css`, waiting up to 5 s for it to appear.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        self.runtime.block_on(async {
            let element = self
                .client()
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("no element {css}: {e}"));
            element.text().await.unwrap()
        })
    }

    /// Number of elements matching `css` right now.
    pub fn count(&self, css: &str) -> usize {
        self.runtime
            .block_on(self.client().find_all(Locator::Css(css)))
            .map(|v| v.len())
            .unwrap_or(0)
    }

    #[track_caller]
    pub fn click(&self, css: &str) {
        self.runtime.block_on(async {
            let element = self
                .client()
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("no element {css}: {e}"));
            // A sticky header can cover an element scrolled just into view; centre it.
            let arg = serde_json::to_value(&element).unwrap();
            self.client()
                .execute(
                    "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
                    vec![arg],
                )
                .await
                .unwrap();
            element
                .click()
                .await
                .unwrap_or_else(|e| panic!("click {css}: {e}"));
        });
    }

    /// Types `text` into the element matching `css`.
    #[track_caller]
    pub fn type_into(&self, css: &str, text: &str) {
        self.runtime.block_on(async {
            let element = self
                .client()
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("no element {css}: {e}"));
            element.send_keys(text).await.unwrap();
        });
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        self.run_script(&format!("return ({expression});"))
    }

    /// Runs JavaScript statements in the page; `return` gives a value back.
    pub fn run_script(&self, script: &str) -> serde_json::Value {
        self.runtime
            .block_on(self.client().execute(script, vec![]))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs asynchronous JavaScript: the script calls its last argument with the result.
    pub fn run_async_script(&self, script: &str) -> serde_json::Value {
        self.runtime
            .block_on(self.client().execute_async(script, vec![]))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The viewport as a PNG.
    pub fn screenshot(&self) -> Vec<u8> {
        self.runtime
            .block_on(self.client().screenshot())
            .unwrap_or_else(|e| panic!("screenshot failed: {e}"))
    }

    /// Waits up to 10 s for the expression `script` to be `true`.
    #[track_caller]
    pub fn wait_until(&self, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.eval(script) == serde_json::Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for: {script}");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
