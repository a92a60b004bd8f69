//! The completion marker of a run folder: `.selaras/complete.json`, written last and
//! atomically once the corpus files are in place, removed when a run on the folder starts.
//!
//! It says what the folder holds, so `selaras merge` can check shards against each other
//! without reading their documents: the shard, the settings' fingerprint, the corpus the shard
//! was cut from (count and hash of every document id in the input), the formats written, and
//! the documents in the corpus files, listed in order in `.selaras/documents.txt`.

use super::fingerprint::{sha256_hex, RunFingerprint};
use super::shard::Shard;
use crate::text::atomic::{write_atomic, AtomicFile};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// The marker's file name inside the state folder.
pub const MARKER: &str = "complete.json";
/// The list of the corpus files' documents (one id a line, in order) inside the state folder.
pub const DOCUMENT_LIST: &str = "documents.txt";

/// The input a run was cut from: every document id found, however the run was sharded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CorpusIdentity {
    /// Documents found in the input.
    pub documents: usize,
    /// SHA-256 over the sorted ids, one per line.
    pub ids: String,
}

impl CorpusIdentity {
    /// The identity of an input with these ids (in the order found: sorted).
    pub fn of<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let (mut text, mut documents) = (String::new(), 0);
        for id in ids {
            text.push_str(id);
            text.push('\n');
            documents += 1;
        }
        CorpusIdentity {
            documents,
            ids: sha256_hex(text.as_bytes()),
        }
    }
}

/// What a finished run folder holds (`.selaras/complete.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    /// The shard this folder holds (`0/1`: the whole corpus).
    pub shard: Shard,
    /// Hash of the settings' fingerprint.
    pub fingerprint: String,
    /// The fingerprint itself (as in `run.json`).
    pub settings: serde_json::Value,
    /// The input the shard was cut from.
    pub corpus: CorpusIdentity,
    /// Output formats written.
    pub formats: Vec<String>,
    /// Documents in the corpus files (listed in `documents.txt`).
    pub documents: usize,
    /// Documents of the shard that failed (not in the corpus files).
    pub failed: usize,
}

impl Completion {
    /// The marker of a run with this fingerprint.
    pub fn new(
        shard: Shard,
        fingerprint: &RunFingerprint,
        corpus: CorpusIdentity,
        formats: &[String],
    ) -> Self {
        Completion {
            shard,
            fingerprint: fingerprint.hash(),
            settings: serde_json::to_value(fingerprint).unwrap_or_default(),
            corpus,
            formats: formats.to_vec(),
            documents: 0,
            failed: 0,
        }
    }

    /// Source and target language of the run.
    pub fn languages(&self) -> (String, String) {
        let lang = |key: &str| {
            (self.settings.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        (lang("src_lang"), lang("tgt_lang"))
    }

    /// Read the marker of the run folder `out`; `Ok(None)` when it has none.
    pub fn read(out: &Path) -> anyhow::Result<Option<Completion>> {
        let path = marker_path(out);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let marker = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a completion marker", path.display()))?;
        Ok(Some(marker))
    }

    /// Write the document list (streamed from `ids`), then the marker (both atomically, the
    /// marker last); an `Err` id stops with nothing written.
    pub fn write<S: AsRef<str>>(
        mut self,
        out: &Path,
        ids: impl IntoIterator<Item = anyhow::Result<S>>,
        failed: usize,
    ) -> anyhow::Result<()> {
        let dir = out.join(".selaras");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let mut list = AtomicFile::create(&dir, DOCUMENT_LIST)?;
        let mut documents = 0;
        for id in ids {
            list.write_str(id?.as_ref())?;
            list.write_str("\n")?;
            documents += 1;
        }
        list.commit()?;
        (self.documents, self.failed) = (documents, failed);
        let json = serde_json::to_string_pretty(&self)? + "\n";
        write_atomic(&marker_path(out), json.as_bytes())?;
        Ok(())
    }

    /// Remove the marker of `out` (a run on the folder is starting).
    pub fn clear(out: &Path) -> anyhow::Result<()> {
        let path = marker_path(out);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", path.display()))
            }
            _ => Ok(()),
        }
    }
}

/// `out/.selaras/complete.json`.
pub fn marker_path(out: &Path) -> PathBuf {
    out.join(".selaras").join(MARKER)
}

/// `out/.selaras/documents.txt`.
pub fn document_list_path(out: &Path) -> PathBuf {
    out.join(".selaras").join(DOCUMENT_LIST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let config = super::super::tests::config(dir.path(), dir.path());
        let pairing = super::super::pairing::Pairing::new(&config).unwrap();
        let fingerprint = RunFingerprint::new(&config, None, &pairing);
        let corpus = CorpusIdentity::of(["a", "b", "c"]);
        assert_ne!(corpus, CorpusIdentity::of(["a", "b", "d"]));
        let shard = Shard { index: 1, count: 3 };
        assert!(Completion::read(dir.path()).unwrap().is_none());
        let marker = Completion::new(shard, &fingerprint, corpus, &["jsonl".into()]);
        marker.clone().write(dir.path(), [Ok("b")], 1).unwrap();
        let read = Completion::read(dir.path()).unwrap().unwrap();
        assert_eq!((read.documents, read.failed, read.shard), (1, 1, shard));
        assert_eq!(read.fingerprint, marker.fingerprint);
        assert_eq!(read.languages(), ("id".to_string(), "en".to_string()));
        let list = std::fs::read_to_string(document_list_path(dir.path())).unwrap();
        assert_eq!(list, "b\n");
        Completion::clear(dir.path()).unwrap();
        Completion::clear(dir.path()).unwrap();
        assert!(Completion::read(dir.path()).unwrap().is_none());
        std::fs::write(marker_path(dir.path()), "{").unwrap();
        let err = format!("{:#}", Completion::read(dir.path()).unwrap_err());
        assert!(
            err.contains("complete.json: not a completion marker"),
            "{err}"
        );
    }
}
