#!/usr/bin/env bash
# Sets up, builds and starts Baton with config/baton.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
bin="${BUILD_DIR:-build}/bin/baton"
# BATON_CONFIG is this script's: baton ignores it rather than refusing it as
# a misspelt setting (docs/configuration.md, "Environment overrides").
config="${BATON_CONFIG:-config/baton.toml}"
# The demo's secret is made on first start (auth.secret_file); tokens are
# signed with it, so they are minted after the configuration is read. Its
# paths are relative to the file: config/baton.toml keeps the database and
# the secret in data/ at the top of the checkout.
cat >&2 <<EOF_HELP
baton: the consoles are at http://127.0.0.1:8080/ (the landing page) and
  http://127.0.0.1:8080/widget (the customer chat) with config/baton.toml
baton: sign in the demo centre's staff with a token from
  $bin token --config $config --role agent --user alice
  (agents alice, bob, carol, dave; --role supervisor --user erin)
EOF_HELP
exec "$bin" --config "$config" "$@"
