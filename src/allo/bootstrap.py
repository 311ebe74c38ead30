"""The one wiring point: settings in, a running application's parts out. Nothing at import time."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from allo.adapters.crypto import FieldCipher, key_from_setting, load_or_create_key_file
from allo.adapters.storage import migrate
from allo.adapters.storage.checkpoint import WalCheckpointer
from allo.adapters.storage.database import make_engine
from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.clock import Clock, SystemClock
from allo.services.context import ServiceContext, uuid_ids
from allo.services.failpoints import Failpoints
from allo.services.group_commit import GroupCommitter
from allo.services.inbox_writer import InboxWriter
from allo.services.outbox import RetryPolicy
from allo.services.ports.channel import Channel
from allo.services.ports.geocoder import Geocoder
from allo.services.worker import Worker
from allo.settings import Settings, SettingsError

log = logging.getLogger("allo")

if TYPE_CHECKING:
    from allo.dispatch.model import ServiceRules
    from allo.dispatch.travel import TravelTimeModel
    from allo.domain.geo import LatLon, LocalProjection
    from allo.services.rides import CityRides


@dataclass
class Application:
    settings: Settings
    engine: Engine
    cipher: FieldCipher
    ctx: ServiceContext
    channels: dict[str, Channel] = field(default_factory=dict)
    geocoder: Geocoder | None = None
    worker: Worker | None = None
    dispatcher: object | None = None
    _default_shop: tuple[datetime, str | None] | None = None
    _inbox_writer: InboxWriter | None = None
    _committer: GroupCommitter | None = None
    _checkpointer: WalCheckpointer | None = None

    def default_merchant_id(self, uow: SqlUnitOfWork | None = None) -> str | None:
        """Where messages to the provider numbers go when the webhook names no shop: the only
        active shop, or ALLO_DEFAULT_MERCHANT_ID (looked up at most every 30 seconds, in `uow`
        when the caller is inside a transaction)."""
        configured = self.settings.extra.get("ALLO_DEFAULT_MERCHANT_ID")
        if configured:
            return configured
        now = self.ctx.clock.now()
        if self._default_shop is not None and now - self._default_shop[0] < timedelta(seconds=30):
            return self._default_shop[1]
        if uow is None:
            with self.ctx.uow() as own:
                return self.default_merchant_id(own)
        active = [m for m in uow.merchants.list() if m.active]
        shop = active[0].id if len(active) == 1 else None
        self._default_shop = (now, shop)
        return shop

    @property
    def committer(self) -> GroupCommitter:
        """The writer thread shared by webhooks and the outbox (see allo.services.group_commit)."""
        if self._committer is None:
            self._committer = GroupCommitter(self.ctx)
        return self._committer

    @property
    def inbox_writer(self) -> InboxWriter:
        if self._inbox_writer is None:
            self._inbox_writer = InboxWriter(self.committer, on_stored=self.wake_worker,
                                             default_merchant=self.default_merchant_id)
        return self._inbox_writer

    def wake_worker(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def start_worker(self) -> None:
        if self.worker is not None and self.settings.worker:
            self.worker.start()

    def start_checkpointer(self) -> None:
        """For long-running processes: SQLite's log is checkpointed off the commit path (see
        allo.adapters.storage.checkpoint)."""
        if self._checkpointer is None:
            self._checkpointer = WalCheckpointer(self.engine)
        self._checkpointer.start()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self._committer is not None:
            self._committer.stop()
        if self._checkpointer is not None:
            self._checkpointer.stop()
        for channel in self.channels.values():
            channel.close()
        self.engine.dispose()


def load_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return key_from_setting(settings.secret_key)
    return load_or_create_key_file(settings.data_dir / "secret.key")


def build_geocoder(settings: Settings) -> Geocoder:
    from allo.adapters.geo.factory import make_geocoder

    return make_geocoder(settings.geocoder, url=settings.geocoder_url or None)


def build(settings: Settings, *, clock: Clock | None = None, migrate_now: bool | None = None,
          new_id: Callable[[], str] = uuid_ids, channels: dict[str, Channel] | None = None,
          geocoder: Geocoder | None = None) -> Application:
    city_zone = settings.city_zone  # an unknown zone name fails here, before anything is opened
    known_travel_model(settings.travel_model)  # and so does an unknown travel model
    service_rules(settings)  # and service times out of range
    centre = settings.city_centre_point  # and a city centre that is not a place
    engine = make_engine(settings.resolved_database_url)
    if migrate_now if migrate_now is not None else settings.auto_migrate:
        migrate.upgrade(engine)
    cipher = FieldCipher(load_key(settings))
    clock = clock or SystemClock()
    ctx = ServiceContext(
        uow=lambda: SqlUnitOfWork(engine, cipher),
        clock=clock,
        new_id=new_id,
        token_ttl=timedelta(hours=settings.token_ttl_hours),
        default_country_code=settings.default_country_code,
        relay_close_after=timedelta(minutes=settings.relay_close_minutes),
        city_zone=city_zone,
    )
    ctx.rides = city_rides(settings.travel_model, centre or _shops_centre(ctx))
    app = Application(settings, engine, cipher, ctx)
    app.channels = channels if channels is not None else _build_channels(settings, clock, ctx)
    app.geocoder = geocoder if geocoder is not None else build_geocoder(settings)
    app.worker = _build_worker(app)
    return app


def _build_channels(settings: Settings, clock: Clock, ctx: ServiceContext) -> dict[str, Channel]:
    from allo.adapters.channels import build_channels
    from allo.services.webchat import OutboxIsTheStore

    def last_inbound(channel: str, sender: str):  # type: ignore[no-untyped-def]
        with ctx.uow() as uow:
            return uow.messaging.last_inbound_at(channel, sender)

    return build_channels(settings.extra, clock=clock, webchat_sink=OutboxIsTheStore(), last_inbound=last_inbound)


TRAVEL_MODELS = ("straight", "monaco-streets")


def known_travel_model(name: str) -> str:
    """`name` if it is a travel model (`TRAVEL_MODELS`), else a SettingsError naming ALLO_TRAVEL_MODEL."""
    if name not in TRAVEL_MODELS:
        raise SettingsError(f"ALLO_TRAVEL_MODEL: unknown travel model {name!r} (one of {', '.join(TRAVEL_MODELS)})")
    return name


#: The longest service time a setting may plan at a shop or a door, in minutes.
MAX_SERVICE_MINUTES = 30.0


def service_rules(settings: Settings) -> ServiceRules:
    """The dispatcher's service times (ALLO_PICKUP_SERVICE_MINUTES, ALLO_DROPOFF_SERVICE_MINUTES) and
    the MDRP's click-to-door targets; a SettingsError naming the variable for a time out of range."""
    from allo.dispatch.model import ServiceRules

    for name, minutes in (("ALLO_PICKUP_SERVICE_MINUTES", settings.pickup_service_minutes),
                          ("ALLO_DROPOFF_SERVICE_MINUTES", settings.dropoff_service_minutes)):
        if not 0 <= minutes <= MAX_SERVICE_MINUTES:
            raise SettingsError(f"{name}: {minutes:g} minutes is out of range (0 to {MAX_SERVICE_MINUTES:g})")
    return ServiceRules(pickup_service=settings.pickup_service_minutes,
                        dropoff_service=settings.dropoff_service_minutes)


def travel_model(name: str, projection: LocalProjection | None = None) -> TravelTimeModel:
    """The dispatcher's travel times by name (`Settings.travel_model`), in the planar frame of
    `projection` (the dispatcher's; by default centred on the demo city)."""
    from allo.dispatch.travel import DetourTravel

    if known_travel_model(name) == "monaco-streets":
        from allo.adapters.geo.road_network import load_monaco_streets
        from allo.domain.geo import LocalProjection
        from allo.services.rides import CITY_ORIGIN

        return load_monaco_streets(projection or LocalProjection(CITY_ORIGIN))
    return DetourTravel()


def city_rides(travel: str, centre: LatLon | None) -> CityRides:
    """Ride times on the travel model `travel`, on a flat map of the city drawn around `centre` (the
    demo city's if None): the dispatcher's frame and everything told to customers."""
    from allo.domain.geo import LocalProjection
    from allo.services.rides import CITY_ORIGIN, CityRides

    projection = LocalProjection(centre or CITY_ORIGIN)
    return CityRides(travel_model(travel, projection), projection)


def _shops_centre(ctx: ServiceContext) -> LatLon | None:
    """The middle of the active shops' pickups (the mean of their latitudes and longitudes); None
    without any, or before the tables exist. A flat map drawn around a far-away place stretches
    east-west distances: around Monaco, Paris's are 10 % too long, London's 16 %."""
    from allo.domain.geo import LatLon

    try:
        with ctx.uow() as uow:
            shops = [m.pickup for m in uow.merchants.list() if m.active]
    except SQLAlchemyError:  # no schema yet (migrations not applied): the default centre
        log.info("no shops read for the city's centre; the demo city's is used")
        return None
    if not shops:
        return None
    return LatLon(sum(p.lat for p in shops) / len(shops), sum(p.lon for p in shops) / len(shops))


def _build_worker(app: Application) -> Worker:
    from allo.services.conversations import ConversationService
    from allo.services.notifications import CustomerNotifier

    from allo.services.dispatching import LiveDispatcher

    dispatcher = LiveDispatcher(app.ctx, holder=f"{socket.gethostname()}:{os.getpid()}:{uuid_ids()[:8]}",
                                policy=app.settings.dispatch_policy, travel=app.ctx.rides.travel,
                                origin=app.ctx.rides.projection.origin,
                                rules=service_rules(app.settings),
                                interval=timedelta(seconds=app.settings.dispatch_interval_seconds),
                                lease_for=timedelta(seconds=max(4 * app.settings.dispatch_interval_seconds, 2.0)))
    conversations = ConversationService(app.ctx, app.geocoder, app.settings.base_url, app.default_merchant_id,
                                        eta_quote=dispatcher.quote)
    notifier = CustomerNotifier(app.ctx, conversations)
    app.dispatcher = dispatcher
    jobs: list[Callable[[], object]] = [notifier]
    if app.settings.dispatch:
        jobs.append(dispatcher)
    policy = RetryPolicy(lease=timedelta(seconds=app.settings.outbox_lease_seconds))
    return Worker(app.ctx, conversations, app.channels, policy=policy,
                  failpoints=Failpoints.parse(app.settings.failpoints),
                  poll_seconds=app.settings.worker_poll_seconds, jobs=jobs, committer=app.committer,
                  senders=app.settings.outbox_senders)
