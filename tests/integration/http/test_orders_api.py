"""Orders through HTTP: create, list, get, actions, errors, concurrency."""

from __future__ import annotations

import threading

from tests.support.api import OUTSIDE, World


def test_create_prices_from_catalog_and_masks_recipient(world: World) -> None:
    order = world.new_order()
    assert order["status"] == "confirmed"
    assert order["subtotal"]["cents"] == 2 * 1200 + 250
    assert order["lines"][0]["unit_price"]["cents"] == 1200  # large: +3.00
    assert order["dropoff"]["recipient"] == "Marie D."
    assert [h["status"] for h in order["history"]] == ["draft", "confirmed"]
    again = world.call("merchant", "GET", f"/api/orders/{order['id']}").json()
    assert again == order


def test_list_filters_by_status_and_scopes_merchants(world: World) -> None:
    mine = world.new_order()
    other = world.new_order(merchant_id=world.other_merchant_id)
    draft = world.new_order(confirm=False)
    ids = {o["id"] for o in world.call("merchant", "GET", "/api/orders").json()}
    assert mine["id"] in ids and draft["id"] in ids and other["id"] not in ids
    confirmed = world.call("dispatcher", "GET", "/api/orders", params={"status": "confirmed"}).json()
    assert {o["id"] for o in confirmed} == {mine["id"], other["id"]}
    r = world.call("merchant", "GET", f"/api/orders/{other['id']}")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_unknown_item_is_a_clear_error_and_nothing_is_created(world: World) -> None:
    r = world.call("admin", "POST", "/api/orders", json={
        "merchant_id": world.merchant_id, "lines": [{"sku": "calzone"}],
        "dropoff": {"address": "5 rue Grimaldi"}})
    assert r.status_code == 404
    assert r.json() == {"code": "unknown_item", "message": "unknown item 'calzone'"}
    assert world.call("admin", "GET", "/api/orders").json() == []


def test_address_outside_the_zone_is_refused(world: World) -> None:
    r = world.call("admin", "POST", "/api/orders", json={
        "merchant_id": world.merchant_id, "lines": [{"sku": "coke"}],
        "dropoff": {"address": "Aéroport Nice", "location": OUTSIDE}})
    assert r.status_code == 422 and r.json()["code"] == "outside_delivery_zone"


def test_a_deactivated_shop_takes_no_order(world: World) -> None:
    r = world.call("admin", "PATCH", f"/api/merchants/{world.merchant_id}", json={"active": False})
    assert r.status_code == 200, r.text
    r = world.call("admin", "POST", "/api/orders", json={
        "merchant_id": world.merchant_id, "lines": [{"sku": "coke"}], "dropoff": {"address": "5 rue Grimaldi"}})
    assert r.status_code == 422 and r.json()["code"] == "merchant_inactive"
    assert world.call("admin", "GET", "/api/orders").json() == []


def test_bad_input_gets_422_with_field_details(world: World) -> None:
    r = world.call("admin", "POST", "/api/orders", json={"merchant_id": world.merchant_id, "lines": [
        {"sku": "coke", "qty": 0}], "dropoff": {}})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_request"
    fields = {f["field"] for f in body["fields"]}
    assert "body.lines.0.qty" in fields and "body.dropoff.address" in fields
    assert "Traceback" not in r.text


def test_malformed_json_is_a_clear_422(world: World) -> None:
    r = world.call("admin", "POST", "/api/orders", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"


def test_state_actions_and_illegal_transition(world: World) -> None:
    order = world.new_order(confirm=False)
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions", json={"action": "confirm"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions", json={"action": "mark_ready"})
    assert r.json()["status"] == "ready" and r.json()["ready_at"] is not None
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/actions", json={"action": "confirm"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = world.call("merchant", "POST", f"/api/orders/{order['id']}/cancel", json={"reason": "out of dough"})
    assert r.json()["status"] == "cancelled" and r.json()["reason"] == "out of dough"


def test_stale_version_gets_409_conflict(world: World) -> None:
    order = world.new_order()
    v = order["version"]
    ok = world.call("admin", "PATCH", f"/api/orders/{order['id']}", json={"version": v, "notes": "ring twice"})
    assert ok.status_code == 200 and ok.json()["version"] == v + 1
    stale = world.call("admin", "PATCH", f"/api/orders/{order['id']}", json={"version": v, "notes": "lost?"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert world.call("admin", "GET", f"/api/orders/{order['id']}").json()["notes"] == "ring twice"


def test_two_concurrent_updates_one_wins_one_conflicts(world: World) -> None:
    order = world.new_order()
    v = order["version"]
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def update(note: str) -> None:
        barrier.wait()
        r = world.call("dispatcher", "PATCH", f"/api/orders/{order['id']}", headers={"If-Match": str(v)},
                       json={"notes": note})
        results[note] = (r.status_code, r.json())

    threads = [threading.Thread(target=update, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(status for status, _ in results.values())  # type: ignore[misc]
    assert codes == [200, 409], results
    loser = next(body for status, body in results.values() if status == 409)  # type: ignore[misc]
    winner = next(note for note, (status, _) in results.items() if status == 200)  # type: ignore[misc]
    assert loser["code"] == "conflict"
    final = world.call("admin", "GET", f"/api/orders/{order['id']}").json()
    assert final["notes"] == winner and final["version"] == v + 1


def test_unknown_route_and_method_are_json_errors(world: World) -> None:
    r = world.call("admin", "GET", "/api/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
