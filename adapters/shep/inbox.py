"""The inbox of a PUSH participant: at-least-once delivery in, effectively-once processing.

The gateway may deliver one message more than once (it crashed after the receiver took it, before it
recorded the delivery). The inbox keeps one row per messageId in the receiver's database. The first delivery
claims the message (inserts its row, committed at once: no lock is held while the handler writes its own
tables, which on SQLite share the file), runs the handler, then marks the row processed. A later delivery
finds the row and counts the repeat without running the handler; one that arrives while the first is still
being handled is told to come back later (:class:`InboxBusy`, answered SCE909 so the gateway retries). A
handler that fails releases the claim, so the message is processed when the gateway tries again.

Caveat: the handler's effects live in its own store. If the process dies after the handler committed them
and before the row is marked processed, the claim runs out (``CLAIM_LEASE`` on the ecosystem's clock) and a
later delivery processes the message again; the handlers of this project are idempotent on their business
key as well (a stage report is stored once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from adapters.shep.errors import ShepError
from adapters.storage import AwareDateTime

PROCESSING = "processing"
PROCESSED = "processed"
# How long a claim of a message being handled holds before another delivery may take it over (the process
# that claimed it died while handling it).
CLAIM_LEASE = timedelta(minutes=2)


class InboxBusy(ShepError):
    """The message is being processed by another delivery right now; the gateway should try again later."""


_metadata = MetaData()
inbox_table = Table(
    "async_inbox",
    _metadata,
    Column("message_id", String(128), primary_key=True),
    Column("service_id", String(128), nullable=False),
    Column("correlation_id", String(128), index=True),
    Column("sender_id", String(128)),
    Column("deliveries", Integer, nullable=False, default=1),
    Column("state", String(12), nullable=False),  # processing | processed
    Column("claimed_at", AwareDateTime(), nullable=False),
    Column("processed_at", AwareDateTime()),
    Column("last_delivery_at", AwareDateTime(), nullable=False),
)


@dataclass(frozen=True)
class InboxEntry:
    message_id: str
    service_id: str
    correlation_id: str | None
    sender_id: str | None
    deliveries: int
    processed_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "messageId": self.message_id,
            "serviceId": self.service_id,
            "correlationId": self.correlation_id,
            "senderId": self.sender_id,
            "deliveries": self.deliveries,
            "processedAt": self.processed_at.isoformat(),
        }


class Inbox:
    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        # An in-memory SQLite database is one shared connection: its transactions queue here.
        memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        self._lock = threading.Lock() if memory else None
        _metadata.create_all(engine)

    def process_once(
        self,
        message_id: str,
        service_id: str,
        handle: Callable[[], None],
        *,
        correlation_id: str | None = None,
        sender_id: str | None = None,
    ) -> bool:
        """Run ``handle`` unless ``message_id`` was processed before; True when it ran now."""
        if self._lock is not None:
            with self._lock:
                return self._process_once(message_id, service_id, handle, correlation_id, sender_id)
        return self._process_once(message_id, service_id, handle, correlation_id, sender_id)

    def _process_once(
        self,
        message_id: str,
        service_id: str,
        handle: Callable[[], None],
        correlation_id: str | None,
        sender_id: str | None,
    ) -> bool:
        now = self._now()
        t = inbox_table
        with self._engine.begin() as connection:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            claimed = connection.execute(
                dialect.insert(t)
                .values(
                    message_id=message_id,
                    service_id=service_id,
                    correlation_id=correlation_id,
                    sender_id=sender_id,
                    deliveries=1,
                    state=PROCESSING,
                    claimed_at=now,
                    last_delivery_at=now,
                )
                .on_conflict_do_nothing()
                .returning(t.c.message_id)
            ).first()
            if claimed is None:
                connection.execute(
                    update(t)
                    .where(t.c.message_id == message_id)
                    .values(deliveries=t.c.deliveries + 1, last_delivery_at=now)
                )
                # A claim left by a process that died while handling the message may be taken over.
                claimed = connection.execute(
                    update(t)
                    .where(t.c.message_id == message_id, t.c.state == PROCESSING, t.c.claimed_at <= now - CLAIM_LEASE)
                    .values(claimed_at=now)
                    .returning(t.c.message_id)
                ).first()
                if claimed is None:
                    state = connection.execute(select(t.c.state).where(t.c.message_id == message_id)).scalar_one()
                    if state == PROCESSED:
                        return False
                    raise InboxBusy(f"message {message_id} is being processed right now; deliver it again later")
        try:
            handle()
        except BaseException:
            with self._engine.begin() as connection:  # release the claim: the next delivery processes it
                connection.execute(delete(t).where(t.c.message_id == message_id, t.c.state == PROCESSING))
            raise
        with self._engine.begin() as connection:
            connection.execute(
                update(t).where(t.c.message_id == message_id).values(state=PROCESSED, processed_at=self._now())
            )
        return True

    def entries(self, limit: int = 1000) -> list[InboxEntry]:
        query = (
            select(inbox_table)
            .where(inbox_table.c.state == PROCESSED)
            .order_by(inbox_table.c.processed_at.desc())
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [
                InboxEntry(
                    message_id=row["message_id"],
                    service_id=row["service_id"],
                    correlation_id=row["correlation_id"],
                    sender_id=row["sender_id"],
                    deliveries=row["deliveries"],
                    processed_at=row["processed_at"],
                )
                for row in connection.execute(query).mappings()
            ]

    def summary(self) -> dict[str, int]:
        """How many messages were processed, and how many deliveries came in (repeats included)."""
        query = select(func.count(), func.coalesce(func.sum(inbox_table.c.deliveries), 0)).where(
            inbox_table.c.state == PROCESSED
        )
        with self._engine.connect() as connection:
            processed, deliveries = connection.execute(query).one()
        return {"processed": int(processed), "deliveries": int(deliveries), "repeats": int(deliveries) - int(processed)}
