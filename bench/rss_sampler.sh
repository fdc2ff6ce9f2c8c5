#!/usr/bin/env bash
# Runs one `baton-load --spawn ...` and samples the spawned server while it
# runs: RSS (VmRSS, RssAnon, RssFile from /proc/<pid>/status) and a few
# gauges and counters from its /metrics, every INTERVAL seconds. Then fits
# RSS against conversations finished over the steady part of the run, which
# is what a finished conversation leaves in memory
# (docs/benchmarks.md, "Memory under steady load").
#
#   bench/rss_sampler.sh OUT.tsv baton-load --spawn --rate 125 ... [--json]
#   INTERVAL=5 STEADY_FROM=90 STEADY_TO=300 bench/rss_sampler.sh ...
#
# The command may start with `nice -n N` (nice execs it, so its pid is
# baton-load's). OUT.tsv gets one line per sample; baton-load's stdout
# goes to OUT.tsv.out and its stderr to OUT.tsv.err, this script's summary
# to stdout and OUT.tsv.summary.
#
# Columns: t_s (since the command started), rss_kib, anon_kib, file_kib,
# routed (baton_route_latency_seconds_count: conversations that got an
# agent), active (baton_conversations_active), finished (routed - active:
# every routed conversation of this load ends with the customer's close),
# actors (baton_conversation_actors), inboxes (baton_user_inboxes, "-" where
# the server has no such gauge), sessions (baton_ws_sessions).
#
# The fit is least squares of rss_kib on finished over the samples with
# STEADY_FROM <= t_s <= STEADY_TO (defaults 90 s and the last sample):
# skip the ramp-up and the first retire delay (a closed conversation's
# actor stays twice the longest offer timeout, 40 s by default).
# Needs: pgrep, ss, curl, awk.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
out=$1
shift
interval=${INTERVAL:-5}
steady_from=${STEADY_FROM:-90}
steady_to=${STEADY_TO:-1000000000}

"$@" >"$out.out" 2>"$out.err" &
load=$!
t0=$(date +%s.%N)

server=""
for _ in $(seq 1 200); do
  server=$(pgrep -P "$load" | head -n 1 || true)
  [[ -n $server ]] && break
  sleep 0.1
done
if [[ -z $server ]]; then
  echo "rss_sampler: no server process under $load" >&2
  wait "$load" || true
  exit 1
fi

port=""
for _ in $(seq 1 200); do
  port=$(ss -ltnpH 2>/dev/null | awk -v p="pid=$server," \
    'index($0, p) { n = split($4, a, ":"); print a[n]; exit }')
  [[ -n $port ]] && break
  sleep 0.1
done

metric() { # NAME, from the scraped text in $scrape; "-" when absent
  awk -v m="$1" '$1 == m { print $2; found = 1; exit }
                 END { if (!found) print "-" }' <<<"$scrape"
}

printf 't_s\trss_kib\tanon_kib\tfile_kib\trouted\tactive\tfinished\tactors\tinboxes\tsessions\n' >"$out"
while kill -0 "$server" 2>/dev/null; do
  status=$(cat "/proc/$server/status" 2>/dev/null) || break
  scrape=""
  [[ -n $port ]] && scrape=$(curl -s -m 2 "http://127.0.0.1:$port/metrics" || true)
  [[ -z $scrape ]] && break # the server is stopping
  kib() { awk -v f="$1:" '$1 == f { print $2 }' <<<"$status"; }
  routed=$(metric baton_route_latency_seconds_count)
  active=$(metric baton_conversations_active)
  t=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$(kib VmRSS)" \
    "$(kib RssAnon)" "$(kib RssFile)" "$routed" "$active" \
    "$((${routed%.*} - ${active%.*}))" "$(metric baton_conversation_actors)" \
    "$(metric baton_user_inboxes)" "$(metric baton_ws_sessions)" >>"$out"
  sleep "$interval"
done
wait "$load" || true

awk -F'\t' -v from="$steady_from" -v to="$steady_to" '
  NR == 1 { next }
  { last = $0; lt = $1; lrss = $2; lfin = $7; lact = $8; linb = $9 }
  $1 >= from && $1 <= to {
    if (n == 0) { ft = $1; frss = $2; ffin = $7; fact = $8; finb = $9 }
    n++; sx += $7; sy += $2; sxx += $7 * $7; sxy += $7 * $2
    et = $1; erss = $2; efin = $7; eact = $8; einb = $9
  }
  END {
    if (n < 3) { print "rss_sampler: fewer than 3 steady samples"; exit 1 }
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    printf "steady samples %d, t %.0f..%.0f s\n", n, ft, et
    printf "finished       %d -> %d (+%d)\n", ffin, efin, efin - ffin
    printf "rss            %.1f -> %.1f MiB (+%.1f MiB)\n", frss / 1024,
      erss / 1024, (erss - frss) / 1024
    printf "actors         %s -> %s, inboxes %s -> %s\n", fact, eact, finb, einb
    printf "slope          %.3f KiB per finished conversation (least squares)\n", slope
    printf "end to end     %.3f KiB per finished conversation\n",
      (erss - frss) / (efin - ffin)
  }' "$out" | tee "$out.summary"
