"""Every provider answers an unexpected error in plain words: the SOAP providers (person registry, social fund)
with a fault signed by themselves, the REST systems (monitoring, State Corporation) with a JSON SCE909; never a
bare HTTP 500, a traceback or an internal address. The State Corporation's operator is not shown the registry
client's error text when the registry cannot be asked."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from lxml import etree

from adapters.person_registry import PersonRegistryUnavailable
from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, parse_fault
from adapters.shep.sync_client import GatewayUnreachable
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from mocks.population import PERSONA_JOB_SEEKER

INTERNAL = "http://10.20.30.40:8080/bip-sync/"
LEAKS = ("10.20.30.40", "Traceback", "RuntimeError", "sqlite", 'File "')


def _broken(*_args: object, **_kwargs: object) -> Any:
    raise RuntimeError(f"database at sqlite:////var/lib/egov/{uuid.uuid4()}.db is locked; peer {INTERNAL}")


def _call(app: FastAPI, method: str, path: str, **options: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        # raise_app_exceptions=False: Starlette re-raises to the server after answering; the client sees the answer
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://system.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(go())


def _operator_headers(app: FastAPI) -> dict[str, str]:
    """Log the State Corporation's operator in (regulation 004 §7 process 1)."""
    login = {"iin": official("state-corp-operator").iin, "password": "gk-operator-2026"}
    token = _call(app, "POST", "/api/operator/login", json=login).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _assert_plain(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked into the answer: {text}"


def _gateway_signed(layout: PkiLayout, service_id: str, payload: str) -> bytes:
    info = RequestInfo(str(uuid.uuid4()), service_id, "ENBEK_LABOUR_MARKET", dt.datetime.now(dt.UTC), "case-1")
    envelope = build_request(info, Payload(element=etree.fromstring(payload)))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("gateway"))))


GBDFL_REQUEST = (
    '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
    "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
    f"<iin>{PERSONA_JOB_SEEKER}</iin></m:request>"
)


def _person_registry(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    from mocks.person_registry.app import create_app
    from mocks.person_registry.service import PersonRegistryService

    monkeypatch.setattr(PersonRegistryService, "handle", _broken)
    return create_app(settings)


def _social_fund(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    from mocks.social_fund.adapters.contributions_query import SocialFundService
    from mocks.social_fund.app import create_app

    monkeypatch.setattr(SocialFundService, "handle", _broken)
    return create_app(settings)


@pytest.mark.parametrize(
    ("name", "build", "service_id"),
    [
        ("person_registry", _person_registry, "GBDFL_UniversalServiceSync"),
        ("social_fund", _social_fund, "GFSS_ContributionsQuery"),
    ],
)
def test_a_soap_provider_answers_an_unexpected_error_with_its_own_signed_sce909(
    pki_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    build: Callable[[Settings, pytest.MonkeyPatch], FastAPI],
    service_id: str,
) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    answer = _call(
        build(pki_settings, monkeypatch),
        "POST",
        "/bip-sync/",
        content=_gateway_signed(layout, service_id, GBDFL_REQUEST),
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    assert answer.status_code == 500
    verified = verify_envelope(parse_xml(answer.content), layout.trust_store(), dt.datetime.now(dt.UTC))
    assert verified.signer.bin == system(name).bin
    fault = parse_fault(verified.signed_body)
    assert fault is not None and fault.code == "SCE909" and "incident" in fault.message
    _assert_plain(answer.text)


def test_monitoring_answers_an_unexpected_error_with_a_json_sce909(
    pki_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mocks.monitoring.app import create_app
    from mocks.monitoring.service import StageReportService

    monkeypatch.setattr(StageReportService, "find", _broken)
    answer = _call(create_app(pki_settings), "GET", "/api/applications")
    assert answer.status_code == 500
    body = answer.json()
    assert body["errorCode"] == "SCE909" and body["incident"] in body["errorMessage"]
    _assert_plain(answer.text)


def test_state_corp_answers_an_unexpected_error_with_a_json_sce909(
    pki_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mocks.state_corp.app import create_app
    from mocks.state_corp.service import PersonLookupService

    monkeypatch.setattr(PersonLookupService, "lookup", _broken)
    request = {"operatorIin": official("state-corp-operator").iin, "applicantIin": PERSONA_JOB_SEEKER}
    app = create_app(pki_settings)
    answer = _call(app, "POST", "/api/operator/person-lookup", json=request, headers=_operator_headers(app))
    assert answer.status_code == 500
    assert answer.json()["errorCode"] == "SCE909"
    _assert_plain(answer.text)


@pytest.mark.parametrize(
    "failure",
    [
        PersonRegistryUnavailable(f"GBDFL_UniversalServiceSync: gateway at {INTERNAL} did not answer"),
        PersonRegistryUnavailable(f"GBDFL_UniversalServiceSync fault SCE010: provider at {INTERNAL}", code="SCE010"),
        GatewayUnreachable(f"gateway at {INTERNAL} did not answer: connection refused"),
    ],
)
def test_state_corp_tells_its_operator_the_registry_is_unreachable_in_plain_words(
    pki_settings: Settings, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    import mocks.state_corp.app as state_corp

    class Unreachable:
        def __init__(self, *_args: object) -> None:
            pass

        def find_by_iin(self, iin: str, correlation_id: str) -> None:
            raise failure

    monkeypatch.setattr(state_corp, "PersonRegistryClient", Unreachable)
    request = {"operatorIin": official("state-corp-operator").iin, "applicantIin": PERSONA_JOB_SEEKER}
    app = state_corp.create_app(pki_settings)
    answer = _call(app, "POST", "/api/operator/person-lookup", json=request, headers=_operator_headers(app))
    assert answer.status_code == 502
    body = answer.json()
    assert "person registry could not be asked" in body["detail"]
    assert body["correlationId"] in body["detail"]  # the case the operator can quote
    _assert_plain(answer.text)
    if getattr(failure, "code", None):
        assert "SCE010" in body["detail"]
