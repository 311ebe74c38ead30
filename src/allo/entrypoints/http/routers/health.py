"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from allo.adapters.storage import migrate
from allo.entrypoints.http.security import PUBLIC

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive", **PUBLIC)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers and its schema is up to date", **PUBLIC)
def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.application.engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate.pending(engine):
            return JSONResponse({"status": "migrations_pending"}, status_code=503)
    except Exception:  # noqa: BLE001 - readiness reports, it does not raise
        return JSONResponse({"status": "database_unavailable"}, status_code=503)
    return JSONResponse({"status": "ready"})
