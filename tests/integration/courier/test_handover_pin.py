"""The handover PIN: drawn at confirmation, stored encrypted, asked for at the door, locked after
five wrong tries until a dispatcher unlocks it."""

from __future__ import annotations

from sqlalchemy import select

from allo.adapters.storage.tables import orders
from tests.support.api import World
from tests.support.jobs import accepted_job, deliver_url


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10000:04d}"


def test_pin_is_drawn_at_confirmation_shown_to_staff_and_stored_encrypted(world: World) -> None:
    order = world.new_order()
    pin = order["handover_pin"]
    assert pin and len(pin) == 4 and pin.isdigit()
    draft = world.new_order(confirm=False)
    assert draft["handover_pin"] is None
    confirmed = world.call("merchant", "POST", f"/api/orders/{draft['id']}/actions", json={"action": "confirm"})
    assert len(confirmed.json()["handover_pin"]) == 4  # the shop took it: it may phone the PIN in
    with world.app.engine.connect() as conn:
        row = conn.execute(select(orders.c.pin_enc).where(orders.c.id == order["id"])).one()
    assert row.pin_enc and pin.encode() not in bytes(row.pin_enc)


def test_courier_never_sees_the_pin(world: World) -> None:
    job = accepted_job(world)
    seen = world.call("courier", "GET", f"/api/orders/{job.order_id}").json()
    assert seen["handover_pin"] is None
    assert all(o["handover_pin"] is None for o in world.call("courier", "GET", "/api/orders").json())


def test_right_pin_delivers(world: World) -> None:
    job = accepted_job(world, picked_up=True)
    r = world.call("courier", "POST", deliver_url(job), json={"pin": job.pin})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "delivered"


def test_wrong_or_missing_pin_is_refused_with_a_clear_code(world: World) -> None:
    job = accepted_job(world, picked_up=True)
    r = world.call("courier", "POST", deliver_url(job), json={"pin": wrong(job.pin)})
    assert r.status_code == 422 and r.json()["code"] == "wrong_pin"
    assert "4 tries left" in r.json()["message"]
    r = world.call("courier", "POST", deliver_url(job))
    assert r.status_code == 422 and r.json()["code"] == "wrong_pin"
    assert world.call("admin", "GET", f"/api/orders/{job.order_id}").json()["status"] == "picked_up"
    r = world.call("courier", "POST", deliver_url(job), json={"pin": f" {job.pin} "})
    assert r.status_code == 200 and r.json()["status"] == "delivered"


def test_five_wrong_pins_lock_until_a_dispatcher_unlocks(world: World) -> None:
    job = accepted_job(world, picked_up=True)
    codes = [world.call("courier", "POST", deliver_url(job), json={"pin": wrong(job.pin)}).json()["code"]
             for _ in range(5)]
    assert codes == ["wrong_pin"] * 4 + ["pin_locked"]
    r = world.call("courier", "POST", deliver_url(job), json={"pin": job.pin})
    assert r.status_code == 409 and r.json()["code"] == "pin_locked"
    seen = world.call("dispatcher", "GET", f"/api/orders/{job.order_id}").json()
    assert seen["pin_locked"] is True and seen["status"] == "picked_up"
    assert world.call("courier", "POST", f"/api/orders/{job.order_id}/pin/reset").status_code == 403
    r = world.call("dispatcher", "POST", f"/api/orders/{job.order_id}/pin/reset")
    assert r.status_code == 200 and r.json()["pin_locked"] is False
    r = world.call("courier", "POST", deliver_url(job), json={"pin": job.pin})
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    with world.app.ctx.uow() as uow:
        actions = [e.action for e in uow.journal.audit_entries(subject_id=job.order_id)]
        names = [e.name for e in uow.journal.events_for(job.order_id)]
    assert "pin_unlocked" in actions and "order.pin_locked" in names


def test_a_dispatcher_may_confirm_a_handover_without_the_pin_and_it_is_audited(world: World) -> None:
    job = accepted_job(world, picked_up=True)
    r = world.call("dispatcher", "POST", deliver_url(job))
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    with world.app.ctx.uow() as uow:
        assert "handover_without_pin" in [e.action for e in uow.journal.audit_entries(subject_id=job.order_id)]


def test_delivering_before_pickup_is_an_invalid_transition_not_a_wrong_pin(world: World) -> None:
    job = accepted_job(world)
    r = world.call("courier", "POST", deliver_url(job), json={"pin": wrong(job.pin)})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    assert world.call("admin", "GET", f"/api/orders/{job.order_id}").json()["pin_locked"] is False
