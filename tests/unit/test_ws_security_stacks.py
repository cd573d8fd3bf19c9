"""Independent SOAP stacks against the gateway's SyncChannel (docs/signing.md): zeep signs with its own
``BinarySignature`` and ``Signature`` (python-xmlsec) and reads the answer, verifying the gateway's signature
with xmlsec; RSA-SHA1 passes only for a participant the register allows it; a header the gateway does not
understand is a soap:MustUnderstand fault; an expired Timestamp is stale (SCE008). The provider is replaced
by respx; the gateway runs in-process, as its HTTP endpoint runs it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import respx
import xmlsec
import zeep
from lxml import etree
from zeep.wsse.signature import BinarySignature, Signature
from zeep.wsse.signature import verify_envelope as zeep_verify

from adapters.pki import PkiLayout
from adapters.shep import Payload, build_response, parse_fault
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.sync import ChannelAnswer, SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from wsdl import contract_path

PROVIDER = "http://registry.test/bip-sync/"
GBDFL = "GBDFL_UniversalServiceSync"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
PAYLOAD = (
    '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
    "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode><iin>920314403019</iin>"
    "</m:request>"
)


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


def _context(layout: PkiLayout, tmp_path: Path, registry: ServiceRegistry) -> ChannelContext:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return ChannelContext(
        registry=registry,
        journal=Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}"),
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=lambda: dt.datetime.now(dt.UTC),
        provider_url=lambda service: PROVIDER,
        link=ProviderLink(timeout=2.0),
        max_bytes=64_000,
    )


def _registry(*, sha1_for: str | None = None) -> ServiceRegistry:
    seed = ServiceRegistry.from_file(ServiceRegistry.default_file())
    participants = {
        p.sender_id: dataclasses.replace(p, allow_sha1_signatures=p.sender_id == sha1_for) for p in seed.participants()
    }
    return ServiceRegistry(participants, {s.service_id: s for s in seed.services()})


@pytest.fixture
def channel(layout: PkiLayout, tmp_path: Path) -> Iterator[SyncChannel]:
    yield SyncChannel(_context(layout, tmp_path, _registry()))


class GatewayTransport(zeep.Transport):  # type: ignore[misc]
    """zeep's HTTP transport, posting to the gateway's SyncChannel handler instead of a socket."""

    def __init__(self, channel: SyncChannel) -> None:
        super().__init__()
        self.channel = channel
        self.sent: list[bytes] = []

    def post(self, address: str, message: bytes | str, headers: dict[str, str]) -> requests.Response:
        body = message.encode("utf-8") if isinstance(message, str) else message
        self.sent.append(body)
        answer: ChannelAnswer = self.channel.handle(body)
        response = requests.Response()
        response.status_code = answer.status
        response._content = answer.body
        response.headers["Content-Type"] = "text/xml; charset=utf-8"
        return response


class CheckingTheGateway:
    """zeep's wsse plugin: signs with ``signer`` and verifies the answer with the gateway's certificate (xmlsec)."""

    def __init__(self, signer: Signature, gateway_certificate: Path) -> None:
        self.signer = signer
        self.gateway_certificate = gateway_certificate

    def apply(self, envelope: etree._Element, headers: dict[str, str]) -> tuple[etree._Element, dict[str, str]]:
        return self.signer.apply(envelope, headers)  # type: ignore[no-any-return]

    def verify(self, envelope: etree._Element) -> etree._Element:
        zeep_verify(envelope, str(self.gateway_certificate))
        return envelope


def _provider_answer(layout: PkiLayout) -> bytes:
    envelope = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), None), Payload(text="<answer>42</answer>"))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("person_registry"))))


def _client(channel: SyncChannel, layout: PkiLayout, signer: Signature) -> tuple[zeep.Client, GatewayTransport]:
    transport = GatewayTransport(channel)
    wsse = CheckingTheGateway(signer, layout.system("gateway").with_suffix(".pem"))
    return zeep.Client(str(contract_path("SyncChannel.wsdl")), wsse=wsse, transport=transport), transport


def _send(client: zeep.Client, sender: str = "ENBEK_LABOUR_MARKET", message_id: str = "zeep-1") -> Any:
    return client.service.SendMessage(
        request={
            "requestInfo": {
                "messageId": message_id,
                "serviceId": GBDFL,
                "messageDate": dt.datetime.now(dt.UTC),
                "sender": {"senderId": sender},
            },
            "requestData": {"data": PAYLOAD},
        }
    )


def _files(layout: PkiLayout, system: str) -> tuple[str, str]:
    base = layout.system(system)
    return str(base.with_suffix(".key")), str(base.with_suffix(".pem"))


SHA256 = {"signature_method": xmlsec.Transform.RSA_SHA256, "digest_method": xmlsec.Transform.SHA256}


@pytest.mark.parametrize("kind", [BinarySignature, Signature])
@respx.mock
def test_zeep_signs_with_its_own_wsse_and_gets_the_answer(channel: SyncChannel, layout: PkiLayout, kind: type) -> None:
    route = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    client, transport = _client(channel, layout, kind(*_files(layout, "employment"), **SHA256))
    reply = _send(client)
    assert reply.responseInfo.status.code == "SCSS001"
    assert reply.responseData.data == "<answer>42</answer>"
    assert route.called
    sent = parse_xml(transport.sent[0])
    reference = "Reference" if kind is BinarySignature else "X509Data"
    assert sent.find(f".//{{*}}SecurityTokenReference/{{*}}{reference}") is not None  # zeep's own token reference


def _fault(answer: bytes, layout: PkiLayout) -> tuple[str, str, str]:
    verified = verify_envelope(parse_xml(answer), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return verified.signed_body.findtext(f"{{{SOAP_NS}}}Fault/faultcode") or "", fault.code, fault.message


@respx.mock
def test_rsa_sha1_only_for_a_participant_the_register_allows(layout: PkiLayout, tmp_path: Path) -> None:
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    sha1 = Signature(*_files(layout, "employment"))  # zeep's default: RSA-SHA1, SHA-1 digests
    refusing = SyncChannel(_context(layout, tmp_path / "a", _registry()))
    client, transport = _client(refusing, layout, sha1)
    with pytest.raises(zeep.exceptions.Fault, match="SCE006"):
        _send(client)
    faultcode, code, message = _fault(refusing.handle(transport.sent[0]).body, layout)
    assert (faultcode, code) == ("soap:Client", "SCE006")
    assert "RSA-SHA1 and SHA-1 digests are refused" in message and "allowSha1Signatures" in message
    allowing = SyncChannel(_context(layout, tmp_path / "b", _registry(sha1_for="ENBEK_LABOUR_MARKET")))
    client, _ = _client(allowing, layout, sha1)
    assert _send(client, message_id="zeep-2").responseInfo.status.code == "SCSS001"


def _signed_with_header(layout: PkiLayout, header_entry: etree._Element) -> bytes:
    client = zeep.Client(str(contract_path("SyncChannel.wsdl")))
    envelope = client.create_message(
        client.service,
        "SendMessage",
        request={
            "requestInfo": {
                "messageId": "mu-1",
                "serviceId": GBDFL,
                "messageDate": dt.datetime.now(dt.UTC),
                "sender": {"senderId": "ENBEK_LABOUR_MARKET"},
            },
            "requestData": {"data": PAYLOAD},
        },
    )
    signed = sign_envelope(envelope, layout.load_credential(layout.system("employment")))
    header = signed.find(f"{{{SOAP_NS}}}Header")
    assert header is not None
    header.append(header_entry)
    return to_bytes(signed)


def _action(must_understand: str) -> etree._Element:
    action = etree.Element(
        "{http://www.w3.org/2005/08/addressing}Action", {f"{{{SOAP_NS}}}mustUnderstand": must_understand}
    )
    action.text = "urn:SendMessage"
    return action


@respx.mock
def test_a_header_marked_must_understand_that_the_gateway_does_not_understand_is_refused(
    channel: SyncChannel, layout: PkiLayout
) -> None:
    route = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    answer = channel.handle(_signed_with_header(layout, _action("1")))
    faultcode, code, message = _fault(answer.body, layout)
    assert (answer.status, faultcode, code) == (500, "soap:MustUnderstand", "SCE001")
    assert "{http://www.w3.org/2005/08/addressing}Action" in message
    assert not route.called
    assert channel.handle(_signed_with_header(layout, _action("0"))).status == 200  # not marked: ignored


def test_an_expired_timestamp_is_stale(channel: SyncChannel, layout: PkiLayout) -> None:
    client = zeep.Client(str(contract_path("SyncChannel.wsdl")))
    envelope = client.create_message(
        client.service,
        "SendMessage",
        request={
            "requestInfo": {
                "messageId": "ts-1",
                "serviceId": GBDFL,
                "messageDate": dt.datetime.now(dt.UTC),
                "sender": {"senderId": "ENBEK_LABOUR_MARKET"},
            },
            "requestData": {"data": PAYLOAD},
        },
    )
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP_NS}}}Header")
        envelope.insert(0, header)
    wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
    wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    security = etree.SubElement(
        header, f"{{{wsse}}}Security", {f"{{{SOAP_NS}}}mustUnderstand": "1"}, nsmap={"wsse": wsse, "wsu": wsu}
    )
    timestamp = etree.SubElement(security, f"{{{wsu}}}Timestamp")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    etree.SubElement(timestamp, f"{{{wsu}}}Created").text = past.strftime("%Y-%m-%dT%H:%M:%SZ")
    etree.SubElement(timestamp, f"{{{wsu}}}Expires").text = (past + dt.timedelta(minutes=5)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    BinarySignature(*_files(layout, "employment"), **SHA256).apply(envelope, {})
    _, code, message = _fault(channel.handle(to_bytes(envelope)).body, layout)
    assert code == "SCE008" and "expired at" in message, message
