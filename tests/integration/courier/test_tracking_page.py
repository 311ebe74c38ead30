"""The customer's tracking page: status, ETA, the courier's rounded position while en route, the
shop's name; nobody's personal data."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from allo.domain.clock import FixedClock
from allo.services import assignments
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.jobs import accepted_job

PERSONAL = ("Marie", "Dupont", "Moulins", "4521B", "+33", "06 12", "612345642", "Lucas", "Inès")


def token_of(world: World, order_id: str) -> str:
    with world.app.ctx.uow() as uow:
        return str(uow.orders.get(order_id).tracking_token)


def no_personal_data(text: str) -> None:
    found = [p for p in PERSONAL if p in text]
    assert not found, f"personal data on the tracking page: {found}"


def test_tracking_page_follows_the_order_without_personal_data(world: World, clock: FixedClock) -> None:
    public = TestClient(world.client.app)
    order = world.new_order(dropoff={"address": "14 boulevard des Moulins, 98000 Monaco",
                                     "location": {"lat": 43.7395, "lon": 7.4270}, "door_code": "4521B",
                                     "floor": "3", "instructions": "Sonner chez Dupont", "recipient_name": "Marie Dupont"})
    token = token_of(world, order["id"])
    page = public.get(f"/track/{token}")
    assert page.status_code == 200 and "Commande confirmée" in page.text and "Pizzeria Test" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    no_personal_data(page.text)
    job = accepted_job(world, order)
    with world.app.ctx.uow() as uow:  # the engine's plan for this drop-off
        a = uow.assignments.get(job.assignment_id)
        a.planned_dropoff_at = {order["id"]: clock.now() + timedelta(minutes=18)}
        uow.assignments.save(a)
        uow.commit()
    data = public.get(f"/track/{token}.json").json()
    assert data["status"] == "assigned" and data["eta_minutes"] == 18 and data["courier_position"] is None
    arrival = (clock.now() + timedelta(minutes=18)).astimezone(world.app.ctx.city_zone)  # the customer's, not UTC
    assert f'<strong id="eta-time">{arrival:%H:%M}</strong>' in public.get(f"/track/{token}").text
    assignments.picked_up(world.app.ctx, principal=SYSTEM, assignment_id=job.assignment_id)
    r = world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/position", json={"lat": 43.736789, "lon": 7.421234})
    assert r.status_code == 200
    data = public.get(f"/track/{token}.json").json()
    assert data["status"] == "picked_up"
    assert data["courier_position"] == {"lat": 43.737, "lon": 7.421}  # about 100 m, never the exact fix
    assert data["eta_minutes"] >= 18
    page = public.get(f"/track/{token}")
    assert "En route vers vous" in page.text and "43.737" in page.text and "43.736789" not in page.text
    no_personal_data(page.text)
    no_personal_data(str(data))
    english = public.get(f"/track/{token}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "On its way to you" in english.text
    clock.advance(minutes=6)  # a position older than five minutes is not shown
    assert public.get(f"/track/{token}.json").json()["courier_position"] is None
    world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/orders/{order['id']}/delivered",
               json={"pin": job.pin})
    data = public.get(f"/track/{token}.json").json()
    assert data["status"] == "delivered" and data["finished"] and data["courier_position"] is None
    assert data["eta"] is None and all(s["done"] for s in data["steps"])
    assert "Livrée" in public.get(f"/track/{token}").text


def test_unknown_token_is_a_plain_404(world: World) -> None:
    public = TestClient(world.client.app)
    r = public.get("/track/not-a-real-token-at-all")
    assert r.status_code == 404 and "existe pas" in r.text
    assert public.get("/track/not-a-real-token-at-all.json").status_code == 404


def test_tracking_events_are_this_orders_only(world: World) -> None:
    public = TestClient(world.client.app)
    order = world.new_order()
    other = world.new_order()
    token = token_of(world, order["id"])
    world.call("merchant", "POST", f"/api/orders/{other['id']}/actions", json={"action": "mark_ready"})
    world.call("merchant", "POST", f"/api/orders/{order['id']}/actions", json={"action": "mark_ready"})
    r = public.get(f"/track/{token}/events?max_seconds=0", headers={"Last-Event-ID": "0"})
    ids = re.findall(r"^id: (\d+)$", r.text, re.M)
    assert r.headers["content-type"].startswith("text/event-stream")
    assert len(ids) == 2  # its confirmation and its readiness
    assert "data: {}" in r.text and order["id"] not in r.text


def test_tracking_token_is_long_and_unguessable(world: World) -> None:
    tokens = {token_of(world, world.new_order()["id"]) for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 22 for t in tokens)
    _ = datetime  # (imported for readers of the clock arithmetic above)
