"""A shift booked ahead: through the API, and the dispatcher counts on the courier from its start."""

from __future__ import annotations

from datetime import datetime, timedelta

from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.services import couriers
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import FAR, NEAR_SHOP, dispatcher, offers, on_shift


def _booking(world: World, who: str, courier_id: str, starts: datetime, ends: datetime, **extra: object):  # type: ignore[no-untyped-def]
    return world.call(who, "PUT", f"/api/couriers/{courier_id}/booking",
                      json={"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), **extra})


def test_a_courier_books_the_next_shift_then_starts_it_with_the_booked_end(world: World, clock: FixedClock) -> None:
    starts, ends = clock.now() + timedelta(hours=2), clock.now() + timedelta(hours=6)
    r = _booking(world, "courier", world.courier_id, starts, ends, start={"lat": NEAR_SHOP.lat, "lon": NEAR_SHOP.lon})
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["booking"]["starts_at"]) == starts
    assert r.json()["booking"]["start"] == {"lat": NEAR_SHOP.lat, "lon": NEAR_SHOP.lon}
    clock.advance(hours=2)
    r = world.call("courier", "POST", f"/api/couriers/{world.courier_id}/shift/start")
    assert r.json()["booking"] is None and datetime.fromisoformat(r.json()["shift_ends_at"]) == ends


def test_bad_bookings_are_clear_errors_and_cancelling_drops_it(world: World, clock: FixedClock) -> None:
    now = clock.now()
    r = _booking(world, "courier", world.courier_id, now - timedelta(minutes=5), now + timedelta(hours=2))
    assert r.status_code == 422 and r.json()["code"] == "booking_past"
    r = _booking(world, "courier", world.courier_id, now + timedelta(hours=1), now + timedelta(hours=20))
    assert r.status_code == 422 and r.json()["code"] == "shift_too_long"
    r = world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/booking",
                   json={"starts_at": "2026-12-01T10:00:00", "ends_at": "2026-12-01T12:00:00"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"  # no time zone
    assert _booking(world, "courier", world.courier_id, now + timedelta(hours=1), now + timedelta(hours=3)).status_code == 200
    assert world.call("courier", "PUT", f"/api/couriers/{world.other_courier_id}/booking",  # not their own
                      json={"starts_at": (now + timedelta(hours=1)).isoformat(),
                            "ends_at": (now + timedelta(hours=3)).isoformat()}).status_code == 403
    r = world.call("courier", "DELETE", f"/api/couriers/{world.courier_id}/booking")
    assert r.status_code == 200 and r.json()["booking"] is None
    r = world.call("courier", "DELETE", f"/api/couriers/{world.courier_id}/booking")
    assert r.status_code == 409 and r.json()["code"] == "no_booking"


def test_the_dispatcher_waits_for_a_courier_booked_next_to_the_shop_rather_than_send_one_from_afar(
        world: World, application: Application, clock: FixedClock) -> None:
    # Lucas is on shift across town now; Inès has booked a shift starting in 5 minutes next to the shop.
    # The food is ready in 10: either is there in time, so the one nearby goes and Lucas stays free.
    ctx = application.ctx
    couriers.update_courier(ctx, principal=SYSTEM, courier_id=world.other_courier_id, expected_version=None,
                            vehicle=Vehicle.BIKE)
    on_shift(world, world.courier_id, FAR)
    couriers.book_shift(ctx, principal=SYSTEM, courier_id=world.other_courier_id,
                        starts_at=clock.now() + timedelta(minutes=5), ends_at=clock.now() + timedelta(hours=4),
                        start_place=NEAR_SHOP)
    world.new_order()
    d = dispatcher(application, policy="rolling")
    for minute in range(12):
        if minute == 5:
            on_shift(world, world.other_courier_id, NEAR_SHOP)
        world.call("courier", "PUT", f"/api/couriers/{world.courier_id}/position", json={"lat": FAR.lat, "lon": FAR.lon})
        if d.tick():
            break
        clock.advance(minutes=1)
    (offer,) = offers(application)
    assert offer.courier_id == world.other_courier_id, f"sent from afar at minute {minute}"
    assert minute >= 5


def test_a_booked_courier_is_counted_on_from_ninety_minutes_before_until_ten_minutes_late(
        world: World, application: Application, clock: FixedClock) -> None:
    start = clock.now() + timedelta(hours=2)
    couriers.book_shift(application.ctx, principal=SYSTEM, courier_id=world.courier_id, starts_at=start,
                        ends_at=start + timedelta(hours=3), start_place=NEAR_SHOP)
    d = dispatcher(application, policy="rolling")

    def counted() -> bool:
        snapshot, _ = d.snapshot(clock.now())
        return any(c.id == world.courier_id for c in snapshot.couriers)

    seen = []
    for at in (-91, -89, 0, 9, 11):  # minutes from the booked start
        clock.set(start + timedelta(minutes=at))
        seen.append(counted())
    assert seen == [False, True, True, True, False]  # a no-show is not waited for


def test_the_api_no_longer_shows_a_booked_shift_that_is_over(world: World, clock: FixedClock) -> None:
    starts = clock.now() + timedelta(hours=1)
    assert _booking(world, "courier", world.courier_id, starts, starts + timedelta(hours=2)).status_code == 200
    clock.advance(hours=3, minutes=1)  # the courier never came
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["booking"] is None
