"""Integration fixtures: an application on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from allo.bootstrap import Application, build
from allo.domain.clock import FixedClock
from allo.settings import Settings
from tests.support.api import World, build_world
from tests.support.databases import BACKENDS, database_url

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TEST_KEY = "x4hVh0wM3Bz5yH2k9nQ7cR1tL6pD8sF0aJ2eG4iK6mM="


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """More Settings fields for the application; a test module overrides this fixture to set some."""
    return {}


@pytest.fixture
def application(backend: str, tmp_path: Path, request: pytest.FixtureRequest,
                clock: FixedClock, settings_overrides: dict[str, object]) -> Iterator[Application]:
    url = database_url(backend, tmp_path, request)
    settings = Settings(data_dir=tmp_path, database_url=url, secret_key=TEST_KEY,
                        **settings_overrides)  # type: ignore[arg-type]
    app = build(settings, clock=clock, migrate_now=True)
    app.ctx.password_hasher = FAST_HASHER
    yield app
    app.close()


@pytest.fixture
def client(application: Application) -> Iterator[TestClient]:
    from allo.entrypoints.http.app import create_app

    # the worker is driven by the tests (application.worker.run_once()), not by a thread
    with TestClient(create_app(application, run_worker=False), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def world(application: Application, client: TestClient) -> World:
    return build_world(application, client)
