"""Split a free-text address into number, street, postcode and city (structured parts win)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from allo.services.ports.geocoder import GeocodeQuery

# "14", "14bis", "14 bis", "35T", "7-9", "n° 3", "5 b rue…" (a spaced single letter only when it
# cannot be a street abbreviation such as "r" for "rue").
_LEAD_NUMBER = re.compile(
    r"^\s*(?:n[°o]\.?\s*)?(\d{1,5}(?:\s*-\s*\d{1,5})?)"
    r"(?:\s*(bis|ter|quater)\b|([a-z])\b|\s+([abcdt])(?=\s))?\s*,?\s+",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(?:\b(?:MC|F)\s*-?\s*)?\b(\d{5})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AddressParts:
    number: str | None
    street: str
    postcode: str | None
    city: str | None


def split_address(query: GeocodeQuery) -> AddressParts:
    """Parse `query.text` for whatever the structured fields do not already give."""
    text = " ".join(query.text.split())
    number = postcode = city = None
    if text:
        m = _LEAD_NUMBER.match(text)
        if m:
            number = m.group(1).split("-")[0].strip() + (m.group(2) or m.group(3) or m.group(4) or "")
            text = text[m.end():]
        pm = None
        for cand in _POSTCODE.finditer(text):
            pm = cand
        if pm is not None:
            before, after = text[: pm.start()].rstrip(" ,"), text[pm.end():].strip(" ,")
            postcode = pm.group(1)
            if after:
                city = after.split(",")[0].strip() or None
                text = before
            elif "," in before:
                text, city = (part.strip() for part in before.rsplit(",", 1))
            else:
                text = before
        elif "," in text:
            head, tail = text.split(",", 1)
            text, city = head.strip(), tail.split(",")[0].strip() or None
    return AddressParts(
        number=query.number or number,
        street=(query.street or text).strip(" ,"),
        postcode=query.postcode or postcode,
        city=query.city or city,
    )
