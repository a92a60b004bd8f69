//! Evaluation commands: segmentation, alignment and translation scores.

pub mod bleu;
pub mod chrf;
