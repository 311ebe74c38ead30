"""What the console map shows: shops, couriers with their last position, drop-offs of open orders.

Drop-off positions are personal data: only staff get them, snapped to a ~50 m grid. A shop (merchant
login) sees its own shop and the couriers carrying its orders, never a drop-off. A shop closed now is
marked so, with its next opening.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allo.domain.merchant import Merchant
from allo.domain.order import OrderStatus
from allo.domain.user import Role
from allo.services import orders as order_service
from allo.services.console import ACTIVE_JOB, ACTIVE_STATES, order_ref, promised_at, round_position
from allo.services.context import ServiceContext
from allo.services.principal import Principal


def _shop(m: Merchant, now: datetime) -> dict[str, Any]:
    """A shop on the map: where it is and whether it is open now (if not, its next opening), and the
    end of a pause of new orders under way."""
    is_open = m.opening_hours.is_open(now)
    opens = None if is_open else m.opening_hours.next_opening(now)
    paused = m.paused_until if is_open and m.paused_at(now) else None
    return {"id": m.id, "name": m.name, "lat": m.pickup.lat, "lon": m.pickup.lon, "open": is_open,
            "opens_at": opens.isoformat() if opens else None, "paused_until": paused.isoformat() if paused else None}


def live_layers(ctx: ServiceContext, *, principal: Principal) -> dict[str, Any]:
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    now = ctx.clock.now()
    open_orders = order_service.list_orders(ctx, principal=principal, status=list(ACTIVE_STATES), limit=500)
    with ctx.uow() as uow:
        every_shop = {m.id: m for m in uow.merchants.list()}
        people = uow.couriers.list(active=True)
        jobs = {a.courier_id: a for a in uow.assignments.list(status=ACTIVE_JOB, limit=10_000)}
    shops = [m for m in every_shop.values() if m.active]
    if not principal.is_staff:
        shops = [m for m in shops if m.id == principal.merchant_id]
        carrying = {o.courier_id for o in open_orders if o.courier_id}
        people = [c for c in people if c.id in carrying]
    couriers = []
    for c in people:
        if c.position is None or not c.on_shift:
            continue
        job = jobs.get(c.id)
        couriers.append({
            "id": c.id, "name": c.name, "status": c.status.value, "vehicle": c.vehicle.value,
            "lat": c.position.lat, "lon": c.position.lon,
            "age_s": int((now - c.position_at).total_seconds()) if c.position_at else None,
            "job": [order_ref(o) for o in job.order_ids] if job else [],
        })
    dropoffs = []
    if principal.is_staff:
        for o in open_orders:
            if o.dropoff.location is None:
                continue
            p = round_position(o.dropoff.location)
            dropoffs.append({"id": o.id, "ref": order_ref(o.id), "status": o.status.value, "lat": p.lat,
                             "lon": p.lon, "late": now > promised_at(o, every_shop[o.merchant_id]),
                             "on_the_way": o.status is OrderStatus.PICKED_UP})
    return {
        "at": now.isoformat(),
        "shops": [_shop(m, now) for m in shops],
        "couriers": couriers,
        "dropoffs": dropoffs,
    }
