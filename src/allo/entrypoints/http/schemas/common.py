"""Schemas shared by several resources."""

from __future__ import annotations

from pydantic import BaseModel, Field

from allo.domain.geo import LatLon
from allo.domain.money import Money


class Position(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    def to_domain(self) -> LatLon:
        return LatLon(self.lat, self.lon)

    @classmethod
    def of(cls, p: LatLon | None) -> "Position | None":
        return cls(lat=p.lat, lon=p.lon) if p else None


class Amount(BaseModel):
    cents: int
    currency: str
    display: str

    @classmethod
    def of(cls, m: Money) -> "Amount":
        return cls(cents=m.cents, currency=m.currency, display=str(m))


class Error(BaseModel):
    code: str
    message: str


ERRORS = {401: {"model": Error}, 403: {"model": Error}, 404: {"model": Error},
          409: {"model": Error}, 422: {"model": Error}}
