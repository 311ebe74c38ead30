"""Users, passwords (argon2) and tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from allo.domain.errors import Conflict, Unauthenticated, ValidationFailed
from allo.domain.events import Event
from allo.domain.user import Role, User
from allo.services.context import ServiceContext
from allo.services.principal import Principal

MIN_PASSWORD = 8
#: The event recorded when a login is locked out, let in again, or given a new password.
USER_CHANGED = "user.changed"


def hash_password(ctx: ServiceContext, password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"a password needs at least {MIN_PASSWORD} characters", code="weak_password")
    return ctx.password_hasher.hash(password)


def _password_matches(ctx: ServiceContext, user: User, password: str) -> bool:
    try:
        return bool(ctx.password_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


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
            ok = _password_matches(ctx, user, password)
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


def update_user(ctx: ServiceContext, *, principal: Principal, user_id: str, active: bool | None = None,
                password: str | None = None) -> User:
    """An admin locks a login out (`active` False: its sessions end at once), lets it in again, or
    gives it a new password (its sessions end: whoever knew the old one is out). The last active
    admin cannot be locked out."""
    principal.require_role(Role.ADMIN)
    with ctx.uow() as uow:
        user = uow.users.get(user_id)
        if active is False and user.role is Role.ADMIN and user.active:
            if not any(u.active and u.role is Role.ADMIN and u.id != user.id for u in uow.users.list()):
                raise Conflict("the last active admin cannot be locked out", code="last_admin")
        if active is not None:
            user.active = active
        if password is not None:
            user.password_hash = hash_password(ctx, password)
        uow.users.save(user)
        if active is False or password is not None:
            uow.users.revoke_tokens_of(user.id)
        uow.journal.append_events([Event(USER_CHANGED, user.id, ctx.clock.now(), {
            "by": principal.username, "active": active, "password_reset": password is not None})])
        uow.commit()
    return user


def change_password(ctx: ServiceContext, *, user_id: str, current: str, new: str, token: str | None = None) -> None:
    """A user changes their own password, knowing the current one; their other sessions end (the
    one `token` opened stays)."""
    with ctx.uow() as uow:
        user = uow.users.get(user_id)
        if not _password_matches(ctx, user, current):
            raise Unauthenticated("the current password is wrong", code="invalid_credentials")
        user.password_hash = hash_password(ctx, new)
        uow.users.save(user)
        uow.users.revoke_tokens_of(user.id, keep=_token_hash(token) if token else None)
        uow.journal.append_events([Event(USER_CHANGED, user.id, ctx.clock.now(), {
            "by": user.username, "active": None, "password_reset": True})])
        uow.commit()
