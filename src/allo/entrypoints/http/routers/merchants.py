"""Merchants and their catalogs."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.merchants import (
    CatalogSchema, ItemAvailability, ItemSchema, MerchantCreate, MerchantRead, MerchantUpdate, OrdersPause,
)
from allo.entrypoints.http.security import ALL_ROLES, current_principal, get_ctx, roles
from allo.services import merchants as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/merchants", tags=["merchants"], responses=ERRORS)
SHOP_ROLES = (Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)


@router.post("", response_model=MerchantRead, status_code=201, summary="Create a merchant", **roles(Role.ADMIN))
def create_merchant(body: MerchantCreate, ctx: ServiceContext = Depends(get_ctx),
                    principal: Principal = Depends(current_principal)) -> MerchantRead:
    m = svc.create_merchant(ctx, principal=principal, name=body.name, address=body.address,
                            pickup=body.pickup.to_domain(), delivery_zone=body.zone(), opening_hours=body.hours(),
                            prep_minutes=body.prep_minutes, currency=body.currency)
    return MerchantRead.of(m)


@router.get("", response_model=list[MerchantRead], summary="List merchants (a merchant sees its own)",
            **roles(*SHOP_ROLES))
def list_merchants(ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> list[MerchantRead]:
    return [MerchantRead.of(m) for m in svc.list_merchants(ctx, principal=principal)]


@router.get("/{merchant_id}", response_model=MerchantRead, summary="Get a merchant", **roles(*ALL_ROLES))
def get_merchant(merchant_id: str, ctx: ServiceContext = Depends(get_ctx),
                 principal: Principal = Depends(current_principal)) -> MerchantRead:
    return MerchantRead.of(svc.get_merchant(ctx, principal=principal, merchant_id=merchant_id))


@router.patch("/{merchant_id}", response_model=MerchantRead, summary="Update a merchant",
              **roles(Role.ADMIN, Role.MERCHANT))
def update_merchant(merchant_id: str, body: MerchantUpdate, ctx: ServiceContext = Depends(get_ctx),
                    principal: Principal = Depends(current_principal)) -> MerchantRead:
    hours = None  # the shop is read for its hours only when they change
    if body.changes_hours:
        hours = body.hours(svc.get_merchant(ctx, principal=principal, merchant_id=merchant_id).opening_hours)
    m = svc.update_merchant(ctx, principal=principal, merchant_id=merchant_id, expected_version=body.version,
                            name=body.name, address=body.address, prep_minutes=body.prep_minutes,
                            active=body.active, opening_hours=hours)
    return MerchantRead.of(m)


@router.get("/{merchant_id}/catalog", response_model=CatalogSchema, summary="A merchant's catalog",
            **roles(*ALL_ROLES))
def get_catalog(merchant_id: str, ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> CatalogSchema:
    if principal.role is Role.MERCHANT:
        principal.require_merchant(merchant_id)
    return CatalogSchema.of(svc.get_catalog(ctx, merchant_id=merchant_id))


@router.put("/{merchant_id}/catalog", response_model=CatalogSchema, summary="Replace a merchant's catalog",
            **roles(Role.ADMIN, Role.MERCHANT))
def put_catalog(merchant_id: str, body: CatalogSchema, ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> CatalogSchema:
    m = svc.get_merchant(ctx, principal=principal, merchant_id=merchant_id)
    catalog = svc.replace_catalog(ctx, principal=principal, merchant_id=merchant_id,
                                  catalog=body.to_domain(m.name))
    return CatalogSchema.of(catalog)


@router.patch("/{merchant_id}/catalog/items/{sku}", response_model=ItemSchema,
              summary="Mark one item sold out or back in stock", **roles(*SHOP_ROLES))
def set_item_available(merchant_id: str, sku: str, body: ItemAvailability, ctx: ServiceContext = Depends(get_ctx),
                       principal: Principal = Depends(current_principal)) -> ItemSchema:
    return ItemSchema.of(svc.set_item_available(ctx, principal=principal, merchant_id=merchant_id, sku=sku,
                                                available=body.available))


@router.put("/{merchant_id}/pause", response_model=MerchantRead,
            summary="Pause new orders by message for some minutes", **roles(*SHOP_ROLES))
def pause_orders(merchant_id: str, body: OrdersPause, ctx: ServiceContext = Depends(get_ctx),
                 principal: Principal = Depends(current_principal)) -> MerchantRead:
    return MerchantRead.of(svc.pause_orders(ctx, principal=principal, merchant_id=merchant_id, minutes=body.minutes))


@router.delete("/{merchant_id}/pause", response_model=MerchantRead, summary="Take new orders by message again",
               **roles(*SHOP_ROLES))
def resume_orders(merchant_id: str, ctx: ServiceContext = Depends(get_ctx),
                  principal: Principal = Depends(current_principal)) -> MerchantRead:
    return MerchantRead.of(svc.pause_orders(ctx, principal=principal, merchant_id=merchant_id, minutes=None))
