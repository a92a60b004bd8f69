//! The translation cache: (translator identity, sentence) → translation.
//!
//! Persistent as an append-only log of JSON lines in the run folder: only an index (key → place
//! in the log) is held in memory, so memory stays small however large the corpus. A line cut
//! short by a killed process is dropped when the cache is opened again. Without a log
//! ([`TranslationCache::default`]) the translations are held in memory.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A cache key: the first 64 bits of SHA-256 over identity and sentence (a collision needs
/// about four billion sentences to become likely).
pub type CacheKey = u64;

/// Longest cache line the index can point to (16 MiB); longer translations are not cached.
const MAX_LINE: usize = (1 << 24) - 1;

/// Offset and length of a log line packed in one word: 40 bits of offset, 24 of length.
fn pack(offset: u64, len: usize) -> u64 {
    (offset << 24) | len as u64
}

fn unpack(place: u64) -> (u64, usize) {
    (place >> 24, (place & MAX_LINE as u64) as usize)
}

/// Compute the cache key of a sentence for a translator identity.
pub fn cache_key(identity: &str, sentence: &str) -> CacheKey {
    let mut hasher = Sha256::new();
    hasher.update(identity.as_bytes());
    hasher.update([0u8]);
    hasher.update(sentence.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    k: String,
    t: String,
}

/// The translation cache of one run folder, or of one process.
#[derive(Default)]
pub struct TranslationCache {
    log: Option<Log>,
    /// Place of each translation in the log.
    index: HashMap<CacheKey, u64>,
    /// The translations themselves, when there is no log.
    memory: HashMap<CacheKey, Box<str>>,
}

/// The open log file, positioned at its end.
struct Log {
    path: PathBuf,
    file: File,
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
        // Stream the log: only the index is kept in memory.
        let mut index = HashMap::new();
        let mut reader = BufReader::new(&mut file);
        let mut line = Vec::new();
        let mut offset = 0u64;
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line)?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            let body = &line[..n - 1];
            if let Ok(entry) = serde_json::from_slice::<Entry>(body) {
                if let (Ok(key), true) = (u64::from_str_radix(&entry.k, 16), body.len() <= MAX_LINE)
                {
                    index.insert(key, pack(offset, body.len()));
                }
            }
            offset += n as u64;
        }
        drop(reader);
        if offset < file.metadata()?.len() {
            // A line cut short by a kill: drop it.
            file.set_len(offset)?;
        }
        file.seek(SeekFrom::Start(offset))?;
        Ok(TranslationCache {
            log: Some(Log {
                path: path.to_path_buf(),
                file,
                end: offset,
            }),
            index,
            memory: HashMap::new(),
        })
    }

    /// The log file, if the cache has one.
    pub fn path(&self) -> Option<&Path> {
        self.log.as_ref().map(|log| log.path.as_path())
    }

    /// Number of cached translations.
    pub fn len(&self) -> usize {
        self.index.len() + self.memory.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a translation is cached for `key`.
    pub fn contains(&self, key: CacheKey) -> bool {
        self.index.contains_key(&key) || self.memory.contains_key(&key)
    }

    /// The cached translation for `key`, if any.
    pub fn get(&self, key: CacheKey) -> std::io::Result<Option<String>> {
        if let Some(text) = self.memory.get(&key) {
            return Ok(Some(text.to_string()));
        }
        let (Some(&place), Some(log)) = (self.index.get(&key), &self.log) else {
            return Ok(None);
        };
        let (offset, len) = unpack(place);
        let mut buf = vec![0u8; len];
        log.file.read_exact_at(&mut buf, offset)?;
        let entry: Entry = serde_json::from_slice(&buf).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("corrupt cache entry at byte {offset}: {e}"),
            )
        })?;
        Ok(Some(entry.t))
    }

    /// Record a translation: appended to the log in one write of one line (so a kill never
    /// leaves half a record behind a complete one), or kept in memory without a log.
    pub fn put(&mut self, key: CacheKey, translation: &str) -> std::io::Result<()> {
        if self.contains(key) {
            return Ok(());
        }
        let Some(log) = &mut self.log else {
            self.memory.insert(key, translation.into());
            return Ok(());
        };
        let entry = Entry {
            k: format!("{key:016x}"),
            t: translation.to_string(),
        };
        let mut line = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let len = line.len();
        if len > MAX_LINE {
            return Ok(());
        }
        line.push(b'\n');
        log.file.write_all(&line)?;
        self.index.insert(key, pack(log.end, len));
        log.end += line.len() as u64;
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
