"""Leases: one holder at a time for a named job (the dispatcher of a city), renewed while alive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import leases


class SqlLeases(SqlRepository):
    kind = "lease"

    def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take or renew the lease; True when `holder` has it until `until`."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        self.conn.execute(dialect.insert(leases).values(name=name, holder=holder, expires_at=until)
                          .on_conflict_do_nothing(index_elements=["name"]))
        self.conn.execute(update(leases).where(
            leases.c.name == name, or_(leases.c.holder == holder, leases.c.expires_at < now))
            .values(holder=holder, expires_at=until))
        return self.holder(name) == holder

    def holder(self, name: str) -> str | None:
        return self.conn.execute(select(leases.c.holder).where(leases.c.name == name)).scalar_one_or_none()

    def release(self, name: str, holder: str) -> None:
        self.conn.execute(leases.delete().where(leases.c.name == name, leases.c.holder == holder))
