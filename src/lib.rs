//! selaras: turn folders of Indonesian articles into reviewed English parallel corpora.
//!
//! The pipeline reads as the modules: [`normalize`] → [`segment`] → [`translate`] →
//! [`align`] → [`corpus`] writers, wired together in [`pipeline`].

pub mod align;
pub mod cli;
pub mod corpus;
pub mod document;
pub mod embed;
pub mod eval;
pub mod input;
pub mod normalize;
pub mod quality;
pub mod segment;
pub mod translate;
