//! `pairs.jsonl`: one JSON object per pair, every block of every document.
//!
//! Each line: `{"doc_id", "pair", "block_type", "src_indices", "tgt_indices", "src", "tgt",
//! "src_sentences", "tgt_sentences", "score", "scores", "flags": [{"kind", "detail"}]}`.
//! `pair` is the 0-based index of the pair in its document; `score` is
//! [`PairRecord::score`](super::PairRecord::score) (or `null`).

use super::{CorpusError, CorpusOptions, CorpusWriter, Flag, TextWriter};
use crate::model::Scores;

/// The file name written.
pub const FILE_NAME: &str = "pairs.jsonl";

/// One line of `pairs.jsonl`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JsonlRecord {
    /// Document id.
    pub doc_id: String,
    /// Index of the pair in its document.
    pub pair: usize,
    /// Block type, `n-m`.
    pub block_type: String,
    /// Source sentence indices.
    pub src_indices: Vec<usize>,
    /// Target sentence indices.
    pub tgt_indices: Vec<usize>,
    /// Source text of the block.
    pub src: String,
    /// Target text of the block.
    pub tgt: String,
    /// The block's source sentences.
    pub src_sentences: Vec<String>,
    /// The block's target sentences.
    pub tgt_sentences: Vec<String>,
    /// Main score.
    pub score: Option<f32>,
    /// Every score by name.
    pub scores: Scores,
    /// Quality flags.
    pub flags: Vec<Flag>,
}

/// Starts `pairs.jsonl` in the output folder.
pub fn create(options: &CorpusOptions) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    TextWriter::create(options, &[FILE_NAME], "", "", |doc, out| {
        for (index, pair) in doc.pairs.iter().enumerate() {
            let record = JsonlRecord {
                doc_id: doc.doc_id.clone(),
                pair: index,
                block_type: pair.block_type(),
                src_indices: pair.src_indices.clone(),
                tgt_indices: pair.tgt_indices.clone(),
                src: pair.src.clone(),
                tgt: pair.tgt.clone(),
                src_sentences: sentences(&doc.src_sentences, &pair.src_indices),
                tgt_sentences: sentences(&doc.tgt_sentences, &pair.tgt_indices),
                score: pair.score(),
                scores: pair.scores,
                flags: pair.flags.clone(),
            };
            out[0].push_str(&serde_json::to_string(&record)?);
            out[0].push('\n');
        }
        Ok(())
    })
}

fn sentences(all: &[String], indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .filter_map(|&i| all.get(i).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn one_record_per_pair_with_texts_scores_and_flags() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(create(&options(dir.path())).unwrap(), &sample_docs());
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        let records: Vec<JsonlRecord> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), 4);
        assert_eq!(records[1].doc_id, "berita/a.txt");
        assert_eq!(records[1].pair, 1);
        assert_eq!(records[1].src_sentences, ["Harganya Rp 1.500."]);
        assert_eq!(records[1].tgt, "The price is Rp 15.");
        assert_eq!(records[1].flags[0].kind.as_str(), "number_mismatch");
        assert_eq!(records[1].score, Some(0.81));
        assert_eq!(records[2].block_type, "1-0");
        assert!(records[2].tgt_sentences.is_empty());
        assert_eq!(records[3].src, "Baris\nkedua \u{1} \"kutip\".");
    }
}
