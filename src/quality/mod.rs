//! Quality flags for translated or aligned pairs.
pub mod entities;
