"""Users and their API/session tokens (stored as SHA-256 of the token, never the token)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import api_tokens, users
from allo.domain.errors import Conflict, NotFound
from allo.domain.user import Role, User


class SqlUserRepository(SqlRepository):
    kind = "user"

    def add(self, u: User) -> None:
        if self.find_by_username(u.username) is not None:
            raise Conflict(f"username {u.username!r} is taken", code="username_taken")
        self.conn.execute(insert(users).values(id=u.id, version=1, **self._row(u)))
        u.version = 1

    def get(self, user_id: str) -> User:
        row = self.conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        if row is None:
            raise NotFound(f"no user {user_id}", code="user_not_found")
        return _user(row)

    def find_by_username(self, username: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.username == username)).mappings().first()
        return _user(row) if row else None

    def list(self) -> list[User]:
        return [_user(r) for r in self.conn.execute(select(users).order_by(users.c.username)).mappings()]

    def save(self, u: User) -> None:
        u.version = self._update_versioned(users, u.id, u.version, self._row(u))

    def _row(self, u: User) -> dict[str, Any]:
        return {"username": u.username, "password_hash": u.password_hash, "role": u.role.value,
                "merchant_id": u.merchant_id, "courier_id": u.courier_id, "active": u.active,
                "created_at": u.created_at}

    # tokens ---------------------------------------------------------------------------------
    def add_token(self, token_hash: str, user_id: str, kind: str, created_at: datetime, expires_at: datetime) -> None:
        self.conn.execute(insert(api_tokens).values(token_hash=token_hash, user_id=user_id, kind=kind,
                                                    created_at=created_at, expires_at=expires_at, revoked=False))

    def user_for_token(self, token_hash: str, now: datetime) -> User | None:
        q = (select(users).join(api_tokens, api_tokens.c.user_id == users.c.id)
             .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked.is_(False),
                    api_tokens.c.expires_at > now, users.c.active.is_(True)))
        row = self.conn.execute(q).mappings().first()
        return _user(row) if row else None

    def revoke_token(self, token_hash: str) -> None:
        self.conn.execute(update(api_tokens).where(api_tokens.c.token_hash == token_hash).values(revoked=True))

    def revoke_tokens_of(self, user_id: str, *, keep: str | None = None) -> None:
        """Revoke every token and session of a user, but the token hashed `keep` (the one in use)."""
        q = update(api_tokens).where(api_tokens.c.user_id == user_id, api_tokens.c.revoked.is_(False))
        if keep is not None:
            q = q.where(api_tokens.c.token_hash != keep)
        self.conn.execute(q.values(revoked=True))


def _user(r: Any) -> User:
    return User(id=r["id"], username=r["username"], password_hash=r["password_hash"], role=Role(r["role"]),
                merchant_id=r["merchant_id"], courier_id=r["courier_id"], active=r["active"],
                created_at=r["created_at"], version=r["version"])
