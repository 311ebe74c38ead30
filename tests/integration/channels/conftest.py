"""Fixtures for channel integration tests: a fake provider on 127.0.0.1 and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

try:  # rootdir on sys.path (python -m pytest), or tests/ on it (plain pytest, rootdir conftest)
    from tests.support.fake_provider import FakeProvider
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from support.fake_provider import FakeProvider

from allo.domain.clock import FixedClock


@pytest.fixture
def fake_provider() -> Iterator[FakeProvider]:
    """A started fake provider; stopped after the test."""
    with FakeProvider() as fake:
        yield fake


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()
