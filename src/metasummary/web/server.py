"""Running the app on a real server (uvicorn) for ``metasummary serve``.

The socket is bound before the app starts, so ``--port 0`` can pick a free port, a port in
use is one clear error, and ``--open`` can launch the browser with no race: connections
wait in the listen queue until uvicorn accepts them.
"""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from dataclasses import replace

import uvicorn

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.web.app import create_app
from metasummary.web.settings import WebSettings, is_local

UNSAFE_FLAG = "--unsafe-no-auth"


def check_host(host: str, *, unsafe_no_auth: bool) -> str | None:
    """A warning for a non-local host allowed by ``--unsafe-no-auth``; None when local.

    Raises:
        InputError: ``host`` is not local and ``unsafe_no_auth`` is not set. Reviewers must
            sign in before a review is served to a network, and accounts do not exist yet.
    """
    if is_local(host):
        return None
    if not unsafe_no_auth:
        raise InputError(
            f"--host {host}: serving beyond this machine needs sign-in, which metasummary does "
            f"not have yet; use --host 127.0.0.1, or add {UNSAFE_FLAG} if everyone who can "
            "reach this address may read and change the review"
        )
    return (
        f"serving on {host} without sign-in: anyone who can reach this address can read and "
        "change the review"
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP given outright: asyncio turns Nagle's algorithm off only on sockets that say
    # so, and with it on, replies on a kept-alive connection wait ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise InputError(
            f"{host}:{port}: cannot listen there ({exc.strerror}); try another --port"
        ) from None
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def make_server(app: object, *, log_level: str = "info") -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))  # type: ignore[arg-type]


def serve(
    project: Project,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    unsafe_no_auth: bool = False,
    announce: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
    debug: bool = False,
) -> None:
    """Serve ``project`` until interrupted; the caller closes the project afterwards."""
    warning = check_host(host, unsafe_no_auth=unsafe_no_auth)
    if warning:
        warn(warning)
    sock = bind_socket(host, port)
    try:
        url = url_of(sock)
        app = create_app(project, replace(WebSettings.for_host(host), debug=debug))
        announce(f"Serving '{project.protocol.title}' at {url} (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)
        make_server(app).run(sockets=[sock])
    finally:
        sock.close()
