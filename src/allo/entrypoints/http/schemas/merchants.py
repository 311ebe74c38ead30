"""Merchant and catalog schemas (API side; the domain classes are separate)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pydantic import BaseModel, Field

from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
from allo.domain.geo import Polygon
from allo.domain.merchant import Merchant, OpeningHours
from allo.domain.money import Money
from allo.entrypoints.http.schemas.common import Position


class MerchantCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=500)
    pickup: Position
    delivery_zone: list[Position] = Field(min_length=3)
    opening_hours: dict[str, list[tuple[str, str]]] | None = None
    timezone: str = Field(default="Europe/Monaco", max_length=64)
    prep_minutes: int = Field(default=10, ge=0, le=240)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")

    def zone(self) -> Polygon:
        return Polygon(tuple(p.to_domain() for p in self.delivery_zone))

    def hours(self) -> OpeningHours:
        """The opening hours in the shop's time zone (open all week when none are given)."""
        if self.opening_hours is None:
            return replace(OpeningHours.always(), timezone=self.timezone)
        return OpeningHours.from_dict({d: [list(iv) for iv in ivs] for d, ivs in self.opening_hours.items()},
                                      self.timezone)


class MerchantUpdate(BaseModel):
    version: int | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = None
    prep_minutes: int | None = Field(default=None, ge=0, le=240)
    active: bool | None = None
    opening_hours: dict[str, list[tuple[str, str]]] | None = None
    timezone: str | None = Field(default=None, max_length=64)

    @property
    def changes_hours(self) -> bool:
        return self.opening_hours is not None or self.timezone is not None

    def hours(self, current: OpeningHours) -> OpeningHours:
        """The new opening hours: the week given, in the time zone given; either kept when absent."""
        week = current.to_dict() if self.opening_hours is None else {
            d: [list(iv) for iv in ivs] for d, ivs in self.opening_hours.items()}
        return OpeningHours.from_dict(week, self.timezone or current.timezone)


class MerchantRead(BaseModel):
    id: str
    name: str
    address: str
    pickup: Position
    delivery_zone: list[Position]
    opening_hours: dict[str, list[list[str]]]
    timezone: str
    prep_minutes: int
    currency: str
    active: bool
    paused_until: datetime | None = None
    version: int

    @classmethod
    def of(cls, m: Merchant) -> "MerchantRead":
        return cls(id=m.id, name=m.name, address=m.address, pickup=Position(lat=m.pickup.lat, lon=m.pickup.lon),
                   delivery_zone=[Position(lat=v.lat, lon=v.lon) for v in m.delivery_zone.vertices],
                   opening_hours=m.opening_hours.to_dict(), timezone=m.opening_hours.timezone,
                   prep_minutes=m.prep_minutes, currency=m.currency, active=m.active,
                   paused_until=m.paused_until, version=m.version)


class ChoiceSchema(BaseModel):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    price_delta_cents: int = 0


class OptionGroupSchema(BaseModel):
    group: str = Field(min_length=1)
    min: int = Field(default=0, ge=0)
    max: int = Field(default=1, ge=1)
    choices: list[ChoiceSchema] = Field(min_length=1)


class ItemSchema(BaseModel):
    sku: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = []
    price_cents: int = Field(ge=0)
    options: list[OptionGroupSchema] = []
    available: bool = True

    @classmethod
    def of(cls, i: CatalogItem) -> "ItemSchema":
        return cls(sku=i.sku, name=i.name, aliases=list(i.aliases), price_cents=i.price.cents, available=i.available,
                   options=[OptionGroupSchema(group=g.group, min=g.min, max=g.max, choices=[
                       ChoiceSchema(name=ch.name, aliases=list(ch.aliases), price_delta_cents=ch.price_delta.cents)
                       for ch in g.choices]) for g in i.options])


class OrdersPause(BaseModel):
    """How long new orders by message stop (the chat says when they resume); the bounds are the
    service's (`merchants.PAUSE_MINUTES`, 422 `invalid_pause`)."""

    minutes: int


class ItemAvailability(BaseModel):
    """`false`: sold out (the chat says so and offers others of its kind); `true`: back in stock."""

    available: bool


class CatalogSchema(BaseModel):
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    items: list[ItemSchema]

    def to_domain(self, merchant_name: str) -> Catalog:
        cur = self.currency
        return Catalog(merchant_name, cur, tuple(
            CatalogItem(i.sku, i.name, Money(i.price_cents, cur), tuple(i.aliases), tuple(
                OptionGroup(g.group, tuple(OptionChoice(c.name, tuple(c.aliases), Money(c.price_delta_cents, cur))
                                           for c in g.choices), g.min, g.max)
                for g in i.options), i.available)
            for i in self.items))

    @classmethod
    def of(cls, c: Catalog) -> "CatalogSchema":
        return cls(currency=c.currency, items=[ItemSchema.of(i) for i in c.items])
