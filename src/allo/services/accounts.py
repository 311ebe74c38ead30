"""Users, passwords (argon2) and tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from allo.domain.errors import Unauthenticated, ValidationFailed
from allo.domain.user import Role, User
from allo.services.context import ServiceContext

MIN_PASSWORD = 8


def hash_password(ctx: ServiceContext, password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"a password needs at least {MIN_PASSWORD} characters", code="weak_password")
    return ctx.password_hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(ctx: ServiceContext, *, username: str, password: str, role: Role,
                merchant_id: str | None = None, courier_id: str | None = None) -> User:
    with ctx.uow() as uow:
        if merchant_id:
            uow.merchants.get(merchant_id)
        if courier_id:
            uow.couriers.get(courier_id)
        user = User(ctx.new_id(), username.strip().lower(), hash_password(ctx, password), role,
                    merchant_id, courier_id, created_at=ctx.clock.now())
        uow.users.add(user)
        uow.commit()
    return user


def login(ctx: ServiceContext, *, username: str, password: str, kind: str = "api",
          ttl: timedelta | None = None) -> tuple[User, str]:
    """Check the password; return the user and a new opaque token (stored only as a hash)."""
    with ctx.uow() as uow:
        user = uow.users.find_by_username(username.strip().lower())
        ok = False
        if user is not None and user.active:
            try:
                ok = ctx.password_hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            ctx.password_hasher.hash("timing-equaliser")  # same work whether or not the user exists
        if not ok or user is None:
            raise Unauthenticated("wrong username or password", code="invalid_credentials")
        token = secrets.token_urlsafe(32)
        now = ctx.clock.now()
        uow.users.add_token(_token_hash(token), user.id, kind, now, now + (ttl or ctx.token_ttl))
        uow.commit()
    return user, token


def authenticate(ctx: ServiceContext, token: str) -> User:
    with ctx.uow() as uow:
        user = uow.users.user_for_token(_token_hash(token), ctx.clock.now())
    if user is None:
        raise Unauthenticated("the token is invalid or expired", code="invalid_token")
    return user


def logout(ctx: ServiceContext, token: str) -> None:
    with ctx.uow() as uow:
        uow.users.revoke_token(_token_hash(token))
        uow.commit()


def list_users(ctx: ServiceContext) -> list[User]:
    with ctx.uow() as uow:
        return uow.users.list()


def get_user(ctx: ServiceContext, user_id: str) -> User:
    with ctx.uow() as uow:
        return uow.users.get(user_id)
