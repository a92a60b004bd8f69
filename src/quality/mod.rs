//! Quality flags for translated or aligned pairs.
//!
//! [`QualityChecker::check`] runs every check on one pair and returns its flags, sorted. One
//! module per larger concern: [`numbers`] (numbers and dates that differ), [`untranslated`]
//! (output identical to the source), [`length`] (length-ratio outliers), [`repetition`]
//! (looping output), [`names`] (names lost or invented by a machine translation) and
//! [`glossary`] (required target terms missing); a side without text and a low alignment score
//! are checked here. [`entities`] gathers the number, date and name checks for a translator
//! choosing among candidate translations.

pub mod entities;
pub mod length;
pub mod names;
pub mod repetition;
pub mod untranslated;

pub use length::LengthRatioConfig;
pub use repetition::RepetitionConfig;

use crate::model::{Flag, FlagKind, Glossary, PairRecord};
use crate::text::numbers;

/// Settings of the checks.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QualityConfig {
    /// Source language code (number conventions, month and number words).
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Alignment scores below this raise `low_score`.
    pub min_align_score: f32,
    /// Length-ratio bounds.
    pub length: LengthRatioConfig,
    /// Looping-output detection.
    pub repetition: RepetitionConfig,
    /// Check names (`name_missing`, `name_added`): on by default for Indonesian→English, the
    /// pair the rules are written for. Meant for machine translations: a human translator
    /// may rightly translate or drop a name, so turn it off for pairs aligned with human
    /// translations.
    pub names: bool,
}

impl QualityConfig {
    /// Default settings for a language pair.
    pub fn new(src_lang: &str, tgt_lang: &str) -> Self {
        QualityConfig {
            src_lang: src_lang.to_string(),
            tgt_lang: tgt_lang.to_string(),
            min_align_score: 0.5,
            length: LengthRatioConfig::default(),
            repetition: RepetitionConfig::default(),
            names: numbers::words::base_lang(src_lang) == "id"
                && numbers::words::base_lang(tgt_lang) == "en",
        }
    }
}

impl Default for QualityConfig {
    fn default() -> Self {
        QualityConfig::new("id", "en")
    }
}

/// Runs every quality check on a pair.
#[derive(Debug, Clone, Default)]
pub struct QualityChecker {
    config: QualityConfig,
    glossary: Option<Glossary>,
}

impl QualityChecker {
    /// A checker with `config` and no glossary.
    pub fn new(config: QualityConfig) -> Self {
        QualityChecker {
            config,
            glossary: None,
        }
    }

    /// The same checker, also checking `glossary` terms.
    pub fn with_glossary(mut self, glossary: Glossary) -> Self {
        self.glossary = Some(glossary);
        self
    }

    /// The settings.
    pub fn config(&self) -> &QualityConfig {
        &self.config
    }

    /// The glossary, if any.
    pub fn glossary(&self) -> Option<&Glossary> {
        self.glossary.as_ref()
    }

    /// The flags of a pair (`align_score`: the aligner's score, if any), sorted. A pair with
    /// an empty side only gets `empty` (and `low_score`).
    pub fn check(&self, src: &str, tgt: &str, align_score: Option<f32>) -> Vec<Flag> {
        let config = &self.config;
        let mut flags: Vec<Flag> = Vec::new();
        flags.extend(low_score(align_score, config.min_align_score));
        if let Some(flag) = empty(src, tgt) {
            flags.push(flag);
        } else if !src.trim().is_empty() {
            let diff = numbers::differences(src, tgt, &config.src_lang, &config.tgt_lang);
            if let Some(detail) = diff.number_detail() {
                flags.push(Flag::new(FlagKind::NumberMismatch, detail));
            }
            if let Some(detail) = diff.date_detail() {
                flags.push(Flag::new(FlagKind::DateMismatch, detail));
            }
            flags.extend(untranslated::check(src, tgt));
            flags.extend(length::check(src, tgt, &config.length));
            flags.extend(repetition::check(src, tgt, &config.repetition));
            if config.names {
                flags.extend(names::check(src, tgt));
            }
            if let Some(glossary) = &self.glossary {
                flags.extend(glossary.check(src, tgt));
            }
        }
        flags.sort();
        flags.dedup();
        flags
    }

    /// Adds the flags of `pair` (using its `align` score) to the flags it already has, keeping
    /// them sorted and without duplicates.
    pub fn check_pair(&self, pair: &mut PairRecord) {
        let flags = self.check(&pair.src, &pair.tgt, pair.scores.align);
        pair.flags.extend(flags);
        pair.flags.sort();
        pair.flags.dedup();
    }
}

/// Flags an alignment score below `threshold` (or one that is not a number).
fn low_score(score: Option<f32>, threshold: f32) -> Option<Flag> {
    let detail = match score? {
        score if score.is_nan() => "alignment score is not a number".to_string(),
        score if score < threshold => format!("alignment score {score:.2} below {threshold:.2}"),
        _ => return None,
    };
    Some(Flag::new(FlagKind::LowScore, detail))
}

/// Flags a pair with text on one side only.
fn empty(src: &str, tgt: &str) -> Option<Flag> {
    match (src.trim().is_empty(), tgt.trim().is_empty()) {
        (false, true) => Some(Flag::new(FlagKind::Empty, "no target text")),
        (true, false) => Some(Flag::new(FlagKind::Empty, "no source text")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_score_flags_scores_below_threshold() {
        assert_eq!(
            low_score(Some(0.31), 0.5).unwrap().detail,
            "alignment score 0.31 below 0.50"
        );
        assert!(low_score(Some(0.5), 0.5).is_none());
        assert!(low_score(None, 0.5).is_none());
        assert!(low_score(Some(f32::NAN), 0.5).is_some());
    }

    #[test]
    fn empty_flags_one_sided_pairs() {
        assert_eq!(empty("Halo.", " \n").unwrap().detail, "no target text");
        assert_eq!(empty("", "Hello.").unwrap().detail, "no source text");
        assert!(empty("Halo.", "Hello.").is_none());
        assert!(empty("", "").is_none());
    }
    use std::path::Path;

    fn kinds_of(flags: &[Flag]) -> Vec<&str> {
        flags.iter().map(|f| f.kind.as_str()).collect()
    }

    #[test]
    fn good_pair_has_no_flag() {
        let checker = QualityChecker::default();
        let flags = checker.check(
            "Pada 12 April 2024, harga beras naik 3,5 persen menjadi Rp 12.500.",
            "On April 12, 2024, the price of rice rose 3.5 percent to Rp 12,500.",
            Some(0.91),
        );
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn bad_pair_gets_sorted_flags_of_each_kind() {
        let glossary = Glossary::parse("harga\tprice\n", Path::new("g.tsv")).unwrap();
        let checker = QualityChecker::default().with_glossary(glossary);
        let flags = checker.check(
            "Pada Senin, harga beras naik 3,5 persen.",
            "On Tuesday the rice rose rose rose rose 35 percent.",
            Some(0.2),
        );
        assert_eq!(
            kinds_of(&flags),
            [
                "date_mismatch",
                "glossary_miss",
                "low_score",
                "number_mismatch",
                "repetition"
            ]
        );
        assert!(flags.is_sorted());
        assert!(FlagKind::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(FlagKind::ALL
            .windows(2)
            .all(|w| w[0].as_str() < w[1].as_str()));
    }

    #[test]
    fn empty_and_untranslated() {
        let checker = QualityChecker::default();
        assert_eq!(kinds_of(&checker.check("Halo semua.", "", None)), ["empty"]);
        assert_eq!(
            kinds_of(&checker.check("Harga beras naik lagi.", "Harga beras naik lagi.", None)),
            ["untranslated"]
        );
        let checker = QualityChecker::new(QualityConfig {
            min_align_score: 0.95,
            ..QualityConfig::default()
        });
        assert_eq!(
            kinds_of(&checker.check("Harga naik.", "Prices rose.", Some(0.9))),
            ["low_score"]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_sorts(src in "\\PC{0,80}", tgt in "[0-9.,/: a-zA-Z\\-]{0,60}") {
            let checker = QualityChecker::default()
                .with_glossary(Glossary::parse("a\tb\n", Path::new("g.tsv")).unwrap());
            for (s, t) in [(&src, &tgt), (&tgt, &src), (&src, &src)] {
                proptest::prop_assert!(checker.check(s, t, Some(0.7)).is_sorted());
            }
        }
    }

    #[test]
    fn check_pair_merges_flags() {
        let checker = QualityChecker::default();
        let mut pair = PairRecord {
            src_indices: vec![0],
            tgt_indices: vec![],
            src: "Halo.".into(),
            tgt: String::new(),
            scores: crate::model::Scores {
                align: Some(0.1),
                embed: None,
            },
            flags: vec![Flag::new(FlagKind::Empty, "no target text")],
        };
        checker.check_pair(&mut pair);
        assert_eq!(kinds_of(&pair.flags), ["empty", "low_score"]);
    }
}
