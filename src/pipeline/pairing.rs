//! From a translated document to its aligned, flagged pairs; and from stored results to the
//! corpus files.

use super::{RunConfig, Translated};
use crate::align::{cosine, AlignConfig, AlignInputs, Aligner, SideEmbeddings};
use crate::embed::e5::E5Model;
use crate::model::document::Document;
use crate::model::Glossary;
use crate::model::{DocumentPairs, Flag, FlagKind, PairRecord, Scores};
use crate::quality::{QualityChecker, QualityConfig};
use crate::sink::{self, CorpusError, CorpusOptions, Summary};

/// Settings for pairing and flagging.
#[derive(Debug, Clone, Default)]
pub struct PairingOptions {
    /// Glossary TSV (source term → required target term).
    pub glossary: Option<std::path::PathBuf>,
    /// Sentence-embedding model (e5); `None` means no embeddings.
    pub embed_model: Option<std::path::PathBuf>,
    /// Threads for the embedding model (0: all cores).
    pub embed_threads: usize,
}

impl PairingOptions {
    /// The part of the run fingerprint these settings decide.
    pub fn fingerprint(&self) -> String {
        let glossary = match &self.glossary {
            Some(path) => file_digest(path),
            None => "none".into(),
        };
        let embed = if self.embed_model.is_some() {
            "e5"
        } else {
            "none"
        };
        format!("glossary:{glossary}|embed:{embed}")
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

/// Source–translation cosine similarity below which a machine-translated pair is flagged
/// `low_score` (measured with e5 on id–en pairs: correct pairs 0.90–0.92, wrong ones ≤ 0.80).
pub const MIN_MT_SIMILARITY: f32 = 0.80;

/// Builds the pairs of each document.
pub struct Pairing {
    src_lang: String,
    tgt_lang: String,
    checker: QualityChecker,
    aligner: Aligner,
    e5: Option<E5Model>,
}

impl Pairing {
    /// Prepare pairing for a run (loads the glossary and the embedding model).
    pub fn new(config: &RunConfig) -> anyhow::Result<Self> {
        let mut checker =
            QualityChecker::new(QualityConfig::new(&config.src_lang, &config.tgt_lang));
        if let Some(path) = &config.pairing.glossary {
            checker = checker.with_glossary(Glossary::load(path)?);
        }
        let e5 = match &config.pairing.embed_model {
            Some(path) => Some(
                E5Model::load(path, config.pairing.embed_threads)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            ),
            None => None,
        };
        Ok(Pairing {
            src_lang: config.src_lang.clone(),
            tgt_lang: config.tgt_lang.clone(),
            checker,
            aligner: Aligner::new(AlignConfig::default()),
            e5,
        })
    }

    /// The aligned, flagged pairs of one document (blocking: embeds and aligns).
    pub fn pair(&self, translated: Translated) -> Result<DocumentPairs, String> {
        let doc = &translated.seg.doc;
        let src_sentences: Vec<String> = doc
            .sentence_texts()
            .into_iter()
            .map(str::to_string)
            .collect();
        let (tgt_sentences, mut pairs) = match &translated.seg.tgt {
            None => {
                let pairs = self.pair_with_translation(&src_sentences, &translated.translations);
                (translated.translations.clone(), pairs)
            }
            Some(tgt) => {
                let tgt_sentences: Vec<String> = tgt
                    .sentence_texts()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                let pairs = self.align_with_counterpart(
                    doc,
                    tgt,
                    &src_sentences,
                    &tgt_sentences,
                    &translated.translations,
                )?;
                (tgt_sentences, pairs)
            }
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

    /// Each source sentence with its own machine translation, scored by embedding similarity
    /// when the model is installed.
    fn pair_with_translation(&self, src: &[String], mt: &[String]) -> Vec<PairRecord> {
        let similarities: Vec<Option<f32>> = match &self.e5 {
            Some(model) if !src.is_empty() => {
                let a = model.embed_sync(src);
                let b = model.embed_sync(mt);
                a.iter().zip(&b).map(|(x, y)| Some(cosine(x, y))).collect()
            }
            _ => vec![None; src.len()],
        };
        src.iter()
            .zip(mt)
            .zip(similarities)
            .enumerate()
            .map(|(i, ((s, t), sim))| {
                let mut scores = Scores::default();
                let mut flags = Vec::new();
                if let Some(sim) = sim {
                    scores.embed = Some(sim);
                    if sim < MIN_MT_SIMILARITY && !t.trim().is_empty() {
                        flags.push(Flag::new(
                            FlagKind::LowScore,
                            format!("source–translation similarity {sim:.2} below {MIN_MT_SIMILARITY:.2}"),
                        ));
                    }
                }
                PairRecord {
                    src_indices: vec![i],
                    tgt_indices: vec![i],
                    src: s.clone(),
                    tgt: t.clone(),
                    scores,
                    flags,
                }
            })
            .collect()
    }

    /// Align the source with its human translation; paragraph breaks are hard anchors when
    /// both sides have the same number of paragraphs.
    fn align_with_counterpart(
        &self,
        doc: &Document,
        tgt: &Document,
        src: &[String],
        tgt_sentences: &[String],
        mt: &[String],
    ) -> Result<Vec<PairRecord>, String> {
        let anchors: Vec<(usize, usize)> = if doc.paragraphs.len() == tgt.paragraphs.len() {
            doc.paragraph_starts()
                .into_iter()
                .zip(tgt.paragraph_starts())
                .filter(|&(i, j)| i > 0 && j > 0)
                .collect()
        } else {
            Vec::new()
        };
        let max_run = self.aligner.max_run();
        let embeddings = match &self.e5 {
            Some(model) => Some((
                SideEmbeddings::with_model(model, src, max_run).map_err(|e| e.to_string())?,
                SideEmbeddings::with_model(model, tgt_sentences, max_run)
                    .map_err(|e| e.to_string())?,
            )),
            None => None,
        };
        let inputs = AlignInputs {
            src_mt: (mt.len() == src.len() && !src.is_empty()).then_some(mt),
            src_emb: embeddings.as_ref().map(|e| &e.0),
            tgt_emb: embeddings.as_ref().map(|e| &e.1),
            anchors: &anchors,
        };
        let blocks = self
            .aligner
            .align(src, tgt_sentences, &inputs)
            .map_err(|e| format!("alignment failed: {e}"))?;
        Ok(blocks
            .iter()
            .map(|b| PairRecord::from_block(b, src, tgt_sentences))
            .collect())
    }
}

/// Write the corpus files from stored results (in document-id order); returns the counts
/// and the files written. A result that cannot be read stops the writing and changes no file.
pub fn write_corpus(
    config: &RunConfig,
    docs: impl Iterator<Item = std::io::Result<DocumentPairs>>,
) -> Result<(Summary, Vec<std::path::PathBuf>), CorpusError> {
    let options = CorpusOptions::new(&config.out, &config.src_lang, &config.tgt_lang);
    sink::write_corpus(&config.formats.join(","), &options, docs)
}
