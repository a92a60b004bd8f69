//! `selaras translate`: one sentence per line in, one translation per line out.

use super::{CliError, CliResult};
use crate::input::read_text;
use crate::translate::ct2::{Ct2Options, Ct2Translator};
use std::io::Write;
use std::time::Instant;

/// Sentences handed to the engine at once; their translations are written before the next chunk.
const CHUNK: usize = 4096;

/// Arguments of `selaras translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras translate sentences.zh.txt --backend ct2 \
    --model models/translate-zh_en-1_9 --from zh --to en --beam 4 > sentences.en.txt"
)]
pub struct TranslateArgs {
    /// Input file with one sentence per line, or `-` for standard input.
    #[arg(default_value = "-")]
    pub input: String,
    /// Translation backend.
    #[arg(long, default_value = "ct2", value_parser = ["ct2"])]
    pub backend: String,
    /// Source language code.
    #[arg(long, default_value = "id")]
    pub from: String,
    /// Target language code.
    #[arg(long, default_value = "en")]
    pub to: String,
    /// Print sentences/s and target tokens/s on stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// CTranslate2 backend options.
    #[command(flatten)]
    pub ct2: Ct2Options,
}

/// Run `selaras translate`.
pub fn run(args: TranslateArgs) -> CliResult {
    let text = read_text(&args.input, false)?;
    let translator = Ct2Translator::from_options(&args.ct2, &args.from, &args.to)
        .map_err(|e| CliError::bad_input(e.to_string()))?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let start = Instant::now();
    let mut target_tokens = 0;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for chunk in lines.chunks(CHUNK) {
        let (translations, tokens) = translator
            .translate_counted(chunk)
            .map_err(|e| CliError::failure(format!("{}: {e}", args.input)))?;
        target_tokens += tokens;
        for line in translations {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    if args.stats {
        let seconds = start.elapsed().as_secs_f64();
        let sentences = lines.iter().filter(|l| !l.trim().is_empty()).count();
        eprintln!(
            "selaras ct2: {sentences} sentences, {target_tokens} target tokens, {seconds:.2} s, \
             {:.2} sentences/s, {:.1} target tokens/s",
            sentences as f64 / seconds,
            target_tokens as f64 / seconds
        );
    }
    Ok(())
}
