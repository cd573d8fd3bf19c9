"""The gateway's journal: append-only and hash-chained, the single source for tracing a case.

Every message the gateway sees is recorded, accepted or not: each entry holds the hash of the one
before it, so an edit or a deletion anywhere breaks the chain (:meth:`Journal.verify_chain`).

The chain stays one chain however many gateway processes share the database: each append reads the
previous hash and writes its entry under a database lock held until its transaction commits —
``pg_advisory_xact_lock`` on PostgreSQL, a write transaction taken up front (``BEGIN IMMEDIATE``) on
SQLite. The replay check of an accepted ``(sender, messageId)`` runs in that same transaction.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, select, text
from sqlalchemy.engine import Engine

from adapters.storage import AwareDateTime, create_store_engine, is_postgres

GENESIS = "0" * 64
# The key of the PostgreSQL advisory lock that serialises appends ("journal" in ASCII): one value for
# every gateway process on the database, held until the appending transaction ends.
CHAIN_LOCK_KEY = 0x6A6F75726E616C
MAX_PAGE = 1000


@dataclass(frozen=True)
class JournalRecord:
    """What happened to one message at one hop."""

    at: datetime
    channel: str
    event: str  # received | rejected | forwarded | delivered | provider-fault | provider-unreachable
    message_id: str | None = None
    correlation_id: str | None = None
    session_id: str | None = None
    service_id: str | None = None
    sender_id: str | None = None
    receiver_id: str | None = None
    code: str | None = None
    detail: str = ""
    verified: list[str] = field(default_factory=list)
    body_sha256: str | None = None
    body: str | None = None


class DuplicateMessage(Exception):
    """A sender's messageId was accepted before: the message is a replay."""


def _metadata() -> tuple[MetaData, Table, Table]:
    metadata = MetaData()
    table = Table(
        "journal",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("at", AwareDateTime(), nullable=False),
        Column("record", Text, nullable=False),
        Column("correlation_id", String(128), index=True),
        Column("message_id", String(128), index=True),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False, unique=True),
    )
    accepted = Table(
        "accepted_messages",
        metadata,
        Column("sender_id", String(128), primary_key=True),
        Column("message_id", String(128), primary_key=True),
        Column("journal_hash", String(64), nullable=False),
    )
    return metadata, table, accepted


def _digest(prev_hash: str, record_json: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{record_json}".encode()).hexdigest()


def _in_memory_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


class Journal:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._metadata, self._table, self._accepted = _metadata()
        self._metadata.create_all(engine)
        # An in-memory SQLite database is one connection shared by every thread: a transaction cannot be
        # begun on it twice, so its appends queue here. Every other store is locked in the database.
        self._shared_connection_lock = threading.Lock() if _in_memory_sqlite(engine) else None

    @classmethod
    def at(cls, url: str) -> Journal:
        return cls(create_store_engine(url))

    def dispose(self) -> None:
        """Close the journal's database connections (on the gateway's shutdown)."""
        self._engine.dispose()

    def append(self, record: JournalRecord) -> dict[str, Any]:
        """Record what happened at one hop."""
        return self._append(record, accept=False)

    def accept(self, record: JournalRecord) -> dict[str, Any]:
        """Record a message as accepted, once per (sender, messageId): a second time raises
        :class:`DuplicateMessage` and records nothing, in the same transaction (no race between two copies,
        in one process or in two)."""
        return self._append(record, accept=True)

    @contextmanager
    def _chain_transaction(self) -> Iterator[Connection]:
        """A transaction that alone may append until it ends: no other process reads the same last hash."""
        with self._shared_connection_lock or nullcontext(), self._engine.begin() as connection:
            if is_postgres(self._engine):
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
            elif connection.dialect.name == "sqlite":
                # The driver would begin lazily, at the first write: after the last hash was read.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection

    def _append(self, record: JournalRecord, *, accept: bool) -> dict[str, Any]:
        payload = asdict(record) | {"at": record.at.isoformat()}
        record_json = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        sender_id, message_id = record.sender_id or "", record.message_id or ""
        with self._chain_transaction() as connection:
            last = connection.execute(
                select(self._table.c.hash).order_by(self._table.c.seq.desc()).limit(1)
            ).first()
            prev_hash = last[0] if last else GENESIS
            entry_hash = _digest(prev_hash, record_json)
            if accept:
                self._refuse_replay(connection, sender_id, message_id)
                connection.execute(
                    self._accepted.insert().values(
                        sender_id=sender_id, message_id=message_id, journal_hash=entry_hash
                    )
                )
            connection.execute(
                self._table.insert().values(
                    at=record.at,
                    record=record_json,
                    correlation_id=record.correlation_id,
                    message_id=record.message_id,
                    prev_hash=prev_hash,
                    hash=entry_hash,
                )
            )
        return payload | {"hash": entry_hash}

    def _refuse_replay(self, connection: Connection, sender_id: str, message_id: str) -> None:
        seen = connection.execute(
            select(self._accepted.c.journal_hash).where(
                self._accepted.c.sender_id == sender_id, self._accepted.c.message_id == message_id
            )
        ).first()
        if seen is not None:
            raise DuplicateMessage(
                f"messageId {message_id} of {sender_id} was accepted before (journal entry {seen[0][:12]})"
            )

    def entries(
        self,
        *,
        correlation_id: str | None = None,
        message_id: str | None = None,
        limit: int = 500,
        before: int | None = None,
    ) -> list[dict[str, Any]]:
        """Entries newest first, at most ``limit`` (1..1000); ``before`` (a ``seq``) continues a listing
        after its last entry, so pages neither skip nor repeat an entry while the journal grows."""
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
        query = select(self._table).order_by(self._table.c.seq.desc())
        if correlation_id:
            query = query.where(self._table.c.correlation_id == correlation_id)
        if message_id:
            query = query.where(self._table.c.message_id == message_id)
        if before is not None:
            query = query.where(self._table.c.seq < before)
        with self._engine.connect() as connection:
            rows = connection.execute(query.limit(limit)).mappings().all()
        return [json.loads(row["record"]) | {"seq": row["seq"], "hash": row["hash"]} for row in rows]

    def verify_chain(self) -> tuple[bool, int, str]:
        """Recompute every hash; return (intact, entries checked, first problem)."""
        prev_hash = GENESIS
        count = 0
        with self._engine.connect() as connection:
            for row in connection.execute(select(self._table).order_by(self._table.c.seq)).mappings():
                count += 1
                if row["prev_hash"] != prev_hash or _digest(prev_hash, row["record"]) != row["hash"]:
                    return False, count, f"entry {row['seq']} does not match the chain"
                prev_hash = row["hash"]
        return True, count, ""
