//! The corpus writers (`selaras::sink`): JSONL, TSV, Moses and TMX.

mod formats;
mod tmx;
