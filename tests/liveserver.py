"""A real uvicorn server in a background thread, on a free 127.0.0.1 port.

The socket is bound and listening before the thread starts, so clients can connect at once:
no polling, no sleeps.
"""

from __future__ import annotations

import threading
from types import TracebackType

from fastapi import FastAPI

from metasummary.web.server import bind_socket, make_server, url_of


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        self.socket = bind_socket("127.0.0.1", 0)
        self.url = url_of(self.socket).rstrip("/")
        self.server = make_server(app, log_level="warning")
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()
