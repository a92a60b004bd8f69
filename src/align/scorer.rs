//! Block costs at one level of the lattice: unit = one sentence (fine) or a run of sentences.
//!
//! Each similarity (embedding cosine, chrF of the source's translation against the target) is
//! calibrated per document so that a typical translation pair maps to 0 and a random pair to 1
//! ("normalized distance"); block cost = distance × sentences per side + a merge penalty, with a
//! fixed cost per skipped unit. The length-only method is classic Gale–Church.

use super::chrf::{chrf, NgramBag};
use super::features::{trigram_vector, SideEmbeddings};
use super::length::{gc_cost, gc_prior_cost};
use super::{AlignConfig, Method};
use std::borrow::Cow;

const TRIGRAM_DIM: usize = 512;
const RANDOM_SAMPLES: usize = 32;

/// A pair of per-side feature tables (source, target).
type Sides<T> = Option<(Vec<T>, Vec<T>)>;

/// Whole-document features shared by all levels and segments.
pub struct DocFeatures<'a> {
    pub src_chars: Vec<f64>,
    pub tgt_chars: Vec<f64>,
    pub ratio: f64,
    pub emb: Option<(&'a SideEmbeddings, &'a SideEmbeddings)>,
    /// chrF bags of runs: `[k - 1][i]` for the source's translation and for the target.
    pub mt_bags: Sides<Vec<NgramBag>>,
    /// Hashed trigram vectors of each translated source and target sentence, row-major.
    pub mt_tri: Sides<f32>,
    /// For every embedded run (`[k - 1][i]`): mean cosine distance to random sentences of the
    /// other side (Vecalign's normalization), source then target.
    pub emb_spread: Sides<Vec<f32>>,
}

/// The next number of a xorshift64 generator (fixed seeds keep alignments reproducible).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Mean `1 − cos` of each run vector of `side` to a fixed sample of the other side's sentences.
fn spread(side: &SideEmbeddings, other: &SideEmbeddings) -> Vec<Vec<f32>> {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let samples: Vec<usize> = (0..RANDOM_SAMPLES.min(other.len))
        .map(|_| (xorshift(&mut rng) % other.len as u64) as usize)
        .collect();
    (1..=side.max_run())
        .map(|k| {
            (0..=side.len.saturating_sub(k))
                .filter_map(|i| side.run(i, k))
                .map(|x| {
                    let sum: f32 = samples
                        .iter()
                        .filter_map(|&j| other.run(j, 1))
                        .map(|y| 1.0 - dot(x, y))
                        .sum();
                    if samples.is_empty() {
                        1.0
                    } else {
                        (sum / samples.len() as f32).max(1e-3)
                    }
                })
                .collect()
        })
        .collect()
}

impl<'a> DocFeatures<'a> {
    /// Compute lengths and n-gram features.
    pub fn new(
        src: &[String],
        tgt: &[String],
        src_mt: Option<&[String]>,
        emb: Option<(&'a SideEmbeddings, &'a SideEmbeddings)>,
        max_side: usize,
    ) -> DocFeatures<'a> {
        let chars =
            |s: &[String]| -> Vec<f64> { s.iter().map(|x| x.chars().count() as f64).collect() };
        let src_chars = chars(src);
        let tgt_chars = chars(tgt);
        let (ts, tt): (f64, f64) = (src_chars.iter().sum(), tgt_chars.iter().sum());
        let ratio = if ts > 0.0 && tt > 0.0 {
            (tt / ts).clamp(0.5, 2.0)
        } else {
            1.0
        };
        let (mt_bags, mt_tri) = match src_mt {
            Some(mt) => {
                // Bags of single sentences, then of runs of 2, … `max_side` sentences.
                let runs = |s: &[String]| -> Vec<Vec<NgramBag>> {
                    let single: Vec<NgramBag> = s.iter().map(|x| NgramBag::new(x)).collect();
                    let sizes = (1..=max_side.max(1)).take_while(|&k| k <= s.len().max(1));
                    sizes
                        .map(|k| single.windows(k).map(NgramBag::merged).collect())
                        .collect()
                };
                let tri = |s: &[String]| -> Vec<f32> {
                    s.iter()
                        .flat_map(|x| trigram_vector(x, TRIGRAM_DIM))
                        .collect()
                };
                (Some((runs(mt), runs(tgt))), Some((tri(mt), tri(tgt))))
            }
            None => (None, None),
        };
        let emb_spread = emb.map(|(s, t)| (spread(s, t), spread(t, s)));
        DocFeatures {
            emb_spread,
            src_chars,
            tgt_chars,
            ratio,
            emb,
            mt_bags,
            mt_tri,
        }
    }
}

/// Unit features of one side at a coarse level.
#[derive(Default)]
struct CoarseSide {
    emb: Vec<f32>,
    tri: Vec<f32>,
}

/// Calibration of one similarity: typical translation pair and random pair values.
#[derive(Debug, Clone, Copy)]
struct Calibration {
    good: f32,
    base: f32,
}

impl Calibration {
    fn distance(&self, s: f32) -> f32 {
        ((self.good - s) / (self.good - self.base)).clamp(-0.5, 1.5)
    }
}

/// Block costs of one segment (`src_off..src_off + n`, `tgt_off..tgt_off + m` sentences) at a
/// level where a unit is `factor` sentences.
pub struct LevelScorer<'d, 'a> {
    doc: &'d DocFeatures<'a>,
    cfg: &'d AlignConfig,
    method: Method,
    factor: usize,
    src_off: usize,
    tgt_off: usize,
    n: usize,
    m: usize,
    /// Units per side at this level.
    pub units: (usize, usize),
    src_len: Vec<f64>,
    tgt_len: Vec<f64>,
    coarse: Option<(CoarseSide, CoarseSide)>,
    cal_emb: Option<Calibration>,
    cal_mt: Option<Calibration>,
    scratch: (Vec<f32>, Vec<f32>),
}

impl<'d, 'a> LevelScorer<'d, 'a> {
    /// Build the scorer of a segment at one level.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        doc: &'d DocFeatures<'a>,
        cfg: &'d AlignConfig,
        method: Method,
        factor: usize,
        src_off: usize,
        n: usize,
        tgt_off: usize,
        m: usize,
    ) -> LevelScorer<'d, 'a> {
        let units = (n.div_ceil(factor), m.div_ceil(factor));
        // Sentences of unit `u` of a side starting at `off` with `len` sentences.
        let unit =
            |off: usize, len: usize, u: usize| off + u * factor..off + ((u + 1) * factor).min(len);
        let sum_units = |lens: &[f64], off: usize, len: usize| -> Vec<f64> {
            let units = 0..len.div_ceil(factor);
            units
                .map(|u| lens[unit(off, len, u)].iter().sum())
                .collect()
        };
        let src_len = sum_units(&doc.src_chars, src_off, n);
        let tgt_len = sum_units(&doc.tgt_chars, tgt_off, m);
        let coarse = (factor > 1).then(|| {
            let side = |emb: Option<&SideEmbeddings>, tri: Option<&Vec<f32>>, off, len| {
                let (mut out, mut acc) = (CoarseSide::default(), Vec::new());
                for u in 0..usize::div_ceil(len, factor) {
                    let r = unit(off, len, u);
                    if let Some(e) = emb {
                        out.emb
                            .extend(sum_rows(&e.runs[0], e.dim, r.clone(), &mut acc));
                    }
                    if let Some(t) = tri {
                        out.tri.extend(sum_rows(t, TRIGRAM_DIM, r, &mut acc));
                    }
                }
                out
            };
            let (src_emb, tgt_emb) = doc.emb.unzip();
            let (src_tri, tgt_tri) = doc.mt_tri.as_ref().map(|(s, t)| (s, t)).unzip();
            let src = side(src_emb, src_tri, src_off, n);
            (src, side(tgt_emb, tgt_tri, tgt_off, m))
        });
        let mut s = LevelScorer {
            doc,
            cfg,
            method,
            factor,
            src_off,
            tgt_off,
            n,
            m,
            units,
            src_len,
            tgt_len,
            coarse,
            cal_emb: None,
            cal_mt: None,
            scratch: (vec![], vec![]),
        };
        if matches!(method, Method::Embed | Method::Auto) && doc.emb.is_some() {
            s.cal_emb = Some(s.calibrate(|s, i, j| s.emb_sim(i, 1, j, 1)));
        }
        if matches!(method, Method::Mt | Method::Auto) && doc.mt_bags.is_some() {
            s.cal_mt = Some(s.calibrate(|s, i, j| s.mt_sim(i, 1, j, 1)));
        }
        s
    }

    fn calibrate(&mut self, mut sim: impl FnMut(&mut Self, usize, usize) -> f32) -> Calibration {
        let (nu, mu) = self.units;
        if nu == 0 || mu == 0 {
            return Calibration {
                good: 1.0,
                base: 0.0,
            };
        }
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |k: usize| (xorshift(&mut rng) % k as u64) as usize;
        let samples = 300.min(nu * mu);
        let mut base = 0f64;
        for _ in 0..samples {
            let (i, j) = (next(nu), next(mu));
            base += sim(self, i, j) as f64;
        }
        let base = (base / samples as f64) as f32;
        let rows = 150.min(nu);
        let w = 4 + mu / 20;
        let mut good = 0f64;
        for r in 0..rows {
            let i = if rows == nu { r } else { next(nu) };
            let c = i * mu / nu;
            let (lo, hi) = (c.saturating_sub(w), (c + w).min(mu - 1));
            let best = (lo..=hi)
                .map(|j| sim(self, i, j))
                .fold(f32::NEG_INFINITY, f32::max);
            good += best as f64;
        }
        let good = ((good / rows as f64) as f32).max(base + 0.05);
        Calibration { good, base }
    }

    fn sentence_range(&self, src: bool, u: usize, k: usize) -> (usize, usize) {
        let (off, len) = if src {
            (self.src_off, self.n)
        } else {
            (self.tgt_off, self.m)
        };
        let a = u * self.factor;
        let b = ((u + k) * self.factor).min(len);
        (off + a, off + b)
    }

    fn emb_sim(&mut self, i: usize, a: usize, j: usize, b: usize) -> f32 {
        let Some((se, te)) = self.doc.emb else {
            return 0.0;
        };
        if let Some((cs, ct)) = &self.coarse {
            let x = sum_rows(&cs.emb, se.dim, i..i + a, &mut self.scratch.0);
            let y = sum_rows(&ct.emb, se.dim, j..j + b, &mut self.scratch.1);
            return cosine(x, y);
        }
        let (s0, s1) = self.sentence_range(true, i, a);
        let (t0, t1) = self.sentence_range(false, j, b);
        match (se.run(s0, s1 - s0), te.run(t0, t1 - t0)) {
            (Some(x), Some(y)) => {
                let c = dot(x, y);
                let spread = self.doc.emb_spread.as_ref().and_then(|(ss, ts)| {
                    Some((
                        *ss.get(s1 - s0 - 1)?.get(s0)?,
                        *ts.get(t1 - t0 - 1)?.get(t0)?,
                    ))
                });
                match spread {
                    // Vecalign: distance relative to each side's distance to random sentences.
                    Some((dx, dy)) => 1.0 - (1.0 - c) / ((dx + dy) / 2.0),
                    None => c,
                }
            }
            _ => {
                let x = sum_rows(&se.runs[0], se.dim, s0..s1, &mut self.scratch.0);
                let y = sum_rows(&te.runs[0], te.dim, t0..t1, &mut self.scratch.1);
                cosine(x, y)
            }
        }
    }

    fn mt_sim(&mut self, i: usize, a: usize, j: usize, b: usize) -> f32 {
        if let Some((cs, ct)) = &self.coarse {
            let x = sum_rows(&cs.tri, TRIGRAM_DIM, i..i + a, &mut self.scratch.0);
            let y = sum_rows(&ct.tri, TRIGRAM_DIM, j..j + b, &mut self.scratch.1);
            return cosine(x, y);
        }
        let doc = self.doc;
        let Some((hb, rb)) = &doc.mt_bags else {
            return 0.0;
        };
        let (s0, s1) = self.sentence_range(true, i, a);
        let (t0, t1) = self.sentence_range(false, j, b);
        // The bag of the run of `k` sentences from `s`: computed beforehand, or merged now.
        let bag = |bags: &'d [Vec<NgramBag>], s: usize, k: usize| -> Cow<'d, NgramBag> {
            match bags.get(k - 1).and_then(|v| v.get(s)) {
                Some(b) => Cow::Borrowed(b),
                None => Cow::Owned(NgramBag::merged(&bags[0][s..s + k])),
            }
        };
        chrf(&bag(hb, s0, s1 - s0), &bag(rb, t0, t1 - t0)) as f32
    }

    /// Normalized distance of a block (0 = typical translation, 1 = random pair).
    fn distance(&mut self, i: usize, a: usize, j: usize, b: usize) -> Option<f32> {
        let mut sum = 0f32;
        let mut k = 0;
        if let Some(c) = self.cal_emb {
            sum += c.distance(self.emb_sim(i, a, j, b));
            k += 1;
        }
        if let Some(c) = self.cal_mt {
            sum += c.distance(self.mt_sim(i, a, j, b));
            k += 1;
        }
        (k > 0).then(|| sum / k as f32)
    }

    fn gc(&self, i: usize, a: usize, j: usize, b: usize) -> f64 {
        let ls: f64 = self.src_len[i..i + a].iter().sum();
        let lt: f64 = self.tgt_len[j..j + b].iter().sum();
        gc_cost(ls, lt, self.doc.ratio)
    }

    /// Cost of aligning units `i..i+a` with `j..j+b` (either may be empty: a skip).
    pub fn cost(&mut self, i: usize, a: usize, j: usize, b: usize) -> f32 {
        let length_only = self.cal_emb.is_none() && self.cal_mt.is_none();
        if length_only {
            let f = self.factor as f64;
            return (self.gc(i, a, j, b) / f.sqrt() + gc_prior_cost(a.min(3), b.min(3))) as f32;
        }
        if a == 0 || b == 0 {
            return self.cfg.skip_cost * (a + b) as f32;
        }
        let d = self.distance(i, a, j, b).unwrap_or(1.0);
        let mut c = d * (a + b) as f32 / 2.0 + self.cfg.merge_penalty * (a + b - 2) as f32;
        if a > 1 && b > 1 {
            c += self.cfg.many_to_many_penalty;
        }
        if self.method == Method::Auto && self.cfg.length_weight > 0.0 {
            c += self.cfg.length_weight * self.gc(i, a, j, b).min(12.0) as f32;
        }
        c
    }

    /// Score in [0, 1] of a chosen block (0 for unaligned sentences).
    pub fn score(&mut self, i: usize, a: usize, j: usize, b: usize) -> f32 {
        if a == 0 || b == 0 {
            return 0.0;
        }
        match self.distance(i, a, j, b) {
            Some(d) => (1.0 - d).clamp(0.0, 1.0),
            // Gale–Church: the two-sided tail probability of the length difference.
            None => (-self.gc(i, a, j, b)).exp() as f32,
        }
    }
}

/// The sum of rows `rows` of `flat` (rows of `dim` values), in `out`.
fn sum_rows<'v>(
    flat: &[f32],
    dim: usize,
    rows: std::ops::Range<usize>,
    out: &'v mut Vec<f32>,
) -> &'v [f32] {
    out.clear();
    out.resize(dim, 0.0);
    for u in rows {
        let row = &flat[u * dim..(u + 1) * dim];
        out.iter_mut().zip(row).for_each(|(p, q)| *p += q);
    }
    out
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + ra.iter().zip(rb).map(|(x, y)| x * y).sum::<f32>()
}

/// Cosine similarity (0 when either vector is zero).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (na, nb) = (dot(a, a), dot(b, b));
    if na <= 0.0 || nb <= 0.0 {
        return 0.0;
    }
    dot(a, b) / (na.sqrt() * nb.sqrt())
}
