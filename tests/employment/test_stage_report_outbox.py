"""Stage reports leave through the centre's outbox: queued in the decision's transaction, delivered by the
background worker, in order, whether or not another application ever arrives."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.storage import OutboxState
from employment.adapters.stage_outbox import stage_report_worker
from employment.adapters.storage import EmploymentStore
from employment.domain.models import Stage, StageReport
from employment.domain.rules.job_seeker_card import card_after_registration
from employment.service_layer.handlers import register_job_seeker
from employment.service_layer.ports import StageReportRefused
from kernel.clock import FixedClock
from tests.employment.conftest import IIN, MONDAY, applicant, command, record, services_on
from tests.fakes import FakePersonRegistry, FakeStageReporter


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the background worker did not deliver in time")
        time.sleep(0.05)


def test_the_decision_and_its_stage_reports_commit_together(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        uow.report_stage(StageReport("APP-9", "X", Stage.ACCEPTED, MONDAY, MONDAY, None, "APP-9"))
        uow.job_seekers.save(card_after_registration(None, applicant(), record(), MONDAY.date()), new=True)
        raise RuntimeError("the decision failed after the report was queued")
    assert store.outbox.counts()["pending"] == 0 and store.job_seeker(IIN) is None
    register_job_seeker(command("APP-1"), services_on(store, clock, FakePersonRegistry({IIN: record()})))
    queued = sorted(store.outbox.messages(OutboxState.PENDING), key=lambda m: m.id)
    application = [m.payload["stage"] for m in queued if m.ordering_key == "APP-1"]
    assert application == ["ACCEPTED", "DATA_REQUESTED", "DECISION_MADE", "RESULT_ISSUED"]
    # the register entry opened in the same transaction (JS-6): its registration case's first stage
    assert [(m.ordering_key, m.payload["stage"]) for m in queued if m.ordering_key != "APP-1"] == [
        ("UN-APP-1", "JOB_SEEKER")
    ]
    assert {m.topic for m in queued} == {"stage-report"}


def test_reports_queued_while_monitoring_is_down_are_delivered_later_without_a_new_application(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    reporter = FakeStageReporter(failures_left=1_000)  # the monitoring IS is down
    worker = stage_report_worker(store.outbox, reporter, poll_seconds=0.05)
    store.on_stage_reports_queued(worker.wake)
    register_job_seeker(command("APP-1"), services_on(store, clock, FakePersonRegistry({IIN: record()})))
    first = worker.run_once()
    assert first.retrying and not first.delivered and reporter.received == []

    reporter.failures_left = 0  # the monitoring IS is back; nobody applies again
    assert worker.run_once().delivered == []  # the retry is not due yet on the ecosystem clock
    worker.start()
    try:
        clock.advance(timedelta(minutes=10))
        _wait_until(lambda: len(reporter.received) == 5)
    finally:
        worker.stop()
    assert [r.stage for r in reporter.received if r.application_id == "APP-1"] == [
        Stage.ACCEPTED,
        Stage.DATA_REQUESTED,
        Stage.DECISION_MADE,
        Stage.RESULT_ISSUED,
    ]
    assert store.outbox.counts() == {"pending": 0, "delivered": 5, "dead": 0}


def test_reports_of_a_centre_killed_after_its_decision_are_delivered_after_the_restart(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    before_crash = open_store()
    registry = FakePersonRegistry({IIN: record()})
    stored = register_job_seeker(command("APP-1"), services_on(before_crash, clock, registry))
    # Killed right after the commit: no worker ever ran in that process.
    before_crash.dispose()

    after_restart = open_store()
    reporter = FakeStageReporter()
    worker = stage_report_worker(after_restart.outbox, reporter, poll_seconds=0.05)
    worker.start()  # as the app's lifespan does on start-up
    try:
        _wait_until(lambda: len(reporter.received) == 5)
    finally:
        worker.stop()
    assert {r.application_id for r in reporter.received} == {"APP-1", "UN-APP-1"}
    # The portal's retry of the same application is answered from the store and queues nothing new.
    again = register_job_seeker(command("APP-1"), services_on(after_restart, clock, registry))
    assert again.document == stored.document and after_restart.outbox.counts()["pending"] == 0


def test_a_report_refused_for_good_becomes_a_dead_letter(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()

    class RefusingReporter(FakeStageReporter):
        def report(self, report: StageReport) -> None:
            raise StageReportRefused("HTTP 422: the stage report is malformed")

    register_job_seeker(command("APP-1"), services_on(store, clock, FakePersonRegistry({IIN: record()})))
    run = stage_report_worker(store.outbox, RefusingReporter()).run_once()
    # no retry for a refusal that a retry cannot cure: the first report of each application is dead
    assert len(run.dead) == 2 and not run.retrying
    # the application's later stages wait behind their dead ACCEPTED: the monitoring IS never sees them out of order
    assert store.outbox.counts() == {"pending": 3, "delivered": 0, "dead": 2}
    for dead in run.dead:
        store.outbox.revive(dead)  # a person fixed the cause
    reporter = FakeStageReporter()
    assert len(stage_report_worker(store.outbox, reporter).run_once().delivered) == 5
    stages = [r.stage.value for r in reporter.received if r.application_id == "APP-1"]
    assert stages == ["ACCEPTED", "DATA_REQUESTED", "DECISION_MADE", "RESULT_ISSUED"]


def test_instants_are_read_back_with_the_astana_offset(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    register_job_seeker(command("APP-1"), services_on(store, clock, FakePersonRegistry({IIN: record()})))
    stored = open_store().application("APP-1")
    assert stored is not None
    assert stored.received_at == MONDAY and stored.received_at.isoformat().endswith("+05:00")
    assert stored.deadline.isoformat() == "2026-11-24T18:30:00+05:00"
