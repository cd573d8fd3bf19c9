"""With ``EGOV_SIM_REVOCATION__SOFT_FAIL`` a certificate whose revocation cannot be checked is accepted, and the
gateway journals a ``revocation-soft-fail`` entry for the message it concerns, on the SyncChannel and the REST
channel alike (docs/pki.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import respx
from lxml import etree

from adapters.pki import OnlineRevocationCheck, PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, build_response
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope
from adapters.xml import to_bytes
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.rest import RestChannel
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from tests.rest_requests import signed_headers

PROVIDER = "http://provider.test/"
REST_SERVICE = "MONITORING_StageReport"
REST_BODY = b'{"applicationId": "APP-R1", "stage": "ACCEPTED"}'


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("the NCA is down", request=request)


def _context(layout: PkiLayout, tmp_path: Path, *, soft_fail: bool, channel: str = "sync") -> ChannelContext:
    revocation = OnlineRevocationCheck(httpx.Client(transport=httpx.MockTransport(_unreachable)), soft_fail=soft_fail)
    return ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=Journal.at(f"sqlite:///{tmp_path / f'journal-{channel}-{soft_fail}.sqlite'}"),
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(revocation),
        now=_now,
        provider_url=lambda service: PROVIDER,
        link=ProviderLink(timeout=2.0),
        max_bytes=64_000,
    )


def _channel(layout: PkiLayout, tmp_path: Path, *, soft_fail: bool) -> tuple[SyncChannel, Journal]:
    context = _context(layout, tmp_path, soft_fail=soft_fail)
    return SyncChannel(context), context.journal


def _request(layout: PkiLayout, message_id: str) -> bytes:
    info = RequestInfo(message_id, "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", _now(), correlation_id="c-s")
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
        "<iin>920314403019</iin></m:request>"
    )
    envelope = build_request(info, Payload(element=payload))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("employment"))))


@respx.mock
def test_a_soft_failed_revocation_check_is_journalled_for_its_message(pki_settings: Settings, tmp_path: Path) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    answer = build_response(ResponseInfo("r-1", _now(), "c-s"), Payload(element=etree.fromstring("<ok/>")))
    signed_answer = to_bytes(sign_envelope(answer, layout.load_credential(layout.system("person_registry"))))
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=signed_answer))
    sync, journal = _channel(layout, tmp_path, soft_fail=True)

    assert sync.handle(_request(layout, "m-soft")).status == 200

    warnings = [e for e in journal.entries(correlation_id="c-s") if e["event"] == "revocation-soft-fail"]
    assert warnings and all(e["message_id"] == "m-soft" and e["channel"] == "sync" for e in warnings)
    assert any(
        "not checked (soft-fail)" in str(e["detail"]) and "the NCA is down" in str(e["detail"]) for e in warnings
    )
    strict, strict_journal = _channel(layout, tmp_path, soft_fail=False)
    assert strict.handle(_request(layout, "m-strict")).status == 500
    events = [e["event"] for e in strict_journal.entries()]
    assert "revocation-soft-fail" not in events and events[0] == "rejected"


def _rest_request(layout: PkiLayout, message_id: str) -> dict[str, str]:
    return signed_headers(
        REST_BODY,
        layout.load_credential(layout.system("employment")),
        path=f"/bip-rest/{REST_SERVICE}",
        sender_id="ENBEK_LABOUR_MARKET",
        message_id=message_id,
        correlation_id="c-r",
        at=_now(),
    )


@respx.mock
def test_the_rest_channel_journals_a_soft_failed_revocation_check(pki_settings: Settings, tmp_path: Path) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={"accepted": True}))
    context = _context(layout, tmp_path, soft_fail=True, channel="rest")

    assert RestChannel(context).handle(REST_SERVICE, REST_BODY, _rest_request(layout, "r-soft")).status == 201

    entries = context.journal.entries(correlation_id="c-r")
    warnings = [e for e in entries if e["event"] == "revocation-soft-fail"]
    assert warnings and all(
        e["message_id"] == "r-soft" and e["channel"] == "rest" and e["service_id"] == REST_SERVICE for e in warnings
    )
    assert any("not checked (soft-fail)" in str(e["detail"]) for e in warnings)
    assert {"received", "delivered"} <= {e["event"] for e in entries}
    strict = _context(layout, tmp_path, soft_fail=False, channel="rest")
    assert RestChannel(strict).handle(REST_SERVICE, REST_BODY, _rest_request(layout, "r-strict")).status == 401
    events = [e["event"] for e in strict.journal.entries()]
    assert events == ["rejected"]
    assert provider.call_count == 1
