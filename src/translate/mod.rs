//! Translation: the pluggable stage. Every backend implements [`Translator`].

pub mod command;
pub mod concurrent;
pub mod config;
#[cfg(feature = "ct2")]
pub mod ct2;
pub mod libretranslate;
pub mod openai;
pub mod select;
pub mod spec;
pub mod split;

use async_trait::async_trait;

pub mod auto;
#[cfg(feature = "llm")]
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

    /// Translate a batch with one result per sentence, so that a sentence the backend cannot
    /// translate does not take its neighbours down. The default translates the batch and, when
    /// that fails (other than for configuration), each sentence on its own.
    async fn translate_each(&self, batch: &[String]) -> Vec<Result<String, TranslateError>> {
        match self.translate(batch).await {
            Ok(out) if out.len() == batch.len() => out.into_iter().map(Ok).collect(),
            Ok(out) => {
                let message = format!("{} translations for {} sentences", out.len(), batch.len());
                batch
                    .iter()
                    .map(|_| Err(TranslateError::Backend(message.clone())))
                    .collect()
            }
            Err(e) if batch.len() == 1 || matches!(e, TranslateError::Config(_)) => {
                let message = e.to_string();
                let mut out = vec![Err(e)];
                out.extend((1..batch.len()).map(|_| Err(TranslateError::Config(message.clone()))));
                out
            }
            Err(_) => {
                let mut out = Vec::with_capacity(batch.len());
                for sentence in batch {
                    out.push(match self.translate(std::slice::from_ref(sentence)).await {
                        Ok(mut one) if one.len() == 1 => Ok(one.remove(0)),
                        Ok(one) => Err(TranslateError::Backend(format!(
                            "{} translations for 1 sentence",
                            one.len()
                        ))),
                        Err(e) => Err(e),
                    });
                }
                out
            }
        }
    }
}
