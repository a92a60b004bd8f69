//! What one ct2 batch costs to decode, against its token count, its padded size and the cost
//! model behind `batching::plan_shared` (`batching::decoding_cost`). Every batch of the even plan
//! and of the balanced plan (as `--replicas` replicas would get them) is translated alone, on one
//! thread, and timed (after one untimed batch that warms the engine up); the replica times are
//! those batches handed out longest first, each to the replica free first.
//!
//! ```text
//! cargo run --release --example ct2_batch_cost -- --model models/translate-zh_en-1_9 \
//!     --from zh --to en --beam 4 --compute-type int8 sentences.txt
//! ```

use clap::Parser;
use selaras::translate::ct2::batching::{self, Layout};
use selaras::translate::ct2::{self, ComputeType, Ct2Spec};
use std::path::PathBuf;
use std::time::Instant;

/// Time single ct2 batches.
#[derive(Debug, Parser)]
struct Args {
    /// Model: an `.argosmodel` file or a model folder.
    #[arg(long)]
    model: PathBuf,
    /// Source language code.
    #[arg(long)]
    from: String,
    /// Target language code.
    #[arg(long)]
    to: String,
    /// Beam size.
    #[arg(long, default_value_t = 4)]
    beam: u16,
    /// Computation precision.
    #[arg(long, default_value = "float32")]
    compute_type: ComputeType,
    /// Replicas the plans are made for (the batches themselves run one at a time).
    #[arg(long, default_value_t = 2)]
    replicas: usize,
    /// One sentence per line (blank lines skipped).
    input: PathBuf,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.input)
        .map_err(|e| format!("{}: {e}", args.input.display()))?;
    let sentences: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let spec = Ct2Spec {
        model: Some(args.model.clone()),
        beam: args.beam,
        compute_type: args.compute_type,
        threads: 1,
        replicas: 1,
        ..Ct2Spec::default()
    };
    let translator = ct2::Ct2Translator::load(&args.model, &spec, &args.from, &args.to)?;
    let lengths = sentences
        .iter()
        .map(|s| translator.tokenizer().encode(s).map(|t| t.len()))
        .collect::<Result<Vec<_>, _>>()?;
    let layout = Layout {
        replicas: args.replicas,
        ..ct2::layout(&spec)
    };
    let warm_up: Vec<String> = sentences.iter().take(8).cloned().collect();
    translator.translate_blocking(&warm_up)?;
    println!(
        "{} sentences, beam {}, {}, batches for {} replicas, each batch alone on 1 thread",
        sentences.len(),
        args.beam,
        args.compute_type,
        args.replicas
    );
    let mut per_token = Vec::new();
    let mut per_padded = Vec::new();
    let mut per_cost = Vec::new();
    for (name, plan) in [
        ("even", batching::plan_even(&lengths, &layout)),
        ("balanced", batching::plan_shared(&lengths, &layout)),
    ] {
        println!("\n{name} plan");
        println!("| sentences | tokens | padded | cost | seconds | ms / token | ms / padded token | µs / cost |");
        println!("|---|---|---|---|---|---|---|---|");
        let mut micros = Vec::new();
        for batch in &plan {
            let texts: Vec<String> = batch.iter().map(|&i| sentences[i].clone()).collect();
            let start = Instant::now();
            translator.translate_blocking(&texts)?;
            let seconds = start.elapsed().as_secs_f64();
            let tokens = batching::token_count(batch, &lengths);
            let padded = batching::padded_size(batch, &lengths);
            let cost = batching::decoding_cost(batch, &lengths, layout.beam);
            let (ms_token, ms_padded, us_cost) = (
                1e3 * seconds / tokens as f64,
                1e3 * seconds / padded as f64,
                1e6 * seconds / cost as f64,
            );
            per_token.push(ms_token);
            per_padded.push(ms_padded);
            per_cost.push(us_cost);
            println!(
                "| {} | {tokens} | {padded} | {cost} | {seconds:.3} | {ms_token:.2} | {ms_padded:.2} | {us_cost:.0} |",
                batch.len()
            );
            micros.push((seconds * 1e6) as usize);
        }
        let loads = batching::replica_loads(micros, args.replicas);
        let loads: Vec<String> = loads
            .iter()
            .map(|&us| format!("{:.3}", us as f64 / 1e6))
            .collect();
        println!("replica seconds (longest first): {}", loads.join(", "));
    }
    println!(
        "\nspread (largest ÷ smallest) over every batch: ms / token {:.2}, ms / padded token {:.2}, µs / cost {:.2}",
        spread(&per_token),
        spread(&per_padded),
        spread(&per_cost)
    );
    Ok(())
}

/// Largest value ÷ smallest.
fn spread(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    max / min
}
