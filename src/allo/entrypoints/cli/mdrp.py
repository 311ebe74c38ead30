"""`allo mdrp solve|check|bench`: the dispatch engine on Meal Delivery Routing Problem instances."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from allo.simulation.instance import Instance
    from allo.simulation.solution import Solution

app = typer.Typer(no_args_is_help=True, help="Meal Delivery Routing Problem: solve and benchmark instances.")


def _read_instance(instance_dir: Path) -> Instance:
    """The instance, or a usage error (exit 2) naming the file and line at fault."""
    from allo.simulation.instance import read_instance
    from allo.simulation.text_tables import FileFormatError

    try:
        return read_instance(instance_dir)
    except FileFormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="INSTANCE_DIR") from None


def _report(inst: Instance, solution: Solution, label: str, tail: str = "", shown: int = 5) -> None:
    """One summary line; the first rule-breaking violations on standard error, then exit 1 if any."""
    from allo.simulation.checker import ViolationCounts, check_solution
    from allo.simulation.metrics import compute_metrics

    m = compute_metrics(inst, solution)
    v = check_solution(inst, solution)
    counts = ViolationCounts.of(v)
    typer.echo(
        f"{inst.name} {label} delivered={int(m['delivered'])}/{int(m['orders'])} "
        f"ctd_mean={m['ctd_mean']:.2f} lb_mean={m['lb_mean']:.2f} excess={m['excess_mean']:.2f} "
        f"over40={m['pct_over_target']:.1f}% over90={m['pct_over_max']:.1f}% "
        f"bundle={m['orders_per_bundle']:.2f} feasible={'yes' if not counts.rule_breaks else f'NO ({counts.rule_breaks})'} "
        f"left={counts.left} late={counts.late}{tail}"
    )
    broken = [x for x in v if x.breaks_a_rule]
    for x in broken[:shown]:
        typer.echo(f"  {x.code}: {x.detail}", err=True)
    if len(broken) > shown:
        typer.echo(f"  ... and {len(broken) - shown} more", err=True)
    if counts.rule_breaks:
        raise typer.Exit(code=1)


@app.command("solve")
def solve(
    instance_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="An MDRP instance folder."),
    out: Path = typer.Option(..., "--out", help="Folder for the three solution files."),
    policy: str = typer.Option("rolling", "--policy", help="Dispatch policy name (see `allo mdrp policies`)."),
    seed: int = typer.Option(0, "--seed", help="Seed (policies are deterministic for a seed)."),
) -> None:
    """Simulate one instance, write the solution files and print a one-line summary.

    `feasible` is about the rules (exit code 1 when one is broken); `left` and `late` count the
    service targets missed: deliverable orders not delivered, orders past the maximum click-to-door
    that their own lower bound did not force there."""
    from allo.simulation.simulator import simulate
    from allo.simulation.solution import write_solution

    inst = _read_instance(instance_dir)
    try:
        res = simulate(inst, policy, seed=seed)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="--policy") from None
    write_solution(res.solution, out)
    _report(inst, res.solution, f"policy={policy}", f" wall={res.wall_seconds:.2f}s")


@app.command("check")
def check(
    instance_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="An MDRP instance folder."),
    solution_dir: Path = typer.Argument(..., exists=True, file_okay=False,
                                        help="A folder with the three solution files (any solver's)."),
    shown: int = typer.Option(20, "--show", min=0, help="How many broken rules to list."),
) -> None:
    """Check a solution written by any solver against an instance, with our own feasibility checker,
    and print the same one-line summary as `solve` (exit 1 when a rule is broken, 2 when a file is
    malformed)."""
    from allo.simulation.solution import read_solution
    from allo.simulation.text_tables import FileFormatError

    inst = _read_instance(instance_dir)
    try:
        solution = read_solution(solution_dir)
    except FileFormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="SOLUTION_DIR") from None
    _report(inst, solution, "solution=" + solution_dir.name, shown=shown)


@app.command("policies")
def policies() -> None:
    """List the dispatch policies."""
    from allo.dispatch.policy import policy_names

    for name in policy_names():
        typer.echo(name)


@app.command("bench")
def bench(
    instance_dirs: list[Path] = typer.Argument(..., exists=True, file_okay=False, help="Instance folders."),
    out: Path = typer.Option(..., "--out", help="Results CSV; a PNG is written beside it."),
    policy: list[str] = typer.Option(["greedy", "rolling"], "--policy", help="Policies to compare (repeatable)."),
    jobs: int = typer.Option(1, "--jobs", min=1, help="Parallel worker processes."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Run every instance with every policy in parallel; write the CSV and a comparison PNG.

    Every folder is read before anything runs, so a malformed one stops the bench at once with
    its file and line. A run that fails is reported after the others finish; the CSV keeps every
    run that completed, and the exit code is 1."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from allo.dispatch.policy import policy_names
    from allo.simulation.bench import write_rows
    from allo.simulation.instance import read_instance
    from allo.simulation.plot import plot_comparison
    from allo.simulation.text_tables import FileFormatError

    unknown = [p for p in policy if p not in policy_names()]
    if unknown:
        raise typer.BadParameter(f"unknown policy {unknown}; known: {policy_names()}", param_hint="--policy")
    malformed = []
    for d in instance_dirs:
        try:
            read_instance(d)
        except FileFormatError as exc:
            malformed.append(f"{d}: {exc}")
    if malformed:
        raise typer.BadParameter("\n".join(malformed), param_hint="INSTANCE_DIRS")
    tasks = [(str(d), p) for d in instance_dirs for p in policy]
    outcomes: list[tuple[dict[str, object] | None, str | None]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as progress:
        bar = progress.add_task("simulating", total=len(tasks))
        if jobs == 1:
            for d, p in tasks:
                outcomes.append(_run_safely(d, p, seed))
                progress.advance(bar)
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for fut in as_completed([pool.submit(_run_safely, d, p, seed) for d, p in tasks]):
                    outcomes.append(fut.result())
                    progress.advance(bar)
    rows = [row for row, _ in outcomes if row is not None]
    failed = [error for _, error in outcomes if error is not None]
    if not rows:
        _report_failures(failed, len(tasks), 0)
    write_rows(rows, out)
    png = out.with_suffix(".png")
    plot_comparison(rows, png)
    for p in policy:
        mine = [r for r in rows if r["policy"] == p]
        n = len(mine)
        if not n:
            continue  # every run of this policy failed: listed below
        typer.echo(
            f"{p}: {n} instances, delivered {sum(int(r['delivered']) for r in mine)}/{sum(int(r['orders']) for r in mine)}, "
            f"mean excess {sum(float(r['excess_mean']) for r in mine) / n:.3f} min, "
            f"infeasible {sum(1 for r in mine if int(r['violations']))}"
        )
    typer.echo(f"wrote {out} and {png}")
    if failed:
        _report_failures(failed, len(tasks), len(rows))


def _run_safely(instance_dir: str, policy: str, seed: int) -> tuple[dict[str, object] | None, str | None]:
    """One bench run: its row, or what went wrong (the other runs go on)."""
    from allo.simulation.bench import run_one

    try:
        return run_one(instance_dir, policy, seed), None
    except Exception as exc:  # noqa: BLE001 - reported after the others finish
        return None, f"{instance_dir} with {policy}: {type(exc).__name__}: {exc}"


def _report_failures(failed: list[str], tasks: int, completed: int) -> None:
    for line in sorted(failed):
        typer.echo(f"failed: {line}", err=True)
    typer.echo(f"{len(failed)} of {tasks} runs failed; the CSV holds the {completed} that completed", err=True)
    raise typer.Exit(code=1)
