"""Signed session cookies: who is signed in, until when, and the CSRF token that goes with it.

A cookie holds ``payload.signature``: the payload is a small JSON list (session id, account
id, the account's generation, expiry), the signature an HMAC-SHA256 of it under the review's
session secret, which every worker reads from the database. Nothing else is kept on the
server, so any worker can check any cookie; a new password or disabling an account bumps its
generation and voids every cookie signed before. A visitor who has not signed in gets an
anonymous session too: its id keys the CSRF token of the sign-in form.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE = "metasummary_session"
DEFAULT_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class Session:
    sid: str
    account: int | None
    generation: int
    expires: int
    """Seconds since the epoch."""

    @property
    def signed_in(self) -> bool:
        return self.account is not None


class SessionSigner:
    """Makes and checks session cookies under one secret.

    Args:
        secret: The review's session secret (``project.accounts.session_secret()``).
        seconds: How long a session lasts from sign-in.
    """

    def __init__(self, secret: bytes, *, seconds: int = DEFAULT_SECONDS) -> None:
        if len(secret) < 16:
            raise ValueError("a session secret needs at least 16 bytes")
        self._key = hashlib.sha256(b"metasummary-session\0" + secret).digest()
        self._csrf_key = hashlib.sha256(b"metasummary-csrf\0" + secret).digest()
        self.seconds = seconds

    def anonymous(self) -> Session:
        return Session(secrets.token_urlsafe(18), None, 0, int(time.time()) + self.seconds)

    def signed_in(self, account: int, generation: int) -> Session:
        """A new session (new id: no fixation) for ``account``."""
        return Session(
            secrets.token_urlsafe(18), account, generation, int(time.time()) + self.seconds
        )

    def encode(self, session: Session) -> str:
        data = [session.sid, session.account, session.generation, session.expires]
        payload = _b64(json.dumps(data, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def decode(self, value: str | None, now: float | None = None) -> Session | None:
        """The session in ``value``; None when it is missing, forged, malformed or expired."""
        if not value or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            sid, account, generation, expires = json.loads(_unb64(payload))
        except (ValueError, TypeError, binascii.Error):
            return None
        if not isinstance(sid, str) or not isinstance(expires, int):
            return None
        if account is not None and not isinstance(account, int):
            return None
        if expires <= (time.time() if now is None else now):
            return None
        return Session(sid, account, int(generation), expires)

    def csrf_token(self, session: Session) -> str:
        """The token state-changing requests of this session carry (``X-CSRF-Token``)."""
        return hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).hexdigest()

    def cookie_header(self, session: Session | None, *, secure: bool) -> bytes:
        """A ``Set-Cookie`` value for ``session`` (None: delete the cookie); ``secure`` when
        the request came over HTTPS (directly, or through a proxy uvicorn trusts), so the
        cookie never travels in clear."""
        if session is None:
            value, age = "", 0
        else:
            value, age = self.encode(session), max(0, session.expires - int(time.time()))
        parts = [f"{COOKIE}={value}", "Path=/", f"Max-Age={age}", "HttpOnly", "SameSite=Lax"]
        if secure:
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")

    def derived_key(self, purpose: str) -> bytes:
        """A key of its own for another signed value (the OpenID Connect flow cookie)."""
        return hmac.new(self._key, purpose.encode(), hashlib.sha256).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cookie_value(header: str) -> str | None:
    """The session cookie's value in a ``Cookie`` header."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None
