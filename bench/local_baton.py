"""A `baton` process on loopback for the bench scripts (reload_stall.py,
roster_churn.py): a free port, the server started with a configuration
written to a temporary directory, its log kept beside it."""

import os
import pathlib
import signal
import socket
import subprocess


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(baton, directory, config):
    """Writes `config` to DIRECTORY/baton.toml and starts BATON with it, its
    output in DIRECTORY/baton.log; BATON_ variables of this environment are
    left out. Returns the process and the log's path."""
    directory = pathlib.Path(directory)
    (directory / "baton.toml").write_text(config)
    log_path = directory / "baton.log"
    log = open(log_path, "w+")
    process = subprocess.Popen([baton, "--config", str(directory / "baton.toml")],
                               stdout=log, stderr=subprocess.STDOUT,
                               env={k: v for k, v in os.environ.items()
                                    if not k.startswith("BATON_")})
    return process, log_path


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
