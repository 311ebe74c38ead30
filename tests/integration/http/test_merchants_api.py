"""Creating a shop through the API: its time zone is kept (with or without hours) and checked."""

from __future__ import annotations

from typing import Any

from tests.support.api import INSIDE, World

ZONE = [{"lat": 43.73, "lon": 7.41}, {"lat": 43.75, "lon": 7.41}, {"lat": 43.75, "lon": 7.44}]


def _create(world: World, **more: Any):  # type: ignore[no-untyped-def]
    return world.call("admin", "POST", "/api/merchants", json={
        "name": "Fleurs de Paris", "address": "2 rue Grimaldi", "pickup": INSIDE, "delivery_zone": ZONE, **more})


def test_a_shops_time_zone_is_kept_without_opening_hours(world: World) -> None:
    r = _create(world, timezone="Europe/Paris")
    assert r.status_code == 201, r.text
    assert r.json()["timezone"] == "Europe/Paris"  # it used to fall back to Europe/Monaco
    assert world.call("admin", "GET", f"/api/merchants/{r.json()['id']}").json()["timezone"] == "Europe/Paris"


def test_an_unknown_time_zone_is_refused(world: World) -> None:
    r = _create(world, timezone="Mars/Olympus", opening_hours={"mon": [["09:00", "19:00"]]})
    assert r.status_code == 422 and r.json()["code"] == "unknown_timezone"
    assert "Mars/Olympus" in r.json()["message"]
    assert _create(world, timezone="Mars/Olympus").status_code == 422
    names = [m["name"] for m in world.call("admin", "GET", "/api/merchants").json()]
    assert "Fleurs de Paris" not in names


def test_a_shop_changes_its_opening_hours_and_time_zone(world: World) -> None:
    path = f"/api/merchants/{world.merchant_id}"
    r = world.call("merchant", "PATCH", path, json={"opening_hours": {"sat": [["09:00", "12:30"]]}})
    assert r.status_code == 200, r.text
    assert r.json()["opening_hours"] == {"sat": [["09:00", "12:30"]]} and r.json()["timezone"] == "Europe/Monaco"
    r = world.call("merchant", "PATCH", path, json={"timezone": "Europe/Paris"})
    assert r.json()["opening_hours"] == {"sat": [["09:00", "12:30"]]} and r.json()["timezone"] == "Europe/Paris"
    assert world.call("merchant", "PATCH", path, json={"timezone": "Mars/Olympus"}).status_code == 422
    assert world.call("merchant", "PATCH", path, json={"timezone": "x" * 5000}).status_code == 422  # was a 500
    lundi = {"opening_hours": {"lundi": [["09:00", "12:00"]]}}
    assert world.call("merchant", "PATCH", path, json=lundi).status_code == 422
    assert world.call("other_merchant", "PATCH", path, json={"timezone": "UTC"}).status_code == 403
    assert world.call("admin", "GET", path).json()["timezone"] == "Europe/Paris"


def test_opening_hours_that_are_not_clock_times_are_refused_clearly(world: World) -> None:
    bad = {"opening_hours": {"mon": [["9h", "12h"]]}}
    r = world.call("merchant", "PATCH", f"/api/merchants/{world.merchant_id}", json=bad)
    assert r.status_code == 422 and r.json()["code"] == "invalid_hours" and "'9h'" in r.json()["message"]  # was a 500
    assert _create(world, **bad).status_code == 422


def test_a_catalog_with_a_choice_named_twice_in_a_group_is_refused(world: World) -> None:
    size = {"group": "size", "choices": [{"name": "large"}, {"name": "large", "price_delta_cents": 300}]}
    body = {"items": [{"sku": "p", "name": "Pizza", "price_cents": 900, "options": [size]}]}
    r = world.call("merchant", "PUT", f"/api/merchants/{world.merchant_id}/catalog", json=body)
    assert r.status_code == 422 and "choice 'large' twice" in r.json()["message"]  # the YAML loader refused it already
    kept = world.call("merchant", "GET", f"/api/merchants/{world.merchant_id}/catalog").json()["items"]
    assert [i["sku"] for i in kept] == ["margherita", "coke"]
