"""Errors as pages for people and as JSON for programs (paths under ``/api/``)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from metasummary.errors import MetasummaryError, NotFoundError
from metasummary.web.rendering import render
from metasummary.web.reviewer import ActingError


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/static/"))


def _respond(request: Request, status: int, lines: list[str]) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "; ".join(lines)}, status_code=status)
    if request.headers.get("hx-request") == "true":  # shown in the page's message line
        return render(request, "error_fragment.html", status_code=status, lines=lines)
    return render(request, "error.html", status_code=status, status=status, lines=lines)


async def _user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MetasummaryError)
    status = 404 if isinstance(exc, NotFoundError) else 403 if isinstance(exc, ActingError) else 400
    return _respond(request, status, exc.lines())


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
