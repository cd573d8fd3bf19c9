"""The gateway answers an unexpected error with a signed SCE909 in plain words (an incident number, never a
traceback, an exception's text or an internal address), on both channels, even when its journal is broken;
a provider that does not answer is SCE010 naming the participant, not where it lives."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import ErrorInfo, Payload, RequestInfo, build_request, parse_fault
from adapters.signatures import sign_envelope, verify_envelope
from adapters.signatures.jws import verify_detached
from adapters.xml import parse_xml, to_bytes
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.rest import RestChannel
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from tests.rest_requests import signed_headers

PROVIDER = "http://10.20.30.40:8081/bip-sync/"
SECRET = "postgresql://gateway:s3cret@10.20.30.41:5432/journal"
LEAKS = ("10.20.30.4", "s3cret", "postgresql", "Traceback", "RuntimeError", "OperationalError")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def context(layout: PkiLayout, tmp_path: Path) -> Iterator[ChannelContext]:
    link = ProviderLink(timeout=2.0)
    yield ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}"),
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=_now,
        provider_url=lambda service: PROVIDER,
        link=link,
        max_bytes=64_000,
    )
    link.close()


def _broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"could not connect to {SECRET}")


def _sync_message(layout: PkiLayout) -> bytes:
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
        "<iin>920314403019</iin></m:request>"
    )
    info = RequestInfo("m-1", "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", _now(), correlation_id="case-1")
    envelope = sign_envelope(
        build_request(info, Payload(element=payload)), layout.load_credential(layout.system("employment"))
    )
    return to_bytes(envelope)


def _signed_fault(layout: PkiLayout, body: bytes) -> ErrorInfo:
    verified = verify_envelope(parse_xml(body), layout.trust_store(), _now())
    assert verified.signer.bin == system("gateway").bin
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return fault


def _assert_plain(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked into the answer: {text}"


@respx.mock
def test_a_broken_journal_on_the_sync_channel_is_a_signed_sce909_with_an_incident_number(
    context: ChannelContext, layout: PkiLayout, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(context.journal, "accept", _broken)
    monkeypatch.setattr(context.journal, "append", _broken)  # the refusal cannot be journalled either
    route = respx.post(PROVIDER)
    with caplog.at_level(logging.ERROR):
        answer = SyncChannel(context).handle(_sync_message(layout))
    assert answer.status == 500
    fault = _signed_fault(layout, answer.body)
    assert fault.code == "SCE909"
    assert "incident" in fault.message
    _assert_plain(answer.body.decode("utf-8"))
    incident = fault.message.split("incident ")[1].split(")")[0]
    assert any(incident in record.getMessage() and record.exc_info for record in caplog.records)
    assert not route.called


@respx.mock
def test_a_component_failing_unexpectedly_while_forwarding_is_a_signed_sce909(
    context: ChannelContext, layout: PkiLayout
) -> None:
    respx.post(PROVIDER).mock(side_effect=RuntimeError(f"socket pool exhausted for {PROVIDER}"))
    answer = SyncChannel(context).handle(_sync_message(layout))
    fault = _signed_fault(layout, answer.body)
    assert fault.code == "SCE909"
    _assert_plain(answer.body.decode("utf-8"))
    assert context.journal.entries(correlation_id="case-1")[0]["code"] == "SCE909"


@respx.mock
def test_a_provider_that_does_not_answer_is_sce010_naming_the_participant_not_its_address(
    context: ChannelContext, layout: PkiLayout
) -> None:
    respx.post(PROVIDER).mock(side_effect=httpx.ConnectError(f"connection refused by {PROVIDER}"))
    answer = SyncChannel(context).handle(_sync_message(layout))
    fault = _signed_fault(layout, answer.body)
    assert fault.code == "SCE010"
    assert "GBDFL" in fault.message  # the register's participant id of the person registry
    _assert_plain(answer.body.decode("utf-8"))


def _rest_call(context: ChannelContext, layout: PkiLayout) -> tuple[int, bytes, dict[str, str]]:
    body = json.dumps({"applicationId": "APP-1"}).encode()
    headers = signed_headers(
        body,
        layout.load_credential(layout.system("employment")),
        path="/bip-rest/MONITORING_StageReport",
        sender_id="ENBEK_LABOUR_MARKET",
        message_id="m-rest-1",
        at=_now(),
    )
    answer = RestChannel(context).handle("MONITORING_StageReport", body, headers)
    return answer.status, answer.body, answer.headers


@respx.mock
def test_a_broken_journal_on_the_rest_channel_is_a_signed_json_sce909(
    context: ChannelContext, layout: PkiLayout, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context.journal, "accept", _broken)
    monkeypatch.setattr(context.journal, "append", _broken)
    route = respx.post(PROVIDER)
    status, body, headers = _rest_call(context, layout)
    assert status == 500
    refusal = json.loads(body)
    assert refusal["errorCode"] == "SCE909" and "incident" in refusal["errorMessage"]
    _assert_plain(body.decode("utf-8"))
    signature = verify_detached(headers.get("X-Signature"), body, layout.trust_store(), _now())
    assert signature.signer.bin == system("gateway").bin
    assert not route.called


@respx.mock
def test_a_rest_provider_that_does_not_answer_is_sce010_without_its_address(
    context: ChannelContext, layout: PkiLayout
) -> None:
    respx.post(PROVIDER).mock(side_effect=httpx.ReadTimeout(f"timed out reading {PROVIDER}"))
    status, body, _ = _rest_call(context, layout)
    assert status == 502
    assert json.loads(body)["errorCode"] == "SCE010"
    _assert_plain(body.decode("utf-8"))
