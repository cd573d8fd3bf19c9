"""The gateway as two uvicorn worker processes on one address (``EGOV_SIM_GATEWAY_WORKERS``, default 2):
two worker processes run, concurrent signed lookups through it are all answered, and the journal they share
holds every entry in one intact hash chain."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from adapters.person_registry import PersonRegistryClient
from ecosystem.catalogue import SYSTEMS
from ecosystem.context import system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from gateway.journal import Journal
from mocks.population import PERSONA_JOB_SEEKER

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


def _counted(exposition: str, family: str, **labels: str) -> float:
    return sum(
        sample.value
        for metric in text_string_to_metric_families(exposition)
        if metric.name == family
        for sample in metric.samples
        if sample.name == f"{family}_total" and all(sample.labels.get(k) == v for k, v in labels.items())
    )


def _per_worker(directory: Path, route: str) -> dict[str, float]:
    """What each worker's own file counts (the files are named after the worker's pid)."""
    counts = {}
    for file in directory.glob("counter_*.db"):
        merged = MultiProcessCollector.merge([str(file)], accumulate=False)
        counts[file.stem] = sum(
            sample.value
            for metric in merged
            if metric.name == "egov_http_requests"
            for sample in metric.samples
            if sample.labels.get("route") == route
        )
    return counts


def test_one_scrape_counts_the_requests_of_every_worker(tmp_path: Path) -> None:
    """Requests spread over both workers (each on its own connection); one scrape of /metrics, answered by one
    worker, counts all of them: the workers write their counts to the per-system folder and the scrape sums."""
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(data_dir=tmp_path, ports=ports, gateway_workers=2)
    stale = tmp_path / "metrics" / "gateway" / "counter_1.db"  # a previous run's file must not be summed
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"not a metrics file")
    url = settings.base_url("gateway")
    sent = 0
    with Ecosystem(settings) as ecosystem:
        ecosystem.start(["gateway"])
        assert not stale.exists()
        with ThreadPoolExecutor(4) as pool:
            while sent < 400:  # until both workers have answered some (the kernel chooses who accepts)
                answers = list(pool.map(lambda _: httpx.get(f"{url}/health/live").status_code, range(20)))
                assert answers == [200] * 20
                sent += 20
                if len([n for n in _per_worker(stale.parent, "/health/live").values() if n]) == 2:
                    break
        # a worker counts a request as its answer leaves: wait (bounded) until the last answers are counted
        deadline = time.monotonic() + 10
        while sum((per_worker := _per_worker(stale.parent, "/health/live")).values()) < sent:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len([n for n in per_worker.values() if n]) == 2, per_worker
        exposition = httpx.get(f"{url}/metrics").text
    assert _counted(exposition, "egov_http_requests", route="/health/live", method="GET", status="200") == sent
    assert sum(per_worker.values()) == sent
    assert [
        s.value
        for m in text_string_to_metric_families(exposition)
        if m.name == "egov_worker_processes"
        for s in m.samples
    ] == [2.0]
