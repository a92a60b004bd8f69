//! How right the name flags are, judged against a human reference.
//!
//! Each machine translation is checked with a [`QualityChecker`]; every name its `name_missing`
//! and `name_added` flags give is then labelled from the reference:
//!
//! * a `name_missing` name is correct when the reference keeps it (every word of it, or the
//!   word's English form, is a word of the reference): it should have been in the translation;
//! * a `name_added` name is correct when the reference does not have it either: it was invented.
//!
//! Recall counts the names the reference shows were lost or invented, found without the
//! checker's rules: a *name word* is a capitalised word that does not start a sentence (nor
//! follow a quote or bracket) and is not a title, month or weekday. A lost name is a name word
//! of the reference that is also a word of the source but not of the translation; an invented
//! one is a name word of the translation that is neither in the source nor in the reference.
//! A lost (invented) name word is found when a `name_missing` (`name_added`) flag of its pair
//! names it.

use crate::model::FlagKind;
use crate::quality::names::{english_forms, names_in_detail};
use crate::quality::QualityChecker;
use crate::text::numbers::words;
use std::collections::HashSet;
use std::fmt;

/// One sentence: source, human reference and machine translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Source sentence.
    pub src: String,
    /// Human reference translation.
    pub reference: String,
    /// Machine translation (hypothesis).
    pub hyp: String,
}

/// The kinds this evaluation can label.
pub const KINDS: [FlagKind; 2] = [FlagKind::NameMissing, FlagKind::NameAdded];

/// The scores of one flag kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindScore {
    /// Pairs with the flag.
    pub pairs: usize,
    /// Names the flags give.
    pub flagged: usize,
    /// Flagged names the reference confirms.
    pub correct: usize,
    /// Names lost (or invented) according to the reference.
    pub gold: usize,
    /// Of those, the ones a flag names.
    pub found: usize,
}

impl KindScore {
    /// Correct flagged names / flagged names (1 when nothing is flagged).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.flagged)
    }

    /// Found gold names / gold names (1 when there is none).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

impl fmt::Display for KindScore {
    /// `pairs 12  flagged 15  precision 0.8000 (12/15)  recall 0.5000 (9/18)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pairs {}  flagged {}  precision {:.4} ({}/{})  recall {:.4} ({}/{})",
            self.pairs,
            self.flagged,
            self.precision(),
            self.correct,
            self.flagged,
            self.recall(),
            self.found,
            self.gold
        )
    }
}

/// One labelled name: a flagged one (`flagged`), or a gold one no flag names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Index of the example.
    pub index: usize,
    /// The flag kind.
    pub kind: FlagKind,
    /// The name (as the flag gives it, or the gold word).
    pub name: String,
    /// Whether a flag gave it.
    pub flagged: bool,
    /// For a flagged name: whether the reference confirms it (always false for a missed gold name).
    pub correct: bool,
}

/// The result of [`score`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// Each kind asked for, with its scores.
    pub scores: Vec<(FlagKind, KindScore)>,
    /// Every flagged name and every gold name no flag gives.
    pub judgements: Vec<Judgement>,
}

/// Scores of `kinds` (only [`KINDS`]) on `examples`, with every judgement.
pub fn score(
    examples: &[Example],
    kinds: &[FlagKind],
    checker: &QualityChecker,
) -> Result<Evaluation, String> {
    if let Some(kind) = kinds.iter().find(|k| !KINDS.contains(k)) {
        return Err(format!(
            "cannot label `{kind}` from a reference (only name_missing, name_added)"
        ));
    }
    let mut scores: Vec<(FlagKind, KindScore)> =
        kinds.iter().map(|&k| (k, KindScore::default())).collect();
    let mut judgements = Vec::new();
    for (index, ex) in examples.iter().enumerate() {
        let flags = checker.check(&ex.src, &ex.hyp, None);
        let src_words: HashSet<String> = plain_words(&ex.src).into_iter().collect();
        let ref_words: HashSet<String> = plain_words(&ex.reference).into_iter().collect();
        let hyp_words: HashSet<String> = plain_words(&ex.hyp).into_iter().collect();
        for (kind, score) in &mut scores {
            let names: Vec<String> = flags
                .iter()
                .filter(|f| f.kind == *kind)
                .flat_map(|f| names_in_detail(&f.detail))
                .collect();
            score.pairs += usize::from(!names.is_empty());
            let mut named: HashSet<String> = HashSet::new();
            for name in names {
                let words = plain_words(&name);
                let kept = !words.is_empty()
                    && words.iter().all(|w| {
                        ref_words.contains(w)
                            || (*kind == FlagKind::NameMissing
                                && english_forms(w).iter().any(|e| ref_words.contains(*e)))
                    });
                let correct = match kind {
                    FlagKind::NameMissing => kept,
                    _ => !kept,
                };
                score.flagged += 1;
                score.correct += usize::from(correct);
                named.extend(words);
                judgements.push(Judgement {
                    index,
                    kind: *kind,
                    name,
                    flagged: true,
                    correct,
                });
            }
            let gold: Vec<String> = match kind {
                FlagKind::NameMissing => name_words(&ex.reference)
                    .into_iter()
                    .filter(|w| src_words.contains(w) && !hyp_words.contains(w))
                    .collect(),
                _ => name_words(&ex.hyp)
                    .into_iter()
                    .filter(|w| !related(w, &src_words, true) && !related(w, &ref_words, false))
                    .collect(),
            };
            for word in gold {
                score.gold += 1;
                if named.contains(&word) {
                    score.found += 1;
                } else {
                    judgements.push(Judgement {
                        index,
                        kind: *kind,
                        name: word,
                        flagged: false,
                        correct: false,
                    });
                }
            }
        }
    }
    Ok(Evaluation { scores, judgements })
}

/// Reads `src<TAB>reference` lines and one hypothesis a line into examples; `lines` (1-based,
/// inclusive) keeps a range of them.
pub fn examples(
    reference_tsv: &str,
    hyp: &str,
    lines: Option<(usize, usize)>,
) -> Result<Vec<Example>, String> {
    let refs: Vec<&str> = reference_tsv.lines().collect();
    let hyps: Vec<&str> = hyp.lines().collect();
    if refs.len() != hyps.len() {
        return Err(format!(
            "the reference has {} lines, the hypothesis {}",
            refs.len(),
            hyps.len()
        ));
    }
    let (first, last) = lines.unwrap_or((1, refs.len()));
    if first == 0 || first > last || last > refs.len() {
        return Err(format!(
            "lines {first}-{last} are not within 1-{}",
            refs.len()
        ));
    }
    (first..=last)
        .map(|n| {
            let (src, reference) = refs[n - 1]
                .split_once('\t')
                .ok_or_else(|| format!("reference line {n}: no tab"))?;
            Ok(Example {
                src: src.to_string(),
                reference: reference.to_string(),
                hyp: hyps[n - 1].to_string(),
            })
        })
        .collect()
}

/// Lowercased words without possessives (`Obama’s` → `obama`, `Jakarta-nya` → `jakarta`),
/// hyphenated words split.
fn plain_words(text: &str) -> Vec<String> {
    raw_words(text)
        .into_iter()
        .flat_map(|(w, _)| {
            w.split('-')
                .filter(|p| !p.is_empty() && *p != "nya")
                .map(|p| strip_possessive(&p.to_lowercase()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn strip_possessive(w: &str) -> String {
    for suffix in [
        "'s", "’s", "'m", "’m", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'re", "’re", "'", "’",
    ] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return stem.to_string();
        }
    }
    w.to_string()
}

/// Words (letters, digits, inner `'`, `’`, `-`) with whether each starts a sentence, a
/// quotation or a bracket.
fn raw_words(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = true;
    let mut current_start = true;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = matches!(c, '\'' | '’' | '-')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        // `B.C.`, `U.S.` are one word.
        if c == '.'
            && current.chars().all(char::is_uppercase)
            && chars.get(i + 1).is_some_and(|n| n.is_uppercase())
            && chars.get(i + 2) == Some(&'.')
        {
            continue;
        }
        if c.is_alphanumeric() || inner {
            if current.is_empty() {
                current_start = start;
                start = false;
            }
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push((std::mem::take(&mut current), current_start));
        }
        if ".!?:;\"“”‘'([—–…".contains(c) {
            start = true;
        }
    }
    if !current.is_empty() {
        out.push((current, current_start));
    }
    out
}

/// Whether `word` (English) is in `words` or shares its first four letters with one of them
/// (`Mexico` ↔ `Mexican`); with `source`, also an English form of a source word (`US` ↔ `AS`).
fn related(word: &str, words: &HashSet<String>, source: bool) -> bool {
    let prefix: String = word.chars().take(4).collect();
    words.iter().any(|w| {
        w == word
            || (prefix.chars().count() == 4 && w.starts_with(&prefix))
            || (source && english_forms(w).contains(&word))
    })
}

/// Words that are capitalised in English for other reasons than being names (month and day
/// names too, see [`not_a_name`]).
const NOT_NAME_WORDS: &str =
    "i president prime minister king queen prince princess pope mr mrs ms dr";

/// Whether a plain English word is capitalised for another reason than being a name.
fn not_a_name(plain: &str) -> bool {
    NOT_NAME_WORDS.split(' ').any(|w| w == plain)
        || words::month("en", plain).is_some_and(|(_, abbreviated)| !abbreviated)
        || words::weekday("en", plain).is_some()
}

/// The name words of an English text (plain, each once).
fn name_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (word, start) in raw_words(text) {
        if start || !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        for part in word.split('-') {
            let plain = strip_possessive(&part.to_lowercase());
            if plain.chars().count() < 2
                || !part.chars().next().is_some_and(char::is_uppercase)
                || not_a_name(&plain)
                || out.contains(&plain)
            {
                continue;
            }
            out.push(plain);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::QualityConfig;

    fn ex(src: &str, reference: &str, hyp: &str) -> Example {
        Example {
            src: src.into(),
            reference: reference.into(),
            hyp: hyp.into(),
        }
    }

    #[test]
    fn labels_come_from_the_reference() {
        let examples = [
            // Bandung lost (correct), Jakarta invented (correct).
            ex(
                "Kemudian Budi pergi ke Bandung.",
                "Then Budi went to Bandung.",
                "Then Budi went to Jakarta.",
            ),
            // Nothing wrong.
            ex(
                "Obama berbicara di Washington.",
                "Obama spoke in Washington.",
                "Obama spoke in Washington.",
            ),
        ];
        let checker = QualityChecker::new(QualityConfig::new("id", "en"));
        let Evaluation { scores, judgements } = score(&examples, &KINDS, &checker).unwrap();
        let missing = &scores[0].1;
        assert_eq!(
            (
                missing.flagged,
                missing.correct,
                missing.gold,
                missing.found
            ),
            (1, 1, 1, 1)
        );
        let added = &scores[1].1;
        assert_eq!(
            (added.flagged, added.correct, added.gold, added.found),
            (1, 1, 1, 1)
        );
        assert!(judgements.iter().all(|j| j.index == 0 && j.correct));
        assert_eq!(
            missing.to_string(),
            "pairs 1  flagged 1  precision 1.0000 (1/1)  recall 1.0000 (1/1)"
        );
    }

    #[test]
    fn a_name_the_reference_translates_is_a_false_alarm() {
        // `Biro Sensus` is translated in the reference: were it flagged missing, the flag
        // would be wrong; `Census Bureau` in the translation is not invented.
        let examples = [ex(
            "Menurut Biro Sensus, angkanya naik.",
            "According to the Census Bureau, the number rose.",
            "According to the Census Bureau, the figure rose.",
        )];
        let checker = QualityChecker::new(QualityConfig::new("id", "en"));
        let Evaluation { scores, judgements } = score(&examples, &KINDS, &checker).unwrap();
        for j in &judgements {
            assert!(j.flagged && !j.correct, "{j:?}");
        }
        for (_, s) in &scores {
            assert_eq!(s.gold, 0);
        }
    }

    #[test]
    fn gold_names_need_no_flag() {
        assert_eq!(
            name_words("“Yes,” said Mr Smith in Jakarta’s port on Monday. The end"),
            ["smith", "jakarta"]
        );
        assert_eq!(plain_words("Jakarta-nya O’Neil’s"), ["jakarta", "o’neil"]);
        assert_eq!(plain_words("B.C. and U.S."), ["bc", "and", "us"]);
        let source: HashSet<String> = ["amerika".to_string()].into();
        assert!(related("us", &source, true));
        assert!(related("american", &source, true));
        assert!(!related("us", &source, false));
    }

    #[test]
    fn reads_and_checks_line_ranges() {
        let tsv = "a\tA\nb\tB\nc\tC\n";
        let got = examples(tsv, "x\ny\nz\n", Some((2, 3))).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], ex("b", "B", "y"));
        assert!(examples(tsv, "x\n", None).is_err());
        assert!(examples(tsv, "x\ny\nz\n", Some((3, 4))).is_err());
        let checker = QualityChecker::default();
        assert!(score(&got, &[FlagKind::Empty], &checker).is_err());
    }
}
