"""Start the whole ecosystem once per session on free loopback ports, each system in its own process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from scenarios.driver import ScenarioDriver

SIMULATED_START = "virtual:2026-11-23T10:00:00+05:00"


@pytest.fixture(scope="session")
def ecosystem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecosystem]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    # A virtual clock that starts on Monday 23 November 2026, 10:00 in Astana: decisions, ages and deadlines
    # do not depend on the day the suite runs.
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-data"), ports=ports, clock=SIMULATED_START)
    with Ecosystem(settings) as running:
        running.start(timeout=120)
        yield running


@pytest.fixture(scope="session")
def tester(ecosystem: Ecosystem) -> Iterator[ScenarioDriver]:
    driver = ScenarioDriver(ecosystem.settings)
    yield driver
    driver.close()
