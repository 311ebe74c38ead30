"""A shop's week as the console's catalog page says it."""

from __future__ import annotations

from allo.entrypoints.http.pages.console_catalog import hours_text

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def test_days_with_the_same_hours_are_grouped_and_days_without_are_closed() -> None:
    week = {d: [["08:30", "12:30"], ["14:00", "19:30"]] for d in WEEKDAYS[:5]} | {"sat": [["09:00", "12:30"]]}
    assert hours_text(week) == "lun–ven 08:30–12:30, 14:00–19:30 · sam 09:00–12:30"
    assert hours_text({"mon": [["11:30", "14:30"]], "wed": [["11:30", "14:30"]]}) == "lun 11:30–14:30 · mer 11:30–14:30"
    assert hours_text({d: [["00:00", "23:59"]] for d in WEEKDAYS}) == "tous les jours, jour et nuit"
    assert hours_text({}) == "fermée"
