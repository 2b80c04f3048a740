"""``harmonie serve`` as ``make run`` and a production host start it: gunicorn with several web processes plus the
job worker, pages and static files served, and SIGTERM stopping every process it started."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from harmonie.core.management.commands.serve import default_web_workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                found = [int(p) for p in (task / "children").read_text().split()]
                out.update(found)
                todo += found
        except OSError:
            pass
    return out


def _get(url: str, deadline: float) -> tuple[int, bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_default_worker_count_is_bounded():
    assert 3 <= default_web_workers() <= 8


@pytest.mark.slow
def test_serve_runs_gunicorn_workers_and_stops_them_all(tmp_path):
    env = {**os.environ, "HARMONIE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "HARMONIE_DEBUG": "0", "HARMONIE_ALLOWED_HOSTS": "127.0.0.1"}
    harmonie = [sys.executable, "-m", "harmonie.cli"]
    subprocess.run(harmonie + ["migrate", "--no-input", "-v", "0"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(harmonie + ["serve", f"127.0.0.1:{port}", "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status, body = _get(f"http://127.0.0.1:{port}/inloggen/", time.monotonic() + 60)
        assert status == 200 and b"Gebruikersnaam" in body
        status, css = _get(f"http://127.0.0.1:{port}/static/harmonie/harmonie.css", time.monotonic() + 5)
        assert status == 200 and len(css) > 1000
        started = _children(server.pid)
        # gunicorn's master and its two web processes, and the job worker
        assert len(started) >= 4, started
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert server.returncode == 0, output
    assert "2 webprocessen" in output
    time.sleep(0.5)
    alive = [pid for pid in started if Path(f"/proc/{pid}").exists()
             and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert not alive, f"processen draaien nog na SIGTERM: {alive}"
