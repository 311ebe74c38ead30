"""A solution in the reference evaluator's terms, and its three files.

Times are minutes from the start of the day: whole minutes under the MDRP rules (and in the files),
fractional when a simulation uses a fractional travel model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from allo.simulation.text_tables import data_lines, number

ASSIGNMENTS_FILE = "solution_info_assignments.txt"
ORDERS_FILE = "solution_info_orders.txt"
COURIERS_FILE = "solution_info_couriers.txt"
ON_LOCATION = "0"


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    assigned_at: float
    pickup_at: float
    courier_id: str
    order_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderRecord:
    order_id: str
    placed_at: float
    ready_at: float
    pickup_at: float
    dropoff_at: float
    courier_id: str


@dataclass(frozen=True, slots=True)
class Move:
    courier_id: str
    departs_at: float
    origin: str  # "0" (on-location), a restaurant id or an order id
    destination: str


@dataclass
class Solution:
    assignments: list[AssignmentRecord] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


def _t(x: float) -> str:
    return str(int(round(x)))


def write_solution(solution: Solution, folder: Path | str) -> None:
    """Write the three files (header line, single spaces, whole minutes)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    a_lines = ["assignment_time pickup_time courier orders"]
    for a in solution.assignments:
        a_lines.append(" ".join([_t(a.assigned_at), _t(a.pickup_at), a.courier_id, *a.order_ids]))
    o_lines = ["order placement_time ready_time pickup_time dropoff_time courier"]
    for o in solution.orders:
        o_lines.append(
            f"{o.order_id} {_t(o.placed_at)} {_t(o.ready_at)} {_t(o.pickup_at)} {_t(o.dropoff_at)} {o.courier_id}"
        )
    m_lines = ["courier departure_time origin destination"]
    order = {}
    for i, m in enumerate(solution.moves):
        order.setdefault(m.courier_id, len(order))
    for m in sorted(solution.moves, key=lambda m: order[m.courier_id]):  # stable: keeps execution order
        m_lines.append(f"{m.courier_id} {_t(m.departs_at)} {m.origin} {m.destination}")
    (folder / ASSIGNMENTS_FILE).write_text("\n".join(a_lines) + "\n", encoding="utf-8")
    (folder / ORDERS_FILE).write_text("\n".join(o_lines) + "\n", encoding="utf-8")
    (folder / COURIERS_FILE).write_text("\n".join(m_lines) + "\n", encoding="utf-8")


def _time(path: Path, line: int, column: str, text: str) -> float:
    """A time as written: kept exact (a checker must not round a fraction away), whole minutes as ints."""
    value = number(path, line, column, text)
    return int(value) if value.is_integer() else value


def read_solution(folder: Path | str) -> Solution:
    """Read the three files (header line, whitespace-separated fields); raises `FileFormatError`
    naming the file and line when one is missing or malformed."""
    folder = Path(folder)
    hint = f"a solution folder holds {ASSIGNMENTS_FILE}, {ORDERS_FILE} and {COURIERS_FILE}"
    sol = Solution()
    path = folder / ASSIGNMENTS_FILE
    for no, r in data_lines(path, ("assignment_time", "pickup_time", "courier", "order"), at_least=True,
                            missing_hint=hint):
        sol.assignments.append(AssignmentRecord(
            _time(path, no, "assignment_time", r[0]), _time(path, no, "pickup_time", r[1]), r[2], tuple(r[3:])))
    path = folder / ORDERS_FILE
    for no, r in data_lines(path, ("order", "placement_time", "ready_time", "pickup_time", "dropoff_time", "courier"),
                            missing_hint=hint):
        sol.orders.append(OrderRecord(r[0], *(_time(path, no, c, x) for c, x in zip(
            ("placement_time", "ready_time", "pickup_time", "dropoff_time"), r[1:5])), r[5]))
    path = folder / COURIERS_FILE
    for no, r in data_lines(path, ("courier", "departure_time", "origin", "destination"), missing_hint=hint):
        sol.moves.append(Move(r[0], _time(path, no, "departure_time", r[1]), r[2], r[3]))
    return sol
