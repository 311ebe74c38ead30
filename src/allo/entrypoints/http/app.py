"""The FastAPI application, built from an Application (see allo.bootstrap)."""

from __future__ import annotations

from fastapi import FastAPI

from allo import __version__
from allo.bootstrap import Application
from allo.entrypoints.http import errors
from allo.entrypoints.http.routers import assignments, auth, couriers, customers, health, merchants, orders, users


def create_app(application: Application) -> FastAPI:
    app = FastAPI(
        title="Allo",
        version=__version__,
        description="Message-to-doorstep local delivery. Every endpoint lists the roles it allows under `x-roles`.",
    )
    app.state.application = application
    errors.install(app)
    for module in (health, auth, users, merchants, orders, couriers, assignments, customers):
        app.include_router(module.router)
    return app
