//! `selaras normalize`.

use super::{write_stdout, CliResult};
use selaras::text::input::read_text;
use selaras::text::normalize::normalize;

/// Arguments of `selaras normalize`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras normalize corpus/id/000_34eefe9bf056606c.txt --stats > clean.txt"
)]
pub struct NormalizeArgs {
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub input: String,
    /// Report what was changed, by kind, on stderr.
    #[arg(long)]
    pub stats: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// Run `selaras normalize`.
pub fn run(args: NormalizeArgs) -> CliResult {
    let text = read_text(&args.input, args.lossy)?;
    let (out, stats) = normalize(&text);
    write_stdout(&out)?;
    if args.stats {
        eprint!("{stats}");
    }
    Ok(())
}
