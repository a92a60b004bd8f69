//! The record of one aligned document: its pairs, their scores and quality flags.

/// One alignment block: consecutive source sentences aligned to consecutive target sentences.
///
/// Indices are 0-based into the document's flattened sentence list; either side may be empty
/// (an unaligned sentence). Blocks of an alignment cover every sentence exactly once, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Source sentence indices (consecutive, ascending).
    pub src: Vec<usize>,
    /// Target sentence indices (consecutive, ascending).
    pub tgt: Vec<usize>,
    /// Block score in [0, 1]: higher is more likely a true translation pair.
    pub score: f32,
}

/// What a quality flag says is wrong with a pair. Serialized in `snake_case`
/// (`number_mismatch`); the variants are in the alphabetical order of those names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Dates or weekdays differ between source and target.
    DateMismatch,
    /// One side has no text.
    Empty,
    /// A glossary term's required translation is missing.
    GlossaryMiss,
    /// Target much shorter or longer than the source.
    LengthRatio,
    /// Score below the threshold.
    LowScore,
    /// A name in the translation that the source does not have.
    NameAdded,
    /// A name of the source that the translation does not have.
    NameMissing,
    /// A number in the translation that the source does not have.
    NumberAdded,
    /// Numbers differ between source and target.
    NumberMismatch,
    /// Target repeats an n-gram back to back.
    Repetition,
    /// Target identical (or nearly) to the source.
    Untranslated,
}

impl FlagKind {
    /// Every kind, in order.
    pub const ALL: [FlagKind; 11] = [
        FlagKind::DateMismatch,
        FlagKind::Empty,
        FlagKind::GlossaryMiss,
        FlagKind::LengthRatio,
        FlagKind::LowScore,
        FlagKind::NameAdded,
        FlagKind::NameMissing,
        FlagKind::NumberAdded,
        FlagKind::NumberMismatch,
        FlagKind::Repetition,
        FlagKind::Untranslated,
    ];

    /// The kind's name as written in every output (`number_mismatch`).
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::DateMismatch => "date_mismatch",
            FlagKind::Empty => "empty",
            FlagKind::GlossaryMiss => "glossary_miss",
            FlagKind::LengthRatio => "length_ratio",
            FlagKind::LowScore => "low_score",
            FlagKind::NameAdded => "name_added",
            FlagKind::NameMissing => "name_missing",
            FlagKind::NumberAdded => "number_added",
            FlagKind::NumberMismatch => "number_mismatch",
            FlagKind::Repetition => "repetition",
            FlagKind::Untranslated => "untranslated",
        }
    }
}

impl std::fmt::Display for FlagKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A quality flag raised on a pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Flag {
    /// What is wrong.
    pub kind: FlagKind,
    /// Human-readable detail (which number, which term...).
    pub detail: String,
}

impl Flag {
    /// A flag of `kind` with a human-readable `detail`.
    pub fn new(kind: FlagKind, detail: impl Into<String>) -> Self {
        Flag {
            kind,
            detail: detail.into(),
        }
    }
}

/// The scores of a pair, each in [0, 1] when present. Serialized as an object of the present
/// scores (`{"align": 0.93}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scores {
    /// Alignment score of the block (from the aligner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub align: Option<f32>,
    /// Cosine similarity of the source and its machine translation (e5 embeddings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<f32>,
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
    /// The pair's scores.
    pub scores: Scores,
    /// Quality flags, sorted.
    pub flags: Vec<Flag>,
}

impl PairRecord {
    /// Block type as `n-m` (e.g. `1-1`, `2-1`, `1-0`).
    pub fn block_type(&self) -> String {
        format!("{}-{}", self.src_indices.len(), self.tgt_indices.len())
    }

    /// The pair's main score: `align`, else `embed`; `None` when neither is a finite number.
    pub fn score(&self) -> Option<f32> {
        let Scores { align, embed } = self.scores;
        [align, embed].into_iter().flatten().find(|s| s.is_finite())
    }

    /// A pair from an alignment block: the block's sentences joined with a space, its score as
    /// `align`, no flags yet. Indices outside the sentence lists are kept but contribute no
    /// text.
    pub fn from_block(
        block: &Block,
        src_sentences: &[String],
        tgt_sentences: &[String],
    ) -> PairRecord {
        let join = |all: &[String], indices: &[usize]| {
            indices
                .iter()
                .filter_map(|&i| all.get(i).map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        };
        PairRecord {
            src_indices: block.src.clone(),
            tgt_indices: block.tgt.clone(),
            src: join(src_sentences, &block.src),
            tgt: join(tgt_sentences, &block.tgt),
            scores: Scores {
                align: Some(block.score),
                embed: None,
            },
            flags: Vec::new(),
        }
    }

    /// Whether both sides hold text: only such pairs go to the parallel formats (TSV, Moses,
    /// TMX); JSONL and the HTML report keep every block, unaligned sentences included.
    pub fn is_parallel(&self) -> bool {
        !self.src.trim().is_empty() && !self.tgt.trim().is_empty()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_from_block_joins_sentences() {
        let block = Block {
            src: vec![0, 1],
            tgt: vec![0, 7],
            score: 0.8,
        };
        let src = ["Satu.".to_string(), "Dua.".to_string()];
        let tgt = ["One, two.".to_string()];
        let pair = PairRecord::from_block(&block, &src, &tgt);
        assert_eq!(pair.src, "Satu. Dua.");
        assert_eq!(pair.tgt, "One, two.");
        assert_eq!(pair.block_type(), "2-2");
        assert_eq!(pair.score(), Some(0.8));
    }

    #[test]
    fn score_prefers_align_then_embed() {
        let mut p = PairRecord::from_block(
            &Block {
                src: vec![0],
                tgt: vec![0],
                score: 0.4,
            },
            &["a".to_string()],
            &["b".to_string()],
        );
        p.scores.embed = Some(0.9);
        assert_eq!(p.score(), Some(0.4));
        p.scores.align = Some(f32::NAN);
        assert_eq!(p.score(), Some(0.9));
        p.scores = Scores::default();
        assert_eq!(p.score(), None);
        assert_eq!(
            serde_json::to_string(&Scores {
                align: Some(0.5),
                embed: None
            })
            .unwrap(),
            r#"{"align":0.5}"#
        );
    }
}
