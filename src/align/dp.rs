//! Dynamic programming over the alignment lattice, restricted to a band of cells.
//!
//! Cell `(i, j)` means "the first `i` source and `j` target units are aligned". A band gives, for
//! every row `i`, the allowed columns `lo[i]..=hi[i]`; memory and time are linear in the band's
//! area. [`band_around`] widens a coarser level's path into the band of the next finer level.

#![allow(clippy::needless_range_loop)] // index loops mirror the math

/// Allowed columns for every row `0..=n` of the lattice.
#[derive(Debug, Clone)]
pub struct Band {
    /// First allowed column of each row.
    pub lo: Vec<usize>,
    /// Last allowed column of each row.
    pub hi: Vec<usize>,
}

impl Band {
    /// Every cell of an `(n + 1) × (m + 1)` lattice.
    pub fn full(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
        }
    }
}

/// A block of the best path: `a` units from `i`, `b` units from `j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// First source unit.
    pub i: usize,
    /// Source units.
    pub a: usize,
    /// First target unit.
    pub j: usize,
    /// Target units.
    pub b: usize,
}

/// Cheapest path from `(0, 0)` to `(n, m)` inside `band`, using block shapes `types` (each
/// `(a, b)` with `a + b ≥ 1`) and `cost(i, a, j, b)`. Returns `None` when no path fits the band.
pub fn best_path(
    n: usize,
    m: usize,
    types: &[(usize, usize)],
    band: &Band,
    cost: &mut dyn FnMut(usize, usize, usize, usize) -> f32,
) -> Option<Vec<Step>> {
    let mut offset = Vec::with_capacity(n + 2);
    let mut total = 0usize;
    for (lo, hi) in band.lo.iter().zip(&band.hi) {
        offset.push(total);
        total += hi + 1 - lo;
    }
    let mut best = vec![f32::INFINITY; total];
    let mut back = vec![u8::MAX; total];
    let cell = |i: usize, j: usize| -> Option<usize> {
        (band.lo[i]..=band.hi[i])
            .contains(&j)
            .then(|| offset[i] + j - band.lo[i])
    };
    best[cell(0, 0)?] = 0.0;
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = offset[i] + j - band.lo[i];
            if i == 0 && j == 0 {
                continue;
            }
            let mut acc = f32::INFINITY;
            let mut arg = u8::MAX;
            for (k, &(a, b)) in types.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(prev) = cell(i - a, j - b) else {
                    continue;
                };
                let p = best[prev];
                if !p.is_finite() {
                    continue;
                }
                let c = p + cost(i - a, a, j - b, b);
                if c < acc {
                    acc = c;
                    arg = k as u8;
                }
            }
            best[here] = acc;
            back[here] = arg;
        }
    }
    let end = cell(n, m)?;
    if !best[end].is_finite() {
        return None;
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let k = back[cell(i, j)?];
        let (a, b) = *types.get(k as usize)?;
        i -= a;
        j -= b;
        steps.push(Step { i, a, j, b });
    }
    steps.reverse();
    Some(steps)
}

/// The band of a level `ratio` times finer than the level of `path` (whose lattice was
/// `ceil(n / ratio)` × `ceil(m / ratio)`), widened by `width` cells on every side.
pub fn band_around(path: &[Step], ratio: usize, n: usize, m: usize, width: usize) -> Band {
    let mut lo = vec![usize::MAX; n + 1];
    let mut hi = vec![0usize; n + 1];
    let mut mark = |i0: usize, i1: usize, j0: usize, j1: usize| {
        let (i0, i1) = ((i0 * ratio).min(n), (i1 * ratio).min(n));
        let (j0, j1) = ((j0 * ratio).min(m), (j1 * ratio).min(m));
        for i in i0..=i1 {
            lo[i] = lo[i].min(j0);
            hi[i] = hi[i].max(j1);
        }
    };
    mark(0, 0, 0, 0);
    for s in path {
        mark(s.i, s.i + s.a, s.j, s.j + s.b);
    }
    let (end_i, end_j) = (n.div_ceil(ratio), m.div_ceil(ratio));
    mark(end_i, end_i, end_j, end_j);
    // Rows the path never touched inherit their neighbours (cannot happen for a complete path).
    for i in 1..=n {
        if lo[i] == usize::MAX {
            lo[i] = lo[i - 1];
            hi[i] = hi[i - 1];
        }
    }
    // Widen: every row takes the union of the rows within `width`, plus `width` columns.
    let mut out_lo = vec![0; n + 1];
    let mut out_hi = vec![0; n + 1];
    for i in 0..=n {
        let a = i.saturating_sub(width);
        let b = (i + width).min(n);
        let l = lo[a..=b].iter().min().copied().unwrap_or(0);
        let h = hi[a..=b].iter().max().copied().unwrap_or(m);
        out_lo[i] = l.saturating_sub(width);
        out_hi[i] = (h + width).min(m);
    }
    out_lo[0] = 0;
    out_hi[n] = m;
    Band {
        lo: out_lo,
        hi: out_hi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [(usize, usize); 5] = [(1, 0), (0, 1), (1, 1), (2, 1), (1, 2)];

    #[test]
    fn finds_the_diagonal_and_a_merge() {
        // Cost 0 for 1-1 on the diagonal, except that source 2+3 go to target 2.
        let mut cost = |i: usize, a: usize, j: usize, b: usize| -> f32 {
            match (a, b) {
                (1, 0) | (0, 1) => 1.0,
                (1, 1) if (i < 2 && i == j) || (i >= 4 && i == j + 1) => 0.0,
                (2, 1) if i == 2 && j == 2 => 0.1,
                _ => 3.0,
            }
        };
        let path = best_path(6, 5, &TYPES, &Band::full(6, 5), &mut cost).unwrap();
        let shapes: Vec<(usize, usize)> = path.iter().map(|s| (s.a, s.b)).collect();
        assert_eq!(shapes, vec![(1, 1), (1, 1), (2, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn band_covers_the_projected_path_and_corners() {
        let step = |i, a, j, b| Step { i, a, j, b };
        let coarse = vec![step(0, 1, 0, 1), step(1, 1, 1, 1)];
        let band = band_around(&coarse, 4, 7, 8, 1);
        assert_eq!(band.lo[0], 0);
        assert_eq!(band.hi[7], 8);
        for i in 0..=7 {
            assert!(band.lo[i] <= band.hi[i]);
            assert!(band.lo[i] <= i + 1 && band.hi[i] + 1 >= i);
        }
        let mut cost = |_: usize, _: usize, _: usize, _: usize| 1.0f32;
        assert!(best_path(7, 8, &TYPES, &band, &mut cost).is_some());
    }

    #[test]
    fn empty_lattices() {
        let mut cost = |_: usize, _: usize, _: usize, _: usize| 1.0f32;
        assert_eq!(
            best_path(0, 0, &TYPES, &Band::full(0, 0), &mut cost),
            Some(vec![])
        );
        assert_eq!(
            best_path(0, 2, &TYPES, &Band::full(0, 2), &mut cost)
                .unwrap()
                .len(),
            2
        );
    }
}
