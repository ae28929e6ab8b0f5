"""Running the app on a real server (uvicorn) for ``metasummary serve``.

The socket is bound before the app starts, so ``--port 0`` can pick a free port, a port in
use is one clear error, and ``--open`` can launch the browser with no race: connections
wait in the listen queue until uvicorn accepts them. With ``--workers N`` uvicorn's
supervisor hands the one socket to N worker processes and starts a new one when a worker
dies; each builds its app from the config in the environment (``web/launch.py``).
"""

from __future__ import annotations

import os
import socket
import webbrowser
from collections.abc import Callable
from dataclasses import replace

import uvicorn
from uvicorn.supervisors import Multiprocess

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.web.app import create_app
from metasummary.web.launch import CONFIG_ENV, FACTORY, ServeConfig, check_team, settings_for
from metasummary.web.settings import is_local

__all__ = ["ServeConfig", "bind_socket", "is_local", "make_server", "serve", "url_of"]


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


def config_for(project: Project, host: str, **options: object) -> ServeConfig:
    """What a worker needs to open ``project`` again and serve it as this one would."""
    root, url = project.root, project.store.url
    return ServeConfig(
        project=str(root.resolve()) if root is not None else url,
        db=url if root is not None else None,
        host=host,
        team=project.accounts.active() > 0,
        **options,  # type: ignore[arg-type]
    )


def serve(
    project: Project,
    config: ServeConfig,
    *,
    port: int = 8000,
    workers: int = 1,
    open_browser: bool = False,
    announce: Callable[[str], None] = print,
    debug: bool = False,
) -> None:
    """Serve ``project`` until interrupted; the caller closes the project afterwards.

    Raises:
        InputError: A non-local host or several workers without accounts; a port in use.
    """
    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    check_team(config, accounts=project.accounts.active(), workers=workers)
    # Fails here, once, on a bad OIDC setting; --debug logs an unexpected error's traceback.
    settings = replace(settings_for(config, project), debug=debug)
    sock = bind_socket(config.host, port)
    try:
        url = url_of(sock)
        who = "sign-in required" if config.team else "no sign-in: this machine only"
        many = f", {workers} workers" if workers > 1 else ""
        announce(f"Serving '{project.protocol.title}' at {url} ({who}{many}; Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)
        if workers == 1:
            make_server(create_app(project, settings)).run(sockets=[sock])
        else:
            run_workers(config, sock, workers)
    finally:
        sock.close()


def run_workers(config: ServeConfig, sock: socket.socket, workers: int) -> None:
    """Serve through ``workers`` processes sharing ``sock``, until interrupted."""
    os.environ[CONFIG_ENV] = config.to_env()  # read by each spawned worker
    uv_config = uvicorn.Config(FACTORY, factory=True, workers=workers, lifespan="on")
    Multiprocess(uv_config, sockets=[sock]).run()
