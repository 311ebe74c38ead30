"""Choosing a geocoder from settings values."""

from __future__ import annotations

import pytest

from allo.adapters.geo.addok import AddokGeocoder
from allo.adapters.geo.factory import make_geocoder
from allo.adapters.geo.nominatim import NominatimGeocoder


def test_remote_providers_need_a_url() -> None:
    assert isinstance(make_geocoder("addok", url="http://127.0.0.1:7878"), AddokGeocoder)
    assert isinstance(make_geocoder("nominatim", url="http://127.0.0.1:8080"), NominatimGeocoder)
    with pytest.raises(ValueError, match="base URL"):
        make_geocoder("addok")
    with pytest.raises(ValueError, match="unknown"):
        make_geocoder("google", url="http://127.0.0.1:1")  # type: ignore[arg-type]
