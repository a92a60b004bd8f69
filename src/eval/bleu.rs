//! Corpus BLEU exactly as sacrebleu computes it by default: `13a` tokenizer, case-sensitive,
//! n-grams up to 4, exponential (NIST) smoothing, one reference per segment.

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Maximum n-gram order.
const MAX_ORDER: usize = 4;

/// A corpus BLEU score with the statistics it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct BleuScore {
    /// The score, 0–100.
    pub score: f64,
    /// Matching n-grams per order (1..=4).
    pub correct: [u64; MAX_ORDER],
    /// Hypothesis n-grams per order (1..=4).
    pub total: [u64; MAX_ORDER],
    /// Brevity penalty.
    pub brevity_penalty: f64,
    /// Hypothesis length in tokens.
    pub sys_len: u64,
    /// Reference length in tokens.
    pub ref_len: u64,
}

/// Tokenize a segment as sacrebleu's `13a` tokenizer (mteval-v13a) does.
pub fn tokenize_13a(line: &str) -> String {
    let mut line = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    let mut line = format!(" {line} ");
    for (re, replacement) in rules() {
        line = re.replace_all(&line, *replacement).into_owned();
    }
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rules() -> &'static [(Regex, &'static str)] {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RULES.get_or_init(|| {
        let rule = |pattern: &str, replacement: &'static str| {
            (Regex::new(pattern).expect("valid 13a pattern"), replacement)
        };
        vec![
            // Punctuation and symbols (ASCII ranges of mteval-v13a).
            rule(r"([\{-~\[-` -&\(-\+:-@/])", " ${1} "),
            // Period and comma unless preceded by a digit.
            rule(r"([^0-9])([\.,])", "${1} ${2} "),
            // Period and comma unless followed by a digit.
            rule(r"([\.,])([^0-9])", " ${1} ${2}"),
            // Dash when preceded by a digit.
            rule(r"([0-9])(-)", "${1} ${2} "),
        ]
    })
}

fn ngrams(tokens: &[&str]) -> HashMap<Vec<String>, u64> {
    let mut counts = HashMap::new();
    for n in 1..=MAX_ORDER {
        for window in tokens.windows(n) {
            let key = window.iter().map(|t| t.to_string()).collect::<Vec<_>>();
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

/// Corpus BLEU of `hyps` against `refs` (same length, one reference per hypothesis).
///
/// Returns `None` when the two lists differ in length.
pub fn corpus_bleu(hyps: &[String], refs: &[String]) -> Option<BleuScore> {
    if hyps.len() != refs.len() {
        return None;
    }
    let mut correct = [0u64; MAX_ORDER];
    let mut total = [0u64; MAX_ORDER];
    let (mut sys_len, mut ref_len) = (0u64, 0u64);
    for (hyp, reference) in hyps.iter().zip(refs) {
        let hyp_tok = tokenize_13a(hyp.trim_end());
        let ref_tok = tokenize_13a(reference.trim_end());
        let hyp_words: Vec<&str> = hyp_tok.split_whitespace().collect();
        let ref_words: Vec<&str> = ref_tok.split_whitespace().collect();
        sys_len += hyp_words.len() as u64;
        ref_len += ref_words.len() as u64;
        let ref_counts = ngrams(&ref_words);
        for (gram, count) in ngrams(&hyp_words) {
            let order = gram.len() - 1;
            total[order] += count;
            correct[order] += count.min(ref_counts.get(&gram).copied().unwrap_or(0));
        }
    }
    Some(compute(correct, total, sys_len, ref_len))
}

fn compute(
    correct: [u64; MAX_ORDER],
    total: [u64; MAX_ORDER],
    sys_len: u64,
    ref_len: u64,
) -> BleuScore {
    let brevity_penalty = match sys_len {
        0 if ref_len > 0 => 0.0,
        sys if sys < ref_len => (1.0 - ref_len as f64 / sys as f64).exp(),
        _ => 1.0,
    };
    let mut result = BleuScore {
        score: 0.0,
        correct,
        total,
        brevity_penalty,
        sys_len,
        ref_len,
    };
    if correct.iter().all(|&c| c == 0) {
        return result;
    }
    let mut precisions = [0.0f64; MAX_ORDER];
    let mut smooth = 1.0f64;
    for n in 0..MAX_ORDER {
        if total[n] == 0 {
            break;
        }
        precisions[n] = if correct[n] == 0 {
            smooth *= 2.0;
            100.0 / (smooth * total[n] as f64)
        } else {
            100.0 * correct[n] as f64 / total[n] as f64
        };
    }
    let log_sum: f64 = precisions
        .iter()
        .map(|&p| if p == 0.0 { -9_999_999_999.0 } else { p.ln() })
        .sum();
    result.score = brevity_penalty * (log_sum / MAX_ORDER as f64).exp();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_punctuation_but_keeps_numbers() {
        assert_eq!(tokenize_13a("Hello, world."), "Hello , world .");
        assert_eq!(
            tokenize_13a("It costs 1,000.50 dollars"),
            "It costs 1,000.50 dollars"
        );
        assert_eq!(
            tokenize_13a("pages 3-5 (see \"A&amp;B\")"),
            "pages 3 - 5 ( see \" A & B \" )"
        );
    }

    #[test]
    fn identical_text_scores_100() {
        let text = vec!["The cat sat on the mat today .".to_string()];
        let score = corpus_bleu(&text, &text).unwrap();
        assert!((score.score - 100.0).abs() < 1e-9);
    }

    #[test]
    fn unrelated_text_scores_0_and_mismatched_lengths_are_rejected() {
        let hyp = vec!["alpha beta".to_string()];
        let reference = vec!["gamma delta".to_string()];
        assert_eq!(corpus_bleu(&hyp, &reference).unwrap().score, 0.0);
        assert!(corpus_bleu(&hyp, &[]).is_none());
    }
}
