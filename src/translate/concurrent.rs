//! Translating many sentences: batches sent concurrently, results put back in order, blank
//! sentences kept blank, and a failing batch retried sentence by sentence so only the
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
    let mut results: Vec<Option<Result<String, TranslateError>>> = Vec::with_capacity(sentences.len());
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
            let outcome = translate_batch(translator.as_ref(), &batch).await;
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
        .map(|r| r.unwrap_or_else(|| Err(TranslateError::Backend("translation task failed".into()))))
        .collect()
}

/// One batch; when it fails as a whole, each sentence on its own.
async fn translate_batch(translator: &dyn Translator, batch: &[String]) -> Vec<Result<String, TranslateError>> {
    match translator.translate(batch).await {
        Ok(out) if out.len() == batch.len() => out.into_iter().map(Ok).collect(),
        Ok(out) if batch.len() == 1 => vec![Err(TranslateError::Backend(format!(
            "{} translations for 1 sentence",
            out.len()
        )))],
        Err(e) if batch.len() == 1 || matches!(e, TranslateError::Config(_)) => {
            let message = e.to_string();
            let mut v = vec![Err(e)];
            v.extend((1..batch.len()).map(|_| Err(TranslateError::Config(message.clone()))));
            v
        }
        _ => {
            let mut out = Vec::with_capacity(batch.len());
            for s in batch {
                out.push(match translator.translate(std::slice::from_ref(s)).await {
                    Ok(mut one) if one.len() == 1 => Ok(one.remove(0)),
                    Ok(one) => Err(TranslateError::Backend(format!("{} translations for 1 sentence", one.len()))),
                    Err(e) => Err(e),
                });
            }
            out
        }
    }
}
