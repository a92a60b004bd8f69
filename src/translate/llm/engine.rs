//! The llama.cpp engine behind the `llm` backend: greedy few-shot translation with the prompt
//! prefix evaluated once per variant and several sentences decoded as parallel sequences with
//! continuous batching (a slot whose sentence ends takes the next sentence at the next step).
//!
//! KV-cache layout (one unified cache): sequence `v` holds the prefix of prompt variant `v`;
//! sequences `variants..variants + parallel` are work slots, each starting as a copy of a
//! prefix (`llama_memory_seq_cp`, which only shares the cells) and removed after its sentence.

use super::prompt::PromptVariant;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use std::num::NonZeroU32;

/// Decoding settings of the engine.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// CPU threads for llama.cpp.
    pub threads: usize,
    /// Sentences decoded together as parallel sequences.
    pub parallel: usize,
    /// Context size in tokens (shared by the prefixes and all parallel sequences).
    pub ctx: u32,
    /// Token budget per sentence: `ratio × source tokens + extra`.
    pub max_tokens_ratio: f32,
    /// Fixed part of the token budget.
    pub max_tokens_extra: usize,
}

/// One sentence to translate: its prompt tokens after the shared prefix.
struct Work {
    /// Index of the sentence in the request.
    index: usize,
    /// Number of the prefix's tokens this prompt starts with (their cells are shared).
    start: usize,
    /// The rest of the prompt, evaluated for this sentence at positions `start..`.
    tokens: Vec<LlamaToken>,
    /// Token budget of the translation.
    budget: usize,
}

/// One sentence being decoded.
struct Slot {
    /// Index of the sentence in the request.
    index: usize,
    seq: i32,
    /// Next position in the sequence.
    pos: i32,
    /// Batch index of the logits to sample from.
    logits_at: i32,
    budget: usize,
    /// Cache cells reserved for the sentence (prompt and budget).
    cells: usize,
    generated: usize,
    bytes: Vec<u8>,
    /// Generated tokens with the byte length of their text, to cut repetition loops.
    tokens: Vec<(LlamaToken, usize)>,
    done: bool,
}

impl Slot {
    fn new(index: usize, seq: i32, pos: i32, logits_at: i32, budget: usize) -> Self {
        Slot {
            index,
            seq,
            pos,
            logits_at,
            budget,
            cells: 0,
            generated: 0,
            bytes: Vec::new(),
            tokens: Vec::new(),
            done: false,
        }
    }

    /// Append a token; true when the output now ends in the same run of up to 8 tokens repeated
    /// (ten times for one token, four for two, three for longer runs: a loop such as
    /// `0000000000…` or `, 1, 1, 1, 1`): the extra copies are removed.
    fn push(&mut self, token: LlamaToken, piece: &[u8]) -> bool {
        self.bytes.extend_from_slice(piece);
        self.tokens.push((token, piece.len()));
        self.generated += 1;
        let n = self.tokens.len();
        for period in 1..=8 {
            // Short periods need more copies: `000` in `12,000` or `1.000.000` is not a loop.
            let copies = match period {
                1 => 10,
                2 => 4,
                _ => 3,
            };
            if n < copies * period {
                continue;
            }
            let last = &self.tokens[n - period..];
            if period > 1 && last.iter().all(|t| t.0 == last[0].0) {
                // One token repeated: a period-1 pattern, judged with period 1.
                continue;
            }
            let same = |k: usize| {
                self.tokens[n - (k + 1) * period..n - k * period]
                    .iter()
                    .map(|t| t.0)
                    .eq(last.iter().map(|t| t.0))
            };
            if (1..copies).all(same) {
                let cut: usize = self.tokens[n - (copies - 1) * period..]
                    .iter()
                    .map(|t| t.1)
                    .sum();
                self.bytes.truncate(self.bytes.len() - cut);
                self.tokens.truncate(n - (copies - 1) * period);
                return true;
            }
        }
        false
    }
}

/// A loaded model with its context and cached prompt prefixes.
pub struct Engine<'m> {
    model: &'m LlamaModel,
    ctx: LlamaContext<'m>,
    variants: Vec<PromptVariant>,
    /// Tokens of each variant's prefix once they are in the cache.
    prefix_tokens: Vec<Option<Vec<LlamaToken>>>,
    settings: EngineSettings,
}

impl<'m> Engine<'m> {
    /// Create a context for `model` (flash attention off, unified KV cache) with the variants.
    pub fn new(
        backend: &LlamaBackend,
        model: &'m LlamaModel,
        variants: Vec<PromptVariant>,
        settings: EngineSettings,
    ) -> Result<Self, String> {
        let threads = i32::try_from(settings.threads.max(1)).unwrap_or(1);
        let seqs = u32::try_from(variants.len() + settings.parallel.max(1)).unwrap_or(u32::MAX);
        let ctx_size = settings.ctx.max(256);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(ctx_size))
            .with_n_batch(ctx_size)
            .with_n_seq_max(seqs)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
            .with_kv_unified(true)
            .with_swa_full(true)
            .with_flash_attention_policy(llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED);
        let ctx = model
            .new_context(backend, params)
            .map_err(|e| format!("cannot create a llama.cpp context: {e}"))?;
        let prefix_tokens = vec![None; variants.len()];
        Ok(Engine {
            model,
            ctx,
            variants,
            prefix_tokens,
            settings,
        })
    }

    /// Number of prompt variants.
    pub fn variants(&self) -> usize {
        self.variants.len()
    }

    fn tokenize(&self, text: &str, with_bos: bool) -> Vec<LlamaToken> {
        self.model
            .vocab()
            .tokenize(text.as_bytes(), with_bos, false)
    }

    fn budget(&self, source: &str) -> usize {
        let source_tokens = self.tokenize(source, false).len();
        (self.settings.max_tokens_ratio.max(0.1) * source_tokens as f32).ceil() as usize
            + self.settings.max_tokens_extra
    }

    /// Evaluate the prefix of `variant` into its sequence if it is not there yet.
    fn ensure_prefix(&mut self, variant: usize) -> Result<(), String> {
        if self.prefix_tokens[variant].is_some() {
            return Ok(());
        }
        let tokens = self.tokenize(&self.variants[variant].prefix, true);
        let seq = variant as i32;
        self.ctx
            .clear_kv_cache_seq(Some(variant as u32), None, None)
            .map_err(|e| e.to_string())?;
        let mut batch = LlamaBatch::new(tokens.len().max(1), 1);
        for (pos, token) in tokens.iter().enumerate() {
            batch
                .add(*token, pos as i32, &[seq], false)
                .map_err(|e| e.to_string())?;
        }
        self.ctx
            .decode(&mut batch)
            .map_err(|e| format!("llama.cpp could not evaluate the prompt prefix: {e}"))?;
        self.prefix_tokens[variant] = Some(tokens);
        Ok(())
    }

    /// Translate `sources` with prompt `variant`, decoding up to `parallel` sentences at once.
    /// Empty sources give empty translations.
    pub fn translate(&mut self, sources: &[String], variant: usize) -> Result<Vec<String>, String> {
        let mut out = vec![String::new(); sources.len()];
        if variant >= self.variants.len() {
            return Err(format!("no prompt variant {}", variant + 1));
        }
        self.ensure_prefix(variant)?;
        let prefix_total: usize = self.prefix_tokens.iter().flatten().map(Vec::len).sum();
        let capacity = (self.ctx.n_ctx() as usize).saturating_sub(prefix_total + 8);
        let prefix = self.prefix_tokens[variant].as_deref().unwrap_or_default();

        let mut work = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            if source.trim().is_empty() {
                continue;
            }
            // The whole prompt's tokens: the cached prefix is reused as far as they agree (all
            // of it unless a token spans the prefix's end), the rest is this sentence's part.
            let full = self.tokenize(&self.variants[variant].full(source), true);
            let start = shared_len(prefix, &full).min(full.len().saturating_sub(1));
            let suffix = full[start..].to_vec();
            if suffix.is_empty() || suffix.len() + 1 > capacity {
                return Err(format!(
                    "sentence {} has {} prompt tokens; the context of {} tokens holds at most {} \
                     (raise --ctx)",
                    index + 1,
                    suffix.len(),
                    self.ctx.n_ctx(),
                    capacity.saturating_sub(1)
                ));
            }
            let budget = self.budget(source).min(capacity - suffix.len()).max(1);
            work.push(Work {
                index,
                start,
                tokens: suffix,
                budget,
            });
        }

        self.decode_continuous(&work, variant, capacity, &mut out)?;
        Ok(out)
    }

    /// Continuous batching: up to `parallel` sentences are decoded side by side, and a slot
    /// whose sentence ends takes the next sentence at once (its prompt goes into the same batch
    /// as the other slots' next tokens), so no slot waits for the slowest sentence of a group.
    /// A sentence is admitted only while the cache cells its prompt and budget may need fit in
    /// `capacity` next to the live sentences'.
    fn decode_continuous(
        &mut self,
        work: &[Work],
        variant: usize,
        capacity: usize,
        out: &mut [String],
    ) -> Result<(), String> {
        let parallel = self.settings.parallel.max(1);
        let first_seq = self.variants.len() as i32;
        let longest = work.iter().map(|w| w.tokens.len()).max().unwrap_or(1);
        let mut batch = LlamaBatch::new(parallel * longest.max(1) + parallel, 1);
        // Slot `j` decodes in sequence `first_seq + j`; `None` is a free slot.
        let mut slots: Vec<Option<Slot>> = (0..parallel).map(|_| None).collect();
        let mut next = 0;
        let mut used = 0;
        let result = loop {
            // Admit waiting sentences into free slots.
            for (j, entry) in slots.iter_mut().enumerate() {
                if entry.is_some() || next == work.len() {
                    continue;
                }
                let item = &work[next];
                let need = item.tokens.len() + item.budget;
                if used > 0 && used + need > capacity {
                    break;
                }
                let seq = first_seq + j as i32;
                self.ctx
                    .clear_kv_cache_seq(Some(seq as u32), None, None)
                    .map_err(|e| e.to_string())?;
                // The shared cells of the prefix's first `start` positions.
                let shared = u32::try_from(item.start).map_err(|e| e.to_string())?;
                self.ctx
                    .kv_cache_seq_cp(variant as i32, seq, None, Some(shared))
                    .map_err(|e| e.to_string())?;
                for (k, token) in item.tokens.iter().enumerate() {
                    let last = k + 1 == item.tokens.len();
                    batch
                        .add(*token, (item.start + k) as i32, &[seq], last)
                        .map_err(|e| e.to_string())?;
                }
                let pos = (item.start + item.tokens.len()) as i32;
                let mut slot = Slot::new(item.index, seq, pos, batch.n_tokens() - 1, item.budget);
                slot.cells = need;
                *entry = Some(slot);
                used += need;
                next += 1;
            }
            if batch.n_tokens() == 0 {
                break Ok(());
            }
            if let Err(e) = self.step(&mut batch, &mut slots) {
                break Err(e);
            }
            for entry in slots.iter_mut() {
                if entry.as_ref().is_some_and(|s| s.done) {
                    let slot = entry.take().expect("a finished slot");
                    // Removing a whole sequence cannot fail.
                    let _ = self
                        .ctx
                        .clear_kv_cache_seq(Some(slot.seq as u32), None, None);
                    used -= slot.cells;
                    out[slot.index] = String::from_utf8_lossy(&slot.bytes).trim().to_string();
                }
            }
        };
        for slot in slots.iter().flatten() {
            let _ = self
                .ctx
                .clear_kv_cache_seq(Some(slot.seq as u32), None, None);
        }
        result
    }

    /// Decode `batch`, take each live slot's greedy token, and fill `batch` again with the next
    /// token of every slot that goes on. Slots that end are marked `done`.
    fn step(&mut self, batch: &mut LlamaBatch, slots: &mut [Option<Slot>]) -> Result<(), String> {
        let vocab = self.model.vocab();
        self.ctx
            .decode(batch)
            .map_err(|e| format!("llama.cpp decoding failed: {e}"))?;
        batch.clear();
        for slot in slots.iter_mut().flatten().filter(|s| !s.done) {
            let token = argmax(self.ctx.get_logits_ith(slot.logits_at));
            if vocab.is_eog(token) {
                slot.done = true;
                continue;
            }
            let piece = vocab.token_to_piece(token, false, None);
            if let Some(nl) = piece.iter().position(|&b| b == b'\n') {
                slot.push(token, &piece[..nl]);
                slot.done = true;
                continue;
            }
            if slot.push(token, &piece) || slot.generated >= slot.budget {
                slot.done = true;
                continue;
            }
            batch
                .add(token, slot.pos, &[slot.seq], true)
                .map_err(|e| e.to_string())?;
            slot.pos += 1;
            slot.logits_at = batch.n_tokens() - 1;
        }
        Ok(())
    }

    /// Decode `batch` (holding every slot's prompt) and then one token per live slot per step.
    fn generate(
        &mut self,
        batch: &mut LlamaBatch,
        slots: &mut [Option<Slot>],
    ) -> Result<(), String> {
        while batch.n_tokens() > 0 {
            self.step(batch, slots)?;
        }
        Ok(())
    }

    /// Reference path for benchmarks: the whole prompt of one sentence evaluated from an empty
    /// cache, as a plain llama.cpp call per sentence would do (drops the cached prefixes).
    pub fn translate_uncached(&mut self, source: &str, variant: usize) -> Result<String, String> {
        if source.trim().is_empty() {
            return Ok(String::new());
        }
        let prompt = self
            .variants
            .get(variant)
            .ok_or_else(|| format!("no prompt variant {}", variant + 1))?
            .full(source);
        self.ctx.clear_kv_cache();
        self.prefix_tokens.iter_mut().for_each(|p| *p = None);
        let tokens = self.tokenize(&prompt, true);
        if tokens.len() + 2 > self.ctx.n_ctx() as usize {
            return Err(format!(
                "the prompt has {} tokens, more than the context",
                tokens.len()
            ));
        }
        let budget = self
            .budget(source)
            .min(self.ctx.n_ctx() as usize - tokens.len())
            .max(1);
        let mut batch = LlamaBatch::new(tokens.len(), 1);
        for (pos, token) in tokens.iter().enumerate() {
            batch
                .add(*token, pos as i32, &[0], pos + 1 == tokens.len())
                .map_err(|e| e.to_string())?;
        }
        let mut slots = [Some(Slot::new(
            0,
            0,
            tokens.len() as i32,
            batch.n_tokens() - 1,
            budget,
        ))];
        let result = self.generate(&mut batch, &mut slots);
        self.ctx.clear_kv_cache();
        result?;
        let bytes = slots[0].as_ref().map_or(&[][..], |s| &s.bytes[..]);
        Ok(String::from_utf8_lossy(bytes).trim().to_string())
    }
}

/// Number of leading tokens `a` and `b` have in common.
fn shared_len(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Greedy choice: the first token with the highest logit (as llama.cpp's greedy sampler).
fn argmax(logits: &[f32]) -> LlamaToken {
    let mut best = 0usize;
    for (i, &v) in logits.iter().enumerate() {
        if v > logits[best] {
            best = i;
        }
    }
    LlamaToken::new(best as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::llm::prompt::PromptTemplate;
    use llama_cpp_2::model::params::LlamaModelParams;

    fn gemma() -> LlamaModel {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models")
            .join("gemma-3-270m-q4_k_m.gguf");
        assert!(
            path.is_file(),
            "{} is missing: run scripts/fetch-models",
            path.display()
        );
        let backend = super::super::backend().expect("llama.cpp backend");
        LlamaModel::load_from_file(backend, &path, &LlamaModelParams::default()).expect("load")
    }

    fn settings(parallel: usize) -> EngineSettings {
        EngineSettings {
            threads: 1,
            parallel,
            ctx: 2048,
            max_tokens_ratio: 2.0,
            max_tokens_extra: 16,
        }
    }

    /// Sentences of very different lengths, more than the slots, so slots are refilled while
    /// others are still decoding.
    fn sources() -> Vec<String> {
        [
            "Kucing itu tidur.",
            "Pemerintah akan membangun 25 sekolah baru di tiga provinsi tahun depan, kata menteri \
             pendidikan pada hari Senin.",
            "",
            "Terima kasih.",
            "Harga beras naik 3,5 persen bulan lalu.",
            "Klik tombol OK untuk menutup kotak dialog ini.",
            "Buku ini ditulis oleh seorang guru dari Bandung.",
            "Hujan turun sepanjang malam.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn continuous_batching_is_reproducible_and_keeps_each_sentence_in_place() {
        let model = gemma();
        let backend = super::super::backend().expect("llama.cpp backend");
        let variants = PromptTemplate::default_id_en().variants;
        let src = sources();
        // The prefix's tokens are those the whole prompt starts with: its cells are all reused.
        let mut one = Engine::new(backend, &model, variants.clone(), settings(1)).expect("engine");
        for v in &variants {
            let prefix = one.tokenize(&v.prefix, true);
            for s in src.iter().filter(|s| !s.is_empty()) {
                let full = one.tokenize(&v.full(s), true);
                assert_eq!(shared_len(&prefix, &full), prefix.len(), "{s}");
            }
        }
        let alone = one.translate(&src, 0).expect("parallel 1");
        let mut three = Engine::new(backend, &model, variants, settings(3)).expect("engine");
        let batched = three.translate(&src, 0).expect("parallel 3");
        assert_eq!(batched.len(), src.len());
        assert_eq!(batched[2], "", "an empty source gives an empty translation");
        // A fixed layout is deterministic: the same call gives the same bytes.
        assert_eq!(three.translate(&src, 0).expect("again"), batched);
        // Another layout is the same computation with other float rounding in the batched
        // kernels, which may flip a rare greedy choice; a slot refilled with the wrong cache or
        // positions would change most sentences.
        let same = alone.iter().zip(&batched).filter(|(a, b)| a == b).count();
        assert!(
            same >= 6,
            "only {same}/8 identical:\n{alone:#?}\n{batched:#?}"
        );
    }

    fn slot() -> Slot {
        Slot::new(0, 0, 0, 0, 100)
    }

    #[test]
    fn a_loop_is_cut_to_one_copy() {
        let mut s = slot();
        let mut stopped = false;
        for (t, p) in std::iter::once((1, "1")).chain(std::iter::repeat_n((2, "00"), 10)) {
            stopped = s.push(LlamaToken::new(t), p.as_bytes());
        }
        assert!(stopped);
        assert_eq!(String::from_utf8_lossy(&s.bytes), "100");

        // The zeros of a number are not a loop.
        let mut s = slot();
        let number = [(1, "1"), (2, "2"), (3, ","), (4, "0"), (4, "0"), (4, "0")];
        assert!(!number
            .iter()
            .any(|&(t, p)| s.push(LlamaToken::new(t), p.as_bytes())));
        assert_eq!(String::from_utf8_lossy(&s.bytes), "12,000");

        let mut s = slot();
        let mut stops = Vec::new();
        for (t, p) in [
            (5, "a"),
            (6, ","),
            (7, " b"),
            (6, ","),
            (7, " b"),
            (6, ","),
            (7, " b"),
            (6, ","),
            (7, " b"),
        ] {
            stops.push(s.push(LlamaToken::new(t), p.as_bytes()));
        }
        assert_eq!(stops.iter().filter(|&&b| b).count(), 1);
        assert!(stops[8]);
        assert_eq!(String::from_utf8_lossy(&s.bytes), "a, b");
    }

    #[test]
    fn ordinary_text_is_not_cut() {
        let mut s = slot();
        for (t, p) in [
            (1, "The"),
            (2, " cat"),
            (3, " and"),
            (1, " the"),
            (2, " cat"),
            (4, "."),
        ] {
            assert!(!s.push(LlamaToken::new(t), p.as_bytes()));
        }
        assert_eq!(s.generated, 6);
        assert_eq!(argmax(&[0.5, 2.0, 2.0, -1.0]), LlamaToken::new(1));
    }
}
