//! `selaras merge`: finished shard folders in, one corpus out.

use super::{CliError, CliResult};
use selaras::pipeline::merge::{merge, MergeError, MergeOptions};
use std::path::PathBuf;

/// Arguments of `selaras merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
selaras merge shards/0 shards/1 shards/2 shards/3 --out corpus/out\n  \
selaras merge shards/* --out corpus/out --fold-caches\n\n\
Each folder is the --out of one `selaras run --shard I/N` that finished. The merged files\n\
(every format the shards wrote, report.html included) are byte-identical to an unsharded\n\
run over the same input with the same settings. A shard that is missing, unfinished, being\n\
written, made with other settings, another N or another input is refused (exit code 2) and\n\
nothing is written.")]
pub struct MergeArgs {
    /// The shard folders (all N of them, in any order).
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// Output folder of the merged corpus.
    #[arg(long)]
    pub out: PathBuf,
    /// Also fold the shards' translation caches into OUT/.selaras, so a later unsharded run
    /// on OUT translates nothing twice.
    #[arg(long)]
    pub fold_caches: bool,
    /// Merge even when documents failed in a shard (they are left out, as a run leaves them).
    #[arg(long)]
    pub allow_failed: bool,
    /// No summary on stderr; only errors.
    #[arg(long)]
    pub quiet: bool,
}

/// Run `selaras merge`.
pub fn run(args: MergeArgs) -> CliResult {
    let options = MergeOptions {
        shards: args.shards,
        out: args.out.clone(),
        fold_caches: args.fold_caches,
        allow_failed: args.allow_failed,
    };
    let summary = merge(&options).map_err(|e| match e {
        MergeError::Refused(message) => {
            CliError::bad_input(format!("{message} (nothing was written)"))
        }
        MergeError::Failed(e) => CliError::failure(format!("{e:#}")),
    })?;
    if !args.quiet {
        let c = &summary.corpus;
        eprintln!(
            "selaras: merged {} shards: {} documents, {} source sentences, {} pairs ({} flagged) in {}",
            summary.shards,
            c.documents,
            c.src_sentences,
            c.pairs,
            c.flagged_pairs,
            args.out.display()
        );
        if args.fold_caches {
            eprintln!(
                "selaras: {} cached translations folded into {}",
                summary.cache_lines,
                args.out.join(".selaras").display()
            );
        }
    }
    Ok(())
}
