"""The migrations build exactly the schema the code describes (`tables.py`), on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from allo.adapters.storage.database import make_engine
from allo.adapters.storage.migrate import current_revision, head_revision, upgrade
from allo.adapters.storage.tables import metadata
from tests.support.databases import database_url


def test_the_migrated_schema_matches_the_tables(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    engine = make_engine(database_url(backend, tmp_path, request))
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert differences == []  # a table or column added to tables.py needs its migration, and back
    finally:
        engine.dispose()
