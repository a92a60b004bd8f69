//! `selaras eval translate` reproduces sacrebleu's default BLEU and chrF on the fixtures made by
//! scripts/dev/make-mt-score-fixtures.sh (sacrebleu 2.6.0).

use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    crate::util::data("mt_scores")
}

fn score(name: &str) -> serde_json::Value {
    let dir = fixtures();
    let out = Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(["eval", "translate", "--json", "--ref"])
        .arg(dir.join(format!("{name}.ref")))
        .arg("--hyp")
        .arg(dir.join(format!("{name}.hyp")))
        .output()
        .expect("run selaras");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON scores")
}

#[test]
fn bleu_and_chrf_equal_sacrebleu() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).unwrap())
            .unwrap();
    for name in ["copy", "perturbed", "edge"] {
        let got = score(name);
        for metric in ["bleu", "chrf"] {
            let want = expected[name][metric].as_f64().unwrap();
            let have = got[metric].as_f64().unwrap();
            assert!(
                (want - have).abs() < 1e-9,
                "{name} {metric}: selaras {have}, sacrebleu {want}"
            );
        }
    }
}

#[test]
fn mismatched_line_counts_are_a_clear_error() {
    let dir = fixtures();
    let out = Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(["eval", "translate", "--ref"])
        .arg(dir.join("edge.ref"))
        .arg("--hyp")
        .arg(dir.join("copy.hyp"))
        .output()
        .expect("run selaras");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("copy.hyp has 150 lines but") && err.contains("edge.ref has 7"),
        "{err}"
    );
}
