"""The PUSH receiver's inbox: each messageId is processed once however often (and however concurrently) it
is delivered; a failed handler leaves the message to be processed at the next delivery; a claim left by a
dead process runs out."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest

from adapters.shep.inbox import CLAIM_LEASE, Inbox, InboxBusy
from adapters.storage import create_store_engine


class Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at


def test_repeated_deliveries_are_processed_once(database_url: str) -> None:
    inbox = Inbox(create_store_engine(database_url), Clock())
    processed: Counter[str] = Counter()
    for _ in range(3):
        for n in range(5):
            inbox.process_once(f"m-{n}", "S", lambda n=n: processed.update([f"m-{n}"]))  # type: ignore[misc]
    assert processed == Counter({f"m-{n}": 1 for n in range(5)})
    assert inbox.summary() == {"processed": 5, "deliveries": 15, "repeats": 10}


def test_a_failed_handler_leaves_the_message_for_the_next_delivery(database_url: str) -> None:
    inbox = Inbox(create_store_engine(database_url), Clock())

    def broken() -> None:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        inbox.process_once("m-1", "S", broken)
    ran: list[str] = []
    assert inbox.process_once("m-1", "S", lambda: ran.append("m-1")) is True
    assert ran == ["m-1"]


def test_concurrent_deliveries_run_the_handler_once(database_url: str) -> None:
    inbox = Inbox(create_store_engine(database_url), Clock())
    calls: list[int] = []
    outcomes: list[str] = []

    def slow() -> None:
        calls.append(1)
        time.sleep(0.3)

    def deliver() -> None:
        try:
            outcomes.append("ran" if inbox.process_once("m-1", "S", slow) else "repeat")
        except InboxBusy:
            outcomes.append("busy")

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and outcomes.count("ran") == 1, outcomes


def test_a_claim_left_by_a_dead_process_runs_out(database_url: str) -> None:
    clock = Clock()
    inbox = Inbox(create_store_engine(database_url), clock)

    def killed() -> None:
        raise KeyboardInterrupt  # stands for the process dying mid-handler: claim released here

    with pytest.raises(KeyboardInterrupt):
        inbox.process_once("m-1", "S", killed)
    # a claim that a process could not release: simulate by claiming and never finishing
    claimed = threading.Event()
    release = threading.Event()

    def stuck() -> None:
        claimed.set()
        release.wait(5)

    worker = threading.Thread(target=lambda: inbox.process_once("m-2", "S", stuck))
    worker.start()
    claimed.wait(5)
    with pytest.raises(InboxBusy):
        inbox.process_once("m-2", "S", lambda: None)
    clock.at += CLAIM_LEASE + dt.timedelta(seconds=1)
    taken: list[str] = []
    assert inbox.process_once("m-2", "S", lambda: taken.append("m-2")) is True
    release.set()
    worker.join()
    assert taken == ["m-2"]
