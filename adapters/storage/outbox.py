"""One durable outbox: what a system has accepted to send is written in the same transaction as the state
that caused it, then delivered by a background worker, at least once, in order per ordering key.

- ``put(connection, topic, payload, …)`` inside the caller's transaction: nothing accepted is lost, even if
  the process is killed right after the commit; a ``key`` makes the put idempotent (a second put with the
  same topic and key is ignored).
- ``claim(worker, …)``: due messages are leased to one worker. On PostgreSQL the rows are locked with
  ``SELECT … FOR UPDATE SKIP LOCKED``, so several processes share the outbox without taking the same message;
  on SQLite, whose writers are serialised, a conditional update takes the lease. A lease that runs out (the
  worker died) makes the message claimable again.
- A message waits while an earlier message with the same ``ordering_key`` is still undelivered, pending or
  dead (stage reports of one application reach the monitoring IS in order: a dead earlier report holds the
  later ones until a person revives it).
- ``delivered``; ``failed``: the next attempt after an exponential backoff with jitter, on the ecosystem's clock
  (advancing the clock makes retries due); after ``RetryPolicy.max_attempts``, or at once for a refusal that a
  retry cannot cure, the message goes to the dead-letter state, visible and revivable (``revive``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import Select, Update

from adapters.storage.engine import is_postgres
from adapters.storage.errors import DeliveryRefused, OutboxError
from adapters.storage.types import AwareDateTime

__all__ = ["DeliveryRefused", "Outbox", "OutboxMessage", "OutboxState", "OutboxStats", "RetryPolicy"]


class OutboxState(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits ``base × 2^(n-1)``, at most ``cap``, scaled by a
    random factor in [1 − jitter, 1]; after ``max_attempts`` failed attempts the message is dead."""

    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=5)
    jitter: float = 0.5
    max_attempts: int = 25

    def delay(self, attempts: int, rand: Callable[[], float] = random.random) -> timedelta:
        exponential = self.base * (2 ** max(attempts - 1, 0))
        bounded = min(exponential, self.cap)
        return bounded * (1 - self.jitter * rand())


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    topic: str
    key: str | None
    ordering_key: str | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        """The message as the admin APIs show it."""
        return {
            "id": self.id,
            "topic": self.topic,
            "key": self.key,
            "orderingKey": self.ordering_key,
            "state": self.state.value,
            "attempts": self.attempts,
            "createdAt": self.created_at.isoformat(),
            "nextAttemptAt": self.next_attempt_at.isoformat() if self.state is OutboxState.PENDING else None,
            "lastError": self.last_error,
            "deliveredAt": self.delivered_at.isoformat() if self.delivered_at else None,
            "payload": self.payload,
        }


@dataclass(frozen=True)
class OutboxStats:
    """What the outbox holds: ``counts`` by state (lower case, every state named), ``retrying`` pending
    messages that failed at least once, ``retries`` failed attempts of all its messages."""

    counts: dict[str, int]
    retrying: int
    retries: int


_metadata = MetaData()
outbox_table = Table(
    "outbox",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(64), nullable=False),
    Column("key", String(200)),
    Column("ordering_key", String(200), index=True),
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", AwareDateTime(), nullable=False),
    Column("next_attempt_at", AwareDateTime(), nullable=False, index=True),
    Column("lease_until", AwareDateTime()),
    Column("leased_by", String(100)),
    Column("last_error", Text),
    Column("delivered_at", AwareDateTime()),
    # One put per (topic, key): NULL keys never collide, so unkeyed messages are always added.
    UniqueConstraint("topic", "key", name="uq_outbox_topic_key"),
)

MAX_ERROR_CHARS = 2000


class Outbox:
    """The outbox of one system's database. ``now`` is the ecosystem's clock."""

    def __init__(self, engine: Engine, now: Callable[[], datetime], policy: RetryPolicy | None = None) -> None:
        self._engine = engine
        self._now = now
        self.policy = policy or RetryPolicy()
        _metadata.create_all(engine)
        # The statements of the delivery loop, built once (as the journal's): built per call, SQLAlchemy's coercion
        # of each value, the cache key and the expanding ``IN``/``LIMIT`` parameters cost more Python than the
        # query. The claim's query is kept per set of topics (a worker always asks for the same ones).
        t = outbox_table
        self._postgres = is_postgres(engine)
        self._claims: dict[frozenset[str] | None, Select[Any]] = {}
        free = or_(t.c.lease_until.is_(None), t.c.lease_until <= _now_parameter())
        self._take_lease = (
            update(t)
            .where(t.c.id == bindparam("claimed_id"), free)
            .values(lease_until=bindparam("new_lease_until", type_=AwareDateTime()), leased_by=bindparam("worker"))
        )
        finish = update(t).where(t.c.id == bindparam("message_id"))
        self._mark_delivered: Update = finish.values(
            state=OutboxState.DELIVERED.value,
            attempts=t.c.attempts + 1,
            delivered_at=bindparam("at", type_=AwareDateTime()),
            last_error=None,
            lease_until=None,
            leased_by=None,
        )
        self._mark_failed: Update = finish.values(
            state=bindparam("new_state"),
            attempts=bindparam("new_attempts"),
            last_error=bindparam("error"),
            next_attempt_at=bindparam("next_at", type_=AwareDateTime()),
            lease_until=None,
            leased_by=None,
        )
        self._read_attempts = select(t.c.attempts).where(t.c.id == bindparam("message_id"))

    @property
    def engine(self) -> Engine:
        return self._engine

    def put(
        self,
        connection: Connection,
        topic: str,
        payload: dict[str, Any],
        *,
        key: str | None = None,
        ordering_key: str | None = None,
        not_before: datetime | None = None,
    ) -> bool:
        """Queue a message in the caller's transaction, due now or at ``not_before`` (on the ecosystem's
        clock); False if (topic, key) was already queued."""
        now = self._now()
        values = {
            "topic": topic,
            "key": key,
            "ordering_key": ordering_key,
            "payload": json.dumps(payload, ensure_ascii=False),
            "state": OutboxState.PENDING.value,
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now if not_before is None else max(now, not_before),
        }
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(outbox_table).values(**values).on_conflict_do_nothing().returning(outbox_table.c.id)
        return connection.execute(statement).first() is not None

    def enqueue(
        self, topic: str, payload: dict[str, Any], *, key: str | None = None, ordering_key: str | None = None
    ) -> bool:
        """``put`` in a transaction of its own."""
        with self._engine.begin() as connection:
            return self.put(connection, topic, payload, key=key, ordering_key=ordering_key)

    def claim(
        self, worker: str, *, topics: set[str] | None = None, limit: int = 20, lease: timedelta = timedelta(minutes=2)
    ) -> list[OutboxMessage]:
        """Lease up to ``limit`` due messages to ``worker``, oldest first."""
        now = self._now()
        query = self._claim_query(topics)
        claimed: list[OutboxMessage] = []
        with self._engine.begin() as connection:
            rows = connection.execute(query, {"now": now, "limit": limit}).mappings().all()
            for row in rows:
                taken = connection.execute(
                    self._take_lease,
                    {"claimed_id": row["id"], "now": now, "new_lease_until": now + lease, "worker": worker},
                )
                if taken.rowcount:
                    claimed.append(_message(row))
        return claimed

    def _claim_query(self, topics: set[str] | None) -> Select[Any]:
        """The due messages of ``topics`` (all if None), oldest first, locked and skipped if locked on PostgreSQL;
        parameters ``now`` and ``limit``. A message waits while an earlier one of its ordering key is pending or
        dead."""
        key = frozenset(topics) if topics is not None else None
        query = self._claims.get(key)
        if query is not None:
            return query
        t = outbox_table
        earlier = t.alias("earlier")
        now = _now_parameter()
        blocked_by_earlier = (
            select(earlier.c.id)
            .where(
                earlier.c.ordering_key == t.c.ordering_key,
                earlier.c.id < t.c.id,
                earlier.c.state.in_(_fixed("held", [OutboxState.PENDING.value, OutboxState.DEAD.value])),
            )
            .exists()
        )
        due = and_(
            t.c.state == OutboxState.PENDING.value,
            t.c.next_attempt_at <= now,
            or_(t.c.lease_until.is_(None), t.c.lease_until <= now),
            or_(t.c.ordering_key.is_(None), ~blocked_by_earlier),
        )
        query = select(t).where(due)
        if key is not None:
            # one bound parameter per topic, not an expanding IN (rebuilt at every execution)
            query = query.where(t.c.topic.in_(_fixed("topic", sorted(key))))
        query = query.order_by(t.c.id).limit(bindparam("limit", type_=Integer))
        if self._postgres:
            query = query.with_for_update(skip_locked=True, of=t)
        self._claims[key] = query
        return query

    def delivered(self, message_id: int) -> None:
        self._finish(self._mark_delivered, {"message_id": message_id, "at": self._now()})

    def failed(self, message_id: int, error: str, *, final: bool = False, may_die: bool = True) -> OutboxState:
        """Record a failed attempt; the message is retried later, or dead if ``final`` or out of attempts (unless
        ``may_die`` is False: then it is retried whatever its attempts)."""
        with self._engine.begin() as connection:
            attempts = connection.execute(self._read_attempts, {"message_id": message_id}).scalar_one_or_none()
        if attempts is None:
            raise OutboxError(f"no outbox message {message_id}")
        attempts += 1
        dead = final or (may_die and attempts >= self.policy.max_attempts)
        state = OutboxState.DEAD if dead else OutboxState.PENDING
        self._finish(
            self._mark_failed,
            {
                "message_id": message_id,
                "new_state": state.value,
                "new_attempts": attempts,
                "error": error[:MAX_ERROR_CHARS],
                "next_at": self._now() + self.policy.delay(attempts),
            },
        )
        return state

    def revive(self, message_id: int) -> OutboxMessage:
        """Put a dead letter back in the queue, due now, with its attempts counted afresh."""
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(outbox_table)
                .where(outbox_table.c.id == message_id, outbox_table.c.state == OutboxState.DEAD.value)
                .values(state=OutboxState.PENDING.value, attempts=0, next_attempt_at=self._now(), lease_until=None)
            )
        if not changed.rowcount:
            raise OutboxError(f"outbox message {message_id} is not a dead letter (or does not exist)")
        return self.message(message_id)

    def message(self, message_id: int) -> OutboxMessage:
        with self._engine.connect() as connection:
            row = connection.execute(select(outbox_table).where(outbox_table.c.id == message_id)).mappings().first()
        if row is None:
            raise OutboxError(f"no outbox message {message_id}")
        return _message(row)

    def find(self, topic: str, key: str) -> OutboxMessage | None:
        """The message put with this topic and key (a keyed put is unique), or None."""
        query = select(outbox_table).where(outbox_table.c.topic == topic, outbox_table.c.key == key)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _message(row) if row is not None else None

    def messages(
        self, state: OutboxState | None = None, topic: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[OutboxMessage]:
        """Messages newest first, optionally of one state and topic."""
        query = select(outbox_table)
        if state is not None:
            query = query.where(outbox_table.c.state == state.value)
        if topic is not None:
            query = query.where(outbox_table.c.topic == topic)
        query = query.order_by(outbox_table.c.id.desc()).limit(limit).offset(offset)
        with self._engine.connect() as connection:
            return [_message(row) for row in connection.execute(query).mappings()]

    def counts(self) -> dict[str, int]:
        """How many messages are in each state (every state named, zero included)."""
        query = select(outbox_table.c.state, func.count()).group_by(outbox_table.c.state)
        with self._engine.connect() as connection:
            found = {state: count for state, count in connection.execute(query).all()}
        return {state.value.lower(): int(found.get(state.value, 0)) for state in OutboxState}

    def stats(self) -> OutboxStats:
        """Counts by state, pending messages that failed before, and failed attempts of every message held
        (a delivered message's last attempt succeeded), in one query: what the metrics export on scrape."""
        t = outbox_table
        failed_attempts = case((t.c.state == OutboxState.DELIVERED.value, t.c.attempts - 1), else_=t.c.attempts)
        retrying = case((and_(t.c.state == OutboxState.PENDING.value, t.c.attempts > 0), 1), else_=0)
        query = select(t.c.state, func.count(), func.sum(failed_attempts), func.sum(retrying)).group_by(t.c.state)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        found = {row[0]: int(row[1]) for row in rows}
        return OutboxStats(
            counts={state.value.lower(): found.get(state.value, 0) for state in OutboxState},
            retrying=sum(int(row[3] or 0) for row in rows),
            retries=sum(max(int(row[2] or 0), 0) for row in rows),
        )

    def _finish(self, statement: Update, parameters: dict[str, Any]) -> None:
        """The outcome of an attempt (``delivered``, ``failed``): the lease is given back."""
        with self._engine.begin() as connection:
            changed = connection.execute(statement, parameters)
        if not changed.rowcount:
            raise OutboxError(f"no outbox message {parameters['message_id']}")


def _now_parameter() -> Any:
    """The ecosystem's time of a claim, given at execution as ``now``."""
    return bindparam("now", type_=AwareDateTime())


def _fixed(name: str, values: list[str]) -> list[Any]:
    """Bound parameters carrying ``values`` (``name_0``, ``name_1``, …): an ``IN`` of these is compiled once."""
    return [bindparam(f"{name}_{i}", value, type_=String) for i, value in enumerate(values)]


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        topic=row["topic"],
        key=row["key"],
        ordering_key=row["ordering_key"],
        payload=json.loads(row["payload"]),
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        delivered_at=row["delivered_at"],
    )
