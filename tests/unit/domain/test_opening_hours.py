"""A shop's weekly hours: when it is open, and when it next opens."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allo.domain.merchant import Merchant, OpeningHours

MONACO = ZoneInfo("Europe/Monaco")
WEEKDAYS_LUNCH_AND_DINNER = OpeningHours({d: ((time(11, 30), time(14, 30)), (time(18, 30), time(23, 0)))
                                          for d in ("mon", "tue", "wed", "thu", "fri")})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Monaco time, `day` days after Monday 30 November 2026."""
    return datetime(2026, 11, 30, hour, minute, tzinfo=MONACO) + timedelta(days=day)


def test_open_within_an_interval_closed_between_and_on_days_without_hours() -> None:
    h = WEEKDAYS_LUNCH_AND_DINNER
    assert h.is_open(at(0, 12)) and h.is_open(at(0, 11, 30)) and h.is_open(at(0, 22, 59))
    assert not h.is_open(at(0, 14, 30)) and not h.is_open(at(0, 16)) and not h.is_open(at(0, 23))
    assert not h.is_open(at(5, 12))  # Saturday 5 December: no hours
    assert h.is_open(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))  # 11:00 UTC is 12:00 in Monaco


def test_the_next_opening_is_later_today_tomorrow_or_after_the_weekend() -> None:
    h = WEEKDAYS_LUNCH_AND_DINNER
    assert h.next_opening(at(0, 12)) == at(0, 12)  # open: now
    assert h.next_opening(at(0, 16)) == at(0, 18, 30)
    assert h.next_opening(at(0, 23, 30)) == at(1, 11, 30)  # Tuesday 1 December
    assert h.next_opening(at(4, 23, 30)) == at(7, 11, 30)  # Friday night: Monday 7 December
    utc = at(0, 16).astimezone(UTC)
    assert h.next_opening(utc) == at(0, 18, 30) and h.next_opening(utc).tzinfo == UTC  # type: ignore[union-attr]
    assert OpeningHours({}).next_opening(at(0, 12)) is None  # never open


def test_a_night_interval_runs_past_midnight_into_the_next_day_and_until_2359_means_midnight() -> None:
    late = OpeningHours({"fri": ((time(18, 0), time(2, 0)),)})
    assert late.is_open(at(4, 23)) and late.is_open(at(5, 1, 30))  # Friday night, then Saturday 01:30
    assert not late.is_open(at(4, 1, 30)) and not late.is_open(at(5, 2))  # not Friday 01:30 (Thursday's night)
    always = OpeningHours.always()
    assert always.is_open(datetime(2026, 12, 1, 23, 59, 59, 900_000, tzinfo=MONACO))


def test_a_kitchen_starts_an_order_at_once_when_open_else_at_the_next_opening() -> None:
    from allo.domain.geo import LatLon, Polygon

    here = LatLon(43.7384, 7.4246)
    shop = Merchant("m1", "Pizzeria du Port", here, "1 quai", Polygon.circle(here, 3000),
                    opening_hours=WEEKDAYS_LUNCH_AND_DINNER)
    assert shop.kitchen_start(at(0, 12)) == at(0, 12)
    assert shop.kitchen_start(at(0, 15)) == at(0, 18, 30)  # taken between lunch and dinner
    assert shop.kitchen_start(at(5, 12)) == at(7, 11, 30)  # Saturday: Monday's lunch
    never = Merchant("m2", "Fermé", here, "2 quai", Polygon.circle(here, 3000), opening_hours=OpeningHours({}))
    assert never.kitchen_start(at(0, 12)) == at(0, 12)  # no hours at all: as it comes


def test_when_an_open_shop_closes() -> None:
    h = WEEKDAYS_LUNCH_AND_DINNER
    assert h.closes_at(at(0, 12)) == at(0, 14, 30) and h.closes_at(at(0, 19)) == at(0, 23)
    assert h.closes_at(at(0, 16)) is None  # closed now
    late = OpeningHours({"fri": ((time(18, 0), time(2, 0)),), "sat": ((time(18, 0), time(23, 59)),)})
    assert late.closes_at(at(4, 23)) == at(5, 2)  # Friday night runs past midnight
    assert late.closes_at(at(5, 1)) == at(5, 2)
    assert late.closes_at(at(5, 20)) == at(6, 0)  # "until 23:59" is midnight
    split = OpeningHours({"mon": ((time(8, 0), time(12, 0)), (time(12, 0), time(20, 0)))})
    assert split.closes_at(at(0, 9)) == at(0, 20)  # intervals that touch are one opening
    assert OpeningHours.always().closes_at(at(0, 9)) is None  # never closes


def test_a_paused_or_deactivated_shop_takes_orders_from_the_end_of_the_pause_or_never() -> None:
    from dataclasses import replace

    from allo.domain.geo import LatLon, Polygon

    here = LatLon(43.7384, 7.4246)
    shop = Merchant("m1", "Pizzeria du Port", here, "1 quai", Polygon.circle(here, 3000),
                    opening_hours=WEEKDAYS_LUNCH_AND_DINNER)
    assert shop.takes_orders_from(at(0, 12)) == at(0, 12) and not shop.paused_at(at(0, 12))
    paused = replace(shop, paused_until=at(0, 12, 45))
    assert paused.paused_at(at(0, 12)) and not paused.paused_at(at(0, 12, 45))
    assert paused.takes_orders_from(at(0, 12)) == at(0, 12, 45)  # the end of the pause
    assert paused.takes_orders_from(at(0, 13)) == at(0, 13)  # an order for later, after it
    late = replace(shop, paused_until=at(0, 14, 40))  # paused past the lunch's end: the dinner
    assert late.takes_orders_from(at(0, 14)) == at(0, 18, 30)
    assert replace(shop, active=False).takes_orders_from(at(0, 12)) is None


def test_a_time_zone_that_is_no_time_zone_is_refused_clearly() -> None:
    import pytest

    from allo.domain.errors import ValidationFailed

    for name in ("Mars/Olympus", "x" * 300, "../etc/passwd"):
        with pytest.raises(ValidationFailed, match="unknown time zone"):
            OpeningHours({}, name)
