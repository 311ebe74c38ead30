"""Delivery-time estimates of waiting orders, published by the dispatcher, read by the tracking page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import dispatch_estimates


class SqlDispatchEstimates(SqlRepository):
    kind = "dispatch_estimate"

    def publish(self, dropoffs: dict[str, datetime], *, orders: list[str], computed_at: datetime,
                forget_before: datetime) -> None:
        """Replace the estimates of `orders` (those the dispatcher looked at) with `dropoffs` (a
        subset: an order no courier can reach loses its estimate), and forget any estimate older
        than `forget_before` (orders gone from dispatch)."""
        if orders:
            self.conn.execute(delete(dispatch_estimates).where(dispatch_estimates.c.order_id.in_(orders)))
        self.conn.execute(delete(dispatch_estimates).where(dispatch_estimates.c.computed_at < forget_before))
        if dropoffs:
            self.conn.execute(insert(dispatch_estimates), [
                {"order_id": oid, "dropoff_at": at, "computed_at": computed_at} for oid, at in sorted(dropoffs.items())])

    def get(self, order_id: str, *, computed_after: datetime) -> datetime | None:
        """The order's estimated drop-off, if one was computed after `computed_after`."""
        return self.conn.execute(select(dispatch_estimates.c.dropoff_at).where(
            dispatch_estimates.c.order_id == order_id,
            dispatch_estimates.c.computed_at >= computed_after)).scalar_one_or_none()

    def fresh(self, *, computed_after: datetime) -> dict[str, datetime]:
        """Every estimate computed after `computed_after`, by order id."""
        rows = self.conn.execute(select(dispatch_estimates.c.order_id, dispatch_estimates.c.dropoff_at).where(
            dispatch_estimates.c.computed_at >= computed_after))
        return {order_id: at for order_id, at in rows}
