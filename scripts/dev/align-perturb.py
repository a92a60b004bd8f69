#!/usr/bin/env python3
"""Make a harder alignment test set from an align_gold folder: starting from its 1-1 links,
merge random neighbouring sentences on either side (2-1 / 1-2 blocks) and delete random
sentences (1-0 / 0-1), writing NAME.id, NAME.en and NAME.gold_fine into OUT.
Usage: scripts/dev/align-perturb.py GOLD_DIR OUT_DIR [SEED]"""
import os, random, re, sys

gold, out = sys.argv[1], sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
os.makedirs(out, exist_ok=True)
parse = lambda s: [int(x) for x in s.strip("[]").split(",") if x.strip()]
for name in sorted(f[:-3] for f in os.listdir(gold) if f.endswith(".id")):
    src = open(f"{gold}/{name}.id", encoding="utf-8").read().splitlines()
    tgt = open(f"{gold}/{name}.en", encoding="utf-8").read().splitlines()
    pairs = []
    for line in open(f"{gold}/{name}.gold_fine"):
        a, b = line.strip().split(":")[:2]
        a, b = parse(a), parse(b)
        if len(a) == 1 and len(b) == 1:
            pairs.append((src[a[0]], tgt[b[0]]))
    # units: (list of src sentences, list of tgt sentences)
    units, i = [], 0
    while i < len(pairs):
        r = rng.random()
        if r < 0.08 and i + 1 < len(pairs):      # target translator merged two sentences
            units.append(([pairs[i][0], pairs[i + 1][0]], [pairs[i][1] + " " + pairs[i + 1][1]])); i += 2
        elif r < 0.16 and i + 1 < len(pairs):    # source has one sentence where target has two
            units.append(([pairs[i][0] + " " + pairs[i + 1][0]], [pairs[i][1], pairs[i + 1][1]])); i += 2
        elif r < 0.20:
            units.append(([pairs[i][0]], [])); i += 1
        elif r < 0.24:
            units.append(([], [pairs[i][1]])); i += 1
        else:
            units.append(([pairs[i][0]], [pairs[i][1]])); i += 1
    S, T, G = [], [], []
    for s, t in units:
        a = list(range(len(S), len(S) + len(s))); b = list(range(len(T), len(T) + len(t)))
        S += s; T += t
        G.append(f"[{','.join(map(str, a))}]:[{','.join(map(str, b))}]")
    # adjacent deletions form one block, as in align_gold
    merged = []
    for g in G:
        if merged and g.endswith(":[]") and merged[-1].endswith(":[]"):
            merged[-1] = merged[-1][:-4] + "," + g[1:]
        elif merged and g.startswith("[]:") and merged[-1].startswith("[]:"):
            merged[-1] = merged[-1][:-1] + "," + g[4:]
        else:
            merged.append(g)
    open(f"{out}/{name}.id", "w", encoding="utf-8").write("\n".join(S) + "\n")
    open(f"{out}/{name}.en", "w", encoding="utf-8").write("\n".join(T) + "\n")
    open(f"{out}/{name}.gold_fine", "w").write("\n".join(merged) + "\n")
