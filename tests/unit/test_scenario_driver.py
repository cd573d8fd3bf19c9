"""The tester's driver returns as soon as the portal's cabinet says an application could not be delivered
(a dead letter), with the notice in the outcome, instead of waiting out its timeout; and the demo prints it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from rich.console import Console

from ecosystem.settings import Settings
from egov_sim.demo import check
from mocks.population import build_population
from scenarios.driver import ScenarioDriver

APP = "APP-DEAD-1"
NOTICE = "The portal could not reach the employment centre's service; our staff are looking into it."


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[ScenarioDriver]:
    tester = ScenarioDriver(Settings(data_dir=tmp_path))
    yield tester
    tester.close()


def _portal(
    driver: ScenarioDriver, router: respx.MockRouter, cabinets: list[dict[str, Any]], states: list[str]
) -> None:
    portal = driver.url("portal", "")
    router.post(f"{portal}/api/auth/login").respond(200, json={"token": "t"})
    path = "/api/services/job-seeker-registration"
    router.post(f"{portal}{path}/address-check").respond(
        201, json={"applicationId": APP, "registeredAddress": "г. Астана", "confirmUrl": f"{path}/{APP}/confirm"}
    )
    router.post(f"{portal}{path}/{APP}/confirm").respond(202, json={"applicationId": APP, "status": "In progress"})
    router.get(f"{portal}/api/cabinet/applications/{APP}").mock(
        side_effect=[httpx.Response(200, json=c) for c in cabinets]
    )
    router.get(f"{portal}/admin/applications/{APP}").mock(
        side_effect=[httpx.Response(200, json={"applicationId": APP, "delivery": {"state": s}}) for s in states]
        # the driver's last look: the AsyncChannel chain and events the portal recorded
        + [httpx.Response(200, json={"applicationId": APP, "correlationId": "chain-1", "events": []})]
    )
    router.post(f"{portal}/admin/outbox/run").respond(200, json={})
    router.get(driver.url("gateway", "/admin/journal")).respond(200, json=[])
    router.get(driver.url("monitoring", f"/api/applications/{APP}")).respond(404, json={})
    router.get(driver.url("employment", f"/admin/applications/{APP}")).respond(404, json={})


def _cabinet(status: str, notice: str | None = None) -> dict[str, Any]:
    return {
        "applicationId": APP,
        "status": status,
        "submittedAt": dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC).isoformat(),
        "finishedAt": None,
        "result": None,
        "error": None,
        "notice": notice,
    }


def test_a_dead_letter_notice_ends_the_wait_at_once_with_the_notice_in_the_outcome(driver: ScenarioDriver) -> None:
    person = build_population()[0]
    with respx.mock(assert_all_called=False) as router:
        _portal(driver, router, [_cabinet("In progress"), _cabinet("In progress", NOTICE)], ["DEAD"])
        outcome = driver.register_job_seeker("dead letter", person)
        paths = [call.request.url.path for call in router.calls]
    # it returned on the notice (no polling on toward the 60 s timeout) and looked at the stages once, not waiting
    assert paths.count(f"/api/cabinet/applications/{APP}") == 2
    assert paths.count(f"/api/applications/{APP}") <= 1
    assert (outcome.status, outcome.notice, outcome.delivery_state) == ("In progress", NOTICE, "DEAD")
    assert outcome.stages == []
    assert any(NOTICE in problem for problem in check(outcome, "registered", None))


def test_a_delayed_delivery_notice_keeps_the_driver_waiting_for_the_answer(driver: ScenarioDriver) -> None:
    person = build_population()[0]
    delayed = _cabinet("In progress", "Delivering your application is taking longer than usual.")
    done = _cabinet("Done") | {"result": {"kind": "registered"}}
    with respx.mock(assert_all_called=False) as router:
        _portal(driver, router, [delayed, delayed, done], ["PENDING", "PENDING"])
        stages = [{"newStatus": name} for name in ("ACCEPTED", "DATA_REQUESTED", "DECISION_MADE", "RESULT_ISSUED")]
        router.get(driver.url("monitoring", f"/api/applications/{APP}")).respond(200, json={"stages": stages})
        outcome = driver.register_job_seeker("delayed", person)
    assert (outcome.status, outcome.result_kind, outcome.notice) == ("Done", "registered", None)


def test_the_demo_prints_the_notice(driver: ScenarioDriver, monkeypatch: pytest.MonkeyPatch) -> None:
    import egov_sim.demo as demo

    person = build_population()[0]
    with respx.mock(assert_all_called=False) as router:
        _portal(driver, router, [_cabinet("In progress", NOTICE)], ["DEAD"])
        outcome = driver.register_job_seeker("dead letter", person)
    console = Console(record=True, width=200)
    demo.print_outcome(console, outcome)
    assert NOTICE in console.export_text()
