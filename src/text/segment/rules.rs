//! Segmentation rules as data: per-language lists of non-breaking prefixes.
//!
//! The lists live in `src/segment/lang/*.txt`, one entry per line (Moses format): a
//! prefix that never ends a sentence, or `PREFIX #NUMERIC_ONLY#` for one that does not
//! end a sentence only when a number follows (`No. 5`).

use super::UnknownLanguage;
use std::collections::HashSet;

const ID_PREFIXES: &str = include_str!("lang/id.txt");
const EN_PREFIXES: &str = include_str!("lang/en.txt");

/// The rules of one language.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Prefixes (lowercased, without the final dot) that never end a sentence.
    pub prefixes: HashSet<String>,
    /// Prefixes that do not end a sentence when a number follows.
    pub numeric_only: HashSet<String>,
}

impl Rules {
    /// The built-in rules for `lang`.
    pub fn for_lang(lang: &str) -> Result<Self, UnknownLanguage> {
        let data = match lang {
            "id" | "ind" | "in" => ID_PREFIXES,
            "en" | "eng" => EN_PREFIXES,
            other => return Err(UnknownLanguage(other.to_string())),
        };
        Ok(Self::parse(data))
    }

    /// Parse a prefix list in Moses' nonbreaking-prefix format.
    pub fn parse(data: &str) -> Self {
        let mut rules = Rules::default();
        for line in data.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (prefix, numeric) = match line.split_once('#') {
                Some((p, rest)) => (p.trim(), rest.contains("NUMERIC_ONLY")),
                None => (line, false),
            };
            let prefix = prefix.trim_end_matches('.').to_lowercase();
            if prefix.is_empty() {
                continue;
            }
            let set = if numeric {
                &mut rules.numeric_only
            } else {
                &mut rules.prefixes
            };
            set.insert(prefix);
        }
        rules
    }

    /// Whether `word` (without its final dot) is a prefix that never ends a sentence.
    pub fn is_prefix(&self, word: &str) -> bool {
        self.prefixes.contains(&word.to_lowercase())
    }

    /// Whether `word` (without its final dot) does not end a sentence before a number.
    pub fn is_numeric_prefix(&self, word: &str) -> bool {
        self.numeric_only.contains(&word.to_lowercase())
    }
}
