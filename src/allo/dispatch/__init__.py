"""The dispatch engine: snapshot in, assignments out. Pure: no I/O, no wall clock."""

from allo.dispatch.engine import DispatchEngine
from allo.dispatch.model import Assignment, CourierState, DispatchContext, OpenOrder, ServiceRules, Snapshot
from allo.dispatch.policy import DispatchPolicy, make_policy, policy_names, register_policy
from allo.dispatch.travel import CeilEuclideanTravel, DetourTravel, TravelTimeModel

__all__ = [
    "Assignment", "CeilEuclideanTravel", "CourierState", "DetourTravel", "DispatchContext",
    "DispatchEngine", "DispatchPolicy", "OpenOrder", "ServiceRules", "Snapshot", "TravelTimeModel",
    "make_policy", "policy_names", "register_policy",
]
