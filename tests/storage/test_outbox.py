"""The one durable outbox, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from adapters.storage import (
    DeliveryRefused,
    Outbox,
    OutboxError,
    OutboxMessage,
    OutboxState,
    OutboxWorker,
    RetryPolicy,
    create_store_engine,
)
from adapters.storage.engine import is_postgres
from kernel.clock import FixedClock, almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
NO_JITTER = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(minutes=1), jitter=0.0, max_attempts=4)


@pytest.fixture
def engine(database_url: str) -> Engine:
    created = create_store_engine(database_url)
    yield created
    created.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def outbox(engine: Engine, clock: FixedClock) -> Outbox:
    return Outbox(engine, clock.now, NO_JITTER)


def test_a_put_commits_or_rolls_back_with_the_callers_transaction(outbox: Outbox, engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.begin() as connection:
        outbox.put(connection, "stage-report", {"n": 1})
        raise RuntimeError("the business transaction failed")
    assert outbox.counts()["pending"] == 0
    with engine.begin() as connection:
        outbox.put(connection, "stage-report", {"n": 2})
    assert [m.payload for m in outbox.messages()] == [{"n": 2}]


def test_a_key_makes_the_put_idempotent(outbox: Outbox) -> None:
    assert outbox.enqueue("application", {"id": "A"}, key="A")
    assert not outbox.enqueue("application", {"id": "A", "again": True}, key="A")
    assert outbox.enqueue("other-topic", {"id": "A"}, key="A")
    assert outbox.counts()["pending"] == 2


def test_a_keyed_message_is_found_by_topic_and_key(outbox: Outbox) -> None:
    outbox.enqueue("application", {"id": "A"}, key="A")
    outbox.enqueue("other-topic", {"id": "A2"}, key="A")

    found = outbox.find("application", "A")
    assert found is not None and found.payload == {"id": "A"}
    assert outbox.find("application", "B") is None


def test_a_leased_message_is_not_claimed_twice_until_its_lease_runs_out(outbox: Outbox, clock: FixedClock) -> None:
    outbox.enqueue("t", {"n": 1})
    first = outbox.claim("worker-1", lease=timedelta(seconds=30))
    assert [m.payload for m in first] == [{"n": 1}]
    assert outbox.claim("worker-2") == []
    clock.advance(timedelta(seconds=31))  # worker-1 died holding the lease
    assert [m.id for m in outbox.claim("worker-2")] == [first[0].id]


def test_messages_with_one_ordering_key_are_delivered_in_order(outbox: Outbox) -> None:
    for stage in ("ACCEPTED", "DATA_REQUESTED"):
        outbox.enqueue("stage-report", {"stage": stage}, ordering_key="application-1")
    outbox.enqueue("stage-report", {"stage": "ACCEPTED"}, ordering_key="application-2")
    claimed = outbox.claim("w")
    assert [m.payload["stage"] for m in claimed] == ["ACCEPTED", "ACCEPTED"]
    outbox.failed(claimed[0].id, "monitoring down")
    outbox.delivered(claimed[1].id)
    assert outbox.claim("w") == []  # DATA_REQUESTED waits behind its application's ACCEPTED


def test_a_failure_waits_for_its_backoff_on_the_ecosystem_clock(outbox: Outbox, clock: FixedClock) -> None:
    outbox.enqueue("t", {"n": 1})
    message = outbox.claim("w")[0]
    assert outbox.failed(message.id, "timeout") is OutboxState.PENDING
    assert outbox.claim("w") == []
    assert outbox.message(message.id).next_attempt_at == START + timedelta(seconds=2)
    clock.advance(timedelta(seconds=2))
    second = outbox.claim("w")[0]
    outbox.failed(second.id, "timeout")
    assert outbox.message(message.id).next_attempt_at == START + timedelta(seconds=2 + 4)


def test_backoff_grows_to_its_cap_with_jitter_below_it() -> None:
    policy = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(seconds=60), jitter=0.5)
    assert policy.delay(1, rand=lambda: 0.0) == timedelta(seconds=2)
    assert policy.delay(3, rand=lambda: 0.0) == timedelta(seconds=8)
    assert policy.delay(30, rand=lambda: 0.0) == timedelta(seconds=60)
    assert policy.delay(30, rand=lambda: 1.0) == timedelta(seconds=30)


def test_out_of_attempts_the_message_is_a_dead_letter_until_revived(outbox: Outbox, clock: FixedClock) -> None:
    outbox.enqueue("t", {"n": 1})
    states = []
    for _ in range(NO_JITTER.max_attempts):
        clock.advance(timedelta(minutes=5))
        states.append(outbox.failed(outbox.claim("w")[0].id, "down"))
    assert states[-1] is OutboxState.DEAD and states[0] is OutboxState.PENDING
    dead = outbox.messages(OutboxState.DEAD)
    assert len(dead) == 1 and dead[0].last_error == "down" and dead[0].attempts == NO_JITTER.max_attempts
    clock.advance(timedelta(hours=1))
    assert outbox.claim("w") == []
    revived = outbox.revive(dead[0].id)
    assert revived.state is OutboxState.PENDING and revived.attempts == 0
    assert [m.id for m in outbox.claim("w")] == [dead[0].id]
    with pytest.raises(OutboxError, match="not a dead letter"):
        outbox.revive(dead[0].id)


def test_times_read_back_with_the_ecosystems_offset(outbox: Outbox) -> None:
    outbox.enqueue("t", {"n": 1})
    created = outbox.messages()[0].created_at
    assert created == START and created.utcoffset() == timedelta(hours=5)
    assert outbox.messages()[0].as_json()["createdAt"] == "2026-11-23T10:00:00+05:00"


def test_the_worker_delivers_retries_and_buries_by_topic(outbox: Outbox, clock: FixedClock) -> None:
    received: list[dict[str, object]] = []
    failures = {"flaky": 1}

    def deliver(payload: dict[str, object]) -> None:
        if payload.get("refuse"):
            raise DeliveryRefused("the receiver refused the message's content")
        if payload.get("flaky") and failures["flaky"]:
            failures["flaky"] -= 1
            raise ConnectionError("connection refused")
        received.append(payload)

    worker = OutboxWorker(outbox, {"t": deliver})
    outbox.enqueue("t", {"n": 1})
    outbox.enqueue("t", {"n": 2, "flaky": True})
    outbox.enqueue("t", {"n": 3, "refuse": True})
    outbox.enqueue("not-mine", {"n": 4})
    run = worker.run_once()
    assert len(run.delivered) == 1 and len(run.retrying) == 1 and len(run.dead) == 1
    assert worker.run_once().delivered == []  # the retry is not due yet
    clock.advance(timedelta(seconds=2))
    assert len(worker.run_once().delivered) == 1
    assert [p["n"] for p in received] == [1, 2]
    assert outbox.counts() == {"pending": 1, "delivered": 2, "dead": 1}


def test_concurrent_claims_never_share_a_message(outbox: Outbox) -> None:
    for n in range(60):
        outbox.enqueue("t", {"n": n})
    taken: list[int] = []
    lock = threading.Lock()

    def claim_all(worker: str) -> None:
        while batch := outbox.claim(worker, limit=5):
            with lock:
                taken.extend(m.id for m in batch)

    threads = [threading.Thread(target=claim_all, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 60 and len(set(taken)) == 60


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no row lock to skip
def test_a_claim_skips_the_messages_another_instance_is_claiming_instead_of_waiting(
    outbox: Outbox, engine: Engine
) -> None:
    """PostgreSQL: a message whose row another gateway holds locked (its claim not yet committed) is skipped
    (``FOR UPDATE SKIP LOCKED``): this claim takes the others at once, and never the locked one."""
    assert is_postgres(engine)
    for n in range(3):
        outbox.enqueue("t", {"n": n})
    other_instance = create_store_engine(str(engine.url.render_as_string(hide_password=False)))
    claimed: list[OutboxMessage] = []
    with other_instance.connect() as connection, connection.begin():
        locked = connection.execute(text("SELECT id FROM outbox ORDER BY id LIMIT 1 FOR UPDATE")).scalar_one()
        claiming = threading.Thread(target=lambda: claimed.extend(outbox.claim("w2")))
        claiming.start()
        claiming.join(timeout=10)
        waited = claiming.is_alive()  # without SKIP LOCKED the claim waits for the lock's transaction
    claiming.join()
    other_instance.dispose()
    assert not waited, "the claim waited for the row another instance holds locked"
    assert [m.payload["n"] for m in claimed] == [1, 2]
    assert locked not in {m.id for m in claimed}


def test_a_dead_earlier_message_holds_the_later_ones_of_its_key_until_revived(outbox: Outbox) -> None:
    outbox.enqueue("stage-report", {"stage": "ACCEPTED"}, ordering_key="application-1")
    outbox.enqueue("stage-report", {"stage": "DATA_REQUESTED"}, ordering_key="application-1")
    outbox.enqueue("stage-report", {"stage": "ACCEPTED"}, ordering_key="application-2")
    claimed = outbox.claim("w")
    assert [m.ordering_key for m in claimed] == ["application-1", "application-2"]
    outbox.failed(claimed[0].id, "refused", final=True)
    outbox.delivered(claimed[1].id)
    assert outbox.claim("w") == []  # DATA_REQUESTED never overtakes its dead ACCEPTED
    outbox.revive(claimed[0].id)
    assert [m.payload["stage"] for m in outbox.claim("w")] == ["ACCEPTED"]


def test_the_dead_letter_hook_runs_before_the_message_is_dead_and_a_failing_hook_keeps_it_queued(
    outbox: Outbox, clock: FixedClock
) -> None:
    """A crash between the two steps must never leave a dead job that its owner does not know of."""
    seen: list[OutboxState] = []
    hook_fails = {"times": 1}

    def refuse(_: dict[str, object]) -> None:
        raise DeliveryRefused("the receiver refused it")

    def on_dead(message: OutboxMessage, error: str) -> None:
        seen.append(outbox.message(message.id).state)
        if hook_fails["times"]:
            hook_fails["times"] -= 1
            raise RuntimeError("the owner's database is restarting")

    worker = OutboxWorker(outbox, {"t": refuse}, on_dead=on_dead)
    outbox.enqueue("t", {"n": 1})
    first = worker.run_once()
    assert first.dead == [] and len(first.retrying) == 1  # the hook failed: not dead, to be tried again
    assert outbox.counts() == {"pending": 1, "delivered": 0, "dead": 0}
    clock.advance(timedelta(minutes=5))
    second = worker.run_once()
    assert len(second.dead) == 1 and outbox.counts()["dead"] == 1
    assert seen == [OutboxState.PENDING, OutboxState.PENDING]  # the hook ran while the job was still pending
