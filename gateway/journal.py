"""The gateway's journal: append-only and hash-chained, the single source for tracing a case.

Every message the gateway sees is recorded, accepted or not: each entry holds the hash of the one
before it, so an edit or a deletion anywhere breaks the chain (:meth:`Journal.verify_chain`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.engine import Engine

GENESIS = "0" * 64


@dataclass(frozen=True)
class JournalRecord:
    """What happened to one message at one hop."""

    at: dt.datetime
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
        Column("at", DateTime(timezone=True), nullable=False),
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


class Journal:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._metadata, self._table, self._accepted = _metadata()
        self._metadata.create_all(engine)
        self._lock = threading.Lock()

    @classmethod
    def at(cls, url: str) -> Journal:
        return cls(create_engine(url))

    def append(self, record: JournalRecord) -> dict[str, Any]:
        """Record what happened at one hop."""
        return self._append(record, accept=False)

    def accept(self, record: JournalRecord) -> dict[str, Any]:
        """Record a message as accepted, once per (sender, messageId): a second time raises
        :class:`DuplicateMessage` and records nothing, in the same transaction (no race between two copies)."""
        return self._append(record, accept=True)

    def _append(self, record: JournalRecord, *, accept: bool) -> dict[str, Any]:
        payload = asdict(record) | {"at": record.at.isoformat()}
        record_json = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        with self._lock, self._engine.begin() as connection:
            last = connection.execute(select(self._table.c.hash).order_by(self._table.c.seq.desc()).limit(1)).first()
            prev_hash = last[0] if last else GENESIS
            entry_hash = _digest(prev_hash, record_json)
            if accept:
                seen = connection.execute(
                    select(self._accepted.c.journal_hash).where(
                        self._accepted.c.sender_id == (record.sender_id or ""),
                        self._accepted.c.message_id == (record.message_id or ""),
                    )
                ).first()
                if seen is not None:
                    raise DuplicateMessage(
                        f"messageId {record.message_id} of {record.sender_id} was accepted before "
                        f"(journal entry {seen[0][:12]})"
                    )
                connection.execute(
                    self._accepted.insert().values(
                        sender_id=record.sender_id or "", message_id=record.message_id or "", journal_hash=entry_hash
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

    def entries(
        self, *, correlation_id: str | None = None, message_id: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        query = select(self._table).order_by(self._table.c.seq)
        if correlation_id:
            query = query.where(self._table.c.correlation_id == correlation_id)
        if message_id:
            query = query.where(self._table.c.message_id == message_id)
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
