"""Orders and their transition history. Drop-off and notes are encrypted."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import order_transitions, orders
from allo.domain.errors import NotFound
from allo.domain.geo import LatLon
from allo.domain.money import Money
from allo.domain.order import TERMINAL, DropOff, Order, OrderAction, OrderLine, OrderStatus, OrderTimes, Transition

DROPOFF_CTX = "orders.dropoff"
NOTES_CTX = "orders.notes"
PIN_CTX = "orders.pin"


class SqlOrderRepository(SqlRepository):
    kind = "order"

    def add(self, order: Order) -> None:
        self.conn.execute(insert(orders).values(**self._row(order), id=order.id, version=1,
                                                created_at=order.created_at))
        order.version = 1
        self._write_transitions(order, already=0)
        self.tracker.track(self.kind, order)

    def get(self, order_id: str) -> Order:
        row = self.conn.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
        if row is None:
            raise NotFound(f"no order {order_id}", code="order_not_found")
        return self._load([row])[0]

    def by_tracking_token(self, token: str) -> Order:
        row = self.conn.execute(select(orders).where(orders.c.tracking_token == token)).mappings().first()
        if row is None:
            raise NotFound("no order behind this link", code="order_not_found")
        return self._load([row])[0]

    def list(self, *, status: list[OrderStatus] | None = None, merchant_id: str | None = None,
             courier_id: str | None = None, customer_id: str | None = None,
             limit: int = 100, offset: int = 0, oldest_first: bool = False,
             requested_before: datetime | None = None, held: bool | None = None,
             ids: Collection[str] | None = None) -> list[Order]:
        """Newest first (pages of a list), or oldest first (the most urgent, for dispatch); `ids`: only these.
        `requested_before` leaves out the orders asked for that time or later (pre-orders not due);
        `held` keeps only the orders a dispatcher holds for manual dispatch (True) or the others (False)."""
        when = orders.c.created_at.asc() if oldest_first else orders.c.created_at.desc()
        q = select(orders).order_by(when, orders.c.id).limit(limit).offset(offset)
        if status:
            q = q.where(orders.c.status.in_([s.value for s in status]))
        if merchant_id:
            q = q.where(orders.c.merchant_id == merchant_id)
        if courier_id:
            q = q.where(orders.c.courier_id == courier_id)
        if customer_id:
            q = q.where(orders.c.customer_id == customer_id)
        if requested_before is not None:
            q = q.where(or_(orders.c.requested_for.is_(None), orders.c.requested_for < requested_before))
        if ids is not None:
            q = q.where(orders.c.id.in_(list(ids)))
        if held is not None:
            q = q.where(orders.c.held_reason.is_not(None) if held else orders.c.held_reason.is_(None))
        return self._load(list(self.conn.execute(q).mappings()))

    def times_since(self, since: datetime, merchant_id: str | None = None) -> list[OrderTimes]:
        """The orders placed since `since` (of one shop, if given), newest first, with when each was
        delivered: no lines and nothing to decrypt, so a busy day's figures read quickly."""
        delivered = order_transitions.alias("delivered")
        q = (select(orders.c.id, orders.c.merchant_id, orders.c.status, orders.c.created_at, orders.c.requested_for,
                    delivered.c.at)
             .outerjoin(delivered, and_(delivered.c.order_id == orders.c.id,
                                        delivered.c.status == OrderStatus.DELIVERED.value))
             .where(orders.c.created_at >= since).order_by(orders.c.created_at.desc(), orders.c.id))
        if merchant_id:
            q = q.where(orders.c.merchant_id == merchant_id)
        return [OrderTimes(r[0], r[1], OrderStatus(r[2]), r[3], r[4], r[5]) for r in self.conn.execute(q)]

    def recently_finished(self, limit: int, merchant_id: str | None = None, page: int = 200) -> list[Order]:
        """The last `limit` orders placed that are delivered, cancelled or failed (of one shop, if
        given), newest first. Found by walking the orders newest first: finished orders are nearly
        all of a city's orders, and asked by status a planner without statistics (SQLite's) reads
        them all through the status index and sorts them."""
        q = select(orders.c.id, orders.c.status).order_by(orders.c.created_at.desc(), orders.c.id)
        if merchant_id:
            q = q.where(orders.c.merchant_id == merchant_id)
        done = {s.value for s in TERMINAL}
        found: list[str] = []
        offset = 0
        while len(found) < limit:
            rows = self.conn.execute(q.limit(page).offset(offset)).all()
            found += [r[0] for r in rows if r[1] in done]
            if len(rows) < page:
                break
            offset += page
        found = found[:limit]
        by_id = {o.id: o for o in self.list(ids=found, limit=max(1, len(found)))}
        return [by_id[i] for i in found]

    def ready_against_estimate(self, placed_since: datetime) -> list[tuple[str, datetime, datetime]]:
        """(merchant, kitchen's last estimate, when marked ready) of the orders placed since then that
        had both: how late (or early) each kitchen has been against its own word. No personal data."""
        q = (select(orders.c.merchant_id, orders.c.expected_ready_at, orders.c.ready_at)
             .where(orders.c.created_at >= placed_since, orders.c.expected_ready_at.is_not(None),
                    orders.c.ready_at.is_not(None)))
        return [(r.merchant_id, r.expected_ready_at, r.ready_at) for r in self.conn.execute(q)]

    def save(self, order: Order) -> None:
        stored = self.conn.execute(
            select(func.count()).select_from(order_transitions).where(order_transitions.c.order_id == order.id)
        ).scalar_one()
        order.version = self._update_versioned(orders, order.id, order.version, self._row(order))
        self._write_transitions(order, already=stored)
        self.tracker.track(self.kind, order)

    # mapping --------------------------------------------------------------------------------
    def _row(self, o: Order) -> dict[str, Any]:
        d = o.dropoff
        dropoff = {
            "address": d.address, "door_code": d.door_code, "floor": d.floor,
            "instructions": d.instructions, "recipient_name": d.recipient_name,
            "lat": d.location.lat if d.location else None, "lon": d.location.lon if d.location else None,
        }
        assert o.delivery_fee is not None
        return {
            "merchant_id": o.merchant_id, "customer_id": o.customer_id, "conversation_id": o.conversation_id,
            "tracking_token": o.tracking_token,
            "status": o.status.value,
            "courier_id": o.courier_id, "currency": o.currency,
            "lines": [
                {"sku": ln.sku, "name": ln.name, "qty": ln.qty, "unit_price_cents": ln.unit_price.cents,
                 "options": ln.options, "without": list(ln.without)}
                for ln in o.lines
            ],
            "delivery_fee_cents": o.delivery_fee.cents, "total_cents": o.total.cents,
            "dropoff_enc": self.cipher.encrypt(json.dumps(dropoff), DROPOFF_CTX),
            "notes_enc": self.cipher.encrypt(o.notes, NOTES_CTX),
            "requested_for": o.requested_for, "ready_at": o.ready_at, "reason": o.reason,
            "expected_ready_at": o.expected_ready_at,
            "held_reason": o.held_reason,
            "pin_enc": self.cipher.encrypt(o.pin, PIN_CTX), "pin_failures": o.pin_failures,
        }

    def _write_transitions(self, order: Order, already: int) -> None:
        new = order.history[already:]
        if new:
            self.conn.execute(insert(order_transitions), [
                {"order_id": order.id, "seq": already + i, "status": t.status.value,
                 "action": t.action.value if t.action else None, "at": t.at, "reason": t.reason}
                for i, t in enumerate(new)
            ])

    def _load(self, rows: list[Any]) -> list[Order]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        history: dict[str, list[Transition]] = {i: [] for i in ids}
        q = (select(order_transitions).where(order_transitions.c.order_id.in_(ids))
             .order_by(order_transitions.c.order_id, order_transitions.c.seq))
        for t in self.conn.execute(q).mappings():
            history[t["order_id"]].append(Transition(
                OrderStatus(t["status"]), t["at"], OrderAction(t["action"]) if t["action"] else None, t["reason"]))
        result = []
        for r in rows:
            order = self._from_row(r, history[r["id"]])
            self.tracker.track(self.kind, order)
            result.append(order)
        return result

    def _from_row(self, r: Any, history: list[Transition]) -> Order:
        cur = r["currency"]
        raw = json.loads(self.cipher.decrypt(r["dropoff_enc"], DROPOFF_CTX) or "{}")
        location = LatLon(raw["lat"], raw["lon"]) if raw.get("lat") is not None else None
        dropoff = DropOff(raw["address"], location, raw.get("door_code"), raw.get("floor"),
                          raw.get("instructions"), raw.get("recipient_name"))
        lines = [OrderLine(ln["sku"], ln["name"], ln["qty"], Money(ln["unit_price_cents"], cur),
                           ln.get("options") or {}, tuple(ln.get("without") or ()))
                 for ln in r["lines"]]
        return Order(
            id=r["id"], merchant_id=r["merchant_id"], customer_id=r["customer_id"], lines=lines,
            dropoff=dropoff, created_at=r["created_at"], currency=cur,
            delivery_fee=Money(r["delivery_fee_cents"], cur),
            notes=self.cipher.decrypt(r["notes_enc"], NOTES_CTX), requested_for=r["requested_for"],
            conversation_id=r["conversation_id"], tracking_token=r["tracking_token"],
            status=OrderStatus(r["status"]), courier_id=r["courier_id"], ready_at=r["ready_at"],
            expected_ready_at=r["expected_ready_at"], held_reason=r["held_reason"], reason=r["reason"],
            history=history, version=r["version"],
            pin=self.cipher.decrypt(r["pin_enc"], PIN_CTX), pin_failures=r["pin_failures"] or 0,
        )
