"""The policy protocol and the registry that selects a policy by name."""

from __future__ import annotations

from typing import Callable, Protocol

from allo.dispatch.model import Assignment, DispatchContext, Snapshot


class DispatchPolicy(Protocol):
    """Decides, at one epoch, which couriers leave now with which bundles.

    Returned assignments must use idle couriers (free and on shift at `snapshot.now`), open
    orders of one merchant per bundle, each order and courier at most once. Orders left out
    stay open for a later epoch (postponement).
    """

    name: str

    def decide(self, snapshot: Snapshot, context: DispatchContext) -> list[Assignment]: ...


PolicyFactory = Callable[[], DispatchPolicy]
_REGISTRY: dict[str, PolicyFactory] = {}


def register_policy(name: str, factory: PolicyFactory) -> None:
    """Make a policy selectable by name (settings, CLI)."""
    _REGISTRY[name] = factory


def policy_names() -> list[str]:
    _ensure_builtins()
    return sorted(_REGISTRY)


def make_policy(name: str) -> DispatchPolicy:
    """A fresh policy instance by name; raises KeyError listing the known names."""
    _ensure_builtins()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown dispatch policy {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def _ensure_builtins() -> None:
    if "greedy" in _REGISTRY:
        return
    from allo.dispatch.greedy import GreedyPolicy, JustInTimeGreedyPolicy
    from allo.dispatch.rolling import RollingHorizonPolicy

    register_policy("greedy", GreedyPolicy)
    register_policy("greedy-jit", JustInTimeGreedyPolicy)
    register_policy("rolling", RollingHorizonPolicy)
