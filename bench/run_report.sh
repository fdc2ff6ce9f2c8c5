#!/usr/bin/env bash
# Runs Baton's benchmarks and load tests and writes their figures:
#   $OUT/*.jsonl     one JSON object per run (baton-load --json and friends)
#   $OUT/tables.md   the tables of docs/benchmarks.md
#   docs/img/*.png   the plots (gnuplot)
#
#   bench/run_report.sh            # everything, about 10 minutes
#   QUICK=1 bench/run_report.sh    # shorter runs, fewer points
#
# Needs a build with the bench targets (BUILD_DIR, default build), gnuplot
# (Debian: gnuplot-nox) for the plots, and python3 for the tables. It
# installs nothing. Runs against servers it starts itself on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BIN="$BUILD_DIR/bin"
OUT="${OUT:-$BUILD_DIR/bench-report}"
IMG="${IMG:-$ROOT/docs/img}"
QUICK="${QUICK:-0}"
mkdir -p "$OUT" "$IMG"

if [[ "$QUICK" == 1 ]]; then
  DURATION=3; CONCURRENCY="1 10 50 200"; IDLE_SESSIONS="1000 5000"
  IDLE_CONVERSATIONS="10000 100000"; AGENTS="10 1000"
else
  DURATION=8; CONCURRENCY="1 10 50 100 200 400"
  IDLE_SESSIONS="1000 5000 10000 18000"
  IDLE_CONVERSATIONS="10000 100000 1000000"; AGENTS="10 100 1000 5000"
fi

# Sessions need descriptors: as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)"

note() { echo "== $*" >&2; }
load() { "$BIN/baton-load" --no-progress --json "$@" | tail -n 1; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "host: $(uname -srm), $(nproc) cpus"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
} > "$OUT/machine.txt"

# 1. The ceiling: baton-echo, one frame in flight per connection.
note "echo ceiling"
: > "$OUT/echo.jsonl"
for c in $CONCURRENCY; do
  echo "{\"concurrency\":$c,\"run\":$(load --spawn --echo --duration "$DURATION" \
    --concurrency "$c")}" >> "$OUT/echo.jsonl"
done

# 2. Baton, closed loop: c customers at once, each conversation 5 messages
#    answered by the agent, then closed.
note "baton closed loop"
: > "$OUT/closed.jsonl"
for c in $CONCURRENCY; do
  echo "{\"concurrency\":$c,\"run\":$(load --spawn --duration "$DURATION" \
    --concurrency "$c" --agents 200 --capacity 4 --messages 5 \
   )}" >> "$OUT/closed.jsonl"
done

# 3. Baton, open loop at half the best closed-loop routing rate.
note "baton open loop at half load"
best=$(python3 - "$OUT/closed.jsonl" <<'PY'
import json, sys
print(max(json.loads(l)["run"]["routed_per_sec"] for l in open(sys.argv[1])))
PY
)
half=$(python3 -c "print(round($best / 2))")
: > "$OUT/open.jsonl"
for share in 0.25 0.5 0.75; do
  rate=$(python3 -c "print(round($best * $share))")
  echo "{\"share\":$share,\"rate\":$rate,\"run\":$(load --spawn \
    --duration "$DURATION" --rate "$rate" --concurrency 20000 --agents 200 \
    --capacity 20 --messages 5)}" >> "$OUT/open.jsonl"
done

# 4. Cost against agents: the same closed loop (100 customers) with more agents.
note "agents"
: > "$OUT/agents.jsonl"
for a in $AGENTS; do
  cap=$(( a >= 100 ? 1 : 100 / a + 1 ))
  echo "{\"agents\":$a,\"run\":$(load --spawn --duration "$DURATION" \
    --concurrency 100 --agents "$a" --capacity "$cap" --messages 5 \
   )}" >> "$OUT/agents.jsonl"
done

# 5. The mix: transfers, conferences and whispers on top of the closed loop.
note "mix"
echo "{\"run\":$(load --spawn --duration "$DURATION" --concurrency 50 \
  --agents 200 --capacity 4 --messages 5 --transfer 0.1 --conference 0.1 \
  --whisper 0.3)}" > "$OUT/mix.jsonl"

# 6. Memory per idle WebSocket session (hello, then nothing).
note "idle sessions"
: > "$OUT/idle_sessions.jsonl"
for n in $IDLE_SESSIONS; do
  echo "{\"sessions\":$n,\"run\":$(load --spawn --idle-sessions "$n" \
    --agents 1 --sources 8)}" >> "$OUT/idle_sessions.jsonl"
done

# 7. Memory per idle conversation, in-process (one process per count):
# awake (passivation off) and asleep (passivated after 200 ms); then
# 100 000 that a bot started and handed to the queue, asleep.
note "idle conversations"
: > "$OUT/idle_conversations.jsonl"
for n in $IDLE_CONVERSATIONS; do
  "$BIN/bench_idle_memory" "$n" >> "$OUT/idle_conversations.jsonl"
  "$BIN/bench_idle_memory" --passivate-after-ms 200 "$n" \
    >> "$OUT/idle_conversations.jsonl"
done
"$BIN/bench_idle_memory" --bot --passivate-after-ms 200 100000 \
  >> "$OUT/idle_conversations.jsonl"

# 8. Micro-benchmarks.
note "micro-benchmarks"
"$BIN/bench_gateway" --benchmark_min_time=0.2 --benchmark_format=json \
  > "$OUT/bench_gateway.json"
if [[ "$QUICK" != 1 ]]; then
  "$BIN/bench_engine" --benchmark_min_time=0.1 --benchmark_format=json \
    > "$OUT/bench_engine.json"
  # Three repetitions, reported by their median: a single run of a route
  # benchmark on this machine lands in one of two regimes of CPU per route
  # (docs/benchmarks.md, "Conversations' timers off CAF's clock").
  "$BIN/bench_actors" --benchmark_min_time=0.2 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_format=json \
    > "$OUT/bench_actors.json"
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

note "tables and plots"
python3 "$ROOT/bench/report_tables.py" "$OUT" > "$OUT/tables.md"
if command -v gnuplot > /dev/null; then
  OUT="$OUT" IMG="$IMG" gnuplot "$ROOT/bench/plots.gp"
else
  note "gnuplot not found (Debian: gnuplot-nox): no plots"
fi
cat "$OUT/tables.md"
