"""A small JSON-over-HTTP helper shared by the remote geocoders: timeouts and clear errors."""

from __future__ import annotations

from typing import Any

import httpx

from allo.services.ports.geocoder import GeocoderUnavailable

DEFAULT_TIMEOUT_S = 5.0


class JsonGetter:
    """GET JSON from one base URL; every failure becomes `GeocoderUnavailable` naming the service."""

    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        headers: dict[str, str] | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=timeout_s, headers=headers or {})
        self._owned = client is None

    def get(self, path: str, params: dict[str, str | int]) -> Any:
        url = f"{self.base_url}{path}"
        try:
            response = self._client.get(url, params=params)
        except httpx.TimeoutException as exc:
            raise GeocoderUnavailable(f"{self.service} at {self.base_url} timed out") from exc
        except httpx.HTTPError as exc:
            raise GeocoderUnavailable(f"{self.service} at {self.base_url} is unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise GeocoderUnavailable(
                f"{self.service} at {self.base_url} answered HTTP {response.status_code}"
            )
        try:
            return response.json()
        except ValueError as exc:
            raise GeocoderUnavailable(f"{self.service} at {self.base_url} sent a reply that is not JSON") from exc

    def close(self) -> None:
        if self._owned:
            self._client.close()
