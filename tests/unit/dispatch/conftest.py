"""Fixtures for the dispatch tests."""

from __future__ import annotations

import pytest

from allo.dispatch.model import DispatchContext, ServiceRules
from allo.dispatch.travel import CeilEuclideanTravel


@pytest.fixture
def context() -> DispatchContext:
    return DispatchContext(travel=CeilEuclideanTravel(), rules=ServiceRules(), epoch_minutes=1.0)
