//! Settings of the in-process backends: CTranslate2 (`ct2`) and GGUF through llama.cpp (`llm`).
//! The settings exist in every build; the engines only with the `ct2` and `llm` features.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

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
        if threads == 0 {
            (replicas, 0)
        } else {
            (replicas, (threads / replicas).max(1))
        }
    }

    /// An error naming the first setting out of its range.
    pub fn check(&self) -> Result<(), TranslateError> {
        check_ranges(&[
            ("ct2 beam", self.beam.into(), 1, 64),
            (
                "ct2 batch_tokens",
                self.batch_tokens.into(),
                1,
                u32::MAX.into(),
            ),
            (
                "ct2 max_decoding_length",
                self.max_decoding_length.into(),
                1,
                u32::MAX.into(),
            ),
        ])
    }
}

/// Numeric precision CTranslate2 computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputeType {
    /// 32-bit floats: output identical to Python `ctranslate2` at the same settings.
    #[default]
    Float32,
    /// 8-bit integer weights (ruy kernels in this build; no faster than float32 here).
    Int8,
    /// 8-bit integer weights, float32 activations.
    Int8Float32,
    /// Keep the precision the model was converted with (int8 for Argos packs).
    Default,
    /// The fastest type this machine supports.
    Auto,
}

impl ComputeType {
    const ALL: [ComputeType; 5] = [
        ComputeType::Float32,
        ComputeType::Int8,
        ComputeType::Int8Float32,
        ComputeType::Default,
        ComputeType::Auto,
    ];

    /// The name CTranslate2 and its Python API use.
    pub fn as_str(self) -> &'static str {
        match self {
            ComputeType::Float32 => "float32",
            ComputeType::Int8 => "int8",
            ComputeType::Int8Float32 => "int8_float32",
            ComputeType::Default => "default",
            ComputeType::Auto => "auto",
        }
    }
}

impl fmt::Display for ComputeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ComputeType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ComputeType::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!("unknown compute type `{s}` (expected float32, int8, int8_float32, default or auto)")
            })
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
    /// CPU threads for the model, 1 to 256 [default: 1; more threads than idle cores thrash].
    pub threads: u32,
    /// Sentences decoded together as parallel sequences, 1 to 64.
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
            threads: 1,
            parallel: 8,
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
        assert!(LlmSpec {
            ctx: 10,
            ..LlmSpec::default()
        }
        .check()
        .is_err());
        assert!(LlmSpec::default().check().is_ok());
    }

    #[test]
    fn compute_type_round_trips() {
        for name in ["float32", "int8", "int8_float32", "default", "auto"] {
            assert_eq!(name.parse::<ComputeType>().unwrap().as_str(), name);
        }
        assert!("fp64".parse::<ComputeType>().is_err());
    }
}
