"""The journal keeps both halves of every exchange on both channels: the request and the answer, their
bodies and sizes, the four instants (requestIn, requestOut, responseIn, responseOut), and never the
sender's gateway password or a credential header."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import PkiLayout
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
from gateway.journal_bodies import readable_body
from gateway.registry import ServiceRegistry
from tests.rest_requests import signed_headers

PROVIDER = "http://provider.test/endpoint"
PASSWORD = "egov-sim-local"
TIMES = ["requestIn", "requestOut", "responseIn", "responseOut"]


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def context(layout: PkiLayout, tmp_path: Path) -> Iterator[ChannelContext]:
    ticks = itertools.count()
    start = dt.datetime.now(dt.UTC)
    link = ProviderLink(timeout=2.0)
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    yield ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=journal,
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=lambda: start + dt.timedelta(milliseconds=next(ticks)),  # every reading a little later
        provider_url=lambda service: PROVIDER,
        link=link,
        max_bytes=64_000,
    )
    link.close()
    journal.dispose()


def _payload() -> Payload:
    return Payload(
        element=etree.fromstring(
            '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
            "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
            "<iin>920314403019</iin></m:request>"
        )
    )


def _assert_instants_in_order(times: dict[str, str]) -> None:
    assert list(times) == TIMES, times
    instants = [dt.datetime.fromisoformat(times[name]) for name in TIMES]
    assert instants == sorted(instants) and len(set(instants)) == 4


@respx.mock
def test_the_sync_channel_journals_the_answer_with_the_four_instants_and_no_password(
    context: ChannelContext, layout: PkiLayout
) -> None:
    answer_envelope = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), "case-1"), _payload())
    provider_answer = to_bytes(sign_envelope(answer_envelope, layout.load_credential(layout.system("person_registry"))))
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, content=provider_answer))
    info = RequestInfo(
        "m-1",
        "GBDFL_UniversalServiceSync",
        "ENBEK_LABOUR_MARKET",
        dt.datetime.now(dt.UTC),
        correlation_id="case-1",
        password=PASSWORD,
    )
    request = to_bytes(
        sign_envelope(build_request(info, _payload()), layout.load_credential(layout.system("employment")))
    )
    assert PASSWORD.encode() in request

    answer = SyncChannel(context).handle(request)

    assert answer.status == 200
    delivered, received = context.journal.entries(correlation_id="case-1")
    assert received["event"] == "received" and received["body_size"] == len(request)
    assert list(received["times"]) == ["requestIn"]
    assert delivered["event"] == "delivered" and readable_body(delivered) == answer.body
    assert delivered["body_size"] == len(answer.body)
    _assert_instants_in_order(delivered["times"])
    for entry in (received, delivered):
        assert PASSWORD not in json.dumps(entry)
    assert "<password>***</password>" in received["body"]


@respx.mock
def test_the_rest_channel_journals_the_answer_with_the_four_instants_and_masks_credentials(
    context: ChannelContext, layout: PkiLayout
) -> None:
    respx.post(PROVIDER).mock(return_value=httpx.Response(200, json={"accepted": True}))
    body = json.dumps({"applicationId": "APP-1"}).encode()
    headers = signed_headers(
        body,
        layout.load_credential(layout.system("employment")),
        path="/bip-rest/MONITORING_StageReport",
        sender_id="ENBEK_LABOUR_MARKET",
        message_id="m-rest-1",
        correlation_id="case-rest",
        at=context.now(),
    ) | {"authorization": "Bearer very-secret"}
    answer = RestChannel(context).handle("MONITORING_StageReport", body, headers)

    assert answer.status == 200
    delivered, received = context.journal.entries(correlation_id="case-rest")
    assert received["body"] == body.decode() and received["headers"]["authorization"] == "***"
    assert received["headers"]["x-message-id"] == "m-rest-1"
    assert delivered["event"] == "delivered" and json.loads(delivered["body"]) == {"accepted": True}
    assert delivered["body_size"] == len(answer.body)
    _assert_instants_in_order(delivered["times"])
    assert "very-secret" not in json.dumps([received, delivered])
