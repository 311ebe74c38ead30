"""The plan of a matching epoch: bundles (rows) matched to couriers (columns), no order in two rows.

A row is a candidate bundle and a column a courier; `cost[r, c]` is the net cost of that line
(negative: worth doing now). The optimal assignment alone may choose two bundles that share an
order, since candidate bundles overlap (an order alone and in a pair, say) and each counts that
order's reward. `select_lines` resolves this in two ways and keeps the cheaper packing: rounds (keep
the cheapest line per order, match the rest again) and order prices (raise the price of each order
carried twice, lower it for an order left out, match again; each matching is made a packing the same
way and topped up from the rows and couriers left). The prices also give a lower bound on any
packing's cost, and the search stops once the best packing meets it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from allo.dispatch.routing import BundleRoute

Line = tuple[int, int]  # (row: bundle, column: courier)


@dataclass(frozen=True, slots=True)
class PackingParams:
    iterations: int = 8  # subgradient steps on the order prices (0: rounds only)
    step: float = 10.0  # first step, in minutes of cost per order carried twice
    decay: float = 0.7  # each step is this times the one before
    max_rounds: int = 4  # matchings of the rounds heuristic


def total(cost: np.ndarray, lines: list[Line]) -> float:
    """Sum of the cost of plan lines, added in the lines' order."""
    if not lines:
        return 0.0
    return float(sum(cost[[r for r, _ in lines], [c for _, c in lines]].tolist()))


def match(cost: np.ndarray, rows: list[int], cols: list[int]) -> list[Line]:
    """Optimal matching of `rows` to `cols` with a free "not now" option per row.

    Clipping the costs at 0 is the same problem as adding a zero "not now" column per row
    (a pair that costs 0 or more is as good as leaving the row out, and is dropped), on a
    matrix of len(cols) columns instead of len(cols) + len(rows).
    """
    if not rows or not cols:
        return []
    full = len(rows) == cost.shape[0] and len(cols) == cost.shape[1]
    sub = np.minimum(cost if full else cost[np.ix_(rows, cols)], 0.0)
    r_idx, c_idx = linear_sum_assignment(sub)
    keep = sub[r_idx, c_idx] < 0
    return [(rows[r], cols[c]) for r, c in zip(r_idx[keep].tolist(), c_idx[keep].tolist())]


def select_lines(bundles: list[BundleRoute], cost: np.ndarray, params: PackingParams) -> list[Line]:
    """The cheaper of the two packings (rounds, order prices) of the optimal matching."""
    n = len(bundles)
    order_ix: dict[str, int] = {}
    member_r: list[int] = []
    member_o: list[int] = []
    for i, b in enumerate(bundles):
        for o in b.orders:
            member_r.append(i)
            member_o.append(order_ix.setdefault(o.id, len(order_ix)))
    member = np.zeros((n, len(order_ix)))
    member[member_r, member_o] = 1.0

    chosen = match(cost, list(range(n)), list(range(cost.shape[1])))
    cover = member[[r for r, _ in chosen]].sum(axis=0)
    if cover.max(initial=0.0) <= 1.0:
        return chosen
    best = _select_rounds(bundles, cost, params.max_rounds, first=chosen)
    best_val = total(cost, best)
    price = np.zeros(len(order_ix))
    step = params.step
    for _ in range(params.iterations):
        price = np.maximum(0.0, price + step * (cover - 1.0))
        step *= params.decay
        priced = cost + (member @ price)[:, None]
        chosen = match(priced, list(range(n)), list(range(cost.shape[1])))
        bound = total(priced, chosen) - float(price.sum())  # no packing costs less than this
        if best_val <= bound + 1e-9:
            break
        cover = member[[r for r, _ in chosen]].sum(axis=0)
        packing = _top_up(bundles, cost, priced, _pack(bundles, cost, chosen))
        val = total(cost, packing)
        if val < best_val - 1e-9:
            best, best_val = packing, val
    return best


def _pack(
    bundles: list[BundleRoute], cost: np.ndarray, lines: list[Line], covered: set[str] | None = None,
) -> list[Line]:
    """Keep the cheapest line (per order) among lines that share orders; `covered` is updated."""
    covered = set() if covered is None else covered
    kept: list[Line] = []
    if not lines:
        return kept
    vals = cost[[r for r, _ in lines], [c for _, c in lines]].tolist()
    ranked = sorted(range(len(lines)), key=lambda k: (vals[k] / len(bundles[lines[k][0]].orders), lines[k]))
    for k in ranked:
        r, c = lines[k]
        ids = [o.id for o in bundles[r].orders]
        if vals[k] >= 0 or any(i in covered for i in ids):
            continue
        covered.update(ids)
        kept.append((r, c))
    return kept


def _top_up(bundles: list[BundleRoute], cost: np.ndarray, priced: np.ndarray, plan: list[Line]) -> list[Line]:
    """Match the rows and couriers a packing left free (at the current prices) and add what fits."""
    covered = {o.id for r, _ in plan for o in bundles[r].orders}
    used = {c for _, c in plan}
    rows = [i for i, b in enumerate(bundles) if not any(o.id in covered for o in b.orders)]
    cols = [j for j in range(cost.shape[1]) if j not in used]
    return plan + _pack(bundles, cost, match(priced, rows, cols), covered)


def _select_rounds(bundles: list[BundleRoute], cost: np.ndarray, max_rounds: int, first: list[Line]) -> list[Line]:
    """Resolve overlaps by rounds: keep the cheapest line per order, match the rest again."""
    covered: set[str] = set()
    used_cols: set[int] = set()
    plan: list[Line] = []
    for k in range(max_rounds):
        if k == 0:
            chosen = first
        else:
            rows = [i for i, b in enumerate(bundles) if not any(o.id in covered for o in b.orders)]
            cols = [j for j in range(cost.shape[1]) if j not in used_cols]
            chosen = match(cost, rows, cols)
        if not chosen:
            break
        kept = _pack(bundles, cost, chosen, covered)
        used_cols.update(c for _, c in kept)
        plan += kept
        if len(kept) == len(chosen):
            break
    return plan
