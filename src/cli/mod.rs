//! Command-line interface: one module per subcommand, errors to stderr, data to stdout.

mod align;
mod backend_args;
mod backends;
mod eval;
mod export;
mod merge;
mod normalize;
mod review;
mod run;
mod split;
mod translate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// selaras: turn folders of Indonesian articles into reviewed English parallel corpora.
#[derive(Debug, Parser)]
#[command(name = "selaras", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `selaras`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Normalize text: NFC, invisible characters, line endings and spaces.
    Normalize(normalize::NormalizeArgs),
    /// Split text into sentences: one per line, a blank line between paragraphs.
    Split(split::SplitArgs),
    /// Run the whole pipeline: article folders in, aligned parallel corpus out.
    Run(run::RunArgs),
    /// Merge finished shards (`run --shard I/N`) into one corpus, as an unsharded run writes it.
    Merge(merge::MergeArgs),
    /// Align the sentences of two documents (vecalign blocks `[i,j]:[k]:score`).
    Align(align::AlignArgs),
    /// Evaluate a stage against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Translate sentences, one per line, with a chosen backend.
    Translate(translate::TranslateArgs),
    /// List the configured translation backends and whether each answers.
    Backends(backends::BackendsArgs),
    /// Review a finished run in the browser: accept, reject and edit pairs (saved in SQLite).
    Review(review::ReviewArgs),
    /// Write the reviewed pairs (accepted by default) as a corpus.
    Export(export::ExportArgs),
}

/// An error that ends a command, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    /// Process exit code (1: failure, 2: bad input or usage).
    pub code: u8,
    /// Message printed to stderr.
    pub message: String,
    /// The reader of stdout went away (`selaras … | head`): not an error for the user.
    pub broken_pipe: bool,
}

impl CliError {
    /// A failure (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            code: 1,
            message: message.into(),
            broken_pipe: false,
        }
    }

    /// Bad input or usage (exit code 2).
    pub fn bad_input(message: impl Into<String>) -> Self {
        CliError {
            code: 2,
            ..CliError::failure(message)
        }
    }
}

impl From<selaras::text::input::InputError> for CliError {
    fn from(err: selaras::text::input::InputError) -> Self {
        CliError::bad_input(err.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        CliError {
            broken_pipe: err.kind() == std::io::ErrorKind::BrokenPipe,
            ..CliError::failure(err.to_string())
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(err: anyhow::Error) -> Self {
        CliError::failure(format!("{err:#}"))
    }
}

/// Result of a subcommand.
pub type CliResult = Result<(), CliError>;

/// Parse the command line, run the command, and map the outcome to an exit code.
pub fn main() -> ExitCode {
    #[cfg(feature = "ct2")]
    selaras::translate::ct2::prefer_avx512();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Normalize(args) => normalize::run(args),
        Command::Run(args) => run::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Split(args) => split::run(args),
        Command::Align(args) => align::run(args),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Translate(args) => translate::run(args),
        Command::Backends(args) => backends::run(args),
        Command::Review(args) => review::run(args),
        Command::Export(args) => export::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err.broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("selaras: {}", err.message);
            ExitCode::from(err.code)
        }
    }
}

/// Write all of `data` to stdout, flushing at the end.
pub fn write_stdout(data: &str) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(data.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The multi-threaded async runtime the commands run their work on.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))
}
