//! `selaras translate` and `selaras backends` end to end against loopback servers and programs.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::util::server::{fake_translate, libretranslate_ok, q_texts, Action, TestServer};
use serde_json::json;

fn selaras(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_selaras"));
    cmd.args(args)
        .env_remove("SELARAS_CONFIG")
        .env_remove("SELARAS_LIBRETRANSLATE_KEY")
        .env_remove("OPENAI_API_KEY")
        .env("HOME", "/nonexistent-selaras-home")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(data.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Lines with blanks among them, as `selaras split` writes them.
fn input_text(n: usize) -> (String, Vec<String>) {
    let mut lines = Vec::new();
    for i in 0..n {
        if i % 10 == 9 {
            lines.push(String::new());
        } else {
            lines.push(format!("Kalimat ke-{i}: harga naik {i} persen."));
        }
    }
    (lines.join("\n") + "\n", lines)
}

fn expected_output(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                fake_translate(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Every third request gets one of seven faults.
fn misbehaving(r: &crate::util::server::Request) -> Action {
    if !r.seq.is_multiple_of(3) {
        return libretranslate_ok(r);
    }
    match (r.seq / 3) % 7 {
        0 => Action::json(500, json!({"error": "Internal Server Error"})),
        1 => Action::Drop,
        2 => Action::Truncate(r#"{"translatedText": ["partial", "answer"]}"#.into()),
        3 => Action::Respond(
            429,
            vec![("Retry-After".into(), "1".into())],
            r#"{"error":"Too many requests"}"#.into(),
        ),
        4 => {
            let n = q_texts(r).len();
            Action::json(200, json!({"translatedText": vec!["x"; n + 1]}))
        }
        5 => Action::json(503, json!({"error": "Service Unavailable"})),
        _ => Action::Delay(Duration::from_millis(1200), Box::new(libretranslate_ok(r))),
    }
}

#[test]
fn translate_survives_a_misbehaving_libretranslate_server() {
    let server = TestServer::start(misbehaving);
    let (text, lines) = input_text(120);
    let out = selaras(
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--endpoint",
            &server.url,
            "--from",
            "id",
            "--to",
            "en",
            "--timeout",
            "0.5",
            "--retry-base-ms",
            "20",
            "--batch-size",
            "8",
        ],
        &text,
        &[],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        expected_output(&lines)
    );
}

#[test]
fn translate_with_default_budgets_survives_intermittent_faults() {
    // No delay faults here: with default settings a request times out only after minutes.
    let server = TestServer::start(|r| {
        if r.seq % 4 != 1 {
            return libretranslate_ok(r);
        }
        match (r.seq / 4) % 4 {
            0 => Action::json(500, json!({"error": "boom"})),
            1 => Action::Drop,
            2 => Action::Truncate(r#"{"translatedText": ["a", "b"]}"#.into()),
            _ => Action::json(200, json!({"translatedText": []})),
        }
    });
    let (text, lines) = input_text(60);
    let out = selaras(
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--endpoint",
            &server.url,
            "--from",
            "id",
            "--to",
            "en",
        ],
        &text,
        &[],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        expected_output(&lines)
    );
}

#[test]
fn a_sentence_the_server_always_refuses_is_reported_and_the_rest_delivered() {
    let server = TestServer::start(|r| {
        if q_texts(r).iter().any(|q| q.contains("RACUN")) {
            Action::json(400, json!({"error": "text contains a forbidden word"}))
        } else {
            libretranslate_ok(r)
        }
    });
    let text = "Satu.\nIni RACUN.\nTiga.\n";
    let out = selaras(
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--endpoint",
            &server.url,
            "--retry-base-ms",
            "10",
        ],
        text,
        &[("SELARAS_LIBRETRANSLATE_KEY", "hidden-key-42")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "EN<Satu.>\n\nEN<Tiga.>\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("<stdin>:2")
            && stderr.contains("forbidden word")
            && stderr.contains("HTTP 400"),
        "{stderr}"
    );
    assert!(!stderr.contains("hidden-key-42"));
    // The key went into the request body.
    assert_eq!(
        server.requests.lock().unwrap()[0].json()["api_key"],
        "hidden-key-42"
    );
}

#[test]
fn translate_with_a_command_keeps_lines_and_blanks() {
    let out = selaras(
        &[
            "translate",
            "--backend",
            "command",
            "--command",
            "tr a-z A-Z",
            "--batch-size",
            "2",
        ],
        "satu\n\ndua\ntiga\n",
        &[],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "SATU\n\nDUA\nTIGA\n"
    );

    let out = selaras(
        &["translate", "--backend", "command", "--command", "sed 2d"],
        "a\nb\nc\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("wrote 2 lines for 3 input lines"),
        "{stderr}"
    );
}

#[test]
fn unknown_backends_and_missing_endpoints_are_usage_errors() {
    let out = selaras(&["translate", "--backend", "nope"], "a\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown backend 'nope'"));
    let out = selaras(&["translate", "--backend", "libretranslate"], "a\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--endpoint"));
}

#[test]
fn backends_lists_configured_backends_and_whether_they_answer() {
    let server = TestServer::start(|r| {
        if r.path == "/languages" {
            Action::json(
                200,
                json!([{"code": "id", "name": "Indonesian", "targets": ["en"]}]),
            )
        } else {
            libretranslate_ok(r)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("selaras.toml");
    std::fs::write(
        &config,
        format!(
            "[backends.office]\ntype = \"libretranslate\"\nendpoint = \"{}\"\napi_key_env = \"OFFICE_KEY\"\n\n\
             [backends.gone]\ntype = \"libretranslate\"\nendpoint = \"http://127.0.0.1:9\"\ntimeout = 1\n\n\
             [backends.upper]\ntype = \"command\"\ncommand = \"tr a-z A-Z\"\n",
            server.url
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let out = selaras(
        &["backends", "--config", config],
        "",
        &[("OFFICE_KEY", "office-secret")],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "one backend is down: {stdout}");
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name}\t")))
            .unwrap_or("")
            .to_string()
    };
    assert!(line("office").contains("answers (HTTP 200)"), "{stdout}");
    assert!(line("gone").contains("does not answer"), "{stdout}");
    assert!(line("upper").contains("SELAMAT PAGI."), "{stdout}");
    assert!(!stdout.contains("office-secret"));

    // A named backend from the config is usable by translate.
    let out = selaras(
        &["translate", "--config", config, "--backend", "office"],
        "Halo.\n",
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "EN<Halo.>\n");
}

#[test]
fn translate_with_an_openai_compatible_server_key_from_env_and_glossary() {
    let server = TestServer::start(|r| {
        let body = r.json();
        let user = body["messages"][1]["content"].as_str().unwrap().to_string();
        let reply: Vec<String> = user
            .lines()
            .map(|l| {
                let (k, text) = l.split_once(". ").unwrap();
                format!("{k}. {}", fake_translate(text))
            })
            .collect();
        Action::json(
            200,
            json!({"choices": [{"message": {"role": "assistant", "content": reply.join("\n")}}]}),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let glossary = dir.path().join("terms.tsv");
    std::fs::write(&glossary, "bank sentral\tcentral bank\n").unwrap();
    let out = selaras(
        &[
            "translate",
            "--backend",
            "openai",
            "--endpoint",
            &format!("{}/v1", server.url),
            "--llm-model",
            "tiny",
            "--glossary",
            glossary.to_str().unwrap(),
        ],
        "Bank sentral naik.\n\nHarga turun.\n",
        &[("OPENAI_API_KEY", "sk-from-env")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "EN<Bank sentral naik.>\n\nEN<Harga turun.>\n"
    );
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 1, "one batch");
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer sk-from-env")
    );
    let body = requests[0].json();
    assert_eq!(body["model"], "tiny");
    assert!(body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("bank sentral → central bank"));
}
