//! Evaluation commands: segmentation, alignment and translation scores.

pub mod align;
pub mod prf;
pub mod segment;
