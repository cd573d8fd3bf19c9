"""Nothing accepted is lost when a process is killed: the portal keeps an accepted application in its
store and delivers it once the systems are back (at-least-once, keyed by the application id)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from egov_sim.launcher import Ecosystem
from mocks.population import PERSONA_PENSIONER, build_population, find_person
from scenarios.driver import DEMO_PASSWORD, ScenarioDriver


def test_application_accepted_during_an_outage_survives_a_portal_crash(
    ecosystem: Ecosystem, tester: ScenarioDriver
) -> None:
    person = find_person(build_population(), PERSONA_PENSIONER)
    assert person is not None
    portal = ecosystem.settings.base_url("portal")
    token = httpx.post(f"{portal}/api/auth/login", json={"iin": person.iin, "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    ecosystem.kill("employment")
    form = {
        "surname": person.surname,
        "name": person.name,
        "birthDate": person.birth_date.isoformat(),
        "consentToPersonalData": True,
    }
    prepared = tester.prepare_job_seeker_application(form, headers)  # JS-11: the registered address is shown
    accepted = httpx.post(f"{portal}{prepared['confirmUrl']}", headers=headers)
    assert accepted.status_code == 202
    application_id = accepted.json()["applicationId"]
    # The gateway accepts the REQUEST at once (stored for delivery); its PUSH to the centre waits for it.
    delivery = _wait_for(lambda: _delivery(portal, application_id), lambda d: d["state"] == "DELIVERED")
    assert delivery["state"] == "DELIVERED"
    waiting = httpx.get(f"{portal}/api/cabinet/applications/{application_id}", headers=headers).json()
    assert waiting["status"] == "In progress" and waiting["error"] is None
    assert "request was accepted" in waiting["notice"]

    ecosystem.kill("portal")  # a crash: no shutdown hook runs
    ecosystem.restart("portal")
    ecosystem.restart("employment")
    # past any backoff, and past the lease of an attempt the crash may have cut short
    httpx.post(f"{ecosystem.settings.base_url('gateway')}/admin/clock", json={"advance": "3m"})
    token = httpx.post(f"{portal}/api/auth/login", json={"iin": person.iin, "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def cabinet_entry() -> dict[str, Any]:
        httpx.post(f"{portal}/admin/outbox/run", timeout=30)
        entry: dict[str, Any] = httpx.get(f"{portal}/api/cabinet/applications/{application_id}", headers=headers).json()
        return entry

    cabinet = _wait_for(cabinet_entry, lambda entry: entry["status"] != "In progress")
    assert cabinet["status"] == "Done", cabinet
    assert cabinet["result"]["kind"] in ("registered", "refused")

    chain = tester.portal_application(application_id)["correlationId"]
    journal = tester.hops(chain)
    events = [(e["event"], e["receiver_id"], e.get("code")) for e in journal if e["service_id"].endswith("Async")]
    assert ("delivered", "ENBEK_LABOUR_MARKET", "SCSS001") in events  # the PUSH resumed when the centre came back
    assert ("delivered", "EGOV_PORTAL", "SCSS001") in events  # the RESPONSE


def _delivery(portal: str, application_id: str) -> dict[str, Any]:
    delivery: dict[str, Any] = httpx.get(f"{portal}/admin/applications/{application_id}").json()["delivery"]
    return delivery


T = TypeVar("T")


def _wait_for(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)
