"""Nothing accepted is lost when a process is killed: the portal keeps an accepted application in its
store and delivers it once the systems are back (at-least-once, keyed by the application id)."""

from __future__ import annotations

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
    accepted = httpx.post(f"{portal}/api/services/job-seeker-registration", json=form, headers=headers)
    assert accepted.status_code == 202
    application_id = accepted.json()["applicationId"]
    attempt = httpx.post(f"{portal}/admin/outbox/run", timeout=30).json()
    assert application_id in attempt["retrying"]  # the gateway answered SCE010: nothing was decided

    ecosystem.kill("portal")  # a crash: no shutdown hook runs
    ecosystem.restart("portal")
    ecosystem.restart("employment")
    token = httpx.post(f"{portal}/api/auth/login", json={"iin": person.iin, "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{portal}/admin/outbox/run", timeout=30)
    cabinet = httpx.get(f"{portal}/api/cabinet/applications/{application_id}", headers=headers).json()
    assert cabinet["status"] == "Done", cabinet
    assert cabinet["result"]["kind"] in ("registered", "refused")

    journal = tester.hops(application_id)
    events = [(e["event"], e["service_id"], e.get("code")) for e in journal]
    assert ("rejected", "ENBEK_JobSeekerRegistration", "SCE010") in events
    assert ("delivered", "ENBEK_JobSeekerRegistration", "SCSS001") in events
