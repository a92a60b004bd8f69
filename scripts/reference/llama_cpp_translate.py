#!/usr/bin/env python3
"""Reference for selaras's `llm` backend: the same prompt and decoding through llama-cpp-python.

Translates FILE (one sentence per line) to stdout, one line per input line, the way
`selaras translate --backend llm --parallel 1` does: the first variant of the prompt template
(default: selaras's built-in src/translate/llm/prompts/id-en.txt), its prefix (the text before
the `{source}` line) evaluated once and kept in the KV cache, then for each sentence the
`{source}` line and what follows it; greedy (argmax, first maximum), flash attention off, stop at
the end of the line or an end-of-generation token, a budget of ceil(ratio x source tokens) + 16
tokens, and the same cut of repetition loops. Sentences are decoded one at a time (no parallel
sequences). Timing goes to stderr.

    python3 -m venv /tmp/llcp && /tmp/llcp/bin/pip install llama-cpp-python
    /tmp/llcp/bin/python scripts/reference/llama_cpp_translate.py sentences.id.txt \\
        --gguf models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf --threads 1 > out.en.txt
"""

import argparse
import math
import os
import sys
import time

import llama_cpp
import numpy as np

PLACEHOLDER = "{source}"
DEFAULT_PROMPT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "translate", "llm", "prompts", "id-en.txt"
)


def parse_template(text):
    """The variants of a template as (prefix, suffix) pairs, as src/translate/llm/prompt.rs parses."""
    blocks = [[]]
    for line in text.splitlines():
        if line.rstrip() == "===":
            blocks.append([])
        elif not line.startswith("#"):
            blocks[-1].append(line)
    variants = []
    for n, block in enumerate(blocks):
        body = "\n".join(block).strip("\n")
        if body.count(PLACEHOLDER) != 1:
            sys.exit(f"variant {n + 1} must hold {PLACEHOLDER} exactly once")
        at = body.index(PLACEHOLDER)
        line_start = body.rfind("\n", 0, at) + 1
        variants.append((body[:line_start], body[line_start:].rstrip()))
    return variants


def loop_cut(tokens):
    """Bytes to drop when the tokens end in a repetition loop (as engine.rs's Slot::push), else None.

    `tokens` is a list of (token, piece bytes); on a loop the extra copies are removed from it."""
    n = len(tokens)
    for period in range(1, 9):
        copies = 10 if period == 1 else 4 if period == 2 else 3
        if n < copies * period:
            continue
        last = [t for t, _ in tokens[n - period :]]
        if period > 1 and all(t == last[0] for t in last):
            continue
        if all(
            [t for t, _ in tokens[n - (k + 1) * period : n - k * period]] == last for k in range(1, copies)
        ):
            keep = n - (copies - 1) * period
            cut = sum(len(p) for _, p in tokens[keep:])
            del tokens[keep:]
            return cut
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="input, one sentence per line")
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--prompt", default=DEFAULT_PROMPT, help="template file (default: selaras's id-en prompt)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--max-tokens-ratio", type=float, default=2.0)
    ap.add_argument("--show-tokens", action="store_true", help="print prompt token counts to stderr")
    args = ap.parse_args()

    with open(args.prompt, encoding="utf-8") as f:
        prefix, suffix = parse_template(f.read())[0]
    with open(args.file, encoding="utf-8") as f:
        sources = f.read().splitlines()

    t0 = time.perf_counter()
    llm = llama_cpp.Llama(
        model_path=args.gguf,
        n_ctx=args.ctx,
        n_batch=args.ctx,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        flash_attn=False,
        verbose=False,
    )
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    n_vocab = llm.n_vocab()
    load_s = time.perf_counter() - t0

    def tok(text, bos):
        return llm.tokenize(text.encode("utf-8"), add_bos=bos, special=False)

    prefix_tokens = tok(prefix, True)
    t1 = time.perf_counter()
    llm.reset()
    llm.eval(prefix_tokens)
    prefix_s = time.perf_counter() - t1
    n_prefix = llm.n_tokens
    suffix_lens, generated = [], 0

    t2 = time.perf_counter()
    for source in sources:
        if not source.strip():
            print("", flush=True)
            continue
        one_line = " ".join(source.split())
        suffix_tokens = tok(suffix.replace(PLACEHOLDER, one_line, 1), False)
        suffix_lens.append(len(suffix_tokens))
        budget = max(1, math.ceil(max(args.max_tokens_ratio, 0.1) * len(tok(source, False))) + 16)
        budget = min(budget, args.ctx - n_prefix - len(suffix_tokens))
        llm.n_tokens = n_prefix  # eval() drops the cache from here on: the prefix is reused
        llm.eval(suffix_tokens)
        out, toks = bytearray(), []
        while True:
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(n_vocab,))
            token = int(np.argmax(logits))  # the first maximum, as selaras
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                break
            piece = llm.detokenize([token], special=False)
            nl = piece.find(b"\n")
            if nl >= 0:
                out += piece[:nl]
                generated += 1
                break
            out += piece
            toks.append((token, piece))
            generated += 1
            cut = loop_cut(toks)
            if cut is not None:
                del out[len(out) - cut :]
                break
            if len(toks) >= budget:
                break
            llm.eval([token])
        print(out.decode("utf-8", errors="replace").strip(), flush=True)
    run_s = time.perf_counter() - t2

    n = sum(1 for s in sources if s.strip())
    print(
        f"llama_cpp_translate: {n} sentences in {run_s:.1f} s = {run_s / max(n, 1):.2f} s/sentence "
        f"(threads {args.threads}; load {load_s:.1f} s, prefix {prefix_s:.1f} s; "
        f"{generated} tokens generated)",
        file=sys.stderr,
    )
    if args.show_tokens:
        lens = sorted(suffix_lens) or [0]
        print(
            f"llama_cpp_translate: prefix {n_prefix} tokens; per-sentence part mean "
            f"{sum(lens) / len(lens):.1f}, median {lens[len(lens) // 2]}, min {lens[0]}, max {lens[-1]} tokens",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
