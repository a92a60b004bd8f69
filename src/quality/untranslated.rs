//! Output identical to the source: the sentence was not translated.

use crate::model::words::{lower_words, normalized};
use crate::model::{Flag, FlagKind};

/// Whether a line is only numbers and names (every word capitalized or a number) and short:
/// such lines are the same in both languages.
fn numbers_and_names(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_letters = text.chars().any(char::is_alphabetic);
    !has_letters
        || (words.len() <= 4
            && words.iter().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            }))
}

/// The words of `text` that are neither numbers nor capitalized in `text` (names).
fn common_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
        .map(str::to_lowercase)
        .collect()
}

/// Flags a target equal to its source (ignoring case and punctuation), or one whose common
/// words are nearly all copied from the source.
pub fn check(src: &str, tgt: &str) -> Option<Flag> {
    let (s, t) = (normalized(src), normalized(tgt));
    if s.is_empty() || t.is_empty() {
        return None;
    }
    if s == t {
        let detail = "target identical to source";
        return (!numbers_and_names(src)).then(|| Flag::new(FlagKind::Untranslated, detail));
    }
    let tgt_common = common_words(tgt);
    if tgt_common.len() < 5 {
        return None;
    }
    let mut src_words = lower_words(src);
    let mut copied = 0;
    for word in &tgt_common {
        if let Some(at) = src_words.iter().position(|w| w == word) {
            src_words.swap_remove(at);
            copied += 1;
        }
    }
    let share = copied as f32 / tgt_common.len() as f32;
    (share >= 0.8).then(|| {
        Flag::new(
            FlagKind::Untranslated,
            format!(
                "{:.0}% of the target's words copied from the source",
                share * 100.0
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_copies_but_not_names_or_numbers() {
        let flag = check("Harga beras naik lagi.", "harga beras naik lagi").unwrap();
        assert_eq!(flag.detail, "target identical to source");
        assert!(check("Joko Widodo", "Joko Widodo").is_none());
        assert!(check("12.500", "12.500").is_none());
        assert!(check("Bab 3", "Bab 3").is_none());
        assert!(check("Harga beras naik lagi.", "Rice prices rose again.").is_none());
        let partly = check(
            "Harga beras di pasar naik lagi minggu ini.",
            "The harga beras di pasar naik lagi minggu this.",
        )
        .unwrap();
        assert!(partly.detail.contains("copied"), "{}", partly.detail);
        assert!(check(
            "Presiden Joko Widodo bertemu Prabowo Subianto di Jakarta.",
            "President Joko Widodo met Prabowo Subianto in Jakarta."
        )
        .is_none());
    }
}
