"""The registration handler with a fake unit of work and fakes of every external system: decisions, the
transaction boundary, the stage reports queued with the decision."""

from __future__ import annotations

import datetime as dt

import pytest

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import (
    Applicant,
    CardChange,
    Contribution,
    EmploymentPeriod,
    JobSeekerCard,
    LegalRepresentative,
    RegistryRecord,
    Stage,
)
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from kernel.clock import FixedClock, almaty
from tests import fakes
from tests.fakes import (
    FakeContributions,
    FakeDatabase,
    FakeDocuments,
    FakePersonRegistry,
    fake_unit_of_work,
)

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
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def registry() -> FakePersonRegistry:
    return FakePersonRegistry({IIN: _record()})


@pytest.fixture
def services(db: FakeDatabase, registry: FakePersonRegistry) -> EmploymentServices:
    return EmploymentServices(
        uow=fake_unit_of_work(db),
        registry=registry,
        contributions=FakeContributions(
            {IIN: [Contribution(dt.date(2026, 7, 1), "040540010001", "ТОО")]},
            {IIN: [EmploymentPeriod("040540010001", "ТОО", dt.date(2019, 2, 1), dt.date(2026, 7, 31))]},
        ),
        documents=FakeDocuments(),
        calendar=WorkingCalendar(),
        now=FixedClock(SATURDAY).now,
    )


def test_registration_is_stored_with_its_stage_reports_and_dated_by_t2(
    services: EmploymentServices, db: FakeDatabase
) -> None:
    stored = register_job_seeker(_command(), services)
    assert stored.registered and stored.document.startswith("<notice")
    # Saturday 21 Nov is taken as Monday 23 Nov (T-2); one working day -> Tuesday 24 Nov 18:30 (JS-6).
    assert stored.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())
    assert db.applications["APP-1"] == stored
    assert [r.stage for r in db.reports_of("APP-1")] == [
        Stage.ACCEPTED,
        Stage.DATA_REQUESTED,
        Stage.DECISION_MADE,
        Stage.RESULT_ISSUED,
    ]
    # JS-6 opens the register entry and its registration case (JS-9 period until Tuesday's closing).
    (opened,) = db.reports_of("UN-APP-1")
    assert (opened.stage, opened.rule_id, opened.service_type) == (Stage.JOB_SEEKER, "JS-6", "UNEMPLOYED_REGISTRATION")
    assert opened.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())
    assert {r.correlation_id for r in db.stage_reports} == {"APP-1"}
    assert db.job_seekers[IIN].registered_on == dt.date(2026, 11, 23)
    assert db.entries[IIN].state.value == "JOB_SEEKER" and db.entries[IIN].case_id == "UN-APP-1"
    assert db.commits == 1  # decision, card, register entry and stage reports in one transaction


def test_repeated_application_id_is_answered_from_the_store(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    first = register_job_seeker(_command(), services)
    again = register_job_seeker(_command(), services)
    assert again.document == first.document
    assert len(registry.asked) == 1
    assert len(db.stage_reports) == 5  # four stages of the application and the register's JOB_SEEKER


def test_a_new_application_of_a_registered_person_updates_the_card_js7(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    register_job_seeker(_command("APP-1"), services)
    # A week later she applies again under her new surname, and the registry holds her new address.
    registry.people[IIN] = RegistryRecord(
        IIN, "Ахметова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Almaty", dt.date(2031, 1, 1)
    )
    renamed = Applicant(IIN, "Ахметова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)
    again = _command("APP-2", applicant=renamed, received_at=SATURDAY + dt.timedelta(days=7))
    assert register_job_seeker(again, services).registered
    card = db.job_seekers[IIN]
    assert card.applications == 2
    assert card.registered_on == dt.date(2026, 11, 23)  # the first registration date is kept (Rules §22)
    assert card.full_name == "Ахметова Жанар Ерлановна" and card.address == "Almaty"
    assert card.changes == (
        CardChange("fullName", "Сулейменова Жанар Ерлановна", "Ахметова Жанар Ерлановна", dt.date(2026, 11, 30)),
        CardChange("address", "Astana", "Almaty", dt.date(2026, 11, 30)),
    )
    # JS-7: one register entry, still in the first registration case; no second person, no new case.
    assert list(db.entries) == [IIN] and db.entries[IIN].case_id == "UN-APP-1"
    assert list(db.cases) == ["UN-APP-1"]


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


def test_a_retried_delivery_keeps_the_term_and_the_registration_date(
    services: EmploymentServices, db: FakeDatabase
) -> None:
    """Regulation 000 §10: the term runs from the submission on the portal, not from the delivery."""
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
    late = _command(received_at=monday + dt.timedelta(days=2), submitted_at=monday)
    stored = register_job_seeker(late, services)
    assert stored.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())
    assert db.job_seekers[IIN].registered_on == dt.date(2026, 11, 23)
    assert {r.deadline for r in db.reports_of("APP-1")} == {stored.deadline}


def test_a_refusal_to_accept_decides_and_registers_nothing(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    """JS-2 (standard item 9; regulation 000 §5 condition 1) is not JS-3 (Rules Annex 2)."""
    registry.people[IIN] = RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2026, 11, 20)
    )
    stored = register_job_seeker(_command(), services)
    assert not stored.registered and stored.document.startswith("<notAccepted")
    assert [r["ruleId"] for r in stored.reasons] == ["JS-2"]
    assert [(r.stage, r.is_positive, r.rule_id) for r in db.stage_reports] == [(Stage.REFUSED, False, "JS-2")]
    assert IIN not in db.job_seekers
    documents = services.documents
    assert isinstance(documents, FakeDocuments) and not [d for d in documents.issued if d.startswith("<refusal")]
    # The same application delivered again is answered from the store.
    assert register_job_seeker(_command(), services).document == stored.document


def test_a_minor_without_a_representative_is_not_accepted_with_one_is_registered(
    services: EmploymentServices, registry: FakePersonRegistry
) -> None:
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


def test_a_first_card_opened_concurrently_is_decided_again_with_that_card(
    services: EmploymentServices, db: FakeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another application of the same person opens the card between this one's read and write: this one
    is entered as a repeated application (JS-7) instead of failing."""
    register_job_seeker(_command("APP-0"), services)
    opened = db.job_seekers.pop(IIN)
    reads = {"n": 0}
    real_read = fakes._FakeJobSeekers.card_for_update

    def read_then_the_other_commits(self: fakes._FakeJobSeekers, iin: str) -> JobSeekerCard | None:
        reads["n"] += 1
        card = real_read(self, iin)
        if reads["n"] == 1:
            db.job_seekers[IIN] = opened
        return card

    monkeypatch.setattr(fakes._FakeJobSeekers, "card_for_update", read_then_the_other_commits)
    assert register_job_seeker(_command("APP-1"), services).registered
    assert reads["n"] == 2 and db.job_seekers[IIN].applications == 2
