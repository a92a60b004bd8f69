//! CTranslate2 backend: Argos Translate packs and OPUS-MT models converted to CTranslate2, with
//! SentencePiece tokenization done here (so `</s>` is added exactly once).
//!
//! Translation runs on the calling thread in [`Ct2Translator::translate_blocking`]; the async
//! [`Translator`] implementation moves it to a blocking thread.

mod archive;
pub mod batching;
pub mod model;
pub mod tokenize;

pub use crate::translate::spec::{ComputeType, Ct2Spec};
pub use model::{ModelFiles, ModelKind};

use crate::translate::{TranslateError, Translator};
use async_trait::async_trait;
use batching::Layout;
use ct2rs::sys::{BatchType, Config, Device, TranslationOptions};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokenize::Tokenizer;

/// Length penalty argostranslate decodes with.
pub const LENGTH_PENALTY: f32 = 0.2;

/// The GEMM kernels CTranslate2 is built with here (part of the cache key: 8-bit kernels of
/// different libraries round differently, so their translations can differ).
pub const GEMM: &str = "onednn";

/// The environment variable CTranslate2 reads its CPU kernel set from.
const ISA_VAR: &str = "CT2_FORCE_CPU_ISA";

/// Let CTranslate2 use its AVX-512 kernels where the CPU has the five AVX-512 subsets it checks
/// for (its own default stops at AVX2): float32 output stays identical, 8-bit output may round
/// differently, translation is 5–11 % faster here (BENCHMARKS.md). `CT2_FORCE_CPU_ISA`, when
/// set, wins. Call at start-up, before other threads exist and before the first model loads.
pub fn prefer_avx512() {
    #[cfg(target_arch = "x86_64")]
    if std::env::var_os(ISA_VAR).is_none()
        && std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512cd")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512bw")
    {
        std::env::set_var(ISA_VAR, "AVX512");
    }
}

/// A loaded CTranslate2 model with its tokenizers; cheap to clone (shared).
#[derive(Clone)]
pub struct Ct2Translator {
    engine: Arc<Engine>,
}

struct Engine {
    translator: ct2rs::sys::Translator,
    tokenizer: Tokenizer,
    decoding: TranslationOptions<String, String>,
    layout: Layout,
    source_lang: String,
    target_lang: String,
    identity: String,
}

impl Ct2Translator {
    /// Load the model named by `options.model` for translating `from` → `to`.
    pub fn from_spec(options: &Ct2Spec, from: &str, to: &str) -> Result<Self, TranslateError> {
        let model = options.model.as_deref().ok_or_else(|| {
            TranslateError::Config(
                "the ct2 backend needs --ct2-model PATH (an .argosmodel file or a model folder; \
                 run scripts/fetch-models or see models/README.md)"
                    .into(),
            )
        })?;
        Self::load(model, options, from, to)
    }

    /// Load the model at `path` (see [`model::locate`]) for translating `from` → `to`.
    ///
    /// Fails, naming the file, when the model is missing or unreadable or when the languages it
    /// records differ from `from`/`to`.
    pub fn load(
        path: &Path,
        options: &Ct2Spec,
        from: &str,
        to: &str,
    ) -> Result<Self, TranslateError> {
        let files = model::locate(path)?;
        let sides = [
            ("source", &files.source_lang, from, "--from"),
            ("target", &files.target_lang, to, "--to"),
        ];
        for (side, recorded, wanted, flag) in sides {
            if let (Some(code), Some(file)) = (recorded, &files.lang_source) {
                if !code.eq_ignore_ascii_case(wanted) {
                    return Err(TranslateError::Config(format!(
                        "{}: the model's {side} language is `{code}`, but {flag} is `{wanted}`",
                        file.display()
                    )));
                }
            }
        }
        let tokenizer = Tokenizer::load(
            &files.source_spm,
            files.target_spm.as_deref(),
            files.append_eos,
        )?;
        let (replicas, threads_per_replica) = options.thread_layout();
        let config = Config {
            device: Device::CPU,
            compute_type: to_ct2(options.compute_type),
            device_indices: vec![0; replicas],
            num_threads_per_replica: threads_per_replica,
            ..Config::default()
        };
        let translator = ct2rs::sys::Translator::new(&files.ct2_dir, &config).map_err(|e| {
            TranslateError::Config(format!(
                "{}: cannot load the CTranslate2 model: {e:#}",
                files.ct2_dir.join("model.bin").display()
            ))
        })?;
        let decoding = TranslationOptions {
            beam_size: usize::from(options.beam),
            length_penalty: LENGTH_PENALTY,
            replace_unknowns: true,
            max_decoding_length: options.max_decoding_length as usize,
            max_batch_size: 0,
            batch_type: BatchType::Examples,
            ..TranslationOptions::default()
        };
        let identity = identity(&files, options, from, to);
        Ok(Ct2Translator {
            engine: Arc::new(Engine {
                translator,
                tokenizer,
                decoding,
                layout: layout(options),
                source_lang: from.to_string(),
                target_lang: to.to_string(),
                identity,
            }),
        })
    }

    /// The model's tokenizers (what the engine counts a sentence's tokens with).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.engine.tokenizer
    }

    /// Translate on the calling thread (CPU-bound: call it from a blocking thread, not from an
    /// async worker). Empty or blank sentences give empty translations without reaching the model.
    pub fn translate_blocking(&self, sentences: &[String]) -> Result<Vec<String>, TranslateError> {
        let engine = &*self.engine;
        let mut out = vec![String::new(); sentences.len()];
        let todo: Vec<usize> = (0..sentences.len())
            .filter(|&i| !sentences[i].trim().is_empty())
            .collect();
        let tokens: Vec<Vec<String>> = todo
            .iter()
            .map(|&i| engine.tokenizer.encode(sentences[i].trim()))
            .collect::<Result<_, _>>()?;
        let lengths: Vec<usize> = tokens.iter().map(Vec::len).collect();
        let batches = batching::plan_shared(&lengths, &engine.layout);
        for (batch, hypotheses) in batches.iter().zip(engine.run_batches(&tokens, &batches)?) {
            for (&k, pieces) in batch.iter().zip(hypotheses) {
                out[todo[k]] = engine.tokenizer.decode(&pieces)?;
            }
        }
        Ok(out)
    }
}

/// Best hypothesis (target pieces) of every sentence of one batch.
type BatchResult = Result<Vec<Vec<String>>, TranslateError>;

impl Engine {
    /// Translate every batch (indices into `tokens`), returning the best hypothesis of each
    /// sentence, batch by batch. With several replicas, that many threads feed them batches.
    fn run_batches(
        &self,
        tokens: &[Vec<String>],
        batches: &[Vec<usize>],
    ) -> Result<Vec<Vec<Vec<String>>>, TranslateError> {
        let workers = self.layout.replicas.min(batches.len());
        if workers <= 1 {
            return batches.iter().map(|b| self.run_batch(tokens, b)).collect();
        }
        let next = AtomicUsize::new(0);
        let mut done: Vec<(usize, BatchResult)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(batch) = batches.get(i) else { break };
                            mine.push((i, self.run_batch(tokens, batch)));
                        }
                        mine
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        if done.len() != batches.len() {
            return Err(TranslateError::Backend(
                "a translation thread failed".into(),
            ));
        }
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, result)| result).collect()
    }

    fn run_batch(&self, tokens: &[Vec<String>], batch: &[usize]) -> BatchResult {
        let source: Vec<Vec<&str>> = batch
            .iter()
            .map(|&k| tokens[k].iter().map(String::as_str).collect())
            .collect();
        let results = self
            .translator
            .translate_batch(&source, &self.decoding, None)
            .map_err(|e| TranslateError::Backend(format!("CTranslate2: {e:#}")))?;
        if results.len() != batch.len() {
            return Err(TranslateError::Count {
                sent: batch.len(),
                got: results.len(),
            });
        }
        Ok(results
            .into_iter()
            .map(|r| r.hypotheses.into_iter().next().unwrap_or_default())
            .collect())
    }
}

#[async_trait]
impl Translator for Ct2Translator {
    fn identity(&self) -> String {
        self.engine.identity.clone()
    }

    fn langs(&self) -> (&str, &str) {
        (&self.engine.source_lang, &self.engine.target_lang)
    }

    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        let this = self.clone();
        let batch = batch.to_vec();
        tokio::task::spawn_blocking(move || this.translate_blocking(&batch))
            .await
            .map_err(|e| TranslateError::Backend(format!("translation thread failed: {e}")))?
    }
}

/// How the engine loaded with `options` batches a call's sentences.
///
/// Sentences one batch holds at most: with 8-bit weights a decoding step costs mostly its
/// activations, which must stay in the CPU cache ([`batching::MAX_ROWS`] hypotheses); a float32
/// step mostly reads the weights, whose cost larger batches share, so only the token budget
/// bounds those (measured: BENCHMARKS.md).
pub fn layout(options: &Ct2Spec) -> Layout {
    let max_sentences = match options.compute_type {
        ComputeType::Float32 => usize::MAX,
        _ => batching::MAX_ROWS / usize::from(options.beam).max(1),
    };
    Layout {
        budget: options.batch_tokens as usize,
        max_sentences,
        replicas: options.thread_layout().0,
        beam: usize::from(options.beam),
    }
}

fn to_ct2(compute_type: ComputeType) -> ct2rs::sys::ComputeType {
    match compute_type {
        ComputeType::Float32 => ct2rs::sys::ComputeType::FLOAT32,
        ComputeType::Int8 => ct2rs::sys::ComputeType::INT8,
        ComputeType::Int8Float32 => ct2rs::sys::ComputeType::INT8_FLOAT32,
        ComputeType::Default => ct2rs::sys::ComputeType::DEFAULT,
        ComputeType::Auto => ct2rs::sys::ComputeType::AUTO,
    }
}

/// Backend + model + every setting that changes the output: the translation cache key.
fn identity(files: &ModelFiles, options: &Ct2Spec, from: &str, to: &str) -> String {
    let model_bin = files.ct2_dir.join("model.bin");
    let size = std::fs::metadata(&model_bin).map_or(0, |m| m.len());
    let name = match files.kind {
        ModelKind::Argos => files.ct2_dir.parent().unwrap_or(&files.ct2_dir),
        ModelKind::OpusMt => &files.ct2_dir,
    }
    .file_name()
    .map(|n| n.to_string_lossy().into_owned())
    .unwrap_or_default();
    format!(
        "ct2:{name}:{size}:{from}-{to}:beam={}:lp={LENGTH_PENALTY}:unk=replace:maxlen={}:{}:gemm={GEMM}",
        options.beam, options.max_decoding_length, options.compute_type
    )
}
