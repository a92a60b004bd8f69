//! `selaras eval …`.

use super::{CliError, CliResult};
use selaras::eval::segment;
use selaras::text::input::read_text;
use selaras::text::segment::Segmenter;

/// The evaluation subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Sentence-boundary precision, recall and F1 against gold segmentation.
    #[command(
        after_help = "Example:\n  selaras eval segment --gold tests/data/eval/seg_gold/ud_id_sentences.txt --lang id"
    )]
    Segment(SegmentArgs),
    /// Strict block precision, recall and F1 of alignments (as Vecalign's scorer).
    #[command(
        after_help = "Example:\n  selaras eval align --gold tests/data/eval/align_gold/lohelp_id_en --pred out/ --gold-ext gold_fine"
    )]
    Align(AlignEvalArgs),
    /// Corpus BLEU and chrF of translations against references (sacrebleu's defaults).
    #[command(
        after_help = "Example:\n  selaras eval translate --ref tests/data/eval/lohelp_id_en.test.tsv --hyp hyp.en\n\nBLEU: 13a tokenizer, exponential smoothing; chrF: character order 6, β 2, no word n-grams."
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

/// Arguments of `selaras eval align`.
#[derive(Debug, clap::Args)]
pub struct AlignEvalArgs {
    /// Gold blocks: a file, or a folder (files matched to the predictions by name).
    #[arg(long)]
    pub gold: String,
    /// Predicted blocks: a file, or a folder.
    #[arg(long)]
    pub pred: String,
    /// With folders: the gold file of prediction `NAME.x` is `NAME.EXT` (e.g. `gold_fine`).
    #[arg(long)]
    pub gold_ext: Option<String>,
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
        EvalCommand::Align(args) => run_align(args),
        EvalCommand::Translate(args) => run_translate(args),
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

fn read_blocks(path: &std::path::Path) -> Result<Vec<selaras::model::Block>, super::CliError> {
    let label = path.display().to_string();
    let text = selaras::text::input::read_text(&label, false)?;
    selaras::align::vecalign::parse_blocks(&text)
        .map_err(|e| super::CliError::bad_input(format!("{label}: {e}")))
}

/// `selaras eval align`: one line per document pair, then the total `P … R … F1 …`.
fn run_align(args: AlignEvalArgs) -> CliResult {
    use selaras::eval::align::AlignCounts;
    use std::path::Path;
    let (gold, pred) = (Path::new(&args.gold), Path::new(&args.pred));
    let mut pairs = Vec::new();
    match (gold.is_dir(), pred.is_dir()) {
        (false, false) => pairs.push((gold.to_path_buf(), pred.to_path_buf())),
        (true, true) => {
            let mut names: Vec<_> = std::fs::read_dir(pred)
                .map_err(|e| super::CliError::bad_input(format!("{}: {e}", pred.display())))?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            names.sort();
            for p in names {
                let g = match &args.gold_ext {
                    Some(ext) => gold.join(p.with_extension(ext).file_name().unwrap_or_default()),
                    None => gold.join(p.file_name().unwrap_or_default()),
                };
                if !g.is_file() {
                    return Err(super::CliError::bad_input(format!(
                        "{}: no gold file {}",
                        p.display(),
                        g.display()
                    )));
                }
                pairs.push((g, p));
            }
            if pairs.is_empty() {
                return Err(super::CliError::bad_input(format!(
                    "{}: no predictions",
                    pred.display()
                )));
            }
        }
        _ => {
            return Err(super::CliError::bad_input(
                "--gold and --pred must both be files or both be folders",
            ))
        }
    }
    let mut total = AlignCounts::default();
    let mut out = String::new();
    for (g, p) in &pairs {
        let c = AlignCounts::of(&read_blocks(g)?, &read_blocks(p)?);
        if pairs.len() > 1 {
            out.push_str(&format!("{}\t{}\n", p.display(), c.summary()));
        }
        total.add(c);
    }
    out.push_str(&total.summary());
    out.push('\n');
    super::write_stdout(&out)
}

/// Run `selaras eval translate`.
fn run_translate(args: TranslateEvalArgs) -> CliResult {
    let reference = selaras::text::input::read_text(&args.reference, false)?;
    let hyp = selaras::text::input::read_text(&args.hyp, false)?;
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
    let bleu = selaras::eval::bleu::corpus_bleu(&hyps, &refs).expect("same length");
    let chrf = selaras::eval::chrf::corpus_chrf(&hyps, &refs).expect("same length");
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
