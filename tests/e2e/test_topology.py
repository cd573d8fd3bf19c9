"""The docker-compose topology without Docker: each system on its own loopback address, all on ONE port, each
told where the others are only by URL (EGOV_SIM_PEERS__*), as containers reach each other by service name."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, port_is_free
from mocks.population import PERSONA_JOB_SEEKER, build_population, find_person
from scenarios.driver import ScenarioDriver
from tests.e2e.conftest import SIMULATED_START

HOSTS = {s.name: f"127.0.0.{number}" for number, s in enumerate(SYSTEMS, start=2)}


def _port_free_on_every_host() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((HOSTS["gateway"], 0))
            port = int(probe.getsockname()[1])
        if all(port_is_free(host, port) for host in [*HOSTS.values(), "127.0.0.1"]):
            return port
    raise RuntimeError("no port is free on every loopback address of the test")


@pytest.fixture(scope="module")
def spread(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecosystem]:
    port = _port_free_on_every_host()
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("egov-topology"),
        hosts=HOSTS,
        ports={name: port for name in HOSTS},
        peers={name: f"http://{host}:{port}" for name, host in HOSTS.items()},
        clock=SIMULATED_START,
    )
    with Ecosystem(settings) as running:
        running.start(timeout=120)
        yield running


def test_each_system_listens_only_on_its_own_address(spread: Ecosystem) -> None:
    port = spread.settings.ports["gateway"]
    for host in HOSTS.values():
        assert not port_is_free(host, port)
    assert port_is_free("127.0.0.1", port)  # nobody took the common address: every call goes by peer URL


def test_a_job_seeker_is_registered_across_the_spread_systems(spread: Ecosystem) -> None:
    person = find_person(build_population(), PERSONA_JOB_SEEKER)
    assert person is not None
    driver = ScenarioDriver(spread.settings)
    try:
        outcome = driver.register_job_seeker("registration over peer URLs", person)
    finally:
        driver.close()
    assert outcome.status == "Done", outcome.error
    assert outcome.result_kind == "registered"
    delivered = {hop["service_id"] for hop in outcome.hops if hop["event"] == "delivered"}
    assert {"ENBEK_JobSeekerRegistrationAsync", "GBDFL_UniversalServiceSync", "GFSS_ContributionsQuery"} <= delivered
    assert [stage.get("newStatus") for stage in outcome.stages][-1] == "RESULT_ISSUED"
