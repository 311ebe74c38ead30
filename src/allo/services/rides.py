"""Ride times between two places of the city, on the travel model the dispatcher plans with
(ALLO_TRAVEL_MODEL): what the tracking page, the running-late notices and the shop's own estimates
count on, so that none of them contradicts the plan the courier was given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allo.dispatch.travel import DetourTravel, TravelTimeModel
from allo.domain.courier import VEHICLES, Courier, Vehicle
from allo.domain.geo import LatLon, LocalProjection
from allo.domain.merchant import Merchant

#: The centre of the dispatcher's planar frame (the demo city's; any point near the city works).
CITY_ORIGIN = LatLon(43.7384, 7.4246)
#: The minutes a shop adds to a ride for handing the order over at each end.
HANDOVER_MINUTES = 4
#: Minutes a courier needs on top of preparation, when the place to deliver to is not known.
DEFAULT_RIDE_MINUTES = 12


@dataclass(frozen=True)
class CityRides:
    """Minutes of riding between places of the city: `travel` in the planar frame of `projection`."""

    travel: TravelTimeModel = field(default_factory=DetourTravel)
    projection: LocalProjection = field(default_factory=lambda: LocalProjection(CITY_ORIGIN))

    def minutes(self, origin: LatLon, destination: LatLon, speed_m_per_min: float) -> float:
        return self.travel.travel_minutes(self.projection.to_plane(origin), self.projection.to_plane(destination),
                                          speed_m_per_min)

    def reach(self, courier: Courier, to: LatLon, max_age: timedelta, now: datetime) -> datetime | None:
        """When the courier can be at `to`: its last position's time plus the ride from there (it has
        been riding since); None without a position at most `max_age` old."""
        if courier.position is None or courier.position_at is None or now - courier.position_at > max_age:
            return None
        return courier.position_at + timedelta(minutes=self.minutes(courier.position, to,
                                                                    courier.profile.speed_m_per_min))

    def shop_ride_minutes(self, merchant: Merchant, where: LatLon | None) -> int:
        """The shop's own idea of a delivery ride from its door to `where`, handovers included (a bike);
        the default ride when the place is not known."""
        if where is None:
            return DEFAULT_RIDE_MINUTES
        ride = self.minutes(merchant.pickup, where, VEHICLES[Vehicle.BIKE].speed_m_per_min)
        return max(DEFAULT_RIDE_MINUTES // 2, round(ride) + HANDOVER_MINUTES)
