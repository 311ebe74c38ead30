"""Courier routes for scarce epochs: each courier's next jobs in sequence, improved by destroy and repair.

When the open work exceeds what the couriers can do soon, one job per courier (the matching) is too
short a plan: which courier takes which order *after* its current one decides how many orders can be
carried at all. Here every courier in the horizon gets a sequence of jobs (one merchant's orders
each, in drop-off order), timed from where and when it is free under the base rules. The plan is
kept from one epoch to the next (orders committed or gone are taken out, new orders go where they
cost least), then improved by a few rounds of large-neighbourhood search: remove a handful of related
orders (placed about the same time, merchants near each other), re-insert each where it costs least
(a new job anywhere in a courier's sequence, or into a job of the same merchant in any drop-off
position), keep the result unless it is worse (by simulated annealing at a low temperature). The
cost of an order is its drop-off delay over its lower bound, plus a fixed weight past the maximum
click-to-door (or past its own bound when that is later) and a larger one for an order no courier
carries; each shift minute the plan takes from a courier costs a little too (minutes after its
off-time are free: it may finish drop-offs then but take nothing more), so the plan leaves the
couriers who stay free for the orders still to come. As in the matching, only first jobs whose idle
courier must leave now are committed.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass, replace

import numpy as np

from allo.dispatch.model import Assignment, CourierState, DispatchContext, OpenOrder
from allo.dispatch.routing import latest_dropoff, lower_bound_dropoff, plan_assignment, route_in_sequence
from allo.dispatch.travel import travel_from_many
from allo.domain.geo import Point

Job = tuple[int, ...]  # order indices of one merchant, in drop-off sequence


@dataclass(frozen=True, slots=True)
class RouteSearchParams:
    iterations: int = 20  # destroy-and-repair rounds per epoch (at least, with `order_rounds`)
    order_rounds: int = 0  # if set, rounds = this / open orders, between `iterations` and `max_iterations`
    max_iterations: int = 60
    min_removed: int = 2
    max_removed: int = 8
    temperature: float = 0.3  # minutes; simulated-annealing acceptance of a worse plan
    max_bundle: int = 6
    late_weight: float = 300.0  # an order past its maximum click-to-door, in minutes of delay
    left_weight: float = 2000.0  # an order no courier carries
    capacity_weight: float = 0.0  # per courier minute of shift the plan uses (minutes after the off-time are free)


class _Epoch:
    """The epoch's orders and couriers as flat lists, travel times between their places, job timing."""

    def __init__(self, orders: list[OpenOrder], couriers: list[CourierState], now: float,
                 context: DispatchContext, params: RouteSearchParams) -> None:
        rules = context.rules
        self.orders, self.couriers, self.params = orders, couriers, params
        self.hp, self.hd = rules.pickup_service / 2, rules.dropoff_service / 2
        points: list[Point] = [c.position for c in couriers]
        merchant_loc: dict[str, int] = {}
        self.m_loc: list[int] = []
        self.c_loc: list[int] = []
        for o in orders:
            if o.merchant_id not in merchant_loc:
                merchant_loc[o.merchant_id] = len(points)
                points.append(o.pickup)
            self.m_loc.append(merchant_loc[o.merchant_id])
            self.c_loc.append(len(points))
            points.append(o.dropoff)
        xs = np.array([p.x for p in points], dtype=float)
        ys = np.array([p.y for p in points], dtype=float)
        speeds = sorted({c.speed_m_per_min for c in couriers})
        self.minutes: list[list[list[float]]] = []  # per speed: [from place][to place]
        for s in speeds:
            speed = np.full(len(points), s)
            table = np.zeros((len(points), len(points)))  # courier places are never a destination
            for j in range(len(couriers), len(points)):
                table[:, j] = travel_from_many(context.travel, points, xs, ys, points[j], speed)
            self.minutes.append(table.tolist())
        self.speed_of = [speeds.index(c.speed_m_per_min) for c in couriers]
        self.one_speed = len(speeds) == 1  # couriers' travel times match the lower bounds' (for pruning)
        median = float(np.median([c.speed_m_per_min for c in couriers]))
        self.placed = [o.placed_at for o in orders]
        self.ready = [o.ready_at for o in orders]
        self.lb = [lower_bound_dropoff(o, context.travel, median, rules) for o in orders]
        self.limit = [latest_dropoff(o, lb, rules) for o, lb in zip(orders, self.lb)]
        self.start = [(c.start_time(now), k) for k, c in enumerate(couriers)]  # (free from, place)
        self.off = [c.shift_end for c in couriers]
        # the largest job each courier may carry: the search's own limit, or less if the courier carries less
        self.max_job = [params.max_bundle if c.capacity is None else min(params.max_bundle, c.capacity)
                        for c in couriers]
        self.merchant = [o.merchant_id for o in orders]
        self.late = params.late_weight
        # minutes between merchants, for picking related orders
        self.place_minutes = self.minutes[len(speeds) // 2]

    def run_job(self, k: int, free: float, at: int, job: Job) -> tuple[float, int, float] | None:
        """Courier k, free at place `at` from `free`, takes `job` as soon as its orders are placed:
        (free again, place, cost); None if it could pick up only after its shift end."""
        minutes = self.minutes[self.speed_of[k]]
        m = self.m_loc[job[0]]
        if len(job) == 1:
            ready, placed = self.ready[job[0]], self.placed[job[0]]
        else:
            ready, placed = max(self.ready[i] for i in job), max(self.placed[i] for i in job)
        leave = free if free >= placed else placed  # no assignment before its orders are placed
        hp = self.hp
        pickup = leave + minutes[at][m] + hp
        if ready > pickup:
            pickup = ready
        if pickup > self.off[k]:
            return None
        t, at, cost, hd = pickup + hp, m, 0.0, self.hd
        c_loc, lb, limit = self.c_loc, self.lb, self.limit
        for i in job:
            c = c_loc[i]
            drop = t + minutes[at][c] + hd
            cost += drop - lb[i]
            if drop > limit[i]:
                cost += self.late
            t, at = drop + hd, c
        return t, at, cost


class Routes:
    """Every courier's jobs with the state before each job and each job's cost, kept in step."""

    def __init__(self, ep: _Epoch, jobs: list[list[Job]], left: set[int]) -> None:
        self.ep = ep
        self.jobs = [list(js) for js in jobs]
        self.left = set(left)
        self.where = {i: k for k, js in enumerate(self.jobs) for job in js for i in job}
        self.free: list[list[float]] = [[] for _ in jobs]
        self.at: list[list[int]] = [[] for _ in jobs]
        self.cost: list[list[float]] = [[] for _ in jobs]
        self._saved: dict[int, tuple[list[Job], list[float], list[int], list[float]]] | None = None
        for k in range(len(jobs)):
            self.refresh(k, 0)

    def checkpoint(self) -> tuple[set[int], dict[int, int]]:
        """Start recording the couriers changed from now on, for `rollback`."""
        self._saved = {}
        return set(self.left), dict(self.where)

    def rollback(self, mark: tuple[set[int], dict[int, int]]) -> None:
        """Undo every change since `checkpoint`."""
        assert self._saved is not None
        for k, (jobs, free, at, cost) in self._saved.items():
            self.jobs[k], self.free[k], self.at[k], self.cost[k] = jobs, free, at, cost
        self.left, self.where = set(mark[0]), dict(mark[1])
        self._saved = {}

    def _touch(self, k: int) -> None:
        if self._saved is not None and k not in self._saved:
            self._saved[k] = (list(self.jobs[k]), list(self.free[k]), list(self.at[k]), list(self.cost[k]))

    def refresh(self, k: int, start: int) -> None:
        """Re-time courier k from job `start` on; a job it can no longer pick up in time is dropped
        and its orders are left (a change upstream moved where or when the courier starts it)."""
        self._touch(k)
        ep, jobs = self.ep, self.jobs[k]
        if start == 0:
            free, at = ep.start[k]
            self.free[k], self.at[k], self.cost[k] = [free], [at], []
        else:
            del self.free[k][start + 1:], self.at[k][start + 1:], self.cost[k][start:]
        pos = start
        while pos < len(jobs):
            out = ep.run_job(k, self.free[k][-1], self.at[k][-1], jobs[pos])
            if out is None:
                for i in jobs.pop(pos):
                    self.where.pop(i, None)
                    self.left.add(i)
                continue
            self.free[k].append(out[0])
            self.at[k].append(out[1])
            self.cost[k].append(out[2])
            pos += 1

    def shift_minutes(self, k: int) -> float:
        """Minutes of courier k's shift its plan takes, from when it is free to when its last job
        leaves it free; minutes after its off-time do not count (it may finish drop-offs then, but
        takes nothing more)."""
        free_k = self.free[k]
        return max(0.0, min(free_k[-1], self.ep.off[k]) - free_k[0])

    def objective(self) -> float:
        p = self.ep.params
        total = sum(sum(c) for c in self.cost) + p.left_weight * len(self.left)
        if p.capacity_weight:
            total += p.capacity_weight * sum(self.shift_minutes(k) for k in range(len(self.free)))
        return total

    def _delta(self, k: int, pos: int, job: Job, replace: bool, bound: float) -> float | None:
        """Cost change of `job` at `pos` in courier k's sequence (instead of job `pos` if `replace`);
        None if infeasible or not below `bound`. The jobs after it can only be delayed (every order of
        an epoch is placed, so a courier leaves for a job as soon as it is free), so the change only
        grows along the sequence and the search stops once it reaches the bound."""
        ep, jobs, free_k, at_k, cost_k = self.ep, self.jobs[k], self.free[k], self.at[k], self.cost[k]
        out = ep.run_job(k, free_k[pos], at_k[pos], job)
        if out is None:
            return None
        free, at, delta = out
        if replace:
            delta -= cost_k[pos]
        for n in range(pos + 1 if replace else pos, len(jobs)):
            if delta >= bound:
                return None
            if free == free_k[n] and at == at_k[n]:
                free = free_k[-1]  # back in step: the rest of the sequence is unchanged
                break
            out = ep.run_job(k, free, at, jobs[n])
            if out is None:
                return None
            free, at, c = out
            delta += c - cost_k[n]
        weight = ep.params.capacity_weight
        if weight:  # the plan's shift minutes: it can only end later, so the change stays a lower bound
            off, was = ep.off[k], free_k[-1]
            delta += weight * ((free if free < off else off) - (was if was < off else off))
        return delta if delta < bound else None

    def _candidates(self, i: int, base: float) -> list[tuple[float, int, int, int, float]]:
        """Per courier who can still pick order i up: (least own delay, courier, first and last
        position worth trying, earliest arrival at its merchant from those positions)."""
        ep = self.ep
        deadline, placed, m, ready = ep.limit[i], ep.placed[i], ep.m_loc[i], ep.ready[i]
        off, speed_of, minutes, one_speed, at = ep.off, ep.speed_of, ep.minutes, ep.one_speed, self.at
        out = []
        for k, free_k in enumerate(self.free):
            if off[k] < ready:
                continue
            n_jobs = len(free_k) - 1
            if not n_jobs:  # nothing planned yet for this courier
                lo = hi = 0
                reach = free_k[0] + minutes[speed_of[k]][at[k][0]][m]
            else:  # positions between the last one free before placement and the deadline
                hi = bisect_right(free_k, deadline)
                if hi > n_jobs:
                    hi = n_jobs
                lo = bisect_right(free_k, placed) - 1
                if lo < 0:
                    lo = 0
                if lo > hi:
                    lo = hi
                # the earliest this courier reaches the merchant from any position from `lo` on
                reach = free_k[lo] + minutes[speed_of[k]][at[k][lo]][m]
                if lo < n_jobs and free_k[lo + 1] < reach:
                    reach = free_k[lo + 1]
            out.append((reach - base if one_speed and reach > base else 0.0, k, lo, hi, reach))
        return out

    def insert(self, i: int) -> None:
        """Order i where it costs least; left when no courier can take it or leaving it is cheaper."""
        ep = self.ep
        best: tuple[float, int, int, Job, bool] | None = None
        bound = ep.params.left_weight  # leaving the order costs this much
        placed, m = ep.placed[i], ep.m_loc[i]
        base = max(ep.ready[i], placed) - ep.hp  # the order's own delay is at least (pickup - hp) - base
        off, ready, speed_of, minutes, one_speed = ep.off, ep.ready[i], ep.speed_of, ep.minutes, ep.one_speed
        weight = ep.params.capacity_weight if one_speed else 0.0
        direct = ep.lb[i] - max(ready, placed)  # pickup to drop-off, at the lower bound's speed
        candidates = self._candidates(i, base)
        candidates.sort()
        for least, k, lo, hi, reach in candidates:
            if least >= bound:
                break  # no courier further down the list can do better
            if weight:  # nor this one, counting the shift minutes its plan takes at least: it is free
                # again no sooner than the order's own minutes after reaching the merchant
                end, was = (ready if ready > reach else reach) + direct, self.free[k][-1]
                more = (end if end < off[k] else off[k]) - (was if was < off[k] else off[k])
                if least + weight * more >= bound:
                    continue
            jobs, free_k, at_k, to_m = self.jobs[k], self.free[k], self.at[k], minutes[speed_of[k]]
            for pos in range(lo, hi + 1):
                # a new job here: skipped when the order's own delay alone (one speed: timed as its lower
                # bound is) reaches the bound, as `_delta` would find (the margin absorbs rounding)
                leave = free_k[pos] if free_k[pos] > placed else placed
                if not one_speed or leave + to_m[at_k[pos]][m] - base < bound + 1e-9:
                    delta = self._delta(k, pos, (i,), False, bound)
                    if delta is not None:
                        best, bound = (delta, k, pos, (i,), False), delta
                job = jobs[pos] if pos < len(jobs) else ()
                if job and ep.merchant[job[0]] == ep.merchant[i] and len(job) < ep.max_job[k]:
                    for s in range(len(job) + 1):
                        cand = job[:s] + (i,) + job[s:]
                        delta = self._delta(k, pos, cand, True, bound)
                        if delta is not None:
                            best, bound = (delta, k, pos, cand, True), delta
        if best is None:
            self.left.add(i)
            return
        _, k, pos, job, replace = best
        self._touch(k)
        if replace:
            self.jobs[k][pos] = job
        else:
            self.jobs[k].insert(pos, job)
        for o in job:
            self.where[o] = k
        self.left.discard(i)
        self.refresh(k, pos)

    def remove(self, i: int) -> None:
        """Take order i out of its job (nothing if it is already left)."""
        k = self.where.pop(i, None)
        if k is None:
            return
        self._touch(k)
        for pos, job in enumerate(self.jobs[k]):
            if i in job:
                rest = tuple(o for o in job if o != i)
                if rest:
                    self.jobs[k][pos] = rest
                else:
                    del self.jobs[k][pos]
                self.refresh(k, pos)
                return

    def by_courier(self) -> dict[str, list[tuple[str, ...]]]:
        """The plan by courier id and order ids (couriers without a job left out)."""
        ids = [o.id for o in self.ep.orders]
        return {c.id: [tuple(ids[i] for i in job) for job in self.jobs[k]]
                for k, c in enumerate(self.ep.couriers) if self.jobs[k]}


def plan_routes(
    orders: list[OpenOrder], couriers: list[CourierState], now: float, context: DispatchContext,
    params: RouteSearchParams, rng: random.Random, plan: dict[str, list[tuple[str, ...]]] | None = None,
) -> Routes:
    """Every courier's jobs: `plan` kept where its orders are still open, the other orders inserted
    where they cost least (earliest deadline first), then `params.iterations` rounds of search."""
    ep = _Epoch(orders, couriers, now, context, params)
    index = {o.id: i for i, o in enumerate(orders)}
    jobs: list[list[Job]] = []
    for k, c in enumerate(couriers):  # a job over the courier's capacity (its vehicle changed) is cut
        kept = (tuple(index[o] for o in job if o in index)[:ep.max_job[k]] for job in (plan or {}).get(c.id, []))
        jobs.append([job for job in kept if job])
    routes = Routes(ep, jobs, set())
    for i in sorted((i for i in range(len(orders)) if i not in routes.where), key=lambda i: (ep.limit[i], i)):
        routes.left.discard(i)
        routes.insert(i)
    return _improve(routes, rng)


def _related(ep: _Epoch, seed: int, candidates: list[int], n: int) -> list[int]:
    """The n candidates nearest the seed order: placement time plus minutes between merchants."""
    m, minutes = ep.m_loc[seed], ep.place_minutes
    return sorted(candidates, key=lambda i: (abs(ep.placed[i] - ep.placed[seed]) + minutes[m][ep.m_loc[i]], i))[:n]


def _improve(routes: Routes, rng: random.Random) -> Routes:
    """Destroy and repair rounds; a worse plan is kept with the annealing probability."""
    ep, p = routes.ep, routes.ep.params
    current = routes.objective()
    for _ in range(p.iterations):
        planned = sorted(routes.where)
        if not planned:
            break
        mark = routes.checkpoint()
        left = sorted(routes.left)
        seed = rng.choice(left) if left and rng.random() < 0.5 else rng.choice(planned)
        removed = _related(ep, seed, planned, rng.randint(p.min_removed, p.max_removed))
        for i in removed:
            routes.remove(i)
        pool = sorted(set(removed) | routes.left)
        routes.left.clear()
        pool.sort(key=lambda i: ep.limit[i] + rng.uniform(-10.0, 10.0))
        for i in pool:
            routes.insert(i)
        value = routes.objective()
        if value <= current or rng.random() < math.exp((current - value) / p.temperature):
            current = value
        else:
            routes.rollback(mark)
    return routes


class RouteSearch:
    """The route plan of consecutive scarce epochs; `reset` forgets it when an epoch is not scarce."""

    def __init__(self, params: RouteSearchParams | None = None) -> None:
        self.params = params or RouteSearchParams()
        self.plan: dict[str, list[tuple[str, ...]]] = {}
        self._rng: random.Random | None = None

    def reset(self) -> None:
        self.plan = {}

    def decide(self, orders: list[OpenOrder], couriers: list[CourierState], now: float,
               context: DispatchContext) -> list[Assignment]:
        """Re-plan every courier's jobs and return the first jobs that must start now."""
        if not orders or not couriers:
            self.plan = {}
            return []
        if self._rng is None:
            self._rng = random.Random(context.seed)
        params = replace(self.params, iterations=self.rounds_for(len(orders)))
        routes = plan_routes(orders, couriers, now, context, params, self._rng, self.plan)
        out = self._commit(routes, now, context)
        self.plan = routes.by_courier()
        return out

    def rounds_for(self, n_orders: int) -> int:
        """Search rounds for an epoch with `n_orders` open orders: a round costs about in proportion
        to them, so a small epoch gets more (`order_rounds` / orders, within the bounds)."""
        p = self.params
        if not p.order_rounds:
            return p.iterations
        return min(p.max_iterations, max(p.iterations, p.order_rounds // max(1, n_orders)))

    def _commit(self, routes: Routes, now: float, context: DispatchContext) -> list[Assignment]:
        """First jobs of idle couriers who would pick up later if they left one epoch later."""
        ep, out = routes.ep, []
        for k, c in enumerate(ep.couriers):
            if not routes.jobs[k] or not c.is_idle(now):
                continue
            route = route_in_sequence(tuple(ep.orders[i] for i in routes.jobs[k][0]), context.travel,
                                      c.speed_m_per_min, context.rules)
            a = plan_assignment(c, route, now, context.travel, context.rules)
            if a.arrive_pickup_at + ep.hp + context.epoch_minutes > route.ready_at:
                out.append(a)
                routes.jobs[k].pop(0)
        return out
