//! Translation: the pluggable stage. Every backend implements [`Translator`]; the [`batcher`]
//! is the one way sentences reach a backend.

pub mod auto;
pub mod batcher;
pub mod cache;
pub mod command;
pub mod config;
#[cfg(feature = "ct2")]
pub mod ct2;
pub mod libretranslate;
#[cfg(feature = "llm")]
pub mod llm;
pub mod openai;
pub mod select;
pub mod spec;
pub mod split;

use async_trait::async_trait;

/// Why a batch could not be translated.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    /// The backend's configuration or model is unusable, or it refuses any batch
    /// (authentication, missing route): not retried, not split.
    #[error("{0}")]
    Config(String),
    /// No server could be reached: smaller batches would not help.
    #[error("{0}")]
    Unreachable(String),
    /// The backend answered but the answer cannot be used (bad body, failed decoding...).
    #[error("{0}")]
    Backend(String),
    /// The backend returned the wrong number of translations.
    #[error("{got} translations for {sent} sentences")]
    Count {
        /// Sentences sent.
        sent: usize,
        /// Translations returned.
        got: usize,
    },
    /// An I/O failure (starting or talking to a program, reading or writing a file).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, and on which file or program.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl TranslateError {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        TranslateError::Io {
            context: context.into(),
            source,
        }
    }

    /// Whether a smaller batch may succeed where this one failed.
    pub fn may_split(&self) -> bool {
        !matches!(
            self,
            TranslateError::Config(_) | TranslateError::Unreachable(_)
        )
    }
}

/// A copy for each caller waiting on the same sentence (an I/O error keeps its kind and text).
impl Clone for TranslateError {
    fn clone(&self) -> Self {
        match self {
            TranslateError::Config(m) => TranslateError::Config(m.clone()),
            TranslateError::Unreachable(m) => TranslateError::Unreachable(m.clone()),
            TranslateError::Backend(m) => TranslateError::Backend(m.clone()),
            TranslateError::Count { sent, got } => TranslateError::Count {
                sent: *sent,
                got: *got,
            },
            TranslateError::Io { context, source } => TranslateError::io(
                context.clone(),
                std::io::Error::new(source.kind(), source.to_string()),
            ),
        }
    }
}

/// A translation backend: a batch of sentences in, exactly as many translations out, same order.
/// Backends translate one batch in one go (transport retries included); the [`batcher`] splits
/// failed batches to isolate a bad sentence.
#[async_trait]
pub trait Translator: Send + Sync {
    /// Stable identity (backend + model + settings), used as the translation cache key.
    fn identity(&self) -> String;

    /// Source language code (e.g. `id`).
    fn source_lang(&self) -> &str;

    /// Target language code (e.g. `en`).
    fn target_lang(&self) -> &str;

    /// Translate a batch; the result has exactly `batch.len()` entries in the same order.
    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError>;
}
