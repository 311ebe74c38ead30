"""Build a geocoder from plain settings values (one place for bootstrap to call)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from allo.services.ports.geocoder import Geocoder

Provider = Literal["embedded", "addok", "nominatim"]


def make_geocoder(
    provider: Provider = "embedded",
    *,
    url: str | None = None,
    ban_csv: str | Path | None = None,
    timeout_s: float = 5.0,
) -> Geocoder:
    """"embedded": the Monaco gazetteer, or one built from `ban_csv`; "addok"/"nominatim": `url`."""
    if provider == "embedded":
        from allo.adapters.geo.loaders import gazetteer_from_ban_csv, load_monaco_gazetteer

        return gazetteer_from_ban_csv(ban_csv) if ban_csv else load_monaco_gazetteer()
    if not url:
        raise ValueError(f"the {provider} geocoder needs a base URL")
    if provider == "addok":
        from allo.adapters.geo.addok import AddokGeocoder

        return AddokGeocoder(url, timeout_s=timeout_s)
    if provider == "nominatim":
        from allo.adapters.geo.nominatim import NominatimGeocoder

        return NominatimGeocoder(url, timeout_s=timeout_s)
    raise ValueError(f"unknown geocoder provider {provider!r}")
