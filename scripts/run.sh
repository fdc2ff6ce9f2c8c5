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
# Tokens are signed with the demo's secret, which `baton token` makes on
# first use (auth.secret_file), so the links below work with the server
# this script starts. Its paths are relative to the file: config/baton.toml
# keeps the database and the secret in data/ at the top of the checkout.
# A link holds its token in the URL's fragment, which browsers never send.
ttl=28800 # a working day: the desk signs out when its token expires
links=""
for who in agent:alice agent:bob agent:carol agent:dave supervisor:erin; do
  # Another configuration may not have them on its roster: skipped.
  if link=$("$bin" token --config "$config" --role "${who%%:*}" \
      --user "${who#*:}" --ttl "$ttl" --link 2>/dev/null); then
    links+=$'\n'"  ${who#*:} (${who%%:*}): $link"
  fi
done
cat >&2 <<EOF_HELP
baton: the consoles are at http://127.0.0.1:8080/ (the landing page) and
  http://127.0.0.1:8080/widget (the customer chat) with config/baton.toml
baton: the demo staff sign in by opening their link (valid $((ttl / 3600)) hours;
  make more with $bin token --config $config --role agent --user alice --link):${links}
EOF_HELP
exec "$bin" --config "$config" "$@"
