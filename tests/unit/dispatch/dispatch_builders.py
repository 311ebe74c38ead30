"""Small builders for dispatch snapshots (one MDRP-like city, 320 m/min)."""

from __future__ import annotations

from allo.dispatch.model import CourierState, DispatchContext, OpenOrder, ServiceRules
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
