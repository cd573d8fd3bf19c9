"""The outbox worker delivers several messages at once, with a bounded pool, on SQLite and on PostgreSQL:
the order per ordering key, the leases and at-least-once hold as with one delivery at a time.

No test measures wall time: barriers and events show which deliveries were in flight together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from adapters.storage import Outbox, OutboxWorker, RetryPolicy, create_store_engine
from adapters.storage.worker import OutboxRun
from ecosystem.settings import Settings
from kernel.clock import FixedClock, almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
WAIT = 10.0  # seconds a test waits for something that must happen (far above what it takes)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = create_store_engine(database_url)
    yield created
    created.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def outbox(engine: Engine, clock: FixedClock) -> Outbox:
    return Outbox(engine, clock.now, RetryPolicy(jitter=0.0))


class InFlight:
    """Counts the deliveries running at once and the most there ever were."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self.now -= 1


def test_slow_deliveries_go_concurrency_at_a_time(outbox: Outbox) -> None:
    """8 deliveries that each wait for 3 others to be in flight with them: they pass in 2 rounds of 4 (one
    at a time, the first would wait in vain and fail), and never more than 4 run at once."""
    meeting = threading.Barrier(4, timeout=WAIT)
    in_flight = InFlight()
    rounds: list[int] = []

    def slow(_: dict[str, object]) -> None:
        with in_flight:
            if meeting.wait() == 0:
                rounds.append(1)

    for n in range(8):
        outbox.enqueue("t", {"n": n})
    run = OutboxWorker(outbox, {"t": slow}, concurrency=4).run_once()
    assert len(run.delivered) == 8 and run.retrying == [] and run.dead == []
    assert len(rounds) == 2 and in_flight.peak == 4
    assert outbox.counts() == {"pending": 0, "delivered": 8, "dead": 0}


def test_one_at_a_time_when_the_concurrency_is_one(outbox: Outbox) -> None:
    in_flight = InFlight()

    def deliver(_: dict[str, object]) -> None:
        with in_flight:
            pass

    for n in range(5):
        outbox.enqueue("t", {"n": n})
    assert len(OutboxWorker(outbox, {"t": deliver}, concurrency=1).run_once().delivered) == 5
    assert in_flight.peak == 1


def test_a_message_waits_for_the_earlier_one_of_its_key_while_the_others_are_delivered(outbox: Outbox) -> None:
    """The first report of application 1 is held in flight until every other message is delivered: its later
    reports wait for it (never in flight beside it), the other application's and the unkeyed ones do not."""
    others_done = threading.Event()
    order: list[str] = []
    lock = threading.Lock()
    held: list[bool] = []
    others = {"app-2:0", "app-2:1", "free:0", "free:1"}

    def deliver(payload: dict[str, object]) -> None:
        name = str(payload["name"])
        if name == "app-1:0":
            held.append(others_done.wait(WAIT))  # only delivered beside the others can this become true
        with lock:
            order.append(name)
            if others <= set(order):
                others_done.set()

    for name, key in [
        ("app-1:0", "app-1"),
        ("app-1:1", "app-1"),
        ("app-2:0", "app-2"),
        ("free:0", None),
        ("app-1:2", "app-1"),
        ("app-2:1", "app-2"),
        ("free:1", None),
    ]:
        outbox.enqueue("stage-report", {"name": name}, ordering_key=key)
    run = OutboxWorker(outbox, {"stage-report": deliver}, concurrency=4).run_once()

    assert held == [True], "the other messages were not delivered while app-1:0 was in flight"
    assert len(run.delivered) == 7
    assert [n for n in order if n.startswith("app-1")] == ["app-1:0", "app-1:1", "app-1:2"]
    assert [n for n in order if n.startswith("app-2")] == ["app-2:0", "app-2:1"]
    assert order.index("app-1:1") > order.index("free:1")  # it waited for app-1:0, which waited for all others


def test_the_worker_claims_only_its_free_places_each_leased_for_its_lease(outbox: Outbox, clock: FixedClock) -> None:
    """Two deliveries in flight: the third message stays free for another instance (a claimed message starts
    at once, so its lease covers one delivery, not a queue); the two in flight stay the worker's for its
    whole lease, and a worker that died holding them would leave them to be claimed again after it."""
    started = threading.Semaphore(0)
    release = threading.Event()

    def deliver(_: dict[str, object]) -> None:
        started.release()
        assert release.wait(WAIT)

    for n in range(3):
        outbox.enqueue("t", {"n": n})
    worker = OutboxWorker(outbox, {"t": deliver}, concurrency=2, lease=timedelta(minutes=10))
    result: list[OutboxRun] = []
    running = threading.Thread(target=lambda: result.append(worker.run_once()))
    running.start()
    try:
        assert started.acquire(timeout=WAIT) and started.acquire(timeout=WAIT)
        third = outbox.claim("other-instance", lease=timedelta(minutes=2))
        assert [m.payload["n"] for m in third] == [2]
        clock.advance(timedelta(minutes=9, seconds=59))  # the other's lease ran out, the worker's did not
        assert [m.payload["n"] for m in outbox.claim("other-instance")] == [2]
        clock.advance(timedelta(seconds=2))  # now the worker's ran out too (as if it had died)
        assert sorted(m.payload["n"] for m in outbox.claim("other-instance")) == [0, 1]
    finally:
        release.set()
        running.join(WAIT)
    assert len(result[0].delivered) == 2  # at least once: both delivered, as the other instance may do again


def test_a_new_message_is_delivered_in_the_pass_that_has_a_free_place(outbox: Outbox) -> None:
    """A message queued while a delivery is in flight goes out beside it, not at the next pass."""
    first_in_flight = threading.Event()
    second_delivered = threading.Event()
    held: list[bool] = []

    def deliver(payload: dict[str, object]) -> None:
        if payload["n"] == 1:
            first_in_flight.set()
            held.append(second_delivered.wait(WAIT))
        else:
            second_delivered.set()

    outbox.enqueue("t", {"n": 1})
    worker = OutboxWorker(outbox, {"t": deliver}, concurrency=2, poll_seconds=0.05)
    result: list[OutboxRun] = []
    running = threading.Thread(target=lambda: result.append(worker.run_once()))
    running.start()
    assert first_in_flight.wait(WAIT)
    outbox.enqueue("t", {"n": 2})
    running.join(2 * WAIT)
    assert held == [True] and len(result[0].delivered) == 2


def test_a_wake_while_deliveries_are_in_flight_takes_the_new_message_at_once(outbox: Outbox) -> None:
    """A commit that queued a message wakes the worker: a free place takes it at once, not at the next poll
    (the poll here is longer than the test may wait, so only the wake can deliver the second message while
    the first is still in flight)."""
    first_in_flight = threading.Event()
    second_delivered = threading.Event()
    held: list[bool] = []

    def deliver(payload: dict[str, object]) -> None:
        if payload["n"] == 1:
            first_in_flight.set()
            held.append(second_delivered.wait(WAIT))
        else:
            second_delivered.set()

    outbox.enqueue("t", {"n": 1})
    worker = OutboxWorker(outbox, {"t": deliver}, concurrency=2, poll_seconds=10 * WAIT)
    result: list[OutboxRun] = []
    running = threading.Thread(target=lambda: result.append(worker.run_once()))
    running.start()
    assert first_in_flight.wait(WAIT)
    outbox.enqueue("t", {"n": 2})
    worker.wake()
    running.join(2 * WAIT)
    assert held == [True] and len(result[0].delivered) == 2


def test_a_worker_delivers_at_least_one_message_at_a_time(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="at least one"):
        OutboxWorker(outbox, {}, concurrency=0)
    with pytest.raises(ValueError, match="positive"):
        OutboxWorker(outbox, {}, lease=timedelta(0))


def test_the_lease_of_every_system_outlasts_a_delivery_of_a_few_http_calls() -> None:
    assert Settings().outbox_concurrency == 16
    assert Settings().outbox_lease == timedelta(minutes=2)
    assert Settings(http_timeout_seconds=60).outbox_lease == timedelta(minutes=4)
