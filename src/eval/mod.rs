//! Evaluation commands: segmentation, alignment and translation scores.

pub mod align;
pub mod bleu;
pub mod chrf;
pub mod prf;
pub mod segment;
