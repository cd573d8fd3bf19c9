"""Requests written by hand in the shape of the real gateway's published sample, not built by this project's
code: the wrapper ``ns2:SendMessage`` in ``http://bip.bee.kz/SyncChannel/v10/Types``, everything inside it
unqualified, the payload an escaped XML string with its own XML declaration (``docs/protocol.md``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import build_response, parse_fault, parse_response
from adapters.shep.envelope import SOAP_NS, Payload, ResponseInfo
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry

PROVIDER = "http://registry.test/bip-sync/"
TYPES = "http://bip.bee.kz/SyncChannel/v10/Types"
INTERFACES = "http://bip.bee.kz/SyncChannel/v10/Interfaces"

# The sample's layout: S: and SOAP-ENV: both bound to SOAP 1.1, an empty header for wsse:Security, the Body
# holding ns2:SendMessage; sender with a password, no correlationId and no sessionId; the payload escaped.
HAND_WRITTEN = """<?xml version="1.0" encoding="UTF-8"?>\
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" \
xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/>\
<S:Body><ns2:SendMessage xmlns:ns2="{wrapper_ns}"><request><requestInfo>\
<messageId>{message_id}</messageId><serviceId>GBDFL_UniversalServiceSync</serviceId>\
<messageDate>{message_date}</messageDate>\
<sender><senderId>ENBEK_LABOUR_MARKET</senderId><password>secret</password></sender></requestInfo>\
<requestData><data xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">\
&lt;?xml version="1.0" encoding="UTF-8" standalone="yes"?&gt;\
&lt;m:request xmlns:m="http://message.persistence.interactive.nat"&gt;&lt;messageId&gt;1&lt;/messageId&gt;\
&lt;messageDate&gt;2026-11-23T10:00:00+05:00&lt;/messageDate&gt;&lt;senderCode&gt;ENBEK&lt;/senderCode&gt;\
&lt;iin&gt;920314403019&lt;/iin&gt;&lt;/m:request&gt;</data></requestData></request></ns2:SendMessage>\
</S:Body></S:Envelope>"""


def hand_written(layout: PkiLayout, wrapper_ns: str = TYPES, message_id: str | None = None) -> bytes:
    """The sample-shaped text, WS-Security signed by the Labour Market system's certificate."""
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=5))).isoformat(timespec="milliseconds")
    text = HAND_WRITTEN.format(wrapper_ns=wrapper_ns, message_id=message_id or str(uuid.uuid4()), message_date=now)
    credential = layout.load_credential(layout.system("employment"))
    return to_bytes(sign_envelope(parse_xml(text.encode("utf-8")), credential))


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def channel(layout: PkiLayout, tmp_path: Path) -> Iterator[tuple[SyncChannel, Journal]]:
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    context = ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=journal,
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=lambda: dt.datetime.now(dt.UTC),
        provider_url=lambda service: PROVIDER,
        link=ProviderLink(timeout=2.0),
        max_bytes=64_000,
    )
    yield SyncChannel(context), journal


def _provider_answer(layout: PkiLayout) -> bytes:
    envelope = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC)), Payload(text="<answer/>"))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("person_registry"))))


def test_the_hand_written_text_is_the_samples_shape(layout: PkiLayout) -> None:
    """Guard of the fixture itself: ns2 wrapper in Types, unqualified children, a wsse:Security header."""
    signed = hand_written(layout)
    assert b'<ns2:SendMessage xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types"><request><requestInfo>' in signed
    envelope = parse_xml(signed)
    assert envelope.find(f"{{{SOAP_NS}}}Header/{{{TYPES}}}SendMessage") is None
    assert len(envelope.xpath("//*[local-name()='Security']")) == 1


@respx.mock
def test_a_request_in_the_samples_shape_passes_the_pipeline(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    route = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    answer = sync.handle(hand_written(layout, message_id="sample-1"))
    assert answer.status == 200, answer.body.decode()
    forwarded = route.calls.last.request.content
    # What the gateway forwards has the same wire shape: ns2 wrapper in Types, unqualified request.
    assert b'<ns2:SendMessage xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types"><request><requestInfo>' in forwarded
    assert b"<password>" not in forwarded  # the sender's password stays at the gateway
    reply = verify_envelope(parse_xml(answer.body), layout.trust_store(), dt.datetime.now(dt.UTC))
    wrapper = reply.signed_body[0]
    assert wrapper.tag == f"{{{TYPES}}}SendMessageResponse" and wrapper[0].tag == "response"
    info, payload = parse_response(reply.signed_body)
    assert info.status_code == "SCSS001" and payload.text == "<answer/>"
    assert [e["event"] for e in journal.entries(message_id="sample-1")] == ["delivered", "received"]  # newest first


@respx.mock
def test_the_wrapper_in_the_interfaces_namespace_is_sce001(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    route = respx.post(PROVIDER)
    answer = sync.handle(hand_written(layout, wrapper_ns=INTERFACES, message_id="old-ns"))
    assert answer.status == 500
    verified = verify_envelope(parse_xml(answer.body), layout.trust_store(), dt.datetime.now(dt.UTC))
    detail = verified.signed_body.find(f"{{{SOAP_NS}}}Fault/detail")
    assert detail is not None and detail[0].tag == f"{{{TYPES}}}SendMessageFault1_SendMessageFault"
    fault = parse_fault(verified.signed_body)
    assert fault is not None and fault.code == "SCE001"
    assert TYPES in fault.message and INTERFACES in fault.message  # says which namespace is expected
    assert not route.called
    assert journal.entries()[-1]["code"] == "SCE001"


@respx.mock
def test_qualified_children_of_the_wrapper_are_sce001(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, _ = channel
    route = respx.post(PROVIDER)
    signed = parse_xml(hand_written(layout))
    request = signed.find(f".//{{{TYPES}}}SendMessage/request")
    assert request is not None
    request.tag = f"{{{TYPES}}}request"  # a client that qualifies every element, against the contract
    resigned = to_bytes(sign_envelope(signed, layout.load_credential(layout.system("employment"))))
    fault = parse_fault(
        verify_envelope(
            parse_xml(sync.handle(resigned).body), layout.trust_store(), dt.datetime.now(dt.UTC)
        ).signed_body
    )
    assert fault is not None and fault.code == "SCE001"
    assert not route.called


def test_a_fault_detail_in_another_element_is_not_read_as_error_info() -> None:
    envelope = etree.fromstring(
        f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring>'
        f'<detail><i:SendMessageFault xmlns:i="{INTERFACES}"><errorCode>SCE001</errorCode>'
        "<errorMessage>x</errorMessage><errorDate>2026-11-23T10:00:00+05:00</errorDate></i:SendMessageFault>"
        "</detail></s:Fault></s:Body></s:Envelope>"
    )
    with pytest.raises(ValueError, match="SendMessageFault1_SendMessageFault"):
        parse_fault(envelope)
