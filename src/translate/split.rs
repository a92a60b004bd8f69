//! Failure isolation: a batch that fails in a way a smaller batch may fix is translated in
//! halves, down to single sentences, so one bad sentence does not sink its neighbours.

use std::sync::Arc;

use super::{TranslateError, Translator};
use crate::net::http::{BodyError, HttpError, HttpPool, RetryPolicy};

/// Translate `batch`, halving failing batches down to single sentences. One result per
/// sentence: only sentences that fail on their own are errors; an error that no smaller batch
/// can fix ([`TranslateError::may_split`]) is given to every sentence left.
pub async fn translate_splitting(
    translator: &Arc<dyn Translator>,
    batch: &[String],
) -> Vec<Result<String, TranslateError>> {
    let mut out = vec![None; batch.len()];
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
    let (retries, mismatch_retries) = match n {
        0 | 1 => (retries, retries),
        _ => (retries.min(RETRIES_BEFORE_SPLIT), mismatch_retries),
    };
    RetryPolicy {
        retries: Some(retries),
        mismatch_retries,
    }
}

/// POST a batch of `n` sentences to an HTTP backend's `pool` with [`batch_policy`], reading
/// the answer with `parse` (the body and `n`).
pub(crate) async fn post_batch(
    pool: &HttpPool,
    body: &serde_json::Value,
    n: usize,
    mismatch_retries: u32,
    parse: fn(&[u8], usize) -> Result<Vec<String>, BodyError>,
) -> Result<Vec<String>, TranslateError> {
    let policy = batch_policy(pool.settings().retries, n, mismatch_retries);
    let answer = pool.post_json(body, policy, |bytes| parse(bytes, n)).await;
    answer.map_err(http_error)
}

/// An HTTP failure as a translation error: refusals that any batch would get are
/// configuration errors and an unreachable server is [`TranslateError::Unreachable`] (neither is
/// split); the rest may succeed for a smaller batch.
fn http_error(err: HttpError) -> TranslateError {
    match err {
        HttpError::Unreachable(m) => TranslateError::Unreachable(m),
        other if !other.may_split() => TranslateError::Config(other.to_string()),
        other => TranslateError::Backend(other.to_string()),
    }
}
