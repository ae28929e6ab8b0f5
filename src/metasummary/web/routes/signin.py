"""Signing in and out of a team's server: a page for people, ``/api/session`` for programs.

A sign-in answers with a new session cookie (a new session id, so a session fixed before
sign-in is worth nothing) and the CSRF token that goes with it. Failed attempts are counted in
the database and limited (429 with ``Retry-After``); see :mod:`metasummary.accounts.throttle`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from metasummary.accounts import AccountRow
from metasummary.errors import InputError, NotFoundError, SignInError
from metasummary.web import oidc
from metasummary.web.deps import ProjectDep
from metasummary.web.fields import AccountName, FilePath, Password, Token
from metasummary.web.rendering import render
from metasummary.web.security import expected_token, request_session
from metasummary.web.session import Session
from metasummary.web.settings import TeamMode, WebSettings

router = APIRouter()


def team_of(request: Request) -> TeamMode:
    settings: WebSettings = request.app.state.settings
    if settings.team is None:
        raise InputError("this server has no accounts: nobody signs in to it")
    return settings.team


def address_of(request: Request) -> str:
    """The client's address (the proxy's forwarded one when uvicorn trusts the proxy)."""
    return request.client.host if request.client else ""


def local_path(value: str) -> str:
    """``value`` when it is a path on this server, else ``/``: never a redirect elsewhere."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def set_session(request: Request, response: Response, session: Session | None) -> None:
    """Answer with ``session`` as the cookie (None: remove it)."""
    secure = request.url.scheme == "https"
    cookie = team_of(request).signer.cookie_header(session, secure=secure)
    response.headers.append("set-cookie", cookie.decode("latin-1"))


def new_session(request: Request, account: AccountRow) -> Session:
    """A new session (a new id: one fixed before sign-in is worth nothing) for ``account``."""
    return team_of(request).signer.signed_in(account.id, account.generation)


def session_json(
    request: Request, session: Session | None, account: AccountRow | None
) -> dict[str, object]:
    settings: WebSettings = request.app.state.settings
    return {
        "signed_in": account is not None,
        "account": account.name if account else None,
        "role": account.role if account else None,
        "reviewer": account.reviewer if account else None,
        "expires": session.expires if session and account else None,
        "csrf_token": expected_token(settings, session),
    }


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request, next: FilePath = "/") -> Response:
    team = team_of(request)
    if getattr(request.state, "viewer", None) is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return render(
        request,
        "signin.html",
        title="Sign in",
        next=local_path(next),
        oidc=team.oidc,
    )


@router.post("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_form(
    request: Request,
    project: ProjectDep,
    name: Annotated[AccountName, Form()],
    password: Annotated[Password, Form()],
    next: Annotated[FilePath, Form()] = "/",
) -> Response:
    team_of(request)
    account = project.accounts.sign_in(name.strip(), password, address=address_of(request))
    response = Response(status_code=204, headers={"HX-Redirect": local_path(next)})
    set_session(request, response, new_session(request, account))
    return response


@router.post("/signout", include_in_schema=False)
def signout(request: Request) -> Response:
    response = Response(status_code=204, headers={"HX-Redirect": "/signin"})
    set_session(request, response, None)
    return response


class SignInIn(BaseModel):
    name: AccountName
    password: Password


@router.get("/api/session", tags=["session"])
def session_now(request: Request) -> dict[str, object]:
    """Who is signed in, and the CSRF token state-changing requests must carry now."""
    viewer = getattr(request.state, "viewer", None)
    account = viewer.account if viewer is not None else None
    return session_json(request, request_session(request), account)


@router.post("/api/session", tags=["session"])
def sign_in_json(body: SignInIn, request: Request, project: ProjectDep) -> JSONResponse:
    """Sign in with an account's name and password: sets the session cookie and returns the
    new CSRF token (401 for a wrong name or password, 429 after too many)."""
    team_of(request)
    account = project.accounts.sign_in(
        body.name.strip(), body.password, address=address_of(request)
    )
    session = new_session(request, account)
    response = JSONResponse(session_json(request, session, account))
    set_session(request, response, session)
    return response


@router.delete("/api/session", tags=["session"])
def sign_out_json(request: Request) -> Response:
    """Sign out: the session cookie is removed."""
    response = Response(status_code=204)
    set_session(request, response, None)
    return response


# -- OpenID Connect -----------------------------------------------------------------------------


def _provider(request: Request) -> tuple[TeamMode, oidc.OidcSettings]:
    team = team_of(request)
    if team.oidc is None:
        raise NotFoundError("this server signs in with passwords only")
    return team, team.oidc


@router.get("/signin/oidc", include_in_schema=False)
def oidc_start(request: Request, next: FilePath = "/") -> Response:
    team, provider = _provider(request)
    redirect_uri = str(request.url_for("oidc_callback"))
    url, flow = oidc.start(provider, redirect_uri, local_path(next))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        oidc.FLOW_COOKIE,
        oidc.seal(flow, team.signer.derived_key("oidc")),
        max_age=oidc.FLOW_SECONDS,
        path="/signin/oidc",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/signin/oidc/callback", name="oidc_callback", include_in_schema=False)
def oidc_callback(
    request: Request, project: ProjectDep, code: Token = "", state: Token = "", error: Token = ""
) -> Response:
    team, provider = _provider(request)
    if error:
        raise SignInError(f"the provider did not sign you in ({error})")
    flow = oidc.unseal(request.cookies.get(oidc.FLOW_COOKIE), team.signer.derived_key("oidc"))
    if flow is None or not code:
        raise SignInError("the sign-in with the provider was not started here; start again")
    redirect_uri = str(request.url_for("oidc_callback"))
    subject = oidc.finish(provider, redirect_uri, flow, code, state)
    account = project.accounts.sign_in_subject(subject, address=address_of(request))
    response = RedirectResponse(local_path(flow.next), status_code=303)
    set_session(request, response, new_session(request, account))
    response.delete_cookie(oidc.FLOW_COOKIE, path="/signin/oidc")
    return response
