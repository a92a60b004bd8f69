//! Glossaries: `source<TAB>target` terms, one per line (`#` comments and blank lines skipped).

/// A list of term translations that backends should respect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// `(source term, target term)` pairs in file order.
    pub entries: Vec<(String, String)>,
}

impl Glossary {
    /// Read a TSV glossary file; errors name the file and line.
    pub fn load(path: &str) -> Result<Glossary, String> {
        let text = crate::input::read_text(path, false).map_err(|e| e.to_string())?;
        Glossary::parse(&text, path)
    }

    /// Parse TSV text; `label` names the source in errors.
    pub fn parse(text: &str, label: &str) -> Result<Glossary, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (src, tgt) = match (cols.next(), cols.next()) {
                (Some(s), Some(t)) if !s.trim().is_empty() && !t.trim().is_empty() => {
                    (s.trim(), t.trim())
                }
                _ => {
                    return Err(format!(
                        "{label}:{}: expected 'source<TAB>target', found '{line}'",
                        i + 1
                    ))
                }
            };
            entries.push((src.to_string(), tgt.to_string()));
        }
        Ok(Glossary { entries })
    }

    /// The entries whose source term occurs (case-insensitively) in any of `sentences`.
    pub fn relevant<'a>(&'a self, sentences: &[String]) -> Vec<&'a (String, String)> {
        let lowered: Vec<String> = sentences.iter().map(|s| s.to_lowercase()).collect();
        self.entries
            .iter()
            .filter(|(src, _)| {
                let term = src.to_lowercase();
                lowered.iter().any(|s| s.contains(&term))
            })
            .collect()
    }

    /// A short stable fingerprint of the contents (for translator identities).
    pub fn fingerprint(&self) -> String {
        use std::hash::{Hash, Hasher};
        // FNV-1a over the entries: stable across runs and platforms.
        struct Fnv(u64);
        impl Hasher for Fnv {
            fn finish(&self) -> u64 {
                self.0
            }
            fn write(&mut self, bytes: &[u8]) {
                for b in bytes {
                    self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100000001b3);
                }
            }
        }
        let mut h = Fnv(0xcbf29ce484222325);
        self.entries.hash(&mut h);
        format!("{:016x}", h.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_filters() {
        let g = Glossary::parse(
            "# terms\nbank sentral\tcentral bank\n\nDPR\tHouse of Representatives\n",
            "g.tsv",
        )
        .unwrap();
        assert_eq!(g.entries.len(), 2);
        let rel = g.relevant(&["Kata Bank Sentral hari ini".to_string()]);
        assert_eq!(rel.len(), 1);
        assert_eq!(rel[0].1, "central bank");
    }

    #[test]
    fn bad_line_names_place() {
        let err = Glossary::parse("a\tb\nno tab here\n", "g.tsv").unwrap_err();
        assert!(err.starts_with("g.tsv:2:"), "{err}");
    }
}
