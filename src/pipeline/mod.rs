//! `selaras run`: the staged pipeline from article folders to an aligned parallel corpus.
//!
//! read → normalize + split → translate → score + align + flag → store, as tokio tasks joined
//! by bounded channels (backpressure). CPU-heavy work (segmentation, embedding, alignment)
//! runs on blocking threads. A document is read first; when an earlier run stored its result
//! under the same fingerprint and input, that result is reused. Each finished document is
//! stored in the run state at once, so a killed run resumes where it stopped; the corpus
//! files are written at the end from the stored results, in document-id order, so the same
//! input always gives the same bytes.
//!
//! A run holds the exclusive lock of its output folder ([`lock`]) and writes a completion
//! marker last ([`completion`]). With a [`shard::Shard`] it handles only its share of the
//! documents; [`merge`] joins finished shards into the corpus an unsharded run would write.

pub mod completion;
pub mod fingerprint;
pub mod lock;
pub mod merge;
pub mod pairing;
pub mod progress;
pub mod score_stage;
pub mod shard;
pub mod sources;
pub mod state;
pub mod translate_stage;

use crate::model::document::Document;
use crate::sink::CorpusOptions;
use crate::text::input::decode_text;
use crate::text::normalize::normalize;
use crate::text::segment::Segmenter;
use crate::translate::batcher::Batcher;
use crate::translate::cache::TranslationCache;
use crate::translate::Translator;
use completion::{Completion, CorpusIdentity};
use fingerprint::{sha256_hex, RunFingerprint};
use progress::{Progress, ProgressMode};
use score_stage::Scored;
use sources::SourceDoc;
use state::{Finished, RunState};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;

pub use crate::translate::batcher::BatchOptions;

/// A document's way through a stage: done, or failed with a reason.
#[derive(Debug)]
pub enum DocOutcome<T> {
    /// The stage finished the document.
    Done(T),
    /// The document failed; the others go on.
    Failed {
        /// Document id.
        id: String,
        /// File and place it came from.
        origin: String,
        /// Why it failed.
        reason: String,
    },
}

/// A document after normalization and segmentation (with its human translation, if any).
#[derive(Debug)]
pub struct Segmented {
    /// Document id.
    pub id: String,
    /// File and place it came from.
    pub origin: String,
    /// The source document.
    pub doc: Document,
    /// The target-language counterpart from `--tgt-dir`.
    pub tgt: Option<Document>,
    /// SHA-256 of the source text (and of the counterpart's, after a `+`).
    pub input: String,
}

/// A segmented document with the machine translation of every source sentence.
#[derive(Debug)]
pub struct Translated {
    /// The segmented document.
    pub seg: Segmented,
    /// One translation per source sentence (empty when no backend is used).
    pub translations: Vec<String>,
}

/// Everything a run needs besides the translator.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Input folders and files.
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    pub out: PathBuf,
    /// Source language code.
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Folder of human translations with the same relative paths.
    pub tgt_dir: Option<PathBuf>,
    /// Output formats (`jsonl`, `tsv`, `moses`, `tmx`, `html`).
    pub formats: Vec<String>,
    /// Batching of backend calls.
    pub batch: BatchOptions,
    /// How progress is shown.
    pub progress: ProgressMode,
    /// Pairing and flagging settings.
    pub pairing: pairing::PairingOptions,
    /// The share of the documents this run handles ([`shard::Shard::WHOLE`]: all).
    pub shard: shard::Shard,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct RunSummary {
    /// Documents found in the input.
    pub documents: usize,
    /// Documents finished by an earlier run and reused.
    pub resumed: usize,
    /// Documents that failed: (origin, reason).
    pub failed: Vec<(String, String)>,
    /// Sentences sent to the backend in this run.
    pub translated_now: u64,
    /// Sentence occurrences served from the cache.
    pub reused: u64,
    /// Documents, sentences, pairs and flags of the written corpus.
    pub corpus: crate::sink::Summary,
    /// The corpus files written.
    pub files: Vec<PathBuf>,
}

/// Run the pipeline. Returns an error only for problems that stop the whole run (bad
/// output folder, unreadable input path); a document's problems are in the summary.
pub async fn run(
    config: RunConfig,
    translator: Option<Arc<dyn Translator>>,
) -> anyhow::Result<RunSummary> {
    crate::sink::parse_formats(&config.formats.join(","))?;
    let (mut docs, mut problems) = sources::discover(&config.inputs).map_err(anyhow::Error::msg)?;
    let corpus = CorpusIdentity::of(docs.iter().map(|d| d.id.as_str()));
    let shard = config.shard;
    docs.retain(|d| shard.contains(&d.id));
    if shard.index > 0 {
        problems.clear(); // input problems are reported once, by shard 0
    }
    let pairing = Arc::new(pairing::Pairing::new(&config)?);
    let fingerprint = RunFingerprint::new(&config, translator.as_deref(), &pairing);
    let _lock = lock::FolderLock::exclusive(&config.out)?;
    Completion::clear(&config.out)?;
    let marker = Completion::new(shard, &fingerprint, corpus, &config.formats);
    let mut state = RunState::open(&config.out, &fingerprint)?;
    let mut summary = RunSummary {
        documents: docs.len(),
        failed: problems.into_iter().map(|p| (p.origin, p.reason)).collect(),
        ..RunSummary::default()
    };
    let all_ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let progress = Arc::new(Progress::new(config.progress, all_ids.len() as u64));

    let (seg_tx, seg_rx) = mpsc::channel::<DocOutcome<Segmented>>(16);
    let (tr_tx, tr_rx) = mpsc::channel::<DocOutcome<Translated>>(16);
    let (sc_tx, mut sc_rx) = mpsc::channel::<DocOutcome<Scored>>(16);

    // read (reusing earlier results) → normalize + split
    let reader = {
        let (config, finished) = (config.clone(), state.finished());
        let progress = Arc::clone(&progress);
        tokio::spawn(
            async move { read_and_split(docs, &config, &finished, seg_tx, &progress).await },
        )
    };

    // translate (or pass through)
    let batcher = match translator.clone() {
        Some(t) => {
            let cache = TranslationCache::open(&state.dir().join("translations.jsonl"))?;
            let progress = Arc::clone(&progress);
            let hook = Box::new(move |n: u64| progress.sentences_translated(n));
            Some(Batcher::new(t, Some(cache), config.batch, hook))
        }
        None => None,
    };
    let translator_task = match batcher.clone() {
        Some(b) => tokio::spawn(translate_stage::run(seg_rx, tr_tx, b)),
        None => tokio::spawn(pass_through(seg_rx, tr_tx)),
    };

    // score + align + flag, then store
    let scorer = tokio::spawn(score_stage::run(tr_rx, sc_tx, pairing));
    let mut done = HashSet::new();
    while let Some(outcome) = sc_rx.recv().await {
        match outcome {
            DocOutcome::Failed { origin, reason, .. } => {
                progress.message(&format!("selaras: {origin}: {reason}"));
                summary.failed.push((origin, reason));
            }
            DocOutcome::Done(scored) => {
                state.save(&scored.pairs, &scored.input)?;
                done.insert(scored.pairs.doc_id);
            }
        }
        progress.document_done();
    }
    scorer.await??;
    let reused = reader.await??;
    translator_task.await?;
    let stats = batcher.map(|b| b.stats()).unwrap_or_default();
    summary.resumed = reused.len();
    done.extend(reused);
    summary.translated_now = stats.sent_to_backend;
    summary.reused = stats.reused;
    progress.finish();

    // Corpus files from the stored results, in id order.
    let finished: Vec<&String> = all_ids.iter().filter(|id| done.contains(*id)).collect();
    let options = CorpusOptions::new(&config.out, &config.src_lang, &config.tgt_lang);
    let docs = finished.iter().map(|id| state.load(id));
    let (corpus, files) = crate::sink::write_corpus(&config.formats.join(","), &options, docs)?;
    summary.corpus = corpus;
    summary.files = files;
    summary.failed.sort();
    let ids = finished.iter().map(|id| Ok(id.as_str()));
    marker.write(&config.out, ids, summary.failed.len())?;
    Ok(summary)
}

/// Read each document; send it on segmented, or count it done when an earlier result is
/// reusable. Returns the ids of the reused documents.
async fn read_and_split(
    docs: Vec<SourceDoc>,
    config: &RunConfig,
    finished: &Arc<Finished>,
    tx: mpsc::Sender<DocOutcome<Segmented>>,
    progress: &Progress,
) -> anyhow::Result<Vec<String>> {
    let src_seg = Arc::new(Segmenter::for_lang(&config.src_lang)?);
    let tgt_seg = Arc::new(Segmenter::for_lang(&config.tgt_lang)?);
    let mut reused = Vec::new();
    for source in docs {
        let id = source.id.clone();
        let origin = source.origin.to_string();
        let (src_seg, tgt_seg) = (Arc::clone(&src_seg), Arc::clone(&tgt_seg));
        let (finished, tgt_dir) = (Arc::clone(finished), config.tgt_dir.clone());
        let outcome = tokio::task::spawn_blocking(move || {
            read_source(source, tgt_dir, &finished, (&src_seg, &tgt_seg))
        })
        .await?;
        let outcome = match outcome {
            Ok(None) => {
                progress.document_done();
                reused.push(id);
                continue;
            }
            Ok(Some(seg)) => {
                progress.document_read(seg.doc.sentence_count() as u64);
                DocOutcome::Done(seg)
            }
            Err(reason) => DocOutcome::Failed { id, origin, reason },
        };
        if tx.send(outcome).await.is_err() {
            break;
        }
    }
    Ok(reused)
}

/// Read a document and its counterpart in `tgt_dir`, then segment them; `None` when the
/// earlier result made from the same input can be reused.
fn read_source(
    source: SourceDoc,
    tgt_dir: Option<PathBuf>,
    finished: &Finished,
    (src_seg, tgt_seg): (&Segmenter, &Segmenter),
) -> Result<Option<Segmented>, String> {
    let text = source.read()?;
    let tgt_text = match (tgt_dir, &source.relative) {
        (Some(dir), Some(rel)) => {
            let path = dir.join(rel);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.display().to_string();
            Some(decode_text(bytes, &name, false).map_err(|e| e.to_string())?)
        }
        (Some(_), None) => {
            return Err("no counterpart in --tgt-dir (only .txt inputs can have one)".into())
        }
        (None, _) => None,
    };
    let mut input = sha256_hex(text.as_bytes());
    if let Some(tgt) = &tgt_text {
        input = format!("{input}+{}", sha256_hex(tgt.as_bytes()));
    }
    if finished.reusable(&source.id, &input) {
        return Ok(None);
    }
    Ok(Some(Segmented {
        doc: src_seg.document(source.id.clone(), normalize(&text).0),
        tgt: tgt_text.map(|t| tgt_seg.document(source.id.clone(), normalize(&t).0)),
        origin: source.origin.to_string(),
        id: source.id,
        input,
    }))
}

async fn pass_through(
    mut rx: mpsc::Receiver<DocOutcome<Segmented>>,
    tx: mpsc::Sender<DocOutcome<Translated>>,
) {
    while let Some(outcome) = rx.recv().await {
        let next = match outcome {
            DocOutcome::Done(seg) => DocOutcome::Done(Translated {
                seg,
                translations: Vec::new(),
            }),
            DocOutcome::Failed { id, origin, reason } => DocOutcome::Failed { id, origin, reason },
        };
        if tx.send(next).await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::TranslateError;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Upper-cases sentences; fails any batch holding a sentence with "RUSAK".
    struct Upper {
        sentences: AtomicUsize,
    }

    #[async_trait::async_trait]
    impl Translator for Upper {
        fn identity(&self) -> String {
            "upper".into()
        }
        fn langs(&self) -> (&str, &str) {
            ("id", "en")
        }
        async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
            if batch.iter().any(|s| s.contains("RUSAK")) {
                return Err(TranslateError::Backend("broken sentence".into()));
            }
            self.sentences.fetch_add(batch.len(), Ordering::SeqCst);
            Ok(batch.iter().map(|s| s.to_uppercase()).collect())
        }
    }

    pub(super) fn config(input: &std::path::Path, out: &std::path::Path) -> RunConfig {
        RunConfig {
            inputs: vec![input.to_path_buf()],
            out: out.to_path_buf(),
            src_lang: "id".into(),
            tgt_lang: "en".into(),
            tgt_dir: None,
            formats: vec!["jsonl".into()],
            batch: BatchOptions {
                batch_size: 3,
                parallel: 2,
            },
            progress: ProgressMode::Quiet,
            pairing: pairing::PairingOptions::default(),
            shard: shard::Shard::WHOLE,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn resumes_without_translating_twice_and_isolates_failures() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        for i in 0..6 {
            std::fs::write(
                input.join(format!("sub/doc{i}.txt")),
                format!("Judul {i}\n\nKalimat satu. Kalimat dua {i}.\nFoto: AFP\n"),
            )
            .unwrap();
        }
        std::fs::write(input.join("bad.txt"), "Ini RUSAK. Dan ini baik.\n").unwrap();
        std::fs::write(input.join("latin1.txt"), b"Caf\xe9.\n").unwrap();
        let out = dir.path().join("out");
        let upper = Arc::new(Upper {
            sentences: AtomicUsize::new(0),
        });
        let run_pipeline = || run(config(&input, &out), Some(upper.clone()));
        let summary = run_pipeline().await.unwrap();
        assert_eq!(summary.documents, 8);
        assert_eq!(summary.failed.len(), 2, "{:?}", summary.failed);
        let failed = |file: &str, why: &str| {
            (summary.failed.iter()).any(|(o, r)| o.ends_with(file) && r.contains(why))
        };
        assert!(failed("bad.txt", "broken"));
        assert!(failed("latin1.txt", "byte offset 3"));
        // 6 titles + "Kalimat satu." once + 6 "Kalimat dua i." + "Foto: AFP" once, and the
        // good sentence of bad.txt (its document fails with its bad one).
        assert_eq!(upper.sentences.load(Ordering::SeqCst), 15);
        let first = std::fs::read(out.join("pairs.jsonl")).unwrap();
        assert_eq!(String::from_utf8_lossy(&first).lines().count(), 24);
        assert!(String::from_utf8_lossy(&first).contains("KALIMAT DUA 3."));

        let summary = run_pipeline().await.unwrap();
        assert_eq!(summary.resumed, 6);
        assert_eq!(upper.sentences.load(Ordering::SeqCst), 15);
        assert_eq!(std::fs::read(out.join("pairs.jsonl")).unwrap(), first);

        // An edited document is redone (one new sentence translated); the others are reused.
        std::fs::write(input.join("sub/doc2.txt"), "Judul 2\n\nKalimat baru.\n").unwrap();
        let summary = run_pipeline().await.unwrap();
        assert_eq!(summary.resumed, 5);
        assert_eq!(upper.sentences.load(Ordering::SeqCst), 16);
        let edited = String::from_utf8(std::fs::read(out.join("pairs.jsonl")).unwrap()).unwrap();
        assert!(edited.contains("KALIMAT BARU.") && !edited.contains("KALIMAT DUA 2."));
    }
}
