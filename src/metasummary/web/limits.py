"""One size limit for every request body, JSON and forms alike, and no NUL in a URL.

A body larger than :attr:`~metasummary.web.settings.WebSettings.max_body` is refused with 413
before any route reads it: by its ``Content-Length`` when it says one, else while it streams
in (the body is held, at most that many bytes, and handed on whole). An upload path (dropped
PDFs) has a limit of its own and must say its length; its body streams through unheld. A URL
whose path or query holds a NUL character is refused with 400: no field means one, and
PostgreSQL refuses them.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from metasummary.web.security import refuse

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def too_large(limit: int) -> str:
    return (
        f"the request body is larger than {limit:,} bytes, the most this server takes; "
        "send less at once"
    )


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, max_body: int, uploads: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.uploads = dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower():
            await refuse(send, 400, "the address holds a NUL character")
            return
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        upload = self.uploads.get(scope["path"])
        if upload is not None:
            if not declared.isdigit():
                await refuse(send, 411, "an upload must say its length (Content-Length)")
            elif int(declared) > upload:
                await refuse(send, 413, too_large(upload))
            else:  # the server holds the connection to the length it declared
                await self.app(scope, receive, send)
            return
        if declared.isdigit() and int(declared) > self.max_body:
            await refuse(send, 413, too_large(self.max_body))
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await refuse(send, 413, too_large(self.max_body))
                return
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": bytes(body), "more_body": False}
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return whole
            return await receive()  # after the body: the disconnect, when it comes

        await self.app(scope, replay, send)
