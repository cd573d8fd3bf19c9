"""A change and its journal entries in one transaction of the group commit (``Journal.append_with``), on SQLite
and on PostgreSQL: a change that fails rolls back alone, with its entries, while the rest of its batch is
written; a change keeps only the entries it returns; the chain has no gap."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Column, Connection, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError

from adapters.storage import create_store_engine
from gateway.journal import Journal, JournalRecord
from kernel.clock import almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
_metadata = MetaData()
things = Table("things", _metadata, Column("name", String(32), primary_key=True))


def record(name: str, event: str) -> JournalRecord:
    return JournalRecord(at=START + timedelta(seconds=1), channel="async", event=event, message_id=name)


@pytest.fixture
def journal(database_url: str) -> Iterator[Journal]:
    opened = Journal(create_store_engine(database_url))
    _metadata.create_all(opened.engine)
    yield opened
    opened.dispose()


def _names(journal: Journal) -> list[str]:
    with journal.engine.connect() as connection:
        return sorted(connection.execute(select(things.c.name)).scalars())


def _insert(
    name: str, records: Collection[JournalRecord], gate: threading.Event | None = None
) -> Callable[[Connection], Collection[JournalRecord]]:
    def change(connection: Connection) -> Collection[JournalRecord]:
        connection.execute(things.insert().values(name=name))
        if gate is not None:
            assert gate.wait(10)
        return records

    return change


def test_a_failed_change_rolls_back_alone_and_the_batch_is_written(journal: Journal) -> None:
    journal.append_with(_insert("taken", ()), [])  # the unique key a later change hits
    gate = threading.Event()
    outcomes: dict[str, object] = {}

    def submit(name: str, thing: str, hold: bool = False) -> None:
        records = [record(name, "received"), record(name, "stored")]
        try:
            outcomes[name] = journal.append_with(_insert(thing, records, gate if hold else None), records)
        except Exception as exc:  # the outcome under test
            outcomes[name] = exc

    first = threading.Thread(target=submit, args=("m-0", "first", True))
    first.start()  # holds its batch open: the next three queue and are written together
    others = [
        threading.Thread(target=submit, args=(name, thing))
        for name, thing in (("m-1", "one"), ("m-2", "taken"), ("m-3", "three"))
    ]
    for thread in others:
        thread.start()
    for _ in range(1000):
        with journal._appends._changed:
            if len(journal._appends._queue) == 3:
                break
        threading.Event().wait(0.005)
    gate.set()
    for thread in [first, *others]:
        thread.join()

    assert isinstance(outcomes["m-2"], IntegrityError)
    written = [outcomes[name] for name in ("m-0", "m-1", "m-3")]
    assert [[entry["event"] for entry in entries] for entries in written if isinstance(entries, list)] == [
        ["received", "stored"]
    ] * 3
    assert _names(journal) == ["first", "one", "taken", "three"]
    entries = list(reversed(journal.entries()))
    assert "m-2" not in {entry["message_id"] for entry in entries}
    assert [entry["seq"] for entry in entries] == list(range(1, 7))
    assert journal.verify_chain() == (True, 6, "")


def test_a_change_appends_only_the_records_it_returns(journal: Journal) -> None:
    pushed, delivered = record("m-9", "pushed"), record("m-9", "delivered")
    appended = journal.append_with(_insert("nine", [pushed]), [pushed, delivered])
    assert [entry["event"] for entry in appended] == ["pushed"]
    assert journal.append_with(_insert("ten", ()), [record("m-10", "pushed")]) == []
    assert _names(journal) == ["nine", "ten"]
    assert journal.verify_chain() == (True, 1, "")
