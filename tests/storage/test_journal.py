"""The gateway's journal on SQLite and on PostgreSQL: one hash chain whoever appends, replays refused
atomically, newest entries first with a cursor."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.storage import create_store_engine
from gateway.journal import DuplicateMessage, Journal, JournalRecord
from kernel.clock import almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
WRITERS = 4
APPENDS_EACH = 25


def record(number: int, *, sender: str = "ENBEK_LABOUR_MARKET", case: str = "case-1") -> JournalRecord:
    return JournalRecord(
        at=START + timedelta(seconds=number),
        channel="sync",
        event="received",
        message_id=f"m-{number}",
        correlation_id=case,
        sender_id=sender,
    )


@pytest.fixture
def journals(database_url: str) -> Iterator[Callable[[], Journal]]:
    """Journals on one database, each with its own engine and connections, as separate gateway processes."""
    opened: list[Journal] = []

    def open_journal() -> Journal:
        journal = Journal(create_store_engine(database_url))
        opened.append(journal)
        return journal

    yield open_journal
    for journal in opened:
        journal._engine.dispose()


def _run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(workers))
    failures: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_entries_chain_and_an_edit_breaks_the_chain(journals: Callable[[], Journal], database_url: str) -> None:
    journal = journals()
    for number in range(3):
        journal.append(record(number))
    assert journal.verify_chain() == (True, 3, "")
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE journal SET record = replace(record, 'm-1', 'm-9') WHERE seq = 2"))
    engine.dispose()
    intact, _, problem = journal.verify_chain()
    assert intact is False and "entry 2" in problem


def test_concurrent_writers_on_one_database_keep_one_chain(journals: Callable[[], Journal]) -> None:
    writers = [journals() for _ in range(WRITERS)]

    def writer(index: int) -> Callable[[], None]:
        def work() -> None:
            for number in range(APPENDS_EACH):
                writers[index].accept(record(index * 1000 + number, sender=f"writer-{index}"))

        return work

    assert _run_together([writer(index) for index in range(WRITERS)]) == []
    assert writers[0].verify_chain() == (True, WRITERS * APPENDS_EACH, "")


@pytest.mark.parametrize("processes", ["one gateway (one group commit)", "a gateway each"])
def test_a_replay_is_refused_once_accepted_even_between_writers(
    journals: Callable[[], Journal], processes: str
) -> None:
    """Copies sent at once to one gateway land in one batch; to several, in batches that race: either way the
    accepted key keeps one."""
    shared = journals()
    writers = [shared if processes.startswith("one") else journals() for _ in range(WRITERS)]
    refused: list[DuplicateMessage] = []

    def copy(journal: Journal) -> Callable[[], None]:
        def work() -> None:
            try:
                journal.accept(record(7))
            except DuplicateMessage as exc:
                refused.append(exc)

        return work

    assert _run_together([copy(journal) for journal in writers]) == []
    assert len(refused) == WRITERS - 1
    assert "accepted before" in str(refused[0])
    assert [entry["message_id"] for entry in writers[0].entries()] == ["m-7"]  # the replays left no entry
    assert writers[0].verify_chain() == (True, 1, "")


def test_entries_are_newest_first_and_page_with_a_cursor(journals: Callable[[], Journal]) -> None:
    journal = journals()
    for number in range(7):
        journal.append(record(number, case="case-a" if number % 2 == 0 else "case-b"))

    first = journal.entries(limit=3)
    assert [entry["message_id"] for entry in first] == ["m-6", "m-5", "m-4"]
    second = journal.entries(limit=3, before=first[-1]["seq"])
    assert [entry["message_id"] for entry in second] == ["m-3", "m-2", "m-1"]
    assert [entry["message_id"] for entry in journal.entries(limit=3, before=second[-1]["seq"])] == ["m-0"]
    case_a = journal.entries(correlation_id="case-a", limit=2)
    assert [entry["message_id"] for entry in case_a] == ["m-6", "m-4"]
    assert [e["message_id"] for e in journal.entries(correlation_id="case-a", before=case_a[-1]["seq"])] == [
        "m-2",
        "m-0",
    ]
    with pytest.raises(ValueError, match="limit must be between 1 and 1000"):
        journal.entries(limit=0)


def test_the_journal_keeps_each_instant_with_its_offset(journals: Callable[[], Journal], database_url: str) -> None:
    journal = journals()
    journal.append(record(0))
    assert journal.entries()[0]["at"] == "2026-11-23T10:00:00+05:00"
    engine = create_store_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(journal._table.select()).mappings().one()
    engine.dispose()
    assert stored["at"] == START and stored["at"].utcoffset() == timedelta(hours=5)
