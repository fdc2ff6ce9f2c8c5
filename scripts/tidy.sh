#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over Baton's own sources; fails on any finding.
#
#   scripts/tidy.sh [BUILD_DIR]        (default: build-tidy)
#
# Reads BUILD_DIR/compile_commands.json after configuring BUILD_DIR (a
# configure is enough, no build: nothing is generated). By default only the
# server's sources are checked: engine/ gateway/ actors/ app/ log/ (about 65
# files, ~5 minutes on 2 cores). Tests, benchmarks and fuzz targets would
# triple that; check them, or any folders, with e.g.
#   TIDY_DIRS="tests bench fuzz" scripts/tidy.sh
# Their headers are checked through the sources that include them. json/ is
# Boost.JSON's own code. The full report goes to BUILD_DIR/tidy.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build_dir=${1:-build-tidy}
dirs=${TIDY_DIRS:-engine gateway actors app log}

if [ -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" >/dev/null # refresh after a CMakeLists change
else
  cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
fi

# One entry per source in the chosen folders: fuzz/ compiles some gateway
# and engine sources a second time, which would check them twice.
db_dir="$build_dir/tidy"
mkdir -p "$db_dir"
count=$(python3 - "$build_dir/compile_commands.json" "$db_dir/compile_commands.json" \
  "$root" $dirs <<'EOF'
import json, os, sys
src, dst, root, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
seen, keep = set(), []
for e in json.load(open(src)):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] in dirs and f not in seen:
        seen.add(f)
        keep.append(dict(e, file=f))
json.dump(keep, open(dst, "w"), indent=1)
print(len(keep))
EOF
)
[ "$count" -gt 0 ] || { echo "tidy: no sources in: $dirs" >&2; exit 1; }

log="$build_dir/tidy.log"
start=$SECONDS
status=0
# run-clang-tidy 14 always asks for colours: strip them for logs.
run-clang-tidy -quiet -j"$(nproc)" -p "$db_dir" 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' >"$log" || status=$?
if [ "$status" -ne 0 ]; then
  # Drop run-clang-tidy's echo of each command line and clang's counters.
  grep -v -E '^(/usr/bin/)?clang-tidy(-[0-9]+)? |^[0-9]+ (warnings?|errors?)( and [0-9]+ (warnings?|errors?))? generated\.$' \
    "$log" >&2 || true
  echo "tidy: findings in $dirs (full report: $log)" >&2
  exit 1
fi
echo "tidy: $count files ok ($dirs) in $((SECONDS - start))s"
