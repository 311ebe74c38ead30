"""Customers: creation, masked views, audited reveal, erasure."""

from __future__ import annotations

from allo.adapters.storage.repositories.journal import AuditEntry
from allo.domain.customer import Customer, Language
from allo.domain.personal import normalize_phone
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.principal import Principal


def find_or_create_customer(ctx: ServiceContext, uow: object, *, phone: str, name: str | None = None,
                            language: Language = Language.FR) -> Customer:
    """Inside an open unit of work: the customer with this phone, created if new."""
    e164 = normalize_phone(phone, ctx.default_country_code)
    existing = uow.customers.find_by_phone(e164)  # type: ignore[attr-defined]
    if existing is not None:
        return existing
    c = Customer(ctx.new_id(), e164, name, language, created_at=ctx.clock.now())
    uow.customers.add(c)  # type: ignore[attr-defined]
    return c


def create_customer(ctx: ServiceContext, *, principal: Principal, phone: str, name: str | None = None,
                    language: Language = Language.FR, marketing_consent: bool = False) -> Customer:
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    e164 = normalize_phone(phone, ctx.default_country_code)
    c = Customer(ctx.new_id(), e164, name, language, marketing_consent, created_at=ctx.clock.now())
    with ctx.uow() as uow:
        uow.customers.add(c)
        uow.commit()
    return c


def get_customer(ctx: ServiceContext, *, principal: Principal, customer_id: str) -> Customer:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        return uow.customers.get(customer_id)


def list_customers(ctx: ServiceContext, *, principal: Principal, limit: int = 100, offset: int = 0) -> list[Customer]:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        return uow.customers.list(limit=limit, offset=offset)


def reveal_customer(ctx: ServiceContext, *, principal: Principal, customer_id: str, reason: str) -> Customer:
    """The clear phone number and name, for a person who needs them; the read is audited."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        c = uow.customers.get(customer_id)
        uow.journal.audit(AuditEntry(ctx.clock.now(), principal.user_id, "reveal_contact", "customer",
                                     customer_id, reason[:500] or None))
        uow.commit()
    return c


def erase_customer(ctx: ServiceContext, *, principal: Principal, customer_id: str) -> Customer:
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with ctx.uow() as uow:
        c = uow.customers.get(customer_id)
        c.erase(ctx.clock.now())
        uow.customers.save(c)
        uow.journal.audit(AuditEntry(ctx.clock.now(), principal.user_id, "erase", "customer", customer_id, None))
        uow.commit()
    return c
