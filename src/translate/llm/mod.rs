//! The `llm` backend: any GGUF model run in-process through llama.cpp, prompted with few-shot
//! examples from a replaceable template, greedy decoding up to the end of the line.
//!
//! The model lives on a dedicated thread (translation is CPU-bound and must not block async
//! workers); [`LlmTranslator`] sends it batches and awaits the answers. With `--llm-retry-suspect`,
//! a sentence whose numbers, dates or names look invented ([`crate::quality::entities`]) is
//! translated again with the template's other variants and the better candidate is kept.

mod engine;
pub mod prompt;

use engine::Engine;
pub use engine::EngineSettings;
use prompt::PromptTemplate;

use super::auto::default_gguf_path;
use super::{TranslateError, Translator};
use crate::quality::entities::missing_entities;
use async_trait::async_trait;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex, OnceLock};

pub use crate::translate::spec::LlmSpec;

/// Scores a candidate translation by source–translation similarity (e.g. e5 embeddings
/// cosine). Used by `--llm-retry-suspect` to break ties between candidates with as many flags.
pub trait CandidateScorer: Send + Sync {
    /// Similarity of `source` and `translation` (higher is better), `None` if unavailable.
    fn similarity(&self, source: &str, translation: &str) -> Option<f32>;
}

/// Counters of a translator's work so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LlmStats {
    /// Sentences translated.
    pub sentences: u64,
    /// Sentences translated again because their entities looked wrong.
    pub retried: u64,
    /// Retried sentences whose retry candidate was kept.
    pub replaced: u64,
}

struct Job {
    batch: Vec<String>,
    /// `None`: the normal path; `Some(variant)`: the per-sentence full-prompt reference path.
    uncached: Option<usize>,
    reply: tokio::sync::oneshot::Sender<Result<Vec<String>, TranslateError>>,
}

/// The `llm` translator: a GGUF model on its own thread.
pub struct LlmTranslator {
    jobs: mpsc::Sender<Job>,
    identity: String,
    source_lang: String,
    target_lang: String,
    stats: Arc<Mutex<LlmStats>>,
}

impl std::fmt::Debug for LlmTranslator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmTranslator")
            .field("identity", &self.identity)
            .finish()
    }
}

fn backend() -> Result<&'static LlamaBackend, TranslateError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let mut backend = LlamaBackend::init().map_err(|e| format!("llama.cpp: {e}"))?;
            if std::env::var_os("SELARAS_LLAMA_LOG").is_none() {
                backend.void_logs();
            }
            Ok(backend)
        })
        .as_ref()
        .map_err(|e| TranslateError::Config(e.clone()))
}

/// FNV-1a, to name the prompt in the identity.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl LlmTranslator {
    /// Load the model and start its thread, translating Indonesian → English (the built-in
    /// prompt's pair). Errors name the missing or unreadable file.
    pub fn load(options: LlmSpec) -> Result<Self, TranslateError> {
        Self::load_with(&options, "id", "en", None)
    }

    /// Load the model for `source` → `target` (the prompt must be for that pair), with a
    /// similarity scorer for `retry_suspect` tie-breaks (the hook for the e5 encoder).
    pub fn load_with(
        options: &LlmSpec,
        source: &str,
        target: &str,
        scorer: Option<Arc<dyn CandidateScorer>>,
    ) -> Result<Self, TranslateError> {
        let gguf = options.gguf.clone().unwrap_or_else(default_gguf_path);
        check_gguf(&gguf)?;
        let (template, prompt_text) = match &options.prompt {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    TranslateError::Config(format!(
                        "cannot read prompt file {}: {e}",
                        path.display()
                    ))
                })?;
                (
                    PromptTemplate::parse(&text, &path.display().to_string()),
                    text,
                )
            }
            None => (
                Ok(PromptTemplate::default_id_en()),
                prompt::DEFAULT_ID_EN.to_string(),
            ),
        };
        let template = template.map_err(TranslateError::Config)?;
        let file_size = std::fs::metadata(&gguf).map(|m| m.len()).unwrap_or(0);
        let identity = format!(
            "llm:{}:{}:prompt={:016x}:greedy:ratio={}:retry={}",
            gguf.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            file_size,
            fnv1a(&prompt_text),
            options.max_tokens_ratio,
            options.retry_suspect
        );
        let settings = EngineSettings {
            threads: options.threads as usize,
            parallel: options.parallel as usize,
            ctx: options.ctx,
            max_tokens_ratio: options.max_tokens_ratio,
            max_tokens_extra: 16,
        };
        let backend = backend()?;
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), TranslateError>>();
        let stats = Arc::new(Mutex::new(LlmStats::default()));
        let worker_stats = Arc::clone(&stats);
        let retry = options.retry_suspect;
        std::thread::Builder::new()
            .name("selaras-llm".to_string())
            .spawn(move || {
                let model = match LlamaModel::load_from_file(
                    backend,
                    &gguf,
                    &LlamaModelParams::default(),
                ) {
                    Ok(model) => model,
                    Err(e) => {
                        let _ = ready_tx.send(Err(TranslateError::Config(format!(
                            "cannot load GGUF model {}: {e}",
                            gguf.display()
                        ))));
                        return;
                    }
                };
                let mut engine = match Engine::new(backend, &model, template.variants, settings) {
                    Ok(engine) => engine,
                    Err(e) => {
                        let _ = ready_tx.send(Err(TranslateError::Config(e)));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                let worker = Worker {
                    retry,
                    scorer,
                    stats: worker_stats,
                };
                while let Ok(job) = inbox.recv() {
                    let result = worker.run(&mut engine, &job);
                    let _ = job.reply.send(result);
                }
            })
            .map_err(|e| TranslateError::io("cannot start the model thread", e))?;
        ready_rx.recv().map_err(|_| {
            TranslateError::Backend("the model thread stopped while loading".to_string())
        })??;
        Ok(LlmTranslator {
            jobs,
            identity,
            source_lang: source.to_string(),
            target_lang: target.to_string(),
            stats,
        })
    }

    fn submit(
        &self,
        batch: &[String],
        uncached: Option<usize>,
    ) -> Result<tokio::sync::oneshot::Receiver<Result<Vec<String>, TranslateError>>, TranslateError>
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            batch: batch.to_vec(),
            uncached,
            reply,
        };
        self.jobs
            .send(job)
            .map_err(|_| TranslateError::Backend("the model thread has stopped".to_string()))?;
        Ok(answer)
    }

    /// Translate a batch from synchronous code (not from inside an async runtime).
    pub fn translate_blocking(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        self.submit(batch, None)?
            .blocking_recv()
            .map_err(|_| TranslateError::Backend("the model thread has stopped".to_string()))?
    }

    /// Reference path for benchmarks: each sentence on its own with the full prompt of
    /// `variant` evaluated from an empty cache (no prefix reuse, no parallel sequences).
    pub fn translate_uncached_blocking(
        &self,
        batch: &[String],
        variant: usize,
    ) -> Result<Vec<String>, TranslateError> {
        self.submit(batch, Some(variant))?
            .blocking_recv()
            .map_err(|_| TranslateError::Backend("the model thread has stopped".to_string()))?
    }

    /// Counters of the work done so far.
    pub fn stats(&self) -> LlmStats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn check_gguf(path: &Path) -> Result<(), TranslateError> {
    let mut file = std::fs::File::open(path).map_err(|e| {
        TranslateError::Config(format!(
            "cannot open GGUF model {}: {e} (run scripts/fetch-models to install the default model, \
             or pass --llm-gguf PATH)",
            path.display()
        ))
    })?;
    let mut magic = [0u8; 4];
    use std::io::Read;
    if file.read_exact(&mut magic).is_err() || &magic != b"GGUF" {
        return Err(TranslateError::Config(format!(
            "{} is not a GGUF file",
            path.display()
        )));
    }
    Ok(())
}

/// The model thread's job handler.
struct Worker {
    retry: bool,
    scorer: Option<Arc<dyn CandidateScorer>>,
    stats: Arc<Mutex<LlmStats>>,
}

impl Worker {
    fn run(&self, engine: &mut Engine<'_>, job: &Job) -> Result<Vec<String>, TranslateError> {
        if let Some(variant) = job.uncached {
            return job
                .batch
                .iter()
                .map(|s| {
                    engine
                        .translate_uncached(s, variant)
                        .map_err(TranslateError::Backend)
                })
                .collect();
        }
        let mut best = engine
            .translate(&job.batch, 0)
            .map_err(TranslateError::Backend)?;
        let (mut retried, mut replaced) = (0u64, 0u64);
        if self.retry && engine.variants() > 1 {
            let mut flags: Vec<usize> = job
                .batch
                .iter()
                .zip(&best)
                .map(|(s, t)| missing_entities(s, t).len())
                .collect();
            let mut suspects: Vec<usize> = (0..job.batch.len()).filter(|&i| flags[i] > 0).collect();
            retried = suspects.len() as u64;
            let mut improved = vec![false; job.batch.len()];
            for variant in 1..engine.variants() {
                if suspects.is_empty() {
                    break;
                }
                let sources: Vec<String> = suspects.iter().map(|&i| job.batch[i].clone()).collect();
                let candidates = engine
                    .translate(&sources, variant)
                    .map_err(TranslateError::Backend)?;
                for (&i, candidate) in suspects.iter().zip(candidates) {
                    let n = missing_entities(&job.batch[i], &candidate).len();
                    if self.better(&job.batch[i], (&candidate, n), (&best[i], flags[i])) {
                        best[i] = candidate;
                        flags[i] = n;
                        improved[i] = true;
                    }
                }
                suspects.retain(|&i| flags[i] > 0);
            }
            replaced = improved.iter().filter(|&&b| b).count() as u64;
        }
        if let Ok(mut stats) = self.stats.lock() {
            stats.sentences += job.batch.len() as u64;
            stats.retried += retried;
            stats.replaced += replaced;
        }
        Ok(best)
    }

    /// Whether `candidate` beats `current`: fewer flags first, then higher similarity.
    fn better(&self, source: &str, candidate: (&str, usize), current: (&str, usize)) -> bool {
        if candidate.1 != current.1 {
            return candidate.1 < current.1;
        }
        let Some(scorer) = &self.scorer else {
            return false;
        };
        match (
            scorer.similarity(source, candidate.0),
            scorer.similarity(source, current.0),
        ) {
            (Some(a), Some(b)) => a > b,
            _ => false,
        }
    }
}

#[async_trait]
impl Translator for LlmTranslator {
    fn identity(&self) -> String {
        self.identity.clone()
    }

    fn source_lang(&self) -> &str {
        &self.source_lang
    }

    fn target_lang(&self) -> &str {
        &self.target_lang
    }

    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(batch, None)?
            .await
            .map_err(|_| TranslateError::Backend("the model thread has stopped".to_string()))?
    }
}
