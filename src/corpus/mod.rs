//! Corpus writers: the aligned pairs of every document, in the formats corpus builders use.

use std::collections::BTreeMap;

/// A quality flag raised on a pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Flag {
    /// Kind of flag (`number_mismatch`, `untranslated`, `length_ratio`, `repetition`, `empty`,
    /// `low_score`, `glossary_miss`, ...).
    pub kind: String,
    /// Human-readable detail (which number, which term...).
    pub detail: String,
}

/// One aligned pair of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairRecord {
    /// Source sentence indices in the document (0-based, consecutive).
    pub src_indices: Vec<usize>,
    /// Target sentence indices in the document (0-based, consecutive).
    pub tgt_indices: Vec<usize>,
    /// Source text (the block's sentences joined with a space).
    pub src: String,
    /// Target text (the block's sentences joined with a space).
    pub tgt: String,
    /// Scores by name (`align`, `mt`, `embed`, `length`...), each in [0, 1].
    pub scores: BTreeMap<String, f32>,
    /// Quality flags, sorted.
    pub flags: Vec<Flag>,
}

impl PairRecord {
    /// Block type as `n-m` (e.g. `1-1`, `2-1`, `1-0`).
    pub fn block_type(&self) -> String {
        format!("{}-{}", self.src_indices.len(), self.tgt_indices.len())
    }
}

/// Every pair of one document, with the document's sentences.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocumentPairs {
    /// Document id (sanitized relative path or `id` field).
    pub doc_id: String,
    /// Source language code.
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Source sentences in order.
    pub src_sentences: Vec<String>,
    /// Target sentences in order.
    pub tgt_sentences: Vec<String>,
    /// Index of the first source sentence of each paragraph.
    pub src_paragraph_starts: Vec<usize>,
    /// Aligned pairs in order.
    pub pairs: Vec<PairRecord>,
}
