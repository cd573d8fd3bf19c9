"""A system's receiving endpoints refuse a header they must understand and do not, like the gateway (SOAP 1.1
§4.2.3, docs/signing.md): the SyncChannel provider (adapters/shep/provider.py, around its spyne application)
and a PUSH participant's IAsyncChannelClient (adapters/shep/async_provider.py) answer a fault signed by
themselves whose faultcode is soap:MustUnderstand (SCE001), without running the handler; the same header
without the mark is ignored and the message handled."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep.async_envelope import parse_async_fault, wrap
from adapters.shep.async_provider import AsyncClientEndpoint
from adapters.shep.envelope import SOAP_NS, Payload, RequestInfo, build_request, parse_fault
from adapters.shep.inbox import Inbox
from adapters.shep.provider import SignedSoapEndpoint
from adapters.shep.replay_guard import ReplayGuard
from adapters.shep.spyne_provider import InboundMessage, sync_channel_application
from adapters.signatures import TransportSignature, sign_envelope, verify_envelope
from adapters.storage import create_store_engine
from adapters.xml import parse_xml, to_bytes
from contracts.async_channel import (
    PUSH_DATE_PROPERTY,
    PUSH_ID_PROPERTY,
    AsyncMessage,
    AsyncMessageInfo,
    MessageData,
    MessageType,
    write_send_message,
)
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from tests.wsgi_requests import wsgi_post

WSA_ACTION = "{http://www.w3.org/2005/08/addressing}Action"
SKEW = dt.timedelta(minutes=5)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # signatures are checked against the certificates' real validity


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


def _gateway_signed(layout: PkiLayout, envelope: etree._Element, must_understand: str | None) -> bytes:
    """``envelope`` signed by the gateway, then a WS-Addressing Action added to its Header (the signature covers
    the Body only), marked ``soap:mustUnderstand`` with ``must_understand`` (None: unmarked)."""
    signed = sign_envelope(envelope, layout.load_credential(layout.system("gateway")))
    header = signed.find(f"{{{SOAP_NS}}}Header")
    assert header is not None
    action = etree.SubElement(header, WSA_ACTION)
    if must_understand is not None:
        action.set(f"{{{SOAP_NS}}}mustUnderstand", must_understand)
    action.text = "urn:SendMessage"
    return to_bytes(signed)


def _signed_by(layout: PkiLayout, answer: bytes, name: str) -> etree._Element:
    verified = verify_envelope(parse_xml(answer), layout.trust_store(), _now())
    assert verified.signer.bin == system(name).bin
    return verified.signed_body


def _faultcode(body: etree._Element) -> str | None:
    return body.findtext(f"{{{SOAP_NS}}}Fault/faultcode")


# --- the SyncChannel provider ----------------------------------------------------------------------------


def _request(layout: PkiLayout, must_understand: str | None) -> bytes:
    info = RequestInfo(str(uuid.uuid4()), "ENBEK_JobSeekerRegistration", "EGOV_PORTAL", _now(), "APP-1")
    return _gateway_signed(layout, build_request(info, Payload(text="form")), must_understand)


@pytest.mark.parametrize(
    ("mark", "faultcode", "words"),
    [
        ("1", "soap:MustUnderstand", 'is marked soap:mustUnderstand="1" and the receiver does not understand it'),
        ("true", "soap:MustUnderstand", 'is marked soap:mustUnderstand="1" and the receiver does not understand it'),
        ("yes", "soap:Client", "soap:mustUnderstand of Action is 'yes', not 0 or 1"),
    ],
)
def test_the_sync_channel_provider_refuses_a_header_it_must_understand(
    layout: PkiLayout, mark: str, faultcode: str, words: str
) -> None:
    handled: list[InboundMessage] = []

    def handler(message: InboundMessage) -> Payload:
        handled.append(message)
        return Payload(text="registered")

    endpoint = SignedSoapEndpoint(
        sync_channel_application("LabourMarket", handler, _now),
        credential=layout.load_credential(layout.system("employment")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        max_bytes=1_048_576,
        public_url="http://127.0.0.1:8082/bip-sync/",
        replay_guard=ReplayGuard.at("sqlite://", _now, SKEW),
    )
    status, answer = wsgi_post(endpoint, _request(layout, mark))
    assert status.startswith("500 ")
    body = _signed_by(layout, answer, "employment")
    fault = parse_fault(body)
    assert fault is not None and fault.code == "SCE001" and words in fault.message
    assert _faultcode(body) == faultcode
    assert handled == []

    for unmarked in (None, "0"):  # the same header without the mark (or marked 0) is ignored
        status, answer = wsgi_post(endpoint, _request(layout, unmarked))
        assert status.startswith("200 "), answer
        assert parse_fault(_signed_by(layout, answer, "employment")) is None
    assert len(handled) == 2


# --- a PUSH participant's IAsyncChannelClient ------------------------------------------------------------


def _push(layout: PkiLayout, must_understand: str | None) -> bytes:
    now = _now()
    stamp = {PUSH_DATE_PROPERTY: now.isoformat(timespec="milliseconds"), PUSH_ID_PROPERTY: str(uuid.uuid4())}
    info = AsyncMessageInfo(
        "MONITORING_StageReportAsync",
        MessageType.NOTIFICATION,
        now,
        "GK_IIS",
        message_id=str(uuid.uuid4()),
        correlation_id="c-1",
        properties=stamp,
    )
    message = AsyncMessage(info=info, data=MessageData(text='{"stage": "REGISTERED"}'))
    return _gateway_signed(layout, wrap(write_send_message(message, client=True)), must_understand)


def test_the_async_client_endpoint_refuses_a_header_it_must_understand(layout: PkiLayout, tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'monitoring.sqlite'}")
    handled: list[AsyncMessage] = []

    def handle(message: AsyncMessage, _: TransportSignature) -> None:
        handled.append(message)

    endpoint = AsyncClientEndpoint(
        name="monitoring",
        handler=handle,
        inbox=Inbox(engine, _now),
        credential=layout.load_credential(layout.system("monitoring")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        max_bytes=64_000,
        replay_guard=ReplayGuard(engine, _now, SKEW),
    )
    try:
        refused = endpoint.handle(_push(layout, "1"))
        assert refused.status == 500
        body = _signed_by(layout, refused.body, "monitoring")
        fault = parse_async_fault(body)
        assert fault is not None and fault.code == "SCE001" and "does not understand" in fault.message
        assert _faultcode(body) == "soap:MustUnderstand"
        assert handled == []

        accepted = endpoint.handle(_push(layout, None))
        assert accepted.status == 200
        assert parse_async_fault(_signed_by(layout, accepted.body, "monitoring")) is None
        assert len(handled) == 1
    finally:
        engine.dispose()
