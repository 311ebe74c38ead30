"""Putting an order in a courier's hands through the API, for the courier app and relay tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.api import World


@dataclass
class Job:
    order: dict[str, Any]  # as the admin sees it (with the handover PIN)
    assignment: dict[str, Any]

    @property
    def order_id(self) -> str:
        return str(self.order["id"])

    @property
    def assignment_id(self) -> str:
        return str(self.assignment["id"])

    @property
    def pin(self) -> str:
        return str(self.order["handover_pin"])


def offer_job(world: World, order: dict[str, Any] | None = None, *, start_shift: bool = True) -> Job:
    """An order offered by a dispatcher to the world's courier (who starts a shift first)."""
    order = order or world.new_order()
    if start_shift:
        r = world.call("courier", "POST", f"/api/couriers/{world.courier_id}/shift/start")
        assert r.status_code in (200, 409), r.text
    r = world.call("dispatcher", "POST", "/api/assignments",
                   json={"courier_id": world.courier_id, "order_ids": [order["id"]]})
    assert r.status_code == 201, r.text
    order = world.call("admin", "GET", f"/api/orders/{order['id']}").json()
    return Job(order, r.json())


def accepted_job(world: World, order: dict[str, Any] | None = None, *, picked_up: bool = False) -> Job:
    job = offer_job(world, order)
    r = world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/accept")
    assert r.status_code == 200, r.text
    if picked_up:
        r = world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/picked-up")
        assert r.status_code == 200, r.text
    return job


def deliver_url(job: Job) -> str:
    return f"/api/assignments/{job.assignment_id}/orders/{job.order_id}/delivered"
