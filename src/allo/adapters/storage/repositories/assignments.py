"""Assignments (offers and accepted jobs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import assignments
from allo.domain.assignment import Assignment, AssignmentStatus
from allo.domain.errors import NotFound


class SqlAssignmentRepository(SqlRepository):
    kind = "assignment"

    def add(self, a: Assignment) -> None:
        self.conn.execute(insert(assignments).values(id=a.id, version=1, **self._row(a)))
        a.version = 1
        self.tracker.track(self.kind, a)

    def get(self, assignment_id: str) -> Assignment:
        row = self.conn.execute(select(assignments).where(assignments.c.id == assignment_id)).mappings().first()
        if row is None:
            raise NotFound(f"no assignment {assignment_id}", code="assignment_not_found")
        return self._from_row(row)

    def list(self, *, courier_id: str | None = None, status: list[AssignmentStatus] | None = None,
             limit: int = 200, offered_since: datetime | None = None) -> list[Assignment]:
        """Newest offers first."""
        q = select(assignments).order_by(assignments.c.offered_at.desc(), assignments.c.id).limit(limit)
        if offered_since is not None:
            q = q.where(assignments.c.offered_at >= offered_since)
        if courier_id:
            q = q.where(assignments.c.courier_id == courier_id)
        if status:
            q = q.where(assignments.c.status.in_([s.value for s in status]))
        return [self._from_row(r) for r in self.conn.execute(q).mappings()]

    def of_order(self, order_id: str, opened: datetime, closed: datetime | None = None) -> list[Assignment]:
        """Every job that held the order, newest first. Such a job was offered while the order was open
        (from `opened`, its creation, to `closed`, its end if it has ended), so only the offers of
        that window are read (by the offer times' index), not every job the city ever had."""
        q = select(assignments).where(assignments.c.offered_at >= opened)
        if closed is not None:
            q = q.where(assignments.c.offered_at <= closed)
        rows = self.conn.execute(q.order_by(assignments.c.offered_at.desc(), assignments.c.id)).mappings()
        return [a for a in map(self._from_row, rows) if order_id in a.order_ids]

    def active_for_order(self, order_id: str, courier_id: str | None = None) -> Assignment | None:
        """The job offered or under way that holds the order. Give the order's courier when known: the
        read is then that courier's active jobs (indexed), not every active job of the city."""
        active = [AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]
        for a in self.list(status=active, courier_id=courier_id, limit=10_000):
            if order_id in a.order_ids:
                return a
        return None

    def save(self, a: Assignment) -> None:
        a.version = self._update_versioned(assignments, a.id, a.version, self._row(a))
        self.tracker.track(self.kind, a)

    def _row(self, a: Assignment) -> dict[str, Any]:
        return {
            "courier_id": a.courier_id, "merchant_id": a.merchant_id, "order_ids": list(a.order_ids),
            "status": a.status.value, "offered_at": a.offered_at, "expires_at": a.expires_at,
            "planned_pickup_at": a.planned_pickup_at,
            "planned_dropoff_at": {k: v.isoformat() for k, v in a.planned_dropoff_at.items()},
            "responded_at": a.responded_at, "arrived_at": a.arrived_at, "manual": a.manual, "reason": a.reason,
        }

    def _from_row(self, r: Any) -> Assignment:
        a = Assignment(
            id=r["id"], courier_id=r["courier_id"], merchant_id=r["merchant_id"], order_ids=list(r["order_ids"]),
            offered_at=r["offered_at"], expires_at=r["expires_at"], planned_pickup_at=r["planned_pickup_at"],
            planned_dropoff_at={k: datetime.fromisoformat(v) for k, v in (r["planned_dropoff_at"] or {}).items()},
            status=AssignmentStatus(r["status"]), responded_at=r["responded_at"],
            arrived_at=r["arrived_at"], manual=r["manual"],
            reason=r["reason"], version=r["version"],
        )
        self.tracker.track(self.kind, a)
        return a
