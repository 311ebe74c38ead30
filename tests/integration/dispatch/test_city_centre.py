"""The dispatcher's flat map of the city is drawn around the city (ALLO_CITY_CENTRE, else the shops'
centre when the process starts): a map drawn around Monaco made Paris's east-west rides 10 % long."""

from __future__ import annotations

from pathlib import Path

import pytest

from allo.bootstrap import build
from allo.domain.clock import FixedClock
from allo.domain.geo import LatLon, Polygon, haversine_m
from allo.services import merchants
from allo.services.principal import SYSTEM
from allo.services.rides import CITY_ORIGIN
from allo.settings import Settings

PARIS_SHOP, TWO_KM_EAST = LatLon(48.8566, 2.3522), LatLon(48.8566, 2.3795)
BIKE = 250.0


def _settings(tmp_path: Path, **more: object) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'allo.db'}", secret_key="centre key",
                    **more)  # type: ignore[arg-type]


def test_a_paris_city_rides_paris_distances_after_a_restart(tmp_path: Path) -> None:
    app = build(_settings(tmp_path), clock=FixedClock(), migrate_now=True)
    try:
        assert app.ctx.rides.projection.origin == CITY_ORIGIN  # no shop yet: the demo city's centre
        line = haversine_m(PARIS_SHOP, TWO_KM_EAST) * 1.3 / BIKE
        assert app.ctx.rides.minutes(PARIS_SHOP, TWO_KM_EAST, BIKE) > 1.08 * line  # stretched east-west
        merchants.create_merchant(app.ctx, principal=SYSTEM, name="Boulangerie", address="1 rue de Rivoli",
                                  pickup=PARIS_SHOP, delivery_zone=Polygon.circle(PARIS_SHOP, 3000))
    finally:
        app.close()
    app = build(_settings(tmp_path), clock=FixedClock(), migrate_now=True)  # the process starts again
    try:
        assert app.ctx.rides.projection.origin == PARIS_SHOP
        assert app.dispatcher is not None and app.dispatcher.projection.origin == PARIS_SHOP
        assert app.ctx.rides.minutes(PARIS_SHOP, TWO_KM_EAST, BIKE) == pytest.approx(line, rel=0.002)
    finally:
        app.close()


def test_a_city_centre_set_is_the_one_used(tmp_path: Path) -> None:
    app = build(_settings(tmp_path, city_centre="48.85, 2.35"), clock=FixedClock(), migrate_now=True)
    try:
        assert app.ctx.rides.projection.origin == LatLon(48.85, 2.35)
        assert app.dispatcher is not None and app.dispatcher.projection.origin == LatLon(48.85, 2.35)
    finally:
        app.close()


def test_a_shop_opened_far_from_the_map_centre_is_reported_once(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    app = build(_settings(tmp_path), clock=FixedClock(), migrate_now=True)  # a fresh city: Monaco's centre
    try:
        merchants.create_merchant(app.ctx, principal=SYSTEM, name="Boulangerie", address="1 rue de Rivoli",
                                  pickup=PARIS_SHOP, delivery_zone=Polygon.circle(PARIS_SHOP, 3000))
        assert app.dispatcher is not None
        with caplog.at_level("WARNING", logger="allo.dispatch"):
            app.dispatcher.tick()
            app.ctx.clock.advance(minutes=1)  # type: ignore[attr-defined]
            app.dispatcher.tick()
        said = [r.getMessage() for r in caplog.records if "ALLO_CITY_CENTRE" in r.getMessage()]
        assert len(said) == 1 and said[0].startswith("Boulangerie more than 50 km from the dispatcher's map centre")
    finally:
        app.close()
