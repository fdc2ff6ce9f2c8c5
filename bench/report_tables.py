#!/usr/bin/env python3
"""Turns the JSON lines of bench/run_report.sh into Markdown tables (stdout)
and whitespace-separated .dat files for bench/plots.gp (next to the input)."""
import json
import os
import sys

out = sys.argv[1]


def rows(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def k(v):
    return f"{v / 1000:.1f} k" if v >= 10000 else f"{v:.0f}"


def ms(v):
    return f"{v:.2f}"


def errors(run):
    e = run.get("errors", {})
    return ", ".join(f"{c} {n}" for c, n in sorted(e.items())) or "none"


# The server's CPU covers the whole run (load and drain): divided by the
# whole run's frames and routes, not by a rate over the load alone.
def cpu_per_frame(run):
    frames = run.get("frames", 0)
    return run.get("server_cpu_s", 0) * 1e6 / frames if frames else 0


def switches_per_frame(run):
    frames = run.get("frames", 0)
    if not frames or "server_voluntary_switches" not in run:
        return None
    return (run["server_voluntary_switches"]
            + run["server_involuntary_switches"]) / frames


def switches_text(run):
    n = switches_per_frame(run)
    return "–" if n is None else f"{n:.2f}"


def cpu_per_conversation(run):
    routed = run.get("conversations_routed", 0)
    return run.get("server_cpu_s", 0) * 1e3 / routed if routed else 0


def write_dat(name, header, lines):
    with open(os.path.join(out, name), "w") as f:
        f.write("# " + header + "\n")
        for line in lines:
            f.write(" ".join(str(x) for x in line) + "\n")


print(open(os.path.join(out, "machine.txt")).read())


def benchmarks(name):
    """The benchmarks of a Google Benchmark JSON file: the median of each
    where it ran repeated (named as the benchmark itself), else each run."""
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    runs = json.load(open(path))["benchmarks"]
    medians = [b for b in runs if b.get("aggregate_name") == "median"]
    for b in medians:
        b["name"] = b["run_name"]
    return medians or runs


def met(ok):
    return "**yes**" if ok else "**no**"


def targets():
    """Each target of docs/benchmarks.md against what this run measured,
    with its anchor from the same run where it has one."""
    lines = []
    actors = benchmarks("bench_actors.json")
    route = [b for b in actors if b["name"].startswith("BM_route/sleep_when_idle")]
    sqlite = [b for b in actors if b["name"].startswith("BM_route/journal_sqlite")]
    ping = [b for b in actors if b["name"].startswith("BM_caf_request_response")]
    if route and ping:
        best = max(route, key=lambda b: b["items_per_second"])
        best_ping = max(ping, key=lambda b: b["items_per_second"])
        runs = best.get("repetitions", 1)
        each = f" (each the median of {runs} runs)" if runs > 1 else ""
        lines.append((
            "in-process ≥ 50 k routes/s (best window)",
            f"{k(best['items_per_second'])} routes/s at {best['name'].split('/')[3]}{each}; "
            f"anchor: raw CAF {k(best_ping['items_per_second'])} round trips/s, "
            f"ratio 1/{best_ping['items_per_second'] / best['items_per_second']:.0f}",
            met(best["items_per_second"] >= 50000)))
        same = [b for b in ping if "window:256" in b["name"]]
        if sqlite and same and same[0].get("cpu_us_per_round_trip"):
            rt = same[0]["cpu_us_per_round_trip"]
            j = max(sqlite, key=lambda b: b["items_per_second"])
            per = j["cpu_us_per_route"] / rt
            lines.append((
                "in-process ≤ 10 CAF round trips per route, journal on (SQLite, fsync)",
                f"{per:.0f} by CPU ({j['cpu_us_per_route']:.0f} µs per route, "
                f"{k(j['items_per_second'])} routes/s at {j['name'].split('/')[3]}; "
                f"anchor: {rt:.1f} µs per raw round trip)",
                met(per <= 10)))
        # A window is a closed loop: the load is what it reaches. The load
        # at half the maximum is the largest window that stays at or under
        # half the best rate (a window over it queues, and its latency is
        # the queue's); none under it, the smallest window.
        half = best["items_per_second"] / 2
        under = [b for b in route if b["items_per_second"] <= half]
        near = (max(under, key=lambda b: b["items_per_second"]) if under
                else min(route, key=lambda b: b["items_per_second"]))
        lines.append((
            "in-process p99 route ≤ 1 ms at half the maximum load",
            f"{near['p99_us'] / 1000:.2f} ms at {k(near['items_per_second'])} routes/s "
            f"({near['name'].split('/')[3]}, the largest window at or under half "
            f"the best of {k(best['items_per_second'])})",
            met(near["p99_us"] <= 1000)))
    echo = {r["concurrency"]: r["run"] for r in rows("echo.jsonl")}
    closed = {r["concurrency"]: r["run"] for r in rows("closed.jsonl")}
    if echo and closed:
        best_b = max(r["frames_per_sec"] for r in closed.values())
        best_e = max(r["frames_per_sec"] for r in echo.values())
        lines.append((
            "over WebSocket ≥ 0.5 of echo's frames/s",
            f"best Baton {k(best_b)} frames/s, best echo {k(best_e)}: "
            f"{best_b / best_e:.2f}",
            met(best_b / best_e >= 0.5)))
        c = 50 if 50 in closed and 50 in echo else max(set(closed) & set(echo))
        b, e = cpu_per_frame(closed[c]), cpu_per_frame(echo[c])
        lines.append((
            "over WebSocket ≤ 2× echo's server CPU per frame",
            f"{b:.1f} µs against echo's {e:.1f} µs at {c} connections: "
            f"{b / e:.1f}× (context switches per frame "
            f"{switches_text(closed[c])} against {switches_text(echo[c])})",
            met(b <= 2 * e)))
    opened = [r for r in rows("open.jsonl") if r["share"] == 0.5]
    if opened:
        run = opened[0]["run"]
        p99 = run["route_latency_ms"]["p99"]
        lines.append((
            "over WebSocket p99 route ≤ 5 ms at half the maximum load "
            "(open loop, from the intended arrival)",
            f"{p99:.2f} ms at {opened[0]['rate']} offered/s "
            f"({run.get('conversations_routed', 0)} routes; errors: {errors(run)})",
            met(p99 <= 5)))
    asleep = [r for r in rows("idle_conversations.jsonl")
              if r.get("passivate_after_ms", 0) > 0 and not r.get("by_bot")]
    if asleep:
        r = max(asleep, key=lambda r: r["idle_conversations"])
        per = r["bytes_per_conversation"] / 1024
        lines.append((
            "≤ 2 KiB per idle conversation; 1 M waiting ≤ 2 GiB",
            f"{per:.3f} KiB asleep at {r['idle_conversations']}, "
            f"{r['rss_after_mb'] / 1024:.2f} GiB RSS",
            met(per <= 2 and (r["idle_conversations"] < 1000000
                              or r["rss_after_mb"] <= 2048))))
    sessions = rows("idle_sessions.jsonl")
    if sessions:
        run = max(sessions, key=lambda r: r["sessions"])["run"]
        per = run.get("rss_per_session_kib", 0)
        lines.append((
            "≤ 16 KiB per idle WebSocket session",
            f"{per:.1f} KiB at {run.get('idle_sessions', 0)} sessions",
            met(per <= 16)))
    if lines:
        print("### Against the targets (this run)\n")
        print("| target | measured | met? |")
        print("|---|---|---|")
        for t, m, ok in lines:
            print(f"| {t} | {m} | {ok} |")
        print()


targets()

echo = rows("echo.jsonl")
closed = rows("closed.jsonl")
by_c = {r["concurrency"]: r["run"] for r in echo}
print("### Over WebSocket: Baton against the echo ceiling (closed loop)\n")
print("| customers at once | routed/s | messages/s | Baton frames/s "
      "| echo frames/s | Baton / echo | route p50 / p99 ms "
      "| message p50 / p99 ms | server CPU µs per frame, Baton / echo "
      "| context switches per frame, Baton / echo "
      "| server CPU ms per conversation | server RSS MiB | errors |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
dat = []
for r in closed:
    c, run = r["concurrency"], r["run"]
    e = by_c.get(c, {}).get("frames_per_sec", 0)
    ratio = run["frames_per_sec"] / e if e else 0
    rl, ml = run["route_latency_ms"], run["message_latency_ms"]
    print(f"| {c} | {k(run['routed_per_sec'])} | {k(run['messages_per_sec'])} "
          f"| {k(run['frames_per_sec'])} | {k(e)} | {ratio:.2f} "
          f"| {ms(rl['p50'])} / {ms(rl['p99'])} | {ms(ml['p50'])} / {ms(ml['p99'])} "
          f"| {cpu_per_frame(run):.1f} / {cpu_per_frame(by_c.get(c, {})):.1f} "
          f"| {switches_text(run)} / {switches_text(by_c.get(c, {}))} "
          f"| {cpu_per_conversation(run):.2f} "
          f"| {run.get('server_rss_mb', 0):.0f} | {errors(run)} |")
    dat.append((c, run["frames_per_sec"], e, run["routed_per_sec"],
                rl["p50"], rl["p99"], ml["p50"], ml["p99"]))
write_dat("ws.dat", "concurrency baton_fps echo_fps routed p50 p99 msg_p50 msg_p99", dat)

print("\n### The echo ceiling alone\n")
print("| connections | round trips/s | frames/s | round trip p50 / p99 ms "
      "| server cores busy | server CPU µs per frame |")
print("|---|---|---|---|---|---|")
for r in echo:
    run = r["run"]
    ml = run["message_latency_ms"]
    print(f"| {r['concurrency']} | {k(run['messages_per_sec'])} "
          f"| {k(run['frames_per_sec'])} | {ms(ml['p50'])} / {ms(ml['p99'])} "
          f"| {run.get('server_cpu_s', 0) / run['duration_s']:.2f} "
          f"| {cpu_per_frame(run):.1f} |")

opened = rows("open.jsonl")
if opened:
    print("\n### Open loop: latency at a fixed arrival rate\n")
    print("| share of the best rate | offered/s | routed/s "
          "| route p50 / p90 / p99 / max ms | message p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    dat = []
    for r in opened:
        run = r["run"]
        rl = run["route_latency_ms"]
        print(f"| {r['share']} | {r['rate']} | {k(run['routed_per_sec'])} "
              f"| {ms(rl['p50'])} / {ms(rl['p90'])} / {ms(rl['p99'])} / {ms(rl['max'])} "
              f"| {ms(run['message_latency_ms']['p99'])} | {errors(run)} |")
        dat.append((run["routed_per_sec"], rl["p50"], rl["p90"], rl["p99"]))
    write_dat("open.dat", "routed p50 p90 p99", dat)

agents = rows("agents.jsonl")
if agents:
    print("\n### Cost against agents (100 customers at once)\n")
    print("| agents | routed/s | route p50 / p99 ms | server RSS MiB |")
    print("|---|---|---|---|")
    dat = []
    for r in agents:
        run = r["run"]
        rl = run["route_latency_ms"]
        print(f"| {r['agents']} | {k(run['routed_per_sec'])} "
              f"| {ms(rl['p50'])} / {ms(rl['p99'])} "
              f"| {run.get('server_rss_mb', 0):.0f} |")
        dat.append((r["agents"], run["routed_per_sec"], rl["p99"],
                    run.get("server_rss_mb", 0)))
    write_dat("agents.dat", "agents routed p99 rss_mb", dat)

mix = rows("mix.jsonl")
if mix:
    run = mix[0]["run"]
    print("\n### With transfers, conferences and whispers\n")
    print(f"routed/s {k(run['routed_per_sec'])}, messages/s "
          f"{k(run['messages_per_sec'])}, route p99 "
          f"{ms(run['route_latency_ms']['p99'])} ms; errors: {errors(run)}")

sessions = rows("idle_sessions.jsonl")
convs = rows("idle_conversations.jsonl")
print("\n### Memory\n")
print("| idle | count | RSS after MiB (server, or the process) | per item |")
print("|---|---|---|---|")
dat_s, dat_c, dat_z = [], [], []
for r in sessions:
    run = r["run"]
    per = run.get("rss_per_session_kib", 0)
    print(f"| WebSocket sessions (hello, then nothing) | {run.get('idle_sessions', 0)} "
          f"of {r['sessions']} | {run.get('server_rss_mb', 0):.0f} | {per:.2f} KiB |")
    dat_s.append((run.get("idle_sessions", 0), per))
for r in convs:
    per = r["bytes_per_conversation"] / 1024
    asleep = r.get("passivate_after_ms", 0) > 0
    what = "asleep (passivated)" if asleep else "awake (actors)"
    if r.get("by_bot"):
        what += ", started by a bot"
    print(f"| conversations in a queue, in-process, {what} | {r['idle_conversations']} "
          f"| {r['rss_after_mb']:.0f} (from {r['rss_before_mb']:.0f}) | {per:.2f} KiB |")
    if not r.get("by_bot"):  # the plot is of customers' own
        (dat_z if asleep else dat_c).append((r["idle_conversations"], per))
write_dat("idle_sessions.dat", "sessions kib_per_session", dat_s)
write_dat("idle_conversations.dat", "conversations kib_per_conversation", dat_c)
write_dat("idle_conversations_asleep.dat", "conversations kib_per_conversation",
          dat_z)

gw = os.path.join(out, "bench_gateway.json")
if os.path.exists(gw):
    print("\n### Codec per verb (bench_gateway, CPU ns)\n")
    print("| benchmark | verb | ns |")
    print("|---|---|---|")
    for b in json.load(open(gw))["benchmarks"]:
        print(f"| {b['name'].split('/')[0]} | {b.get('label', '')} "
              f"| {b['cpu_time']:.0f} |")
