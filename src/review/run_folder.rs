//! The pairs of a finished run folder, read from its `pairs.jsonl`, with the languages of
//! `.selaras/run.json`.
//!
//! A pair's decision is stored under its [`PairKey`] (document id and sentence indices) with the
//! hash of its source and target text: a rerun of `selaras run` that keeps a pair's text keeps
//! its decision, and one that changes the text makes the decision stale.

use super::ReviewError;
use crate::model::{Flag, Scores};
use crate::sink::jsonl::{JsonlRecord, FILE_NAME};
use sha2::{Digest, Sha256};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Where a pair's decision is stored: its document and sentence indices.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PairKey {
    /// Document id.
    pub doc_id: String,
    /// Source sentence indices, comma-separated (`3,4`).
    pub src_indices: String,
    /// Target sentence indices, comma-separated.
    pub tgt_indices: String,
}

impl PairKey {
    /// The key of a pair with these indices in document `doc_id`.
    pub fn new(doc_id: &str, src: &[usize], tgt: &[usize]) -> Self {
        let join = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        PairKey {
            doc_id: doc_id.to_string(),
            src_indices: join(src),
            tgt_indices: join(tgt),
        }
    }
}

/// One pair of the run, as reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPair {
    /// The line of `pairs.jsonl`.
    pub record: JsonlRecord,
    /// Where its decision is stored.
    pub key: PairKey,
    /// SHA-256 (hex) of its source and target text: a decision made on other text is stale.
    pub text_hash: String,
}

impl ReviewPair {
    /// The pair of one `pairs.jsonl` line.
    pub fn new(record: JsonlRecord) -> Self {
        let key = PairKey::new(&record.doc_id, &record.src_indices, &record.tgt_indices);
        let text_hash = text_hash(&record.src, &record.tgt);
        ReviewPair {
            record,
            key,
            text_hash,
        }
    }

    /// The pair's flags.
    pub fn flags(&self) -> &[Flag] {
        &self.record.flags
    }

    /// The pair's scores.
    pub fn scores(&self) -> Scores {
        self.record.scores
    }

    /// The pair's main score, when it is a number (not NaN or infinite).
    pub fn score(&self) -> Option<f32> {
        self.record.score.filter(|s| s.is_finite())
    }
}

/// SHA-256 (hex) of a pair's source and target text.
pub fn text_hash(src: &str, tgt: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(src.as_bytes());
    hasher.update([0u8]);
    hasher.update(tgt.as_bytes());
    format!("{:x}", hasher.finalize())
}

/// A finished run folder: its pairs in `pairs.jsonl` order and its languages.
#[derive(Debug, Clone)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
    /// Source language code.
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Every pair, in the order of `pairs.jsonl` (documents in order, pairs in order).
    pub pairs: Vec<ReviewPair>,
}

impl RunFolder {
    /// Reads the run folder `dir`: `.selaras/run.json` for the languages, `pairs.jsonl` for the
    /// pairs. Errors name the file and line.
    pub fn open(dir: &Path) -> Result<RunFolder, ReviewError> {
        let (src_lang, tgt_lang) = languages(dir)?;
        let path = dir.join(FILE_NAME);
        let read_error = |e: std::io::Error| ReviewError::Read {
            path: path.clone(),
            message: format!(
                "{e} (is {} a finished `selaras run` folder?)",
                dir.display()
            ),
        };
        let file = std::fs::File::open(&path).map_err(read_error)?;
        let mut pairs = Vec::new();
        for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(read_error)?;
            if line.trim().is_empty() {
                continue;
            }
            let record: JsonlRecord =
                serde_json::from_str(&line).map_err(|e| ReviewError::Format {
                    path: path.clone(),
                    line: number + 1,
                    message: format!("not a pair record: {e}"),
                })?;
            pairs.push(ReviewPair::new(record));
        }
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            src_lang,
            tgt_lang,
            pairs,
        })
    }

    /// The review database of this folder: `review.sqlite`.
    pub fn database_path(&self) -> PathBuf {
        self.dir.join("review.sqlite")
    }
}

/// The languages of the run in `dir/.selaras/run.json`.
fn languages(dir: &Path) -> Result<(String, String), ReviewError> {
    let path = dir.join(".selaras").join("run.json");
    let text = std::fs::read_to_string(&path).map_err(|e| ReviewError::Read {
        path: path.clone(),
        message: format!(
            "{e} (is {} a finished `selaras run` folder?)",
            dir.display()
        ),
    })?;
    let format_error = |message: String| ReviewError::Format {
        path: path.clone(),
        line: 0,
        message,
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format_error(format!("not JSON: {e}")))?;
    let lang = |field: &str| {
        json.get(field)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format_error(format!("no `{field}` language")))
    };
    Ok((lang("src_lang")?, lang("tgt_lang")?))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::FlagKind;

    /// A `pairs.jsonl` line of document `doc`, pair `pair` (1-1 at that index).
    pub fn record(doc: &str, pair: usize, src: &str, tgt: &str, score: f32) -> JsonlRecord {
        JsonlRecord {
            doc_id: doc.to_string(),
            pair,
            block_type: "1-1".into(),
            src_indices: vec![pair],
            tgt_indices: vec![pair],
            src: src.into(),
            tgt: tgt.into(),
            src_sentences: vec![src.into()],
            tgt_sentences: vec![tgt.into()],
            score: Some(score),
            scores: Scores {
                align: Some(score),
                embed: None,
            },
            flags: Vec::new(),
        }
    }

    /// Writes a run folder with `records` into `dir`.
    pub fn write_run(dir: &Path, records: &[JsonlRecord]) {
        std::fs::create_dir_all(dir.join(".selaras")).unwrap();
        std::fs::write(
            dir.join(".selaras/run.json"),
            r#"{"format": 2, "src_lang": "id", "tgt_lang": "en"}"#,
        )
        .unwrap();
        let lines: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        std::fs::write(dir.join(FILE_NAME), lines).unwrap();
    }

    #[test]
    fn reads_pairs_and_languages() {
        let dir = tempfile::tempdir().unwrap();
        let mut flagged = record("b", 1, "Rp 1.500", "Rp 15", 0.2);
        flagged.flags = vec![Flag::new(FlagKind::NumberMismatch, "1.500")];
        write_run(
            dir.path(),
            &[record("a", 0, "Halo.", "Hello.", 0.9), flagged],
        );
        let run = RunFolder::open(dir.path()).unwrap();
        assert_eq!((run.src_lang.as_str(), run.tgt_lang.as_str()), ("id", "en"));
        assert_eq!(run.pairs.len(), 2);
        assert_eq!(run.pairs[1].key, PairKey::new("b", &[1], &[1]));
        assert_eq!(run.pairs[1].key.src_indices, "1");
        assert_eq!(run.pairs[1].flags()[0].kind, FlagKind::NumberMismatch);
        assert_ne!(run.pairs[0].text_hash, run.pairs[1].text_hash);
        assert_eq!(run.pairs[0].text_hash, text_hash("Halo.", "Hello."));
        assert_ne!(text_hash("ab", "c"), text_hash("a", "bc"));
    }

    #[test]
    fn bad_files_are_named_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let err = RunFolder::open(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("run.json") && err.contains("finished"),
            "{err}"
        );
        write_run(dir.path(), &[record("a", 0, "Halo.", "Hello.", 0.9)]);
        let path = dir.path().join(FILE_NAME);
        let good = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{good}{{\"doc_id\": 3}}\n")).unwrap();
        let err = RunFolder::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("pairs.jsonl:2: not a pair record"), "{err}");
        std::fs::write(dir.path().join(".selaras/run.json"), "{}").unwrap();
        let err = RunFolder::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("no `src_lang`"), "{err}");
    }
}
