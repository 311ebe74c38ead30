"""The live dispatcher: snapshot from the database, offers, re-dispatch on decline and timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from allo.bootstrap import Application
from allo.domain.assignment import AssignmentStatus
from allo.domain.clock import FixedClock
from allo.domain.order import OrderStatus
from allo.services import assignments, couriers
from allo.services.dispatching import MISSED_OFFER_REST, LiveDispatcher
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.dispatching import (FAR, NEAR_SHOP, courier_changes_after_read, dispatcher, offered_near_the_shop,
                                      offers, on_shift)


def test_an_open_order_is_offered_to_the_nearest_courier(world: World, application: Application) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, FAR)
    order = world.new_order()
    assert dispatcher(application).tick() == 1
    (offer,) = offers(application)
    assert offer.order_ids == [order["id"]] and offer.courier_id == world.courier_id
    assert offer.planned_pickup_at is not None and order["id"] in offer.planned_dropoff_at
    got = world.call("admin", "GET", f"/api/orders/{order['id']}").json()
    assert got["status"] == "assigned" and got["courier_id"] == world.courier_id
    assert dispatcher(application).tick() == 0  # nothing left to dispatch


def test_a_declined_order_goes_to_someone_else(world: World, application: Application) -> None:
    """The engine plans the near courier again; the order is planned once more among the others, by an
    engine of its own: the dispatcher's engine keeps state from tick to tick (the production policy's
    route plan), so it sees exactly one whole snapshot a tick."""
    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, FAR)
    order = world.new_order()
    d = dispatcher(application)
    seen: list[set[str]] = []
    step = d.engine.step

    def recorded(snapshot):  # type: ignore[no-untyped-def]
        seen.append({o.id for o in snapshot.orders})
        return step(snapshot)

    d.engine.step = recorded  # type: ignore[method-assign]
    d.tick()
    (offer,) = offers(application)
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=offer.id, reason="flat tyre")
    assert d.tick() == 1
    (again,) = offers(application)
    assert again.courier_id == world.other_courier_id and again.order_ids == [order["id"]]
    assert seen == [{order["id"]}, {order["id"]}]  # one snapshot a tick, no re-plan through it


def test_an_unanswered_offer_expires_and_is_dispatched_again(world: World, application: Application,
                                                            clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, FAR)
    world.new_order()
    d = dispatcher(application)
    d.tick()
    clock.advance(seconds=application.ctx.offer_ttl.total_seconds() + 1)
    assert d.tick() == 1
    assert len(offers(application, AssignmentStatus.EXPIRED)) == 1
    (again,) = offers(application)
    assert again.courier_id == world.other_courier_id


def test_the_only_courier_who_missed_an_offer_gets_it_again_after_a_rest_unlike_one_who_declined(
        world: World, application: Application, clock: FixedClock) -> None:
    # A one-courier city: the offer missed (phone in a pocket) used to bar that courier from the order
    # for 12 hours, so it waited for a dispatcher; a decline still does.
    on_shift(world, world.courier_id, NEAR_SHOP)
    world.new_order()
    world.new_order()
    d = dispatcher(application)
    ctx = application.ctx
    assert d.tick() == 1
    (first,) = offers(application)
    clock.advance(seconds=ctx.offer_ttl.total_seconds() + 1)
    d.tick()  # the offer expires; the courier is offered the other order
    (second,) = offers(application)
    assert second.order_ids != first.order_ids
    assignments.decline(ctx, principal=SYSTEM, assignment_id=second.id, reason="too far")
    clock.advance(seconds=60)
    couriers.update_position(ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    assert d.tick() == 0 and offers(application) == []  # the rest after a missed offer; the decline
    clock.advance(seconds=MISSED_OFFER_REST.total_seconds())
    couriers.update_position(ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    assert d.tick() == 1
    assert [(o.courier_id, o.order_ids) for o in offers(application)] == [(world.courier_id, first.order_ids)]


def test_only_the_lease_holder_dispatches(world: World, application: Application, clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)  # two couriers at the shop: each order has one free
    on_shift(world, world.other_courier_id, NEAR_SHOP)
    world.new_order()
    first, second = dispatcher(application, "first"), dispatcher(application, "second")
    assert first.tick() == 1
    world.new_order()
    assert second.tick() == 0  # the lease is first's
    clock.advance(seconds=first.lease_for.total_seconds() + 1)
    assert second.tick() == 1  # first went silent: second takes over
    assert {o.courier_id for o in offers(application)} == {world.courier_id, world.other_courier_id}


def test_couriers_without_a_recent_position_are_not_used(world: World, application: Application,
                                                         clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    clock.advance(hours=1)
    order = world.new_order()
    assert dispatcher(application).tick() == 0
    assert world.call("admin", "GET", f"/api/orders/{order['id']}").json()["status"] == OrderStatus.CONFIRMED


def test_the_production_policy_offers_the_order_in_time(world: World, application: Application,
                                                        clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    order = world.new_order()
    d = LiveDispatcher(application.ctx, holder="prod", policy="rolling", interval=timedelta(seconds=5))
    for _ in range(12 * 15):  # up to 15 minutes of 5-second ticks: it may wait for the food
        if d.tick():
            break
        clock.advance(seconds=5)
        couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    (offer,) = offers(application)
    assert offer.order_ids == [order["id"]]
    assert offer.planned_pickup_at is not None
    ready = clock.now()
    assert offer.planned_pickup_at >= ready - timedelta(minutes=1)


def test_an_order_waits_for_a_busy_courier_who_ends_next_to_the_shop(world: World, application: Application,
                                                                   clock: FixedClock) -> None:
    """The busy courier is in the snapshot where and when its job is planned to end, so the engine
    waits for it rather than send the far courier on foot; once it is free, the order is its."""
    on_shift(world, world.courier_id, NEAR_SHOP)  # a bike at the shop
    on_shift(world, world.other_courier_id, FAR)  # on foot, 1.5 km away
    first = world.new_order()
    d = dispatcher(application)
    assert d.tick() == 1
    (job,) = offers(application)
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=job.id)
    second = world.new_order()
    assert d.tick() == 0  # nobody sent from afar
    snapshot, _ = d.snapshot(clock.now())
    busy = {c.id: c for c in snapshot.couriers}[world.courier_id]
    assert busy.free_at == pytest.approx(d._minutes(job.planned_dropoff_at[first["id"]]) + 2.0)
    with application.ctx.uow() as uow:
        drop = uow.orders.get(first["id"]).dropoff.location
    assert busy.position == d.projection.to_plane(drop)
    clock.advance(minutes=90)  # the job runs late: the courier still counts as free soon, never as free now
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.other_courier_id, where=FAR)
    snapshot, _ = d.snapshot(clock.now())
    assert {c.id: c for c in snapshot.couriers}[world.courier_id].free_at > snapshot.now
    assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=job.id)
    assignments.delivered(application.ctx, principal=SYSTEM, assignment_id=job.id, order_id=first["id"])
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    assert d.tick() == 1
    (again,) = offers(application)
    assert again.courier_id == world.courier_id and again.order_ids == [second["id"]]


def test_the_oldest_open_orders_are_dispatched_first_when_there_are_too_many(
        world: World, application: Application, clock: FixedClock) -> None:
    ids = []
    for _ in range(3):
        ids.append(world.new_order()["id"])
        clock.advance(seconds=30)
    d = LiveDispatcher(application.ctx, holder="test", policy="greedy", max_open_orders=2)
    snapshot, _ = d.snapshot(clock.now())
    assert [o.id for o in snapshot.orders] == ids[:2]


def _tracking(world: World, order_id: str) -> dict:
    with world.app.ctx.uow() as uow:
        token = uow.orders.get(order_id).tracking_token
    return world.client.get(f"/track/{token}.json").json()


def test_a_waiting_order_shows_when_it_should_arrive_behind_the_queue(world: World, application: Application,
                                                                     clock: FixedClock) -> None:
    """One courier, two orders: the first is offered to it (its page shows the offer's plan), the
    second waits for it to come back, and its page says so; once the dispatcher stops publishing,
    the estimate is no longer shown rather than left to go stale."""
    on_shift(world, world.courier_id, NEAR_SHOP)
    first = world.new_order()
    clock.advance(seconds=30)
    second = world.new_order()
    assert _tracking(world, second["id"])["eta_minutes"] is None  # no dispatcher yet
    d = dispatcher(application)
    assert d.tick() == 1
    (job,) = offers(application)
    first_eta, second_eta = _tracking(world, first["id"]), _tracking(world, second["id"])
    assert first_eta["eta"] == job.planned_dropoff_at[first["id"]].isoformat()
    with application.ctx.uow() as uow:
        estimate = uow.estimates.get(second["id"], computed_after=clock.now() - timedelta(seconds=1))
    assert estimate is not None and second_eta["eta"] == estimate.isoformat()
    # the courier first drops the first order off, then comes back to the shop: at least 2 x the ride
    ride = job.planned_dropoff_at[first["id"]] - job.planned_pickup_at
    assert estimate >= job.planned_dropoff_at[first["id"]] + ride
    clock.advance(minutes=3)
    assert _tracking(world, second["id"])["eta_minutes"] is None
    d.tick()  # publishing again: shown again, and the stale row of any order gone from dispatch is dropped
    assert _tracking(world, second["id"])["eta_minutes"] is not None


def test_a_courier_who_lets_two_offers_expire_goes_off_shift(world: World, application: Application,
                                                            clock: FixedClock) -> None:
    """A phone off: two orders each wait one offer's lifetime for the silent courier, who is then
    off shift (the event says why); the dispatcher now sends the other courier at once."""
    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, FAR)
    ctx = application.ctx
    for missed in (1, 2):
        order = world.new_order()
        assignments.offer(ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
        clock.advance(seconds=ctx.offer_ttl.total_seconds() + 1)
        assignments.expire_offers(ctx)
        with ctx.uow() as uow:
            status = uow.couriers.get(world.courier_id).status.value
        assert status == ("available" if missed == 1 else "off_shift")
    couriers.update_position(ctx, principal=SYSTEM, courier_id=world.other_courier_id, where=FAR)
    d = dispatcher(application)
    snapshot, _ = d.snapshot(clock.now())
    assert [c.id for c in snapshot.couriers] == [world.other_courier_id]
    assert d.tick() == 1
    assert [o.courier_id for o in offers(application)] == [world.other_courier_id]
    with ctx.uow() as uow:
        ended = [e for e in uow.journal.events_for(world.courier_id) if e.name == "courier.shift_ended"]
    assert ended and ended[-1].data == {"reason": "missed_offers"}


def test_one_missed_offer_between_answered_ones_does_not_end_a_shift(world: World, application: Application,
                                                                    clock: FixedClock) -> None:
    on_shift(world, world.courier_id, NEAR_SHOP)
    for answer in ("expire", "decline", "expire"):
        world.new_order()
        offer = assignments.offer(application.ctx, principal=SYSTEM, courier_id=world.courier_id,
                                  order_ids=[o.id for o in _open_orders(application)][:1])
        if answer == "decline":
            assignments.decline(application.ctx, principal=SYSTEM, assignment_id=offer.id, reason="busy")
        else:
            clock.advance(seconds=application.ctx.offer_ttl.total_seconds() + 1)
            assignments.expire_offers(application.ctx)
    with application.ctx.uow() as uow:
        assert uow.couriers.get(world.courier_id).status.value == "available"


def _open_orders(application: Application):  # type: ignore[no-untyped-def]
    from allo.domain.order import OPEN_FOR_DISPATCH

    with application.ctx.uow() as uow:
        return uow.orders.list(status=list(OPEN_FOR_DISPATCH), oldest_first=True)


def test_a_refusal_is_remembered_however_many_others_follow(world: World, application: Application,
                                                            clock: FixedClock) -> None:
    """The dispatcher used to read only the latest 500 refusals of the whole city: a busy evening
    and an order refused early could go back to the courier who had refused it."""
    from allo.domain.assignment import Assignment as Job

    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, FAR)
    order = world.new_order()
    d = dispatcher(application)
    assert d.tick() == 1
    (offer,) = offers(application)
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=offer.id, reason="no")
    with application.ctx.uow() as uow:  # 600 later refusals elsewhere in the city
        merchant = uow.merchants.list()[0].id
        for i in range(600):
            clock.advance(seconds=1)
            job = Job(f"other-{i}", world.other_courier_id, merchant, [f"elsewhere-{i}"], clock.now(),
                      clock.now() + timedelta(seconds=90))
            job.decline(clock.now(), "busy")
            uow.assignments.add(job)
        uow.commit()
    for cid, where in ((world.courier_id, NEAR_SHOP), (world.other_courier_id, FAR)):
        couriers.update_position(application.ctx, principal=SYSTEM, courier_id=cid, where=where)
    assert d.tick() == 1
    (again,) = offers(application)
    assert again.order_ids == [order["id"]] and again.courier_id == world.other_courier_id


def test_quotes_read_the_city_at_most_once_per_few_seconds(world: World, application: Application,
                                                          clock: FixedClock) -> None:
    """Each chat summary asks for a quote: reading every order and courier for each would cost a
    dispatch tick per message."""
    on_shift(world, world.courier_id, NEAR_SHOP)
    world.new_order()
    d = dispatcher(application)
    reads: list[float] = []
    read = d.snapshot_in

    def counted(uow, now):  # type: ignore[no-untyped-def]
        reads.append(now.timestamp())
        return read(uow, now)

    d.snapshot_in = counted  # type: ignore[method-assign]
    with application.ctx.uow() as uow:
        merchant = uow.merchants.get(world.merchant_id)
        first = d.quote(uow, merchant, FAR, clock.now())
        again = d.quote(uow, merchant, FAR, clock.now() + timedelta(seconds=2))
        clock.advance(seconds=6)
        later = d.quote(uow, merchant, FAR, clock.now())
    assert first is not None and again is not None and later is not None
    assert len(reads) == 2


def test_an_offer_whose_courier_changed_while_it_expires_waits_and_the_other_offers_expire(
        world: World, application: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two offers expire in the same tick; Lucas reports a position while his is being expired. Inès's
    # offer expires and its order goes back to dispatch; Lucas's expires at the next call.
    on_shift(world, world.courier_id, NEAR_SHOP)
    on_shift(world, world.other_courier_id, NEAR_SHOP)
    world.new_order()
    world.new_order()
    assert dispatcher(application).tick() == 2
    clock.advance(seconds=application.ctx.offer_ttl.total_seconds() + 1)
    courier_changes_after_read(monkeypatch, "get", world.courier_id)
    expired = assignments.expire_offers(application.ctx)
    assert [a.courier_id for a in expired] == [world.other_courier_id]
    (still,) = offers(application)
    assert still.courier_id == world.courier_id
    monkeypatch.undo()
    assert [a.courier_id for a in assignments.expire_offers(application.ctx)] == [world.courier_id]
    assert offers(application) == [] and len(offers(application, AssignmentStatus.EXPIRED)) == 2
    with application.ctx.uow() as uow:
        waiting = uow.orders.list(status=[OrderStatus.CONFIRMED, OrderStatus.READY])
    assert len(waiting) == 2  # both orders back to dispatch, none lost


def test_a_courier_who_refused_the_oldest_order_still_gets_the_next_one(world: World, application: Application,
                                                                        clock: FixedClock) -> None:
    """The engine gives the only courier the oldest order, which that courier refused: the courier
    must not stay idle, tick after tick, while a newer order waits for it."""
    d, offer, refused = offered_near_the_shop(world, application, rival=False)
    assignments.decline(application.ctx, principal=SYSTEM, assignment_id=offer.id, reason="too heavy")
    clock.advance(minutes=1)
    newer = world.new_order()
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=world.courier_id, where=NEAR_SHOP)
    assert d.tick() == 1
    assert [o.order_ids for o in offers(application)] == [[newer["id"]]]
    assert world.call("admin", "GET", f"/api/orders/{refused}").json()["status"] == "confirmed"
