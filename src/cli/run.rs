//! `selaras run`: article folders in, an aligned and reviewable parallel corpus out.

use super::backend_args::BackendArgs;
use super::{CliError, CliResult};
use selaras::align::AlignConfig;
use selaras::embed::e5::default_model_path;
use selaras::pipeline::progress::ProgressMode;
use selaras::pipeline::shard::Shard;
use selaras::pipeline::{self, RunConfig, RunSummary};
use selaras::translate::select::BackendChoice;
use std::path::PathBuf;

/// Arguments of `selaras run`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  selaras run corpus/id --out corpus/out\n  \
selaras run articles/ more.jsonl --out out --backend command --command 'my-mt --from id --to en' --quiet\n  \
selaras run corpus/id --out out --backend llm --llm-threads 2 --llm-retry-suspect\n  \
selaras run articles/id --tgt-dir articles/en --out out --backend none --e5-model models/e5-small-q4.bin\n  \
selaras run corpus/id --out shards/1 --shard 1/4   (then: selaras merge shards/* --out out)\n\n\
Inputs are folders (read recursively: .txt files, first line the title, blank lines between\n\
paragraphs) and .jsonl files with {\"id\", \"text\"} per line. Killing a run and running the same\n\
command again resumes it: finished documents and cached translations are reused.\n\
`--backend none` skips machine translation (only with --tgt-dir). One run per output folder:\n\
a second run on a folder in use is refused. With --shard I/N the run handles only the documents\n\
whose id hashes to shard I of N; `--shard auto` reads SLURM_ARRAY_TASK_ID and\n\
SLURM_ARRAY_TASK_COUNT (or JOB_COMPLETION_INDEX with --shard-count).")]
pub struct RunArgs {
    /// Input folders, .txt or .jsonl files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (run state lives in OUT/.selaras/).
    #[arg(long)]
    pub out: PathBuf,
    /// Output formats, comma-separated: jsonl, tsv, moses, tmx, html.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "jsonl,tsv,moses,tmx,html"
    )]
    pub formats: Vec<String>,
    /// Folder of human translations with the same relative paths: align against them.
    #[arg(long)]
    pub tgt_dir: Option<PathBuf>,
    /// e5 sentence-embedding model for scores and alignment [default: $SELARAS_E5_MODEL or
    /// models/e5-small-q4.bin when installed].
    #[arg(long, alias = "embed-model", value_name = "PATH")]
    pub e5_model: Option<PathBuf>,
    /// Do not use sentence embeddings (no similarity scores; alignment by translation and length).
    #[arg(long)]
    pub no_embed: bool,
    /// With --tgt-dir: cost of leaving a sentence unaligned (higher: fewer unaligned sentences).
    #[arg(long, default_value_t = AlignConfig::default().skip_cost)]
    pub skip_cost: f32,
    /// With --tgt-dir: extra cost per sentence beyond 1-1 in a block (lower: more merges).
    #[arg(long, default_value_t = AlignConfig::default().merge_penalty)]
    pub merge_penalty: f32,
    /// Run only shard I of N (0-based, e.g. 2/8), or `auto` for the job scheduler's task
    /// (SLURM_ARRAY_TASK_ID, or JOB_COMPLETION_INDEX with --shard-count).
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// With `--shard auto`: the number of shards N (instead of SLURM_ARRAY_TASK_COUNT).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u32>,
    /// No progress output; only errors and nothing else on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// The backend and its settings (last: their help headings apply to what follows).
    #[command(flatten)]
    pub backend: BackendArgs,
}

/// Run `selaras run`.
pub fn run(args: RunArgs) -> CliResult {
    let mode = ProgressMode::detect(args.quiet);
    if args.backend.choice() == BackendChoice::None && args.tgt_dir.is_none() {
        return Err(CliError::bad_input(
            "--backend none needs --tgt-dir (nothing to pair with otherwise)",
        ));
    }
    let shard = shard_spec(args.shard.as_deref(), args.shard_count)?;
    let translator = args.backend.build()?;
    if let (Some(built), true) = (&translator, mode != ProgressMode::Quiet) {
        let (name, kind, target) = (&built.name, built.spec.kind(), built.health.target());
        eprintln!("selaras: backend {name} ({kind}): {target}");
        if let Some(quality) = &built.quality {
            eprintln!("selaras: expected quality: {quality}");
        }
    }
    let batch = translator
        .as_ref()
        .map(|b| b.spec.batching())
        .unwrap_or_default();
    let installed = Some(default_model_path()).filter(|p| p.is_file());
    let embed_model = args.e5_model.or(installed).filter(|_| !args.no_embed);
    if mode != ProgressMode::Quiet {
        match &embed_model {
            Some(p) => eprintln!("selaras: embeddings: {}", p.display()),
            None => {
                eprintln!("selaras: embeddings: none (scores from translation and length only)")
            }
        }
    }
    let config = RunConfig {
        inputs: args.inputs,
        out: args.out.clone(),
        src_lang: args.backend.from.clone(),
        tgt_lang: args.backend.to.clone(),
        tgt_dir: args.tgt_dir,
        formats: args.formats,
        batch,
        progress: mode,
        shard,
        pairing: pipeline::pairing::PairingOptions {
            glossary: args.backend.glossary.as_ref().map(PathBuf::from),
            embed_model,
            embed_threads: 0,
            align: AlignConfig {
                skip_cost: args.skip_cost,
                merge_penalty: args.merge_penalty,
                ..AlignConfig::default()
            },
        },
    };
    let runtime = super::runtime()?;
    let summary = runtime
        .block_on(pipeline::run(config, translator.map(|b| b.translator)))
        .map_err(|e| CliError::failure(format!("{e:#}")))?;
    for (origin, reason) in &summary.failed {
        eprintln!("selaras: {origin}: {reason}");
    }
    if mode != ProgressMode::Quiet {
        eprint!("{}", summary_text(&summary, &args.out));
    }
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{} of {} documents failed (see above); the others are in {}; run the same command again to retry",
            summary.failed.len(),
            summary.documents,
            args.out.display()
        )))
    }
}

/// The shard of `--shard` (and `--shard-count` with `auto`); the whole corpus without it.
fn shard_spec(spec: Option<&str>, count: Option<u32>) -> Result<Shard, CliError> {
    match spec {
        None if count.is_some() => Err(CliError::bad_input("--shard-count goes with --shard auto")),
        None => Ok(Shard::WHOLE),
        Some("auto") => {
            Shard::from_env(|name| std::env::var(name).ok(), count).map_err(CliError::bad_input)
        }
        Some(_) if count.is_some() => Err(CliError::bad_input(
            "--shard-count goes with --shard auto (--shard I/N names N itself)",
        )),
        Some(spec) => Shard::parse(spec).map_err(CliError::bad_input),
    }
}

/// The final summary printed on stderr.
fn summary_text(summary: &RunSummary, out: &std::path::Path) -> String {
    let c = &summary.corpus;
    let mut text = format!(
        "selaras: {} documents ({} resumed, {} failed), {} source sentences; {} sentences translated now, {} reused\n",
        summary.documents,
        summary.resumed,
        summary.failed.len(),
        c.src_sentences,
        summary.translated_now,
        summary.reused
    );
    text.push_str(&format!(
        "selaras: pairs by block type: {}\n",
        counts(&c.block_types)
    ));
    text.push_str(&format!(
        "selaras: {} of {} pairs flagged: {}\n",
        c.flagged_pairs,
        c.pairs,
        counts(&c.flags)
    ));
    let report = out.join("report.html");
    if report.exists() {
        text.push_str(&format!("selaras: report: {}\n", report.display()));
    }
    text
}

/// `key: count` items, comma-separated, or `none`.
fn counts<K: std::fmt::Display>(map: &std::collections::BTreeMap<K, usize>) -> String {
    let items: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
