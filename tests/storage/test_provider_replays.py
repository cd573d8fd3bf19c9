"""Providers no longer trust anything the gateway signed at any age: a captured request is refused when it
is stale or repeated (SCE008, a signed fault or refusal), by the one replay guard every provider shares,
kept in the provider's own database (SQLite and PostgreSQL). And only the system that registered an
application may report its later stages to the monitoring IS."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from adapters.person_registry import build_request as build_registry_request
from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, parse_fault, parse_response
from adapters.signatures import sign_envelope, verify_envelope
from adapters.signatures.jws import verify_detached
from adapters.xml import parse_xml, to_bytes
from ecosystem.catalogue import system
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.monitoring.app import create_app as create_monitoring
from mocks.person_registry.app import create_app as create_person_registry
from mocks.personas import PERSONA_JOB_SEEKER
from tests.rest_requests import signed_headers

YEAR = dt.timedelta(days=365)
STAGES = "/api/stage-reports"


def _call(app: FastAPI, path: str, **options: Any) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://provider.test") as client:
            return await client.post(path, **options)

    return asyncio.run(call())


@pytest.fixture
def settings(pki_settings: Settings, database_url: str) -> Settings:
    return pki_settings.model_copy(update={"database_url": database_url})  # the providers' stores: this test's


@pytest.fixture
def layout(settings: Settings) -> PkiLayout:
    return PkiLayout(settings.data_dir)


def _ecosystem_now(settings: Settings) -> dt.datetime:
    return system_context(settings, "gateway").now()


# --- the person registry (SyncChannel provider) ---


def _registry_request(layout: PkiLayout, message_id: str, message_date: dt.datetime) -> bytes:
    """A lookup of a person by IIN, as the gateway forwards it: signed by the gateway."""
    payload = build_registry_request(PERSONA_JOB_SEEKER, "ENBEK_LABOUR_MARKET", message_date)
    info = RequestInfo(
        message_id, "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", message_date, session_id="{s-1}"
    )
    envelope = build_request(info, Payload(element=payload))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("gateway"))))


def _soap(app: FastAPI, request: bytes) -> httpx.Response:
    return _call(app, "/bip-sync/", content=request, headers={"Content-Type": "text/xml; charset=utf-8"})


def _registry_answer(layout: PkiLayout, answer: httpx.Response, settings: Settings) -> tuple[str, str]:
    """(code, message) of a signed answer: the fault's code, or SCSS001 when the person's data came back."""
    verified = verify_envelope(parse_xml(answer.content), layout.trust_store(), _ecosystem_now(settings))
    assert verified.signer.bin == system("person_registry").bin
    fault = parse_fault(verified.signed_body)
    if fault is not None:
        return fault.code, fault.message
    info, payload = parse_response(verified.signed_body)
    assert PERSONA_JOB_SEEKER in (payload.text or "") + (
        "" if payload.element is None else to_bytes(payload.element).decode()
    )
    return info.status_code, ""


def test_a_year_old_captured_request_to_the_person_registry_is_refused(settings: Settings, layout: PkiLayout) -> None:
    app = create_person_registry(settings)
    now = _ecosystem_now(settings)
    fresh = _soap(app, _registry_request(layout, str(uuid.uuid4()), now))
    assert _registry_answer(layout, fresh, settings)[0] == "SCSS001"  # a fresh one returns the person

    captured = _registry_request(layout, str(uuid.uuid4()), now - YEAR)
    code, message = _registry_answer(layout, _soap(app, captured), settings)

    assert code == "SCE008"
    assert "stale or replayed" in message


def test_the_same_message_id_twice_to_the_person_registry_is_refused_even_after_a_restart(
    settings: Settings, layout: PkiLayout
) -> None:
    request = _registry_request(layout, "m-twice", _ecosystem_now(settings))
    first = _soap(create_person_registry(settings), request)
    assert _registry_answer(layout, first, settings)[0] == "SCSS001"

    restarted = create_person_registry(settings)  # a new process on the same database
    code, message = _registry_answer(layout, _soap(restarted, request), settings)

    assert code == "SCE008"
    assert "m-twice of ENBEK_LABOUR_MARKET was received before" in message


# --- the monitoring IS (REST provider) ---


def _report(application_id: str, stage: str, at: str) -> bytes:
    document = {
        "applicationId": application_id,
        "serviceType": "JOB_SEEKER_REGISTRATION",
        "stage": stage,
        "stageAt": at,
        "deadline": "2026-11-24T18:00:00+05:00",
    }
    return json.dumps(document).encode()


def _delivery(
    layout: PkiLayout, body: bytes, at: dt.datetime, *, sender: str = "ENBEK_LABOUR_MARKET", message_id: str = ""
) -> dict[str, str]:
    """The gateway's forwarding of a stage report sent by ``sender``."""
    return signed_headers(
        body,
        layout.load_credential(layout.system("gateway")),
        path=STAGES,
        sender_id=sender,
        message_id=message_id or str(uuid.uuid4()),
        session_id="{" + str(uuid.uuid4()) + "}",
        at=at,
    )


def _signed_refusal(layout: PkiLayout, answer: httpx.Response, settings: Settings) -> tuple[int, str, str]:
    signature = verify_detached(
        answer.headers.get("X-Signature"), answer.content, layout.trust_store(), _ecosystem_now(settings)
    )
    assert signature.signer.bin == system("monitoring").bin
    return answer.status_code, answer.json()["errorCode"], answer.json()["errorMessage"]


def test_a_stage_report_replayed_or_stale_is_a_signed_sce008(settings: Settings, layout: PkiLayout) -> None:
    app = create_monitoring(settings)
    now = _ecosystem_now(settings)
    body = _report("A-REPLAY", "ACCEPTED", "2026-11-23T10:00:00+05:00")
    captured = _delivery(layout, body, now)
    assert _call(app, STAGES, content=body, headers=captured).status_code == 201

    replayed = _signed_refusal(layout, _call(app, STAGES, content=body, headers=captured), settings)
    assert replayed[:2] == (409, "SCE008") and "received before" in replayed[2]

    year_old = _delivery(layout, _report("A-OLD", "ACCEPTED", "2025-11-23T10:00:00+05:00"), now - YEAR)
    old_body = _report("A-OLD", "ACCEPTED", "2025-11-23T10:00:00+05:00")
    stale = _signed_refusal(layout, _call(app, STAGES, content=old_body, headers=year_old), settings)
    assert stale[:2] == (409, "SCE008") and "stale or replayed" in stale[2]
    assert _call_get(app, "/api/applications/A-OLD").status_code == 404  # nothing stored


def _call_get(app: FastAPI, path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://provider.test") as c:
            return await c.get(path)

    return asyncio.run(call())


def test_only_the_system_that_registered_an_application_may_change_its_state(
    settings: Settings, layout: PkiLayout
) -> None:
    app = create_monitoring(settings)
    now = _ecosystem_now(settings)
    accepted = _report("A-OWNED", "ACCEPTED", "2026-11-23T10:00:00+05:00")
    assert _call(app, STAGES, content=accepted, headers=_delivery(layout, accepted, now)).status_code == 201

    refused = _report("A-OWNED", "REFUSED", "2026-11-23T11:00:00+05:00")
    foreign = _delivery(layout, refused, now, sender="GK_IIS")
    status, code, message = _signed_refusal(layout, _call(app, STAGES, content=refused, headers=foreign), settings)

    assert (status, code) == (403, "SCE003")
    assert "registered by ENBEK_LABOUR_MARKET" in message and "not GK_IIS" in message
    record = _call_get(app, "/api/applications/A-OWNED").json()
    assert record["currentState"] == "ACCEPTED" and len(record["stages"]) == 1  # no state change
    # a repeat of the owner's own report from another system is refused as well, not taken as a duplicate
    again = _delivery(layout, accepted, now, sender="GK_IIS")
    assert _call(app, STAGES, content=accepted, headers=again).status_code == 403

    decided = _report("A-OWNED", "DECISION_MADE", "2026-11-23T12:00:00+05:00")
    own = _call(app, STAGES, content=decided, headers=_delivery(layout, decided, now))
    assert own.status_code == 201
    assert _call_get(app, "/api/applications/A-OWNED").json()["currentState"] == "DECISION_MADE"


def test_an_id_changed_under_the_gateways_signature_is_sce006(settings: Settings, layout: PkiLayout) -> None:
    app = create_monitoring(settings)
    body = _report("A-SIGNED", "ACCEPTED", "2026-11-23T10:00:00+05:00")
    headers = _delivery(layout, body, _ecosystem_now(settings)) | {"x-sender-id": "GK_IIS"}
    status, code, message = _signed_refusal(layout, _call(app, STAGES, content=body, headers=headers), settings)
    assert (status, code) == (401, "SCE006")
    assert "x-sender-id" in message
