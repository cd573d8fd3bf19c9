"""The register in the gateway's database (gateway/register_store.py, gateway/live_register.py), on SQLite
and PostgreSQL: seeded from services.yaml once, changed with a journal entry of the hash chain holding who
and what before and after, refused changes write nothing, and two gateways on one database see each
other's changes within the cache's refresh time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from gateway.journal import Journal
from gateway.live_register import LiveRegister
from gateway.register_changes import RegisterRefusal, apply_seed, grant, put_participant, remove_participant, revoke
from gateway.register_store import CHANGED, SEEDED, RegisterStore, read_seed
from gateway.registry import Participant, ServiceRegistry

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SERVICE = "GBDFL_UniversalServiceSync"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _seeded(url: str) -> tuple[Journal, RegisterStore]:
    journal = Journal.at(url)
    store = RegisterStore(journal)
    seed, digest = read_seed(ServiceRegistry.default_file())
    store.seed_if_empty(seed, digest, AT)
    return journal, store


def test_the_seed_is_services_yaml_written_once(database_url: str) -> None:
    journal, store = _seeded(database_url)
    try:
        seed, digest = read_seed(ServiceRegistry.default_file())
        snapshot = store.load()
        assert snapshot.version == 1
        assert snapshot.register.as_json() == seed.as_json()
        assert store.seed_digest() == digest
        again_journal, again = _seeded(database_url)  # a second gateway starting on the same database
        assert not again.seed_if_empty(seed, digest, AT)
        again_journal.dispose()
        seeded = journal.entries(event=SEEDED)
        assert len(seeded) == 1
        assert {c["id"] for c in json.loads(seeded[0]["body"])["changes"]} >= {SERVICE, "GBDFL"}
    finally:
        journal.dispose()


def test_a_change_is_written_versioned_and_journalled_with_before_and_after(database_url: str) -> None:
    journal, store = _seeded(database_url)
    try:
        snapshot, entry = store.change("ops", "revoke", AT, partial(revoke, service_id=SERVICE, sender_id="GK_IIS"))
        assert snapshot.version == 2 and store.version() == 2
        assert "GK_IIS" not in (store.load().register.service(SERVICE) or pytest.fail()).allowed
        assert entry is not None
        recorded = journal.entries(event=CHANGED)[0]
        assert recorded["seq"] == entry["seq"] and recorded["service_id"] == SERVICE
        body = json.loads(recorded["body"])
        assert body["actor"] == "ops" and body["version"] == 2
        [change] = body["changes"]
        assert "GK_IIS" in change["before"]["allowed"] and "GK_IIS" not in change["after"]["allowed"]
        unchanged, nothing = store.change(
            "ops", "revoke again", AT, partial(revoke, service_id=SERVICE, sender_id="GK_IIS")
        )
        assert (unchanged.version, nothing) == (2, None)
        assert journal.verify().intact
    finally:
        journal.dispose()


def test_a_refused_change_writes_nothing(database_url: str) -> None:
    journal, store = _seeded(database_url)
    try:
        before = store.load()
        entries = len(journal.entries())
        with pytest.raises(RegisterRefusal) as refused:
            store.change("ops", "remove", AT, partial(remove_participant, sender_id="GBDFL"))
        assert refused.value.status == 409
        with pytest.raises(RegisterRefusal):
            store.change("ops", "grant", AT, partial(grant, service_id=SERVICE, sender_id="NOBODY"))
        after = store.load()
        assert (after.version, after.register.as_json()) == (before.version, before.register.as_json())
        assert len(journal.entries()) == entries
    finally:
        journal.dispose()


def test_two_gateways_on_one_database_see_each_others_changes_within_the_refresh_time(database_url: str) -> None:
    journal, store = _seeded(database_url)
    other_journal = Journal.at(database_url)
    clock = FakeMonotonic()
    here = LiveRegister(store, max_age=1.0, monotonic=clock)
    there = LiveRegister(RegisterStore(other_journal), max_age=1.0, monotonic=clock)
    try:
        assert "GK_IIS" in (there.current().service(SERVICE) or pytest.fail()).allowed
        snapshot, _ = store.change("ops", "revoke", AT, partial(revoke, service_id=SERVICE, sender_id="GK_IIS"))
        here.adopt(snapshot)
        assert "GK_IIS" not in (here.current().service(SERVICE) or pytest.fail()).allowed  # at once where made
        assert "GK_IIS" in (there.current().service(SERVICE) or pytest.fail()).allowed  # cached: no query yet
        clock.now = 1.0
        assert "GK_IIS" not in (there.current().service(SERVICE) or pytest.fail()).allowed
        assert there.version == 2
    finally:
        journal.dispose()
        other_journal.dispose()


def test_applying_the_seed_again_restores_its_entries_and_keeps_the_others(database_url: str) -> None:
    journal, store = _seeded(database_url)
    try:
        seed, digest = read_seed(ServiceRegistry.default_file())
        store.change("ops", "revoke", AT, partial(revoke, service_id=SERVICE, sender_id="GK_IIS"))
        tester = Participant("TESTER", "tester", "990140000003", base_url="http://127.0.0.1:9000")
        store.change("ops", "add", AT, partial(put_participant, participant=tester))
        snapshot, entry = store.change("ops", "seed", AT, partial(apply_seed, seed=seed), seed_digest="f" * 64)
        assert entry is not None and [c["id"] for c in json.loads(entry["body"])["changes"]] == [SERVICE]
        assert "GK_IIS" in (snapshot.register.service(SERVICE) or pytest.fail()).allowed
        assert snapshot.register.participant("TESTER") == tester
        assert store.seed_digest() == "f" * 64 != digest
    finally:
        journal.dispose()


def test_allowing_sha1_signatures_is_a_change_of_the_participant_false_by_default(database_url: str) -> None:
    journal, store = _seeded(database_url)
    try:
        assert not any(p.allow_sha1_signatures for p in store.load().register.participants())
        employment = store.load().register.participant("ENBEK_LABOUR_MARKET") or pytest.fail()
        allowed = Participant(employment.sender_id, employment.system, employment.bin, allow_sha1_signatures=True)
        snapshot, entry = store.change("ops", "allow sha1", AT, partial(put_participant, participant=allowed))
        assert entry is not None
        reloaded = RegisterStore(journal).load().register.participant("ENBEK_LABOUR_MARKET") or pytest.fail()
        assert reloaded.allow_sha1_signatures and snapshot.version == 2
        [change] = json.loads(journal.entries(event=CHANGED)[0]["body"])["changes"]
        assert (change["before"]["allowSha1Signatures"], change["after"]["allowSha1Signatures"]) == (False, True)
    finally:
        journal.dispose()


def test_a_register_written_before_the_sha1_setting_gets_the_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    journal, _ = _seeded(url)
    with journal.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE register_participants DROP COLUMN allow_sha1_signatures")
    try:
        register = RegisterStore(journal).load().register
        assert register.participant("GBDFL") is not None
        assert not any(p.allow_sha1_signatures for p in register.participants())
    finally:
        journal.dispose()
