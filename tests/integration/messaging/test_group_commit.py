"""Group commit: work from many threads shares transactions, and a failing job fails alone."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.bootstrap import Application
from allo.domain.clock import FixedClock
from allo.services.group_commit import GroupCommitter


def enqueue(key: str, now: datetime):  # type: ignore[no-untyped-def]
    def work(uow: SqlUnitOfWork) -> bool:
        return uow.messaging.enqueue(dedupe_key=key, channel="telegram", recipient="42", text=key, now=now)
    return work


def queued_keys(application: Application) -> list[str]:
    with application.ctx.uow() as uow:
        return sorted(m.text for m in uow.messaging.outbound_for("telegram", "42", statuses=("pending",)))


def test_jobs_from_many_threads_are_all_committed(application: Application, clock: FixedClock) -> None:
    committer = GroupCommitter(application.ctx)
    results: dict[str, bool] = {}

    def submit(i: int) -> None:
        results[f"k{i:02d}"] = committer.run(enqueue(f"k{i:02d}", clock.now()))

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(submit, range(20)))
    committer.stop()
    assert results == {f"k{i:02d}": True for i in range(20)}
    assert queued_keys(application) == [f"k{i:02d}" for i in range(20)]


def test_a_failing_job_fails_alone(application: Application, clock: FixedClock) -> None:
    committer = GroupCommitter(application.ctx)
    gate = threading.Event()

    def hold(uow: SqlUnitOfWork) -> None:
        gate.wait(5)  # keeps the writer busy while the next jobs queue up, so they share a batch

    def boom(uow: SqlUnitOfWork) -> None:
        uow.messaging.enqueue(dedupe_key="half-done", channel="telegram", recipient="42", text="half-done",
                              now=clock.now())
        raise RuntimeError("bad job")

    first = committer.submit(hold)
    good_before = committer.submit(enqueue("a", clock.now()))
    bad = committer.submit(boom)
    good_after = committer.submit(enqueue("b", clock.now()))
    gate.set()
    first.result(5)
    assert good_before.result(5) is True and good_after.result(5) is True
    with pytest.raises(RuntimeError, match="bad job"):
        bad.result(5)
    committer.stop()
    assert queued_keys(application) == ["a", "b"]  # nothing of the failed job, nothing lost


def test_stop_commits_what_is_queued(application: Application, clock: FixedClock) -> None:
    committer = GroupCommitter(application.ctx)
    futures = [committer.submit(enqueue(f"s{i}", clock.now())) for i in range(5)]
    committer.stop()
    assert all(f.result(1) for f in futures)
    assert queued_keys(application) == [f"s{i}" for i in range(5)]
