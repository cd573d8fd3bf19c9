"""What the journal keeps, on SQLite and PostgreSQL: bodies readable whatever their bytes, secrets masked,
interrupted exchanges marked after a restart, filters, and a chain check that finds edited, removed and
reordered entries."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from adapters.storage import create_store_engine
from gateway.journal import Journal, JournalRecord
from gateway.journal_bodies import readable_body
from kernel.clock import almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


@pytest.fixture
def journal(database_url: str) -> Iterator[Journal]:
    opened = Journal.at(database_url)
    yield opened
    opened.dispose()


def _execute(database_url: str, *statements: str) -> None:
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _entry(number: int, event: str = "received", **fields: object) -> JournalRecord:
    values: dict[str, object] = {
        "message_id": f"m-{number}",
        "correlation_id": "case-1",
        "session_id": f"{{s-{number}}}",
        "sender_id": "ENBEK_LABOUR_MARKET",
        "service_id": "GBDFL_UniversalServiceSync",
    } | fields
    return JournalRecord(at=START + timedelta(minutes=number), channel="sync", event=event, **values)  # type: ignore[arg-type]


def test_a_body_that_is_not_utf8_is_kept_in_base64_exactly(journal: Journal) -> None:
    raw = '<?xml version="1.0" encoding="windows-1251"?><m>Қазақстан Привет</m>'.encode("cp1251", "replace")
    raw += b"\xff\xfe\x00"
    journal.append(_entry(1, body=raw))
    journal.append(_entry(2, body="<m>Қазақстан</m>".encode()))
    binary, text_entry = journal.entries()[1], journal.entries()[0]
    assert binary["body_encoding"] == "base64" and base64.b64decode(binary["body"]) == raw
    assert binary["body_size"] == len(raw) and readable_body(binary) == raw
    assert text_entry["body_encoding"] == "utf-8" and text_entry["body"] == "<m>Қазақстан</m>"
    assert text_entry["body_size"] == len("<m>Қазақстан</m>".encode())


def test_passwords_and_credential_headers_never_reach_the_journal(journal: Journal) -> None:
    soap = (
        b"<requestInfo><sender><senderId>PORTAL</senderId><password>egov-sim-local</password></sender>"
        b'<ns:password xmlns:ns="urn:x">s3cr&amp;t</ns:password><PASSWORD a="1">UPPER</PASSWORD>'
        b"<token><![CDATA[cdata-secret]]><!-- a -->tail-secret</token><tokenType>kept</tokenType></requestInfo>"
    )
    latin1 = b"<sender><password>egov-sim-local</password><name>caf\xe9</name></sender>"
    rest = b'{"iin": "920314403019", "password": "egov-sim-local", "accessToken": "abc\\"def"}'
    headers = {"authorization": "Bearer eyJ-secret", "x-admin-token": "adm1n", "x-message-id": "m-3"}
    journal.append(_entry(1, body=soap))
    journal.append(_entry(2, body=latin1))
    journal.append(_entry(3, body=rest, headers=headers))

    newest, middle, oldest = journal.entries()
    for secret in ("egov-sim-local", "s3cr", "UPPER", "cdata-secret", "tail-secret", "eyJ-secret", "adm1n", "abc"):
        for entry in (newest, middle, oldest):
            assert secret not in str(entry), f"{secret} in {entry}"
    assert b"egov-sim-local" not in (readable_body(middle) or b"")
    assert "<password>***</password>" in oldest["body"] and '<PASSWORD a="1">***</PASSWORD>' in oldest["body"]
    assert "<tokenType>kept</tokenType>" in oldest["body"]
    assert readable_body(middle) == b"<sender><password>***</password><name>caf\xe9</name></sender>"
    assert newest["headers"] == {"authorization": "***", "x-admin-token": "***", "x-message-id": "m-3"}
    assert '"password": "***"' in newest["body"] and '"iin": "920314403019"' in newest["body"]


def test_a_received_message_without_outcome_is_marked_interrupted_after_a_restart(database_url: str) -> None:
    before_kill = Journal.at(database_url)
    before_kill.append(_entry(1))
    before_kill.append(_entry(1, "delivered", sender_id="GBDFL", code="SCE000"))
    before_kill.append(_entry(2))  # the process was killed while this one was with the provider
    before_kill.append(_entry(3))
    before_kill.append(_entry(3, "rejected", code="SCE010"))
    before_kill.dispose()

    restarted = Journal.at(database_url)  # a new gateway process on the same database
    marked = restarted.mark_interrupted(START + timedelta(hours=1))
    assert [entry["message_id"] for entry in marked] == ["m-2"]
    newest = restarted.entries(limit=1)[0]
    assert newest["event"] == "interrupted" and newest["session_id"] == "{s-2}"
    assert newest["at"] == "2026-11-23T11:00:00+05:00" and "killed" in newest["detail"]
    assert restarted.mark_interrupted(START + timedelta(hours=2)) == []  # marked once, the chain only grows
    assert restarted.verify_chain() == (True, 6, "")
    restarted.dispose()


def test_a_start_reads_only_what_the_journal_gained_since_the_last_start(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.at(database_url)
    for number in range(1, 6):
        journal.append(_entry(number))
        journal.append(_entry(number, "delivered", sender_id="GBDFL", code="SCE000"))
    assert journal.mark_interrupted(START) == []
    journal.append(_entry(6))  # killed while this one was with its provider
    read: list[str] = []
    real_loads = json.loads

    def counting_loads(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        record = real_loads(text, *args, **kwargs)
        if isinstance(record, dict) and "event" in record:
            read.append(record.get("message_id") or "")
        return record

    monkeypatch.setattr("gateway.journal.json.loads", counting_loads)
    marked = journal.mark_interrupted(START + timedelta(hours=1))
    assert [entry["message_id"] for entry in marked] == ["m-6"]
    assert read == ["m-6"]  # the 10 entries already swept at the previous start were not read again
    journal.dispose()


def test_filters_by_service_sender_code_and_period(journal: Journal) -> None:
    journal.append(_entry(1, service_id="GFSS_ContributionsQuery"))
    journal.append(_entry(2, "delivered", sender_id="GBDFL", code="SCE000"))
    journal.append(_entry(3, "rejected", sender_id="PORTAL", code="SCE004"))
    journal.append(_entry(4, "rejected", sender_id="PORTAL", code="SCE004"))

    def ids(**filters: object) -> list[str]:
        return [f"{e['event']}:{e['message_id']}" for e in journal.entries(**filters)]  # type: ignore[arg-type]

    assert ids(service_id="GFSS_ContributionsQuery") == ["received:m-1"]
    assert ids(sender_id="PORTAL") == ["rejected:m-4", "rejected:m-3"]
    assert ids(code="SCE000") == ["delivered:m-2"]
    assert ids(since=START + timedelta(minutes=2), until=START + timedelta(minutes=3)) == [
        "rejected:m-3",
        "delivered:m-2",
    ]
    assert ids(sender_id="PORTAL", code="SCE004", limit=1) == ["rejected:m-4"]
    assert ids(sender_id="PORTAL", before=journal.entries(limit=1)[0]["seq"]) == ["rejected:m-3"]


def _four(journal: Journal) -> None:
    for number in range(1, 5):
        journal.append(_entry(number))


def test_verify_finds_an_edited_entry(journal: Journal, database_url: str) -> None:
    _four(journal)
    _execute(database_url, "UPDATE journal SET record = replace(record, 'm-3', 'm-9') WHERE seq = 3")
    check = journal.verify()
    assert not check.intact and "entry 3" in check.problem and "edited" in check.problem
    assert check.broken is not None and check.broken["seq"] == 3


def test_verify_finds_a_removed_entry_in_the_middle_and_at_the_end(journal: Journal, database_url: str) -> None:
    _four(journal)
    _execute(database_url, "DELETE FROM journal WHERE seq = 2")
    check = journal.verify()
    assert not check.intact and "removed" in check.problem and check.broken and check.broken["seq"] == 3


def test_verify_finds_the_newest_entry_removed(journal: Journal, database_url: str) -> None:
    _four(journal)
    assert journal.verify().intact
    _execute(database_url, "DELETE FROM journal WHERE seq = 4")
    check = journal.verify()
    assert not check.intact and "entry 4" in check.problem and "removed" in check.problem
    assert check.broken is not None and check.broken["seq"] == 3


def test_verify_finds_reordered_entries(journal: Journal, database_url: str) -> None:
    _four(journal)
    _execute(
        database_url,
        "UPDATE journal SET seq = 100 WHERE seq = 2",
        "UPDATE journal SET seq = 2 WHERE seq = 3",
        "UPDATE journal SET seq = 3 WHERE seq = 100",
    )
    check = journal.verify()
    assert not check.intact and "entry 2" in check.problem and "reordered" in check.problem
    assert check.broken is not None and check.broken["record"]["message_id"] == "m-3"
