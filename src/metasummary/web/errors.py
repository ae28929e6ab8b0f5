"""Errors as pages for people and as JSON for programs (paths under ``/api/``)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from metasummary.errors import (
    AccessDenied,
    MetasummaryError,
    NetworkError,
    NotFoundError,
    SignInError,
    TooManyAttempts,
)
from metasummary.web.access import SignInRequired
from metasummary.web.rendering import render
from metasummary.web.reviewer import ActingError


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/static/"))


def _respond(
    request: Request, status: int, lines: list[str], headers: dict[str, str] | None = None
) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "; ".join(lines)}, status_code=status, headers=headers)
    if request.headers.get("hx-request") == "true":  # shown in the page's message line
        response = render(request, "error_fragment.html", status_code=status, lines=lines)
    else:
        response = render(request, "error.html", status_code=status, status=status, lines=lines)
    response.headers.update(headers or {})
    return response


def _status(exc: MetasummaryError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, TooManyAttempts):
        return 429
    if isinstance(exc, SignInError):
        return 401
    if isinstance(exc, AccessDenied | ActingError):
        return 403
    if isinstance(exc, NetworkError):  # a service the app asked failed, not the request
        return 502
    return 400


async def _user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MetasummaryError)
    if isinstance(exc, SignInRequired) and not _is_api(request):
        return _to_sign_in(request)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
    return _respond(request, _status(exc), exc.lines(), headers)


def _to_sign_in(request: Request) -> Response:
    """A page asked for without a session: to the sign-in page, and back here after."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        back = "/"
    target = f"/signin?next={quote(back, safe='')}"
    if request.headers.get("hx-request") == "true":  # htmx follows this header, not a 303
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _is_api(request):
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    return _respond(request, exc.status_code, [str(exc.detail)])


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
    lines = [
        f"{'.'.join(str(part) for part in err['loc'][1:])}: {err['msg']}" for err in exc.errors()
    ]
    return _respond(request, 400, lines)


def install(app: FastAPI) -> None:
    app.add_exception_handler(MetasummaryError, _user_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
