"""The portal's delivery of accepted applications through the shared outbox, and the one table that says
which failures are retried, which reject the application, and which wait for a person (no sockets: a fake
gateway client)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.pki.certificates import subject_of
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.shep.envelope import ErrorInfo, ResponseInfo
from adapters.shep.spyne_provider import ProviderError
from adapters.shep.sync_client import GatewayUnreachable, SyncChannelClient, SyncReply
from adapters.signatures import sign_document
from adapters.storage import Outbox, OutboxState, OutboxWorker, RetryPolicy
from contracts.async_channel import MessageState, StatusChange
from contracts.result_documents import Reason, ResultDocument, ResultKind, write_result_document
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from kernel.clock import FixedClock, almaty
from mocks.population import PERSONA_JOB_SEEKER
from mocks.portal.applications import JobSeekerApplications
from mocks.portal.async_results import request_status
from mocks.portal.outcomes import (
    NOTICE_RETRYING,
    NOTICE_UNREACHABLE,
    Handling,
    UntrustedResultError,
    classify,
)
from mocks.portal.storage import DELIVERY_TOPIC, ApplicationEventRow, ApplicationStatus, PortalStore
from mocks.portal.submission import JobSeekerDelivery, ResultKeeper

START = datetime(2026, 11, 23, 10, 15, tzinfo=almaty())
POLICY = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(minutes=1), jitter=0.0, max_attempts=3)
FORM: dict[str, Any] = {"surname": "Иванова", "name": "Мария", "birthDate": "1992-03-14", "consentToPersonalData": True}
INTERNAL_URL = "http://127.0.0.1:8083/bip-sync/"


def fault(code: str, message: str = "technical wording") -> GatewayFault:
    return GatewayFault(ErrorInfo(code, message, START))


# ---- the table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "handling"),
    [
        (GatewayUnreachable(f"gateway at {INTERNAL_URL} did not answer: connection refused"), Handling.RETRY),
        (GatewayUnreachable("gateway answered HTTP 503 without SOAP"), Handling.RETRY),
        (httpx.ReadTimeout("timed out"), Handling.RETRY),
        (TimeoutError(), Handling.RETRY),
        (fault("SCE010"), Handling.RETRY),
        (fault("SCE008"), Handling.RETRY),
        (fault("SCE909", f"the decision needs a state system that did not answer: {INTERNAL_URL}"), Handling.RETRY),
        (fault("SCE999"), Handling.RETRY),  # a code this portal does not know: retried, never a wrong rejection
        (RuntimeError("a bug"), Handling.RETRY),
        (fault("SCE015"), Handling.REJECT),
        (fault("SCE016"), Handling.REJECT),
        (fault("SCE017"), Handling.REJECT),
        # a contract or register problem between the systems, not the citizen's: held for a person to fix
        (fault("SCE001"), Handling.HOLD),
        (fault("SCE003"), Handling.HOLD),
        (fault("SCE004"), Handling.HOLD),
        (fault("SCE002"), Handling.HOLD),
        (fault("SCE005"), Handling.HOLD),
        (fault("SCE006"), Handling.HOLD),
        (fault("SCE007"), Handling.HOLD),
        (UntrustedResultError(ErrorCode.BUSINESS_SIGNATURE_INVALID, "signed by someone else"), Handling.HOLD),
    ],
)
def test_each_outcome_has_one_handling(error: Exception, handling: Handling) -> None:
    assert classify(error).handling is handling


def test_a_rejection_speaks_plain_words_without_the_technical_wording() -> None:
    for code in ("SCE015", "SCE016", "SCE017"):
        outcome = classify(fault(code, f"element {{urn:x}}form at {INTERNAL_URL} failed"))
        assert outcome.code == code
        assert outcome.plain and "http" not in outcome.plain and "{urn" not in outcome.plain


# ---- the delivery through the outbox ---------------------------------------------------------------


@dataclass
class FakeGateway:
    """Answers each send with the next scripted outcome (an exception to raise, or a document to sign)."""

    script: list[Exception | str]
    employment: Credential
    sent: list[str] = field(default_factory=list)

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        assert correlation_id is not None
        self.sent.append(correlation_id)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        kind = next(kind for kind in ResultKind if kind.root == step)
        document = write_result_document(
            ResultDocument(
                kind=kind,
                document_number=f"N-{correlation_id}",
                application_id=correlation_id,
                person_iin=PERSONA_JOB_SEEKER,
                person_full_name="Иванова Мария",
                centre_name="Employment Centre of Astana",
                issued_on=START.date(),
                director_name="Director",
                registered_on=START.date() if kind is ResultKind.REGISTERED else None,
                reasons=() if kind is ResultKind.REGISTERED else (Reason("JS-3", "the data are not reliable"),),
            )
        )
        signed = sign_document(document, self.employment)
        info = ResponseInfo(message_id="reply-1", response_date=START, correlation_id=correlation_id)
        text = etree.tostring(signed, encoding="unicode")
        signer = subject_of(self.employment.certificate)
        return SyncReply(info=info, payload=Payload(text=text), signed_by=signer, message_id="m")


@dataclass
class Portal:
    clock: FixedClock
    store: PortalStore
    outbox: Outbox
    worker: OutboxWorker
    applications: JobSeekerApplications
    gateway: FakeGateway

    def submit(self) -> str:
        return self.applications.submit(PERSONA_JOB_SEEKER, FORM).application_id

    def run_due(self) -> None:
        """One worker pass, then the clock moved past any backoff (the next pass finds retries due)."""
        self.worker.run_once()
        self.clock.advance(POLICY.cap + timedelta(seconds=1))


@pytest.fixture
def portal(database_url: str, pki_settings: Settings) -> Callable[[list[Exception | str]], Portal]:
    layout = PkiLayout(pki_settings.data_dir)

    def citizen_key(iin: str) -> Credential:
        return layout.load_credential(layout.person(iin))

    def build(script: list[Exception | str]) -> Portal:
        clock = FixedClock(START)
        store = PortalStore.at(database_url)
        outbox = Outbox(store.engine, clock.now, POLICY)
        gateway = FakeGateway(list(script), layout.load_credential(layout.system("employment")))
        keeper = ResultKeeper(store, layout.trust_store(), system("employment").bin, clock.now)
        delivery = JobSeekerDelivery(store, keeper, channel="sync", sync_sender=lambda: gateway, now=clock.now)
        worker = OutboxWorker(outbox, {DELIVERY_TOPIC: delivery}, name="test-portal")
        applications = JobSeekerApplications(store, outbox, citizen_key, clock.now, on_submitted=worker.wake)
        return Portal(clock, store, outbox, worker, applications, gateway)

    return build


def test_transient_failures_keep_the_application_in_progress_until_the_result_arrives(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    running = portal(
        [
            fault("SCE010", f"provider at {INTERNAL_URL} did not answer"),
            fault("SCE008", "messageDate is stale"),
            "jobSeekerRegistrationNotice",
        ]
    )
    application_id = running.submit()

    running.run_due()
    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS and shown.error is None
    assert shown.notice == NOTICE_RETRYING
    running.run_due()
    running.run_due()

    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.DONE and shown.result is not None
    assert shown.result.kind == "registered" and shown.notice is None
    assert running.gateway.sent == [application_id] * 3
    assert running.outbox.counts() == {"pending": 0, "delivered": 1, "dead": 0}


def test_an_unreachable_registry_behind_the_centre_never_shows_the_citizen_an_internal_address(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    internal = fault("SCE909", f"the decision needs a state system that did not answer: {INTERNAL_URL} refused")
    running = portal([internal, internal, internal])
    application_id = running.submit()

    for _ in range(POLICY.max_attempts):
        running.run_due()

    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS  # not "Rejected": nothing was decided
    assert shown.error is None and shown.notice == NOTICE_UNREACHABLE
    assert "127.0.0.1" not in repr(shown)
    message = running.outbox.find(DELIVERY_TOPIC, application_id)
    assert message is not None and message.state is OutboxState.DEAD  # a visible dead letter
    assert message.last_error is not None and INTERNAL_URL in message.last_error  # the detail, for operators


def test_a_revived_dead_letter_is_delivered_and_the_notice_goes(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    down = GatewayUnreachable(f"gateway at {INTERNAL_URL} did not answer")
    running = portal([down, down, down, "jobSeekerRegistrationRefusal"])
    application_id = running.submit()
    for _ in range(POLICY.max_attempts):
        running.run_due()
    message = running.outbox.find(DELIVERY_TOPIC, application_id)
    assert message is not None and message.state is OutboxState.DEAD

    running.outbox.revive(message.id)
    assert running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id).notice is None
    running.run_due()

    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.DONE  # a business refusal is a result, with its document
    assert shown.result is not None and shown.result.kind == "refused"


def test_the_citizens_own_error_rejects_at_once_in_plain_words(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    technical = f"business signature of {{urn:x}}form by CN=Someone does not verify at {INTERNAL_URL}"
    running = portal([fault("SCE016", technical)])
    application_id = running.submit()

    running.run_due()

    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.REJECTED and shown.error is not None
    assert shown.error.code == "SCE016"
    assert "electronic signature" in shown.error.message and "CN=" not in shown.error.message
    assert running.applications.application(application_id).error_detail == f"GatewayFault: SCE016: {technical}"
    assert running.outbox.counts()["delivered"] == 1  # answered for good: nothing more to send


def test_a_problem_only_a_person_can_fix_is_a_dead_letter_at_once(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    running = portal([fault("SCE005", "the portal's system certificate has expired")])
    application_id = running.submit()

    running.run_due()

    message = running.outbox.find(DELIVERY_TOPIC, application_id)
    assert message is not None and message.state is OutboxState.DEAD and message.attempts == 1
    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS and shown.notice == NOTICE_UNREACHABLE


def test_a_result_signed_by_someone_else_is_held_not_kept(
    portal: Callable[[list[Exception | str]], Portal], pki_settings: Settings
) -> None:
    running = portal(["jobSeekerRegistrationNotice"])
    layout = PkiLayout(pki_settings.data_dir)
    running.gateway.employment = layout.load_credential(layout.system("social_fund"))
    application_id = running.submit()

    running.run_due()

    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS and shown.result is None
    assert shown.notice == NOTICE_UNREACHABLE


def test_a_repeated_delivery_of_a_finished_application_sends_nothing(
    portal: Callable[[list[Exception | str]], Portal], pki_settings: Settings
) -> None:
    running = portal(["jobSeekerRegistrationNotice"])
    application_id = running.submit()
    running.run_due()
    layout = PkiLayout(pki_settings.data_dir)
    keeper = ResultKeeper(running.store, layout.trust_store(), system("employment").bin, running.clock.now)
    delivery = JobSeekerDelivery(
        running.store, keeper, channel="sync", sync_sender=lambda: running.gateway, now=running.clock.now
    )

    delivery({"applicationId": application_id})  # the crash-after-commit case: the outbox asks again

    assert running.gateway.sent == [application_id]


def test_each_resend_is_a_fresh_message_so_a_retry_after_sce008_is_not_a_replay(pki_settings: Settings) -> None:
    """The outbox retries through the portal's SyncChannel client: every send has its own messageId and a
    messageDate read from the clock at that send, never the first attempt's."""
    layout = PkiLayout(pki_settings.data_dir)
    clock = FixedClock(START)
    seen: list[tuple[str | None, str | None]] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        envelope = etree.fromstring(request.content)
        seen.append((envelope.findtext(".//messageId"), envelope.findtext(".//messageDate")))
        return httpx.Response(503, text="down for maintenance")

    client = SyncChannelClient(
        gateway_url="http://gateway.invalid/bip-sync/",
        sender_id=system("portal").sender_id,
        password="x",
        credential=layout.load_credential(layout.system("portal")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=clock.now,
        transport=httpx.MockTransport(gateway),
    )
    for _ in range(2):
        with pytest.raises(GatewayUnreachable, match="HTTP 503"):
            client.send("ENBEK_JobSeekerRegistration", Payload(text="<form/>"), correlation_id="EGOV-JS-1")
        clock.advance(timedelta(minutes=10))  # longer than the gateway's allowed skew

    (first_id, first_date), (second_id, second_date) = seen
    assert first_id and second_id and first_id != second_id
    assert first_date == START.isoformat(timespec="milliseconds")
    assert second_date == (START + timedelta(minutes=10)).isoformat(timespec="milliseconds")


def test_a_final_status_of_a_request_not_yet_recorded_is_asked_again_then_shown(
    portal: Callable[[list[Exception | str]], Portal],
) -> None:
    """The gateway may refuse-notify before the portal recorded its receipt: the portal asks it to resend
    (SCE909) instead of dropping the outcome, and shows it once the receipt is recorded."""
    running = portal([])
    application_id = running.submit()
    keeper = ResultKeeper(running.store, None, system("employment").bin, running.clock.now)  # type: ignore[arg-type]
    on_status = request_status(running.store, keeper)
    stopped = StatusChange(
        notification_id="n-1",
        message_id="gw-1",
        notification_date=START,
        state=MessageState.DELIVERY_STOPPED,
        status_code="SCE010",
        status_message="delivery stopped after 10 attempts",
        status_date=START,
        request_date=START,
    )
    with pytest.raises(ProviderError) as asked_again:
        on_status(stopped)
    assert asked_again.value.code == ErrorCode.INTERNAL

    running.store.add_event(
        ApplicationEventRow(
            message_id="gw-1",
            application_id=application_id,
            kind="accepted",
            correlation_id="c-1",
            text="request accepted",
            at=START,
        )
    )
    on_status(stopped)
    shown = running.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS and shown.notice == NOTICE_UNREACHABLE
