//! Translation: the pluggable stage. Every backend implements [`Translator`].

use async_trait::async_trait;

pub mod auto;
pub mod llm;

/// Why a batch could not be translated.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    /// The backend's configuration or model is unusable (not retried).
    #[error("{0}")]
    Config(String),
    /// The backend answered but the answer cannot be used (wrong line count, bad body...).
    #[error("{0}")]
    Backend(String),
    /// An I/O or transport failure.
    #[error("{0}")]
    Io(String),
}

/// A translation backend: a batch of sentences in, exactly as many translations out, same order.
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
