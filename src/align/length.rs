//! Gale–Church length model: how likely two spans are translations given their lengths.

/// Variance of the target length per source character (Gale & Church 1993).
pub const GC_VARIANCE: f64 = 6.8;

/// `−ln P(|δ|)` for spans of `ls` source and `lt` target characters, where
/// `δ = (lt − c·ls) / sqrt(s²·ls_mean)` and `P` is the two-sided normal tail.
/// `ratio` is the expected target/source length ratio `c`.
pub fn gc_cost(ls: f64, lt: f64, ratio: f64) -> f64 {
    if ls == 0.0 && lt == 0.0 {
        return 0.0;
    }
    let mean = (ls + lt / ratio) / 2.0;
    let delta = (lt - ls * ratio) / (GC_VARIANCE * mean.max(1.0)).sqrt();
    let p = 2.0 * (1.0 - normal_cdf(delta.abs()));
    -(p.max(1e-12)).ln()
}

/// Standard normal CDF (Abramowitz & Stegun 26.2.17, error < 7.5e−8).
pub fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let tail = (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
    if x >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Block-type priors of Gale & Church, extended to 2-2 and 3-1; `−ln` of each.
pub fn gc_prior_cost(a: usize, b: usize) -> f64 {
    let p = match (a, b) {
        (1, 1) => 0.89,
        (1, 0) | (0, 1) => 0.0099 / 2.0,
        (2, 1) | (1, 2) => 0.089 / 2.0,
        (2, 2) => 0.011,
        (3, 1) | (1, 3) => 0.002,
        _ => 0.0005,
    };
    -f64::ln(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_lengths_cost_less() {
        assert!(gc_cost(100.0, 100.0, 1.0) < 0.01);
        assert!(gc_cost(100.0, 150.0, 1.0) > gc_cost(100.0, 110.0, 1.0));
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-6);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-3);
        assert!((-gc_cost(50.0, 50.0, 1.0)).exp() > 0.99);
    }
}
