"""What every use case needs: a unit-of-work factory, a clock, an id factory, a few settings."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.clock import Clock
from allo.services.rides import CityRides
from allo.settings import DEFAULT_CITY_TIMEZONE


def uuid_ids() -> str:
    return str(uuid.uuid4())


def random_token() -> str:
    """An unguessable URL-safe token (128 bits)."""
    return secrets.token_urlsafe(16)


def random_pin() -> str:
    """A four-digit handover PIN from the system's secure random source."""
    from allo.domain.handover import draw_pin

    return draw_pin(secrets.randbelow)


@dataclass
class ServiceContext:
    uow: Callable[[], SqlUnitOfWork]
    clock: Clock
    new_id: Callable[[], str] = field(default=uuid_ids)
    new_token: Callable[[], str] = field(default=random_token)
    new_pin: Callable[[], str] = field(default=random_pin)
    token_ttl: timedelta = timedelta(hours=12)
    offer_ttl: timedelta = timedelta(seconds=90)
    #: A courier who lets this many offers in a row expire is taken off shift (0: never).
    missed_offers_limit: int = 2
    default_country_code: str = "33"
    #: How long customer and courier may still write to each other after the delivery ends.
    relay_close_after: timedelta = timedelta(minutes=10)
    #: The city's time zone (ALLO_CITY_TIMEZONE): clock times shown to people there, the console's "today".
    city_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_CITY_TIMEZONE))
    #: Ride times on the dispatcher's travel model (ALLO_TRAVEL_MODEL), for every estimate told.
    rides: CityRides = field(default_factory=CityRides)
    #: argon2id with the library's defaults; tests pass a cheaper one.
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)
