//! Which matrix-multiplication kernels CTranslate2 runs on: Intel MKL for float32, and for the
//! 8-bit types what CTranslate2 picks itself (MKL on Intel CPUs, ruy on others).
//!
//! CTranslate2 uses MKL only on Intel CPUs unless the `CT2_USE_MKL` variable says otherwise, and
//! reads it once per process, when the first model is loaded. MKL's float32 kernels are the
//! fastest built in on other CPUs too, and give the same translations as the Python wheel's
//! kernels; its 8-bit kernels are many times slower than ruy's there (BENCHMARKS.md, "CTranslate2
//! GEMM"). So a process whose first model computes in float32 asks for MKL; the variable, when
//! set, wins.

use super::ComputeType;
use std::sync::Once;

/// The variable CTranslate2 reads to use (`1`) or not use (`0`) Intel MKL.
pub const USE_MKL_VAR: &str = "CT2_USE_MKL";

/// The value to give [`USE_MKL_VAR`] for a first model computing in `compute_type`, when the
/// variable is `current` (`None`: unset); `None` leaves it as it is.
pub fn use_mkl_setting(compute_type: ComputeType, current: Option<&str>) -> Option<&'static str> {
    match (current, compute_type) {
        (None, ComputeType::Float32) => Some("1"),
        _ => None,
    }
}

/// Set [`USE_MKL_VAR`] for the process's first model (see the module documentation); later
/// calls do nothing, as CTranslate2 has read the variable by then.
pub fn choose_for_process(compute_type: ComputeType) {
    static FIRST: Once = Once::new();
    FIRST.call_once(|| {
        let current = std::env::var(USE_MKL_VAR).ok();
        if let Some(value) = use_mkl_setting(compute_type, current.as_deref()) {
            std::env::set_var(USE_MKL_VAR, value);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float32_asks_for_mkl_unless_the_variable_is_set() {
        assert_eq!(use_mkl_setting(ComputeType::Float32, None), Some("1"));
        assert_eq!(use_mkl_setting(ComputeType::Float32, Some("0")), None);
        for other in [
            ComputeType::Int8,
            ComputeType::Int8Float32,
            ComputeType::Default,
            ComputeType::Auto,
        ] {
            assert_eq!(use_mkl_setting(other, None), None, "{other}");
        }
    }
}
