"""Customers: phone and name encrypted, phone found by keyed hash."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import customers
from allo.domain.customer import Customer, Language
from allo.domain.errors import Conflict, NotFound

PHONE_CTX = "customers.phone"
NAME_CTX = "customers.name"


class SqlCustomerRepository(SqlRepository):
    kind = "customer"

    def add(self, c: Customer) -> None:
        if c.phone and self.find_by_phone(c.phone) is not None:
            raise Conflict("a customer with this phone number already exists", code="customer_exists")
        self.conn.execute(insert(customers).values(id=c.id, version=1, created_at=c.created_at, **self._row(c)))
        c.version = 1
        self.tracker.track(self.kind, c)

    def get(self, customer_id: str) -> Customer:
        row = self.conn.execute(select(customers).where(customers.c.id == customer_id)).mappings().first()
        if row is None:
            raise NotFound(f"no customer {customer_id}", code="customer_not_found")
        return self._from_row(row)

    def find_by_phone(self, e164: str) -> Customer | None:
        h = self.cipher.lookup_hash(e164)
        row = self.conn.execute(select(customers).where(customers.c.phone_hash == h)).mappings().first()
        return self._from_row(row) if row else None

    def list(self, *, limit: int = 100, offset: int = 0) -> list[Customer]:
        q = select(customers).order_by(customers.c.created_at.desc(), customers.c.id).limit(limit).offset(offset)
        return [self._from_row(r) for r in self.conn.execute(q).mappings()]

    def save(self, c: Customer) -> None:
        c.version = self._update_versioned(customers, c.id, c.version, self._row(c))
        self.tracker.track(self.kind, c)

    def _row(self, c: Customer) -> dict[str, Any]:
        return {
            "phone_hash": self.cipher.lookup_hash(c.phone) if c.phone else None,
            "phone_enc": self.cipher.encrypt(c.phone, PHONE_CTX) if c.phone else None,
            "name_enc": self.cipher.encrypt(c.name, NAME_CTX),
            "language": c.language.value, "marketing_consent": c.marketing_consent,
            "opted_out": c.opted_out, "erased_at": c.erased_at,
        }

    def _from_row(self, r: Any) -> Customer:
        c = Customer(
            id=r["id"], phone=self.cipher.decrypt(r["phone_enc"], PHONE_CTX) or "",
            name=self.cipher.decrypt(r["name_enc"], NAME_CTX), language=Language(r["language"]),
            marketing_consent=r["marketing_consent"], opted_out=r["opted_out"],
            created_at=r["created_at"], erased_at=r["erased_at"], version=r["version"],
        )
        self.tracker.track(self.kind, c)
        return c
