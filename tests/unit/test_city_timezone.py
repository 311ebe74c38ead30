"""The city's time zone is a setting (ALLO_CITY_TIMEZONE): read from the environment, checked with
an error naming it, and the console's "today" starts at midnight there."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from allo.services.console import start_of_day
from allo.services.context import ServiceContext
from allo.settings import Settings, SettingsError

UTC = timezone.utc


def test_the_city_zone_defaults_to_monaco_and_is_read_from_the_environment() -> None:
    assert Settings().city_zone == ZoneInfo("Europe/Monaco")
    assert ServiceContext(uow=lambda: None, clock=None).city_zone == ZoneInfo("Europe/Monaco")  # type: ignore[arg-type]
    settings = Settings.from_env({"ALLO_CITY_TIMEZONE": "America/New_York"})
    assert settings.city_timezone == "America/New_York" and settings.city_zone == ZoneInfo("America/New_York")


@pytest.mark.parametrize("name", ["Europe/Atlantis", "", "../../etc/passwd", "not a zone"])
def test_an_unknown_zone_is_an_error_naming_the_setting(name: str) -> None:
    with pytest.raises(SettingsError, match="ALLO_CITY_TIMEZONE") as raised:
        Settings(city_timezone=name).city_zone
    assert repr(name) in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_start_of_day_is_midnight_in_the_given_zone() -> None:
    now = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)  # 04:00 on 2 January in Monaco, 22:00 on 1 January in New York
    assert start_of_day(now, ZoneInfo("Europe/Monaco")) == datetime(2026, 1, 1, 23, 0, tzinfo=UTC)
    assert start_of_day(now, ZoneInfo("America/New_York")) == datetime(2026, 1, 1, 5, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert start_of_day(summer, ZoneInfo("America/New_York")) == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
    assert start_of_day(now, ZoneInfo("America/New_York")).tzinfo is UTC  # in `now`'s own zone
