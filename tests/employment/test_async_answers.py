"""The centre's AsyncChannel answers leave through its outbox: queued in the decision's transaction (status
NOTIFICATION first, then the RESPONSE), so a centre that dies right after deciding still sends them when it
comes back; a repeated decision queues nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.shep import Payload
from adapters.storage import OutboxState
from contracts.application_notice import NoticeStatus, read_notice
from contracts.async_channel import MessageType
from employment.adapters.async_answers import ANSWER_TOPIC, answer_delivery
from employment.adapters.stage_outbox import stage_report_worker
from employment.adapters.storage import EmploymentStore
from employment.service_layer.handlers import register_job_seeker
from kernel.clock import FixedClock
from tests.employment.conftest import IIN, command, record, services_on
from tests.fakes import FakePersonRegistry, FakeStageReporter

CHAIN = "chain-7dcf6966"


@dataclass
class FakeAsyncGateway:
    sent: list[tuple[str, MessageType, str | None, Payload]] = field(default_factory=list)

    def send(self, service_id: str, payload: Payload, **kwargs: Any) -> None:
        self.sent.append((service_id, kwargs["message_type"], kwargs.get("correlation_id"), payload))


def _decide_async(store: EmploymentStore, clock: FixedClock) -> None:
    services = replace(services_on(store, clock, FakePersonRegistry({IIN: record()})), uow=store.answering_unit_of_work)
    register_job_seeker(replace(command("APP-1"), correlation_id=CHAIN), services)


def test_answers_survive_a_centre_crash_right_after_the_decision(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    _decide_async(open_store(), clock)  # the process dies here: no worker ever ran in it

    restarted = open_store()
    gateway = FakeAsyncGateway()
    worker = stage_report_worker(
        restarted.outbox,
        FakeStageReporter(),
        other_topics={ANSWER_TOPIC: answer_delivery(lambda: gateway, restarted.application)},  # type: ignore[arg-type,return-value]
    )
    worker.run_once()

    assert [(kind, chain) for _, kind, chain, _ in gateway.sent] == [
        (MessageType.NOTIFICATION, CHAIN),
        (MessageType.RESPONSE, CHAIN),
    ]
    assert {service for service, *_ in gateway.sent} == {"ENBEK_JobSeekerRegistrationAsync"}
    notice = read_notice(gateway.sent[0][3].text or "")
    assert notice.application_id == "APP-1" and notice.status is NoticeStatus.ACCEPTED
    stored = restarted.application("APP-1")
    assert stored is not None and gateway.sent[1][3].text == stored.document
    assert not restarted.outbox.messages(OutboxState.PENDING)


def test_a_repeated_decision_queues_its_answers_once(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    _decide_async(store, clock)
    _decide_async(store, clock)  # the gateway delivered the REQUEST again after a crash
    answers = [m for m in store.outbox.messages(OutboxState.PENDING) if m.topic == ANSWER_TOPIC]
    assert sorted(m.payload["kind"] for m in answers) == ["NOTIFICATION", "RESPONSE"]


def test_a_synchronous_decision_queues_no_async_answer(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    register_job_seeker(command("APP-2"), services_on(store, clock, FakePersonRegistry({IIN: record()})))
    assert not [m for m in store.outbox.messages(OutboxState.PENDING) if m.topic == ANSWER_TOPIC]
