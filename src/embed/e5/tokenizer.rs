//! XLM-R SentencePiece unigram tokenizer: per-codepoint normalization, metaspace, Viterbi.

use super::format::TokenizerData;
use std::collections::HashMap;

const SPACE: u32 = 0x20;
const META: char = '\u{2581}';

/// A unigram tokenizer built from the model file's vocabulary.
pub struct Tokenizer {
    ids: HashMap<Vec<u8>, u32>,
    scores: Vec<f32>,
    norm: Vec<(u32, Vec<u32>)>,
    unk: u32,
    unk_score: f32,
    max_piece_bytes: usize,
    /// Id of `<s>`.
    pub bos: u32,
    /// Id of `</s>`.
    pub eos: u32,
}

impl Tokenizer {
    /// Build the lookup tables.
    pub fn new(data: &TokenizerData) -> Tokenizer {
        let mut ids = HashMap::with_capacity(data.pieces.len());
        let mut min_score = f32::INFINITY;
        let mut max_piece_bytes = 1;
        for (i, piece) in data.pieces.iter().enumerate() {
            min_score = min_score.min(data.scores[i]);
            max_piece_bytes = max_piece_bytes.max(piece.len());
            if !piece.is_empty() {
                ids.entry(piece.clone()).or_insert(i as u32);
            }
        }
        Tokenizer {
            ids,
            scores: data.scores.clone(),
            norm: data.norm.clone(),
            unk: data.unk,
            unk_score: min_score - 10.0,
            max_piece_bytes,
            bos: data.bos,
            eos: data.eos,
        }
    }

    fn normalized(&self, text: &str) -> Vec<u32> {
        let mut cps: Vec<u32> = Vec::with_capacity(text.len() + 1);
        for ch in text.chars() {
            let cp = ch as u32;
            match self.norm.binary_search_by_key(&cp, |e| e.0) {
                Ok(i) => {
                    for &o in &self.norm[i].1 {
                        if o == SPACE && cps.last() == Some(&SPACE) {
                            continue;
                        }
                        cps.push(o);
                    }
                }
                Err(_) => {
                    if cp == SPACE && cps.last() == Some(&SPACE) {
                        continue;
                    }
                    cps.push(cp);
                }
            }
        }
        cps
    }

    /// Token ids of `text` without `<s>`/`</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let cps = self.normalized(text);
        // Metaspace: a leading marker unless the text starts with a space, spaces become markers.
        let mut buf: Vec<u8> = Vec::with_capacity(cps.len() * 3 + 3);
        let mut starts: Vec<usize> = Vec::with_capacity(cps.len() + 2);
        let mut tmp = [0u8; 4];
        if cps.first() != Some(&SPACE) {
            starts.push(0);
            buf.extend_from_slice(META.encode_utf8(&mut tmp).as_bytes());
        }
        for &cp in &cps {
            starts.push(buf.len());
            let ch = if cp == SPACE {
                META
            } else {
                char::from_u32(cp).unwrap_or('\u{fffd}')
            };
            buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
        }
        let n = starts.len();
        starts.push(buf.len());
        let mut best = vec![-1e30f32; n + 1];
        let mut back_id = vec![u32::MAX; n + 1];
        let mut back_from = vec![0usize; n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] <= -1e29 {
                continue;
            }
            let b0 = starts[i];
            for e in i + 1..=n {
                let len = starts[e] - b0;
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(&buf[b0..starts[e]]) {
                    if id != self.unk {
                        let sc = best[i] + self.scores[id as usize];
                        if sc > best[e] {
                            best[e] = sc;
                            back_id[e] = id;
                            back_from[e] = i;
                        }
                    }
                }
            }
            let us = best[i] + self.unk_score;
            if us > best[i + 1] {
                best[i + 1] = us;
                back_id[i + 1] = u32::MAX;
                back_from[i + 1] = i;
            }
        }
        let mut out = Vec::new();
        let mut i = n;
        while i > 0 {
            let id = back_id[i];
            out.push(if id == u32::MAX { self.unk } else { id });
            i = back_from[i];
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Tokenizer {
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁a", "b", "▁ab", "c"];
        let scores = [0.0, 0.0, 0.0, 0.0, -3.0, -2.0, -2.5, -1.0, -4.0];
        Tokenizer::new(&TokenizerData {
            pieces: pieces.iter().map(|p| p.as_bytes().to_vec()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 2,
            unk: 3,
            norm: vec![(0x3000, vec![0x20])],
        })
    }

    #[test]
    fn viterbi_prefers_the_best_segmentation() {
        let t = toy();
        assert_eq!(t.encode("ab"), vec![7]);
        assert_eq!(t.encode("ab c"), vec![7, 4, 8]);
        // Unknown characters become <unk>, one per character.
        assert_eq!(t.encode("ab zz"), vec![7, 4, 3, 3]);
        // Runs of spaces collapse, also after normalization (U+3000 -> space).
        assert_eq!(t.encode("ab \u{3000} c"), t.encode("ab c"));
        assert!(t.encode("").len() == 1);
    }
}
