//! Batch splitting: when a batch fails in a way a smaller batch may fix, translate its halves
//! separately, down to single sentences, so one bad sentence does not sink its neighbours.
//! Also the line-contract helper [`one_line`].

use std::borrow::Cow;

use async_trait::async_trait;

use super::TranslateError;

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
/// The first sentence that fails on its own is the error (naming its position in `batch`).
pub async fn translate_splitting(
    backend: &dyn BatchCall,
    batch: &[String],
) -> Result<Vec<String>, TranslateError> {
    let mut out: Vec<Option<String>> = vec![None; batch.len()];
    let mut todo = vec![(0usize, batch.len())];
    while let Some((start, end)) = todo.pop() {
        if start == end {
            continue;
        }
        match backend.call(&batch[start..end]).await {
            Ok(translations) if translations.len() == end - start => {
                for (slot, t) in out[start..end].iter_mut().zip(translations) {
                    *slot = Some(one_line(&t).into_owned());
                }
            }
            Ok(translations) => {
                let error = TranslateError::Backend(format!(
                    "{} translations for {} sentences",
                    translations.len(),
                    end - start
                ));
                if end - start == 1 {
                    return Err(error);
                }
                let mid = start + (end - start) / 2;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Err(failure) if failure.splittable && end - start > 1 => {
                let mid = start + (end - start) / 2;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Err(failure) => {
                let error = failure.error;
                return Err(if end - start == 1 && batch.len() > 1 {
                    wrap(error, &format!("sentence {} of the batch", start + 1))
                } else {
                    error
                });
            }
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

fn wrap(error: TranslateError, context: &str) -> TranslateError {
    match error {
        TranslateError::Config(m) => TranslateError::Config(format!("{context}: {m}")),
        TranslateError::Backend(m) => TranslateError::Backend(format!("{context}: {m}")),
        TranslateError::Io(m) => TranslateError::Io(format!("{context}: {m}")),
    }
}

/// `text` on one line: every line break (`\r\n`, `\n`, `\r`, U+0085, U+2028, U+2029) becomes a
/// space, so a sentence can never break a one-sentence-per-line contract.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let is_break = |c: char| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
    if !text.contains(is_break) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev_cr = false;
    for c in text.chars() {
        if c == '\n' && prev_cr {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        out.push(if is_break(c) { ' ' } else { c });
    }
    Cow::Owned(out)
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
        let err = translate_splitting(&backend, &strings(&["a", "b", "BAD", "d"]))
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "sentence 3 of the batch: refused");
        let ok = translate_splitting(&backend, &strings(&["a", "b", "c"])).await.unwrap();
        assert_eq!(ok, strings(&["A", "B", "C"]));
    }

    #[test]
    fn line_breaks_become_spaces() {
        assert_eq!(one_line("a\r\nb\nc\rd\u{2028}e"), "a b c d e");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
    }
}
