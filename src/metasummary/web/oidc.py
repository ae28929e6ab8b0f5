"""Signing in through an OpenID Connect provider (ORCID, GitHub through a bridge, an
institution's IdP), as ASReview LAB Server offers.

The authorization-code flow with PKCE, through Authlib's OAuth 2 client: the app sends the
browser to the provider with a fresh ``state``, ``nonce`` and code challenge (kept in a short,
signed cookie), exchanges the code it gets back for tokens on the server side, checks the ID
token's signature against the provider's published keys and its claims (issuer, audience,
expiry, nonce) with joserfc (Authlib's JOSE library), and signs in the account that holds the
token's ``sub`` (``metasummary user add NAME --oidc-subject SUB``). Nobody gets an account by
signing in: the owner grants each one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from metasummary.errors import MissingExtraError, NetworkError, SignInError

if TYPE_CHECKING:
    from authlib.integrations.httpx_client import OAuth2Client

FLOW_COOKIE = "metasummary_oidc"
FLOW_SECONDS = 600
SECRET_ENV = "METASUMMARY_OIDC_CLIENT_SECRET"
_DISCOVERY = "/.well-known/openid-configuration"


@dataclass(frozen=True, slots=True)
class OidcSettings:
    """One provider.

    Attributes:
        issuer: The provider's issuer URL (its discovery document is under it).
        client_id: This server's client id at the provider.
        client_secret: Its secret (from ``$METASUMMARY_OIDC_CLIENT_SECRET``, never a flag).
        label: The provider's name on the sign-in button.
    """

    issuer: str
    client_id: str
    client_secret: str
    label: str = "OpenID Connect"
    timeout: float = 10.0
    _metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, read once per process."""
        with self._lock:
            if not self._metadata:
                url = self.issuer.rstrip("/") + _DISCOVERY
                found = _get_json(url, self.timeout)
                if found.get("issuer", "").rstrip("/") != self.issuer.rstrip("/"):
                    raise SignInError(f"{url}: names issuer {found.get('issuer')!r}, not ours")
                self._metadata.update(found)
            return dict(self._metadata)


@dataclass(frozen=True, slots=True)
class Flow:
    """What the app keeps between sending the browser to the provider and its return."""

    state: str
    nonce: str
    verifier: str
    next: str
    expires: int


def start(settings: OidcSettings, redirect_uri: str, next_path: str) -> tuple[str, Flow]:
    """The provider's authorization URL, and the flow to keep in a signed cookie."""
    flow = Flow(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(48),
        next=next_path,
        expires=int(time.time()) + FLOW_SECONDS,
    )
    with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            settings.metadata()["authorization_endpoint"],
            state=flow.state,
            code_verifier=flow.verifier,
            nonce=flow.nonce,
        )
    return str(url), flow


def finish(settings: OidcSettings, redirect_uri: str, flow: Flow, code: str, state: str) -> str:
    """The ``sub`` of the person the provider signed in.

    Raises:
        SignInError: The state does not match (a forged or replayed return), the flow
            expired, or the ID token fails a check.
        NetworkError: The provider could not be reached.
    """
    if not hmac.compare_digest(state, flow.state) or flow.expires < time.time():
        raise SignInError("the sign-in with the provider expired or was not started here; retry")
    metadata = settings.metadata()
    with _client(settings, redirect_uri) as client:
        try:
            token = client.fetch_token(
                metadata["token_endpoint"],
                code=code,
                code_verifier=flow.verifier,
                redirect_uri=redirect_uri,
            )
        except httpx.HTTPError as exc:
            raise NetworkError(f"{metadata['token_endpoint']}: {exc}") from None
        except Exception as exc:  # Authlib raises OAuthError and friends for refusals
            raise SignInError(f"the provider refused the sign-in ({exc})") from None
    id_token = token.get("id_token")
    if not id_token:
        raise SignInError("the provider answered without an ID token (is 'openid' allowed?)")
    from joserfc import jwt  # Authlib's JOSE library, installed with it
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet
    from joserfc.jwt import JWTClaimsRegistry

    keys = KeySet.import_key_set(_get_json(metadata["jwks_uri"], settings.timeout))  # type: ignore[arg-type]
    try:
        decoded = jwt.decode(id_token, keys)
        JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": settings.client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": flow.nonce},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise SignInError(f"the provider's ID token failed a check ({exc})") from None
    return str(decoded.claims["sub"])


def _client(settings: OidcSettings, redirect_uri: str) -> OAuth2Client:
    try:
        from authlib.integrations.httpx_client import OAuth2Client
    except ImportError:
        raise MissingExtraError("OpenID Connect sign-in", "oidc") from None
    return OAuth2Client(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        token_endpoint_auth_method="client_secret_post",
        scope="openid",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=settings.timeout,
    )


def _get_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=timeout)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise NetworkError(f"{url}: {exc}") from None
    if not isinstance(data, dict):
        raise NetworkError(f"{url}: not a JSON object")
    return data


# -- the flow cookie ------------------------------------------------------------------------


def seal(flow: Flow, key: bytes) -> str:
    payload = _b64(json.dumps([flow.state, flow.nonce, flow.verifier, flow.next, flow.expires]))
    return f"{payload}.{_mac(key, payload)}"


def unseal(value: str | None, key: bytes) -> Flow | None:
    if not value or value.count(".") != 1:
        return None
    payload, mac = value.split(".")
    if not hmac.compare_digest(mac, _mac(key, payload)):
        return None
    try:
        state, nonce, verifier, next_path, expires = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
    except ValueError:
        return None
    return Flow(str(state), str(nonce), str(verifier), str(next_path), int(expires))


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _mac(key: bytes, payload: str) -> str:
    digest = hmac.new(key, b"oidc-flow\0" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
