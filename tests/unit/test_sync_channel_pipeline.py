"""The gateway's SyncChannel pipeline in-process, providers replaced by respx: every refusal has its
code, is journalled, and nothing is forwarded."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, build_response, parse_fault, parse_response
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from mocks.nca.authority import CertificateAuthority
from mocks.nca.provisioning import revoke

PROVIDER = "http://registry.test/bip-sync/"
GBDFL = "GBDFL_UniversalServiceSync"


def _payload() -> Payload:
    return Payload(
        element=etree.fromstring(
            '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
            "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
            "<iin>920314403019</iin></m:request>"
        )
    )


def _request(sender: str = "ENBEK_LABOUR_MARKET", service: str = GBDFL) -> etree._Element:
    info = RequestInfo("m-1", service, sender, dt.datetime.now(dt.UTC), correlation_id="case-1")
    return build_request(info, _payload())


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


def _signed(envelope: etree._Element, credential: Credential) -> bytes:
    return to_bytes(sign_envelope(envelope, credential))


def _fault_code(answer_body: bytes, layout: PkiLayout) -> str:
    verified = verify_envelope(parse_xml(answer_body), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return fault.code


def _provider_answer(layout: PkiLayout, signer: str = "person_registry") -> bytes:
    envelope = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), "case-1"), _payload())
    return _signed(envelope, layout.load_credential(layout.system(signer)))


@respx.mock
def test_accepted_message_is_forwarded_with_session_id_and_resigned(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    route = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    answer = sync.handle(_signed(_request(), layout.load_credential(layout.system("employment"))))
    assert answer.status == 200
    forwarded = parse_xml(route.calls.last.request.content)
    verified = verify_envelope(forwarded, layout.trust_store(), dt.datetime.now(dt.UTC))
    assert verified.signer.bin == "041140010011"  # the gateway re-signed it
    assert (forwarded.findtext(".//requestInfo/sessionId") or "").startswith("{")
    reply = verify_envelope(parse_xml(answer.body), layout.trust_store(), dt.datetime.now(dt.UTC))
    info, _ = parse_response(reply.signed_body)
    assert info.session_id == forwarded.findtext(".//requestInfo/sessionId")
    assert [e["event"] for e in journal.entries(correlation_id="case-1")] == ["delivered", "received"]  # newest first


@pytest.mark.parametrize(
    ("sender", "service", "signer", "code"),
    [
        ("NOBODY", GBDFL, "employment", "SCE002"),
        ("ENBEK_LABOUR_MARKET", GBDFL, "portal", "SCE002"),  # signed with another system's certificate
        ("GFSS", GBDFL, "social_fund", "SCE003"),  # registered, but not allowed to call the registry
        ("ENBEK_LABOUR_MARKET", "NO_SUCH_SERVICE", "employment", "SCE004"),
    ],
)
@respx.mock
def test_senders_and_services_are_checked(channel, layout, sender, service, signer, code) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    route = respx.post(PROVIDER)
    answer = sync.handle(_signed(_request(sender, service), layout.load_credential(layout.system(signer))))
    assert (answer.status, _fault_code(answer.body, layout)) == (500, code)
    assert not route.called
    assert journal.entries()[0]["event"] == "rejected" and journal.entries()[0]["code"] == code


@respx.mock
def test_oversized_message_is_sce001(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, _ = channel
    assert _fault_code(sync.handle(b"<a>" + b"x" * 70_000 + b"</a>").body, layout) == "SCE001"


@respx.mock
def test_expired_and_revoked_certificates_are_sce005(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, _ = channel
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    expired = issuing.issue_system("employment", "000340010007", "employment", long_ago, days=30)
    assert _fault_code(sync.handle(_signed(_request(), expired)).body, layout) == "SCE005"
    fresh = issuing.issue_system("employment", "000340010007", "employment", dt.datetime.now(dt.UTC))
    revoke(layout, fresh.certificate)
    assert _fault_code(sync.handle(_signed(_request(), fresh)).body, layout) == "SCE005"


@respx.mock
def test_provider_down_is_sce010_and_journalled(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    respx.post(PROVIDER).mock(side_effect=httpx.ConnectError("refused"))
    answer = sync.handle(_signed(_request(), layout.load_credential(layout.system("employment"))))
    assert _fault_code(answer.body, layout) == "SCE010"
    assert [e["event"] for e in journal.entries(correlation_id="case-1")] == ["rejected", "received"]


@respx.mock
def test_provider_answer_signed_by_someone_else_is_not_relayed(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, _ = channel
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout, signer="portal")))
    answer = sync.handle(_signed(_request(), layout.load_credential(layout.system("employment"))))
    assert _fault_code(answer.body, layout) == "SCE909"


def test_journal_chain_detects_tampering(channel, layout, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    sync.handle(b"<not-soap/>")
    sync.handle(b"<still-not-soap/>")
    assert journal.verify_chain()[0] is True
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:
        db.execute("UPDATE journal SET record = replace(record, 'SCE001', 'SCE000') WHERE seq = 1")
    intact, _, problem = journal.verify_chain()
    assert intact is False and "entry 1" in problem


@respx.mock
def test_a_replayed_message_is_refused_and_not_forwarded(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, journal = channel
    route = respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=_provider_answer(layout)))
    message = _signed(_request(), layout.load_credential(layout.system("employment")))
    assert sync.handle(message).status == 200
    replay = sync.handle(message)
    assert _fault_code(replay.body, layout) == "SCE008"
    assert route.call_count == 1
    assert [e["event"] for e in journal.entries(correlation_id="case-1")] == ["rejected", "delivered", "received"]


@respx.mock
def test_a_stale_message_is_refused(channel, layout) -> None:  # type: ignore[no-untyped-def]
    sync, _ = channel
    route = respx.post(PROVIDER)
    old = RequestInfo("m-old", GBDFL, "ENBEK_LABOUR_MARKET", dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    answer = sync.handle(_signed(build_request(old, _payload()), layout.load_credential(layout.system("employment"))))
    assert _fault_code(answer.body, layout) == "SCE008"
    assert not route.called
