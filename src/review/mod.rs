//! Reviewing a finished run: reviewers accept, reject and edit its pairs in a local web app,
//! the decisions are kept in `OUT/review.sqlite`, and the reviewed corpus is exported with the
//! same writers as `selaras run`.
//!
//! - [`run_folder`]: the pairs of a run folder (`pairs.jsonl`, `.selaras/run.json`), each with
//!   the key and text hash its decision is stored under.
//! - [`store`]: the SQLite database of decisions (WAL, durable commits, versioned rows).
//! - [`queue`]: the decisions matched to the pairs, filtered, ordered and paged.
//! - [`server`]: the HTTP server of the app and its JSON API (see `docs/review.md`).
//! - [`export`]: the pairs of a status written as a corpus.

pub mod export;
pub mod queue;
pub mod run_folder;
pub mod server;
pub mod store;

pub use queue::{Review, ReviewSummary};
pub use run_folder::{PairKey, ReviewPair, RunFolder};
pub use store::{Decision, ReviewStore, Status};

/// An error of the review: a run folder or database that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// A file of the run folder is missing or unreadable.
    #[error("cannot read {}: {message}", path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file of the run folder is not what `selaras run` writes.
    #[error("{}:{line}: {message}", path.display())]
    Format {
        /// The file.
        path: std::path::PathBuf,
        /// 1-based line number (0: the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The review database is damaged, foreign or cannot be written.
    #[error("review database {}: {message}", path.display())]
    Database {
        /// The database file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Writing the exported corpus failed.
    #[error(transparent)]
    Corpus(#[from] crate::sink::CorpusError),
}
