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
    /// Corpus BLEU and chrF of translations against references (sacrebleu's defaults).
    #[command(
        after_help = "Example:\n  selaras eval translate --ref ../shared/eval/lohelp_id_en.test.tsv --hyp hyp.en\n\nBLEU: 13a tokenizer, exponential smoothing; chrF: character order 6, β 2, no word n-grams."
    )]
    Translate(TranslateEvalArgs),
}

/// Arguments of `selaras eval translate`.
#[derive(Debug, clap::Args)]
pub struct TranslateEvalArgs {
    /// References, one per line; in a `source<TAB>reference` file the second column is used.
    #[arg(long = "ref", value_name = "REF")]
    pub reference: String,
    /// Translations to score, one per line, in the references' order.
    #[arg(long, value_name = "HYP")]
    pub hyp: String,
    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
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
        EvalCommand::Translate(args) => run_translate(args),
    }
}

/// Run `selaras eval translate`.
fn run_translate(args: TranslateEvalArgs) -> CliResult {
    let reference = crate::input::read_text(&args.reference, false)?;
    let hyp = crate::input::read_text(&args.hyp, false)?;
    let refs: Vec<String> = reference
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap_or(l).to_string())
        .collect();
    let hyps: Vec<String> = hyp.lines().map(str::to_string).collect();
    if refs.len() != hyps.len() {
        return Err(super::CliError::bad_input(format!(
            "{} has {} lines but {} has {}: each translation needs its reference",
            args.hyp,
            hyps.len(),
            args.reference,
            refs.len()
        )));
    }
    let bleu = crate::eval::bleu::corpus_bleu(&hyps, &refs).expect("same length");
    let chrf = crate::eval::chrf::corpus_chrf(&hyps, &refs).expect("same length");
    let out = if args.json {
        format!(
            "{}\n",
            serde_json::json!({"segments": hyps.len(), "bleu": bleu.score, "chrf": chrf,
                "bleu_brevity_penalty": bleu.brevity_penalty, "sys_len": bleu.sys_len, "ref_len": bleu.ref_len})
        )
    } else {
        format!(
            "segments\t{}\nBLEU\t{:.2}\nchrF\t{:.2}\n",
            hyps.len(),
            bleu.score,
            chrf
        )
    };
    super::write_stdout(&out)
}
