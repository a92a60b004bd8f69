//! Character n-gram overlap (chrF-style) between a source's machine translation and the target.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Highest n-gram order.
pub const MAX_ORDER: usize = 6;
const BETA2: f64 = 4.0;

/// Character n-gram counts of one sentence (whitespace removed), keyed by order-tagged hashes.
#[derive(Debug, Clone, Default)]
pub struct NgramBag {
    /// `(key, count)` sorted by key; the key's top 3 bits hold the order − 1.
    pub grams: Vec<(u64, u32)>,
    /// Number of n-grams of each order.
    pub totals: [u32; MAX_ORDER],
}

impl NgramBag {
    /// Count the n-grams of `text` (case kept, whitespace removed, as chrF).
    pub fn new(text: &str) -> NgramBag {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut keys = Vec::new();
        let mut totals = [0u32; MAX_ORDER];
        for n in 1..=MAX_ORDER {
            if chars.len() < n {
                break;
            }
            for w in chars.windows(n) {
                let mut h = DefaultHasher::new();
                w.hash(&mut h);
                keys.push(((h.finish() >> 3) | (((n - 1) as u64) << 61), 1));
            }
            totals[n - 1] = (chars.len() + 1 - n) as u32;
        }
        NgramBag {
            grams: add_up(keys),
            totals,
        }
    }

    /// The bag of several sentences together (n-grams across their boundary are not counted).
    pub fn merged(bags: &[NgramBag]) -> NgramBag {
        if bags.len() == 1 {
            return bags[0].clone();
        }
        let grams = add_up(bags.iter().flat_map(|b| b.grams.iter().copied()).collect());
        let mut totals = [0u32; MAX_ORDER];
        for b in bags {
            for (t, x) in totals.iter_mut().zip(b.totals) {
                *t += x;
            }
        }
        NgramBag { grams, totals }
    }
}

/// `(key, count)` pairs sorted by key, the counts of equal keys added up.
fn add_up(mut all: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    all.sort_unstable_by_key(|g| g.0);
    let mut grams: Vec<(u64, u32)> = Vec::with_capacity(all.len());
    for (k, c) in all {
        match grams.last_mut() {
            Some(last) if last.0 == k => last.1 += c,
            _ => grams.push((k, c)),
        }
    }
    grams
}

/// chrF (β = 2, orders 1–6 averaged) of a hypothesis bag against a reference bag, in [0, 1].
pub fn chrf(hyp: &NgramBag, reference: &NgramBag) -> f64 {
    let mut matches = [0u64; MAX_ORDER];
    let (mut i, mut j) = (0, 0);
    let (h, r) = (&hyp.grams, &reference.grams);
    while i < h.len() && j < r.len() {
        match h[i].0.cmp(&r[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matches[(h[i].0 >> 61) as usize] += h[i].1.min(r[j].1) as u64;
                i += 1;
                j += 1;
            }
        }
    }
    let mut f_sum = 0.0;
    let mut orders = 0;
    for (n, &matched) in matches.iter().enumerate() {
        let (th, tr) = (hyp.totals[n] as f64, reference.totals[n] as f64);
        if th == 0.0 && tr == 0.0 {
            continue;
        }
        orders += 1;
        if th == 0.0 || tr == 0.0 || matched == 0 {
            continue;
        }
        let p = matched as f64 / th;
        let rc = matched as f64 / tr;
        f_sum += (1.0 + BETA2) * p * rc / (BETA2 * p + rc);
    }
    if orders == 0 {
        0.0
    } else {
        f_sum / orders as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_scores_one_and_unrelated_low() {
        let a = NgramBag::new("The cat sat on the mat.");
        assert!((chrf(&a, &a) - 1.0).abs() < 1e-9);
        let b = NgramBag::new("Quarterly revenue grew by 12 percent.");
        assert!(chrf(&a, &b) < 0.3);
        let c = NgramBag::new("The cat sat on a mat.");
        assert!(chrf(&c, &a) > 0.6);
        let e = NgramBag::new("");
        assert_eq!(chrf(&e, &a), 0.0);
        let m = NgramBag::merged(&[a.clone(), b.clone()]);
        assert_eq!(m.totals[0], a.totals[0] + b.totals[0]);
    }
}
