//! Repeated n-grams: a translation that loops (`the the the`, `of the year of the year ...`).

use crate::model::words::lower_words;
use crate::model::{Flag, FlagKind};

/// When a run of repeats counts as looping.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RepetitionConfig {
    /// Longest n-gram (in words) looked for.
    pub max_ngram: usize,
    /// Consecutive repeats of a single word that count as looping.
    pub min_word_repeats: usize,
    /// Consecutive repeats of a longer n-gram that count as looping.
    pub min_ngram_repeats: usize,
}

impl Default for RepetitionConfig {
    fn default() -> Self {
        RepetitionConfig {
            max_ngram: 8,
            min_word_repeats: 4,
            min_ngram_repeats: 3,
        }
    }
}

/// The longest run of back-to-back repeats in `words`: (n, start, repeats), preferring more
/// repeated words, then shorter n-grams.
fn longest_run(words: &[String], config: &RepetitionConfig) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for n in 1..=config.max_ngram.min(words.len() / 2) {
        let needed = if n == 1 {
            config.min_word_repeats
        } else {
            config.min_ngram_repeats
        };
        let mut start = 0;
        while start + 2 * n <= words.len() {
            let mut repeats = 1;
            while start + (repeats + 1) * n <= words.len()
                && words[start..start + n] == words[start + repeats * n..start + (repeats + 1) * n]
            {
                repeats += 1;
            }
            if repeats >= needed && best.is_none_or(|(bn, _, br)| n * repeats > bn * br) {
                best = Some((n, start, repeats));
            }
            start += if repeats > 1 { (repeats - 1) * n } else { 1 };
        }
    }
    best
}

/// Flags a target that repeats an n-gram back to back while its source does not.
pub fn check(src: &str, tgt: &str, config: &RepetitionConfig) -> Option<Flag> {
    let words = lower_words(tgt);
    let (n, start, repeats) = longest_run(&words, config)?;
    if longest_run(&lower_words(src), config).is_some() {
        return None;
    }
    let ngram = words[start..start + n].join(" ");
    Some(Flag::new(
        FlagKind::Repetition,
        format!("\"{ngram}\" repeated {repeats} times"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_loops_not_normal_text() {
        let config = RepetitionConfig::default();
        let flag = check(
            "Ia berkata.",
            "He said that the year of the year of the year of the year ended.",
            &config,
        )
        .unwrap();
        assert_eq!(flag.detail, "\"the year of\" repeated 3 times");
        assert!(check("x", "no no no no no", &config).is_some());
        assert!(check("x", "no no no", &config).is_none());
        assert!(check("x", "The cat sat on the mat near the cat.", &config).is_none());
        // A source that repeats itself may be translated repeating too.
        assert!(check("ha ha ha ha", "ha ha ha ha", &config).is_none());
        assert!(check("", "", &config).is_none());
    }
}
