#!/usr/bin/env python3
"""How long a reload of a large roster holds up the routing core.

    bench/reload_stall.py [--agents 20000] [--reloads 3] [--baton BIN]

Starts `baton` (memory store) with AGENTS agents in an agents file and one
supervisor, then, for each reload: asks `GET /v1/queues` (answered by the
routing core) back to back for a second, changes one agent's capacity,
sends SIGHUP and goes on asking until the log says the configuration was
reloaded and a second has passed. Prints, per reload, the slowest answer
before the signal, the slowest after it, and the time from the signal to the
log line (the reload's own work before the actors hear of it). Loopback
only; installs nothing.
"""

import argparse
import hashlib
import hmac
import http.client
import pathlib
import signal
import tempfile
import threading
import time

import local_baton

SECRET = "reload-bench-secret-0123456789abcdef"


def token(role, user, exp):
    message = f"{role}\n{user}\n{exp}".encode()
    sig = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return f"{exp}.{sig}"


def write_roster(path, agents, changed):
    lines = []
    for i in range(agents):
        capacity = 3 if i == changed else 2
        lines += ["[[agents]]", f'id = "agent-{i:05d}"', f"capacity = {capacity}"]
    path.write_text("\n".join(lines) + "\n")


def ask(port, credential):
    """Seconds one GET /v1/queues took."""
    began = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/v1/queues", headers={"Authorization": credential})
    reply = conn.getresponse()
    reply.read()
    conn.close()
    if reply.status != 200:
        raise RuntimeError(f"/v1/queues answered {reply.status}")
    return time.monotonic() - began


def slowest(port, credential, until):
    worst = 0.0
    while not until():
        worst = max(worst, ask(port, credential))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20000)
    parser.add_argument("--reloads", type=int, default=3)
    root = pathlib.Path(__file__).resolve().parent.parent
    parser.add_argument("--baton", default=str(root / "build/bin/baton"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baton-reload-") as tmp:
        tmp = pathlib.Path(tmp)
        port = local_baton.free_port()
        write_roster(tmp / "agents.toml", args.agents, changed=-1)
        baton, log_path = local_baton.start(
            args.baton, tmp,
            'agents_file = "agents.toml"\n'
            f'[server]\nlisten = "127.0.0.1:{port}"\n'
            f'[auth]\nsecret = "{SECRET}"\n'
            '[storage]\nbackend = "memory"\n'
            '[[agents]]\nid = "sam"\nroles = ["supervisor"]\n')
        credential = "Bearer sam:" + token("supervisor", "sam", int(time.time()) + 3600)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    ask(port, credential)
                    break
                except (OSError, RuntimeError):
                    if baton.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("baton did not come up:\n"
                                         + log_path.read_text()[-2000:])
                    time.sleep(0.2)
            print(f"agents: {args.agents}; baton: {args.baton}")
            print("reload | slowest before (ms) | slowest after (ms) | signal to log line (ms)")
            for n in range(args.reloads):
                end = time.monotonic() + 1
                before = slowest(port, credential, lambda: time.monotonic() > end)
                write_roster(tmp / "agents.toml", args.agents, changed=n)
                reloads_logged = log_path.read_text().count("configuration reloaded")
                logged_at = []

                def watch():
                    while baton.poll() is None and time.monotonic() < signalled + 120:
                        text = log_path.read_text()
                        if text.count("configuration reloaded") > reloads_logged:
                            logged_at.append(time.monotonic())
                            return
                        time.sleep(0.005)

                signalled = time.monotonic()
                watcher = threading.Thread(target=watch)
                watcher.start()
                baton.send_signal(signal.SIGHUP)
                after = slowest(port, credential,
                                lambda: not watcher.is_alive()
                                and (not logged_at or time.monotonic() > logged_at[0] + 1))
                watcher.join()
                if not logged_at:
                    raise SystemExit("no reload logged:\n"
                                     + log_path.read_text()[-2000:])
                print(f"{n + 1} | {before * 1000:.1f} | {after * 1000:.1f} | "
                      f"{(logged_at[0] - signalled) * 1000:.0f}")
        finally:
            local_baton.stop(baton)


if __name__ == "__main__":
    main()
