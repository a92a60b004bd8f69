//! Numeric kernels: int8 activation quantization and the int8 × int4 matrix product.
//!
//! Activations are quantized per 32-value block to int8 (scale `max|x|/127`, round half to even),
//! weights stay 4-bit; each output is `Σ_blocks d_w·d_a·(⟨w, a⟩ − 8·Σa)`. The x86-64 paths use
//! AVX-512 VNNI or AVX2 when the CPU has them (checked at run time), with a portable fallback.

#![allow(clippy::needless_range_loop)] // index loops mirror the math

use super::format::{f16_to_f32, Q4_BLOCK_BYTES, QK};

/// A Q4_0 weight matrix `[nout, nin]`, nibbles expanded to bytes (0..=15) once at load time.
pub struct QMatrix {
    /// Output rows.
    pub nout: usize,
    /// Input columns (multiple of 32).
    pub nin: usize,
    /// `nout * nin` unsigned nibble values.
    w: Vec<u8>,
    /// `nout * nin/32` block scales.
    d: Vec<f32>,
    /// Block scales duplicated 16 lanes per block pair (AVX-512 layout), `nout * nin/64 * 16`.
    d16: Vec<f32>,
}

impl QMatrix {
    /// Expand raw Q4_0 blocks (`nout * nin / 32` of them, 18 bytes each).
    pub fn from_q4(raw: &[u8], nout: usize, nin: usize) -> QMatrix {
        let nb = nin / QK;
        let mut w = vec![0u8; nout * nin];
        let mut d = vec![0f32; nout * nb];
        for (bi, blk) in raw.chunks_exact(Q4_BLOCK_BYTES).take(nout * nb).enumerate() {
            d[bi] = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
            let o = &mut w[bi * QK..(bi + 1) * QK];
            for j in 0..16 {
                o[j] = blk[2 + j] & 0x0f;
                o[j + 16] = blk[2 + j] >> 4;
            }
        }
        let mut d16 = Vec::new();
        if nb.is_multiple_of(2) {
            d16.reserve(nout * nb * 8);
            for r in 0..nout {
                for b in 0..nb {
                    d16.extend(std::iter::repeat_n(d[r * nb + b], 8));
                }
            }
        }
        QMatrix {
            nout,
            nin,
            w,
            d,
            d16,
        }
    }
}

/// Dequantize one Q4_0 row of `out.len()` values.
pub fn dequant_row(raw: &[u8], out: &mut [f32]) {
    for (blk, o) in raw
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(QK))
    {
        let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
        for j in 0..16 {
            o[j] = ((blk[2 + j] & 0x0f) as i32 - 8) as f32 * d;
            o[j + 16] = ((blk[2 + j] >> 4) as i32 - 8) as f32 * d;
        }
    }
}

/// Quantized activations `[tokens, nin]`.
#[derive(Default)]
pub struct QActs {
    q: Vec<i8>,
    d: Vec<f32>,
    s: Vec<i32>,
    /// Per token and 64-value pair of blocks: activation scales, 16 lanes (AVX-512 layout).
    d16: Vec<f32>,
    /// Per token and block pair: −8 × sums of each group of 4 activations, 16 lanes.
    c16: Vec<i32>,
    nin: usize,
    tokens: usize,
}

/// Which SIMD path the matrix product takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simd {
    /// AVX-512 with VNNI dot products.
    Avx512Vnni,
    /// AVX2 + FMA.
    Avx2,
    /// Portable code.
    Scalar,
}

impl Simd {
    /// The best path this CPU supports (`SELARAS_SIMD=scalar|avx2` forces a slower one).
    pub fn detect() -> Simd {
        let forced = std::env::var("SELARAS_SIMD").unwrap_or_default();
        if forced == "scalar" {
            return Simd::Scalar;
        }
        #[cfg(target_arch = "x86_64")]
        {
            if forced != "avx2"
                && std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vnni")
            {
                return Simd::Avx512Vnni;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return Simd::Avx2;
            }
        }
        Simd::Scalar
    }
}

impl QActs {
    /// Quantize `x` (`tokens * nin` values) into this buffer.
    #[inline(always)]
    pub fn quantize(&mut self, x: &[f32], nin: usize, simd: Simd) {
        let tokens = x.len() / nin;
        let nb = nin / QK;
        self.nin = nin;
        self.tokens = tokens;
        self.q.resize(tokens * nin, 0);
        self.d.resize(tokens * nb, 0.0);
        self.s.resize(tokens * nb, 0);
        for (bi, xb) in x.chunks_exact(QK).enumerate() {
            let mut lanes = [0f32; 8];
            for c in xb.chunks_exact(8) {
                for k in 0..8 {
                    lanes[k] = if c[k].abs() > lanes[k] {
                        c[k].abs()
                    } else {
                        lanes[k]
                    };
                }
            }
            let amax = lanes.iter().fold(0f32, |m, &v| if v > m { v } else { m });
            let d = amax / 127.0;
            let id = if d > 0.0 { 1.0 / d } else { 0.0 };
            let q = &mut self.q[bi * QK..(bi + 1) * QK];
            let mut sum = 0i32;
            for (qv, &v) in q.iter_mut().zip(xb) {
                let r = round_half_even(v * id).clamp(-128.0, 127.0) as i32;
                *qv = r as i8;
                sum += r;
            }
            self.d[bi] = d;
            self.s[bi] = sum;
        }
        if simd == Simd::Avx512Vnni && nb.is_multiple_of(2) {
            let pairs = tokens * nb / 2;
            self.d16.resize(pairs * 16, 0.0);
            self.c16.resize(pairs * 16, 0);
            for p in 0..pairs {
                for lane in 0..16 {
                    self.d16[p * 16 + lane] = self.d[p * 2 + lane / 8];
                    let g = &self.q[p * 64 + lane * 4..p * 64 + lane * 4 + 4];
                    self.c16[p * 16 + lane] = -8 * g.iter().map(|&v| v as i32).sum::<i32>();
                }
            }
        }
    }
}

/// Round to nearest, ties to even (as `rintf` in the default mode), for |v| < 2^22.
#[inline(always)]
fn round_half_even(v: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5 · 2^23
    (v + MAGIC) - MAGIC
}

/// `y[t, o] = bias[o] + Σ W[o, :] · x[t, :]` for all tokens `t`, with `x` already quantized.
pub fn matmul(w: &QMatrix, bias: &[f32], a: &QActs, y: &mut [f32], simd: Simd) {
    debug_assert_eq!(w.nin, a.nin);
    debug_assert_eq!(y.len(), a.tokens * w.nout);
    match simd {
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512Vnni if !w.d16.is_empty() && !a.d16.is_empty() => unsafe {
            x86::matmul_vnni(w, bias, a, y)
        },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx2 | Simd::Avx512Vnni => unsafe { x86::matmul_avx2(w, bias, a, y) },
        _ => matmul_scalar(w, bias, a, y),
    }
}

fn matmul_scalar(w: &QMatrix, bias: &[f32], a: &QActs, y: &mut [f32]) {
    let (nin, nout) = (w.nin, w.nout);
    let nb = nin / QK;
    for t in 0..a.tokens {
        let aq = &a.q[t * nin..(t + 1) * nin];
        for o in 0..nout {
            let wr = &w.w[o * nin..(o + 1) * nin];
            let mut acc = 0f32;
            for b in 0..nb {
                let mut isum = 0i32;
                for j in b * QK..(b + 1) * QK {
                    isum += wr[j] as i32 * aq[j] as i32;
                }
                acc += w.d[o * nb + b] * a.d[t * nb + b] * (isum - 8 * a.s[t * nb + b]) as f32;
            }
            y[t * nout + o] = bias[o] + acc;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{QActs, QMatrix, QK};
    use std::arch::x86_64::*;

    const ROWS: usize = 4;
    const TOKS: usize = 4;
    /// Tokens per tile: a tile's activations stay in cache while every weight row passes over
    /// them (without tiling, each group of rows streams all activations from memory).
    const TILE: usize = 64;

    #[target_feature(enable = "avx2,fma")]
    unsafe fn hsum256(v: __m256) -> f32 {
        let lo = _mm256_castps256_ps128(v);
        let hi = _mm256_extractf128_ps(v, 1);
        let s = _mm_add_ps(lo, hi);
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }

    /// AVX2: 4 output rows × 1 token per inner step, each activation block loaded once.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn matmul_avx2(w: &QMatrix, bias: &[f32], a: &QActs, y: &mut [f32]) {
        let (nin, nout) = (w.nin, w.nout);
        let nb = nin / QK;
        let ones = _mm256_set1_epi16(1);
        let wp = w.w.as_ptr();
        let ap = a.q.as_ptr();
        for tile in (0..a.tokens).step_by(TILE) {
            let tiled = tile..(tile + TILE).min(a.tokens);
            let mut o0 = 0;
            while o0 < nout {
                let ro = ROWS.min(nout - o0);
                for t in tiled.clone() {
                    let mut facc = [_mm256_setzero_ps(); ROWS];
                    let mut corr = [0f32; ROWS];
                    for b in 0..nb {
                        let av = _mm256_loadu_si256(ap.add(t * nin + b * QK) as *const __m256i);
                        let da = *a.d.get_unchecked(t * nb + b);
                        let sa = *a.s.get_unchecked(t * nb + b) as f32;
                        for r in 0..ro {
                            let wv = _mm256_loadu_si256(
                                wp.add((o0 + r) * nin + b * QK) as *const __m256i
                            );
                            let s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
                            let scale = *w.d.get_unchecked((o0 + r) * nb + b) * da;
                            facc[r] = _mm256_fmadd_ps(
                                _mm256_cvtepi32_ps(s),
                                _mm256_set1_ps(scale),
                                facc[r],
                            );
                            corr[r] += scale * sa;
                        }
                    }
                    for r in 0..ro {
                        *y.get_unchecked_mut(t * nout + o0 + r) =
                            bias[o0 + r] + hsum256(facc[r]) - 8.0 * corr[r];
                    }
                }
                o0 += ROWS;
            }
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn hsum512(v: __m512) -> f32 {
        _mm512_reduce_add_ps(v)
    }

    /// AVX-512 VNNI: two blocks per 512-bit register, a 4 × 4 tile of rows × tokens.
    /// The −8 nibble offset enters through the accumulator's starting value.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub unsafe fn matmul_vnni(w: &QMatrix, bias: &[f32], a: &QActs, y: &mut [f32]) {
        let (nin, nout) = (w.nin, w.nout);
        let np = nin / (2 * QK);
        let wp = w.w.as_ptr();
        let ap = a.q.as_ptr();
        let wd = w.d16.as_ptr();
        let ad = a.d16.as_ptr();
        let ac = a.c16.as_ptr();
        for tile in (0..a.tokens).step_by(TILE) {
            let end = (tile + TILE).min(a.tokens);
            let mut o0 = 0;
            while o0 < nout {
                let ro = ROWS.min(nout - o0);
                let mut t0 = tile;
                while t0 < end {
                    let to = TOKS.min(end - t0);
                    let mut acc = [[_mm512_setzero_ps(); TOKS]; ROWS];
                    for p in 0..np {
                        let mut av = [_mm512_setzero_si512(); TOKS];
                        let mut cv = [_mm512_setzero_si512(); TOKS];
                        let mut dv = [_mm512_setzero_ps(); TOKS];
                        for k in 0..to {
                            let t = t0 + k;
                            av[k] = _mm512_loadu_si512(ap.add(t * nin + p * 64) as *const _);
                            cv[k] = _mm512_loadu_si512(ac.add((t * np + p) * 16) as *const _);
                            dv[k] = _mm512_loadu_ps(ad.add((t * np + p) * 16));
                        }
                        for r in 0..ro {
                            let o = o0 + r;
                            let wv = _mm512_loadu_si512(wp.add(o * nin + p * 64) as *const _);
                            let wdv = _mm512_loadu_ps(wd.add((o * np + p) * 16));
                            for k in 0..to {
                                let s = _mm512_dpbusd_epi32(cv[k], wv, av[k]);
                                let sc = _mm512_mul_ps(wdv, dv[k]);
                                acc[r][k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), sc, acc[r][k]);
                            }
                        }
                    }
                    for r in 0..ro {
                        for k in 0..to {
                            *y.get_unchecked_mut((t0 + k) * nout + o0 + r) =
                                bias[o0 + r] + hsum512(acc[r][k]);
                        }
                    }
                    t0 += TOKS;
                }
                o0 += ROWS;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_matrix(nout: usize, nin: usize, seed: u32) -> (Vec<u8>, Vec<f32>) {
        let mut s = seed;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        let mut raw = Vec::new();
        for _ in 0..nout * nin / QK {
            raw.extend_from_slice(&[0x00, 0x2c]); // fp16 0.0625
            for _ in 0..16 {
                raw.push((next() & 0xff) as u8);
            }
        }
        let x = (0..3 * nin)
            .map(|_| (next() % 2001) as f32 / 1000.0 - 1.0)
            .collect();
        (raw, x)
    }

    #[test]
    fn rounding_matches_ties_to_even() {
        for v in [0.5f32, 1.5, 2.5, -0.5, -1.5, 126.5, -127.5, 3.2, -3.7, 0.0] {
            assert_eq!(round_half_even(v), v.round_ties_even(), "{v}");
        }
    }

    #[test]
    fn simd_paths_agree_with_dequantized_product() {
        let (nout, nin) = (9, 128);
        let (raw, x) = random_matrix(nout, nin, 7);
        let m = QMatrix::from_q4(&raw, nout, nin);
        let bias: Vec<f32> = (0..nout).map(|i| i as f32 * 0.1).collect();
        let mut wrow = vec![0f32; nin];
        let mut expect = vec![0f32; 3 * nout];
        for o in 0..nout {
            dequant_row(&raw[o * 4 * 18..(o + 1) * 4 * 18], &mut wrow);
            for t in 0..3 {
                let dot: f32 = wrow.iter().zip(&x[t * nin..]).map(|(a, b)| a * b).sum();
                expect[t * nout + o] = dot + bias[o];
            }
        }
        for simd in [Simd::Scalar, Simd::detect(), Simd::Avx2] {
            if simd == Simd::Avx2 && Simd::detect() == Simd::Scalar {
                continue;
            }
            let mut a = QActs::default();
            a.quantize(&x, nin, simd);
            let mut y = vec![0f32; 3 * nout];
            matmul(&m, &bias, &a, &mut y, simd);
            for (g, e) in y.iter().zip(&expect) {
                assert!((g - e).abs() < 0.05, "{simd:?}: {g} vs {e}");
            }
        }
    }
}
