"""Who is acting, and the scoping rules every use case applies."""

from __future__ import annotations

from dataclasses import dataclass

from allo.domain.errors import Forbidden
from allo.domain.user import STAFF, Role, User


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    role: Role
    merchant_id: str | None = None
    courier_id: str | None = None

    @classmethod
    def of(cls, user: User) -> "Principal":
        return cls(user.id, user.username, user.role, user.merchant_id, user.courier_id)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"{self.role.value} may not do this")

    def require_merchant(self, merchant_id: str) -> None:
        """Staff may act on any shop; a merchant only on its own."""
        if self.is_staff:
            return
        if self.role is Role.MERCHANT and self.merchant_id == merchant_id:
            return
        raise Forbidden("this belongs to another shop")

    def require_courier(self, courier_id: str) -> None:
        """Staff may act for any courier; a courier only for itself."""
        if self.is_staff:
            return
        if self.role is Role.COURIER and self.courier_id == courier_id:
            return
        raise Forbidden("this belongs to another courier")


SYSTEM = Principal(user_id="system", username="system", role=Role.ADMIN)
