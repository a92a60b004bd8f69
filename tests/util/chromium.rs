//! Headless Chromium for the browser tests: finding the binary, and driving a page over the
//! DevTools protocol (navigate, evaluate, type keys).
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`), or `SELARAS_CHROMIUM` pointing at a
//! Chromium/Chrome binary.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// The Chromium binary: `$SELARAS_CHROMIUM`, else `chromium`, `chromium-browser` or
/// `google-chrome` on the PATH.
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SELARAS_CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "headless Chromium is needed for this test: install it with `apt-get install -y chromium` \
         or set SELARAS_CHROMIUM to a Chromium binary"
    );
}

/// The flags every headless run gets.
pub const HEADLESS_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// A headless Chromium with one page, driven over the DevTools protocol.
pub struct Browser {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    _child: KillOnDrop,
    _profile: tempfile::TempDir,
}

/// A child process killed when this is dropped, panics included.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// Starts Chromium on `about:blank` and connects to its page.
    pub fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(binary())
            .args(HEADLESS_FLAGS)
            .arg("--remote-debugging-port=0")
            .arg("--remote-allow-origins=*")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start chromium");
        let mut child = KillOnDrop(child);
        let stderr = child.0.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let browser_url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("chromium did not open its DevTools port within 60 s");
        let addr = browser_url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let page_url = page_socket(&addr);
        let stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (socket, _) = tungstenite::client(page_url.as_str(), stream).expect("DevTools socket");
        Browser {
            _child: child,
            socket,
            next_id: 1,
            _profile: profile,
        }
    }

    /// Sends a DevTools command and returns its `result`.
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = serde_json::json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(message.to_string()))
            .expect("DevTools send");
        loop {
            let Message::Text(text) = self.socket.read().expect("DevTools read") else {
                continue;
            };
            let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
            if answer["id"] == id {
                if let Some(error) = answer.get("error") {
                    panic!("{method} failed: {error}");
                }
                return answer["result"].clone();
            }
        }
    }

    /// Opens `url` in the page.
    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({ "url": url }));
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({
                "expression": expression,
                "awaitPromise": true,
                "returnByValue": true,
            }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("`{expression}` threw: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (a JavaScript expression) is true; panics after 20 s with
    /// `what` and the value of `show`.
    pub fn wait_for(&mut self, condition: &str, show: &str) {
        let start = Instant::now();
        while self.eval(&format!("Boolean({condition})")) != serde_json::json!(true) {
            if start.elapsed() > Duration::from_secs(20) {
                panic!(
                    "waited 20 s for `{condition}`; `{show}` is {}",
                    self.eval(show)
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Presses and releases one key (`a`, `Enter`, `?`, `ArrowDown`).
    pub fn key(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter".to_string(), 13, "\r".to_string()),
            "Escape" => ("Escape".to_string(), 27, String::new()),
            "?" => ("Slash".to_string(), 191, "?".to_string()),
            k if k.len() == 1 => {
                let c = k.chars().next().unwrap().to_ascii_uppercase();
                (format!("Key{c}"), c as u32, k.to_string())
            }
            other => panic!("no key code for {other}"),
        };
        let mut down = serde_json::json!({
            "type": "keyDown",
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": vk,
        });
        if !text.is_empty() {
            down["text"] = text.into();
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk }),
        );
    }

    /// Types `text` into the focused element.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", serde_json::json!({ "text": text }));
    }
}

/// The DevTools socket URL of the first page of the browser at `addr`.
fn page_socket(addr: &str) -> String {
    let start = Instant::now();
    loop {
        let answer = super::http::request(addr, "GET", "/json/list", &[], "");
        if answer.status == 200 {
            let targets: serde_json::Value = answer.json();
            let page = targets
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page");
            if let Some(url) = page.and_then(|p| p["webSocketDebuggerUrl"].as_str()) {
                return url.to_string();
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromium shows no page: {}",
            answer.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
