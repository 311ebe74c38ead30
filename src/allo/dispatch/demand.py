"""Recent demand around a point: how valuable it is to keep an idle courier there.

The policy remembers the merchants of orders it has seen over a sliding window and scores a
position by the recent order rate of nearby merchants (an exponential kernel in travel
minutes). Sending away a courier from a busy area costs more than one from a quiet area.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from allo.dispatch.model import OpenOrder


class DemandField:
    def __init__(self, window_minutes: float = 30.0, reach_minutes: float = 5.0) -> None:
        self.window = window_minutes
        self.reach = reach_minutes
        self._seen: dict[str, float] = {}  # order id -> placement, pruned as the window slides
        self._recent: deque[tuple[float, float, float]] = deque()  # (placed_at, x, y)

    def observe(self, orders: tuple[OpenOrder, ...] | list[OpenOrder], now: float) -> None:
        """Remember the orders not seen before (placed within the window)."""
        horizon = now - self.window
        fresh = sorted((o for o in orders if o.id not in self._seen), key=lambda o: (o.placed_at, o.id))
        for o in fresh:
            self._seen[o.id] = o.placed_at
            if o.placed_at >= horizon:
                self._recent.append((o.placed_at, o.pickup.x, o.pickup.y))
        while self._recent and self._recent[0][0] < horizon:
            self._recent.popleft()
        if len(self._seen) > 4 * (len(self._recent) + len(orders)) + 1000:
            open_ids = {o.id for o in orders}
            self._seen = {k: t for k, t in self._seen.items() if t >= horizon or k in open_ids}

    def value(self, xs: np.ndarray, ys: np.ndarray, speeds: np.ndarray) -> np.ndarray:
        """Recent orders per minute within about `reach` minutes of each position."""
        if not self._recent or xs.size == 0:
            return np.zeros_like(xs)
        pts = np.array([(x, y) for _, x, y in self._recent], dtype=float)
        d = np.hypot(xs[:, None] - pts[None, :, 0], ys[:, None] - pts[None, :, 1])
        minutes = d / speeds[:, None]
        return np.exp(-minutes / self.reach).sum(axis=1) / self.window
