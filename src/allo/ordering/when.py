"""A requested delivery time: "asap", "pour 20h", "vers 19h30", "at 8pm", "before noon"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from allo.ordering.draft import RequestedTime

#: A clock time this little in the past still means today (written at 20:05, "pour 20h" is now).
_PAST_GRACE = timedelta(minutes=30)
#: "pour 20h" is kept by an arrival up to this much after 20:00 ("avant 20h" by none after it).
KEPT_WITHIN = timedelta(minutes=5)

_ASAP = re.compile(
    r"\b(?:asap|des que possible|au plus vite|au plus tot|le plus vite possible|tout de suite|"
    r"rapidement|urgent|as soon as possible|right away|right now|quickly|rush order|rush)\b"
)
_REL = r"(?P<rel>pour|a|vers|avant|apres|des|d'ici|for|at|around|about|by|before|after)\s+"
_CLOCK = re.compile(
    r"\b(?:" + _REL + r")?(?P<h>\d{1,2})\s*(?:h(?![a-z])|:(?=\d{2})|heures?\b)\s*(?P<m>\d{2})?(?!\d)"
    r"|\b(?:" + _REL.replace("?P<rel>", "?P<rel2>") + r")?(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?\s*(?P<ap>am|pm)\b"
    r"|\b(?:" + _REL.replace("?P<rel>", "?P<rel3>") + r")(?P<word>midi|minuit|noon|midnight)\b"
)
_DAY = re.compile(
    r"\b(?:(?:pour|for)\s+)?(?P<d>demain|tomorrow|ce soir|ce midi|ce matin|aujourd'?hui|tonight|today|this evening|"
    r"this afternoon)(?:\s+(?:matin|midi|soir|morning|evening|night|apres midi))?\b"
)
_IN = re.compile(r"\b(?:dans|in)\s+(?P<n>\d{1,3})\s*(?:min|mins|minutes?|mn)\b")
_RELATIONS = {
    "pour": "at", "a": "at", "for": "at", "at": "at", "des": "at",
    "vers": "around", "around": "around", "about": "around",
    "avant": "before", "by": "before", "before": "before", "d'ici": "before",
    "apres": "after", "after": "after",
}


def extract_time(folded: str, original: str) -> tuple[RequestedTime | None, list[tuple[int, int]]]:
    """The requested time, if any, and the spans of text that expressed it."""
    spans: list[tuple[int, int]] = []
    day_m = _DAY.search(folded)
    day = None
    if day_m:
        day = "tomorrow" if day_m.group("d") in ("demain", "tomorrow") else "today"
        spans.append((day_m.start(), day_m.end()))
    asap = _ASAP.search(folded)
    if asap:
        spans.append((asap.start(), asap.end()))
    m = _CLOCK.search(folded)
    if m:
        rel = m.group("rel") or m.group("rel2") or m.group("rel3")
        if m.group("word"):
            hour, minute = (12 if m.group("word") in ("midi", "noon") else 0), 0
        elif m.group("h2") is not None:
            hour, minute = int(m.group("h2")) % 12, int(m.group("m2") or 0)
            if m.group("ap") == "pm":
                hour += 12
        else:
            hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if hour <= 23 and minute <= 59:
            spans.append((m.start(), m.end()))
            return (
                RequestedTime(
                    asap=False, hour=hour, minute=minute, relation=_RELATIONS.get(rel or "", "at"),
                    text=original[m.start() : m.end()].strip(), day=day,
                ),
                spans,
            )
    m2 = _IN.search(folded)
    if m2:
        spans.append((m2.start(), m2.end()))
        return RequestedTime(in_minutes=int(m2.group("n")), relation="in", text=original[m2.start() : m2.end()]), spans
    if asap:
        return RequestedTime(asap=True, text=original[asap.start() : asap.end()], day=day), spans
    if day_m:
        return RequestedTime(relation="day", day=day, text=original[day_m.start() : day_m.end()]), spans
    return None, spans


def resolve(requested: RequestedTime | None, now: datetime, zone: tzinfo) -> datetime | None:
    """The moment a requested time means, said at `now` in the shop's time zone: "dans 30 min" is
    now + 30 min; "pour 20h" is the next 20:00 there (tomorrow if it passed more than
    `_PAST_GRACE` ago, or if the customer said "demain"). None for "as soon as possible" and for a
    day without an hour ("ce soir"): the order leaves as soon as it can."""
    if requested is None or requested.asap:
        return None
    if requested.in_minutes is not None:
        return now + timedelta(minutes=requested.in_minutes)
    if requested.hour is None:
        return None
    local = now.astimezone(zone)
    at = local.replace(hour=requested.hour, minute=requested.minute, second=0, microsecond=0)
    if requested.day == "tomorrow" or (requested.day is None and at < local - _PAST_GRACE):
        at = at + timedelta(days=1)  # aware arithmetic in one zone: the same wall-clock time the next day
    return at


def can_keep(requested: RequestedTime, wanted: datetime, earliest: datetime) -> bool:
    """Whether an order asked for `wanted` (`requested` resolved) can arrive as asked when it can arrive
    at `earliest` at the soonest: any time "after" it; up to `KEPT_WITHIN` late "at" or "around" it;
    not late at all "before" it."""
    if requested.relation == "after":
        return True
    return earliest <= wanted + (timedelta(0) if requested.relation == "before" else KEPT_WITHIN)
