//! Batch planning: group sentences of similar length under a token budget, keep the input order.

/// How many consecutive sentences are sorted by length together. Sorting inside a window (instead
/// of the whole input) bounds how long a sentence waits and keeps memory flat on long inputs.
pub const SORT_WINDOW: usize = 4096;

/// Split sentences (given by their token counts) into batches.
///
/// Within each window of [`SORT_WINDOW`] sentences, indices are sorted by length (stable) and cut
/// into batches whose padded size — sentences × longest sentence — stays within `budget` tokens
/// (a single longer sentence gets a batch of its own). Each batch lists indices into `lengths`;
/// every index appears exactly once.
pub fn plan_batches(lengths: &[usize], budget: usize) -> Vec<Vec<usize>> {
    let budget = budget.max(1);
    let mut batches = Vec::new();
    for start in (0..lengths.len()).step_by(SORT_WINDOW) {
        let end = (start + SORT_WINDOW).min(lengths.len());
        let mut order: Vec<usize> = (start..end).collect();
        order.sort_by_key(|&i| lengths[i]);
        let mut batch: Vec<usize> = Vec::new();
        let mut longest = 0;
        for i in order {
            let len = lengths[i].max(1);
            let padded = (batch.len() + 1) * longest.max(len);
            if !batch.is_empty() && padded > budget {
                batches.push(std::mem::take(&mut batch));
                longest = 0;
            }
            longest = longest.max(len);
            batch.push(i);
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_similar_lengths_under_budget() {
        // A long sentence gets a batch of its own; no input, no batches.
        for (lengths, budget, expected) in [
            (&[10, 2, 9, 3, 1][..], 20, vec![vec![4, 1, 3], vec![2, 0]]),
            (&[50, 1], 8, vec![vec![1], vec![0]]),
            (&[], 100, vec![]),
        ] {
            assert_eq!(plan_batches(lengths, budget), expected);
        }
    }

    proptest! {
        #[test]
        fn every_index_once_and_budget_kept(
            lengths in proptest::collection::vec(0usize..300, 0..600),
            budget in 1usize..2000,
        ) {
            let batches = plan_batches(&lengths, budget);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
            for batch in &batches {
                prop_assert!(!batch.is_empty());
                let longest = batch.iter().map(|&i| lengths[i].max(1)).max().unwrap();
                prop_assert!(batch.len() == 1 || batch.len() * longest <= budget);
            }
        }
    }
}
