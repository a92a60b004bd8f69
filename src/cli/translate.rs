//! `selaras translate`: one sentence per line in, exactly one translation per line out.

use super::backend_args::BackendArgs;
use super::{write_stdout, CliError, CliResult};
use selaras::text::input::read_text;
use selaras::text::line::{lines_of, one_line};
use selaras::translate::batcher::translate_all;

/// Arguments of `selaras translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras translate sentences.id.txt --backend libretranslate --endpoint http://localhost:5000 --from id --to en --timeout 60s > sentences.en.txt\n  selaras translate --backend command --command 'sed -u s/a/A/' < in.txt\n  selaras translate sentences.zh.txt --ct2-model models/translate-zh_en-1_9 --ct2-beam 1 --from zh\n\nKeys come from the environment (SELARAS_LIBRETRANSLATE_KEY, OPENAI_API_KEY) or selaras.toml.\nBlank lines stay blank. Lines that cannot be translated are left blank, reported on stderr, and the exit code is 1."
)]
pub struct TranslateArgs {
    /// Input file with one sentence per line, or `-` for standard input.
    #[arg(default_value = "-")]
    pub input: String,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// The backend and its settings (last: their help headings apply to what follows).
    #[command(flatten)]
    pub backend: BackendArgs,
}

/// Run `selaras translate`.
pub fn run(args: TranslateArgs) -> CliResult {
    let built = args
        .backend
        .build()?
        .ok_or_else(|| CliError::bad_input("--backend none: nothing to translate with"))?;
    if let Some(quality) = &built.quality {
        let kind = built.spec.kind();
        eprintln!("selaras: backend {} ({kind}): {quality}", built.name);
    }
    let batch = built.spec.batching();
    let text = read_text(&args.input, args.lossy)?;
    let lines = lines_of(&text);
    let runtime = super::runtime()?;
    let results = runtime.block_on(translate_all(
        built.translator.clone(),
        &lines,
        batch.batch_size,
        batch.parallel,
    ));
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut failures = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(t) => out.push_str(&one_line(t.trim())),
            Err(e) => failures.push((i + 1, e.to_string())),
        }
        out.push('\n');
    }
    write_stdout(&out)?;
    if failures.is_empty() {
        return Ok(());
    }
    let label = Some(args.input.as_str()).filter(|i| *i != "-");
    let label = label.unwrap_or("<stdin>");
    for (line, message) in failures.iter().take(10) {
        eprintln!("selaras: {label}:{line}: not translated: {message}");
    }
    if failures.len() > 10 {
        eprintln!("selaras: … and {} more lines", failures.len() - 10);
    }
    Err(CliError::failure(format!(
        "{} of {} lines could not be translated by backend '{}' (left blank)",
        failures.len(),
        lines.len(),
        built.name
    )))
}
