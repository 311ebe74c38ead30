"""No phone number and no street address in clear, in the SQLite file or the PostgreSQL tables."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from allo.bootstrap import Application
from tests.support.api import World

PHONE_FORMS = ["+33612345642", "612345642", "06 12 34 56 42", "0612345642"]
ADDRESS_PARTS = ["boulevard des Moulins", "Moulins", "4521B", "Marie Dupont", "Dupont"]


def _dump(application: Application, tmp_path: Path) -> bytes:
    engine = application.engine
    if engine.dialect.name == "sqlite":
        engine.dispose()  # the last connection to close checkpoints the WAL into the file
        files = [p for p in tmp_path.iterdir() if p.name.startswith("allo.db")]
        return b"".join(p.read_bytes() for p in files)
    chunks = []
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
        for table in list(tables):
            for row in conn.execute(text(f'SELECT t::text FROM "{table}" t')).scalars():
                chunks.append(row.encode())
    return b"\n".join(chunks)


def test_no_personal_data_in_clear(world: World, application: Application, tmp_path: Path) -> None:
    order = world.new_order(notes="call Marie Dupont at 06 12 34 56 42")
    r = world.call("admin", "POST", "/api/customers", json={"phone": "+44 7700 900123", "name": "John Baker"})
    assert r.status_code == 201
    assert world.call("admin", "GET", f"/api/orders/{order['id']}").json()["dropoff"]["address"].startswith("14 ")
    raw = _dump(application, tmp_path)
    assert len(raw) > 1000  # the dump holds the data (catalog names are in clear, for instance)
    assert b"margherita" in raw.lower()
    for needle in PHONE_FORMS + ADDRESS_PARTS + ["7700900123", "John Baker"]:
        assert needle.encode() not in raw, f"{needle!r} found in clear"
