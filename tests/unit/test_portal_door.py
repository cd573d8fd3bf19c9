"""The portal's door: bodies capped before they are read whole, a form too large for the gateway refused
before it is sent, strict validation (JSON true is consent, "yes" is not), times with their offset,
and the shared outbox admin routes (the app in process, without its background worker, no sockets; the
person registry of JS-11 is a fake)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from ecosystem.settings import Settings
from mocks.population import PERSONA_JOB_SEEKER
from mocks.portal.app import create_app
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.body_limit import BodyLimit
from tests.portal_fakes import AppClient as Client
from tests.portal_fakes import FakeAddressRegistry

BODY_LIMIT = 64 * 1024
GATEWAY_LIMIT = 24_000
FORM: dict[str, Any] = {"surname": "Иванова", "name": "Мария", "birthDate": "1992-03-14", "consentToPersonalData": True}
SUBMIT = "/api/services/job-seeker-registration/address-check"


def send(client: Client, form: dict[str, Any]) -> httpx.Response:
    """Prepare the application (JS-11: the registered address is shown), then confirm it."""
    prepared = client.post(SUBMIT, json=form)
    assert prepared.status_code == 201, prepared.text
    return client.post(prepared.json()["confirmUrl"])


@pytest.fixture(scope="module")
def client(pki_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    folder: Path = tmp_path_factory.mktemp("portal-db")
    settings = pki_settings.model_copy(
        update={
            "database_url": f"sqlite:///{folder}/{{system}}.sqlite",
            "max_request_body_bytes": BODY_LIMIT,
            "max_message_bytes": GATEWAY_LIMIT,
        }
    )
    registry = FakeAddressRegistry({PERSONA_JOB_SEEKER: "г. Астана, район Есиль, ул. Сыганак, д. 10, кв. 5"})
    running = Client(create_app(settings, person_registry=lambda: registry))
    token = running.post("/api/auth/login", json={"iin": PERSONA_JOB_SEEKER, "password": DEMO_PASSWORD})
    running.headers["Authorization"] = f"Bearer {token.json()['token']}"
    yield running


def test_a_body_declared_over_the_limit_is_refused_with_413(client: Client) -> None:
    client.headers["Content-Type"] = "application/json"
    try:
        answer = client.post(SUBMIT, content=b"{" + b" " * (BODY_LIMIT + 10) + b"}")
    finally:
        del client.headers["Content-Type"]

    assert answer.status_code == 413
    assert str(BODY_LIMIT) in answer.json()["detail"]


def test_a_chunked_body_is_read_only_up_to_the_limit() -> None:
    """Without Content-Length the cap holds: the middleware stops pulling chunks once it is passed."""
    chunk = b"x" * 65_536
    pulled = 0
    called = False
    sent: list[Message] = []

    async def endless_body() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}  # a 50 MB (or endless) upload

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal called
        called = True

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": SUBMIT, "headers": []}
    asyncio.run(BodyLimit(app, max_bytes=BODY_LIMIT)(scope, endless_body, send))

    assert sent[0]["status"] == 413 and not called
    assert pulled * len(chunk) <= BODY_LIMIT + len(chunk)  # at most the limit and one chunk held


def test_a_body_within_the_limit_reaches_the_route(client: Client) -> None:
    answer = send(client, FORM)

    assert answer.status_code == 202, answer.text
    assert answer.json()["submittedAt"].endswith("+05:00")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"consentToPersonalData": "yes"}, "consentToPersonalData"),
        ({"consentToPersonalData": 1}, "consentToPersonalData"),
        ({"wantedWork": {"agreesToRelocate": "true"}}, "agreesToRelocate"),
        ({"extraFacts": {"childrenUnder18": "2"}}, "childrenUnder18"),
        ({"isAdmin": True}, "isAdmin"),
        ({"surname": "И" * 201}, "surname"),
        ({"workHistory": [{"profession": "x"}] * 31}, "workHistory"),
    ],
)
def test_the_form_is_validated_strictly(client: Client, change: dict[str, Any], where: str) -> None:
    answer = client.post(SUBMIT, json=FORM | change)

    assert answer.status_code == 422
    assert where in answer.text


def test_consent_false_is_refused_with_its_reason(client: Client) -> None:
    answer = client.post(SUBMIT, json=FORM | {"consentToPersonalData": False})

    assert answer.status_code == 422
    assert "standard Annex 1" in answer.json()["detail"]


def test_a_form_too_large_for_the_gateway_is_refused_at_the_door(client: Client) -> None:
    history = [{"profession": "accountant", "duties": "<ledger> & reports, " * 90} for _ in range(8)]
    form = FORM | {"workHistory": history}
    assert len(str(form).encode()) < BODY_LIMIT  # the body itself is within the portal's limit

    prepared = client.post(SUBMIT, json=form).json()
    answer = client.post(prepared["confirmUrl"])  # signed at confirmation: measured then

    assert answer.status_code == 413
    assert f"{GATEWAY_LIMIT} bytes the gateway accepts" in answer.json()["detail"]
    entry = client.get(f"/api/cabinet/applications/{prepared['applicationId']}").json()
    assert entry["status"] == "Awaiting your confirmation"  # nothing was sent; the applicant may cancel
    admin = client.get(f"/admin/applications/{prepared['applicationId']}").json()
    assert admin["delivery"] is None


def test_cabinet_admin_and_outbox_show_times_with_their_offset(client: Client) -> None:
    application_id = send(client, FORM).json()["applicationId"]

    entry = client.get(f"/api/cabinet/applications/{application_id}").json()
    assert entry["status"] == "In progress" and entry["submittedAt"].endswith("+05:00")
    admin = client.get(f"/admin/applications/{application_id}").json()
    assert admin["submittedAt"].endswith("+05:00")
    assert admin["delivery"]["key"] == application_id
    assert admin["delivery"]["createdAt"].endswith("+05:00")
    listing = client.get("/admin/outbox").json()
    assert application_id in [m["key"] for m in listing["messages"]]
    assert client.get("/admin/outbox/dead-letters").status_code == 200
