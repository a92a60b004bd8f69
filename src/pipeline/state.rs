//! Run state in `--out/.selaras/`: finished documents' results and the manifest.
//!
//! A document's result is written atomically to `docs/<hash>.json`, then a line is appended
//! to `manifest.jsonl`. On a new run, a document is finished when the manifest lists it with
//! the same run fingerprint (backend, languages, options) and its result file is readable.

use crate::model::DocumentPairs;
use crate::text::atomic::write_atomic;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(serde::Serialize, serde::Deserialize)]
struct ManifestLine {
    id: String,
    fingerprint: String,
    file: String,
}

/// The state folder of one output folder.
pub struct RunState {
    dir: PathBuf,
    fingerprint: String,
    finished: HashMap<String, PathBuf>,
}

impl RunState {
    /// Open the state under `out/.selaras/` for a run with the given fingerprint.
    pub fn open(out: &Path, fingerprint: &str) -> std::io::Result<Self> {
        let dir = out.join(".selaras");
        std::fs::create_dir_all(dir.join("docs"))?;
        let mut finished = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(dir.join("manifest.jsonl")) {
            for line in text.lines() {
                let Ok(entry) = serde_json::from_str::<ManifestLine>(line) else {
                    continue;
                };
                let path = dir.join("docs").join(&entry.file);
                if entry.fingerprint == fingerprint && path.is_file() {
                    finished.insert(entry.id, path);
                } else {
                    finished.remove(&entry.id);
                }
            }
        }
        Ok(RunState {
            dir,
            fingerprint: fingerprint.to_string(),
            finished,
        })
    }

    /// The state folder (`out/.selaras`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the document was finished by an earlier run with the same fingerprint.
    pub fn is_finished(&self, id: &str) -> bool {
        self.finished.contains_key(id)
    }

    /// Number of finished documents.
    pub fn finished_count(&self) -> usize {
        self.finished.len()
    }

    fn file_name(id: &str) -> String {
        let digest = Sha256::digest(id.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}.json")
    }

    /// Store a finished document's result (atomically) and record it in the manifest.
    pub fn save(&mut self, doc: &DocumentPairs) -> std::io::Result<()> {
        let file = Self::file_name(&doc.doc_id);
        let path = self.dir.join("docs").join(&file);
        let bytes = serde_json::to_vec(doc).map_err(std::io::Error::other)?;
        write_atomic(&path, &bytes)?;
        let line = ManifestLine {
            id: doc.doc_id.clone(),
            fingerprint: self.fingerprint.clone(),
            file,
        };
        let mut text = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
        text.push(b'\n');
        let mut manifest = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("manifest.jsonl"))?;
        manifest.write_all(&text)?;
        self.finished.insert(doc.doc_id.clone(), path);
        Ok(())
    }

    /// Load a finished document's result.
    pub fn load(&self, id: &str) -> std::io::Result<DocumentPairs> {
        let path = self.finished.get(id).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("document {id:?} is not finished"),
            )
        })?;
        let bytes = std::fs::read(path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: unreadable result: {e}", path.display()),
            )
        })
    }
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
    fn finished_documents_need_the_same_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = RunState::open(dir.path(), "fp1").unwrap();
        state.save(&doc("a/b")).unwrap();
        let again = RunState::open(dir.path(), "fp1").unwrap();
        assert!(again.is_finished("a/b"));
        assert_eq!(again.load("a/b").unwrap(), doc("a/b"));
        let other = RunState::open(dir.path(), "fp2").unwrap();
        assert!(!other.is_finished("a/b"));
    }
}
