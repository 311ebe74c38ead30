"""Production policy: rolling-horizon matching of bundles to couriers, committed just in time.

At every epoch the policy plans all open orders against every courier who is idle or becomes free
within the horizon (couriers still busy, and couriers about to start a shift, count with the time
and place they become free). It scores each (candidate bundle, courier) pair by the drop-off delay
over each order's lower bound, a heavier weight past the click-to-door target, the courier time used
and the recent demand around the courier; each covered order earns a reward that grows with its
urgency (how late it would be if postponed) and with the risk of having no courier left at all (such
an order may also ride with earlier-ready orders of its merchant beyond the usual ready window, so
the last courier waits for it); when the open work exceeds what the couriers can do in the next hour
(for a small pool of couriers, from a lower load; for a lone courier with more than one order, at
any load), every courier minute of a job is priced too (throughput first), and each minute of delay
in the last 15 minutes before the maximum click-to-door weighs more (capped at the maximum: an order
that can still make it goes first). Outside such epochs, an order whose preparation leaves it little
slack under the maximum ("tight") pays a steep cost for any delay that would take it past the
maximum. An optimal assignment (scipy's linear_sum_assignment; overlapping bundles packed by rounds
and by order prices, `packing.py`) gives the plan; in scarce epochs a search over several jobs per
courier (`route_search.py`) replaces the matching. Only plan lines with an idle courier who must
leave now are committed; everything else is postponed and re-planned at the next epoch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from allo.dispatch.bundling import candidate_bundles
from allo.dispatch.demand import DemandField
from allo.dispatch.fill_in import PlannedLine, fill_in
from allo.dispatch.model import Assignment, CourierState, DispatchContext, OpenOrder, Snapshot
from allo.dispatch.packing import PackingParams, select_lines
from allo.dispatch.route_search import RouteSearch, RouteSearchParams
from allo.dispatch.routing import BundleRoute, build_route, lower_bound_dropoff, plan_assignment
from allo.dispatch.travel import travel_from_many
from allo.domain.geo import Point

INFEASIBLE = 1e9


@dataclass(frozen=True, slots=True)
class RollingParams:
    """Weights are in minutes of drop-off delay; tuned on a handful of days, see docs/dispatch.md."""

    horizon_minutes: float = 60.0
    max_bundle: int = 3
    bundle_ready_window: float = 10.0
    cover_reward: float = 25.0
    busy_cover_reward: float = 100.0  # added per unit of load (open orders per soon-free courier) above 1
    load_window_minutes: float = 15.0
    overage_weight: float = 2.0
    courier_time_weight: float = 0.1
    postpone_access_minutes: float = 8.0
    starvation_weight: float = 0.0
    drop_risk_minutes: float = 20.0
    drop_risk_reward: float = 500.0
    position_value_weight: float = 5.0
    demand_window_minutes: float = 30.0
    demand_reach_minutes: float = 5.0
    max_rounds: int = 4
    # Packing overlapping bundles: order prices raised by subgradient steps (0 iterations: rounds only)
    packing_iterations: int = 8
    packing_step: float = 10.0
    packing_decay: float = 0.7
    # Scarce epochs: open work over the courier minutes of the next window above this ratio (0: off)
    scarce_ratio: float = 0.5
    scarce_window_minutes: float = 60.0
    scarce_deadhead_minutes: float = 5.0
    # A small pool (fewer couriers than this free within the load window; 0: off) is scarce from a
    # lower load: with few couriers, which one takes which order after its current job matters sooner
    small_fleet_couriers: int = 25
    small_fleet_ratio: float = 0.375
    # A pool of at most this many couriers free within the load window (0: off) with more open orders than
    # couriers is scarce whatever the load: which order its courier takes first decides who makes 90 minutes
    lone_pool_couriers: int = 1
    scarce_time_weight: float = 1.0  # price of every courier minute of a job in a scarce epoch
    scarce_overage_weight: float = 0.0  # replaces overage_weight in a scarce epoch
    scarce_deadline_weight: float = 5.0  # extra weight per minute of delay just before the maximum (scarce epochs)
    deadline_window_minutes: float = 15.0  # where that weight applies: this long before the maximum, capped there
    # Tight orders: less slack under the maximum click-to-door than this (0: off). Outside scarce epochs
    # their delay costs up to tight_weight more, ramping over their slack to the first minute past the
    # maximum; in scarce epochs their line is committed tight_commit_minutes before the last moment
    tight_slack_minutes: float = 15.0
    tight_weight: float = 75.0
    tight_commit_minutes: float = 5.0  # in scarce epochs, commit a line with a tight order this much early
    # Outside scarce epochs, a bundle's drop-off sequence keeps its orders within the maximum
    # click-to-door when one can (scarce epochs keep the least total drop-off time: courier time first)
    sequence_for_maximum: bool = True
    # Scarce epochs plan a sequence of jobs per courier (`route_search.py`) instead of one job each
    scarce_routes: bool = True
    route_iterations: int = 20  # destroy-and-repair rounds of that search per epoch, at least
    route_order_rounds: int = 1200  # more in a small epoch: this many over the open orders ...
    route_max_iterations: int = 60  # ... up to this many
    route_max_orders: int = 120  # a larger backlog goes to the matching (the search grows with its square)
    route_capacity_weight: float = 0.75  # price of each shift minute the route plan uses (capacity for orders to come)
    fill_in: bool = True
    risk_bundles: bool = True  # an order at drop risk may be bundled with earlier ones beyond the ready window
    backlog_bundles: bool = True
    tie_jitter: float = 1e-3  # minutes; seeded noise that only breaks near-ties


@dataclass(slots=True)
class _Fleet:
    """Courier columns of the cost matrix (real couriers, or their planned next availability)."""

    ids: list[str]
    xs: np.ndarray
    ys: np.ndarray
    start: np.ndarray
    shift_end: np.ndarray
    speed: np.ndarray
    capacity: np.ndarray  # orders carried at once (inf: no limit)
    keep: np.ndarray  # cost of taking the courier away from where it is
    positions: list[Point] | None  # built only for travel models without a vectorised form
    to_merchant: dict[str, np.ndarray]


@dataclass(slots=True)
class _Epoch:
    """Per-epoch data shared by the scoring steps."""

    now: float
    context: DispatchContext
    lb: dict[str, float]
    reward: dict[str, float]
    work: dict[str, float] = field(default_factory=dict)  # courier minutes each order needs alone
    overage: float = 0.0  # weight of the minutes past the click-to-door target in this epoch
    scarce: bool = False
    job_time_weight: float = 0.0  # price of every courier minute of a job (scarce epochs only)
    deadline: float = 0.0  # weight of the minutes just before the maximum click-to-door (scarce epochs only)
    deadline_window: float = 0.0
    tight_slack: float = 0.0  # orders with less slack than this get the tight-order cost (calm epochs only)
    tight_weight: float = 0.0
    tight: frozenset[str] = frozenset()  # orders with less slack under the maximum than the tight limit
    at_risk: set[str] = field(default_factory=set)  # orders soon without any courier able to pick them up
    soon: int = 0  # couriers free within the load window


class RollingHorizonPolicy:
    """Rolling horizon, same-merchant bundles, optimal matching, postponement, urgency."""

    name = "rolling"

    def __init__(self, params: RollingParams | None = None) -> None:
        self.params = params or RollingParams()
        self.demand = DemandField(self.params.demand_window_minutes, self.params.demand_reach_minutes)
        self.packing = PackingParams(iterations=self.params.packing_iterations, step=self.params.packing_step,
                                     decay=self.params.packing_decay, max_rounds=self.params.max_rounds)
        self._rng: np.random.Generator | None = None
        self.routes = RouteSearch(RouteSearchParams(iterations=self.params.route_iterations,
                                                    order_rounds=self.params.route_order_rounds,
                                                    max_iterations=self.params.route_max_iterations,
                                                    capacity_weight=self.params.route_capacity_weight))

    # -- the epoch -------------------------------------------------------------------------
    def decide(self, snapshot: Snapshot, context: DispatchContext) -> list[Assignment]:
        now, p = snapshot.now, self.params
        self.demand.observe(snapshot.orders, now)
        couriers = sorted(
            (c for c in snapshot.couriers
             if c.start_time(now) <= min(now + p.horizon_minutes, c.shift_end)),
            key=lambda c: c.id,
        )
        if not snapshot.orders or not couriers:
            return []
        fleet = self._fleet(couriers, now)
        speed = float(np.median(fleet.speed))
        orders = sorted(snapshot.orders, key=lambda o: o.id)
        ep = self._epoch_terms(orders, fleet, now, context, speed)
        if ep.scarce and p.scarce_routes and len(orders) <= p.route_max_orders:
            return self.routes.decide(orders, couriers, now, context)
        self.routes.reset()
        mind_the_maximum = p.sequence_for_maximum and not ep.scarce  # for the bundles' sequences, here and at commitment
        bundles = candidate_bundles(
            orders, context.travel, speed, context.rules, max_size=p.max_bundle, ready_window=p.bundle_ready_window,
            now=now if p.backlog_bundles else None,
            unbounded=frozenset(ep.at_risk) if p.risk_bundles else frozenset(),
            mind_the_maximum=mind_the_maximum,
        )
        if self._rng is None:
            self._rng = np.random.default_rng(context.seed)
        jitter = self._rng.uniform(0.0, p.tie_jitter, size=(len(bundles), len(fleet.ids)))
        plan = select_lines(bundles, self._cost_matrix(bundles, fleet, ep) + jitter, self.packing)
        # plan columns index `couriers` (the fleet was built from them, in order)
        out = self._commit(plan, bundles, couriers, now, context, self._tight_orders(ep), mind_the_maximum)
        if p.fill_in:
            out += self._fill_in(plan, bundles, couriers, fleet, orders, out, now, context)
        return out

    def _tight_orders(self, ep: _Epoch) -> frozenset[str]:
        """Tight orders whose line is committed early: in scarce epochs only (elsewhere it gains little
        and shifts the dinner peak of a busy day)."""
        return ep.tight if self.params.tight_commit_minutes and ep.scarce else frozenset()

    def _fill_in(
        self, plan: list[tuple[int, int]], bundles: list[BundleRoute], cols: list[CourierState], fleet: _Fleet,
        orders: list[OpenOrder], committed: list[Assignment], now: float, context: DispatchContext,
    ) -> list[Assignment]:
        """Short jobs for idle couriers before their planned (not yet due) pickup."""
        rules = context.rules
        busy = {a.courier_id for a in committed}
        planned = {o.id for r, _ in plan for o in bundles[r].orders}
        uncovered = [o for o in orders if o.id not in planned and o.ready_at <= now + context.epoch_minutes]
        if not uncovered:
            return []
        lines: dict[int, PlannedLine] = {}
        for r, c in plan:
            b = bundles[r]
            tt = self._to_merchant(b.orders[0], fleet, context)[c]
            lines[c] = PlannedLine(cols[c], b, max(b.ready_at, fleet.start[c] + tt + rules.pickup_service / 2))
        for c, courier in enumerate(cols):
            if c not in lines:
                lines[c] = PlannedLine(courier, None, 0.0)
        candidates = [lines[c] for c in sorted(lines) if cols[c].id not in busy]
        return fill_in(candidates, uncovered, now, context.travel, rules, context.epoch_minutes)

    def _fleet(self, couriers: list[CourierState], now: float) -> _Fleet:
        xs = np.array([c.position.x for c in couriers], dtype=float)
        ys = np.array([c.position.y for c in couriers], dtype=float)
        speed = np.array([c.speed_m_per_min for c in couriers], dtype=float)
        keep = self.params.position_value_weight * self.demand.value(xs, ys, speed)
        return _Fleet(
            ids=[c.id for c in couriers], xs=xs, ys=ys,
            start=np.array([c.start_time(now) for c in couriers], dtype=float),
            shift_end=np.array([c.shift_end for c in couriers], dtype=float),
            speed=speed,
            capacity=np.array([np.inf if c.capacity is None else c.capacity for c in couriers], dtype=float),
            keep=keep, positions=[c.position for c in couriers], to_merchant={},
        )

    # -- scoring ---------------------------------------------------------------------------
    @staticmethod
    def _penalty(drop: Any, lb: Any, placed: Any, ep: _Epoch) -> Any:
        """Delay over the lower bound, weighted more past the click-to-door target and, in scarce
        epochs, in the last minutes before the maximum (capped there: an order that can still make
        it goes first). A tight order (little slack under the maximum, or under its own bound when
        that is later) pays up to the tight weight more, ramping over its slack to the first minute
        past that limit. Numbers or numpy arrays of one shape."""
        rules = ep.context.rules
        pen = (drop - lb) + ep.overage * np.maximum(0.0, drop - placed - rules.target_click_to_door)
        if ep.deadline:
            near = drop - placed - rules.max_click_to_door + ep.deadline_window
            pen = pen + ep.deadline * np.clip(near, 0.0, ep.deadline_window)
        if ep.tight_weight:  # the limit is the maximum, or the order's own bound when that is later
            limit = np.maximum(rules.max_click_to_door, lb - placed)
            slack = limit - (lb - placed)
            window = slack + 1.0
            near = drop - placed - limit - 1.0 + window
            pen = pen + ep.tight_weight * np.clip(near / window, 0.0, 1.0) * (slack < ep.tight_slack)
        return pen

    def _epoch_terms(
        self, orders: list[OpenOrder], fleet: _Fleet, now: float, context: DispatchContext, speed: float
    ) -> _Epoch:
        """Lower-bound drop-off and cover reward of each order (urgency, starvation, drop risk)."""
        rules, p = context.rules, self.params
        ep = _Epoch(now, context, {}, {}, overage=p.overage_weight, deadline_window=p.deadline_window_minutes,
                    tight_slack=p.tight_slack_minutes, tight_weight=p.tight_weight if p.tight_slack_minutes else 0.0)
        ep.soon = int(np.sum(fleet.start <= now + p.load_window_minutes))
        load = len(orders) / max(1, ep.soon)
        base_reward = p.cover_reward + p.busy_cover_reward * max(0.0, load - 1.0)
        for o in orders:
            lb_o = lower_bound_dropoff(o, context.travel, speed, rules)
            ep.lb[o.id] = lb_o
            ep.work[o.id] = lb_o - max(o.ready_at, o.placed_at) + rules.pickup_service / 2 + rules.dropoff_service / 2
        ep.tight = frozenset(
            o.id for o in orders if rules.max_click_to_door - (ep.lb[o.id] - o.placed_at) < ep.tight_slack
        )
        if not ep.tight:
            ep.tight_weight = 0.0  # no tight order open: skip the term
        if self._scarce(orders, fleet, ep):
            ep.scarce = True
            ep.overage = p.scarce_overage_weight
            ep.job_time_weight = p.scarce_time_weight
            ep.deadline = p.scarce_deadline_weight
            ep.tight_weight = 0.0  # the deadline reserve covers tight orders here
        for o in orders:
            lb_o = ep.lb[o.id]
            direct = lb_o - max(o.ready_at, o.placed_at)
            postponed = max(lb_o, now + context.epoch_minutes + p.postpone_access_minutes + direct)
            late = max(0.0, now + direct - o.placed_at - rules.target_click_to_door)
            ep.reward[o.id] = (
                base_reward + float(self._penalty(postponed, lb_o, o.placed_at, ep)) + p.starvation_weight * late * late
            )
        for o in orders:
            tt = self._to_merchant(o, fleet, context)
            pickup = np.maximum(o.ready_at, fleet.start + tt + rules.pickup_service / 2)
            slack = float(np.max(fleet.shift_end - pickup))
            if 0.0 <= slack < p.drop_risk_minutes:  # soon no courier left to pick it up
                ep.reward[o.id] += p.drop_risk_reward
                ep.at_risk.add(o.id)
        return ep

    def _scarce(self, orders: list[OpenOrder], fleet: _Fleet, ep: _Epoch) -> bool:
        """More open work than the couriers can do in the next window (minutes they can still start).

        Each open order counts its own work plus a typical trip to the merchant; a lone courier (or
        none) free soon with more orders than that is scarce at any load. In such an epoch
        throughput comes first: every courier minute of a job is priced and lateness past the target
        no longer outweighs it, so short jobs and bundles go first and fewer orders are left.
        """
        p = self.params
        if p.scarce_ratio <= 0.0:
            return False
        if p.lone_pool_couriers and ep.soon <= p.lone_pool_couriers and len(orders) > ep.soon:
            return True
        end = np.minimum(fleet.shift_end, ep.now + p.scarce_window_minutes)
        supply = float(np.clip(end - fleet.start, 0.0, None).sum())
        need = sum(ep.work.values()) + p.scarce_deadhead_minutes * len(orders)
        ratio = p.scarce_ratio
        if p.small_fleet_couriers and ep.soon < p.small_fleet_couriers:
            ratio = p.small_fleet_ratio
        return need > ratio * supply

    @staticmethod
    def _to_merchant(o: OpenOrder, fleet: _Fleet, context: DispatchContext) -> np.ndarray:
        """Minutes from every courier column to the order's merchant (cached per epoch)."""
        tt = fleet.to_merchant.get(o.merchant_id)
        if tt is None:
            if fleet.positions is None:
                fleet.positions = [Point(float(x), float(y)) for x, y in zip(fleet.xs, fleet.ys)]
            tt = travel_from_many(context.travel, fleet.positions, fleet.xs, fleet.ys, o.pickup, fleet.speed)
            fleet.to_merchant[o.merchant_id] = tt
        return tt

    def _cost_matrix(self, bundles: list[BundleRoute], fleet: _Fleet, ep: _Epoch) -> np.ndarray:
        """Net cost of each (bundle, courier) pair; negative means worth covering now."""
        rules, p = ep.context.rules, self.params
        n, width = len(bundles), max(len(b.orders) for b in bundles)
        tt = np.stack([self._to_merchant(b.orders[0], fleet, ep.context) for b in bundles])
        ready = np.array([b.ready_at for b in bundles])
        pickup = np.maximum(ready[:, None], fleet.start[None, :] + tt + rules.pickup_service / 2)
        offs = np.zeros((n, width))
        lb = np.zeros((n, width))
        placed = np.zeros((n, width))
        used = np.zeros((n, width), dtype=bool)
        fixed = np.zeros(n)  # courier work beyond the orders' own, minus the cover rewards
        for i, b in enumerate(bundles):
            fixed[i] = p.courier_time_weight * (
                rules.pickup_service / 2 + b.duration_after_pickup - sum(ep.work[o.id] for o in b.orders)
            ) - sum(ep.reward[o.id] for o in b.orders)
            for k, (o, off) in enumerate(zip(b.orders, b.drop_offsets)):
                offs[i, k], lb[i, k], placed[i, k], used[i, k] = off, ep.lb[o.id], o.placed_at, True
        drop = pickup[:, :, None] + offs[:, None, :]
        pen = self._penalty(drop, lb[:, None, :], placed[:, None, :], ep)
        cost = (pen * used[:, None, :]).sum(axis=2) + p.courier_time_weight * tt + fleet.keep[None, :] + fixed[:, None]
        if ep.job_time_weight:  # scarce epoch: every courier minute of the job, waiting for the food included,
            # up to the courier's off-time (it may finish drop-offs after it, but takes nothing more)
            after = np.array([rules.pickup_service / 2 + b.duration_after_pickup for b in bundles])
            done = np.minimum(pickup + after[:, None], fleet.shift_end[None, :])
            cost += ep.job_time_weight * (done - fleet.start[None, :])
        cost[pickup > fleet.shift_end[None, :]] = INFEASIBLE
        sizes = np.array([len(b.orders) for b in bundles], dtype=float)
        cost[sizes[:, None] > fleet.capacity[None, :]] = INFEASIBLE
        return cost

    # -- commitment ------------------------------------------------------------------------
    def _commit(
        self, plan: list[tuple[int, int]], bundles: list[BundleRoute], couriers: list[CourierState],
        now: float, context: DispatchContext, tight: frozenset[str] = frozenset(), mind_the_maximum: bool = True,
    ) -> list[Assignment]:
        """Commit plan lines whose courier is idle and would be late if it left one epoch later
        (`tight_commit_minutes` later for a line carrying one of the `tight` orders)."""
        rules = context.rules
        out: list[Assignment] = []
        for r, c in sorted(plan, key=lambda rc: couriers[rc[1]].id):
            courier = couriers[c]
            if not courier.is_idle(now):
                continue
            route = build_route(bundles[r].orders, context.travel, courier.speed_m_per_min, rules,
                                mind_the_maximum=mind_the_maximum)
            a = plan_assignment(courier, route, now, context.travel, rules)
            if a.pickup_at > courier.shift_end:
                continue
            early = self.params.tight_commit_minutes if any(o.id in tight for o in route.orders) else 0.0
            if a.arrive_pickup_at + rules.pickup_service / 2 + context.epoch_minutes + early > route.ready_at:
                out.append(a)
        return out
