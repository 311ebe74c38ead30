"""Baselines: one order per courier, the courier who reaches the merchant first, oldest order first."""

from __future__ import annotations

from allo.dispatch.model import Assignment, DispatchContext, Snapshot
from allo.dispatch.routing import build_route, plan_assignment


class GreedyPolicy:
    """Each open order, by placement time, goes to the courier who can reach its merchant first.

    Busy couriers count with the time they become free: when the earliest one is busy, the
    order waits for it (and no later order may take that courier in this epoch). An idle
    courier chosen leaves at once, even if it then waits at the merchant.
    """

    name = "greedy"
    just_in_time = False

    def decide(self, snapshot: Snapshot, context: DispatchContext) -> list[Assignment]:
        travel, rules, now = context.travel, context.rules, snapshot.now
        idle = sorted((c for c in snapshot.couriers if c.start_time(now) <= c.shift_end), key=lambda c: c.id)
        out: list[Assignment] = []
        for order in sorted(snapshot.orders, key=lambda o: (o.placed_at, o.id)):
            best = None
            for c in idle:
                arrive = c.start_time(now) + travel.travel_minutes(c.position, order.pickup, c.speed_m_per_min)
                pickup = max(order.ready_at, arrive + rules.pickup_service / 2)
                if pickup > c.shift_end:
                    continue
                if best is None or arrive < best[0]:
                    best = (arrive, c)
            if best is None:
                continue
            arrive, courier = best
            if self.just_in_time and courier.is_idle(now) and (
                    arrive + rules.pickup_service / 2 + context.epoch_minutes <= order.ready_at):
                continue  # it could still leave next epoch: keep it free for now
            idle.remove(courier)
            if not courier.is_idle(now):
                if not idle:
                    break
                continue
            route = build_route((order,), travel, courier.speed_m_per_min, rules)
            out.append(plan_assignment(courier, route, now, travel, rules))
            if not idle:
                break
        return out


class JustInTimeGreedyPolicy(GreedyPolicy):
    """The same choice, made at the last moment: an idle courier who could leave one epoch later
    and still be at the merchant when the food is ready is not sent yet (nor held for the order).

    A stronger baseline than `greedy` on days with long preparation times (a courier is not tied
    up waiting at a kitchen); its figures are close to the README's greedy reference.
    """

    name = "greedy-jit"
    just_in_time = True
