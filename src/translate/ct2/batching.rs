//! Batch planning: group sentences of similar length under a token budget, keep the input order,
//! and cut a call's work into batches that every model replica gets an even share of.

/// How many consecutive sentences are sorted by length together. Sorting inside a window (instead
/// of the whole input) bounds how long a sentence waits and keeps memory flat on long inputs.
pub const SORT_WINDOW: usize = 4096;

/// Hypotheses (sentences × beam) one batch decodes at most: past this the activations of a
/// decoding step outgrow the CPU cache and every step slows down (see BENCHMARKS.md).
pub const MAX_ROWS: usize = 128;

/// Plan the batches of one call for `replicas` replicas translating side by side, largest first.
///
/// The call is cut into as few batches as the token `budget` allows, rounded up to a multiple of
/// `replicas`, and the budget is then lowered as far as that count allows, so the batches come
/// out as even as the sentences permit (padded sizes as close as they can be) and no replica
/// waits long for another's last batch. With at least as many sentences as replicas there are
/// at least as many batches as replicas. Big batches matter: every decoding step reads all of
/// the model's weights, whatever the batch size. Batches come largest first (padded size), so
/// the last ones handed out are the small ones. Every index appears exactly once.
pub fn plan_shared(
    lengths: &[usize],
    budget: usize,
    max_sentences: usize,
    replicas: usize,
) -> Vec<Vec<usize>> {
    let replicas = replicas.max(1);
    let budget = budget.max(1);
    // Sorted once; the search below cuts the same order at every budget it tries.
    let windows = by_length(lengths);
    let plan = |budget| cut(&windows, lengths, budget, max_sentences);
    let wanted = plan(budget).len().div_ceil(replicas) * replicas;
    // The smallest budget giving at most `wanted` batches (fewer batches for a larger budget):
    // the largest batch is then as small as `wanted` batches allow.
    let (mut low, mut high) = (1, budget);
    while low < high {
        let mid = low + (high - low) / 2;
        if plan(mid).len() <= wanted {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let mut batches = plan(low);
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
/// into batches of at most `max_sentences` sentences whose padded size — sentences × longest
/// sentence — stays within `budget` tokens (a single longer sentence gets a batch of its own).
/// Each batch lists indices into `lengths`; every index appears exactly once.
pub fn plan_batches(lengths: &[usize], budget: usize, max_sentences: usize) -> Vec<Vec<usize>> {
    cut(&by_length(lengths), lengths, budget, max_sentences)
}

/// The indices of each window of [`SORT_WINDOW`] sentences, sorted by length (stable).
fn by_length(lengths: &[usize]) -> Vec<Vec<usize>> {
    (0..lengths.len())
        .step_by(SORT_WINDOW)
        .map(|start| {
            let mut order: Vec<usize> = (start..(start + SORT_WINDOW).min(lengths.len())).collect();
            order.sort_by_key(|&i| lengths[i]);
            order
        })
        .collect()
}

/// Cut each window of sorted indices into consecutive batches (see [`plan_batches`]).
fn cut(
    windows: &[Vec<usize>],
    lengths: &[usize],
    budget: usize,
    max_sentences: usize,
) -> Vec<Vec<usize>> {
    let budget = budget.max(1);
    let max_sentences = max_sentences.max(1);
    let mut batches = Vec::new();
    for order in windows {
        let mut batch: Vec<usize> = Vec::new();
        let mut longest = 0;
        for &i in order {
            let len = lengths[i].max(1);
            let padded = (batch.len() + 1) * longest.max(len);
            if !batch.is_empty() && (padded > budget || batch.len() == max_sentences) {
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

    const ANY: usize = usize::MAX;

    fn padded_sizes(batches: &[Vec<usize>], lengths: &[usize]) -> Vec<usize> {
        batches.iter().map(|b| padded_size(b, lengths)).collect()
    }

    #[test]
    fn groups_similar_lengths_under_budget() {
        // A long sentence gets a batch of its own; no input, no batches.
        for (lengths, budget, expected) in [
            (&[10, 2, 9, 3, 1][..], 20, vec![vec![4, 1, 3], vec![2, 0]]),
            (&[50, 1], 8, vec![vec![1], vec![0]]),
            (&[], 100, vec![]),
        ] {
            assert_eq!(plan_batches(lengths, budget, ANY), expected);
        }
        // At most `max_sentences` a batch, whatever the budget.
        let sizes: Vec<usize> = plan_batches(&[1; 10], 100, 3)
            .iter()
            .map(Vec::len)
            .collect();
        assert_eq!(sizes, [3, 3, 3, 1]);
    }

    #[test]
    fn one_batch_worth_is_shared_by_every_replica() {
        // 40 sentences of 30 tokens fit one batch of 2048 tokens; two replicas get 20 each,
        // one replica keeps the single batch.
        let lengths = vec![30; 40];
        let shared = plan_shared(&lengths, 2048, ANY, 2);
        assert_eq!(shared.len(), 2);
        assert!(shared.iter().all(|b| b.len() == 20));
        // Three batches' worth for two replicas: four even batches.
        let three = vec![10; 150];
        assert_eq!(plan_batches(&three, 500, ANY).len(), 3);
        let even = plan_shared(&three, 500, ANY, 2);
        assert_eq!(even.len(), 4);
        assert!(
            even.iter().all(|b| (36..=38).contains(&b.len())),
            "{even:?}"
        );
        assert_eq!(plan_shared(&lengths, 2048, ANY, 1).len(), 1);
        // Two sentences, two replicas: one each, the longer first.
        assert_eq!(plan_shared(&[3, 90], 2048, ANY, 2), vec![vec![1], vec![0]]);
        // A large call: as many batches as the full budget needs (2000 / 68 → 30), no more,
        // each as small as 30 batches allow (67).
        let long = vec![30; 2000];
        let batches = plan_shared(&long, 2048, ANY, 2);
        assert_eq!(batches.len(), 30);
        assert_eq!(batches.iter().map(Vec::len).max(), Some(67));
    }

    #[test]
    fn batches_for_replicas_are_even_in_padded_size() {
        // 200 short sentences and 10 long ones fill two batches of 2,048 tokens: 1,000 padded
        // tokens of short ones and 300 of long ones. Two replicas get two halves of ~900 each.
        let lengths: Vec<usize> = [vec![5; 200], vec![30; 10]].concat();
        assert_eq!(
            padded_sizes(&plan_batches(&lengths, 2048, ANY), &lengths),
            [1000, 300]
        );
        let shared = padded_sizes(&plan_shared(&lengths, 2048, ANY, 2), &lengths);
        assert_eq!(shared.len(), 2);
        assert!(shared[0] <= 930 && shared[1] >= 870, "{shared:?}");
        // The sentence cap holds in the shared plan too: 120 sentences, at most 32 a batch.
        let capped = plan_shared(&[12; 120], 2048, 32, 2);
        assert_eq!(capped.len(), 4);
        assert!(capped.iter().all(|b| b.len() == 30));
    }

    proptest! {
        #[test]
        fn shared_plan_covers_all_and_feeds_every_replica(
            lengths in proptest::collection::vec(0usize..300, 0..600),
            budget in 1usize..4000,
            max_sentences in 1usize..200,
            replicas in 1usize..6,
        ) {
            let batches = plan_shared(&lengths, budget, max_sentences, replicas);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
            prop_assert!(batches.len() >= replicas.min(lengths.len()));
            let unshared = plan_batches(&lengths, budget, max_sentences);
            prop_assert!(batches.len() >= unshared.len());
            prop_assert!(batches.len() <= unshared.len().div_ceil(replicas) * replicas + replicas);
            for batch in &batches {
                prop_assert!(!batch.is_empty());
                prop_assert!(batch.len() <= max_sentences);
                prop_assert!(batch.len() == 1 || padded_size(batch, &lengths) <= budget);
            }
            let sizes = padded_sizes(&batches, &lengths);
            for pair in sizes.windows(2) {
                prop_assert!(pair[0] >= pair[1]);
            }
            // Never a larger biggest batch than the plain plan's, when its count already suits.
            if unshared.len().is_multiple_of(replicas) && unshared.len() >= replicas {
                let plain = padded_sizes(&unshared, &lengths).into_iter().max();
                prop_assert!(sizes.first().copied() <= plain);
            }
        }

        #[test]
        fn every_index_once_and_budget_kept(
            lengths in proptest::collection::vec(0usize..300, 0..600),
            budget in 1usize..2000,
            max_sentences in 1usize..200,
        ) {
            let batches = plan_batches(&lengths, budget, max_sentences);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
            for batch in &batches {
                prop_assert!(!batch.is_empty() && batch.len() <= max_sentences);
                let longest = batch.iter().map(|&i| lengths[i].max(1)).max().unwrap();
                prop_assert!(batch.len() == 1 || batch.len() * longest <= budget);
            }
        }
    }
}
