//! The scoring stage: embedding scores, alignment and flags, for batches of documents.
//!
//! It takes translated documents from the translation stage's channel while translation goes
//! on, gathers every document already waiting (up to [`BATCH_SENTENCES`]) into one batch,
//! embeds all their texts at once on all cores and pairs them on a blocking thread.

use super::pairing::Pairing;
use super::{DocOutcome, Translated};
use crate::model::DocumentPairs;
use std::sync::Arc;
use tokio::sync::mpsc::{Receiver, Sender};

/// Source sentences gathered into one batch at most (more when one document is larger).
pub const BATCH_SENTENCES: usize = 512;

/// A document's aligned, flagged pairs and the hash of the input they were made from.
#[derive(Debug)]
pub struct Scored {
    /// The pairs.
    pub pairs: DocumentPairs,
    /// SHA-256 of the document's input (see [`super::state`]).
    pub input: String,
}

/// Run the stage until the input closes; failures pass through, in order.
pub async fn run(
    mut rx: Receiver<DocOutcome<Translated>>,
    tx: Sender<DocOutcome<Scored>>,
    pairing: Arc<Pairing>,
) -> anyhow::Result<()> {
    while let Some(first) = rx.recv().await {
        let size = |o: &DocOutcome<Translated>| match o {
            DocOutcome::Done(t) => t.seg.doc.sentence_count(),
            DocOutcome::Failed { .. } => 0,
        };
        let mut sentences = size(&first);
        let mut batch = vec![first];
        while sentences < BATCH_SENTENCES {
            let Ok(next) = rx.try_recv() else { break };
            sentences += size(&next);
            batch.push(next);
        }
        let mut docs = Vec::new();
        let mut out = Vec::new();
        for outcome in batch {
            match outcome {
                DocOutcome::Done(t) => {
                    out.push((t.seg.id.clone(), t.seg.origin.clone(), t.seg.input.clone()));
                    docs.push(t);
                }
                DocOutcome::Failed { id, origin, reason } => {
                    tx.send(DocOutcome::Failed { id, origin, reason }).await?
                }
            }
        }
        let pairing = Arc::clone(&pairing);
        let results = tokio::task::spawn_blocking(move || pairing.pair_all(docs)).await?;
        for ((id, origin, input), result) in out.into_iter().zip(results) {
            let outcome = match result {
                Ok(pairs) => DocOutcome::Done(Scored { pairs, input }),
                Err(reason) => DocOutcome::Failed { id, origin, reason },
            };
            tx.send(outcome).await?;
        }
    }
    Ok(())
}
