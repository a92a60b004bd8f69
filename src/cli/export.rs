//! `selaras export`: the reviewed corpus, in the formats of `selaras run`.

use super::{CliError, CliResult};
use selaras::review::export::{export, ExportOptions};
use selaras::review::{Review, Status};
use selaras::sink::{parse_formats, CorpusFormat};
use std::path::PathBuf;

/// Arguments of `selaras export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  selaras export out --out reviewed\n  \
selaras export out --out rejected --status rejected --formats jsonl\n  \
selaras export out --out all-decided --status accepted,rejected --formats tmx\n\n\
Writes the pairs of the given statuses (decided in `selaras review`, saved in OUT/review.sqlite)\n\
under the file names of `selaras run`: pairs.jsonl, pairs.tsv, corpus.SRC + corpus.TGT (Moses),\n\
corpus.tmx. Edited pairs carry the reviewer's text; TMX units carry the status, reviewer and\n\
comment. The same database gives the same bytes.")]
pub struct ExportArgs {
    /// The output folder of `selaras run` that was reviewed.
    pub run: PathBuf,
    /// Folder to write the corpus to (not the run folder).
    #[arg(long)]
    pub out: PathBuf,
    /// Statuses exported, comma-separated: accepted, rejected, pending.
    #[arg(long, value_delimiter = ',', default_value = "accepted")]
    pub status: Vec<String>,
    /// Output formats, comma-separated: jsonl, tsv, moses, tmx, html.
    #[arg(long, value_delimiter = ',', default_value = "jsonl,tsv,moses,tmx")]
    pub formats: Vec<String>,
}

/// Run `selaras export`.
pub fn run(args: ExportArgs) -> CliResult {
    let statuses = args
        .status
        .iter()
        .map(|s| s.parse::<Status>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::bad_input(format!("--status: {e}")))?;
    let formats: Vec<CorpusFormat> = parse_formats(&args.formats.join(","))
        .map_err(|e| CliError::bad_input(format!("--formats: {e}")))?;
    let review = Review::open_existing(&args.run)?;
    let options = ExportOptions {
        out_dir: args.out.clone(),
        statuses,
        formats,
    };
    let exported = export(&review, &options)?;
    eprintln!(
        "selaras: exported {} pairs of {} documents to {}",
        exported.pairs,
        exported.documents,
        args.out.display()
    );
    Ok(())
}
