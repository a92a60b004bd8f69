#!/usr/bin/env bash
# Align every document of an align_gold folder and score it against the .gold_fine files.
# Usage: scripts/align-eval.sh METHOD [GOLD_DIR] [extra selaras align options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
method="$1"; shift
gold="${1:-${SELARAS_SHARED:-$root/../shared}/eval/align_gold/lohelp_id_en}"; shift || true
bin="${SELARAS_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/selaras}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for src in "$gold"/*.id; do
  name="$(basename "$src" .id)"
  "$bin" align "$src" "$gold/$name.en" --method "$method" "$@" > "$out/$name.align"
done
"$bin" eval align --gold "$gold" --pred "$out" --gold-ext gold_fine | tail -n1
