//! Sentence alignment and the in-process e5 encoder.

mod bench;
mod cli;
mod e5_reference;
