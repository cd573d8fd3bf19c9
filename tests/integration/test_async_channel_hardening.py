"""The AsyncChannel with the protections of the SyncChannel, in-process on a movable ecosystem clock: the
gateway PUSHes to a real IAsyncChannelClient endpoint (the monitoring IS's credential) through a mock
transport, and participants speak through their real client.

- the receiver's endpoint: the push's own date within the window, a captured push refused, a legitimate
  re-delivery of the same messageId answered as received (processed once); its answer signed RSA-SHA1 taken
  only when the register allows that participant SHA-1 (``allowSha1Signatures``);
- status notifications to a PUSH sender: ON_DELIVERY, then DELIVERED, or DELIVERY_STOPPED;
- PULL messages expire after the maximum age (DELIVERY_STOPPED and a dead letter) unless confirmed;
- the journal keeps async exchanges like sync ones (events, instants, masked secrets) and stays verifiable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event
from zeep.wsse.signature import MemorySignature

from adapters.pki import PkiLayout
from adapters.shep import GatewayFault, Payload
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.async_envelope import parse_async_fault
from adapters.shep.async_provider import AsyncClientEndpoint
from adapters.shep.envelope import SOAP_NS
from adapters.shep.inbox import Inbox
from adapters.shep.replay_guard import ReplayGuard
from adapters.signatures import TransportSignature, verify_envelope
from adapters.storage import Outbox, OutboxWorker, create_store_engine
from adapters.xml import XmlLimits, parse_xml, to_bytes
from contracts.async_channel import (
    PUSH_DATE_PROPERTY,
    PUSH_ID_PROPERTY,
    AsyncMessage,
    MessageState,
    MessageType,
    StatusChange,
)
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from gateway.async_delivery import EXPIRY_TOPIC, PUSH_TOPIC, STATUS_TOPIC, AsyncDeliveries
from gateway.async_store import AsyncStore
from gateway.channels.async_channel import AsyncChannel
from gateway.channels.context import ChannelContext
from gateway.channels.sync import ChannelAnswer
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry

ALMATY = dt.timezone(dt.timedelta(hours=5))
START = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
SKEW = dt.timedelta(minutes=5)
MAX_AGE = dt.timedelta(days=3)
TO_PULL = "TEST_MonitoringToCentre"  # MONITORING_IS (PUSH) -> ENBEK_LABOUR_MARKET (PULL)
TO_PUSH = "MONITORING_StageReportAsync"  # anyone -> MONITORING_IS (PUSH), from the real register
TEST_SERVICE = f"""  {TO_PULL}:
    description: a PUSH participant's request to a PULL one (test register)
    channel: async
    provider: ENBEK_LABOUR_MARKET
    path: /bip-async-client/
    allowed: [MONITORING_IS]
"""
NAMES = {"MONITORING_IS": "monitoring", "ENBEK_LABOUR_MARKET": "employment", "GK_IIS": "state_corp"}


class Clock:
    def __init__(self) -> None:
        self.at = START

    def now(self) -> dt.datetime:
        return self.at


@dataclass
class Ecosystem:
    clock: Clock
    channel: AsyncChannel
    context: ChannelContext
    deliveries: AsyncDeliveries
    store: AsyncStore
    journal: Journal
    worker: OutboxWorker
    endpoint: AsyncClientEndpoint
    layout: PkiLayout
    transport: httpx.MockTransport
    handled: list[AsyncMessage] = field(default_factory=list)
    statuses: list[StatusChange] = field(default_factory=list)
    pushes: list[bytes] = field(default_factory=list)
    clients: list[AsyncChannelClient] = field(default_factory=list)

    def client(self, sender_id: str) -> AsyncChannelClient:
        gateway = httpx.MockTransport(
            lambda request: (lambda a: httpx.Response(a.status, content=a.body))(self.channel.handle(request.content))
        )
        made = AsyncChannelClient(
            gateway_url="http://gateway.test/bip-async/",
            sender_id=sender_id,
            password="s3cret-pass",
            credential=self.layout.load_credential(self.layout.system(NAMES[sender_id])),
            trust=self.layout.trust_store(),
            gateway_bin=system("gateway").bin,
            now=self.clock.now,
            transport=gateway,
        )
        self.clients.append(made)
        return made

    def states_notified(self, message_id: str) -> list[str]:
        return [c.state.value for c in self.statuses if c.message_id == message_id]


@pytest.fixture
def eco(pki_settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Ecosystem]:
    """The ecosystem; ``request.param`` (indirect parametrisation), when given, is a participant the register
    allows RSA-SHA1 signatures."""
    layout = PkiLayout(pki_settings.data_dir)
    clock = Clock()
    register = tmp_path / "services.yaml"
    text = ServiceRegistry.default_file().read_text(encoding="utf-8")
    # the centre PULLs in this test's register (it is a PUSH participant in the real one)
    text = re.sub(r"(ENBEK_LABOUR_MARKET: {[^}]*?), async_client: [^}]*}", r"\1}", text)
    sha1_for = getattr(request, "param", None)
    if sha1_for is not None:
        text = re.sub(rf"({sha1_for}: {{)", r"\1allow_sha1_signatures: true, ", text)
    register.write_text(text + TEST_SERVICE, encoding="utf-8")
    registry = ServiceRegistry.from_file(register)
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    engine = journal.engine  # the async store lives in the journal's database (one transaction for both)
    receiver_engine = create_store_engine(f"sqlite:///{tmp_path / 'monitoring.sqlite'}")
    handled: list[AsyncMessage] = []
    statuses: list[StatusChange] = []

    def handle(message: AsyncMessage, _: TransportSignature) -> None:
        handled.append(message)

    endpoint = AsyncClientEndpoint(
        name="monitoring",
        handler=handle,
        inbox=Inbox(receiver_engine, clock.now),
        credential=layout.load_credential(layout.system("monitoring")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=clock.now,
        max_bytes=64_000,
        replay_guard=ReplayGuard(receiver_engine, clock.now, SKEW),
        on_status=statuses.append,
    )
    pushes: list[bytes] = []

    def receive(request: httpx.Request) -> httpx.Response:
        pushes.append(request.content)
        answer = endpoint.handle(request.content)
        return httpx.Response(answer.status, content=answer.body)

    transport = httpx.MockTransport(receive)
    credential = layout.load_credential(layout.system("gateway"))
    outbox = Outbox(engine, clock.now)
    deliveries = AsyncDeliveries(
        store=AsyncStore(engine),
        outbox=outbox,
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=clock.now,
        participant_url=lambda participant: "http://monitoring.test/bip-async-client/",
        max_age=MAX_AGE,
        timeout=2.0,
        max_bytes=64_000,
        transport=transport,
    )
    context = ChannelContext(
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=clock.now,
        provider_url=lambda service: "http://unused.test/",
        link=ProviderLink(timeout=2.0),
        max_bytes=64_000,
        max_clock_skew=SKEW,
    )
    worker = OutboxWorker(
        outbox,
        {PUSH_TOPIC: deliveries.push, STATUS_TOPIC: deliveries.notify_status, EXPIRY_TOPIC: deliveries.expire},
        on_dead=deliveries.dead,
    )
    built = Ecosystem(
        clock,
        AsyncChannel(context, deliveries),
        context,
        deliveries,
        deliveries.store,
        journal,
        worker,
        endpoint,
        layout,
        transport,
    )
    built.handled, built.statuses, built.pushes = handled, statuses, pushes
    yield built
    for client in built.clients:
        client.close()
    deliveries.close()
    journal.dispose()
    engine.dispose()
    receiver_engine.dispose()


def _report() -> Payload:
    return Payload(text='{"applicationId": "A-1", "stage": "REGISTERED"}')


def _fault_code(answer: httpx.Response, layout: PkiLayout, at: dt.datetime) -> str | None:
    verified = verify_envelope(parse_xml(answer.content), layout.trust_store(), at)
    fault = parse_async_fault(verified.signed_body)
    return None if fault is None else fault.code


# --- the receiver's endpoint -------------------------------------------------------------------------


def _notify(eco: Ecosystem, correlation_id: str) -> str:
    client = eco.client("GK_IIS")
    return client.send(
        TO_PUSH, _report(), message_type=MessageType.NOTIFICATION, correlation_id=correlation_id
    ).message_id


def _repost(eco: Ecosystem, body: bytes) -> httpx.Response:
    return eco.transport.handle_request(httpx.Request("POST", "http://monitoring.test/bip-async-client/", content=body))


def test_a_late_delivery_is_judged_by_the_push_date_and_a_captured_push_is_refused(eco: Ecosystem) -> None:
    message_id = _notify(eco, "c-1")
    eco.clock.at += dt.timedelta(hours=2)  # delivered two hours after the sender's messageDate
    eco.worker.run_once()
    assert [m.info.message_id for m in eco.handled] == [message_id]
    assert eco.store.get(message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]
    delivered = eco.handled[0]
    assert delivered.info.message_date == START  # the sender's date travels unchanged ...
    assert PUSH_DATE_PROPERTY not in delivered.info.properties  # ... the push's own stamp is not the handler's
    assert PUSH_ID_PROPERTY not in delivered.info.properties
    captured = eco.pushes[-1]

    assert _fault_code(_repost(eco, captured), eco.layout, eco.clock.at) == "SCE008"  # that push again, at once
    eco.clock.at += dt.timedelta(hours=1)
    assert _fault_code(_repost(eco, captured), eco.layout, eco.clock.at) == "SCE008"  # an hour later: stale
    assert len(eco.handled) == 1


def test_a_redelivery_of_the_same_message_is_answered_as_received_and_processed_once(eco: Ecosystem) -> None:
    message_id = _notify(eco, "c-2")
    eco.worker.run_once()
    assert eco.store.get(message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]
    # the gateway delivers it again, as after a crash before it recorded the delivery: a new, fresh push
    eco.clock.at += dt.timedelta(minutes=30)
    with eco.store.engine.begin() as connection:
        eco.store.set_state(connection, message_id, MessageState.ON_DELIVERY, "SCSP001", "again", eco.clock.at)
    eco.deliveries.push({"messageId": message_id})  # raises if the receiver refused it
    assert eco.store.get(message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]
    assert len(eco.pushes) == 2 and eco.pushes[0] != eco.pushes[1]
    assert [m.info.message_id for m in eco.handled] == [message_id]  # processed once


def test_a_status_notification_outside_the_window_is_refused(eco: Ecosystem) -> None:
    sent = eco.client("MONITORING_IS").send(TO_PULL, _report())
    eco.worker.run_once()
    assert eco.states_notified(sent.message_id) == ["ON_DELIVERY"]
    notice = eco.pushes[-1]
    assert _fault_code(_repost(eco, notice), eco.layout, eco.clock.at) is None  # a retry: acknowledged again
    eco.clock.at += dt.timedelta(minutes=10)
    assert _fault_code(_repost(eco, notice), eco.layout, eco.clock.at) == "SCE008"
    assert eco.states_notified(sent.message_id) == ["ON_DELIVERY", "ON_DELIVERY"]


@pytest.mark.parametrize(
    ("eco", "state", "event"),
    [(None, MessageState.ON_DELIVERY, "push-failed"), ("MONITORING_IS", MessageState.DELIVERED, "pushed")],
    ids=["sha1-not-allowed", "sha1-allowed"],
    indirect=["eco"],
)
def test_a_push_receiver_may_answer_rsa_sha1_only_if_the_register_allows_it(
    eco: Ecosystem, state: MessageState, event: str
) -> None:
    """``allowSha1Signatures`` of the receiver governs the gateway's check of its answer to a PUSH, as it
    governs the check of what it sends (docs/signing.md)."""
    monitoring = eco.layout.load_credential(eco.layout.system("monitoring"))
    answering = eco.transport.handler  # type: ignore[attr-defined]

    def answer_in_sha1(request: httpx.Request) -> httpx.Response:
        answer = answering(request)
        assert isinstance(answer, httpx.Response)
        envelope = parse_xml(answer.content)
        header = envelope.find(f"{{{SOAP_NS}}}Header")
        assert header is not None
        envelope.remove(header)  # the endpoint's RSA-SHA256 signature ...
        MemorySignature(monitoring.key_pem(), monitoring.certificate_pem()).apply(envelope, {})  # ... zeep's SHA1
        return httpx.Response(answer.status_code, content=to_bytes(envelope))

    eco.transport.handler = answer_in_sha1  # type: ignore[attr-defined]
    message_id = _notify(eco, "c-sha1")
    eco.worker.run_once()
    assert eco.store.get(message_id).state is state  # type: ignore[union-attr]
    assert len(eco.handled) == 1  # the receiver took it either way; only its answer differs
    entries = eco.journal.entries(message_id=message_id)
    assert event in {entry["event"] for entry in entries}
    refusals = [entry for entry in entries if "RSA-SHA1 and SHA-1 digests are refused" in str(entry)]
    assert [entry["event"] for entry in refusals] == (["push-failed"] if event == "push-failed" else [])


# --- status notifications to a PUSH sender, and PULL messages that expire -------------------------------


def test_a_push_sender_is_told_on_delivery_then_delivered(eco: Ecosystem) -> None:
    monitoring, centre = eco.client("MONITORING_IS"), eco.client("ENBEK_LABOUR_MARKET")
    sent = monitoring.send(TO_PULL, _report())
    eco.worker.run_once()
    assert eco.states_notified(sent.message_id) == ["ON_DELIVERY"]
    assert [m.info.message_id for m in centre.messages(message_id=sent.message_id).messages] == [sent.message_id]
    centre.notify_delivery(sent.message_id, TO_PULL, accepted=True)
    eco.worker.run_once()
    assert eco.states_notified(sent.message_id) == ["ON_DELIVERY", "DELIVERED"]
    assert eco.statuses[-1].status_code == "SCSS001"


def test_an_unconfirmed_pull_message_is_stopped_after_the_maximum_age(eco: Ecosystem) -> None:
    monitoring, centre = eco.client("MONITORING_IS"), eco.client("ENBEK_LABOUR_MARKET")
    stale, confirmed = monitoring.send(TO_PULL, _report()), monitoring.send(TO_PULL, Payload(text="second"))
    centre.messages(message_id=stale.message_id)  # pulled, but never confirmed
    centre.notify_delivery(confirmed.message_id, TO_PULL, accepted=True)
    eco.clock.at += MAX_AGE - dt.timedelta(minutes=1)
    eco.worker.run_once()
    assert eco.store.get(stale.message_id).state is MessageState.ON_DELIVERY  # type: ignore[union-attr]

    eco.clock.at += dt.timedelta(minutes=2)  # past the maximum age on the ecosystem's clock
    eco.worker.run_once()
    stopped = eco.store.get(stale.message_id)
    assert stopped is not None and stopped.state is MessageState.DELIVERY_STOPPED
    assert eco.store.get(confirmed.message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]
    assert [letter.message_id for letter in eco.deliveries.dead_letters()] == [stale.message_id]
    assert centre.messages(message_id=stale.message_id).messages == []
    centre.notify_delivery(stale.message_id, TO_PULL, accepted=True)  # too late: it stays stopped
    assert eco.store.get(stale.message_id).state is MessageState.DELIVERY_STOPPED  # type: ignore[union-attr]
    eco.worker.run_once()
    assert eco.states_notified(stale.message_id) == ["ON_DELIVERY", "DELIVERY_STOPPED"]

    eco.deliveries.redrive(stale.message_id)  # re-driven: on delivery again, for another full age
    eco.clock.at += MAX_AGE - dt.timedelta(minutes=1)
    eco.worker.run_once()
    assert eco.store.get(stale.message_id).state is MessageState.ON_DELIVERY  # type: ignore[union-attr]
    eco.clock.at += dt.timedelta(minutes=2)
    eco.worker.run_once()
    assert eco.store.get(stale.message_id).state is MessageState.DELIVERY_STOPPED  # type: ignore[union-attr]


def test_a_redrive_that_fails_half_way_leaves_the_dead_letter_open(
    eco: Ecosystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the dead letter and queueing the delivery again are one transaction: nothing is lost if the
    second part fails, and the message can be re-driven once the cause is gone."""
    monitoring = eco.client("MONITORING_IS")
    stale = monitoring.send(TO_PULL, _report())
    eco.clock.at += MAX_AGE + dt.timedelta(minutes=1)
    eco.worker.run_once()
    assert [letter.message_id for letter in eco.deliveries.dead_letters()] == [stale.message_id]

    def broken_queue(*_: object, **__: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(eco.deliveries, "_queue_expiry", broken_queue)
    with pytest.raises(RuntimeError):
        eco.deliveries.redrive(stale.message_id)
    assert [letter.message_id for letter in eco.deliveries.dead_letters()] == [stale.message_id]
    assert eco.store.get(stale.message_id).state is MessageState.DELIVERY_STOPPED  # type: ignore[union-attr]
    monkeypatch.undo()
    assert eco.deliveries.redrive(stale.message_id).state is MessageState.ON_DELIVERY


# --- the journal ---------------------------------------------------------------------------------------


def test_async_exchanges_are_journalled_with_their_instants_and_masked_secrets(eco: Ecosystem) -> None:
    state_corp = eco.client("GK_IIS")
    message_id = _notify(eco, "c-journal")
    eco.worker.run_once()
    with pytest.raises(GatewayFault):  # a stranger asks for the status: refused and journalled
        eco.client("ENBEK_LABOUR_MARKET").message_status(message_id)
    state_corp.message_status(message_id)

    entries = list(reversed(eco.journal.entries(message_id=message_id)))
    events = [entry["event"] for entry in entries]
    assert events == ["received", "stored", "pushed", "delivered", "rejected", "status"]
    received, stored, pushed, delivered, rejected, status = entries
    assert all(entry["channel"] == "async" for entry in entries)
    assert set(received["times"]) == {"requestIn"}
    assert received["verified"] and received["body_size"] > 0
    assert "s3cret-pass" not in received["body"] and "<password>***</password>" in received["body"]
    assert set(stored["times"]) == {"requestIn", "responseOut"} and "sendMessageResponse" in stored["body"]
    assert stored["session_id"] == received["session_id"]
    assert set(pushed["times"]) == {"requestOut", "responseIn"} == set(delivered["times"])
    assert delivered["code"] == "SCSS001" and delivered["receiver_id"] == "MONITORING_IS"
    assert rejected["code"] == "SCE003" and set(rejected["times"]) == {"requestIn", "responseOut"}
    assert set(status["times"]) == {"requestIn", "responseOut"}
    assert eco.journal.verify().intact

    # a stored message is a finished exchange: a restart marks nothing of it interrupted
    assert [e for e in eco.journal.mark_interrupted(eco.clock.now()) if e["message_id"] == message_id] == []
    assert eco.journal.verify().intact


def test_a_failed_push_and_a_stopped_pull_message_are_journalled(eco: Ecosystem) -> None:
    eco.transport.handler = lambda request: httpx.Response(503, content=b"down")  # type: ignore[attr-defined]
    message_id = _notify(eco, "c-down")
    eco.worker.run_once()
    failed = eco.journal.entries(message_id=message_id)[0]
    assert failed["event"] == "push-failed" and set(failed["times"]) == {"requestOut", "responseIn"}

    sent = eco.client("MONITORING_IS").send(TO_PULL, _report())
    eco.clock.at += MAX_AGE + dt.timedelta(minutes=1)
    eco.worker.run_once()
    stopped = eco.journal.entries(message_id=sent.message_id)[0]
    assert (stopped["event"], stopped["code"]) == ("delivery-stopped", "SCE010")
    assert eco.journal.verify().intact


def test_a_push_message_stopped_for_its_age_is_delivered_once_re_driven(eco: Ecosystem) -> None:
    """The age limit counts from the latest round of delivery, so a re-drive days later can still deliver
    (the ecosystem's clock is often moved on by days)."""
    working = eco.transport.handler  # type: ignore[attr-defined]
    eco.transport.handler = lambda request: httpx.Response(503, content=b"down")  # type: ignore[attr-defined]
    message_id = _notify(eco, "c-old")
    eco.worker.run_once()
    eco.clock.at += MAX_AGE + dt.timedelta(hours=1)
    eco.worker.run_once()
    stopped = eco.store.get(message_id)
    assert stopped is not None and stopped.state is MessageState.DELIVERY_STOPPED

    eco.transport.handler = working  # type: ignore[attr-defined]
    eco.deliveries.redrive(message_id)
    eco.worker.run_once()
    delivered = eco.store.get(message_id)
    assert delivered is not None and delivered.state is MessageState.DELIVERED, delivered.status_message
    with pytest.raises(LookupError):  # a delivered message is never moved back by a second re-drive
        eco.deliveries.redrive(message_id)
    assert eco.store.get(message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]


def test_the_sender_reads_no_internal_detail_when_a_delivery_stops(
    eco: Ecosystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("could not reach 10.20.30.40:5432 (postgresql://gateway@internal)")

    monkeypatch.setattr(eco.deliveries, "_post", broken)
    message_id = _notify(eco, "c-secret")
    for _ in range(40):  # past the attempts or the age, whichever comes first
        eco.worker.run_once()
        eco.clock.at += dt.timedelta(hours=3)
    stopped = eco.store.get(message_id)
    assert stopped is not None and stopped.state is MessageState.DELIVERY_STOPPED
    assert stopped.status_message and "delivery stopped" in stopped.status_message
    assert "10.20.30.40" not in stopped.status_message and "postgresql" not in stopped.status_message
    letter = next(letter for letter in eco.deliveries.dead_letters() if letter.message_id == message_id)
    assert "10.20.30.40" in letter.reason  # the operators' record keeps what happened


def test_the_channel_parses_within_the_configured_xml_limits(eco: Ecosystem) -> None:
    strict = dataclasses.replace(eco.context, xml_limits=XmlLimits(max_elements=12))
    eco.channel = AsyncChannel(strict, eco.deliveries)
    with pytest.raises(GatewayFault) as refused:  # an ordinary sendMessage has more elements than that
        _notify(eco, "c-limits")
    assert refused.value.code == "SCE001" and "elements" in str(refused.value)
    assert sum(eco.store.counts().values()) == 0


def test_a_message_and_a_push_are_each_one_transaction_with_their_entries(eco: Ecosystem) -> None:
    """sendMessage writes the message, its jobs, ``received`` and ``stored`` in one commit; the PUSH writes
    ``pushed``, DELIVERED and ``delivered`` in one; a replay (the same signed Body) leaves no entry of its own
    but the refusal."""
    commits: list[int] = []
    engine = eco.journal.engine
    listener = lambda _connection: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        message_id = _notify(eco, "c-one")
        assert len(commits) == 1
        entries = list(reversed(eco.journal.entries(message_id=message_id)))
        assert [entry["event"] for entry in entries] == ["received", "stored"]
        assert entries[1]["seq"] == entries[0]["seq"] + 1

        commits.clear()
        eco.deliveries.push({"messageId": message_id})
        assert len(commits) == 1
    finally:
        event.remove(engine, "commit", listener)
    events = [entry["event"] for entry in reversed(eco.journal.entries(message_id=message_id))]
    assert events == ["received", "stored", "pushed", "delivered"]
    assert eco.store.get(message_id).state is MessageState.DELIVERED  # type: ignore[union-attr]

    sent: list[bytes] = []
    handle = eco.channel.handle

    def keep(raw: bytes) -> ChannelAnswer:
        sent.append(raw)
        return handle(raw)

    eco.channel.handle = keep  # type: ignore[method-assign]
    first = _notify(eco, "c-replay")
    before = eco.journal.entries(limit=1)[0]["seq"]
    answer = handle(sent[-1])  # the same signed bytes again
    assert answer.status == 500 and b"SCE008" in answer.body
    assert [entry["event"] for entry in eco.journal.entries(limit=10) if entry["seq"] > before] == ["rejected"]
    assert eco.store.get(first) is not None and eco.journal.verify().intact
