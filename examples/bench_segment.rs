//! Segmentation throughput: selaras's splitter beside a naive regex splitter, same input, same run.
//!
//! Usage: `cargo run --release --example bench_segment -- FILE [ROUNDS]`
//! (`scripts/bench/segment` builds a ~50 MB Indonesian text and runs this).

use selaras::text::segment::Segmenter;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: bench_segment FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mb = text.len() as f64 / 1e6;
    let segmenter = Segmenter::for_lang("id").expect("built-in rules");
    // The naive splitter: a stop, an optional closing quote, spaces, a capital.
    let naive = regex::Regex::new(r#"[.!?]["”']?\s+[A-Z]"#).expect("valid regex");

    println!("input {path}: {mb:.1} MB, {rounds} rounds, best time");
    let (best, sentences) = best_of(rounds, || {
        segmenter
            .split_text(&text)
            .iter()
            .map(|(_, s)| s.len())
            .sum::<usize>()
    });
    println!(
        "selaras split_text   {:>8.1} MB/s  {:>9} sentences",
        mb / best,
        sentences
    );
    let (best, sentences) = best_of(rounds, || {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| naive.find_iter(l).count() + 1)
            .sum::<usize>()
    });
    println!(
        "naive regex splitter {:>8.1} MB/s  {:>9} sentences",
        mb / best,
        sentences
    );
}

fn best_of(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut result = 0;
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        result = std::hint::black_box(f());
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, result)
}
