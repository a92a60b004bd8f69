//! e5 scoring alone: embed every line of the given files with the in-process encoder on N
//! threads, in one batch (as `selaras run` scores a source sentence and its translation).
//!
//! ```text
//! cargo run --release --example e5_bench -- --threads 2 sentences.txt translations.txt
//! ```
//!
//! Prints the texts embedded, the wall time of the embedding (model loading excluded) and a
//! checksum of the vectors (the same for any thread count).

use clap::Parser;
use selaras::embed::e5::{default_model_path, E5Model};
use std::time::Instant;

/// Time e5 embeddings with a given number of threads.
#[derive(Debug, Parser)]
struct Args {
    /// Worker threads (0: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// e5 model file (default: $SELARAS_E5_MODEL or models/e5-small-q4.bin).
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// Files with one text per line (blank lines skipped).
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut texts = Vec::new();
    for file in &args.files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        texts.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let path = args.model.unwrap_or_else(default_model_path);
    let model = E5Model::load(&path, args.threads)?;
    let start = Instant::now();
    let vectors = model.embed_sync(&texts);
    let secs = start.elapsed().as_secs_f64();
    let checksum: f64 = vectors.iter().flatten().map(|&x| x as f64).sum();
    println!(
        "{} texts, {} threads: {secs:.2} s ({:.1} ms a text), checksum {checksum:.6}",
        texts.len(),
        args.threads,
        secs * 1000.0 / texts.len().max(1) as f64
    );
    Ok(())
}
