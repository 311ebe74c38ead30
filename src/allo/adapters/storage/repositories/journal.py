"""Append-only records: the audit log of personal-data reads and the domain event journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import audit_log, domain_events
from allo.domain.events import Event


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor_id: str | None
    action: str
    subject_type: str
    subject_id: str
    detail: str | None


class SqlJournal(SqlRepository):
    kind = "journal"

    def audit(self, entry: AuditEntry) -> None:
        self.conn.execute(insert(audit_log).values(
            at=entry.at, actor_id=entry.actor_id, action=entry.action, subject_type=entry.subject_type,
            subject_id=entry.subject_id, detail=entry.detail))

    def audit_entries(self, *, subject_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
        q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if subject_id:
            q = q.where(audit_log.c.subject_id == subject_id)
        return [AuditEntry(r["at"], r["actor_id"], r["action"], r["subject_type"], r["subject_id"], r["detail"])
                for r in self.conn.execute(q).mappings()]

    def append_events(self, events: list[Event]) -> None:
        if events:
            self.conn.execute(insert(domain_events), [
                {"name": e.name, "aggregate_id": e.aggregate_id, "at": e.at, "data": e.data} for e in events
            ])

    def events_for(self, aggregate_id: str) -> list[Event]:
        q = select(domain_events).where(domain_events.c.aggregate_id == aggregate_id).order_by(domain_events.c.id)
        return [Event(r["name"], r["aggregate_id"], r["at"], r["data"]) for r in self.conn.execute(q).mappings()]
