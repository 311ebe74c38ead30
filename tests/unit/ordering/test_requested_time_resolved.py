"""A requested time, as said in a message, resolved to a moment in the shop's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from allo.ordering.draft import RequestedTime
from allo.ordering.when import resolve

MONACO = ZoneInfo("Europe/Monaco")
NOON_UTC = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)  # 13:00 in Monaco (winter)


def local(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MONACO)


@pytest.mark.parametrize(("said", "expected"), [
    (RequestedTime(hour=20), local(1, 20)),  # "pour 20h": tonight, Monaco time, not 20:00 UTC
    (RequestedTime(hour=12, minute=45), local(1, 12, 45)),  # a quarter of an hour ago: still today
    (RequestedTime(hour=12), local(2, 12)),  # an hour ago: tomorrow noon
    (RequestedTime(hour=12, day="tomorrow"), local(2, 12)),  # "demain midi"
    (RequestedTime(hour=20, day="today"), local(1, 20)),  # "ce soir 20h"
    (RequestedTime(in_minutes=45, relation="in"), NOON_UTC + timedelta(minutes=45)),  # "dans 45 min"
])
def test_a_requested_time_is_the_moment_the_customer_meant(said: RequestedTime, expected: datetime) -> None:
    assert resolve(said, NOON_UTC, MONACO) == expected


@pytest.mark.parametrize("said", [None, RequestedTime(asap=True), RequestedTime(relation="day", day="today")])
def test_as_soon_as_possible_or_a_day_without_an_hour_is_no_time(said: RequestedTime | None) -> None:
    assert resolve(said, NOON_UTC, MONACO) is None


def test_tomorrow_evening_keeps_its_wall_clock_time_across_the_change_to_summer_time() -> None:
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # the clocks go forward that night
    at = resolve(RequestedTime(hour=20, day="tomorrow"), saturday, MONACO)
    assert at == local(29, 20, month=3) and at.astimezone(UTC).hour == 18  # UTC+2 from Sunday


@pytest.mark.parametrize(("said", "soonest", "kept"), [
    (RequestedTime(hour=20), local(1, 20, 5), True),  # "pour 20h", at the door by 20:05: as asked
    (RequestedTime(hour=20), local(1, 20, 6), False),
    (RequestedTime(hour=20, relation="around"), local(1, 20, 5), True),  # "vers 20h"
    (RequestedTime(hour=20, relation="before"), local(1, 20, 0), True),  # "avant 20h": 20:00 at the latest
    (RequestedTime(hour=20, relation="before"), local(1, 20, 1), False),
    (RequestedTime(hour=20, relation="after"), local(1, 22, 0), True),  # "après 20h": any time after
    (RequestedTime(in_minutes=20, relation="in"), local(1, 13, 40), False),  # "dans 20 min", soonest in 40
])
def test_a_time_asked_for_is_kept_only_by_an_arrival_the_customer_would_call_on_time(
        said: RequestedTime, soonest: datetime, kept: bool) -> None:
    from allo.ordering.when import can_keep

    wanted = resolve(said, NOON_UTC, MONACO)
    assert wanted is not None
    assert can_keep(said, wanted, soonest) is kept
