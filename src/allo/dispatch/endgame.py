"""End of the shifts: plan a sequence of jobs per courier, not one job each.

The matching gives every courier one job. When all the couriers left stop soon, that misses what
matters most: which orders the last couriers can still carry one after the other before their
shifts end, and which order is left with nobody if a courier takes another one first. The problem is
small by then (a handful of couriers, a few dozen orders), so a beam search over job sequences is
affordable. A plan is better when it serves more orders before the shifts end, then when fewer of
them pass the maximum click-to-door, then when it has less delay over the lower bounds and uses
less courier time. The first job of each courier's sequence becomes its plan line; commitment
stays just in time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allo.dispatch.model import ServiceRules
from allo.dispatch.routing import BundleRoute
from allo.dispatch.travel import TravelTimeModel, travel_from_many
from allo.domain.geo import Point

SERVED_VALUE = 1000.0  # per order carried before the shifts end
OVER_MAX_COST = 200.0  # per order carried past the maximum click-to-door that could have made it


@dataclass(frozen=True, slots=True)
class EndgameCourier:
    column: int  # the courier's column in the policy's plan
    position: Point  # where it is, or where its current work ends
    start: float  # when it can leave
    shift_end: float  # no pickup after this
    speed: float


@dataclass(slots=True)
class _State:
    free: list[float]
    at: list[int]  # per courier: -1 = its start position, else the bundle row whose last drop-off it is at
    served: set[int]  # order indices
    first: list[int]  # per courier: its first bundle row, -1 for none
    done: list[bool]
    score: float
    time_used: float

    def child(self) -> _State:
        return _State(list(self.free), list(self.at), set(self.served), list(self.first), list(self.done),
                      self.score, self.time_used)


class _Jobs:
    """Per bundle row: merchant, ready time, drop-off offsets, lower bounds and the orders it carries."""

    def __init__(self, bundles: list[BundleRoute], lower_bounds: dict[str, float], rules: ServiceRules) -> None:
        ids = sorted({o.id for b in bundles for o in b.orders})
        self.order_ix = {oid: i for i, oid in enumerate(ids)}
        self.members = [[self.order_ix[o.id] for o in b.orders] for b in bundles]
        self.member = np.zeros((len(bundles), len(ids)), dtype=bool)  # row carries order
        for r, m in enumerate(self.members):
            self.member[r, m] = True
        self.ready = np.array([b.ready_at for b in bundles])
        self.after = np.array([b.duration_after_pickup for b in bundles])
        self.size = np.array([len(b.orders) for b in bundles], dtype=float)
        width = max(len(b.orders) for b in bundles)
        self.offsets = np.zeros((len(bundles), width))
        self.lb = np.zeros((len(bundles), width))
        self.deadline = np.full((len(bundles), width), np.inf)  # latest drop-off within the maximum
        for r, b in enumerate(bundles):
            for k, (o, off) in enumerate(zip(b.orders, b.drop_offsets)):
                self.offsets[r, k], self.lb[r, k] = off, lower_bounds[o.id]
                if lower_bounds[o.id] - o.placed_at <= rules.max_click_to_door:
                    self.deadline[r, k] = o.placed_at + rules.max_click_to_door
        self.used = np.arange(width)[None, :] < self.size[:, None]


def plan_endgame(
    couriers: list[EndgameCourier],
    bundles: list[BundleRoute],
    lower_bounds: dict[str, float],
    travel: TravelTimeModel,
    rules: ServiceRules,
    *,
    beam_width: int = 12,
    branch: int = 4,
) -> list[tuple[int, int]]:
    """Plan lines (bundle row, courier column): the first job of each courier's best sequence."""
    if not couriers or not bundles:
        return []
    jobs = _Jobs(bundles, lower_bounds, rules)
    from_start, from_end = _trip_minutes(couriers, bundles, travel)
    half = rules.pickup_service / 2
    root = _State([c.start for c in couriers], [-1] * len(couriers), set(), [-1] * len(couriers),
                  [False] * len(couriers), 0.0, 0.0)
    beam, finished = [root], []
    while beam:
        children: list[_State] = []
        for state in beam:
            k = min((i for i in range(len(couriers)) if not state.done[i]), key=lambda i: (state.free[i], i), default=None)
            if k is None:
                finished.append(state)
                continue
            tt = from_start[k] if state.at[k] < 0 else from_end[state.at[k]]
            pickup = np.maximum(jobs.ready, state.free[k] + tt + half)
            ok = pickup <= couriers[k].shift_end
            if state.served:
                ok &= ~jobs.member[:, sorted(state.served)].any(axis=1)
            rows = np.flatnonzero(ok)
            if rows.size == 0:
                retired = state.child()
                retired.done[k] = True
                children.append(retired)
                continue
            drop = pickup[rows, None] + jobs.offsets[rows]
            used = jobs.used[rows]
            delay = ((drop - jobs.lb[rows]) * used).sum(axis=1)
            over = ((drop > jobs.deadline[rows]) & used).sum(axis=1)
            job_time = pickup[rows] + jobs.after[rows] - state.free[k]
            gain = SERVED_VALUE * jobs.size[rows] - OVER_MAX_COST * over - delay - job_time
            for j in np.argsort(-gain, kind="stable")[:branch].tolist():
                r = int(rows[j])
                nxt = state.child()
                nxt.free[k] = float(pickup[r] + jobs.after[r])
                nxt.at[k] = r
                nxt.served.update(jobs.members[r])
                if nxt.first[k] < 0:
                    nxt.first[k] = r
                nxt.score += float(SERVED_VALUE * jobs.size[r] - OVER_MAX_COST * over[j] - delay[j])
                nxt.time_used += float(job_time[j])
                children.append(nxt)
        beam = _prune(children, beam_width)
    best = max(finished, key=lambda s: (s.score, -s.time_used))
    return [(r, couriers[k].column) for k, r in enumerate(best.first) if r >= 0]


def _trip_minutes(
    couriers: list[EndgameCourier], bundles: list[BundleRoute], travel: TravelTimeModel
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from each courier, and from each bundle's last drop-off, to each bundle's merchant
    (trips between jobs at the first courier's speed: one fleet speed, as in the MDRP)."""
    origins = [c.position for c in couriers] + [b.orders[-1].dropoff for b in bundles]
    xs = np.array([o.x for o in origins])
    ys = np.array([o.y for o in origins])
    speeds = np.array([c.speed for c in couriers] + [couriers[0].speed] * len(bundles))
    merchant_ix: dict[str, int] = {}
    columns = []
    for b in bundles:
        if b.orders[0].merchant_id not in merchant_ix:
            merchant_ix[b.orders[0].merchant_id] = len(columns)
            columns.append(travel_from_many(travel, origins, xs, ys, b.orders[0].pickup, speeds))
    trips = np.stack(columns, axis=1)[:, [merchant_ix[b.orders[0].merchant_id] for b in bundles]]
    return trips[: len(couriers)], trips[len(couriers):]


def _prune(states: list[_State], width: int) -> list[_State]:
    """The `width` best states, one per set of served orders and courier end points."""
    seen: set[tuple[frozenset[int], tuple[int, ...]]] = set()
    kept: list[_State] = []
    for s in sorted(states, key=lambda s: -(s.score - s.time_used)):
        sig = (frozenset(s.served), tuple(s.at))
        if sig in seen:
            continue
        seen.add(sig)
        kept.append(s)
        if len(kept) == width:
            break
    return kept
