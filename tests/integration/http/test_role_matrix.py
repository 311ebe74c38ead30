"""Every endpoint × every role: what a role may do gets past the door, the rest gets 401/403.

The roles an endpoint allows are read from the OpenAPI document (`x-roles`), the same declaration
the endpoint enforces, so a new endpoint without a declaration fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from allo.domain.courier import Vehicle
from allo.domain.order import DropOff
from allo.domain.user import Role
from allo.services import accounts, assignments, couriers, orders
from allo.services.orders import CustomerRequest, LineRequest
from allo.services.principal import SYSTEM
from tests.support.api import INSIDE, PASSWORD, World

ROLES = [r.value for r in Role]

BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/auth/token"): {"username": "admin", "password": PASSWORD},
    ("POST", "/api/auth/login"): {"username": "admin", "password": PASSWORD},
    ("POST", "/api/users"): {"username": "newbie{n}", "password": PASSWORD, "role": "dispatcher"},
    ("PATCH", "/api/users/{user_id}"): {"active": True},
    ("POST", "/api/auth/password"): {"current_password": PASSWORD, "new_password": PASSWORD},
    ("POST", "/api/merchants"): {"name": "New Shop", "address": "2 rue Grimaldi", "pickup": INSIDE,
                                 "delivery_zone": [{"lat": 43.73, "lon": 7.41}, {"lat": 43.75, "lon": 7.41},
                                                   {"lat": 43.75, "lon": 7.44}]},
    ("PATCH", "/api/merchants/{merchant_id}"): {"prep_minutes": 12},
    ("PUT", "/api/couriers/{courier_id}/shift/end"): {"until": None},
    ("PUT", "/api/couriers/{courier_id}/booking"): {"starts_at": "{in_an_hour}", "ends_at": "{in_three_hours}"},
    ("PUT", "/api/merchants/{merchant_id}/catalog"): {"currency": "EUR", "items": [
        {"sku": "margherita", "name": "Pizza margherita", "price_cents": 900, "options": [
            {"group": "size", "min": 1, "max": 1, "choices": [{"name": "medium"}, {"name": "large"}]}]},
        {"sku": "coke", "name": "Coke", "price_cents": 250}]},
    ("PATCH", "/api/merchants/{merchant_id}/catalog/items/{sku}"): {"available": True},
    ("PUT", "/api/merchants/{merchant_id}/pause"): {"minutes": 15},
    ("POST", "/api/orders"): {"merchant_id": "{merchant_id}", "lines": [{"sku": "coke"}],
                              "dropoff": {"address": "3 avenue de la Costa", "location": INSIDE}},
    ("PATCH", "/api/orders/{order_id}"): {"notes": "second floor"},
    ("POST", "/api/orders/{order_id}/actions"): {"action": "mark_ready"},
    ("PUT", "/api/orders/{order_id}/ready-estimate"): {"ready_in_minutes": 15},
    ("PUT", "/api/orders/{order_id}/hold"): {"reason": "needs a car: six crates of water"},
    ("POST", "/api/orders/{order_id}/cancel"): {"reason": "customer changed their mind"},
    ("POST", "/api/couriers"): {"name": "Zoé", "vehicle": "bike"},
    ("PATCH", "/api/couriers/{courier_id}"): {"vehicle": "scooter"},
    ("PUT", "/api/couriers/{courier_id}/position"): {"lat": 43.74, "lon": 7.42},
    ("POST", "/api/assignments"): {"courier_id": "{free_courier_id}", "order_ids": ["{free_order_id}"]},
    ("POST", "/api/assignments/{assignment_id}/withdraw"): {"reason": "reassigning"},
    ("POST", "/api/assignments/{assignment_id}/orders/{order_id}/failed"): {"reason": "nobody home"},
    ("POST", "/api/customers"): {"phone": "06 11 22 33 {n2}", "name": "Paul Martin"},
    ("POST", "/api/customers/{customer_id}/reveal"): {"reason": "courier cannot find the door"},
    ("POST", "/api/assignments/{assignment_id}/orders/{order_id}/messages"): {"text": "I am downstairs"},
    ("POST", "/chat/api/{merchant_id}/messages"): {"message_id": "matrix-{n}-{n2}", "text": "bonjour"},
}
#: Page forms (application/x-www-form-urlencoded).
FORMS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/courier/jobs/{assignment_id}/orders/{order_id}/delivered"): {"pin": "0000"},
    ("POST", "/courier/jobs/{assignment_id}/orders/{order_id}/failed"): {"reason": "customer_absent"},
    ("POST", "/courier/jobs/{assignment_id}/orders/{order_id}/messages"): {"text": "I am downstairs"},
    ("POST", "/login"): {"username": "admin", "password": PASSWORD},
    ("POST", "/console/catalog/{merchant_id}/availability"): {"sku": "coke", "available": "true"},
    ("POST", "/console/catalog/{merchant_id}/pause"): {"minutes": ""},
    ("POST", "/console/users/{user_id}"): {"active": "true"},
    ("POST", "/console/users"): {"username": "login{n}", "password": PASSWORD, "role": "dispatcher"},
    ("POST", "/console/couriers"): {"name": "Rider {n}b", "vehicle": "bike"},
    ("POST", "/console/orders/{order_id}/actions"): {"action": "mark_ready"},
    ("POST", "/console/orders/{order_id}/ready-estimate"): {"ready_in_minutes": "15"},
    ("POST", "/console/orders/{order_id}/assign"): {"courier_id": "{free_courier_id}"},
    ("POST", "/console/orders/{order_id}/unassign"): {"reason": "taking it back"},
    ("POST", "/console/orders/{order_id}/reveal"): {"reason": "courier cannot find the door"},
}
#: Query strings added to a path (event streams end after one batch, so the call returns).
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/console/events"): "?max_seconds=0",
    ("GET", "/courier/events"): "?max_seconds=0",
    ("GET", "/track/{token}/events"): "?max_seconds=0",
}
#: Provider webhooks need a configured provider and a signature: tested in tests/integration/channels.
NO_SUCCESS_EXPECTED = ("/webhooks/",)


#: Calls that need a courier who is free (not carrying the scene's job).
USE_FREE_COURIER = {("DELETE", "/api/couriers/{courier_id}"), ("POST", "/api/couriers/{courier_id}/shift/stop"),
                    ("POST", "/console/couriers/{courier_id}/shift/stop")}


@dataclass
class Scene:
    """Fresh records for one call, so that no call depends on what an earlier one changed."""

    ids: dict[str, str]
    courier_token: str


#: How far the scene's job has gone before the call; the default is "accepted".
STAGE = {
    ("POST", "/api/couriers/{courier_id}/shift/start"): "off_shift",
    ("POST", "/console/couriers/{courier_id}/shift/start"): "off_shift",
    ("POST", "/api/assignments/{assignment_id}/accept"): "offered",
    ("POST", "/api/assignments/{assignment_id}/decline"): "offered",
    ("POST", "/api/assignments/{assignment_id}/orders/{order_id}/delivered"): "picked_up",
    ("POST", "/api/assignments/{assignment_id}/orders/{order_id}/failed"): "picked_up",
    ("POST", "/courier/shift/start"): "off_shift",
    ("PUT", "/api/couriers/{courier_id}/booking"): "off_shift",
    ("DELETE", "/api/couriers/{courier_id}/booking"): "booked",
    ("DELETE", "/api/orders/{order_id}/hold"): "held",
    ("POST", "/courier/offers/{assignment_id}/accept"): "offered",
    ("POST", "/courier/offers/{assignment_id}/decline"): "offered",
    ("POST", "/courier/jobs/{assignment_id}/orders/{order_id}/delivered"): "picked_up",
    ("POST", "/courier/jobs/{assignment_id}/orders/{order_id}/failed"): "picked_up",
}


def make_scene(world: World, n: int, stage: str = "accepted") -> Scene:
    ctx = world.app.ctx
    courier = couriers.create_courier(ctx, principal=SYSTEM, name=f"Rider {n}", vehicle=Vehicle.BIKE)
    courier_user = f"rider{n}"
    courier_user_id = accounts.create_user(ctx, username=courier_user, password=PASSWORD, role=Role.COURIER,
                                           courier_id=courier.id).id
    _, token = accounts.login(ctx, username=courier_user, password=PASSWORD)

    def new_order(phone: str) -> str:
        return orders.create_order(
            ctx, principal=SYSTEM, merchant_id=world.merchant_id, lines=[LineRequest("coke")],
            dropoff=DropOff("9 boulevard des Moulins"), customer=CustomerRequest(phone, "Ana Lopes"),
            confirm=True).id

    order_id = new_order(f"+3370000{n:04d}")
    _chat_with_customer(world, order_id, n)  # so that the courier can write to the customer (relay)
    assignment_id = ""
    now = ctx.clock.now()
    if stage == "booked":  # off shift, with the next shift booked
        couriers.book_shift(ctx, principal=SYSTEM, courier_id=courier.id, starts_at=now + timedelta(hours=1),
                            ends_at=now + timedelta(hours=3))
    if stage not in ("off_shift", "booked"):
        couriers.start_shift(ctx, principal=SYSTEM, courier_id=courier.id)
        assignment_id = assignments.offer(ctx, principal=SYSTEM, courier_id=courier.id, order_ids=[order_id]).id
    if stage in ("accepted", "picked_up"):
        assignments.accept(ctx, principal=SYSTEM, assignment_id=assignment_id)
    if stage == "picked_up":
        assignments.picked_up(ctx, principal=SYSTEM, assignment_id=assignment_id)
    if stage == "held":  # waiting for a courier, kept by a dispatcher for manual dispatch
        assignments.withdraw(ctx, principal=SYSTEM, assignment_id=assignment_id, reason="held")
        orders.hold_for_dispatcher(ctx, principal=SYSTEM, order_id=order_id, reason="needs a car")
    free = couriers.create_courier(ctx, principal=SYSTEM, name=f"Spare {n}", vehicle=Vehicle.FOOT)
    couriers.start_shift(ctx, principal=SYSTEM, courier_id=free.id)
    free_order = new_order(f"+3371000{n:04d}")
    scene_order = orders.get_order(ctx, principal=SYSTEM, order_id=order_id)
    customer_id = scene_order.customer_id
    ids = {"token": scene_order.tracking_token or "", "merchant_id": world.merchant_id, "courier_id": courier.id, "order_id": order_id,
           "assignment_id": assignment_id, "customer_id": customer_id or "", "free_courier_id": free.id,
           "free_order_id": free_order, "n": str(n), "n2": f"{n % 100:02d}", "channel": "telegram", "sku": "coke", "user_id": courier_user_id,
           "in_an_hour": (now + timedelta(hours=1)).isoformat(), "in_three_hours": (now + timedelta(hours=3)).isoformat()}
    return Scene(ids, token)


def _chat_with_customer(world: World, order_id: str, n: int) -> None:
    ctx = world.app.ctx
    with ctx.uow() as uow:
        conv = uow.messaging.conversation(channel="webchat", address=f"{world.merchant_id}_matrix{n}",
                                          merchant_id=world.merchant_id, new_id=ctx.new_id(), now=ctx.clock.now())
        order = uow.orders.get(order_id)
        order.conversation_id = conv.id
        uow.orders.save(order)
        uow.commit()


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], value)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def endpoints(world: World) -> list[tuple[str, str, list[str], bool]]:
    spec = world.client.get("/openapi.json").json()
    found = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert "x-roles" in op, f"{method.upper()} {path} declares no roles"
            found.append((method.upper(), path, op["x-roles"], bool(op.get("x-page"))))
    return found


def test_every_endpoint_every_role(world: World) -> None:
    n = 0
    checked = 0
    problems: list[str] = []
    for method, path, allowed, is_page in endpoints(world):
        successes = 0
        for who in [None, *ROLES]:
            n += 1
            scene = make_scene(world, n, STAGE.get((method, path), "accepted"))
            ids = dict(scene.ids)
            if (method, path) in USE_FREE_COURIER and who != "courier":
                ids["courier_id"] = ids["free_courier_id"]
            url = fill(path, ids) + QUERIES.get((method, path), "")
            body = fill(BODIES.get((method, path)), scene.ids)
            headers = {}
            if who == "courier":
                headers = {"Authorization": f"Bearer {scene.courier_token}"}
            elif who is not None:
                # a fresh token each call: logout revokes the one it is called with
                _, tok = accounts.login(world.app.ctx, username=who, password=PASSWORD)
                headers = {"Authorization": f"Bearer {tok}"}
            world.client.cookies.clear()  # no cookie carries over from the previous call
            if is_page and who is not None:  # pages authenticate with the session cookie
                world.client.cookies.set("allo_session", headers.pop("Authorization").split()[1])
            form = fill(FORMS.get((method, path)), scene.ids)
            if form is not None:
                r = world.client.request(method, url, data=form, headers=headers, follow_redirects=False)
            else:
                r = world.client.request(method, url, json=body, headers=headers, follow_redirects=False)
            label = f"{method} {path} as {who or 'anonymous'}: {r.status_code} {r.text[:200]}"
            if "public" in allowed:
                ok = r.status_code not in (401, 403)
            elif who is None and is_page:
                ok = r.status_code == 303 and r.headers["location"].startswith("/login")
            elif who is None:
                ok = r.status_code == 401 and r.json()["code"] == "not_authenticated"
            elif who in allowed:
                ok = r.status_code not in (401, 403)
            else:
                ok = r.status_code == 403 and r.json()["code"] == "forbidden"
            if not ok:
                problems.append(label)
            if r.status_code < 400:
                successes += 1
            checked += 1
        if successes == 0 and not path.startswith(NO_SUCCESS_EXPECTED):
            problems.append(f"{method} {path}: no role ever succeeded; the sample request is wrong")
    assert not problems, "\n".join(problems)
    assert checked >= 5 * 30


@pytest.mark.parametrize("who", ["merchant", "other_merchant"])
def test_merchant_sees_only_its_own_shop(world: World, who: str) -> None:
    order = world.new_order()
    r = world.call(who, "GET", f"/api/orders/{order['id']}")
    assert r.status_code == (200 if who == "merchant" else 403)
    r = world.call(who, "PUT", f"/api/merchants/{world.merchant_id}/catalog", json={"items": []})
    assert r.status_code == (200 if who == "merchant" else 403)


def test_courier_acts_only_for_itself(world: World) -> None:
    r = world.call("courier", "POST", f"/api/couriers/{world.other_courier_id}/shift/start")
    assert r.status_code == 403
    r = world.call("courier", "POST", f"/api/couriers/{world.courier_id}/shift/start")
    assert r.status_code == 200 and r.json()["status"] == "available"
    order = world.new_order()
    assert world.call("courier", "GET", f"/api/orders/{order['id']}").status_code == 403
    a = world.call("dispatcher", "POST", "/api/assignments",
                   json={"courier_id": world.courier_id, "order_ids": [order["id"]]}).json()
    assert world.call("other_courier", "POST", f"/api/assignments/{a['id']}/accept").status_code == 403
    assert world.call("courier", "POST", f"/api/assignments/{a['id']}/accept").status_code == 200
    seen = world.call("courier", "GET", f"/api/orders/{order['id']}").json()
    assert seen["customer_id"] is None and seen["dropoff"]["recipient"] == "Marie D."
