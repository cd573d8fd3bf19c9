"""The gateway as two uvicorn worker processes on one address (``EGOV_SIM_GATEWAY_WORKERS``, default 2):
two worker processes run, concurrent signed lookups through it are all answered, and the journal they share
holds every entry in one intact hash chain."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from adapters.person_registry import PersonRegistryClient
from ecosystem.catalogue import SYSTEMS
from ecosystem.context import system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem
from gateway.journal import Journal
from mocks.population import PERSONA_JOB_SEEKER
from tests.integration.conftest import free_ports

LOOKUPS = 24
ENTRIES_PER_LOOKUP = 2  # received, delivered


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_two_gateway_workers_share_the_load_and_one_journal(tmp_path: Path) -> None:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(data_dir=tmp_path, ports=ports, gateway_workers=2)
    with Ecosystem(settings) as ecosystem:
        ecosystem.start(["gateway", "person_registry"])
        workers = [
            pid
            for pid in _children(ecosystem.processes["gateway"].pid)
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(workers) == 2
        with system_context(settings, "employment") as employment:
            client = PersonRegistryClient(employment.sync_client(), employment.identity.sender_id, employment.now)
            with ThreadPoolExecutor(4) as pool:
                found = list(pool.map(lambda n: client.find_by_iin(PERSONA_JOB_SEEKER, f"w-{n}"), range(LOOKUPS)))
        assert all(person is not None and person.iin == PERSONA_JOB_SEEKER for person in found)
    journal = Journal.at(settings.database_for("gateway"), create=False)
    try:
        check = journal.verify()
    finally:
        journal.dispose()
    assert check.intact, check.problem
    assert check.entries >= LOOKUPS * ENTRIES_PER_LOOKUP
