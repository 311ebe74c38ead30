"""Domain errors → HTTP, in one place. Every error body is {"code": ..., "message": ...}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from allo.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from allo.services.ports.channel import MalformedWebhook, WebhookRejected

log = logging.getLogger("allo.http")

STATUS_BY_TYPE: list[tuple[type[DomainError], int]] = [
    (WebhookRejected, 403),
    (MalformedWebhook, 400),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidTransition, 409),
    (ValidationFailed, 422),
]


def status_for(exc: DomainError) -> int:
    for cls, status in STATUS_BY_TYPE:
        if isinstance(exc, cls):
            return status
    return 400


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"code": code, "message": message, **extra}


def domain_error_response(exc: DomainError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthenticated) else None
    return JSONResponse(error_body(exc.code, exc.message), status_code=status_for(exc), headers=headers)


def unexpected_error_response() -> JSONResponse:
    log.exception("unhandled error")
    return JSONResponse(error_body("internal_error", "something went wrong on our side"), 500)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return domain_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", "the request is not valid", fields=fields), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return unexpected_error_response()
