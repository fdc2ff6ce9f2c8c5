#!/usr/bin/env bash
# Fuzzes the gateway's client input with libFuzzer, ASan and UBSan.
#
#   fuzz/run.sh [seconds] [target] [libFuzzer flags...]   (default: 600, all)
#
# Targets (each runs for `seconds`, one after the other when `all`):
#   frame_decoder_fuzz   gateway::frame_decoder::decode on WebSocket text frames
#   http_request_fuzz    the HTTP request path: Beast's request parser with the
#                        server's limits, then gateway::route_request (/v1/*,
#                        /metrics, /healthz, /readyz, Authorization: Bearer,
#                        upgrades to /v1/ws) and the query and bearer parsers
#   all                  both
# A first argument after `seconds` that starts with `-` is a libFuzzer flag,
# so `fuzz/run.sh 60 -jobs=2` still fuzzes every target.
#
# Builds build-fuzz/TARGET with clang, then runs it on its seed corpus
# (fuzz/corpus/ for frames, fuzz/corpus-http/ for HTTP) plus its working
# corpus (build-fuzz/corpus/, build-fuzz/corpus-http/, kept between runs).
# A crash or broken invariant stops the run and leaves the input in
# build-fuzz/crash-*; replay it with `build-fuzz/TARGET FILE`.
# The seed corpora also run in every test run, without libFuzzer
# (fuzz/CMakeLists.txt: ctest -R fuzz): add a crash's input to the seeds to
# keep it fixed.
#
# On a shared machine: `nice -n 19 fuzz/run.sh 600 http_request_fuzz`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
shift || true
target=all
if [[ $# -gt 0 && "$1" != -* ]]; then
  target="$1"
  shift
fi
case "$target" in
  all) targets=(frame_decoder_fuzz http_request_fuzz) ;;
  frame_decoder_fuzz | http_request_fuzz) targets=("$target") ;;
  *)
    echo "unknown target '$target': frame_decoder_fuzz, http_request_fuzz or all" >&2
    exit 2
    ;;
esac
out="$root/build-fuzz"
mkdir -p "$out"

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

# Each target with what it needs, instrumented. No -DNDEBUG: simdjson's and
# Boost's own assertions catch API misuse.
build() {
  local name="$1"
  shift
  echo "building $out/$name with $cxx" >&2
  "$cxx" -std=c++20 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$root" "$@" -o "$out/$name"
}

run() {
  local name="$1" corpus="$2" seeds="$3" dict="$4" max_len="$5"
  shift 5
  mkdir -p "$out/$corpus"
  (cd "$out" && "./$name" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=5 \
    -rss_limit_mb=2048 -dict="$root/fuzz/$dict" -artifact_prefix="$out/" \
    -print_final_stats=1 "$@" \
    "$out/$corpus" "$root/fuzz/$seeds")
}

for t in "${targets[@]}"; do
  case "$t" in
    frame_decoder_fuzz)
      build frame_decoder_fuzz \
        "$root/fuzz/frame_decoder_fuzz.cpp" \
        "$root/gateway/codec/decode.cpp" \
        "$root/gateway/codec/fields.cpp" \
        "$root/gateway/codec/read.cpp" \
        "$root/gateway/codec/scan.cpp" \
        "$root/engine/types.cpp" \
        -lsimdjson
      run frame_decoder_fuzz corpus corpus json.dict 8192 "$@"
      ;;
    http_request_fuzz)
      # Header (8 KiB) and body (8 KiB) limits, and a second request behind.
      build http_request_fuzz \
        "$root/fuzz/http_request_fuzz.cpp" \
        "$root/gateway/http/route.cpp" \
        "$root/gateway/http/bearer.cpp" \
        "$root/gateway/http/bare_token_guard.cpp" \
        "$root/gateway/http/attribution_query.cpp" \
        "$root/engine/auth/token.cpp" \
        "$root/engine/config/config.cpp" \
        "$root/engine/config/texts.cpp" \
        "$root/engine/types.cpp" \
        -lcrypto -pthread
      run http_request_fuzz corpus-http corpus-http http.dict 20000 "$@"
      ;;
  esac
done
