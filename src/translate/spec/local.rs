//! Settings of the in-process backends: CTranslate2 (`ct2`) and GGUF through llama.cpp (`llm`).
//! The settings exist in every build; the engines only with the `ct2` and `llm` features.

use std::path::PathBuf;

use serde::Deserialize;

use crate::translate::TranslateError;

/// `type = "ct2"`: a CTranslate2 model. Decoding defaults are those of Argos Translate: beam 4,
/// length penalty 0.2, unknown tokens replaced by the source token with the highest attention,
/// at most 256 target tokens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ct2Spec {
    /// An Argos `.argosmodel` file, its unpacked folder, or a CTranslate2 folder converted from
    /// OPUS-MT (with `source.spm` and `target.spm`).
    pub model: Option<PathBuf>,
    /// Beam size (1 = greedy decoding, fastest), 1 to 64.
    pub beam: u16,
    /// Computation precision.
    pub compute_type: ComputeType,
    /// Token budget of one batch: sentences × longest sentence (in source tokens).
    pub batch_tokens: u32,
    /// CPU threads for the engine (0 = let CTranslate2 choose).
    pub threads: u16,
    /// Model replicas translating batches side by side (0 = one per thread); the threads are
    /// shared among them.
    pub replicas: u16,
    /// Maximum length of a translation, in target tokens.
    pub max_decoding_length: u32,
}

impl Default for Ct2Spec {
    fn default() -> Self {
        Ct2Spec {
            model: None,
            beam: 4,
            compute_type: ComputeType::Float32,
            batch_tokens: 2048,
            threads: 2,
            replicas: 0,
            max_decoding_length: 256,
        }
    }
}

impl Ct2Spec {
    /// Number of model replicas and CPU threads per replica (0 = CTranslate2's default).
    pub fn thread_layout(&self) -> (usize, usize) {
        let threads = usize::from(self.threads);
        let replicas = match usize::from(self.replicas) {
            0 => threads.max(1),
            r => r,
        };
        (replicas, (threads / replicas).max(threads.min(1)))
    }

    /// An error naming the first setting out of its range.
    pub fn check(&self) -> Result<(), TranslateError> {
        let max = u32::MAX.into();
        check_ranges(&[
            ("ct2 beam", self.beam.into(), 1, 64),
            ("ct2 batch_tokens", self.batch_tokens.into(), 1, max),
            (
                "ct2 max_decoding_length",
                self.max_decoding_length.into(),
                1,
                max,
            ),
        ])
    }
}

named_enum! {
    /// Numeric precision CTranslate2 computes with (named as CTranslate2 and its Python API do).
    #[derive(Default, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ComputeType ("compute type") {
        /// 32-bit floats: output identical to Python `ctranslate2` at the same settings.
        #[default]
        Float32 = "float32",
        /// 8-bit integer weights: about twice as fast as float32 (oneDNN kernels, as in the
        /// Python wheel); a few lines in a hundred may differ from Python's (see BENCHMARKS.md).
        Int8 = "int8",
        /// 8-bit integer weights, float32 activations.
        Int8Float32 = "int8_float32",
        /// Keep the precision the model was converted with (int8 for Argos packs).
        Default = "default",
        /// The fastest type this machine supports.
        Auto = "auto",
    }
}

/// `type = "llm"`: a GGUF model prompted with few-shot examples, greedy decoding.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmSpec {
    /// GGUF model file [default: the best installed of `auto::GGUF_MODELS` in the models folder].
    pub gguf: Option<PathBuf>,
    /// Prompt template file (few-shot examples with a `{source}` line; variants separated by
    /// `===`) [default: the built-in Indonesian→English prompt].
    pub prompt: Option<PathBuf>,
    /// CPU threads for the model, 1 to 256 [default: the cores; fewer on a shared machine,
    /// where threads waiting for a busy core slow every step].
    pub threads: u32,
    /// Sentences decoded together as parallel sequences, 1 to 64 [default: 1: a sentence's
    /// translation is its plain greedy decoding, whatever else is translated; 16 is ≈ 1.4×
    /// faster, but batched kernels round differently and change some translations].
    pub parallel: u32,
    /// Translate sentences whose numbers, dates or names look invented again with the prompt's
    /// other variants, keeping the better candidate.
    pub retry_suspect: bool,
    /// Context size in tokens, shared by the prompt prefixes and the parallel sentences.
    pub ctx: u32,
    /// Token budget per sentence, as a multiple of the source's token count (plus 16).
    pub max_tokens_ratio: f32,
}

impl Default for LlmSpec {
    fn default() -> Self {
        LlmSpec {
            gguf: None,
            prompt: None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(256) as u32),
            parallel: 1,
            retry_suspect: false,
            ctx: 4096,
            max_tokens_ratio: 2.0,
        }
    }
}

impl LlmSpec {
    /// An error naming the first setting out of its range.
    pub fn check(&self) -> Result<(), TranslateError> {
        check_ranges(&[
            ("llm threads", self.threads.into(), 1, 256),
            ("llm parallel", self.parallel.into(), 1, 64),
            ("llm ctx", self.ctx.into(), 512, 131_072),
        ])
    }
}

/// An error naming the first `(setting, value, low, high)` whose value is out of its range.
fn check_ranges(ranges: &[(&str, u64, u64, u64)]) -> Result<(), TranslateError> {
    match ranges
        .iter()
        .find(|(_, v, low, high)| !(low..=high).contains(&v))
    {
        Some((name, v, low, high)) => Err(TranslateError::Config(format!(
            "{name} {v} is out of range {low}..={high}"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_argos_and_ranges_are_checked() {
        let d = Ct2Spec::default();
        assert_eq!((d.beam, d.batch_tokens, d.threads), (4, 2048, 2));
        assert_eq!(d.max_decoding_length, 256);
        assert_eq!(d.thread_layout(), (2, 1));
        let one = Ct2Spec {
            replicas: 1,
            ..Ct2Spec::default()
        };
        assert_eq!(one.thread_layout(), (1, 2));
        let zero_beam = Ct2Spec { beam: 0, ..d };
        let err = zero_beam.check().unwrap_err().to_string();
        assert_eq!(err, "ct2 beam 0 is out of range 1..=64");
        let tiny_ctx = LlmSpec {
            ctx: 10,
            ..LlmSpec::default()
        };
        assert!(tiny_ctx.check().is_err());
        assert!(LlmSpec::default().check().is_ok());
    }

    #[test]
    fn compute_type_round_trips() {
        for name in ["float32", "int8", "int8_float32", "default", "auto"] {
            assert_eq!(name.parse::<ComputeType>().unwrap().name(), name);
        }
        assert!("fp64".parse::<ComputeType>().is_err());
    }
}
