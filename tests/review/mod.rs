//! `selaras review` and `selaras export`: the JSON API on a real server on loopback, the app in
//! headless Chromium, and the reviewed corpus.

mod api;
mod bench;
mod browser;
mod export;

use crate::util::http::{self, Answer};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The hostile article: markup that would run script if it were inserted as HTML.
pub const HOSTILE: &str = "Judul Berbahaya\n\n\
    Kalimat <script>document.title='pwned-script'</script> di sini. \
    Gambar <img src=x onerror=\"document.title='pwned-img'\"> juga ada. \
    Lalu \"><svg onload=\"document.title='pwned-svg'\"> tamat.\n";

pub fn selaras(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(args)
        .output()
        .expect("selaras runs")
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Writes the articles of the tests under `dir/in` and runs `selaras run` on them with a
/// line-contract command backend; returns the run folder `dir/out`.
pub fn make_run(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("a.txt"),
        "Judul Satu\n\nPresiden tiba pada 21 November. Dia membawa Rp 1.000.\n",
    )
    .unwrap();
    std::fs::write(input.join("hostile.txt"), HOSTILE).unwrap();
    run_pipeline(&input, &dir.join("out"));
    dir.join("out")
}

/// Runs `selaras run INPUT --out OUT` with the command backend.
pub fn run_pipeline(input: &Path, out: &Path) {
    let result = selaras(&[
        "run",
        p(input),
        "--out",
        p(out),
        "--backend",
        "command",
        "--command",
        "sed -u s/Presiden/President/",
        "--no-embed",
        "--quiet",
    ]);
    assert!(
        result.status.success(),
        "selaras run failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// A running `selaras review`, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The URL it printed.
    pub url: String,
}

impl Server {
    /// Starts `selaras review OUT --addr 127.0.0.1:0 EXTRA…` and waits for its URL.
    pub fn start(out: &Path, extra: &[&str]) -> Server {
        let mut args = vec!["review", p(out), "--reviewer", "ana"];
        if !extra.contains(&"--addr") {
            args.extend(["--addr", "127.0.0.1:0"]);
        }
        args.extend(extra);
        let child = Command::new(env!("CARGO_BIN_EXE_selaras"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("selaras review starts");
        // Built first, so that a failed start still kills the process.
        let mut server = Server {
            child,
            addr: String::new(),
            url: String::new(),
        };
        let mut line = String::new();
        BufReader::new(server.child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        server.url = line.trim().to_string();
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "printed `{line}`"
        );
        server.addr = server.url["http://".len()..]
            .split('/')
            .next()
            .unwrap()
            .to_string();
        server
    }

    pub fn get(&self, path: &str) -> Answer {
        http::request(&self.addr, "GET", path, &[], "")
    }

    /// POSTs a change of pair `id` as the app does (same origin, JSON).
    pub fn decide(&self, id: usize, body: serde_json::Value) -> Answer {
        let origin = format!("http://{}", self.addr);
        http::request(
            &self.addr,
            "POST",
            &format!("/api/pairs/{id}"),
            &[("Origin", &origin), ("Content-Type", "application/json")],
            &body.to_string(),
        )
    }

    /// Kills the server with SIGKILL: no chance to flush anything.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pairs of the run in document order (`GET /api/pairs?order=doc`).
pub fn all_pairs(server: &Server) -> Vec<serde_json::Value> {
    let page = server.get("/api/pairs?order=doc&limit=1000").json();
    page["pairs"].as_array().unwrap().clone()
}

/// The id of the first pair whose source contains `text`.
pub fn pair_with(server: &Server, text: &str) -> usize {
    let pairs = all_pairs(server);
    let pair = pairs
        .iter()
        .find(|p| p["src"].as_str().unwrap().contains(text))
        .unwrap_or_else(|| panic!("no pair with `{text}` in {pairs:?}"));
    pair["id"].as_u64().unwrap() as usize
}
