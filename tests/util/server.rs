//! A small HTTP/1.1 server on 127.0.0.1 for backend tests: each request goes to a handler that
//! answers, delays, drops the connection or sends a truncated body.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// 0-based arrival number over the server's life.
    pub seq: usize,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        super::header(&self.headers, name)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answer with status, extra headers and body.
    Respond(u16, Vec<(String, String)>, String),
    /// Wait, then act.
    Delay(Duration, Box<Action>),
    /// Close the connection without answering.
    Drop,
    /// Announce the whole body but send only its first half, then close.
    Truncate(String),
}

impl Action {
    pub fn json(status: u16, body: serde_json::Value) -> Action {
        Action::Respond(status, vec![], body.to_string())
    }
}

type Handler = dyn Fn(&Request) -> Action + Send + Sync;

/// A running test server; it stops when dropped.
pub struct TestServer {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
    /// The most requests being handled at once.
    pub max_in_flight: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Start a server on its own thread and runtime (usable from sync and async tests).
    pub fn start(handler: impl Fn(&Request) -> Action + Send + Sync + 'static) -> TestServer {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let gauge = Gauge {
            now: Arc::new(AtomicUsize::new(0)),
            max: max_in_flight.clone(),
        };
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                url_tx
                    .send(format!("http://{}", listener.local_addr().unwrap()))
                    .unwrap();
                let seq = Arc::new(AtomicUsize::new(0));
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let handler = handler.clone();
                        let seq = seq.clone();
                        let log = log.clone();
                        let gauge = gauge.clone();
                        tokio::spawn(async move {
                            let _ = serve_connection(stream, handler, seq, log, gauge).await;
                        });
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stop_rx => {}
                }
            });
            runtime.shutdown_background();
        });
        let url = url_rx.recv().unwrap();
        TestServer {
            url,
            requests,
            max_in_flight,
            stop: Some(stop_tx),
        }
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[derive(Clone)]
struct Gauge {
    now: Arc<AtomicUsize>,
    max: Arc<AtomicUsize>,
}

/// Counts a request as in flight while alive.
struct InFlight(Gauge);

impl InFlight {
    fn new(gauge: &Gauge) -> InFlight {
        let now = gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
        gauge.max.fetch_max(now, Ordering::SeqCst);
        InFlight(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    seq: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Request>>>,
    gauge: Gauge,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(pos) = find(&buf, b"\r\n\r\n") {
                break pos;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_string();
        let path = first.next().unwrap_or("").to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buf.len() < body_start + len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[body_start..body_start + len].to_vec();
        buf.drain(..body_start + len);
        let request = Request {
            method,
            path,
            headers,
            body,
            seq: seq.fetch_add(1, Ordering::SeqCst),
        };
        log.lock().unwrap().push(request.clone());
        let _in_flight = InFlight::new(&gauge);
        let mut action = handler(&request);
        loop {
            match action {
                Action::Delay(d, next) => {
                    tokio::time::sleep(d).await;
                    action = *next;
                }
                Action::Drop => return Ok(()),
                Action::Truncate(body) => {
                    let half = &body.as_bytes()[..body.len() / 2];
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    stream.write_all(head.as_bytes()).await?;
                    stream.write_all(half).await?;
                    stream.flush().await?;
                    return Ok(());
                }
                Action::Respond(status, extra, body) => {
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
                        body.len()
                    );
                    for (k, v) in extra {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    stream.write_all(head.as_bytes()).await?;
                    stream.write_all(body.as_bytes()).await?;
                    stream.flush().await?;
                    break;
                }
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The fake translation every test server applies: easy to check, order-revealing.
pub fn fake_translate(s: &str) -> String {
    format!("EN<{s}>")
}

/// `n` distinct Indonesian-looking sentences.
pub fn sentences(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("Kalimat nomor {i} ada di sini."))
        .collect()
}

/// A LibreTranslate-compatible answer to `request` (string or array `q`).
pub fn libretranslate_ok(request: &Request) -> Action {
    let body = request.json();
    match &body["q"] {
        serde_json::Value::String(s) => Action::json(
            200,
            serde_json::json!({"translatedText": fake_translate(s)}),
        ),
        serde_json::Value::Array(items) => {
            let out: Vec<String> = items
                .iter()
                .map(|v| fake_translate(v.as_str().unwrap()))
                .collect();
            Action::json(200, serde_json::json!({"translatedText": out}))
        }
        _ => Action::json(
            400,
            serde_json::json!({"error": "Invalid request: missing q parameter"}),
        ),
    }
}

/// The `q` texts of a LibreTranslate request.
pub fn q_texts(request: &Request) -> Vec<String> {
    match &request.json()["q"] {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect(),
        _ => vec![],
    }
}
