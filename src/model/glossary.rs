//! Glossaries: source terms that must be translated with a given target term.
//!
//! File format (`--glossary FILE`): UTF-8 TSV, one `source term<TAB>target term` per line;
//! further columns are ignored (notes); blank lines and lines starting with `#` are skipped. A
//! source term listed on several lines accepts any of its target terms. Terms match whole
//! words, ignoring case; in the source an Indonesian clitic may follow (`-nya`, `-lah`, `-kah`,
//! `-pun`), in the target an English plural or possessive (`s`, `es`, `'s`).

use super::words::normalized;
use super::{Flag, FlagKind};
use std::path::{Path, PathBuf};

/// An error loading a glossary, naming the file and line.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    /// The file cannot be read.
    #[error("cannot read glossary {}: {source}", path.display())]
    Io {
        /// The glossary file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not valid.
    #[error("glossary {}, line {line}: {message}", path.display())]
    Line {
        /// The glossary file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One source term and the target terms that translate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntry {
    /// The source term as written in the glossary.
    pub source: String,
    /// Accepted target terms, as written, in file order.
    pub targets: Vec<String>,
    /// Line of the file where the term first appears (1-based).
    pub line: usize,
    source_key: String,
    target_keys: Vec<String>,
}

/// A loaded glossary, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    entries: Vec<GlossaryEntry>,
}

/// Suffixes that may follow a source term (Indonesian clitics).
const SOURCE_SUFFIXES: [&str; 4] = ["nya", "lah", "kah", "pun"];
/// Suffixes that may follow a target term (English plural and possessive; in normalized text
/// `'s` is the word `s`, which the term match accepts as a following word).
const TARGET_SUFFIXES: [&str; 4] = ["s", "es", "'s", "’s"];

/// Whether `term` (normalized) occurs in `text` (normalized) as whole words, optionally
/// followed by one of `suffixes`.
fn contains_term(text: &str, term: &str, suffixes: &[&str]) -> bool {
    if term.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(term) {
        let start = from + at;
        let end = start + term.len();
        let before_ok = start == 0 || text[..start].ends_with(' ');
        let rest = &text[end..];
        let after_ok = rest.is_empty()
            || rest.starts_with(' ')
            || suffixes.iter().any(|s| {
                rest.strip_prefix(s)
                    .is_some_and(|r| r.is_empty() || r.starts_with(' '))
            });
        if before_ok && after_ok {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

impl Glossary {
    /// Loads a glossary file.
    pub fn load(path: &Path) -> Result<Glossary, GlossaryError> {
        let bytes = std::fs::read(path).map_err(|source| GlossaryError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|err| {
            let valid = err.utf8_error().valid_up_to();
            let line = memchr::memchr_iter(b'\n', &err.as_bytes()[..valid]).count() + 1;
            GlossaryError::Line {
                path: path.to_path_buf(),
                line,
                message: format!("invalid UTF-8 at byte {valid}"),
            }
        })?;
        Glossary::parse(&text, path)
    }

    /// Parses glossary text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Glossary, GlossaryError> {
        let mut glossary = Glossary::default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
                continue;
            }
            let error = |message: String| GlossaryError::Line {
                path: path.to_path_buf(),
                line,
                message,
            };
            let mut columns = raw.split('\t');
            let source = columns.next().unwrap_or("").trim();
            let Some(target) = columns.next().map(str::trim) else {
                return Err(error(
                    "expected `source term<TAB>target term`, found no tab".to_string(),
                ));
            };
            if source.is_empty() {
                return Err(error("empty source term".to_string()));
            }
            if target.is_empty() {
                return Err(error(format!("empty target term for `{source}`")));
            }
            let (source_key, target_key) = (normalized(source), normalized(target));
            if source_key.is_empty() || target_key.is_empty() {
                return Err(error(format!(
                    "`{source}` → `{target}` has no letters or digits to match"
                )));
            }
            match glossary
                .entries
                .iter_mut()
                .find(|e| e.source_key == source_key)
            {
                Some(entry) => {
                    if !entry.target_keys.contains(&target_key) {
                        entry.targets.push(target.to_string());
                        entry.target_keys.push(target_key);
                    }
                }
                None => glossary.entries.push(GlossaryEntry {
                    source: source.to_string(),
                    targets: vec![target.to_string()],
                    line,
                    source_key,
                    target_keys: vec![target_key],
                }),
            }
        }
        Ok(glossary)
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[GlossaryEntry] {
        &self.entries
    }

    /// Whether the glossary has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries whose source term occurs in any of `sentences`, in file order (for a prompt
    /// that translates a batch).
    pub fn relevant_to_any(&self, sentences: &[impl AsRef<str>]) -> Vec<&GlossaryEntry> {
        let keys: Vec<String> = sentences.iter().map(|s| normalized(s.as_ref())).collect();
        self.entries
            .iter()
            .filter(|e| {
                keys.iter()
                    .any(|k| contains_term(k, &e.source_key, &SOURCE_SUFFIXES))
            })
            .collect()
    }

    /// A short stable fingerprint of the contents (for translator identities and cache keys).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for e in &self.entries {
            hasher.update(e.source.as_bytes());
            for t in &e.targets {
                hasher.update([0u8]);
                hasher.update(t.as_bytes());
            }
            hasher.update([1u8]);
        }
        hasher.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A `glossary_miss` flag listing the terms of `src` none of whose target terms occurs in
    /// `tgt`, if any.
    pub fn check(&self, src: &str, tgt: &str) -> Option<Flag> {
        let tgt = normalized(tgt);
        let misses: Vec<String> = self
            .relevant_to_any(&[src])
            .into_iter()
            .filter(|e| {
                !e.target_keys
                    .iter()
                    .any(|t| contains_term(&tgt, t, &TARGET_SUFFIXES))
            })
            .map(|e| format!("{} → {}", e.source, e.targets.join(" | ")))
            .collect();
        (!misses.is_empty()).then(|| Flag::new(FlagKind::GlossaryMiss, misses.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(text: &str) -> Glossary {
        Glossary::parse(text, Path::new("terms.tsv")).unwrap()
    }

    #[test]
    fn parses_comments_alternatives_and_notes() {
        let g = glossary(
            "\u{feff}# istilah\nMenteri Keuangan\tFinance Minister\r\n\nAPBN\tstate budget\tnote\nmenteri keuangan\tMinister of Finance\n",
        );
        assert_eq!(g.entries().len(), 2);
        assert_eq!(
            g.entries()[0].targets,
            ["Finance Minister", "Minister of Finance"]
        );
        assert_eq!(g.entries()[0].line, 2);
        assert_eq!(g.entries()[1].source, "APBN");
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Glossary::parse("a\tb\nno tab here\n", Path::new("g.tsv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "glossary g.tsv, line 2: expected `source term<TAB>target term`, found no tab"
        );
        let err = Glossary::parse("a\t \n", Path::new("g.tsv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "glossary g.tsv, line 1: empty target term for `a`"
        );
        let err = Glossary::parse("\tb\n", Path::new("g.tsv")).unwrap_err();
        assert!(err.to_string().contains("line 1: empty source term"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.tsv");
        std::fs::write(&path, b"a\tb\nc\t\xff\n").unwrap();
        let err = Glossary::load(&path).unwrap_err();
        assert!(
            err.to_string().ends_with("line 2: invalid UTF-8 at byte 6"),
            "{err}"
        );
        let err = Glossary::load(&dir.path().join("missing.tsv")).unwrap_err();
        assert!(err.to_string().starts_with("cannot read glossary"), "{err}");
    }

    #[test]
    fn misses_need_whole_words() {
        let g = glossary("Menteri Keuangan\tFinance Minister\nAPBN\tstate budget\nkas\tcash\n");
        let kept = |src, tgt| g.check(src, tgt).is_none();
        assert!(kept(
            "Menteri Keuangan hadir.",
            "The Finance Minister attended."
        ));
        assert!(kept(
            "Menteri keuangannya hadir.",
            "Its finance minister attended."
        ));
        let src = "Menteri Keuangan membahas APBN.";
        let flag = g.check(src, "The minister discussed the budget.").unwrap();
        let detail = "Menteri Keuangan → Finance Minister; APBN → state budget";
        assert_eq!(flag.detail, detail);
        // `kas` is not in `kasus`.
        assert!(g.relevant_to_any(&["Kasus itu selesai."]).is_empty());
        assert!(kept("Dana kas", "Cash funds"));
        assert!(kept("APBN 2024", "the state budgets of 2024"));
    }
}
