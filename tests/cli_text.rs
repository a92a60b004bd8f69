//! End-to-end tests of `selaras normalize` and `selaras split` on real files.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn selaras(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start selaras");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().expect("selaras runs")
}

#[test]
fn split_sample_article_keeps_paragraphs() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/id/000_34eefe9bf056606c.txt"
    );
    let out = selaras(&["split", path, "--lang", "id"], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(
        paragraphs[0],
        "WP: Sekretaris Jenderal NATO Rutte Mendesak Trump Agar Tidak Menyerah pada Rusia"
    );
    assert!(paragraphs.contains(&"Foto: AFP"));
    assert!(text.contains(
        "mencoba meyakinkan Partai Republik agar tidak menyerah pada Rusia.\nThe Washington Post melaporkan hal ini pada 21 November, mengutip sumber.\n"
    ));
    assert!(!text.contains("\n\n\n"));
}

#[test]
fn invalid_utf8_names_file_and_offset_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, b"Satu.\nDua \xC3\x28 tiga.\n").unwrap();
    let out = selaras(&["split", path.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.txt") && err.contains("byte offset 10"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let out = selaras(&["split", path.to_str().unwrap(), "--lossy"], b"");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Satu.\nDua \u{FFFD}( tiga.\n"
    );
}

#[test]
fn binary_input_is_a_clear_error() {
    let out = selaras(&["normalize", "-"], b"\x7fELF\x02\x01\x01\0\0\0");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary"));
}

#[test]
fn empty_input_gives_empty_output() {
    for cmd in ["split", "normalize"] {
        let out = selaras(&[cmd, "-"], b"");
        assert!(out.status.success());
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn normalize_stats_go_to_stderr() {
    let out = selaras(&["normalize", "--stats"], "a\u{00A0}b\r\n".as_bytes());
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a b\n");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("odd_spaces\t1") && err.contains("line_endings\t1"),
        "{err}"
    );
}

#[test]
fn eval_segment_last_line_format() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.txt");
    std::fs::write(
        &gold,
        "Dr. Budi datang.\nDia pergi.\n\nSatu kalimat saja.\n",
    )
    .unwrap();
    let out = selaras(&["eval", "segment", "--gold", gold.to_str().unwrap()], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().last().unwrap(), "P 1.0000 R 1.0000 F1 1.0000");
}

#[test]
fn every_command_has_an_example_in_help() {
    for cmd in [vec!["normalize"], vec!["split"], vec!["eval", "segment"]] {
        let mut args = cmd.clone();
        args.push("--help");
        let out = selaras(&args, b"");
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Example:"),
            "{cmd:?}"
        );
    }
}
