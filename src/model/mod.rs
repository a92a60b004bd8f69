//! The record model every stage shares: documents, aligned pairs with their scores and flags,
//! the glossary and what counts as a word
//! when texts are compared. It imports nothing else of the crate.

pub mod document;
pub mod glossary;
pub mod record;
pub mod words;

pub use document::{Document, Paragraph, Sentence};
pub use glossary::{Glossary, GlossaryEntry, GlossaryError};
pub use record::{Block, DocumentPairs, Flag, FlagKind, PairRecord, Scores};
