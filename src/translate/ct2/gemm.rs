//! Which matrix-multiplication kernels CTranslate2 runs on: Intel MKL for float32, and for the
//! 8-bit types what CTranslate2 picks itself (MKL on Intel CPUs, ruy on others).
//!
//! CTranslate2 uses MKL only on Intel CPUs unless the `CT2_USE_MKL` variable says otherwise, and
//! reads it once, while the program starts (a static initializer, before `main`): a process that
//! wants MKL must be started with the variable set (`selaras` restarts itself with it). MKL's
//! float32 kernels are the fastest built in on other CPUs too and give the same translations as
//! the Python wheel's; its 8-bit kernels are many times slower than ruy's there (BENCHMARKS.md,
//! "CTranslate2 backend"). The variable, when set by the user, wins.

use super::ComputeType;

/// The variable CTranslate2 reads to use (`1`) or not use (`0`) Intel MKL.
pub const USE_MKL_VAR: &str = "CT2_USE_MKL";

/// The variable CTranslate2 reads to pre-pack the weights for MKL (`1`, its default) or not (`0`).
/// Pre-packed weights crash (SIGSEGV) with two or more replicas over the sequential MKL linked
/// here, and gain little (8 % on one replica): selaras turns them off.
pub const PACKED_GEMM_VAR: &str = "CT2_PACKED_GEMM";

/// The variables a process translating in `compute_type` should start with, given how they are
/// set now (`current`): MKL, without pre-packed weights, for float32; nothing for the 8-bit types,
/// or when the user set [`USE_MKL_VAR`].
pub fn start_env(
    compute_type: ComputeType,
    current: impl Fn(&str) -> Option<String>,
) -> Vec<(&'static str, &'static str)> {
    if compute_type != ComputeType::Float32 || current(USE_MKL_VAR).is_some() {
        return Vec::new();
    }
    let mut env = vec![(USE_MKL_VAR, "1")];
    if current(PACKED_GEMM_VAR).is_none() {
        env.push((PACKED_GEMM_VAR, "0"));
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float32_asks_for_unpacked_mkl_unless_the_user_chose() {
        let unset = |_: &str| None;
        assert_eq!(
            start_env(ComputeType::Float32, unset),
            vec![(USE_MKL_VAR, "1"), (PACKED_GEMM_VAR, "0")]
        );
        let mkl_off = |v: &str| (v == USE_MKL_VAR).then(|| "0".to_string());
        assert!(start_env(ComputeType::Float32, mkl_off).is_empty());
        let packed = |v: &str| (v == PACKED_GEMM_VAR).then(|| "1".to_string());
        assert_eq!(
            start_env(ComputeType::Float32, packed),
            vec![(USE_MKL_VAR, "1")]
        );
        for other in [
            ComputeType::Int8,
            ComputeType::Int8Float32,
            ComputeType::Default,
            ComputeType::Auto,
        ] {
            assert!(start_env(other, unset).is_empty(), "{other}");
        }
    }
}
