//! Evaluation commands: segmentation, alignment and translation scores.
pub mod align;
