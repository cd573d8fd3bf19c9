"""A system's transport signature is made with an organisation certificate of that system (docs/pki.md:
key purpose 1.2.398.3.3.4.1.2 and the system's BIN): an official's personal certificate naming the same BIN
does not pass as the system, at the gateway (SyncChannel, REST channel; the AsyncChannel in
tests/integration/test_async_channel_pipeline.py) nor where a provider or a client checks the gateway's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import Credential, KeyPurpose, PkiLayout, subject_of, system_signer_problem
from adapters.shep import GatewayFault, Payload, RequestInfo, build_request, build_response, parse_fault
from adapters.shep.envelope import ResponseInfo
from adapters.shep.gateway_link import GatewayLink
from adapters.shep.provider import SignedSoapEndpoint
from adapters.shep.replay_guard import ReplayGuard
from adapters.signatures import sign_envelope, verify_envelope
from adapters.signatures.jws import verify_detached
from adapters.xml import parse_xml, to_bytes
from ecosystem.catalogue import OFFICIALS, SYSTEMS, system
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.rest import RestChannel
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from mocks.nca.authority import CertificateAuthority, PersonName
from tests.rest_requests import signed_headers
from tests.wsgi_requests import wsgi_post

PROVIDER = "http://provider.test/"
DIRECTOR = "employment-director"  # an official of the employment centre: BIN 000340010007, a personal certificate
EMPLOYMENT_BIN = "000340010007"
NOT_ORGANISATION = "is not an organisation certificate"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the certificates' real validity


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def context(layout: PkiLayout, tmp_path: Path) -> Iterator[ChannelContext]:
    link = ProviderLink(timeout=2.0)
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    yield ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=journal,
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=_now,
        provider_url=lambda service: PROVIDER,
        link=link,
        max_bytes=64_000,
        max_clock_skew=dt.timedelta(minutes=5),
    )
    link.close()
    journal.dispose()


def _gateway_official(layout: PkiLayout) -> Credential:
    """A personal certificate of an official of the gateway's operator: the gateway's BIN, not its key purpose."""
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    purposes = (KeyPurpose.INDIVIDUAL, KeyPurpose.FIRST_HEAD, KeyPurpose.MAY_SIGN)
    gateway = system("gateway")
    return issuing.issue_person(
        "880115300134",
        PersonName("Оператор", "Шлюза"),
        _now(),
        organisation="gateway",
        bin_=gateway.bin,
        purposes=purposes,
    )


def test_every_system_certificate_is_an_organisation_certificate_and_officials_are_not(layout: PkiLayout) -> None:
    for entry in SYSTEMS:
        signer = subject_of(layout.load_credential(layout.system(entry.name)).certificate)
        assert system_signer_problem(signer, entry.bin) is None, entry.name
    for official in OFFICIALS:
        signer = subject_of(layout.load_credential(layout.official(official.role)).certificate)
        assert signer.bin == official.bin and KeyPurpose.ORGANISATION.value not in signer.purposes
        problem = system_signer_problem(signer, official.bin)
        assert problem is not None and NOT_ORGANISATION in problem and "individual 1.2.398.3.3.4.1.1" in problem


def _sync_request() -> bytes:
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
        "<iin>920314403019</iin></m:request>"
    )
    info = RequestInfo(f"m-{_now().timestamp()}", "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", _now())
    return to_bytes(build_request(info, Payload(element=payload)))


def _provider_answer(layout: PkiLayout) -> bytes:
    envelope = build_response(ResponseInfo("r-1", _now(), None), Payload(element=etree.fromstring("<ok/>")))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("person_registry"))))


@respx.mock
def test_the_sync_channel_refuses_an_officials_personal_certificate_as_the_system(
    context: ChannelContext, layout: PkiLayout
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    sync = SyncChannel(context)

    as_director = sync.handle(
        to_bytes(sign_envelope(parse_xml(_sync_request()), layout.load_credential(layout.official(DIRECTOR))))
    )

    fault = parse_fault(verify_envelope(parse_xml(as_director.body), layout.trust_store(), _now()).signed_body)
    assert fault is not None and (as_director.status, fault.code) == (500, "SCE002")
    assert NOT_ORGANISATION in fault.message and "IIN 880115300126" in fault.message
    assert not provider.called
    assert context.journal.entries(limit=1)[0]["code"] == "SCE002"
    own = sync.handle(
        to_bytes(sign_envelope(parse_xml(_sync_request()), layout.load_credential(layout.system("employment"))))
    )
    assert own.status == 200 and provider.call_count == 1


@respx.mock
def test_the_sync_channel_refuses_a_provider_answer_signed_with_a_personal_certificate(
    context: ChannelContext, layout: PkiLayout
) -> None:
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    registry_bin = system("person_registry").bin
    official = issuing.issue_person(
        "880115300142", PersonName("Чиновник", "Реестра"), _now(), organisation="registry", bin_=registry_bin
    )
    envelope = build_response(ResponseInfo("r-1", _now(), None), Payload(element=etree.fromstring("<ok/>")))
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=to_bytes(sign_envelope(envelope, official))))

    answer = SyncChannel(context).handle(
        to_bytes(sign_envelope(parse_xml(_sync_request()), layout.load_credential(layout.system("employment"))))
    )

    fault = parse_fault(verify_envelope(parse_xml(answer.body), layout.trust_store(), _now()).signed_body)
    assert fault is not None and fault.code == "SCE909"


@respx.mock
def test_the_rest_channel_refuses_an_officials_personal_certificate_as_the_system(
    context: ChannelContext, layout: PkiLayout
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={"accepted": True}))
    service = "MONITORING_StageReport"
    body = json.dumps({"applicationId": "APP-K1", "stage": "ACCEPTED"}).encode()

    def headers(credential: Credential, message_id: str) -> dict[str, str]:
        path = f"/bip-rest/{service}"
        return signed_headers(
            body, credential, path=path, sender_id="ENBEK_LABOUR_MARKET", message_id=message_id, at=_now()
        )

    channel = RestChannel(context)
    refused = channel.handle(service, body, headers(layout.load_credential(layout.official(DIRECTOR)), "m-k1"))

    verify_detached(refused.headers.get("X-Signature"), refused.body, layout.trust_store(), _now())
    refusal = json.loads(refused.body)
    assert (refused.status, refusal["errorCode"]) == (403, "SCE002")
    assert NOT_ORGANISATION in refusal["errorMessage"]
    assert not provider.called
    accepted = channel.handle(service, body, headers(layout.load_credential(layout.system("employment")), "m-k2"))
    assert accepted.status == 201 and provider.call_count == 1


def test_a_provider_accepts_the_gateways_organisation_certificate_only(layout: PkiLayout) -> None:
    served: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        served.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [_provider_answer(layout)]

    endpoint = SignedSoapEndpoint(
        app,
        credential=layout.load_credential(layout.system("person_registry")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        max_bytes=1_048_576,
        public_url="http://127.0.0.1:8082/bip-sync/",
        replay_guard=ReplayGuard.at("sqlite://", _now, dt.timedelta(minutes=5)),
    )

    status, answer = wsgi_post(
        endpoint, to_bytes(sign_envelope(parse_xml(_sync_request()), _gateway_official(layout)))
    )

    assert status.startswith("500 ")
    fault = parse_fault(verify_envelope(parse_xml(answer), layout.trust_store(), _now()).signed_body)
    assert fault is not None and fault.code == "SCE003" and NOT_ORGANISATION in fault.message
    assert not served
    gateway = layout.load_credential(layout.system("gateway"))
    status, _ = wsgi_post(endpoint, to_bytes(sign_envelope(parse_xml(_sync_request()), gateway)))
    assert status.startswith("200 ") and len(served) == 1


def test_a_client_refuses_a_reply_signed_with_a_personal_certificate_of_the_gateways_bin(layout: PkiLayout) -> None:
    impostor = _gateway_official(layout)

    def reply(request: httpx.Request) -> httpx.Response:
        envelope = build_response(ResponseInfo("r-1", _now(), None), Payload(element=etree.fromstring("<ok/>")))
        return httpx.Response(200, content=to_bytes(sign_envelope(envelope, impostor)))

    link = GatewayLink(
        url="http://gateway.test/bip-sync/",
        credential=layout.load_credential(layout.system("employment")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        timeout=2.0,
        transport=httpx.MockTransport(reply),
        max_bytes=1_048_576,
    )
    with pytest.raises(GatewayFault) as refused:
        link.exchange(parse_xml(_sync_request()))
    link.close()
    assert refused.value.code == "SCE006" and NOT_ORGANISATION in str(refused.value)
