"""The registration handler with fakes of every external system: decisions, storage, stage outbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from employment.adapters.storage import SqlEmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import (
    Applicant,
    Contribution,
    EmploymentPeriod,
    LegalRepresentative,
    RegistryRecord,
    Stage,
)
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, flush_stage_reports, register_job_seeker
from employment.service_layer.ports import ExternalSystemUnavailable
from kernel.clock import FixedClock, almaty
from tests.fakes import FakeContributions, FakeDocuments, FakePersonRegistry, FakeStageReporter

IIN = "920314403019"
SATURDAY = dt.datetime(2026, 11, 21, 15, 0, tzinfo=almaty())


def _record(birth: dt.date = dt.date(1992, 3, 14)) -> RegistryRecord:
    return RegistryRecord(IIN, "Сулейменова", "Жанар", "Ерлановна", birth, "Astana", dt.date(2031, 1, 1))


def _applicant() -> Applicant:
    return Applicant(IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)


def _command(
    application_id: str = "APP-1",
    signer: str | None = IIN,
    applicant: Applicant | None = None,
    received_at: dt.datetime = SATURDAY,
    submitted_at: dt.datetime | None = None,
) -> RegisterJobSeeker:
    return RegisterJobSeeker(
        application_id,
        applicant or _applicant(),
        signer,
        "verified",
        received_at,
        application_id,
        submitted_at,
    )


@pytest.fixture
def services(tmp_path: Path) -> EmploymentServices:
    return EmploymentServices(
        store=SqlEmploymentStore.at(f"sqlite:///{tmp_path / 'employment.sqlite'}"),
        registry=FakePersonRegistry({IIN: _record()}),
        contributions=FakeContributions(
            {IIN: [Contribution(dt.date(2026, 7, 1), "040540010001", "ТОО")]},
            {IIN: [EmploymentPeriod("040540010001", "ТОО", dt.date(2019, 2, 1), dt.date(2026, 7, 31))]},
        ),
        documents=FakeDocuments(),
        reporter=FakeStageReporter(),
        calendar=WorkingCalendar(),
        now=FixedClock(SATURDAY).now,
    )


def test_registration_is_stored_reported_and_dated_by_t2(services: EmploymentServices) -> None:
    stored = register_job_seeker(_command(), services)
    assert stored.registered and stored.document.startswith("<notice")
    # Saturday 21 Nov is taken as Monday 23 Nov (T-2); one working day -> Tuesday 24 Nov 18:30 (JS-6).
    assert stored.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())
    reporter = services.reporter
    assert isinstance(reporter, FakeStageReporter)
    assert [r.stage for r in reporter.received] == [
        Stage.ACCEPTED,
        Stage.DATA_REQUESTED,
        Stage.DECISION_MADE,
        Stage.RESULT_ISSUED,
    ]
    assert {r.correlation_id for r in reporter.received} == {"APP-1"}
    assert isinstance(services.store, SqlEmploymentStore)
    card = services.store.job_seeker(IIN)
    assert card is not None and card["registered_on"] == dt.date(2026, 11, 23)


def test_repeated_application_id_is_answered_from_the_store(services: EmploymentServices) -> None:
    first = register_job_seeker(_command(), services)
    again = register_job_seeker(_command(), services)
    assert again.document == first.document
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry) and len(registry.asked) == 1


def test_a_new_application_of_a_registered_person_updates_the_card_js7(services: EmploymentServices) -> None:
    register_job_seeker(_command("APP-1"), services)
    # A week later she applies again under her new surname, and the registry holds her new address.
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry)
    registry.people[IIN] = RegistryRecord(
        IIN, "Ахметова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Almaty", dt.date(2031, 1, 1)
    )
    renamed = Applicant(IIN, "Ахметова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)
    again = _command("APP-2", applicant=renamed, received_at=SATURDAY + dt.timedelta(days=7))
    assert register_job_seeker(again, services).registered
    assert isinstance(services.store, SqlEmploymentStore)
    card = services.store.job_seeker(IIN)
    assert card is not None and card["applications"] == 2
    assert card["registered_on"] == dt.date(2026, 11, 23)  # the first registration date is kept (Rules §22)
    assert card["full_name"] == "Ахметова Жанар Ерлановна" and card["address"] == "Almaty"
    assert card["changes"] == [
        {
            "field": "fullName",
            "old": "Сулейменова Жанар Ерлановна",
            "new": "Ахметова Жанар Ерлановна",
            "on": "2026-11-30",
        },
        {"field": "address", "old": "Astana", "new": "Almaty", "on": "2026-11-30"},
    ]


def test_dismissed_yesterday_is_registered_and_a_contract_in_force_is_refused(services: EmploymentServices) -> None:
    contributions = services.contributions
    assert isinstance(contributions, FakeContributions)
    ended_sunday = EmploymentPeriod("040540010001", "ТОО", dt.date(2022, 3, 1), dt.date(2026, 11, 22))
    contributions.employment[IIN] = [ended_sunday]
    contributions.by_iin[IIN] = [Contribution(dt.date(2026, 10, 1), "040540010001", "ТОО")]
    assert register_job_seeker(_command("APP-1"), services).registered
    contributions.employment[IIN] = [EmploymentPeriod("040540010001", "ТОО", dt.date(2021, 4, 1), None)]
    refused = register_job_seeker(_command("APP-2"), services)
    assert [r["ruleId"] for r in refused.reasons] == ["000 §5 action 3"]


def test_a_retried_delivery_keeps_the_term_and_the_registration_date(services: EmploymentServices) -> None:
    """Regulation 000 §10: the term runs from the submission on the portal, not from the delivery."""
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
    late = _command(received_at=monday + dt.timedelta(days=2), submitted_at=monday)
    stored = register_job_seeker(late, services)
    assert stored.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())
    assert isinstance(services.store, SqlEmploymentStore)
    card = services.store.job_seeker(IIN)
    assert card is not None and card["registered_on"] == dt.date(2026, 11, 23)
    reporter = services.reporter
    assert isinstance(reporter, FakeStageReporter)
    assert {r.deadline for r in reporter.received} == {stored.deadline}


def test_a_refusal_to_accept_decides_and_registers_nothing(services: EmploymentServices) -> None:
    """JS-2 (standard item 9; regulation 000 §5 condition 1) is not JS-3 (Rules Annex 2)."""
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry)
    registry.people[IIN] = RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2026, 11, 20)
    )
    stored = register_job_seeker(_command(), services)
    assert not stored.registered and stored.document.startswith("<notAccepted")
    assert [r["ruleId"] for r in stored.reasons] == ["JS-2"]
    reporter = services.reporter
    assert isinstance(reporter, FakeStageReporter)
    assert [(r.stage, r.is_positive, r.rule_id) for r in reporter.received] == [(Stage.REFUSED, False, "JS-2")]
    assert isinstance(services.store, SqlEmploymentStore)
    assert services.store.job_seeker(IIN) is None
    documents = services.documents
    assert isinstance(documents, FakeDocuments) and not [d for d in documents.issued if d.startswith("<refusal")]
    # The same application delivered again is answered from the store.
    assert register_job_seeker(_command(), services).document == stored.document


def test_a_minor_without_a_representative_is_not_accepted_with_one_is_registered(
    services: EmploymentServices,
) -> None:
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry)
    minor_iin = "120514504024"
    registry.people[minor_iin] = RegistryRecord(
        minor_iin, "Ахметов", "Алихан", None, dt.date(2012, 5, 14), "Karaganda", dt.date(2033, 6, 14)
    )
    minor = Applicant(minor_iin, "Ахметов", "Алихан", None, dt.date(2012, 5, 14), True)
    not_accepted = register_job_seeker(_command("APP-M1", signer=minor_iin, applicant=minor), services)
    assert not_accepted.document.startswith("<notAccepted") and not_accepted.reasons[0]["ruleId"] == "JS-1"
    with_parent = Applicant(
        minor_iin,
        "Ахметов",
        "Алихан",
        None,
        dt.date(2012, 5, 14),
        True,
        LegalRepresentative("880115300126", "Ахметов Нурлан", "I agree"),
    )
    assert register_job_seeker(_command("APP-M2", signer=minor_iin, applicant=with_parent), services).registered


def test_unknown_person_is_refused_under_js3(services: EmploymentServices) -> None:
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry)
    registry.people.clear()
    stored = register_job_seeker(_command(), services)
    assert not stored.registered
    assert [r["ruleId"] for r in stored.reasons] == ["JS-3"]


def test_form_signed_by_someone_else_changes_nothing(services: EmploymentServices) -> None:
    with pytest.raises(SignerIsNotApplicant):
        register_job_seeker(_command(signer="850902305172"), services)
    assert isinstance(services.store, SqlEmploymentStore)
    assert services.store.application("APP-1") is None
    assert services.store.outbox_status() == {"sent": 0, "pending": 0}


def test_registry_down_decides_nothing(services: EmploymentServices) -> None:
    registry = services.registry
    assert isinstance(registry, FakePersonRegistry)
    registry.down = True
    with pytest.raises(ExternalSystemUnavailable):
        register_job_seeker(_command(), services)
    assert isinstance(services.store, SqlEmploymentStore)
    assert services.store.application("APP-1") is None


def test_stage_reports_wait_in_the_outbox_while_monitoring_is_down(services: EmploymentServices) -> None:
    reporter = services.reporter
    assert isinstance(reporter, FakeStageReporter) and isinstance(services.store, SqlEmploymentStore)
    reporter.failures_left = 1
    register_job_seeker(_command(), services)
    assert reporter.received == []
    assert services.store.outbox_status() == {"sent": 0, "pending": 4}
    assert flush_stage_reports(services) == 4
    assert [r.stage for r in reporter.received][-1] == Stage.RESULT_ISSUED
    assert services.store.outbox_status() == {"sent": 4, "pending": 0}
