//! Multilingual sentence embeddings used by the aligner.

pub mod http;

use async_trait::async_trait;

/// Why texts could not be embedded.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EmbedError(pub String);

/// A sentence encoder: texts in, one L2-normalized vector per text out, same order.
#[async_trait]
pub trait Embedder: Send + Sync {
    /// Stable identity (backend + model), used as a cache key.
    fn identity(&self) -> String;

    /// Embed a batch of texts; the result has exactly `texts.len()` vectors.
    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError>;
}

pub mod e5;
