"""The centre's register admin API (/admin/register, docs/register.md) over HTTP: the entry of a registered job
seeker, vacancies, and the refusals a tester gets for what the register cannot take (nothing changes)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

from ecosystem.settings import Settings
from employment.adapters.storage import EmploymentStore
from employment.entrypoints.app import create_app
from employment.service_layer.handlers import register_job_seeker
from kernel.clock import FixedClock
from tests.employment.conftest import IIN, MONDAY, command, record, services_on
from tests.fakes import FakePersonRegistry

VACANCY = {
    "vacancyId": "V-1",
    "employerBin": "040540010001",
    "employerName": "ТОО «Пример»",
    "profession": "бухгалтер",
    "region": "г. Астана",
    "salary": "350000",
}


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def settings(pki_settings: Settings, tmp_path: Path) -> Settings:
    return pki_settings.model_copy(
        update={
            "database_url": f"sqlite:///{tmp_path}/{{system}}.sqlite",
            "ports": pki_settings.ports | {"gateway": _unused_port()},
        }
    )


def test_the_register_api(settings: Settings) -> None:
    store = EmploymentStore.at(settings.database_for("employment"), FixedClock(MONDAY).now)
    register_job_seeker(command("APP-1"), services_on(store, FixedClock(MONDAY), FakePersonRegistry({IIN: record()})))
    store.dispose()
    app = create_app(settings)

    async def scenario() -> None:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://employment") as client,
        ):
            person = (await client.get(f"/admin/register/people/{IIN}")).json()
            assert person["entry"]["state"] == "JOB_SEEKER"
            assert [(step["target"], step["rule_id"]) for step in person["history"]][-1] == ("JOB_SEEKER", "JS-6")
            assert person["case"]["case_id"] == "UN-APP-1"
            assert (await client.get("/admin/register/people/000000000000")).status_code == 404

            assert (await client.post("/admin/register/vacancies", json=VACANCY)).status_code == 201
            assert (await client.post("/admin/register/vacancies", json=VACANCY)).status_code == 409
            assert (await client.post("/admin/register/vacancies", json=VACANCY | {"salary": "-1"})).status_code == 422

            # DR-1 grounds concern the registered unemployed: a job seeker is not one; the report is kept, rejected
            ground = {"eventId": "E-1", "ground": 4, "facts": {}}
            kept = await client.post(f"/admin/register/people/{IIN}/grounds", json=ground)
            assert kept.status_code == 201
            assert kept.json()["status"] == "REJECTED" and kept.json()["reasons"][0]["rule_id"] == "DR-1"
            court = {"eventId": "E-2", "ground": 3, "source": "court"}
            assert (await client.post(f"/admin/register/people/{IIN}/grounds", json=court)).status_code == 422
            hostile = {"eventId": "E-3", "ground": 5, "facts": {"<script>": "x"}}
            assert (await client.post(f"/admin/register/people/{IIN}/grounds", json=hostile)).status_code == 422
            assert (
                await client.post(f"/admin/register/people/{IIN}/grounds", json={"eventId": "E-4", "ground": 1})
            ).status_code == 422

            # UN-5: a consent the centre cannot use is refused; the person registry down stores nothing either
            consent = f"/admin/register/people/{IIN}/job-loss-payment-consent"
            given = {
                "consent": True,
                "iban": "KZ86 125K ZT50 0410 0100",
                "bankAgreementNumber": "BA-7781",
                "bankAccountOpenedOn": "2026-11-20",
            }
            assert (await client.post(consent, json=given | {"consent": False})).status_code == 422
            assert (await client.post(consent, json=given | {"iban": "KZ87125KZT5004100100"})).status_code == 422
            assert (await client.post(consent, json=given | {"bankAccountOpenedOn": "2027-01-01"})).status_code == 422
            unknown = "/admin/register/people/880115300126/job-loss-payment-consent"
            assert (await client.post(unknown, json=given)).status_code == 422
            assert (await client.post(consent, json=given)).status_code == 503  # no gateway, no person registry

            after = (await client.get(f"/admin/register/people/{IIN}")).json()
            assert after["entry"] == person["entry"] and after["history"] == person["history"]  # nothing changed
            assert after["case"]["payment"] is None
            assert (await client.post("/admin/register/advance")).status_code == 200

    asyncio.run(scenario())
