"""Independent feasibility check of a solution against an instance (MDRP base rules).

Works only from the instance and the three solution records, with its own travel-time rule,
so that a bug in the simulator or the engine shows up here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from allo.domain.geo import Point
from allo.simulation.instance import Instance
from allo.simulation.solution import ON_LOCATION, AssignmentRecord, Move, Solution


# Codes that are service targets (every order delivered, none past the maximum click-to-door), not
# rules of the problem: a solution with only these is feasible, as the reference evaluator sees it.
TARGET_CODES = frozenset({"undelivered", "over-max"})


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    detail: str

    @property
    def breaks_a_rule(self) -> bool:
        return self.code not in TARGET_CODES


@dataclass(frozen=True, slots=True)
class ViolationCounts:
    """What a list of violations amounts to: targets missed and rules broken."""

    left: int  # deliverable orders not delivered
    late: int  # orders past the maximum click-to-door that their own lower bound did not force there
    rule_breaks: int

    @classmethod
    def of(cls, violations: list[Violation]) -> ViolationCounts:
        codes = [v.code for v in violations]
        return cls(codes.count("undelivered"), codes.count("over-max"), sum(v.breaks_a_rule for v in violations))


def _minutes(a: Point, b: Point, speed: float) -> int:
    return math.ceil(math.hypot(a.x - b.x, a.y - b.y) / speed)


def undeliverable(instance: Instance) -> set[str]:
    """Orders no courier can pick up even with zero travel (ready after every shift's end)."""
    hp = instance.params.pickup_service / 2
    out = set()
    for oid, o in instance.orders.items():
        if all(max(o.ready_at, max(o.placed_at, c.on_time) + hp) > c.off_time for c in instance.couriers.values()):
            out.add(oid)
    return out


def _lower_bound(instance: Instance, order_id: str) -> float:
    """Orders whose kitchen alone pushes them past the maximum are not the dispatcher's fault."""
    o = instance.orders[order_id]
    p = instance.params
    r = instance.restaurants[o.restaurant_id].position
    return max(o.ready_at, o.placed_at) - o.placed_at + p.pickup_service / 2 + _minutes(r, o.position, p.meters_per_minute) + p.dropoff_service / 2


def check_solution(instance: Instance, sol: Solution, *, require_all: bool = True) -> list[Violation]:
    """Every violation found; an empty list means feasible."""
    v: list[Violation] = []
    p = instance.params
    hp, hd = p.pickup_service / 2, p.dropoff_service / 2
    orec = {}
    for o in sol.orders:
        if o.order_id in orec:
            v.append(Violation("order-twice", f"{o.order_id} appears twice in the orders file"))
        orec[o.order_id] = o
    seen: dict[str, AssignmentRecord] = {}
    for a in sol.assignments:
        _check_assignment(instance, a, seen, orec, v)
    if require_all:
        for oid in instance.orders:
            if oid not in seen and oid not in undeliverable(instance):
                v.append(Violation("undelivered", f"{oid} is in no assignment"))
    for oid, o in orec.items():
        if oid not in instance.orders:
            v.append(Violation("unknown-order", oid))
            continue
        ctd = o.dropoff_at - instance.orders[oid].placed_at
        if ctd > p.max_click_to_door and _lower_bound(instance, oid) <= p.max_click_to_door:
            v.append(Violation("over-max", f"{oid} click-to-door {ctd} (avoidable)"))
    moves_by_courier: dict[str, list[Move]] = defaultdict(list)
    for m in sol.moves:
        moves_by_courier[m.courier_id].append(m)
    assignments_by_courier: dict[str, list[AssignmentRecord]] = defaultdict(list)
    for a in sol.assignments:
        assignments_by_courier[a.courier_id].append(a)
    for cid in set(moves_by_courier) | set(assignments_by_courier):
        if cid not in instance.couriers:
            v.append(Violation("unknown-courier", cid))
            continue
        _check_courier(instance, cid, moves_by_courier[cid], assignments_by_courier[cid], orec, hp, hd, v)
    return v


def _check_assignment(
    instance: Instance, a: AssignmentRecord, seen: dict[str, AssignmentRecord], orec: dict, v: list[Violation]
) -> None:
    c = instance.couriers.get(a.courier_id)
    if c is None:
        v.append(Violation("unknown-courier", a.courier_id))
        return
    if not a.order_ids:
        v.append(Violation("empty-bundle", f"assignment of {a.courier_id} at {a.assigned_at}"))
        return
    restaurants = set()
    for oid in a.order_ids:
        o = instance.orders.get(oid)
        if o is None:
            v.append(Violation("unknown-order", oid))
            continue
        if oid in seen:
            v.append(Violation("order-twice", f"{oid} in two assignments"))
        seen[oid] = a
        restaurants.add(o.restaurant_id)
        if a.assigned_at < o.placed_at:
            v.append(Violation("before-placement", f"{oid} assigned at {a.assigned_at} < {o.placed_at}"))
        if a.pickup_at < o.ready_at:
            v.append(Violation("before-ready", f"{oid} picked up at {a.pickup_at} < ready {o.ready_at}"))
        r = orec.get(oid)
        if r is None:
            v.append(Violation("missing-order-record", oid))
        elif r.courier_id != a.courier_id or r.pickup_at != a.pickup_at:
            v.append(Violation("order-record-mismatch", oid))
    if len(restaurants) > 1:
        v.append(Violation("mixed-bundle", f"{a.order_ids} from {sorted(restaurants)}"))
    if a.pickup_at > c.off_time:
        v.append(Violation("after-off-time", f"{a.courier_id} picks up at {a.pickup_at} > off {c.off_time}"))
    if a.assigned_at < c.on_time:
        v.append(Violation("before-on-time", f"{a.courier_id} assigned at {a.assigned_at} < on {c.on_time}"))


def _position(instance: Instance, courier_id: str, place: str) -> Point | None:
    if place == ON_LOCATION:
        return instance.couriers[courier_id].position
    if place in instance.restaurants:
        return instance.restaurants[place].position
    if place in instance.orders:
        return instance.orders[place].position
    return None


def _check_courier(
    instance: Instance, cid: str, moves: list[Move], assignments: list[AssignmentRecord],
    orec: dict, hp: float, hd: float, v: list[Violation],
) -> None:
    """Replays the moves: continuity, timing, presence at pickups and drop-offs, no diversion."""
    courier = instance.couriers[cid]
    speed = instance.params.meters_per_minute
    place, ready_at = ON_LOCATION, float(courier.on_time)
    visits: list[tuple[str, float, float, float]] = []  # (place, arrival, departure, left previous place)
    for m in moves:
        if m.origin != place:
            v.append(Violation("teleport", f"{cid} leaves {m.origin} but is at {place}"))
        if m.departs_at < ready_at:
            v.append(Violation("early-departure", f"{cid} leaves {m.origin} at {m.departs_at} < {ready_at}"))
        a, b = _position(instance, cid, m.origin), _position(instance, cid, m.destination)
        if a is None or b is None:
            v.append(Violation("unknown-place", f"{m.origin}->{m.destination}"))
            return
        if visits:
            visits[-1] = (visits[-1][0], visits[-1][1], float(m.departs_at), visits[-1][3])
        arrival = m.departs_at + _minutes(a, b, speed)
        visits.append((m.destination, float(arrival), math.inf, float(m.departs_at)))
        place, ready_at = m.destination, float(arrival)
    # Each assignment must be a contiguous run of visits: restaurant then the drops in sequence.
    expected = []
    for a in sorted(assignments, key=lambda a: a.assigned_at):
        expected.append(("R", a))
        expected.extend(("D", a, oid) for oid in a.order_ids)
    if len(expected) != len(visits):
        v.append(Violation("moves-mismatch", f"{cid}: {len(visits)} visits for {len(expected)} stops"))
        return
    prev_free = float(courier.on_time)
    for step, (place, arr, dep, left) in zip(expected, visits):
        a = step[1]
        if step[0] == "R":
            first = instance.orders.get(a.order_ids[0]) if a.order_ids else None
            rid = first.restaurant_id if first else place  # an empty bundle or unknown order is reported already
            if place != rid:
                v.append(Violation("pickup-place", f"{cid} goes to {place}, not {rid}"))
            if left < a.assigned_at:
                v.append(Violation("departure-before-assignment", f"{cid} leaves at {left} < {a.assigned_at}"))
            if a.assigned_at < prev_free:
                v.append(Violation("diversion", f"{cid} assigned at {a.assigned_at} while busy until {prev_free}"))
            if arr + hp > a.pickup_at or dep < a.pickup_at + hp:
                v.append(Violation("pickup-time", f"{cid} at {rid} [{arr}, {dep}] for pickup {a.pickup_at}"))
        else:
            oid = step[2]
            if place != oid:
                v.append(Violation("drop-sequence", f"{cid} visits {place}, expected {oid}"))
                continue
            drop = orec[oid].dropoff_at if oid in orec else None
            if drop is None or arr + hd > drop or dep < drop + hd:
                v.append(Violation("dropoff-time", f"{cid} at {oid} [{arr}, {dep}] for drop-off {drop}"))
            if oid == a.order_ids[-1]:
                prev_free = drop + hd if drop is not None else prev_free
