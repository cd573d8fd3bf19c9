"""The gateway's AsyncChannel in-process, participants speaking through their real client: routing, PULL,
delivery notifications, status queries, and every refusal with its code (nothing stored for a refusal)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import GatewayFault, Payload
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.async_envelope import wrap
from adapters.signatures import sign_envelope
from adapters.storage import Outbox
from adapters.xml import to_bytes
from contracts.async_channel import (
    AsyncMessage,
    AsyncMessageInfo,
    MessageData,
    MessageState,
    MessageType,
    write_send_message,
)
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from gateway.async_delivery import AsyncDeliveries
from gateway.async_store import AsyncStore
from gateway.channels.async_channel import AsyncChannel
from gateway.channels.context import ChannelContext
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry

REGISTRATION = "TEST_JobSeekerRegistrationPull"
# An async service between two PULL participants, registered for this test only (the portal and the centre
# are PUSH participants in the real register; here they PULL).
PULL_SERVICE = f"""  {REGISTRATION}:
    description: registration over the AsyncChannel (test register)
    channel: async
    provider: ENBEK_LABOUR_MARKET
    path: /bip-async-client/
    allowed: [EGOV_PORTAL, GK_IIS]
"""
NAMES = {"EGOV_PORTAL": "portal", "ENBEK_LABOUR_MARKET": "employment", "GFSS": "social_fund", "GK_IIS": "state_corp"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def gateway(pki_settings: Settings, tmp_path: Path) -> Iterator[tuple[AsyncChannel, AsyncStore]]:
    layout = PkiLayout(pki_settings.data_dir)
    register = tmp_path / "services.yaml"
    text = ServiceRegistry.default_file().read_text(encoding="utf-8")
    for sender_id in ("EGOV_PORTAL", "ENBEK_LABOUR_MARKET"):
        text = re.sub(rf"({sender_id}: {{[^}}]*?), async_client: [^}}]*}}", r"\1}", text)
    register.write_text(text + PULL_SERVICE, encoding="utf-8")
    registry = ServiceRegistry.from_file(register)
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    engine = journal.engine  # the async store lives in the journal's database (one transaction for both)
    store = AsyncStore(engine)
    credential = layout.load_credential(layout.system("gateway"))
    context = ChannelContext(
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=_now,
        provider_url=lambda service: "http://unused.test/",
        link=ProviderLink(timeout=2.0),
        max_bytes=64_000,
    )
    deliveries = AsyncDeliveries(
        store=store,
        outbox=Outbox(engine, _now),
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=_now,
        participant_url=lambda participant: "http://unused.test/",
        max_age=dt.timedelta(days=3),
        timeout=2.0,
        max_bytes=64_000,
    )
    yield AsyncChannel(context, deliveries), store
    deliveries.close()
    journal.dispose()
    engine.dispose()


@pytest.fixture
def client_of(
    gateway: tuple[AsyncChannel, AsyncStore], pki_settings: Settings
) -> Iterator[Callable[[str], AsyncChannelClient]]:
    channel, _ = gateway
    layout = PkiLayout(pki_settings.data_dir)
    transport = httpx.MockTransport(
        lambda request: (lambda answer: httpx.Response(answer.status, content=answer.body))(
            channel.handle(request.content)
        )
    )
    clients: list[AsyncChannelClient] = []

    def make(sender_id: str) -> AsyncChannelClient:
        client = AsyncChannelClient(
            gateway_url="http://gateway.test/bip-async/",
            sender_id=sender_id,
            password=None,
            credential=layout.load_credential(layout.system(NAMES[sender_id])),
            trust=layout.trust_store(),
            gateway_bin=system("gateway").bin,
            now=_now,
            transport=transport,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _form() -> Payload:
    return Payload(element=etree.fromstring("<form><iin>031231500126</iin></form>"))


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(GatewayFault) as caught:
        call()
    return caught.value.code


def test_request_pulled_confirmed_and_answered_along_its_chain(
    client_of: Callable[[str], AsyncChannelClient], gateway: tuple[AsyncChannel, AsyncStore]
) -> None:
    portal, centre = client_of("EGOV_PORTAL"), client_of("ENBEK_LABOUR_MARKET")
    receipt = portal.send(REGISTRATION, _form())
    assert receipt.message_id and receipt.correlation_id and receipt.session_id
    assert portal.message_status(receipt.message_id).state is MessageState.ON_DELIVERY

    pulled = centre.messages(message_id=receipt.message_id)
    assert [m.info.message_id for m in pulled.messages] == [receipt.message_id]
    message = pulled.messages[0]
    assert message.info.correlation_id == receipt.correlation_id and message.info.sender_id == "EGOV_PORTAL"
    assert message.data.element is not None and message.data.element.findtext("iin") == "031231500126"
    assert centre.messages(message_id=receipt.message_id).messages, "pulled but unconfirmed stays on delivery"

    centre.notify_delivery(receipt.message_id, REGISTRATION, accepted=True)
    assert portal.message_status(receipt.message_id).state is MessageState.DELIVERED
    assert centre.messages(message_id=receipt.message_id).messages == []

    answer = centre.send(
        REGISTRATION, Payload(text="accepted"), message_type=MessageType.RESPONSE, correlation_id=receipt.correlation_id
    )
    assert answer.correlation_id == receipt.correlation_id
    back = portal.messages(correlation_id=receipt.correlation_id, service_id=REGISTRATION)
    assert [(m.info.message_type, m.data.text) for m in back.messages] == [(MessageType.RESPONSE, "accepted")]
    _, store = gateway
    stored = store.get(answer.message_id)
    assert stored is not None and stored.receiver_id == "EGOV_PORTAL"


def test_refused_notice_with_resend_and_without(client_of: Callable[[str], AsyncChannelClient]) -> None:
    portal, centre = client_of("EGOV_PORTAL"), client_of("ENBEK_LABOUR_MARKET")
    first = portal.send(REGISTRATION, _form())
    centre.notify_delivery(first.message_id, REGISTRATION, accepted=False, resend=True)
    assert portal.message_status(first.message_id).state is MessageState.ON_DELIVERY
    assert centre.messages(message_id=first.message_id).messages
    centre.notify_delivery(first.message_id, REGISTRATION, accepted=False, error=("SCE001", "unreadable form"))
    status = portal.message_status(first.message_id)
    assert (status.state, status.status_code) == (MessageState.NOT_DELIVERED, "SCE001")
    assert "unreadable form" in (status.status_message or "")


def test_refusals_have_their_codes_and_store_nothing(
    client_of: Callable[[str], AsyncChannelClient], gateway: tuple[AsyncChannel, AsyncStore], pki_settings: Settings
) -> None:
    channel, store = gateway
    portal, fund, centre = client_of("EGOV_PORTAL"), client_of("GFSS"), client_of("ENBEK_LABOUR_MARKET")
    sent = portal.send(REGISTRATION, _form())
    cases = {
        "not allowed to call the service": (lambda: fund.send(REGISTRATION, _form()), "SCE003"),
        "a sync service on the async channel": (lambda: portal.send("GBDFL_UniversalServiceSync", _form()), "SCE004"),
        "unknown service": (lambda: portal.send("NO_SUCH_SERVICE", _form()), "SCE004"),
        "notification without a correlationId": (
            lambda: portal.send(REGISTRATION, _form(), message_type=MessageType.NOTIFICATION),
            "SCE001",
        ),
        "a stranger asks for the status": (lambda: fund.message_status(sent.message_id), "SCE003"),
        "the sender confirms its own message": (
            lambda: portal.notify_delivery(sent.message_id, REGISTRATION),
            "SCE003",
        ),
        "a stranger answers along the chain": (
            lambda: client_of("GK_IIS").send(
                REGISTRATION, _form(), message_type=MessageType.RESPONSE, correlation_id=sent.correlation_id
            ),
            "SCE003",
        ),
        "getMessages with a correlationId but no serviceId": (
            lambda: centre.messages(correlation_id=sent.correlation_id),
            "SCE001",
        ),
    }
    before = store.counts()
    for name, (call, code) in cases.items():
        assert _code(call) == code, name
    assert store.counts() == before

    layout = PkiLayout(pki_settings.data_dir)
    info = AsyncMessageInfo(REGISTRATION, MessageType.REQUEST, _now(), "EGOV_PORTAL")
    envelope = wrap(write_send_message(AsyncMessage(info, MessageData(text="x"))))
    unsigned = channel.handle(to_bytes(envelope))
    assert unsigned.status == 500 and b"SCE007" in unsigned.body
    signed = to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("portal"))))
    assert channel.handle(signed).status == 200
    replay = channel.handle(signed)
    assert replay.status == 500 and b"SCE008" in replay.body and b"sendMessageFault1_sendMessageFault" in replay.body
    # the same signed message with other bytes around what the signature covers is the same message
    for disguised in (signed + b"\n", signed.replace(b"<soap:Header>", b"<soap:Header>\n  ", 1)):
        assert disguised != signed
        again = channel.handle(disguised)
        assert again.status == 500 and b"SCE008" in again.body, again.body[:300]
    stale = AsyncMessageInfo(REGISTRATION, MessageType.REQUEST, _now() - dt.timedelta(hours=1), "EGOV_PORTAL")
    old = sign_envelope(
        wrap(write_send_message(AsyncMessage(stale, MessageData(text="x")))),
        layout.load_credential(layout.system("portal")),
    )
    assert b"SCE008" in channel.handle(to_bytes(old)).body
    as_portal = sign_envelope(
        wrap(write_send_message(AsyncMessage(info, MessageData(text="y")))),
        layout.load_credential(layout.system("social_fund")),
    )
    assert b"SCE002" in channel.handle(to_bytes(as_portal)).body


def test_an_officials_personal_certificate_does_not_send_as_the_system(
    gateway: tuple[AsyncChannel, AsyncStore], pki_settings: Settings
) -> None:
    """docs/pki.md: the State Corporation's operator (BIN 160640010002, a personal certificate) does not
    make GK_IIS's transport signature; the system's own organisation certificate does."""
    channel, store = gateway
    layout = PkiLayout(pki_settings.data_dir)
    before = store.counts()
    info = AsyncMessageInfo(REGISTRATION, MessageType.REQUEST, _now(), "GK_IIS")
    envelope = wrap(write_send_message(AsyncMessage(info, MessageData(text="x"))))

    refused = channel.handle(
        to_bytes(sign_envelope(envelope, layout.load_credential(layout.official("state-corp-operator"))))
    )

    assert refused.status == 500 and b"SCE002" in refused.body and b"is not an organisation certificate" in refused.body
    assert store.counts() == before
    accepted = channel.handle(to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("state_corp")))))
    assert accepted.status == 200
