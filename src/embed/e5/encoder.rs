//! The BERT encoder of multilingual-e5-small: embeddings, 12 post-norm layers, mean pooling.

use super::format::{ModelError, ModelFile, QK};
use super::kernels::{dequant_row, matmul, QActs, QMatrix, Simd};

struct Layer {
    q: QMatrix,
    k: QMatrix,
    v: QMatrix,
    ao: QMatrix,
    fi: QMatrix,
    fo: QMatrix,
    qb: Vec<f32>,
    kb: Vec<f32>,
    vb: Vec<f32>,
    aob: Vec<f32>,
    fib: Vec<f32>,
    fob: Vec<f32>,
    aln_w: Vec<f32>,
    aln_b: Vec<f32>,
    oln_w: Vec<f32>,
    oln_b: Vec<f32>,
}

/// Encoder weights.
pub struct Encoder {
    /// Hidden size (embedding dimension).
    pub hidden: usize,
    heads: usize,
    ff: usize,
    /// Maximum tokens per window, specials included.
    pub max_pos: usize,
    vocab: usize,
    eps: f32,
    word: Vec<u8>,
    pos: Vec<f32>,
    typ: Vec<f32>,
    eln_w: Vec<f32>,
    eln_b: Vec<f32>,
    layers: Vec<Layer>,
    simd: Simd,
}

/// Scratch buffers of one forward pass, reused across calls on the same thread.
#[derive(Default)]
pub struct Workspace {
    x: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    ctx: Vec<f32>,
    tmp: Vec<f32>,
    mid: Vec<f32>,
    acts: QActs,
    prob: Vec<f32>,
}

impl Encoder {
    /// Copy the weights out of a parsed model file.
    pub fn new(f: &ModelFile) -> Result<Encoder, ModelError> {
        let h = f.header;
        let (hd, ff) = (h.hidden, h.ff);
        let mut layers = Vec::with_capacity(h.layers);
        for l in 0..h.layers {
            let m = |name: &str, nout: usize, nin: usize| -> Result<QMatrix, ModelError> {
                Ok(QMatrix::from_q4(
                    f.q4(&format!("l{l}.{name}"), nout * nin)?,
                    nout,
                    nin,
                ))
            };
            let v = |name: &str, n: usize| f.f32s(&format!("l{l}.{name}"), n);
            layers.push(Layer {
                q: m("q.w", hd, hd)?,
                k: m("k.w", hd, hd)?,
                v: m("v.w", hd, hd)?,
                ao: m("ao.w", hd, hd)?,
                fi: m("fi.w", ff, hd)?,
                fo: m("fo.w", hd, ff)?,
                qb: v("q.b", hd)?,
                kb: v("k.b", hd)?,
                vb: v("v.b", hd)?,
                aob: v("ao.b", hd)?,
                fib: v("fi.b", ff)?,
                fob: v("fo.b", hd)?,
                aln_w: v("aln.w", hd)?,
                aln_b: v("aln.b", hd)?,
                oln_w: v("oln.w", hd)?,
                oln_b: v("oln.b", hd)?,
            });
        }
        Ok(Encoder {
            hidden: hd,
            heads: h.heads,
            ff,
            max_pos: h.max_pos,
            vocab: h.vocab,
            eps: h.eps,
            word: f.q4("emb.word", h.vocab * hd)?.to_vec(),
            pos: f.f32s("emb.pos", h.max_pos * hd)?,
            typ: f.f32s("emb.type", h.token_types * hd)?[..hd].to_vec(),
            eln_w: f.f32s("emb.ln.w", hd)?,
            eln_b: f.f32s("emb.ln.b", hd)?,
            layers,
            simd: Simd::detect(),
        })
    }

    /// The SIMD path in use.
    pub fn simd(&self) -> Simd {
        self.simd
    }

    /// Run the encoder on windows given as token-id sequences (specials included, each at most
    /// `max_pos` long) and write each window's mean-pooled hidden state to `out` (`hidden` each).
    pub fn forward(&self, windows: &[Vec<u32>], ws: &mut Workspace, out: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        if self.simd != Simd::Scalar {
            // SAFETY: the CPU supports AVX2 and FMA (checked by `Simd::detect`).
            unsafe { self.forward_avx2(windows, ws, out) };
            return;
        }
        self.forward_impl(windows, ws, out)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn forward_avx2(&self, windows: &[Vec<u32>], ws: &mut Workspace, out: &mut [f32]) {
        self.forward_impl(windows, ws, out)
    }

    #[inline(always)]
    fn forward_impl(&self, windows: &[Vec<u32>], ws: &mut Workspace, out: &mut [f32]) {
        let h = self.hidden;
        let t_total: usize = windows.iter().map(|w| w.len()).sum();
        let th = t_total * h;
        ws.x.resize(th, 0.0);
        ws.q.resize(th, 0.0);
        ws.k.resize(th, 0.0);
        ws.v.resize(th, 0.0);
        ws.ctx.resize(th, 0.0);
        ws.tmp.resize(th, 0.0);
        ws.mid.resize(t_total * self.ff, 0.0);
        let nbw = h / QK * 18;
        let mut t = 0;
        for w in windows {
            for (p, &id) in w.iter().enumerate() {
                let id = (id as usize).min(self.vocab - 1);
                let row = &mut ws.x[t * h..(t + 1) * h];
                dequant_row(&self.word[id * nbw..(id + 1) * nbw], row);
                let pp = &self.pos[p * h..(p + 1) * h];
                for i in 0..h {
                    row[i] += pp[i] + self.typ[i];
                }
                t += 1;
            }
        }
        layer_norm(&mut ws.x, None, &self.eln_w, &self.eln_b, h, self.eps);
        for ly in &self.layers {
            ws.acts.quantize(&ws.x, h, self.simd);
            matmul(&ly.q, &ly.qb, &ws.acts, &mut ws.q, self.simd);
            matmul(&ly.k, &ly.kb, &ws.acts, &mut ws.k, self.simd);
            matmul(&ly.v, &ly.vb, &ws.acts, &mut ws.v, self.simd);
            let mut s0 = 0;
            for w in windows {
                let s1 = s0 + w.len();
                attention(
                    &ws.q,
                    &ws.k,
                    &ws.v,
                    &mut ws.ctx,
                    s0,
                    s1,
                    h,
                    self.heads,
                    &mut ws.prob,
                );
                s0 = s1;
            }
            ws.acts.quantize(&ws.ctx, h, self.simd);
            matmul(&ly.ao, &ly.aob, &ws.acts, &mut ws.tmp, self.simd);
            layer_norm(&mut ws.x, Some(&ws.tmp), &ly.aln_w, &ly.aln_b, h, self.eps);
            ws.acts.quantize(&ws.x, h, self.simd);
            matmul(&ly.fi, &ly.fib, &ws.acts, &mut ws.mid, self.simd);
            for m in ws.mid.iter_mut() {
                *m = gelu(*m);
            }
            ws.acts.quantize(&ws.mid, self.ff, self.simd);
            matmul(&ly.fo, &ly.fob, &ws.acts, &mut ws.tmp, self.simd);
            layer_norm(&mut ws.x, Some(&ws.tmp), &ly.oln_w, &ly.oln_b, h, self.eps);
        }
        let mut s0 = 0;
        for (wi, w) in windows.iter().enumerate() {
            let o = &mut out[wi * h..(wi + 1) * h];
            o.fill(0.0);
            for t in s0..s0 + w.len() {
                for (oi, xi) in o.iter_mut().zip(&ws.x[t * h..(t + 1) * h]) {
                    *oi += xi;
                }
            }
            let inv = 1.0 / w.len().max(1) as f32;
            for oi in o.iter_mut() {
                *oi *= inv;
            }
            s0 += w.len();
        }
    }
}

/// `x = LayerNorm(x + y)` row by row (or `LayerNorm(x)` without `y`).
#[inline(always)]
fn layer_norm(x: &mut [f32], y: Option<&[f32]>, w: &[f32], b: &[f32], h: usize, eps: f32) {
    for (t, r) in x.chunks_exact_mut(h).enumerate() {
        if let Some(y) = y {
            for (ri, yi) in r.iter_mut().zip(&y[t * h..(t + 1) * h]) {
                *ri += yi;
            }
        }
        let mut mean = 0f32;
        for v in r.iter() {
            mean += v;
        }
        mean /= h as f32;
        let mut var = 0f32;
        for v in r.iter() {
            let d = v - mean;
            var += d * d;
        }
        var /= h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for i in 0..h {
            r[i] = (r[i] - mean) * inv * w[i] + b[i];
        }
    }
}

/// Scaled dot-product attention of tokens `s0..s1` (one window) over themselves.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn attention(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    ctx: &mut [f32],
    s0: usize,
    s1: usize,
    h: usize,
    heads: usize,
    prob: &mut Vec<f32>,
) {
    let hd = h / heads;
    let scale = 1.0 / (hd as f32).sqrt();
    prob.resize(s1 - s0, 0.0);
    for t in s0..s1 {
        for head in 0..heads {
            let off = head * hd;
            let qh = &q[t * h + off..t * h + off + hd];
            let mut mx = -1e30f32;
            for s in s0..s1 {
                let kh = &k[s * h + off..s * h + off + hd];
                let d = dot8(qh, kh) * scale;
                prob[s - s0] = d;
                mx = mx.max(d);
            }
            let mut sum = 0f32;
            for p in prob.iter_mut() {
                *p = fast_exp(*p - mx);
                sum += *p;
            }
            let inv = 1.0 / sum;
            let ch = &mut ctx[t * h + off..t * h + off + hd];
            ch.fill(0.0);
            for s in s0..s1 {
                let p = prob[s - s0] * inv;
                let vh = &v[s * h + off..s * h + off + hd];
                for e in 0..hd {
                    ch[e] += p * vh[e];
                }
            }
        }
    }
}

/// Dot product with 8 independent partial sums (vectorizable).
#[inline(always)]
fn dot8(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `e^x` for x ≤ 0 within ~2 ulp (Cephes-style range reduction and polynomial), branch-free so
/// loops over it vectorize.
#[inline(always)]
fn fast_exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + 12_582_912.0) - 12_582_912.0;
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let r2 = r * r;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    let y = p * r2 + r + 1.0;
    f32::from_bits(y.to_bits().wrapping_add(((n as i32) << 23) as u32))
}

/// `erf(x)` (Abramowitz & Stegun 7.1.26, absolute error < 1.5e-7), branch-free.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = ((((1.061_405_4 * t - 1.453_152_1) * t + 1.421_413_7) * t - 0.284_496_74) * t
        + 0.254_829_6)
        * t;
    let y = 1.0 - poly * fast_exp(-a * a);
    if x < 0.0 {
        -y
    } else {
        y
    }
}

#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_math_is_accurate() {
        for i in -400..=0 {
            let x = i as f32 * 0.2;
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 4e-7 * b.max(1e-30), "exp({x}): {a} vs {b}");
        }
        for i in -600..=600 {
            let x = i as f32 * 0.01;
            assert!((erf(x) - libm::erff(x)).abs() < 3e-7, "erf({x})");
        }
    }
}
