//! `selaras translate`: one sentence per line in, exactly one translation per line out.

use super::{write_stdout, CliError, CliResult};
use crate::translate::auto::{resolve_auto, AutoBackend, AutoInputs};
use crate::translate::llm::{models_dir, LlmOptions, LlmTranslator};

/// Arguments of `selaras translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras split corpus/id/000_34eefe9bf056606c.txt | grep . | selaras translate --backend llm --retry-suspect"
)]
pub struct TranslateArgs {
    /// Input file with one sentence per line, or `-` for standard input.
    #[arg(default_value = "-")]
    pub input: String,
    /// Backend: `auto` (best installed) or `llm` (a GGUF model through llama.cpp).
    #[arg(long, default_value = "auto")]
    pub backend: String,
    /// Sentences sent to the backend at a time.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
    /// Options of the `llm` backend.
    #[command(flatten)]
    pub llm: LlmOptions,
}

/// Run `selaras translate`.
pub fn run(args: TranslateArgs) -> CliResult {
    let mut llm = args.llm.clone();
    match args.backend.as_str() {
        "llm" => eprintln!("selaras: backend llm — draft quality, review flagged pairs"),
        "auto" => {
            let models = models_dir();
            let choice = resolve_auto(&AutoInputs {
                models_dir: &models,
                source: &llm.source_lang,
                target: &llm.target_lang,
                http: None,
            })
            .map_err(CliError::failure)?;
            eprintln!("selaras: backend {}", choice.quality);
            match choice.backend {
                AutoBackend::Llm { gguf } => llm.gguf = llm.gguf.or(Some(gguf)),
                other => {
                    return Err(CliError::failure(format!(
                        "backend {other:?} is not available in this build of `selaras translate`"
                    )))
                }
            }
        }
        other => {
            return Err(CliError::bad_input(format!(
                "unknown backend `{other}` (use auto or llm)"
            )))
        }
    }
    let text = crate::input::read_text(&args.input, false)?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let translator = LlmTranslator::load(llm).map_err(|e| CliError::failure(e.to_string()))?;
    let mut out = String::new();
    for chunk in lines.chunks(args.batch as usize) {
        let translated = translator
            .translate_blocking(chunk)
            .map_err(|e| CliError::failure(format!("{}: {e}", args.input)))?;
        for line in translated {
            out.push_str(&line);
            out.push('\n');
        }
        // Stream: each batch reaches stdout as soon as it is done.
        write_stdout(&out)?;
        out.clear();
    }
    let stats = translator.stats();
    if stats.retried > 0 {
        eprintln!(
            "selaras: {} of {} sentences looked suspect and were retried, {} improved",
            stats.retried, stats.sentences, stats.replaced
        );
    }
    Ok(())
}
