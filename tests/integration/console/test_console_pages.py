"""Console pages through the test client: board, detail, masking, reveal (audited), merchant scope."""

from __future__ import annotations

from allo.domain.clock import FixedClock
from allo.services.console import order_ref
from allo.services.principal import SYSTEM
from tests.support.api import PASSWORD, World
from tests.support.pages import Pages


def test_strangers_go_to_the_login_page(pages: Pages) -> None:
    r = pages.as_(None).get("/console")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_courier_may_not_open_the_console(pages: Pages) -> None:
    assert pages.as_("courier").get("/console").status_code == 403


def test_board_shows_open_orders_with_timers_and_kpis(world: World, pages: Pages, clock: FixedClock) -> None:
    order = world.new_order()
    r = pages.as_("dispatcher").get("/console")
    assert r.status_code == 200
    html = r.text
    assert "<title>Tableau des commandes — Console Allo</title>" in html
    assert f"#{order_ref(order['id'])}" in html
    assert "40 min restantes" in html
    assert "commandes aujourd'hui" in html
    assert 'sse-connect="/console/events"' in html
    assert "Marie Dupont" not in html and "14 boulevard" not in html
    clock.advance(minutes=45)
    html = pages.get("/console/board").text
    assert "en retard de 5 min" in html and 'role="alert"' in html


def test_order_detail_masks_personal_data(world: World, pages: Pages) -> None:
    order = world.new_order()
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert "+33 6 •• •• •• 42" in html and "Marie D." in html
    assert "•• boulevard des Moulins" in html
    for secret in ("+33612345642", "Marie Dupont", "14 boulevard", "4521B"):
        assert secret not in html
    assert "Pizza margherita" in html and "26,50 EUR" in html
    assert 'action="/console/orders/' + order["id"] + '/reveal"' in html
    assert "créée (brouillon)" in html and "confirmée" in html  # the timeline


def test_reveal_needs_a_reason_and_is_audited(world: World, pages: Pages) -> None:
    order = world.new_order()
    url = f"/console/orders/{order['id']}/reveal"
    r = pages.as_("dispatcher").post(url, {"reason": ""})
    assert r.status_code == 303
    with world.app.ctx.uow() as uow:
        assert uow.journal.audit_entries(subject_id=order["customer_id"]) == []
    r = pages.post(url, {"reason": "courier cannot find the door"})
    assert r.status_code == 200
    assert "+33612345642" in r.text and "Marie Dupont" in r.text and "4521B" in r.text
    assert "no-store" in r.headers["cache-control"]
    with world.app.ctx.uow() as uow:
        entries = uow.journal.audit_entries(subject_id=order["customer_id"])
    assert len(entries) == 1
    assert entries[0].action == "reveal_contact" and "courier cannot find the door" in (entries[0].detail or "")
    # the next plain view is masked again
    assert "+33612345642" not in pages.get(f"/console/orders/{order['id']}").text


def test_merchants_cannot_reveal(world: World, pages: Pages) -> None:
    order = world.new_order()
    assert pages.as_("merchant").post(f"/console/orders/{order['id']}/reveal",
                                      {"reason": "curious"}).status_code == 403
    assert "/reveal" not in pages.get(f"/console/orders/{order['id']}").text


def test_merchant_sees_only_its_own_shop(world: World, pages: Pages) -> None:
    mine = world.new_order()
    theirs = world.new_order(merchant_id=world.other_merchant_id)
    html = pages.as_("merchant").get("/console").text
    assert f"#{order_ref(mine['id'])}" in html and f"#{order_ref(theirs['id'])}" not in html
    assert "Other Shop" not in html
    assert "coursiers occupés" not in html  # courier KPIs are staff only
    assert pages.get(f"/console/orders/{mine['id']}").status_code == 200
    assert pages.get(f"/console/orders/{theirs['id']}").status_code == 403
    assert pages.get("/console/couriers").status_code == 403
    live = pages.get("/console/map/live.json").json()
    assert [s["name"] for s in live["shops"]] == ["Pizzeria Test"] and live["dropoffs"] == []
    html = pages.as_("dispatcher").get("/console").text
    assert f"#{order_ref(mine['id'])}" in html and f"#{order_ref(theirs['id'])}" in html


def test_messages_to_the_customer_are_listed(world: World, pages: Pages) -> None:
    order = world.new_order()
    with world.app.ctx.uow() as uow:
        uow.messaging.enqueue(dedupe_key=f"test:{order['id']}", channel="webchat", recipient="+33612345642",
                              text="Votre commande est confirmée.", now=world.app.ctx.clock.now(),
                              order_id=order["id"])
        uow.commit()
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert "Votre commande est confirmée." in html
    assert "+33612345642" not in html


def test_relayed_messages_are_shown_and_the_pin_never_is(world: World, pages: Pages) -> None:
    from allo.services import orders

    order = world.new_order()
    ctx = world.app.ctx
    pin = orders.get_order(ctx, principal=SYSTEM, order_id=order["id"]).pin
    with ctx.uow() as uow:
        uow.relay.add(order_id=order["id"], courier_id=world.courier_id, sender="courier", status="relayed",
                      at=ctx.clock.now(), text="Je suis en bas de l'immeuble")
        if pin:
            uow.messaging.enqueue(dedupe_key=f"pin:{order['id']}", channel="webchat", recipient="+33612345642",
                                  text=f"Code de remise : {pin}", now=ctx.clock.now(), order_id=order["id"])
        uow.commit()
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert "Je suis en bas de l&#39;immeuble" in html and "coursier → client" in html
    if pin:
        assert "Code de remise : ••••" in html and pin not in html.split("Code de remise")[1][:40]
    # merchants see neither the relay nor a note about it
    assert "Je suis en bas" not in pages.as_("merchant").get(f"/console/orders/{order['id']}").text


def test_order_map_rounds_the_dropoff_unless_revealed(world: World, pages: Pages) -> None:
    from tests.support.api import INSIDE

    order = world.new_order()
    exact = f'data-dropoff="{INSIDE["lat"]},{INSIDE["lon"]}"'
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert 'id="order-map"' in html and "data-dropoff=" in html and exact not in html
    html = pages.post(f"/console/orders/{order['id']}/reveal", {"reason": "the courier is lost"}).text
    assert exact in html and 'data-exact="1"' in html
    html = pages.as_("merchant").get(f"/console/orders/{order['id']}").text
    assert 'id="order-map"' not in html and "data-dropoff=" not in html


def test_a_waiting_order_shows_the_dispatchers_estimate_and_is_flagged_when_it_will_be_late(
        world: World, pages: Pages, clock: FixedClock) -> None:
    """Before any courier is offered the order, the board shows when the dispatcher expects it to
    arrive, and flags it when that is after the promise: the moment a human may want to step in."""
    from datetime import timedelta

    order = world.new_order()
    with world.app.ctx.uow() as uow:
        uow.estimates.publish({order["id"]: clock.now() + timedelta(minutes=55)}, orders=[order["id"]],
                              computed_at=clock.now(), forget_before=clock.now() - timedelta(minutes=2))
        uow.commit()
    html = pages.as_("dispatcher").get("/console/board").text
    assert "arrivée estimée" in html and "(après la promesse)" in html and "is-risk" in html
    clock.advance(minutes=3)  # the dispatcher stopped publishing: no stale estimate
    html = pages.get("/console/board").text
    assert "arrivée estimée" not in html and "is-risk" not in html


def test_the_shop_sees_how_long_the_courier_has_been_waiting_for_the_food(
        world: World, pages: Pages, clock: FixedClock) -> None:
    from tests.support.jobs import accepted_job

    job = accepted_job(world)
    assert "au magasin depuis" not in pages.as_("merchant").get("/console/board").text
    assert world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/at-shop").status_code == 200
    clock.advance(minutes=7)
    html = pages.get("/console/board").text
    assert '<span class="late">au magasin depuis 7 min</span>' in html
    world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/picked-up")
    assert "au magasin depuis" not in pages.get("/console/board").text  # on its way: nobody waits


def test_order_detail_shows_the_time_told_to_the_customer_and_the_delay_notice(
        world: World, pages: Pages, clock: FixedClock) -> None:
    from datetime import timedelta

    from allo.services import lateness

    order = world.new_order()
    told = clock.now() + timedelta(minutes=25)
    with world.app.ctx.uow() as uow:
        uow.promises.tell(order["id"], told, at=clock.now())
        uow.commit()
    later = told + timedelta(minutes=15)
    assert lateness.tell_running_late(world.app.ctx, {order["id"]: later}) == [order["id"]]
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    zone = world.app.ctx.city_zone
    assert f'<dd id="told">{later.astimezone(zone):%H:%M}</dd>' in html  # what the customer now expects
    assert "client prévenu d&#39;un retard" in html  # the timeline


def test_an_order_taken_while_its_shop_is_closed_is_marked_and_promised_from_the_opening(
        world: World, pages: Pages, clock: FixedClock) -> None:
    """At 13:00 in Monaco (Thursday 1 January) the pizzeria, open 18:30–23:00, is closed: the card says
    when it opens, and the order is promised 40 minutes after the opening rather than late all
    afternoon."""
    from datetime import time

    from allo.domain.merchant import OpeningHours
    from allo.services import merchants

    evenings = OpeningHours({d: ((time(18, 30), time(23, 0)),) for d in ("mon", "tue", "wed", "thu", "fri", "sat")})
    merchants.update_merchant(world.app.ctx, principal=SYSTEM, merchant_id=world.merchant_id, opening_hours=evenings)
    world.new_order()
    world.new_order(merchant_id=world.other_merchant_id)  # a shop open all day: no mark
    html = pages.as_("dispatcher").get("/console/board").text
    assert "boutique fermée — ouvre à 18:30" in html and html.count("boutique fermée") == 1
    assert "(promis 19:10)" in html and "370 min restantes" in html and "(promis 13:40)" in html
    clock.advance(hours=7)  # 20:00: open, and the order 50 minutes late against its promise
    html = pages.get("/console/board").text
    assert "boutique fermée" not in html and "en retard de 50 min" in html
    clock.advance(hours=4)  # midnight: closed until this (Friday) evening
    assert "boutique fermée — ouvre à 18:30" in pages.get("/console/board").text
    clock.advance(hours=47, minutes=30)  # Saturday 23:30: closed on Sunday
    _log_in_again(world, "dispatcher")  # two days on: a new session
    assert "boutique fermée — ouvre le 05/01 à 18:30" in pages.as_("dispatcher").get("/console/board").text


def test_an_old_orders_page_still_shows_the_jobs_it_was_offered_in(world: World, pages: Pages,
                                                                   clock: FixedClock) -> None:
    """Weeks on, after thousands of other jobs, the order page still says who was offered the order:
    its jobs are read by the order's own time window, not among the city's last few thousand."""
    from datetime import timedelta

    from allo.domain.assignment import Assignment, AssignmentStatus
    from allo.services import assignments, couriers

    order = world.new_order()
    couriers.start_shift(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id)
    assignments.offer(world.app.ctx, principal=SYSTEM, courier_id=world.courier_id, order_ids=[order["id"]])
    with world.app.ctx.uow() as uow:  # 5,001 later jobs of other orders
        for k in range(5_001):
            at = clock.now() + timedelta(hours=2, minutes=k)
            uow.assignments.add(Assignment(f"later-{k:05d}", world.courier_id, world.merchant_id, [f"other-{k}"],
                                           at, at + timedelta(minutes=2), status=AssignmentStatus.DECLINED))
        uow.commit()
    clock.advance(days=10)
    _log_in_again(world, "dispatcher")
    html = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text
    assert "proposée à Lucas (manuel)" in html


def _log_in_again(world: World, who: str) -> None:
    """A new session for `who`, days after the world's tokens were issued (they have expired)."""
    r = world.client.post("/api/auth/token", json={"username": who, "password": PASSWORD})
    assert r.status_code == 200, r.text
    world.tokens[who] = r.json()["access_token"]


def test_the_shop_sees_nothing_of_the_relay_and_the_dispatcher_sees_it_all(world: World, pages: Pages) -> None:
    from tests.support.chat import CustomerChat
    from tests.support.jobs import accepted_job

    order = world.new_order()
    chat = CustomerChat(world)
    chat.attach(order["id"])
    chat.say("Sonnez chez Dupont, l'interphone est cassé")  # kept until a courier takes the job
    job = accepted_job(world, order)
    r = world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/orders/{job.order_id}/messages",
                   json={"text": "Je suis devant la porte"})
    assert r.status_code == 201, r.text
    chat.replies()
    shop = pages.as_("merchant").get(f"/console/orders/{order['id']}").text.replace("&#39;", "'")
    staff = pages.as_("dispatcher").get(f"/console/orders/{order['id']}").text.replace("&#39;", "'")
    for words in ("Dupont", "devant la porte", "le livreur lira votre message", "message du client au coursier"):
        assert words not in shop, words
        assert words in staff, words
