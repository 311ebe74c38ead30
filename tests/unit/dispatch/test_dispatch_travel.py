import math

import numpy as np
import pytest

from allo.dispatch.travel import CeilEuclideanTravel, DetourTravel, TravelTimeModel, travel_from_many
from allo.domain.geo import Point


def test_mdrp_travel_rounds_up_to_whole_minutes() -> None:
    t = CeilEuclideanTravel()
    assert t.travel_minutes(Point(0, 0), Point(320, 0), 320) == 1.0
    assert t.travel_minutes(Point(0, 0), Point(321, 0), 320) == 2.0
    assert t.travel_minutes(Point(5, 5), Point(5, 5), 320) == 0.0


def test_detour_model_scales_the_straight_line() -> None:
    t = DetourTravel(detour_factor=1.5)
    assert t.travel_minutes(Point(0, 0), Point(300, 400), 250) == pytest.approx(3.0)
    with pytest.raises(ValueError):
        DetourTravel(detour_factor=0.9)


def test_both_models_satisfy_the_protocol() -> None:
    assert isinstance(CeilEuclideanTravel(), TravelTimeModel)
    assert isinstance(DetourTravel(), TravelTimeModel)


class _ScalarOnly:
    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        return math.hypot(origin.x - destination.x, origin.y - destination.y) / speed_m_per_min


@pytest.mark.parametrize("model", [CeilEuclideanTravel(), DetourTravel(1.3), _ScalarOnly()])
def test_vectorised_travel_matches_the_scalar_rule(model: TravelTimeModel) -> None:
    pts = [Point(0, 0), Point(1000, 7), Point(-333, 2500), Point(50, 50)]
    dest = Point(50, 50)
    speeds = np.array([320.0, 320.0, 427.0, 300.0])
    got = travel_from_many(model, pts, np.array([p.x for p in pts]), np.array([p.y for p in pts]), dest, speeds)
    want = [model.travel_minutes(p, dest, float(s)) for p, s in zip(pts, speeds)]
    assert got.tolist() == pytest.approx(want)
