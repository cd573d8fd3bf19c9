"""Debian's ``xmlsec1 --verify`` (libxmlsec1, an implementation independent of signxml) accepts the gateway's
signed answers and faults, and refuses one changed after signing (docs/signing.md)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import httpx
import respx

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, build_response
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope
from adapters.xml import to_bytes
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry

PROVIDER = "http://registry.test/bip-sync/"
BODY_ID = "--id-attr:Id"
BODY = "http://schemas.xmlsoap.org/soap/envelope/:Body"


def _channel(layout: PkiLayout, tmp_path: Path) -> SyncChannel:
    return SyncChannel(
        ChannelContext(
            registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
            journal=Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}"),
            credential=layout.load_credential(layout.system("gateway")),
            trust=layout.trust_store(),
            now=lambda: dt.datetime.now(dt.UTC),
            provider_url=lambda service: PROVIDER,
            link=ProviderLink(timeout=2.0),
            max_bytes=64_000,
        )
    )


def _request(layout: PkiLayout, message_id: str) -> bytes:
    info = RequestInfo(message_id, "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", dt.datetime.now(dt.UTC))
    payload = Payload(
        text='<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode><iin>920314403019</iin>"
        "</m:request>"
    )
    return to_bytes(sign_envelope(build_request(info, payload), layout.load_credential(layout.system("employment"))))


def _xmlsec1_verify(xmlsec1: str, layout: PkiLayout, answer: bytes, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "answer.xml"
    path.write_bytes(answer)
    certificate = layout.system("gateway").with_suffix(".pem")
    command = [xmlsec1, "--verify", BODY_ID, BODY, "--pubkey-cert-pem", str(certificate), str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@respx.mock
def test_xmlsec1_accepts_the_gateways_answer_and_fault(xmlsec1: str, pki_settings: Settings, tmp_path: Path) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    provider_answer = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), None), Payload(text="<answer/>"))
    signed = to_bytes(sign_envelope(provider_answer, layout.load_credential(layout.system("person_registry"))))
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=signed))
    channel = _channel(layout, tmp_path)
    answer = channel.handle(_request(layout, "x-1"))
    assert answer.status == 200
    verified = _xmlsec1_verify(xmlsec1, layout, answer.body, tmp_path)
    assert verified.returncode == 0 and "OK" in verified.stdout + verified.stderr, verified.stderr
    fault = channel.handle(_request(layout, "x-1"))  # the same messageId again: a signed SCE008 fault
    assert fault.status == 500 and b"SCE008" in fault.body
    assert _xmlsec1_verify(xmlsec1, layout, fault.body, tmp_path).returncode == 0
    tampered = answer.body.replace(b"SCSS001", b"SCSE001")
    refused = _xmlsec1_verify(xmlsec1, layout, tampered, tmp_path)
    assert refused.returncode != 0 and "FAIL" in refused.stdout + refused.stderr
