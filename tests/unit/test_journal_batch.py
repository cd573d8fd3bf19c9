"""Group commit of journal appends: appends that arrive during a write go together into the next one, each
caller answered with its own outcome, and a failed transaction fails every append of its batch."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from gateway.journal_batch import GroupCommit, Pending


class Writes:
    """A writer that blocks its first batch until released, so that the others queue behind it."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail_next = False

    def __call__(self, batch: list[Pending[str]]) -> None:
        self.batches.append([pending.item for pending in batch])
        if len(self.batches) == 1:
            self.first_started.set()
            assert self.release.wait(10)
        if self.fail_next:
            raise ConnectionError("the database went away")
        for pending in batch:
            if pending.item.startswith("dup"):
                pending.error = ValueError(f"{pending.item} was accepted before")
            else:
                pending.result = {"item": pending.item}


def _submit_all(group: GroupCommit[str], items: list[str]) -> tuple[dict[str, Any], list[threading.Thread]]:
    outcomes: dict[str, Any] = {}

    def submit(item: str) -> None:
        try:
            outcomes[item] = group.submit(item)
        except Exception as exc:  # the outcome under test
            outcomes[item] = exc

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    return outcomes, threads


def _wait_queued(group: GroupCommit[str], count: int) -> None:
    for _ in range(1000):
        with group._changed:
            if len(group._queue) == count:
                return
        threading.Event().wait(0.005)
    pytest.fail(f"{count} appends never queued")


def test_appends_waiting_during_a_write_share_the_next_transaction_and_each_gets_its_own_outcome() -> None:
    writes = Writes()
    group: GroupCommit[str] = GroupCommit(writes)
    first, first_threads = _submit_all(group, ["a"])
    assert writes.first_started.wait(10)
    later, threads = _submit_all(group, ["b", "dup-c", "d"])
    _wait_queued(group, 3)
    writes.release.set()
    for thread in first_threads + threads:
        thread.join(10)
    assert writes.batches[0] == ["a"]
    assert sorted(writes.batches[1]) == ["b", "d", "dup-c"]  # one transaction for the three
    assert len(writes.batches) == 2
    assert first["a"] == {"item": "a"} and later["b"] == {"item": "b"} and later["d"] == {"item": "d"}
    assert isinstance(later["dup-c"], ValueError)  # refused alone


def test_a_failed_transaction_fails_every_append_of_its_batch_and_the_next_batch_is_written() -> None:
    writes = Writes()
    writes.release.set()
    writes.fail_next = True
    group: GroupCommit[str] = GroupCommit(writes)
    with pytest.raises(ConnectionError):
        group.submit("x")
    writes.fail_next = False
    assert group.submit("y") == {"item": "y"}


def test_a_batch_holds_at_most_max_batch_appends() -> None:
    writes = Writes()
    group: GroupCommit[str] = GroupCommit(writes, max_batch=2)
    _, first_threads = _submit_all(group, ["a"])
    assert writes.first_started.wait(10)
    outcomes, threads = _submit_all(group, ["b", "c", "d"])
    _wait_queued(group, 3)
    writes.release.set()
    for thread in first_threads + threads:
        thread.join(10)
    assert [len(batch) for batch in writes.batches] == [1, 2, 1]
    assert all(outcome == {"item": item} for item, outcome in outcomes.items())
