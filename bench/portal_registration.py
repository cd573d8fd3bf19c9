"""Benchmark: a job-seeker registration through the portal, end to end, alone and 20 at once.

Prints figures beside the goals of issue 9; asserts nothing. Run:
``.venv/bin/python bench/portal_registration.py [AT_ONCE]`` (default 20).

A freshly started ecosystem (every system, as ``egov-sim up`` starts them) on a virtual clock set on a working
day at 10:00 (Monday 23 November 2026, as the end-to-end tests). One registration is what a citizen does in
the portal (docs/personas.md): log in, the address check (JS-11: the portal asks the person registry through
the gateway), the confirmation, then the cabinet read until the application is no longer "In progress" (the
centre's signed result document arrived: "Done"). The figure runs from the login to the cabinet read that
shows it finished. Each registration is a different person of the population's first 40 (those who can log
in); one registration first warms every system up and is not counted. ``AT_ONCE`` registrations are then
started together (a barrier) from as many threads, and the figure is the time to the last one finished. The
CPU seconds each system (its processes, from ``/proc``) and this client spent during those registrations are
printed beside it: when their sum over the wall time is near the machine's cores, the figure is bound by CPU,
not by a wait.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.gateway_vs_direct import _process_tree_cpu
from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from mocks.population import SyntheticPerson, build_population
from scenarios.driver import DEMO_PASSWORD

GOAL_ONE_SECONDS = 0.3
GOAL_AT_ONCE_SECONDS = 2.5
SIMULATED_START = "virtual:2026-11-23T10:00:00+05:00"  # a working day at 10:00 (tests/e2e/conftest.py)
UNFINISHED = {"In progress", "Awaiting your confirmation"}
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Registration:
    iin: str
    status: str
    seconds: float
    finished_at: float  # time.perf_counter() when the cabinet showed it finished
    phases: tuple[float, float, float, float]  # login, address check, confirmation, waiting for the result


def _register(portal: str, person: SyntheticPerson, client: httpx.Client) -> Registration:
    """Log in, check the address, confirm, read the cabinet until the application is finished."""
    started = time.perf_counter()
    login = client.post(f"{portal}/api/auth/login", json={"iin": person.iin, "password": DEMO_PASSWORD})
    headers = {"Authorization": f"Bearer {login.raise_for_status().json()['token']}"}
    logged_in = time.perf_counter()
    form = {
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "birthDate": person.birth_date.isoformat(),
        "mobilePhone": "+77010000000",
        "wantedProfession": "operator",
        "consentToPersonalData": True,
    }
    check = client.post(f"{portal}/api/services/job-seeker-registration/address-check", json=form, headers=headers)
    prepared = check.raise_for_status().json()
    checked = time.perf_counter()
    client.post(portal + prepared["confirmUrl"], headers=headers).raise_for_status()
    confirmed = time.perf_counter()
    cabinet_url = f"{portal}/api/cabinet/applications/{prepared['applicationId']}"
    while True:
        status = str(client.get(cabinet_url, headers=headers).raise_for_status().json()["status"])
        now = time.perf_counter()
        if status not in UNFINISHED or now - started > TIMEOUT_SECONDS:
            phases = (logged_in - started, checked - logged_in, confirmed - checked, now - confirmed)
            return Registration(person.iin, status, now - started, now, phases)
        time.sleep(POLL_SECONDS)


def _phases(registration: Registration) -> str:
    names = ("login", "address check", "confirm", "to the result")
    return ", ".join(f"{name} {seconds:.3f}" for name, seconds in zip(names, registration.phases, strict=True))


def _people(count: int) -> list[SyntheticPerson]:
    """``count`` different people among the first 40, who can log in and whose address the registry holds."""
    candidates = [p for p in build_population()[:40] if p.persona != "no-registered-address"]
    if count > len(candidates):
        raise SystemExit(f"at most {len(candidates)} registrations (the people who can log in), not {count}")
    return candidates[:count]


def _at_once(portal: str, people: list[SyntheticPerson]) -> tuple[float, list[Registration]]:
    barrier = threading.Barrier(len(people) + 1)
    clients = [httpx.Client(timeout=TIMEOUT_SECONDS) for _ in people]

    def one(person: SyntheticPerson, client: httpx.Client) -> Registration:
        barrier.wait()
        return _register(portal, person, client)

    try:
        with ThreadPoolExecutor(max_workers=len(people)) as pool:
            futures = [pool.submit(one, person, client) for person, client in zip(people, clients, strict=True)]
            barrier.wait()
            started = time.perf_counter()
            results = [future.result() for future in futures]
    finally:
        for client in clients:
            client.close()
    return max(r.finished_at for r in results) - started, results


def main(at_once: int) -> None:
    people = _people(2 + at_once)
    warm_up, alone, together = people[0], people[1], people[2:]
    with tempfile.TemporaryDirectory(prefix="egov-bench-") as data:
        ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
        settings = Settings(data_dir=Path(data), ports=ports, clock=SIMULATED_START)
        with Ecosystem(settings) as ecosystem:
            ecosystem.start(timeout=180)
            portal = settings.base_url("portal")
            print(f"portal job-seeker registrations, fresh ecosystem, clock {SIMULATED_START}")
            with httpx.Client(timeout=TIMEOUT_SECONDS) as client:
                first = _register(portal, warm_up, client)
                print(f"  warm-up (not counted): {first.seconds:.3f} s, {first.status}")
                one = _register(portal, alone, client)
            print(f"  one registration end to end: {one.seconds:.3f} s ({one.status})   goal <= {GOAL_ONE_SECONDS} s")
            print(f"    {_phases(one)} s")
            pids = {name: process.pid for name, process in ecosystem.processes.items()}
            cpu_before = {name: _process_tree_cpu(pid) for name, pid in pids.items()}
            client_before = time.process_time()
            last, results = _at_once(portal, together)
            client_cpu = time.process_time() - client_before
            cpu = {name: _process_tree_cpu(pid) - cpu_before[name] for name, pid in pids.items()}
            statuses = Counter(r.status for r in results)
            each = sorted(r.seconds for r in results)
            print(
                f"  {at_once} at once, to the last finished: {last:.3f} s"
                f"   goal <= {GOAL_AT_ONCE_SECONDS} s"
                f"   (each: p50 {statistics.median(each):.3f} s, fastest {each[0]:.3f} s; "
                f"{', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))})"
            )
            print(f"    the last one: {_phases(max(results, key=lambda r: r.finished_at))} s")
            busiest = sorted(((seconds, name) for name, seconds in cpu.items() if seconds >= 0.01), reverse=True)
            total = sum(cpu.values()) + client_cpu
            print(
                f"    CPU during them: {total:.2f} s over {last:.2f} s on {os.cpu_count()} cores "
                f"({', '.join(f'{name} {seconds:.2f}' for seconds, name in busiest)}, this client {client_cpu:.2f})"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
