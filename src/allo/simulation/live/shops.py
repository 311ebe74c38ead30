"""A simulated shop: says when each confirmed order will be ready, and marks it ready then.

It uses the same order actions as the shop's own screen (the estimate, then mark_ready, with the
shop's principal). Preparation takes the shop's `prep_minutes`, give or take 20 %, counted from
confirmation; the kitchen announces it, rounded up to the minute, when it first sees the order.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from allo.domain.errors import DomainError
from allo.domain.order import Order, OrderAction, OrderStatus, order_number
from allo.services import orders
from allo.services.context import ServiceContext
from allo.services.principal import Principal
from allo.simulation.live.schedule import Every, jittered

log = logging.getLogger("allo.demo")
story = logging.getLogger("allo.demo.story")
PREPARING = [OrderStatus.CONFIRMED, OrderStatus.ASSIGNED]


@dataclass
class SimShop:
    ctx: ServiceContext
    merchant_id: str
    principal: Principal
    prep: timedelta
    rng: Random
    poll_every: timedelta = timedelta(seconds=5)
    name: str = "shop"
    marked: int = 0  # orders marked ready so far
    _due: dict[str, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._polls = Every(self.poll_every)

    def step(self, now: datetime) -> None:
        if not self._polls.due(now):
            return
        preparing = orders.list_orders(self.ctx, principal=self.principal, status=PREPARING,
                                       merchant_id=self.merchant_id, limit=500)
        still = {o.id for o in preparing}
        self._due = {oid: at for oid, at in self._due.items() if oid in still}  # forget cancelled orders
        for order in preparing:
            if order.ready_at is not None:
                continue
            if order.id not in self._due:
                self._due[order.id] = _confirmed_at(order) + jittered(self.rng, self.prep)
                self._announce(order, self._due[order.id], now)
            due = self._due[order.id]
            if now < due:
                continue
            try:
                orders.order_action(self.ctx, principal=self.principal, order_id=order.id,
                                    action=OrderAction.MARK_READY)
                self.marked += 1
                story.info("%s: #%s is ready", self.name, order_number(order.id))
                self._due.pop(order.id, None)
            except DomainError as exc:  # changed meanwhile (assigned, cancelled): next poll
                log.debug("%s: order %s not marked ready: %s", self.name, order.id, exc)


    def _announce(self, order: Order, due: datetime, now: datetime) -> None:
        """Tell the dispatcher when the order will be ready (its courier is sent for then)."""
        minutes = max(0, math.ceil((due - now).total_seconds() / 60))
        try:
            orders.expect_ready(self.ctx, principal=self.principal, order_id=order.id, ready_in_minutes=minutes)
        except DomainError as exc:  # changed meanwhile: the shop's usual time applies
            log.debug("%s: no estimate for order %s: %s", self.name, order.id, exc)


def _confirmed_at(order: Order) -> datetime:
    """When the shop first took the order (an unassigned order goes back to confirmed, but its
    preparation does not start again)."""
    return next((t.at for t in order.history if t.status is OrderStatus.CONFIRMED), order.created_at)
