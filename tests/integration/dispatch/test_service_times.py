"""The live dispatcher plans the minutes at the shop and at the door it is set to
(ALLO_PICKUP_SERVICE_MINUTES, ALLO_DROPOFF_SERVICE_MINUTES), and every time told counts on them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services import tracking
from tests.support.api import World
from tests.support.dispatching import NEAR_SHOP, offers, on_shift


@pytest.mark.parametrize("settings_overrides", [
    {"dispatch_policy": "greedy"},  # the MDRP's 4 + 4 minutes
    {"dispatch_policy": "greedy", "pickup_service_minutes": 1.0, "dropoff_service_minutes": 0.0},
])
def test_the_plan_from_pickup_to_door_is_the_ride_and_half_of_each_service_time(
        world: World, application: Application, clock: FixedClock, settings_overrides: dict[str, object]) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    order_id = world.new_order()["id"]
    assert application.dispatcher is not None and application.dispatcher.tick() == 1
    (job,) = offers(application)
    with application.ctx.uow() as uow:
        order, courier = uow.orders.get(order_id), uow.couriers.get(world.courier_id)
        shop = uow.merchants.get(order.merchant_id)
        token = str(order.tracking_token)
    assert order.dropoff.location is not None and job.planned_pickup_at is not None
    ride = application.ctx.rides.minutes(shop.pickup, order.dropoff.location, courier.profile.speed_m_per_min)
    service = application.settings.pickup_service_minutes + application.settings.dropoff_service_minutes
    leg = job.planned_dropoff_at[order_id] - job.planned_pickup_at
    assert leg == pytest.approx(timedelta(minutes=ride + service / 2), abs=timedelta(seconds=1))
    assert tracking.track(application.ctx, token=token).eta == job.planned_dropoff_at[order_id]
