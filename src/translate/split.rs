//! Batch splitting: when a batch fails in a way a smaller batch may fix, translate its halves
//! separately, down to single sentences, so one bad sentence does not sink its neighbours.

use async_trait::async_trait;

use super::TranslateError;
use crate::net::http::RetryPolicy;
use crate::text::line::one_line;

/// A failed attempt at one batch.
#[derive(Debug)]
pub struct BatchFailure {
    /// What went wrong.
    pub error: TranslateError,
    /// Whether smaller batches may succeed (false for e.g. authentication errors).
    pub splittable: bool,
}

/// A backend that translates one batch in one go (its own retries included).
#[async_trait]
pub trait BatchCall: Send + Sync {
    /// Translate `batch` in one request; the result must have `batch.len()` entries.
    async fn call(&self, batch: &[String]) -> Result<Vec<String>, BatchFailure>;
}

/// Translate `batch` through `backend`, halving failing batches down to single sentences.
/// One result per sentence: only sentences that fail on their own are errors (each naming its
/// position in `batch`); an error that no smaller batch can fix is given to every sentence left.
pub async fn translate_splitting(
    backend: &dyn BatchCall,
    batch: &[String],
) -> Vec<Result<String, TranslateError>> {
    let mut out: Vec<Option<Result<String, TranslateError>>> =
        (0..batch.len()).map(|_| None).collect();
    let mut todo = vec![(0usize, batch.len())];
    while let Some((start, end)) = todo.pop() {
        if start == end {
            continue;
        }
        match backend.call(&batch[start..end]).await {
            Ok(translations) if translations.len() == end - start => {
                for (slot, t) in out[start..end].iter_mut().zip(translations) {
                    *slot = Some(Ok(one_line(&t).into_owned()));
                }
            }
            Ok(translations) if end - start > 1 => {
                let _ = translations;
                let mid = start + (end - start) / 2;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Ok(translations) => {
                out[start] = Some(Err(TranslateError::Backend(format!(
                    "{} translations for 1 sentence",
                    translations.len()
                ))));
            }
            Err(failure) if failure.splittable && end - start > 1 => {
                let mid = start + (end - start) / 2;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Err(failure) if failure.splittable => {
                let error = if batch.len() > 1 {
                    wrap(
                        failure.error,
                        &format!("sentence {} of the batch", start + 1),
                    )
                } else {
                    failure.error
                };
                out[start] = Some(Err(error));
            }
            Err(failure) => {
                // Fails for any batch (authentication, missing route): stop here.
                let message = failure.error.to_string();
                let mut first = Some(failure.error);
                for slot in out.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(Err(first
                        .take()
                        .unwrap_or_else(|| TranslateError::Config(message.clone()))));
                }
                break;
            }
        }
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(TranslateError::Backend("not translated".into()))))
        .collect()
}

/// Extra attempts for a batch of several sentences before it is split: splitting costs no
/// more requests than retrying, and finds a sentence the server cannot take.
pub const RETRIES_BEFORE_SPLIT: u32 = 3;

/// The retry policy for a batch of `n` sentences: a short budget (and `mismatch_retries`
/// for wrong counts) while splitting is possible; the full budget (`retries`) for both when a
/// single sentence is left.
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

/// All translations, or the first error.
pub fn all_or_first_error(
    results: Vec<Result<String, TranslateError>>,
) -> Result<Vec<String>, TranslateError> {
    results.into_iter().collect()
}

fn wrap(error: TranslateError, context: &str) -> TranslateError {
    match error {
        TranslateError::Config(m) => TranslateError::Config(format!("{context}: {m}")),
        TranslateError::Backend(m) => TranslateError::Backend(format!("{context}: {m}")),
        TranslateError::Io(m) => TranslateError::Io(format!("{context}: {m}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Fails every batch holding "BAD"; upper-cases the rest; records batch sizes.
    struct Picky(Mutex<Vec<usize>>);

    #[async_trait]
    impl BatchCall for Picky {
        async fn call(&self, batch: &[String]) -> Result<Vec<String>, BatchFailure> {
            self.0.lock().unwrap().push(batch.len());
            if batch.iter().any(|s| s == "BAD") {
                return Err(BatchFailure {
                    error: TranslateError::Backend("refused".into()),
                    splittable: true,
                });
            }
            Ok(batch.iter().map(|s| s.to_uppercase()).collect())
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn splits_down_to_the_bad_sentence() {
        let backend = Picky(Mutex::new(vec![]));
        let results = translate_splitting(&backend, &strings(&["a", "b", "BAD", "d"])).await;
        assert_eq!(results[0].as_ref().unwrap(), "A");
        assert_eq!(results[1].as_ref().unwrap(), "B");
        assert_eq!(
            results[2].as_ref().unwrap_err().to_string(),
            "sentence 3 of the batch: refused"
        );
        assert_eq!(results[3].as_ref().unwrap(), "D");
        let ok =
            all_or_first_error(translate_splitting(&backend, &strings(&["a", "b", "c"])).await)
                .unwrap();
        assert_eq!(ok, strings(&["A", "B", "C"]));
    }
}
