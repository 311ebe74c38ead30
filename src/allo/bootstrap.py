"""The one wiring point: settings in, a running application's parts out. Nothing at import time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from allo.adapters.crypto import FieldCipher, key_from_setting, load_or_create_key_file
from allo.adapters.storage import migrate
from allo.adapters.storage.database import make_engine
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.clock import Clock, SystemClock
from allo.services.context import ServiceContext, uuid_ids
from allo.settings import Settings


@dataclass
class Application:
    settings: Settings
    engine: Engine
    cipher: FieldCipher
    ctx: ServiceContext

    def close(self) -> None:
        self.engine.dispose()


def load_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return key_from_setting(settings.secret_key)
    return load_or_create_key_file(settings.data_dir / "secret.key")


def build(settings: Settings, *, clock: Clock | None = None, migrate_now: bool | None = None,
          new_id=uuid_ids) -> Application:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.resolved_database_url)
    if migrate_now if migrate_now is not None else settings.auto_migrate:
        migrate.upgrade(engine)
    cipher = FieldCipher(load_key(settings))
    ctx = ServiceContext(
        uow=lambda: SqlUnitOfWork(engine, cipher),
        clock=clock or SystemClock(),
        new_id=new_id,
        token_ttl=timedelta(hours=settings.token_ttl_hours),
        default_country_code=settings.default_country_code,
    )
    return Application(settings, engine, cipher, ctx)
