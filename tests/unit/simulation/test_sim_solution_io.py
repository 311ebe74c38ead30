from pathlib import Path

from allo.simulation.checker import check_solution
from allo.simulation.instance import read_instance, write_instance
from allo.simulation.simulator import simulate
from allo.simulation.solution import ASSIGNMENTS_FILE, COURIERS_FILE, ORDERS_FILE, read_solution, write_solution
from tests.unit.simulation.sim_builders import tiny_instance


def test_writer_uses_the_reference_format(tmp_path: Path) -> None:
    inst = tiny_instance()
    sol = simulate(inst, "rolling").solution
    write_solution(sol, tmp_path)
    heads = {
        ASSIGNMENTS_FILE: "assignment_time pickup_time courier orders",
        ORDERS_FILE: "order placement_time ready_time pickup_time dropoff_time courier",
        COURIERS_FILE: "courier departure_time origin destination",
    }
    for name, head in heads.items():
        lines = (tmp_path / name).read_text().splitlines()
        assert lines[0] == head
        for ln in lines[1:]:
            assert "\t" not in ln and "  " not in ln and ln == ln.strip()
    orders = [ln.split() for ln in (tmp_path / ORDERS_FILE).read_text().splitlines()[1:]]
    assert len(orders) == len(inst.orders) and all(len(r) == 6 and r[1].isdigit() for r in orders)
    moves = [ln.split() for ln in (tmp_path / COURIERS_FILE).read_text().splitlines()[1:]]
    seen, last = [], None
    for m in moves:  # grouped by courier, first move from the on-location "0"
        if m[0] != last:
            assert m[0] not in seen and m[2] == "0"
            seen.append(m[0])
            last = m[0]
    back = read_solution(tmp_path)
    assert back.assignments == sol.assignments and back.orders == sol.orders
    assert check_solution(inst, back) == []


def test_instance_round_trip(tmp_path: Path) -> None:
    inst = tiny_instance()
    write_instance(inst, tmp_path / "tiny")
    again = read_instance(tmp_path / "tiny")
    assert again.orders == inst.orders and again.couriers == inst.couriers and again.params == inst.params


def test_reads_a_real_instance(shared_dir: Path) -> None:
    inst = read_instance(shared_dir / "benchmarks/mdrp/instances/0o100t100s2p100")
    assert (len(inst.orders), len(inst.restaurants), len(inst.couriers)) == (505, 116, 117)
    assert inst.params.meters_per_minute == 320 and inst.params.max_click_to_door == 90


def test_a_fractional_time_is_read_as_written_so_the_checker_sees_it(tmp_path: Path) -> None:
    inst = tiny_instance()
    write_solution(simulate(inst, "rolling").solution, tmp_path)
    path = tmp_path / ASSIGNMENTS_FILE
    lines = path.read_text().splitlines()
    first = lines[1].split()
    o1 = first[3]
    ready = inst.orders[o1].ready_at
    lines[1] = " ".join([first[0], f"{ready - 0.4}", *first[2:]])  # picked up 0.4 min before the food is ready
    path.write_text("\n".join(lines) + "\n")
    back = read_solution(tmp_path)
    assert back.assignments[0].pickup_at == ready - 0.4
    assert any(v.code == "before-ready" for v in check_solution(inst, back))


def test_a_malformed_solution_file_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    import pytest

    from allo.simulation.text_tables import FileFormatError

    write_solution(simulate(tiny_instance(), "rolling").solution, tmp_path)
    path = tmp_path / ORDERS_FILE
    original = path.read_text()
    lines = original.splitlines()
    lines[2] = " ".join(lines[2].split()[:5])  # the courier column lost
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FileFormatError, match=rf"^{ORDERS_FILE} line 3: expected 6 fields .* got 5$"):
        read_solution(tmp_path)
    path.write_text("\n".join(lines[1:2]) + "\n")  # no header: the first order would be lost
    with pytest.raises(FileFormatError, match="looks like data"):
        read_solution(tmp_path)
    path.write_text(original)
    (tmp_path / COURIERS_FILE).unlink()
    with pytest.raises(FileFormatError, match=rf"^{COURIERS_FILE}: missing \(a solution folder holds"):
        read_solution(tmp_path)
