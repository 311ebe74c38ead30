"""The dispatcher may time rides over the demo city's streets, as its couriers ride them: walkers on
footways and steps, the others on the drivable network with its one-way streets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from allo.adapters.geo.road_network import StreetsByPace, load_monaco_road_network
from allo.bootstrap import Application, build, travel_model
from allo.dispatch.travel import DetourTravel
from allo.domain.clock import FixedClock
from allo.domain.geo import LatLon, LocalProjection
from allo.services import couriers, tracking
from allo.services.dispatching import LiveDispatcher
from allo.services.principal import SYSTEM
from allo.services.rides import CITY_ORIGIN
from allo.settings import Settings, SettingsError
from tests.support.api import SHOP_POSITION, World
from tests.support.dispatching import NEAR_SHOP, offered_near_the_shop, on_shift

PLANE = LocalProjection(CITY_ORIGIN)
# the port and the Jardin Exotique: a short line across the cliff, a long way round by road
PORT, EXOTIQUE = LatLon(43.7351, 7.4217), LatLon(43.7312, 7.4140)
ROCK = LatLon(43.7314, 7.4200)  # the Palace square, up on the Rock: a ramp round it from the port


@pytest.fixture(scope="module")
def streets() -> StreetsByPace:
    model = travel_model("monaco-streets")
    assert isinstance(model, StreetsByPace)
    return model


def test_walkers_take_the_footways_and_riders_the_drivable_streets(streets: StreetsByPace) -> None:
    a, b = PLANE.to_plane(PORT), PLANE.to_plane(EXOTIQUE)
    straight = a.distance_to(b)
    walk, drive = load_monaco_road_network("walk", PLANE), load_monaco_road_network("drive", PLANE)
    assert streets.travel_minutes(a, b, 75.0) == pytest.approx(walk.distance_m(a, b) / 75.0)
    assert streets.travel_minutes(a, b, 250.0) == pytest.approx(drive.distance_m(a, b) / 250.0)
    assert walk.distance_m(a, b) >= straight and drive.distance_m(a, b) > 1.3 * straight  # the hairpins
    xs, ys = np.array([a.x, b.x, a.x]), np.array([a.y, b.y, a.y])
    speeds = np.array([75.0, 250.0, 400.0])
    many = streets.travel_minutes_many(xs, ys, PLANE.to_plane(SHOP_POSITION), speeds)
    one_by_one = [streets.travel_minutes(p, PLANE.to_plane(SHOP_POSITION), s) for p, s in zip((a, b, a), speeds)]
    assert many == pytest.approx(one_by_one, rel=1e-6)


def test_an_unknown_travel_model_is_refused_before_anything_opens(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ALLO_TRAVEL_MODEL"):
        build(Settings(data_dir=tmp_path, travel_model="teleport"), clock=FixedClock(), migrate_now=True)
    assert not (tmp_path / "allo.db").exists()


@pytest.mark.parametrize("settings_overrides", [{"travel_model": "monaco-streets"}])
def test_the_dispatcher_times_a_door_far_by_road_by_the_road(
        world: World, application: Application, clock: FixedClock) -> None:
    """A bike next to the shop, an order to the Jardin Exotique: the time the customer is quoted counts
    the road up the hill, not 1.3 times the straight line (the pickup waits for the kitchen either
    way, so the two quotes differ by the two rides)."""
    assert isinstance(application.dispatcher.travel, StreetsByPace)  # type: ignore[union-attr]
    on_shift(world, world.courier_id, NEAR_SHOP)
    straight = LiveDispatcher(application.ctx, holder="straight", travel=DetourTravel())
    with application.ctx.uow() as uow:
        shop = uow.merchants.get(world.merchant_id)
        by_road = application.dispatcher.quote(uow, shop, EXOTIQUE, clock.now())  # type: ignore[union-attr]
        by_line = straight.quote(uow, shop, EXOTIQUE, clock.now())
    assert by_road is not None and by_line is not None
    shop_at, door = PLANE.to_plane(SHOP_POSITION), PLANE.to_plane(EXOTIQUE)
    road = application.dispatcher.travel.travel_minutes(shop_at, door, 250.0)  # type: ignore[union-attr]
    line = DetourTravel().travel_minutes(shop_at, door, 250.0)
    assert road > line + 1.0  # up the hill: more than 1.3 times the straight line
    assert (by_road - by_line).total_seconds() / 60 == pytest.approx(road - line, abs=0.05)


@pytest.mark.parametrize("settings_overrides", [{"travel_model": "monaco-streets"}])
def test_the_tracking_page_times_a_late_courier_by_the_road_as_the_dispatcher_does(
        world: World, application: Application, clock: FixedClock) -> None:
    """Past the planned pickup, the courier is still up on the Rock: the arrival the customer sees
    moves by the ride down the ramps on the streets, not by a detour factor."""
    _, job, order_id = offered_near_the_shop(world, application, rival=False, accept=True)
    assert job.planned_pickup_at is not None
    clock.set(job.planned_pickup_at + timedelta(minutes=3))
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=ROCK)
    with application.ctx.uow() as uow:
        shop, speed = uow.merchants.get(job.merchant_id).pickup, uow.couriers.get(world.courier_id).profile.speed_m_per_min
        token = str(uow.orders.get(order_id).tracking_token)
    road = application.dispatcher.travel.travel_minutes(  # type: ignore[union-attr]
        PLANE.to_plane(ROCK), PLANE.to_plane(shop), speed)
    assert road > DetourTravel(1.35).travel_minutes(PLANE.to_plane(ROCK), PLANE.to_plane(shop), speed) + 1.0
    slip = clock.now() + timedelta(minutes=road) - job.planned_pickup_at
    assert tracking.track(application.ctx, token=token).eta == job.planned_dropoff_at[order_id] + slip
