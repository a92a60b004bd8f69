//! `selaras split`.

use super::{write_stdout, CliError, CliResult};
use selaras::text::input::read_text;
use selaras::text::normalize::normalize;
use selaras::text::segment::Segmenter;

/// Arguments of `selaras split`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  selaras split corpus/id/000_34eefe9bf056606c.txt --lang id")]
pub struct SplitArgs {
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub input: String,
    /// Language of the text (`id` or `en`).
    #[arg(long, default_value = "id")]
    pub lang: String,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// Run `selaras split`: normalized text out, one sentence per line, a blank line between paragraphs.
pub fn run(args: SplitArgs) -> CliResult {
    let segmenter =
        Segmenter::for_lang(&args.lang).map_err(|e| CliError::bad_input(e.to_string()))?;
    let text = read_text(&args.input, args.lossy)?;
    let (text, _) = normalize(&text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, (_, sentences)) in segmenter.split_text(&text).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for span in sentences {
            out.push_str(&text[span.clone()]);
            out.push('\n');
        }
    }
    write_stdout(&out)
}
