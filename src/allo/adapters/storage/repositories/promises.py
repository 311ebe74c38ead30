"""The arrival time each customer was last told, to know when a delay is news to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import arrival_promises, orders
from allo.domain.order import TERMINAL, OrderStatus

_STILL_OPEN = sorted(s.value for s in OrderStatus if s not in TERMINAL)


class SqlArrivalPromises(SqlRepository):
    kind = "arrival_promise"

    def tell(self, order_id: str, arrival: datetime, *, at: datetime) -> None:
        """The customer of `order_id` was told, at `at`, that it should arrive at `arrival`."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        row = {"order_id": order_id, "arrival_at": arrival, "told_at": at}
        self.conn.execute(dialect.insert(arrival_promises).values(**row).on_conflict_do_update(
            index_elements=["order_id"], set_={"arrival_at": arrival, "told_at": at}))

    def told(self, order_id: str) -> datetime | None:
        """The arrival time last told for the order, if any."""
        return self.conn.execute(select(arrival_promises.c.arrival_at).where(
            arrival_promises.c.order_id == order_id)).scalar_one_or_none()

    def of_open_orders(self) -> dict[str, datetime]:
        """The arrival time last told, by order, of every order not yet delivered, cancelled or failed.
        Asked by the statuses still open (not "not finished"), so the status index finds the few open
        orders instead of a scan of every order the city ever had."""
        rows = self.conn.execute(
            select(arrival_promises.c.order_id, arrival_promises.c.arrival_at)
            .join(orders, orders.c.id == arrival_promises.c.order_id)
            .where(orders.c.status.in_(_STILL_OPEN)))
        return {order_id: at for order_id, at in rows}
