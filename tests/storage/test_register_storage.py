"""The register's storage on SQLite and PostgreSQL: entries with their version, the history, the records,
the dispatches, and the whole life of a person through the handlers on a real database, with copies of one
command decided at once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from adapters.storage import OutboxState
from employment.adapters.register_storage import certificates, deregistrations, entries
from employment.adapters.storage import EmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.domain.models import CardProfile, RegistryRecord, Sex
from employment.domain.register import RegisterState, Visit, move, open_entry
from employment.domain.rules.suitable_work import Offer, OfferAnswer, Vacancy
from employment.service_layer.certificate import RequestCertificate, issue_certificate
from employment.service_layer.deregistration import ReportDeregistrationGround, report_deregistration_ground
from employment.service_layer.handlers import register_job_seeker
from employment.service_layer.mediation import offer_suitable_work
from employment.service_layer.ports import CertificateDocument
from employment.service_layer.register import (
    AuthorityDecision,
    DecisionKind,
    advance_register,
    record_authority_decision,
)
from employment.service_layer.register_filing import RegisterServices
from employment.service_layer.register_records import (
    CaseStatus,
    DeregistrationStatus,
    Dispatch,
    DispatchKind,
    RegistrationCase,
)
from employment.service_layer.register_repositories import RecordAlreadyStored, RegisterEntryChanged
from employment.service_layer.unemployed import send_documents
from kernel.clock import FixedClock, almaty
from tests.employment.conftest import command, services_on
from tests.employment.test_concurrent_copies import BarrierRegistry
from tests.fakes import (
    FakeCabinet,
    FakeContributions,
    FakeFund,
    FakeLocalAuthority,
    FakePaymentFund,
    FakePersonRegistry,
    FakeRegisterDocuments,
)

IIN = "920314403019"
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=almaty())


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def store(database_url: str, clock: FixedClock) -> Iterator[EmploymentStore]:
    opened = EmploymentStore.at(database_url, clock.now)
    yield opened
    opened.dispose()


def _record() -> RegistryRecord:
    return RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2031, 1, 1), Sex.FEMALE
    )


def _services(
    store: EmploymentStore, clock: FixedClock, documents: FakeRegisterDocuments | None = None
) -> RegisterServices:
    return RegisterServices(
        uow=store.unit_of_work,
        registry=FakePersonRegistry({IIN: _record()}),
        contributions=FakeContributions(),
        documents=documents or FakeRegisterDocuments(),
        authority=FakeLocalAuthority(clock.now),
        cabinet=FakeCabinet(),
        fund=FakeFund(),
        calendar=WorkingCalendar(),
        now=clock.now,
        payments=FakePaymentFund(clock.now),
    )


def test_an_entry_keeps_its_version_and_refuses_a_stale_write(store: EmploymentStore) -> None:
    profile = CardProfile(region="Astana", salary_min=Decimal("250000.50"), previous_professions=("a", "b"))
    entry, record = open_entry(IIN, "UN-APP-1", dt.date(2026, 11, 23), MONDAY, "short-term", profile)
    with store.unit_of_work() as uow:
        uow.register.add(entry)
        uow.register.record(record)
    with store.unit_of_work() as uow:
        read = uow.register.entry_for_update(IIN)
    assert read is not None and read.version == 1 and read.profile == profile and read.category == "short-term"
    with pytest.raises(RegisterEntryChanged), store.unit_of_work() as uow:
        uow.register.add(entry)  # a second entry for one IIN (JS-7)
    moved, transition = move(read, RegisterState.OFFERED, at=MONDAY, rule_id="JS-9", reason="offered")
    with store.unit_of_work() as uow:
        saved = uow.register.save(replace(moved, visits=(Visit(dt.date(2026, 12, 2)),)))
        uow.register.record(transition)
    assert saved.version == 2
    with pytest.raises(RegisterEntryChanged), store.unit_of_work() as uow:
        uow.register.save(moved)  # read at version 1, the store is at 2
    history = store.register_history(IIN)
    assert [(t.source, t.target, t.rule_id) for t in history] == [
        (None, RegisterState.JOB_SEEKER, "JS-6"),
        (RegisterState.JOB_SEEKER, RegisterState.OFFERED, "JS-9"),
    ]
    assert history[0].at.utcoffset() == dt.timedelta(hours=5)
    stored = store.register_entry(IIN)
    assert stored is not None and stored.visits == (Visit(dt.date(2026, 12, 2)),) and stored.version == 2


def test_records_are_read_back_as_written(store: EmploymentStore) -> None:
    case = RegistrationCase(
        "UN-APP-1", IIN, "Сулейменова Жанар", dt.date(1992, 3, 14), "APP-1", "corr", MONDAY, at("2026-11-24T18:30")
    )
    vacancy = Vacancy("V-1", "040540010001", "ТОО", "accountant", "Astana", Decimal("300000"), None, MONDAY)
    offer = Offer("UN-APP-1/offer-1", IIN, "V-1", "UN-APP-1", MONDAY, at("2026-11-24T18:30"))
    with store.unit_of_work() as uow:
        uow.cases.add(case)
        assert uow.vacancies.add(vacancy) and not uow.vacancies.add(vacancy)
        uow.offers.add(offer)
    with pytest.raises(RecordAlreadyStored), store.unit_of_work() as uow:
        uow.cases.add(case)
    with store.unit_of_work() as uow:
        assert uow.cases.get("UN-APP-1") == case
        assert uow.cases.in_status([CaseStatus.MEDIATION]) == [case] and uow.cases.in_status([CaseStatus.SENT]) == []
        assert uow.vacancies.open_vacancies() == [vacancy]
        assert uow.offers.unanswered_by(at("2026-11-25T09:00")) == [offer]
        uow.offers.save(replace(offer, answer=OfferAnswer.REFUSED, answered_at=MONDAY))
    with store.unit_of_work() as uow:
        assert uow.offers.unanswered_by(at("2026-11-25T09:00")) == []
        assert uow.offers.of_person(IIN)[0].answer is OfferAnswer.REFUSED


def test_a_dispatch_is_claimed_by_one_sender_until_its_lease_ends(store: EmploymentStore) -> None:
    item = Dispatch(
        "UN-APP-1/unemployed-documents",
        DispatchKind.UNEMPLOYED_DOCUMENTS,
        IIN,
        "UN-APP-1",
        at("2026-11-25T18:30"),
        MONDAY,
    )
    with store.unit_of_work() as uow:
        assert uow.dispatches.add(item) and not uow.dispatches.add(item)
    lease = MONDAY + dt.timedelta(minutes=2)
    with store.unit_of_work() as uow:
        assert uow.dispatches.claim(item.dispatch_id, MONDAY, lease)
    with store.unit_of_work() as uow:
        assert not uow.dispatches.claim(item.dispatch_id, MONDAY + dt.timedelta(minutes=1), lease)
        assert uow.dispatches.claim(item.dispatch_id, lease, lease + dt.timedelta(minutes=2))  # the lease ran out
        uow.dispatches.failed(item.dispatch_id, "down", set_aside=False)
    with store.unit_of_work() as uow:
        failed = uow.dispatches.get(item.dispatch_id)
        assert failed is not None and failed.attempts == 1 and failed.last_error == "down"
        assert uow.dispatches.claim(item.dispatch_id, MONDAY, lease)
        uow.dispatches.done(item.dispatch_id, MONDAY)
    with store.unit_of_work() as uow:
        assert uow.dispatches.pending() == [] and not uow.dispatches.claim(item.dispatch_id, lease, lease)


def _apply(store: EmploymentStore, clock: FixedClock, application_id: str = "APP-1") -> None:
    services = services_on(store, clock, FakePersonRegistry({IIN: _record()}))
    register_job_seeker(command(application_id, clock.now()), services)


def _decision(kind: DecisionKind, reference: str, on: dt.date, clock: FixedClock) -> AuthorityDecision:
    return AuthorityDecision(
        f"MIO-{reference}",
        kind,
        reference,
        IIN,
        on,
        on if kind is DecisionKind.REGISTERED else None,
        (),
        "<decision/>",
        "head",
        clock.now(),
    )


def test_a_person_from_job_seeker_to_removal_on_the_store(store: EmploymentStore, clock: FixedClock) -> None:
    services = _services(store, clock)
    _apply(store, clock)
    clock.set(at("2026-11-24T18:30"))
    summary = advance_register(services)
    assert (summary.documents_started, summary.packages_queued, summary.dispatched) == (1, 1, 1)
    clock.set(at("2026-11-25T11:00"))
    record_authority_decision(_decision(DecisionKind.REGISTERED, "UN-APP-1", dt.date(2026, 11, 25), clock), services)
    assert advance_register(services).dispatched == 2  # the Annex 4 to the cabinet, the fund told
    clock.set(at("2026-11-26T12:00"))
    certificate = issue_certificate(
        RequestCertificate("CERT-1", IIN, "Сулейменова Жанар", IIN, "ok", clock.now()), services
    )
    assert certificate.valid_until == dt.date(2026, 12, 25)
    clock.set(at("2026-12-15T10:00"))
    report = report_deregistration_ground(
        ReportDeregistrationGround("GFSS-1", IIN, 1, clock.now(), "fund", {"months": "2026-12"}), services
    )
    assert report.status is DeregistrationStatus.PENDING
    clock.set(at("2026-12-17T10:00"))
    record_authority_decision(
        _decision(DecisionKind.DEREGISTERED, report.request_id, dt.date(2026, 12, 17), clock), services
    )
    advance_register(services)
    entry = store.register_entry(IIN)
    assert (
        entry is not None
        and entry.state is RegisterState.DEREGISTERED
        and entry.deregistered_on == dt.date(2026, 12, 17)
    )
    assert [t.rule_id for t in store.register_history(IIN)] == ["JS-6", "UN-1", "UN-2", "DR-1 (1)", "DR-2"]
    card = store.job_seeker(IIN)
    assert card is not None and card["changes"][-1]["new"] == "DEREGISTERED (DR-1 (1))"
    stages = [
        (m.ordering_key, m.payload["stage"])
        for m in sorted(store.outbox.messages(OutboxState.PENDING), key=lambda m: m.id)
    ]
    assert [s for s in stages if s[0] == "UN-APP-1"] == [
        ("UN-APP-1", "JOB_SEEKER"),
        ("UN-APP-1", "AWAITING_AUTHORITY"),
        ("UN-APP-1", "UNEMPLOYED"),
        ("UN-APP-1", "RESULT_ISSUED"),
    ]
    assert [s for s in stages if s[0] == "CERT-1"] == [("CERT-1", "ACCEPTED"), ("CERT-1", "RESULT_ISSUED")]
    assert [s for s in stages if s[0] == "fund:GFSS-1"] == [
        ("fund:GFSS-1", "DEREGISTRATION_PENDING"),
        ("fund:GFSS-1", "DEREGISTERED"),
        ("fund:GFSS-1", "RESULT_ISSUED"),
    ]
    with store.unit_of_work() as uow:
        assert uow.dispatches.pending() == []


class BarrierDocuments(FakeRegisterDocuments):
    """Holds every signer of a certificate until ``parties`` of them are signing: all have decided."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self._barrier = threading.Barrier(parties, timeout=10)

    def certificate(self, certificate: CertificateDocument) -> str:
        self._barrier.wait()
        return super().certificate(certificate)


def test_two_copies_of_one_certificate_application_at_once_give_one_record(
    store: EmploymentStore, clock: FixedClock
) -> None:
    documents = BarrierDocuments(parties=2)
    services = _services(store, clock, documents)
    command = RequestCertificate("CERT-1", IIN, "Сулейменова Жанар", IIN, "ok", MONDAY)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: issue_certificate(command, services), range(2)))
    assert len(documents.issued) == 2  # both decided before either stored
    assert answers[0].document == answers[1].document
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(certificates)).scalar_one() == 1
    with store.unit_of_work() as uow:  # SP-7 reads the person's certificates
        assert [record.number for record in uow.certificates.of_person(IIN)] == ["CE-CERT-1"]
        assert uow.certificates.of_person("880115300126") == []
    reports = [m for m in store.outbox.messages(OutboxState.PENDING) if m.ordering_key == "CERT-1"]
    assert [m.payload["stage"] for m in sorted(reports, key=lambda m: m.id)] == ["ACCEPTED", "REFUSED"]


def test_two_applications_of_one_person_at_once_make_one_entry(store: EmploymentStore, clock: FixedClock) -> None:
    services = services_on(store, clock, BarrierRegistry(parties=2))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda n: register_job_seeker(command(f"APP-{n}"), services), range(2)))
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(entries)).scalar_one() == 1
    assert [t.rule_id for t in store.register_history(IIN)] == ["JS-6"]  # the second is JS-7 without a new case


def test_one_ground_reported_twice_at_once_is_recorded_once(store: EmploymentStore, clock: FixedClock) -> None:
    services = _services(store, clock)
    _apply(store, clock)
    clock.set(at("2026-11-24T18:30"))
    advance_register(services)
    record_authority_decision(_decision(DecisionKind.REGISTERED, "UN-APP-1", dt.date(2026, 11, 25), clock), services)
    clock.set(at("2026-12-15T10:00"))
    report = ReportDeregistrationGround("GFSS-1", IIN, 1, clock.now(), "fund", {"months": "2026-12"})
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: report_deregistration_ground(report, services), range(2)))
    assert {a.status for a in answers} == {DeregistrationStatus.PENDING}
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(deregistrations)).scalar_one() == 1
    assert [t.rule_id for t in store.register_history(IIN)][-1] == "DR-1 (1)"
    assert len(store.register_history(IIN)) == 4


class BarrierPersonRegistry(FakePersonRegistry):
    """Holds every caller until ``parties`` of them have asked: each worker drafts before either queues."""

    def __init__(self, parties: int) -> None:
        super().__init__({IIN: _record()})
        self._barrier = threading.Barrier(parties, timeout=10)

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        self._barrier.wait()
        return super().find(iin, correlation_id)


def test_two_workers_stepping_at_once_send_one_package(store: EmploymentStore, clock: FixedClock) -> None:
    _apply(store, clock)
    clock.set(at("2026-11-24T18:30"))
    services = replace(_services(store, clock), registry=BarrierPersonRegistry(parties=2))
    with store.unit_of_work() as uow:  # the JS-9 period ended: UN-1 is due (as the first part of the step does)
        (case,) = uow.cases.in_status([CaseStatus.MEDIATION])
    assert offer_suitable_work(services, clock.now()) == (0, 1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: send_documents(services, clock.now()), range(2)))
    assert sorted(results) == [(0, 0), (1, 0)]  # both drafted, one queued
    assert [t.rule_id for t in store.register_history(IIN)] == ["JS-6", "UN-1"]
    with store.unit_of_work() as uow:
        assert [d.kind for d in uow.dispatches.pending()] == [DispatchKind.UNEMPLOYED_DOCUMENTS]
        stored = uow.cases.get(case.case_id)
    assert stored is not None and stored.status is CaseStatus.SENT
