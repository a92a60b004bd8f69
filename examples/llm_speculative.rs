//! Does speculative decoding pay for the `llm` backend? Greedy few-shot translation with a
//! target model, plain (`--k 0`) or with a small draft model of the same vocabulary proposing
//! `k` tokens that the target verifies in one batch (the longest agreeing prefix is kept, plus
//! the target's own next token, so the output stays the target's greedy output).
//!
//! Sentences are decoded as `--parallel` sequences with continuous refill, as the backend does;
//! each mode is timed on the same sentences and the outputs are compared with plain decoding.
//!
//! ```text
//! cargo run --release --example llm_speculative -- --tsv tests/data/eval/news_id_en.dev.tsv \
//!     --limit 20 --gguf models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
//!     --draft models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf --threads 2 --parallel 1 --k 0,3,5
//! ```
//!
//! Figures measured on a 2-core AMD EPYC (Qwen2.5-Coder 1.5B target, 0.5B draft, Q4_K_M) are in
//! the commit that added this example and in `BENCHMARKS.md`.

use clap::Parser;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use selaras::translate::llm::prompt::PromptTemplate;
use std::num::NonZeroU32;
use std::time::Instant;

/// Measure plain against speculative greedy decoding.
#[derive(Debug, Parser)]
struct Args {
    /// `source<TAB>reference` file (the first column is translated).
    #[arg(long)]
    tsv: String,
    /// Translate at most this many sentences (0: all).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Target model.
    #[arg(long)]
    gguf: String,
    /// Draft model (same vocabulary as the target).
    #[arg(long)]
    draft: String,
    /// CPU threads.
    #[arg(long, default_value_t = 2)]
    threads: i32,
    /// Sentences decoded side by side.
    #[arg(long, default_value_t = 1)]
    parallel: usize,
    /// Draft lengths to measure, comma-separated; 0 is plain greedy decoding.
    #[arg(long, value_delimiter = ',', default_value = "0,4", num_args = 0..)]
    k: Vec<usize>,
    /// Write each mode's translations to PREFIX.k<K>.en.
    #[arg(long)]
    hyp_prefix: Option<String>,
}

/// A model with a context whose sequence 0 holds the prompt prefix.
struct Lm<'m> {
    model: &'m LlamaModel,
    ctx: LlamaContext<'m>,
    prefix_len: i32,
}

impl<'m> Lm<'m> {
    fn new(
        backend: &LlamaBackend,
        model: &'m LlamaModel,
        threads: i32,
        seqs: usize,
        prefix: &str,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(8192))
            .with_n_batch(8192)
            .with_n_seq_max(seqs as u32 + 1)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
            .with_kv_unified(true)
            .with_flash_attention_policy(llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED);
        let mut ctx = model.new_context(backend, params)?;
        let tokens = model.vocab().tokenize(prefix.as_bytes(), true, false);
        let mut batch = LlamaBatch::new(tokens.len(), 1);
        for (i, t) in tokens.iter().enumerate() {
            batch.add(*t, i as i32, &[0], false)?;
        }
        ctx.decode(&mut batch)?;
        Ok(Lm {
            model,
            ctx,
            prefix_len: tokens.len() as i32,
        })
    }
}

/// One sentence in flight.
struct Seq {
    index: usize,
    /// Prompt tokens after the prefix (the source line).
    prompt: Vec<LlamaToken>,
    /// Output tokens; the last one is not in the target's cache yet.
    out: Vec<LlamaToken>,
    /// Output tokens already in the draft's cache.
    draft_has: usize,
    /// Drafted tokens of this round.
    drafts: Vec<LlamaToken>,
    /// Batch index of this sequence's draft logits in the current draft batch.
    draft_at: Option<i32>,
    /// Batch index of the first verification logits.
    verify_at: i32,
    bytes: Vec<u8>,
    budget: usize,
    done: bool,
}

#[derive(Default)]
struct Counts {
    generated: usize,
    drafted: usize,
    accepted: usize,
    target_steps: usize,
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime and stime are the 12th
    // and 13th, in clock ticks of 1/100 s.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn argmax(logits: &[f32]) -> LlamaToken {
    let mut best = 0usize;
    for (i, &v) in logits.iter().enumerate() {
        if v > logits[best] {
            best = i;
        }
    }
    LlamaToken::new(best as i32)
}

/// Whether `token` ends the output (end of generation or a line break).
fn ends(model: &LlamaModel, token: LlamaToken) -> bool {
    model.vocab().is_eog(token)
        || model
            .vocab()
            .token_to_piece(token, false, None)
            .contains(&b'\n')
}

/// Append `token` to `seq`; true when the sentence is finished.
fn accept(model: &LlamaModel, seq: &mut Seq, token: LlamaToken) -> bool {
    let vocab = model.vocab();
    if vocab.is_eog(token) {
        return true;
    }
    let piece = vocab.token_to_piece(token, false, None);
    if let Some(nl) = piece.iter().position(|&b| b == b'\n') {
        seq.bytes.extend_from_slice(&piece[..nl]);
        return true;
    }
    seq.bytes.extend_from_slice(&piece);
    seq.out.push(token);
    seq.out.len() >= seq.budget
}

fn seq_id(slot: usize) -> i32 {
    slot as i32 + 1
}

/// Translate `sources` with draft length `k` (0: plain greedy decoding).
fn run<'m>(
    target: &mut Lm<'m>,
    draft: &mut Lm<'m>,
    suffixes: &[Vec<LlamaToken>],
    parallel: usize,
    k: usize,
    counts: &mut Counts,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut out = vec![String::new(); suffixes.len()];
    let mut slots: Vec<Option<Seq>> = (0..parallel).map(|_| None).collect();
    let mut next = 0;
    let mut batch = LlamaBatch::new(8192, 1);
    loop {
        // Refill free slots: evaluate the sentence's prompt in both models; the target's last
        // logits give the first output token.
        batch.clear();
        let mut dbatch = LlamaBatch::new(8192, 1);
        for (j, slot) in slots.iter_mut().enumerate() {
            if slot.is_some() || next == suffixes.len() {
                continue;
            }
            let prompt = suffixes[next].clone();
            let s = seq_id(j);
            for ctx in [&mut target.ctx, &mut draft.ctx] {
                ctx.clear_kv_cache_seq(Some(s as u32), None, None)?;
                ctx.kv_cache_seq_cp(0, s, None, None)?;
            }
            for (i, t) in prompt.iter().enumerate() {
                let last = i + 1 == prompt.len();
                batch.add(*t, target.prefix_len + i as i32, &[s], last)?;
                if k > 0 {
                    dbatch.add(*t, draft.prefix_len + i as i32, &[s], false)?;
                }
            }
            let budget = 2 * prompt.len() + 16;
            *slot = Some(Seq {
                index: next,
                prompt,
                out: Vec::new(),
                draft_has: 0,
                drafts: Vec::new(),
                draft_at: None,
                verify_at: batch.n_tokens() - 1,
                bytes: Vec::new(),
                budget,
                done: false,
            });
            next += 1;
        }
        if batch.n_tokens() > 0 {
            target.ctx.decode(&mut batch)?;
            if dbatch.n_tokens() > 0 {
                draft.ctx.decode(&mut dbatch)?;
            }
            for seq in slots
                .iter_mut()
                .flatten()
                .filter(|s| s.out.is_empty() && !s.done)
            {
                let token = argmax(target.ctx.get_logits_ith(seq.verify_at));
                counts.generated += 1;
                if accept(target.model, seq, token) {
                    seq.done = true;
                }
            }
        }
        finish(&mut slots, target, draft, &mut out)?;
        if slots.iter().all(Option::is_none) {
            if next == suffixes.len() {
                return Ok(out);
            }
            continue;
        }

        // Draft up to k tokens per sequence, one batched draft step per token.
        for seq in slots.iter_mut().flatten() {
            seq.drafts.clear();
        }
        for round in 0..k {
            dbatch.clear();
            for (j, seq) in slots.iter_mut().enumerate() {
                let Some(seq) = seq else { continue };
                seq.draft_at = None;
                if round > 0 && seq.drafts.last().is_none_or(|&t| ends(draft.model, t)) {
                    continue;
                }
                let base = draft.prefix_len + seq.prompt.len() as i32;
                if round == 0 {
                    // Catch up with the accepted output.
                    for i in seq.draft_has..seq.out.len() {
                        let last = i + 1 == seq.out.len();
                        dbatch.add(seq.out[i], base + i as i32, &[seq_id(j)], last)?;
                    }
                    seq.draft_has = seq.out.len();
                } else {
                    let pos = base + (seq.out.len() + seq.drafts.len() - 1) as i32;
                    dbatch.add(
                        *seq.drafts.last().expect("a draft"),
                        pos,
                        &[seq_id(j)],
                        true,
                    )?;
                }
                let last = dbatch.n_tokens() - 1;
                seq.draft_at = Some(last);
            }
            if dbatch.n_tokens() == 0 {
                break;
            }
            draft.ctx.decode(&mut dbatch)?;
            for seq in slots.iter_mut().flatten() {
                if let Some(at) = seq.draft_at {
                    seq.drafts.push(argmax(draft.ctx.get_logits_ith(at)));
                    counts.drafted += 1;
                }
            }
        }

        // Verify: the last output token and the drafts in one target batch.
        batch.clear();
        for (j, seq) in slots.iter_mut().enumerate() {
            let Some(seq) = seq else { continue };
            let base = target.prefix_len + (seq.prompt.len() + seq.out.len()) as i32 - 1;
            seq.verify_at = batch.n_tokens();
            batch.add(
                *seq.out.last().expect("an output token"),
                base,
                &[seq_id(j)],
                true,
            )?;
            for (i, d) in seq.drafts.iter().enumerate() {
                batch.add(*d, base + 1 + i as i32, &[seq_id(j)], true)?;
            }
        }
        target.ctx.decode(&mut batch)?;
        counts.target_steps += 1;
        for (j, seq) in slots.iter_mut().enumerate() {
            let Some(seq) = seq else { continue };
            let base = target.prefix_len + (seq.prompt.len() + seq.out.len()) as i32 - 1;
            let kept_before = seq.out.len();
            let drafts = std::mem::take(&mut seq.drafts);
            let mut agreed = 0;
            for i in 0..=drafts.len() {
                let token = argmax(target.ctx.get_logits_ith(seq.verify_at + i as i32));
                counts.generated += 1;
                if accept(target.model, seq, token) {
                    seq.done = true;
                    break;
                }
                if i < drafts.len() && drafts[i] == token {
                    agreed += 1;
                    continue;
                }
                break;
            }
            counts.accepted += agreed;
            if seq.done {
                continue;
            }
            // Drop the rejected drafts from both caches.
            let keep = (base + 1 + agreed as i32) as u32;
            target
                .ctx
                .clear_kv_cache_seq(Some(seq_id(j) as u32), Some(keep), None)?;
            let in_draft = seq.draft_has + drafts.len().saturating_sub(1);
            let valid = (kept_before + agreed).min(in_draft);
            seq.draft_has = valid.min(seq.out.len() - 1);
            draft.ctx.clear_kv_cache_seq(
                Some(seq_id(j) as u32),
                Some((draft.prefix_len as usize + seq.prompt.len() + seq.draft_has) as u32),
                None,
            )?;
        }
        finish(&mut slots, target, draft, &mut out)?;
    }
}

/// Free the slots of finished sentences.
fn finish(
    slots: &mut [Option<Seq>],
    target: &mut Lm<'_>,
    draft: &mut Lm<'_>,
    out: &mut [String],
) -> Result<(), Box<dyn std::error::Error>> {
    for (j, slot) in slots.iter_mut().enumerate() {
        if slot.as_ref().is_some_and(|s| s.done) {
            let seq = slot.take().expect("a finished slot");
            out[seq.index] = String::from_utf8_lossy(&seq.bytes).trim().to_string();
            target
                .ctx
                .clear_kv_cache_seq(Some(seq_id(j) as u32), None, None)?;
            draft
                .ctx
                .clear_kv_cache_seq(Some(seq_id(j) as u32), None, None)?;
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut sources: Vec<String> = std::fs::read_to_string(&args.tsv)?
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect();
    if args.limit > 0 {
        sources.truncate(args.limit);
    }
    let mut backend = LlamaBackend::init()?;
    backend.void_logs();
    let params = LlamaModelParams::default();
    let target_model = LlamaModel::load_from_file(&backend, &args.gguf, &params)?;
    let draft_model = LlamaModel::load_from_file(&backend, &args.draft, &params)?;
    let variant = PromptTemplate::default_id_en().variants.remove(0);
    let prefix_tokens = target_model
        .vocab()
        .tokenize(variant.prefix.as_bytes(), true, false)
        .len();
    // Each sentence's part: the whole prompt's tokens after the prefix's (as the backend does).
    let suffixes: Vec<Vec<LlamaToken>> = sources
        .iter()
        .map(|s| {
            let full = target_model
                .vocab()
                .tokenize(variant.full(s).as_bytes(), true, false);
            full[prefix_tokens.min(full.len())..].to_vec()
        })
        .collect();
    let source_tokens: usize = sources
        .iter()
        .map(|s| {
            target_model
                .vocab()
                .tokenize(s.as_bytes(), false, false)
                .len()
        })
        .sum();
    let suffix_tokens: usize = suffixes.iter().map(Vec::len).sum();
    let n = sources.len().max(1) as f64;
    println!(
        "prompt: prefix {prefix_tokens} tokens; per sentence {:.1} tokens ({:.1} of them the source)",
        suffix_tokens as f64 / n,
        source_tokens as f64 / n
    );
    let mut plain: Option<Vec<String>> = None;
    for &k in &args.k {
        let mut target = Lm::new(
            &backend,
            &target_model,
            args.threads,
            args.parallel,
            &variant.prefix,
        )?;
        let mut draft = Lm::new(
            &backend,
            &draft_model,
            args.threads,
            args.parallel,
            &variant.prefix,
        )?;
        let mut counts = Counts::default();
        let start = Instant::now();
        let cpu = cpu_seconds();
        let hyps = run(
            &mut target,
            &mut draft,
            &suffixes,
            args.parallel,
            k,
            &mut counts,
        )?;
        let secs = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        let same = plain
            .as_ref()
            .map(|p| p.iter().zip(&hyps).filter(|(a, b)| a == b).count());
        println!(
            "k={k} parallel={} threads={}: {} sentences in {secs:.1} s = {:.3} s/sentence \
             (cpu {cpu:.1} s); \
             {} tokens, {} target steps, drafted {} accepted {} ({:.0}%); same as k=0: {}",
            args.parallel,
            args.threads,
            sources.len(),
            secs / sources.len().max(1) as f64,
            counts.generated,
            counts.target_steps,
            counts.drafted,
            counts.accepted,
            100.0 * counts.accepted as f64 / counts.drafted.max(1) as f64,
            same.map_or_else(|| "-".to_string(), |n| format!("{n}/{}", sources.len())),
        );
        if let Some(prefix) = &args.hyp_prefix {
            let text: String = hyps.iter().map(|h| format!("{h}\n")).collect();
            std::fs::write(format!("{prefix}.k{k}.en"), text)?;
        }
        if k == 0 {
            plain = Some(hyps);
        }
    }
    Ok(())
}
