//! Strict block precision, recall and F1 of an alignment against gold, as Vecalign's scorer:
//! precision counts every predicted block (unaligned ones included) that exactly matches a gold
//! block; recall counts gold blocks with sentences on both sides found exactly in the prediction.

use crate::model::Block;
use std::collections::HashSet;

/// Counts summed over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignCounts {
    /// Predicted blocks that match a gold block.
    pub precision_hits: usize,
    /// Predicted blocks (non-empty).
    pub predicted: usize,
    /// Gold 1+:1+ blocks found among the predicted 1+:1+ blocks.
    pub recall_hits: usize,
    /// Gold blocks with sentences on both sides.
    pub gold_links: usize,
}

type Key = (Vec<usize>, Vec<usize>);

fn keys<'a>(blocks: &'a [Block], links_only: bool) -> HashSet<Key> {
    blocks
        .iter()
        .filter(|b| !(b.src.is_empty() && b.tgt.is_empty()))
        .filter(|b| !links_only || (!b.src.is_empty() && !b.tgt.is_empty()))
        .map(|b: &'a Block| (b.src.clone(), b.tgt.clone()))
        .collect()
}

impl AlignCounts {
    /// Score one document.
    pub fn of(gold: &[Block], pred: &[Block]) -> AlignCounts {
        let gold_all = keys(gold, false);
        let pred_all = keys(pred, false);
        let gold_links = keys(gold, true);
        let pred_links = keys(pred, true);
        AlignCounts {
            precision_hits: pred_all.intersection(&gold_all).count(),
            predicted: pred_all.len(),
            recall_hits: gold_links.intersection(&pred_links).count(),
            gold_links: gold_links.len(),
        }
    }

    /// Add another document's counts.
    pub fn add(&mut self, o: AlignCounts) {
        self.precision_hits += o.precision_hits;
        self.predicted += o.predicted;
        self.recall_hits += o.recall_hits;
        self.gold_links += o.gold_links;
    }

    /// Precision, recall and F1 (0 when undefined).
    pub fn prf(&self) -> (f64, f64, f64) {
        let div = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = div(self.precision_hits, self.predicted);
        let r = div(self.recall_hits, self.gold_links);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    /// The summary line: `P 0.9500 R 0.9400 F1 0.9450`.
    pub fn summary(&self) -> String {
        let (p, r, f) = self.prf();
        format!("P {p:.4} R {r:.4} F1 {f:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &[usize], t: &[usize]) -> Block {
        Block {
            src: s.to_vec(),
            tgt: t.to_vec(),
            score: 0.0,
        }
    }

    #[test]
    fn strict_scores_follow_vecalign() {
        let gold = vec![b(&[0], &[0]), b(&[1, 2], &[1]), b(&[3], &[])];
        let pred = vec![b(&[0], &[0]), b(&[1], &[1]), b(&[2], &[]), b(&[3], &[])];
        let c = AlignCounts::of(&gold, &pred);
        assert_eq!(c.precision_hits, 2);
        assert_eq!(c.predicted, 4);
        assert_eq!(c.recall_hits, 1);
        assert_eq!(c.gold_links, 2);
        let (p, r, f) = c.prf();
        assert!((p - 0.5).abs() < 1e-9 && (r - 0.5).abs() < 1e-9 && (f - 0.5).abs() < 1e-9);
        assert_eq!(
            AlignCounts::of(&gold, &gold).summary(),
            "P 1.0000 R 1.0000 F1 1.0000"
        );
        assert_eq!(AlignCounts::default().prf(), (0.0, 0.0, 0.0));
    }
}
