//! `selaras eval …`.

use super::{CliError, CliResult};
use crate::eval::segment;
use crate::input::read_text;
use crate::segment::Segmenter;

/// The evaluation subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Sentence-boundary precision, recall and F1 against gold segmentation.
    #[command(
        after_help = "Example:\n  selaras eval segment --gold ../shared/eval/seg_gold/ud_id_sentences.txt --lang id"
    )]
    Segment(SegmentArgs),
}

/// Arguments of `selaras eval segment`.
#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    /// Gold file: paragraphs separated by a blank line, one sentence per line.
    #[arg(long)]
    pub gold: String,
    /// Language of the text (`id` or `en`).
    #[arg(long, default_value = "id")]
    pub lang: String,
    /// Also print every paragraph the splitter gets wrong (to stderr).
    #[arg(long)]
    pub show_errors: bool,
}

/// Run an evaluation subcommand.
pub fn run(cmd: EvalCommand) -> CliResult {
    match cmd {
        EvalCommand::Segment(args) => run_segment(args),
    }
}

fn run_segment(args: SegmentArgs) -> CliResult {
    let segmenter =
        Segmenter::for_lang(&args.lang).map_err(|e| CliError::bad_input(e.to_string()))?;
    let gold = segment::parse_gold(&read_text(&args.gold, false)?);
    let (counts, wrong) = segment::evaluate(&segmenter, &gold);
    if args.show_errors {
        for &i in &wrong {
            let para = &gold[i];
            eprintln!("# paragraph {} (gold)", i + 1);
            for s in para {
                eprintln!("  {s}");
            }
            eprintln!("# predicted");
            let text = para.join(" ");
            for r in segmenter.split_line(&text) {
                eprintln!("  {}", &text[r]);
            }
        }
    }
    println!("paragraphs {}", gold.len());
    println!(
        "boundaries gold {} predicted {} correct {}",
        counts.tp + counts.fn_,
        counts.tp + counts.fp,
        counts.tp
    );
    println!("{counts}");
    Ok(())
}
