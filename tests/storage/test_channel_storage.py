"""What the registration channels keep, on SQLite and on PostgreSQL: the rural pre-registrations with the stage
reports queued in the same transaction, the channel of each application, and the channel of each stage report
in the monitoring IS; a database made before channels were recorded gets the column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import JSON, Boolean, Column, MetaData, String, Table, Text, create_engine

from adapters.storage import AwareDateTime
from employment.adapters.pre_registrations import SqlPreRegistrations
from employment.adapters.stage_outbox import STAGE_REPORT_TOPIC
from employment.adapters.storage import EmploymentStore
from employment.domain.models import Applicant, LegalRepresentative, Stage, StageReport
from employment.domain.rules.rural_pre_registration import PaperCard, PreRegistration, PreRegistrationState
from employment.service_layer.ports import StoredApplication
from employment.service_layer.rural_channel import PreRegistrationAlreadyStored
from kernel.clock import almaty
from mocks.monitoring.storage import Provenance, StageReportStore
from mocks.monitoring.storage import StageReport as MonitoredStage

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


def _pre(pre_id: str, due_day: int) -> PreRegistration:
    applicant = Applicant(
        "120514504024",
        "Ахметов",
        "Алихан",
        None,
        dt.date(2012, 5, 14),
        True,
        LegalRepresentative("880115300126", "Ахметов Нурлан", "I agree"),
    )
    return PreRegistration(
        pre_registration_id=pre_id,
        applicant=applicant,
        assistant_iin="940208362185",
        assistant_bin="000340010007",
        assistant="the assistant",
        card_day=dt.date(2026, 11, 20),
        paper_card=PaperCard(dt.date(2026, 11, 20), "П-17"),
        entered_at=MONDAY,
        documents_due=dt.datetime(2026, 11, due_day, 18, 30, tzinfo=almaty()),
    )


def _report(pre_id: str, stage: Stage) -> StageReport:
    return StageReport(
        pre_id, "JOB_SEEKER_REGISTRATION", stage, MONDAY, MONDAY, None, pre_id, channel="RURAL_ASSISTANT"
    )


def test_pre_registrations_are_kept_whole_with_their_stage_reports(database_url: str) -> None:
    store = EmploymentStore.at(database_url, lambda: MONDAY)
    woken: list[int] = []
    pres = SqlPreRegistrations(store.engine, store.outbox, lambda: woken.append(1))
    try:
        pres.add(_pre("RA-2", 24), [_report("RA-2", Stage.PRE_REGISTERED)])
        pres.add(_pre("RA-1", 23), [_report("RA-1", Stage.PRE_REGISTERED)])
        with pytest.raises(PreRegistrationAlreadyStored):
            pres.add(_pre("RA-1", 23), [_report("RA-1", Stage.PRE_REGISTERED)])
        assert pres.get("RA-1") == _pre("RA-1", 23)  # every field back as it went in
        assert [p.pre_registration_id for p in pres.awaiting_documents()] == ["RA-1", "RA-2"]
        decided = PreRegistration(
            **{
                **_pre("RA-1", 23).__dict__,
                "state": PreRegistrationState.REGISTERED,
                "documents_received_at": MONDAY,
                "registered_on": dt.date(2026, 11, 23),
                "notice": "told",
            }
        )
        pres.save(decided, [_report("RA-1", Stage.DOCUMENTS_RECEIVED)])
        assert pres.get("RA-1") == decided
        assert [p.pre_registration_id for p in pres.awaiting_documents()] == ["RA-2"]
        queued = [m for m in store.outbox.messages() if m.topic == STAGE_REPORT_TOPIC]
        assert sorted((m.ordering_key, m.payload["stage"], m.payload["channel"]) for m in queued) == [
            ("RA-1", "DOCUMENTS_RECEIVED", "RURAL_ASSISTANT"),
            ("RA-1", "PRE_REGISTERED", "RURAL_ASSISTANT"),
            ("RA-2", "PRE_REGISTERED", "RURAL_ASSISTANT"),
        ]
        assert len(woken) == 3
    finally:
        store.dispose()


def test_an_older_centre_database_gets_the_channel_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite"
    old = MetaData()
    Table(
        "applications",
        old,
        Column("application_id", String(64), primary_key=True),
        Column("iin", String(12), nullable=False),
        Column("correlation_id", String(128)),
        Column("received_at", AwareDateTime(), nullable=False),
        Column("deadline", AwareDateTime(), nullable=False),
        Column("registered", Boolean, nullable=False),
        Column("reasons", JSON, nullable=False),
        Column("document", Text, nullable=False),
        Column("applicant_signature", Text, nullable=False),
    )
    engine = create_engine(url)
    old.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            old.tables["applications"]
            .insert()
            .values(
                application_id="OLD-1",
                iin="920314403019",
                correlation_id=None,
                received_at=MONDAY,
                deadline=MONDAY,
                registered=True,
                reasons=[],
                document="<d/>",
                applicant_signature="the applicant",
            )
        )
    engine.dispose()
    store = EmploymentStore.at(url, lambda: MONDAY)
    try:
        old_one = store.application("OLD-1")
        assert old_one is not None and old_one.channel == "PORTAL"  # the only channel there was
        with store.unit_of_work() as uow:
            uow.applications.add(
                StoredApplication(
                    "NEW-1", "920314403019", None, MONDAY, MONDAY, True, [], "<d/>", "the operator", "STATE_CORPORATION"
                )
            )
        new = store.application("NEW-1")
        assert new is not None and new.channel == "STATE_CORPORATION"
    finally:
        store.dispose()
    EmploymentStore.at(url, lambda: MONDAY).dispose()  # opening it again adds nothing twice


def test_the_monitoring_is_keeps_the_channel_of_each_stage(database_url: str) -> None:
    store = StageReportStore.at(database_url)
    provenance = Provenance("ENBEK_LABOUR_MARKET", None, "m-1", "c-1", "gateway")
    store.add(
        MonitoredStage("A-1", "JOB_SEEKER_REGISTRATION", "ACCEPTED", MONDAY, MONDAY, channel="OFFICE"),
        provenance,
        MONDAY,
    )
    store.add(MonitoredStage("A-2", "JOB_SEEKER_REGISTRATION", "ACCEPTED", MONDAY, MONDAY), provenance, MONDAY)
    assert [s.report.channel for s in store.stages_of("A-1")] == ["OFFICE"]
    assert [s.report.channel for s in store.stages_of("A-2")] == [None]
