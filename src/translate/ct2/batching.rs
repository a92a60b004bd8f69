//! Batch planning: group sentences of similar length under a token budget, keep the input order,
//! and cut a call's work into batches that every model replica gets an even share of.

/// How many consecutive sentences are sorted by length together. Sorting inside a window (instead
/// of the whole input) bounds how long a sentence waits and keeps memory flat on long inputs.
pub const SORT_WINDOW: usize = 4096;

/// Plan the batches of one call for `replicas` replicas translating side by side, largest first.
///
/// The call is cut into a multiple of `replicas` batches, as few as the token `budget` allows:
/// when its sentences would fill, say, 3 batches for 2 replicas, the budget is lowered until they
/// fill 4 of even size, so no replica waits for another's last batch. With at least as many
/// sentences as replicas there are at least as many batches as replicas. Big batches matter:
/// every decoding step reads all of the model's weights, whatever the batch size. Batches come
/// largest first (padded size), so the last ones handed out are the small ones. Every index
/// appears exactly once.
pub fn plan_shared(lengths: &[usize], budget: usize, replicas: usize) -> Vec<Vec<usize>> {
    let replicas = replicas.max(1);
    let budget = budget.max(1);
    let mut batches = plan_batches(lengths, budget);
    let wanted = batches.len().div_ceil(replicas) * replicas;
    if wanted > batches.len() {
        // The smallest budget giving at most `wanted` batches (fewer batches for a larger budget).
        let (mut low, mut high) = (1, budget);
        while low < high {
            let mid = low + (high - low) / 2;
            if plan_batches(lengths, mid).len() <= wanted {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        batches = plan_batches(lengths, low);
    }
    while batches.len() < replicas.min(lengths.len()) {
        split_largest(&mut batches, lengths);
    }
    batches.sort_by_key(|b| std::cmp::Reverse(padded_size(b, lengths)));
    batches
}

/// Sentences × longest sentence: the tokens a batch costs once padded.
pub fn padded_size(batch: &[usize], lengths: &[usize]) -> usize {
    let longest = batch.iter().map(|&i| lengths[i].max(1)).max().unwrap_or(0);
    batch.len() * longest
}

/// Cut the batch of the most sentences in two halves (keeping the length order inside each).
fn split_largest(batches: &mut Vec<Vec<usize>>, lengths: &[usize]) {
    let Some(widest) =
        (0..batches.len()).max_by_key(|&b| (batches[b].len(), padded_size(&batches[b], lengths)))
    else {
        return;
    };
    let batch = &mut batches[widest];
    let tail = batch.split_off(batch.len().div_ceil(2));
    batches.push(tail);
}

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

    #[test]
    fn one_batch_worth_is_shared_by_every_replica() {
        // 40 sentences of 30 tokens fit one batch of 2048 tokens; two replicas get 20 each,
        // one replica keeps the single batch.
        let lengths = vec![30; 40];
        let shared = plan_shared(&lengths, 2048, 2);
        assert_eq!(shared.len(), 2);
        assert!(shared.iter().all(|b| b.len() == 20));
        // Three batches' worth for two replicas: four even batches.
        let three = vec![10; 150];
        assert_eq!(plan_batches(&three, 500).len(), 3);
        let even = plan_shared(&three, 500, 2);
        assert_eq!(even.len(), 4);
        assert!(
            even.iter().all(|b| (36..=38).contains(&b.len())),
            "{even:?}"
        );
        assert_eq!(plan_shared(&lengths, 2048, 1), plan_batches(&lengths, 2048));
        // Two sentences, two replicas: one each, the longer first.
        assert_eq!(plan_shared(&[3, 90], 2048, 2), vec![vec![1], vec![0]]);
        // A large call keeps the full budget.
        let long = vec![30; 2000];
        assert!(plan_shared(&long, 2048, 2).iter().any(|b| b.len() == 68));
    }

    proptest! {
        #[test]
        fn shared_plan_covers_all_and_feeds_every_replica(
            lengths in proptest::collection::vec(0usize..300, 0..600),
            budget in 1usize..4000,
            replicas in 1usize..6,
        ) {
            let batches = plan_shared(&lengths, budget, replicas);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
            prop_assert!(batches.len() >= replicas.min(lengths.len()));
            let unshared = plan_batches(&lengths, budget).len();
            prop_assert!(batches.len() >= unshared);
            prop_assert!(batches.len() <= unshared.div_ceil(replicas) * replicas + replicas);
            for batch in &batches {
                prop_assert!(!batch.is_empty());
                prop_assert!(batch.len() == 1 || padded_size(batch, &lengths) <= budget);
            }
            for pair in batches.windows(2) {
                prop_assert!(padded_size(&pair[0], &lengths) >= padded_size(&pair[1], &lengths));
            }
        }

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
