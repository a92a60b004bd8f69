//! Sharded runs and `selaras merge`: shard assignment from the command line, the merge's
//! byte-identical output and its refusals, shards killed and resumed, and the run-folder lock.

mod kill;
mod lock;
mod merge;
mod spec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A line-contract translator: reverses each upper-cased line after `SELARAS_TEST_DELAY`
/// seconds, and appends every line it receives to the log named by its first argument.
pub const TRANSLATOR: &str = r#"
import os, sys, time
log = open(sys.argv[1], "a")
delay = float(os.environ.get("SELARAS_TEST_DELAY", "0"))
for line in sys.stdin:
    line = line.rstrip("\n")
    log.write(line + "\n"); log.flush()
    time.sleep(delay)
    sys.stdout.write(line.upper()[::-1] + "\n"); sys.stdout.flush()
"#;

/// A folder with `count` articles in three sub-folders, sentences shared between articles.
pub fn write_articles(dir: &Path, count: usize) {
    for d in 0..count {
        let mut text = format!("Judul artikel nomor {d}\n\n");
        for p in 0..2 {
            for s in 0..3 {
                text.push_str(&format!(
                    "Kalimat {s} paragraf {p} dari dokumen {} berisi Rp {d}.{p}00. ",
                    d % 7
                ));
            }
            text.push_str("\n\n");
        }
        let sub = dir.join(format!("bagian{}", d % 3));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("artikel{d:03}.txt")), text).unwrap();
    }
}

/// A test folder: input articles, the translator script and its log.
pub struct Setup {
    /// The temporary folder everything lives in.
    pub dir: tempfile::TempDir,
    /// The input folder.
    pub input: PathBuf,
    script: PathBuf,
    /// Every line sent to the translator, by any run.
    pub log: PathBuf,
}

impl Setup {
    /// A folder with `count` articles.
    pub fn new(count: usize) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        write_articles(&input, count);
        let script = dir.path().join("mt.py");
        std::fs::write(&script, TRANSLATOR).unwrap();
        let log = dir.path().join("mt.log");
        Setup {
            dir,
            input,
            script,
            log,
        }
    }

    /// A path inside the test folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `selaras run INPUT --out OUT` with the translator, no embeddings, and `extra` arguments.
    pub fn run(&self, out: &Path, extra: &[&str]) -> Command {
        self.run_on(&self.input, out, extra)
    }

    /// [`Setup::run`] over another input folder.
    pub fn run_on(&self, input: &Path, out: &Path, extra: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_selaras"));
        cmd.arg("run").arg(input).arg("--out").arg(out);
        cmd.args(["--backend", "command", "--from", "id", "--to", "en"]);
        cmd.args(["--quiet", "--no-embed", "--batch-size", "8"]);
        cmd.arg("--command").arg(format!(
            "python3 {} {}",
            self.script.display(),
            self.log.display()
        ));
        cmd.args(extra);
        cmd
    }

    /// Lines sent to the translator so far.
    pub fn sent(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    }
}

/// Run `selaras` with these arguments.
pub fn selaras<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(args)
        .output()
        .unwrap()
}

/// Run a command to completion; panics with its stderr when it fails.
pub fn ok(cmd: &mut Command) -> Output {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The files directly in `out` (not the run state), by name.
pub fn output_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        if entry.path().is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// The document ids in a run folder's `pairs.jsonl`, in order, without repeats.
pub fn document_ids(out: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("pairs.jsonl")).unwrap();
    let mut ids: Vec<String> = Vec::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = value["doc_id"].as_str().unwrap().to_string();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    ids
}
