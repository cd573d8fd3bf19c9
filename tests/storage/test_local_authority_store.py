"""The local authority's store on SQLite and PostgreSQL: a case stored once however often (and however
concurrently) it arrives, a decision recorded once with its delivery and stage report, due cases leased to one
worker at a time, the mode and the complaints kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from kernel.clock import FixedClock
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.adapters.delivery import DECISION_TOPIC, STAGE_REPORT_TOPIC
from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.domain.models import (
    Addressee,
    CaseStatus,
    ComplaintStatus,
    DecidedBy,
    Decision,
    DecisionMode,
    Outcome,
    Reason,
    StageReport,
)
from mocks.local_authority.service_layer.services import AuthorityServices, ReceiveComplaint
from tests.fakes import FakeDecisionSigner, FakeStateSystems
from tests.local_authority.conftest import JOB_SEEKER, registration
from tests.local_authority.examples import MONDAY

OpenStore = Callable[[], AuthorityStore]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def open_store(database_url: str, clock: FixedClock) -> Iterator[OpenStore]:
    """Each call opens the store as another process would."""
    opened: list[AuthorityStore] = []

    def open_() -> AuthorityStore:
        store = AuthorityStore.at(database_url, clock.now)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.dispose()


def _services(store: AuthorityStore, clock: FixedClock) -> AuthorityServices:
    return AuthorityServices(
        store,
        FakeStateSystems(),
        FakeDecisionSigner(),
        WorkingCalendar(),
        clock.now,
        dt.timedelta(hours=2),
        DecisionMode.AUTO,
    )


def _decision(decision_id: str = "MIO-1") -> Decision:
    return Decision(decision_id, Outcome.REGISTERED, (), MONDAY, MONDAY.date(), MONDAY.date(), DecidedBy.MANUAL, "<d/>")


def _report(stage: str) -> StageReport:
    return StageReport("MIO-C-1", "UNEMPLOYED_REGISTRATION", stage, MONDAY, MONDAY, True, "corr-C-1")


def test_the_same_case_sent_at_once_from_many_threads_is_stored_once(open_store: OpenStore, clock: FixedClock) -> None:
    stores = [open_store() for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        receipts = list(pool.map(lambda n: _services(stores[n % 4], clock).receive_case(registration()), range(16)))
    assert len(set(receipts)) == 1
    assert len(stores[0].cases()) == 1
    assert len(stores[0].outbox.messages(topic=STAGE_REPORT_TOPIC)) == 1


def test_a_case_reads_back_as_it_was_stored(open_store: OpenStore, clock: FixedClock) -> None:
    store = open_store()
    _services(store, clock).receive_case(registration())
    case = open_store().case("C-1")
    assert case is not None
    assert case.subject.person == JOB_SEEKER
    assert case.received_at == MONDAY and case.received_at.utcoffset() == dt.timedelta(hours=5)
    assert (case.status, case.correlation_id) == (CaseStatus.PENDING, "corr-C-1")
    assert case.sender_id == "ENBEK_LABOUR_MARKET"


def test_a_decision_is_recorded_once_with_its_delivery_and_stage(open_store: OpenStore, clock: FixedClock) -> None:
    store = open_store()
    _services(store, clock).receive_case(registration())
    assert store.record_decision("C-1", _decision(), [_report("RESULT_ISSUED")])
    assert not open_store().record_decision("C-1", _decision("MIO-2"), [_report("REFUSED")])
    case = store.case("C-1")
    assert case is not None and case.status is CaseStatus.DECIDED and case.decision == _decision()
    (queued,) = store.outbox.messages(topic=DECISION_TOPIC)
    assert (queued.key, queued.ordering_key, queued.payload["decisionId"]) == ("C-1/decision", "C-1", "MIO-1")
    stages = [m.payload["stage"] for m in store.outbox.messages(topic=STAGE_REPORT_TOPIC)]
    assert sorted(stages) == ["ACCEPTED", "RESULT_ISSUED"]
    store.mark_delivered("C-1", MONDAY + dt.timedelta(minutes=5))
    assert store.case("C-1").delivered_at == MONDAY + dt.timedelta(minutes=5)  # type: ignore[union-attr]


def test_a_due_case_is_leased_to_one_worker_until_its_lease_runs_out(open_store: OpenStore, clock: FixedClock) -> None:
    first, second = open_store(), open_store()
    services = _services(first, clock)
    for number in range(6):
        services.receive_case(registration(f"C-{number}"))
    assert first.claim_due("w1") == []  # not due before decide_after
    clock.advance(dt.timedelta(hours=2))
    with ThreadPoolExecutor(2) as pool:
        claims = list(pool.map(lambda pair: pair[0].claim_due(pair[1], limit=6), [(first, "w1"), (second, "w2")]))
    assert sorted(claims[0] + claims[1]) == [f"C-{n}" for n in range(6)]
    assert not set(claims[0]) & set(claims[1])
    assert second.claim_due("w3") == []
    clock.advance(dt.timedelta(minutes=3))  # the leases (2 minutes) ran out: the workers died
    assert len(second.claim_due("w3", limit=10)) == 6


def test_a_case_put_off_is_due_again_later_and_a_decided_one_never(open_store: OpenStore, clock: FixedClock) -> None:
    store = open_store()
    services = _services(store, clock)
    services.receive_case(registration("C-1"))
    services.receive_case(registration("C-2"))
    clock.advance(dt.timedelta(hours=2))
    assert sorted(store.claim_due("w1")) == ["C-1", "C-2"]
    store.put_off("C-1", "the fund did not answer", clock.now() + dt.timedelta(seconds=10))
    assert store.record_decision("C-2", _decision(), [])
    clock.advance(dt.timedelta(minutes=5))
    assert store.claim_due("w1") == ["C-1"]
    case = store.case("C-1")
    assert case is not None and (case.attempts, case.last_error) == (1, "the fund did not answer")


def test_the_mode_is_shared_by_every_process(open_store: OpenStore) -> None:
    first, second = open_store(), open_store()
    assert first.mode() is None
    first.set_mode(DecisionMode.MANUAL)
    assert second.mode() is DecisionMode.MANUAL
    second.set_mode(DecisionMode.AUTO)
    assert first.mode() is DecisionMode.AUTO


def test_a_complaint_is_registered_once_and_answered_once(open_store: OpenStore, clock: FixedClock) -> None:
    store = open_store()
    services = _services(store, clock)
    command = ReceiveComplaint(
        "CMP-7", JOB_SEEKER.iin, JOB_SEEKER.full_name, Addressee.LOCAL_AUTHORITY, "s", "t", None, None, "GK_IIS", None
    )
    first = services.receive_complaint(command)
    assert open_store().complaints(ComplaintStatus.REGISTERED)[0].deadline == first.deadline
    assert store.record_answer("CMP-7", "answered", True, MONDAY, [])
    assert not store.record_answer("CMP-7", "again", False, MONDAY, [])
    answered = open_store().complaint("CMP-7")
    assert answered is not None and (answered.status, answered.answer, answered.upheld) == (
        ComplaintStatus.ANSWERED,
        "answered",
        True,
    )


def test_reasons_keep_their_order_and_words(open_store: OpenStore, clock: FixedClock) -> None:
    store = open_store()
    _services(store, clock).receive_case(registration(reasons=(Reason("UN-4 (5)", "студент"),)))
    reasons = (Reason("UN-4 (2)", "договор «Ромашка»"), Reason("UN-4 (5)", "студент"))
    decision = Decision("MIO-3", Outcome.REFUSED, reasons, MONDAY, MONDAY.date(), None, DecidedBy.AUTO, "<d/>")
    assert store.record_decision("C-1", decision, [])
    assert open_store().case("C-1").decision.reasons == reasons  # type: ignore[union-attr]
