//! End-to-end tests of `selaras run` with a real line-contract program as the backend.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(args)
        .output()
        .expect("selaras runs")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn bad_documents_fail_alone_and_nothing_escapes_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("news")).unwrap();
    std::fs::write(
        input.join("news/satu.txt"),
        "Judul Satu\n\nPresiden tiba pada 21 November. Dia membawa Rp 1.000.\n",
    )
    .unwrap();
    std::fs::write(input.join("news/rusak.txt"), b"Judul\n\nKata \xff rusak.\n").unwrap();
    std::fs::write(
        input.join("extra.jsonl"),
        "{\"id\": \"../../escape\", \"text\": \"Halo dunia.\"}\n{\"id\": 3}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = run(&[
        "run",
        p(&input),
        "--out",
        p(&out),
        "--backend",
        "command",
        "--command",
        "sed -u s/Presiden/President/",
        "--quiet",
    ]);
    assert_eq!(result.status.code(), Some(1));
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(
        err.contains("rusak.txt") && err.contains("byte offset"),
        "{err}"
    );
    assert!(err.contains("extra.jsonl:2"), "{err}");
    assert!(result.stdout.is_empty());

    let jsonl = std::fs::read_to_string(out.join("pairs.jsonl")).unwrap();
    assert!(jsonl.contains("\"escape\""), "{jsonl}");
    assert!(jsonl.contains("President tiba pada 21 November."));
    assert!(!dir.path().join("escape").exists());
    let moses_src = std::fs::read_to_string(out.join("corpus.id")).unwrap();
    let moses_tgt = std::fs::read_to_string(out.join("corpus.en")).unwrap();
    assert_eq!(moses_src.lines().count(), moses_tgt.lines().count());
    assert_eq!(moses_src.lines().count(), 4);
    let tmx = std::fs::read_to_string(out.join("corpus.tmx")).unwrap();
    assert!(
        tmx.contains("<tuv xml:lang=\"id\"><seg>Halo dunia.</seg></tuv>"),
        "{tmx}"
    );
    assert!(std::fs::read_to_string(out.join("report.html"))
        .unwrap()
        .contains("Halo dunia."));
}

#[test]
fn unknown_format_and_missing_input_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = run(&[
        "run",
        "corpus/id",
        "--out",
        p(&out),
        "--backend",
        "command",
        "--command",
        "cat",
        "--formats",
        "jsonl,xlsx",
    ]);
    assert_ne!(result.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&result.stderr).contains("xlsx"));
    let missing = dir.path().join("nope");
    let result = run(&[
        "run",
        p(&missing),
        "--out",
        p(&out),
        "--backend",
        "command",
        "--command",
        "cat",
    ]);
    assert_ne!(result.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&result.stderr).contains("nope"));
}

#[test]
fn run_help_has_an_example() {
    let result = run(&["run", "--help"]);
    assert!(result.status.success());
    assert!(
        String::from_utf8_lossy(&result.stdout).contains("selaras run corpus/id --out corpus/out")
    );
}
