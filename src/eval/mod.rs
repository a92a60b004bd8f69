//! Evaluation commands: segmentation, alignment and translation scores.
