//! The translation stage: each document's sentences go to the shared [`Batcher`] (which
//! batches across documents, sends each distinct sentence once, uses the cache and isolates
//! failures); a bounded number of documents are in flight, and each leaves as soon as its
//! translations are in.

use std::sync::Arc;

use tokio::sync::mpsc::{Receiver, Sender};
use tokio::sync::Semaphore;

use super::{DocOutcome, Segmented, Translated};
use crate::translate::batcher::Batcher;

/// Documents in the stage at once (backpressure on the stages before it).
const DOCS_IN_FLIGHT: usize = 64;

/// Hand every document to the batcher until the input closes. Documents still being
/// translated then hold their own senders: the next stage's input closes when the last leaves.
pub async fn run(
    mut rx: Receiver<DocOutcome<Segmented>>,
    tx: Sender<DocOutcome<Translated>>,
    batcher: Arc<Batcher>,
) {
    let permits = Arc::new(Semaphore::new(DOCS_IN_FLIGHT));
    while let Some(outcome) = rx.recv().await {
        let seg = match outcome {
            DocOutcome::Done(seg) => seg,
            DocOutcome::Failed { id, origin, reason } => {
                let _ = tx.send(DocOutcome::Failed { id, origin, reason }).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (batcher, tx) = (Arc::clone(&batcher), tx.clone());
        tokio::spawn(async move {
            let _ = tx.send(translate(seg, batcher).await).await;
            drop(permit);
        });
    }
}

/// One document through the batcher: translated, or failed with its first failed sentence.
async fn translate(seg: Segmented, batcher: Arc<Batcher>) -> DocOutcome<Translated> {
    let sentences: Vec<String> = seg
        .doc
        .sentence_texts()
        .into_iter()
        .map(String::from)
        .collect();
    // On a task of its own, so that even a panic fails only this document.
    let results = tokio::spawn(async move { batcher.translate(&sentences).await }).await;
    let failure = match &results {
        Err(e) => Some(e.to_string()),
        Ok(results) => results
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.as_ref().err().map(|e| format!("sentence {}: {e}", i + 1))),
    };
    match (failure, results) {
        (None, Ok(results)) => DocOutcome::Done(Translated {
            seg,
            translations: results.into_iter().flatten().collect(),
        }),
        (reason, _) => DocOutcome::Failed {
            id: seg.id,
            origin: seg.origin,
            reason: format!("translation failed: {}", reason.unwrap_or_default()),
        },
    }
}
