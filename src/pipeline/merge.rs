//! `selaras merge`: finished shards in, the corpus an unsharded run would write out.
//!
//! Every shard folder is checked first (completion marker, same settings, same N, same input,
//! every shard present once, no run writing it); on any refusal nothing is written. The
//! documents are then streamed in id order, a k-way merge over the shards' sorted document
//! lists, from the shards' stored results through the very writers `selaras run` uses, so the
//! files are byte-identical to an unsharded run's. Memory holds one id per shard and the
//! writers' bounded counts: it does not grow with the corpus.

use super::completion::{document_list_path, marker_path, Completion};
use super::lock::{FolderLock, LockError};
use super::shard::{shard_of, Shard};
use super::state::load_result;
use crate::sink::{CorpusOptions, Summary};
use crate::text::atomic::{write_atomic, AtomicFile};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};

/// What to merge, and where.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The shard folders (each the `--out` of one `selaras run --shard I/N`).
    pub shards: Vec<PathBuf>,
    /// Output folder of the merged corpus.
    pub out: PathBuf,
    /// Also fold the shards' translation caches into `out/.selaras/translations.jsonl`.
    pub fold_caches: bool,
    /// Merge shards in which some documents failed (they are left out, as a run leaves them).
    pub allow_failed: bool,
}

/// What a merge did.
#[derive(Debug, Default)]
pub struct MergeSummary {
    /// Shards merged.
    pub shards: usize,
    /// Counts of the merged corpus.
    pub corpus: Summary,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Translation-cache lines folded into the merged run state.
    pub cache_lines: u64,
}

/// Why a merge stopped.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The shards cannot be merged as given (nothing was written).
    #[error("{0}")]
    Refused(String),
    /// Reading a shard or writing the output failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// A checked shard folder.
struct ShardDir {
    dir: PathBuf,
    marker: Completion,
    _lock: Option<FolderLock>,
}

/// Merge the shards; see the module documentation.
pub fn merge(options: &MergeOptions) -> Result<MergeSummary, MergeError> {
    let shards = check_shards(options)?;
    let first = &shards[0].marker;
    let out_lock = FolderLock::exclusive(&options.out).map_err(|e| refusal("", e))?;
    // The folder's marker goes while its files change; it is put back if the merge fails
    // before any file is replaced.
    let earlier_marker = std::fs::read(marker_path(&options.out)).ok();
    Completion::clear(&options.out)?;

    let (src, tgt) = first.languages();
    let corpus_options = CorpusOptions::new(&options.out, &src, &tgt);
    let written = MergedIds::open(&shards).and_then(|ids| {
        let docs = ids.map(|next| {
            let (id, shard) = next?;
            load_result(&shards[shard].dir.join(".selaras"), &id).map_err(|e| e.to_string())
        });
        let formats = first.formats.join(",");
        Ok(crate::sink::write_corpus(&formats, &corpus_options, docs)?)
    });
    let (corpus, files) = match written {
        Ok(written) => written,
        Err(e) => {
            if let Some(bytes) = earlier_marker {
                write_atomic(&marker_path(&options.out), &bytes).map_err(anyhow::Error::from)?;
            }
            return Err(e.into());
        }
    };

    let state = options.out.join(".selaras");
    let run_json = std::fs::read(shards[0].dir.join(".selaras/run.json"))
        .unwrap_or_else(|_| serde_json::to_vec_pretty(&first.settings).unwrap_or_default());
    write_atomic(&state.join("run.json"), &run_json).map_err(anyhow::Error::from)?;
    let cache_lines = if options.fold_caches {
        fold_caches(&shards, &state)?
    } else {
        0
    };
    let mut marker = first.clone();
    marker.shard = Shard::WHOLE;
    let failed = shards.iter().map(|s| s.marker.failed).sum();
    let ids = MergedIds::open(&shards)?.map(|n| n.map(|(id, _)| id).map_err(anyhow::Error::msg));
    marker.write(&options.out, ids, failed)?;
    drop(out_lock);
    Ok(MergeSummary {
        shards: shards.len(),
        corpus,
        files,
        cache_lines,
    })
}

/// A busy folder refuses the merge (`prefix` names it); other lock errors fail it.
fn refusal(prefix: &str, e: LockError) -> MergeError {
    match e {
        LockError::Busy { .. } => MergeError::Refused(format!("{prefix}{e}")),
        LockError::Io { .. } => MergeError::Failed(e.into()),
    }
}

/// The top-level settings in which two fingerprints differ, comma-separated.
fn differing_settings(a: &serde_json::Value, b: &serde_json::Value) -> String {
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut all = keys(a);
    all.extend(keys(b));
    all.sort();
    all.dedup();
    let differ: Vec<String> = all.into_iter().filter(|k| a.get(k) != b.get(k)).collect();
    if differ.is_empty() {
        "the fingerprint".into()
    } else {
        differ.join(", ")
    }
}

/// Check every shard folder and their consistency; the shards in index order.
fn check_shards(options: &MergeOptions) -> Result<Vec<ShardDir>, MergeError> {
    let refuse = |m: String| Err(MergeError::Refused(m));
    if options.shards.is_empty() {
        return refuse("no shard folder given".into());
    }
    let out = std::fs::canonicalize(&options.out).ok();
    let mut shards = Vec::new();
    for dir in &options.shards {
        let name = dir.display();
        if !dir.is_dir() {
            return refuse(format!("shard {name}: no such folder"));
        }
        if out.is_some() && std::fs::canonicalize(dir).ok() == out {
            return refuse(format!(
                "shard {name} is also the --out folder; merge into another folder"
            ));
        }
        let lock = FolderLock::shared(dir).map_err(|e| refusal(&format!("shard {name}: "), e))?;
        let marker = match Completion::read(dir).map_err(|e| MergeError::Refused(format!("shard {name}: {e:#}")))? {
            Some(m) => m,
            None => {
                return refuse(format!(
                    "shard {name} is not finished (no .selaras/complete.json): run it again to complete it"
                ))
            }
        };
        if marker.failed > 0 && !options.allow_failed {
            return refuse(format!(
                "shard {name} ({}): {} documents failed; run the shard again, or merge with --allow-failed to leave them out",
                marker.shard, marker.failed
            ));
        }
        shards.push(ShardDir {
            dir: dir.clone(),
            marker,
            _lock: lock,
        });
    }
    let (first, first_name) = (&shards[0].marker, shards[0].dir.display().to_string());
    for shard in &shards[1..] {
        let (m, name) = (&shard.marker, shard.dir.display());
        if m.shard.count != first.shard.count {
            return refuse(format!(
                "shard {name} is shard {} but {first_name} is shard {}: all shards must come from the same N",
                m.shard, first.shard
            ));
        }
        if m.fingerprint != first.fingerprint {
            return refuse(format!(
                "shard {name} was made with other settings than {first_name} (differs in: {})",
                differing_settings(&m.settings, &first.settings)
            ));
        }
        if m.corpus != first.corpus {
            return refuse(format!(
                "shard {name} was cut from a different input ({} documents) than {first_name} ({} documents)",
                m.corpus.documents, first.corpus.documents
            ));
        }
        if m.formats != first.formats {
            return refuse(format!(
                "shard {name} wrote the formats {} but {first_name} wrote {}",
                m.formats.join(","),
                first.formats.join(",")
            ));
        }
    }
    let count = first.shard.count;
    let mut by_index: BTreeMap<u32, ShardDir> = BTreeMap::new();
    for shard in shards {
        let index = shard.marker.shard.index;
        if let Some(other) = by_index.get(&index) {
            return refuse(format!(
                "shard {} is given twice: {} and {}",
                shard.marker.shard,
                other.dir.display(),
                shard.dir.display()
            ));
        }
        by_index.insert(index, shard);
    }
    if let Some(missing) = (0..count).find(|i| !by_index.contains_key(i)) {
        return refuse(format!(
            "shard {missing}/{count} is missing: give all {count} shard folders"
        ));
    }
    Ok(by_index.into_values().collect())
}

/// The shards' document lists merged in id order: (id, shard position), checking that each
/// list is sorted, belongs to its shard and has the length its marker says.
struct MergedIds<'a> {
    shards: &'a [ShardDir],
    lists: Vec<(Lines<BufReader<File>>, usize)>,
    heap: BinaryHeap<Reverse<(String, usize)>>,
    failed: bool,
}

impl<'a> MergedIds<'a> {
    fn open(shards: &'a [ShardDir]) -> anyhow::Result<Self> {
        let mut merged = MergedIds {
            shards,
            lists: Vec::new(),
            heap: BinaryHeap::new(),
            failed: false,
        };
        for shard in shards {
            let path = document_list_path(&shard.dir);
            let file = File::open(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            merged.lists.push((BufReader::new(file).lines(), 0));
        }
        for at in 0..shards.len() {
            if let Some(id) = merged.next_of(at).map_err(anyhow::Error::msg)? {
                merged.heap.push(Reverse((id, at)));
            }
        }
        Ok(merged)
    }

    /// The next id of shard `at`, checked.
    fn next_of(&mut self, at: usize) -> Result<Option<String>, String> {
        let shard = &self.shards[at];
        let path = document_list_path(&shard.dir);
        let (lines, read) = &mut self.lists[at];
        match lines.next() {
            None if *read == shard.marker.documents => Ok(None),
            None => Err(format!(
                "{}: {} documents listed, the marker says {}",
                path.display(),
                read,
                shard.marker.documents
            )),
            Some(Err(e)) => Err(format!("cannot read {}: {e}", path.display())),
            Some(Ok(id)) => {
                *read += 1;
                let Shard { count, index } = shard.marker.shard;
                if shard_of(&id, count) != index {
                    return Err(format!(
                        "{}:{read}: document {id} does not belong to shard {index}/{count}",
                        path.display()
                    ));
                }
                Ok(Some(id))
            }
        }
    }
}

impl Iterator for MergedIds<'_> {
    type Item = Result<(String, usize), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Reverse((id, at)) = self.heap.pop()?;
        match self.next_of(at) {
            Ok(Some(next)) if next <= id => {
                self.failed = true;
                let path = document_list_path(&self.shards[at].dir);
                Some(Err(format!(
                    "{}: documents out of order ({next} after {id})",
                    path.display()
                )))
            }
            Ok(Some(next)) => {
                self.heap.push(Reverse((next, at)));
                Some(Ok((id, at)))
            }
            Ok(None) => Some(Ok((id, at))),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Write the merged translation cache: the output folder's own cache first (nothing is lost),
/// then each shard's, complete lines only. Returns the lines written.
fn fold_caches(shards: &[ShardDir], state: &Path) -> anyhow::Result<u64> {
    const CACHE: &str = "translations.jsonl";
    let mut sources = vec![state.join(CACHE)];
    sources.extend(shards.iter().map(|s| s.dir.join(".selaras").join(CACHE)));
    let mut out = AtomicFile::create(state, CACHE)?;
    let mut lines = 0;
    for path in sources {
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        let (mut reader, mut line) = (BufReader::new(file), Vec::new());
        loop {
            line.clear();
            let n = (reader.read_until(b'\n', &mut line))
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            if n == 0 {
                break;
            }
            if line.ends_with(b"\n") {
                out.write_all(&line)?;
                lines += 1;
            }
        }
    }
    out.commit()?;
    Ok(lines)
}
