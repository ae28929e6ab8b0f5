"""``metasummary serve`` as a real process (uvicorn, one worker or several) on a free loopback
port, and HTTP clients that sign in to it as an account."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.teamdata import PASSWORD


@dataclass
class TeamServer:
    url: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the server) serving now."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        pids = [int(p) for p in found.stdout.split()]
        # multiprocessing's resource tracker is a child too; workers run the spawn main
        return [p for p in pids if "spawn_main" in _cmdline(p)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@contextmanager
def team_server(folder: Path, *, db: str | None = None, workers: int = 1) -> Iterator[TeamServer]:
    """Serve the review in ``folder`` until the block ends; its stderr is kept in ``log``."""
    command = [sys.executable, "-m", "metasummary", "serve", "-p", str(folder), "--port", "0"]
    command += ["--workers", str(workers)] + (["--db", db] if db else [])
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    assert process.stderr is not None
    line = process.stdout.readline()
    found = re.search(r"at (http://127\.0\.0\.1:\d+)/ ", line)
    if found is None:
        process.kill()
        _, err = process.communicate(timeout=60)
        raise AssertionError(f"the server did not start: {line!r} {err}")
    server = TeamServer(found.group(1), process)
    reader = threading.Thread(target=lambda: server.log.extend(process.stderr or []), daemon=True)
    reader.start()
    try:
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        reader.join(timeout=10)
        process.stdout.close()
        process.stderr.close()


@contextmanager
def signed_in(
    url: str, name: str, password: str = PASSWORD, timeout: float = 60
) -> Iterator[httpx.Client]:
    """A client of the server at ``url`` signed in as ``name`` (its CSRF token set)."""
    with httpx.Client(base_url=url, timeout=timeout) as client:
        anonymous = client.get("/api/session").json()["csrf_token"]
        response = client.post(
            "/api/session",
            json={"name": name, "password": password},
            headers={"X-CSRF-Token": anonymous},
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client
