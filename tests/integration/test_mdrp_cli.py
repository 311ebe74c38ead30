"""`allo mdrp solve|bench` end to end on a tiny instance written to disk."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from typer.testing import CliRunner

from allo.entrypoints.cli.main import app
from allo.simulation.checker import check_solution
from allo.simulation.instance import read_instance, write_instance
from allo.simulation.solution import read_solution
from tests.unit.simulation.sim_builders import tiny_instance

runner = CliRunner()


def _plain(output: str) -> str:
    """The command's output as one line of words: the error box of a usage error wraps its message."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", output).split())


def _tiny(tmp_path: Path, name: str = "tiny") -> Path:
    folder = tmp_path / name
    write_instance(tiny_instance(), folder)
    return folder


def test_solve_writes_a_feasible_solution_and_a_summary(tmp_path: Path) -> None:
    inst_dir = _tiny(tmp_path)
    out = tmp_path / "sol"
    result = runner.invoke(app, ["mdrp", "solve", str(inst_dir), "--out", str(out), "--policy", "rolling", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "delivered=8/8" in result.output and "feasible=yes" in result.output
    assert check_solution(read_instance(inst_dir), read_solution(out)) == []


def test_solve_rejects_an_unknown_policy(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mdrp", "solve", str(_tiny(tmp_path)), "--out", str(tmp_path / "s"), "--policy", "nope"])
    assert result.exit_code != 0


def test_bench_writes_the_csv_and_the_png(tmp_path: Path) -> None:
    a, b = _tiny(tmp_path, "tinyA"), _tiny(tmp_path, "tinyB")
    out = tmp_path / "res" / "results.csv"
    result = runner.invoke(
        app, ["mdrp", "bench", str(a), str(b), "--out", str(out), "--policy", "greedy", "--policy", "rolling", "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert {(r["instance"], r["policy"]) for r in rows} == {(n, p) for n in ("tinyA", "tinyB") for p in ("greedy", "rolling")}
    for col in ("orders", "delivered", "ctd_mean", "ctd_p90", "pct_over_40", "pct_over_90", "excess_mean",
                "ready_to_pickup_mean", "pay_per_order", "utilisation", "orders_per_bundle", "wall_seconds"):
        assert col in rows[0]
    assert all(r["delivered"] == r["orders"] == "8" and r["violations"] == r["rule_breaks"] == "0" for r in rows)
    png = out.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _one_courier_two_far_orders(tmp_path: Path) -> Path:
    """Two orders 40 minutes away on opposite sides of one merchant, one courier: whatever it does,
    one of them arrives past the 90-minute maximum although its own lower bound is 44."""
    from allo.domain.geo import Point
    from allo.simulation.instance import Courier, Instance, InstanceParameters, Order, Restaurant

    inst = Instance(
        "far", {"r1": Restaurant("r1", Point(0, 0))},
        {"o1": Order("o1", Point(0, 12800), 0, "r1", 0), "o2": Order("o2", Point(0, -12800), 0, "r1", 0)},
        {"c1": Courier("c1", Point(0, 0), 0, 300)}, InstanceParameters(),
    )
    write_instance(inst, tmp_path / "far")
    return tmp_path / "far"


def test_solve_tells_a_missed_target_apart_from_a_broken_rule(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mdrp", "solve", str(_one_courier_two_far_orders(tmp_path)), "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "delivered=2/2" in result.output and "feasible=yes" in result.output and "late=1" in result.output


def test_solve_fails_when_the_solution_breaks_a_rule(tmp_path: Path, monkeypatch) -> None:
    import allo.simulation.checker as checker

    broken = [checker.Violation("before-ready", "o1 picked up at 3 < ready 10")]
    monkeypatch.setattr(checker, "check_solution", lambda inst, sol: broken)
    result = runner.invoke(app, ["mdrp", "solve", str(_tiny(tmp_path)), "--out", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "feasible=NO (1)" in result.output and "before-ready" in result.output


def test_solve_refuses_a_malformed_instance_with_its_file_and_line(tmp_path: Path) -> None:
    inst_dir = _tiny(tmp_path)
    orders = inst_dir / "orders.txt"
    orders.write_text(orders.read_text() + "o9\t0\t0\t70\n")
    out = tmp_path / "sol"
    result = runner.invoke(app, ["mdrp", "solve", str(inst_dir), "--out", str(out)])
    assert result.exit_code == 2
    assert "orders.txt line 10: expected 6 fields" in _plain(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_bench_checks_every_folder_before_running_any(tmp_path: Path) -> None:
    good, bad = _tiny(tmp_path, "good"), _tiny(tmp_path, "bad")
    (bad / "instance_parameters.txt").unlink()
    out = tmp_path / "res" / "results.csv"
    result = runner.invoke(app, ["mdrp", "bench", str(good), str(bad), "--out", str(out), "--policy", "greedy"])
    assert result.exit_code == 2
    assert "instance_parameters.txt: missing" in _plain(result.output)
    assert not out.exists()


def test_bench_keeps_the_runs_that_completed_when_one_fails(tmp_path: Path) -> None:
    from allo.dispatch.greedy import GreedyPolicy
    from allo.dispatch.policy import _REGISTRY, register_policy

    class FailsOnFarOrders(GreedyPolicy):
        name = "fails-on-far"

        def decide(self, snapshot, context):  # type: ignore[no-untyped-def]
            if any(abs(o.dropoff.y) > 10_000 for o in snapshot.orders):
                raise RuntimeError("no route to a far customer")
            return super().decide(snapshot, context)

    register_policy("fails-on-far", FailsOnFarOrders)
    try:
        tiny, far = _tiny(tmp_path), _one_courier_two_far_orders(tmp_path)
        out = tmp_path / "res" / "results.csv"
        result = runner.invoke(app, ["mdrp", "bench", str(tiny), str(far), "--out", str(out),
                                     "--policy", "fails-on-far", "--jobs", "1"])
    finally:
        del _REGISTRY["fails-on-far"]
    assert result.exit_code == 1
    assert "RuntimeError: no route to a far customer" in result.output
    assert "1 of 2 runs failed; the CSV holds the 1 that completed" in result.output
    rows = list(csv.DictReader(out.open()))
    assert [(r["instance"], r["delivered"]) for r in rows] == [("tiny", "8")]


def test_check_reads_any_solver_s_files_and_reports_like_solve(tmp_path: Path) -> None:
    inst_dir, out = _tiny(tmp_path), tmp_path / "sol"
    solved = runner.invoke(app, ["mdrp", "solve", str(inst_dir), "--out", str(out), "--policy", "greedy"])
    checked = runner.invoke(app, ["mdrp", "check", str(inst_dir), str(out)])
    assert checked.exit_code == 0, checked.output
    summary = solved.output.split(" wall=")[0].replace("policy=greedy", "solution=sol")
    assert checked.output.strip() == summary.strip()


def test_check_fails_on_a_solution_that_breaks_a_rule_and_names_it(tmp_path: Path) -> None:
    from allo.simulation.solution import ASSIGNMENTS_FILE

    inst_dir, out = _tiny(tmp_path), tmp_path / "sol"
    runner.invoke(app, ["mdrp", "solve", str(inst_dir), "--out", str(out), "--policy", "greedy"])
    path = out / ASSIGNMENTS_FILE
    lines = path.read_text().splitlines()
    fields = lines[1].split()
    fields[1] = str(int(fields[1]) - 30)  # picked up half an hour earlier than the courier could
    path.write_text("\n".join([lines[0], " ".join(fields), *lines[2:]]) + "\n")
    result = runner.invoke(app, ["mdrp", "check", str(inst_dir), str(out)])
    assert result.exit_code == 1
    assert "feasible=NO" in result.output and "before-ready" in result.output


def test_check_refuses_a_malformed_solution_with_its_file_and_line(tmp_path: Path) -> None:
    from allo.simulation.solution import COURIERS_FILE

    inst_dir, out = _tiny(tmp_path), tmp_path / "sol"
    runner.invoke(app, ["mdrp", "solve", str(inst_dir), "--out", str(out)])
    text = (out / COURIERS_FILE).read_text()
    (out / COURIERS_FILE).write_text(text + "c1 60 r1\n")  # a move without its destination
    bad_line = len(text.splitlines()) + 1
    result = runner.invoke(app, ["mdrp", "check", str(inst_dir), str(out)])
    assert result.exit_code == 2
    assert f"{COURIERS_FILE} line {bad_line}: expected 4 fields" in _plain(result.output)


def test_bench_reports_a_policy_whose_every_run_failed_next_to_the_others(tmp_path: Path) -> None:
    from allo.dispatch.policy import _REGISTRY, register_policy

    class Broken:
        name = "broken"

        def decide(self, snapshot, context):  # type: ignore[no-untyped-def]
            raise RuntimeError("broken on purpose")

    register_policy("broken", Broken)
    try:
        out = tmp_path / "res" / "results.csv"
        result = runner.invoke(app, ["mdrp", "bench", str(_tiny(tmp_path)), "--out", str(out),
                                     "--policy", "greedy", "--policy", "broken", "--jobs", "1"])
    finally:
        del _REGISTRY["broken"]
    assert result.exit_code == 1 and "greedy: 1 instances" in result.output
    assert "1 of 2 runs failed" in result.output
    assert [r["policy"] for r in csv.DictReader(out.open())] == ["greedy"]
