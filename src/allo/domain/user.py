"""People who log in: admins, dispatchers, merchants (their shop) and couriers (themselves)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from allo.domain.errors import ValidationFailed

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class Role(StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    MERCHANT = "merchant"
    COURIER = "courier"


STAFF = frozenset({Role.ADMIN, Role.DISPATCHER})


@dataclass(slots=True)
class User:
    id: str
    username: str
    password_hash: str
    role: Role
    merchant_id: str | None = None
    courier_id: str | None = None
    active: bool = True
    created_at: datetime | None = None
    version: int = 0

    def __post_init__(self) -> None:
        if not _USERNAME.match(self.username):
            raise ValidationFailed(
                "username: 2-63 characters, lower-case letters, digits, '.', '_' or '-'", code="invalid_username"
            )
        if self.role is Role.MERCHANT and not self.merchant_id:
            raise ValidationFailed("a merchant user must belong to a merchant", code="merchant_required")
        if self.role is Role.COURIER and not self.courier_id:
            raise ValidationFailed("a courier user must be linked to a courier", code="courier_required")
