//! Evaluation commands: segmentation, alignment and translation scores, name flags.

pub mod align;
pub mod bleu;
pub mod chrf;
pub mod flags;
pub mod prf;
pub mod segment;
