//! Corpus-wide counts, gathered document by document in constant memory.

use super::DocumentPairs;
use crate::model::FlagKind;
use std::collections::BTreeMap;

/// Counts over every document written so far.
///
/// Memory is bounded by the number of distinct block types and flag kinds, not by the number
/// of documents.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Documents.
    pub documents: usize,
    /// Source sentences.
    pub src_sentences: usize,
    /// Target sentences.
    pub tgt_sentences: usize,
    /// Pairs (alignment blocks), unaligned sentences included.
    pub pairs: usize,
    /// Pairs with text on both sides (the ones in TSV, Moses and TMX).
    pub parallel_pairs: usize,
    /// Pairs with at least one flag.
    pub flagged_pairs: usize,
    /// Pairs by block type (`1-1`, `2-1`, `1-0`...).
    pub block_types: BTreeMap<String, usize>,
    /// Pairs carrying each flag kind.
    pub flags: BTreeMap<FlagKind, usize>,
    /// Pairs by main score in tenths: `[0]` counts scores in [0, 0.1), `[9]` in [0.9, 1].
    pub score_histogram: [usize; 10],
    /// Pairs with no score.
    pub unscored_pairs: usize,
}

impl Summary {
    /// Adds one document's counts.
    pub fn add(&mut self, doc: &DocumentPairs) {
        self.documents += 1;
        self.src_sentences += doc.src_sentences.len();
        self.tgt_sentences += doc.tgt_sentences.len();
        for pair in &doc.pairs {
            self.pairs += 1;
            self.parallel_pairs += usize::from(pair.is_parallel());
            *self.block_types.entry(pair.block_type()).or_default() += 1;
            self.flagged_pairs += usize::from(!pair.flags.is_empty());
            let mut kinds: Vec<FlagKind> = pair.flags.iter().map(|f| f.kind).collect();
            kinds.dedup();
            for kind in kinds {
                *self.flags.entry(kind).or_default() += 1;
            }
            match pair.score() {
                Some(score) => {
                    let bucket = (score.clamp(0.0, 1.0) * 10.0).floor() as usize;
                    self.score_histogram[bucket.min(9)] += 1;
                }
                None => self.unscored_pairs += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::sample_docs;
    use super::*;

    #[test]
    fn counts_documents_pairs_blocks_and_flags() {
        let mut summary = Summary::default();
        for doc in sample_docs() {
            summary.add(&doc);
        }
        assert_eq!(summary.documents, 2);
        assert_eq!(summary.src_sentences, 4);
        assert_eq!(summary.tgt_sentences, 3);
        assert_eq!(summary.pairs, 4);
        assert_eq!(summary.parallel_pairs, 3);
        assert_eq!(summary.flagged_pairs, 1);
        assert_eq!(
            summary.block_types,
            BTreeMap::from([("1-0".to_string(), 1), ("1-1".to_string(), 3)])
        );
        assert_eq!(
            summary.flags,
            BTreeMap::from([(FlagKind::NumberMismatch, 1)])
        );
        assert_eq!(summary.score_histogram, [1, 0, 0, 0, 0, 1, 0, 0, 1, 1]);
    }
}
