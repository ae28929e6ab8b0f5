"""A small OpenID Connect provider for the sign-in tests, served on a loopback port.

It does what a real provider does for the authorization-code flow with PKCE: a discovery
document, an authorization endpoint that signs in the person the test chose and sends the
browser back with a one-time code, a token endpoint that checks the client's secret, the
redirect URI and the code verifier before it answers with an RS256-signed ID token, and its
public keys. Knobs let a test make it misbehave (another nonce, an expired or foreign-signed
token).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, HTTPException
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "metasummary-test"
CLIENT_SECRET = "a client secret of the test provider"


def new_key(kid: str | None = None) -> RSAKey:
    """An RSA key pair with a key id (its thumbprint unless given): ID tokens name the key
    that signed them, as real providers' do."""
    key = RSAKey.generate_key(2048, private=True, auto_kid=kid is None)
    if kid is not None:
        key = RSAKey.import_key({**key.as_dict(private=True), "kid": kid})
    return key


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    """A token endpoint's refusal as RFC 6749 section 5.2 words it."""
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


@dataclass
class Grant:
    redirect_uri: str
    challenge: str
    nonce: str
    subject: str


@dataclass
class Provider:
    """The provider's state, which tests set: who signs in, and how it misbehaves."""

    issuer: str = ""
    subject: str = "0000-0002-1825-0097"
    key: RSAKey = field(default_factory=new_key)
    foreign_key: RSAKey | None = None
    """Sign ID tokens with this key instead (one the published key set does not hold)."""
    nonce: str | None = None
    """Put this nonce in the ID token instead of the one asked for."""
    audience: str = CLIENT_ID
    """The client the ID token is for (another client's token when changed)."""
    lifetime: int = 300
    declines: bool = False
    """The person says no at the provider: it sends the browser back with an error."""
    grants: dict[str, Grant] = field(default_factory=dict)
    exchanged: list[str] = field(default_factory=list)

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.subject,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.lifetime,
            "nonce": self.nonce if self.nonce is not None else grant.nonce,
        }
        key = self.foreign_key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def provider_app(provider: Provider) -> FastAPI:
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": provider.issuer,
            "authorization_endpoint": f"{provider.issuer}/authorize",
            "token_endpoint": f"{provider.issuer}/token",
            "jwks_uri": f"{provider.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [provider.key.as_dict(private=False)]}

    @app.get("/authorize")
    def authorize(
        response_type: str,
        client_id: str,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_challenge: str,
        code_challenge_method: str,
        scope: str = "",
    ) -> RedirectResponse:
        if response_type != "code" or client_id != CLIENT_ID or "openid" not in scope.split():
            raise HTTPException(400, "bad authorization request")
        if code_challenge_method != "S256":
            raise HTTPException(400, "PKCE with S256 only")
        if provider.declines:
            query = urlencode({"error": "access_denied", "state": state})
            return RedirectResponse(f"{redirect_uri}?{query}", status_code=302)
        code = secrets.token_urlsafe(16)
        provider.grants[code] = Grant(redirect_uri, code_challenge, nonce, provider.subject)
        query = urlencode({"code": code, "state": state})
        return RedirectResponse(f"{redirect_uri}?{query}", status_code=302)

    @app.post("/token")
    def token(
        grant_type: str = Form(),
        code: str = Form(),
        redirect_uri: str = Form(),
        code_verifier: str = Form(),
        client_id: str = Form(),
        client_secret: str = Form(),
    ) -> JSONResponse:
        grant = provider.grants.pop(code, None)  # one use only
        if grant_type != "authorization_code" or grant is None:
            return oauth_error(400, "invalid_grant", "unknown or used code")
        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return oauth_error(401, "invalid_client", "wrong client id or secret")
        if redirect_uri != grant.redirect_uri:
            return oauth_error(400, "invalid_grant", "redirect_uri differs")
        digest = hashlib.sha256(code_verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return oauth_error(400, "invalid_grant", "code_verifier does not match")
        provider.exchanged.append(code)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant),
            }
        )

    return app
