"""Couriers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import couriers
from allo.domain.courier import Courier, CourierStatus, ShiftBooking, Vehicle
from allo.domain.errors import NotFound
from allo.domain.geo import LatLon


class SqlCourierRepository(SqlRepository):
    kind = "courier"

    def add(self, c: Courier) -> None:
        self.conn.execute(insert(couriers).values(id=c.id, version=1, **self._row(c)))
        c.version = 1
        self.tracker.track(self.kind, c)

    def get(self, courier_id: str) -> Courier:
        row = self.conn.execute(select(couriers).where(couriers.c.id == courier_id)).mappings().first()
        if row is None:
            raise NotFound(f"no courier {courier_id}", code="courier_not_found")
        return self._from_row(row)

    def list(self, *, status: list[CourierStatus] | None = None, active: bool | None = None,
             booked_between: tuple[datetime, datetime] | None = None) -> list[Courier]:
        """Couriers by status and activity; `booked_between`: only those whose booked shift starts then."""
        q = select(couriers).order_by(couriers.c.name, couriers.c.id)
        if booked_between is not None:
            q = q.where(couriers.c.booked_from >= booked_between[0], couriers.c.booked_from < booked_between[1])
        if status:
            q = q.where(couriers.c.status.in_([s.value for s in status]))
        if active is not None:
            q = q.where(couriers.c.active == active)
        return [self._from_row(r) for r in self.conn.execute(q).mappings()]

    def save(self, c: Courier) -> None:
        c.version = self._update_versioned(couriers, c.id, c.version, self._row(c))
        self.tracker.track(self.kind, c)

    def _row(self, c: Courier) -> dict[str, Any]:
        return {
            "name": c.name, "vehicle": c.vehicle.value, "status": c.status.value,
            "lat": c.position.lat if c.position else None, "lon": c.position.lon if c.position else None,
            "position_at": c.position_at, "shift_started_at": c.shift_started_at, "shift_ends_at": c.shift_ends_at,
            "active": c.active, **self._booking_row(c.booking),
        }

    @staticmethod
    def _booking_row(b: ShiftBooking | None) -> dict[str, Any]:
        place = b.start_place if b else None
        return {"booked_from": b.starts_at if b else None, "booked_until": b.ends_at if b else None,
                "booked_lat": place.lat if place else None, "booked_lon": place.lon if place else None}

    @staticmethod
    def _booking_of(r: Any) -> ShiftBooking | None:
        if r["booked_from"] is None:
            return None
        place = LatLon(r["booked_lat"], r["booked_lon"]) if r["booked_lat"] is not None else None
        return ShiftBooking(r["booked_from"], r["booked_until"], place)

    def _from_row(self, r: Any) -> Courier:
        c = Courier(
            id=r["id"], name=r["name"], vehicle=Vehicle(r["vehicle"]), status=CourierStatus(r["status"]),
            position=LatLon(r["lat"], r["lon"]) if r["lat"] is not None else None,
            position_at=r["position_at"], shift_started_at=r["shift_started_at"], shift_ends_at=r["shift_ends_at"],
            booking=self._booking_of(r), active=r["active"], version=r["version"],
        )
        self.tracker.track(self.kind, c)
        return c
