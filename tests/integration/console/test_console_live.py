"""Console map data, streets, the event stream and the KPIs."""

from __future__ import annotations

import json
from datetime import time

from allo.domain.clock import FixedClock
from allo.domain.geo import LatLon
from allo.domain.merchant import OpeningHours
from allo.services import assignments, couriers, merchants
from allo.services.console import round_position
from allo.services.principal import SYSTEM
from tests.support.api import INSIDE, World
from tests.support.pages import Pages


def test_map_page_and_streets(pages: Pages) -> None:
    html = pages.as_("dispatcher").get("/console/map").text
    assert "OpenStreetMap contributors" in html and 'id="map"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    r = pages.get("/console/map/streets.geojson")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    data = r.json()
    assert len(data["features"]) > 1000 and "OpenStreetMap" in data["attribution"]


def test_tile_setting_reaches_the_map(world: World, pages: Pages) -> None:
    from dataclasses import replace

    world.app.settings = replace(world.app.settings, map_tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    html = pages.as_("dispatcher").get("/console/map").text
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_live_layers_round_dropoffs_for_staff(world: World, pages: Pages) -> None:
    order = world.new_order()
    couriers.start_shift(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id)
    couriers.update_position(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id,
                             where=LatLon(43.7390, 7.4250))
    live = pages.as_("dispatcher").get("/console/map/live.json").json()
    assert {s["name"] for s in live["shops"]} == {"Pizzeria Test", "Other Shop"}
    assert [c["name"] for c in live["couriers"]] == ["Lucas"]
    (drop,) = live["dropoffs"]
    assert drop["id"] == order["id"]
    assert (drop["lat"], drop["lon"]) != (INSIDE["lat"], INSIDE["lon"])
    assert abs(drop["lat"] - INSIDE["lat"]) < 0.0003 and abs(drop["lon"] - INSIDE["lon"]) < 0.0004
    # a merchant sees the couriers carrying its orders only, and no drop-off
    assert pages.as_("merchant").get("/console/map/live.json").json()["couriers"] == []
    assignments.offer(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
    mine = pages.get("/console/map/live.json").json()
    assert [c["name"] for c in mine["couriers"]] == ["Lucas"] and mine["dropoffs"] == []


def test_round_position_is_about_fifty_metres() -> None:
    p = LatLon(43.739512, 7.427033)
    r = round_position(p)
    assert r != p and abs(r.lat - p.lat) <= 0.000225 and abs(r.lon - p.lon) <= 0.00032
    assert round_position(r) == r


def _events(text: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


def test_event_stream_is_scoped_to_the_shop(world: World, pages: Pages) -> None:
    mine = world.new_order()
    theirs = world.new_order(merchant_id=world.other_merchant_id)
    headers = {"Last-Event-ID": "0"}
    r = pages.as_("dispatcher").get("/console/events?max_seconds=0", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    assert {e["id"] for e in _events(r.text)} >= {mine["id"], theirs["id"]}
    assert "event: changed" in r.text
    seen = {e["id"] for e in _events(pages.as_("merchant").get("/console/events?max_seconds=0", headers=headers).text)}
    assert mine["id"] in seen and theirs["id"] not in seen


def test_kpis_click_to_door_and_late_share(world: World, pages: Pages, clock: FixedClock) -> None:
    ctx = world.app.ctx
    couriers.start_shift(ctx, principal=SYSTEM, courier_id=world.courier_id)
    fast, slow = world.new_order(), world.new_order()
    for order, minutes in ((fast, 20), (slow, 30)):
        a = assignments.offer(ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
        assignments.accept(ctx, principal=SYSTEM, assignment_id=a.id)
        assignments.picked_up(ctx, principal=SYSTEM, assignment_id=a.id)
        clock.advance(minutes=minutes)
        assignments.delivered(ctx, principal=SYSTEM, assignment_id=a.id, order_id=order["id"])
    # fast: 20 min after creation; slow: 50 min after creation (late)
    html = pages.as_("dispatcher").get("/console").text
    assert '<span class="kpi-value">2</span><span class="kpi-label">commandes aujourd' in html
    assert "35.0 min" in html and "50.0 %" in html
    assert "0 / 1 / 1" in html  # busy / idle / off
    html = pages.as_("other_merchant").get("/console").text  # another shop: its own day only
    assert '<span class="kpi-value">0</span><span class="kpi-label">commandes aujourd' in html
    assert "35.0 min" not in html


def test_the_map_marks_a_shop_closed_now_with_its_next_opening(world: World, pages: Pages) -> None:
    evenings = OpeningHours({d: ((time(18, 30), time(23, 0)),) for d in ("mon", "tue", "wed", "thu", "fri")})
    merchants.update_merchant(world.app.ctx, principal=SYSTEM, merchant_id=world.merchant_id, opening_hours=evenings)
    live = pages.as_("dispatcher").get("/console/map/live.json").json()  # Thursday, 13:00 in Monaco
    shops = {s["name"]: s for s in live["shops"]}
    assert shops["Pizzeria Test"]["open"] is False and shops["Pizzeria Test"]["opens"] == "à 18:30"
    assert shops["Other Shop"]["open"] is True and shops["Other Shop"]["opens"] is None
    assert "Pizzeria Test — <span class=\"closed\">🌙 fermée, ouvre à 18:30</span>" in pages.get("/console/map").text
    world.app.ctx.clock.advance(hours=10, minutes=30)  # Thursday, 23:30: closed until tomorrow evening
    shops = {s["name"]: s for s in pages.get("/console/map/live.json").json()["shops"]}
    assert shops["Pizzeria Test"]["opens"] == "le 02/01 à 18:30"
