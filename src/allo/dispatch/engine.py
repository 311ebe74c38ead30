"""The engine: runs a policy on a snapshot and checks what it returns before anyone acts on it."""

from __future__ import annotations

from allo.dispatch.model import Assignment, DispatchContext, ServiceRules, Snapshot
from allo.dispatch.policy import DispatchPolicy, make_policy
from allo.dispatch.travel import TravelTimeModel


class InvalidAssignment(ValueError):
    """A policy returned something the rules forbid (a bug in the policy)."""


class DispatchEngine:
    """Entry point for the simulator and the live service alike.

    >>> engine = DispatchEngine.from_name("rolling", travel=CeilEuclideanTravel())  # doctest: +SKIP
    >>> assignments = engine.step(snapshot)  # doctest: +SKIP
    """

    def __init__(self, policy: DispatchPolicy, context: DispatchContext) -> None:
        self.policy = policy
        self.context = context

    @classmethod
    def from_name(
        cls, name: str, *, travel: TravelTimeModel, rules: ServiceRules | None = None,
        epoch_minutes: float = 1.0, seed: int = 0,
    ) -> "DispatchEngine":
        ctx = DispatchContext(travel=travel, rules=rules or ServiceRules(), epoch_minutes=epoch_minutes, seed=seed)
        return cls(make_policy(name), ctx)

    def step(self, snapshot: Snapshot) -> list[Assignment]:
        """Assignments to start now; raises InvalidAssignment if the policy broke a rule."""
        out = self.policy.decide(snapshot, self.context)
        validate(snapshot, out)
        return out


def validate(snapshot: Snapshot, assignments: list[Assignment]) -> None:
    orders = {o.id: o for o in snapshot.orders}
    couriers = {c.id: c for c in snapshot.couriers}
    seen_orders: set[str] = set()
    seen_couriers: set[str] = set()
    for a in assignments:
        c = couriers.get(a.courier_id)
        if c is None or not c.is_idle(snapshot.now):
            raise InvalidAssignment(f"courier {a.courier_id} is not idle at {snapshot.now}")
        if a.courier_id in seen_couriers:
            raise InvalidAssignment(f"courier {a.courier_id} assigned twice")
        seen_couriers.add(a.courier_id)
        if not a.order_ids:
            raise InvalidAssignment("empty bundle")
        merchants = set()
        for oid in a.order_ids:
            if oid not in orders or oid in seen_orders:
                raise InvalidAssignment(f"order {oid} is not open or assigned twice")
            seen_orders.add(oid)
            merchants.add(orders[oid].merchant_id)
        if len(merchants) != 1:
            raise InvalidAssignment(f"bundle {a.order_ids} spans merchants {sorted(merchants)}")
        if a.pickup_at > c.shift_end:
            raise InvalidAssignment(f"pickup after the shift end of {a.courier_id}")
        if c.capacity is not None and len(a.order_ids) > c.capacity:
            raise InvalidAssignment(f"{len(a.order_ids)} orders for {a.courier_id}, who carries {c.capacity}")
