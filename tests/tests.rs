//! The end-to-end tests: one test binary (the C++ engines are linked once), one module per area.
//!
//! Run one area with `cargo test --release --test tests -- MODULE::`, e.g. `-- backends::`.
//! Shared helpers are in `util`; the data the tests read is in tests/data/.

mod util;

mod align;
mod backends;
mod cli_text;
mod corpus;
mod ct2;
mod llm;
mod mt_scores;
mod report_html;
mod review;
mod run;
mod shard;
