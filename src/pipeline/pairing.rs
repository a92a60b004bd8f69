//! From a translated document to its aligned, flagged pairs; and from stored results to the
//! corpus files.

use super::{RunConfig, Translated};
use crate::corpus::{self, CorpusError, CorpusOptions, DocumentPairs, PairRecord, Summary};
use crate::quality::{Glossary, QualityChecker, QualityConfig};
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
    checker: QualityChecker,
}

impl Pairing {
    /// Prepare pairing for a run (loads the glossary and the aligner's models).
    pub fn new(config: &RunConfig) -> anyhow::Result<Self> {
        let mut checker =
            QualityChecker::new(QualityConfig::new(&config.src_lang, &config.tgt_lang));
        if let Some(path) = &config.pairing.glossary {
            checker = checker.with_glossary(Glossary::load(path)?);
        }
        Ok(Pairing {
            src_lang: config.src_lang.clone(),
            tgt_lang: config.tgt_lang.clone(),
            checker,
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
        let (tgt_sentences, mut pairs): (Vec<String>, Vec<PairRecord>) = match &translated.seg.tgt {
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
        for pair in &mut pairs {
            self.checker.check_pair(pair);
        }
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

/// Write the corpus files from stored results (in document-id order); returns the counts
/// and the files written. A result that cannot be read stops the writing and changes no file.
pub fn write_corpus(
    config: &RunConfig,
    docs: impl Iterator<Item = std::io::Result<DocumentPairs>>,
) -> Result<(Summary, Vec<std::path::PathBuf>), CorpusError> {
    let options = CorpusOptions::new(&config.out, &config.src_lang, &config.tgt_lang);
    corpus::write_corpus(&config.formats.join(","), &options, docs)
}
