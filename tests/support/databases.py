"""Test databases: a fresh SQLite file always; a fresh PostgreSQL schema when configured."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from allo.adapters.storage.database import normalise_url

PG_ENV = "ALLO_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    return url


class PostgresSchema:
    """A throw-away schema, selected through the connection's search_path."""

    def __init__(self, base_url: str) -> None:
        self.name = "allo_t_" + uuid.uuid4().hex[:12]
        self.admin = create_engine(normalise_url(base_url))
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        sep = "&" if "?" in base_url else "?"
        self.url = f"{base_url}{sep}options={quote(f'-csearch_path={self.name}')}"

    def drop(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'allo.db'}"
    schema = PostgresSchema(postgres_url())
    request.addfinalizer(schema.drop)
    return schema.url
