//! Translating many sentences: batches sent concurrently, results put back in order, blank
//! sentences kept blank, and per-sentence results ([`Translator::translate_each`]) so only the
//! sentences that fail on their own are lost.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{TranslateError, Translator};

/// Translate `sentences` in batches of `batch_size`, at most `parallel` batches at once.
/// The result has one entry per sentence, in order; blank sentences translate to `""`
/// without being sent.
pub async fn translate_all(
    translator: Arc<dyn Translator>,
    sentences: &[String],
    batch_size: usize,
    parallel: usize,
) -> Vec<Result<String, TranslateError>> {
    let mut results: Vec<Option<Result<String, TranslateError>>> =
        Vec::with_capacity(sentences.len());
    let mut pending: Vec<usize> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        if s.trim().is_empty() {
            results.push(Some(Ok(String::new())));
        } else {
            results.push(None);
            pending.push(i);
        }
    }
    let permits = Arc::new(Semaphore::new(parallel.max(1)));
    let mut tasks = JoinSet::new();
    for chunk in pending.chunks(batch_size.max(1)) {
        let indices = chunk.to_vec();
        let batch: Vec<String> = indices.iter().map(|&i| sentences[i].clone()).collect();
        let translator = translator.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let outcome = translator.translate_each(&batch).await;
            (indices, outcome)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((indices, outcome)) => {
                for (i, r) in indices.into_iter().zip(outcome) {
                    results[i] = Some(r);
                }
            }
            Err(e) => {
                // A panicking backend task: its sentences stay unfilled and are reported below.
                eprintln!("selaras: a translation task failed: {e}");
            }
        }
    }
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| Err(TranslateError::Backend("translation task failed".into())))
        })
        .collect()
}
