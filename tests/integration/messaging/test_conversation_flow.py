"""A customer orders through the web chat: message → inbox → dialogue → order → replies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from allo.bootstrap import Application
from allo.demo.seed import seed_demo
from allo.domain.clock import FixedClock
from allo.domain.courier import Vehicle
from allo.domain.order import OrderStatus
from allo.services.principal import SYSTEM


def _shop(client: TestClient, name: str) -> str:
    shops = client.get("/chat/api/shops").json()
    return next(s["id"] for s in shops if s["name"] == name)


class Chat:
    def __init__(self, client: TestClient, app: Application, merchant_id: str) -> None:
        self.client, self.app, self.merchant_id, self.seen, self.n = client, app, merchant_id, 0, 0

    def say(self, text: str) -> list[str]:
        self.n += 1
        r = self.client.post(f"/chat/api/{self.merchant_id}/messages",
                             json={"message_id": f"msg-{self.n:06d}", "text": text})
        assert r.status_code == 202, r.text
        assert self.app.worker is not None
        self.app.worker.run_once()  # handle the inbox, then "send" the replies
        return self.replies()

    def replies(self) -> list[str]:
        got = self.client.get(f"/chat/api/{self.merchant_id}/messages", params={"after": self.seen}).json()
        if got:
            self.seen = got[-1]["id"]
        return [m["text"] for m in got]


def test_order_by_chat_in_french(application: Application, client: TestClient) -> None:
    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    summary = chat.say("bonjour, 2 margherita et un coca au 14 bd des moulins code 4521B")
    text = "\n".join(summary)
    assert "Margherita" in text and "4521B" in text.upper() or "4521" in text
    assert any(w in text.lower() for w in ("oui", "confirm"))
    placed = chat.say("oui")
    assert placed, "no reply after confirming"
    with application.ctx.uow() as uow:
        orders = uow.orders.list()
    assert len(orders) == 1
    order = orders[0]
    assert order.status is OrderStatus.CONFIRMED
    assert {ln.sku: ln.qty for ln in order.lines} == {"MARGHERITA": 2, **{
        ln.sku: 1 for ln in order.lines if ln.sku != "MARGHERITA"}}
    assert order.dropoff.door_code and "4521" in order.dropoff.door_code.upper()
    assert order.dropoff.location is not None and order.tracking_token
    assert any(order.tracking_token in r for r in placed)
    # the same message delivered twice changes nothing
    r = client.post(f"/chat/api/{chat.merchant_id}/messages", json={"message_id": "msg-000002", "text": "oui"})
    assert r.json()["duplicate"] is True
    application.worker.run_once()
    with application.ctx.uow() as uow:
        assert len(uow.orders.list()) == 1


def test_status_messages_follow_the_order(application: Application, client: TestClient) -> None:
    from allo.services import assignments, couriers

    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    chat.say("2 margherita au 14 boulevard des Moulins")
    chat.say("oui")
    with application.ctx.uow() as uow:
        order = uow.orders.list()[0]
        courier = uow.couriers.list()[0]
    couriers.start_shift(application.ctx, principal=SYSTEM, courier_id=courier.id)
    a = assignments.offer(application.ctx, principal=SYSTEM, courier_id=courier.id, order_ids=[order.id])
    assignments.accept(application.ctx, principal=SYSTEM, assignment_id=a.id)
    application.worker.run_once()
    told_assigned = chat.replies()
    assignments.picked_up(application.ctx, principal=SYSTEM, assignment_id=a.id)
    assignments.delivered(application.ctx, principal=SYSTEM, assignment_id=a.id, order_id=order.id)
    application.worker.run_once()
    told_delivered = chat.replies()
    assert told_assigned and told_delivered
    assert all("+33" not in t for t in told_assigned + told_delivered)
    rating = chat.say("5")
    assert rating
    with application.ctx.uow() as uow:
        assert uow.journal.rating_of(order.id) == (5, None) or uow.journal.rating_of(order.id)[0] == 5


def test_english_customer_gets_english_replies(application: Application, client: TestClient) -> None:
    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    replies = " ".join(chat.say("hi can i get two margherita pizzas to 14 boulevard des moulins please"))
    assert any(w in replies.lower() for w in ("yes", "confirm", "total"))
    assert "bonjour" not in replies.lower()


def test_a_reply_sent_after_a_later_one_is_still_shown(application: Application, client: TestClient) -> None:
    """Senders run in parallel and may mark reply 3 sent before reply 2: the page's cursor must not
    move past reply 2 while it is on its way, or the customer would never see it."""
    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    client.cookies.set("allo_chat", "out-of-order-session-0001")
    address = f"{shop}_out-of-order-session-0001"
    ctx = application.ctx
    now = ctx.clock.now()
    with ctx.uow() as uow:
        for n in (1, 2, 3):
            uow.messaging.enqueue(dedupe_key=f"test:{n}", channel="webchat", recipient=address, text=f"reply {n}",
                                  now=now)
        ids = [m.id for m in uow.messaging.outbound_for("webchat", address, statuses=("pending",))]
        uow.messaging.mark_sent(ids[0], None, now)
        uow.messaging.mark_sent(ids[2], None, now)
        uow.commit()

    def page_reads(after: int) -> list[str]:
        r = client.get(f"/chat/api/{shop}/messages", params={"after": after})
        assert r.status_code == 200, r.text
        return [m["text"] for m in r.json()]

    assert page_reads(0) == ["reply 1"]
    with ctx.uow() as uow:
        uow.messaging.mark_sent(ids[1], None, now)
        uow.commit()
    assert page_reads(ids[0]) == ["reply 2", "reply 3"]


def _courier_at(application: Application, shop: str, vehicle: Vehicle | None = None) -> None:
    """The first demo courier (riding `vehicle`, if given) on shift, at the shop's door."""
    from allo.domain.geo import LatLon
    from allo.services import couriers

    with application.ctx.uow() as uow:
        merchant = uow.merchants.get(shop)
        courier = next(c for c in uow.couriers.list() if vehicle in (None, c.vehicle))
    couriers.start_shift(application.ctx, principal=SYSTEM, courier_id=courier.id)
    couriers.update_position(application.ctx, principal=SYSTEM, courier_id=courier.id,
                             where=LatLon(merchant.pickup.lat, merchant.pickup.lon))


def _placed_minutes(replies: list[str], clock: FixedClock) -> int:
    """The minutes the confirmation promised: "Arrivée dans environ 25 min", or "Arrivée prévue vers 17:19"
    (beyond an hour) counted from the clock's time in Monaco."""
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    text = "\n".join(replies)
    found = re.findall(r"Arrivée dans environ (\d+) min", text)
    if found:
        return int(found[-1])
    at = re.findall(r"Arrivée prévue vers (\d\d):(\d\d)", text)
    assert at, replies
    now = clock.now().astimezone(ZoneInfo("Europe/Monaco"))
    then = datetime.combine(now.date(), datetime.min.time().replace(hour=int(at[-1][0]), minute=int(at[-1][1])),
                            now.tzinfo)
    return round((then - now).total_seconds() / 60) % (24 * 60)


def test_the_eta_promised_in_the_chat_counts_the_queue_ahead(application: Application, client: TestClient,
                                                             clock: FixedClock) -> None:
    """With one courier at the shop's door and nothing ahead, the ride alone; with a queue of orders
    ahead, the dispatcher's estimate for the new order counts them, much later."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop)
    chat = Chat(client, application, shop)
    chat.say("2 margherita au 14 boulevard des Moulins")
    alone = _placed_minutes(chat.say("oui"), clock)
    for _ in range(4):  # four more orders ahead, the same way
        clock.advance(seconds=60)
        chat.say("1 margherita au 14 boulevard des Moulins")
        chat.say("oui")
    clock.advance(seconds=60)
    summary = chat.say("2 margherita au 14 boulevard des Moulins")
    queued = _placed_minutes(chat.say("oui"), clock)
    # one courier, five orders ahead of this one, each a round trip to the boulevard
    assert queued > alone + 30
    at = (clock.now() + timedelta(minutes=queued)).astimezone(ZoneInfo("Europe/Monaco"))
    assert queued > 60 and f"Arrivée estimée vers {at:%H:%M}." in "\n".join(summary)  # the same, on the clock
    with application.ctx.uow() as uow:
        assert len(uow.orders.list()) == 6


def test_the_chat_promises_the_time_the_tracking_page_shows_even_when_sooner_than_the_shops_own_guess(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    """A scooter waits at the shop's door: the chat's promise is the dispatcher's time, which the
    tracking page then shows, not the shop's rule of thumb for a bike (which is later here)."""
    from allo.services import tracking

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop, Vehicle.SCOOTER)
    chat = Chat(client, application, shop)
    chat.say("2 margherita au 14 boulevard des Moulins")
    promised = _placed_minutes(chat.say("oui"), clock)
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
        merchant = uow.merchants.get(shop)
    assert order.dropoff.location is not None and order.tracking_token
    assert promised < merchant.prep_minutes + application.ctx.rides.shop_ride_minutes(merchant, order.dropoff.location)
    dispatcher = application.dispatcher
    assert dispatcher is not None
    dispatcher.publish_estimates(dispatcher.snapshot(clock.now())[0], clock.now())
    page = tracking.track(application.ctx, token=order.tracking_token)
    assert page.eta_minutes is not None and abs(page.eta_minutes - promised) <= 1


def test_with_nobody_on_shift_the_chat_says_so_instead_of_a_time(application: Application, client: TestClient) -> None:
    from allo.services import couriers

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    chat = Chat(client, application, shop)
    summary = "\n".join(chat.say("2 margherita au 14 boulevard des Moulins"))
    assert "Aucun livreur n'est en service pour le moment" in summary and "Arrivée estimée" not in summary
    placed = "\n".join(chat.say("oui"))
    assert "confirmée" in placed and "Aucun livreur n'est en service" in placed and "Arrivée dans" not in placed
    with application.ctx.uow() as uow:
        assert len(uow.orders.list()) == 1  # taken all the same: it waits for the first courier
        courier = uow.couriers.list()[0]
    summary = "\n".join(chat.say("1 margherita dans 10 minutes au 14 boulevard des Moulins"))
    assert "Livraison demandée : dans 10 minutes. Aucun livreur n'est en service" in summary, summary
    assert "Aucun livreur n'est en service" in "\n".join(chat.say("oui"))  # soon: nobody to take it then
    summary = "\n".join(chat.say("1 margherita pour demain 20h au 14 boulevard des Moulins"))
    assert "Aucun livreur" not in summary  # tomorrow's couriers are not known yet: nothing to say
    assert "Aucun livreur" not in "\n".join(chat.say("oui"))
    # on shift but not sharing a position yet: dispatch cannot place the courier; the shop's estimate
    couriers.start_shift(application.ctx, principal=SYSTEM, courier_id=courier.id)
    summary = "\n".join(chat.say("1 margherita au 14 boulevard des Moulins"))
    assert "Arrivée estimée : environ" in summary and "Aucun livreur" not in summary


def test_an_order_for_eight_tonight_is_stored_for_eight_tonight_in_the_shops_time(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    """"pour 20h" at 13:00 in Monaco (12:00 UTC): the order asks for 20:00 Monaco time, and the
    confirmation promises no "arrival in 25 minutes"."""
    from zoneinfo import ZoneInfo

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop)
    chat = Chat(client, application, shop)
    assert "pour 20h" in "\n".join(chat.say("2 margherita pour 20h au 14 boulevard des Moulins"))
    placed = "\n".join(chat.say("oui"))
    assert "confirmée" in placed and "Arrivée dans" not in placed
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
    monaco = clock.now().astimezone(ZoneInfo("Europe/Monaco"))
    assert order.requested_for == monaco.replace(hour=20, minute=0, second=0, microsecond=0)
    assert "Arrivée prévue vers 20:00" in "\n".join(chat.say("où est ma commande ?"))  # the time asked for


def test_a_time_asked_for_sooner_than_possible_is_said_at_once_and_the_soonest_promised(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    """"dans 10 minutes" with the only courier on foot: the summary says when the order can come at
    the soonest, the confirmation promises that, and no delay notice follows at the next tick."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from allo.services.lateness import RUNNING_LATE

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop, Vehicle.FOOT)
    chat = Chat(client, application, shop)
    summary = "\n".join(chat.say("2 margherita dans 10 minutes au 14 boulevard des Moulins"))
    assert "Livraison demandée : dans 10 minutes. Nous ne pourrons pas livrer avant" in summary, summary
    minutes = _placed_minutes(chat.say("oui"), clock)
    assert minutes > 25  # the ride on foot, not the 10 minutes asked for
    soonest = clock.now() + timedelta(minutes=minutes)
    assert f"avant {soonest.astimezone(ZoneInfo('Europe/Monaco')):%H:%M} environ" in summary
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
        assert order.requested_for == clock.now() + timedelta(minutes=10)  # kept as asked, for the console
        assert uow.promises.told(order.id) == soonest
    assert application.dispatcher is not None
    application.dispatcher.tick()
    with application.ctx.uow() as uow:
        assert uow.journal.last_event(order.id, RUNNING_LATE) is None  # told the truth: nothing to take back


def _pizzeria_open_evenings(application: Application, client: TestClient) -> str:
    """The demo's pizzeria, open 18:30–23:00 from Monday to Saturday, with a courier on foot at its door."""
    from datetime import time

    from allo.domain.merchant import OpeningHours
    from allo.services import merchants

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop, Vehicle.FOOT)
    evenings = OpeningHours({d: ((time(18, 30), time(23, 0)),) for d in ("mon", "tue", "wed", "thu", "fri", "sat")})
    merchants.update_merchant(application.ctx, principal=SYSTEM, merchant_id=shop, opening_hours=evenings)
    return shop


def test_an_order_for_the_opening_time_is_told_it_comes_after_the_kitchen_has_opened(
        application: Application, client: TestClient) -> None:
    """At 13:00, "pour 18h30" to a shop opening at 18:30: it can come only a ride after the opening."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    chat = Chat(client, application, _pizzeria_open_evenings(application, client))
    summary = "\n".join(chat.say("2 margherita pour 18h30 au 14 boulevard des Moulins"))
    assert "Livraison demandée : pour 18h30. Nous ne pourrons pas livrer avant" in summary, summary
    placed = "\n".join(chat.say("oui"))
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
        told = uow.promises.told(order.id)
    assert told is not None
    monaco = told.astimezone(ZoneInfo("Europe/Monaco"))
    opening = monaco.replace(hour=18, minute=30, second=0, microsecond=0)
    assert opening + timedelta(minutes=15) < monaco < opening + timedelta(hours=1)  # the kitchen's 15 min, a walk
    assert f"avant {monaco:%H:%M} environ" in summary and f"Arrivée prévue vers {monaco:%H:%M}" in placed


def test_a_shop_closed_at_lunch_takes_a_chat_order_for_the_evening_only(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    """At 13:00 (Thursday 1 January, Monaco) a shop open 18:30–23:00 says when it opens, places
    nothing, then takes the same order "pour 20h"; a shop closing between the summary and the yes
    places nothing either."""
    shop = _pizzeria_open_evenings(application, client)
    chat = Chat(client, application, shop)
    out = "\n".join(chat.say("2 margherita au 14 boulevard des Moulins"))
    assert "ne prend pas de commandes pour le moment (ouverture à 18:30)" in out and "OUI" not in out
    assert "ouverture à 18:30" in "\n".join(chat.say("oui"))  # a yes to nothing: still closed, still nothing
    with application.ctx.uow() as uow:
        assert uow.orders.list() == []
    out = "\n".join(chat.say("pour 20h"))
    assert "Livraison demandée : pour 20h." in out and "OUI" in out
    assert "confirmée" in "\n".join(chat.say("oui"))
    with application.ctx.uow() as uow:
        (evening,) = uow.orders.list()
    assert evening.requested_for is not None and evening.requested_for.hour == 19  # 20:00 in Monaco, in UTC
    clock.advance(minutes=9 * 60 + 58)  # 22:58: open, the summary asks for a yes
    assert "OUI" in "\n".join(chat.say("1 margherita au 14 boulevard des Moulins"))
    clock.advance(minutes=3)  # the yes comes at 23:01: closed since
    out = "\n".join(chat.say("oui"))
    assert "ne prend pas de commandes pour le moment (ouverture demain à 18:30)" in out, out
    with application.ctx.uow() as uow:
        assert [o.id for o in uow.orders.list()] == [evening.id]


def test_where_is_my_order_gives_an_eta_while_it_waits_for_a_courier(application: Application,
                                                                      client: TestClient) -> None:
    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    _courier_at(application, shop)
    chat = Chat(client, application, shop)
    chat.say("2 margherita au 14 boulevard des Moulins")
    chat.say("oui")
    assert "Arrivée dans environ" not in "\n".join(chat.say("où est ma commande ?"))  # no dispatcher yet
    assert application.dispatcher is not None
    application.dispatcher.publish_estimates(application.dispatcher.snapshot(application.ctx.clock.now())[0],
                                             application.ctx.clock.now())
    answer = "\n".join(chat.say("où est ma commande ?"))
    assert "Arrivée dans environ" in answer, answer


def test_with_nobody_on_shift_but_a_courier_booked_soon_the_chat_promises_a_time_counting_on_them(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    from datetime import timedelta

    from allo.services import couriers

    seed_demo(application.ctx, password="a demo password")
    shop = _shop(client, "Pizzeria du Port")
    with application.ctx.uow() as uow:
        pickup = uow.merchants.get(shop).pickup
        courier = uow.couriers.list()[0]
    couriers.book_shift(application.ctx, principal=SYSTEM, courier_id=courier.id,
                        starts_at=clock.now() + timedelta(minutes=45), ends_at=clock.now() + timedelta(hours=4),
                        start_place=pickup)
    chat = Chat(client, application, shop)
    summary = "\n".join(chat.say("2 margherita au 14 boulevard des Moulins"))
    assert "Aucun livreur" not in summary
    minutes = _placed_minutes(chat.say("oui"), clock)
    assert 45 < minutes < 75  # the booked start, then the ride: not the shop's 25 minutes, nor "nobody"


def test_a_street_several_towns_share_is_the_one_the_shop_delivers_to_once_the_customer_confirms_it(
        application: Application, client: TestClient) -> None:
    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    asked = "\n".join(chat.say("une margherita au 12 Route de la Turbie"))  # in Roquebrune, Beausoleil and Èze
    assert "Je trouve 12 Route de la Turbie, 06240 Beausoleil, dans notre zone de livraison" in asked
    assert "Je ne trouve pas" not in asked
    summary = "\n".join(chat.say("oui"))
    assert "Route de la Turbie, 06240 Beausoleil" in summary and "Total" in summary
    chat.say("oui")
    with application.ctx.uow() as uow:
        (order,) = uow.orders.list()
        shop = uow.merchants.get(order.merchant_id)
    assert order.dropoff.location is not None and shop.delivers_to(order.dropoff.location)

    client.cookies.clear()  # another customer, who lives in Roquebrune
    other = Chat(client, application, _shop(client, "Pizzeria du Port"))
    other.n = 100
    other.say("une reine au 12 Route de la Turbie")
    again = "\n".join(other.say("non"))  # not that one: the address is asked for again
    assert "Quelle est l'adresse de livraison" in again and "Total" not in again
    told = "\n".join(other.say("12 Route de la Turbie, 06190 Roquebrune-Cap-Martin"))
    assert "Route de la Turbie, 06190 Roquebrune-Cap-Martin est hors de notre zone" in told  # the town said wins


def test_a_cancellation_is_told_once_and_by_its_short_number(application: Application, client: TestClient) -> None:
    from allo.domain.order import OrderAction, order_number
    from allo.services import orders

    seed_demo(application.ctx, password="a demo password")
    chat = Chat(client, application, _shop(client, "Pizzeria du Port"))
    chat.say("2 margherita au 14 boulevard des Moulins")
    chat.say("oui")
    told = chat.say("finalement annulez svp")  # the worker also runs the notifier over the cancel event
    application.worker.run_once()
    told += chat.replies()
    with application.ctx.uow() as uow:
        (first,) = uow.orders.list()
    assert first.status is OrderStatus.CANCELLED
    assert sum("est annulée" in t for t in told) == 1, told
    assert all(first.id not in t and "cancelled by" not in t for t in told), told

    chat.say("une reine au 14 boulevard des Moulins")  # another order, then the shop cancels it
    chat.say("oui")
    chat.say("et une diavola au 14 boulevard des Moulins")  # a third one pending meanwhile
    chat.say("oui")
    with application.ctx.uow() as uow:
        second = next(o for o in uow.orders.list() if o.id != first.id and "REINE" in {ln.sku for ln in o.lines})
    orders.order_action(application.ctx, principal=SYSTEM, order_id=second.id, action=OrderAction.CANCEL,
                        reason="plus de pâte")
    application.worker.run_once()
    told = chat.replies()
    assert any(f"La commande {order_number(second.id)} est annulée" in t and "plus de pâte" in t for t in told), told
    assert all(second.id not in t for t in told), told


def test_a_customer_asking_whether_the_shop_is_open_hears_until_when_or_when_it_opens(
        application: Application, client: TestClient, clock: FixedClock) -> None:
    """At 13:00 in Monaco the evening pizzeria is closed and says it opens at 18:30; at 20:00 it is
    open until 23:00."""
    chat = Chat(client, application, _pizzeria_open_evenings(application, client))
    assert "(ouverture à 18:30)" in "\n".join(chat.say("bonjour vous êtes ouverts ?"))
    clock.advance(minutes=7 * 60)
    assert chat.say("et là vous êtes ouverts ?") == [
        "Nous sommes ouverts jusqu'à 23:00 : écrivez votre commande et votre adresse."]
