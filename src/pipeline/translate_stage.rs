//! The translation stage: batches sentences across documents, uses the cache, and releases
//! each document when all its sentences are translated.
//!
//! Sentences already in the cache are never sent again; a sentence that occurs in several
//! in-flight documents is sent once. Batches go to the backend concurrently up to a limit.
//! When a batch that mixes documents fails, each document's part is retried on its own, so
//! a failure costs only the document it belongs to.

use super::cache::{cache_key, CacheKey, TranslationCache};
use super::progress::Progress;
use super::{DocOutcome, Segmented, Translated};
use crate::translate::Translator;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use tokio::sync::mpsc::{Receiver, Sender};
use tokio::task::JoinSet;

/// How sentences are grouped into backend calls.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Sentences per backend call.
    pub batch_size: usize,
    /// Backend calls in flight at once.
    pub concurrency: usize,
    /// Documents held in the stage at once (backpressure on the stages before it).
    pub max_docs_in_flight: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            batch_size: 32,
            concurrency: 2,
            max_docs_in_flight: 64,
        }
    }
}

/// What the stage did.
#[derive(Debug, Default, Clone, Copy)]
pub struct TranslateStats {
    /// Sentences sent to the backend (after cache and de-duplication).
    pub sent_to_backend: u64,
    /// Sentence occurrences served from the cache or sent once for several documents.
    pub reused: u64,
    /// Backend calls made.
    pub backend_calls: u64,
}

struct InFlight {
    seg: Segmented,
    keys: Vec<CacheKey>,
    missing: usize,
    failed: Option<String>,
}

struct Batch {
    keys: Vec<CacheKey>,
    texts: Vec<String>,
    /// Already a retry of a failed mixed batch: do not split again.
    isolated: bool,
}

/// Run the stage until the input closes and every document has left.
pub async fn run(
    mut rx: Receiver<DocOutcome<Segmented>>,
    tx: Sender<DocOutcome<Translated>>,
    translator: Arc<dyn Translator>,
    mut cache: TranslationCache,
    opts: BatchOptions,
    progress: Arc<Progress>,
) -> std::io::Result<TranslateStats> {
    let identity = format!(
        "{}|{}>{}",
        translator.identity(),
        translator.source_lang(),
        translator.target_lang()
    );
    let mut stats = TranslateStats::default();
    let mut docs: HashMap<usize, InFlight> = HashMap::new();
    let mut next_slot = 0usize;
    // Key → documents waiting for it (present while the key is queued or in a running batch).
    let mut waiting: HashMap<CacheKey, Vec<usize>> = HashMap::new();
    let mut queue: VecDeque<(CacheKey, String)> = VecDeque::new();
    let mut retries: VecDeque<Batch> = VecDeque::new();
    let mut running: JoinSet<(Batch, Result<Vec<String>, String>)> = JoinSet::new();
    let mut input_open = true;
    let batch_size = opts.batch_size.max(1);

    loop {
        // Dispatch while there is room: retries first, then full batches, then a partial batch
        // when nothing else is arriving right now.
        while running.len() < opts.concurrency.max(1) {
            let batch = if let Some(b) = retries.pop_front() {
                b
            } else if queue.len() >= batch_size
                || (!queue.is_empty() && (!input_open || rx.is_empty()))
            {
                let take = queue.len().min(batch_size);
                let (keys, texts) = queue.drain(..take).unzip();
                Batch {
                    keys,
                    texts,
                    isolated: false,
                }
            } else {
                break;
            };
            stats.backend_calls += 1;
            stats.sent_to_backend += batch.keys.len() as u64;
            let translator = Arc::clone(&translator);
            running.spawn(async move {
                let result = match translator.translate(&batch.texts).await {
                    Ok(out) if out.len() == batch.texts.len() => Ok(out),
                    Ok(out) => Err(format!(
                        "backend returned {} translations for {} sentences",
                        out.len(),
                        batch.texts.len()
                    )),
                    Err(e) => Err(e.to_string()),
                };
                (batch, result)
            });
        }

        if !input_open && running.is_empty() && queue.is_empty() && retries.is_empty() {
            break;
        }

        tokio::select! {
            Some(joined) = running.join_next(), if !running.is_empty() => {
                let (batch, result) = joined.map_err(std::io::Error::other)?;
                match result {
                    Ok(translations) => {
                        for (key, text) in batch.keys.iter().zip(&translations) {
                            cache.put(*key, text)?;
                        }
                        progress.sentences_translated(count_occurrences(&batch.keys, &waiting));
                        for key in &batch.keys {
                            for slot in waiting.remove(key).unwrap_or_default() {
                                if let Some(doc) = docs.get_mut(&slot) {
                                    doc.missing -= 1;
                                }
                            }
                        }
                    }
                    Err(reason) => {
                        let slots: Vec<usize> = batch_slots(&batch.keys, &waiting);
                        if !batch.isolated && slots.len() > 1 {
                            // Retry each document's part on its own.
                            for slot in slots {
                                let part: Vec<usize> = (0..batch.keys.len())
                                    .filter(|&i| waiting.get(&batch.keys[i]).is_some_and(|w| w.contains(&slot)))
                                    .collect();
                                // A key shared by several documents goes with the first of them.
                                let part: Vec<usize> = part
                                    .into_iter()
                                    .filter(|&i| waiting[&batch.keys[i]].first() == Some(&slot))
                                    .collect();
                                if part.is_empty() {
                                    continue;
                                }
                                retries.push_back(Batch {
                                    keys: part.iter().map(|&i| batch.keys[i]).collect(),
                                    texts: part.iter().map(|&i| batch.texts[i].clone()).collect(),
                                    isolated: true,
                                });
                            }
                        } else {
                            for key in &batch.keys {
                                for slot in waiting.remove(key).unwrap_or_default() {
                                    if let Some(doc) = docs.get_mut(&slot) {
                                        doc.missing -= 1;
                                        doc.failed.get_or_insert_with(|| reason.clone());
                                    }
                                }
                            }
                        }
                    }
                }
            }
            received = rx.recv(), if input_open && docs.len() < opts.max_docs_in_flight.max(1) => {
                match received {
                    None => input_open = false,
                    Some(DocOutcome::Failed { id, origin, reason }) => {
                        tx.send(DocOutcome::Failed { id, origin, reason }).await.map_err(closed)?;
                    }
                    Some(DocOutcome::Done(seg)) => {
                        let slot = next_slot;
                        next_slot += 1;
                        let mut missing = 0;
                        let mut reused = 0;
                        let mut shared = 0;
                        let keys: Vec<CacheKey> = seg
                            .doc
                            .sentence_texts()
                            .iter()
                            .map(|text| {
                                let key = cache_key(&identity, text);
                                if let Some(w) = waiting.get_mut(&key) {
                                    // Already on its way for another document: sent once.
                                    w.push(slot);
                                    missing += 1;
                                    shared += 1;
                                } else if cache.contains(key) {
                                    reused += 1;
                                } else {
                                    waiting.insert(key, vec![slot]);
                                    queue.push_back((key, text.to_string()));
                                    missing += 1;
                                }
                                key
                            })
                            .collect();
                        stats.reused += reused + shared;
                        progress.sentences_translated(reused);
                        docs.insert(slot, InFlight { seg, keys, missing, failed: None });
                    }
                }
            }
        }

        // Release finished documents.
        let done: Vec<usize> = docs
            .iter()
            .filter(|(_, d)| d.missing == 0)
            .map(|(&s, _)| s)
            .collect();
        for slot in done {
            let Some(doc) = docs.remove(&slot) else {
                continue;
            };
            let outcome = match doc.failed {
                Some(reason) => DocOutcome::Failed {
                    id: doc.seg.id.clone(),
                    origin: doc.seg.origin.clone(),
                    reason: format!("translation failed: {reason}"),
                },
                None => {
                    let mut translations = Vec::with_capacity(doc.keys.len());
                    for key in &doc.keys {
                        translations.push(cache.get(*key)?.unwrap_or_default());
                    }
                    DocOutcome::Done(Translated {
                        seg: doc.seg,
                        translations,
                    })
                }
            };
            tx.send(outcome).await.map_err(closed)?;
        }
    }
    Ok(stats)
}

fn closed<T>(_: tokio::sync::mpsc::error::SendError<T>) -> std::io::Error {
    std::io::Error::other("the next stage stopped")
}

/// Sentence occurrences (over all waiting documents) that a batch resolves.
fn count_occurrences(keys: &[CacheKey], waiting: &HashMap<CacheKey, Vec<usize>>) -> u64 {
    keys.iter()
        .map(|k| waiting.get(k).map_or(0, |w| w.len() as u64))
        .sum()
}

/// The documents a batch's sentences belong to, in order of first appearance.
fn batch_slots(keys: &[CacheKey], waiting: &HashMap<CacheKey, Vec<usize>>) -> Vec<usize> {
    let mut slots = Vec::new();
    for key in keys {
        for &slot in waiting.get(key).map(Vec::as_slice).unwrap_or(&[]) {
            if !slots.contains(&slot) {
                slots.push(slot);
            }
        }
    }
    slots
}
