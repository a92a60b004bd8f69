//! Length-ratio outliers: a translation much shorter or longer than its source.

use crate::model::{Flag, FlagKind};

/// Bounds of the target/source length ratio (in characters, spaces excluded).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LengthRatioConfig {
    /// Smallest accepted ratio.
    pub min_ratio: f32,
    /// Largest accepted ratio.
    pub max_ratio: f32,
    /// Pairs whose longer side has fewer characters are not checked (short lines vary a lot).
    pub min_chars: usize,
}

impl Default for LengthRatioConfig {
    fn default() -> Self {
        LengthRatioConfig {
            min_ratio: 0.5,
            max_ratio: 2.0,
            min_chars: 20,
        }
    }
}

fn length(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Flags a pair whose length ratio is outside the configured bounds. Empty sides are left to
/// the `empty` check.
pub fn check(src: &str, tgt: &str, config: &LengthRatioConfig) -> Option<Flag> {
    let (s, t) = (length(src), length(tgt));
    if s == 0 || t == 0 || s.max(t) < config.min_chars {
        return None;
    }
    let ratio = t as f32 / s as f32;
    let (min, max) = (config.min_ratio, config.max_ratio);
    (ratio < min || ratio > max).then(|| {
        let detail = format!("target/source length {ratio:.2} (accepted {min:.2}–{max:.2})");
        Flag::new(FlagKind::LengthRatio, detail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_outliers_and_spares_short_lines() {
        let config = LengthRatioConfig::default();
        let src = "Pemerintah mengumumkan kebijakan baru hari ini.";
        assert!(check(src, "The government announced a new policy today.", &config).is_none());
        let flag = check(src, "Policy.", &config).unwrap();
        assert!(
            flag.detail.starts_with("target/source length 0.17"),
            "{}",
            flag.detail
        );
        let long = "The government announced a new policy today, and then the minister explained the policy at length to the press, twice.";
        assert!(check(src, long, &config).is_some());
        assert!(check("Ya.", "Yes, indeed.", &config).is_none());
        assert!(check(src, "", &config).is_none());
    }
}
