"""Small builders for dispatch snapshots (one MDRP-like city, 320 m/min)."""

from __future__ import annotations

from allo.dispatch.model import CourierState, DispatchContext, OpenOrder, ServiceRules, Snapshot
from allo.dispatch.policy import DispatchPolicy
from allo.dispatch.travel import CeilEuclideanTravel
from allo.domain.geo import Point

SPEED = 320.0


def order(oid: str, merchant: str = "m1", at: tuple[float, float] = (0, 0), to: tuple[float, float] = (1600, 0),
          placed: float = 0, ready: float = 10) -> OpenOrder:
    return OpenOrder(oid, merchant, Point(*at), Point(*to), placed, ready)


def courier(cid: str, at: tuple[float, float] = (0, 0), free_at: float = 0, start: float = 0, end: float = 600) -> CourierState:
    return CourierState(cid, Point(*at), free_at, start, end, SPEED)


def mdrp_context() -> DispatchContext:
    return DispatchContext(travel=CeilEuclideanTravel(), rules=ServiceRules(), epoch_minutes=1.0)


# The last courier of the day, at merchant A until minute 35. Order "here" is ready at A now and goes
# 10 minutes west, to C; order "there" is ready at B, 10 minutes east, at 12. There first: pickups at
# 12 and 12 + 2 + 1 + 4 + 11 + 2 = 32. Here first (it is ready, and the courier is at its door):
# pickups at 2 and 2 + 2 + 10 + 4 + 20 + 2 = 40, after the shift.
A, B, C = (0.0, 0.0), (3200.0, 0.0), (-3200.0, 0.0)
END = 35.0


def two_merchants() -> tuple[OpenOrder, OpenOrder]:
    return (
        order("here", merchant="ma", at=A, to=C, ready=0),
        order("there", merchant="mb", at=B, to=(3200.0, 320.0), ready=12),
    )


def served_by_the_last_courier(policy: DispatchPolicy, context: DispatchContext) -> list[str]:
    """`two_merchants` played epoch by epoch until the shift ends: the orders carried, in order."""
    orders, c, served = list(two_merchants()), courier("last", at=A, end=END), []
    for now in range(0, int(END) + 1):
        if c.free_at > now:
            continue
        for a in policy.decide(Snapshot(float(now), tuple(orders), (c,)), context):
            served += a.order_ids
            orders = [o for o in orders if o.id not in a.order_ids]
            c = courier("last", at=C if a.order_ids == ("here",) else (3200.0, 320.0), free_at=a.free_at, end=END)
    return served
