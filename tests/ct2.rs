//! End-to-end tests of the CTranslate2 backend with the zh→en Argos pack from scripts/fetch-models.
//!
//! The reference files were produced by Python ctranslate2 4.8.4 + sentencepiece 0.2.1 with the
//! same settings (scripts/reference/ct2-reference, float32, beams 1 and 4); selaras must match them line for
//! line. In 8-bit (`zh_reference.beam4.int8.en.txt`, `--compute-type int8`) most lines must match.

#![cfg(feature = "ct2")]

use selaras::translate::ct2::{ComputeType, Ct2Spec, Ct2Translator};
use selaras::translate::Translator;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pack_dir() -> PathBuf {
    let dir = root().join("models/translate-zh_en-1_9");
    assert!(
        dir.join("model/model.bin").is_file(),
        "{} is not installed: run scripts/fetch-models first",
        dir.display()
    );
    dir
}

fn pack_file() -> PathBuf {
    let file = root().join("models/translate-zh_en-1_9.argosmodel");
    assert!(
        file.is_file(),
        "{} is not installed: run scripts/fetch-models first",
        file.display()
    );
    file
}

fn options(beam: u16) -> Ct2Spec {
    Ct2Spec {
        beam,
        compute_type: ComputeType::Float32,
        ..Ct2Spec::default()
    }
}

fn read_lines(name: &str) -> Vec<String> {
    let path = crate::util::data("ct2").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

fn assert_matches_reference(beam: u16, reference: &str) {
    let source = read_lines("zh_sentences.txt");
    let expected = read_lines(reference);
    assert!(source.len() >= 50);
    assert_eq!(source.len(), expected.len());
    let translator = Ct2Translator::load(&pack_dir(), &options(beam), "zh", "en").unwrap();
    let got = translator.translate_blocking(&source).unwrap();
    let differing: Vec<String> = (0..source.len())
        .filter(|&i| got[i] != expected[i])
        .map(|i| {
            format!(
                "line {}: {}\n  got:      {}\n  expected: {}",
                i + 1,
                source[i],
                got[i],
                expected[i]
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} lines differ:\n{}",
        differing.len(),
        differing.join("\n")
    );
}

#[test]
fn beam4_matches_python_ctranslate2() {
    assert_matches_reference(4, "zh_reference.beam4.en.txt");
}

#[test]
fn beam1_matches_python_ctranslate2() {
    assert_matches_reference(1, "zh_reference.beam1.en.txt");
}

#[test]
fn batching_does_not_change_translations() {
    let source = read_lines("zh_sentences.txt");
    let one_by_one = Ct2Spec {
        batch_tokens: 1,
        ..options(1)
    };
    let a = Ct2Translator::load(&pack_dir(), &options(1), "zh", "en").unwrap();
    let b = Ct2Translator::load(&pack_dir(), &one_by_one, "zh", "en").unwrap();
    let sample = &source[..20];
    assert_eq!(
        a.translate_blocking(sample).unwrap(),
        b.translate_blocking(sample).unwrap()
    );
}

#[test]
fn argosmodel_file_and_blank_lines() {
    let translator = Ct2Translator::load(&pack_file(), &options(4), "zh", "en").unwrap();
    let expected = read_lines("zh_reference.beam4.en.txt");
    let source = read_lines("zh_sentences.txt");
    let input = vec![
        source[0].clone(),
        String::new(),
        "   ".to_string(),
        source[4].clone(),
    ];
    let got = translator.translate_blocking(&input).unwrap();
    assert_eq!(
        got,
        vec![
            expected[0].clone(),
            String::new(),
            String::new(),
            expected[4].clone()
        ]
    );
    assert!(translator
        .identity()
        .starts_with("ct2:translate-zh_en-1_9:"));
}

#[test]
fn language_mismatch_names_metadata() {
    let err = Ct2Translator::load(&pack_dir(), &options(4), "id", "en")
        .err()
        .expect("zh pack must not load as id→en")
        .to_string();
    assert!(err.contains("metadata.json"), "{err}");
    assert!(
        err.contains("`zh`") && err.contains("--from is `id`"),
        "{err}"
    );
}

#[test]
fn corrupt_model_bin_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack_dir();
    std::fs::create_dir(dir.path().join("model")).unwrap();
    for f in ["metadata.json", "sentencepiece.model"] {
        std::fs::copy(pack.join(f), dir.path().join(f)).unwrap();
    }
    for f in ["config.json", "shared_vocabulary.json"] {
        std::fs::copy(pack.join("model").join(f), dir.path().join("model").join(f)).unwrap();
    }
    std::fs::write(dir.path().join("model/model.bin"), b"truncated").unwrap();
    let err = Ct2Translator::load(dir.path(), &options(4), "zh", "en")
        .err()
        .expect("a corrupt model.bin must not load")
        .to_string();
    assert!(
        err.contains("model.bin: cannot load the CTranslate2 model"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_translator_keeps_count_and_order() {
    let translator = Ct2Translator::load(&pack_dir(), &options(4), "zh", "en").unwrap();
    let expected = read_lines("zh_reference.beam4.en.txt");
    let source = read_lines("zh_sentences.txt");
    let batch: Vec<String> = [9, 3, 0].iter().map(|&i| source[i].clone()).collect();
    let got = translator.translate(&batch).await.unwrap();
    assert_eq!(
        got,
        vec![
            expected[9].clone(),
            expected[3].clone(),
            expected[0].clone()
        ]
    );
    assert_eq!(
        (translator.source_lang(), translator.target_lang()),
        ("zh", "en")
    );
}

#[test]
fn cli_keeps_one_line_per_line() {
    let source = read_lines("zh_sentences.txt");
    let expected = read_lines("zh_reference.beam4.en.txt");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, format!("{}\n\n{}\n", source[1], source[2])).unwrap();
    let output = translate_cli(&["--model"], &input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, format!("{}\n\n{}\n", expected[1], expected[2]));

    let missing = Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args([
            "translate",
            "--from",
            "zh",
            "--model",
            "models/no-such-model",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("no-such-model: model not found"),
        "{stderr}"
    );
}

/// Over two replicas sharing each call's batches, the command line gives Python ctranslate2's
/// translations (float32, beam 4).
#[test]
fn cli_two_replicas_match_python_ctranslate2() {
    let expected = read_lines("zh_reference.beam4.en.txt");
    let input = crate::util::data("ct2").join("zh_sentences.txt");
    let args = ["--ct2-threads", "2", "--ct2-replicas", "2", "--ct2-model"];
    assert_eq!(translated_lines(&args, &input), expected);
}

/// In 8-bit the command line (oneDNN kernels, default layout) gives Python ctranslate2's 8-bit
/// translations for most lines: about one in six differs in word choice (BENCHMARKS.md).
#[test]
fn cli_int8_mostly_matches_python_ctranslate2() {
    let expected = read_lines("zh_reference.beam4.int8.en.txt");
    let input = crate::util::data("ct2").join("zh_sentences.txt");
    let got = translated_lines(&["--compute-type", "int8", "--ct2-model"], &input);
    assert_eq!(got.len(), expected.len());
    let same = got.iter().zip(&expected).filter(|(a, b)| a == b).count();
    assert!(
        same * 4 >= expected.len() * 3,
        "only {same} of {} lines match Python's 8-bit output",
        expected.len()
    );
}

/// The lines [`translate_cli`] prints, once it has succeeded.
fn translated_lines(args: &[&str], input: &std::path::Path) -> Vec<String> {
    let output = translate_cli(args, input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.lines().map(str::to_string).collect()
}

/// `selaras translate --backend ct2` from zh to en with `args`, the pack's folder, then `input`.
fn translate_cli(args: &[&str], input: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args([
            "translate",
            "--backend",
            "ct2",
            "--from",
            "zh",
            "--to",
            "en",
        ])
        .args(args)
        .arg(pack_dir())
        .arg(input)
        .output()
        .unwrap()
}
