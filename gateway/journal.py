"""The gateway's journal: append-only and hash-chained, the single source for tracing a case.

Every message the gateway sees is recorded, accepted or not, and so is every answer: each entry holds the
hash of the one before it, so an edit, a removal or a reordering anywhere breaks the chain
(:meth:`Journal.verify`, :mod:`gateway.journal_chain`). Bodies are kept readable whatever their bytes and
with their secrets masked (:mod:`gateway.journal_bodies`).

The chain stays one chain however many gateway processes share the database: each append reads the
chain's head (a one-row table: the newest entry's seq and hash) and writes its entries under a database lock
held until its transaction commits — the head's row locked with ``SELECT ... FOR UPDATE`` on PostgreSQL, a
write transaction taken up front (``BEGIN IMMEDIATE``) on SQLite. An append costs the same however long the
journal is (the head is read, never the journal). Appends arriving together are written in one transaction
(group commit, :mod:`gateway.journal_batch`): one lock and one commit for all, each caller answered only once
its entry is committed. The stored form of a record (masking, JSON) is made before the lock is taken.

A message is accepted once per ``(sender, messageId)`` across every gateway on the database: the primary key
of ``accepted_messages``, written in the same transaction as the ``received`` entry, refuses the second copy.

A gateway killed in the middle of an exchange leaves a ``received`` entry with no outcome; when a gateway
starts it appends an ``interrupted`` entry for each (:meth:`Journal.mark_interrupted`), so the chain stays
append-only and every listing shows what became of the message.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    bindparam,
    cast,
    func,
    inspect,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine

from adapters.storage import create_store_engine, is_postgres
from gateway.journal_batch import GroupCommit, Pending
from gateway.journal_chain import GENESIS, ChainCheck, check_chain, digest
from gateway.journal_record import DuplicateMessage, JournalRecord, NoJournal, exchange_times, storage_form
from gateway.journal_tables import journal_tables

__all__ = [
    "GENESIS",
    "MAX_PAGE",
    "ChainCheck",
    "DuplicateMessage",
    "Journal",
    "JournalRecord",
    "NoJournal",
    "exchange_times",
]

# The key of the PostgreSQL advisory lock ("journal" in ASCII) that lets one of several gateways starting at once
# write the chain's head row; appends are serialised by the head row's own lock (``SELECT ... FOR UPDATE``).
CHAIN_LOCK_KEY = 0x6A6F75726E616C
MAX_PAGE = 1000
# The events that end an exchange begun by a ``received`` entry (``stored``: an AsyncChannel message stored
# for delivery and acknowledged to its sender; its later delivery is journalled under its own events).
OUTCOMES = frozenset({"delivered", "provider-fault", "rejected", "interrupted", "stored"})


def _in_memory_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


@dataclass
class _Head:
    """The chain's newest entry, as read under the chain's lock and advanced by each insert."""

    seq: int
    hash: str


@dataclass(frozen=True)
class _Entry:
    """A record ready to append: its stored form made before the chain's lock is taken."""

    record: JournalRecord
    payload: dict[str, Any]
    record_json: str
    accept: bool

    @classmethod
    def of(cls, record: JournalRecord, *, accept: bool) -> _Entry:
        payload = storage_form(record)
        return cls(record, payload, json.dumps(payload, sort_keys=True, ensure_ascii=False), accept)


# A change made in the journal's database in the transaction of its records: it writes through the connection
# and returns those of the prepared records to append (in their order), or none.
Change = Callable[[Connection], Collection[JournalRecord]]


@dataclass(frozen=True)
class _Changed:
    """A change with its records, appended in a group commit: written in a savepoint of the batch's transaction,
    so a change that fails (a replay hitting a unique key) rolls back alone and appends nothing."""

    change: Change
    entries: tuple[_Entry, ...]


class Journal:
    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        self._engine = engine
        self._metadata, self._table, self._accepted, self._head, self._sweep = journal_tables()
        if create:
            self._metadata.create_all(engine)
        elif not inspect(engine).has_table("journal"):
            engine.dispose()
            raise NoJournal(
                f"{engine.url.render_as_string(hide_password=True)} holds no journal: give the gateway's database "
                "(EGOV_SIM_DATABASE_URL with {system} = gateway, or sqlite:///<data>/db/gateway.sqlite)"
            )
        # An in-memory SQLite database is one connection shared by every thread: a transaction cannot be
        # begun on it twice, so its appends queue here. Every other store is locked in the database.
        self._shared_connection_lock = threading.Lock() if _in_memory_sqlite(engine) else None
        self._appends: GroupCommit[_Entry | _Changed] = GroupCommit(self._write_batch)
        # The statements of an append, built once: a statement built per append (``.values(...)``) costs more
        # Python than its execution (SQLAlchemy coerces each value and computes the statement's cache key).
        self._insert_entry = self._table.insert()
        self._read_head = select(self._head.c.seq, self._head.c.hash).where(self._head.c.id == 1)
        if is_postgres(engine):
            self._read_head = self._read_head.with_for_update()
        dialect_insert = postgresql.insert if is_postgres(engine) else sqlite.insert
        self._claim = dialect_insert(self._accepted).on_conflict_do_nothing().returning(self._accepted.c.message_id)
        self._update_head = (
            self._head.update()
            .where(self._head.c.id == 1)
            .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
        )
        if create:
            self._record_head()

    @classmethod
    def at(cls, url: str, *, create: bool = True) -> Journal:
        """The journal at ``url``; ``create=False`` only opens one that exists (raises :class:`NoJournal`)."""
        return cls(create_store_engine(url), create=create)

    def dispose(self) -> None:
        """Close the journal's database connections (on the gateway's shutdown)."""
        self._engine.dispose()

    @property
    def engine(self) -> Engine:
        """The journal's database (the gateway's register lives in it too)."""
        return self._engine

    def append_change(self, change: Callable[[Connection], JournalRecord | None]) -> dict[str, Any] | None:
        """Make a change in the journal's database and record it, in one transaction under the chain's lock:
        ``change`` writes through the connection and returns the record of what it did (None: it did nothing,
        nothing is appended). An exception from ``change`` rolls everything back."""
        with self._chain_transaction() as (connection, head):
            record = change(connection)
            if record is None:
                return None
            entry = self._insert(connection, head, _Entry.of(record, accept=False))
            self._write_head(connection, head)
            return entry

    def append(self, record: JournalRecord) -> dict[str, Any]:
        """Record what happened at one hop; durable when this returns."""
        return self._appends.submit(_Entry.of(record, accept=False))

    def append_with(self, change: Change, records: Sequence[JournalRecord]) -> list[dict[str, Any]]:
        """Make a change in the journal's database and append the records it returns, in ONE transaction with
        the appends of the same group commit (:meth:`append`): ``change`` writes through the connection and
        returns those of ``records`` (prepared before the lock, in their order) that happened — all, some or
        none. Durable when this returns; returns the entries appended. An exception from ``change`` rolls back
        the change alone (a savepoint: the batch's other appends are written) and is raised here."""
        prepared = _Changed(change, tuple(_Entry.of(record, accept=False) for record in records))
        return list(self._appends.submit(prepared)["entries"])

    def accept(self, record: JournalRecord) -> dict[str, Any]:
        """Record a message as accepted, once per (sender, messageId): a second time raises
        :class:`DuplicateMessage` and records nothing (the database's primary key decides, so there is no race
        between two copies, in one process or in two); durable when this returns."""
        return self._appends.submit(_Entry.of(record, accept=True))

    def _write_batch(self, batch: list[Pending[_Entry | _Changed]]) -> None:
        """The appends of one group commit, in one transaction under the chain's lock (:mod:`journal_batch`)."""
        with self._chain_transaction() as (connection, head):
            for pending in batch:
                item = pending.item
                try:
                    if isinstance(item, _Changed):
                        pending.result = {"entries": self._change(connection, head, item)}
                    else:
                        pending.result = self._insert(connection, head, item)
                except DuplicateMessage as exc:
                    pending.error = exc
                except Exception as exc:  # a change that failed: rolled back to its savepoint, alone
                    if not isinstance(item, _Changed):
                        raise
                    pending.error = exc
            self._write_head(connection, head)

    def _change(self, connection: Connection, head: _Head, changed: _Changed) -> list[dict[str, Any]]:
        """One change and its records in a savepoint: on an error the savepoint and the head are rolled back."""
        seq, entry_hash = head.seq, head.hash
        try:
            with connection.begin_nested():
                kept = {id(record) for record in changed.change(connection)}
                return [self._insert(connection, head, entry) for entry in changed.entries if id(entry.record) in kept]
        except Exception:
            head.seq, head.hash = seq, entry_hash
            raise

    @contextmanager
    def _chain_transaction(self) -> Iterator[tuple[Connection, _Head]]:
        """A transaction that alone may append until it ends, with the chain's head read under its lock: no
        other process reads the same head. PostgreSQL: the head's row locked (``SELECT ... FOR UPDATE``);
        SQLite: the database's write lock taken at the start (``BEGIN IMMEDIATE``)."""
        with self._shared_connection_lock or nullcontext(), self._engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                # The driver would begin lazily, at the first write: after the head was read.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            row = connection.execute(self._read_head).first()
            if row is None:  # a journal opened with create=False by a gateway that never started on it
                raise NoJournal("the journal has no head: start a gateway on this database once")
            head = _Head(seq=row[0], hash=row[1])
            yield connection, head

    def _record_head(self) -> None:
        """The head row: the newest entry of a journal written before the head was kept, or the start."""
        with self._engine.begin() as connection:
            if is_postgres(self._engine):  # two gateways starting at once: one writes it
                connection.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
            elif connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            if connection.execute(select(self._head.c.id)).first() is not None:
                return
            last = connection.execute(
                select(self._table.c.seq, self._table.c.hash).order_by(self._table.c.seq.desc()).limit(1)
            ).first()
            seq, entry_hash = (last[0], last[1]) if last is not None else (0, GENESIS)
            connection.execute(self._head.insert().values(id=1, seq=seq, hash=entry_hash))

    def _insert(self, connection: Connection, head: _Head, entry: _Entry) -> dict[str, Any]:
        """Insert one entry after ``head`` (and advance it); its seq is the head's plus one, so seq has no gap
        whatever transactions rolled back."""
        seq, entry_hash = head.seq + 1, digest(head.hash, entry.record_json)
        record = entry.record
        if entry.accept:
            self._claim_message(connection, record.sender_id or "", record.message_id or "", entry_hash)
        connection.execute(
            self._insert_entry,
            {
                "seq": seq,
                "at": record.at,
                "record": entry.record_json,
                "correlation_id": record.correlation_id,
                "message_id": record.message_id,
                "prev_hash": head.hash,
                "hash": entry_hash,
            },
        )
        head.seq, head.hash = seq, entry_hash
        return entry.payload | {"seq": seq, "hash": entry_hash}

    def _write_head(self, connection: Connection, head: _Head) -> None:
        connection.execute(self._update_head, {"head_seq": head.seq, "head_hash": head.hash})

    def _claim_message(self, connection: Connection, sender_id: str, message_id: str, entry_hash: str) -> None:
        """The (sender, messageId) of an accepted message, once: the table's primary key refuses a second."""
        claimed = connection.execute(
            self._claim, {"sender_id": sender_id, "message_id": message_id, "journal_hash": entry_hash}
        ).first()
        if claimed is not None:
            return
        seen = connection.execute(
            select(self._accepted.c.journal_hash).where(
                self._accepted.c.sender_id == sender_id, self._accepted.c.message_id == message_id
            )
        ).scalar()
        raise DuplicateMessage(
            f"messageId {message_id} of {sender_id} was accepted before (journal entry {str(seen)[:12]})"
        )

    def mark_interrupted(self, at: datetime) -> list[dict[str, Any]]:
        """Append an ``interrupted`` entry for every ``received`` message that has no outcome (the gateway
        handling it was killed or crashed before answering); called when a gateway starts. Returns them.

        Only the entries after the previous start's sweep are read (an exchange open then was marked then), so
        a start costs what happened since the last one, not the whole journal.

        With several gateways on one database, an exchange still running in another gateway at this
        moment is marked too; its real outcome, when it comes, follows in the journal.
        """
        with self._chain_transaction() as (connection, head):
            swept = connection.execute(select(self._sweep.c.seq).where(self._sweep.c.id == 1)).scalar() or 0
            open_exchanges: dict[tuple[str, ...], dict[str, Any]] = {}
            rows = connection.execute(
                select(self._table.c.record)
                .where(self._table.c.seq > swept)
                .order_by(self._table.c.seq)
                .execution_options(yield_per=2000)
            )
            for (record_json,) in rows:
                record = json.loads(record_json)
                key = _exchange_key(record)
                if record.get("event") == "received":
                    open_exchanges[key] = record
                elif record.get("event") in OUTCOMES:
                    open_exchanges.pop(key, None)
            marked = [
                self._insert(connection, head, _Entry.of(_interrupted(record, at), accept=False))
                for record in open_exchanges.values()
            ]
            self._write_head(connection, head)
            if connection.execute(self._sweep.update().values(seq=head.seq)).rowcount == 0:
                connection.execute(self._sweep.insert().values(id=1, seq=head.seq))
            return marked

    def entries(
        self,
        *,
        correlation_id: str | None = None,
        message_id: str | None = None,
        service_id: str | None = None,
        sender_id: str | None = None,
        code: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
        before: int | None = None,
        event: str | None = None,
    ) -> list[dict[str, Any]]:
        """Entries newest first, at most ``limit`` (1..1000); ``before`` (a ``seq``) continues a listing
        after its last entry, so pages neither skip nor repeat an entry while the journal grows. Filters
        combine: serviceId, sender (``sender_id`` of the entry), result ``code``, ``event``, and the period
        ``since <= at <= until``."""
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
        table = self._table
        query = select(table).order_by(table.c.seq.desc())
        if correlation_id:
            query = query.where(table.c.correlation_id == correlation_id)
        if message_id:
            query = query.where(table.c.message_id == message_id)
        for name, value in (
            ("service_id", service_id),
            ("sender_id", sender_id),
            ("code", code),
            ("event", event),
        ):
            if value:
                query = query.where(self._record_field(name) == value)
        if since is not None:
            query = query.where(table.c.at >= since)
        if until is not None:
            query = query.where(table.c.at <= until)
        if before is not None:
            query = query.where(table.c.seq < before)
        with self._engine.connect() as connection:
            rows = connection.execute(query.limit(limit)).mappings().all()
        return [json.loads(row["record"]) | {"seq": row["seq"], "hash": row["hash"]} for row in rows]

    def _record_field(self, name: str) -> ColumnElement[Any]:
        """One field of the stored record, read by the database (JSON functions of each backend)."""
        if is_postgres(self._engine):
            return cast(self._table.c.record, JSONB)[name].astext
        return func.json_extract(self._table.c.record, f"$.{name}")

    def verify(self) -> ChainCheck:
        """Recompute the whole chain: intact, or the first entry edited, removed or reordered."""
        with self._engine.connect() as connection:
            head_row = connection.execute(select(self._head.c.seq, self._head.c.hash)).first()
            columns = (self._table.c.seq, self._table.c.record, self._table.c.prev_hash, self._table.c.hash)
            query = select(*columns).order_by(self._table.c.seq).execution_options(yield_per=2000)
            rows = connection.execute(query).mappings()
            return check_chain(rows, (head_row[0], head_row[1]) if head_row else None)

    def verify_chain(self) -> tuple[bool, int, str]:
        """:meth:`verify` as (intact, entries checked, first problem)."""
        check = self.verify()
        return check.intact, check.entries, check.problem


def _exchange_key(record: dict[str, Any]) -> tuple[str, ...]:
    """One exchange: its session id (the gateway gives each its own), else the sender's message id."""
    if record.get("session_id"):
        return ("session", str(record["session_id"]))
    return ("message", str(record.get("channel")), str(record.get("sender_id")), str(record.get("message_id")))


def _interrupted(received: dict[str, Any], at: datetime) -> JournalRecord:
    return JournalRecord(
        at=at,
        channel=str(received.get("channel") or "sync"),
        event="interrupted",
        message_id=received.get("message_id"),
        correlation_id=received.get("correlation_id"),
        session_id=received.get("session_id"),
        service_id=received.get("service_id"),
        sender_id=received.get("sender_id"),
        receiver_id=received.get("receiver_id"),
        detail=(
            f"the gateway stopped (killed or crashed) while handling this message, received at "
            f"{received.get('at')}; the sender got no answer and may send it again with a new messageId"
        ),
    )
