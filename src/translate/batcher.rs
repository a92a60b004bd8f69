//! The translation batcher: the one way sentences reach a backend, for `selaras translate` and
//! `selaras run`.
//!
//! Callers hand over their sentences, concurrently (the pipeline calls once per document). Blank
//! sentences are answered `""` at once and cached ones from the [`TranslationCache`]; every other
//! distinct sentence is sent once (a caller asking for one already on its way waits for it).
//! Pending sentences of all callers are gathered into batches of `batch_size`, at most
//! `parallel` batches in flight; a partial batch leaves when no caller is adding sentences. A
//! failed batch is split down to single sentences ([`translate_splitting`]), so a failure costs
//! only the sentences that fail. A translation received goes into the cache's memory and log.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use tokio::sync::mpsc;

use super::cache::{cache_key, CacheKey, TranslationCache};
use super::split::translate_splitting;
use super::{TranslateError, Translator};

/// How sentences are grouped into backend calls.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Sentences per backend call.
    pub batch_size: usize,
    /// Backend calls in flight at once.
    pub parallel: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            batch_size: 32,
            parallel: 2,
        }
    }
}

/// What the batcher did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchStats {
    /// Distinct sentences sent to the backend.
    pub sent_to_backend: u64,
    /// Sentence occurrences served from the cache or sent once for several.
    pub reused: u64,
}

/// Called with a number of sentence occurrences just answered (translated, served from the
/// cache, blank or failed).
pub type ProgressHook = Box<dyn Fn(u64) + Send + Sync>;

type Outcome = Result<String, TranslateError>;

/// Where the answer for one sentence of one caller goes: the caller's channel and position.
type Waiter = (mpsc::UnboundedSender<(usize, Outcome)>, usize);

/// Translates sentences for any number of concurrent callers; see the module documentation.
pub struct Batcher {
    translator: Arc<dyn Translator>,
    /// Backend identity and language pair: the cache key's prefix.
    identity: String,
    options: BatchOptions,
    progress: ProgressHook,
    me: Weak<Batcher>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    cache: TranslationCache,
    /// Sentences queued or in a batch in flight, and who waits for them.
    waiting: HashMap<CacheKey, Vec<Waiter>>,
    queue: VecDeque<(CacheKey, String)>,
    in_flight: usize,
    stats: BatchStats,
}

impl Batcher {
    /// A batcher over `translator`, with a persistent `cache` or one in memory.
    pub fn new(
        translator: Arc<dyn Translator>,
        cache: Option<TranslationCache>,
        options: BatchOptions,
    ) -> Arc<Batcher> {
        Self::with_progress(translator, cache, options, Box::new(|_| {}))
    }

    /// [`Batcher::new`], calling `progress` as sentences are answered.
    pub fn with_progress(
        translator: Arc<dyn Translator>,
        cache: Option<TranslationCache>,
        options: BatchOptions,
        progress: ProgressHook,
    ) -> Arc<Batcher> {
        let identity = format!(
            "{}|{}>{}",
            translator.identity(),
            translator.source_lang(),
            translator.target_lang()
        );
        Arc::new_cyclic(|me| Batcher {
            translator,
            identity,
            options,
            progress,
            me: me.clone(),
            state: Mutex::new(State {
                cache: cache.unwrap_or_default(),
                ..State::default()
            }),
        })
    }

    /// What the batcher has done so far.
    pub fn stats(&self) -> BatchStats {
        self.lock().stats
    }

    /// Translate `sentences`: one result per sentence, in order.
    pub async fn translate(&self, sentences: &[String]) -> Vec<Result<String, TranslateError>> {
        let mut out: Vec<Option<Outcome>> = (0..sentences.len()).map(|_| None).collect();
        let (reply, mut answers) = mpsc::unbounded_channel();
        let mut missing = 0;
        {
            let mut guard = self.lock();
            let state = &mut *guard;
            for (i, sentence) in sentences.iter().enumerate() {
                if sentence.trim().is_empty() {
                    out[i] = Some(Ok(String::new()));
                    continue;
                }
                let key = cache_key(&self.identity, sentence);
                if let Some(waiters) = state.waiting.get_mut(&key) {
                    waiters.push((reply.clone(), i));
                    state.stats.reused += 1;
                    missing += 1;
                    continue;
                }
                match state.cache.get(key) {
                    Ok(Some(translation)) => {
                        state.stats.reused += 1;
                        out[i] = Some(Ok(translation));
                    }
                    Ok(None) => {
                        state.waiting.insert(key, vec![(reply.clone(), i)]);
                        state.queue.push_back((key, sentence.clone()));
                        missing += 1;
                    }
                    Err(e) => out[i] = Some(Err(cache_error(&state.cache, e))),
                }
            }
        }
        drop(reply);
        (self.progress)((sentences.len() - missing) as u64);
        if missing > 0 {
            self.dispatch(false);
            // Let callers arriving now add their sentences before a partial batch leaves.
            tokio::task::yield_now().await;
            self.dispatch(true);
        }
        while let Some((i, result)) = answers.recv().await {
            out[i] = Some(result);
            (self.progress)(1);
        }
        out.into_iter()
            .map(|r| r.unwrap_or_else(|| Err(TranslateError::Backend("no answer".into()))))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent between statements: a panic elsewhere does not spoil it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Send batches while fewer than `parallel` are in flight: full ones, and with
    /// `partial` what is queued.
    fn dispatch(&self, partial: bool) {
        let Some(me) = self.me.upgrade() else {
            return;
        };
        let size = self.options.batch_size.max(1);
        let mut state = self.lock();
        while state.in_flight < self.options.parallel.max(1)
            && (state.queue.len() >= size || (partial && !state.queue.is_empty()))
        {
            let take = state.queue.len().min(size);
            let batch: Vec<(CacheKey, String)> = state.queue.drain(..take).collect();
            state.in_flight += 1;
            state.stats.sent_to_backend += batch.len() as u64;
            tokio::spawn(Arc::clone(&me).run(batch));
        }
    }

    /// Translate one batch, record and hand out the results, send the next batches.
    async fn run(self: Arc<Self>, batch: Vec<(CacheKey, String)>) {
        let (keys, texts): (Vec<CacheKey>, Vec<String>) = batch.into_iter().unzip();
        let results = translate_splitting(&self.translator, &texts).await;
        {
            let mut guard = self.lock();
            let state = &mut *guard;
            state.in_flight -= 1;
            for (key, result) in keys.into_iter().zip(results) {
                let result = result.and_then(|t| match state.cache.put(key, &t) {
                    Ok(()) => Ok(t),
                    Err(e) => Err(cache_error(&state.cache, e)),
                });
                for (reply, i) in state.waiting.remove(&key).unwrap_or_default() {
                    // A caller that has gone away no longer needs its answer.
                    let _ = reply.send((i, result.clone()));
                }
            }
        }
        self.dispatch(true);
    }
}

fn cache_error(cache: &TranslationCache, e: std::io::Error) -> TranslateError {
    let path = cache.path().map(|p| p.display().to_string());
    TranslateError::io(path.unwrap_or_else(|| "translation cache".into()), e)
}

/// Translate `sentences` with a batcher of its own (no persistent cache): batches of
/// `batch_size`, at most `parallel` in flight.
pub async fn translate_all(
    translator: Arc<dyn Translator>,
    sentences: &[String],
    batch_size: usize,
    parallel: usize,
) -> Vec<Result<String, TranslateError>> {
    let options = BatchOptions {
        batch_size,
        parallel,
    };
    Batcher::new(translator, None, options)
        .translate(sentences)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;

    /// Upper-cases; refuses any batch holding "BAD"; records every batch it is given.
    #[derive(Default)]
    struct Upper(Mutex<Vec<Vec<String>>>);

    impl Upper {
        fn calls(&self) -> Vec<Vec<String>> {
            self.0.lock().unwrap().clone()
        }
    }

    #[async_trait]
    impl Translator for Upper {
        fn identity(&self) -> String {
            "upper".into()
        }
        fn source_lang(&self) -> &str {
            "id"
        }
        fn target_lang(&self) -> &str {
            "en"
        }
        async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
            self.0.lock().unwrap().push(batch.to_vec());
            if batch.iter().any(|s| s == "BAD") {
                return Err(TranslateError::Backend("refused".into()));
            }
            Ok(batch.iter().map(|s| s.to_uppercase()).collect())
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn shown(results: Vec<Outcome>) -> Vec<String> {
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| format!("ERR {e}")))
            .collect()
    }

    async fn ask(batcher: &Batcher, items: &[&str]) -> Vec<String> {
        shown(batcher.translate(&strings(items)).await)
    }

    fn options(batch_size: usize, parallel: usize) -> BatchOptions {
        BatchOptions {
            batch_size,
            parallel,
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_a_batch_and_each_sentence_is_sent_once() {
        let upper = Arc::new(Upper::default());
        let batcher = Batcher::new(upper.clone(), None, options(8, 1));
        let (first, second) = (strings(&["a", "b", "c"]), strings(&["d", "b", "e", "a"]));
        let (a, b) = tokio::join!(batcher.translate(&first), batcher.translate(&second));
        assert_eq!(shown(a), ["A", "B", "C"]);
        assert_eq!(shown(b), ["D", "B", "E", "A"]);
        assert_eq!(upper.calls(), [strings(&["a", "b", "c", "d", "e"])]);
        let stats = batcher.stats();
        assert_eq!((stats.sent_to_backend, stats.reused), (5, 2));
    }

    #[tokio::test]
    async fn blank_sentences_are_not_sent() {
        let upper = Arc::new(Upper::default());
        let out = translate_all(upper.clone(), &strings(&["", "x", "  \t"]), 4, 1).await;
        assert_eq!(shown(out), ["", "X", ""]);
        assert_eq!(upper.calls(), [strings(&["x"])]);
        let out = translate_all(upper.clone(), &strings(&[" "]), 4, 1).await;
        assert_eq!(shown(out), [""]);
        assert_eq!(upper.calls().len(), 1);
    }

    #[tokio::test]
    async fn cached_sentences_are_not_sent_again_nor_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("translations.jsonl");
        let upper = Arc::new(Upper::default());
        let batcher = |path: &std::path::Path| {
            let cache = TranslationCache::open(path).unwrap();
            Batcher::new(upper.clone(), Some(cache), options(4, 2))
        };
        let first = batcher(&path);
        assert_eq!(ask(&first, &["a", "b"]).await, ["A", "B"]);
        drop(first);
        // A later run over the same log: no backend call.
        let second = batcher(&path);
        assert_eq!(ask(&second, &["b", "a"]).await, ["B", "A"]);
        assert_eq!(upper.calls().len(), 1);
        // A new translation is written through to the log and handed over as received: the log
        // deleted after the first call still serves the second.
        assert_eq!(ask(&second, &["c"]).await, ["C"]);
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(ask(&second, &["c", "a"]).await, ["C", "A"]);
        assert_eq!(upper.calls().len(), 2);
        let stats = second.stats();
        assert_eq!((stats.sent_to_backend, stats.reused), (1, 4));
    }

    #[tokio::test]
    async fn a_bad_sentence_fails_alone_in_few_calls() {
        let upper = Arc::new(Upper::default());
        let input = strings(&["a", "b", "c", "d", "e", "BAD", "g", "h"]);
        let out = translate_all(upper.clone(), &input, 8, 1).await;
        assert_eq!(
            shown(out),
            ["A", "B", "C", "D", "E", "ERR refused", "G", "H"]
        );
        // 8 → 4 + 4 → (4 fails) 2 + 2 → (2 fails) 1 + 1, depth first: 1 + 2 × log2(8) calls.
        let sizes: Vec<usize> = upper.calls().iter().map(Vec::len).collect();
        assert_eq!(sizes, [8, 4, 4, 2, 1, 1, 2]);
    }

    /// Refuses everything as misconfigured, or answers one translation too few.
    struct Broken {
        config: bool,
        calls: Mutex<usize>,
    }

    #[async_trait]
    impl Translator for Broken {
        fn identity(&self) -> String {
            "broken".into()
        }
        fn source_lang(&self) -> &str {
            "id"
        }
        fn target_lang(&self) -> &str {
            "en"
        }
        async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
            *self.calls.lock().unwrap() += 1;
            if self.config {
                return Err(TranslateError::Config("no key".into()));
            }
            Ok(batch.iter().skip(1).cloned().collect())
        }
    }

    #[tokio::test]
    async fn configuration_errors_are_not_split_and_counts_are_checked() {
        let input = strings(&["a", "b", "c", "d"]);
        let broken = Arc::new(Broken {
            config: true,
            calls: Mutex::new(0),
        });
        let out = translate_all(broken.clone(), &input, 4, 1).await;
        assert_eq!(shown(out), ["ERR no key"; 4]);
        assert_eq!(*broken.calls.lock().unwrap(), 1);

        let short = Arc::new(Broken {
            config: false,
            calls: Mutex::new(0),
        });
        let out = translate_all(short.clone(), &input, 4, 1).await;
        assert_eq!(shown(out), ["ERR 0 translations for 1 sentences"; 4]);
        assert_eq!(*short.calls.lock().unwrap(), 7);
    }
}
