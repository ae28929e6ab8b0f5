"""``metasummary serve``: where it may listen, what it says, and a real server answering."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from metasummary import InputError, Project
from metasummary.web import server
from tests.clirunner import run


class FakeServer:
    """Stands in for uvicorn: records what it was asked to serve and returns at once."""

    def __init__(self) -> None:
        self.app: Any = None
        self.sockets: list[socket.socket] = []

    def make(self, app: Any, **_: Any) -> FakeServer:
        self.app = app
        return self

    def run(self, sockets: list[socket.socket]) -> None:
        self.sockets = sockets


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    Project.init(tmp_path / "r").close()
    return tmp_path / "r"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    fake = FakeServer()
    monkeypatch.setattr(server, "make_server", fake.make)
    real_bind = server.bind_socket
    # Whatever host is asked for, the test only ever listens on loopback.
    monkeypatch.setattr(server, "bind_socket", lambda host, port: real_bind("127.0.0.1", 0))
    return fake


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2", "[::1]"])
def test_loopback_hosts_are_local(host: str) -> None:
    assert server.is_local(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_other_hosts_are_not(host: str) -> None:
    assert not server.is_local(host)


def test_serve_refuses_a_network_host_without_accounts(review_dir: Path, fake: FakeServer) -> None:
    result = run("serve", "-p", str(review_dir), "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "needs accounts" in result.stderr
    assert "metasummary user add" in result.stderr
    assert fake.app is None


def test_serve_refuses_several_workers_without_accounts(review_dir: Path, fake: FakeServer) -> None:
    result = run("serve", "-p", str(review_dir), "--workers", "2")
    assert result.exit_code == 1
    assert "--workers 2" in result.stderr
    assert fake.app is None


def test_serve_with_accounts_serves_a_team_beyond_the_machine(
    review_dir: Path, fake: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(review_dir) as project:
        project.accounts.add("olga", role="owner", password="a long passphrase")
    opened: list[str] = []
    monkeypatch.setattr(server.webbrowser, "open", opened.append)
    result = run("serve", "-p", str(review_dir), "--host", "0.0.0.0", "--open")
    assert result.exit_code == 0, result.stderr
    assert "sign-in required" in result.stdout
    (url,) = re.findall(r"at (http://\S+) ", result.stdout)
    assert opened == [url]
    settings = fake.app.state.settings
    assert settings.allowed_hosts == frozenset({"*"})
    assert settings.team is not None
    assert fake.sockets[0].fileno() == -1  # closed after the server stopped


def test_serve_locally_answers_local_names_only(review_dir: Path, fake: FakeServer) -> None:
    result = run("serve", "-p", str(review_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert fake.app.state.settings.allowed_hosts == frozenset({"127.0.0.1", "localhost", "::1"})


def test_serve_outside_a_review_is_one_line(tmp_path: Path, fake: FakeServer) -> None:
    result = run("serve", "-p", str(tmp_path))
    assert result.exit_code == 1
    assert "not a metasummary review" in result.stderr


def test_a_port_in_use_is_one_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"127.0.0.1:{port}: cannot listen"):
            server.bind_socket("127.0.0.1", port)


def test_the_real_command_serves_until_stopped(review_dir: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "metasummary", "serve", "-p", str(review_dir), "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # printed once the socket listens
            (url,) = re.findall(r"at (http://127\.0\.0\.1:\d+/) ", line)
            response = httpx.get(url + "api/report", timeout=30)
            assert response.status_code == 200
            assert response.json()["available"] is False
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_the_real_command_refuses_a_network_host(review_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "metasummary", "serve", "-p", str(review_dir), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: --host 0.0.0.0: a server others can reach needs")


def test_the_socket_turns_nagle_off() -> None:
    # Else replies on kept-alive connections (htmx, the benchmark) wait ~40 ms for an ACK.
    sock = server.bind_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()
