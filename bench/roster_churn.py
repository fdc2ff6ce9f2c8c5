#!/usr/bin/env python3
"""What a roster that changes leaves behind: temporary staff added, removed.

    bench/roster_churn.py [--agents 2000] [--temporary 1000] [--cycles 20]
                          [--baton BIN]

Starts `baton` (memory store) with AGENTS agents in an agents file, then,
for each cycle: adds TEMPORARY agents with ids never used before, reloads
(SIGHUP), removes them again, reloads, and waits until `/metrics` counts
only the lasting agents (`baton_agents`, every status), or 30 s. Prints the
RSS after each cycle, from /proc, and the growth per agent removed between
the first cycle and the last. A roster whose removed members leave nothing
behind stays flat. Loopback only; installs nothing.
"""

import argparse
import pathlib
import signal
import tempfile
import time
import urllib.request

import local_baton


def write_roster(path, lasting, temporary):
    lines = []
    for agent_id in [f"agent-{i:05d}" for i in range(lasting)] + temporary:
        lines += ["[[agents]]", f'id = "{agent_id}"', 'queues = ["support"]']
    path.write_text("\n".join(lines) + "\n")


def agents_counted(port):
    """The sum of `baton_agents` over its statuses, from /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as r:
        text = r.read().decode()
    return sum(int(float(line.split()[-1])) for line in text.splitlines()
               if line.startswith("baton_agents{"))


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def reload_and_wait(baton, log_path, expected, port):
    """SIGHUP, then waits for the reload's log line and for /metrics to
    count `expected` agents; whether it did within 30 s."""
    reloads = log_path.read_text().count("configuration reloaded")
    baton.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (log_path.read_text().count("configuration reloaded") > reloads
                and agents_counted(port) == expected):
            return True
        time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--temporary", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=20)
    root = pathlib.Path(__file__).resolve().parent.parent
    parser.add_argument("--baton", default=str(root / "build/bin/baton"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baton-churn-") as tmp:
        tmp = pathlib.Path(tmp)
        port = local_baton.free_port()
        write_roster(tmp / "agents.toml", args.agents, [])
        baton, log_path = local_baton.start(
            args.baton, tmp,
            'agents_file = "agents.toml"\n'
            f'[server]\nlisten = "127.0.0.1:{port}"\n'
            '[auth]\nsecret = "churn-bench-secret-0123456789abcdef"\n'
            '[storage]\nbackend = "memory"\n'
            '[routing]\ndefault_queue = "support"\n'
            '[[queues]]\nid = "support"\n')
        roster = tmp / "agents.toml"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if agents_counted(port) == args.agents:
                        break
                except OSError:
                    pass
                if baton.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("baton did not come up:\n" + log_path.read_text()[-2000:])
                time.sleep(0.2)
            print(f"lasting agents: {args.agents}; temporary per cycle: {args.temporary}; "
                  f"baton: {args.baton}")
            print("cycle | agents counted after removal | RSS (MiB)")
            rss = []
            for cycle in range(args.cycles):
                temporary = [f"temp-{cycle:03d}-{i:05d}" for i in range(args.temporary)]
                write_roster(roster, args.agents, temporary)
                added = reload_and_wait(baton, log_path, args.agents + args.temporary, port)
                write_roster(roster, args.agents, [])
                removed = reload_and_wait(baton, log_path, args.agents, port)
                rss.append(rss_kib(baton.pid))
                note = "" if added and removed else " (not settled within 30 s)"
                print(f"{cycle + 1} | {agents_counted(port)}{note} | {rss[-1] / 1024:.1f}")
            if len(rss) > 1:
                removed_total = (len(rss) - 1) * args.temporary
                per_agent = (rss[-1] - rss[0]) * 1024 / removed_total
                print(f"growth from cycle 1 to {len(rss)}: {(rss[-1] - rss[0]) / 1024:+.1f} MiB, "
                      f"{per_agent:+.0f} bytes per agent removed")
        finally:
            local_baton.stop(baton)


if __name__ == "__main__":
    main()
