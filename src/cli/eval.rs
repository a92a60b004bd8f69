//! `selaras eval …`.

use super::CliResult;

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
    /// Language of the text.
    #[arg(long, default_value = "id")]
    pub lang: String,
}

/// Run an evaluation subcommand.
pub fn run(cmd: EvalCommand) -> CliResult {
    match cmd {
        EvalCommand::Segment(_args) => Err(super::CliError::failure("not yet")),
    }
}
