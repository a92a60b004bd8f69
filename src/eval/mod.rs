//! Evaluation commands: segmentation, alignment and translation scores.

pub mod prf;
pub mod segment;
