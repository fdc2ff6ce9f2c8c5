#!/usr/bin/env bash
# Installs the Debian 12 packages Baton needs. Idempotent: when everything is
# present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format clang-tidy
  libcaf-dev libboost1.81-dev libsimdjson-dev libmimalloc-dev
  libtomlplusplus-dev libsqlite3-dev libssl-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev postgresql haproxy
  chromium
)

# The consoles (web/) build with Node and npm and are tested in Chromium.
# Debian's nodejs and npm only where the commands are missing: a newer Node
# with its own npm (nodesource) conflicts with Debian's npm package.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
