//! Sentence alignment of a source and a target document.
//!
//! [`Aligner::align`] finds the cheapest sequence of blocks (1-1, 2-1, 1-2, 2-2, 3-1, 1-3 and
//! skips by default) with dynamic programming. Scores: Gale–Church lengths, chrF of the source's
//! machine translation against the target (Bleualign's idea), and multilingual sentence
//! embeddings of single sentences and of runs of sentences (Vecalign's overlaps). Long documents
//! are aligned coarse-to-fine: the lattice is solved on runs of sentences, and each finer level
//! searches only a band around the coarser path, so time and memory grow linearly.
//!
//! The work is CPU-bound and synchronous: from async code, call it inside
//! `tokio::task::spawn_blocking`. Embeddings come from [`SideEmbeddings::from_vectors`] (vectors
//! of [`run_texts`]) or [`SideEmbeddings::with_embedder`] (any async [`crate::embed::Embedder`]).

mod chrf;
mod dp;
mod features;
mod length;
mod scorer;
pub mod vecalign;

pub use features::{run_texts, SideEmbeddings};

use dp::{band_around, best_path, Band, Step};
pub use scorer::cosine;
use scorer::{DocFeatures, LevelScorer};

pub use crate::model::Block;

/// Which similarity drives the alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Method {
    /// Every available score: embeddings and/or translation overlap, plus a length term.
    Auto,
    /// Gale–Church sentence lengths only.
    Length,
    /// chrF of the source's machine translation against the target.
    Mt,
    /// Multilingual sentence embeddings.
    Embed,
}

impl std::str::FromStr for Method {
    type Err = String;

    /// `auto`, `length`, `mt` or `embed`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Method::Auto),
            "length" => Ok(Method::Length),
            "mt" => Ok(Method::Mt),
            "embed" => Ok(Method::Embed),
            _ => Err(format!(
                "unknown method '{s}' (expected auto, length, mt or embed)"
            )),
        }
    }
}

/// Aligner settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AlignConfig {
    /// Similarity to use.
    pub method: Method,
    /// Largest block: shapes `a`-`b` with `a, b ≥ 1` and `a + b ≤ max_block + 1`, plus skips.
    pub max_block: usize,
    /// Cost of leaving one sentence unaligned (in normalized-distance units).
    pub skip_cost: f32,
    /// Extra cost per sentence beyond 1-1 in a block.
    pub merge_penalty: f32,
    /// Extra cost of blocks with several sentences on both sides (2-2, …), which otherwise absorb
    /// weak 1-1 pairs into strong neighbours.
    pub many_to_many_penalty: f32,
    /// Weight of the Gale–Church length cost in `auto`.
    pub length_weight: f32,
    /// Join consecutive unaligned sentences of one side into one block (`[3,4]:[]`).
    pub group_unaligned: bool,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            method: Method::Auto,
            max_block: 3,
            skip_cost: 0.5,
            merge_penalty: 0.5,
            many_to_many_penalty: 0.2,
            length_weight: 0.03,
            group_unaligned: true,
        }
    }
}

/// Scores available for a document pair, beyond the sentences themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlignInputs<'a> {
    /// Machine translation of every source sentence (same count as the source).
    pub src_mt: Option<&'a [String]>,
    /// Embeddings of the source sentences and runs (see [`SideEmbeddings`]).
    pub src_emb: Option<&'a SideEmbeddings>,
    /// Embeddings of the target sentences and runs.
    pub tgt_emb: Option<&'a SideEmbeddings>,
    /// Hard anchors `(i, j)`: the first `i` source sentences align with the first `j` target
    /// sentences (e.g. known paragraph boundaries). Must increase on both sides.
    pub anchors: &'a [(usize, usize)],
}

/// Why an alignment could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AlignError {
    /// Inconsistent inputs (counts, anchors, missing scores for the method).
    #[error("{0}")]
    Input(String),
    /// The embedder failed.
    #[error("embedding failed: {0}")]
    Embed(String),
}

/// Lattice cells solved without a band.
const FULL_CELLS: usize = 250_000;
/// Factor between levels of the coarse-to-fine search.
const LEVEL_RATIO: usize = 4;
/// Band half-width (in units of the finer level) around the projected coarser path.
const BAND_WIDTH: usize = 8;

/// Sentence aligner.
#[derive(Debug, Clone, Default)]
pub struct Aligner {
    config: AlignConfig,
}

impl Aligner {
    /// An aligner with the given settings.
    pub fn new(config: AlignConfig) -> Aligner {
        Aligner { config }
    }

    /// The settings.
    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// Longest run of sentences that needs its own embedding for this configuration.
    pub fn max_run(&self) -> usize {
        self.config.max_block.max(1)
    }

    /// Block shapes the dynamic programming may use.
    pub fn block_types(&self) -> Vec<(usize, usize)> {
        let n = self.config.max_block.max(1);
        let mut t = vec![(1, 0), (0, 1)];
        for a in 1..=n {
            for b in 1..=n {
                if a + b <= n + 1 {
                    t.push((a, b));
                }
            }
        }
        t
    }

    /// Align `src` with `tgt`. Blocking and CPU-bound.
    pub fn align(
        &self,
        src: &[String],
        tgt: &[String],
        inputs: &AlignInputs<'_>,
    ) -> Result<Vec<Block>, AlignError> {
        let method = self.config.method;
        if self.config.max_block == 0 || self.config.max_block > 8 {
            return Err(AlignError::Input(format!(
                "max block {} out of range 1..=8",
                self.config.max_block
            )));
        }
        if let Some(mt) = inputs.src_mt {
            if mt.len() != src.len() {
                return Err(AlignError::Input(format!(
                    "the source has {} sentences but its translation has {}",
                    src.len(),
                    mt.len()
                )));
            }
        }
        let emb = match (inputs.src_emb, inputs.tgt_emb) {
            (Some(s), Some(t)) => {
                if s.len != src.len() || t.len != tgt.len() {
                    return Err(AlignError::Input(format!(
                        "embeddings cover {} and {} sentences, the documents have {} and {}",
                        s.len,
                        t.len,
                        src.len(),
                        tgt.len()
                    )));
                }
                if s.dim != t.dim && s.len > 0 && t.len > 0 {
                    return Err(AlignError::Input("embedding dimensions differ".into()));
                }
                Some((s, t))
            }
            (None, None) => None,
            _ => {
                return Err(AlignError::Input(
                    "embeddings given for one side only".into(),
                ))
            }
        };
        match method {
            Method::Embed if emb.is_none() => {
                return Err(AlignError::Input("method embed needs embeddings".into()))
            }
            Method::Mt if inputs.src_mt.is_none() => {
                return Err(AlignError::Input(
                    "method mt needs the source's machine translation".into(),
                ))
            }
            _ => {}
        }
        let mut prev = (0, 0);
        for &(i, j) in inputs.anchors {
            if i > src.len() || j > tgt.len() || i < prev.0 || j < prev.1 {
                return Err(AlignError::Input(format!(
                    "anchor ({i}, {j}) is out of order or outside the documents ({} × {})",
                    src.len(),
                    tgt.len()
                )));
            }
            prev = (i, j);
        }
        let doc = DocFeatures::new(src, tgt, inputs.src_mt, emb, self.config.max_block);
        let mut cuts: Vec<(usize, usize)> = vec![(0, 0)];
        cuts.extend(inputs.anchors.iter().copied());
        cuts.push((src.len(), tgt.len()));
        cuts.dedup();
        let mut blocks = Vec::new();
        for w in cuts.windows(2) {
            let (s0, t0) = w[0];
            let (s1, t1) = w[1];
            self.align_segment(&doc, s0, s1 - s0, t0, t1 - t0, &mut blocks)?;
        }
        if self.config.group_unaligned {
            blocks = group_unaligned(blocks);
        }
        Ok(blocks)
    }

    fn align_segment(
        &self,
        doc: &DocFeatures<'_>,
        s0: usize,
        n: usize,
        t0: usize,
        m: usize,
        out: &mut Vec<Block>,
    ) -> Result<(), AlignError> {
        let types = self.block_types();
        let method = self.config.method;
        // Levels: factor 1, 4, 16, … until the coarsest lattice is small enough to solve whole.
        let mut factors = vec![1usize];
        while {
            let f = *factors.last().unwrap_or(&1);
            n.div_ceil(f).saturating_add(1) * m.div_ceil(f).saturating_add(1) > FULL_CELLS
        } {
            let f = factors.last().copied().unwrap_or(1) * LEVEL_RATIO;
            factors.push(f);
        }
        let mut path: Option<Vec<Step>> = None;
        let mut scorer = None;
        for &f in factors.iter().rev() {
            let mut sc = LevelScorer::new(doc, &self.config, method, f, s0, n, t0, m);
            let (nu, mu) = sc.units;
            let band = match &path {
                None => Band::full(nu, mu),
                Some(p) => band_around(p, LEVEL_RATIO, nu, mu, BAND_WIDTH),
            };
            let mut cost = |i: usize, a: usize, j: usize, b: usize| sc.cost(i, a, j, b);
            let p = best_path(nu, mu, &types, &band, &mut cost).ok_or_else(|| {
                AlignError::Input("no alignment path fits the search band".into())
            })?;
            path = Some(p);
            scorer = Some(sc);
        }
        let (Some(path), Some(mut sc)) = (path, scorer) else {
            return Ok(());
        };
        for st in path {
            out.push(Block {
                src: (s0 + st.i..s0 + st.i + st.a).collect(),
                tgt: (t0 + st.j..t0 + st.j + st.b).collect(),
                score: sc.score(st.i, st.a, st.j, st.b),
            });
        }
        Ok(())
    }
}

/// Join runs of unaligned sentences: all source-only and all target-only sentences of a run of
/// skip blocks become one block per side.
fn group_unaligned(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending_src: Vec<usize> = vec![];
    let mut pending_tgt: Vec<usize> = vec![];
    let flush = |out: &mut Vec<Block>, s: &mut Vec<usize>, t: &mut Vec<usize>| {
        if !s.is_empty() {
            out.push(Block {
                src: std::mem::take(s),
                tgt: vec![],
                score: 0.0,
            });
        }
        if !t.is_empty() {
            out.push(Block {
                src: vec![],
                tgt: std::mem::take(t),
                score: 0.0,
            });
        }
    };
    for b in blocks {
        if b.tgt.is_empty() {
            pending_src.extend(b.src);
        } else if b.src.is_empty() {
            pending_tgt.extend(b.tgt);
        } else {
            flush(&mut out, &mut pending_src, &mut pending_tgt);
            out.push(b);
        }
    }
    flush(&mut out, &mut pending_src, &mut pending_tgt);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn check_cover(blocks: &[Block], n: usize, m: usize) {
        let src: Vec<usize> = blocks.iter().flat_map(|b| b.src.clone()).collect();
        let tgt: Vec<usize> = blocks.iter().flat_map(|b| b.tgt.clone()).collect();
        assert_eq!(src, (0..n).collect::<Vec<_>>());
        assert_eq!(tgt, (0..m).collect::<Vec<_>>());
    }

    #[test]
    fn mt_method_finds_a_merge_and_a_deletion() {
        let tgt = s(&[
            "The meeting starts at nine in the morning.",
            "Bring your own laptop and a charger, and do not forget the power adapter.",
            "Lunch will be served in the main hall.",
            "Parking is free for all visitors.",
        ]);
        let src = s(&["a", "b", "c", "x", "d", "e"]);
        let mt = s(&[
            "The meeting starts at nine in the morning.",
            "Bring your own laptop and a charger,",
            "and do not forget the power adapter.",
            "Completely unrelated sentence about elephants in zoos.",
            "Lunch will be served in the main hall.",
            "Parking is free for all visitors.",
        ]);
        let aligner = Aligner::new(AlignConfig {
            method: Method::Mt,
            ..AlignConfig::default()
        });
        let blocks = aligner
            .align(
                &src,
                &tgt,
                &AlignInputs {
                    src_mt: Some(&mt),
                    ..Default::default()
                },
            )
            .unwrap();
        check_cover(&blocks, 6, 4);
        let shapes: Vec<(Vec<usize>, Vec<usize>)> = blocks
            .iter()
            .map(|b| (b.src.clone(), b.tgt.clone()))
            .collect();
        assert_eq!(
            shapes,
            vec![
                (vec![0], vec![0]),
                (vec![1, 2], vec![1]),
                (vec![3], vec![]),
                (vec![4], vec![2]),
                (vec![5], vec![3]),
            ]
        );
    }

    #[test]
    fn empty_sides_and_bad_inputs() {
        let a = Aligner::new(AlignConfig {
            method: Method::Length,
            ..AlignConfig::default()
        });
        let none: Vec<String> = vec![];
        assert!(a
            .align(&none, &none, &AlignInputs::default())
            .unwrap()
            .is_empty());
        let b = a
            .align(&s(&["x", "y"]), &none, &AlignInputs::default())
            .unwrap();
        check_cover(&b, 2, 0);
        let b = a.align(&none, &s(&["x"]), &AlignInputs::default()).unwrap();
        check_cover(&b, 0, 1);
        let bad = AlignInputs {
            anchors: &[(5, 1)],
            ..Default::default()
        };
        assert!(a.align(&s(&["x"]), &s(&["y"]), &bad).is_err());
        let mt = s(&["only one"]);
        let bad = AlignInputs {
            src_mt: Some(&mt),
            ..Default::default()
        };
        assert!(a.align(&s(&["x", "y"]), &s(&["y"]), &bad).is_err());
        let e = Aligner::new(AlignConfig {
            method: Method::Embed,
            ..AlignConfig::default()
        });
        assert!(e
            .align(&s(&["x"]), &s(&["y"]), &AlignInputs::default())
            .is_err());
    }

    #[test]
    fn anchors_split_the_problem() {
        let a = Aligner::new(AlignConfig {
            method: Method::Length,
            ..AlignConfig::default()
        });
        let src = s(&["aaaa", "bbbbbbbbbbbb", "cc", "dddddd"]);
        let tgt = s(&["aaaa", "bbbbbbbbbbbb", "cc", "dddddd"]);
        let inputs = AlignInputs {
            anchors: &[(2, 2)],
            ..Default::default()
        };
        let b = a.align(&src, &tgt, &inputs).unwrap();
        check_cover(&b, 4, 4);
        assert!(b
            .iter()
            .all(|b| b.src.iter().all(|&i| i < 2) == b.tgt.iter().all(|&j| j < 2)));
    }

    #[test]
    fn long_documents_use_the_banded_search() {
        // 1500 × 1400 with deletions: beyond FULL_CELLS, so coarse-to-fine levels run.
        let mut src = vec![];
        let mut tgt = vec![];
        let mut x = 12345u32;
        for i in 0..1500 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let len = 20 + (x >> 16) as usize % 120;
            src.push("a".repeat(len));
            if i % 15 != 7 {
                tgt.push("b".repeat(len * 11 / 10));
            }
        }
        let a = Aligner::new(AlignConfig {
            method: Method::Length,
            ..AlignConfig::default()
        });
        let b = a.align(&src, &tgt, &AlignInputs::default()).unwrap();
        check_cover(&b, src.len(), tgt.len());
        let ones = b
            .iter()
            .filter(|b| b.src.len() == 1 && b.tgt.len() == 1)
            .count();
        assert!(ones > 1200, "{ones} 1-1 blocks");
    }
}
