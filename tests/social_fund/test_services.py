"""The fund's job-loss payment use cases (mocks/social_fund/service_layer/services.py) on a real store with fakes of
the centre (SP-7), the population data, the contributions and the head's signature."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from adapters.xml import parse_xml
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import Channel, Outcome
from contracts.stage_report import read_stage_report
from kernel.clock import FixedClock, almaty
from mocks.social_fund.adapters.delivery import CABINET_TOPIC, STAGE_REPORT_TOPIC
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.domain.steps import Step
from mocks.social_fund.service_layer.ports import (
    ApplicationConflict,
    InvalidGround,
    PaymentStatus,
    StateSystemUnavailable,
    Status,
    WrongStep,
)
from mocks.social_fund.service_layer.services import FundServices
from tests.social_fund.conftest import APPLIED, IIN, application
from tests.social_fund.fakes import FakeRegister

DEADLINE = dt.datetime(2026, 3, 30, 9, 30, tzinfo=almaty())  # 8 working days: 13, 16-20, 26, 27 March (Nauryz)


def _stages(store: FundStore, application_id: str) -> list[str]:
    messages = store.outbox.messages(topic=STAGE_REPORT_TOPIC, limit=1000)
    return [m.payload["stage"] for m in reversed(messages) if m.payload["applicationId"] == application_id]


def _through(services: FundServices, clock: FixedClock, application_id: str) -> None:
    """Mode auto: each role acts when its step is due."""
    while (found := services.store.get(application_id)) is not None and found.step is not None:
        assert found.act_at is not None
        clock.set(max(clock.now(), found.act_at))
        services.act_automatically(application_id)


def test_registration_answers_the_deadline_once(services: FundServices, store: FundStore) -> None:
    stored, repeated = services.receive(application())
    assert not repeated and stored.status is Status.IN_PROGRESS and stored.step is Step.ASSIGNMENT
    assert stored.deadline == DEADLINE and stored.registered_at == APPLIED
    again, repeated = services.receive(application())
    assert repeated and again.registration_number == stored.registration_number
    with pytest.raises(ApplicationConflict):
        services.receive(application(iin="850101300123"))
    assert _stages(store, "APP-1") == ["REGISTERED"]


def test_documents_in_violation_are_refused_at_once(services: FundServices, store: FundStore) -> None:
    stored, _ = services.receive(application(consent=False, surname="Ахметов"))
    assert stored.status is Status.REFUSED and stored.step is None and stored.draft is not None
    assert stored.draft.outcome is Outcome.REFUSED_TO_ACCEPT
    assert [g.rule_id for g in stored.draft.grounds] == ["PE-4 (3)", "PE-4 (5)"]
    assert _stages(store, "APP-1") == ["REGISTERED", "REFUSED"]
    report = store.outbox.messages(topic=STAGE_REPORT_TOPIC)[0].payload
    assert (report["isPositive"], report["ruleId"], report["channel"]) == (False, "PE-4 (3)", "PORTAL")
    assert report["stepDeadline"] is None  # refused: no step waits
    registered = store.outbox.messages(topic=STAGE_REPORT_TOPIC)[1].payload
    assert registered["stepDeadline"] == "2026-03-12T10:10:00+05:00"  # SP-1: the head's 10 minutes
    [delivery] = store.outbox.messages(topic=CABINET_TOPIC)
    assert delivery.key == f"job-loss-payment-decision/{stored.draft.decision_id}"


def test_the_department_assigns_the_worked_example_in_its_steps(
    services: FundServices, store: FundStore, clock: FixedClock, register: FakeRegister
) -> None:
    services.receive(application())
    _through(services, clock, "APP-1")
    done = store.get("APP-1")
    assert done is not None and done.status is Status.ISSUED and done.draft is not None
    assert clock.now() == DEADLINE  # each role took its whole term
    payment = done.draft.payment
    assert payment is not None and done.draft.outcome is Outcome.ASSIGNED
    assert (payment.gross, payment.net, len(payment.schedule)) == (Decimal("121500.00"), Decimal("109350.00"), 4)
    assert payment.right_arose == dt.date(2026, 3, 10) and payment.participation_months == 36
    assert register.asked == [(IIN, dt.date(2026, 3, 12))]
    assert done.signed_decision is not None
    assert contract.read_decision(parse_xml(done.signed_decision)) == done.draft
    assert _stages(store, "APP-1") == ["REGISTERED", "EXECUTOR_ASSIGNED", "DRAFTED", "SIGNED", "RESULT_ISSUED"]
    assert store.outbox.messages(topic=STAGE_REPORT_TOPIC)[0].payload["isPositive"] is True
    assert [m.key for m in store.outbox.messages(topic=CABINET_TOPIC)] == [
        f"job-loss-payment-decision/{done.draft.decision_id}"
    ]
    [recorded] = store.payments(IIN)
    assert recorded.status is PaymentStatus.ACTIVE and recorded.schedule == payment.schedule


def test_each_stage_tells_the_monitoring_is_by_when_the_next_role_must_act(
    services: FundServices, store: FundStore, clock: FixedClock
) -> None:
    """SP-1 (regulation 004 §5): each stage report carries the deadline of the step it starts, on the working
    calendar (the head 10 minutes, the executor 8 working days to closing, the head 10 minutes from opening, the
    clerk 20 minutes); the final stage carries none. Each role taking its whole term acts at the step's deadline."""
    services.receive(application())
    _through(services, clock, "APP-1")
    reports = [
        read_stage_report(json.dumps(m.payload))
        for m in reversed(store.outbox.messages(topic=STAGE_REPORT_TOPIC, limit=100))
    ]
    zone = almaty()
    assert [(r.stage, r.stepDeadline) for r in reports] == [
        ("REGISTERED", dt.datetime(2026, 3, 12, 10, 10, tzinfo=zone)),  # the head assigns: 10 minutes
        ("EXECUTOR_ASSIGNED", dt.datetime(2026, 3, 27, 18, 30, tzinfo=zone)),  # 8 working days (Nauryz 21-25)
        ("DRAFTED", dt.datetime(2026, 3, 30, 9, 10, tzinfo=zone)),  # the head signs: from Monday's opening
        ("SIGNED", dt.datetime(2026, 3, 30, 9, 30, tzinfo=zone)),  # the clerk hands over: 20 minutes
        ("RESULT_ISSUED", None),
    ]
    assert [r.stageAt for r in reports[1:]] == [r.stepDeadline for r in reports[:-1]]
    assert {r.deadline for r in reports} == {DEADLINE}  # the service's deadline is unchanged


def test_a_stage_reached_early_moves_the_next_step_deadline(services: FundServices, store: FundStore) -> None:
    services.receive(application())
    services.assign_executor("APP-1", "Нурланов Е.")  # at once, 10:00 of Thursday 12 March
    assigned = store.outbox.messages(topic=STAGE_REPORT_TOPIC)[0].payload
    assert (assigned["stage"], assigned["stepDeadline"]) == ("EXECUTOR_ASSIGNED", "2026-03-27T18:30:00+05:00")
    services.refuse_to_assign("APP-1", "PE-5 (1)", "the certificate is forged")
    drafted = store.outbox.messages(topic=STAGE_REPORT_TOPIC)[0].payload
    assert (drafted["stage"], drafted["stepDeadline"]) == ("DRAFTED", "2026-03-12T10:10:00+05:00")


def test_the_state_corporation_pulls_its_result(services: FundServices, store: FundStore, clock: FixedClock) -> None:
    services.receive(application(channel=Channel.STATE_CORPORATION))
    _through(services, clock, "APP-1")
    assert store.outbox.messages(topic=CABINET_TOPIC) == []
    assert {m.payload["channel"] for m in store.outbox.messages(topic=STAGE_REPORT_TOPIC)} == {"STATE_CORPORATION"}


def test_roles_act_in_turn_only(services: FundServices, clock: FixedClock) -> None:
    services.receive(application())
    with pytest.raises(WrongStep):
        services.sign("APP-1")
    with pytest.raises(WrongStep):
        services.examine("APP-1")
    services.assign_executor("APP-1", "Нурланов Е.")
    with pytest.raises(InvalidGround):
        services.refuse_to_assign("APP-1", "PE-4 (2)", "late")
    refused = services.refuse_to_assign("APP-1", "PE-5 (1)", "the certificate is forged")
    assert refused.draft is not None and refused.draft.outcome is Outcome.REFUSED_TO_ASSIGN
    assert refused.executor == "Нурланов Е." and refused.step is Step.SIGNING
    services.sign("APP-1")
    issued = services.hand_over("APP-1")
    assert issued.status is Status.ISSUED
    assert services.store.payments(IIN) == []


def test_an_unanswered_sp7_decides_nothing(services: FundServices, store: FundStore, register: FakeRegister) -> None:
    services.receive(application())
    services.assign_executor("APP-1", "executor")
    register.down = True
    with pytest.raises(StateSystemUnavailable):
        services.examine("APP-1")
    found = store.get("APP-1")
    assert found is not None and found.step is Step.EXAMINATION and found.draft is None


def test_not_registered_and_pending_are_refused_to_accept(
    services: FundServices, store: FundStore, clock: FixedClock, register: FakeRegister
) -> None:
    services.receive(application("APP-1"))
    services.receive(application("APP-2"))
    register.registered_on.clear()
    services.assign_executor("APP-2", "executor")
    drafted = services.examine("APP-2")
    assert drafted.draft is not None
    assert [g.rule_id for g in drafted.draft.grounds] == ["PE-4 (1)", "PE-4 (4)"]


def test_a_repeat_claim_counts_the_months_paid_before(
    services: FundServices, store: FundStore, clock: FixedClock
) -> None:
    services.receive(application("APP-1"))
    _through(services, clock, "APP-1")
    clock.set(dt.datetime(2026, 9, 1, 10, 0, tzinfo=almaty()))  # the 4 months are paid
    services.receive(application("APP-2"))
    _through(services, clock, "APP-2")
    second = store.get("APP-2")
    assert second is not None and second.draft is not None
    # Art. 118 p.5: 4 months paid before take 48 months off M = 36 (PE-4 (7)); nothing is pending any more.
    assert services.claim(second).months_paid_before == 4
    assert [g.rule_id for g in second.draft.grounds] == ["PE-4 (7)"]


def test_a_clock_moved_past_every_step_has_each_role_act_on_time(
    services: FundServices, store: FundStore, clock: FixedClock
) -> None:
    """The shared clock jumps a month: in mode auto each role acted when its step fell due, in turn, so the
    result is issued by the service's deadline and the decision is dated the day the executor's term ended."""
    services.receive(application())
    clock.set(DEADLINE + dt.timedelta(days=30))
    while (found := store.get("APP-1")) is not None and found.step is not None:
        services.act_automatically("APP-1")
    done = store.get("APP-1")
    assert done is not None and done.status is Status.ISSUED and done.draft is not None
    assert done.stage_at == DEADLINE
    assert done.draft.decided_on == dt.date(2026, 3, 27)  # the 8th working day (Nauryz 21-25 March)
    times = [m.payload["stageAt"] for m in reversed(store.outbox.messages(topic=STAGE_REPORT_TOPIC, limit=100))]
    assert times == sorted(times) and times[-1] == DEADLINE.isoformat()
