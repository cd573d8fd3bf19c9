"""The registration handler with a fake unit of work and fakes of every external system: decisions, the
transaction boundary, the stage reports queued with the decision."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Applicant, Contribution, RegistryRecord, Stage
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from employment.service_layer.ports import ExternalSystemUnavailable
from kernel.clock import FixedClock, almaty
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


def _command(application_id: str = "APP-1", signer: str | None = IIN) -> RegisterJobSeeker:
    return RegisterJobSeeker(application_id, _applicant(), signer, "verified", SATURDAY, application_id)


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
        contributions=FakeContributions({IIN: [Contribution(dt.date(2026, 7, 1), "040540010001", "ТОО")]}),
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
    assert [r.stage for r in db.stage_reports] == [
        Stage.ACCEPTED,
        Stage.DATA_REQUESTED,
        Stage.DECISION_MADE,
        Stage.RESULT_ISSUED,
    ]
    assert {r.correlation_id for r in db.stage_reports} == {"APP-1"}
    assert db.job_seekers[IIN]["registered_on"] == dt.date(2026, 11, 23)
    assert db.commits == 1  # decision, card and stage reports in one transaction


def test_repeated_application_id_is_answered_from_the_store(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    first = register_job_seeker(_command(), services)
    again = register_job_seeker(_command(), services)
    assert again.document == first.document
    assert len(registry.asked) == 1
    assert len(db.stage_reports) == 4


def test_a_new_application_of_a_registered_person_updates_the_card_js7(
    services: EmploymentServices, db: FakeDatabase
) -> None:
    register_job_seeker(_command("APP-1"), services)
    register_job_seeker(_command("APP-2"), services)
    assert db.job_seekers[IIN]["applications"] == 2


def test_unknown_person_is_refused_under_js3_and_the_refusal_is_reported(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    registry.people.clear()
    stored = register_job_seeker(_command(), services)
    assert not stored.registered
    assert [r["ruleId"] for r in stored.reasons] == ["JS-3"]
    final = db.stage_reports[-1]
    assert final.stage is Stage.REFUSED and final.rule_id == "JS-3" and final.is_positive is False
    assert IIN not in db.job_seekers


def test_form_signed_by_someone_else_changes_nothing(services: EmploymentServices, db: FakeDatabase) -> None:
    with pytest.raises(SignerIsNotApplicant):
        register_job_seeker(_command(signer="850902305172"), services)
    assert db.applications == {} and db.stage_reports == []


def test_registry_down_decides_nothing(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    registry.down = True
    with pytest.raises(ExternalSystemUnavailable):
        register_job_seeker(_command(), services)
    assert db.applications == {} and db.stage_reports == [] and db.job_seekers == {}


def test_a_copy_that_lost_the_race_answers_with_the_stored_decision(
    services: EmploymentServices, db: FakeDatabase, registry: FakePersonRegistry
) -> None:
    """The other copy stores its decision while this one asks the registry (after its existence check):
    this copy gives up its own decision and answers with the stored one."""
    other_copy = dataclasses.replace(
        register_job_seeker(_command("APP-0"), services), application_id="APP-1", document="<notice other/>"
    )
    original_find = registry.find

    def find_while_the_other_copy_commits(iin: str, correlation_id: str | None) -> RegistryRecord | None:
        db.applications["APP-1"] = other_copy
        return original_find(iin, correlation_id)

    registry.find = find_while_the_other_copy_commits  # type: ignore[method-assign]
    answer = register_job_seeker(_command("APP-1"), services)
    assert answer == other_copy
    assert len(db.stage_reports) == 4  # only APP-0's: the losing copy's transaction queued nothing
    assert db.job_seekers[IIN]["applications"] == 1
