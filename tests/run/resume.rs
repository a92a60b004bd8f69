//! `selaras run` killed with SIGKILL at several points and run again: the output files are
//! byte-identical to an uninterrupted run, and finished translations are never redone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A line-contract translator: upper-cases each line after a short pause and logs every line
/// it receives, so the test can count what was sent.
const TRANSLATOR: &str = r#"
import sys, time
log = open(sys.argv[1], "a")
for line in sys.stdin:
    line = line.rstrip("\n")
    log.write(line + "\n"); log.flush()
    time.sleep(0.004)
    sys.stdout.write(line.upper()[::-1] + "\n"); sys.stdout.flush()
"#;

fn write_corpus(dir: &Path) {
    for d in 0..24 {
        let mut text = format!("Judul artikel nomor {d}\n\n");
        for p in 0..3 {
            for s in 0..4 {
                text.push_str(&format!(
                    "Kalimat {s} paragraf {p} dari dokumen {d} berisi Rp {d}.{p}00. "
                ));
            }
            text.push_str("\n\n");
        }
        let sub = dir.join(format!("bagian{}", d % 3));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("artikel{d:02}.txt")), text).unwrap();
    }
}

fn run_cmd(input: &Path, out: &Path, script: &Path, log: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_selaras"));
    cmd.arg("run")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args([
            "--backend",
            "command",
            "--from",
            "id",
            "--to",
            "en",
            "--quiet",
            "--batch-size",
            "8",
        ])
        .arg("--command")
        .arg(format!("python3 {} {}", script.display(), log.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn output_files(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        let path = entry.path();
        if path.is_file() {
            files.insert(
                path.strip_prefix(out).unwrap().to_path_buf(),
                std::fs::read(&path).unwrap(),
            );
        }
    }
    files
}

#[test]
fn killed_runs_resume_to_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_corpus(&input);
    let script = dir.path().join("mt.py");
    std::fs::write(&script, TRANSLATOR).unwrap();

    // Reference: one uninterrupted run.
    let ref_out = dir.path().join("ref");
    let ref_log = dir.path().join("ref.log");
    let status = run_cmd(&input, &ref_out, &script, &ref_log)
        .status()
        .unwrap();
    assert!(status.success());
    let reference = output_files(&ref_out);
    assert!(
        reference.contains_key(Path::new("pairs.jsonl")),
        "{:?}",
        reference.keys()
    );
    let unique = std::fs::read_to_string(&ref_log).unwrap().lines().count();

    // Interrupted: killed three times at different points, then completed.
    let out = dir.path().join("out");
    let log = dir.path().join("out.log");
    let mut kills = 0;
    for wait_ms in [150u64, 400, 700] {
        let mut child = run_cmd(&input, &out, &script, &log).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
    }
    let status = run_cmd(&input, &out, &script, &log).status().unwrap();
    assert!(status.success());
    assert!(
        kills >= 2,
        "the run finished before it could be killed; make the corpus bigger"
    );
    assert_eq!(output_files(&out), reference);

    // Only batches in flight at a kill can be sent again (batch 8, 2 batches in flight).
    let sent = std::fs::read_to_string(&log).unwrap().lines().count();
    assert!(
        sent >= unique && sent <= unique + kills * 2 * 8,
        "sent {sent}, unique {unique}, kills {kills}"
    );

    // A finished run translates nothing more.
    let before = std::fs::read_to_string(&log).unwrap().lines().count();
    assert!(run_cmd(&input, &out, &script, &log)
        .status()
        .unwrap()
        .success());
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().lines().count(),
        before
    );
    assert_eq!(output_files(&out), reference);
}
