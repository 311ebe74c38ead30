"""The planned end of a shift, chosen in the courier app or through the API."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.courier.test_courier_pages import courier_browser
from tests.support.api import World


def test_the_courier_picks_how_long_the_shift_lasts_and_can_change_it(world: World) -> None:
    now, zone = world.app.ctx.clock.now(), world.app.ctx.city_zone  # the city's time, as on the courier's phone
    c = courier_browser(world)
    page = c.post("/courier/shift/start", data={"hours": "2"}, follow_redirects=True).text
    assert "Service commencé" in page
    local = (now + timedelta(hours=2)).astimezone(zone)
    assert f"jusqu'à <strong id=\"shift-end\">{local:%H:%M}</strong>" in page
    page = c.post("/courier/shift/plan", data={"hours": "4"}, follow_redirects=True).text
    assert "Heure de fin enregistrée" in page
    assert f"{(now + timedelta(hours=4)).astimezone(zone):%H:%M}</strong>" in page
    assert "Un service dure au plus 16 heures" in c.post("/courier/shift/plan", data={"hours": "20"},
                                                          follow_redirects=True).text
    assert "Choisissez la durée" in c.post("/courier/shift/plan", data={"hours": "nan"}, follow_redirects=True).text
    got = world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()
    assert got["shift_ends_at"].startswith(f"{(now + timedelta(hours=4)):%Y-%m-%dT%H:%M}")  # the bad ones changed nothing
    panel = c.post("/courier/shift/plan", data={"hours": ""}, headers={"HX-Request": "true"})
    assert 'id="panel"' in panel.text and "<html" not in panel.text  # the panel alone, swapped in place
    assert 'id="shift-end"' not in panel.text and "Fixer l'heure de fin" in panel.text


def test_a_shift_started_without_a_choice_has_no_planned_end(world: World) -> None:
    c = courier_browser(world)
    page = c.post("/courier/shift/start", follow_redirects=True).text
    assert "Service commencé" in page and 'id="shift-end"' not in page
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["shift_ends_at"] is None


def test_the_api_takes_an_end_with_a_time_zone_and_refuses_one_without_or_in_the_past(world: World) -> None:
    now = world.app.ctx.clock.now()
    start = f"/api/couriers/{world.courier_id}/shift/start"
    naive = (now + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert world.call("courier", "POST", start, json={"until": naive}).status_code == 422
    r = world.call("courier", "POST", start, json={"until": (now - timedelta(minutes=1)).isoformat()})
    assert r.status_code == 422 and r.json()["code"] == "shift_end_past"
    r = world.call("courier", "POST", start, json={"until": (now + timedelta(hours=3)).isoformat()})
    assert r.status_code == 200 and r.json()["status"] == "available"
    assert r.json()["shift_ends_at"].startswith(f"{(now + timedelta(hours=3)):%Y-%m-%dT%H:%M}")
    r = world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/shift/end", json={"until": None})
    assert r.status_code == 200 and r.json()["shift_ends_at"] is None
    other = f"/api/couriers/{world.other_courier_id}/shift/end"
    assert world.call("courier", "PUT", other, json={"until": None}).status_code == 403  # not this courier's
