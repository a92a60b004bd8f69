//! Speed and flags of the `llm` backend, with the per-sentence full-prompt reference measured
//! in the same run and the same build.
//!
//! ```text
//! cargo run --release --example llm_bench -- --tsv tests/data/eval/lohelp_id_en.dev.tsv \
//!     --limit 40 --reference 40 --hyp-out /tmp/hyp.en
//! ```

use clap::Parser;
use selaras::quality::entities::missing_entities;
use selaras::translate::llm::{LlmSpec, LlmTranslator};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// Measure the `llm` backend.
#[derive(Debug, Parser)]
struct Args {
    /// `source<TAB>reference` file (the first column is translated).
    #[arg(long, conflicts_with = "text")]
    tsv: Option<String>,
    /// Files with one sentence per line (blank lines skipped).
    #[arg(long, num_args = 1..)]
    text: Vec<String>,
    /// Translate at most this many sentences (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
    /// Also translate the first N sentences one by one with the full prompt (the reference).
    #[arg(long, default_value_t = 0)]
    reference: usize,
    /// Write the translations here, one per line.
    #[arg(long)]
    hyp_out: Option<String>,
    /// Sentences per call to the translator.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// GGUF model file [default: models/gemma-3-270m-q4_k_m.gguf].
    #[arg(long)]
    gguf: Option<PathBuf>,
    /// Prompt template file [default: the built-in Indonesian→English prompt].
    #[arg(long)]
    prompt: Option<PathBuf>,
    /// CPU threads for the model.
    #[arg(long, default_value_t = 1)]
    llm_threads: u32,
    /// Sentences decoded together.
    #[arg(long, default_value_t = 8)]
    parallel: u32,
    /// Translate suspect sentences again with the prompt's other variants.
    #[arg(long)]
    retry_suspect: bool,
    /// Context size in tokens.
    #[arg(long, default_value_t = 4096)]
    llm_ctx: u32,
}

impl Args {
    fn spec(&self) -> LlmSpec {
        LlmSpec {
            gguf: self.gguf.clone(),
            prompt: self.prompt.clone(),
            threads: self.llm_threads,
            parallel: self.parallel,
            retry_suspect: self.retry_suspect,
            ctx: self.llm_ctx,
            ..LlmSpec::default()
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut sources: Vec<String> = Vec::new();
    if let Some(tsv) = &args.tsv {
        for line in std::fs::read_to_string(tsv)?.lines() {
            sources.push(line.split('\t').next().unwrap_or("").to_string());
        }
    }
    for file in &args.text {
        for line in std::fs::read_to_string(file)?.lines() {
            if !line.trim().is_empty() {
                sources.push(line.trim().to_string());
            }
        }
    }
    if args.limit > 0 {
        sources.truncate(args.limit);
    }
    let load = Instant::now();
    let translator = LlmTranslator::load(args.spec())?;
    eprintln!(
        "loaded in {:.2} s: {}",
        load.elapsed().as_secs_f64(),
        selaras::translate::Translator::identity(&translator)
    );

    let start = Instant::now();
    let mut hyps = Vec::with_capacity(sources.len());
    for chunk in sources.chunks(args.batch.max(1)) {
        hyps.extend(translator.translate_blocking(chunk)?);
    }
    let fast = start.elapsed().as_secs_f64();
    let stats = translator.stats();
    println!(
        "prefix cache + {} parallel: {} sentences in {:.1} s = {:.3} s/sentence",
        args.parallel,
        sources.len(),
        fast,
        fast / sources.len().max(1) as f64
    );
    if args.retry_suspect {
        println!(
            "retried {} suspect sentences, kept the retry for {}",
            stats.retried, stats.replaced
        );
    }

    let mut flags: BTreeMap<String, usize> = BTreeMap::new();
    let mut flagged = 0;
    for (s, h) in sources.iter().zip(&hyps) {
        let f = missing_entities(s, h);
        if !f.is_empty() {
            flagged += 1;
        }
        for flag in f {
            *flags.entry(flag.kind.to_string()).or_default() += 1;
        }
    }
    println!(
        "sentences with entity flags: {flagged} of {}; by kind: {flags:?}",
        sources.len()
    );

    let n = args.reference.min(sources.len());
    if n > 0 {
        let start = Instant::now();
        let reference = translator.translate_uncached_blocking(&sources[..n], 0)?;
        let slow = start.elapsed().as_secs_f64();
        let fast_time_part = fast / sources.len() as f64;
        let same = reference.iter().zip(&hyps).filter(|(a, b)| a == b).count();
        println!(
            "full prompt per sentence: {n} sentences in {:.1} s = {:.3} s/sentence; speed-up {:.2}x; \
             identical outputs {same}/{n}",
            slow,
            slow / n as f64,
            (slow / n as f64) / fast_time_part
        );
    }
    if let Some(path) = &args.hyp_out {
        let text: String = hyps.iter().map(|h| format!("{h}\n")).collect();
        std::fs::write(path, text)?;
    }
    Ok(())
}
