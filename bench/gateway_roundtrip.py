"""Benchmark: signed GBD FL lookups through the gateway to the person registry, over real sockets.

Prints figures; asserts nothing. Run: ``.venv/bin/python bench/gateway_roundtrip.py [N]``.
Each round trip is: build + WS-Security sign (employment) -> gateway: parse, verify, schema, journal,
re-sign, forward -> registry: verify, answer, sign -> gateway: verify, journal, re-sign -> client verify.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from ecosystem.catalogue import SYSTEMS
from ecosystem.context import system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from mocks.population import PERSONA_JOB_SEEKER


def main(rounds: int) -> None:
    from adapters.person_registry import PersonRegistryClient

    with tempfile.TemporaryDirectory() as data:
        ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
        settings = Settings(data_dir=Path(data), ports=ports)
        with Ecosystem(settings) as ecosystem:
            ecosystem.start(["gateway", "person_registry"])
            context = system_context(settings, "employment")
            client = PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)
            client.find_by_iin(PERSONA_JOB_SEEKER, "warm-up")
            timings = []
            started = time.perf_counter()
            for number in range(rounds):
                begin = time.perf_counter()
                person = client.find_by_iin(PERSONA_JOB_SEEKER, f"bench-{number}")
                timings.append(time.perf_counter() - begin)
                assert person is not None
            elapsed = time.perf_counter() - started
    timings.sort()
    print(f"gateway round trips (GBDFL_UniversalServiceSync), sequential, {rounds} requests")
    print(f"  throughput: {rounds / elapsed:8.1f} requests/s")
    print(f"  latency p50: {statistics.median(timings) * 1000:7.1f} ms")
    print(f"  latency p95: {timings[int(0.95 * (len(timings) - 1))] * 1000:7.1f} ms")
    print(f"  latency max: {timings[-1] * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
