#!/usr/bin/env bash
# A soak: Baton over WebSocket with SQLite and fsync, at half the routing
# rate it reached in the same run, for a long while. It shows whether memory
# only grows, whether errors appear and whether latency drifts.
#
#   bench/soak.sh               # 30 minutes of load, about 31 in all
#   MINUTES=10 bench/soak.sh    # shorter
#
# 1. A closed loop of 20 s (50 customers at once) finds the best routes/s.
# 2. An open loop at half of it for MINUTES, with a timeline row every
#    10 s (baton-load --timeline): rates, errors, that interval's route and
#    message p99, the server's RSS and CPU.
# 3. The verdict, against docs/benchmarks.md's targets: RSS at the end
#    within 5 % of its level at 5 minutes (a sixth of the run if shorter),
#    no errors, route p99 steady (each row's against the median row, over
#    the whole run and from the RSS mark on, the first minutes apart).
# 4. docs/img/soak.png (gnuplot, Debian gnuplot-nox): RSS, routes/s and
#    route p99 over time.
#
# Writes $OUT (default build/soak): closed.json, timeline.tsv, open.json,
# verdict.txt. Needs a build with baton-load (BUILD_DIR, default build) and
# python3; installs nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BIN="$BUILD_DIR/bin"
OUT="${OUT:-$BUILD_DIR/soak}"
IMG="${IMG:-$ROOT/docs/img}"
MINUTES="${MINUTES:-30}"
mkdir -p "$OUT" "$IMG"
ulimit -n "$(ulimit -Hn)"

centre=(--spawn --storage sqlite --durability fsync --agents 200
        --messages 5 --no-progress --json)
note() { echo "== $*" >&2; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

note "closed loop, 20 s: the best rate"
"$BIN/baton-load" "${centre[@]}" --capacity 4 --concurrency 50 \
  --duration 20 | tail -n 1 > "$OUT/closed.json"
best=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["routed_per_sec"])' \
  "$OUT/closed.json")
rate=$(python3 -c "print(round($best / 2))")

note "open loop at $rate/s (half of $best) for $MINUTES minutes"
"$BIN/baton-load" "${centre[@]}" --capacity 20 --concurrency 20000 \
  --rate "$rate" --duration $((MINUTES * 60)) \
  --timeline "$OUT/timeline.tsv" --timeline-s 10 | tail -n 1 > "$OUT/open.json"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

python3 - "$OUT" "$best" "$rate" <<'PY' | tee "$OUT/verdict.txt"
import csv, json, statistics, sys
out, best, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rows = list(csv.DictReader(open(f"{out}/timeline.tsv"), delimiter="\t"))
run = json.load(open(f"{out}/open.json"))
end_t = float(rows[-1]["t_s"])
mark = min(300.0, end_t / 6)
early = next(r for r in rows if float(r["t_s"]) >= mark)
rss_early, rss_end = float(early["server_rss_mib"]), float(rows[-1]["server_rss_mib"])
growth = (rss_end - rss_early) / rss_early
errors = sum(run["errors"].values())
p99s = [float(r["route_p99_ms"]) for r in rows if int(r["route_samples"]) >= 100]
median = statistics.median(p99s)
worst = max(p99s)
print(f"best closed-loop rate {best:.1f}/s; soak at {rate}/s for {end_t:.0f} s")
print(f"routed {run['conversations_routed']}, open at the end {run['conversations_open_at_end']}")
print(f"RSS {rss_early:.1f} MiB at {float(early['t_s']):.0f} s, {rss_end:.1f} MiB at the end: "
      f"{growth * 100:+.1f} % ({'met' if abs(growth) <= 0.05 else 'NOT met'}: within 5 %)")
print(f"errors {errors} ({'met' if errors == 0 else 'NOT met'})")
print(f"route p99 per 10 s: median {median:.2f} ms, worst {worst:.2f} ms "
      f"({worst / median:.1f} x the median, {len(p99s)} rows of >= 100 routes)")
# The same from the RSS mark on, the first minutes apart.
settled = [float(r["route_p99_ms"]) for r in rows
           if float(r["t_s"]) >= mark and int(r["route_samples"]) >= 100]
if settled:
    print(f"  from {mark:.0f} s on: worst {max(settled):.2f} ms "
          f"({max(settled) / median:.1f} x the median, {len(settled)} rows)")
print(f"route p99 over the run {run['route_latency_ms']['p99']:.2f} ms")
PY

if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal pngcairo size 800,720 font "sans,10"
set output "$IMG/soak.png"
set multiplot layout 3,1 title "Soak: $rate conversations/s over WebSocket, SQLite with fsync"
set grid
set key off
set xlabel "minutes"
set datafile separator "\t"
set ylabel "server RSS MiB"
set yrange [0:*]
plot "$OUT/timeline.tsv" using (\$1/60):11 skip 1 with lines
set ylabel "routed/s"
plot "$OUT/timeline.tsv" using (\$1/60):3 skip 1 with lines
set ylabel "route p99 ms"
plot "$OUT/timeline.tsv" using (\$1/60):9 skip 1 with lines
unset multiplot
GP
else
  note "gnuplot not found (Debian: gnuplot-nox): no plot"
fi
