"""One replay guard for every provider: a message the gateway signed stays verifiable forever, so a provider
bounds how long it counts and takes each ``(sender, messageId)`` once (``docs/protocol.md`` §2 and §6).

- The message's date (``requestInfo/messageDate`` on the SyncChannel, the signing time ``iat`` of the
  gateway's ``X-Signature`` on the REST channel) must be within the allowed clock skew of the ecosystem
  clock, else :class:`ReplayRefused` (SCE008, stale).
- A ``(sender, messageId)`` received before is :class:`ReplayRefused` (SCE008, replayed). What was received
  is a row of the table ``received_messages`` in the provider's own database, so the guard survives
  restarts and holds across several processes of one provider: the row's primary key lets exactly one of
  two copies arriving at once through.

Rows of messages dated more than the skew plus a day before now are deleted as new messages arrive: such a
message is refused by its date anyway (the day is a margin for an ecosystem clock set back by hand).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta

from sqlalchemy import Column, MetaData, String, Table, delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode
from adapters.storage import AwareDateTime, create_store_engine
from kernel.clock import almaty

PRUNE_MARGIN = timedelta(days=1)


class ReplayRefused(ShepError):
    """A message outside the date window, or a ``(sender, messageId)`` received before: SCE008."""

    code = ErrorCode.REPLAY_OR_STALE


def _table(metadata: MetaData) -> Table:
    return Table(
        "received_messages",
        metadata,
        # sha256 of "sender\nmessageId": ids of any length fit, and the key is the whole identity
        Column("key", String(64), primary_key=True),
        Column("sender_id", String(128), nullable=False),
        Column("message_id", String(128), nullable=False),
        Column("message_date", AwareDateTime(), nullable=False, index=True),
        Column("received_at", AwareDateTime(), nullable=False),
    )


class ReplayGuard:
    def __init__(self, engine: Engine, now: Callable[[], datetime], max_skew: timedelta) -> None:
        self._engine = engine
        self._now = now
        self._max_skew = max_skew
        metadata = MetaData()
        self._table = _table(metadata)
        metadata.create_all(engine)
        in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        # one shared connection: its transactions must not interleave between threads
        self._shared_connection_lock = threading.Lock() if in_memory else None

    @classmethod
    def at(cls, url: str, now: Callable[[], datetime], max_skew: timedelta) -> ReplayGuard:
        return cls(create_store_engine(url), now, max_skew)

    def close(self) -> None:
        self._engine.dispose()

    def check_date(self, sender_id: str, message_id: str, message_date: datetime) -> datetime:
        """The window alone (for a message whose repeats are legitimate): ``message_date`` (naive = Almaty
        time) within the allowed skew of now, else :class:`ReplayRefused`; returns it with its offset."""
        now = self._now()
        dated = message_date if message_date.tzinfo else message_date.replace(tzinfo=almaty())
        if abs(now - dated) > self._max_skew:
            raise ReplayRefused(
                f"message {message_id} of {sender_id} is dated {dated.isoformat()}, more than "
                f"{int(self._max_skew.total_seconds())} s from this system's time {now.isoformat()}: stale or "
                "replayed; send a new message"
            )
        return dated

    def admit(self, sender_id: str, message_id: str, message_date: datetime) -> None:
        """Let a message through once, if dated within the window; else raise :class:`ReplayRefused`."""
        now = self._now()
        dated = self.check_date(sender_id, message_id, message_date)
        key = hashlib.sha256(f"{sender_id}\n{message_id}".encode()).hexdigest()
        row = {
            "key": key,
            "sender_id": sender_id[:128],
            "message_id": message_id[:128],
            "message_date": dated,
            "received_at": now,
        }
        try:
            with self._shared_connection_lock or nullcontext(), self._engine.begin() as connection:
                cutoff = now - self._max_skew - PRUNE_MARGIN
                connection.execute(delete(self._table).where(self._table.c.message_date < cutoff))
                connection.execute(self._table.insert().values(**row))
        except IntegrityError as exc:
            raise ReplayRefused(
                f"message {message_id} of {sender_id} was received before: a replay; send a new message with a "
                "new messageId"
            ) from exc
