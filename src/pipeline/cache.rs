//! The persistent translation cache: (translator identity, sentence) → translation.
//!
//! An append-only log of JSON lines in the run folder; only an index (key → place in the
//! log) is held in memory, so memory stays small however large the corpus. A line cut short
//! by a killed process is dropped when the cache is opened again.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A cache key: the first 128 bits of SHA-256 over identity and sentence.
pub type CacheKey = u128;

/// Compute the cache key of a sentence for a translator identity.
pub fn cache_key(identity: &str, sentence: &str) -> CacheKey {
    let mut hasher = Sha256::new();
    hasher.update(identity.as_bytes());
    hasher.update([0u8]);
    hasher.update(sentence.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    k: String,
    t: String,
}

/// The translation cache of one run folder.
pub struct TranslationCache {
    path: PathBuf,
    file: File,
    index: HashMap<CacheKey, (u64, u32)>,
    end: u64,
}

impl TranslationCache {
    /// Open (or create) the cache log at `path`.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let mut data = Vec::new();
        file.read_to_end(&mut data)?;
        let mut index = HashMap::new();
        let mut offset = 0usize;
        let mut complete = 0usize;
        while let Some(len) = data[offset..].iter().position(|&b| b == b'\n') {
            let line = &data[offset..offset + len];
            if let Ok(entry) = serde_json::from_slice::<Entry>(line) {
                if let Ok(key) = u128::from_str_radix(&entry.k, 16) {
                    index.insert(key, (offset as u64, len as u32));
                }
            }
            offset += len + 1;
            complete = offset;
        }
        if complete < data.len() {
            // A line cut short by a kill: drop it.
            file.set_len(complete as u64)?;
        }
        file.seek(SeekFrom::Start(complete as u64))?;
        Ok(TranslationCache {
            path: path.to_path_buf(),
            file,
            index,
            end: complete as u64,
        })
    }

    /// Number of cached translations.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Whether a translation is cached for `key`.
    pub fn contains(&self, key: CacheKey) -> bool {
        self.index.contains_key(&key)
    }

    /// The cached translation for `key`, if any.
    pub fn get(&self, key: CacheKey) -> std::io::Result<Option<String>> {
        let Some(&(offset, len)) = self.index.get(&key) else {
            return Ok(None);
        };
        let mut buf = vec![0u8; len as usize];
        self.file.read_exact_at(&mut buf, offset)?;
        let entry: Entry = serde_json::from_slice(&buf).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: corrupt cache entry at byte {offset}: {e}",
                    self.path.display()
                ),
            )
        })?;
        Ok(Some(entry.t))
    }

    /// Record a translation (one write of one line, so a kill never leaves half a record behind
    /// a complete one).
    pub fn put(&mut self, key: CacheKey, translation: &str) -> std::io::Result<()> {
        if self.index.contains_key(&key) {
            return Ok(());
        }
        let entry = Entry {
            k: format!("{key:032x}"),
            t: translation.to_string(),
        };
        let mut line = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let len = line.len();
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.index.insert(key, (self.end, len as u32));
        self.end += line.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopen_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.jsonl");
        let k1 = cache_key("cmd:x", "Satu.");
        let k2 = cache_key("cmd:x", "Dua.");
        {
            let mut cache = TranslationCache::open(&path).unwrap();
            cache.put(k1, "One.").unwrap();
            cache.put(k2, "Two \"quoted\"\nline.").unwrap();
        }
        // Simulate a kill in the middle of a write.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"k\":\"abc").unwrap();
        drop(f);
        let mut cache = TranslationCache::open(&path).unwrap();
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(k1).unwrap().as_deref(), Some("One."));
        assert_eq!(
            cache.get(k2).unwrap().as_deref(),
            Some("Two \"quoted\"\nline.")
        );
        let k3 = cache_key("cmd:x", "Tiga.");
        cache.put(k3, "Three.").unwrap();
        drop(cache);
        let cache = TranslationCache::open(&path).unwrap();
        assert_eq!(cache.get(k3).unwrap().as_deref(), Some("Three."));
        assert_ne!(cache_key("cmd:y", "Satu."), k1);
    }
}
