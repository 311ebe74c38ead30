"""ALLO_CITY_TIMEZONE: the console, the courier app and the tracking page show clock times in the
configured city's zone, and the console's "today" is that city's day (here New York, not Monaco)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from allo.bootstrap import build
from allo.domain.clock import FixedClock
from allo.services import console, orders
from allo.services.principal import SYSTEM
from allo.settings import Settings, SettingsError
from tests.integration.courier.test_courier_pages import courier_browser
from tests.integration.courier.test_tracking_page import token_of
from tests.support.api import World
from tests.support.jobs import accepted_job
from tests.support.pages import Pages

NEW_YORK = ZoneInfo("America/New_York")
MONACO = ZoneInfo("Europe/Monaco")


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"city_timezone": "America/New_York"}


def test_the_courier_app_and_the_console_show_times_in_the_configured_zone(world: World, pages: Pages) -> None:
    now = world.app.ctx.clock.now()
    assert world.app.ctx.city_zone == NEW_YORK
    end = now + timedelta(hours=2)
    assert f"{end.astimezone(NEW_YORK):%H:%M}" != f"{end.astimezone(MONACO):%H:%M}"
    page = courier_browser(world).post("/courier/shift/start", data={"hours": "2"}, follow_redirects=True).text
    assert f'jusqu\'à <strong id="shift-end">{end.astimezone(NEW_YORK):%H:%M}</strong>' in page
    roster = pages.as_("dispatcher").get("/console/couriers").text
    assert f"jusqu'à {end.astimezone(NEW_YORK):%H:%M}" in roster
    assert f"jusqu'à {end.astimezone(MONACO):%H:%M}" not in roster
    order = world.new_order()
    detail = pages.get(f"/console/orders/{order['id']}").text
    assert f"<dd>{now.astimezone(NEW_YORK):%d/%m %H:%M:%S}</dd>" in detail  # "Créée", by Fmt.datetime


def test_the_tracking_page_names_the_zone_and_shows_the_eta_in_it(world: World, clock: FixedClock) -> None:
    order = world.new_order()
    job = accepted_job(world, order)
    with world.app.ctx.uow() as uow:
        a = uow.assignments.get(job.assignment_id)
        a.planned_dropoff_at = {order["id"]: clock.now() + timedelta(minutes=18)}
        uow.assignments.save(a)
        uow.commit()
    page = TestClient(world.client.app).get(f"/track/{token_of(world, order['id'])}").text
    arrival = (clock.now() + timedelta(minutes=18)).astimezone(NEW_YORK)
    assert f'<strong id="eta-time">{arrival:%H:%M}</strong>' in page
    assert 'data-tz="America/New_York"' in page  # track.js formats the live ETA in this zone


def test_the_console_counts_the_day_of_the_configured_city(world: World, clock: FixedClock) -> None:
    order = world.new_order()  # 12:00 UTC: 07:00 in New York, 13:00 in Monaco, on 1 January
    created = orders.get_order(world.app.ctx, principal=SYSTEM, order_id=order["id"]).created_at
    clock.advance(hours=12)  # midnight UTC: 19:00 on 1 January in New York, already 2 January in Monaco
    assert console.start_of_day(clock.now(), MONACO) > created  # Monaco's "today" would not count it
    assert console.kpis(world.app.ctx, principal=SYSTEM).orders_today == 1


def test_an_unknown_zone_stops_the_build_with_an_error_naming_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, city_timezone="Europe/Atlantis")
    with pytest.raises(SettingsError, match="ALLO_CITY_TIMEZONE.*Europe/Atlantis"):
        build(settings, migrate_now=True)
    assert not (tmp_path / "allo.db").exists()  # before anything was opened

