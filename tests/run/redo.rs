//! `selaras run` again after a change: only what the change affects is redone (an edited
//! article, an align setting, another e5 model file), and the output follows the change.

use std::path::PathBuf;
use std::process::Command;

/// Upper-cases each line and logs it, so the test sees what reached the backend.
const TRANSLATOR: &str = r#"
import sys
log = open(sys.argv[1], "a")
for line in sys.stdin:
    log.write(line); log.flush()
    sys.stdout.write(line.upper()); sys.stdout.flush()
"#;

struct Setup {
    _dir: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
    log: PathBuf,
    script: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for (name, body) in [
        ("a", "Kucing tidur."),
        ("b", "Anjing lari."),
        ("c", "Burung terbang."),
    ] {
        let text = format!("Judul {name}\n\n{body} Hari ini cerah.\n");
        std::fs::write(input.join(format!("{name}.txt")), text).unwrap();
    }
    Setup {
        input,
        out: dir.path().join("out"),
        log: dir.path().join("sent.log"),
        script: dir.path().join("mt.py"),
        _dir: dir,
    }
}

/// Run `selaras run` on the setup's input; returns stderr's summary line.
fn run(s: &Setup, extra: &[&str]) -> String {
    std::fs::write(&s.script, TRANSLATOR).unwrap();
    let command = format!("python3 {} {}", s.script.display(), s.log.display());
    let output = Command::new(env!("CARGO_BIN_EXE_selaras"))
        .arg("run")
        .arg(&s.input)
        .arg("--out")
        .arg(&s.out)
        .args([
            "--backend",
            "command",
            "--command",
            &command,
            "--formats",
            "jsonl",
        ])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let summary = stderr
        .lines()
        .find(|l| l.contains(" documents ("))
        .unwrap_or_default();
    summary.to_string()
}

fn sent(s: &Setup) -> Vec<String> {
    let log = std::fs::read_to_string(&s.log).unwrap_or_default();
    log.lines().map(str::to_string).collect()
}

fn pairs(s: &Setup) -> String {
    std::fs::read_to_string(s.out.join("pairs.jsonl")).unwrap()
}

#[test]
fn an_edited_article_alone_is_redone() {
    let s = setup();
    assert!(run(&s, &["--no-embed"]).contains("3 documents (0 resumed"));
    let first_sent = sent(&s).len();
    assert!(run(&s, &["--no-embed"]).contains("3 documents (3 resumed"));
    std::fs::write(
        s.input.join("b.txt"),
        "Judul b\n\nAnjing tidur. Hari ini cerah.\n",
    )
    .unwrap();
    assert!(run(&s, &["--no-embed"]).contains("3 documents (2 resumed"));
    // Only the new sentence reached the backend; the others came from the cache.
    assert_eq!(sent(&s)[first_sent..], ["Anjing tidur."]);
    let out = pairs(&s);
    assert!(
        out.contains("ANJING TIDUR.") && !out.contains("ANJING LARI."),
        "{out}"
    );
    let run_json = std::fs::read_to_string(s.out.join(".selaras/run.json")).unwrap();
    assert!(run_json.contains("\"e5_model\": \"none\""), "{run_json}");
}

#[test]
fn an_align_setting_redoes_aligned_documents() {
    let s = setup();
    let en = s.out.with_file_name("en");
    std::fs::create_dir_all(&en).unwrap();
    for (name, body) in [
        ("a", "The cat sleeps."),
        ("b", "The dog runs."),
        ("c", "The bird flies."),
    ] {
        let text = format!("Title {name}\n\n{body} Today is sunny.\n");
        std::fs::write(en.join(format!("{name}.txt")), text).unwrap();
    }
    let tgt = ["--no-embed", "--tgt-dir", en.to_str().unwrap()];
    assert!(run(&s, &tgt).contains("3 documents (0 resumed"));
    assert!(run(&s, &tgt).contains("3 documents (3 resumed"));
    let penalty = [&tgt[..], &["--merge-penalty", "0.9"]].concat();
    assert!(run(&s, &penalty).contains("3 documents (0 resumed"));
    assert!(run(&s, &penalty).contains("3 documents (3 resumed"));
    let run_json = std::fs::read_to_string(s.out.join(".selaras/run.json")).unwrap();
    assert!(run_json.contains("\"merge_penalty\": 0.9"), "{run_json}");
    // The human translation changed: that document only.
    std::fs::write(
        en.join("c.txt"),
        "Title c\n\nThe bird sings. Today is sunny.\n",
    )
    .unwrap();
    assert!(run(&s, &penalty).contains("3 documents (2 resumed"));
    assert!(pairs(&s).contains("The bird sings."));
}

#[test]
fn another_e5_model_file_redoes_the_scores() {
    let model = crate::util::root().join("models/e5-small-q4.bin");
    if !model.is_file() {
        eprintln!("skipped: {} is not installed", model.display());
        return;
    }
    let s = setup();
    let copy = s.out.with_file_name("e5-copy.bin");
    let mut bytes = std::fs::read(&model).unwrap();
    let arg = ["--e5-model", copy.to_str().unwrap()];
    std::fs::write(&copy, &bytes).unwrap();
    assert!(run(&s, &arg).contains("3 documents (0 resumed"));
    assert!(run(&s, &arg).contains("3 documents (3 resumed"));
    // One byte of the weights differs (the middle of the file is in the word embeddings).
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&copy, &bytes).unwrap();
    assert!(run(&s, &arg).contains("3 documents (0 resumed"));
    assert!(pairs(&s).contains("\"embed\":"));
}
