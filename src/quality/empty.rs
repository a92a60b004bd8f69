//! Empty output: a side with no text while the other has some.

use crate::model::{Flag, FlagKind};

/// Flags a pair with text on one side only.
pub fn check(src: &str, tgt: &str) -> Option<Flag> {
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
    fn flags_one_sided_pairs() {
        assert_eq!(check("Halo.", " \n").unwrap().detail, "no target text");
        assert_eq!(check("", "Hello.").unwrap().detail, "no source text");
        assert!(check("Halo.", "Hello.").is_none());
        assert!(check("", "").is_none());
    }
}
