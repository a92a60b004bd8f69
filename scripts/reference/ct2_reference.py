#!/usr/bin/env python3
"""Reference translations with Python ctranslate2 + sentencepiece, decoded as argostranslate does.

Reads one sentence per line, writes one translation per line (empty lines stay empty). Tokenizes
with the pack's sentencepiece.model (Argos pack: no `</s>` added here; CTranslate2 adds it when the
model's config.json says add_source_eos) or with source.spm/target.spm (OPUS-MT folder: `</s>`
appended unless config.json adds it). Decoding: beam N, length_penalty 0.2, replace_unknowns,
max_decoding_length 256 -- argostranslate's settings.

--mode batched      one translate_batch call over all sentences (CTranslate2 splits and sorts it)
--mode per-sentence one translate_batch call per sentence, as argostranslate does
--stats             print sentences/s and target tokens/s of the translation step to stderr

Run it through scripts/reference/ct2-reference, which sets up the Python environment.
"""
import argparse
import json
import os
import sys
import time

import ctranslate2
import sentencepiece as spm


def load(model):
    if os.path.isfile(os.path.join(model, "metadata.json")):
        ct2_dir = os.path.join(model, "model")
        source = spm.SentencePieceProcessor(model_file=os.path.join(model, "sentencepiece.model"))
        return ct2_dir, source, None, False
    ct2_dir = model
    source = spm.SentencePieceProcessor(model_file=os.path.join(model, "source.spm"))
    target = spm.SentencePieceProcessor(model_file=os.path.join(model, "target.spm"))
    adds_eos = False
    config = os.path.join(model, "config.json")
    if os.path.isfile(config):
        with open(config, encoding="utf-8") as f:
            adds_eos = bool(json.load(f).get("add_source_eos", False))
    return ct2_dir, source, target, not adds_eos


def detokenize(pieces, target):
    if target is not None:
        return target.decode(pieces).strip()
    return "".join(pieces).replace("\u2581", " ").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="Argos pack folder or CTranslate2 OPUS-MT folder")
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--compute-type", default="float32")
    ap.add_argument("--threads", type=int, default=2, help="intra_threads: threads per replica")
    ap.add_argument("--inter-threads", type=int, default=1, help="replicas translating batches in parallel")
    ap.add_argument("--mode", choices=["batched", "per-sentence"], default="batched")
    ap.add_argument("--max-batch-size", type=int, default=32)
    ap.add_argument("--batch-type", choices=["examples", "tokens"], default="examples")
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("input", nargs="?", default="-")
    args = ap.parse_args()

    ct2_dir, source, target, append_eos = load(args.model)
    translator = ctranslate2.Translator(
        ct2_dir, device="cpu", compute_type=args.compute_type, inter_threads=args.inter_threads, intra_threads=args.threads
    )
    stream = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    lines = [line.rstrip("\n") for line in stream]
    todo = [i for i, line in enumerate(lines) if line.strip()]
    tokens = []
    for i in todo:
        pieces = source.encode(lines[i].strip(), out_type=str)
        tokens.append(pieces + ["</s>"] if append_eos else pieces)

    options = dict(
        beam_size=args.beam,
        length_penalty=0.2,
        replace_unknowns=True,
        max_decoding_length=256,
    )
    start = time.perf_counter()
    if args.mode == "batched":
        results = translator.translate_batch(
            tokens, max_batch_size=args.max_batch_size, batch_type=args.batch_type, **options
        )
    else:
        results = [translator.translate_batch([t], **options)[0] for t in tokens]
    seconds = time.perf_counter() - start

    out = [""] * len(lines)
    target_tokens = 0
    for i, result in zip(todo, results):
        pieces = result.hypotheses[0]
        target_tokens += len(pieces)
        out[i] = detokenize(pieces, target)
    sys.stdout.write("".join(line + "\n" for line in out))
    if args.stats:
        print(
            f"python-ct2 {args.mode} (inter_threads {args.inter_threads}, intra_threads {args.threads}): {len(todo)} sentences, {target_tokens} target tokens, "
            f"{seconds:.2f} s, {len(todo) / seconds:.2f} sentences/s, {target_tokens / seconds:.1f} target tokens/s",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
