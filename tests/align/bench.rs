//! Timings (run explicitly, release build):
//! `cargo test --release --test tests -- align::bench:: --ignored --nocapture --test-threads 1`.

use selaras::align::{AlignConfig, AlignInputs, Aligner, Method, SideEmbeddings};
use selaras::embed::e5::{default_model_path, E5Model};
use std::time::Instant;

/// Embedding throughput of the in-process encoder on the reference fixture sentences;
/// threads from `SELARAS_THREADS` (default 2). Compare with
/// `OMP_NUM_THREADS=2 scripts/reference/e5-reference.sh tests/data/e5/sentences.txt /tmp/ref.f32 3`.
#[test]
#[ignore]
fn embedding_throughput() {
    let threads: usize = std::env::var("SELARAS_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let path = default_model_path();
    assert!(path.exists(), "run scripts/fetch-models");
    let model = E5Model::load(&path, threads).unwrap();
    let text = std::fs::read_to_string(crate::util::data("e5/sentences.txt")).unwrap();
    let sentences: Vec<&str> = text.lines().collect();
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let v = model.embed_sync(&sentences);
        assert_eq!(v.len(), sentences.len());
        best = best.min(t.elapsed().as_secs_f64());
    }
    eprintln!(
        "selaras e5 ({:?}, {threads} threads): {} texts, best of 3: {best:.3} s ({:.1} texts/s)",
        model.simd(),
        sentences.len(),
        sentences.len() as f64 / best
    );
}

fn synthetic_side(n: usize, dim: usize, seed: u64, keep: impl Fn(usize) -> bool) -> Vec<Vec<f32>> {
    // Sentence i of the "source" has a random direction; the "target" shares it plus noise.
    let mut out = Vec::new();
    for i in 0..n {
        if !keep(i) {
            continue;
        }
        let mut x = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut s = seed.wrapping_add(i as u64);
        let v: Vec<f32> = (0..dim)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (x % 1000) as f32 / 1000.0 - 0.5 + 0.3 * ((s % 1000) as f32 / 1000.0 - 0.5)
            })
            .collect();
        out.push(v);
    }
    out
}

fn with_runs(single: Vec<Vec<f32>>, max_run: usize) -> SideEmbeddings {
    let n = single.len();
    let mut all = single.clone();
    for k in 2..=max_run {
        for i in 0..=n - k {
            let mut v = vec![0f32; single[0].len()];
            for s in &single[i..i + k] {
                v.iter_mut().zip(s).for_each(|(a, b)| *a += b);
            }
            all.push(v);
        }
    }
    SideEmbeddings::from_vectors(n, max_run, all).unwrap()
}

/// 20,000 × ~19,000 sentences once scores are available: length-only and embeddings.
#[test]
#[ignore]
fn align_20k() {
    let n = 20_000;
    let keep = |i: usize| i % 50 != 17;
    let src: Vec<String> = (0..n).map(|i| "x".repeat(20 + (i * 7919) % 150)).collect();
    let tgt: Vec<String> = (0..n)
        .filter(|&i| keep(i))
        .map(|i| "y".repeat(22 + (i * 7919) % 150 * 11 / 10))
        .collect();
    for method in [Method::Length, Method::Embed] {
        let aligner = Aligner::new(AlignConfig {
            method,
            ..AlignConfig::default()
        });
        let emb = (method == Method::Embed).then(|| {
            (
                with_runs(synthetic_side(n, 384, 1, |_| true), 3),
                with_runs(synthetic_side(n, 384, 2, keep), 3),
            )
        });
        let inputs = AlignInputs {
            src_emb: emb.as_ref().map(|e| &e.0),
            tgt_emb: emb.as_ref().map(|e| &e.1),
            ..Default::default()
        };
        let t = Instant::now();
        let blocks = aligner.align(&src, &tgt, &inputs).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let ones = blocks
            .iter()
            .filter(|b| b.src.len() == 1 && b.tgt.len() == 1 && keep(b.src[0]))
            .filter(|b| b.tgt[0] == b.src[0] - b.src[0] / 50 - usize::from(b.src[0] % 50 > 17))
            .count();
        eprintln!(
            "align {method:?} {} x {}: {secs:.2} s, {} blocks, {ones} correct 1-1",
            src.len(),
            tgt.len(),
            blocks.len()
        );
        assert!(secs < 60.0);
    }
}
