"""Two gateway processes on one PostgreSQL database keep ONE journal hash chain.

The person registry and two gateways run as separate processes (``egov-sim serve``), the gateways on two
ports with the same settings and the same database; signed person-registry lookups go through both at once.
Afterwards the chain is intact, holds every entry, and the two gateways' entries are interleaved in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.person_registry import PersonRegistryClient
from ecosystem.catalogue import SYSTEMS
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem
from mocks.population import PERSONA_JOB_SEEKER
from tests.databases import admin_url
from tests.integration.conftest import free_ports

THREADS_PER_GATEWAY = 2
LOOKUPS_PER_THREAD = 10
ENTRIES_PER_LOOKUP = 2  # received, delivered


@pytest.fixture
def server_url(postgres_database: str) -> Iterator[str]:
    """``EGOV_SIM_DATABASE_URL`` for this test: ``<run database>_{system}``, the databases of the gateway and
    of the person registry (its replay guard) created on the server here and dropped afterwards."""
    run = make_url(postgres_database)
    databases = [f"{run.database}_{name}" for name in ("gateway", "person_registry")]
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for database in databases:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield postgres_database.rsplit("/", 1)[0] + f"/{run.database}_{{system}}"
    finally:
        with admin.connect() as connection:
            for database in databases:
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                    {"n": database},
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        admin.dispose()


def _serve_second_gateway(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | settings.to_environment()
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "egov_sim.cli", "serve", "gateway"], env=env, stdout=output, stderr=subprocess.STDOUT
        )


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the second gateway exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the second gateway did not answer {url}/health within {timeout:.0f} s")
        time.sleep(0.2)


def test_two_gateway_processes_on_one_database_keep_one_chain(tmp_path: Path, server_url: str) -> None:
    *system_ports, second_port = free_ports(len(SYSTEMS) + 1)
    ports = dict(zip([s.name for s in SYSTEMS], system_ports, strict=True))
    first = Settings(data_dir=tmp_path / "data", ports=ports, database_url=server_url)
    second = first.model_copy(update={"ports": first.ports | {"gateway": second_port}})

    with Ecosystem(first) as ecosystem:
        ecosystem.start(["gateway", "person_registry"], timeout=120)
        log = first.data_dir / "logs" / "gateway-2.log"
        process = _serve_second_gateway(second, log)
        contexts: dict[str, SystemContext] = {}
        try:
            _wait_healthy(process, second.base_url("gateway"), log)
            gateways = {"g1": first, "g2": second}
            contexts.update({name: system_context(s, "employment") for name, s in gateways.items()})
            clients = {
                name: PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)
                for name, context in contexts.items()
            }
            barrier = threading.Barrier(len(gateways) * THREADS_PER_GATEWAY)
            failures: list[BaseException] = []

            def lookups(gateway: str, thread: int) -> None:
                barrier.wait()
                try:
                    for number in range(LOOKUPS_PER_THREAD):
                        found = clients[gateway].find_by_iin(PERSONA_JOB_SEEKER, f"{gateway}-{thread}-{number}")
                        assert found is not None
                except BaseException as exc:  # reported below
                    failures.append(exc)

            threads = [
                threading.Thread(target=lookups, args=(gateway, thread))
                for gateway in gateways
                for thread in range(THREADS_PER_GATEWAY)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=180)
            assert failures == []

            expected = len(gateways) * THREADS_PER_GATEWAY * LOOKUPS_PER_THREAD * ENTRIES_PER_LOOKUP
            for settings in gateways.values():  # and the register's seed, once though both gateways started
                verdict = httpx.get(f"{settings.base_url('gateway')}/admin/journal/verify", timeout=30).json()
                assert verdict == {"intact": True, "entries": expected + 1, "problem": "", "broken": None}

            entries = httpx.get(
                f"{first.base_url('gateway')}/admin/journal", params={"limit": expected}, timeout=30
            ).json()[::-1]
            assert len(entries) == expected
            writers = [entry["correlation_id"].split("-")[0] for entry in entries]
            switches = sum(1 for before, after in pairwise(writers) if before != after)
            assert set(writers) == {"g1", "g2"}
            assert switches >= 3, f"the gateways' entries are not interleaved: {writers}"
        finally:
            for context in contexts.values():
                context.close()
            process.terminate()
            process.wait(timeout=10)
