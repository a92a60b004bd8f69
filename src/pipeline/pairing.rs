//! From a translated document to its aligned, flagged pairs.

use super::{RunConfig, Translated};
use crate::align::{
    cosine, run_count, run_texts, AlignConfig, AlignInputs, Aligner, SideEmbeddings,
};
use crate::embed::e5::E5Model;
use crate::model::document::Document;
use crate::model::{DocumentPairs, Flag, FlagKind, Glossary, PairRecord, Scores};
use crate::quality::{QualityChecker, QualityConfig};
use std::sync::Mutex;

/// Settings for pairing and flagging.
#[derive(Debug, Clone, Default)]
pub struct PairingOptions {
    /// Glossary TSV (source term → required target term).
    pub glossary: Option<std::path::PathBuf>,
    /// Sentence-embedding model (e5); `None` means no embeddings.
    pub embed_model: Option<std::path::PathBuf>,
    /// Threads for the embedding model (0: all cores).
    pub embed_threads: usize,
    /// Aligner settings (with `--tgt-dir`).
    pub align: AlignConfig,
}

/// Source–translation cosine similarity below which a machine-translated pair is flagged
/// `low_score` (measured with e5 on id–en pairs: correct pairs 0.90–0.92, wrong ones ≤ 0.80).
pub const MIN_MT_SIMILARITY: f32 = 0.80;

/// Builds the pairs of each document.
pub struct Pairing {
    src_lang: String,
    tgt_lang: String,
    /// The quality checker (settings and glossary), read by the run's fingerprint.
    pub(super) checker: QualityChecker,
    /// The aligner (settings).
    pub(super) aligner: Aligner,
    /// The e5 model, when embeddings are used.
    pub(super) e5: Option<E5Model>,
}

impl Pairing {
    /// Prepare pairing for a run (loads the glossary and the embedding model).
    pub fn new(config: &RunConfig) -> anyhow::Result<Self> {
        let mut quality = QualityConfig::new(&config.src_lang, &config.tgt_lang);
        // A human translator may rightly translate or drop a name: name flags are for machine
        // translations only.
        quality.names &= config.tgt_dir.is_none();
        let mut checker = QualityChecker::new(quality);
        if let Some(path) = &config.pairing.glossary {
            checker = checker.with_glossary(Glossary::load(path)?);
        }
        let load = |path: &std::path::PathBuf| {
            E5Model::load(path, config.pairing.embed_threads)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        };
        let e5 = config.pairing.embed_model.as_ref().map(load).transpose()?;
        Ok(Pairing {
            src_lang: config.src_lang.clone(),
            tgt_lang: config.tgt_lang.clone(),
            checker,
            aligner: Aligner::new(config.pairing.align.clone()),
            e5,
        })
    }

    /// The aligned, flagged pairs of several documents, in their order (blocking): the texts
    /// of all of them are embedded as one batch on all cores, then each document is paired,
    /// several at once. A vector does not depend on the batch it is embedded in.
    pub fn pair_all(&self, docs: Vec<Translated>) -> Vec<Result<DocumentPairs, String>> {
        let texts: Vec<Vec<String>> = docs.iter().map(|d| self.texts_to_embed(d)).collect();
        let mut vectors = match &self.e5 {
            Some(model) => model.embed_sync(&texts.iter().flatten().collect::<Vec<_>>()),
            None => Vec::new(),
        }
        .into_iter();
        let jobs: Vec<_> = docs
            .into_iter()
            .zip(&texts)
            .map(|(doc, t)| (doc, vectors.by_ref().take(t.len()).collect()))
            .collect();
        parallel_map(jobs, |(doc, vectors)| self.pair(&doc, vectors))
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err("pairing stopped unexpectedly".into())))
            .collect()
    }

    /// What a document needs embedded: source and translation sentences, or the runs of
    /// sentences of both sides for alignment.
    fn texts_to_embed(&self, t: &Translated) -> Vec<String> {
        let src = t.seg.doc.sentence_texts();
        match (&self.e5, &t.seg.tgt) {
            (None, _) => Vec::new(),
            (Some(_), None) if src.is_empty() => Vec::new(),
            (Some(_), None) => src
                .iter()
                .map(|s| s.to_string())
                .chain(t.translations.iter().cloned())
                .collect(),
            (Some(_), Some(tgt)) => {
                let run = self.aligner.max_run();
                let side = |d: &Document| run_texts(&owned(d.sentence_texts()), run);
                [side(&t.seg.doc), side(tgt)].concat()
            }
        }
    }

    /// The aligned, flagged pairs of one document, given its embeddings.
    fn pair(
        &self,
        translated: &Translated,
        vectors: Vec<Vec<f32>>,
    ) -> Result<DocumentPairs, String> {
        let doc = &translated.seg.doc;
        let src_sentences = owned(doc.sentence_texts());
        let (tgt_sentences, mut pairs) = match &translated.seg.tgt {
            None => {
                let pairs =
                    self.pair_with_translation(&src_sentences, &translated.translations, &vectors);
                (translated.translations.clone(), pairs)
            }
            Some(tgt) => {
                let tgt_sentences = owned(tgt.sentence_texts());
                let pairs = self.align_with_counterpart(
                    (doc, tgt),
                    &src_sentences,
                    &tgt_sentences,
                    &translated.translations,
                    vectors,
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

    /// Each source sentence with its own machine translation, scored by the similarity of
    /// their embeddings (`vectors`: the source's, then the translation's; empty: no scores).
    fn pair_with_translation(
        &self,
        src: &[String],
        mt: &[String],
        vectors: &[Vec<f32>],
    ) -> Vec<PairRecord> {
        let (a, b) = vectors.split_at(src.len().min(vectors.len()));
        let similarities: Vec<Option<f32>> = if vectors.is_empty() {
            vec![None; src.len()]
        } else {
            a.iter().zip(b).map(|(x, y)| Some(cosine(x, y))).collect()
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
        (doc, tgt): (&Document, &Document),
        src: &[String],
        tgt_sentences: &[String],
        mt: &[String],
        mut vectors: Vec<Vec<f32>>,
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
        let run = self.aligner.max_run();
        let embeddings = match &self.e5 {
            Some(_) => {
                let src_runs = run_count(src.len(), run);
                let tgt_vectors = vectors.split_off(src_runs.min(vectors.len()));
                let side =
                    |n, v| SideEmbeddings::from_vectors(n, run, v).map_err(|e| e.to_string());
                Some((
                    side(src.len(), vectors)?,
                    side(tgt_sentences.len(), tgt_vectors)?,
                ))
            }
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

/// Owned copies of sentence texts.
fn owned(texts: Vec<&str>) -> Vec<String> {
    texts.into_iter().map(str::to_string).collect()
}

/// `f` over `items` on all cores; each result in its item's place (`None` if a worker died).
fn parallel_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<Option<R>> {
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(items.len());
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    std::iter::from_fn(next)
                        .map(|(i, item)| (i, f(item)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for (i, r) in handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
        {
            results[i] = Some(r);
        }
    });
    results
}
