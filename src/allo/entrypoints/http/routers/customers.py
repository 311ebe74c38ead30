"""Customers: masked by default; the clear contact only through an audited reveal."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.people import CustomerCreate, CustomerRead, CustomerRevealed, RevealRequest
from allo.entrypoints.http.security import STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import customers as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/customers", tags=["customers"], responses=ERRORS)


@router.post("", response_model=CustomerRead, status_code=201, summary="Register a customer",
             **roles(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT))
def create(body: CustomerCreate, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> CustomerRead:
    return CustomerRead.of(svc.create_customer(ctx, principal=principal, phone=body.phone, name=body.name,
                                               language=body.language, marketing_consent=body.marketing_consent))


@router.get("", response_model=list[CustomerRead], summary="List customers (masked)", **roles(*STAFF_ROLES))
def list_(limit: int = Query(default=100, ge=1, le=500), offset: int = Query(default=0, ge=0),
          ctx: ServiceContext = Depends(get_ctx),
          principal: Principal = Depends(current_principal)) -> list[CustomerRead]:
    return [CustomerRead.of(c) for c in svc.list_customers(ctx, principal=principal, limit=limit, offset=offset)]


@router.get("/{customer_id}", response_model=CustomerRead, summary="Get a customer (masked)",
            **roles(*STAFF_ROLES))
def get(customer_id: str, ctx: ServiceContext = Depends(get_ctx),
        principal: Principal = Depends(current_principal)) -> CustomerRead:
    return CustomerRead.of(svc.get_customer(ctx, principal=principal, customer_id=customer_id))


@router.post("/{customer_id}/reveal", response_model=CustomerRevealed,
             summary="The clear contact, for a stated reason; written to the audit log", **roles(*STAFF_ROLES))
def reveal(customer_id: str, body: RevealRequest, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> CustomerRevealed:
    c = svc.reveal_customer(ctx, principal=principal, customer_id=customer_id, reason=body.reason)
    return CustomerRevealed(id=c.id, phone=c.phone, name=c.name)


@router.post("/{customer_id}/erase", response_model=CustomerRead, summary="Erase a customer's personal data",
             **roles(*STAFF_ROLES))
def erase(customer_id: str, ctx: ServiceContext = Depends(get_ctx),
          principal: Principal = Depends(current_principal)) -> CustomerRead:
    return CustomerRead.of(svc.erase_customer(ctx, principal=principal, customer_id=customer_id))
