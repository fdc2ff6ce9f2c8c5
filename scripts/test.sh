#!/usr/bin/env bash
# Sets up, checks the formatting, builds, runs every test, then clang-tidy
# (scripts/tidy.sh; SKIP_TIDY=1 leaves it out of a local run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/format.sh --check
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
# Last: the slowest step (minutes), and the tests' verdict matters first.
[ "${SKIP_TIDY:-0}" = 1 ] || scripts/tidy.sh "${BUILD_DIR:-build}"
