"""Art. 119 (PE-7) at the fund (mocks/social_fund/service_layer/stops.py): the deregistration reported by the
employment centre terminates the payment through the outbox worker's duty, durably and once; every stop is
reported to the monitoring IS, which keeps the application finished."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.shep.envelope import Payload
from contracts import unemployment_status as un
from contracts.job_loss_payment_model import NoticeKind
from contracts.stage_report import read_stage_report
from kernel.clock import FixedClock, almaty
from mocks.monitoring.service import build_record, report_from_document
from mocks.monitoring.storage import Provenance, StoredStage
from mocks.social_fund.adapters.delivery import CABINET_TOPIC, STAGE_REPORT_TOPIC
from mocks.social_fund.adapters.register_store import FundRegisterStore
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.domain.termination import Event
from mocks.social_fund.entrypoints.status_notices import StatusNotices
from mocks.social_fund.service_layer.ports import PaymentStatus
from mocks.social_fund.service_layer.services import FundServices
from mocks.social_fund.service_layer.stops import PaymentStops
from tests.social_fund.conftest import IIN, REGISTERED_ON, application

DEREGISTERED_ON = dt.date(2026, 4, 20)
TOLD_AT = dt.datetime(2026, 4, 21, 11, 0, tzinfo=almaty())


@pytest.fixture
def register_store(tmp_path: Path, clock: FixedClock, store: FundStore) -> Iterator[FundRegisterStore]:
    """The fund's register of unemployed status, in the same database as its payments (as the app has it)."""
    records = FundRegisterStore.at(f"sqlite:///{tmp_path / 'social_fund.sqlite'}", clock.now)
    yield records
    records.dispose()


@pytest.fixture
def stops(services: FundServices, register_store: FundRegisterStore) -> PaymentStops:
    return PaymentStops(services, register_store)


def _assigned(services: FundServices, clock: FixedClock, application_id: str = "APP-1") -> None:
    """Mode auto: each role acts when its step is due, up to the payment assigned."""
    services.receive(application(application_id))
    while (found := services.store.get(application_id)) is not None and found.step is not None:
        assert found.act_at is not None
        clock.set(max(clock.now(), found.act_at))
        services.act_automatically(application_id)


def _notice(
    status: un.UnemployedStatus, registered_on: dt.date, effective_on: dt.date, notice_id: str = "ENBEK-UN-1"
) -> un.UnemployedStatusNotice:
    return un.UnemployedStatusNotice(notice_id, IIN, status, effective_on, registered_on, "MIO-DEC-7", "DR-1 (1)")


def _keys(store: FundStore, topic: str) -> list[str]:
    return sorted(str(m.key) for m in store.outbox.messages(topic=topic, limit=1000))


def test_a_deregistration_recorded_before_a_crash_is_terminated_once_by_the_worker(
    services: FundServices,
    store: FundStore,
    register_store: FundRegisterStore,
    stops: PaymentStops,
    clock: FixedClock,
) -> None:
    _assigned(services, clock)
    clock.set(TOLD_AT)
    woken: list[bool] = []
    notices = StatusNotices(
        register_store, now=clock.now, max_bytes=1_000_000, on_deregistered=lambda: woken.append(True)
    )
    removal = _notice(un.UnemployedStatus.DEREGISTERED, REGISTERED_ON, DEREGISTERED_ON)
    answer = un.read_receipt(notices.handle(Payload(element=un.write_notice(removal))).document(1_000_000))
    assert answer.outcome is un.ReceiptOutcome.RECORDED and woken == [True]
    # The handler only records: the process may die here and the payment still runs.
    [running] = store.payments(IIN)
    assert running.status is PaymentStatus.ACTIVE and store.notices("APP-1") == []
    cabinet_before, reports_before = _keys(store, CABINET_TOPIC), _keys(store, STAGE_REPORT_TOPIC)

    [issued] = stops.terminate_deregistered()  # the worker's next pass, after a restart

    # PE-7 (Art. 119 p.2 sub.5): terminated from the 1st of the month after the deregistration.
    assert issued.notice.kind is NoticeKind.TERMINATED and issued.notice.effective_from == dt.date(2026, 5, 1)
    assert issued.notice.notice_id == f"{running.decision_id}-deregistration"
    assert issued.notice.ground.rule_id == "PE-7" and issued.notice.issued_on == TOLD_AT.date()
    assert [m.end for m in issued.notice.schedule] == [dt.date(2026, 4, 9), dt.date(2026, 4, 30)]
    [payment] = store.payments(IIN)
    assert payment.status is PaymentStatus.TERMINATED and payment.stopped_from == dt.date(2026, 5, 1)
    assert payment.schedule == issued.notice.schedule
    assert store.notices("APP-1") == [issued]
    delivered = f"job-loss-payment-notice/{issued.notice.notice_id}"
    assert _keys(store, CABINET_TOPIC) == sorted([*cabinet_before, delivered])
    assert _keys(store, STAGE_REPORT_TOPIC) == sorted([*reports_before, "APP-1/PAYMENT_TERMINATED"])

    # Again: the pass, the notice repeated, the department's own event change nothing.
    assert stops.terminate_deregistered() == []
    again = un.read_receipt(notices.handle(Payload(element=un.write_notice(removal))).document(1_000_000))
    assert again.outcome is un.ReceiptOutcome.ALREADY_RECORDED and woken == [True]
    assert stops.stop(IIN, Event.DEREGISTRATION, DEREGISTERED_ON) is None
    assert store.notices("APP-1") == [issued] and store.payments(IIN) == [payment]
    assert len(_keys(store, CABINET_TOPIC)) == len(cabinet_before) + 1
    assert len(_keys(store, STAGE_REPORT_TOPIC)) == len(reports_before) + 1


def test_the_stop_is_reported_and_the_monitoring_is_keeps_the_application_finished(
    services: FundServices,
    store: FundStore,
    register_store: FundRegisterStore,
    stops: PaymentStops,
    clock: FixedClock,
) -> None:
    _assigned(services, clock)
    clock.set(TOLD_AT)
    register_store.record_notice(_notice(un.UnemployedStatus.DEREGISTERED, REGISTERED_ON, DEREGISTERED_ON))
    stops.terminate_deregistered()
    found = store.get("APP-1")
    assert found is not None
    documents = [
        read_stage_report(json.dumps(m.payload))  # the monitoring IS's reader: the stage name is accepted
        for m in reversed(store.outbox.messages(topic=STAGE_REPORT_TOPIC, limit=1000))
    ]
    last = documents[-1]
    assert (last.stage, last.ruleId, last.isPositive, last.serviceType) == (
        "PAYMENT_TERMINATED",
        "PE-7",
        None,
        "JOB_LOSS_PAYMENT",
    )
    assert last.applicationId == "APP-1" and last.deadline == found.deadline and last.stageAt == TOLD_AT
    assert last.stepDeadline is None  # SP-1 is over: no step waits
    provenance = Provenance("GFSS", None, None, None, "gateway")
    record = build_record(
        [StoredStage(i, report_from_document(d), provenance, d.stageAt) for i, d in enumerate(documents)]
    )
    assert record.current_state == "PAYMENT_TERMINATED" and record.is_positive is True
    assert record.is_finished and record.deadline == found.deadline
    assert not record.is_overdue(found.deadline + dt.timedelta(days=60))


def test_a_removal_that_ended_an_earlier_registration_stops_nothing(
    services: FundServices,
    store: FundStore,
    register_store: FundRegisterStore,
    stops: PaymentStops,
    clock: FixedClock,
) -> None:
    _assigned(services, clock)
    # The fund missed the registration of 2026-03-10; it holds the removal of an earlier one (2026-02-16).
    register_store.record_notice(_notice(un.UnemployedStatus.DEREGISTERED, dt.date(2025, 11, 3), dt.date(2026, 2, 16)))
    assert stops.terminate_deregistered() == []
    [payment] = store.payments(IIN)
    assert payment.status is PaymentStatus.ACTIVE


def test_a_removal_after_the_payment_ended_stops_nothing(
    services: FundServices,
    store: FundStore,
    register_store: FundRegisterStore,
    stops: PaymentStops,
    clock: FixedClock,
) -> None:
    _assigned(services, clock)  # 4 months: 2026-03-10 .. 2026-07-09
    register_store.record_notice(_notice(un.UnemployedStatus.DEREGISTERED, REGISTERED_ON, dt.date(2026, 7, 31)))
    assert stops.terminate_deregistered() == []
    assert [p.status for p in store.payments(IIN)] == [PaymentStatus.ACTIVE]


def test_an_event_first_leaves_nothing_for_the_deregistration_to_stop(
    services: FundServices,
    store: FundStore,
    register_store: FundRegisterStore,
    stops: PaymentStops,
    clock: FixedClock,
) -> None:
    _assigned(services, clock)
    clock.set(TOLD_AT)
    stale = store.payments(IIN)[0]
    died = stops.stop(IIN, Event.DEATH, dt.date(2026, 4, 2))
    assert died is not None and died.notice.effective_from == dt.date(2026, 5, 1)
    register_store.record_notice(_notice(un.UnemployedStatus.DEREGISTERED, REGISTERED_ON, DEREGISTERED_ON))
    assert stops.terminate_deregistered() == []
    # Two actors read the payment active: the one who stores second changes nothing, not even its notice.
    late = stops._stop(stale, Event.DEREGISTRATION, DEREGISTERED_ON)
    assert late is None and store.notices("APP-1") == [died]
    assert _keys(store, STAGE_REPORT_TOPIC).count("APP-1/PAYMENT_TERMINATED") == 1


def test_a_suspension_is_reported_as_such(
    services: FundServices, store: FundStore, stops: PaymentStops, clock: FixedClock
) -> None:
    _assigned(services, clock)
    clock.set(TOLD_AT)
    issued = stops.stop(IIN, Event.NO_ACCOUNT_DEBITS, TOLD_AT.date())
    assert issued is not None and issued.notice.kind is NoticeKind.SUSPENDED
    assert issued.notice.ground.article == "Social Code Art. 119 p.1"
    assert [p.status for p in store.payments(IIN)] == [PaymentStatus.SUSPENDED]
    assert "APP-1/PAYMENT_SUSPENDED" in _keys(store, STAGE_REPORT_TOPIC)
    # A suspended payment is not resumed (not modelled) and not stopped again.
    assert stops.stop(IIN, Event.NO_ACCOUNT_DEBITS, TOLD_AT.date()) is None
