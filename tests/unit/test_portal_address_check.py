"""JS-11 (portal user guide, screen 8Б): before sending, the portal shows the applicant the registered address
the person registry holds and asks them to agree that the centre is chosen by it; cancelling stops the
application, and both answers are journalled (the portal in process, a fake person registry, no sockets)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from ecosystem.catalogue import system
from ecosystem.settings import Settings
from mocks.population import PERSONA_JOB_SEEKER, PERSONA_MINOR
from mocks.portal.app import create_app
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.storage import PortalStore
from tests.portal_fakes import AppClient, FakeAddressRegistry

ADDRESS = "г. Астана, район Есиль, ул. Сыганак, д. 10, кв. 5"
FORM: dict[str, Any] = {
    "surname": "Сулейменова",
    "name": "Жанар",
    "birthDate": "1992-03-14",
    "consentToPersonalData": True,
}
PATH = "/api/services/job-seeker-registration"


class Portal:
    def __init__(self, client: AppClient, registry: FakeAddressRegistry, database_url: str) -> None:
        self.client = client
        self.registry = registry
        self.database_url = database_url

    def login(self, iin: str) -> dict[str, str]:
        token = self.client.post("/api/auth/login", json={"iin": iin, "password": DEMO_PASSWORD}).json()["token"]
        return {"Authorization": f"Bearer {token}"}

    def prepare(self, headers: dict[str, str], form: dict[str, Any] = FORM) -> httpx.Response:
        return self.client.post(f"{PATH}/address-check", json=form, headers=headers)

    def entry(self, headers: dict[str, str], application_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.get(f"/api/cabinet/applications/{application_id}", headers=headers).json()
        return answer

    def admin(self, application_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.get(f"/admin/applications/{application_id}").json()
        return answer


@pytest.fixture(scope="module")
def running(pki_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Portal:
    folder: Path = tmp_path_factory.mktemp("portal-js11")
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{folder}/{{system}}.sqlite"})
    registry = FakeAddressRegistry({PERSONA_JOB_SEEKER: ADDRESS})
    app = create_app(settings, person_registry=lambda: registry)
    return Portal(AppClient(app), registry, settings.database_for("portal"))


@pytest.fixture
def portal(running: Portal) -> Iterator[Portal]:
    """The module's portal with the registry answering again and its questions forgotten; each test works
    on its own applications."""
    running.registry.down = False
    running.registry.asked.clear()
    yield running


def test_the_registered_address_is_shown_before_anything_is_sent(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)

    answer = portal.prepare(headers)

    assert answer.status_code == 201, answer.text
    shown = answer.json()
    application_id = shown["applicationId"]
    assert shown["status"] == "Awaiting your confirmation"
    assert shown["registeredAddress"] == ADDRESS and ADDRESS in shown["question"]
    assert shown["centre"] == system("employment").organisation
    assert shown["confirmUrl"] == f"{PATH}/{application_id}/confirm"
    assert portal.registry.asked == [(PERSONA_JOB_SEEKER, application_id)]  # by the session's IIN, on its chain
    entry = portal.entry(headers, application_id)
    assert (entry["status"], entry["registeredAddress"]) == ("Awaiting your confirmation", ADDRESS)
    admin = portal.admin(application_id)
    assert admin["delivery"] is None  # nothing queued before the applicant agrees
    assert [event["kind"] for event in admin["events"]] == ["address"]


def test_confirming_signs_and_sends_the_application(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    shown = portal.prepare(headers).json()

    answer = portal.client.post(shown["confirmUrl"], headers=headers)

    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "In progress"
    admin = portal.admin(shown["applicationId"])
    assert admin["delivery"]["key"] == shown["applicationId"] and admin["delivery"]["state"] == "PENDING"
    assert [event["kind"] for event in admin["events"]] == ["address", "confirmed"]
    entry = portal.entry(headers, shown["applicationId"])
    assert entry["status"] == "In progress" and entry["registeredAddress"] == ADDRESS


def test_the_form_is_signed_by_the_applicant_only_when_they_confirm(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    shown = portal.prepare(headers).json()
    store = PortalStore.at(portal.database_url)
    row = store.application(shown["applicationId"])
    assert row is not None and row.signed_form is None
    assert json.loads(row.prepared_form or "{}")["surname"] == "Сулейменова"

    portal.client.post(shown["confirmUrl"], headers=headers)

    row = store.application(shown["applicationId"])
    assert row is not None and row.signed_form is not None
    form = etree.fromstring(row.signed_form.encode())
    assert form.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    assert form.findtext("applicationId") == shown["applicationId"]
    assert form.findtext("applicant/iin") == PERSONA_JOB_SEEKER


def test_cancelling_stops_the_application_and_says_so(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    shown = portal.prepare(headers).json()

    answer = portal.client.post(shown["cancelUrl"], headers=headers)

    assert answer.status_code == 200, answer.text
    cancelled = answer.json()
    assert cancelled["status"] == "Cancelled" and "cancelled and not sent" in cancelled["notice"]
    assert cancelled["finishedAt"].endswith("+05:00")
    admin = portal.admin(shown["applicationId"])
    assert admin["delivery"] is None and admin["status"] == "CANCELLED"
    assert [event["kind"] for event in admin["events"]] == ["address", "cancelled"]
    assert portal.entry(headers, shown["applicationId"])["status"] == "Cancelled"
    # a cancelled application cannot be sent afterwards, nor a sent one cancelled
    again = portal.client.post(shown["confirmUrl"], headers=headers)
    assert again.status_code == 409 and "CANCELLED" in again.json()["detail"]
    sent = portal.prepare(headers).json()
    portal.client.post(sent["confirmUrl"], headers=headers)
    late = portal.client.post(sent["cancelUrl"], headers=headers)
    assert late.status_code == 409 and portal.entry(headers, sent["applicationId"])["status"] == "In progress"


def test_another_citizens_application_cannot_be_confirmed_or_cancelled(portal: Portal) -> None:
    shown = portal.prepare(portal.login(PERSONA_JOB_SEEKER)).json()
    other = portal.login(PERSONA_MINOR)

    for url in (shown["confirmUrl"], shown["cancelUrl"]):
        answer = portal.client.post(url, headers=other)
        assert answer.status_code == 404
    assert portal.admin(shown["applicationId"])["status"] == "AWAITING_CONFIRMATION"
    assert portal.client.post(shown["confirmUrl"]).status_code == 401


def test_without_a_registered_address_nothing_is_stored(portal: Portal) -> None:
    headers = portal.login(PERSONA_MINOR)  # the fake registry holds no address for this person
    before = portal.client.get("/api/cabinet/applications", headers=headers).json()

    answer = portal.prepare(headers, FORM | {"surname": "Ахметов"})

    assert answer.status_code == 422
    assert "no registered address" in answer.json()["detail"] and "JS-11" in answer.json()["detail"]
    assert portal.client.get("/api/cabinet/applications", headers=headers).json() == before


def test_an_unreachable_registry_is_a_503_and_nothing_is_stored(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    before = portal.client.get("/api/cabinet/applications", headers=headers).json()
    portal.registry.down = True

    answer = portal.prepare(headers)

    assert answer.status_code == 503 and "try again later" in answer.json()["detail"]
    assert len(portal.client.get("/api/cabinet/applications", headers=headers).json()) == len(before)


def test_a_form_refused_at_the_door_does_not_ask_the_registry(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    answer = portal.prepare(headers, FORM | {"consentToPersonalData": False})
    assert answer.status_code == 422 and "standard Annex 1" in answer.json()["detail"]
    assert portal.registry.asked == []


def test_two_confirmations_at_once_send_the_application_once(portal: Portal) -> None:
    headers = portal.login(PERSONA_JOB_SEEKER)
    shown = portal.prepare(headers).json()
    codes: list[int] = []

    def confirm() -> None:
        codes.append(portal.client.post(shown["confirmUrl"], headers=headers).status_code)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [202, 409]
    outbox = portal.client.get("/admin/outbox").json()
    assert [m["key"] for m in outbox["messages"]].count(shown["applicationId"]) == 1
