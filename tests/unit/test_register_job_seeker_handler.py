"""The registration handler with fakes of every external system: decisions, storage, stage outbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from employment.adapters.storage import SqlEmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Applicant, Contribution, RegistryRecord, Stage
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


def _command(application_id: str = "APP-1", signer: str | None = IIN) -> RegisterJobSeeker:
    return RegisterJobSeeker(application_id, _applicant(), signer, "verified", SATURDAY, application_id)


@pytest.fixture
def services(tmp_path: Path) -> EmploymentServices:
    return EmploymentServices(
        store=SqlEmploymentStore.at(f"sqlite:///{tmp_path / 'employment.sqlite'}"),
        registry=FakePersonRegistry({IIN: _record()}),
        contributions=FakeContributions({IIN: [Contribution(dt.date(2026, 7, 1), "040540010001", "ТОО")]}),
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
    register_job_seeker(_command("APP-2"), services)
    assert isinstance(services.store, SqlEmploymentStore)
    card = services.store.job_seeker(IIN)
    assert card is not None and card["applications"] == 2


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
