//! Per-sentence features the scorers read: embeddings of sentences and of runs of sentences.

use crate::embed::Embedder;

use super::AlignError;

/// Embeddings of one side: every sentence, and every run of `2..=max_run` consecutive sentences
/// (the sentences joined with a space), as Vecalign's overlaps.
#[derive(Debug, Clone)]
pub struct SideEmbeddings {
    /// Vector dimension.
    pub dim: usize,
    /// Number of sentences.
    pub len: usize,
    /// `runs[k - 1]` holds the `len − k + 1` vectors of runs of `k` sentences, row-major.
    pub runs: Vec<Vec<f32>>,
}

/// The texts to embed for `sentences`: all runs of 1, then of 2, … up to `max_run` sentences.
pub fn run_texts(sentences: &[String], max_run: usize) -> Vec<String> {
    let mut out = Vec::new();
    for k in 1..=max_run.max(1) {
        if k > sentences.len() {
            break;
        }
        for w in sentences.windows(k) {
            out.push(w.join(" "));
        }
    }
    out
}

impl SideEmbeddings {
    /// Arrange vectors produced for [`run_texts`]`(sentences, max_run)`.
    pub fn from_vectors(
        len: usize,
        max_run: usize,
        vectors: Vec<Vec<f32>>,
    ) -> Result<SideEmbeddings, AlignError> {
        let expected: usize = (1..=max_run.max(1))
            .filter(|&k| k <= len)
            .map(|k| len - k + 1)
            .sum();
        if vectors.len() != expected {
            return Err(AlignError::Input(format!(
                "expected {expected} embeddings for {len} sentences, got {}",
                vectors.len()
            )));
        }
        let dim = vectors.first().map_or(0, |v| v.len());
        if vectors.iter().any(|v| v.len() != dim) {
            return Err(AlignError::Input(
                "embeddings of different dimensions".into(),
            ));
        }
        let mut runs = Vec::new();
        let mut it = vectors.into_iter();
        for k in 1..=max_run.max(1) {
            if k > len {
                break;
            }
            let mut flat = Vec::with_capacity((len - k + 1) * dim);
            for v in it.by_ref().take(len - k + 1) {
                flat.extend(normalized(v));
            }
            runs.push(flat);
        }
        Ok(SideEmbeddings { dim, len, runs })
    }

    /// Embed with any [`Embedder`] (e.g. an HTTP service).
    pub async fn with_embedder(
        embedder: &dyn Embedder,
        sentences: &[String],
        max_run: usize,
    ) -> Result<SideEmbeddings, AlignError> {
        let texts = run_texts(sentences, max_run);
        let vectors = embedder
            .embed(&texts)
            .await
            .map_err(|e| AlignError::Embed(e.to_string()))?;
        Self::from_vectors(sentences.len(), max_run, vectors)
    }

    /// Longest run with its own embeddings.
    pub fn max_run(&self) -> usize {
        self.runs.len()
    }

    /// Vector of the run of `k` sentences starting at `i`, if it was embedded.
    pub fn run(&self, i: usize, k: usize) -> Option<&[f32]> {
        let flat = self.runs.get(k.checked_sub(1)?)?;
        flat.get(i * self.dim..(i + 1) * self.dim)
    }
}

fn normalized(mut v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
    v
}

/// Hashed character-trigram count vector (for coarse comparisons of English texts).
pub fn trigram_vector(text: &str, dim: usize) -> Vec<f32> {
    let mut v = vec![0f32; dim];
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase())
        .collect();
    for w in chars.windows(3) {
        let mut h: u32 = 2_166_136_261;
        for c in w {
            h = (h ^ *c as u32).wrapping_mul(16_777_619);
        }
        v[h as usize % dim] += 1.0;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_laid_out_by_size() {
        let s: Vec<String> = ["a", "b", "c"].iter().map(|x| x.to_string()).collect();
        let texts = run_texts(&s, 2);
        assert_eq!(texts, vec!["a", "b", "c", "a b", "b c"]);
        let vecs = texts
            .iter()
            .enumerate()
            .map(|(i, _)| vec![i as f32 + 1.0, 0.0])
            .collect();
        let e = SideEmbeddings::from_vectors(3, 2, vecs).unwrap();
        assert_eq!(e.run(1, 2), Some(&[1.0f32, 0.0][..]));
        assert!(e.run(2, 2).is_none());
        assert!(e.run(0, 3).is_none());
        assert!(SideEmbeddings::from_vectors(3, 2, vec![vec![1.0]]).is_err());
    }
}
