//! Run state in `--out/.selaras/`: finished documents' results and the manifest.
//!
//! A document's result is written atomically to `docs/<hash>.json`, then a line is appended
//! to `manifest.jsonl` with the run's fingerprint hash and the document's input hash (SHA-256
//! of its source text, and of its `--tgt-dir` counterpart). A new run reuses a result only
//! when the last manifest line of the document has the same fingerprint hash and the same
//! input hash; `run.json` shows the current fingerprint.
//!
//! What a change redoes:
//! - a document's text (or its counterpart's): that document only;
//! - the translator's identity or the languages: every document, but translations come from
//!   the translation cache (`translations.jsonl`, keyed by translator identity and sentence),
//!   so only sentences never translated by that translator go to the backend;
//! - an align or quality setting, the glossary, `--no-embed`, the e5 model file: every
//!   document's scoring, alignment and flags, with translations from the cache.
//!
//! The output formats do not count: the corpus files are always written from the results.

use super::fingerprint::{sha256_hex, RunFingerprint};
use crate::model::DocumentPairs;
use crate::text::atomic::{remove_stale_all, write_atomic, write_atomic_unswept};
use anyhow::Context;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(serde::Serialize, serde::Deserialize)]
struct ManifestLine {
    id: String,
    fingerprint: String,
    #[serde(default)]
    input: String,
    file: String,
}

/// Documents an earlier run finished under this run's fingerprint: id → input hash.
#[derive(Debug, Default)]
pub struct Finished(HashMap<String, String>);

impl Finished {
    /// Whether the stored result of `id` was made from input with this hash.
    pub fn reusable(&self, id: &str, input: &str) -> bool {
        self.0.get(id).is_some_and(|stored| stored == input)
    }
}

/// The state folder of one output folder.
pub struct RunState {
    dir: PathBuf,
    fingerprint: String,
    finished: Arc<Finished>,
}

impl RunState {
    /// Open the state under `out/.selaras/` for a run with the given fingerprint, and write
    /// the fingerprint to `run.json`.
    pub fn open(out: &Path, fingerprint: &RunFingerprint) -> anyhow::Result<Self> {
        let dir = out.join(".selaras");
        std::fs::create_dir_all(dir.join("docs"))
            .with_context(|| format!("cannot create {}", dir.display()))?;
        // Results are written without a scan of the folder each (see `save`): one sweep here.
        remove_stale_all(&dir.join("docs"));
        let hash = fingerprint.hash();
        let mut finished = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(dir.join("manifest.jsonl")) {
            // The last line of a document describes its result file.
            for line in text.lines() {
                let Ok(entry) = serde_json::from_str::<ManifestLine>(line) else {
                    continue;
                };
                if entry.fingerprint == hash && dir.join("docs").join(&entry.file).is_file() {
                    finished.insert(entry.id, entry.input);
                } else {
                    finished.remove(&entry.id);
                }
            }
        }
        write_atomic(&dir.join("run.json"), fingerprint.to_json().as_bytes())?;
        Ok(RunState {
            dir,
            fingerprint: hash,
            finished: Arc::new(Finished(finished)),
        })
    }

    /// The state folder (`out/.selaras`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What earlier runs finished under this fingerprint.
    pub fn finished(&self) -> Arc<Finished> {
        Arc::clone(&self.finished)
    }

    /// The result file of `id`, in the `docs` folder.
    fn file_name(id: &str) -> String {
        format!("{}.json", &sha256_hex(id.as_bytes())[..32])
    }

    /// Store a finished document's result (atomically) and record it in the manifest with
    /// its input hash.
    pub fn save(&mut self, doc: &DocumentPairs, input: &str) -> anyhow::Result<()> {
        let file = Self::file_name(&doc.doc_id);
        write_atomic_unswept(
            &self.dir.join("docs").join(&file),
            &serde_json::to_vec(doc)?,
        )?;
        let line = ManifestLine {
            id: doc.doc_id.clone(),
            fingerprint: self.fingerprint.clone(),
            input: input.to_string(),
            file,
        };
        let mut text = serde_json::to_vec(&line)?;
        text.push(b'\n');
        let manifest = self.dir.join("manifest.jsonl");
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&manifest)
            .and_then(|mut file| file.write_all(&text))
            .with_context(|| format!("cannot write {}", manifest.display()))
    }

    /// Load a stored result.
    pub fn load(&self, id: &str) -> std::io::Result<DocumentPairs> {
        load_result(&self.dir, id)
    }
}

/// Load the stored result of `id` from the state folder `dir` (`OUT/.selaras`), without
/// opening the run state (for reading another run's results).
pub fn load_result(dir: &Path, id: &str) -> std::io::Result<DocumentPairs> {
    let path = dir.join("docs").join(RunState::file_name(id));
    let bytes = std::fs::read(&path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: unreadable result: {e}", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str) -> DocumentPairs {
        DocumentPairs {
            doc_id: id.to_string(),
            src_lang: "id".into(),
            tgt_lang: "en".into(),
            src_sentences: vec!["Satu.".into()],
            tgt_sentences: vec!["One.".into()],
            src_paragraph_starts: vec![0],
            pairs: vec![],
        }
    }

    #[test]
    fn reuse_needs_the_same_fingerprint_and_input() {
        let dir = tempfile::tempdir().unwrap();
        let config = super::super::tests::config(dir.path(), dir.path());
        let pairing = super::super::pairing::Pairing::new(&config).unwrap();
        let fp1 = RunFingerprint::new(&config, None, &pairing);
        let mut fp2 = fp1.clone();
        fp2.src_lang = "ms".into();
        let mut state = RunState::open(dir.path(), &fp1).unwrap();
        state.save(&doc("a/b"), "in1").unwrap();
        let again = RunState::open(dir.path(), &fp1).unwrap();
        assert!(again.finished().reusable("a/b", "in1"));
        assert!(!again.finished().reusable("a/b", "in2"));
        assert_eq!(again.load("a/b").unwrap(), doc("a/b"));
        let run_json = std::fs::read_to_string(dir.path().join(".selaras/run.json")).unwrap();
        assert!(run_json.contains("\"e5_model\": \"none\""), "{run_json}");
        let mut other = RunState::open(dir.path(), &fp2).unwrap();
        assert!(!other.finished().reusable("a/b", "in1"));
        // fp2 overwrote the result: fp1 cannot reuse it any more.
        other.save(&doc("a/b"), "in1").unwrap();
        assert!(!RunState::open(dir.path(), &fp1)
            .unwrap()
            .finished()
            .reusable("a/b", "in1"));
    }
}
