"""The FastAPI application, built from an Application (see allo.bootstrap)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from allo import __version__
from allo.bootstrap import Application
from allo.entrypoints.http import errors
from allo.entrypoints.http.pages import (
    auth_pages, console, console_catalog, console_couriers, console_map, console_orders, console_users, courier,
    tracking,
)
from allo.entrypoints.http.pages.web import STATIC_DIR, LoginRequired, login_redirect, make_templates
from allo.entrypoints.http.routers import (
    assignments, auth, couriers, customers, dispatch, handover, health, merchants, orders, relay, users, webchat,
    webhooks,
)


def create_app(application: Application, *, run_worker: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if run_worker:
            application.start_checkpointer()
            application.start_worker()
        yield
        if application.worker is not None:
            application.worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Allo",
        version=__version__,
        description="Message-to-doorstep local delivery. Every endpoint lists the roles it allows under `x-roles`.",
    )
    app.state.application = application
    app.state.templates = make_templates(application.ctx.city_zone)
    # demo seconds per wall second (the demo's ScaledClock; 1 otherwise), for countdowns in pages
    app.state.templates.env.globals["clock_speed"] = getattr(application.ctx.clock, "speed", 1.0)
    errors.install(app)

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> Response:
        return login_redirect(exc.next_url)

    app.add_middleware(webhooks.WebhookFastPath)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(auth_pages.router)
    for page_module in (console, console_orders, console_couriers, console_map, console_catalog, console_users, courier,
                        tracking):
        app.include_router(page_module.router)
    for module in (health, auth, users, merchants, orders, couriers, assignments, customers, dispatch, webhooks, webchat,
                   handover, relay):
        app.include_router(module.router)
    return app
