"""The REST channel's signature binds the message id, the correlation id, the sender, the path and the time to
the body (docs/protocol.md §2): a captured request replayed, an id changed under the old signature, a stale
or future signing time and an id header that is not ASCII are each refused with their code, journalled, and
never reach the provider; what the gateway forwards is signed by it the same way."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from adapters.pki import PkiLayout
from adapters.shep.rest_headers import GATEWAY_SIGNED
from adapters.signatures.jws import sign_detached, verify_detached, verify_request
from ecosystem.catalogue import system
from ecosystem.context import system_context
from ecosystem.settings import Settings
from gateway.app import create_app
from gateway.channels.context import ChannelContext
from gateway.channels.rest import RestChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from tests.rest_requests import signed_headers

PROVIDER = "http://monitoring.test:8086/api/stage-reports"
SERVICE = "MONITORING_StageReport"
PATH = f"/bip-rest/{SERVICE}"
SENDER = "ENBEK_LABOUR_MARKET"
BODY = json.dumps({"applicationId": "APP-R1", "stage": "ACCEPTED"}).encode()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # the certificates' real validity


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
        max_clock_skew=dt.timedelta(minutes=5),
    )
    link.close()


def _request(layout: PkiLayout, message_id: str, *, at: dt.datetime | None = None, **ids: str) -> dict[str, str]:
    return signed_headers(
        BODY,
        layout.load_credential(layout.system("employment")),
        path=PATH,
        sender_id=SENDER,
        message_id=message_id,
        correlation_id=ids.get("correlation_id", "APP-R1"),
        at=at or _now(),
    )


def _refusal(context: ChannelContext, layout: PkiLayout, headers: dict[str, str]) -> tuple[int, str, str]:
    answer = RestChannel(context).handle(SERVICE, BODY, headers)
    signature = verify_detached(answer.headers.get("X-Signature"), answer.body, layout.trust_store(), _now())
    assert signature.signer.bin == system("gateway").bin
    refusal = json.loads(answer.body)
    return answer.status, refusal["errorCode"], refusal["errorMessage"]


def _last_entry(context: ChannelContext) -> dict[str, object]:
    return context.journal.entries(limit=1)[0]


@respx.mock
def test_a_captured_request_replayed_is_sce008_and_reaches_the_provider_once(
    context: ChannelContext, layout: PkiLayout
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={"accepted": True}))
    captured = _request(layout, "m-replay")
    assert RestChannel(context).handle(SERVICE, BODY, dict(captured)).status == 201

    status, code, message = _refusal(context, layout, dict(captured))

    assert (status, code) == (409, "SCE008")
    assert "m-replay" in message and "accepted before" in message
    assert provider.call_count == 1
    assert _last_entry(context)["code"] == "SCE008"


@respx.mock
@pytest.mark.parametrize(
    ("header", "value"),
    [("x-message-id", "m-other"), ("x-correlation-id", "APP-OTHER"), ("x-sender-id", "GK_IIS")],
)
def test_an_id_header_changed_under_the_old_signature_is_sce006(
    context: ChannelContext, layout: PkiLayout, header: str, value: str
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={}))
    headers = _request(layout, "m-original") | {header: value}

    status, code, message = _refusal(context, layout, headers)

    assert (status, code) == (401, "SCE006")
    assert header in message and value in message
    assert not provider.called
    assert _last_entry(context)["event"] == "rejected"


@respx.mock
def test_a_correlation_id_added_to_a_request_signed_without_one_is_sce006(
    context: ChannelContext, layout: PkiLayout
) -> None:
    headers = _request(layout, "m-no-case", correlation_id="") | {"x-correlation-id": "APP-INJECTED"}
    assert _refusal(context, layout, headers)[:2] == (401, "SCE006")


@respx.mock
def test_a_signature_made_for_another_service_path_is_sce006(context: ChannelContext, layout: PkiLayout) -> None:
    headers = _request(layout, "m-path")
    answer = RestChannel(context).handle(SERVICE, BODY, headers, path="/bip-rest/OTHER_Service")
    assert json.loads(answer.body)["errorCode"] == "SCE006"


@respx.mock
@pytest.mark.parametrize(
    "shift",
    [dt.timedelta(days=-365), dt.timedelta(minutes=-6), dt.timedelta(minutes=6)],
    ids=["a year old", "6 min old", "6 min ahead"],
)
def test_a_signing_time_outside_the_clock_skew_is_sce008(
    context: ChannelContext, layout: PkiLayout, shift: dt.timedelta
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={}))
    status, code, message = _refusal(context, layout, _request(layout, "m-dated", at=_now() + shift))
    assert (status, code) == (409, "SCE008")
    assert "stale or replayed" in message
    assert not provider.called


@respx.mock
def test_a_signature_over_the_body_alone_is_sce006(context: ChannelContext, layout: PkiLayout) -> None:
    """The former signature (body only) lets anyone replay it with other ids: it is no longer accepted."""
    headers = {
        "x-sender-id": SENDER,
        "x-message-id": "m-body-only",
        "x-signature": sign_detached(BODY, layout.load_credential(layout.system("employment"))),
    }
    status, code, message = _refusal(context, layout, headers)
    assert (status, code) == (401, "SCE006")
    assert "iat" in message and "hdr" in message


@respx.mock
@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("x-correlation-id", "кейс-1", "X-Correlation-Id must be visible ASCII"),
        ("x-message-id", "m\u00e9", "X-Message-Id must be visible ASCII"),
        ("x-sender-id", "ENBEK LABOUR", "X-Sender-Id must be visible ASCII"),
        ("x-message-id", "m" * 129, "X-Message-Id is 129 characters long"),
        ("x-message-id", "", "X-Message-Id is required"),
        ("x-signature", "ĳ..sig", "X-Signature must be visible ASCII"),
    ],
)
def test_an_id_header_that_is_not_an_ascii_id_is_sce001_journalled_and_consumes_nothing(
    context: ChannelContext, layout: PkiLayout, header: str, value: str, expected: str
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={}))
    headers = _request(layout, "m-ascii") | {header: value}

    status, code, message = _refusal(context, layout, headers)

    assert (status, code) == (400, "SCE001")
    assert expected in message
    entry = _last_entry(context)
    assert (entry["event"], entry["code"]) == ("rejected", "SCE001")
    assert not provider.called
    # nothing was consumed: the same message, sent properly, still goes through once
    assert RestChannel(context).handle(SERVICE, BODY, _request(layout, "m-ascii")).status == 201


@respx.mock
def test_the_gateway_signs_what_it_forwards_over_the_ids_the_session_and_the_time(
    context: ChannelContext, layout: PkiLayout
) -> None:
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={}))
    RestChannel(context).handle(SERVICE, BODY, _request(layout, "m-forward"))

    forwarded = provider.calls.last.request
    headers = {name.lower(): value for name, value in forwarded.headers.items()}
    assert headers["x-message-id"] == "m-forward" and headers["x-session-id"].startswith("{")
    signature = verify_request(
        headers["x-signature"],
        forwarded.content,
        method="POST",
        path="/api/stage-reports",
        headers=headers,
        required=GATEWAY_SIGNED,
        trust=layout.trust_store(),
        at=_now(),
    )
    assert signature.signer.bin == system("gateway").bin
    assert abs(signature.signed_at - _now()) < dt.timedelta(seconds=5)


def test_a_non_ascii_header_over_http_is_a_signed_400_not_a_500(pki_settings: Settings, tmp_path: Path) -> None:
    """HTTP carries header bytes: UTF-8 bytes in X-Correlation-Id reach the gateway as Latin-1 text."""
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'gateway.sqlite'}"})
    app = create_app(settings)
    layout = PkiLayout(settings.data_dir)
    now = system_context(settings, "gateway").now()
    headers = [(name.encode(), value.encode()) for name, value in _request(layout, "m-http", at=now).items()]
    headers = [(n, v) for n, v in headers if n != b"x-correlation-id"] + [(b"x-correlation-id", "кейс".encode())]

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            return await client.post(PATH, content=BODY, headers=headers)

    answer = asyncio.run(call())
    assert answer.status_code == 400, answer.text
    assert answer.json()["errorCode"] == "SCE001"
    assert "X-Correlation-Id must be visible ASCII" in answer.json()["errorMessage"]
    assert "кейс" in answer.json()["errorMessage"]  # shown as the sender wrote it


@respx.mock
def test_a_request_built_by_hand_as_docs_protocol_describes_is_accepted(
    context: ChannelContext, layout: PkiLayout
) -> None:
    """Independent of the project's signer: the recipe of docs/protocol.md §2, header JSON with spaces."""
    provider = respx.post(PROVIDER).mock(return_value=httpx.Response(201, json={"accepted": True}))
    credential = layout.load_credential(layout.system("employment"))

    def b64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = {
        "alg": "RS256",
        "x5c": [base64.b64encode(credential.certificate.public_bytes(serialization.Encoding.DER)).decode()],
        "iat": int(time.time()),
        "htm": "POST",
        "path": PATH,
        "hdr": {"x-sender-id": SENDER, "x-message-id": "m-by-hand", "x-correlation-id": "APP-R1"},
    }
    protected = b64url(json.dumps(header).encode())
    key = credential.key
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(f"{protected}.{b64url(BODY)}".encode(), padding.PKCS1v15(), hashes.SHA256())
    headers = {
        "x-sender-id": SENDER,
        "x-message-id": "m-by-hand",
        "x-correlation-id": "APP-R1",
        "x-signature": f"{protected}..{b64url(signature)}",
    }

    answer = RestChannel(context).handle(SERVICE, BODY, headers)

    assert answer.status == 201, answer.body
    assert provider.call_count == 1
