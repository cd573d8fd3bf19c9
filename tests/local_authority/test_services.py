"""The local authority's use cases on a real store, with fakes of the state systems and the head's signature:
receipts and their deadlines, idempotency, the automatic official, the manual head, complaints."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from adapters.storage import OutboxState
from kernel.clock import FixedClock, almaty
from mocks.local_authority.adapters.decision_worker import DecisionWorker
from mocks.local_authority.adapters.delivery import DECISION_TOPIC, STAGE_REPORT_TOPIC
from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.domain.models import (
    Addressee,
    CaseStatus,
    ComplaintStatus,
    DecidedBy,
    DecisionMode,
    Outcome,
    Reason,
)
from mocks.local_authority.service_layer.ports import CaseConflict, InvalidGround, NotPending, UnknownCase
from mocks.local_authority.service_layer.services import AuthorityServices, ReceiveComplaint
from tests.fakes import FakeDecisionSigner, FakeStateSystems
from tests.local_authority.conftest import EMPLOYED, JOB_SEEKER, deregistration, registration

TUESDAY_EVENING = dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())


def _reports(store: AuthorityStore, application_id: str) -> list[tuple[str, object, str | None]]:
    messages = sorted(store.outbox.messages(topic=STAGE_REPORT_TOPIC), key=lambda m: m.id)
    return [
        (m.payload["stage"], m.payload["isPositive"], m.payload["ruleId"])
        for m in messages
        if m.payload["applicationId"] == application_id
    ]


def test_a_case_is_received_with_the_deadline_of_un_2_and_reported_accepted(
    services: AuthorityServices, store: AuthorityStore
) -> None:
    receipt = services.receive_case(registration())
    assert (receipt.kind, receipt.case_id, receipt.rule_id) == ("unemployed-registration", "C-1", "UN-2")
    assert receipt.deadline == TUESDAY_EVENING
    case = store.case("C-1")
    assert case is not None and case.status is CaseStatus.PENDING
    assert case.decide_after == receipt.received_at + dt.timedelta(hours=2)
    assert _reports(store, "MIO-C-1") == [("ACCEPTED", None, "UN-2")]
    accepted = store.outbox.messages(topic=STAGE_REPORT_TOPIC)[0].payload
    assert (accepted["serviceType"], accepted["deadline"]) == ("UNEMPLOYED_REGISTRATION", TUESDAY_EVENING.isoformat())


def test_a_repeated_case_answers_the_same_receipt_and_makes_no_second_case(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    first = services.receive_case(registration())
    clock.advance(dt.timedelta(hours=1))
    again = services.receive_case(registration())
    assert again == first
    assert len(store.cases()) == 1
    assert len(store.outbox.messages(topic=STAGE_REPORT_TOPIC)) == 1


def test_a_case_id_of_another_person_or_kind_is_a_conflict(services: AuthorityServices) -> None:
    services.receive_case(registration())
    with pytest.raises(CaseConflict, match="new case id"):
        services.receive_case(registration(person=EMPLOYED))
    with pytest.raises(CaseConflict):
        services.receive_case(deregistration(case_id="C-1"))


def test_a_draft_refusing_on_a_ground_outside_un_4_is_refused(services: AuthorityServices) -> None:
    with pytest.raises(InvalidGround, match="JS-3"):
        services.receive_case(registration(reasons=(Reason("JS-3", "unreliable"),)))


def test_the_automatic_official_registers_when_nothing_refuses(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock, signer: FakeDecisionSigner
) -> None:
    services.receive_case(registration())
    worker = DecisionWorker(services, store)
    assert worker.run_once().decided == []  # not yet: 2 hours after receipt
    clock.advance(dt.timedelta(hours=2))
    assert worker.run_once().decided == ["C-1"]
    case = store.case("C-1")
    assert case is not None and case.decision is not None
    assert (case.decision.outcome, case.decision.reasons, case.decision.decided_by) == (
        Outcome.REGISTERED,
        (),
        DecidedBy.AUTO,
    )
    assert case.decision.registered_on == dt.date(2026, 11, 23)
    assert case.decision.document == signer.signed[0]
    assert _reports(store, "MIO-C-1") == [("ACCEPTED", None, "UN-2"), ("RESULT_ISSUED", True, "UN-2")]
    (queued,) = store.outbox.messages(topic=DECISION_TOPIC)
    assert queued.payload == {
        "caseId": "C-1",
        "decisionId": case.decision.decision_id,
        "correlationId": "corr-C-1",
        "document": case.decision.document,
    }
    assert worker.run_once().decided == []  # decided once


def test_the_automatic_official_refuses_on_the_ground_the_fund_shows(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    services.receive_case(registration("C-2", person=EMPLOYED))
    clock.advance(dt.timedelta(hours=3))
    DecisionWorker(services, store).run_once()
    case = store.case("C-2")
    assert case is not None and case.decision is not None
    assert case.decision.outcome is Outcome.REFUSED
    assert [reason.rule_id for reason in case.decision.reasons] == ["UN-4 (2)"]
    assert _reports(store, "MIO-C-2")[-1] == ("REFUSED", False, "UN-4 (2)")


def test_the_automatic_official_signs_the_draft_refusal_as_the_centre_proposed(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    services.receive_case(registration(reasons=(Reason("UN-4 (5)", "a student asking for active measures"),)))
    clock.advance(dt.timedelta(hours=2))
    DecisionWorker(services, store).run_once()
    decision = store.case("C-1").decision  # type: ignore[union-attr]
    assert decision is not None and decision.outcome is Outcome.REFUSED
    assert decision.reasons == (Reason("UN-4 (5)", "a student asking for active measures"),)


def test_a_state_system_that_does_not_answer_puts_the_decision_off(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock, state: FakeStateSystems
) -> None:
    services.receive_case(registration())
    clock.advance(dt.timedelta(hours=2))
    state.down = True
    worker = DecisionWorker(services, store)
    assert worker.run_once().put_off == ["C-1"]
    case = store.case("C-1")
    assert case is not None and case.status is CaseStatus.PENDING
    assert case.attempts == 1 and "the person registry did not answer" in (case.last_error or "")
    assert store.outbox.messages(topic=DECISION_TOPIC) == []
    state.down = False
    assert worker.run_once().decided == []  # put off: not due again yet
    clock.advance(dt.timedelta(seconds=10))
    assert worker.run_once().decided == ["C-1"]


def test_in_manual_mode_nothing_is_decided_until_the_head_approves(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    services.set_mode(DecisionMode.MANUAL)
    services.receive_case(registration())
    clock.advance(dt.timedelta(days=3))
    worker = DecisionWorker(services, store)
    assert worker.run_once().decided == []
    decision = services.approve("C-1")
    assert (decision.outcome, decision.decided_by) == (Outcome.REGISTERED, DecidedBy.MANUAL)
    with pytest.raises(NotPending):
        services.approve("C-1")
    with pytest.raises(UnknownCase):
        services.approve("no-such-case")


def test_the_head_rejects_on_a_ground_of_un_4_only(services: AuthorityServices, store: AuthorityStore) -> None:
    services.set_mode(DecisionMode.MANUAL)
    services.receive_case(registration())
    with pytest.raises(InvalidGround, match="UN-4"):
        services.reject("C-1", "DR-1 (1)", "wrong ground")
    with pytest.raises(InvalidGround):
        services.reject("C-1", "UN-4 (2)", "   ")
    decision = services.reject("C-1", "UN-4 (2)", "works for ТОО Ромашка under a contract of 2026-11-01")
    assert decision.outcome is Outcome.REFUSED
    assert decision.reasons == (Reason("UN-4 (2)", "works for ТОО Ромашка under a contract of 2026-11-01"),)
    assert _reports(store, "MIO-C-1")[-1] == ("REFUSED", False, "UN-4 (2)")


def test_a_removal_is_decided_within_two_working_days_and_confirmed_by_the_fund(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock, state: FakeStateSystems
) -> None:
    state.insurance_by_iin[JOB_SEEKER.iin] = dataclasses.replace(
        state.insurance_by_iin[JOB_SEEKER.iin], contribution_months=(dt.date(2026, 10, 1),)
    )
    receipt = services.receive_case(deregistration())
    assert (receipt.rule_id, receipt.deadline) == ("DR-1", dt.datetime(2026, 11, 25, 18, 30, tzinfo=almaty()))
    clock.advance(dt.timedelta(hours=2))
    DecisionWorker(services, store).run_once()
    decision = store.case("D-1").decision  # type: ignore[union-attr]
    assert decision is not None and decision.outcome is Outcome.DEREGISTERED
    assert [reason.rule_id for reason in decision.reasons] == ["DR-1 (1)"]
    assert _reports(store, "MIO-D-1") == [("ACCEPTED", None, "DR-1"), ("RESULT_ISSUED", True, "DR-1 (1)")]


def test_a_removal_the_fund_does_not_confirm_is_refused(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    services.receive_case(deregistration())  # the job seeker's last contribution is for July, before registration
    clock.advance(dt.timedelta(hours=2))
    DecisionWorker(services, store).run_once()
    decision = store.case("D-1").decision  # type: ignore[union-attr]
    assert decision is not None and decision.outcome is Outcome.REFUSED
    assert decision.reasons[0].rule_id == "DR-1 (1)" and "no contributions" in decision.reasons[0].text


def test_the_head_rejects_a_removal_on_its_own_ground(services: AuthorityServices) -> None:
    services.set_mode(DecisionMode.MANUAL)
    services.receive_case(deregistration(ground=4))
    with pytest.raises(InvalidGround, match="DR-1 \\(4\\)"):
        services.reject("D-1", "DR-1 (2)", "x")
    decision = services.reject("D-1", None, "the person was in hospital on the day of the visit")
    expected = Reason("DR-1 (4)", "Not confirmed: the person was in hospital on the day of the visit")
    assert decision.reasons == (expected,)


def test_the_mode_is_kept_in_the_store(services: AuthorityServices, store: AuthorityStore) -> None:
    assert services.mode() is DecisionMode.AUTO  # configured
    services.set_mode(DecisionMode.MANUAL)
    again = dataclasses.replace(services, configured_mode=DecisionMode.AUTO)  # a restart with the same settings
    assert again.mode() is DecisionMode.MANUAL


@pytest.mark.parametrize(
    ("addressee", "deadline", "executor"),
    [
        (Addressee.LOCAL_AUTHORITY, dt.datetime(2026, 11, 30, 18, 30, tzinfo=almaty()), None),
        (
            Addressee.QUALITY_ASSESSMENT,
            dt.datetime(2026, 12, 14, 18, 30, tzinfo=almaty()),
            "Агентство Республики Казахстан по делам государственной службы",
        ),
    ],
)
def test_a_complaint_is_registered_with_its_term_and_answered_once(
    services: AuthorityServices,
    store: AuthorityStore,
    addressee: Addressee,
    deadline: dt.datetime,
    executor: str | None,
) -> None:
    command = ReceiveComplaint(
        "CMP-1",
        JOB_SEEKER.iin,
        JOB_SEEKER.full_name,
        addressee,
        "refusal",
        "text",
        "C-1",
        "corr-CMP-1",
        "EGOV_PORTAL",
        None,
    )
    receipt = services.receive_complaint(command)
    assert (receipt.kind, receipt.rule_id, receipt.deadline) == ("complaint", "AP-1", deadline)
    assert services.receive_complaint(command) == receipt
    answered = services.answer_complaint("CMP-1", "The refusal was right: the contract is in force.", upheld=False)
    assert answered.status is ComplaintStatus.ANSWERED
    with pytest.raises(NotPending):
        services.answer_complaint("CMP-1", "again", upheld=True)
    stages = [m.payload for m in sorted(store.outbox.messages(topic=STAGE_REPORT_TOPIC), key=lambda m: m.id)]
    assert [(s["applicationId"], s["serviceType"], s["stage"], s["isPositive"]) for s in stages] == [
        ("MIO-AP-CMP-1", "COMPLAINT", "ACCEPTED", None),
        ("MIO-AP-CMP-1", "COMPLAINT", "RESULT_ISSUED", False),
    ]
    assert {s["deadline"] for s in stages} == {deadline.isoformat()}
    assert {s["executorOrg"] for s in stages} == {executor}


def test_nothing_decided_is_lost_when_the_decision_is_not_sent(
    services: AuthorityServices, store: AuthorityStore, clock: FixedClock
) -> None:
    """The decision and its delivery are in the store before anything is sent: a new process sees them."""
    services.receive_case(registration())
    clock.advance(dt.timedelta(hours=2))
    DecisionWorker(services, store).run_once()
    reopened = AuthorityStore(store.engine, clock.now)
    (queued,) = reopened.outbox.messages(topic=DECISION_TOPIC, state=OutboxState.PENDING)
    assert queued.payload["caseId"] == "C-1"
