#!/usr/bin/env bash
# Rebuild tests/data/mt_scores/: references, several hypothesis files and the BLEU/chrF
# numbers sacrebleu (PyPI, pinned) gives them with its defaults. tests/mt_scores.rs checks that
# `selaras eval translate` reproduces them.
# Needs python3 with venv; installs sacrebleu into $VENV (default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=tests/data/mt_scores
VENV=${VENV:-$(mktemp -d)/venv}
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet sacrebleu==2.6.0; }
mkdir -p "$OUT"
"$VENV/bin/python" - tests/data/eval/lohelp_id_en.dev.tsv "$OUT" <<'PY'
import json, random, sys
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
dev, out = sys.argv[1], sys.argv[2]
pairs = [l.rstrip("\n").split("\t") for l in open(dev, encoding="utf-8")][:150]
src = [p[0] for p in pairs]
ref = [p[1] for p in pairs]
rng = random.Random(7)
def perturb(line):
    words = line.split()
    out = []
    for w in words:
        r = rng.random()
        if r < 0.12:
            continue
        if r < 0.2:
            w = w.lower()
        if r < 0.25 and out:
            out[-1], w = w, out[-1]
        out.append(w)
    return " ".join(out)
edge_ref = [
    "It costs $1,000.50 (about 3.5%) -- see \"A&amp;B\" & co.",
    "On 12/4/2024 at 10:30, 15-20 people met.",
    "Tokyo's station... isn't it?",
    "",
    "Crème brûlée — naïve café; ½ price!",
    "a b c",
    "The end.",
]
edge_hyp = [
    "It costs 1,000.50 dollars (about 3,5 %) - see \"A&B\" and co.",
    "On April 12, 2024 at 10.30, 15 - 20 people met .",
    "Tokyos station ... is not it ?",
    "nothing here",
    "Creme brulee - naive cafe; 1/2 price",
    "a b",
    "",
]
sets = {
    "copy": (src, ref),
    "perturbed": ([perturb(r) for r in ref], ref),
    "edge": (edge_hyp, edge_ref),
}
expected = {}
for name, (hyp, refs) in sets.items():
    with open(f"{out}/{name}.hyp", "w", encoding="utf-8") as f:
        f.write("".join(h + "\n" for h in hyp))
    with open(f"{out}/{name}.ref", "w", encoding="utf-8") as f:
        f.write("".join(r + "\n" for r in refs))
    bleu = BLEU().corpus_score(hyp, [refs])
    chrf = CHRF().corpus_score(hyp, [refs])
    expected[name] = {"bleu": bleu.score, "chrf": chrf.score}
expected["_sacrebleu"] = sacrebleu.__version__
with open(f"{out}/expected.json", "w", encoding="utf-8") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
PY
