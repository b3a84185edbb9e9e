"""Firebreak processes for the fault harness: the command line, and
`firebreak serve` instances that are always killed at exit."""
import atexit
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import api

# Switch to "/readyz" when the server has it: the only line to change.
READY_PATH = "/api/v1/search?q=&limit=1"
PASSWORD = "fault harness password"
EMAIL = "faults@example.com"

_running = []


def _kill_all():
    for server in list(_running):
        server.kill()


atexit.register(_kill_all)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(binary, *args, stdin=None):
    done = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"firebreak {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def new_registry(binary, data_dir):
    """An admin and an API token in a new data dir; returns the token."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    cli(binary, "user", "add", "--data-dir", str(data_dir), "--email", EMAIL,
        "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    out = cli(binary, "token", "create", "--data-dir", str(data_dir), "--email", EMAIL)
    return out.strip().splitlines()[-1]


class Server:
    def __init__(self, binary, data_dir, token, port=None, log_name="serve.log"):
        self.binary = binary
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.client = api.Client(f"http://127.0.0.1:{self.port}", token)
        # The log stays off the data dir, which may be a full disk.
        self.log_path = Path(os.environ.get("FAULTS_LOG_DIR", "/tmp")) / f"{self.data_dir.name}-{log_name}"
        self.proc = None

    def start(self, ready_within=60.0):
        """Starts the process; returns the seconds until it answered READY_PATH."""
        log = open(self.log_path, "a")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--data-dir", str(self.data_dir),
             "--addr", f"127.0.0.1:{self.port}", "--site-root", str(self.data_dir / "site")],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "info,sqlx=warn,tower_http=warn")},
        )
        log.close()
        _running.append(self)
        while time.monotonic() - started < ready_within:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.client.get(READY_PATH, timeout=1.0).status == 200:
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(f"serve did not get ready within {ready_within} s:\n{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL, as kill -9."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self in _running:
            _running.remove(self)

    def terminate(self, within=15.0):
        """SIGTERM; returns (exit status, seconds to exit), or (None, within) if it hung."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.kill()
            return None, within
        if self in _running:
            _running.remove(self)
        return status, time.monotonic() - started

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])


def integrity_check(db_path):
    import sqlite3
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
