//! Batch planning: group sentences of similar length under a token budget, keep the input order,
//! and cut a call's work into batches that every model replica gets an even share of.

/// How many consecutive sentences are sorted by length together. Sorting inside a window (instead
/// of the whole input) bounds how long a sentence waits and keeps memory flat on long inputs.
pub const SORT_WINDOW: usize = 4096;

/// Hypotheses (sentences × beam) one batch decodes at most: past this the activations of a
/// decoding step outgrow the CPU cache and every step slows down (see BENCHMARKS.md).
pub const MAX_ROWS: usize = 128;

/// How one call's sentences are batched: the limits of a batch and the replicas that share them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Padded tokens (sentences × longest sentence) a batch holds at most.
    pub budget: usize,
    /// Sentences a batch holds at most.
    pub max_sentences: usize,
    /// Model replicas translating batches side by side.
    pub replicas: usize,
    /// Hypotheses decoded for each sentence (the beam size).
    pub beam: usize,
}

/// What one decoding step costs whatever the batch's size, in hypotheses: a step reads all of the
/// decoder's weights and runs its fixed work once, about as long as decoding this many
/// hypotheses takes (checked against single-batch timings at beam 1 and 4: the
/// `ct2_batch_cost` example, BENCHMARKS.md).
pub const STEP_COST: usize = 8;

/// Plan the batches of one call for replicas translating side by side, costliest first.
///
/// The call is cut into as few batches as the token budget allows, rounded up to a multiple of
/// the replicas, and the budget is then lowered as far as that count allows, so the batches come
/// out even in padded size. With several replicas the cuts between batches (runs of the length
/// order) are then moved, a sentence at a time, while that lowers the estimated time the busiest
/// replica needs (see [`decoding_cost`]; batches are handed out costliest first to the replica
/// free first), so the replicas finish together. With at least as many sentences as replicas
/// there are at least as many batches as replicas. Big batches matter: every decoding step reads
/// all of the model's weights, whatever the batch size. Every index appears exactly once.
pub fn plan_shared(lengths: &[usize], layout: &Layout) -> Vec<Vec<usize>> {
    let mut batches = plan_even(lengths, layout);
    // Past one sort window a call is long enough that its tail is a small part of it.
    if layout.replicas > 1 && lengths.len() <= SORT_WINDOW {
        batches = balance(batches, lengths, layout);
    }
    batches.sort_by_key(|b| std::cmp::Reverse(decoding_cost(b, lengths, layout.beam)));
    batches
}

/// The even plan of [`plan_shared`], before its cuts are moved: batches in length order (within
/// each window of [`SORT_WINDOW`] sentences), a multiple of the replicas, even in padded size.
pub fn plan_even(lengths: &[usize], layout: &Layout) -> Vec<Vec<usize>> {
    let windows = by_length(lengths);
    let replicas = layout.replicas.max(1);
    let budget = layout.budget.max(1);
    let plan = |budget| cut(&windows, lengths, budget, layout.max_sentences);
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
        split_widest(&mut batches, lengths);
    }
    batches
}

/// Estimated decoding time of a batch, in hypothesis-steps: `beam` hypotheses for each token of
/// its sentences (a translation is about as long as its source, and a sentence leaves the batch
/// when its beam has finished, so padding costs little) plus [`STEP_COST`] for each step, the
/// longest sentence setting the steps.
pub fn decoding_cost(batch: &[usize], lengths: &[usize], beam: usize) -> usize {
    cost(beam, token_count(batch, lengths), longest(batch, lengths))
}

/// [`decoding_cost`] of a batch of `tokens` tokens whose longest sentence has `longest`.
fn cost(beam: usize, tokens: usize, longest: usize) -> usize {
    beam.max(1) * tokens + STEP_COST * longest
}

/// The tokens of a batch's sentences, not padded.
pub fn token_count(batch: &[usize], lengths: &[usize]) -> usize {
    batch.iter().map(|&i| tokens(lengths, i)).sum()
}

/// The tokens of the batch's longest sentence (0 for an empty batch).
fn longest(batch: &[usize], lengths: &[usize]) -> usize {
    batch.iter().map(|&i| tokens(lengths, i)).max().unwrap_or(0)
}

/// Sentence `i`'s tokens as batches count them: at least one.
fn tokens(lengths: &[usize], i: usize) -> usize {
    lengths[i].max(1)
}

/// The time each replica needs (largest first) when batches of these costs are handed out
/// costliest first, each to the replica that is free first.
pub fn replica_loads(mut costs: Vec<usize>, replicas: usize) -> Vec<usize> {
    costs.sort_unstable_by(|a, b| b.cmp(a));
    let mut loads = vec![0; replicas.max(1)];
    for cost in costs {
        if let Some(least) = loads.iter_mut().min() {
            *least += cost;
        }
    }
    loads.sort_unstable_by(|a, b| b.cmp(a));
    loads
}

/// Move the cuts between consecutive batches (runs of one length order, in that order) a
/// sentence at a time while that lowers the replica loads (the busiest first, then the next),
/// keeping every batch within the layout's budget and sentence cap. Runs of the length order keep
/// padding as low as before; the number of batches stays.
fn balance(batches: Vec<Vec<usize>>, lengths: &[usize], layout: &Layout) -> Vec<Vec<usize>> {
    let order: Vec<usize> = batches.concat();
    // A run's longest sentence is its last (the order is by length).
    let last = |end: usize| tokens(lengths, order[end - 1]);
    let mut prefix = vec![0];
    for &i in &order {
        prefix.push(prefix[prefix.len() - 1] + tokens(lengths, i));
    }
    let fits = |start: usize, end: usize| {
        let n = end - start;
        n == 1 || (n <= layout.max_sentences && n * last(end) <= layout.budget)
    };
    let loads = |ends: &[usize]| {
        let costs = runs(ends)
            .map(|(s, e)| cost(layout.beam, prefix[e] - prefix[s], last(e)))
            .collect();
        replica_loads(costs, layout.replicas)
    };
    let mut ends: Vec<usize> = batches
        .iter()
        .scan(0, |end, b| {
            *end += b.len();
            Some(*end)
        })
        .collect();
    let mut best = loads(&ends);
    // Every move taken lowers the loads (compared busiest first), so the search ends; the bound
    // only caps its time.
    for _ in 0..order.len() * ends.len() {
        let mut moved_any = false;
        for j in 0..ends.len().saturating_sub(1) {
            let start = if j == 0 { 0 } else { ends[j - 1] };
            for end in [ends[j] - 1, ends[j] + 1] {
                if end <= start
                    || end >= ends[j + 1]
                    || !fits(start, end)
                    || !fits(end, ends[j + 1])
                {
                    continue;
                }
                let mut trial = ends.clone();
                trial[j] = end;
                let trial_loads = loads(&trial);
                if trial_loads < best {
                    (ends, best, moved_any) = (trial, trial_loads, true);
                }
            }
        }
        if !moved_any {
            break;
        }
    }
    runs(&ends).map(|(s, e)| order[s..e].to_vec()).collect()
}

/// The (start, end) of each run whose ends are `ends` (the first starts at 0).
fn runs(ends: &[usize]) -> impl Iterator<Item = (usize, usize)> + '_ {
    std::iter::once(0)
        .chain(ends.iter().copied())
        .zip(ends.iter().copied())
}

/// Sentences × longest sentence: the tokens a batch costs once padded.
pub fn padded_size(batch: &[usize], lengths: &[usize]) -> usize {
    batch.len() * longest(batch, lengths)
}

/// Cut the batch of the most sentences in two halves, in place (keeping the length order).
fn split_widest(batches: &mut Vec<Vec<usize>>, lengths: &[usize]) {
    let Some(widest) =
        (0..batches.len()).max_by_key(|&b| (batches[b].len(), padded_size(&batches[b], lengths)))
    else {
        return;
    };
    let half = batches[widest].len().div_ceil(2);
    let tail = batches[widest].split_off(half);
    batches.insert(widest + 1, tail);
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
            let len = tokens(lengths, i);
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

    /// A layout at beam 1.
    fn layout(budget: usize, max_sentences: usize, replicas: usize) -> Layout {
        Layout {
            budget,
            max_sentences,
            replicas,
            beam: 1,
        }
    }

    fn loads_of(batches: &[Vec<usize>], lengths: &[usize], layout: &Layout) -> Vec<usize> {
        let costs = batches
            .iter()
            .map(|b| decoding_cost(b, lengths, layout.beam))
            .collect();
        replica_loads(costs, layout.replicas)
    }

    #[test]
    fn one_batch_worth_is_shared_by_every_replica() {
        // 40 sentences of 30 tokens fit one batch of 2048 tokens; two replicas get 20 each,
        // one replica keeps the single batch.
        let lengths = vec![30; 40];
        let shared = plan_shared(&lengths, &layout(2048, ANY, 2));
        assert_eq!(shared.len(), 2);
        assert!(shared.iter().all(|b| b.len() == 20));
        // Three batches' worth for two replicas: four even batches, 75 sentences a replica.
        let three = vec![10; 150];
        assert_eq!(plan_batches(&three, 500, ANY).len(), 3);
        let shared_layout = layout(500, ANY, 2);
        let even = plan_shared(&three, &shared_layout);
        assert_eq!(even.len(), 4);
        assert!(
            even.iter().all(|b| (36..=39).contains(&b.len())),
            "{even:?}"
        );
        let per_replica = 75 * 10 + 2 * STEP_COST * 10;
        assert_eq!(loads_of(&even, &three, &shared_layout), [per_replica; 2]);
        assert_eq!(plan_shared(&lengths, &layout(2048, ANY, 1)).len(), 1);
        // Two sentences, two replicas: one each, the longer first.
        assert_eq!(
            plan_shared(&[3, 90], &layout(2048, ANY, 2)),
            vec![vec![1], vec![0]]
        );
        // A large call: as many batches as the full budget needs (2000 / 68 → 30), no more,
        // each as small as 30 batches allow (67) before balancing moves a sentence or two.
        let long = vec![30; 2000];
        let long_layout = layout(2048, ANY, 2);
        let even = plan_even(&long, &long_layout);
        assert_eq!(even.iter().map(Vec::len).max(), Some(67));
        let batches = plan_shared(&long, &long_layout);
        assert_eq!(batches.len(), 30);
        assert!(batches.iter().all(|b| b.len() <= 68));
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
        let shared = padded_sizes(&plan_shared(&lengths, &layout(2048, ANY, 2)), &lengths);
        assert_eq!(shared.len(), 2);
        assert!(shared[0] <= 960 && shared[1] >= 840, "{shared:?}");
        // The sentence cap holds in the shared plan too: 120 sentences, at most 32 a batch.
        let capped = plan_shared(&[12; 120], &layout(2048, 32, 2));
        assert_eq!(capped.len(), 4);
        assert!(capped.iter().all(|b| b.len() == 30));
    }

    #[test]
    fn replicas_finish_together_when_the_cap_forces_the_cuts() {
        // The token counts (with `</s>`) of the 120 sentences scripts/bench/ct2 makes of
        // tests/data/ct2/zh_sentences.txt, at beam 4 with at most 32 sentences a batch: the even
        // plan cuts runs of 32, 32, 32 and 24 sentences, and the replica that gets the shortest
        // batch after the longest finishes long before the other. Moving the cuts evens the two
        // replicas out to within one sentence's cost.
        let mut lengths: Vec<usize> = [
            3, 5, 5, 5, 5, 6, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 9, 9, 9, 10, 10, 10, 10, 10, 10,
            10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 13,
            13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
            14, 14, 15, 15, 15, 15, 15, 15, 15, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17,
            17, 17, 17, 18, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20, 21, 21, 21, 22, 22, 22,
            22, 23, 23, 31, 33,
        ]
        .to_vec();
        lengths.reverse();
        let layout = Layout {
            beam: 4,
            ..layout(2048, 32, 2)
        };
        let even = plan_even(&lengths, &layout);
        let even_loads = loads_of(&even, &lengths, &layout);
        let balanced = plan_shared(&lengths, &layout);
        let loads = loads_of(&balanced, &lengths, &layout);
        assert_eq!(balanced.len(), 4);
        assert!(balanced.iter().all(|b| b.len() <= 32));
        assert!(even_loads[0] - even_loads[1] > 4 * 80, "{even_loads:?}");
        assert!(loads[0] - loads[1] <= 4 * 33, "{loads:?}");
        assert!(loads[0] < even_loads[0], "{loads:?} vs {even_loads:?}");
    }

    #[test]
    fn loads_follow_costliest_first_to_the_free_replica() {
        assert_eq!(replica_loads(vec![1, 5, 3, 4], 2), [7, 6]);
        assert_eq!(replica_loads(vec![2, 2, 2], 1), [6]);
        assert_eq!(replica_loads(vec![], 3), [0, 0, 0]);
        // Tokens × beam, and the steps' own cost (the longest sentence sets the steps).
        assert_eq!(decoding_cost(&[0, 2], &[3, 9, 5], 4), 4 * 8 + STEP_COST * 5);
    }

    proptest! {
        #[test]
        fn shared_plan_covers_all_and_feeds_every_replica(
            lengths in proptest::collection::vec(0usize..300, 0..600),
            budget in 1usize..4000,
            max_sentences in 1usize..200,
            replicas in 1usize..6,
            beam in 1usize..6,
        ) {
            let layout = Layout { beam, ..layout(budget, max_sentences, replicas) };
            let batches = plan_shared(&lengths, &layout);
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
            let costs: Vec<usize> =
                batches.iter().map(|b| decoding_cost(b, &lengths, beam)).collect();
            for pair in costs.windows(2) {
                prop_assert!(pair[0] >= pair[1]);
            }
            // Balancing never leaves the busiest replica more to do than the even plan did.
            let even = plan_even(&lengths, &layout);
            prop_assert_eq!(even.len(), batches.len());
            prop_assert!(loads_of(&batches, &lengths, &layout) <= loads_of(&even, &lengths, &layout));
            // The even plan: never a larger biggest batch than the plain plan's, when its count
            // already suits.
            if unshared.len().is_multiple_of(replicas) && unshared.len() >= replicas {
                let plain = padded_sizes(&unshared, &lengths).into_iter().max();
                prop_assert!(padded_sizes(&even, &lengths).into_iter().max() <= plain);
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
