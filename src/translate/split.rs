//! Failure isolation: a batch that fails in a way a smaller batch may fix is translated in
//! halves, down to single sentences, so one bad sentence does not sink its neighbours.

use std::sync::Arc;

use super::{TranslateError, Translator};
use crate::net::http::RetryPolicy;

/// Translate `batch`, halving failing batches down to single sentences. One result per
/// sentence: only sentences that fail on their own are errors; an error that no smaller batch
/// can fix ([`TranslateError::may_split`]) is given to every sentence left.
pub async fn translate_splitting(
    translator: &Arc<dyn Translator>,
    batch: &[String],
) -> Vec<Result<String, TranslateError>> {
    let mut out: Vec<Option<Result<String, TranslateError>>> =
        (0..batch.len()).map(|_| None).collect();
    let mut todo = vec![(0usize, batch.len())];
    while let Some((start, end)) = todo.pop() {
        if start == end {
            continue;
        }
        match call(translator, &batch[start..end]).await {
            Ok(translations) => {
                for (slot, t) in out[start..end].iter_mut().zip(translations) {
                    *slot = Some(Ok(t));
                }
            }
            Err(error) if error.may_split() && end - start > 1 => {
                let mid = start + (end - start) / 2;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Err(error) if error.may_split() => out[start] = Some(Err(error)),
            Err(error) => {
                // Fails for any batch (configuration, authentication, no server): stop here.
                for slot in out.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(Err(error.clone()));
                }
                break;
            }
        }
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(TranslateError::Backend("not translated".into()))))
        .collect()
}

/// One backend call on its own task (a panicking backend fails the batch, not the caller),
/// with the translation count checked.
async fn call(
    translator: &Arc<dyn Translator>,
    batch: &[String],
) -> Result<Vec<String>, TranslateError> {
    let (translator, owned) = (Arc::clone(translator), batch.to_vec());
    let translations = tokio::spawn(async move { translator.translate(&owned).await })
        .await
        .map_err(|e| TranslateError::Backend(format!("the backend failed: {e}")))??;
    if translations.len() != batch.len() {
        return Err(TranslateError::Count {
            sent: batch.len(),
            got: translations.len(),
        });
    }
    Ok(translations)
}

/// Extra attempts for a batch of several sentences before it is split: splitting costs no
/// more requests than retrying, and finds a sentence the server cannot take.
pub const RETRIES_BEFORE_SPLIT: u32 = 3;

/// The retry policy of an HTTP backend for a batch of `n` sentences: a short budget (and
/// `mismatch_retries` for wrong counts) while splitting is possible; the full budget
/// (`retries`) for both when a single sentence is left.
pub fn batch_policy(retries: u32, n: usize, mismatch_retries: u32) -> RetryPolicy {
    if n > 1 {
        RetryPolicy {
            retries: Some(retries.min(RETRIES_BEFORE_SPLIT)),
            mismatch_retries,
        }
    } else {
        RetryPolicy {
            retries: Some(retries),
            mismatch_retries: retries,
        }
    }
}
