"""User accounts (admin only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.people import UserCreate, UserRead, UserUpdate
from allo.entrypoints.http.security import current_principal, get_ctx, roles
from allo.services import accounts
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/users", tags=["users"], responses=ERRORS)


@router.post("", response_model=UserRead, status_code=201, summary="Create a user", **roles(Role.ADMIN))
def create_user(body: UserCreate, ctx: ServiceContext = Depends(get_ctx)) -> UserRead:
    user = accounts.create_user(ctx, username=body.username, password=body.password, role=body.role,
                                merchant_id=body.merchant_id, courier_id=body.courier_id)
    return UserRead.of(user)


@router.get("", response_model=list[UserRead], summary="List users", **roles(Role.ADMIN))
def list_users(ctx: ServiceContext = Depends(get_ctx)) -> list[UserRead]:
    return [UserRead.of(u) for u in accounts.list_users(ctx)]


@router.patch("/{user_id}", response_model=UserRead, summary="Lock a login out, let it in again, or reset its password",
              **roles(Role.ADMIN))
def update_user(user_id: str, body: UserUpdate, ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> UserRead:
    return UserRead.of(accounts.update_user(ctx, principal=principal, user_id=user_id, active=body.active,
                                            password=body.password))
