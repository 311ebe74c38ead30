"""Settings, read from the environment (prefix ALLO_) only when asked, never at import time.

Every field here must be documented in the README's settings table (a test checks it).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allo.domain.geo import LatLon

#: The demo city's zone: the default of `Settings.city_timezone` and of `ServiceContext.city_zone`.
DEFAULT_CITY_TIMEZONE = "Europe/Monaco"


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the environment variable."""


def _number(key: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"{key}: {raw!r} is not {'a whole number' if kind is int else 'a number'}") from None


def _bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    #: Where the SQLite file, the generated key file and other local state go.
    data_dir: Path = Path("var")
    #: SQLAlchemy URL; empty means a SQLite file in data_dir.
    database_url: str = ""
    #: Base64 (urlsafe) 32-byte key, or any passphrase; empty: a key file in data_dir (mode 0600).
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    #: Public base URL used in links sent to customers (tracking pages).
    public_url: str = ""
    #: Lifetime of a login session or API token, in hours.
    token_ttl_hours: int = 12
    #: Mark the session cookie Secure (set in production behind HTTPS).
    cookie_secure: bool = False
    #: Apply pending migrations when `allo serve` starts.
    auto_migrate: bool = True
    #: Default country calling code for numbers typed without one.
    default_country_code: str = "33"
    log_level: str = "info"
    #: Geocoder: "embedded" (Monaco gazetteer shipped with Allo), "addok" or "nominatim".
    geocoder: str = "embedded"
    #: Base URL of the addok or Nominatim server.
    geocoder_url: str = ""
    #: Run the background worker (inbox, outbox, dispatch) inside `allo serve`.
    worker: bool = True
    #: Seconds between worker polls when idle.
    worker_poll_seconds: float = 0.5
    #: Run the automatic dispatcher in this process's worker (one per city holds the lease at a time).
    dispatch: bool = True
    #: Dispatch policy: "rolling" (production), or a baseline: "greedy", "greedy-jit".
    dispatch_policy: str = "rolling"
    #: Seconds between dispatch decisions.
    dispatch_interval_seconds: float = 5.0
    #: The dispatcher's travel times: "straight" (straight line × 1.3, any city) or "monaco-streets"
    #: (the demo city's shipped street graph, as its couriers ride it; `allo demo` uses it).
    travel_model: str = "straight"
    #: "lat,lon" of the city's centre: the dispatcher's flat map of the city is drawn around it. Empty:
    #: the centre of the active shops when the process starts (the demo city's, with none yet).
    city_centre: str = ""
    #: Minutes the dispatcher plans at a shop (half before the pickup, half after) and at a door (half
    #: before the handover, half after); the MDRP's, from real deliveries, by default.
    pickup_service_minutes: float = 4.0
    dropoff_service_minutes: float = 4.0
    #: Seconds a worker may take to send one outbox message before another may retry it.
    outbox_lease_seconds: float = 60.0
    #: Messages sent at the same time (to different recipients); about rate × provider latency.
    outbox_senders: int = 64
    #: Minutes after a delivery (or a failed one) during which customer and courier can still write.
    relay_close_minutes: int = 10
    #: Testing only: comma-separated crash points where the process kills itself (see docs/messaging.md).
    failpoints: str = ""
    #: Map tiles for the console map ("https://…/{z}/{x}/{y}.png"); empty: the demo city's streets as vectors only.
    map_tile_url: str = ""
    #: IANA time zone of the city: clock times in the console, courier app and tracking page, and the console's "today".
    city_timezone: str = DEFAULT_CITY_TIMEZONE
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'allo.db').resolve()}"

    @property
    def city_zone(self) -> ZoneInfo:
        """`city_timezone` as a zone; an unknown name is a SettingsError naming ALLO_CITY_TIMEZONE."""
        try:
            return ZoneInfo(self.city_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"ALLO_CITY_TIMEZONE: unknown time zone {self.city_timezone!r} "
                                "(an IANA name such as Europe/Paris or America/New_York)") from exc

    @property
    def city_centre_point(self) -> LatLon | None:
        """`city_centre` as a place (None when empty); a SettingsError naming ALLO_CITY_CENTRE if it is
        not "lat,lon" with a latitude within ±80° and a longitude within ±180°."""
        if not self.city_centre.strip():
            return None
        try:
            lat, lon = (float(p) for p in self.city_centre.split(","))
        except ValueError:  # not a number, or not two of them
            lat = lon = math.nan
        if not (abs(lat) <= 80 and abs(lon) <= 180):
            raise SettingsError(f"ALLO_CITY_CENTRE: {self.city_centre!r} is not \"lat,lon\" "
                                "(for example \"48.8566,2.3522\")")
        return LatLon(lat, lon)

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            key = "ALLO_" + f.name.upper()
            if key not in env:
                continue
            raw = env[key]
            if f.type in ("int", int, "float", float):
                values[f.name] = _number(key, raw, int if f.type in ("int", int) else float)
            elif f.type in ("bool", bool):
                values[f.name] = _bool(raw)
            elif f.type in ("Path", Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        values["extra"] = {k: v for k, v in env.items() if k.startswith("ALLO_")}
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def setting_names() -> list[str]:
    """The environment variable names of every setting, for the docs test."""
    return ["ALLO_" + f.name.upper() for f in fields(Settings) if f.name != "extra"]
