"""Moving the running ecosystem's clock with ``egov-sim clock`` and restarting systems afterwards.

These tests move the clock, so they run on an ecosystem of their own: the session's shared one (conftest)
keeps its clock, on which the other end-to-end tests' deadlines and ages depend.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.cli import app
from egov_sim.launcher import Ecosystem, free_ports
from mocks.population import PERSONA_JOB_SEEKER, PERSONA_PENSIONER, build_population, find_person
from scenarios.driver import DEMO_PASSWORD, CaseOutcome, ScenarioDriver
from tests.e2e.conftest import SIMULATED_START


@pytest.fixture(scope="module")
def moving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecosystem]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-clock"), ports=ports, clock=SIMULATED_START)
    with Ecosystem(settings) as running:
        running.start(timeout=120)
        yield running


def _cli(ecosystem: Ecosystem, *args: str) -> str:
    env = {f"EGOV_SIM_PORTS__{name.upper()}": str(port) for name, port in ecosystem.settings.ports.items()}
    result = CliRunner().invoke(app, ["clock", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _clocks(ecosystem: Ecosystem) -> dict[str, dict[str, Any]]:
    return {s.name: httpx.get(f"{ecosystem.settings.base_url(s.name)}/admin/clock", timeout=5).json() for s in SYSTEMS}


def _now(reading: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(reading["now"])


def _register(driver: ScenarioDriver, title: str, iin: str) -> CaseOutcome:
    person = find_person(build_population(), iin)
    assert person is not None
    return driver.register_job_seeker(title, person)


def test_clock_show_lists_every_system_on_the_same_clock(moving: Ecosystem) -> None:
    output = _cli(moving, "show")
    for each in SYSTEMS:
        assert re.search(rf"{each.name}\s.*2026-11-23T10:\d\d:\d\d\+05:00\s.*virtual", output), output
    anchors = {json_anchor["anchor"]["at"] for json_anchor in _clocks(moving).values()}
    assert len(anchors) == 1


def test_clock_advance_moves_every_system_within_one_second(moving: Ecosystem) -> None:
    before = _clocks(moving)
    started = time.monotonic()
    output = _cli(moving, "advance", "2h")
    elapsed = timedelta(seconds=time.monotonic() - started)
    followed = re.search(r"every system follows the change \((\d+\.\d+) s after it was made\)", output)
    assert followed, output
    assert float(followed.group(1)) <= 1.0
    after = _clocks(moving)
    assert len({reading["anchor"]["at"] for reading in after.values()}) == 1
    for name, reading in after.items():
        moved = _now(reading) - _now(before[name])
        assert timedelta(hours=2) <= moved <= timedelta(hours=2) + elapsed + timedelta(seconds=2), (name, moved)


def test_clock_set_jumps_every_system(moving: Ecosystem) -> None:
    _cli(moving, "set", "2026-11-24T09:30:00+05:00")
    for name, reading in _clocks(moving).items():
        assert (
            timedelta(0) <= _now(reading) - datetime.fromisoformat("2026-11-24T09:30:00+05:00") < timedelta(seconds=30)
        ), name


def test_restarted_systems_rejoin_the_moved_clock_and_lose_nothing(moving: Ecosystem) -> None:
    driver = ScenarioDriver(moving.settings)
    try:
        first = _register(driver, "before the restarts", PERSONA_JOB_SEEKER)
        assert first.status == "Done" and first.result_kind == "registered", first.error
        _cli(moving, "advance", "1d")
        moved_to = _now(_clocks(moving)["gateway"])

        for each in SYSTEMS:  # one at a time, as a tester restarting a system would
            moving.restart(each.name)

        clocks = _clocks(moving)
        assert len({reading["anchor"]["at"] for reading in clocks.values()}) == 1, clocks
        for name, reading in clocks.items():
            assert _now(reading) >= moved_to, f"{name} went back to {reading['now']} after its restart"

        second = _register(driver, "after the restarts", PERSONA_PENSIONER)
        assert second.status == "Done", second.error
        assert second.result_kind in ("registered", "refused")
        for outcome in (first, second):
            codes = [hop.get("code") for hop in driver.hops(outcome.correlation_id or outcome.application_id)]
            assert "SCE008" not in codes, codes

        # nothing accepted before the restarts is lost: the portal's cabinet, the centre's record, the journal
        assert driver.hops(first.correlation_id or first.application_id) == first.hops
        portal = moving.settings.base_url("portal")
        login = {"iin": PERSONA_JOB_SEEKER, "password": DEMO_PASSWORD}
        token = httpx.post(f"{portal}/api/auth/login", json=login).json()["token"]
        cabinet = httpx.get(
            f"{portal}/api/cabinet/applications/{first.application_id}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert cabinet["status"] == "Done" and cabinet["result"]["kind"] == "registered"
        employment = moving.settings.base_url("employment")
        assert httpx.get(f"{employment}/admin/applications/{first.application_id}").status_code == 200
    finally:
        driver.close()
