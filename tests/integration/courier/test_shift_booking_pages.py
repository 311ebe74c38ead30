"""Booking the next shift in the courier app: the day and time in the city's calendar, cancelling."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allo.entrypoints.http.pages.web import day_time
from tests.integration.courier.test_courier_pages import courier_browser
from tests.support.api import World


def test_the_courier_books_tomorrow_evening_in_the_citys_time_and_cancels_it(world: World) -> None:
    now, zone = world.app.ctx.clock.now(), world.app.ctx.city_zone
    c = courier_browser(world)
    page = c.get("/courier").text
    assert 'id="book-shift"' in page and '<option value="1">demain</option>' in page
    page = c.post("/courier/shift/book", data={"day": "1", "start": "18:30", "hours": "4"}, follow_redirects=True).text
    assert "Service réservé" in page
    starts = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(18, 30), zone)
    got = world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["booking"]
    assert datetime.fromisoformat(got["starts_at"]) == starts
    assert datetime.fromisoformat(got["ends_at"]) == starts + timedelta(hours=4)
    assert f"{day_time(starts, zone)}–22:30" in page and 'id="book-shift"' not in page
    page = c.post("/courier/shift/unbook", follow_redirects=True).text
    assert "Réservation annulée" in page and 'id="book-shift"' in page
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["booking"] is None


def test_a_bad_booking_form_says_what_is_wrong_and_books_nothing(world: World) -> None:
    c = courier_browser(world)
    for form, words in (({"day": "1", "start": "25:00", "hours": "4"}, "heure de début"),
                        ({"day": "9", "start": "18:00", "hours": "4"}, "heure de début"),
                        ({"day": "1", "start": "18:00", "hours": ""}, "Choisissez la durée"),
                        ({"day": "0", "start": "00:00", "hours": "2"}, "déjà passée")):
        page = c.post("/courier/shift/book", data=form, follow_redirects=True).text
        assert words in page, (form, words)
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["booking"] is None


def test_a_booking_whose_shift_is_over_is_not_shown_and_the_courier_can_book_again(world: World) -> None:
    clock, zone = world.app.ctx.clock, world.app.ctx.city_zone
    c = courier_browser(world)
    start = (clock.now() + timedelta(hours=1)).astimezone(zone)
    c.post("/courier/shift/book", data={"day": "0", "start": f"{start:%H:%M}", "hours": "0.5"})
    assert 'id="booking"' in c.get("/courier").text
    clock.advance(hours=3)  # the booked shift came and went without the courier
    page = c.get("/courier").text
    assert 'id="booking"' not in page and 'id="book-shift"' in page
    page = c.post("/courier/shift/book", data={"day": "1", "start": "09:00", "hours": "2"}, follow_redirects=True).text
    assert "Service réservé" in page


def test_a_courier_on_shift_with_a_planned_end_books_the_next_one_after_it(world: World) -> None:
    c = courier_browser(world)
    c.post("/courier/shift/start")
    assert 'id="book-shift"' not in c.get("/courier").text  # no end planned: nothing to book after
    c.post("/courier/shift/plan", data={"hours": "2"})
    assert 'id="book-shift"' in c.get("/courier").text
    now = world.app.ctx.clock.now().astimezone(world.app.ctx.city_zone)
    during = now + timedelta(hours=1)
    page = c.post("/courier/shift/book", data={"day": "0" if during.date() == now.date() else "1",
                                               "start": f"{during:%H:%M}", "hours": "2"}, follow_redirects=True).text
    assert "après la fin prévue du service en cours" in page
    page = c.post("/courier/shift/book", data={"day": "1", "start": "09:00", "hours": "3"}, follow_redirects=True).text
    assert "Service réservé" in page and "Finir mon service" in page
    assert world.call("admin", "GET", f"/api/couriers/{world.courier_id}").json()["booking"] is not None
