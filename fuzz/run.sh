#!/usr/bin/env bash
# Fuzzes gateway::frame_decoder::decode with libFuzzer, ASan and UBSan.
#
#   fuzz/run.sh [seconds] [libFuzzer flags...]     (default: 600 seconds)
#
# Builds build-fuzz/frame_decoder_fuzz with clang, then runs it on the seed
# corpus fuzz/corpus/ plus the working corpus build-fuzz/corpus/ (kept between
# runs). A crash or broken invariant stops the run and leaves the input in
# build-fuzz/crash-*; replay it with `build-fuzz/frame_decoder_fuzz FILE`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
shift || true
out="$root/build-fuzz"
mkdir -p "$out/corpus"

cxx="${CXX_FUZZ:-}"
if [[ -z "$cxx" ]]; then
  for c in clang++-14 clang++; do
    if command -v "$c" >/dev/null; then cxx="$c"; break; fi
  done
fi
# libFuzzer lives in libclang-rt-14-dev; install clang if either is missing.
if [[ -z "$cxx" ]] \
   || ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' \
        | "$cxx" -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "installing clang and libFuzzer (clang libclang-rt-14-dev)" >&2
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev
  cxx=clang++
fi

# The decoder with what it needs, instrumented. No -DNDEBUG: simdjson's own
# assertions catch API misuse.
sources=(
  "$root/fuzz/frame_decoder_fuzz.cpp"
  "$root/gateway/codec/decode.cpp"
  "$root/gateway/codec/fields.cpp"
  "$root/gateway/codec/read.cpp"
  "$root/gateway/codec/scan.cpp"
  "$root/engine/types.cpp"
)
echo "building $out/frame_decoder_fuzz with $cxx" >&2
"$cxx" -std=c++20 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I"$root" "${sources[@]}" -lsimdjson -o "$out/frame_decoder_fuzz"

cd "$out"
exec ./frame_decoder_fuzz \
  -max_total_time="$seconds" -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
  -dict="$root/fuzz/json.dict" -artifact_prefix="$out/" \
  -print_final_stats=1 "$@" \
  "$out/corpus" "$root/fuzz/corpus"
