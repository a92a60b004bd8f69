//! Settings of the CTranslate2 backend, as command-line flags that other commands can flatten.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Numeric precision CTranslate2 computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

    pub(crate) fn to_ct2(self) -> ct2rs::sys::ComputeType {
        match self {
            ComputeType::Float32 => ct2rs::sys::ComputeType::FLOAT32,
            ComputeType::Int8 => ct2rs::sys::ComputeType::INT8,
            ComputeType::Int8Float32 => ct2rs::sys::ComputeType::INT8_FLOAT32,
            ComputeType::Default => ct2rs::sys::ComputeType::DEFAULT,
            ComputeType::Auto => ct2rs::sys::ComputeType::AUTO,
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
        match s {
            "float32" => Ok(ComputeType::Float32),
            "int8" => Ok(ComputeType::Int8),
            "int8_float32" => Ok(ComputeType::Int8Float32),
            "default" => Ok(ComputeType::Default),
            "auto" => Ok(ComputeType::Auto),
            other => Err(format!(
                "unknown compute type `{other}` (expected float32, int8, int8_float32, default or auto)"
            )),
        }
    }
}

/// Options of the CTranslate2 backend (`#[command(flatten)]` them into a command).
///
/// Decoding defaults are those of Argos Translate: beam 4, length penalty 0.2, unknown tokens
/// replaced by the source token with the highest attention, at most 256 target tokens.
#[derive(Debug, Clone, clap::Args)]
pub struct Ct2Options {
    /// Model: an Argos `.argosmodel` file, its unpacked folder, or a CTranslate2 folder converted
    /// from OPUS-MT (with `source.spm` and `target.spm`).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Beam size (1 = greedy decoding, fastest).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub beam: u16,
    /// Computation precision: float32, int8, int8_float32, default (as converted) or auto.
    #[arg(long, default_value_t = ComputeType::Float32)]
    pub compute_type: ComputeType,
    /// Token budget of one batch: sentences × longest sentence (in source tokens).
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_tokens: u32,
    /// CPU threads for the engine (0 = let CTranslate2 choose).
    #[arg(long, default_value_t = 2)]
    pub threads: u16,
    /// Model replicas translating batches side by side (0 = one per thread); the threads are
    /// shared among them.
    #[arg(long, default_value_t = 0)]
    pub replicas: u16,
    /// Maximum length of a translation, in target tokens.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_decoding_length: u32,
}

impl Default for Ct2Options {
    fn default() -> Self {
        Ct2Options {
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

impl Ct2Options {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        ct2: Ct2Options,
    }

    #[test]
    fn defaults_match_argos() {
        let cmd = Cmd::try_parse_from(["x", "--model", "m"]).unwrap();
        assert_eq!(cmd.ct2.beam, 4);
        assert_eq!(cmd.ct2.max_decoding_length, 256);
        assert_eq!(cmd.ct2.compute_type, ComputeType::Float32);
        let d = Ct2Options::default();
        assert_eq!((d.beam, d.batch_tokens, d.threads), (4, 2048, 2));
        assert_eq!(d.thread_layout(), (2, 1));
        let one = Ct2Options {
            replicas: 1,
            ..Ct2Options::default()
        };
        assert_eq!(one.thread_layout(), (1, 2));
    }

    #[test]
    fn compute_type_round_trips() {
        for name in ["float32", "int8", "int8_float32", "default", "auto"] {
            assert_eq!(name.parse::<ComputeType>().unwrap().as_str(), name);
        }
        assert!("fp64".parse::<ComputeType>().is_err());
        assert!(Cmd::try_parse_from(["x", "--beam", "0"]).is_err());
    }
}
