"""The courier app's pages: a whole delivery through them, with and without htmx."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.api import PASSWORD, World
from tests.support.chat import CustomerChat
from tests.support.jobs import Job, accepted_job, offer_job


def courier_browser(world: World) -> TestClient:
    c = TestClient(world.client.app, raise_server_exceptions=False)
    r = c.post("/login", data={"username": "courier", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/courier"
    return c


HX = {"HX-Request": "true"}


def test_login_lands_on_the_courier_app_and_others_are_kept_out(world: World) -> None:
    c = courier_browser(world)
    page = c.get("/courier")
    assert page.status_code == 200 and "Commencer mon service" in page.text
    assert TestClient(world.client.app).get("/courier", follow_redirects=False).headers["location"].startswith("/login")
    world.client.cookies.set("allo_session", world.tokens["dispatcher"])
    assert world.client.get("/courier", follow_redirects=False).status_code == 403
    world.client.cookies.clear()


def test_a_whole_delivery_through_the_pages_without_javascript(world: World) -> None:
    c = courier_browser(world)
    r = c.post("/courier/shift/start", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/courier?done=shift_started"
    assert "Service commencé" in c.get(r.headers["location"]).text
    job = offer_job(world, start_shift=False)
    page = c.get("/courier").text
    assert "Nouvelle course" in page and "Pizzeria Test" in page and 'class="countdown"' in page
    assert "boulevard des Moulins" not in page  # the address comes with the job, not the offer
    r = c.post(f"/courier/offers/{job.assignment_id}/accept", follow_redirects=True)
    assert "Course acceptée" in r.text and "14 boulevard des Moulins" in r.text and "4521B" in r.text
    assert "Marie" in r.text and "Dupont" not in r.text
    assert c.post(f"/courier/jobs/{job.assignment_id}/at-shop", follow_redirects=True).text.count("Arrivé au magasin") == 1
    r = c.post(f"/courier/jobs/{job.assignment_id}/picked-up", follow_redirects=True)
    assert "Code de remise" in r.text
    url = f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/delivered"
    r = c.post(url, data={"pin": "xx"}, follow_redirects=False)
    assert r.headers["location"] == "/courier?error=wrong_pin"
    assert "Code de remise incorrect" in c.get(r.headers["location"]).text
    r = c.post(url, data={"pin": job.pin}, follow_redirects=True)
    assert "Livraison confirmée" in r.text
    r = c.post("/courier/shift/end", follow_redirects=True)
    assert "Service terminé" in r.text


def test_htmx_gets_the_panel_back_with_the_error(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start", headers=HX)
    job = offer_job(world, start_shift=False)
    r = c.post(f"/courier/offers/{job.assignment_id}/accept", headers=HX)
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="panel"')
    c.post(f"/courier/jobs/{job.assignment_id}/picked-up", headers=HX)
    r = c.post(f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/delivered", data={"pin": "0000"
               if job.pin != "0000" else "1111"}, headers=HX)
    assert "Code de remise incorrect" in r.text and "(4 essais restants)" in r.text
    assert 'role="alert"' in r.text


def test_problem_customer_absent_fails_the_order_with_the_reason(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start")
    job = offer_job(world, start_shift=False)
    c.post(f"/courier/offers/{job.assignment_id}/accept")
    c.post(f"/courier/jobs/{job.assignment_id}/picked-up")
    r = c.post(f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/failed",
               data={"reason": "customer_absent", "details": "sonné 3 fois"}, follow_redirects=True)
    assert "Problème enregistré" in r.text
    order = world.call("admin", "GET", f"/api/orders/{job.order_id}").json()
    assert order["status"] == "failed" and order["reason"] == "Client absent: sonné 3 fois"


def test_decline_gives_the_order_back(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start")
    job = offer_job(world, start_shift=False)
    assert "Course refusée" in c.post(f"/courier/offers/{job.assignment_id}/decline", follow_redirects=True).text
    assert world.call("admin", "GET", f"/api/orders/{job.order_id}").json()["status"] == "confirmed"


def test_chat_on_the_job_page(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start")
    job: Job = offer_job(world, start_shift=False)
    chat = CustomerChat(world)
    chat.attach(job.order_id)
    c.post(f"/courier/offers/{job.assignment_id}/accept")
    r = c.post(f"/courier/jobs/{job.assignment_id}/orders/{job.order_id}/messages",
               data={"text": "Je suis devant"}, follow_redirects=True)
    assert "Message envoyé" in r.text and "Je suis devant" in r.text
    assert any("Livreur : Je suis devant" in t for t in chat.replies())
    chat.say("Bâtiment B, 2e porte")
    page = c.get("/courier/panel").text
    assert re.search(r"Client</span>\s*<time[^>]*>[^<]*</time>\s*<span class=\"text\">Bâtiment B", page)


def test_live_events_are_only_this_couriers(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start")
    world.call("other_courier", "POST", f"/api/couriers/{world.other_courier_id}/shift/start")
    theirs = world.new_order()
    world.call("dispatcher", "POST", "/api/assignments",
               json={"courier_id": world.other_courier_id, "order_ids": [theirs["id"]]})
    job = offer_job(world, start_shift=False)
    r = c.get("/courier/events?max_seconds=0", headers={"Last-Event-ID": "0"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    kinds = re.findall(r'"kind": "([^"]+)"', r.text)
    assert kinds.count("courier.shift_started") == 1 and kinds.count("order.assign") == 1
    assert theirs["id"] not in r.text and job.order_id not in r.text  # names of what changed, nothing more


def test_a_courier_taken_off_shift_for_missed_offers_is_told_why(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    from allo.services import assignments

    c = courier_browser(world)
    for _ in range(2):
        offer_job(world)  # starts the shift the first time (409 afterwards: already on shift)
        clock.advance(seconds=world.app.ctx.offer_ttl.total_seconds() + 1)
        assignments.expire_offers(world.app.ctx)
    page = c.get("/courier").text
    assert "Commencer mon service" in page and "sont restées sans réponse" in page
    r = c.post("/courier/shift/start", follow_redirects=True)
    assert "sont restées sans réponse" not in r.text and "Finir mon service" in r.text
    r = c.post("/courier/shift/end", follow_redirects=True)  # ended by the courier: no such notice
    assert "Commencer mon service" in r.text and "sont restées sans réponse" not in r.text


def test_a_courier_whose_job_was_taken_back_for_silence_is_told_why(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    from allo.services import assignments

    c = courier_browser(world)
    job = accepted_job(world)  # offered by hand: no planned pickup, so due from the acceptance
    page = c.get("/courier").text
    assert f"/courier/jobs/{job.assignment_id}/picked-up" in page and 'id="stay-in-touch"' in page  # warned
    clock.advance(minutes=29)  # due 15 minutes after the acceptance, then 15 minutes' grace
    assert assignments.take_back_silent_jobs(world.app.ctx) == []
    clock.advance(minutes=1)
    assert [a.id for a in assignments.take_back_silent_jobs(world.app.ctx)] == [job.assignment_id]
    page = c.get("/courier").text
    assert "Commencer mon service" in page and "confiée à un autre" in page
    assert job.assignment_id not in page
    r = c.post("/courier/shift/start", follow_redirects=True)
    assert "confiée à un autre" not in r.text and "Finir mon service" in r.text


def test_a_courier_gives_back_a_job_not_picked_up_and_stays_on_shift(world: World) -> None:
    c = courier_browser(world)
    job = accepted_job(world)
    page = c.get("/courier").text
    assert 'id="give-back"' in page and "Panne ou crevaison" in page
    page = c.post(f"/courier/jobs/{job.assignment_id}/give-back", data={"reason": "vehicle"}, follow_redirects=True).text
    assert "Course rendue" in page and "Finir mon service" in page and job.assignment_id not in page
    got = world.call("admin", "GET", f"/api/orders/{job.order_id}").json()
    assert got["status"] == "confirmed" and got["courier_id"] is None
    with world.app.ctx.uow() as uow:
        assert uow.assignments.get(job.assignment_id).reason == "given back: Panne ou crevaison"


def test_a_job_picked_up_offers_no_give_back_and_refuses_one(world: World) -> None:
    c = courier_browser(world)
    job = accepted_job(world, picked_up=True)
    assert 'id="give-back"' not in c.get("/courier").text
    page = c.post(f"/courier/jobs/{job.assignment_id}/give-back", data={"reason": "other"}, follow_redirects=True).text
    assert "Les commandes sont récupérées" in page
    assert world.call("admin", "GET", f"/api/orders/{job.order_id}").json()["status"] == "picked_up"


def test_the_job_card_says_when_the_kitchen_now_expects_the_food_after_the_planned_pickup(world: World) -> None:
    from datetime import timedelta

    from tests.support.dispatching import offered_near_the_shop

    c = courier_browser(world)
    _, job, order_id = offered_near_the_shop(world, world.app, rival=False, accept=True)
    assert 'id="kitchen-late"' not in c.get("/courier").text  # on time: nothing to say
    r = world.call("merchant", "PUT", f"/api/orders/{order_id}/ready-estimate", json={"ready_in_minutes": 40})
    assert r.status_code == 200, r.text
    ready = (world.app.ctx.clock.now() + timedelta(minutes=40)).astimezone(world.app.ctx.city_zone)
    page = c.get("/courier").text
    assert f"commande prête vers {ready:%H:%M}" in page
    world.call("merchant", "POST", f"/api/orders/{order_id}/actions", json={"action": "mark_ready"})
    assert 'id="kitchen-late"' not in c.get("/courier").text  # ready after all
