#!/usr/bin/env bash
# Sets up, builds and starts Baton with config/baton.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${BUILD_DIR:-build}/bin/baton" --config "${BATON_CONFIG:-config/baton.toml}" "$@"
