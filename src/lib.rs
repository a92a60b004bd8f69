//! selaras: turn folders of Indonesian articles into reviewed English parallel corpora.
//!
//! The modules stand in layers; each imports only the layers below it:
//!
//! 1. [`model`]: documents, aligned pair records, flags, scores, the glossary.
//! 2. [`text`]: input, normalization, segmentation, numbers, atomic writes; [`net`]: the HTTP
//!    pool, retries and secrets.
//! 3. [`quality`]: flags on a pair.
//! 4. [`translate`] (the `Translator` trait, its backends and the batcher) and [`embed`]
//!    (sentence encoders).
//! 5. [`align`] (sentence alignment), [`sink`] (corpus writers) and [`eval`] (metrics).
//! 6. [`pipeline`]: read → normalize → split → translate → align → store → write; [`review`]:
//!    the review app over a finished run, its decisions database and the reviewed corpus.
//!
//! The command line (`selaras …`) lives in the binary, on top of all of them.

pub mod align;
pub mod embed;
pub mod eval;
pub mod model;
pub mod net;
pub mod pipeline;
pub mod quality;
pub mod review;
pub mod sink;
pub mod text;
pub mod translate;
