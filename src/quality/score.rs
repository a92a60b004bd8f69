//! Low alignment score.

use crate::model::{Flag, FlagKind};

/// Flags an alignment score below `threshold` (or one that is not a number).
pub fn check(score: Option<f32>, threshold: f32) -> Option<Flag> {
    let detail = match score? {
        score if score.is_nan() => "alignment score is not a number".to_string(),
        score if score < threshold => format!("alignment score {score:.2} below {threshold:.2}"),
        _ => return None,
    };
    Some(Flag::new(FlagKind::LowScore, detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_scores_below_threshold() {
        assert_eq!(
            check(Some(0.31), 0.5).unwrap().detail,
            "alignment score 0.31 below 0.50"
        );
        assert!(check(Some(0.5), 0.5).is_none());
        assert!(check(None, 0.5).is_none());
        assert!(check(Some(f32::NAN), 0.5).is_some());
    }
}
