//! Command backend (Bitextor's line contract) with real programs.

use std::time::{Duration, Instant};

use selaras::translate::command::{CommandMode, CommandTranslator};
use selaras::translate::{TranslateError, Translator};

fn cmd(program: &str, mode: CommandMode, timeout_ms: u64) -> CommandTranslator {
    CommandTranslator::new(
        program,
        mode,
        Duration::from_millis(timeout_ms),
        2,
        "id",
        "en",
    )
    .unwrap()
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn per_batch_transforms_every_line_in_order() {
    let t = cmd("sed 's/^/EN: /'", CommandMode::PerBatch, 5000);
    let out = t.translate(&lines(&["satu", "dua", "tiga"])).await.unwrap();
    assert_eq!(out, lines(&["EN: satu", "EN: dua", "EN: tiga"]));
}

#[tokio::test]
async fn persistent_process_serves_batch_after_batch() {
    let program = "python3 -u -c 'import sys\nfor l in sys.stdin: print(l.rstrip(\"\\n\").upper(), flush=True)'";
    let t = cmd(program, CommandMode::Persistent, 5000);
    let first = t.translate(&lines(&["satu", "dua"])).await.unwrap();
    let second = t
        .translate(&lines(&["tiga", "empat", "lima"]))
        .await
        .unwrap();
    assert_eq!(first, lines(&["SATU", "DUA"]));
    assert_eq!(second, lines(&["TIGA", "EMPAT", "LIMA"]));
    // A big batch: writing and reading must overlap or the pipes fill up.
    let many: Vec<String> = (0..5000)
        .map(|i| format!("kalimat {i} {}", "x".repeat(40)))
        .collect();
    let out = t.translate(&many).await.unwrap();
    assert_eq!(out.len(), 5000);
    assert_eq!(out[4999], many[4999].to_uppercase());
}

#[tokio::test]
async fn newlines_inside_a_sentence_do_not_break_the_contract() {
    let t = cmd("sed -u 's/^/> /'", CommandMode::Persistent, 5000);
    let out = t.translate(&lines(&["a\nb", "c\r\nd", "e"])).await.unwrap();
    assert_eq!(out, lines(&["> a b", "> c d", "> e"]));
}

#[tokio::test]
async fn a_dropped_line_is_a_clear_error() {
    let t = cmd("sed '2d'", CommandMode::PerBatch, 5000);
    let err = t
        .translate(&lines(&["satu", "dua", "tiga"]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, TranslateError::Config(_)),
        "not retried: {err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("wrote 2 lines for 3 input lines"), "{msg}");
    assert!(msg.contains("sed '2d'"), "{msg}");

    let t = cmd("sed -u '2d'", CommandMode::Persistent, 500);
    let err = t
        .translate(&lines(&["satu", "dua", "tiga"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("answered 2 of 3 lines"), "{err}");
}

#[tokio::test]
async fn timeouts_and_failures_are_reported() {
    let t = cmd("sleep 5", CommandMode::PerBatch, 300);
    let start = Instant::now();
    let err = t
        .translate(&lines(&["satu"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "the timeout was not applied"
    );
    assert!(err.contains("no answer within"), "{err}");

    let t = cmd("echo broken model >&2; exit 3", CommandMode::PerBatch, 5000);
    let err = t
        .translate(&lines(&["satu"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("exit status: 3") && err.contains("broken model"),
        "{err}"
    );

    let t = cmd(
        "definitely-not-a-program-selaras",
        CommandMode::PerBatch,
        5000,
    );
    let err = t
        .translate(&lines(&["satu"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("definitely-not-a-program-selaras"), "{err}");
}

#[tokio::test]
async fn a_buffering_program_in_persistent_mode_times_out_and_is_restarted() {
    // `tr` buffers its output until end of input: persistent mode cannot work with it.
    let t = cmd("tr a-z A-Z", CommandMode::Persistent, 300);
    let err = t
        .translate(&lines(&["satu"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("persistent mode") && err.contains("per-batch"),
        "{err}"
    );
    // Per-batch mode is the fix.
    let t = cmd("tr a-z A-Z", CommandMode::PerBatch, 5000);
    assert_eq!(
        t.translate(&lines(&["satu"])).await.unwrap(),
        lines(&["SATU"])
    );
}

#[tokio::test]
async fn several_persistent_processes_serve_batches_in_parallel() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // Each process notes its pid, then answers line by line, slowly enough for batches to overlap.
    let program = format!(
        "echo $$ >> '{}'; exec python3 -u -c 'import sys,time\nfor l in sys.stdin:\n    time.sleep(0.01); print(\"EN:\" + l.rstrip(\"\\n\"), flush=True)'",
        pids.display()
    );
    let t = std::sync::Arc::new(
        CommandTranslator::new(
            &program,
            CommandMode::Persistent,
            Duration::from_secs(20),
            3,
            "id",
            "en",
        )
        .unwrap(),
    );
    let input: Vec<String> = (0..60).map(|i| format!("kalimat {i}")).collect();
    let out = selaras::translate::batcher::translate_all(t, &input, 4, 3).await;
    let out: Vec<String> = out.into_iter().map(Result::unwrap).collect();
    let want: Vec<String> = input.iter().map(|s| format!("EN:{s}")).collect();
    assert_eq!(out, want);
    let started = std::fs::read_to_string(&pids).unwrap().lines().count();
    assert!(
        (2..=3).contains(&started),
        "up to three long-lived processes, each started once, used in parallel: {started}"
    );
}
