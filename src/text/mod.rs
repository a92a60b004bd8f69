//! Text handling below every stage: reading input, normalizing, splitting into sentences,
//! reading numbers and dates, single-line text and atomic file writes.

pub mod atomic;
pub mod input;
pub mod line;
pub mod normalize;
pub mod numbers;
pub mod segment;
