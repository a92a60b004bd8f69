//! Precision, recall and F1 from counts.

use std::fmt;

/// True positive, false positive and false negative counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and in the gold.
    pub tp: usize,
    /// Predicted but not in the gold.
    pub fp: usize,
    /// In the gold but not predicted.
    pub fn_: usize,
}

impl Counts {
    /// Add another set of counts.
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// Precision (1 when nothing was predicted and nothing was expected).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp, self.fn_ == 0)
    }

    /// Recall (1 when nothing was expected and nothing was predicted).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_, self.fp == 0)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize, empty_is_perfect: bool) -> f64 {
    match den {
        0 if empty_is_perfect => 1.0,
        0 => 0.0,
        _ => num as f64 / den as f64,
    }
}

impl fmt::Display for Counts {
    /// The score line: `P 0.xxxx R 0.xxxx F1 0.xxxx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.4} R {:.4} F1 {:.4}",
            self.precision(),
            self.recall(),
            self.f1()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let c = Counts {
            tp: 8,
            fp: 2,
            fn_: 0,
        };
        assert_eq!(c.to_string(), "P 0.8000 R 1.0000 F1 0.8889");
        assert_eq!(Counts::default().f1(), 1.0);
    }
}
