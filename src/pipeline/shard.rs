//! Shards: which part of a corpus one `selaras run --shard I/N` handles.
//!
//! A document belongs to shard `hash(id) mod N`, with the first 64 bits of SHA-256 over its
//! id: the same document always lands in the same shard, whatever else the input holds, so
//! adding articles never moves existing ones. `auto` takes `I` and `N` from the job scheduler:
//! `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT` (Slurm job arrays) or
//! `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs, which need `--shard-count`).

use sha2::{Digest, Sha256};

/// One shard of `count`: `index` is 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// This shard's number, `0..count`.
    pub index: u32,
    /// How many shards the corpus is split into.
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard of a document id among `count` shards (`count` ≥ 1).
pub fn shard_of(id: &str, count: u32) -> u32 {
    let digest = Sha256::digest(id.as_bytes());
    let head = u64::from_be_bytes(digest[..8].try_into().expect("SHA-256 has 32 bytes"));
    (head % u64::from(count.max(1))) as u32
}

impl Shard {
    /// The whole corpus as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parse `I/N` (0 ≤ I < N).
    pub fn parse(spec: &str) -> Result<Shard, String> {
        let bad = |why: &str| {
            format!("bad shard `{spec}`: {why} (expected I/N with 0 ≤ I < N, e.g. 0/4)")
        };
        let (i, n) = spec.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let index: u32 = i.trim().parse().map_err(|_| bad("I is not a number"))?;
        let count: u32 = n.trim().parse().map_err(|_| bad("N is not a number"))?;
        if count == 0 {
            return Err(bad("N must be at least 1"));
        }
        if index >= count {
            return Err(bad("I must be smaller than N"));
        }
        Ok(Shard { index, count })
    }

    /// The shard given by the job scheduler's environment (`lookup` reads a variable):
    /// `SLURM_ARRAY_TASK_ID` with `count` or `SLURM_ARRAY_TASK_COUNT`, else
    /// `JOB_COMPLETION_INDEX` with `count`.
    pub fn from_env(
        lookup: impl Fn(&str) -> Option<String>,
        count: Option<u32>,
    ) -> Result<Shard, String> {
        let number = |name: &str| -> Result<Option<u32>, String> {
            match lookup(name) {
                None => Ok(None),
                Some(v) => (v.trim().parse().map(Some))
                    .map_err(|_| format!("{name}={v:?} is not a shard number")),
            }
        };
        let (index, from, count) = if let Some(i) = number("SLURM_ARRAY_TASK_ID")? {
            let count = match count {
                Some(n) => n,
                None => number("SLURM_ARRAY_TASK_COUNT")?.ok_or(
                    "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give --shard-count",
                )?,
            };
            (i, "SLURM_ARRAY_TASK_ID", count)
        } else if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            let count =
                count.ok_or("--shard auto with JOB_COMPLETION_INDEX needs --shard-count")?;
            (i, "JOB_COMPLETION_INDEX", count)
        } else {
            return Err(
                "--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set".into(),
            );
        };
        Shard::parse(&format!("{index}/{count}")).map_err(|e| format!("{from}: {e}"))
    }

    /// Whether the document `id` belongs to this shard.
    pub fn contains(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_good_specs_and_names_bad_ones() {
        assert_eq!(Shard::parse("3/4"), Ok(Shard { index: 3, count: 4 }));
        assert_eq!(Shard::parse("0/1"), Ok(Shard::WHOLE));
        for (spec, why) in [
            ("3/2", "smaller than N"),
            ("2/2", "smaller than N"),
            ("0/0", "at least 1"),
            ("a/b", "I is not a number"),
            ("1/b", "N is not a number"),
            ("-1/2", "I is not a number"),
            ("12", "no `/`"),
        ] {
            let err = Shard::parse(spec).unwrap_err();
            assert!(err.contains(spec) && err.contains(why), "{spec}: {err}");
        }
    }

    #[test]
    fn auto_reads_slurm_then_kubernetes() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                (pairs.iter())
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_env(slurm, None),
            Ok(Shard { index: 2, count: 4 })
        );
        // A re-submitted subset has a smaller task count: --shard-count wins.
        let subset = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ]);
        assert_eq!(
            Shard::from_env(subset, Some(4)),
            Ok(Shard { index: 2, count: 4 })
        );
        assert!(Shard::from_env(subset, None)
            .unwrap_err()
            .contains("smaller than N"));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "1")]);
        assert_eq!(
            Shard::from_env(k8s, Some(3)),
            Ok(Shard { index: 1, count: 3 })
        );
        assert!(Shard::from_env(k8s, None)
            .unwrap_err()
            .contains("--shard-count"));
        assert!(Shard::from_env(env(&[]), Some(2))
            .unwrap_err()
            .contains("neither"));
        let junk = env(&[
            ("SLURM_ARRAY_TASK_ID", "x"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert!(Shard::from_env(junk, None).unwrap_err().contains("\"x\""));
    }

    #[test]
    fn assignment_is_stable_balanced_and_exclusive() {
        let ids: Vec<String> = (0..10_000)
            .map(|i| format!("berita/2024/artikel-{i}"))
            .collect();
        // ±5 % is about 3 standard deviations of a uniform spread at 4 shards of 10k ids.
        for count in [2u32, 3, 4] {
            let mut sizes = vec![0usize; count as usize];
            for id in &ids {
                let shard = shard_of(id, count);
                sizes[shard as usize] += 1;
                let owners = (0..count)
                    .filter(|&index| Shard { index, count }.contains(id))
                    .count();
                assert_eq!(owners, 1, "{id} in {owners} shards of {count}");
            }
            let expected = ids.len() as f64 / f64::from(count);
            for (shard, size) in sizes.iter().enumerate() {
                let off = (*size as f64 - expected).abs() / expected;
                assert!(
                    off <= 0.05,
                    "shard {shard}/{count}: {size} documents, {off:.3} off"
                );
            }
        }
        // Stable across versions: the first 64 bits of SHA-256, big-endian, mod N (the same
        // numbers as Python's `int.from_bytes(sha256(id).digest()[:8], "big") % N`).
        assert_eq!(
            [shard_of("berita/a", 7), shard_of("berita/a", 1000)],
            [3, 268]
        );
        assert_eq!(
            [shard_of("artikel-7", 4), shard_of("artikel-7", 1000)],
            [1, 621]
        );
        assert_eq!(shard_of("berita/a", 1), 0);
    }
}
