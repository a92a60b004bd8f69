//! Corpus chrF exactly as sacrebleu computes it by default: character n-grams up to 6,
//! no word n-grams, β = 2, whitespace removed, case-sensitive, one reference per segment.

use std::collections::HashMap;

/// Maximum character n-gram order.
const CHAR_ORDER: usize = 6;
/// Weight of recall relative to precision.
const BETA: f64 = 2.0;

/// Corpus chrF (0–100) of `hyps` against `refs` (same length, one reference per hypothesis).
///
/// Returns `None` when the two lists differ in length.
pub fn corpus_chrf(hyps: &[String], refs: &[String]) -> Option<f64> {
    if hyps.len() != refs.len() {
        return None;
    }
    // Per order: [hypothesis n-grams, reference n-grams, matches], summed over the corpus.
    let mut stats = [[0u64; 3]; CHAR_ORDER];
    for (hyp, reference) in hyps.iter().zip(refs) {
        let hyp_chars = without_whitespace(hyp);
        let ref_chars = without_whitespace(reference);
        for (n, stat) in stats.iter_mut().enumerate() {
            let hyp_counts = char_ngrams(&hyp_chars, n + 1);
            let ref_counts = char_ngrams(&ref_chars, n + 1);
            let hyp_total: u64 = hyp_counts.values().sum();
            let ref_total: u64 = ref_counts.values().sum();
            let matches: u64 = hyp_counts
                .iter()
                .map(|(gram, count)| (*count).min(ref_counts.get(gram).copied().unwrap_or(0)))
                .sum();
            // sacrebleu does not count hypothesis n-grams when the reference has none.
            stat[0] += if ref_counts.is_empty() { 0 } else { hyp_total };
            stat[1] += ref_total;
            stat[2] += matches;
        }
    }
    Some(f_score(&stats))
}

fn without_whitespace(text: &str) -> Vec<char> {
    text.split_whitespace().flat_map(str::chars).collect()
}

fn char_ngrams(chars: &[char], n: usize) -> HashMap<&[char], u64> {
    let mut counts = HashMap::new();
    for window in chars.windows(n) {
        *counts.entry(window).or_insert(0) += 1;
    }
    counts
}

fn f_score(stats: &[[u64; 3]; CHAR_ORDER]) -> f64 {
    let factor = BETA * BETA;
    let (mut avg_prec, mut avg_rec, mut effective_order) = (0.0f64, 0.0f64, 0u32);
    // Orders with no hypothesis or no reference n-gram do not count.
    for &[n_hyp, n_ref, n_match] in stats {
        if n_hyp > 0 && n_ref > 0 {
            avg_prec += n_match as f64 / n_hyp as f64;
            avg_rec += n_match as f64 / n_ref as f64;
            effective_order += 1;
        }
    }
    if effective_order == 0 {
        return 0.0;
    }
    avg_prec /= f64::from(effective_order);
    avg_rec /= f64::from(effective_order);
    if avg_prec + avg_rec == 0.0 {
        return 0.0;
    }
    100.0 * (1.0 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_scores_100_and_disjoint_text_0() {
        let text = vec!["The cat sat on the mat.".to_string()];
        assert!((corpus_chrf(&text, &text).unwrap() - 100.0).abs() < 1e-9);
        let other = vec!["xyz".to_string()];
        assert_eq!(corpus_chrf(&other, &text).unwrap(), 0.0);
    }

    #[test]
    fn whitespace_is_ignored_and_lengths_must_match() {
        let a = vec!["ab cd".to_string()];
        let b = vec!["abcd".to_string()];
        assert!((corpus_chrf(&a, &b).unwrap() - 100.0).abs() < 1e-9);
        assert!(corpus_chrf(&a, &[]).is_none());
    }
}
